//! Presigned URLs (`docs/presigned-urls.md`): the signature travels in the query, so whoever holds the URL can
//! make that one request until it expires. V1: the expiry epoch replaces Date in the string to sign and
//! `OSSAccessKeyId`, `Expires`, `Signature` are added. V4: `x-oss-signature-version`, `x-oss-credential`,
//! `x-oss-date`, `x-oss-expires` (seconds, at most 7 days) are signed in the canonical query and `x-oss-signature`
//! added. An STS token is a signed query parameter (`security-token`, V4 `x-oss-security-token`). Headers given
//! here (Content-Type, Content-MD5, `x-oss-*`) are signed: the request made with the URL must send them.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{v1, v4, v4_datetime, SignableRequest, SignatureVersion};
use crate::core::credentials::Credentials;
use crate::core::endpoint::query_string;
use crate::core::error::{fail, ErrorKind, Result};
use crate::core::http::Headers;

/// The longest a V4 presigned URL may live, in seconds (7 days).
pub const MAX_V4_EXPIRES: u64 = 7 * 24 * 3600;

/// One request to presign.
#[derive(Debug)]
pub struct Presign<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Bucket.
    pub bucket: &'a str,
    /// Raw object key.
    pub key: &'a str,
    /// Signed headers the request must carry.
    pub headers: Headers,
    /// Query parameters of the request (`response-*`, `x-oss-process`, …), decoded.
    pub query: Vec<(String, String)>,
    /// Expiry, Unix seconds.
    pub expires: u64,
}

/// The presigned URL for `p`: `url` is the request URL without a query, `now` the signing time.
pub fn presign(
    p: Presign<'_>,
    url: &str,
    creds: &Credentials,
    version: &SignatureVersion,
    now: SystemTime,
) -> Result<String> {
    let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if p.expires <= now_secs {
        return fail(ErrorKind::InvalidArgument, format!("the expiration {} is not in the future", p.expires));
    }
    let Presign { method, bucket, key, mut headers, mut query, expires } = p;
    match version {
        SignatureVersion::V1 => {
            if let Some(t) = &creds.security_token {
                query.push(("security-token".into(), t.expose().to_string()));
            }
            headers.set("Date", expires.to_string());
            let req = SignableRequest { method, bucket, key, query: &query, headers: &mut headers };
            let sts = v1::string_to_sign(&req);
            let auth = v1::authorization(creds, &sts);
            let signature = auth.rsplit_once(':').map_or("", |(_, s)| s).to_string();
            query.push(("OSSAccessKeyId".into(), creds.access_key_id.clone()));
            query.push(("Expires".into(), expires.to_string()));
            query.push(("Signature".into(), signature));
        }
        SignatureVersion::V4(scope) => {
            let lifetime = expires - now_secs;
            if lifetime > MAX_V4_EXPIRES {
                return fail(
                    ErrorKind::InvalidArgument,
                    format!("a V4 presigned URL lives at most {MAX_V4_EXPIRES} s (7 days), not {lifetime} s"),
                );
            }
            let datetime = v4_datetime(now);
            let date = &datetime[..8];
            if let Some(t) = &creds.security_token {
                query.push(("x-oss-security-token".into(), t.expose().to_string()));
            }
            query.push(("x-oss-signature-version".into(), "OSS4-HMAC-SHA256".into()));
            query.push(("x-oss-date".into(), datetime.clone()));
            query.push(("x-oss-expires".into(), lifetime.to_string()));
            query.push((
                "x-oss-credential".into(),
                format!("{}/{}", creds.access_key_id, v4::scope_string(date, scope)),
            ));
            let req = SignableRequest { method, bucket, key, query: &query, headers: &mut headers };
            let canonical = v4::canonical_request(&req);
            let sts = v4::string_to_sign(&canonical, &datetime, &v4::scope_string(date, scope));
            let auth = v4::authorization(creds, scope, date, &sts);
            let signature = auth.rsplit_once("Signature=").map_or("", |(_, s)| s).to_string();
            query.push(("x-oss-signature".into(), signature));
        }
    }
    Ok(format!("{url}?{}", query_string(&query)))
}
