//! Signature V4 (`OSS4-HMAC-SHA256`, `docs/php-sdk-behaviour.md` "Signature V4").

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::SignableRequest;
use crate::core::credentials::Credentials;
use crate::core::endpoint::{encode_path, rawurlencode};

type HmacSha256 = Hmac<Sha256>;

/// Region and product that make up the V4 scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// E.g. `cn-hangzhou` (or the cloud box id).
    pub region: String,
    /// `oss`, or `oss-cloudbox` for cloud boxes.
    pub product: String,
}

/// The canonical request (`x-oss-date` and `x-oss-content-sha256` must already be set).
pub fn canonical_request(req: &SignableRequest<'_>) -> String {
    let path = if req.bucket.is_empty() { format!("/{}", req.key) } else { format!("/{}/{}", req.bucket, req.key) };
    let uri = encode_path(&path);
    let mut query: Vec<(String, String)> = req.query.iter().map(|(k, v)| (rawurlencode(k), rawurlencode(v))).collect();
    query.sort();
    let query: Vec<String> =
        query.into_iter().map(|(k, v)| if v.is_empty() { k } else { format!("{k}={v}") }).collect();
    let mut headers: Vec<(String, &str)> = req
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| n == "content-type" || n == "content-md5" || n.starts_with("x-oss-"))
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canonical_headers = String::new();
    for (n, v) in headers {
        canonical_headers.push_str(&format!("{n}:{v}\n"));
    }
    let payload = req.headers.get("x-oss-content-sha256").unwrap_or("UNSIGNED-PAYLOAD");
    format!("{}\n{uri}\n{}\n{canonical_headers}\n\n{payload}", req.method.to_ascii_uppercase(), query.join("&"))
}

/// `OSS4-HMAC-SHA256\n<datetime>\n<scope>\n<hex sha256(canonical request)>`.
pub fn string_to_sign(canonical_request: &str, datetime: &str, scope: &str) -> String {
    format!("OSS4-HMAC-SHA256\n{datetime}\n{scope}\n{}", hex(&Sha256::digest(canonical_request.as_bytes())))
}

/// `<yyyymmdd>/<region>/<product>/aliyun_v4_request`.
pub fn scope_string(date: &str, scope: &Scope) -> String {
    format!("{date}/{}/{}/aliyun_v4_request", scope.region, scope.product)
}

/// The Authorization header value.
pub fn authorization(creds: &Credentials, scope: &Scope, date: &str, string_to_sign: &str) -> String {
    let signature = signature(creds, scope, date, string_to_sign);
    format!("OSS4-HMAC-SHA256 Credential={}/{},Signature={signature}", creds.access_key_id, scope_string(date, scope))
}

/// Hex HMAC-SHA256 of `string_to_sign` with the signing key of `date` (`yyyymmdd`) and `scope`.
pub fn signature(creds: &Credentials, scope: &Scope, date: &str, string_to_sign: &str) -> String {
    let secret = format!("aliyun_v4{}", creds.access_key_secret.expose());
    let k1 = hmac(secret.as_bytes(), date.as_bytes());
    let k2 = hmac(&k1, scope.region.as_bytes());
    let k3 = hmac(&k2, scope.product.as_bytes());
    let k4 = hmac(&k3, b"aliyun_v4_request");
    hex(&hmac(&k4, string_to_sign.as_bytes()))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
