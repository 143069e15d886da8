//! HTTP/1.1 messages on blocking sockets: header blocks, request bodies (Content-Length or
//! chunked, with a lazy `100 Continue`) and responses.

use md5::{Digest, Md5};
use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::net::TcpStream;

/// Largest accepted header block (request line plus headers).
pub const MAX_HEAD_BYTES: u64 = 64 * 1024;

/// Why a header block could not be read.
#[derive(Debug)]
pub enum HeadError {
    /// The peer closed the connection before sending anything.
    Closed,
    Io(io::Error),
    Malformed(String),
}

/// Reads a start line and header lines up to the empty line. Header names and values keep
/// their case and order; values are trimmed; bytes that are not UTF-8 are replaced.
pub fn read_header_block(reader: &mut dyn BufRead) -> Result<(String, Vec<(String, String)>), HeadError> {
    let mut budget = MAX_HEAD_BYTES;
    let mut start = None;
    let mut headers = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = (&mut *reader).take(budget).read_until(b'\n', &mut line).map_err(HeadError::Io)?;
        if n == 0 {
            return Err(match start {
                None => HeadError::Closed,
                Some(_) => HeadError::Malformed("connection closed inside the header block".into()),
            });
        }
        budget -= n as u64;
        if !line.ends_with(b"\n") {
            return Err(HeadError::Malformed("header block too large".into()));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        match &start {
            // Empty lines before the start line are tolerated (RFC 9112 §2.2).
            None if text.is_empty() => {}
            None => start = Some(text.to_string()),
            Some(_) if text.is_empty() => break,
            Some(_) => {
                if text.starts_with([' ', '\t']) {
                    return Err(HeadError::Malformed("obsolete header line folding".into()));
                }
                let (name, value) = text
                    .split_once(':')
                    .ok_or_else(|| HeadError::Malformed(format!("header line without ':': {text}")))?;
                if name.is_empty() || !name.bytes().all(is_token_byte) {
                    return Err(HeadError::Malformed(format!("invalid header name: {name}")));
                }
                headers.push((name.to_string(), value.trim().to_string()));
            }
        }
    }
    Ok((start.unwrap_or_default(), headers))
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The last value of header `name` (case-insensitive).
pub fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().rev().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// A parsed request line and headers.
#[derive(Debug, Clone)]
pub struct RequestHead {
    pub method: String,
    /// The raw request target as sent.
    pub target: String,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    pub headers: Vec<(String, String)>,
}

impl RequestHead {
    /// Reads and parses a request head.
    pub fn read(reader: &mut dyn BufRead) -> Result<RequestHead, HeadError> {
        let (line, headers) = read_header_block(reader)?;
        let mut parts = line.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(HeadError::Malformed(format!("invalid request line: {line}")));
        };
        let minor_version = match version {
            "HTTP/1.1" => 1,
            "HTTP/1.0" => 0,
            _ => return Err(HeadError::Malformed(format!("unsupported version: {version}"))),
        };
        if method.is_empty() || !method.bytes().all(is_token_byte) || target.is_empty() {
            return Err(HeadError::Malformed(format!("invalid request line: {line}")));
        }
        Ok(RequestHead { method: method.to_string(), target: target.to_string(), minor_version, headers })
    }

    /// The last value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The origin-form target (`/path?query`), also for absolute-form targets.
    fn origin_form(&self) -> &str {
        match self.target.split_once("://") {
            Some((_, rest)) if !self.target.starts_with('/') => rest.find('/').map_or("/", |i| &rest[i..]),
            _ => &self.target,
        }
    }

    /// The raw (still percent-encoded) path.
    pub fn path(&self) -> &str {
        let t = self.origin_form();
        t.split_once('?').map_or(t, |(p, _)| p)
    }

    /// The raw query string without `?`, if the target has one.
    pub fn query(&self) -> Option<&str> {
        self.origin_form().split_once('?').map(|(_, q)| q)
    }

    /// Whether the client allows the connection to be reused after this exchange.
    pub fn wants_keep_alive(&self) -> bool {
        let conn = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.minor_version == 0 {
            conn.contains("keep-alive")
        } else {
            !conn.contains("close")
        }
    }

    /// How the request body is delimited.
    pub fn framing(&self) -> Result<Framing, String> {
        framing_of(&self.headers, false)
    }
}

