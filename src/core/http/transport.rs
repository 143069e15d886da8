//! The transport: one reqwest blocking client per ossrs client (keep-alive pool, rustls with the ring provider,
//! so the library never loads a second OpenSSL into the host process; trust from [`super::trust`]).

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::blocking::{Body as ReqBody, Client};
use reqwest::{Method, Proxy};

use super::body::{file_error, RangeReader, StreamReader};
use super::buffers::BufferPool;
use super::hashed_range;
use super::limits::{self, AnswerLimits, Reading};
use super::trust;
use super::{Body, Headers, Response};
use crate::core::error::{Error, ErrorKind, Result};

/// Transport settings, all validated when the transport is built. Debug output hides the proxy's credentials.
#[derive(Clone, Default)]
pub struct TransportConfig {
    /// Connect timeout (None = no limit).
    pub connect_timeout: Option<Duration>,
    /// Timeout of one call, every attempt included (None = no limit); the client turns it into a deadline.
    pub timeout: Option<Duration>,
    /// Timeout of one attempt within the call (None = only the call's).
    pub attempt_timeout: Option<Duration>,
    /// Proxy URL (`http://user:pass@host:port`); the scheme is that of the proxy itself.
    pub proxy: Option<String>,
    /// Extra PEM CA certificate(s) trusted in addition to the system store.
    pub ca_cert_file: Option<PathBuf>,
    /// True when no request can use TLS (an `http://` endpoint reached directly or through an `http://` proxy):
    /// the system's CA certificates are then never loaded.
    pub plain_http_only: bool,
    /// Host names pinned to addresses (like curl's `--resolve`).
    pub resolve: Vec<(String, IpAddr)>,
    /// User-Agent header.
    pub user_agent: String,
    /// How large an answer's body may be.
    pub limits: AnswerLimits,
}

impl std::fmt::Debug for TransportConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let proxy = self.proxy.as_deref().map(|p| match (p.find("://"), p.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => format!("{}***@{}", &p[..scheme + 3], &p[at + 1..]),
            (None, Some(at)) => format!("***@{}", &p[at + 1..]),
            _ => p.to_string(),
        });
        f.debug_struct("TransportConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("proxy", &proxy)
            .field("ca_cert_file", &self.ca_cert_file)
            .field("plain_http_only", &self.plain_http_only)
            .field("resolve", &self.resolve)
            .field("user_agent", &self.user_agent)
            .field("limits", &self.limits)
            .finish()
    }
}

/// File ranges up to this size are read into a pooled buffer and sent in one piece; longer ones are streamed.
const IN_MEMORY_FILE_RANGE: u64 = 32 * 1024 * 1024;

/// Sends requests; cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Transport {
    client: Client,
    buffers: Arc<BufferPool>,
    limits: AnswerLimits,
}

impl Transport {
    /// Builds the HTTP client. TLS certificates are always verified.
    pub fn new(cfg: &TransportConfig) -> Result<Transport> {
        let mut b = Client::builder()
            .tls_backend_preconfigured(trust::client_config(cfg.ca_cert_file.as_deref(), cfg.plain_http_only)?)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(cfg.user_agent.clone())
            .pool_idle_timeout(Duration::from_secs(30))
            .tcp_nodelay(true)
            .timeout(None) // each request gets what is left of its call's deadline (`Reading`)
            .no_proxy();
        if let Some(t) = cfg.connect_timeout {
            b = b.connect_timeout(t);
        }
        if let Some(p) = &cfg.proxy {
            let proxy = Proxy::all(p)
                .map_err(|e| Error::new(ErrorKind::InvalidConfig, format!("proxy is invalid: {}", chain(&e))))?;
            b = b.proxy(proxy);
        }
        for (host, ip) in &cfg.resolve {
            b = b.resolve(host, SocketAddr::new(*ip, 0));
        }
        let client = b.build().map_err(|e| {
            Error::new(ErrorKind::InvalidConfig, format!("cannot build the HTTP client: {}", chain(&e)))
        })?;
        Ok(Transport { client, buffers: Arc::default(), limits: cfg.limits })
    }

    /// The body buffers of this transport, shared by every request and managed upload of the client.
    pub fn buffers(&self) -> &Arc<BufferPool> {
        &self.buffers
    }

    /// Sends one request and reads its whole answer, within `reading`'s deadline and the body limit for the
    /// answer's status and kind. Never retries; an oversized or unreadable body is marked not to be retried.
    pub fn send(&self, method: &str, url: &str, headers: &Headers, body: &Body, reading: Reading) -> Result<Response> {
        self.exchange(method, url, headers, body, reading, None)
    }

    /// As [`Transport::send`], but the body of a 2xx answer goes to `sink` piece by piece (at most one 64 KiB
    /// buffer is held) instead of into the response; an error answer is read into memory as usual.
    pub fn send_into(
        &self,
        method: &str,
        url: &str,
        headers: &Headers,
        body: &Body,
        reading: Reading,
        sink: &mut dyn BodySink,
    ) -> Result<Response> {
        self.exchange(method, url, headers, body, reading, Some(sink))
    }

