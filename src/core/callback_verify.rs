//! Verifying the upload callbacks OSS sends to an application (`docs/oss-callbacks.md` "Verifying a callback").
//!
//! OSS signs each callback with an RSA key: `authorization = base64(RSA-PKCS#1-v1.5-MD5(url_decode(path) +
//! ["?" + query] + "\n" + body))`, and names the public key's location in `x-oss-pub-key-url` (base64). A
//! [`CallbackVerifier`] checks that location against a list of allowed prefixes *before* fetching anything,
//! fetches the PEM once per URL (cached, bounded, shared by the verifiers of the process), and checks the
//! signature. Keys are fetched directly (no proxy, no redirects) with a 4-second limit; apps that pin the key
//! ([`CallbackVerifier::set_public_key_pem`]) never fetch.
//!
//! MD5 and 512-bit keys are what OSS uses, so both are accepted here (the RustCrypto `rsa` crate; `ring`
//! refuses both). Only public-key operations are done, so the `rsa` crate's timing advisory (RUSTSEC-2023-0071,
//! about decryption and signing with private keys) does not apply.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};
use once_cell::sync::Lazy;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};

use super::error::{fail, Error, ErrorKind, Result};
use super::http::{Answer, AnswerLimits, Body, Headers, Reading, Transport, TransportConfig};

/// The key URL prefixes OSS documents: the key must come from Alibaba's `gosspublic.alicdn.com`.
pub const DEFAULT_KEY_URL_PREFIXES: [&str; 2] = ["http://gosspublic.alicdn.com/", "https://gosspublic.alicdn.com/"];

/// How long connecting to the key server may take.
const FETCH_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Largest answer read from a public key URL.
const KEY_ANSWER_LIMIT: u64 = 64 << 10;
/// How long a whole key fetch may take (OSS gives the callback server 5 s to answer).
const FETCH_TIMEOUT: Duration = Duration::from_secs(4);
/// Keys kept by the process-wide cache.
const GLOBAL_CACHE_CAPACITY: usize = 16;
/// How long a fetched key is trusted before it is fetched again.
const GLOBAL_CACHE_TTL: Duration = Duration::from_secs(3600);

/// One callback request as the application received it.
#[derive(Debug, Clone, Copy)]
pub struct CallbackRequest<'a> {
    /// The request path as it arrived, still percent-encoded, without the query (`/cb%20x.php`).
    pub path: &'a str,
    /// The raw query without the leading `?`; `None` or `""` when the URL has none.
    pub query: Option<&'a str>,
    /// The body exactly as received (never re-serialized).
    pub body: &'a [u8],
    /// The `authorization` header: base64 of the signature.
    pub authorization: &'a str,
    /// The `x-oss-pub-key-url` header as received (base64 of the key URL); `None` when absent. Not needed when
    /// the verifier has a pinned key.
    pub pub_key_url: Option<&'a str>,
}

/// The bytes OSS signs: `url_decode(path) + ["?" + query] + "\n" + body`, `url_decode` as PHP's `urldecode`
/// (`+` is a space, `%XY` a byte, anything else kept).
pub fn string_to_sign(path: &str, query: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut msg = url_decode(path);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        msg.push(b'?');
        msg.extend_from_slice(q.as_bytes());
    }
    msg.push(b'\n');
    msg.extend_from_slice(body);
    msg
}

fn url_decode(s: &str) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Decodes the `x-oss-pub-key-url` header (base64 of a URL).
///
/// Errors: [`ErrorKind::CallbackMalformed`] when it is empty, not base64 or not UTF-8 text.
pub fn decode_pub_key_url(header: &str) -> Result<String> {
    let header = header.trim();
    if header.is_empty() {
        return fail(ErrorKind::CallbackMalformed, "the x-oss-pub-key-url header is missing or empty");
    }
    let raw = B64.decode(header).map_err(|e| {
        Error::new(ErrorKind::CallbackMalformed, format!("the x-oss-pub-key-url header is not base64 ({e})"))
    })?;
    String::from_utf8(raw)
        .map_err(|_| Error::new(ErrorKind::CallbackMalformed, "the x-oss-pub-key-url header does not decode to text"))
}

