//! Answers a broken or hostile server gives (the `huge_body`, `stall`, `drip` and `endless_continue` faults):
//! written straight to the socket by [`send`] instead of the normal answer. Each ends when the client goes away,
//! when a write has waited `IDLE_TIMEOUT`, or when the emulator stops; none holds more than a small buffer.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::http::{self, Response, ResponseBody};

/// The longest a stall or an endless answer goes on when the client neither reads nor leaves.
const MAX_HOSTILE: Duration = Duration::from_secs(300);

/// How an answer goes on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Wire {
    /// As HTTP says.
    #[default]
    Normal,
    /// The head, the response's body, then filler bytes up to `bytes` in all; `Content-Length: bytes`, or chunked
    /// (`chunked`, also when `bytes` is None: then the body never ends).
    Huge { bytes: Option<u64>, chunked: bool },
    /// Nothing at all: the request is read, the answer never comes.
    Stall,
    /// The normal answer, one byte every `every`: only the head (`head`), else only the body.
    Drip { head: bool, every: Duration },
    /// `100 Continue` every `every`, never a final answer.
    EndlessContinue { every: Duration },
    /// The answer with `bytes` filler bytes inserted at byte `at` of its body (`Content-Length` counts them).
    Inflate { at: usize, bytes: u64 },
}

/// Writes `resp` the way `wire` says (never [`Wire::Normal`]); reads from `reader` (the connection's other half)
/// only to notice that a stalled client has gone. An object body is read into memory first (test objects are
/// small). The connection is not reused afterwards.
pub fn send(stream: &TcpStream, reader: &mut dyn Read, resp: &mut Response, wire: Wire, stopping: &AtomicBool) {
    let started = Instant::now();
    let live = || !stopping.load(Ordering::SeqCst) && started.elapsed() < MAX_HOSTILE;
    if let ResponseBody::File(file, len) = &mut resp.body {
        let mut bytes = Vec::new();
        if Read::take(file, *len).read_to_end(&mut bytes).is_err() {
            return;
        }
        resp.body = ResponseBody::Bytes(bytes);
    }
    let resp = &*resp;
    let body: &[u8] = match &resp.body {
        ResponseBody::Bytes(b) => b,
        ResponseBody::File(..) => &[],
    };
    let mut w = stream;
    let _ = match wire {
        Wire::Normal => Ok(()),
        Wire::Huge { bytes, chunked } => huge(&mut w, resp, body, bytes, chunked, &live),
        Wire::Inflate { at, bytes } => inflate(&mut w, resp, body, at, bytes, &live),
        Wire::Stall => {
            stall(stream, reader, &live);
            Ok(())
        }
        Wire::Drip { head, every } => drip(&mut w, resp, body, head, every, &live),
        Wire::EndlessContinue { every } => endless_continue(&mut w, every, &live),
    };
}

/// Reads and drops whatever comes until the client closes the connection.
fn stall(stream: &TcpStream, reader: &mut dyn Read, live: &dyn Fn() -> bool) {
    let mut buf = [0u8; 4096];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    while live() {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => continue,
            Err(_) => break,
        }
    }
}

fn drip(
    w: &mut &TcpStream,
    resp: &Response,
    body: &[u8],
    head: bool,
    every: Duration,
    live: &dyn Fn() -> bool,
) -> io::Result<()> {
    let head_bytes = http::head_bytes(resp, false, Some(body.len() as u64));
    let (slow, rest): (&[u8], &[u8]) = if head { (&head_bytes, body) } else { (body, &[]) };
    if !head {
        w.write_all(&head_bytes)?;
    }
    for b in slow {
        if !live() {
            return Ok(());
        }
        w.write_all(std::slice::from_ref(b))?;
        thread::sleep(every);
    }
    w.write_all(rest)
}

fn endless_continue(w: &mut &TcpStream, every: Duration, live: &dyn Fn() -> bool) -> io::Result<()> {
    while live() {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        thread::sleep(every);
    }
    Ok(())
}

fn inflate(
    w: &mut &TcpStream,
    resp: &Response,
    body: &[u8],
    at: usize,
    bytes: u64,
    live: &dyn Fn() -> bool,
) -> io::Result<()> {
    let at = at.min(body.len());
    w.write_all(&http::head_bytes(resp, false, Some(body.len() as u64 + bytes)))?;
    w.write_all(&body[..at])?;
    let filler = [b'A'; 64 * 1024];
    let mut left = bytes;
    while left > 0 && live() {
        let n = left.min(filler.len() as u64) as usize;
        w.write_all(&filler[..n])?;
        left -= n as u64;
    }
    w.write_all(&body[at..])
}

fn huge(
    w: &mut &TcpStream,
    resp: &Response,
    start: &[u8],
    bytes: Option<u64>,
    chunked: bool,
    live: &dyn Fn() -> bool,
) -> io::Result<()> {
    let chunked = chunked || bytes.is_none();
    let length = if chunked { None } else { bytes };
    w.write_all(&http::head_bytes(resp, false, length))?;
    let filler = [b'A'; 64 * 1024];
    let mut left = bytes;
    let mut piece: &[u8] = if start.is_empty() { &filler } else { start };
    loop {
        let n = match left {
            Some(0) => break,
            Some(l) => piece.len().min(l as usize),
            None => piece.len(),
        };
        if chunked {
            write!(w, "{n:x}\r\n")?;
            w.write_all(&piece[..n])?;
            w.write_all(b"\r\n")?;
        } else {
            w.write_all(&piece[..n])?;
        }
        left = left.map(|l| l - n as u64);
        if !live() {
            return Ok(());
        }
        piece = &filler;
    }
    if chunked {
        w.write_all(b"0\r\n\r\n")?;
    }
    Ok(())
}