    fn exchange(
        &self,
        method: &str,
        url: &str,
        headers: &Headers,
        body: &Body,
        reading: Reading,
        sink: Option<&mut dyn BodySink>,
    ) -> Result<Response> {
        let m = Method::from_bytes(method.as_bytes())
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, "bad HTTP method"))?;
        let mut rb = self.client.request(m, url);
        if let Some(deadline) = reading.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::new(ErrorKind::Timeout, "the call's timeout passed before this request was sent"));
            }
            // Bounds connecting, sending, the answer's head and every read of its body (reqwest's total timeout).
            rb = rb.timeout(left);
        }
        for (n, v) in headers.iter() {
            rb = rb.header(n, v);
        }
        let file_failure = Arc::new(Mutex::new(None));
        rb = match body {
            Body::Empty => rb.body(Vec::new()),
            Body::Bytes(b) => rb.body(b.clone()),
            // Read in one go: streaming small chunks costs a thread hand-off per chunk in reqwest's blocking API.
            Body::File { path, offset, len } if *len <= IN_MEMORY_FILE_RANGE => {
                match hashed_range::take(path, *offset, *len) {
                    Some(data) => rb.body(data),
                    None => {
                        let file = std::fs::File::open(path).map_err(|e| file_error(path, &e))?;
                        rb.body(self.buffers.read_range(&file, path, *offset, *len as usize)?)
                    }
                }
            }
            Body::File { path, offset, len } => {
                let reader = RangeReader::open(path, *offset, *len, file_failure.clone())?;
                rb.body(ReqBody::sized(reader, *len))
            }
            // Read by reqwest on this thread while it sends the request.
            Body::Stream(stream) => {
                let reader = StreamReader::new(stream, file_failure.clone())?;
                match stream.declared_len() {
                    Some(len) => rb.body(ReqBody::sized(reader, len)),
                    None => rb.body(ReqBody::new(reader)),
                }
            }
        };
        let start = Instant::now();
        let mut resp = rb.send().map_err(|e| match file_failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(file_err) => file_err,
            None => transport_error(&e),
        })?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body_bytes = match sink {
            Some(sink) if (200..300).contains(&status) => {
                stream(&mut resp, sink, status)?;
                Vec::new()
            }
            _ => {
                let (limit, setting) = self.limits.for_answer(status, reading.answer);
                match resp.content_length() {
                    // A declared length within the limit is all hyper will read: one wait for the whole body.
                    Some(len) if len <= limit => resp.bytes().map_err(|e| body_error(status, &e))?.to_vec(),
                    declared => limits::read_bounded(&mut resp as &mut dyn Read, declared, limit, setting, status)
                        .map_err(|e| body_error(status, &e))??,
                }
            }
        };
        Ok(Response {
            method: method.to_string(),
            url: url.to_string(),
            status,
            headers,
            body: body_bytes,
            total_time: start.elapsed(),
            bytes_sent: body.len(),
            recovered: false,
            attempts: 1,
        })
    }
}

/// Where a streamed answer body goes. An error stops the transfer and is the call's error.
pub trait BodySink {
    /// Takes the next piece of the body.
    fn write(&mut self, data: &[u8]) -> Result<()>;
}

/// Copies the body of `resp` into `sink` through one 64 KiB buffer.
fn stream(resp: &mut dyn Read, sink: &mut dyn BodySink, status: u16) -> Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = resp.read(&mut buf).map_err(|e| body_error(status, &e))?;
        if n == 0 {
            return Ok(());
        }
        sink.write(&buf[..n]).map_err(Error::without_retry)?;
    }
}

/// The answer's head arrived, its body could not be read: a timeout or a broken connection, never retried.
fn body_error(status: u16, e: &(dyn std::error::Error + 'static)) -> Error {
    let io = e.downcast_ref::<std::io::Error>();
    let timed_out = io.is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        || e.downcast_ref::<reqwest::Error>().is_some_and(|r| r.is_timeout())
        || io
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(|r| r.is_timeout());
    let kind = if timed_out { ErrorKind::Timeout } else { ErrorKind::Transport };
    Error::new(kind, format!("reading the body of the server's {status} answer failed: {}", chain(e))).without_retry()
}

fn transport_error(e: &reqwest::Error) -> Error {
    // A request reqwest cannot even build is a local usage error, never worth a retry.
    let kind = if e.is_builder() {
        ErrorKind::InvalidArgument
    } else if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_connect() {
        ErrorKind::Connect
    } else {
        ErrorKind::Transport
    };
    Error::new(kind, chain(e))
}

/// The whole `source()` chain: reqwest's own Display only says "error sending request".
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let text = c.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        cur = c.source();
    }
    s
}
