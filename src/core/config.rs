//! Client configuration: string keys (with the aliases PHP and environment users know) parsed and checked in
//! one place, so the C and PHP surfaces stay a thin `set(key, value)`.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::credentials::{Credentials, Secret};
use super::endpoint::Endpoint;
use super::error::{fail, Error, ErrorKind, Result};
use super::http::retry::RetryConfig;
use super::http::{AnswerLimits, TransportConfig};
use super::signing::{Scope, SignatureVersion};

/// A configuration key. Each accepts a few spellings (see [`ConfigKey::parse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKey {
    /// `endpoint`: `http(s)://host[:port]`.
    Endpoint,
    /// `access_key_id`.
    AccessKeyId,
    /// `access_key_secret`.
    AccessKeySecret,
    /// `security_token`: STS token.
    SecurityToken,
    /// `region`: required for V4.
    Region,
    /// `signature_version`: `v1` (default) or `v4`.
    SignatureVersion,
    /// `cloudbox_id`: V4 region for cloud boxes, product `oss-cloudbox`.
    CloudboxId,
    /// `cname`: the endpoint is a custom domain bound to the bucket.
    Cname,
    /// `path_style`: force `endpoint/bucket/key` URLs.
    PathStyle,
    /// `connect_timeout_ms` (default 10000; 0 = no limit).
    ConnectTimeoutMs,
    /// `timeout_ms`: the whole call, every attempt, backoff pause and recovery probe included (default 0 = no
    /// limit). A managed upload's initiate, each part and its complete are calls of their own.
    TimeoutMs,
    /// `attempt_timeout_ms`: one attempt, within the call's `timeout_ms` (default 0 = no limit of its own): with
    /// it, a stalled attempt is retried while the call has time left, and a Complete whose answer is late still has
    /// time to check whether it took effect.
    AttemptTimeoutMs,
    /// `proxy`: proxy URL (default: from `http_proxy`/`https_proxy`/`no_proxy`, as libcurl does).
    Proxy,
    /// `ca_cert_file`: extra PEM CA bundle.
    CaCertFile,
    /// `resolve`: `host=ip[,host=ip…]` pins names to addresses.
    Resolve,
    /// `user_agent`.
    UserAgent,
    /// `max_retries`: retries of requests that are safe to repeat (default 3, 0 = none).
    MaxRetries,
    /// `retry_base_ms`: first backoff ceiling (default 100).
    RetryBaseMs,
    /// `retry_max_backoff_ms`: largest single backoff (default 5000).
    RetryMaxBackoffMs,
    /// `retry_timeout_ms`: no retry starts after this long (default 60000).
    RetryTimeoutMs,
    /// `max_response_bytes`: largest 2xx result read into memory, XML or callback reply (default 8 MiB).
    MaxResponseBytes,
    /// `max_error_body_bytes`: largest error answer body read (default 64 KiB).
    MaxErrorBodyBytes,
    /// `max_object_bytes`: largest object GetObject reads into memory (default 1 GiB).
    MaxObjectBytes,
}

impl ConfigKey {
    /// Parses a key name (case-insensitive; `-` and `_` are interchangeable).
    pub fn parse(name: &str) -> Option<ConfigKey> {
        let n = name.trim().to_ascii_lowercase().replace('-', "_");
        Some(match n.as_str() {
            "endpoint" | "oss_endpoint" => ConfigKey::Endpoint,
            "access_key_id" | "accesskeyid" | "oss_access_key_id" => ConfigKey::AccessKeyId,
            "access_key_secret" | "accesskeysecret" | "oss_access_key_secret" => ConfigKey::AccessKeySecret,
            "security_token" | "securitytoken" | "sts_token" | "oss_session_token" => ConfigKey::SecurityToken,
            "region" | "oss_region" => ConfigKey::Region,
            "signature_version" | "signatureversion" => ConfigKey::SignatureVersion,
            "cloudbox_id" | "cloudboxid" => ConfigKey::CloudboxId,
            "cname" | "is_cname" | "iscname" => ConfigKey::Cname,
            "path_style" | "forcepathstyle" | "force_path_style" => ConfigKey::PathStyle,
            "connect_timeout_ms" => ConfigKey::ConnectTimeoutMs,
            "timeout_ms" => ConfigKey::TimeoutMs,
            "attempt_timeout_ms" => ConfigKey::AttemptTimeoutMs,
            "proxy" | "request_proxy" => ConfigKey::Proxy,
            "ca_cert_file" | "ca_file" => ConfigKey::CaCertFile,
            "resolve" => ConfigKey::Resolve,
            "user_agent" => ConfigKey::UserAgent,
            "max_retries" | "maxretries" => ConfigKey::MaxRetries,
            "retry_base_ms" => ConfigKey::RetryBaseMs,
            "retry_max_backoff_ms" => ConfigKey::RetryMaxBackoffMs,
            "retry_timeout_ms" => ConfigKey::RetryTimeoutMs,
            "max_response_bytes" => ConfigKey::MaxResponseBytes,
            "max_error_body_bytes" => ConfigKey::MaxErrorBodyBytes,
            "max_object_bytes" => ConfigKey::MaxObjectBytes,
            _ => return None,
        })
    }
}

