//! Retries against the emulator's fault injection: uploads complete byte-exact under injected 500/503/429 answers
//! and connection resets, and a request whose repetition could run a callback twice is never repeated.

mod common;

use common::Client;
use oss_emulator::{Emulator, EmulatorConfig, ErrorStatus, FaultKind, FaultRule, Faults, LostAnswer, Operation};
use ossrs::ffi::oss_result;

fn fast_retries(emulator: &Emulator) -> Client {
    Client::build(&[
        ("endpoint", &emulator.endpoint()),
        ("access_key_id", "AKIDEXAMPLE"),
        ("access_key_secret", "SECRETEXAMPLE"),
        ("max_retries", "8"),
        ("retry_base_ms", "1"),
        ("retry_max_backoff_ms", "20"),
    ])
    .unwrap()
}

#[test]
fn uploads_complete_byte_exact_under_injected_errors_and_resets() {
    let faults = Faults {
        seed: 42,
        rules: vec![
            FaultRule::new(FaultKind::Error(ErrorStatus::InternalError)).rate(0.04),
            FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable)).rate(0.03),
            FaultRule::new(FaultKind::Error(ErrorStatus::TooManyRequests)).rate(0.03),
            FaultRule::new(FaultKind::Reset { after_bytes: None }).operation(Operation::UploadPart).rate(0.1),
        ],
    };
    let emulator = Emulator::start(EmulatorConfig { faults, ..EmulatorConfig::default() }).unwrap();
    let client = fast_retries(&emulator);
    let mut completed = 0;
    for i in 0..100 {
        let body = format!("object {i} ").repeat(50);
        client.put("bkt", &format!("retry/{i}"), body.as_bytes(), None, None, None).unwrap();
        assert_eq!(emulator.object("bkt", &format!("retry/{i}")).unwrap(), body.as_bytes());
        completed += 1;
    }
    let dir = common::temp_dir();
    let file = dir.path().join("parts.bin");
    let data = common::seed_multipart_bytes().repeat(4);
    std::fs::write(&file, &data).unwrap();
    for round in 0..5 {
        let key = format!("retry/mp{round}");
        let upload_id = client.initiate("bkt", &key, None).unwrap().upload_id.unwrap();
        let mut parts = Vec::new();
        for n in 0..4u64 {
            let r = client
                .upload_part_file(
                    "bkt",
                    &key,
                    &upload_id,
                    n as u32 + 1,
                    file.to_str().unwrap(),
                    n * 250_000,
                    250_000,
                    None,
                )
                .unwrap();
            parts.push(r.etag().to_string());
        }
        let list: Vec<(u32, &str)> = parts.iter().enumerate().map(|(i, e)| (i as u32 + 1, e.as_str())).collect();
        match client.complete("bkt", &key, &upload_id, &list, None, None) {
            Ok(_) => {
                assert_eq!(emulator.object("bkt", &key).unwrap(), data);
                completed += 1;
            }
            // CompleteMultipartUpload is never repeated; an injected error there is reported, not retried.
            Err(e) => assert_eq!(e.attempts, 1, "{}", e.message),
        }
    }
    let counts = emulator.stats().faults;
    assert!(counts.error >= 5 && counts.reset >= 1, "faults were injected: {counts:?}");
    assert!(completed >= 100, "{completed}");
    println!("retry: {completed} uploads byte-exact under {} injected faults", counts.total());
}

#[test]
fn requests_with_callbacks_are_never_repeated() {
    let receiver = common::local_receiver();
    let faults = Faults {
        seed: 1,
        rules: vec![FaultRule::new(FaultKind::LoseResponseAfterCommit(LostAnswer::Error(ErrorStatus::InternalError)))
            .operation(Operation::PutObject)],
    };
    let emulator = Emulator::start(EmulatorConfig { faults, ..EmulatorConfig::default() }).unwrap();
    let client = fast_retries(&emulator);
    let cb = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"object=${{object}}\"}}", receiver.url());
    let e = client.put("bkt", "with-callback", b"once", Some(&cb), None, None).unwrap_err();
    assert_eq!((e.result, e.http_status, e.attempts), (oss_result::ServiceError, 500, 1));
    assert_eq!(emulator.callback_posts("bkt", "with-callback"), 1, "the callback ran exactly once");
    assert_eq!(receiver.received().len(), 1);

    // The same lost answer without a callback is repeated (PutObject is idempotent) and succeeds.
    emulator
        .set_faults(Faults {
            seed: 1,
            rules: vec![FaultRule::new(FaultKind::LoseResponseAfterCommit(LostAnswer::Reset))
                .operation(Operation::PutObject)
                .limit(2)],
        })
        .unwrap();
    client.put("bkt", "plain", b"twice is fine", None, None, None).unwrap();
    assert_eq!(emulator.object("bkt", "plain").unwrap(), b"twice is fine");
}

