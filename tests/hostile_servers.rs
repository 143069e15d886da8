//! Broken and hostile servers through the C ABI: for put with callback, initiate, upload part, complete and get,
//! every misbehaviour the emulator can put on the wire (huge and endless bodies on success and on error, stalls,
//! drips of the head or the body, endless `100 Continue`, oversized fields) ends in a clean error within the
//! call's timeout plus a second, with a short message, and without growing this process's peak RSS beyond a small
//! bound. One test, so that nothing else runs in the process while its peak RSS is measured.

mod common;

use std::time::{Duration, Instant};

use common::{Client, Outcome, KEY_ID, KEY_SECRET};
use oss_emulator::{Emulator, EmulatorConfig, FaultKind, FaultRule, Faults, Field, Operation};
use ossrs::ffi::oss_result;

/// `timeout_ms` of the client under test.
const TIMEOUT: Duration = Duration::from_millis(1500);
/// How much the peak RSS may grow during one call (the answer limits are 8 MiB for results, 64 KiB for errors
/// and, in this test, 16 MiB for objects).
const RSS_BOUND_MIB: u64 = 48;
const GIB: u64 = 1 << 30;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    PutWithCallback,
    Initiate,
    UploadPart,
    Complete,
    Get,
}

impl Op {
    fn operation(self) -> Operation {
        match self {
            Op::PutWithCallback => Operation::PutObject,
            Op::Initiate => Operation::InitiateMultipartUpload,
            Op::UploadPart => Operation::UploadPart,
            Op::Complete => Operation::CompleteMultipartUpload,
            Op::Get => Operation::GetObject,
        }
    }
}

/// Peak RSS of this process in KiB, after resetting it when `reset` (Linux `clear_refs` 5).
struct Setup {
    emulator: Emulator,
    client: Client,
    callback: String,
    _receiver: oss_emulator::CallbackReceiver,
}

impl Setup {
    /// Runs `op` with `rule` active only for that operation (everything it needs first is done without faults).
    #[allow(clippy::result_large_err)]
    fn run(&self, op: Op, rule: FaultRule, n: usize) -> Outcome {
        self.emulator.set_faults(Faults::default()).unwrap();
        let key = format!("hostile/{n}");
        let c = &self.client;
        let prepared = match op {
            Op::UploadPart | Op::Complete => {
                let id = c.initiate("bkt", &key, None).unwrap().upload_id.unwrap();
                let etag = if op == Op::Complete {
                    c.upload_part("bkt", &key, &id, 1, b"part one", None).unwrap().etag().to_string()
                } else {
                    String::new()
                };
                Some((id, etag))
            }
            Op::Get => {
                c.put("bkt", &key, b"the object", None, None, None).unwrap();
                None
            }
            _ => None,
        };
        self.emulator.set_faults(Faults { seed: 1, rules: vec![rule.operation(op.operation())] }).unwrap();
        match (op, prepared) {
            (Op::PutWithCallback, _) => c.put("bkt", &key, b"body", Some(&self.callback), None, None),
            (Op::Initiate, _) => c.initiate("bkt", &key, None),
            (Op::UploadPart, Some((id, _))) => c.upload_part("bkt", &key, &id, 1, b"part", None),
            (Op::Complete, Some((id, etag))) => c.complete("bkt", &key, &id, &[(1, &etag)], Some(&self.callback), None),
            (Op::Get, _) => c.get("bkt", &key),
            _ => unreachable!(),
        }
    }
}

