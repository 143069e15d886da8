//! Request authentication: OSS signature V1 (`OSS <id>:<sig>`, HMAC-SHA1) and V4
//! (`OSS4-HMAC-SHA256`), plus the STS token and clock-skew checks around them.

use crate::encoding::{hex_lower, rawurlencode, rawurlencode_path};
use crate::error::OssError;
use crate::http::find_header;
use crate::time;
use crate::Credential;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Largest accepted distance between the request time and the server clock.
pub const MAX_SKEW_SECS: i64 = 15 * 60;

/// Query parameters that V1 signs as sub-resources (exact, case-sensitive).
pub(crate) const V1_SUB_RESOURCES: &[&str] = &[
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

/// The parts of a request that signatures cover.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub headers: &'a [(String, String)],
    /// Percent-decoded query pairs, in order.
    pub query: &'a [(String, String)],
    /// None for service-level requests.
    pub bucket: Option<&'a str>,
    /// Decoded object key ("" for bucket-level requests).
    pub key: &'a str,
}

/// Checks the request's signature, key, token and time. Returns the access key id used.
pub fn authenticate(req: &SignedRequest<'_>, keys: &[Credential], region: &str, now: i64) -> Result<String, OssError> {
    let Some(auth) = find_header(req.headers, "authorization") else {
        let param = |name: &str| req.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        if param("x-oss-signature-version").is_some() {
            return verify_v4_query(req, keys, region, now);
        }
        if let (Some(id), Some(expires), Some(signature)) =
            (param("OSSAccessKeyId"), param("Expires"), param("Signature"))
        {
            return verify_v1_query(req, id, expires, signature, keys, now);
        }
        return Err(OssError::access_denied("You have no right to access this object because of bucket acl."));
    };
    if let Some(rest) = auth.strip_prefix("OSS4-HMAC-SHA256 ") {
        verify_v4(req, rest, keys, region, now)
    } else if let Some(rest) = auth.strip_prefix("OSS ") {
        verify_v1(req, rest, keys, now)
    } else {
        Err(OssError::invalid_argument("Authorization header is invalid."))
    }
}

pub(crate) fn lookup<'k>(keys: &'k [Credential], id: &str) -> Result<&'k Credential, OssError> {
    keys.iter().find(|k| k.id == id).ok_or_else(|| {
        OssError::new(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.")
            .with_extra("OSSAccessKeyId", id)
    })
}

/// A key with an STS token needs that token in `x-oss-security-token`; a key without one
/// must not be used with a token.
fn check_token(req: &SignedRequest<'_>, cred: &Credential) -> Result<(), OssError> {
    let provided = find_header(req.headers, "x-oss-security-token");
    if provided == cred.sts_token.as_deref() {
        Ok(())
    } else {
        Err(OssError::new(403, "InvalidSecurityToken", "The security token you provided is invalid."))
    }
}

fn check_skew(request_time: i64, raw: &str, now: i64) -> Result<(), OssError> {
    if (request_time - now).abs() > MAX_SKEW_SECS {
        return Err(OssError::new(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        )
        .with_extra("RequestTime", raw)
        .with_extra("ServerTime", time::iso8601_secs(now)));
    }
    Ok(())
}

pub(crate) fn mismatch(id: &str, provided: &str) -> OssError {
    OssError::new(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    )
    .with_extra("OSSAccessKeyId", id)
    .with_extra("SignatureProvided", provided)
}

