//! The managed upload (`oss_upload_file`): parallel parts reassemble byte-exact, progress runs on the calling
//! thread and can cancel, failures abort the upload (or keep it on request), CRC-64 mismatches are caught.

mod common;

use std::ffi::c_void;
use std::thread::ThreadId;

use common::recorder::{http_response, Recorded, Recorder};
use common::{Client, Options};
use oss_emulator::{CallbackReceiver, Emulator, EmulatorConfig, ReceiverConfig};
use ossrs::ffi::oss_result;

/// What the progress callback saw.
struct Seen {
    caller: ThreadId,
    calls: Vec<(u32, u64, u64)>,
    foreign_thread_calls: usize,
    cancel_after: Option<usize>,
}

unsafe extern "C" fn on_progress(userdata: *mut c_void, part: u32, done: u64, total: u64) -> i32 {
    let seen = &mut *(userdata as *mut Seen);
    if std::thread::current().id() != seen.caller {
        seen.foreign_thread_calls += 1;
    }
    seen.calls.push((part, done, total));
    i32::from(seen.cancel_after.is_some_and(|n| seen.calls.len() >= n))
}

fn seen(cancel_after: Option<usize>) -> Seen {
    Seen { caller: std::thread::current().id(), calls: Vec::new(), foreign_thread_calls: 0, cancel_after }
}

fn random_file(dir: &tempfile::TempDir, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let data: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let path = dir.path().join("data.bin");
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

#[test]
fn parallel_parts_reassemble_byte_exact_with_progress_on_the_calling_thread() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let receiver = CallbackReceiver::start(ReceiverConfig {
        allowed_key_url_prefixes: vec!["http://127.0.0.1:".into()],
        ..ReceiverConfig::default()
    })
    .unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let dir = common::temp_dir();
    let (path, data) = random_file(&dir, 1_234_567);
    let cb = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"{{\\\"size\\\":${{size}},\\\"v\\\":${{x:v}}}}\",\"callbackBodyType\":\"application/json\"}}", receiver.url());
    for parallelism in [1, 4] {
        let key = format!("managed/p{parallelism}.bin");
        let mut s = seen(None);
        let opts = Options::new().part_size(102_400).parallelism(parallelism).header("x-oss-meta-origin", "managed");
        let r = client
            .upload_file(
                "bkt",
                &key,
                path.to_str().unwrap(),
                Some(&cb),
                Some("{\"x:v\":\"ok\"}"),
                Some(&opts),
                Some(on_progress),
                (&mut s as *mut Seen).cast(),
            )
            .unwrap();
        assert_eq!(r.body_text(), "{\"Status\":\"OK\"}");
        assert!(r.etag().ends_with("-13\""), "{}", r.etag());
        assert_eq!(emulator.object("bkt", &key).unwrap(), data, "parallelism {parallelism}");
        assert_eq!(emulator.object_meta("bkt", &key).unwrap()["user_meta"]["x-oss-meta-origin"], "managed");
        assert_eq!(s.foreign_thread_calls, 0, "progress must run on the calling thread only");
        assert_eq!(s.calls.len(), 13, "once per part");
        assert!(s.calls.windows(2).all(|w| w[0].1 < w[1].1), "bytes_done grows: {:?}", s.calls);
        assert_eq!(s.calls.last().unwrap().1, data.len() as u64);
        assert!(s.calls.iter().all(|c| c.2 == data.len() as u64));
        let mut parts: Vec<u32> = s.calls.iter().map(|c| c.0).collect();
        parts.sort();
        assert_eq!(parts, (1..=13).collect::<Vec<_>>());
    }
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|c| c.signature_valid && c.body == b"{\"size\":1234567,\"v\":\"ok\"}"));
    assert!(emulator.uploads("bkt").is_empty());
}

#[test]
fn cancelling_from_progress_aborts_or_keeps_the_upload() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let dir = common::temp_dir();
    let (path, _) = random_file(&dir, 1_000_000);
    let mut s = seen(Some(2));
    let opts = Options::new().part_size(102_400).parallelism(2);
    let e = client
        .upload_file(
            "bkt",
            "cancelled",
            path.to_str().unwrap(),
            None,
            None,
            Some(&opts),
            Some(on_progress),
            (&mut s as *mut Seen).cast(),
        )
        .unwrap_err();
    assert_eq!(e.result, oss_result::AbortedByCallback);
    assert_eq!(s.calls.len(), 2, "no progress after cancelling");
    assert!(emulator.uploads("bkt").is_empty(), "the upload was aborted");
    assert!(emulator.object("bkt", "cancelled").is_none());

    let mut s = seen(Some(1));
    let keep = Options::new().part_size(102_400).parallelism(1).keep_on_failure();
    let e = client
        .upload_file(
            "bkt",
            "kept",
            path.to_str().unwrap(),
            None,
            None,
            Some(&keep),
            Some(on_progress),
            (&mut s as *mut Seen).cast(),
        )
        .unwrap_err();
    assert_eq!(e.result, oss_result::AbortedByCallback);
    let uploads = emulator.uploads("bkt");
    assert_eq!(uploads.len(), 1);
    assert!(e.message.contains(&uploads[0]), "the message names the kept upload: {}", e.message);
}

