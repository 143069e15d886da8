//! Signature V1: `Authorization: OSS <id>:base64(HMAC-SHA1(secret, StringToSign))`
//! (`docs/php-sdk-behaviour.md` "Signature V1").

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::SignableRequest;
use crate::core::credentials::Credentials;

/// Query parameters that V1 signs (`docs/php-sdk-behaviour.md` "Signature V1"; exact, case-sensitive).
const SIGNED_SUB_RESOURCES: &[&str] = &[
    "acl",
    "uploads",
    "location",
    "cors",
    "logging",
    "website",
    "referer",
    "lifecycle",
    "delete",
    "append",
    "tagging",
    "objectMeta",
    "uploadId",
    "partNumber",
    "security-token",
    "x-oss-security-token",
    "position",
    "img",
    "style",
    "styleName",
    "replication",
    "replicationProgress",
    "replicationLocation",
    "cname",
    "bucketInfo",
    "comp",
    "qos",
    "live",
    "status",
    "vod",
    "startTime",
    "endTime",
    "symlink",
    "x-oss-process",
    "response-content-type",
    "x-oss-traffic-limit",
    "response-content-language",
    "response-expires",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "udf",
    "udfName",
    "udfImage",
    "udfId",
    "udfImageDesc",
    "udfApplication",
    "udfApplicationLog",
    "restore",
    "callback",
    "callback-var",
    "qosInfo",
    "policy",
    "stat",
    "encryption",
    "versions",
    "versioning",
    "versionId",
    "requestPayment",
    "x-oss-request-payer",
    "sequential",
    "inventory",
    "inventoryId",
    "continuation-token",
    "asyncFetch",
    "worm",
    "wormId",
    "wormExtend",
    "withHashContext",
    "x-oss-enable-md5",
    "x-oss-enable-sha1",
    "x-oss-enable-sha256",
    "x-oss-hash-ctx",
    "x-oss-md5-ctx",
    "transferAcceleration",
    "regionList",
    "cloudboxes",
    "x-oss-ac-source-ip",
    "x-oss-ac-subnet-mask",
    "x-oss-ac-vpc-id",
    "x-oss-ac-forward-allow",
    "metaQuery",
    "resourceGroup",
    "rtc",
    "x-oss-async-process",
    "responseHeader",
];

/// The V1 string to sign: verb, Content-MD5, Content-Type, Date, canonical `x-oss-*` headers, resource.
pub fn string_to_sign(req: &SignableRequest<'_>) -> String {
    let h = &*req.headers;
    let mut s = format!(
        "{}\n{}\n{}\n{}\n",
        req.method.to_ascii_uppercase(),
        h.get("content-md5").unwrap_or(""),
        h.get("content-type").unwrap_or(""),
        h.get("date").unwrap_or(""),
    );
    let mut oss: Vec<(String, &str)> =
        h.iter().map(|(n, v)| (n.to_ascii_lowercase(), v)).filter(|(n, _)| n.starts_with("x-oss-")).collect();
    oss.sort_by(|a, b| a.0.cmp(&b.0));
    for (n, v) in oss {
        s.push_str(&n);
        s.push(':');
        s.push_str(v);
        s.push('\n');
    }
    s.push_str(&canonical_resource(req));
    s
}

/// `/bucket/key` with the raw (unencoded) key, plus the signed sub-resources sorted by name.
pub fn canonical_resource(req: &SignableRequest<'_>) -> String {
    let mut r = String::from("/");
    if !req.bucket.is_empty() {
        r.push_str(req.bucket);
        r.push('/');
    }
    r.push_str(req.key);
    let mut subs: Vec<&(String, String)> =
        req.query.iter().filter(|(k, _)| SIGNED_SUB_RESOURCES.contains(&k.as_str())).collect();
    subs.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (k, v)) in subs.into_iter().enumerate() {
        r.push(if i == 0 { '?' } else { '&' });
        r.push_str(k);
        if !v.is_empty() {
            r.push('=');
            r.push_str(v);
        }
    }
    r
}

/// The Authorization header value for `string_to_sign`.
pub fn authorization(creds: &Credentials, string_to_sign: &str) -> String {
    format!("OSS {}:{}", creds.access_key_id, signature(creds, string_to_sign))
}

/// Base64 HMAC-SHA1 of `string_to_sign` with the access key secret.
pub fn signature(creds: &Credentials, string_to_sign: &str) -> String {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(creds.access_key_secret.expose().as_bytes()).expect("HMAC accepts any key length");
    mac.update(string_to_sign.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}
