//! Signature V1: `Authorization: OSS <id>:base64(HMAC-SHA1(secret, StringToSign))`
//! (`docs/php-sdk-behaviour.md` "Signature V1").

use std::borrow::Cow;

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
    let mut oss: Vec<(Cow<'_, str>, &str)> = h
        .iter()
        .filter(|(n, _)| n.len() >= 6 && n.as_bytes()[..6].eq_ignore_ascii_case(b"x-oss-"))
        .map(|(n, v)| (lower_case(n), v))
        .collect();
    oss.sort_by(|a, b| a.0.cmp(&b.0));
    let fields = [h.get("content-md5"), h.get("content-type"), h.get("date")].map(Option::unwrap_or_default);
    let len = req.method.len()
        + fields.iter().map(|f| f.len() + 1).sum::<usize>()
        + oss.iter().map(|(n, v)| n.len() + v.len() + 2).sum::<usize>()
        + resource_len(req);
    let mut s = String::with_capacity(len + 1);
    s.extend(req.method.chars().map(|c| c.to_ascii_uppercase()));
    s.push('\n');
    for field in fields {
        s.push_str(field);
        s.push('\n');
    }
    for (n, v) in oss {
        s.push_str(&n);
        s.push(':');
        s.push_str(v);
        s.push('\n');
    }
    push_canonical_resource(&mut s, req);
    s
}

fn lower_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// `/bucket/key` with the raw (unencoded) key, plus the signed sub-resources sorted by name.
pub fn canonical_resource(req: &SignableRequest<'_>) -> String {
    let mut r = String::with_capacity(resource_len(req));
    push_canonical_resource(&mut r, req);
    r
}

/// An upper bound of the length of the canonical resource of `req`.
fn resource_len(req: &SignableRequest<'_>) -> usize {
    3 + req.bucket.len() + req.key.len() + req.query.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>()
}

fn push_canonical_resource(r: &mut String, req: &SignableRequest<'_>) {
    r.push('/');
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
}

/// The Authorization header value for `string_to_sign`.
pub fn authorization(creds: &Credentials, string_to_sign: &str) -> String {
    let mut value = String::with_capacity(33 + creds.access_key_id.len());
    value.push_str("OSS ");
    value.push_str(&creds.access_key_id);
    value.push(':');
    B64.encode_string(mac(creds, string_to_sign), &mut value);
    value
}

/// Base64 HMAC-SHA1 of `string_to_sign` with the access key secret.
pub fn signature(creds: &Credentials, string_to_sign: &str) -> String {
    B64.encode(mac(creds, string_to_sign))
}

fn mac(creds: &Credentials, string_to_sign: &str) -> [u8; 20] {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(creds.access_key_secret.expose().as_bytes()).expect("HMAC accepts any key length");
    mac.update(string_to_sign.as_bytes());
    mac.finalize().into_bytes().into()
}
