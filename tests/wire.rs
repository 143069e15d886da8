//! What goes on the wire, checked byte for byte against the official SDK's capture
//! (kept under `tests/data/`, described in `docs/php-sdk-wire.md`), through the C ABI and a raw recording server.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::recorder::{http_response, Recorded, Recorder};
use common::{Client, Options};
use ossrs::core::credentials::Credentials;
use ossrs::core::http::Headers;
use ossrs::core::signing::{sign, Scope, SignableRequest, SignatureVersion};
use ossrs::ffi::oss_result;

const WIRE: &str = include_str!("data/php-sdk-wire.txt");
const PINNED_DATE: &str = "Wed, 28 Dec 2022 10:27:41 GMT";
const KAT_CALLBACK: &str =
    "{\"callbackUrl\":\"http://cb.example.com/cb\",\"callbackBody\":\"bucket=${bucket}&object=${object}\"}";
const KAT_VAR: &str = "{\"x:var1\":\"value1\"}";
const CB_REPLY: &str = "{\"Status\":\"OK\",\"from\":\"callback-server\"}";

/// One captured request: request line, headers in order, body.
struct Captured {
    line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn captured_requests() -> Vec<Captured> {
    WIRE.split(">>> REQUEST\n")
        .skip(1)
        .map(|block| {
            let (head, rest) = block.split_once("\n\n").unwrap();
            let mut lines = head.lines();
            let line = lines.next().unwrap().to_string();
            let headers =
                lines.map(|l| l.split_once(": ").unwrap()).map(|(n, v)| (n.to_string(), v.to_string())).collect();
            let rest = if rest.starts_with("[body") { rest.split_once('\n').map_or("", |(_, b)| b) } else { rest };
            let body = rest.split("\n[").next().unwrap_or("").to_string();
            Captured { line, headers, body }
        })
        .collect()
}

fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn every_captured_signature_is_re_derived() {
    let skip = [
        "host",
        "user-agent",
        "accept",
        "accept-encoding",
        "referer",
        "content-length",
        "authorization",
        "proxy-authorization",
        "proxy-connection",
    ];
    let mut checked = 0;
    for req in captured_requests() {
        let Some(expected) = req.header("Authorization") else {
            continue;
        };
        let mut parts = req.line.split(' ');
        let method = parts.next().unwrap();
        let target = parts.next().unwrap();
        let target =
            target.strip_prefix("http://").map_or(target.to_string(), |t| t[t.find('/').unwrap()..].to_string());
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let host = req.header("Host").unwrap();
        let (bucket, key) = if host.starts_with("127.0.0.1") {
            let (b, k) = path[1..].split_once('/').unwrap_or((&path[1..], ""));
            (b.to_string(), decode(k))
        } else {
            (host.split('.').next().unwrap().to_string(), decode(&path[1..]))
        };
        let query: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').map_or((decode(p), String::new()), |(k, v)| (decode(k), decode(v))))
            .collect();
        let mut headers = Headers::new();
        for (n, v) in &req.headers {
            if !skip.contains(&n.to_ascii_lowercase().as_str()) {
                headers.set(n.clone(), v.clone());
            }
        }
        let creds = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", req.header("x-oss-security-token")).unwrap();
        let version = if expected.starts_with("OSS4-HMAC-SHA256") {
            SignatureVersion::V4(Scope { region: "cn-hangzhou".into(), product: "oss".into() })
        } else {
            SignatureVersion::V1
        };
        let mut signable = SignableRequest { method, bucket: &bucket, key: &key, query: &query, headers: &mut headers };
        sign(&mut signable, &creds, &version, std::time::SystemTime::now());
        assert_eq!(headers.get("Authorization"), Some(expected), "{}", req.line);
        checked += 1;
    }
    assert_eq!(checked, 19, "17 V1 and 2 V4 requests in the capture");
}

fn flow_a_answer(_: &Recorded) -> Vec<u8> {
    http_response(
        "200 OK",
        &[
            ("x-oss-request-id", "5C3D9175B6FC201200000001"),
            ("Content-Type", "application/json"),
            ("ETag", "\"C533195DC4253503071A19D42F08E877\""),
            ("x-oss-hash-crc64ecma", "3231342946509354535"),
        ],
        CB_REPLY,
    )
}

#[test]
fn flow_a_put_with_callback_matches_the_capture() {
    let captured = captured_requests().into_iter().next().unwrap();
    let callback = String::from_utf8(B64.decode(captured.header("x-oss-callback").unwrap()).unwrap()).unwrap();
    let var = String::from_utf8(B64.decode(captured.header("x-oss-callback-var").unwrap()).unwrap()).unwrap();
    assert!(var.contains("值2"));
    let rec = Recorder::start(flow_a_answer);
    let client = Client::for_endpoint(&rec.endpoint());
    let r = client.put("bkt", "b.file", b"random content", Some(&callback), Some(&var), None).unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.body_text(), CB_REPLY);
    assert_eq!(r.etag(), "\"C533195DC4253503071A19D42F08E877\"");
    assert_eq!(r.header("x-oss-request-id"), Some("5C3D9175B6FC201200000001"));

