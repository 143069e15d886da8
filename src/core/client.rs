//! The client: configuration, transport and the request pipeline (build → sign → send → classify).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

use super::config::ClientConfig;
use super::endpoint::query_string;
use super::error::{fail, Error, ErrorKind, Result, ServiceError};
use super::http::limits::{self, check_id};
use super::http::{retry, Body, BodySink, Headers, Reading, Response, StreamBody, Transport};
use super::model::callback::{CallbackHeaders, EncodedCallbackCache};
use super::model::xml;
use super::operation::{Operation, Retry};
use super::signing::{self, SignableRequest};
use super::validate;

/// An OSS client. Immutable and safe to share between threads; requests on one client reuse connections.
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    transport: Transport,
    pid: u32,
    id: u64,
    callbacks: EncodedCallbackCache,
}

/// One OSS request before signing, as built by [`Request`](super::operation::Request).
#[derive(Debug, Clone)]
pub struct OssRequest<'a> {
    /// The operation (method, retry policy, answer kind).
    pub op: &'static Operation,
    /// Bucket (validated).
    pub bucket: &'a str,
    /// Raw object key (validated).
    pub key: &'a str,
    /// Query parameters, decoded.
    pub query: Vec<(String, String)>,
    /// Headers so far (the signer adds Date, token and Authorization).
    pub headers: Headers,
    /// The body.
    pub body: Body,
    /// True when `x-oss-callback` is set: a 203 then means CallbackFailed, and the request is never repeated.
    pub carries_callback: bool,
    /// The end of the call this request belongs to (None: `timeout_ms` from when it is executed).
    pub deadline: Option<Instant>,
}

/// Options a caller may add to any request.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Extra headers (`Content-Type`, `Cache-Control`, `x-oss-meta-*`, `x-oss-storage-class`, `Date`, …).
    pub headers: Vec<(String, String)>,
    /// Extra query parameters (`max-parts`, `part-number-marker`, …).
    pub query: Vec<(String, String)>,
    /// For file uploads: compute and send Content-MD5 (reads the file twice).
    pub check_md5: bool,
    /// The end of the call the request belongs to, when it is part of a larger one (Complete's recovery probes);
    /// None: the request is a call of its own, bounded by `timeout_ms`.
    pub deadline: Option<Instant>,
    /// For the generic call: the body is this file, streamed from disk (instead of the bytes given).
    pub body_file: Option<std::path::PathBuf>,
    /// For the generic call: the body is read once from this stream (instead of the bytes given).
    pub body_stream: Option<StreamBody>,
    /// For the calls that upload a file (the typed file PutObject, the managed upload, the generic call's body
    /// file): only `len` bytes of it from `offset` (checked to lie inside the file before anything is sent).
    pub file_range: Option<(u64, u64)>,
    /// An upload callback (its JSON, and the JSON of its variables) for the operations OSS runs one on; explicit
    /// callback arguments of a typed function take precedence. Checked and encoded when the request is built.
    pub callback: Option<(String, Option<String>)>,
}

/// Headers the library computes itself and a caller may not set.
const RESERVED_HEADERS: &[&str] = &["content-length", "host", "transfer-encoding", "authorization", "connection"];

impl RequestOptions {
    /// The body of an upload of the file at `path`: the whole file, or its `file_range`.
    pub fn file_body(&self, path: &std::path::Path) -> Result<Body> {
        match self.file_range {
            Some((offset, len)) => Body::file_range(path, offset, Some(len)),
            None => Body::file_range(path, 0, None),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The caller's headers, checked: no reserved names, no CR/LF; values trimmed; empty values dropped
    /// (as the SDK does; unlike the SDK, `"0"` is kept).
    pub fn checked_headers(&self) -> Result<Headers> {
        let mut h = Headers::new();
        for (name, value) in &self.headers {
            validate::header(name, value)?;
            if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                return fail(
                    ErrorKind::InvalidHeader,
                    format!("header {name} is set by the library and cannot be overridden"),
                );
            }
            let value = value.trim();
            if !value.is_empty() {
                h.set(name.clone(), value);
            }
        }
        Ok(h)
    }

    /// The caller's query parameters, checked.
    pub fn checked_query(&self) -> Result<Vec<(String, String)>> {
        for (k, v) in &self.query {
            validate::query_param(k, v)?;
        }
        Ok(self.query.clone())
    }
}

impl Client {
    /// Builds a client from a checked configuration.
    pub fn new(config: ClientConfig) -> Result<Client> {
        static LAST_ID: AtomicU64 = AtomicU64::new(0);
        let transport = Transport::new(&config.transport)?;
        let id = LAST_ID.fetch_add(1, Ordering::Relaxed) + 1;
        Ok(Client { config, transport, pid: std::process::id(), id, callbacks: EncodedCallbackCache::default() })
    }