/// Parses a public key: `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo, what OSS serves) or `BEGIN RSA PUBLIC KEY`.
fn parse_pem(pem: &str) -> std::result::Result<RsaPublicKey, String> {
    let pem = pem.trim();
    RsaPublicKey::from_public_key_pem(pem)
        .or_else(|e| RsaPublicKey::from_pkcs1_pem(pem).map_err(|_| e.to_string()))
        .map_err(|e| format!("not a PEM RSA public key ({e})"))
}

/// An allowed key URL prefix, split once: `scheme://host` must be a whole host (so `http://example.com` does
/// not admit `http://example.com.evil.net/`).
#[derive(Debug, Clone)]
struct KeyUrlPrefix {
    text: String,
    host: String,
}

/// `scheme://authority…` of a key URL or prefix: the host (without port, lower-cased) and whether the authority
/// is complete (followed by `/`). `None` when the scheme is not http(s) or the authority is suspicious (user
/// info, characters a host or port cannot hold).
fn split_authority(url: &str) -> Option<(String, bool)> {
    let lower = url.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let rest = if lower.starts_with("http://") {
        &url[7..]
    } else if lower.starts_with("https://") {
        &url[8..]
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, complete) = (&rest[..end], rest[end..].starts_with('/'));
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let close = v6.find(']')?;
            let after = &v6[close + 1..];
            (&authority[..close + 2], if after.is_empty() { None } else { Some(after.strip_prefix(':')?) })
        }
        None => match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'));
    let port_ok = port.is_none_or(|p| p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (host_ok && port_ok).then(|| (host.to_ascii_lowercase(), complete))
}

impl KeyUrlPrefix {
    fn parse(prefix: &str) -> Result<KeyUrlPrefix> {
        match split_authority(prefix) {
            Some((host, _)) => Ok(KeyUrlPrefix { text: prefix.to_string(), host }),
            None => fail(
                ErrorKind::InvalidArgument,
                format!(
                    "the key URL prefix '{prefix}' must be http:// or https:// followed by a host (e.g. \
                     https://gosspublic.alicdn.com/)"
                ),
            ),
        }
    }

    fn admits(&self, url: &str, url_host: &str) -> bool {
        url.starts_with(&self.text) && url_host == self.host
    }
}

struct CachedKey {
    key: Arc<RsaPublicKey>,
    fetched: Instant,
}

/// Fetched public keys by URL: thread-safe, bounded (the oldest entry is dropped when full), each entry trusted
/// for a limited time. Failures are never cached.
pub struct KeyCache {
    entries: Mutex<HashMap<String, CachedKey>>,
    capacity: usize,
    ttl: Duration,
}

static GLOBAL_CACHE: Lazy<Arc<KeyCache>> =
    Lazy::new(|| Arc::new(KeyCache::new(GLOBAL_CACHE_CAPACITY, GLOBAL_CACHE_TTL)));

impl KeyCache {
    /// An empty cache holding at most `capacity` keys (at least 1), each for at most `ttl`.
    pub fn new(capacity: usize, ttl: Duration) -> KeyCache {
        KeyCache { entries: Mutex::new(HashMap::new()), capacity: capacity.max(1), ttl }
    }

    /// The process-wide cache that verifiers use unless given another: it outlives each verifier, so a PHP-FPM
    /// worker that builds a verifier per request still fetches a key only once (16 keys, one hour each).
    pub fn global() -> Arc<KeyCache> {
        GLOBAL_CACHE.clone()
    }

    /// How many keys are cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no key is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedKey>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, url: &str) -> Option<Arc<RsaPublicKey>> {
        let mut entries = self.lock();
        match entries.get(url) {
            Some(e) if e.fetched.elapsed() < self.ttl => Some(e.key.clone()),
            Some(_) => {
                entries.remove(url);
                None
            }
            None => None,
        }
    }

    fn insert(&self, url: &str, key: Arc<RsaPublicKey>) {
        let mut entries = self.lock();
        if !entries.contains_key(url) && entries.len() >= self.capacity {
            if let Some(oldest) = entries.iter().min_by_key(|(_, e)| e.fetched).map(|(u, _)| u.clone()) {
                entries.remove(&oldest);
            }
        }
        entries.insert(url.to_string(), CachedKey { key, fetched: Instant::now() });
    }
}

