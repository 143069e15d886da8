//! End-to-end tests: the emulator and the callback receiver run in-process and are driven over
//! raw TCP with requests signed by the small test-only V1 signer in `common`.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::*;
use hmac::{Hmac, Mac};
use oss_emulator::{CallbackReceiver, Credential, Emulator, EmulatorConfig, ReceiverConfig};
use serde_json::Value;
use sha2::Digest;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

#[test]
fn put_object_with_callback_then_failed_callback() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let rx = receiver(ReceiverConfig {
        reply_body: r#"{"Status":"OK","from":"callback-server"}"#.into(),
        ..Default::default()
    });
    let body = b"random content";
    let cb = callback_header(
        &format!("{}/cb.php?id=1", rx.url()),
        "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var2=${x:var2}&op=${operation}",
        "application/x-www-form-urlencoded",
    );
    let var = B64.encode(r#"{"x:var2":"值2"}"#);
    let reply = put(
        emu.port(),
        "b.file",
        body,
        &[
            ("Content-Md5", md5_b64(body)),
            ("Content-Type", "text/plain".into()),
            ("x-oss-callback", cb),
            ("x-oss-callback-var", var),
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), r#"{"Status":"OK","from":"callback-server"}"#);
    assert_eq!(reply.header("Content-Type"), Some("application/json"));
    assert_eq!(reply.header("ETag"), Some("\"C533195DC4253503071A19D42F08E877\""));
    assert_eq!(reply.header("Content-MD5"), Some("xTMZXcQlNQMHGhnULwjodw=="));
    assert!(reply.header("x-oss-hash-crc64ecma").unwrap().parse::<u64>().is_ok());
    let id = reply.header("x-oss-request-id").unwrap();
    assert!(id.len() == 24 && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));

    let got = rx.received();
    assert_eq!(got.len(), 1);
    let cb = &got[0];
    assert!(cb.signature_valid, "{:?}", cb.error);
    assert_eq!((cb.method.as_str(), cb.path.as_str(), cb.query.as_str()), ("POST", "/cb.php", "id=1"));
    assert_eq!(cb.pub_key_url, emu.pub_key_url());
    assert_eq!(
        String::from_utf8(cb.body.clone()).unwrap(),
        "bucket=bkt&object=b.file&etag=C533195DC4253503071A19D42F08E877&size=14&mimeType=text%2Fplain&my_var2=%E5%80%BC2&op=PutObject"
    );
    let header = |n: &str| cb.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.as_str());
    assert_eq!(header("User-Agent"), Some("http-client/0.0.1"));
    assert_eq!(header("Content-Type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(header("Host"), Some(format!("127.0.0.1:{}", rx.port()).as_str()));

    // A callback to a closed port: 203 CallbackFailed, but the object is stored.
    let cb = callback_header(
        &format!("http://127.0.0.1:{}/", closed_port()),
        "a=${object}",
        "application/x-www-form-urlencoded",
    );
    let reply = put(emu.port(), "cbfail.txt", b"x", &[("x-oss-callback", cb)]);
    assert_eq!(reply.status, 203);
    let xml = reply.text();
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>CallbackFailed</Code>\n"),
        "{xml}"
    );
    assert!(xml.contains("<Message>Error status : -1. OSS can not connect to your callbackUrl, please check it."));
    assert_eq!(reply.header("ETag"), Some("\"9DD4E461268C8034F5C8564E155C67A6\""));
    assert_eq!(emu.object("bkt", "cbfail.txt").unwrap(), b"x");

    // The receiver's public-key fetch is logged too; look at the uploads only.
    let log: Vec<Value> = emu.requests().into_iter().filter(|e| e["method"] == "PUT").collect();
    assert_eq!(log.len(), 2);
    assert!(emu.requests().iter().any(|e| e["path"] == "/__emulator/callback_pub_key_v1.pem" && e["status"] == 200));
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[0]["callback"]["status"], 200);
    assert_eq!(log[0]["body_md5"], "c533195dc4253503071a19d42f08e877");
    assert_eq!(log[1]["error_code"], "CallbackFailed");
    assert!(log[1]["callback"]["error"].as_str().unwrap().contains("can not connect"));
    assert_eq!(log[1]["headers"][0], serde_json::json!(["Host", format!("127.0.0.1:{}", emu.port())]));
}