/// Collects raw key/value pairs; every value is checked by [`ConfigBuilder::build`]. Values are held as
/// secrets (wiped on drop) because some of them are.
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    values: Vec<(String, Secret)>,
}

/// A checked configuration.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Parsed endpoint.
    pub endpoint: Endpoint,
    /// Credentials.
    pub credentials: Credentials,
    /// Signature to produce.
    pub signature: SignatureVersion,
    /// Transport settings.
    pub transport: TransportConfig,
    /// Retry settings.
    pub retry: RetryConfig,
}

impl ConfigBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        ConfigBuilder::default()
    }

    /// Records `key = value`; a later value for the same key wins.
    pub fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.values.push((key.to_string(), Secret::new(value)));
        self
    }

    /// What [`ConfigBuilder::build`] depends on, as one text: the settings exactly as recorded, plus the proxy
    /// environment ([`PROXY_ENVIRONMENT`]) it reads when no `proxy` is set. Two builders with the same key build
    /// the same configuration (a `ca_cert_file` aside, whose contents are read by the client), so a cache of
    /// clients can be looked up without building. Length-prefixed, so no two settings lists share a key. Holds
    /// the secrets: wiped on drop, never to be shown.
    pub fn settings_key(&self) -> Secret {
        let environment = PROXY_ENVIRONMENT.map(|name| std::env::var(name).ok());
        let texts = || {
            let settings = self.values.iter().flat_map(|(name, value)| [Some(name.as_str()), Some(value.expose())]);
            settings.chain(environment.iter().map(Option::as_deref))
        };
        // Sized up front: growing would leave copies of the secrets in freed memory.
        let mut key = String::with_capacity(texts().map(|t| t.map_or(1, |t| t.len() + 21)).sum());
        for text in texts() {
            match text {
                Some(text) => {
                    let _ = write!(key, "{}:{text}", text.len());
                }
                None => key.push('-'),
            }
        }
        Secret::new(key)
    }

    /// Checks everything and returns the configuration, or the first problem found.
    pub fn build(&self) -> Result<ClientConfig> {
        let mut raw: Vec<(ConfigKey, &str)> = Vec::new();
        for (k, v) in &self.values {
            let key = ConfigKey::parse(k)
                .ok_or_else(|| Error::new(ErrorKind::InvalidConfig, format!("unknown configuration key {k:?}")))?;
            raw.retain(|(old, _)| *old != key);
            raw.push((key, v.expose()));
        }
        let get = |k: ConfigKey| raw.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);

        let endpoint = get(ConfigKey::Endpoint).unwrap_or("");
        if endpoint.trim().is_empty() {
            return fail(ErrorKind::InvalidConfig, "endpoint is empty");
        }
        let cname = parse_bool(ConfigKey::Cname, get(ConfigKey::Cname))?;
        let path_style = parse_bool(ConfigKey::PathStyle, get(ConfigKey::PathStyle))?;
        let endpoint = Endpoint::parse(endpoint, cname, path_style)?;
        let credentials = Credentials::new(
            get(ConfigKey::AccessKeyId).unwrap_or(""),
            get(ConfigKey::AccessKeySecret).unwrap_or(""),
            get(ConfigKey::SecurityToken),
        )?;
        let signature = match get(ConfigKey::SignatureVersion).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("v1") => SignatureVersion::V1,
            Some("v4") => {
                let region = get(ConfigKey::Region).unwrap_or("").trim();
                let cloudbox = get(ConfigKey::CloudboxId).unwrap_or("").trim();
                let scope = if !cloudbox.is_empty() {
                    Scope { region: cloudbox.to_string(), product: "oss-cloudbox".into() }
                } else if !region.is_empty() {
                    Scope { region: region.to_string(), product: "oss".into() }
                } else {
                    return fail(ErrorKind::InvalidConfig, "region is required for signature version v4");
                };
                if scope.region.contains(['/', '\r', '\n']) {
                    return fail(ErrorKind::InvalidConfig, "region is invalid");
                }
                SignatureVersion::V4(scope)
            }
            Some(other) => {
                return fail(ErrorKind::InvalidConfig, format!("signature_version {other:?} is not v1 or v4"))
            }
        };
        let proxy = match get(ConfigKey::Proxy).map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(p.to_string()),
            None => proxy_from_env(&endpoint, |k| std::env::var(k).ok()),
        };
        let transport = TransportConfig {
            connect_timeout: parse_ms(
                ConfigKey::ConnectTimeoutMs,
                get(ConfigKey::ConnectTimeoutMs),
                Some(Duration::from_secs(10)),
            )?,
            timeout: parse_ms(ConfigKey::TimeoutMs, get(ConfigKey::TimeoutMs), None)?,
            attempt_timeout: parse_ms(ConfigKey::AttemptTimeoutMs, get(ConfigKey::AttemptTimeoutMs), None)?,
            plain_http_only: !endpoint.https && proxy.as_deref().is_none_or(is_plain_http_proxy),
            proxy,
            ca_cert_file: get(ConfigKey::CaCertFile).filter(|p| !p.is_empty()).map(PathBuf::from),
            resolve: parse_resolve(get(ConfigKey::Resolve).unwrap_or(""))?,
            user_agent: match get(ConfigKey::UserAgent) {
                Some(ua) if !ua.contains(['\r', '\n']) => ua.to_string(),
                Some(_) => return fail(ErrorKind::InvalidConfig, "user_agent contains CR or LF"),
                None => format!("ossrs/{}", env!("CARGO_PKG_VERSION")),
            },
            limits: {
                let d = AnswerLimits::default();
                AnswerLimits {
                    result: parse_bytes(ConfigKey::MaxResponseBytes, get(ConfigKey::MaxResponseBytes), d.result)?,
                    error: parse_bytes(ConfigKey::MaxErrorBodyBytes, get(ConfigKey::MaxErrorBodyBytes), d.error)?,
                    object: parse_bytes(ConfigKey::MaxObjectBytes, get(ConfigKey::MaxObjectBytes), d.object)?,
                }
            },
        };
        let defaults = RetryConfig::default();
        let ms = |key: ConfigKey, default: Duration| -> Result<Duration> {
            Ok(parse_ms(key, get(key), Some(default))?.unwrap_or(Duration::ZERO))
        };
        let retry = RetryConfig {
            max_retries: match get(ConfigKey::MaxRetries).map(str::trim) {
                None | Some("") => defaults.max_retries,
                Some(v) => v.parse::<u32>().ok().filter(|n| *n <= 100).ok_or_else(|| {
                    Error::new(ErrorKind::InvalidConfig, format!("max_retries expects 0..=100, got {v:?}"))
                })?,
            },
            base: ms(ConfigKey::RetryBaseMs, defaults.base)?,
            max_backoff: ms(ConfigKey::RetryMaxBackoffMs, defaults.max_backoff)?,
            timeout: ms(ConfigKey::RetryTimeoutMs, defaults.timeout)?,
        };
        Ok(ClientConfig { endpoint, credentials, signature, transport, retry })
    }
}