#[test]
fn hostile_answers_end_in_clean_errors_within_the_deadline_and_bounded_memory() {
    let receiver = common::local_receiver();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let timeout_ms = TIMEOUT.as_millis().to_string();
    let client = Client::build(&[
        ("endpoint", &emulator.endpoint()),
        ("access_key_id", KEY_ID),
        ("access_key_secret", KEY_SECRET),
        ("timeout_ms", &timeout_ms),
        ("max_retries", "3"),
        ("retry_base_ms", "50"),
        ("max_object_bytes", "16777216"),
    ])
    .unwrap();
    let callback = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"object=${{object}}\"}}", receiver.url());
    let setup = Setup { emulator, client, callback, _receiver: receiver };

    let huge = |status: u16, bytes: Option<u64>, chunked: bool| FaultKind::HugeBody { status, bytes, chunked };
    let every = Duration::from_millis(400);
    // (what, fault, the result code every operation ends with)
    let faults: Vec<(&str, FaultKind, oss_result)> = vec![
        ("200 declaring 2 GiB", huge(200, Some(2 * GIB), false), oss_result::InvalidResponse),
        ("200 with an endless chunked body", huge(200, None, true), oss_result::InvalidResponse),
        ("500 declaring 1 GiB", huge(500, Some(GIB), false), oss_result::InvalidResponse),
        ("503 with an endless chunked body", huge(503, None, true), oss_result::InvalidResponse),
        ("403 with 1 GiB chunked", huge(403, Some(GIB), true), oss_result::InvalidResponse),
        ("stall", FaultKind::Stall, oss_result::Timeout),
        ("head dripped", FaultKind::Drip { head: true, every }, oss_result::Timeout),
        ("endless 100 Continue", FaultKind::EndlessContinue { every }, oss_result::Timeout),
    ];
    let ops = [Op::PutWithCallback, Op::Initiate, Op::UploadPart, Op::Complete, Op::Get];
    let mut cases: Vec<(Op, &str, FaultKind, oss_result)> = Vec::new();
    for op in ops {
        for (what, fault, result) in &faults {
            cases.push((op, what, *fault, *result));
        }
    }
    // A dripped body only matters where there is one to read (results, callback replies, objects).
    for op in [Op::PutWithCallback, Op::Initiate, Op::Complete, Op::Get] {
        cases.push((op, "body dripped", FaultKind::Drip { head: false, every }, oss_result::Timeout));
    }
    let id = |bytes| FaultKind::OversizedField { field: Field::UploadId, bytes };
    cases.push((Op::Initiate, "50 MiB UploadId", id(50 << 20), oss_result::InvalidResponse));
    cases.push((Op::Initiate, "4 KiB UploadId", id(4096), oss_result::InvalidResponse));
    let etag = FaultKind::OversizedField { field: Field::ETag, bytes: 4096 };
    cases.push((Op::UploadPart, "4 KiB ETag", etag, oss_result::InvalidResponse));
    cases.push((Op::PutWithCallback, "4 KiB ETag", etag, oss_result::InvalidResponse));

    let mut failures = Vec::new();
    let mut worst = (Duration::ZERO, 0u64);
    for (n, (op, what, fault, expected)) in cases.iter().enumerate() {
        let before = common::peak_rss_kib(true);
        let started = Instant::now();
        let outcome = setup.run(*op, FaultRule::new(*fault), n);
        let took = started.elapsed();
        let grew_mib = common::peak_rss_kib(false).saturating_sub(before) / 1024;
        worst = (worst.0.max(took), worst.1.max(grew_mib));
        let case = format!("{op:?} / {what}");
        match outcome {
            Ok(r) => failures.push(format!("{case}: succeeded with status {}", r.status)),
            Err(e) => {
                if e.result != *expected {
                    failures.push(format!("{case}: result {:?}, expected {expected:?}: {}", e.result, e.message));
                }
                if e.message.len() > 600 {
                    failures.push(format!("{case}: message of {} bytes", e.message.len()));
                }
                if *expected == oss_result::Timeout && !e.message.contains("timeout_ms") {
                    failures.push(format!("{case}: the timeout is not named: {}", e.message));
                }
                if e.attempts == 0 {
                    failures.push(format!("{case}: no attempts recorded"));
                }
                // An oversized or unreadable answer is never asked for again.
                if *expected == oss_result::InvalidResponse && e.attempts != 1 {
                    failures.push(format!("{case}: {} attempts after an oversized answer", e.attempts));
                }
                common::record_error_text(&e);
            }
        }
        if took > TIMEOUT + Duration::from_secs(1) {
            failures.push(format!("{case}: took {took:?}, over the {TIMEOUT:?} timeout plus a second"));
        }
        if grew_mib > RSS_BOUND_MIB {
            failures.push(format!("{case}: peak RSS grew by {grew_mib} MiB"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    println!(
        "hostile servers: {} cases, slowest {:?} (timeout {TIMEOUT:?}), largest peak-RSS growth {} MiB",
        cases.len(),
        worst.0,
        worst.1
    );
}
