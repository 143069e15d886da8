//! Request bodies read from a caller's read callback (`oss_options_set_body_reader`) through the generic call:
//! the bytes stored, the thread the callback runs on, declared and unknown lengths, a reader that ends early or
//! stops, a callback riding on the upload, and that such a request is never repeated.

mod common;

use std::ffi::c_void;
use std::thread::{self, ThreadId};

use common::{Client, Options};
use oss_emulator::{Emulator, EmulatorConfig, ErrorStatus, FaultKind, FaultRule, Faults, Operation};
use ossrs::ffi::result::oss_result;

/// What the read callback serves and what it saw.
struct Source {
    data: Vec<u8>,
    pos: usize,
    /// Stop (return -1) once this many bytes were served.
    stop_at: Option<usize>,
    /// End (return 0) once this many bytes were served.
    end_at: Option<usize>,
    threads: Vec<ThreadId>,
    largest_cap: usize,
}

impl Source {
    fn new(data: Vec<u8>) -> Self {
        Source { data, pos: 0, stop_at: None, end_at: None, threads: Vec::new(), largest_cap: 0 }
    }
    fn userdata(&mut self) -> *mut c_void {
        (self as *mut Source).cast()
    }
}

unsafe extern "C" fn read_source(userdata: *mut c_void, buf: *mut u8, cap: usize) -> i64 {
    let s = &mut *userdata.cast::<Source>();
    s.threads.push(thread::current().id());
    s.largest_cap = s.largest_cap.max(cap);
    if s.stop_at.is_some_and(|at| s.pos >= at) {
        return -1;
    }
    let end = s.end_at.unwrap_or(s.data.len()).min(s.data.len());
    let n = cap.min(end - s.pos).min(10_000);
    std::ptr::copy_nonoverlapping(s.data[s.pos..].as_ptr(), buf, n);
    s.pos += n;
    n as i64
}

