//! Streamed downloads through the C ABI: `oss_get_object_to_file` (complete and checked or nothing) and
//! `oss_get_object_to_sink` (pieces in order on the calling thread; the callback can stop it).

mod common;

use common::{Client, Options};
use oss_emulator::{Emulator, EmulatorConfig};
use ossrs::ffi::oss_result;

fn data(len: usize) -> Vec<u8> {
    (0..len as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
}

#[test]
fn a_file_download_is_complete_and_replaces_the_file_only_on_success() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let bytes = data(3 * 1024 * 1024 + 17);
    client.put("bkt", "dl/big.bin", &bytes, None, None, None).unwrap();
    let dir = common::temp_dir();
    let path = dir.path().join("big.bin");
    std::fs::write(&path, b"old contents").unwrap();
    let r = client.get_to_file("bkt", "dl/big.bin", &path, None).unwrap();
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty(), "the body went to the file");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);

    let e = client.get_to_file("bkt", "dl/missing", &path, None).unwrap_err();
    assert_eq!(e.code, "NoSuchKey");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "a failed download leaves the file as it was");
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["big.bin".to_string()], "no temporary file is left");

    let range = Options::new().header("Range", "bytes=10-19");
    let part = dir.path().join("part.bin");
    assert_eq!(client.get_to_file("bkt", "dl/big.bin", &part, Some(&range)).unwrap().status, 206);
    assert_eq!(std::fs::read(&part).unwrap(), &bytes[10..20]);

    let e = client.get_to_file("bkt", "dl/big.bin", &dir.path().join("no/such/dir/x"), None).unwrap_err();
    assert_eq!(e.result, oss_result::FileNotFound);
}

#[test]
fn a_sink_gets_every_piece_in_order_and_can_stop() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let bytes = data(1024 * 1024);
    client.put("bkt", "dl/sink.bin", &bytes, None, None, None).unwrap();
    let caller = std::thread::current().id();
    let mut got = Vec::new();
    let mut pieces = 0;
    let r = client
        .get_to_sink("bkt", "dl/sink.bin", None, &mut |piece| {
            assert_eq!(std::thread::current().id(), caller, "the sink runs on the calling thread");
            assert!(piece.len() <= 64 * 1024);
            got.extend_from_slice(piece);
            pieces += 1;
            true
        })
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(got, bytes);
    assert!(pieces >= 16, "{pieces} pieces");

    let mut seen = 0;
    let e = client
        .get_to_sink("bkt", "dl/sink.bin", None, &mut |piece| {
            seen += piece.len();
            false
        })
        .unwrap_err();
    assert_eq!(e.result, oss_result::AbortedByCallback);
    assert_eq!(e.attempts, 1, "a stopped download is not retried");
    assert!(seen > 0 && seen <= 64 * 1024);
}
