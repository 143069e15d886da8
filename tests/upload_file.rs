//! The managed upload (`oss_upload_file`): parallel parts reassemble byte-exact, progress runs on the calling
//! thread and can cancel, failures abort the upload (or keep it on request), CRC-64 mismatches are caught.

mod common;

use std::ffi::c_void;
use std::thread::ThreadId;

use common::recorder::{http_response, Recorded, Recorder};
use common::{Client, Options};
use oss_emulator::{Emulator, EmulatorConfig};
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
    let receiver = common::local_receiver();
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

/// Part uploads the emulator stored for `key` (UploadPart answered 200).
fn stored_part_requests(emulator: &Emulator, key: &str) -> usize {
    let path = format!("/bkt/{key}");
    let is_part = |e: &serde_json::Value| {
        e["method"] == "PUT" && e["path"] == path.as_str() && e["query"].as_str().unwrap_or("").contains("partNumber=")
    };
    emulator.requests().iter().filter(|e| is_part(e) && e["status"] == 200).count()
}

/// Parts recorded in a checkpoint file.
fn checkpoint_parts(path: &std::path::Path) -> usize {
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    doc["state"]["parts"].as_array().unwrap().len()
}

#[test]
fn a_checkpoint_resumes_with_only_the_missing_parts() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let receiver = common::local_receiver();
    let client = Client::for_endpoint(&emulator.endpoint());
    let dir = common::temp_dir();
    let (path, data) = random_file(&dir, 1_000_000); // 10 parts of 102400 bytes
    let cp = dir.path().join("upload.checkpoint");
    let cb = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"size=${{size}}\"}}", receiver.url());
    let run = |cancel_after: Option<usize>| {
        let mut s = seen(cancel_after);
        let opts = Options::new().part_size(102_400).parallelism(1).checkpoint(&cp);
        let outcome = client.upload_file(
            "bkt",
            "resumed.bin",
            path.to_str().unwrap(),
            Some(&cb),
            None,
            Some(&opts),
            Some(on_progress),
            (&mut s as *mut Seen).cast(),
        );
        (outcome, s.calls)
    };

    // The first run stops after 4 parts; the upload and the checkpoint stay.
    let (outcome, _) = run(Some(4));
    let e = outcome.unwrap_err();
    assert_eq!(e.result, oss_result::AbortedByCallback);
    assert!(e.message.contains("kept for resuming"), "{}", e.message);
    assert_eq!(checkpoint_parts(&cp), 4);
    assert_eq!(emulator.uploads("bkt").len(), 1);
    // The worker may have stored more parts before it saw the stop; they are not in the checkpoint.
    let first = stored_part_requests(&emulator, "resumed.bin");
    assert!(first >= 4, "{first}");

    // The rerun sends parts 5..=10 only, reports progress from 4 parts on, completes, and deletes the checkpoint.
    let (outcome, calls) = run(None);
    let r = outcome.unwrap();
    assert_eq!(r.body_text(), "{\"Status\":\"OK\"}");
    assert_eq!(stored_part_requests(&emulator, "resumed.bin") - first, 6, "the 6 parts not in the checkpoint");
    assert_eq!(calls.first().unwrap().0, 5);
    assert_eq!(calls.first().unwrap().1, 5 * 102_400);
    assert_eq!(calls.len(), 6);
    assert_eq!(emulator.object("bkt", "resumed.bin").unwrap(), data);
    assert!(!cp.exists(), "a finished upload leaves no checkpoint");
    assert!(emulator.uploads("bkt").is_empty());
    assert_eq!(receiver.received().len(), 1, "the callback ran once, on the completing run");
}