/// The environment variables [`proxy_from_env`] reads.
pub const PROXY_ENVIRONMENT: [&str; 7] =
    ["no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"];

/// True for a proxy reached without TLS: `http://host:port`, or `host:port` (which reqwest takes as http).
fn is_plain_http_proxy(proxy: &str) -> bool {
    match proxy.find("://") {
        Some(i) => proxy[..i].eq_ignore_ascii_case("http"),
        None => true,
    }
}

/// The proxy libcurl (and so the official SDK) would use: `http_proxy` for http endpoints (lower case only, as
/// curl does, so a CGI `Proxy:` request header cannot inject one), `https_proxy`/`HTTPS_PROXY` for https, then
/// `all_proxy`/`ALL_PROXY`; none when `no_proxy`/`NO_PROXY` is `*` or names the host or a parent domain.
pub fn proxy_from_env(endpoint: &Endpoint, env: impl Fn(&str) -> Option<String>) -> Option<String> {
    let host = endpoint.host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let no_proxy = env("no_proxy").or_else(|| env("NO_PROXY")).unwrap_or_default();
    let bypass = no_proxy
        .split(',')
        .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
        .any(|e| e == "*" || (!e.is_empty() && (host == e || host.ends_with(&format!(".{e}")))));
    if bypass {
        return None;
    }
    let names: &[&str] = if endpoint.https {
        &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    } else {
        &["http_proxy", "all_proxy", "ALL_PROXY"]
    };
    names.iter().filter_map(|n| env(n)).map(|v| v.trim().to_string()).find(|v| !v.is_empty())
}

