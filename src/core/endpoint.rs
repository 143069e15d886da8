//! Endpoint parsing and URL building (`docs/php-sdk-behaviour.md` "Endpoints and addressing").
//!
//! Differences from the official SDK, on purpose: the scheme is matched case-insensitively (the SDK silently
//! downgrades `HTTPS://` to plain http), and a scheme other than http/https is an error instead of being
//! dropped.

use std::cmp::Ordering;
use std::net::Ipv4Addr;

use super::error::{fail, ErrorKind, Result};

/// How the bucket is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostType {
    /// Virtual-hosted: `bucket.endpoint/key`.
    Normal,
    /// The endpoint is an IPv4 address: `endpoint/bucket/key`.
    Ip,
    /// A custom domain bound to one bucket: `endpoint/key`.
    Cname,
    /// Forced path style: `endpoint/bucket/key`.
    PathStyle,
}

/// A parsed endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `https` when true, `http` otherwise.
    pub https: bool,
    /// Host name with `:port` when one was given.
    pub host: String,
    /// Addressing style.
    pub host_type: HostType,
}

impl Endpoint {
    /// Parses `endpoint` the way the SDK does; `cname` and `path_style` select the host type
    /// (`path_style` wins over both cname and IP detection).
    pub fn parse(endpoint: &str, cname: bool, path_style: bool) -> Result<Endpoint> {
        let trimmed = endpoint.trim().trim_matches('/');
        let (https, rest) = match trimmed.find("://") {
            Some(i) => match trimmed[..i].to_ascii_lowercase().as_str() {
                "http" => (false, &trimmed[i + 3..]),
                "https" => (true, &trimmed[i + 3..]),
                other => {
                    return fail(
                        ErrorKind::InvalidEndpoint,
                        format!("endpoint is invalid:{endpoint} (unsupported scheme {other:?})"),
                    )
                }
            },
            None => (false, trimmed),
        };
        let mut host = rest;
        for cut in ['#', '?', '/'] {
            if let Some(i) = host.find(cut) {
                host = &host[..i];
            }
        }
        if let Some(i) = host.find('@') {
            host = &host[i + 1..];
        }
        if !valid_host_port(host) {
            return fail(ErrorKind::InvalidEndpoint, format!("endpoint is invalid:{endpoint}"));
        }
        let name = host.split(':').next().unwrap_or(host);
        let host_type = if path_style {
            HostType::PathStyle
        } else if cname {
            HostType::Cname
        } else if name.parse::<Ipv4Addr>().is_ok() {
            HostType::Ip
        } else {
            HostType::Normal
        };
        Ok(Endpoint { https, host: host.to_string(), host_type })
    }

    /// The URL path for `bucket` / `key` (`key` may be empty for bucket-level requests).
    pub fn path_for(&self, bucket: &str, key: &str) -> String {
        let mut path = String::with_capacity(bucket.len() + key.len() + 2);
        self.push_path(&mut path, bucket, key);
        path
    }

    /// The full URL, `query` already encoded (see [`query_string`]).
    pub fn url_for(&self, bucket: &str, key: &str, query: &str) -> String {
        let mut url = String::with_capacity(16 + self.host.len() + bucket.len() + key.len() + query.len());
        url.push_str(if self.https { "https://" } else { "http://" });
        if self.host_type == HostType::Normal && !bucket.is_empty() {
            url.push_str(bucket);
            url.push('.');
        }
        url.push_str(&self.host);
        self.push_path(&mut url, bucket, key);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        url
    }

    fn push_path(&self, out: &mut String, bucket: &str, key: &str) {
        out.push('/');
        if matches!(self.host_type, HostType::Ip | HostType::PathStyle) && !bucket.is_empty() {
            out.push_str(bucket);
            out.push('/');
        }
        push_encoded(out, key, true);
    }
}

fn valid_host_port(s: &str) -> bool {
    let (name, port) = match s.split_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (s, None),
    };
    let name_ok =
        !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    name_ok && port_ok
}

/// PHP `rawurlencode`: every byte except `A-Za-z0-9-_.~` becomes `%XX` (upper-case hex).
pub fn rawurlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_encoded(&mut out, s, false);
    out
}

/// Object keys in paths: `rawurlencode` with `/` kept.
pub fn encode_path(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    push_encoded(&mut out, key, true);
    out
}

