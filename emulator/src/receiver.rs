//! A callback receiver that behaves like a careful application server: it records every
//! callback, verifies its signature the way Alibaba documents (allowed public-key URL prefix,
//! PEM fetched and cached, RSA-MD5 PKCS#1 v1.5) with libossrs's `CallbackVerifier`, and answers
//! with a configured reply, after a configured delay. A seeded fraction of callbacks can be
//! failed with 500 instead.
//!
//! The emulator signs callbacks with its own code (`callback::Signer`), so every callback the
//! receiver gets checks the two implementations against each other.

use crate::faults::Rng;
use crate::http::Response;
use crate::server::{self, lock, Handler, Request, Server};
use ossrs::core::callback_verify::{decode_pub_key_url, CallbackRequest, CallbackVerifier, KeyCache};
use serde_json::{json, Value};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Largest callback body the receiver reads.
const MAX_BODY: u64 = 16 * 1024 * 1024;
/// Public keys one receiver keeps (each emulator serves one).
const KEY_CACHE_CAPACITY: usize = 16;
/// How long a fetched key is kept (an emulator keeps its key while it runs).
const KEY_CACHE_TTL: Duration = Duration::from_secs(24 * 3600);

/// How a [`CallbackReceiver`] behaves.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    /// 0 = any free port.
    pub port: u16,
    pub reply_status: u16,
    /// Need not be JSON (OSS then fails the upload with 203 CallbackFailed).
    pub reply_body: String,
    /// The `Content-Type` of the reply.
    pub reply_content_type: String,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Fraction (0.0–1.0) of callbacks answered `500` with a plain-text body instead of the
    /// reply, drawn from an RNG seeded with `seed`.
    pub fail_rate: f64,
    pub seed: u64,
    /// Public-key URLs must start with one of these: `http://` or `https://` and a whole host
    /// (`http://127.0.0.1:` admits any port of 127.0.0.1).
    pub allowed_key_url_prefixes: Vec<String>,
    /// Append each callback as a JSON line here.
    pub log_path: Option<PathBuf>,
    /// Also print each callback's JSON line on stdout.
    pub echo_stdout: bool,
}

impl Default for ReceiverConfig {
    fn default() -> Self {
        ReceiverConfig {
            port: 0,
            reply_status: 200,
            reply_body: r#"{"Status":"OK"}"#.into(),
            reply_content_type: "application/json".into(),
            delay: Duration::ZERO,
            fail_rate: 0.0,
            seed: 0,
            allowed_key_url_prefixes: vec![
                "http://gosspublic.alicdn.com/".into(),
                "https://gosspublic.alicdn.com/".into(),
            ],
            log_path: None,
            echo_stdout: false,
        }
    }
}

/// One callback as received.
#[derive(Debug, Clone)]
pub struct ReceivedCallback {
    pub method: String,
    /// Raw path, as on the request line.
    pub path: String,
    /// Raw query without `?` ("" if none).
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The decoded `x-oss-pub-key-url`.
    pub pub_key_url: String,
    pub signature_valid: bool,
    /// Why the signature was rejected (or the body unreadable).
    pub error: Option<String>,
    /// The status the receiver answered (500 for a failure drawn by `fail_rate`).
    pub reply_status: u16,
}

impl ReceivedCallback {
    /// The JSON line form: `{"method","path","query","headers":{..},"body","pub_key_url",
    /// "signature_valid","error","reply_status"}`.
    pub fn to_json(&self) -> Value {
        let headers: serde_json::Map<String, Value> =
            self.headers.iter().map(|(n, v)| (n.clone(), Value::String(v.clone()))).collect();
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": headers,
            "body": String::from_utf8_lossy(&self.body),
            "pub_key_url": self.pub_key_url,
            "signature_valid": self.signature_valid,
            "error": self.error,
            "reply_status": self.reply_status,
        })
    }
}

struct Receiver {
    cfg: ReceiverConfig,
    received: Mutex<Vec<ReceivedCallback>>,
    verifier: CallbackVerifier,
    log: Mutex<Option<File>>,
    rng: Mutex<Rng>,
}

