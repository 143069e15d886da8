//! Fault injection, end to end: each fault mode driven over raw TCP, the control endpoints,
//! the counters, the callback receiver's failure modes and the binaries' flags.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::*;
use oss_emulator::{
    Emulator, EmulatorConfig, ErrorStatus, FaultCounts, FaultKind, FaultRule, Faults, LostAnswer, Malformation,
    Operation, ReceiverConfig,
};
use serde_json::{json, Value};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const FORM: &str = "application/x-www-form-urlencoded";

fn set(emu: &Emulator, rules: Vec<FaultRule>) {
    emu.set_faults(Faults { seed: 0, rules }).unwrap();
}

fn code(r: &Reply) -> String {
    r.text().split("<Code>").nth(1).map_or(String::new(), |s| s.split('<').next().unwrap().to_string())
}

fn initiate(port: u16, key: &str) -> String {
    let r = request(port, "POST", &format!("/bkt/{key}?uploads"), &format!("/bkt/{key}?uploads"), &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    r.text().split("<UploadId>").nth(1).unwrap().split('<').next().unwrap().to_string()
}

fn part_target(key: &str, id: &str, n: u32) -> String {
    format!("/bkt/{key}?partNumber={n}&uploadId={id}")
}

/// Uploads part 1 and returns its ETag.
fn upload_part(port: u16, key: &str, id: &str, body: &[u8]) -> String {
    let target = part_target(key, id, 1);
    let r = request(port, "PUT", &target, &target, &[], body);
    assert_eq!(r.status, 200, "{}", r.text());
    r.header("ETag").unwrap().to_string()
}

fn complete_body(etag: &str) -> String {
    format!(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>"
    )
}

fn complete(port: u16, key: &str, id: &str, etag: &str, extra: &[(&str, String)]) -> Reply {
    let target = format!("/bkt/{key}?uploadId={id}");
    request(port, "POST", &target, &target, extra, complete_body(etag).as_bytes())
}

fn list_parts(port: u16, key: &str, id: &str) -> Reply {
    let target = format!("/bkt/{key}?uploadId={id}");
    request(port, "GET", &target, &target, &[], b"")
}

/// Sends `head` and `body`, then reads to the end: the first I/O error seen, if any.
fn first_io_error(port: u16, head: &str, body: &[u8]) -> Option<io::ErrorKind> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    if let Err(e) = s.write_all(head.as_bytes()).and_then(|()| s.write_all(body)) {
        return Some(e.kind());
    }
    s.read_to_end(&mut Vec::new()).err().map(|e| e.kind())
}

/// An unauthenticated request on a new connection.
fn raw(port: u16, method: &str, path: &str, body: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    read_reply(&mut BufReader::new(s), method == "HEAD")
}

fn json_of(r: &Reply) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn faulted_entries(emu: &Emulator) -> Vec<Value> {
    emu.requests().into_iter().filter(|e| e.get("fault").is_some()).collect()
}