fn verify_v1(req: &SignedRequest<'_>, credential: &str, keys: &[Credential], now: i64) -> Result<String, OssError> {
    let (id, signature) =
        credential.split_once(':').ok_or_else(|| OssError::invalid_argument("Authorization header is invalid."))?;
    let cred = lookup(keys, id)?;
    check_token(req, cred)?;
    let (raw, parsed) = match find_header(req.headers, "x-oss-date") {
        Some(d) => (d, time::parse_http_date(d).or_else(|| time::parse_v4_datetime(d))),
        None => match find_header(req.headers, "date") {
            Some(d) => (d, time::parse_http_date(d)),
            None => return Err(OssError::access_denied("The request must carry a Date or x-oss-date header.")),
        },
    };
    let request_time = parsed.ok_or_else(|| OssError::access_denied(format!("Invalid date format: {raw}")))?;
    check_skew(request_time, raw, now)?;
    let sts = v1_string_to_sign(req);
    if v1_signature(&cred.secret, &sts) != signature {
        return Err(mismatch(id, signature).with_extra("StringToSign", sts).with_extra("EC", "0002-00000040"));
    }
    Ok(id.to_string())
}

/// A V1 presigned URL: `OSSAccessKeyId`, `Expires` (Unix seconds, in the string to sign where Date would be) and
/// `Signature` in the query, an STS token as the signed `security-token` parameter.
fn verify_v1_query(
    req: &SignedRequest<'_>,
    id: &str,
    expires: &str,
    signature: &str,
    keys: &[Credential],
    now: i64,
) -> Result<String, OssError> {
    let cred = lookup(keys, id)?;
    let token = req.query.iter().find(|(k, _)| k == "security-token").map(|(_, v)| v.as_str());
    if token != cred.sts_token.as_deref() {
        return Err(OssError::new(403, "InvalidSecurityToken", "The security token you provided is invalid."));
    }
    let deadline: i64 = expires.parse().map_err(|_| OssError::access_denied("Invalid Expires in the URL."))?;
    if deadline < now {
        return Err(OssError::access_denied("Request has expired.")
            .with_extra("Expires", time::iso8601_secs(deadline))
            .with_extra("ServerTime", time::iso8601_secs(now)));
    }
    let query: Vec<(String, String)> = req
        .query
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "OSSAccessKeyId" | "Expires" | "Signature"))
        .cloned()
        .collect();
    let signed = SignedRequest { query: &query, ..*req };
    let sts = v1_string_to_sign_at(&signed, expires);
    if v1_signature(&cred.secret, &sts) != signature {
        return Err(mismatch(id, signature).with_extra("StringToSign", sts));
    }
    Ok(id.to_string())
}

/// A V4 presigned URL: `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-expires` (seconds,
/// at most 7 days) and `x-oss-signature` in the query; every other parameter is signed in the canonical query.
fn verify_v4_query(req: &SignedRequest<'_>, keys: &[Credential], region: &str, now: i64) -> Result<String, OssError> {
    let param = |name: &str| req.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let bad = |what: &str| OssError::invalid_argument(format!("The presigned URL is malformed: {what}."));
    if param("x-oss-signature-version") != Some("OSS4-HMAC-SHA256") {
        return Err(bad("x-oss-signature-version must be OSS4-HMAC-SHA256"));
    }
    let credential = param("x-oss-credential").ok_or_else(|| bad("missing x-oss-credential"))?;
    let datetime = param("x-oss-date").ok_or_else(|| bad("missing x-oss-date"))?;
    let expires: i64 = param("x-oss-expires").and_then(|e| e.parse().ok()).ok_or_else(|| bad("bad x-oss-expires"))?;
    let signature = param("x-oss-signature").ok_or_else(|| bad("missing x-oss-signature"))?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [id, date, scope_region, product, terminator] = parts.as_slice() else {
        return Err(bad("x-oss-credential must be <id>/<date>/<region>/oss/aliyun_v4_request"));
    };
    let cred = lookup(keys, id)?;
    if param("x-oss-security-token") != cred.sts_token.as_deref() {
        return Err(OssError::new(403, "InvalidSecurityToken", "The security token you provided is invalid."));
    }
    let signed_at = time::parse_v4_datetime(datetime).ok_or_else(|| bad("bad x-oss-date"))?;
    if !(1..=604_800).contains(&expires) {
        return Err(bad("x-oss-expires must be between 1 and 604800 seconds"));
    }
    if signed_at + expires < now {
        return Err(OssError::access_denied("Request has expired."));
    }
    if *date != &datetime[..8] || *scope_region != region || *product != "oss" || *terminator != "aliyun_v4_request" {
        return Err(bad("the credential scope does not match"));
    }
    let additional: Vec<String> = param("x-oss-additional-headers")
        .unwrap_or("")
        .split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let query: Vec<(String, String)> = req.query.iter().filter(|(k, _)| k != "x-oss-signature").cloned().collect();
    let signed = SignedRequest { query: &query, ..*req };
    let canonical = v4_canonical_request(&signed, &additional, "UNSIGNED-PAYLOAD");
    let scope = format!("{date}/{region}/oss/aliyun_v4_request");
    let sts = v4_string_to_sign(datetime, &scope, &canonical);
    if v4_signature(&cred.secret, date, region, &sts) != signature {
        return Err(mismatch(id, signature).with_extra("CanonicalRequest", canonical).with_extra("StringToSign", sts));
    }
    Ok(id.to_string())
}