/// A running callback receiver (stops on drop).
pub struct CallbackReceiver {
    server: Server,
    state: Arc<Receiver>,
}

impl CallbackReceiver {
    /// Starts serving on `127.0.0.1`; fails on a `fail_rate` outside 0.0–1.0 or a key URL prefix
    /// that is not `http(s)://` and a host.
    pub fn start(cfg: ReceiverConfig) -> io::Result<CallbackReceiver> {
        if !(0.0..=1.0).contains(&cfg.fail_rate) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "fail_rate must be between 0.0 and 1.0"));
        }
        let verifier = CallbackVerifier::with_allowed_prefixes(&cfg.allowed_key_url_prefixes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.message().to_string()))?
            .with_key_cache(Arc::new(KeyCache::new(KEY_CACHE_CAPACITY, KEY_CACHE_TTL)));
        let log = match &cfg.log_path {
            Some(p) => Some(OpenOptions::new().create(true).append(true).open(p)?),
            None => None,
        };
        let listener = server::listen(cfg.port)?;
        let state = Arc::new(Receiver {
            rng: Mutex::new(Rng::new(cfg.seed)),
            cfg,
            received: Mutex::new(Vec::new()),
            verifier,
            log: Mutex::new(log),
        });
        let server = Server::start(listener, state.clone())?;
        Ok(CallbackReceiver { server, state })
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// `http://127.0.0.1:PORT` (any path is accepted).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port())
    }

    /// Callbacks received so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedCallback> {
        lock(&self.state.received).clone()
    }
}

impl Receiver {
    /// Checks a callback's signature with libossrs; returns the decoded key URL (for the log) and
    /// the verdict.
    fn verify(&self, req: &Request<'_>, body: &[u8]) -> (String, Result<(), String>) {
        let pub_key_url = req.head.header("x-oss-pub-key-url");
        let url = pub_key_url.and_then(|u| decode_pub_key_url(u).ok()).unwrap_or_default();
        let verdict = self.verifier.verify(&CallbackRequest {
            path: req.head.path(),
            query: req.head.query(),
            body,
            authorization: req.head.header("authorization").unwrap_or(""),
            pub_key_url,
        });
        (url, verdict.map_err(|e| e.message().to_string()))
    }

    fn record(&self, cb: ReceivedCallback) {
        let line = cb.to_json().to_string();
        if let Some(file) = lock(&self.log).as_mut() {
            let _ = writeln!(file, "{line}").and_then(|()| file.flush());
        }
        if self.cfg.echo_stdout {
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "{line}").and_then(|()| out.flush());
        }
        lock(&self.received).push(cb);
    }
}

impl Handler for Receiver {
    fn handle(&self, req: &mut Request<'_>) -> Response {
        let (body, read_error) = match req.body.read_limited(MAX_BODY) {
            Ok(b) => (b, None),
            Err(e) => (Vec::new(), Some(format!("cannot read the body: {e}"))),
        };
        let (pub_key_url, verdict) = self.verify(req, &body);
        let fail = self.cfg.fail_rate > 0.0 && lock(&self.rng).chance(self.cfg.fail_rate);
        let reply_status = if fail { 500 } else { self.cfg.reply_status };
        self.record(ReceivedCallback {
            method: req.head.method.clone(),
            path: req.head.path().to_string(),
            query: req.head.query().unwrap_or("").to_string(),
            headers: req.head.headers.clone(),
            body,
            pub_key_url,
            signature_valid: verdict.is_ok() && read_error.is_none(),
            error: read_error.or(verdict.err()),
            reply_status,
        });
        std::thread::sleep(self.cfg.delay);
        if fail {
            return Response::bytes(500, "text/plain", "callback-receiver: injected failure");
        }
        Response::bytes(reply_status, &self.cfg.reply_content_type, self.cfg.reply_body.clone())
    }

    fn error(&self, status: u16, message: &str) -> Response {
        Response::bytes(status, "text/plain", message.to_string())
    }
}