/// Uploads four parts of `data` and returns the upload id and the part list for Complete.
fn four_parts(client: &Client, key: &str, data: &[u8]) -> (String, Vec<(u32, String)>) {
    let upload_id = client.initiate("bkt", key, None).unwrap().upload_id.unwrap();
    let quarter = data.len() / 4;
    let parts = (0..4)
        .map(|n| {
            let chunk = &data[n * quarter..(n + 1) * quarter];
            let r = client.upload_part("bkt", key, &upload_id, n as u32 + 1, chunk, None).unwrap();
            (n as u32 + 1, r.etag().to_string())
        })
        .collect();
    (upload_id, parts)
}

fn refs(parts: &[(u32, String)]) -> Vec<(u32, &str)> {
    parts.iter().map(|(n, e)| (*n, e.as_str())).collect()
}

#[test]
fn a_complete_whose_answer_was_lost_is_confirmed_instead_of_failing() {
    let receiver = common::local_receiver();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = fast_retries(&emulator);
    let cb = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"object=${{object}}\"}}", receiver.url());
    let data = common::seed_multipart_bytes().repeat(4);
    let lose_complete = |answer: LostAnswer| Faults {
        seed: 7,
        rules: vec![FaultRule::new(FaultKind::LoseResponseAfterCommit(answer))
            .operation(Operation::CompleteMultipartUpload)
            .limit(1)],
    };

    // Committed, then the connection was reset: with a callback, the callback ran once and is not repeated.
    emulator.set_faults(lose_complete(LostAnswer::Reset)).unwrap();
    let (upload_id, parts) = four_parts(&client, "lost/reset", &data);
    let r = client.complete("bkt", "lost/reset", &upload_id, &refs(&parts), Some(&cb), None).unwrap();
    assert!(r.recovered, "the outcome was confirmed by ListParts + HEAD");
    assert_eq!(r.status, 200);
    assert!(r.etag().ends_with("-4\""), "the multipart ETag: {}", r.etag());
    assert_eq!(emulator.object("bkt", "lost/reset").unwrap(), data);
    assert_eq!(emulator.callback_posts("bkt", "lost/reset"), 1, "the callback ran exactly once");

    // Committed, then a 500 answer: the same confirmation.
    emulator.set_faults(lose_complete(LostAnswer::Error(ErrorStatus::InternalError))).unwrap();
    let (upload_id, parts) = four_parts(&client, "lost/500", &data);
    let r = client.complete("bkt", "lost/500", &upload_id, &refs(&parts), None, None).unwrap();
    assert!(r.recovered);
    assert_eq!(emulator.object("bkt", "lost/500").unwrap(), data);

    // Not committed (503 before the operation ran): without a callback it is sent again and succeeds normally.
    let refuse_once = Faults {
        seed: 7,
        rules: vec![FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
            .operation(Operation::CompleteMultipartUpload)
            .limit(1)],
    };
    emulator.set_faults(refuse_once.clone()).unwrap();
    let (upload_id, parts) = four_parts(&client, "lost/503", &data);
    let r = client.complete("bkt", "lost/503", &upload_id, &refs(&parts), None, None).unwrap();
    assert!(!r.recovered, "a normal CompleteMultipartUpload answer");
    assert!(r.body_text().contains("<CompleteMultipartUploadResult"), "{}", r.body_text());
    assert_eq!(emulator.object("bkt", "lost/503").unwrap(), data);

    // Not committed, with a callback, and OSS answered 503: the upload is still open, so it is sent again.
    emulator.set_faults(refuse_once).unwrap();
    let (upload_id, parts) = four_parts(&client, "lost/cb503", &data);
    let r = client.complete("bkt", "lost/cb503", &upload_id, &refs(&parts), Some(&cb), None).unwrap();
    assert!(!r.recovered);
    assert_eq!(r.body_text(), "{\"Status\":\"OK\"}", "the callback server's reply");
    assert_eq!(emulator.callback_posts("bkt", "lost/cb503"), 1);

    // Not committed, with a callback, and no answer (reset before the operation ran): OSS might still be running it,
    // so it is not sent again; the error says the upload was still open.
    let reset_once = Faults {
        seed: 7,
        rules: vec![FaultRule::new(FaultKind::Reset { after_bytes: None })
            .operation(Operation::CompleteMultipartUpload)
            .limit(1)],
    };
    emulator.set_faults(reset_once).unwrap();
    let (upload_id, parts) = four_parts(&client, "lost/cbreset", &data);
    let e = client.complete("bkt", "lost/cbreset", &upload_id, &refs(&parts), Some(&cb), None).unwrap_err();
    assert_eq!((e.result, e.attempts), (oss_result::Transport, 1), "{}", e.message);
    assert!(e.message.contains("had not taken effect") && e.message.contains("still open"), "{}", e.message);
    assert_eq!(emulator.callback_posts("bkt", "lost/cbreset"), 0);
    let r = client.complete("bkt", "lost/cbreset", &upload_id, &refs(&parts), Some(&cb), None).unwrap();
    assert!(!r.recovered);
    assert_eq!(emulator.callback_posts("bkt", "lost/cbreset"), 1, "the caller's own retry ran it once");

    // The same, with the first ListParts probe failing with 503 (9 answers: the probe's own 1 + 8 retries): a
    // probe's answer never makes the resend look safe.
    let errors_before = emulator.stats().faults.error;
    emulator
        .set_faults(Faults {
            seed: 7,
            rules: vec![
                FaultRule::new(FaultKind::Reset { after_bytes: None })
                    .operation(Operation::CompleteMultipartUpload)
                    .limit(1),
                FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
                    .operation(Operation::ListParts)
                    .limit(9),
            ],
        })
        .unwrap();
    let (upload_id, parts) = four_parts(&client, "lost/cbprobe", &data);
    let e = client.complete("bkt", "lost/cbprobe", &upload_id, &refs(&parts), Some(&cb), None).unwrap_err();
    assert!(e.message.contains("not sent again"), "{}", e.message);
    assert_eq!(emulator.callback_posts("bkt", "lost/cbprobe"), 0);
    assert_eq!(emulator.stats().faults.error, errors_before + 9, "the 503 probe happened");
    client.abort("bkt", "lost/cbprobe", &upload_id).unwrap();

    // The managed upload goes through the same path, and still checks the object's CRC-64 on the HEAD answer.
    emulator.set_faults(lose_complete(LostAnswer::Reset)).unwrap();
    let dir = common::temp_dir();
    let file = dir.path().join("managed.bin");
    std::fs::write(&file, &data).unwrap();
    let opts = common::Options::new().part_size(102_400);
    let r = client
        .upload_file(
            "bkt",
            "lost/managed",
            file.to_str().unwrap(),
            Some(&cb),
            None,
            Some(&opts),
            None,
            std::ptr::null_mut(),
        )
        .unwrap();
    assert!(r.recovered);
    assert_eq!(emulator.object("bkt", "lost/managed").unwrap(), data);
    assert_eq!(emulator.callback_posts("bkt", "lost/managed"), 1);
    assert_eq!(receiver.received().len(), 4, "one callback per completed upload with a callback");
}