/// A scripted server: initiate works; parts answer per `part`; complete answers with `complete_crc`.
fn scripted(part: impl Fn(u32, &Recorded) -> Vec<u8> + Send + Sync + 'static, complete_crc: &'static str) -> Recorder {
    Recorder::start(move |r| {
        let line = &r.request_line;
        if line.contains("?uploads ") {
            let xml = "<InitiateMultipartUploadResult><UploadId>UP1</UploadId></InitiateMultipartUploadResult>";
            http_response("200 OK", &[("x-oss-request-id", "I")], xml)
        } else if line.starts_with("PUT") {
            let n: u32 = line.split("partNumber=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
            part(n, r)
        } else if line.starts_with("POST") {
            http_response(
                "200 OK",
                &[("x-oss-request-id", "C"), ("ETag", "\"X-2\""), ("x-oss-hash-crc64ecma", complete_crc)],
                "<CompleteMultipartUploadResult/>",
            )
        } else {
            http_response("204 No Content", &[("x-oss-request-id", "D")], "")
        }
    })
}

fn part_ok(r: &Recorded) -> Vec<u8> {
    let crc = ossrs::core::crc64::checksum(&r.body).to_string();
    http_response("200 OK", &[("x-oss-request-id", "P"), ("ETag", "\"E\""), ("x-oss-hash-crc64ecma", &crc)], "")
}

fn methods(rec: &Recorder) -> Vec<String> {
    rec.requests().iter().map(|r| r.request_line.split(' ').next().unwrap().to_string()).collect()
}

#[test]
fn a_failed_part_aborts_the_upload() {
    let rec = scripted(
        |n, r| {
            if n == 2 {
                http_response(
                    "500 Internal Server Error",
                    &[("x-oss-request-id", "F")],
                    "<Error><Code>InternalError</Code></Error>",
                )
            } else {
                part_ok(r)
            }
        },
        "0",
    );
    let client = Client::for_endpoint(&rec.endpoint());
    let dir = common::temp_dir();
    let (path, _) = random_file(&dir, 300_000);
    let opts = Options::new().part_size(102_400).parallelism(1);
    let e = client
        .upload_file("bkt", "k", path.to_str().unwrap(), None, None, Some(&opts), None, std::ptr::null_mut())
        .unwrap_err();
    assert_eq!((e.result, e.http_status, e.code.as_str()), (oss_result::ServiceError, 500, "InternalError"));
    assert_eq!(e.attempts, 4, "part 2 was tried 1 + 3 times");
    assert_eq!(
        methods(&rec),
        ["POST", "PUT", "PUT", "PUT", "PUT", "PUT", "DELETE"],
        "initiate, part 1, part 2 ×4, abort"
    );
    assert!(rec.requests()[6].request_line.contains("uploadId=UP1"));
}

#[test]
fn crc_mismatches_are_detected() {
    let rec = scripted(
        |_, _| {
            http_response(
                "200 OK",
                &[("x-oss-request-id", "P"), ("ETag", "\"E\""), ("x-oss-hash-crc64ecma", "12345")],
                "",
            )
        },
        "0",
    );
    let client = Client::for_endpoint(&rec.endpoint());
    let dir = common::temp_dir();
    let (path, data) = random_file(&dir, 150_000);
    let opts = Options::new().part_size(102_400).parallelism(1);
    let e = client
        .upload_file("bkt", "k", path.to_str().unwrap(), None, None, Some(&opts), None, std::ptr::null_mut())
        .unwrap_err();
    assert_eq!(e.result, oss_result::Crc64Mismatch, "{}", e.message);
    assert_eq!(methods(&rec), ["POST", "PUT", "DELETE"]);

    let good = ossrs::core::crc64::checksum(&data).to_string();
    let good: &'static str = Box::leak(good.into_boxed_str());
    let rec = scripted(|_, r| part_ok(r), "999");
    let client = Client::for_endpoint(&rec.endpoint());
    let e = client
        .upload_file("bkt", "k", path.to_str().unwrap(), None, None, Some(&opts), None, std::ptr::null_mut())
        .unwrap_err();
    assert_eq!(e.result, oss_result::Crc64Mismatch, "whole-object CRC checked after complete");
    assert_eq!(methods(&rec), ["POST", "PUT", "PUT", "POST"], "nothing to abort once complete succeeded");
    let rec = scripted(|_, r| part_ok(r), good);
    let client = Client::for_endpoint(&rec.endpoint());
    client
        .upload_file("bkt", "k", path.to_str().unwrap(), None, None, Some(&opts), None, std::ptr::null_mut())
        .unwrap();
    let complete = rec.requests().last().unwrap().clone();
    assert!(String::from_utf8_lossy(&complete.body).contains("<PartNumber>2</PartNumber>"));
}

#[test]
fn bad_settings_and_failed_callbacks() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let dir = common::temp_dir();
    let (path, data) = random_file(&dir, 200_000);
    let p = path.to_str().unwrap();
    for (opts, text) in [
        (Options::new().part_size(1000), "part size"),
        (Options::new().parallelism(0), "parallelism"),
        (Options::new().parallelism(65), "parallelism"),
    ] {
        let e = client.upload_file("bkt", "k", p, None, None, Some(&opts), None, std::ptr::null_mut()).unwrap_err();
        assert_eq!(e.result, oss_result::InvalidArgument);
        assert!(e.message.contains(text), "{}", e.message);
    }
    let e = client.upload_file("bkt", "k", "/nonexistent", None, None, None, None, std::ptr::null_mut()).unwrap_err();
    assert_eq!(e.result, oss_result::FileNotFound);
    assert!(emulator.requests().is_empty(), "nothing was sent");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let cb = format!("{{\"callbackUrl\":\"http://127.0.0.1:{closed}\",\"callbackBody\":\"a=b\"}}");
    let e = client
        .upload_file(
            "bkt",
            "cb",
            p,
            Some(&cb),
            None,
            Some(&Options::new().part_size(102_400)),
            None,
            std::ptr::null_mut(),
        )
        .unwrap_err();
    assert_eq!(e.result, oss_result::CallbackFailed);
    assert_eq!(emulator.object("bkt", "cb").unwrap(), data, "the object is stored");
    assert!(emulator.uploads("bkt").is_empty());
}
