//! Helpers shared by the end-to-end tests: a test-only V1 signer, raw HTTP/1.1 exchanges over
//! `TcpStream`, and callback set-up.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use oss_emulator::{CallbackReceiver, ReceiverConfig};
use sha1::Sha1;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

pub const AK: &str = "AKIDEXAMPLE";
pub const SK: &str = "SECRETEXAMPLE";

/// Test-only V1 signer: `OSS AK:base64(hmac-sha1(SK, string-to-sign))`.
pub fn sign_v1(method: &str, headers: &[(&str, String)], resource: &str) -> String {
    let get = |name: &str| {
        headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or(String::new(), |(_, v)| v.clone())
    };
    let mut oss: Vec<(String, &String)> =
        headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v)).filter(|(n, _)| n.starts_with("x-oss-")).collect();
    oss.sort();
    let mut sts = format!("{method}\n{}\n{}\n{}\n", get("content-md5"), get("content-type"), get("date"));
    for (n, v) in oss {
        sts.push_str(&format!("{n}:{v}\n"));
    }
    sts.push_str(resource);
    let mut mac = Hmac::<Sha1>::new_from_slice(SK.as_bytes()).unwrap();
    mac.update(sts.as_bytes());
    format!("OSS {AK}:{}", B64.encode(mac.finalize().into_bytes()))
}

pub fn now_date() -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now())
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn read_reply(reader: &mut impl BufRead, head_only: bool) -> Reply {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        reader.read_line(&mut l).unwrap();
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':').unwrap();
        headers.push((n.to_string(), v.trim().to_string()));
    }
    let len: usize =
        headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-length")).map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; if head_only { 0 } else { len }];
    reader.read_exact(&mut body).unwrap();
    Reply { status, headers, body }
}

/// A signed request head (`extra` headers are signed too); `close` asks for `Connection: close`.
pub fn signed_head(
    port: u16,
    method: &str,
    target: &str,
    resource: &str,
    extra: &[(&str, String)],
    body_len: usize,
    close: bool,
) -> String {
    let mut headers: Vec<(&str, String)> = vec![("Date", now_date())];
    headers.extend(extra.iter().cloned());
    let auth = sign_v1(method, &headers, resource);
    let mut raw = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (n, v) in &headers {
        raw.push_str(&format!("{n}: {v}\r\n"));
    }
    raw.push_str(&format!("Authorization: {auth}\r\nContent-Length: {body_len}\r\n"));
    if close {
        raw.push_str("Connection: close\r\n");
    }
    raw.push_str("\r\n");
    raw
}

/// Sends one signed request on a new connection.
pub fn request(port: u16, method: &str, target: &str, resource: &str, extra: &[(&str, String)], body: &[u8]) -> Reply {
    let raw = signed_head(port, method, target, resource, extra, body.len(), true);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    read_reply(&mut BufReader::new(stream), method == "HEAD")
}

pub fn put(port: u16, key: &str, body: &[u8], extra: &[(&str, String)]) -> Reply {
    request(port, "PUT", &format!("/bkt/{key}"), &format!("/bkt/{key}"), extra, body)
}

pub fn md5_b64(data: &[u8]) -> String {
    B64.encode(Md5::digest(data))
}

/// A receiver that trusts the emulator's key URL.
pub fn receiver(cfg: ReceiverConfig) -> CallbackReceiver {
    CallbackReceiver::start(ReceiverConfig { allowed_key_url_prefixes: vec!["http://127.0.0.1:".into()], ..cfg })
        .unwrap()
}

/// The base64 `x-oss-callback` value.
pub fn callback_header(url: &str, body: &str, body_type: &str) -> String {
    B64.encode(serde_json::json!({"callbackUrl": url, "callbackBody": body, "callbackBodyType": body_type}).to_string())
}

/// A port nothing listens on.
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