#[test]
fn callback_reply_failures() {
    // The timeout leaves room for the receiver's first public-key fetch and RSA check in a debug build on a busy
    // machine (400 ms once was not enough); the slow receiver stays well past it.
    let emu = Emulator::start(EmulatorConfig { callback_timeout: Duration::from_millis(1500), ..Default::default() })
        .unwrap();
    let cases = [
        (ReceiverConfig { reply_status: 502, ..Default::default() }, "Error status : 502."),
        (ReceiverConfig { reply_body: "OK".into(), ..Default::default() }, "Response body is not valid json format."),
        (ReceiverConfig { delay: Duration::from_millis(3000), ..Default::default() }, "timeout: 1500 MS"),
    ];
    for (cfg, expected) in cases {
        let rx = receiver(cfg);
        let cb = callback_header(&rx.url(), r#"{"size":${size},"key":${object}}"#, "application/json");
        let reply = put(emu.port(), "k", b"abc", &[("x-oss-callback", cb)]);
        assert_eq!(reply.status, 203, "{}", reply.text());
        assert!(reply.text().contains(expected), "{} lacks {expected}", reply.text());
        let got = rx.received();
        assert!(got[0].signature_valid);
        assert_eq!(String::from_utf8(got[0].body.clone()).unwrap(), r#"{"size":3,"key":"k"}"#);
    }
}

#[test]
fn receiver_rejects_untrusted_key_url_and_bad_signatures() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let strict = CallbackReceiver::start(ReceiverConfig::default()).unwrap();
    let cb = callback_header(&strict.url(), "a=${bucket}", "application/x-www-form-urlencoded");
    assert_eq!(put(emu.port(), "k", b"1", &[("x-oss-callback", cb)]).status, 200);
    let got = strict.received();
    assert!(!got[0].signature_valid);
    assert!(got[0].error.as_deref().unwrap().contains("allowed prefix"));

    // A forged callback (signature over another body) is caught.
    let rx = receiver(ReceiverConfig::default());
    let forged = format!(
        "POST /cb HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nauthorization: {}\r\nx-oss-pub-key-url: {}\r\nConnection: close\r\n\r\nabc",
        B64.encode([7u8; 128]),
        B64.encode(emu.pub_key_url())
    );
    let mut s = TcpStream::connect(("127.0.0.1", rx.port())).unwrap();
    s.write_all(forged.as_bytes()).unwrap();
    assert_eq!(read_reply(&mut BufReader::new(s), false).status, 200);
    let got = rx.received();
    assert!(!got[0].signature_valid);
    assert!(got[0].error.as_deref().unwrap().contains("signature does not verify"), "{:?}", got[0].error);
}

#[test]
fn multipart_upload_with_json_callback() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let rx = receiver(ReceiverConfig::default());
    let port = emu.port();
    let key = "dir/测试 file+1.txt";
    let enc = "dir/%E6%B5%8B%E8%AF%95%20file%2B1.txt";
    let r = request(
        port,
        "POST",
        &format!("/bkt/{enc}?uploads"),
        &format!("/bkt/{key}?uploads"),
        &[("Content-Type", "text/plain".into()), ("x-oss-meta-author", "alice".into())],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let text = r.text();
    let id = text.split("<UploadId>").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert_eq!(id.len(), 32);
    assert_eq!(emu.uploads("bkt"), vec![id.clone()]);

    let data: Vec<u8> = (0..250_000u32).map(|i| (i % 251) as u8).collect();
    let mut etags = Vec::new();
    for (i, chunk) in data.chunks(102_400).enumerate() {
        let n = i + 1;
        let r = request(
            port,
            "PUT",
            &format!("/bkt/{enc}?partNumber={n}&uploadId={id}"),
            &format!("/bkt/{key}?partNumber={n}&uploadId={id}"),
            &[("Content-Md5", md5_b64(chunk))],
            chunk,
        );
        assert_eq!(r.status, 200, "{}", r.text());
        etags.push(r.header("ETag").unwrap().to_string());
    }
    assert_eq!(etags[0], "\"1A0F81547E5BA2E9C4A4B94A74731993\"");
    let bad = request(
        port,
        "PUT",
        &format!("/bkt/{enc}?partNumber=10001&uploadId={id}"),
        &format!("/bkt/{key}?partNumber=10001&uploadId={id}"),
        &[],
        b"x",
    );
    assert_eq!((bad.status, bad.text().contains("<Code>InvalidArgument</Code>")), (400, true));

    let r = request(
        port,
        "GET",
        &format!("/bkt/{enc}?uploadId={id}&max-parts=2"),
        &format!("/bkt/{key}?uploadId={id}"),
        &[],
        b"",
    );
    assert_eq!(r.status, 200);
    let listing = r.text();
    assert!(
        listing.contains("<IsTruncated>true</IsTruncated>")
            && listing.contains("<NextPartNumberMarker>2</NextPartNumberMarker>"),
        "{listing}"
    );

    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CompleteMultipartUpload>");
    for (i, e) in etags.iter().enumerate() {
        xml.push_str(&format!("<Part><PartNumber>{}</PartNumber><ETag>{e}</ETag></Part>", i + 1));
    }
    xml.push_str("</CompleteMultipartUpload>\n");
    let cb = callback_header(
        &rx.url(),
        r#"{"mimeType":${mimeType},"size":${size},"etag":${etag},"op":${operation},"md5":${contentMd5}}"#,
        "application/json",
    );
    let r = request(
        port,
        "POST",
        &format!("/bkt/{enc}?uploadId={id}"),
        &format!("/bkt/{key}?uploadId={id}"),
        &[("Content-Type", "application/xml".into()), ("Content-Md5", md5_b64(xml.as_bytes())), ("x-oss-callback", cb)],
        xml.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), r#"{"Status":"OK"}"#);
    assert_eq!(r.header("ETag"), Some("\"D0AE071BCA986CE3CED5D81B4D22C61B-3\""));
    let got = rx.received();
    assert!(got[0].signature_valid);
    let v: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"mimeType":"text/plain","size":250000,"etag":"D0AE071BCA986CE3CED5D81B4D22C61B-3","op":"CompleteMultipartUpload","md5":""})
    );

    assert_eq!(emu.object("bkt", key).unwrap(), data);
    let meta = emu.object_meta("bkt", key).unwrap();
    assert_eq!(meta["user_meta"]["x-oss-meta-author"], "alice");
    assert_eq!(meta["content_type"], "text/plain");
    assert!(emu.uploads("bkt").is_empty());

    let r = request(port, "HEAD", &format!("/bkt/{enc}"), &format!("/bkt/{key}"), &[], b"");
    assert_eq!(
        (r.status, r.header("x-oss-meta-author"), r.header("Content-Length")),
        (200, Some("alice"), Some("250000"))
    );
    let r = request(
        port,
        "GET",
        &format!("/bkt/{enc}"),
        &format!("/bkt/{key}"),
        &[("Range", "bytes=102398-102401".into())],
        b"",
    );
    assert_eq!(
        (r.status, r.body.as_slice(), r.header("Content-Range")),
        (206, &data[102_398..102_402], Some("bytes 102398-102401/250000"))
    );

    let r =
        request(port, "DELETE", &format!("/bkt/{enc}?uploadId={id}"), &format!("/bkt/{key}?uploadId={id}"), &[], b"");
    assert_eq!((r.status, r.text().contains("NoSuchUpload")), (404, true));
}