/// How a message body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Length(u64),
    Chunked,
    /// Until the peer closes (responses only).
    UntilEof,
}

/// Works out the body framing from headers; `response` allows read-until-close.
pub fn framing_of(headers: &[(String, String)], response: bool) -> Result<Framing, String> {
    if let Some(te) = find_header(headers, "transfer-encoding") {
        let last = te.rsplit(',').next().unwrap_or("").trim();
        return if last.eq_ignore_ascii_case("chunked") {
            Ok(Framing::Chunked)
        } else {
            Err(format!("unsupported Transfer-Encoding: {te}"))
        };
    }
    let lengths: Vec<&str> =
        headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("content-length")).map(|(_, v)| v.as_str()).collect();
    match lengths.as_slice() {
        [] if response => Ok(Framing::UntilEof),
        [] => Ok(Framing::Length(0)),
        [first, rest @ ..] if rest.iter().all(|v| v == first) => {
            if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("invalid Content-Length: {first}"));
            }
            first.parse().map(Framing::Length).map_err(|_| format!("invalid Content-Length: {first}"))
        }
        _ => Err("conflicting Content-Length headers".into()),
    }
}

enum BodyState {
    Remaining(u64),
    ChunkHeader,
    ChunkData(u64),
    ChunkEnd,
    UntilEof,
    Done,
}

/// A streamed message body. Tracks how many bytes were read and their MD5, and sends
/// `100 Continue` the first time it is read when the client asked for it.
pub struct Body<'a> {
    reader: &'a mut dyn BufRead,
    continue_to: Option<&'a TcpStream>,
    state: BodyState,
    consumed: u64,
    md5: Md5,
    failed: bool,
}

const MAX_CHUNK_LINE: u64 = 4096;

impl<'a> Body<'a> {
    /// A body read from `reader`; `continue_to` is where a pending `100 Continue` goes.
    pub fn new(reader: &'a mut dyn BufRead, framing: Framing, continue_to: Option<&'a TcpStream>) -> Self {
        let state = match framing {
            Framing::Length(0) => BodyState::Done,
            Framing::Length(n) => BodyState::Remaining(n),
            Framing::Chunked => BodyState::ChunkHeader,
            Framing::UntilEof => BodyState::UntilEof,
        };
        Body { reader, continue_to, state, consumed: 0, md5: Md5::new(), failed: false }
    }

    /// Bytes read so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Lower-case hex MD5 of the bytes read so far.
    pub fn md5_hex(&self) -> String {
        crate::encoding::hex_lower(&self.md5.clone().finalize())
    }