/// The HTTP client used for key fetches, bound to the process that built it (after `fork()` the child builds
/// its own: the parent's runtime thread does not exist there).
struct Fetcher {
    pid: u32,
    transport: Transport,
}

/// Checks the signature of OSS upload callbacks. `verify` may be called from many threads at once.
pub struct CallbackVerifier {
    prefixes: Vec<KeyUrlPrefix>,
    pinned: Option<Arc<RsaPublicKey>>,
    cache: Arc<KeyCache>,
    fetcher: Mutex<Option<Fetcher>>,
}

impl std::fmt::Debug for CallbackVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackVerifier")
            .field("prefixes", &self.prefixes.iter().map(|p| p.text.as_str()).collect::<Vec<_>>())
            .field("pinned", &self.pinned.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for CallbackVerifier {
    fn default() -> Self {
        CallbackVerifier::new()
    }
}

impl CallbackVerifier {
    /// A verifier that accepts keys from [`DEFAULT_KEY_URL_PREFIXES`] only and uses [`KeyCache::global`].
    pub fn new() -> CallbackVerifier {
        let prefixes = DEFAULT_KEY_URL_PREFIXES
            .iter()
            .map(|p| KeyUrlPrefix::parse(p).expect("the default prefixes are valid"))
            .collect();
        CallbackVerifier { prefixes, pinned: None, cache: KeyCache::global(), fetcher: Mutex::new(None) }
    }

    /// A verifier that accepts keys whose URL starts with one of `prefixes` (replacing the defaults; an empty
    /// list keeps them). A prefix is `http://` or `https://` and a whole host, e.g.
    /// `http://127.0.0.1:8080/` or `http://127.0.0.1:` (any port of that host).
    ///
    /// Errors: [`ErrorKind::InvalidArgument`] for a prefix that is not of that form.
    pub fn with_allowed_prefixes<I, S>(prefixes: I) -> Result<CallbackVerifier>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let parsed = prefixes.into_iter().map(|p| KeyUrlPrefix::parse(p.as_ref())).collect::<Result<Vec<_>>>()?;
        let mut v = CallbackVerifier::new();
        if !parsed.is_empty() {
            v.prefixes = parsed;
        }
        Ok(v)
    }

    /// Uses `cache` for fetched keys instead of the process-wide one.
    pub fn with_key_cache(mut self, cache: Arc<KeyCache>) -> CallbackVerifier {
        self.cache = cache;
        self
    }

    /// Pins the public key (PEM, `BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`): from then on signatures are
    /// checked with it alone, `x-oss-pub-key-url` is ignored and nothing is fetched.
    ///
    /// Errors: [`ErrorKind::InvalidArgument`] when `pem` is not an RSA public key.
    pub fn set_public_key_pem(&mut self, pem: &str) -> Result<()> {
        let key = parse_pem(pem)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("the pinned public key is {e}")))?;
        self.pinned = Some(Arc::new(key));
        Ok(())
    }

    /// The allowed key URL prefixes.
    pub fn allowed_prefixes(&self) -> impl Iterator<Item = &str> {
        self.prefixes.iter().map(|p| p.text.as_str())
    }

    /// Checks one callback. Nothing is fetched before the headers are well-formed and the key URL is allowed.
    ///
    /// Errors: [`ErrorKind::CallbackMalformed`] (authorization or x-oss-pub-key-url missing or not base64),
    /// [`ErrorKind::CallbackKeyUrlNotAllowed`], [`ErrorKind::CallbackKeyFetchFailed`] (unreachable, non-200,
    /// not a PEM key), [`ErrorKind::CallbackSignatureInvalid`] (forged, or path, query or body changed),
    /// [`ErrorKind::InvalidArgument`] (a `path` holding `?`: the query goes in `query`).
    pub fn verify(&self, req: &CallbackRequest<'_>) -> Result<()> {
        if req.path.contains('?') {
            return fail(
                ErrorKind::InvalidArgument,
                "the callback path contains '?': pass the path without its query, and the query separately",
            );
        }
        let authorization = req.authorization.trim();
        if authorization.is_empty() {
            return fail(ErrorKind::CallbackMalformed, "the authorization header is missing or empty");
        }
        let signature = B64.decode(authorization).map_err(|e| {
            Error::new(ErrorKind::CallbackMalformed, format!("the authorization header is not base64 ({e})"))
        })?;
        let (key, source) = match &self.pinned {
            Some(key) => (key.clone(), "the pinned public key".to_string()),
            None => {
                let url = decode_pub_key_url(req.pub_key_url.unwrap_or(""))?;
                self.check_key_url(&url)?;
                (self.public_key(&url)?, format!("the public key from {url}"))
            }
        };
        let digest = Md5::digest(string_to_sign(req.path, req.query, req.body));
        key.verify(Pkcs1v15Sign::new::<Md5>(), &digest, &signature).map_err(|_| {
            Error::new(
                ErrorKind::CallbackSignatureInvalid,
                format!(
                    "the callback signature does not verify with {source}: forged, or the path, query or body \
                     differ from what OSS signed"
                ),
            )
        })
    }

    fn check_key_url(&self, url: &str) -> Result<()> {
        let allowed = split_authority(url).is_some_and(|(host, _)| self.prefixes.iter().any(|p| p.admits(url, &host)));
        if allowed {
            return Ok(());
        }
        let list = self.prefixes.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(", ");
        fail(
            ErrorKind::CallbackKeyUrlNotAllowed,
            format!("the public key URL '{url}' does not start with an allowed prefix ({list}); not fetched"),
        )
    }

    fn public_key(&self, url: &str) -> Result<Arc<RsaPublicKey>> {
        if let Some(key) = self.cache.get(url) {
            return Ok(key);
        }
        let key = Arc::new(self.fetch(url)?);
        self.cache.insert(url, key.clone());
        Ok(key)
    }

    fn fetch(&self, url: &str) -> Result<RsaPublicKey> {
        let failed = |why: String| {
            Error::new(
                ErrorKind::CallbackKeyFetchFailed,
                format!("cannot fetch the callback public key from {url}: {why}"),
            )
        };
        let transport = {
            let mut slot = self.fetcher.lock().unwrap_or_else(|p| p.into_inner());
            let pid = std::process::id();
            if slot.as_ref().is_some_and(|f| f.pid != pid) {
                // Inherited across fork(): dropping it would wait for a runtime thread that is not here.
                std::mem::forget(slot.take());
            }
            match slot.as_ref() {
                Some(f) => f.transport.clone(),
                None => {
                    let transport = Transport::new(&TransportConfig {
                        connect_timeout: Some(FETCH_CONNECT_TIMEOUT),
                        user_agent: concat!("ossrs/", env!("CARGO_PKG_VERSION")).to_string(),
                        // A PEM public key is a few hundred bytes.
                        limits: AnswerLimits { result: KEY_ANSWER_LIMIT, error: KEY_ANSWER_LIMIT, object: 0 },
                        ..TransportConfig::default()
                    })
                    .map_err(|e| failed(e.message().to_string()))?;
                    *slot = Some(Fetcher { pid, transport: transport.clone() });
                    transport
                }
            }
        };
        let reading = Reading { answer: Answer::Result, deadline: Some(Instant::now() + FETCH_TIMEOUT) };
        let resp = transport
            .send("GET", url, &Headers::new(), &Body::Empty, reading)
            .map_err(|e| failed(e.message().into()))?;
        if resp.status != 200 {
            return Err(failed(format!("the server answered HTTP {}", resp.status)));
        }
        let pem = std::str::from_utf8(&resp.body).map_err(|_| failed("the answer is not text".into()))?;
        parse_pem(pem).map_err(|e| failed(format!("the answer is {e}")))
    }
}