#[test]
fn error_faults_answer_oss_errors_and_keep_the_connection_usable() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    let id = initiate(port, "e");
    set(
        &emu,
        vec![
            FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
                .operation(Operation::UploadPart)
                .query_contains("partNumber=1")
                .limit(1),
            FaultRule::new(FaultKind::Error(ErrorStatus::TooManyRequests))
                .method("put")
                .query_contains("partNumber=2")
                .limit(1),
            FaultRule::new(FaultKind::Error(ErrorStatus::InternalError)).operation(Operation::HeadObject),
            FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable)).operation(Operation::PutObject),
        ],
    );

    // One keep-alive connection: every error answer leaves it usable (the body was drained).
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut send = |method: &str, target: &str, body: &[u8]| {
        s.write_all(signed_head(port, method, target, target, &[], body.len(), false).as_bytes()).unwrap();
        s.write_all(body).unwrap();
        read_reply(&mut reader, method == "HEAD")
    };
    let (part1, part2) = (part_target("e", &id, 1), part_target("e", &id, 2));
    let r = send("PUT", &part1, &[1; 1000]);
    assert_eq!((r.status, code(&r).as_str()), (503, "ServiceUnavailable"));
    let request_id = r.header("x-oss-request-id").unwrap().to_string();
    assert!(r.text().contains(&format!("<RequestId>{request_id}</RequestId>")), "{}", r.text());
    assert!(r.text().starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n"));
    assert_eq!(r.header("Connection"), Some("keep-alive"));
    let listing = send("GET", &format!("/bkt/e?uploadId={id}"), b"");
    assert!(listing.status == 200 && !listing.text().contains("<Part>"), "nothing stored: {}", listing.text());
    assert_eq!(send("PUT", &part1, &[1; 1000]).status, 200, "the limit of 1 is used up");
    let r = send("PUT", &part2, &[2; 10]);
    assert_eq!((r.status, code(&r).as_str()), (429, "TooManyRequests"));
    assert_eq!(send("PUT", &part2, &[2; 10]).status, 200);
    let r = send("HEAD", "/bkt/e", b"");
    assert_eq!(r.status, 500);
    let xml = String::from_utf8(B64.decode(r.header("x-oss-err").unwrap()).unwrap()).unwrap();
    assert!(xml.contains("<Code>InternalError</Code>"), "{xml}");

    // A client waiting for 100 Continue gets the error and a closed connection instead.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = signed_head(port, "PUT", "/bkt/x", "/bkt/x", &[("Expect", "100-continue".into())], 5, false);
    s.write_all(head.as_bytes()).unwrap();
    let mut reader = BufReader::new(s);
    let r = read_reply(&mut reader, false);
    assert_eq!((r.status, code(&r).as_str(), r.header("Connection")), (503, "ServiceUnavailable", Some("close")));
    assert_eq!(reader.read(&mut [0; 1]).unwrap(), 0);
    assert!(emu.object("bkt", "x").is_none());

    assert_eq!(emu.stats().faults, FaultCounts { error: 4, ..Default::default() });
    let faulted = faulted_entries(&emu);
    assert_eq!(faulted.len(), 4);
    assert_eq!(faulted[0]["fault"], json!({"rule": 0, "fault": "error", "status": 503}));
    assert_eq!(faulted[0]["status"], 503);
    assert_eq!(faulted[1]["fault"], json!({"rule": 1, "fault": "error", "status": 429}));
    assert!(emu.requests().iter().filter(|e| e.get("fault").is_none()).all(|e| e["status"] == 200));
}

#[test]
fn rates_follow_the_seed() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    assert_eq!(put(port, "obj", b"data", &[]).status, 200);
    let run = |seed: u64| -> Vec<u16> {
        let rule =
            FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable)).operation(Operation::GetObject).rate(0.5);
        emu.set_faults(Faults { seed, rules: vec![rule] }).unwrap();
        (0..32).map(|_| request(port, "GET", "/bkt/obj", "/bkt/obj", &[], b"").status).collect()
    };
    let (a, b, c) = (run(7), run(7), run(8));
    assert_eq!(a, b, "the same seed gives the same faults");
    assert_ne!(a, c);
    assert!(a.iter().chain(&c).all(|s| *s == 200 || *s == 503));
    let hits = |v: &[u16]| v.iter().filter(|s| **s == 503).count() as u64;
    assert!((6..=26).contains(&hits(&a)), "{a:?}");
    assert_eq!(emu.stats().faults.error, hits(&a) + hits(&b) + hits(&c));
}