/// The V1 string to sign.
pub fn v1_string_to_sign(req: &SignedRequest<'_>) -> String {
    v1_string_to_sign_at(req, find_header(req.headers, "date").unwrap_or(""))
}

/// The V1 string to sign with `date` in the Date line (a presigned URL's Expires).
fn v1_string_to_sign_at(req: &SignedRequest<'_>, date: &str) -> String {
    let h = |name| find_header(req.headers, name).unwrap_or("");
    let mut out =
        format!("{}\n{}\n{}\n{}\n", req.method.to_ascii_uppercase(), h("content-md5"), h("content-type"), date);
    let oss_headers: BTreeMap<String, &str> = req
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| n.starts_with("x-oss-"))
        .collect();
    for (name, value) in oss_headers {
        out.push_str(&format!("{name}:{value}\n"));
    }
    out.push('/');
    if let Some(bucket) = req.bucket {
        out.push_str(bucket);
        out.push('/');
        out.push_str(req.key);
    }
    let subs: BTreeMap<&str, &str> = req
        .query
        .iter()
        .filter(|(k, _)| V1_SUB_RESOURCES.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for (i, (k, v)) in subs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        if !v.is_empty() {
            out.push('=');
            out.push_str(v);
        }
    }
    out
}

/// base64(HMAC-SHA1(secret, string_to_sign)).
pub fn v1_signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(string_to_sign.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}

/// The fields of a V4 Authorization header.
struct V4Auth<'a> {
    id: &'a str,
    date: &'a str,
    region: &'a str,
    product: &'a str,
    terminator: &'a str,
    additional: Vec<String>,
    signature: &'a str,
}

fn parse_v4(rest: &str) -> Result<V4Auth<'_>, OssError> {
    let malformed = |what: &str| OssError::invalid_argument(format!("Authorization header is malformed: {what}."));
    let (mut credential, mut additional, mut signature) = (None, None, None);
    for field in rest.split(',').map(str::trim) {
        match field.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("AdditionalHeaders", v)) => additional = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(malformed(&format!("unexpected field '{field}'"))),
        }
    }
    let credential = credential.ok_or_else(|| malformed("missing Credential"))?;
    let signature = signature.ok_or_else(|| malformed("missing Signature"))?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [id, date, region, product, terminator] = parts.as_slice() else {
        return Err(malformed("Credential must be <id>/<date>/<region>/oss/aliyun_v4_request"));
    };
    Ok(V4Auth {
        id,
        date,
        region,
        product,
        terminator,
        additional: additional
            .unwrap_or("")
            .split(';')
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase)
            .collect(),
        signature,
    })
}