#[test]
fn multipart_validation_errors() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    let r = request(port, "POST", "/bkt/m?uploads", "/bkt/m?uploads", &[], b"");
    let id = r.text().split("<UploadId>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let mut etags = Vec::new();
    for (n, body) in [(1, vec![1u8; 10]), (2, vec![2u8; 10])] {
        let r = request(
            port,
            "PUT",
            &format!("/bkt/m?partNumber={n}&uploadId={id}"),
            &format!("/bkt/m?partNumber={n}&uploadId={id}"),
            &[],
            &body,
        );
        etags.push(r.header("ETag").unwrap().to_string());
    }
    let complete = |parts: &[(u32, &str)]| {
        let mut xml = String::from("<CompleteMultipartUpload>");
        for (n, e) in parts {
            xml.push_str(&format!("<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"));
        }
        xml.push_str("</CompleteMultipartUpload>");
        request(port, "POST", &format!("/bkt/m?uploadId={id}"), &format!("/bkt/m?uploadId={id}"), &[], xml.as_bytes())
    };
    let code = |r: Reply| (r.status, r.text().split("<Code>").nth(1).unwrap().split('<').next().unwrap().to_string());
    assert_eq!(code(complete(&[(2, &etags[1]), (1, &etags[0])])), (400, "InvalidPartOrder".into()));
    assert_eq!(code(complete(&[(1, &etags[1])])), (400, "InvalidPart".into()));
    assert_eq!(code(complete(&[(1, &etags[0]), (2, &etags[1])])), (400, "EntityTooSmall".into()));
    assert_eq!(
        code(request(
            port,
            "POST",
            &format!("/bkt/m?uploadId={id}"),
            &format!("/bkt/m?uploadId={id}"),
            &[],
            b"<Complete"
        )),
        (400, "MalformedXML".into())
    );
    // A single small part is fine (the last part may be small); lower-case unquoted ETag works.
    let r = complete(&[(2, &etags[1].trim_matches('"').to_lowercase())]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("<CompleteMultipartUploadResult>"));
    assert_eq!(emu.object("bkt", "m").unwrap(), vec![2u8; 10]);
    assert_eq!(code(complete(&[(2, &etags[1])])), (404, "NoSuchUpload".into()));

    let r = request(port, "POST", "/bkt/n?uploads", "/bkt/n?uploads", &[], b"");
    let id = r.text().split("<UploadId>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let r = request(port, "GET", "/bkt?uploads", "/bkt/?uploads", &[], b"");
    assert!(r.text().contains(&format!("<UploadId>{id}</UploadId>")), "{}", r.text());
    let r = request(port, "DELETE", &format!("/bkt/n?uploadId={id}"), &format!("/bkt/n?uploadId={id}"), &[], b"");
    assert_eq!(r.status, 204);
    assert!(emu.uploads("bkt").is_empty());
}

#[test]
fn errors_addressing_and_http_handling() {
    let emu = Emulator::start(EmulatorConfig {
        buckets: vec!["bkt".into(), "other".into()],
        keys: vec![
            Credential::new(AK, SK),
            Credential { id: "STSID".into(), secret: "S".into(), sts_token: Some("TOK".into()) },
        ],
        ..Default::default()
    })
    .unwrap();
    let port = emu.port();
    let code = |r: &Reply| r.text().split("<Code>").nth(1).map(|s| s.split('<').next().unwrap().to_string());

    let r = put(port, "k", b"data", &[("Content-Md5", md5_b64(b"other"))]);
    assert_eq!((r.status, code(&r).as_deref()), (400, Some("InvalidDigest")));
    let r = put(port, "k", b"data", &[("Content-Md5", "not base64!".into())]);
    assert_eq!((r.status, code(&r).as_deref()), (400, Some("InvalidDigest")));
    assert!(emu.object("bkt", "k").is_none());

    let r = request(port, "GET", "/bkt/missing", "/bkt/missing", &[], b"");
    assert_eq!((r.status, code(&r).as_deref()), (404, Some("NoSuchKey")));
    let r = request(port, "GET", "/nobucket/k", "/nobucket/k", &[], b"");
    assert_eq!((r.status, code(&r).as_deref()), (404, Some("NoSuchBucket")));
    let r = request(port, "GET", "/bkt/k", "/bkt/other-key", &[], b"");
    assert_eq!((r.status, code(&r).as_deref()), (403, Some("SignatureDoesNotMatch")));
    let xml = r.text();
    assert!(xml.contains("<Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>"));
    assert!(
        xml.contains("<StringToSign>GET\n\n\n") && xml.contains("<OSSAccessKeyId>AKIDEXAMPLE</OSSAccessKeyId>"),
        "{xml}"
    );
    let r = put(port, "k", b"x", &[("x-oss-callback", B64.encode("{not json"))]);
    assert!(r.text().contains("The callback configuration is not json format."));

    // Unsigned, skewed and STS requests.
    let raw = |req: String| {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        read_reply(&mut BufReader::new(s), false)
    };
    let r = raw("GET /bkt/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into());
    assert_eq!((r.status, code(&r).as_deref()), (403, Some("AccessDenied")));
    let old = "Wed, 28 Dec 2022 10:27:41 GMT".to_string();
    let auth = sign_v1("GET", &[("Date", old.clone())], "/bkt/k");
    let r = raw(format!(
        "GET /bkt/k HTTP/1.1\r\nHost: x\r\nDate: {old}\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!((r.status, code(&r).as_deref()), (403, Some("RequestTimeTooSkewed")));
    let r = raw(format!(
        "GET /bkt/k HTTP/1.1\r\nHost: x\r\nDate: {}\r\nAuthorization: OSS STSID:abc\r\nConnection: close\r\n\r\n",
        now_date()
    ));
    assert_eq!((r.status, code(&r).as_deref()), (403, Some("InvalidSecurityToken")));
    let r = raw(format!(
        "GET /bkt/k HTTP/1.1\r\nHost: x\r\nDate: {}\r\nAuthorization: OSS NOPE:abc\r\nConnection: close\r\n\r\n",
        now_date()
    ));
    assert_eq!((r.status, code(&r).as_deref()), (403, Some("InvalidAccessKeyId")));

    let r = raw(format!("GET /k HTTP/1.1\r\nHost: nobucket.localhost:{port}\r\nConnection: close\r\n\r\n"));
    assert_eq!((r.status, code(&r).as_deref()), (404, Some("NoSuchBucket")));
    assert!(r.text().contains("<BucketName>nobucket</BucketName>"));

    // Public key needs no auth.
    let r = raw("GET /__emulator/callback_pub_key_v1.pem HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into());
    assert!(r.status == 200 && r.text().starts_with("-----BEGIN PUBLIC KEY-----"));

    // Malformed requests get a 400 error XML and the server keeps serving.
    let r = raw("GARBAGE\r\n\r\n".into());
    assert_eq!(r.status, 400);
    assert!(r.header("x-oss-request-id").is_some());

    // Virtual-hosted style, chunked body, Expect: 100-continue and keep-alive on one connection.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let date = now_date();
    let auth = sign_v1("PUT", &[("Date", date.clone()), ("Content-Type", "text/plain".into())], "/other/v.txt");
    write!(s, "PUT /v.txt HTTP/1.1\r\nHost: other.localhost:{port}\r\nDate: {date}\r\nContent-Type: text/plain\r\nAuthorization: {auth}\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n").unwrap();
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 100 Continue\r\n");
    reader.read_line(&mut line).unwrap();
    s.write_all(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").unwrap();
    let r = read_reply(&mut reader, false);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("Connection"), Some("keep-alive"));
    let auth = sign_v1("GET", &[("Date", date.clone())], "/other/v.txt");
    write!(s, "GET /v.txt HTTP/1.1\r\nHost: other.localhost:{port}\r\nDate: {date}\r\nAuthorization: {auth}\r\n\r\n")
        .unwrap();
    let r = read_reply(&mut reader, false);
    assert_eq!((r.status, r.text().as_str(), r.header("Content-Type")), (200, "hello world", Some("text/plain")));
    assert_eq!(emu.object("other", "v.txt").unwrap(), b"hello world");

    let r = request(port, "DELETE", "/other/v.txt", "/other/v.txt", &[], b"");
    assert_eq!(r.status, 204);
    assert!(emu.object("other", "v.txt").is_none());
}

/// Test-only V4 signer for a request without body hash (UNSIGNED-PAYLOAD).
fn sign_v4(method: &str, uri: &str, query: &str, headers: &[(&str, String)], datetime: &str) -> String {
    use sha2::Sha256;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let hmac = |k: &[u8], d: &str| {
        let mut m = Hmac::<Sha256>::new_from_slice(k).unwrap();
        m.update(d.as_bytes());
        m.finalize().into_bytes().to_vec()
    };
    let mut signed: Vec<(String, &String)> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .filter(|(n, _)| n == "content-type" || n == "content-md5" || n.starts_with("x-oss-"))
        .collect();
    signed.sort();
    let mut canonical = format!("{method}\n{uri}\n{query}\n");
    for (n, v) in signed {
        canonical.push_str(&format!("{n}:{v}\n"));
    }
    canonical.push_str("\n\nUNSIGNED-PAYLOAD");
    let date = &datetime[..8];
    let scope = format!("{date}/cn-hangzhou/oss/aliyun_v4_request");
    let sts = format!("OSS4-HMAC-SHA256\n{datetime}\n{scope}\n{}", hex(&sha2::Sha256::digest(canonical.as_bytes())));
    let mut k = hmac(format!("aliyun_v4{SK}").as_bytes(), date);
    for part in ["cn-hangzhou", "oss", "aliyun_v4_request"] {
        k = hmac(&k, part);
    }
    format!("OSS4-HMAC-SHA256 Credential={AK}/{scope},Signature={}", hex(&hmac(&k, &sts)))
}

#[test]
fn v4_signed_requests_virtual_hosted() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let port = emu.port();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (days, secs) = (now / 86_400, now % 86_400);
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let datetime = format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", secs / 3600, secs / 60 % 60, secs % 60);

    let body = b"v4 body";
    let headers = vec![
        ("Content-Type", "text/plain".to_string()),
        ("x-oss-date", datetime.clone()),
        ("x-oss-content-sha256", "UNSIGNED-PAYLOAD".to_string()),
    ];
    let auth = sign_v4("PUT", "/bkt/a%20b/%E5%80%BC.txt", "", &headers, &datetime);
    let mut raw = format!("PUT /a%20b/%E5%80%BC.txt HTTP/1.1\r\nHost: bkt.localhost:{port}\r\n");
    for (n, v) in &headers {
        raw.push_str(&format!("{n}: {v}\r\n"));
    }
    raw.push_str(&format!("Authorization: {auth}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let r = read_reply(&mut BufReader::new(s), false);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(emu.object("bkt", "a b/值.txt").unwrap(), body);

    // A wrong signature answers with the canonical request the emulator computed.
    let raw = raw.replace("Signature=", "Signature=0");
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let r = read_reply(&mut BufReader::new(s), false);
    assert_eq!(r.status, 403);
    assert!(
        r.text().contains("<CanonicalRequest>PUT\n/bkt/a%20b/%E5%80%BC.txt\n\ncontent-type:text/plain\n"),
        "{}",
        r.text()
    );
}

#[test]
fn binary_prints_port_and_serves() {
    let dir = std::env::temp_dir().join(format!("oss-emu-bin-test-{}", std::process::id()));
    let log = dir.join("requests.jsonl");
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_oss-emulator"))
        .args(["--port", "0", "--data-dir"])
        .arg(dir.join("data"))
        .args(["--bucket", "bkt", "--key", &format!("{AK}:{SK}"), "--callback-timeout-ms", "1000", "--log"])
        .arg(&log)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let port: u16 = first.trim().parse().unwrap();
    let r = put(port, "bin.txt", b"via binary", &[]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(r.status, 200);
    let lines = std::fs::read_to_string(&log).unwrap();
    let entry: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(
        (entry["method"].as_str(), entry["status"].as_u64(), entry["body_len"].as_u64()),
        (Some("PUT"), Some(200), Some(10))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