#[test]
fn complete_fails_before_or_after_the_commit() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let rx = receiver(ReceiverConfig::default());
    let port = emu.port();
    let cb = [("x-oss-callback", callback_header(&rx.url(), "object=${object}&size=${size}", FORM))];
    let data = vec![7u8; 1000];
    let complete_rule = |kind| FaultRule::new(kind).operation(Operation::CompleteMultipartUpload);

    // Before: nothing happens, the upload stays open, a retry completes it.
    let id = initiate(port, "m1");
    let etag = upload_part(port, "m1", &id, &data);
    set(&emu, vec![complete_rule(FaultKind::Error(ErrorStatus::InternalError)).limit(1)]);
    let r = complete(port, "m1", &id, &etag, &cb);
    assert_eq!((r.status, code(&r).as_str()), (500, "InternalError"));
    assert_eq!(emu.uploads("bkt"), vec![id.clone()]);
    assert!(emu.object("bkt", "m1").is_none());
    assert!(rx.received().is_empty());
    let r = complete(port, "m1", &id, &etag, &cb);
    assert_eq!((r.status, r.text().as_str()), (200, r#"{"Status":"OK"}"#));
    assert_eq!(emu.object("bkt", "m1").unwrap(), data);
    assert_eq!((emu.callback_posts_for_upload(&id), emu.callback_posts("bkt", "m1")), (1, 1));

    // After, answered with an error: the object is committed and the callback ran once; the
    // retry finds no upload and POSTs no second callback.
    let id2 = initiate(port, "m2");
    let etag2 = upload_part(port, "m2", &id2, &data);
    set(&emu, vec![complete_rule(FaultKind::LoseResponseAfterCommit(LostAnswer::Error(ErrorStatus::InternalError)))]);
    let r = complete(port, "m2", &id2, &etag2, &cb);
    assert_eq!((r.status, code(&r).as_str()), (500, "InternalError"));
    assert_eq!(emu.object("bkt", "m2").unwrap(), data);
    assert!(emu.uploads("bkt").is_empty());
    let r = complete(port, "m2", &id2, &etag2, &cb);
    assert_eq!((r.status, code(&r).as_str()), (404, "NoSuchUpload"));
    assert_eq!(emu.callback_posts_for_upload(&id2), 1);
    assert_eq!(rx.received().len(), 2);
    let lost = faulted_entries(&emu).pop().unwrap();
    assert_eq!(lost["fault"], json!({"rule": 0, "fault": "lose_response_after_commit", "status": 500}));
    assert_eq!((lost["status"].as_u64(), lost["callback"]["status"].as_u64()), (Some(500), Some(200)));

    // After, with a reset: no answer at all, the object is committed all the same.
    let id3 = initiate(port, "m3");
    let etag3 = upload_part(port, "m3", &id3, &data);
    set(&emu, vec![complete_rule(FaultKind::LoseResponseAfterCommit(LostAnswer::Reset))]);
    let target = format!("/bkt/m3?uploadId={id3}");
    let body = complete_body(&etag3);
    let head = signed_head(port, "POST", &target, &target, &cb, body.len(), false);
    assert_eq!(first_io_error(port, &head, body.as_bytes()), Some(io::ErrorKind::ConnectionReset));
    assert_eq!(emu.object("bkt", "m3").unwrap(), data);
    assert_eq!(emu.callback_posts_for_upload(&id3), 1);
    let reset = faulted_entries(&emu).pop().unwrap();
    assert_eq!((reset["status"].clone(), reset["fault"]["reset"].clone()), (Value::Null, json!(true)));

    // A Complete that fails on its own is answered as is, and not counted.
    let id4 = initiate(port, "m4");
    let r = complete(port, "m4", &id4, "\"00\"", &[]);
    assert_eq!((r.status, code(&r).as_str()), (400, "InvalidPart"));
    assert_eq!(emu.stats().faults, FaultCounts { error: 1, lose_response_after_commit: 2, ..Default::default() });
    assert_eq!(rx.received().len(), 3);
}

#[test]
fn resets_mid_body_store_nothing() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    set(
        &emu,
        vec![FaultRule::new(FaultKind::Reset { after_bytes: Some(1000) }).operation(Operation::PutObject).limit(1)],
    );
    let body = vec![3u8; 300_000];
    let head = signed_head(port, "PUT", "/bkt/big", "/bkt/big", &[], body.len(), false);
    assert_eq!(first_io_error(port, &head, &body), Some(io::ErrorKind::ConnectionReset));
    assert!(emu.object("bkt", "big").is_none());
    let entry = faulted_entries(&emu).pop().unwrap();
    assert_eq!((entry["status"].clone(), entry["body_len"].as_u64()), (Value::Null, Some(1000)));
    assert_eq!(entry["fault"], json!({"rule": 0, "fault": "reset", "after_bytes": 1000}));
    let r = put(port, "big", &body, &[("Content-Md5", md5_b64(&body))]);
    assert_eq!(r.status, 200, "the limit of 1 is used up");
    assert_eq!(emu.object("bkt", "big").unwrap(), body);

    // By default half the declared body is read.
    let id = initiate(port, "p");
    set(&emu, vec![FaultRule::new(FaultKind::Reset { after_bytes: None }).operation(Operation::UploadPart)]);
    let target = part_target("p", &id, 1);
    let head = signed_head(port, "PUT", &target, &target, &[], 10, false);
    assert_eq!(first_io_error(port, &head, &[9; 10]), Some(io::ErrorKind::ConnectionReset));
    assert_eq!(faulted_entries(&emu).pop().unwrap()["body_len"], 5);
    assert!(!list_parts(port, "p", &id).text().contains("<Part>"));
    assert_eq!(emu.stats().faults, FaultCounts { reset: 2, ..Default::default() });
}

