//! A small threaded HTTP/1.1 server on `std::net`: one thread per connection, keep-alive,
//! an idle read timeout, and a clean shutdown that closes open connections and joins threads.
//! Every request goes through [`Handler::handle`] and every answer through
//! [`http::write_response`], the single dispatch point. An answer marked
//! [`Response::abort`] is not written: the connection is reset (TCP RST) instead.

use crate::hostile::{self, Wire};
use crate::http::{self, Body, HeadError, RequestHead, Response};
use socket2::SockRef;
use std::collections::HashMap;
use std::io::{self, BufReader};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How long a connection may sit idle (or stall mid-request) before it is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A request being served: its head, its streamed body and the peer address.
pub struct Request<'a> {
    pub head: RequestHead,
    pub body: Body<'a>,
    pub peer: SocketAddr,
}

/// What the server reports after each exchange.
pub struct Exchange<'a> {
    /// None when the request head could not be parsed.
    pub head: Option<&'a RequestHead>,
    pub body_len: u64,
    pub body_md5: String,
    pub response: &'a Response,
}

/// The application behind a [`Server`].
pub trait Handler: Send + Sync + 'static {
    /// Answers one request (may read its body, all of it or part of it).
    fn handle(&self, req: &mut Request<'_>) -> Response;
    /// An error answer produced by the server itself (400 for a malformed request, 500 when
    /// the handler panicked).
    fn error(&self, status: u16, message: &str) -> Response;
    /// Called with each answer just before it is written.
    fn completed(&self, _exchange: &Exchange<'_>) {}
}

/// Locks a mutex, ignoring poisoning (a panicking handler must not wedge the server).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Default)]
struct Shared {
    stopping: AtomicBool,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// Binds `127.0.0.1:port` (0 = any free port).
pub fn listen(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port))
}

/// A running server; dropping it stops accepting, closes connections and joins all threads.
pub struct Server {
    port: u16,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `handler` on `listener` (see [`listen`]).
    pub fn start(listener: TcpListener, handler: Arc<dyn Handler>) -> io::Result<Server> {
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared::default());
        let accept_shared = shared.clone();
        let accept = thread::Builder::new()
            .name(format!("http-accept-{port}"))
            .spawn(move || accept_loop(listener, handler, accept_shared))?;
        Ok(Server { port, shared, accept: Some(accept) })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the loop sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for stream in lock(&self.shared.open).values() {
            let _ = stream.shutdown(Shutdown::Read);
        }
        let threads = std::mem::take(&mut *lock(&self.shared.threads));
        for t in threads {
            let _ = t.join();
        }
    }
}

fn accept_loop(listener: TcpListener, handler: Arc<dyn Handler>, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // Out of descriptors or similar: back off instead of spinning.
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
        if let Ok(clone) = stream.try_clone() {
            lock(&shared.open).insert(id, clone);
        }
        let (h, s) = (handler.clone(), shared.clone());
        let spawned = thread::Builder::new().name(format!("http-conn-{id}")).spawn(move || {
            serve_connection(&*h, stream, &s);
            lock(&s.open).remove(&id);
        });
        let mut threads = lock(&shared.threads);
        threads.retain(|t| !t.is_finished());
        match spawned {
            Ok(t) => threads.push(t),
            Err(_) => {
                lock(&shared.open).remove(&id);
            }
        }
    }
}

fn serve_connection(handler: &dyn Handler, stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let (Ok(peer), Ok(read_half)) = (stream.peer_addr(), stream.try_clone()) else {
        return;
    };
    let mut reader = BufReader::with_capacity(64 * 1024, read_half);
    while !shared.stopping.load(Ordering::SeqCst) {
        let head = match RequestHead::read(&mut reader) {
            Ok(head) => head,
            Err(HeadError::Closed | HeadError::Io(_)) => break,
            Err(HeadError::Malformed(msg)) => {
                reject(handler, &stream, &msg);
                break;
            }
        };
        let framing = match head.framing() {
            Ok(f) => f,
            Err(msg) => {
                reject(handler, &stream, &msg);
                break;
            }
        };
        let expect_continue =
            head.minor_version >= 1 && head.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
        let mut req = Request { head, body: Body::new(&mut reader, framing, expect_continue.then_some(&stream)), peer };
        let mut resp = catch_unwind(AssertUnwindSafe(|| handler.handle(&mut req)))
            .unwrap_or_else(|_| handler.error(500, "internal error while handling the request"));
        let reusable = !resp.abort && req.body.finish();
        let keep_alive = reusable && req.head.wants_keep_alive() && !shared.stopping.load(Ordering::SeqCst);
        // Reported before writing, so a client that has the answer also finds it logged.
        handler.completed(&Exchange {
            head: Some(&req.head),
            body_len: req.body.consumed(),
            body_md5: req.body.md5_hex(),
            response: &resp,
        });
        if resp.abort {
            // Closing the last handle of a socket that lingers for 0 s sends RST, not FIN; the
            // other handles (the reader here, the clone in `open`) go right after this return.
            let _ = SockRef::from(&stream).set_linger(Some(Duration::ZERO));
            return;
        }
        if resp.wire != Wire::Normal {
            let wire = resp.wire;
            hostile::send(&stream, &mut reader, &mut resp, wire, &shared.stopping);
            break;
        }
        let head_only = req.head.method == "HEAD";
        let written = http::write_response(&stream, &mut resp, head_only, keep_alive).is_ok();
        if !written || !keep_alive {
            break;
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Answers a request that could not be parsed, then the connection closes.
fn reject(handler: &dyn Handler, stream: &TcpStream, msg: &str) {
    let mut resp = handler.error(400, msg);
    handler.completed(&Exchange { head: None, body_len: 0, body_md5: String::new(), response: &resp });
    let _ = http::write_response(stream, &mut resp, false, false);
}