fn data(len: usize) -> Vec<u8> {
    (0..len as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
}

fn setup() -> (Emulator, Client) {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    (emulator, client)
}

#[test]
fn a_stream_of_known_length_is_stored_and_read_on_the_calling_thread() {
    let (emulator, client) = setup();
    let mut source = Source::new(data(1_000_000));
    let o = Options::new().body_reader(Some(read_source), source.userdata(), 1_000_000);
    let r = client.call("PutObject", "bkt", "stream/known.bin", Some(&o), b"").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(emulator.object("bkt", "stream/known.bin").unwrap(), source.data);
    assert!(source.threads.len() >= 100, "read in pieces: {} calls", source.threads.len());
    assert!(source.threads.iter().all(|t| *t == thread::current().id()), "the callback ran on another thread");
    assert!(source.largest_cap <= 1 << 20, "one buffer of at most 1 MiB, asked for {}", source.largest_cap);
    let put = emulator.requests().into_iter().rev().find(|e| e["method"] == "PUT").unwrap();
    let length = put["headers"].as_array().unwrap().iter().find(|h| h[0] == "content-length").map(|h| h[1].clone());
    assert_eq!(length, Some("1000000".into()), "{put}");

    // The same options again: the reader is asked again, from where it is now (at its end: an empty object would
    // be a short body, so the call fails and nothing is stored).
    let e = client.call("PutObject", "bkt", "stream/again.bin", Some(&o), b"").unwrap_err();
    assert_eq!(e.result, oss_result::Io, "{}", e.message);
    assert!(e.message.contains("ended after 0 of the 1000000 bytes"), "{}", e.message);
    assert!(emulator.object("bkt", "stream/again.bin").is_none());
}

#[test]
fn a_stream_of_unknown_length_is_sent_chunked() {
    let (emulator, client) = setup();
    let mut source = Source::new(data(300_001));
    let o = Options::new().body_reader(Some(read_source), source.userdata(), -1);
    client.call("PutObject", "bkt", "stream/chunked.bin", Some(&o), b"").unwrap();
    assert_eq!(emulator.object("bkt", "stream/chunked.bin").unwrap(), source.data);
    let put = emulator.requests().into_iter().rev().find(|e| e["method"] == "PUT").unwrap();
    let chunked = put["headers"].as_array().unwrap().iter().any(|h| h[0] == "transfer-encoding" && h[1] == "chunked");
    assert!(chunked, "{put}");
}

#[test]
fn a_short_or_stopped_stream_stores_nothing() {
    let (emulator, client) = setup();
    let mut short = Source::new(data(50_000));
    short.end_at = Some(40_000);
    let o = Options::new().body_reader(Some(read_source), short.userdata(), 50_000);
    let e = client.call("PutObject", "bkt", "stream/short.bin", Some(&o), b"").unwrap_err();
    assert_eq!(e.result, oss_result::Io);
    assert!(e.message.contains("ended after 40000 of the 50000 bytes"), "{}", e.message);
    assert!(emulator.object("bkt", "stream/short.bin").is_none());

    let mut stopped = Source::new(data(50_000));
    stopped.stop_at = Some(20_000);
    let o = Options::new().body_reader(Some(read_source), stopped.userdata(), -1);
    let e = client.call("PutObject", "bkt", "stream/stopped.bin", Some(&o), b"").unwrap_err();
    assert_eq!(e.result, oss_result::AbortedByCallback, "{}", e.message);
    assert!(emulator.object("bkt", "stream/stopped.bin").is_none());
}

#[test]
fn a_stream_carries_a_callback_and_is_never_repeated() {
    let receiver = common::local_receiver();
    let faults = Faults {
        seed: 1,
        rules: vec![FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
            .operation(Operation::PutObject)
            .limit(1)],
    };
    let emulator = Emulator::start(EmulatorConfig { faults, ..EmulatorConfig::default() }).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let cb = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"object=${{object}}&v=${{x:v}}\"}}", receiver.url());
    let mut source = Source::new(data(70_000));
    let o =
        Options::new().body_reader(Some(read_source), source.userdata(), 70_000).callback(&cb, Some("{\"x:v\":\"s\"}"));
    let e = client.call("PutObject", "bkt", "stream/cb.bin", Some(&o), b"").unwrap_err();
    assert_eq!((e.http_status, e.attempts), (503, 1), "a stream is not sent twice");

    let mut source = Source::new(data(70_000));
    let o =
        Options::new().body_reader(Some(read_source), source.userdata(), 70_000).callback(&cb, Some("{\"x:v\":\"s\"}"));
    let r = client.call("PutObject", "bkt", "stream/cb.bin", Some(&o), b"").unwrap();
    assert_eq!(r.body_text(), "{\"Status\":\"OK\"}");
    assert_eq!(emulator.object("bkt", "stream/cb.bin").unwrap(), source.data);
    assert_eq!(emulator.callback_posts("bkt", "stream/cb.bin"), 1);
    assert_eq!(receiver.received().last().unwrap().body, b"object=stream%2Fcb.bin&v=s");
}

#[test]
fn streams_and_callbacks_are_checked_before_any_request() {
    let (emulator, client) = setup();
    let before = emulator.stats().requests;
    let mut source = Source::new(data(10));
    let userdata = source.userdata();
    let reader = || Options::new().body_reader(Some(read_source), userdata, 10);
    let e = client.call("PutObject", "bkt", "k", Some(&reader().check_md5()), b"").unwrap_err();
    assert!(e.message.contains("Content-Md5"), "{}", e.message);
    let e = client.call("PutObject", "bkt", "k", Some(&reader()), b"and bytes").unwrap_err();
    assert!(e.message.contains("both a body and a body stream"), "{}", e.message);
    let e = client.call("PutObject", "bkt", "k", Some(&Options::new().callback("{not json", None)), b"x").unwrap_err();
    assert_eq!(e.result, oss_result::InvalidCallback);
    let cb = "{\"callbackUrl\":\"http://127.0.0.1:9/\",\"callbackBody\":\"a\"}";
    let e = client.call("PutObjectAcl", "bkt", "k", Some(&Options::new().callback(cb, None)), b"").unwrap_err();
    assert_eq!(e.result, oss_result::InvalidCallback, "{}", e.message);
    assert_eq!(emulator.stats().requests, before);
}