    /// A number that tells this client (and its connection pool) apart from every other client of the process.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The checked, encoded callback headers (`callback::encode`), the last ones reused.
    pub(crate) fn callback_headers(
        &self,
        callback: Option<&str>,
        callback_var: Option<&str>,
    ) -> Result<Option<CallbackHeaders>> {
        self.callbacks.encode(callback, callback_var)
    }

    /// The body buffers shared by this client's requests.
    pub(crate) fn buffers(&self) -> &std::sync::Arc<super::http::BufferPool> {
        self.transport.buffers()
    }

    /// True when this process created the client (false in a forked child).
    pub fn in_creating_process(&self) -> bool {
        self.pid == std::process::id()
    }

    /// Fails fast in a forked child: the parent's connection pool and runtime thread do not exist there.
    pub fn check_process(&self) -> Result<()> {
        if self.in_creating_process() {
            Ok(())
        } else {
            fail(
                ErrorKind::WrongProcess,
                format!(
                    "this client was created in process {} and cannot be used in process {} (after fork); create a new client",
                    self.pid,
                    std::process::id()
                ),
            )
        }
    }

    /// When a call starting now must end: `timeout_ms` from now, or never.
    pub(crate) fn call_deadline(&self) -> Option<Instant> {
        self.config.transport.timeout.map(|t| Instant::now() + t)
    }

    /// Signs and sends `req`, then turns non-success answers into errors. Requests whose operation is safe to
    /// repeat and that carry no callback are retried on transient failures, re-signed each time, as long as the
    /// call's deadline (`req.deadline`, else `timeout_ms` from now) leaves room; the error records how many
    /// attempts were made.
    pub fn execute(&self, req: OssRequest<'_>) -> Result<Response> {
        self.execute_with(req, None)
    }

    /// As [`Client::execute`], the body of a 2xx answer streamed into `sink` when given (a transfer that has
    /// started is never repeated).
    pub(crate) fn execute_with(
        &self,
        mut req: OssRequest<'_>,
        mut sink: Option<&mut dyn BodySink>,
    ) -> Result<Response> {
        self.check_process()?;
        let url = self.config.endpoint.url_for(req.bucket, req.key, &query_string(&req.query));
        let repeatable = req.op.retry == Retry::Safe && !req.carries_callback && req.body.is_replayable();
        let cfg = &self.config.retry;
        let started = Instant::now();
        let deadline = req.deadline.or_else(|| self.call_deadline());
        let mut random = retry::jitter_seed();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let attempt_end = self.config.transport.attempt_timeout.map(|t| Instant::now() + t);
            let reading = Reading { answer: req.op.answer, deadline: earliest(deadline, attempt_end) };
            // A request that is never repeated gives its headers to its only attempt; the others copy them.
            let headers = if repeatable { req.headers.clone() } else { std::mem::take(&mut req.headers) };
            let sink = sink.as_mut().map(|s| &mut **s as &mut dyn BodySink);
            let e = match self.attempt(&req, headers, &url, reading, sink) {
                Ok(mut resp) => {
                    resp.attempts = attempts;
                    return Ok(resp);
                }
                Err(e) => e,
            };
            let retry_allowed =
                repeatable && attempts <= cfg.max_retries && retry::is_transient(&e) && started.elapsed() < cfg.timeout;
            if !retry_allowed {
                return Err(self.finished(e, attempts, deadline, Duration::ZERO));
            }
            random = random.rotate_left(17).wrapping_mul(0x2545_F491_4F6C_DD1D);
            let pause = retry::backoff(cfg, attempts, random);
            if deadline.is_some_and(|d| Instant::now() + pause >= d) {
                return Err(self.finished(e, attempts, deadline, pause));
            }
            std::thread::sleep(pause);
        }
    }

    /// The error a call ends with: the attempts recorded and, when the call is out of time (its deadline passed,
    /// or would pass during the next pause), its timeout named.
    fn finished(&self, e: Error, attempts: u32, deadline: Option<Instant>, pause: Duration) -> Error {
        let e = e.with_attempts(attempts);
        match (self.config.transport.timeout, deadline) {
            (Some(t), Some(d)) if Instant::now() + pause + Duration::from_millis(5) >= d => {
                let msg = format!(
                    "{} (the call's timeout of {} ms, timeout_ms, covers all of its {attempts} attempt(s))",
                    e.message(),
                    t.as_millis()
                );
                e.with_message(msg)
            }
            _ => e,
        }
    }

