//! A minimal blocking HTTP/1.1 client for one request per connection, bounded by a deadline
//! (used for upload callbacks).

use crate::http::{framing_of, read_header_block, Body, Framing, HeadError};
use std::io::{self, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// A parsed `http://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    pub host: String,
    pub port: u16,
    /// Whether the port was written in the URL.
    pub explicit_port: bool,
    /// Raw path, at least `/`.
    pub path: String,
    /// Raw query without `?`, if any.
    pub query: Option<String>,
}

impl HttpUrl {
    /// Parses `[http://]host[:port][/path][?query]`. Other schemes are refused.
    pub fn parse(url: &str) -> Result<HttpUrl, String> {
        if url.chars().any(|c| c.is_control() || c == ' ') {
            return Err("spaces and control characters must be percent-encoded".into());
        }
        let rest = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) => return Err(format!("unsupported URL scheme '{scheme}'")),
            None => url,
        };
        let rest = rest.split('#').next().unwrap_or("");
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(split);
        let authority = authority.rsplit('@').next().unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.contains(']') || h.ends_with(']') => {
                let port: u16 = p.parse().ok().filter(|&p| p != 0).ok_or_else(|| format!("invalid port '{p}'"))?;
                (h, Some(port))
            }
            _ => (authority, None),
        };
        if host.is_empty() {
            return Err("missing host".into());
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (target, None),
        };
        Ok(HttpUrl {
            host: host.trim_start_matches('[').trim_end_matches(']').to_string(),
            port: port.unwrap_or(80),
            explicit_port: port.is_some(),
            path: if path.is_empty() { "/".into() } else { path.into() },
            query,
        })
    }

    /// `host[:port]` as written (the default `Host` header value).
    pub fn authority(&self) -> String {
        if self.explicit_port {
            format!("{}:{}", self.host, self.port)
        } else {
            self.host.clone()
        }
    }

    /// Path plus `?query` (the request target).
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }
}

/// What came back.
#[derive(Debug)]
pub struct ClientResponse {
    pub status: u16,
    pub body: Vec<u8>,
    /// Whether the response declared a Content-Length.
    pub has_content_length: bool,
}

/// Why an exchange failed.
#[derive(Debug)]
pub enum ClientError {
    /// No connection could be made.
    Connect(String),
    /// The deadline passed (while connecting or waiting for the reply).
    Timeout,
    /// The peer answered with something that is not valid HTTP.
    Protocol(String),
    /// The declared or actual body exceeded the limit.
    TooLarge,
}

/// Connects to `host:port` and writes all of `request` (a complete HTTP message) before
/// `deadline`; [`receive`] then reads the answer.
pub fn send(host: &str, port: u16, request: &[u8], deadline: Instant) -> Result<TcpStream, ClientError> {
    let stream = connect(host, port, deadline)?;
    let remaining = remaining(deadline)?;
    let _ = stream.set_write_timeout(Some(remaining));
    (&stream).write_all(request).and_then(|()| (&stream).flush()).map_err(|e| io_error(e, deadline))?;
    Ok(stream)
}

/// Reads one response from `stream` before `deadline`. Bodies over `max_body` bytes fail with
/// [`ClientError::TooLarge`].
pub fn receive(stream: &TcpStream, deadline: Instant, max_body: u64) -> Result<ClientResponse, ClientError> {
    let mut reader = BufReader::new(DeadlineReader { stream, deadline });
    let (status_line, headers) = read_header_block(&mut reader).map_err(|e| match e {
        HeadError::Closed => ClientError::Protocol("connection closed without a response".into()),
        HeadError::Io(e) => io_error(e, deadline),
        HeadError::Malformed(m) => ClientError::Protocol(m),
    })?;
    let status = parse_status_line(&status_line)?;
    let framing = framing_of(&headers, true).map_err(ClientError::Protocol)?;
    if let Framing::Length(n) = framing {
        if n > max_body {
            return Err(ClientError::TooLarge);
        }
    }
    let has_content_length = matches!(framing, Framing::Length(_));
    let body = Body::new(&mut reader, framing, None).read_limited(max_body).map_err(|e| match e.kind() {
        io::ErrorKind::FileTooLarge => ClientError::TooLarge,
        _ => io_error(e, deadline),
    })?;
    Ok(ClientResponse { status, body, has_content_length })
}

fn parse_status_line(line: &str) -> Result<u16, ClientError> {
    let mut parts = line.splitn(3, ' ');
    match (parts.next(), parts.next()) {
        (Some(v), Some(code)) if v.starts_with("HTTP/1.") && code.len() == 3 => {
            code.parse().map_err(|_| ClientError::Protocol(format!("invalid status line: {line}")))
        }
        _ => Err(ClientError::Protocol(format!("invalid status line: {line}"))),
    }
}

fn remaining(deadline: Instant) -> Result<Duration, ClientError> {
    deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()).ok_or(ClientError::Timeout)
}

fn connect(host: &str, port: u16, deadline: Instant) -> Result<TcpStream, ClientError> {
    let addrs =
        (host, port).to_socket_addrs().map_err(|e| ClientError::Connect(format!("cannot resolve {host}: {e}")))?;
    let mut last = format!("no address for {host}");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, remaining(deadline)?) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) if e.kind() == io::ErrorKind::TimedOut => return Err(ClientError::Timeout),
            Err(e) => last = format!("cannot connect to {addr}: {e}"),
        }
    }
    Err(ClientError::Connect(last))
}

fn io_error(e: io::Error, deadline: Instant) -> ClientError {
    if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) || Instant::now() >= deadline {
        ClientError::Timeout
    } else {
        ClientError::Protocol(e.to_string())
    }
}

/// Reads from a socket, never waiting past `deadline`.
struct DeadlineReader<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = remaining(self.deadline).map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "deadline passed"))?;
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let u = HttpUrl::parse("callback.oss-demo.com:23450").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.target()), ("callback.oss-demo.com", 23450, "/".into()));
        assert_eq!(u.authority(), "callback.oss-demo.com:23450");
        let u = HttpUrl::parse("http://h/a%20b.php?id=1&x=2").unwrap();
        assert_eq!((u.port, u.path.as_str(), u.query.as_deref()), (80, "/a%20b.php", Some("id=1&x=2")));
        assert_eq!(u.authority(), "h");
        assert!(HttpUrl::parse("https://h/").is_err());
        assert!(HttpUrl::parse("http://h:99999/").is_err());
        assert!(HttpUrl::parse("http://:80/").is_err());
        assert!(HttpUrl::parse("http://h/a b").is_err());
    }
}