    /// Reads the rest of the body into memory, failing with `FileTooLarge` past `limit` bytes.
    pub fn read_limited(&mut self, limit: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.take(limit + 1).read_to_end(&mut out)?;
        if out.len() as u64 > limit {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, "body too large"));
        }
        Ok(out)
    }

    /// Drains what the handler left unread. Returns whether the connection can carry another
    /// request (false if the body is broken, or the client still waits for `100 Continue`).
    pub fn finish(&mut self) -> bool {
        if self.failed {
            return false;
        }
        if matches!(self.state, BodyState::Done) {
            return true;
        }
        if self.continue_to.is_some() {
            return false;
        }
        io::copy(self, &mut io::sink()).is_ok() && !self.failed
    }

    fn send_continue(&mut self) -> io::Result<()> {
        if let Some(mut stream) = self.continue_to.take() {
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            stream.flush()?;
        }
        Ok(())
    }

    fn read_line(&mut self) -> io::Result<String> {
        let mut line = Vec::new();
        (&mut *self.reader).take(MAX_CHUNK_LINE).read_until(b'\n', &mut line)?;
        if !line.ends_with(b"\n") {
            return Err(bad_chunk("chunk framing line missing or too long"));
        }
        Ok(String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_string())
    }

    fn read_inner(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state {
                BodyState::Done => return Ok(0),
                BodyState::Remaining(left) | BodyState::ChunkData(left) => {
                    self.send_continue()?;
                    let max = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    let n = self.reader.read(&mut buf[..max])?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the request body ended before its declared length",
                        ));
                    }
                    let left = left - n as u64;
                    self.state = match (&self.state, left) {
                        (BodyState::Remaining(_), 0) => BodyState::Done,
                        (BodyState::Remaining(_), _) => BodyState::Remaining(left),
                        (_, 0) => BodyState::ChunkEnd,
                        (_, _) => BodyState::ChunkData(left),
                    };
                    return Ok(n);
                }
                BodyState::UntilEof => {
                    let n = self.reader.read(buf)?;
                    if n == 0 {
                        self.state = BodyState::Done;
                    }
                    return Ok(n);
                }
                BodyState::ChunkEnd => {
                    if !self.read_line()?.is_empty() {
                        return Err(bad_chunk("chunk data longer than its declared size"));
                    }
                    self.state = BodyState::ChunkHeader;
                }
                BodyState::ChunkHeader => {
                    self.send_continue()?;
                    let line = self.read_line()?;
                    let size = line.split(';').next().unwrap_or("").trim();
                    let size = u64::from_str_radix(size, 16).map_err(|_| bad_chunk("invalid chunk size"))?;
                    if size == 0 {
                        // Trailer section: skip fields up to the empty line.
                        while !self.read_line()?.is_empty() {}
                        self.state = BodyState::Done;
                    } else {
                        self.state = BodyState::ChunkData(size);
                    }
                }
            }
        }
    }
}

fn bad_chunk(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

impl Read for Body<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.read_inner(buf) {
            Ok(n) => {
                self.md5.update(&buf[..n]);
                self.consumed += n as u64;
                Ok(n)
            }
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }
}

/// What a response carries after its headers.
pub enum ResponseBody {
    Bytes(Vec<u8>),
    /// `len` bytes read from the file's current position.
    File(File, u64),
}

/// A response plus what the request log wants to know about it.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ResponseBody,
    /// The OSS error code, if this is an error answer.
    pub error_code: Option<String>,
    /// What happened with an upload callback, if one ran.
    pub callback: Option<serde_json::Value>,
    /// The injected fault, if any (for the request log).
    pub fault: Option<serde_json::Value>,
    /// Not to be written: the connection is reset instead (TCP RST), without an answer.
    pub abort: bool,
    /// How the answer goes on the wire (a hostile fault's misbehaviour, else normally).
    pub wire: crate::hostile::Wire,
}

impl Response {
    /// An empty response with `status`.
    pub fn empty(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: ResponseBody::Bytes(Vec::new()),
            error_code: None,
            callback: None,
            fault: None,
            abort: false,
            wire: crate::hostile::Wire::Normal,
        }
    }

    /// A response with an in-memory body of `content_type`.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut r = Self::empty(status);
        r.headers.push(("Content-Type".into(), content_type.into()));
        r.body = ResponseBody::Bytes(body.into());
        r
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    fn body_len(&self) -> u64 {
        match &self.body {
            ResponseBody::Bytes(b) => b.len() as u64,
            ResponseBody::File(_, len) => *len,
        }
    }
}

/// The standard reason phrase for `status`.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Request Entity Too Large",
        416 => "Requested Range Not Satisfiable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Writes `resp`: its head ([`head_bytes`]), then the body unless `head_only`.