/// Appends `s` rawurlencoded to `out`, `/` kept as it is when `keep_slash`.
fn push_encoded(out: &mut String, s: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.extend(['%', HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char]);
        }
    }
}

/// The URL query string: keys sorted with PHP's `strnatcasecmp`, keys and values rawurlencoded,
/// a pair with an empty value written as the bare key.
pub fn query_string(params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| natural_case_cmp(&a.0, &b.0));
    let parts: Vec<String> = sorted
        .iter()
        .map(|(k, v)| if v.is_empty() { rawurlencode(k) } else { format!("{}={}", rawurlencode(k), rawurlencode(v)) })
        .collect();
    parts.join("&")
}

/// Natural, case-insensitive order (`part2` < `part10`, `acl` < `B`).
fn natural_case_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (na, nb) = (trim_zeros(&a[si..i]), trim_zeros(&b[sj..j]));
            let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if ord != Ordering::Equal {
                return ord;
            }
        } else {
            let ord = a[i].to_ascii_lowercase().cmp(&b[j].to_ascii_lowercase());
            if ord != Ordering::Equal {
                return ord;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let start = d.iter().position(|&c| c != b'0').unwrap_or(d.len());
    &d[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(s: &str) -> Endpoint {
        Endpoint::parse(s, false, false).unwrap()
    }

    #[test]
    fn schemes_and_hosts() {
        assert_eq!(ep("http://oss-cn-hangzhou.aliyuncs.com").host_type, HostType::Normal);
        assert!(!ep("http://oss-cn-hangzhou.aliyuncs.com").https);
        assert!(ep("https://oss-cn-hangzhou.aliyuncs.com").https);
        assert!(ep("HTTPS://x.com").https, "upper-case scheme keeps TLS, unlike the SDK");
        assert_eq!(ep("oss-cn-hangzhou.aliyuncs.com").host, "oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(ep(" http://127.0.0.1:18555/ ").host, "127.0.0.1:18555");
        assert_eq!(ep("http://127.0.0.1:18555").host_type, HostType::Ip);
        assert_eq!(ep("http://user:pw@h.com:80/p?q#f").host, "h.com:80");
        assert_eq!(ep("my_host.internal").host, "my_host.internal");
        assert_eq!(Endpoint::parse("127.0.0.1", true, false).unwrap().host_type, HostType::Cname);
        assert_eq!(Endpoint::parse("cdn.x.com", true, true).unwrap().host_type, HostType::PathStyle);
    }

    #[test]
    fn invalid_endpoints() {
        for bad in ["", "[::1]:8080", "ftp://h", "h:port", "a b", "h:"] {
            let e = Endpoint::parse(bad, false, false).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidEndpoint, "{bad}");
        }
        assert_eq!(Endpoint::parse("a b", false, false).unwrap_err().message(), "endpoint is invalid:a b");
    }

    #[test]
    fn urls_for_each_host_type() {
        let key = "dir/测试 file+1.txt";
        assert_eq!(
            ep("http://127.0.0.1:18555").url_for("bkt", key, ""),
            "http://127.0.0.1:18555/bkt/dir/%E6%B5%8B%E8%AF%95%20file%2B1.txt"
        );
        assert_eq!(ep("http://localhost:18555").url_for("bkt", "b.file", ""), "http://bkt.localhost:18555/b.file");
        assert_eq!(ep("https://oss.example.com").url_for("bkt", "", "uploads"), "https://bkt.oss.example.com/?uploads");
        let cname = Endpoint::parse("http://cdn.example.com", true, false).unwrap();
        assert_eq!(cname.url_for("bkt", "a.txt", ""), "http://cdn.example.com/a.txt");
        let path = Endpoint::parse("http://oss.example.com", false, true).unwrap();
        assert_eq!(path.url_for("bkt", "a.txt", ""), "http://oss.example.com/bkt/a.txt");
        assert_eq!(path.url_for("bkt", "", ""), "http://oss.example.com/bkt/");
    }

    #[test]
    fn query_order_is_natural_and_case_insensitive() {
        let p = |k: &str, v: &str| (k.to_string(), v.to_string());
        let q = query_string(&[
            p("uploads", ""),
            p("uploadId", "U 1"),
            p("part10", "x"),
            p("partNumber", "1"),
            p("B", ""),
            p("part2", ""),
            p("acl", ""),
            p("a", ""),
        ]);
        assert_eq!(q, "a&acl&B&part2&part10=x&partNumber=1&uploadId=U%201&uploads");
    }
}