    let sent = &rec.requests()[0];
    assert_eq!(sent.request_line, "PUT /bkt/b.file HTTP/1.1");
    assert_eq!(sent.body, b"random content");
    for name in ["Content-Type", "Content-Length", "Content-Md5", "x-oss-callback", "x-oss-callback-var"] {
        assert_eq!(sent.header(name), captured.header(name), "{name}");
    }
    let date = sent.header("Date").unwrap();
    assert!(httpdate::parse_http_date(date).is_ok(), "{date}");
    assert!(sent.header("Authorization").unwrap().starts_with("OSS AKIDEXAMPLE:"));
}

#[test]
fn pinned_date_reproduces_the_known_answers() {
    let rec = Recorder::start(flow_a_answer);
    let opts = Options::new().header("Date", PINNED_DATE);
    let v1 = Client::for_endpoint(&rec.endpoint());
    v1.put("bkt", "b.file", b"random content", Some(KAT_CALLBACK), Some(KAT_VAR), Some(&opts)).unwrap();
    let sts = Client::build(&[
        ("endpoint", &rec.endpoint()),
        ("access_key_id", "AKIDEXAMPLE"),
        ("access_key_secret", "SECRETEXAMPLE"),
        ("security_token", "STSTOKENEXAMPLE"),
    ])
    .unwrap();
    sts.put("bkt", "b.file", b"random content", None, None, Some(&opts)).unwrap();
    let v4 = Client::build(&[
        ("endpoint", &rec.endpoint()),
        ("access_key_id", "AKIDEXAMPLE"),
        ("access_key_secret", "SECRETEXAMPLE"),
        ("signature_version", "v4"),
        ("region", "cn-hangzhou"),
    ])
    .unwrap();
    v4.put("bkt", "b.file", b"random content", Some(KAT_CALLBACK), Some(KAT_VAR), Some(&opts)).unwrap();

    let sent = rec.requests();
    assert_eq!(sent[0].header("Authorization"), Some("OSS AKIDEXAMPLE:c7FB2tIG8RBT14+YKnNBgbyh+N0="));
    assert_eq!(sent[1].header("x-oss-security-token"), Some("STSTOKENEXAMPLE"));
    assert_eq!(sent[1].header("Authorization"), Some("OSS AKIDEXAMPLE:YqWLZ2CVF4Vaas4rTWyhA5gy2zE="));
    assert_eq!(sent[2].header("x-oss-date"), Some("20221228T102741Z"));
    assert_eq!(sent[2].header("x-oss-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    assert_eq!(
        sent[2].header("Authorization"),
        Some("OSS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20221228/cn-hangzhou/oss/aliyun_v4_request,Signature=a0cea5bc9b772f01e957d7b3161a78dd2271955d80fddd5fbbede126fde38398")
    );
}

fn flow_b_answer(r: &Recorded) -> Vec<u8> {
    if r.request_line.contains("?uploads ") {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult>\n  <Bucket>bkt</Bucket>\n  <Key>multipart-callback-test.txt</Key>\n  <UploadId>0004B9894A22E5B1888A1E29F8236E2D</UploadId>\n</InitiateMultipartUploadResult>\n";
        http_response("200 OK", &[("x-oss-request-id", "R2"), ("Content-Type", "application/xml")], xml)
    } else if r.request_line.starts_with("PUT") {
        let etag = format!("\"{:X}\"", md5_of(&r.body));
        http_response("200 OK", &[("x-oss-request-id", "R3"), ("ETag", &etag)], "")
    } else {
        http_response(
            "200 OK",
            &[
                ("x-oss-request-id", "R6"),
                ("Content-Type", "application/json"),
                ("ETag", "\"D0AE071BCA986CE3CED5D81B4D22C61B-3\""),
            ],
            CB_REPLY,
        )
    }
}

fn md5_of(data: &[u8]) -> u128 {
    use md5::{Digest, Md5};
    u128::from_be_bytes(Md5::digest(data).into())
}

#[test]
fn flow_b_multipart_with_callback_matches_the_capture() {
    let captured = captured_requests();
    let (cap_init, cap_part1, cap_complete) = (&captured[1], &captured[2], &captured[5]);
    let dir = common::temp_dir();
    let file = dir.path().join("seed.bin");
    let data = common::seed_multipart_bytes();
    std::fs::write(&file, &data).unwrap();
    let path = file.to_str().unwrap();

    let rec = Recorder::start(flow_b_answer);
    let client = Client::for_endpoint(&rec.endpoint());
    let key = "multipart-callback-test.txt";
    let upload_id = client.initiate("bkt", key, None).unwrap().upload_id.unwrap();
    assert_eq!(upload_id, "0004B9894A22E5B1888A1E29F8236E2D");
    let md5s = ["Gg+BVH5bounEpLlKdHMZkw==", "3dFR5475+Xbj6AoievVhgA==", "xSEe6UvQBoqgi9zgyv/RvA=="];
    let mut etags = Vec::new();
    for (i, (offset, len)) in [(0u64, 102_400u64), (102_400, 102_400), (204_800, 45_200)].into_iter().enumerate() {
        let r =
            client.upload_part_file("bkt", key, &upload_id, i as u32 + 1, path, offset, len, Some(md5s[i])).unwrap();
        etags.push(r.etag().to_string());
    }
    assert_eq!(
        etags,
        [
            "\"1A0F81547E5BA2E9C4A4B94A74731993\"",
            "\"DDD151E78EF9F976E3E80A227AF56180\"",
            "\"C5211EE94BD0068AA08BDCE0CAFFD1BC\""
        ]
    );
    let callback = String::from_utf8(B64.decode(cap_complete.header("x-oss-callback").unwrap()).unwrap()).unwrap();
    let var = String::from_utf8(B64.decode(cap_complete.header("x-oss-callback-var").unwrap()).unwrap()).unwrap();
    let parts: Vec<(u32, &str)> = etags.iter().enumerate().map(|(i, e)| (i as u32 + 1, e.as_str())).collect();
    let done = client.complete("bkt", key, &upload_id, &parts, Some(&callback), Some(&var)).unwrap();
    assert_eq!(done.body_text(), CB_REPLY);

    let sent = rec.requests();
    assert_eq!(sent.len(), 5);
    assert_eq!(sent[0].request_line, cap_init.line);
    for name in ["Content-Type", "Content-Md5"] {
        assert_eq!(sent[0].header(name), cap_init.header(name), "initiate {name}");
    }
    assert_eq!(sent[0].header("Content-Length"), Some("0"));
    assert_eq!(sent[1].request_line, cap_part1.line);
    for name in ["Content-Type", "Content-Md5", "Content-Length"] {
        assert_eq!(sent[1].header(name), cap_part1.header(name), "part {name}");
    }
    assert_eq!(sent[1].body, data[..102_400]);
    assert_eq!(sent[3].body, data[204_800..]);
    assert_eq!(sent[4].request_line, cap_complete.line);
    for name in ["Content-Type", "Content-Length", "Content-Md5", "x-oss-callback", "x-oss-callback-var"] {
        assert_eq!(sent[4].header(name), cap_complete.header(name), "complete {name}");
    }
    assert_eq!(String::from_utf8(sent[4].body.clone()).unwrap(), cap_complete.body);
    let connections: std::collections::HashSet<usize> = sent.iter().map(|r| r.connection).collect();
    // Sequential requests reuse the kept-alive connection (one more may open while it returns to the pool).
    assert!(connections.len() <= 2, "{} connections for 5 sequential requests", connections.len());
}

#[test]
fn keys_headers_and_virtual_hosts() {
    let rec = Recorder::start(|_| http_response("200 OK", &[("x-oss-request-id", "R"), ("ETag", "\"E\"")], ""));
    let client = Client::for_endpoint(&rec.endpoint());
    let opts = Options::new()
        .header("x-oss-meta-author", "alice")
        .header("X-Oss-Object-Acl", "private")
        .header("Cache-Control", "no-cache")
        .header("x-oss-meta-empty", "")
        .header("x-oss-meta-zero", "0");
    let r = client.put("bkt", "dir/测试 file+1.txt", b"hello world", None, None, Some(&opts)).unwrap();
    assert_eq!(r.body, b"");
    let sent = &rec.requests()[0];
    assert_eq!(sent.request_line, "PUT /bkt/dir/%E6%B5%8B%E8%AF%95%20file%2B1.txt HTTP/1.1");
    assert_eq!(sent.header("Content-Type"), Some("text/plain"));
    assert_eq!(sent.header("Content-Md5"), Some("XrY7u+Ae7tCTyyK7j1rNww=="));
    assert_eq!(sent.header("x-oss-meta-author"), Some("alice"));
    assert_eq!(sent.header("x-oss-object-acl"), Some("private"));
    assert_eq!(sent.header("x-oss-meta-empty"), None, "empty values are dropped like the SDK does");
    assert_eq!(sent.header("x-oss-meta-zero"), Some("0"), "unlike the SDK, \"0\" is sent");

    let vhost = Client::build(&[
        ("endpoint", &format!("http://localhost:{}", rec.port)),
        ("access_key_id", "AKIDEXAMPLE"),
        ("access_key_secret", "SECRETEXAMPLE"),
        ("resolve", "bkt.localhost=127.0.0.1"),
    ])
    .unwrap();
    vhost.put("bkt", "b.file", b"x", None, None, None).unwrap();
    let sent = &rec.requests()[1];
    assert_eq!(sent.request_line, "PUT /b.file HTTP/1.1");
    assert_eq!(sent.header("Host"), Some(format!("bkt.localhost:{}", rec.port).as_str()));
    let cname = Client::build(&[
        ("endpoint", &rec.endpoint()),
        ("access_key_id", "AKIDEXAMPLE"),
        ("access_key_secret", "SECRETEXAMPLE"),
        ("cname", "true"),
    ])
    .unwrap();
    cname.put("bkt", "c.txt", b"x", None, None, None).unwrap();
    assert_eq!(rec.requests()[2].request_line, "PUT /c.txt HTTP/1.1");
}

#[test]
fn error_answers_become_error_objects() {
    let cb203 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>CallbackFailed</Code>\n  <Message>Error status : 502.</Message>\n  <RequestId>5C3D9175B6FC201200000008</RequestId>\n  <HostId>bkt.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <EC>0007-00000203</EC>\n</Error>\n";
    let e403 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>SignatureDoesNotMatch</Code>\n  <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\n  <RequestId>5C3D9175B6FC201200000009</RequestId>\n  <HostId>bkt.oss-cn-hangzhou.aliyuncs.com</HostId>\n</Error>\n";
    let rec = Recorder::start(move |r| {
        if r.request_line.contains("cbfail") {
            http_response(
                "203 Non-Authoritative Information",
                &[
                    ("x-oss-request-id", "5C3D9175B6FC201200000008"),
                    ("Content-Type", "application/xml"),
                    ("ETag", "\"9DD4E461268C8034F5C8564E155C67A6\""),
                ],
                cb203,
            )
        } else {
            http_response(
                "403 Forbidden",
                &[("x-oss-request-id", "5C3D9175B6FC201200000009"), ("Content-Type", "application/xml")],
                e403,
            )
        }
    });
    let client = Client::for_endpoint(&rec.endpoint());
    let cb = "{\"callbackUrl\":\"http://127.0.0.1:1/\",\"callbackBody\":\"a=b\"}";
    let e = client.put("bkt", "cbfail.txt", b"x", Some(cb), None, None).unwrap_err();
    assert_eq!(e.result, oss_result::CallbackFailed);
    assert_eq!(
        (e.http_status, e.code.as_str(), e.oss_message.as_str()),
        (203, "CallbackFailed", "Error status : 502.")
    );
    assert_eq!(e.request_id, "5C3D9175B6FC201200000008");
    assert_eq!(e.host_id, "bkt.oss-cn-hangzhou.aliyuncs.com");
    assert_eq!(e.message, "CallbackFailed: Error status : 502. RequestId: 5C3D9175B6FC201200000008");
    assert_eq!(e.body, cb203.as_bytes());
    assert_eq!(e.attempts, 1);
    assert_eq!(
        e.response.unwrap().etag(),
        "\"9DD4E461268C8034F5C8564E155C67A6\"",
        "the stored object's ETag stays readable"
    );
    let ok = client.put("bkt", "cbfail.txt", b"x", None, None, None).unwrap();
    assert_eq!(ok.status, 203, "without a callback a 203 is success, as in the SDK");

    let e = client.put("bkt", "err403.txt", b"x", None, None, None).unwrap_err();
    assert_eq!(e.result, oss_result::ServiceError);
    assert_eq!((e.http_status, e.code.as_str()), (403, "SignatureDoesNotMatch"));
    assert!(e.message.starts_with("SignatureDoesNotMatch: The request signature we calculated"));
    assert!(e.message.ends_with(" RequestId: 5C3D9175B6FC201200000009"));
}

#[test]
fn invalid_input_sends_nothing() {
    let rec = Recorder::start(flow_a_answer);
    let client = Client::for_endpoint(&rec.endpoint());
    let cases: Vec<(common::Outcome, oss_result)> = vec![
        (client.put("Bad_Bucket", "k", b"x", None, None, None), oss_result::InvalidBucketName),
        (client.put("evil.com/x", "k", b"x", None, None, None), oss_result::InvalidBucketName),
        (client.put("bkt", "/k", b"x", None, None, None), oss_result::InvalidObjectName),
        (client.put("bkt", "k", b"x", Some("{not json"), None, None), oss_result::InvalidCallback),
        (
            client.put("bkt", "k", b"x", Some(KAT_CALLBACK), Some("{\"X:Upper\":\"v\"}"), None),
            oss_result::InvalidCallback,
        ),
        (client.put("bkt", "k", b"x", None, None, Some(&Options::new().query("a", "b"))), oss_result::Ok),
        (client.upload_part("bkt", "k", "UPID", 0, b"x", None), oss_result::InvalidPartNumber),
        (client.upload_part("bkt", "k", "UPID", 10_001, b"x", None), oss_result::InvalidPartNumber),
        (client.upload_part("bkt", "k", "", 1, b"x", None), oss_result::InvalidArgument),
        (client.upload_part("bkt", "k", "UPID", 1, b"x", Some("not-md5")), oss_result::InvalidArgument),
        (client.upload_part_file("bkt", "k", "UPID", 1, "/nonexistent/file", 0, 1, None), oss_result::FileNotFound),
        (client.upload_part_file("bkt", "k", "UPID", 1, "/tmp", 0, 1, None), oss_result::FileUnreadable),
        (client.put_file("bkt", "k", "/nonexistent/file", None, None, None), oss_result::FileNotFound),
    ];
    let mut expected_requests = 0;
    for (i, (outcome, want)) in cases.into_iter().enumerate() {
        match outcome {
            Ok(_) => {
                assert_eq!(want, oss_result::Ok, "case {i}");
                expected_requests += 1;
            }
            Err(e) => {
                assert_eq!(e.result, want, "case {i}: {}", e.message);
                assert_eq!((e.http_status, e.attempts), (0, 0), "case {i}");
                assert!(!e.message.is_empty());
            }
        }
    }
    let dir = common::temp_dir();
    let f = dir.path().join("ten");
    std::fs::write(&f, b"0123456789").unwrap();
    let e = client.upload_part_file("bkt", "k", "UPID", 1, f.to_str().unwrap(), 5, 6, None).unwrap_err();
    assert_eq!(e.result, oss_result::RangeOutOfFile);
    assert_eq!(rec.requests().len(), expected_requests, "only the valid call reached the server");
    let h = Options::new();
    let rc = unsafe {
        ossrs::ffi::options::oss_options_set_header(
            h.0,
            common::c("x-oss-meta-a").as_ptr(),
            common::c("v\r\nX-Evil: 1").as_ptr(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, oss_result::InvalidHeader);
}

#[test]
fn transport_failures_are_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = Client::for_endpoint(&format!("http://127.0.0.1:{port}"));
    let e = client.put("bkt", "k", b"x", None, None, None).unwrap_err();
    assert_eq!(e.result, oss_result::Connect, "{}", e.message);
    assert_eq!((e.http_status, e.attempts), (0, 4), "a refused connection is retried 3 times by default");
    assert!(e.message.to_lowercase().contains("connect"), "{}", e.message);
}