/// One fault mode at a 10 % rate on every request (and 50 % on CompleteMultipartUpload, so that the callback
/// path is hit, 30 % on InitiateMultipartUpload, whose XML answer the client must read): 40 PutObjects and 8 managed uploads with a callback (7 parts each), every object read back.
fn uploads_under(kind: FaultKind, attempt_timeout_ms: &str) -> Tally {
    let receiver = common::local_receiver();
    let faults = Faults {
        seed: 11,
        rules: vec![
            FaultRule::new(kind).rate(0.1),
            FaultRule::new(kind).operation(Operation::CompleteMultipartUpload).rate(0.5),
            FaultRule::new(kind).operation(Operation::InitiateMultipartUpload).rate(0.3),
        ],
    };
    let emulator = Emulator::start(EmulatorConfig { faults, ..EmulatorConfig::default() }).unwrap();
    let client = Client::build(&[
        ("endpoint", &emulator.endpoint()),
        ("access_key_id", "AKIDEXAMPLE"),
        ("access_key_secret", "SECRETEXAMPLE"),
        ("max_retries", "10"),
        ("retry_base_ms", "1"),
        ("retry_max_backoff_ms", "20"),
        ("attempt_timeout_ms", attempt_timeout_ms),
        ("timeout_ms", "20000"),
    ])
    .unwrap();
    let mut done = 0;
    for i in 0..40 {
        let body = format!("fault mode object {i} ").repeat(40);
        if client.put("bkt", &format!("mode/{i}"), body.as_bytes(), None, None, None).is_ok() {
            assert_eq!(emulator.object("bkt", &format!("mode/{i}")).unwrap(), body.as_bytes());
            done += 1;
        }
    }
    let dir = common::temp_dir();
    let file = dir.path().join("managed.bin");
    let data: Vec<u8> = (0..700_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let cb = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"object=${{object}}\"}}", receiver.url());
    let (mut duplicates, mut refused, mut kept) = (0, 0, 0);
    for i in 0..8 {
        let key = format!("mode/managed{i}");
        let opts = common::Options::new().part_size(102_400);
        let outcome = client.upload_file(
            "bkt",
            &key,
            file.to_str().unwrap(),
            Some(&cb),
            None,
            Some(&opts),
            None,
            std::ptr::null_mut(),
        );
        let mut posts = emulator.callback_posts("bkt", &key);
        if outcome.is_ok() {
            // A success confirmed by recovery (answer delayed past the timeout) can be seen while the emulator,
            // which committed the object first, is still posting the callback: wait for it, up to 5 s.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while posts == 0 && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(20));
                posts = emulator.callback_posts("bkt", &key);
            }
        }
        duplicates += posts.saturating_sub(1);
        match outcome {
            Ok(_) => {
                assert_eq!(emulator.object("bkt", &key).unwrap(), data);
                assert_eq!(posts, 1);
                done += 1;
            }
            // An answer that arrived but cannot be read (not retried: it came).
            Err(e) if e.result == oss_result::InvalidResponse => refused += 1,
            // No answer to a Complete with a callback while the upload is still open: OSS might still be running
            // it, so it is neither sent again (the callback could run twice) nor aborted (that would race it).
            Err(e) => {
                assert!(e.message.contains("not sent again") && e.message.contains("kept"), "{}", e.message);
                assert_eq!(posts, 0);
                assert!(emulator.uploads("bkt").iter().any(|id| e.message.contains(id.as_str())), "{}", e.message);
                kept += 1;
            }
        }
    }
    Tally { done, tried: 48, refused, kept, duplicates }
}