pub fn write_response(stream: &TcpStream, resp: &mut Response, head_only: bool, keep_alive: bool) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(64 * 1024, stream);
    w.write_all(&head_bytes(resp, keep_alive, Some(resp.body_len())))?;
    if !head_only {
        match &mut resp.body {
            ResponseBody::Bytes(b) => w.write_all(b)?,
            ResponseBody::File(file, len) => {
                let copied = io::copy(&mut Read::take(file, *len), &mut w)?;
                if copied != *len {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "object file shrank"));
                }
            }
        }
    }
    w.flush()
}

/// The status line and headers of `resp`, then `Date` (if absent), `Connection` and `Content-Length` (or
/// `Transfer-Encoding: chunked` when `content_length` is None), and the blank line.
pub fn head_bytes(resp: &Response, keep_alive: bool, content_length: Option<u64>) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        h.push_str(&format!("{name}: {value}\r\n"));
    }
    if find_header(&resp.headers, "date").is_none() {
        h.push_str(&format!("Date: {}\r\n", crate::time::http_date_now()));
    }
    h.push_str(if keep_alive { "Connection: keep-alive\r\n" } else { "Connection: close\r\n" });
    match content_length {
        Some(n) => h.push_str(&format!("Content-Length: {n}\r\n\r\n")),
        None => h.push_str("Transfer-Encoding: chunked\r\n\r\n"),
    }
    h.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Result<RequestHead, HeadError> {
        RequestHead::read(&mut raw.as_bytes())
    }

    #[test]
    fn parses_request_heads() {
        let h = head("\r\nPUT /bkt/a%20b?uploads&x=1 HTTP/1.1\r\nHost: h\r\nX-A:  v \r\nx-a: w\r\n\r\n").unwrap();
        assert_eq!(h.path(), "/bkt/a%20b");
        assert_eq!(h.query(), Some("uploads&x=1"));
        assert_eq!(h.header("X-A"), Some("w"));
        assert!(h.wants_keep_alive());
        let h = head("GET http://bkt.localhost:1/k?q HTTP/1.0\r\n\r\n").unwrap();
        assert_eq!((h.path(), h.query()), ("/k", Some("q")));
        assert!(!h.wants_keep_alive());
        assert!(matches!(head(""), Err(HeadError::Closed)));
        assert!(matches!(head("GET /\r\n\r\n"), Err(HeadError::Malformed(_))));
        assert!(matches!(head("GET / HTTP/1.1\r\nbad line\r\n\r\n"), Err(HeadError::Malformed(_))));
        assert!(matches!(head("GET / HTTP/1.1\r\nA: b\r\n"), Err(HeadError::Malformed(_))));
    }

    #[test]
    fn reads_chunked_bodies() {
        let raw = b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT";
        let mut reader = &raw[..];
        let mut body = Body::new(&mut reader, Framing::Chunked, None);
        let mut out = String::new();
        body.read_to_string(&mut out).unwrap();
        assert_eq!(out, "hello world");
        assert_eq!(body.consumed(), 11);
        assert!(body.finish());
        assert_eq!(reader, b"NEXT");

        let mut bad = &b"5\r\nhelloXX\r\n0\r\n\r\n"[..];
        let mut body = Body::new(&mut bad, Framing::Chunked, None);
        assert!(body.read_to_end(&mut Vec::new()).is_err());
        assert!(!body.finish());
    }

    #[test]
    fn detects_framing() {
        let h = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
        };
        assert_eq!(framing_of(&h(&[("Content-Length", "5")]), false), Ok(Framing::Length(5)));
        assert_eq!(framing_of(&h(&[]), false), Ok(Framing::Length(0)));
        assert_eq!(framing_of(&h(&[]), true), Ok(Framing::UntilEof));
        assert!(framing_of(&h(&[("Content-Length", "-1")]), false).is_err());
        assert!(framing_of(&h(&[("Content-Length", "1"), ("content-length", "2")]), false).is_err());
        assert_eq!(
            framing_of(&h(&[("Transfer-Encoding", "chunked"), ("Content-Length", "3")]), false),
            Ok(Framing::Chunked)
        );
    }
}