fn parse_bool(key: ConfigKey, v: Option<&str>) -> Result<bool> {
    match v.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("0") | Some("false") | Some("no") | Some("off") => Ok(false),
        Some("1") | Some("true") | Some("yes") | Some("on") => Ok(true),
        Some(other) => fail(ErrorKind::InvalidConfig, format!("{key:?} expects true or false, got {other:?}")),
    }
}

fn parse_ms(key: ConfigKey, v: Option<&str>, default: Option<Duration>) -> Result<Option<Duration>> {
    match v.map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => match s.parse::<u64>() {
            Ok(0) => Ok(None),
            Ok(ms) => Ok(Some(Duration::from_millis(ms))),
            Err(_) => fail(ErrorKind::InvalidConfig, format!("{key:?} expects milliseconds, got {s:?}")),
        },
    }
}

fn parse_bytes(key: ConfigKey, v: Option<&str>, default: u64) -> Result<u64> {
    match v.map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => s.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            Error::new(ErrorKind::InvalidConfig, format!("{key:?} expects a number of bytes above 0, got {s:?}"))
        }),
    }
}

fn parse_resolve(v: &str) -> Result<Vec<(String, IpAddr)>> {
    v.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|entry| {
            let (host, ip) = entry.split_once('=').ok_or_else(|| {
                Error::new(ErrorKind::InvalidConfig, format!("resolve entry {entry:?} is not host=ip"))
            })?;
            let ip = ip.trim().parse::<IpAddr>().map_err(|_| {
                Error::new(ErrorKind::InvalidConfig, format!("resolve entry {entry:?} has no valid IP"))
            })?;
            Ok((host.trim().to_string(), ip))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::endpoint::HostType;

    fn builder(pairs: &[(&str, &str)]) -> ConfigBuilder {
        let mut b = ConfigBuilder::new();
        for (k, v) in pairs {
            b.set(k, v);
        }
        b
    }

    #[test]
    fn only_clients_that_cannot_use_tls_leave_the_system_store_unread() {
        let plain = |endpoint: &str, proxy: &str| {
            let pairs = [("endpoint", endpoint), ("access_key_id", "a"), ("access_key_secret", "s"), ("proxy", proxy)];
            builder(&pairs).build().unwrap().transport.plain_http_only
        };
        assert!(plain("http://127.0.0.1:9000", "http://proxy:3128"));
        assert!(plain("oss-cn-hangzhou.aliyuncs.com", "HTTP://proxy:3128"));
        assert!(plain("http://h", "proxy:3128"));
        assert!(!plain("https://h", "http://proxy:3128"));
        assert!(!plain("http://h", "https://proxy:443"));
        assert!(!plain("http://h", "socks5://proxy:1080"));
    }

    #[test]
    fn minimal_and_aliases() {
        let c = builder(&[("endpoint", "http://127.0.0.1:1"), ("accessKeyId", "ak"), ("OSS_ACCESS_KEY_SECRET", "sk")])
            .build()
            .unwrap();
        assert_eq!(c.endpoint.host_type, HostType::Ip);
        assert_eq!(c.signature, SignatureVersion::V1);
        assert_eq!(c.transport.connect_timeout, Some(Duration::from_secs(10)));
        assert_eq!(c.transport.timeout, None);
        assert_eq!(c.transport.limits, AnswerLimits::default());
    }

    #[test]
    fn answer_limits() {
        let base = [("endpoint", "http://127.0.0.1:1"), ("access_key_id", "ak"), ("access_key_secret", "sk")];
        let with = |k: &'static str, v: &'static str| {
            let mut pairs = base.to_vec();
            pairs.push((k, v));
            builder(&pairs).build()
        };
        let c = with("max_response_bytes", "1024").unwrap();
        assert_eq!(c.transport.limits.result, 1024);
        assert_eq!(with("max_error_body_bytes", " 7 ").unwrap().transport.limits.error, 7);
        assert_eq!(with("max_object_bytes", "1").unwrap().transport.limits.object, 1);
        for bad in ["0", "-1", "1k", "18446744073709551616"] {
            let e = with("max_object_bytes", bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{bad}");
            assert!(e.message().contains("MaxObjectBytes"), "{e}");
        }
    }

    #[test]
    fn v4_needs_a_region() {
        let base = [
            ("endpoint", "oss.example.com"),
            ("access_key_id", "ak"),
            ("access_key_secret", "sk"),
            ("signature_version", "v4"),
        ];
        assert_eq!(builder(&base).build().unwrap_err().kind(), ErrorKind::InvalidConfig);
        let mut b = builder(&base);
        b.set("region", "cn-hangzhou");
        assert_eq!(
            b.build().unwrap().signature,
            SignatureVersion::V4(Scope { region: "cn-hangzhou".into(), product: "oss".into() })
        );
        b.set("cloudBoxId", "cb-1");
        assert_eq!(
            b.build().unwrap().signature,
            SignatureVersion::V4(Scope { region: "cb-1".into(), product: "oss-cloudbox".into() })
        );
    }

    #[test]
    fn errors_name_the_problem_without_the_secret() {
        let e =
            builder(&[("endpoint", "h"), ("access_key_id", "ak"), ("access_key_secret", "TOPSECRET"), ("bogus", "1")])
                .build()
                .unwrap_err();
        assert!(e.message().contains("bogus") && !e.message().contains("TOPSECRET"));
        let e =
            builder(&[("endpoint", "h"), ("access_key_id", "ak"), ("access_key_secret", "s"), ("timeout_ms", "soon")])
                .build()
                .unwrap_err();
        assert!(e.message().contains("milliseconds"));
        let e = builder(&[("endpoint", "h"), ("access_key_id", "ak"), ("access_key_secret", "s"), ("cname", "maybe")])
            .build()
            .unwrap_err();
        assert!(e.message().contains("true or false"));
        assert_eq!(builder(&[("access_key_id", "ak")]).build().unwrap_err().message(), "endpoint is empty");
        let e = builder(&[
            ("endpoint", "h"),
            ("access_key_id", "ak"),
            ("access_key_secret", "s"),
            ("resolve", "bkt.localhost=nope"),
        ])
        .build()
        .unwrap_err();
        assert!(e.message().contains("resolve"));
    }

    #[test]
    fn proxies_come_from_the_environment_like_curl() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let http = Endpoint::parse("http://oss-cn-hangzhou.aliyuncs.com", false, false).unwrap();
        let https = Endpoint::parse("https://oss-cn-hangzhou.aliyuncs.com", false, false).unwrap();
        assert_eq!(proxy_from_env(&http, env(&[("http_proxy", "http://p:1")])), Some("http://p:1".into()));
        assert_eq!(
            proxy_from_env(&http, env(&[("HTTP_PROXY", "http://p:1")])),
            None,
            "upper-case HTTP_PROXY is ignored (httpoxy)"
        );
        assert_eq!(proxy_from_env(&https, env(&[("HTTPS_PROXY", "http://p:2")])), Some("http://p:2".into()));
        assert_eq!(proxy_from_env(&https, env(&[("http_proxy", "http://p:1")])), None);
        assert_eq!(
            proxy_from_env(&http, env(&[("http_proxy", "http://p:1"), ("no_proxy", "localhost,.aliyuncs.com")])),
            None
        );
        assert_eq!(
            proxy_from_env(&http, env(&[("all_proxy", "http://p:3"), ("NO_PROXY", "example.com")])),
            Some("http://p:3".into())
        );
        assert_eq!(proxy_from_env(&http, env(&[("http_proxy", "http://p:1"), ("no_proxy", "*")])), None);
    }

    #[test]
    fn later_values_win() {
        let c = builder(&[
            ("endpoint", "a.com"),
            ("endpoint", "127.0.0.1"),
            ("access_key_id", "ak"),
            ("access_key_secret", "s"),
            ("resolve", "bkt.localhost=127.0.0.1"),
        ])
        .build()
        .unwrap();
        assert_eq!(c.endpoint.host, "127.0.0.1");
        assert_eq!(c.transport.resolve, vec![("bkt.localhost".to_string(), "127.0.0.1".parse().unwrap())]);
    }
}
