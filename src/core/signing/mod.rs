//! Request signing as pure functions: a request description, credentials and an injected clock go in,
//! headers (Date, token, Authorization) come out. No I/O.

pub mod post_policy;
pub mod presign;
pub mod v1;
pub mod v4;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::credentials::Credentials;
use super::http::Headers;
pub use v4::Scope;

/// 9999-12-31T23:59:59Z in seconds since the epoch: the last instant an HTTP date (RFC 9110) can express.
const LAST_HTTP_DATE: u64 = 253_402_300_799;

/// Which signature to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureVersion {
    /// HMAC-SHA1 (the SDK default).
    V1,
    /// OSS4-HMAC-SHA256 with its scope.
    V4(Scope),
}

/// What the signer needs to know about a request. `query` holds decoded names and values.
#[derive(Debug)]
pub struct SignableRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Bucket, empty for service requests.
    pub bucket: &'a str,
    /// Raw object key, empty for bucket requests.
    pub key: &'a str,
    /// Query parameters (decoded).
    pub query: &'a [(String, String)],
    /// Headers; the signer adds its own.
    pub headers: &'a mut Headers,
}

/// Signs `req` in place: adds `Date` when absent (from `now`), then the version's own headers, the STS token
/// and `Authorization`. Returns the string that was signed (useful for diagnostics; it holds no secret).
pub fn sign(req: &mut SignableRequest<'_>, creds: &Credentials, version: &SignatureVersion, now: SystemTime) -> String {
    // An HTTP date cannot go past 9999-12-31T23:59:59Z and `fmt_http_date` panics beyond it; a clock that far
    // off is broken anyway (OSS answers RequestTimeTooSkewed), so sign with the last expressible instant.
    let now = now.min(UNIX_EPOCH + Duration::from_secs(LAST_HTTP_DATE));
    req.headers.set_default("Date", httpdate::fmt_http_date(now));
    let token = creds.security_token.as_ref().map(|t| t.expose().to_string());
    match version {
        SignatureVersion::V1 => {
            if let Some(t) = token {
                req.headers.set("x-oss-security-token", t);
            }
            let sts = v1::string_to_sign(req);
            req.headers.set("Authorization", v1::authorization(creds, &sts));
            sts
        }
        SignatureVersion::V4(scope) => {
            let when = req.headers.get("Date").and_then(|d| httpdate::parse_http_date(d).ok()).unwrap_or(now);
            let datetime = v4_datetime(when);
            let date = datetime[..8].to_string();
            req.headers.set("x-oss-date", datetime.clone());
            req.headers.set_default("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
            if let Some(t) = token {
                req.headers.set("x-oss-security-token", t);
            }
            let canonical = v4::canonical_request(req);
            let sts = v4::string_to_sign(&canonical, &datetime, &v4::scope_string(&date, scope));
            req.headers.set("Authorization", v4::authorization(creds, scope, &date, &sts));
            sts
        }
    }
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
pub fn v4_datetime(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `YYYY-MM-DDTHH:MM:SS.000Z` in UTC (a PostObject policy's expiration).
pub fn iso8601(t: SystemTime) -> String {
    let v4 = v4_datetime(t);
    format!("{}-{}-{}T{}:{}:{}.000Z", &v4[..4], &v4[4..6], &v4[6..8], &v4[9..11], &v4[11..13], &v4[13..15])
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests;
