//! Replays one captured PutObject COUNT times over one keep-alive connection with bare reqwest, to show what the
//! transport alone costs: `blocking` (reqwest::blocking, as libossrs uses it: the exchange runs on reqwest's runtime
//! thread) or `async` (reqwest's async client driven by a current-thread runtime on the calling thread).
//!
//! Usage: transport-floor blocking|async URL COUNT; WRK_PUT_HEADERS and WRK_PUT_BODY as for bench/wrk_put.lua.
//! Prints `elapsed_s=<seconds> status=<http> body=<reply>` like the other W2 clients.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, mode, url, count] = &args[..] else {
        eprintln!("usage: transport-floor blocking|async URL COUNT");
        std::process::exit(2);
    };
    let count: u32 = count.parse().expect("COUNT");
    let body = std::fs::read(std::env::var("WRK_PUT_BODY").expect("WRK_PUT_BODY")).expect("body file");
    let text = std::fs::read_to_string(std::env::var("WRK_PUT_HEADERS").expect("WRK_PUT_HEADERS")).expect("headers");
    let mut headers = reqwest::header::HeaderMap::new();
    for line in text.lines() {
        if let Some((name, value)) = line.split_once(':') {
            let name = reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()).expect("header name");
            headers.insert(name, value.trim().parse().expect("header value"));
        }
    }
    let body = bytes::Bytes::from(body);
    let started = Instant::now();
    let (status, reply) = match mode.as_str() {
        "blocking" => {
            let client = reqwest::blocking::Client::builder().no_proxy().tcp_nodelay(true).build().unwrap();
            let mut last = (0, String::new());
            for _ in 0..count {
                let resp = client.put(url).headers(headers.clone()).body(body.clone()).send().unwrap();
                last = (resp.status().as_u16(), resp.text().unwrap());
            }
            last
        }
        "async" => {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let client = reqwest::Client::builder().no_proxy().tcp_nodelay(true).build().unwrap();
            let mut last = (0, String::new());
            for _ in 0..count {
                last = rt.block_on(async {
                    let resp = client.put(url).headers(headers.clone()).body(body.clone()).send().await.unwrap();
                    (resp.status().as_u16(), resp.text().await.unwrap())
                });
            }
            last
        }
        other => panic!("unknown mode {other}"),
    };
    println!("elapsed_s={:.6} status={status} body={reply}", started.elapsed().as_secs_f64());
}