fn verify_v4(
    req: &SignedRequest<'_>,
    rest: &str,
    keys: &[Credential],
    region: &str,
    now: i64,
) -> Result<String, OssError> {
    let auth = parse_v4(rest)?;
    let cred = lookup(keys, auth.id)?;
    check_token(req, cred)?;
    let datetime = find_header(req.headers, "x-oss-date")
        .ok_or_else(|| OssError::access_denied("The x-oss-date header is required for signature V4."))?;
    let payload_hash = find_header(req.headers, "x-oss-content-sha256")
        .ok_or_else(|| OssError::access_denied("The x-oss-content-sha256 header is required for signature V4."))?;
    let request_time = time::parse_v4_datetime(datetime)
        .ok_or_else(|| OssError::access_denied(format!("Invalid x-oss-date format: {datetime}")))?;
    check_skew(request_time, datetime, now)?;
    if auth.date != &datetime[..8] {
        return Err(OssError::invalid_argument("The date in the Credential scope does not match x-oss-date."));
    }
    if auth.region != region {
        return Err(OssError::invalid_argument(format!(
            "Invalid signing region in Authorization header: '{}', expected '{region}'.",
            auth.region
        )));
    }
    if auth.product != "oss" || auth.terminator != "aliyun_v4_request" {
        return Err(OssError::invalid_argument("Invalid Credential scope in Authorization header."));
    }
    let canonical = v4_canonical_request(req, &auth.additional, payload_hash);
    let scope = format!("{}/{region}/oss/aliyun_v4_request", auth.date);
    let sts = v4_string_to_sign(datetime, &scope, &canonical);
    if v4_signature(&cred.secret, auth.date, region, &sts) != auth.signature {
        return Err(mismatch(auth.id, auth.signature)
            .with_extra("CanonicalRequest", canonical)
            .with_extra("StringToSign", sts));
    }
    Ok(auth.id.to_string())
}