#[test]
fn delays_outlast_client_timeouts_but_not_shutdown() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    assert_eq!(put(port, "slow", b"slow body", &[]).status, 200);
    let delay = |ms| FaultRule::new(FaultKind::Delay(Duration::from_millis(ms))).operation(Operation::GetObject);
    set(&emu, vec![delay(800).limit(1)]);
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    s.write_all(signed_head(port, "GET", "/bkt/slow", "/bkt/slow", &[], 0, true).as_bytes()).unwrap();
    let err = s.read(&mut [0; 1]).unwrap_err();
    assert!(matches!(err.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut), "{err}");

    set(&emu, vec![delay(400)]);
    let start = Instant::now();
    let r = request(port, "GET", "/bkt/slow", "/bkt/slow", &[], b"");
    assert_eq!((r.status, r.body.as_slice()), (200, &b"slow body"[..]));
    assert!(start.elapsed() >= Duration::from_millis(400));
    // The first, 800 ms delay may still be pending: its entry is logged when it answers.
    assert!(faulted_entries(&emu).iter().any(|e| e["fault"] == json!({"rule": 0, "fault": "delay", "ms": 400})));
    assert_eq!(emu.stats().faults.delay, 2);

    // Stopping the emulator ends a pending delay.
    set(&emu, vec![delay(30_000)]);
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(signed_head(port, "GET", "/bkt/slow", "/bkt/slow", &[], 0, true).as_bytes()).unwrap();
    thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    drop(emu);
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
}

#[test]
fn malformed_answers_are_cut_with_a_matching_content_length() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    let malformed = |how, op| FaultRule::new(FaultKind::Malformed(how)).operation(op);

    set(&emu, vec![malformed(Malformation::Unterminated, Operation::InitiateMultipartUpload)]);
    let r = request(port, "POST", "/bkt/mal?uploads", "/bkt/mal?uploads", &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.text().ends_with("<Key>mal</Key>\n  <UploadId>"), "{}", r.text());
    assert_eq!(r.header("Content-Length"), Some(r.body.len().to_string().as_str()));
    let ids = emu.uploads("bkt");
    assert_eq!(ids.len(), 1, "the upload was initiated all the same");
    let etag = upload_part(port, "mal", &ids[0], b"part");

    set(&emu, vec![]);
    let full = list_parts(port, "mal", &ids[0]);
    set(&emu, vec![malformed(Malformation::Truncate, Operation::ListParts)]);
    let cut = list_parts(port, "mal", &ids[0]);
    assert_eq!((cut.status, cut.body.as_slice()), (200, &full.body[..full.body.len() / 2]));

    set(&emu, vec![malformed(Malformation::Truncate, Operation::CompleteMultipartUpload)]);
    let r = complete(port, "mal", &ids[0], &etag, &[]);
    assert_eq!(r.status, 200);
    assert!(r.text().starts_with("<?xml") && !r.text().contains("</CompleteMultipartUploadResult>"));
    assert_eq!(emu.object("bkt", "mal").unwrap(), b"part");

    // Error answers pass unchanged and are not counted.
    set(&emu, vec![malformed(Malformation::Truncate, Operation::GetObject)]);
    let r = request(port, "GET", "/bkt/missing", "/bkt/missing", &[], b"");
    assert_eq!(r.status, 404);
    assert!(r.text().ends_with("</Error>\n"));
    assert_eq!(emu.stats().faults, FaultCounts { malformed: 3, ..Default::default() });
}