/// What one fault mode left: uploads completed byte-exact, tried, refused (unreadable answer), kept (Complete with a
/// callback whose answer never came), duplicate callbacks.
#[derive(Debug, PartialEq, Eq)]
struct Tally {
    done: usize,
    tried: usize,
    refused: usize,
    kept: usize,
    duplicates: u64,
}

#[test]
fn every_fault_mode_at_ten_percent() {
    use std::time::Duration;
    let modes = [
        ("500", FaultKind::Error(ErrorStatus::InternalError), "0"),
        ("503", FaultKind::Error(ErrorStatus::ServiceUnavailable), "0"),
        ("429", FaultKind::Error(ErrorStatus::TooManyRequests), "0"),
        ("answer lost after commit", FaultKind::LoseResponseAfterCommit(LostAnswer::Reset), "0"),
        ("delay past the attempt timeout", FaultKind::Delay(Duration::from_millis(1500)), "400"),
        ("reset mid-body", FaultKind::Reset { after_bytes: None }, "0"),
        ("truncated XML", FaultKind::Malformed(oss_emulator::Malformation::Truncate), "0"),
    ];
    for (name, kind, attempt_timeout_ms) in modes {
        let t = uploads_under(kind, attempt_timeout_ms);
        println!(
            "fault mode {name}: {} of {} uploads byte-exact, {} refused (unreadable answer), {} kept (no answer to a \
             Complete with a callback), {} duplicate callbacks",
            t.done, t.tried, t.refused, t.kept, t.duplicates
        );
        assert_eq!(t.done + t.refused + t.kept, t.tried, "{name}: every upload accounted for");
        assert_eq!(t.duplicates, 0, "{name}");
        match name {
            // Answers came (or the operation ran): every upload completes.
            "500" | "503" | "429" | "answer lost after commit" | "delay past the attempt timeout" => {
                assert_eq!(t.done, t.tried, "{name}")
            }
            // A reset before the operation ran cannot be told apart from one after it, for a callback Complete.
            "reset mid-body" => assert_eq!(t.refused, 0, "{name}"),
            _ => assert!(t.done >= 40, "{name}: the PutObjects have no XML answer to spoil"),
        }
    }
}