/// The V4 canonical request. `additional` holds the lower-cased AdditionalHeaders names.
pub fn v4_canonical_request(req: &SignedRequest<'_>, additional: &[String], payload_hash: &str) -> String {
    let uri = match req.bucket {
        Some(bucket) => rawurlencode_path(&format!("/{bucket}/{}", req.key)),
        None => "/".to_string(),
    };
    let mut query: Vec<(String, String)> =
        req.query.iter().map(|(k, v)| (rawurlencode(k.as_bytes()), rawurlencode(v.as_bytes()))).collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| if v.is_empty() { k.clone() } else { format!("{k}={v}") })
        .collect::<Vec<_>>()
        .join("&");
    let headers: BTreeMap<String, &str> = req
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| n == "content-type" || n == "content-md5" || n.starts_with("x-oss-") || additional.contains(n))
        .collect();
    let mut out = format!("{}\n{uri}\n{query}\n", req.method.to_ascii_uppercase());
    for (name, value) in headers {
        out.push_str(&format!("{name}:{value}\n"));
    }
    out.push('\n');
    out.push_str(&additional.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// `OSS4-HMAC-SHA256\n<datetime>\n<scope>\n<hex sha256(canonical)>`.
pub fn v4_string_to_sign(datetime: &str, scope: &str, canonical: &str) -> String {
    format!("OSS4-HMAC-SHA256\n{datetime}\n{scope}\n{}", hex_lower(&Sha256::digest(canonical.as_bytes())))
}

fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Lower-case hex V4 signature over `string_to_sign`.
pub fn v4_signature(secret: &str, date: &str, region: &str, string_to_sign: &str) -> String {
    let k = hmac_sha256(format!("aliyun_v4{secret}").as_bytes(), date);
    let k = hmac_sha256(&k, region);
    let k = hmac_sha256(&k, "oss");
    let k = hmac_sha256(&k, "aliyun_v4_request");
    hex_lower(&hmac_sha256(&k, string_to_sign))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLBACK: &str = "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9jYi5leGFtcGxlLmNvbS9jYiIsImNhbGxiYWNrQm9keSI6ImJ1Y2tldD0ke2J1Y2tldH0mb2JqZWN0PSR7b2JqZWN0fSJ9";
    const DATE: &str = "Wed, 28 Dec 2022 10:27:41 GMT";

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn keys() -> Vec<Credential> {
        vec![Credential { id: "AKIDEXAMPLE".into(), secret: "SECRETEXAMPLE".into(), sts_token: None }]
    }

    fn now() -> i64 {
        time::parse_http_date(DATE).unwrap()
    }

    fn put_headers(authorization: &str) -> Vec<(String, String)> {
        headers(&[
            ("Content-Type", "application/octet-stream"),
            ("Date", DATE),
            ("Content-Md5", "xTMZXcQlNQMHGhnULwjodw=="),
            ("x-oss-callback", CALLBACK),
            ("x-oss-callback-var", "eyJ4OnZhcjEiOiJ2YWx1ZTEifQ=="),
            ("Authorization", authorization),
        ])
    }

    fn request<'a>(
        h: &'a [(String, String)],
        q: &'a [(String, String)],
        method: &'a str,
        key: &'a str,
    ) -> SignedRequest<'a> {
        SignedRequest { method, headers: h, query: q, bucket: Some("bkt"), key }
    }

    #[test]
    fn v1_known_answers() {
        let h = put_headers("OSS AKIDEXAMPLE:c7FB2tIG8RBT14+YKnNBgbyh+N0=");
        let req = request(&h, &[], "PUT", "b.file");
        assert_eq!(authenticate(&req, &keys(), "cn-hangzhou", now()).unwrap(), "AKIDEXAMPLE");

        let h = headers(&[
            ("Content-Md5", "Gg+BVH5bounEpLlKdHMZkw=="),
            ("Content-Type", "application/octet-stream"),
            ("Date", DATE),
            ("Authorization", "OSS AKIDEXAMPLE:AK9rSk0Y9X4b30Tz21ePSGQOSIA="),
        ]);
        let q = crate::encoding::parse_query("partNumber=1&uploadId=0004B9894A22E5B1888A1E29F8236E2D&ignored=1");
        let req = request(&h, &q, "PUT", "multipart-callback-test.txt");
        assert!(authenticate(&req, &keys(), "cn-hangzhou", now()).is_ok());

        let h = headers(&[("Content-Md5", "1B2M2Y8AsgTpgAmY7PhCfg=="), ("Content-Type", "text/plain"), ("Date", DATE)]);
        let q = crate::encoding::parse_query("uploads");
        let sts = v1_string_to_sign(&request(&h, &q, "POST", "multipart-callback-test.txt"));
        assert_eq!(v1_signature("SECRETEXAMPLE", &sts), "NbLAve/kz4MlRSIRDlzXO+I2TyI=");

        let h = headers(&[
            ("Content-MD5", "eB5eJF1ptWaXm4bijSPyxw=="),
            ("Content-Type", "text/html"),
            ("Date", DATE),
            ("x-oss-meta-magic", "abracadabra"),
            ("x-oss-meta-author", "alice"),
            ("x-oss-date", DATE),
        ]);
        let req = SignedRequest { bucket: Some("examplebucket"), ..request(&h, &[], "PUT", "nelson") };
        assert_eq!(v1_signature("sk", &v1_string_to_sign(&req)), "kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
        let q = crate::encoding::parse_query("acl");
        let req = SignedRequest { bucket: Some("examplebucket"), ..request(&h, &q, "PUT", "nelson") };
        assert_eq!(v1_signature("sk", &v1_string_to_sign(&req)), "/afkugFbmWDQ967j1vr6zygBLQk=");
    }

    #[test]
    fn v1_failures() {
        let h = put_headers("OSS AKIDEXAMPLE:c7FB2tIG8RBT14+YKnNBgbyh+N1=");
        let err = authenticate(&request(&h, &[], "PUT", "b.file"), &keys(), "cn-hangzhou", now()).unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (403, "SignatureDoesNotMatch"));
        assert!(err.extra.iter().any(|(k, v)| k == "StringToSign" && v.ends_with("\n/bkt/b.file")));

        let h = put_headers("OSS NOBODY:c7FB2tIG8RBT14+YKnNBgbyh+N0=");
        let err = authenticate(&request(&h, &[], "PUT", "b.file"), &keys(), "cn-hangzhou", now()).unwrap_err();
        assert_eq!(err.code, "InvalidAccessKeyId");

        let h = put_headers("OSS AKIDEXAMPLE:c7FB2tIG8RBT14+YKnNBgbyh+N0=");
        let err = authenticate(&request(&h, &[], "PUT", "b.file"), &keys(), "cn-hangzhou", now() + 901).unwrap_err();
        assert_eq!(err.code, "RequestTimeTooSkewed");

        let err = authenticate(&request(&[], &[], "PUT", "b.file"), &keys(), "cn-hangzhou", now()).unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (403, "AccessDenied"));
    }

    #[test]
    fn v1_sts_token() {
        let sts_keys = vec![Credential { sts_token: Some("STSTOKENEXAMPLE".into()), ..keys().remove(0) }];
        let mut h = headers(&[
            ("Content-Md5", "xTMZXcQlNQMHGhnULwjodw=="),
            ("Content-Type", "application/octet-stream"),
            ("Date", DATE),
            ("x-oss-security-token", "STSTOKENEXAMPLE"),
            ("Authorization", "OSS AKIDEXAMPLE:YqWLZ2CVF4Vaas4rTWyhA5gy2zE="),
        ]);
        assert!(authenticate(&request(&h, &[], "PUT", "b.file"), &sts_keys, "cn-hangzhou", now()).is_ok());
        let err = authenticate(&request(&h, &[], "PUT", "b.file"), &keys(), "cn-hangzhou", now()).unwrap_err();
        assert_eq!(err.code, "InvalidSecurityToken");
        h.remove(3);
        let err = authenticate(&request(&h, &[], "PUT", "b.file"), &sts_keys, "cn-hangzhou", now()).unwrap_err();
        assert_eq!(err.code, "InvalidSecurityToken");
    }

    #[test]
    fn v4_known_answers() {
        let mut h = put_headers("OSS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20221228/cn-hangzhou/oss/aliyun_v4_request,Signature=a0cea5bc9b772f01e957d7b3161a78dd2271955d80fddd5fbbede126fde38398");
        h.push(("x-oss-date".into(), "20221228T102741Z".into()));
        h.push(("x-oss-content-sha256".into(), "UNSIGNED-PAYLOAD".into()));
        let req = request(&h, &[], "PUT", "b.file");
        let canonical = v4_canonical_request(&req, &[], "UNSIGNED-PAYLOAD");
        assert_eq!(
            hex_lower(&Sha256::digest(canonical.as_bytes())),
            "877e94e7bd0b5e5ce3e6d0f1168be7772836b06daf667986781dc450bcba5d0b"
        );
        assert!(authenticate(&req, &keys(), "cn-hangzhou", now()).is_ok());
        let err = authenticate(&req, &keys(), "cn-shanghai", now()).unwrap_err();
        assert_eq!(err.code, "InvalidArgument");

        let h = headers(&[
            ("Date", DATE),
            ("Content-Type", "application/octet-stream"),
            ("x-oss-date", "20221228T102741Z"),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
            ("Authorization", "OSS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20221228/cn-hangzhou/oss/aliyun_v4_request,Signature=ccd0fe15cb13865ec07240007b54788a5f566c6c3c2e27426eb8b68b626a3fcf"),
        ]);
        let q = crate::encoding::parse_query("partNumber=1&uploadId=UPID");
        assert!(authenticate(&request(&h, &q, "PUT", "b.file"), &keys(), "cn-hangzhou", now()).is_ok());
        let q = crate::encoding::parse_query("partNumber=2&uploadId=UPID");
        let err = authenticate(&request(&h, &q, "PUT", "b.file"), &keys(), "cn-hangzhou", now()).unwrap_err();
        assert_eq!(err.code, "SignatureDoesNotMatch");
        assert!(err.extra.iter().any(|(k, v)| k == "CanonicalRequest" && v.contains("partNumber=2&uploadId=UPID")));
    }
}