#[test]
fn receiver_fails_a_seeded_fraction_and_answers_non_json() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    let run = |seed: u64| {
        let rx = receiver(ReceiverConfig { fail_rate: 0.5, seed, ..Default::default() });
        let cb = [("x-oss-callback", callback_header(&rx.url(), "object=${object}", FORM))];
        let statuses: Vec<u16> = (0..20).map(|i| put(port, &format!("f{i}"), b"x", &cb).status).collect();
        let replies: Vec<u16> = rx.received().iter().map(|c| c.reply_status).collect();
        (statuses, replies)
    };
    let (statuses, replies) = run(3);
    assert_eq!(replies.len(), 20);
    assert!(replies.iter().all(|s| *s == 200 || *s == 500));
    let failed = replies.iter().filter(|s| **s == 500).count();
    assert!((3..=17).contains(&failed), "{replies:?}");
    let expected: Vec<u16> = replies.iter().map(|s| if *s == 500 { 203 } else { 200 }).collect();
    assert_eq!(statuses, expected);
    assert_eq!(run(3).1, replies, "the same seed fails the same callbacks");

    let rx = receiver(ReceiverConfig { fail_rate: 1.0, ..Default::default() });
    let cb = [("x-oss-callback", callback_header(&rx.url(), "object=${object}", FORM))];
    let r = put(port, "all-fail", b"x", &cb);
    assert_eq!((r.status, code(&r).as_str()), (203, "CallbackFailed"));
    assert!(r.text().contains("Error status : 500."), "{}", r.text());

    let rx = receiver(ReceiverConfig {
        reply_body: "OK".into(),
        reply_content_type: "text/plain".into(),
        ..Default::default()
    });
    let cb = [("x-oss-callback", callback_header(&rx.url(), "object=${object}", FORM))];
    let r = put(port, "not-json", b"x", &cb);
    assert_eq!(r.status, 203);
    assert!(r.text().contains("Response body is not valid json format."), "{}", r.text());
    assert_eq!(emu.object("bkt", "not-json").unwrap(), b"x");

    let bad = oss_emulator::CallbackReceiver::start(ReceiverConfig { fail_rate: 1.5, ..Default::default() });
    assert_eq!(bad.err().unwrap().kind(), io::ErrorKind::InvalidInput);
}

#[test]
fn slow_callback_past_the_default_timeout_is_callback_failed() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let rx = receiver(ReceiverConfig { delay: Duration::from_millis(5600), ..Default::default() });
    let cb = [("x-oss-callback", callback_header(&rx.url(), "object=${object}", FORM))];
    let start = Instant::now();
    let r = put(emu.port(), "slow-cb", b"x", &cb);
    let elapsed = start.elapsed();
    assert_eq!((r.status, code(&r).as_str()), (203, "CallbackFailed"));
    assert!(r.text().contains("timeout: 5000 MS"), "{}", r.text());
    // 203 rather than the receiver's 200 shows the emulator did not wait for the reply.
    assert!(elapsed >= Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(emu.object("bkt", "slow-cb").unwrap(), b"x");
    assert_eq!(emu.callback_posts("bkt", "slow-cb"), 1);
}

