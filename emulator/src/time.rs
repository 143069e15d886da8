//! Calendar arithmetic for the date formats OSS uses (no external date crate).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    unix(SystemTime::now())
}

/// Seconds since the Unix epoch for `t` (negative before 1970).
pub fn unix(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` for a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// ISO 8601 UTC with milliseconds, e.g. `2022-12-28T10:27:41.000Z` (XML listings, log timestamps).
pub fn iso8601_millis(t: SystemTime) -> String {
    let (secs, millis) = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_millis()),
        Err(_) => (0, 0),
    };
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!("{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z", sod / 3600, sod / 60 % 60, sod % 60)
}

/// ISO 8601 UTC with milliseconds for a Unix timestamp in seconds.
pub fn iso8601_secs(secs: i64) -> String {
    let t = if secs >= 0 { UNIX_EPOCH + std::time::Duration::from_secs(secs as u64) } else { UNIX_EPOCH };
    iso8601_millis(t)
}

/// Parses the V4 `x-oss-date` form `yyyymmddTHHMMSSZ` into Unix seconds.
pub fn parse_v4_datetime(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + se)
}

/// Parses an RFC 1123 HTTP date (`Wed, 28 Dec 2022 10:27:41 GMT`) into Unix seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    httpdate::parse_http_date(s.trim()).ok().map(unix)
}

/// The current time as an HTTP `Date` header value.
pub fn http_date_now() -> String {
    httpdate::fmt_http_date(SystemTime::now())
}

/// A Unix timestamp as an HTTP date (`Last-Modified`).
pub fn http_date(secs: i64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(secs.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates() {
        let secs = parse_v4_datetime("20221228T102741Z").unwrap();
        assert_eq!(secs, parse_http_date("Wed, 28 Dec 2022 10:27:41 GMT").unwrap());
        assert_eq!(iso8601_secs(secs), "2022-12-28T10:27:41.000Z");
        assert_eq!(parse_v4_datetime("20221328T102741Z"), None);
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
    }
}
