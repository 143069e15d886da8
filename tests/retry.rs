//! Retries against the emulator's fault injection: uploads complete byte-exact under injected 500/503/429 answers
//! and connection resets, and a request whose repetition could run a callback twice is never repeated.

mod common;

use common::Client;
use oss_emulator::{
    CallbackReceiver, Emulator, EmulatorConfig, ErrorStatus, FaultKind, FaultRule, Faults, LostAnswer, Operation,
    ReceiverConfig,
};
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
    let receiver = CallbackReceiver::start(ReceiverConfig {
        allowed_key_url_prefixes: vec!["http://127.0.0.1:".into()],
        ..ReceiverConfig::default()
    })
    .unwrap();
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
