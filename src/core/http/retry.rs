//! Retries with capped exponential backoff and full jitter, bounded by a number of retries and a total time.
//! Only requests that are safe to repeat are retried (the caller decides), and only on transient failures:
//! connection errors, timeouts, 5xx, 429 and 408 answers. Each attempt is signed afresh.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::core::error::{Error, ErrorKind};

/// Retry settings (keys `max_retries`, `retry_base_ms`, `retry_max_backoff_ms`, `retry_timeout_ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Retries after the first attempt (0 = never retry). Default 3, as the official SDK.
    pub max_retries: u32,
    /// First backoff ceiling. Default 100 ms.
    pub base: Duration,
    /// Largest single backoff. Default 5 s.
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the first attempt. Default 60 s.
    pub timeout: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            base: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            timeout: Duration::from_secs(60),
        }
    }
}

/// True for failures worth another attempt of a request that is safe to repeat.
pub fn is_transient(e: &Error) -> bool {
    if e.retry_forbidden() {
        return false;
    }
    match e.kind() {
        ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Transport => true,
        ErrorKind::Service => e.service_error().is_some_and(|s| matches!(s.response.status, 500..=599 | 429 | 408)),
        _ => false,
    }
}

/// The pause before retry number `retry` (1-based): uniform in `[0, min(max_backoff, base × 2^(retry-1))]`.
pub fn backoff(cfg: &RetryConfig, retry: u32, random: u64) -> Duration {
    let ceiling = cfg.base.saturating_mul(1u32 << (retry - 1).min(20)).min(cfg.max_backoff);
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(if nanos == 0 { 0 } else { random % (nanos + 1) })
}

/// A cheap random number for jitter (no cryptographic use).
pub fn jitter_seed() -> u64 {
    let t = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut x = t ^ 0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id());
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ServiceError;
    use crate::core::http::Response;

    fn service(status: u16) -> Error {
        let response = Response { status, ..Response::default() };
        Error::service(
            ErrorKind::Service,
            ServiceError { code: String::new(), message: String::new(), host_id: String::new(), response },
        )
    }

    #[test]
    fn classification() {
        for s in [500, 503, 429, 408] {
            assert!(is_transient(&service(s)), "{s}");
        }
        for s in [400, 403, 404] {
            assert!(!is_transient(&service(s)), "{s}");
        }
        assert!(is_transient(&Error::new(ErrorKind::Connect, "x")));
        assert!(!is_transient(&Error::new(ErrorKind::CallbackFailed, "x")));
        assert!(!is_transient(&Error::new(ErrorKind::InvalidArgument, "x")));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let cfg = RetryConfig::default();
        assert_eq!(backoff(&cfg, 1, u64::MAX - 1), Duration::from_nanos((u64::MAX - 1) % 100_000_001));
        assert!(backoff(&cfg, 3, 399_999_999) <= Duration::from_millis(400));
        assert_eq!(backoff(&cfg, 3, 400_000_000), Duration::from_millis(400));
        assert!(backoff(&cfg, 30, u64::MAX) <= Duration::from_secs(5));
        assert_eq!(backoff(&cfg, 2, 0), Duration::ZERO);
    }
}
