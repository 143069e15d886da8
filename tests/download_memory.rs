//! A 256 MiB object streamed down through `oss_get_object_to_sink` and `oss_get_object_to_file` keeps this
//! process's peak RSS growth under 32 MiB (one test in its own process, so nothing else allocates meanwhile; the
//! emulator runs in-process and streams the object from disk too). `OSSRS_STREAM_MIB` changes the size
//! (BENCHMARKS.md notes a 1 GiB run).

mod common;

use std::io::Write;

use common::Client;
use oss_emulator::{Emulator, EmulatorConfig};

#[test]
fn downloads_stay_within_a_few_buffers() {
    let size = std::env::var("OSSRS_STREAM_MIB").ok().and_then(|v| v.parse::<usize>().ok()).unwrap_or(256) << 20;
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let dir = common::temp_dir();
    let source = dir.path().join("source.bin");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&source).unwrap());
        let block: Vec<u8> = (0..1 << 20).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 9) as u8).collect();
        for _ in 0..size >> 20 {
            f.write_all(&block).unwrap();
        }
    }
    client.put_file("bkt", "mem/big.bin", source.to_str().unwrap(), None, None, None).unwrap();

    let before = common::peak_rss_kib(true);
    let mut total = 0usize;
    client
        .get_to_sink("bkt", "mem/big.bin", None, &mut |piece| {
            total += piece.len();
            true
        })
        .unwrap();
    let sink_growth = (common::peak_rss_kib(false) - before) / 1024;
    assert_eq!(total, size);

    let before = common::peak_rss_kib(true);
    let target = dir.path().join("copy.bin");
    client.get_to_file("bkt", "mem/big.bin", &target, None).unwrap();
    let file_growth = (common::peak_rss_kib(false) - before) / 1024;
    assert_eq!(std::fs::metadata(&target).unwrap().len(), size as u64);
    println!("download of {} MiB: peak RSS growth {sink_growth} MiB (sink), {file_growth} MiB (file)", size >> 20);
    assert!(sink_growth < 32 && file_growth < 32, "sink {sink_growth} MiB, file {file_growth} MiB");
}