    /// One attempt of `req`, sent with `headers` (a copy of the request's, or the request's own for its only
    /// attempt) once signed: each attempt gets a fresh Date and signature.
    fn attempt(
        &self,
        req: &OssRequest<'_>,
        mut headers: Headers,
        url: &str,
        reading: Reading,
        sink: Option<&mut dyn BodySink>,
    ) -> Result<Response> {
        let mut signable = SignableRequest {
            method: req.op.method,
            bucket: req.bucket,
            key: req.key,
            query: &req.query,
            headers: &mut headers,
        };
        signing::sign(&mut signable, &self.config.credentials, &self.config.signature, SystemTime::now());
        let resp = match sink {
            Some(sink) => self.transport.send_into(req.op.method, url, &headers, &req.body, reading, sink)?,
            None => self.transport.send(req.op.method, url, &headers, &req.body, reading)?,
        };
        for (what, header) in [("request id", "x-oss-request-id"), ("ETag", "etag")] {
            check_id(what, resp.header(header).unwrap_or(""))?;
        }
        classify(resp, req.carries_callback)
    }
}

/// The earlier of two optional instants (None = never).
fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// 2xx is success, except 203 on a request that carried a callback (the object is stored, the callback failed).
fn classify(resp: Response, carries_callback: bool) -> Result<Response> {
    let ok = (200..300).contains(&resp.status) && !(carries_callback && resp.status == 203);
    if ok {
        return Ok(resp);
    }
    let kind = if resp.status == 203 { ErrorKind::CallbackFailed } else { ErrorKind::Service };
    Err(Error::service(kind, service_error(resp)))
}

/// Code, message and host id from the error XML (or from the base64 `x-oss-err` header when the body is empty).
fn service_error(resp: Response) -> ServiceError {
    let xml_bytes = if resp.body.is_empty() {
        resp.header("x-oss-err").and_then(|h| B64.decode(h.trim()).ok()).unwrap_or_default()
    } else {
        resp.body.clone()
    };
    let root = xml::parse(&xml_bytes);
    let field = |name: &str| -> String {
        if let Some(t) = root.as_ref().and_then(|r| r.child_text(name)) {
            return t.to_string();
        }
        let text = String::from_utf8_lossy(&xml_bytes);
        let (open, close) = (format!("<{name}>"), format!("</{name}>"));
        text.find(&open)
            .and_then(|s| {
                text[s + open.len()..].find(&close).map(|e| text[s + open.len()..s + open.len() + e].to_string())
            })
            .unwrap_or_default()
    };
    ServiceError {
        code: limits::shorten(&field("Code")),
        message: limits::shorten(&field("Message")),
        host_id: limits::shorten(&field("HostId")),
        response: resp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("x-oss-request-id".into(), "RID".into()), ("etag".into(), "\"E\"".into())],
            body: body.as_bytes().to_vec(),
            ..Response::default()
        }
    }

    #[test]
    fn callback_failed_only_with_a_callback() {
        let xml = "<?xml version=\"1.0\"?><Error><Code>CallbackFailed</Code><Message>Error status : 502.</Message><HostId>h</HostId></Error>";
        assert!(classify(resp(203, xml), false).is_ok());
        let e = classify(resp(203, xml), true).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CallbackFailed);
        assert_eq!(e.message(), "CallbackFailed: Error status : 502. RequestId: RID");
        let s = e.service_error().unwrap();
        assert_eq!((s.code.as_str(), s.host_id.as_str()), ("CallbackFailed", "h"));
        assert_eq!(s.response.etag(), Some("\"E\""));
    }

    #[test]
    fn service_errors_fall_back_to_substrings_and_headers() {
        let e = classify(resp(403, "<Error><Code>AccessDenied</Code><Message>no &</Message>"), false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Service);
        assert_eq!(e.service_error().unwrap().code, "AccessDenied");
        assert_eq!(e.service_error().unwrap().message, "no &");
        let e = classify(resp(404, ""), false).unwrap_err();
        assert_eq!(e.message(), ":  RequestId: RID");
        let mut r = resp(400, "");
        r.headers.push(("x-oss-err".into(), B64.encode("<Error><Code>InvalidDigest</Code></Error>")));
        assert_eq!(classify(r, false).unwrap_err().service_error().unwrap().code, "InvalidDigest");
    }

    #[test]
    fn reserved_headers_are_refused() {
        let o = RequestOptions::default().header("Content-Length", "3");
        assert_eq!(o.checked_headers().unwrap_err().kind(), ErrorKind::InvalidHeader);
        let o = RequestOptions::default()
            .header("x-oss-meta-n", "0")
            .header("x-oss-meta-e", "  ")
            .header("Cache-Control", " no-cache ");
        let h = o.checked_headers().unwrap();
        assert_eq!(h.iter().collect::<Vec<_>>(), vec![("x-oss-meta-n", "0"), ("Cache-Control", "no-cache")]);
    }
}