#[test]
fn control_endpoints_and_counters() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    let cfg = json!({"seed": 11, "rules": [
        {"fault": "error", "status": 429, "rate": 1.0, "method": "GET", "operation": "GetObject"},
        {"fault": "reset", "rate": 0.25, "limit": 3, "query_contains": "partNumber"},
    ]});
    let r = raw(port, "PUT", "/__emulator/faults", &cfg.to_string());
    assert_eq!((r.status, json_of(&r)), (200, cfg.clone()));
    assert_eq!(
        emu.faults(),
        Faults {
            seed: 11,
            rules: vec![
                FaultRule::new(FaultKind::Error(ErrorStatus::TooManyRequests))
                    .method("GET")
                    .operation(Operation::GetObject),
                FaultRule::new(FaultKind::Reset { after_bytes: None }).rate(0.25).limit(3).query_contains("partNumber"),
            ],
        }
    );
    assert_eq!(json_of(&raw(port, "GET", "/__emulator/faults", "")), cfg);
    assert_eq!(request(port, "GET", "/bkt/k", "/bkt/k", &[], b"").status, 429);
    for (body, expected) in [
        ("{oops", "invalid JSON"),
        (r#"{"rules":[{"fault":"error","typo":1}]}"#, "rule 0: unknown key 'typo'"),
        (r#"{"rules":[{"fault":"delay","ms":5,"rate":2}]}"#, "between 0.0 and 1.0"),
    ] {
        let r = raw(port, "PUT", "/__emulator/faults", body);
        assert_eq!(r.status, 400);
        assert!(json_of(&r)["error"].as_str().unwrap().contains(expected), "{}", r.text());
    }
    assert_eq!(emu.faults().seed, 11, "a rejected configuration changes nothing");
    let r = raw(port, "POST", "/__emulator/faults", "");
    assert_eq!((r.status, r.header("Allow")), (405, Some("GET, HEAD, PUT, DELETE")));

    // Private endpoints and unauthenticated requests are never faulted.
    set(&emu, vec![FaultRule::new(FaultKind::Error(ErrorStatus::InternalError))]);
    assert_eq!(raw(port, "GET", "/__emulator/stats", "").status, 200);
    assert_eq!(raw(port, "GET", "/__emulator/callback_pub_key_v1.pem", "").status, 200);
    let r = raw(port, "GET", "/bkt/k", "");
    assert_eq!((r.status, code(&r).as_str()), (403, "AccessDenied"));
    assert_eq!(put(port, "k", b"v", &[]).status, 500);
    let r = raw(port, "DELETE", "/__emulator/faults", "");
    assert_eq!(json_of(&r), json!({"seed": 0, "rules": []}));
    assert_eq!(put(port, "k", b"v", &[]).status, 200);

    // Callback POSTs per object; a callback that reached no server POSTed nothing.
    let rx = receiver(ReceiverConfig::default());
    let cb = [("x-oss-callback", callback_header(&rx.url(), "object=${object}", FORM))];
    assert_eq!(put(port, "cb", b"1", &cb).status, 200);
    assert_eq!(put(port, "cb", b"2", &cb).status, 200);
    let dead = callback_header(&format!("http://127.0.0.1:{}/", closed_port()), "a=${object}", FORM);
    assert_eq!(put(port, "dead", b"3", &[("x-oss-callback", dead)]).status, 203);
    let stats = emu.stats();
    assert_eq!(stats.faults, FaultCounts { error: 2, ..Default::default() });
    let counts: Vec<(&str, Option<&str>, Operation, u64)> =
        stats.callbacks.iter().map(|c| (c.key.as_str(), c.upload_id.as_deref(), c.operation, c.posts)).collect();
    assert_eq!(counts, vec![("cb", None, Operation::PutObject, 2), ("dead", None, Operation::PutObject, 0)]);
    assert_eq!((emu.callback_posts("bkt", "cb"), emu.callback_posts("bkt", "nothing")), (2, 0));
    let r = raw(port, "GET", "/__emulator/stats", "");
    assert_eq!(json_of(&r), stats.to_json());
    assert_eq!(
        json_of(&r)["callbacks"][0],
        json!({"bucket": "bkt", "key": "cb", "upload_id": null, "operation": "PutObject", "posts": 2})
    );
    assert_eq!(json_of(&r)["faults"]["total"], 2);

    let bad = Faults { seed: 0, rules: vec![FaultRule::new(FaultKind::Delay(Duration::ZERO)).rate(-0.1)] };
    assert_eq!(emu.set_faults(bad.clone()).unwrap_err().kind(), io::ErrorKind::InvalidInput);
    let started = Emulator::start(EmulatorConfig { faults: bad, ..Default::default() });
    assert_eq!(started.err().unwrap().kind(), io::ErrorKind::InvalidInput);
}

/// Kills the child process it holds when dropped, so a failed assertion leaves nothing behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a binary that prints its port first; returns it, its stdout and the port.
fn spawn(exe: &str, args: &[&str]) -> (Child, BufReader<std::process::ChildStdout>, u16) {
    let mut child = Command::new(exe).args(args).stdout(Stdio::piped()).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let child = Child(child);
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    (child, out, first.trim().parse().unwrap())
}

#[test]
fn binaries_take_fault_flags() {
    let emulator = env!("CARGO_BIN_EXE_oss-emulator");
    let (_child, _out, port) = spawn(
        emulator,
        &[
            "--fault",
            "fault=error,status=503,operation=PutObject,limit=1",
            "--fault-seed",
            "5",
            "--fault",
            "fault=delay,ms=1,method=DELETE",
        ],
    );
    let r = put(port, "bin", b"x", &[]);
    assert_eq!((r.status, code(&r).as_str()), (503, "ServiceUnavailable"));
    assert_eq!(put(port, "bin", b"x", &[]).status, 200);
    assert_eq!(json_of(&raw(port, "GET", "/__emulator/stats", ""))["faults"]["error"], 1);
    assert_eq!(
        json_of(&raw(port, "GET", "/__emulator/faults", "")),
        json!({"seed": 5, "rules": [
            {"fault": "error", "status": 503, "rate": 1.0, "limit": 1, "operation": "PutObject"},
            {"fault": "delay", "ms": 1, "rate": 1.0, "method": "DELETE"},
        ]})
    );
    let bad = Command::new(emulator).args(["--fault", "fault=error,status=404"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("500, 503, 429"));

    let receiver = env!("CARGO_BIN_EXE_callback-receiver");
    let (_rx, mut rx_out, rx_port) =
        spawn(receiver, &["--allow-key-prefix", "http://127.0.0.1:", "--fail-rate", "1", "--seed", "9"]);
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let cb = [("x-oss-callback", callback_header(&format!("http://127.0.0.1:{rx_port}/"), "o=${object}", FORM))];
    let r = put(emu.port(), "k", b"x", &cb);
    assert!(r.status == 203 && r.text().contains("Error status : 500."), "{}", r.text());
    let mut line = String::new();
    rx_out.read_line(&mut line).unwrap();
    let logged: Value = serde_json::from_str(&line).unwrap();
    assert_eq!((logged["reply_status"].as_u64(), logged["signature_valid"].as_bool()), (Some(500), Some(true)));

    let help = |exe: &str| String::from_utf8(Command::new(exe).arg("--help").output().unwrap().stdout).unwrap();
    let text = help(emulator);
    for flag in [
        "--fault SPEC",
        "--fault-seed",
        "lose_response_after_commit",
        "after_bytes",
        "query_contains",
        "/__emulator/stats",
    ] {
        assert!(text.contains(flag), "oss-emulator --help lacks {flag}");
    }
    let text = help(receiver);
    for flag in ["--fail-rate", "--seed", "--reply-content-type", "--delay-ms", "--status"] {
        assert!(text.contains(flag), "callback-receiver --help lacks {flag}");
    }
}