#[test]
#[allow(clippy::result_large_err)]
fn a_changed_file_or_a_corrupt_checkpoint_starts_over_safely() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let dir = common::temp_dir();
    let (path, _) = random_file(&dir, 500_000); // 5 parts
    let cp = dir.path().join("upload.checkpoint");
    let opts = Options::new().part_size(102_400).parallelism(1).checkpoint(&cp);
    let upload = |cancel_after: Option<usize>| {
        let mut s = seen(cancel_after);
        client.upload_file(
            "bkt",
            "changed.bin",
            path.to_str().unwrap(),
            None,
            None,
            Some(&opts),
            Some(on_progress),
            (&mut s as *mut Seen).cast(),
        )
    };
    upload(Some(2)).unwrap_err();
    let first_upload = emulator.uploads("bkt");
    assert_eq!(first_upload.len(), 1);

    // The source changes (new contents, new mtime): the old upload is aborted and every part is sent again.
    let changed: Vec<u8> = (0..500_000u32).map(|i| (i % 13) as u8).collect();
    std::fs::write(&path, &changed).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
    let before = stored_part_requests(&emulator, "changed.bin");
    upload(None).unwrap();
    assert_eq!(stored_part_requests(&emulator, "changed.bin") - before, 5);
    assert_eq!(emulator.object("bkt", "changed.bin").unwrap(), changed);
    assert!(emulator.uploads("bkt").is_empty(), "the stale upload {first_upload:?} was aborted");

    // A corrupt checkpoint is ignored: a new upload, all parts, correct object.
    upload(Some(3)).unwrap_err();
    let text = std::fs::read_to_string(&cp).unwrap();
    std::fs::write(
        &cp,
        text.replace("\"parts\":[", "\"parts\":[{\"number\":9,\"etag\":\"x\",\"len\":1,\"crc64\":\"1\"},"),
    )
    .unwrap();
    let before = stored_part_requests(&emulator, "changed.bin");
    upload(None).unwrap();
    assert_eq!(
        stored_part_requests(&emulator, "changed.bin") - before,
        5,
        "nothing is trusted from a corrupt checkpoint"
    );
    assert_eq!(emulator.object("bkt", "changed.bin").unwrap(), changed);
    assert!(!cp.exists());

    // Parts OSS no longer has (the upload was aborted behind the checkpoint's back): a new upload.
    upload(Some(2)).unwrap_err();
    let id = emulator.uploads("bkt").pop().unwrap();
    client.abort("bkt", "changed.bin", &id).unwrap();
    let before = stored_part_requests(&emulator, "changed.bin");
    upload(None).unwrap();
    assert_eq!(stored_part_requests(&emulator, "changed.bin") - before, 5);
    assert_eq!(emulator.object("bkt", "changed.bin").unwrap(), changed);
}

#[test]
fn a_range_of_the_file_and_an_open_upload_are_uploaded() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let dir = common::temp_dir();
    let (path, data) = random_file(&dir, 700_000);
    let file = path.to_str().unwrap();
    let range = |o: Options, offset, len| {
        assert_eq!(
            unsafe { ossrs::ffi::options::oss_options_set_file_range(o.0, offset, len, std::ptr::null_mut()) },
            oss_result::Ok
        );
        o
    };
    let sliced = range(Options::new().part_size(102_400), 1000, 400_000);
    client
        .upload_file("bkt", "range/managed.bin", file, None, None, Some(&sliced), None, std::ptr::null_mut())
        .unwrap();
    assert_eq!(emulator.object("bkt", "range/managed.bin").unwrap(), &data[1000..401_000]);
    let small = range(Options::new().check_md5(), 5, 10);
    client.put_file("bkt", "range/put.bin", file, None, None, Some(&small)).unwrap();
    assert_eq!(emulator.object("bkt", "range/put.bin").unwrap(), &data[5..15]);
    let outside = range(Options::new(), 699_999, 2);
    let e = client.put_file("bkt", "range/outside.bin", file, None, None, Some(&outside)).unwrap_err();
    assert_eq!(e.result, oss_result::RangeOutOfFile);

    // Into an upload the caller started: the parts go there, and a failure keeps it.
    let id = client.initiate("bkt", "range/into.bin", None).unwrap().upload_id.unwrap();
    let into = |id: &str| {
        let o = Options::new().part_size(102_400);
        let rc = unsafe {
            ossrs::ffi::options::oss_options_set_upload_id(o.0, common::c(id).as_ptr(), std::ptr::null_mut())
        };
        assert_eq!(rc, oss_result::Ok);
        o
    };
    let r = client.upload_file("bkt", "range/into.bin", file, None, None, Some(&into(&id)), None, std::ptr::null_mut());
    r.unwrap();
    assert_eq!(emulator.object("bkt", "range/into.bin").unwrap(), data);
    assert!(emulator.uploads("bkt").is_empty(), "completed");
    let e = client
        .upload_file("bkt", "range/into.bin", file, None, None, Some(&into("NOSUCHUPLOAD")), None, std::ptr::null_mut())
        .unwrap_err();
    assert_eq!(e.code, "NoSuchUpload", "{}", e.message);

    let both = into(&id).checkpoint(&dir.path().join("cp"));
    let e = client.upload_file("bkt", "range/cp.bin", file, None, None, Some(&both), None, std::ptr::null_mut());
    assert!(e.unwrap_err().message.contains("cannot be combined"));
    let empty = Options::new();
    let rc = unsafe {
        ossrs::ffi::options::oss_options_set_upload_id(empty.0, common::c(" ").as_ptr(), std::ptr::null_mut())
    };
    assert_eq!(rc, oss_result::InvalidArgument);
}