impl Drop for CallbackVerifier {
    fn drop(&mut self) {
        let slot = self.fetcher.get_mut().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_some_and(|f| f.pid != std::process::id()) {
            std::mem::forget(slot.take());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 512-bit key like the one OSS serves (`MFwwDQYJ…`), made with `openssl genpkey`; the signatures below
    /// come from `printf … | openssl dgst -md5 -sign`, an implementation independent of this one.
    const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKzlp7G8e3505a/HFtNaQdeeyTaAKhdt
Czk8EUZFnaFVh7JgFA2E9cAcZ9krkfwqiyCuyDdrOAafyqYPlp0TyHECAwEAAQ==
-----END PUBLIC KEY-----
";
    const PKCS1_PEM: &str = "-----BEGIN RSA PUBLIC KEY-----
MEgCQQCs5aexvHt+dOWvxxbTWkHXnsk2gCoXbQs5PBFGRZ2hVYeyYBQNhPXAHGfZ
K5H8Kosgrsg3azgGn8qmD5adE8hxAgMBAAE=
-----END RSA PUBLIC KEY-----
";
    /// Over the documented example: `/index.php?id=1&index=2\nbucket=yonghu-test`.
    const DOC_SIG: &str = "kszompcktQ5D9dRAMtVmRq4IOI/QI/ZTP2o9SVMP6GInj+wzBghlQEj45aLMXgGXT7I0qWAIUaZOHwVCiV1n8w==";
    /// Over `/cb x+y.php\n{"a":1}` (no query).
    const DECODED_PATH_SIG: &str =
        "Xxt575P96B6AWCtswgC2v5KkvIxkmIsbL20zFig8eCpIfCvSEPztEzOdEj54yYGy2jZzLVYlNn2NzLaErxtvGw==";

    fn pinned(pem: &str) -> CallbackVerifier {
        let mut v = CallbackVerifier::new().with_key_cache(Arc::new(KeyCache::new(4, GLOBAL_CACHE_TTL)));
        v.set_public_key_pem(pem).unwrap();
        v
    }

    fn req<'a>(path: &'a str, query: Option<&'a str>, body: &'a [u8], auth: &'a str) -> CallbackRequest<'a> {
        CallbackRequest { path, query, body, authorization: auth, pub_key_url: None }
    }

    #[test]
    fn string_to_sign_follows_the_documentation() {
        assert_eq!(
            string_to_sign("/index.php", Some("id=1&index=2"), b"bucket=yonghu-test"),
            b"/index.php?id=1&index=2\nbucket=yonghu-test"
        );
        assert_eq!(string_to_sign("/a%2Fb+c%zz%4", None, b"x"), b"/a/b c%zz%4\nx");
        assert_eq!(string_to_sign("/%E5%80%BC", Some(""), b""), "/值\n".as_bytes());
        assert_eq!(string_to_sign("/p", Some("q=%20"), b""), b"/p?q=%20\n", "the query stays raw");
    }

    #[test]
    fn openssl_signatures_verify_and_changes_do_not() {
        for pem in [PUBLIC_PEM, PKCS1_PEM] {
            let v = pinned(pem);
            let body = b"bucket=yonghu-test";
            v.verify(&req("/index.php", Some("id=1&index=2"), body, DOC_SIG)).unwrap();
            v.verify(&req("/cb%20x%2By.php", None, br#"{"a":1}"#, DECODED_PATH_SIG)).unwrap();
            v.verify(&req("/cb+x%2By.php", Some(""), br#"{"a":1}"#, DECODED_PATH_SIG)).unwrap();
            for (path, query, body) in [
                ("/index.php", Some("id=1&index=3"), &body[..]),
                ("/index.php", None, &body[..]),
                ("/other.php", Some("id=1&index=2"), &body[..]),
                ("/index.php", Some("id=1&index=2"), b"bucket=yonghu-test "),
            ] {
                let e = v.verify(&req(path, query, body, DOC_SIG)).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::CallbackSignatureInvalid, "{path} {query:?}");
                assert!(e.message().contains("pinned public key"), "{}", e.message());
            }
        }
    }

    #[test]
    fn malformed_input_is_told_apart() {
        let v = pinned(PUBLIC_PEM);
        let kind = |r: CallbackRequest<'_>| v.verify(&r).unwrap_err().kind();
        assert_eq!(kind(req("/p", None, b"", "")), ErrorKind::CallbackMalformed);
        assert_eq!(kind(req("/p", None, b"", "not base64!")), ErrorKind::CallbackMalformed);
        assert_eq!(kind(req("/p", None, b"", "AAAA")), ErrorKind::CallbackSignatureInvalid, "short signature");
        assert_eq!(kind(req("/p?x=1", None, b"", DOC_SIG)), ErrorKind::InvalidArgument);
        let unpinned = CallbackVerifier::new();
        let mut r = req("/p", None, b"", DOC_SIG);
        assert_eq!(unpinned.verify(&r).unwrap_err().kind(), ErrorKind::CallbackMalformed, "no key URL");
        r.pub_key_url = Some("%%%");
        assert_eq!(unpinned.verify(&r).unwrap_err().kind(), ErrorKind::CallbackMalformed);
        let mut bad = CallbackVerifier::new();
        assert_eq!(
            bad.set_public_key_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn key_urls_must_sit_under_a_whole_allowed_host() {
        let v = CallbackVerifier::new();
        let check = |url: &str| v.check_key_url(url).map_err(|e| e.kind());
        assert_eq!(check("http://gosspublic.alicdn.com/callback_pub_key_v1.pem"), Ok(()));
        assert_eq!(check("https://gosspublic.alicdn.com/callback_pub_key_v1.pem"), Ok(()));
        for bad in [
            "http://gosspublic.alicdn.com.evil.net/k.pem",
            "http://evil.net/gosspublic.alicdn.com/",
            "http://gosspublic.alicdn.com@evil.net/k.pem",
            "HTTP://GOSSPUBLIC.ALICDN.COM/k.pem",
            "ftp://gosspublic.alicdn.com/k.pem",
            "",
        ] {
            assert_eq!(check(bad), Err(ErrorKind::CallbackKeyUrlNotAllowed), "{bad}");
        }
        let local = CallbackVerifier::with_allowed_prefixes(["http://127.0.0.1:"]).unwrap();
        assert!(local.check_key_url("http://127.0.0.1:8080/__emulator/k.pem").is_ok());
        for bad in ["http://127.0.0.1:@evil.net/k.pem", "http://127.0.0.1:80.evil.net/", "http://127.0.0.10:80/"] {
            assert!(local.check_key_url(bad).is_err(), "{bad}");
        }
        let no_slash = CallbackVerifier::with_allowed_prefixes(["https://keys.example.com"]).unwrap();
        assert!(no_slash.check_key_url("https://keys.example.com/k.pem").is_ok());
        assert!(no_slash.check_key_url("https://keys.example.com.evil.net/k.pem").is_err());
        for bad in ["", "gosspublic.alicdn.com/", "file:///etc/", "http://", "http://a@b/", "http://h:x/"] {
            assert_eq!(
                CallbackVerifier::with_allowed_prefixes([bad]).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{bad}"
            );
        }
        let empty: [&str; 0] = [];
        assert_eq!(CallbackVerifier::with_allowed_prefixes(empty).unwrap().allowed_prefixes().count(), 2);
    }

    #[test]
    fn a_foreign_key_url_is_refused_before_any_fetch() {
        let v = CallbackVerifier::new();
        let r = CallbackRequest {
            path: "/p",
            query: None,
            body: b"",
            authorization: DOC_SIG,
            pub_key_url: Some(&B64.encode("http://127.0.0.1:1/key.pem")),
        };
        assert_eq!(v.verify(&r).unwrap_err().kind(), ErrorKind::CallbackKeyUrlNotAllowed);
        assert!(v.fetcher.lock().unwrap().is_none(), "no HTTP client was even built");
    }

    #[test]
    fn the_cache_is_bounded_and_expires() {
        let key = Arc::new(parse_pem(PUBLIC_PEM).unwrap());
        let cache = KeyCache::new(2, Duration::from_secs(60));
        for url in ["a", "b", "c"] {
            cache.insert(url, key.clone());
            std::thread::sleep(Duration::from_millis(2));
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.get("a").is_none(), "the oldest went first");
        assert!(cache.get("c").is_some());
        let expiring = KeyCache::new(2, Duration::ZERO);
        expiring.insert("a", key);
        assert!(expiring.get("a").is_none());
        assert!(expiring.is_empty());
    }
}
