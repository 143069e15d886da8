//! End-to-end scenarios through the C ABI against the project's OSS emulator and a callback receiver that
//! verifies OSS's RSA signature: both seed flows, V1/V4, STS, addressing styles and the error paths.

mod common;

use common::{Client, Options};
use oss_emulator::{CallbackReceiver, Credential, Emulator, EmulatorConfig};
use ossrs::ffi::oss_result;

const SEED_VAR: &str = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"值2\"\n    }";

struct Env {
    emulator: Emulator,
    receiver: CallbackReceiver,
}

fn start() -> Env {
    let cfg = EmulatorConfig {
        keys: vec![
            Credential { id: "AKIDEXAMPLE".into(), secret: "SECRETEXAMPLE".into(), sts_token: None },
            Credential { id: "STSID".into(), secret: "STSSECRET".into(), sts_token: Some("STSTOKEN".into()) },
        ],
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(cfg).unwrap();
    let receiver = common::local_receiver();
    Env { emulator, receiver }
}

fn form_callback(url: &str) -> String {
    format!(
        "{{\n        \"callbackUrl\":\"{url}\",\n        \"callbackHost\":\"127.0.0.1\",\n        \"callbackBody\":\"bucket=${{bucket}}&object=${{object}}&etag=${{etag}}&size=${{size}}&mimeType=${{mimeType}}&imageInfo.height=${{imageInfo.height}}&imageInfo.width=${{imageInfo.width}}&imageInfo.format=${{imageInfo.format}}&my_var1=${{x:var1}}&my_var2=${{x:var2}}\",\n        \"callbackBodyType\":\"application/x-www-form-urlencoded\"\n    }}"
    )
}

fn json_callback(url: &str) -> String {
    format!(
        "{{\n        \"callbackUrl\":\"{url}\",\n        \"callbackHost\":\"127.0.0.1\",\n        \"callbackBody\":\"{{\\\"mimeType\\\":${{mimeType}},\\\"size\\\":${{size}},\\\"x:var1\\\":${{x:var1}},\\\"x:var2\\\":${{x:var2}}}}\",\n        \"callbackBodyType\":\"application/json\"\n    }}"
    )
}

#[test]
fn seed_flow_a_simple_upload_with_form_callback() {
    let env = start();
    let client = Client::for_endpoint(&env.emulator.endpoint());
    let content = include_bytes!("conformance.rs");
    let r = client
        .put("bkt", "seed/a.php", content, Some(&form_callback(&env.receiver.url())), Some(SEED_VAR), None)
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.body_text(), "{\"Status\":\"OK\"}", "the callback server's reply comes back as the body");
    assert_eq!(env.emulator.object("bkt", "seed/a.php").unwrap(), content.to_vec());

    let got = env.receiver.received();
    assert_eq!(got.len(), 1);
    let cb = &got[0];
    assert!(cb.signature_valid, "OSS-style RSA signature must verify: {:?}", cb.error);
    let body = String::from_utf8(cb.body.clone()).unwrap();
    let etag = r.etag().trim_matches('"').to_string();
    assert_eq!(
        body,
        format!("bucket=bkt&object=seed%2Fa.php&etag={etag}&size={}&mimeType=application%2Foctet-stream&imageInfo.height=&imageInfo.width=&imageInfo.format=&my_var1=value1&my_var2=%E5%80%BC2", content.len())
    );
    assert!(cb
        .headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("content-type") && v == "application/x-www-form-urlencoded"));
}

#[test]
fn seed_flow_b_multipart_with_md5_and_json_callback() {
    let env = start();
    let client = Client::for_endpoint(&env.emulator.endpoint());
    let dir = common::temp_dir();
    let file = dir.path().join("seed.txt");
    let data = common::seed_multipart_bytes();
    std::fs::write(&file, &data).unwrap();
    let path = file.to_str().unwrap();
    let key = "multipart-callback-test.txt";

    let upload_id = client.initiate("bkt", key, None).unwrap().upload_id.unwrap();
    assert_eq!(env.emulator.uploads("bkt"), vec![upload_id.clone()]);
    let mut etags = Vec::new();
    for (i, (offset, len)) in [(0u64, 102_400u64), (102_400, 102_400), (204_800, 45_200)].into_iter().enumerate() {
        let md5 = ossrs::core::ops::file_content_md5(&file, offset, len).unwrap();
        let r = client.upload_part_file("bkt", key, &upload_id, i as u32 + 1, path, offset, len, Some(&md5)).unwrap();
        etags.push(r.etag().to_string());
    }
    assert_eq!(etags[0], "\"1A0F81547E5BA2E9C4A4B94A74731993\"");
    let listed = client.list_parts("bkt", key, &upload_id, None).unwrap();
    assert_eq!(listed.max_parts, 1000, "{}", listed.body_text());
    assert!(
        listed.parts_last_modified.iter().all(|t| t.ends_with('Z') && t.len() >= 20),
        "{:?}",
        listed.parts_last_modified
    );
    assert_eq!(
        listed.parts.iter().map(|p| (p.0, p.2)).collect::<Vec<_>>(),
        vec![(1, 102_400), (2, 102_400), (3, 45_200)]
    );
    let parts: Vec<(u32, &str)> = etags.iter().enumerate().map(|(i, e)| (i as u32 + 1, e.as_str())).collect();
    let done = client
        .complete("bkt", key, &upload_id, &parts, Some(&json_callback(&env.receiver.url())), Some(SEED_VAR))
        .unwrap();
    assert_eq!(done.status, 200);
    assert_eq!(done.body_text(), "{\"Status\":\"OK\"}");
    assert!(done.etag().ends_with("-3\""), "{}", done.etag());
    assert_eq!(env.emulator.object("bkt", key).unwrap(), data);
    assert!(env.emulator.uploads("bkt").is_empty());

    let cb = &env.receiver.received()[0];
    assert!(cb.signature_valid, "{:?}", cb.error);
    let v: serde_json::Value = serde_json::from_slice(&cb.body).unwrap();
    assert_eq!(v["mimeType"], "text/plain");
    assert_eq!(v["size"], 250_000);
    assert_eq!(v["x:var1"], "value1");
    assert_eq!(v["x:var2"], "值2");
}

#[test]
fn v4_sts_and_addressing_styles() {
    let env = start();
    let ep = env.emulator.endpoint();
    let port = env.emulator.port();
    let clients = [
        Client::build(&[
            ("endpoint", &ep),
            ("access_key_id", "AKIDEXAMPLE"),
            ("access_key_secret", "SECRETEXAMPLE"),
            ("signature_version", "v4"),
            ("region", "cn-hangzhou"),
        ])
        .unwrap(),
        Client::build(&[
            ("endpoint", &ep),
            ("access_key_id", "STSID"),
            ("access_key_secret", "STSSECRET"),
            ("security_token", "STSTOKEN"),
        ])
        .unwrap(),
        Client::build(&[
            ("endpoint", &ep),
            ("access_key_id", "STSID"),
            ("access_key_secret", "STSSECRET"),
            ("security_token", "STSTOKEN"),
            ("signature_version", "v4"),
            ("region", "cn-hangzhou"),
        ])
        .unwrap(),
        Client::build(&[
            ("endpoint", &format!("http://localhost:{port}")),
            ("access_key_id", "AKIDEXAMPLE"),
            ("access_key_secret", "SECRETEXAMPLE"),
            ("resolve", "bkt.localhost=127.0.0.1"),
        ])
        .unwrap(),
        Client::build(&[
            ("endpoint", &format!("http://localhost:{port}")),
            ("access_key_id", "AKIDEXAMPLE"),
            ("access_key_secret", "SECRETEXAMPLE"),
            ("signature_version", "v4"),
            ("region", "cn-hangzhou"),
            ("resolve", "bkt.localhost=127.0.0.1"),
        ])
        .unwrap(),
        Client::build(&[
            ("endpoint", &format!("http://localhost:{port}")),
            ("access_key_id", "AKIDEXAMPLE"),
            ("access_key_secret", "SECRETEXAMPLE"),
            ("path_style", "true"),
        ])
        .unwrap(),
    ];
    for (i, client) in clients.iter().enumerate() {
        let key = format!("style/{i}/测试 file+1.txt");
        let body = format!("client {i}");
        let cb = form_callback(&env.receiver.url());
        client
            .put(
                "bkt",
                &key,
                body.as_bytes(),
                Some(&cb),
                Some(SEED_VAR),
                Some(&Options::new().header("x-oss-meta-author", "alice")),
            )
            .unwrap_or_else(|e| panic!("client {i}: {}", e.message));
        let upload_id = client.initiate("bkt", &format!("{key}.mp"), None).unwrap().upload_id.unwrap();
        let etag =
            client.upload_part("bkt", &format!("{key}.mp"), &upload_id, 1, b"part", None).unwrap().etag().to_string();
        client.complete("bkt", &format!("{key}.mp"), &upload_id, &[(1, &etag)], None, None).unwrap();
        let got = client.get("bkt", &key).unwrap();
        assert_eq!(got.body, body.as_bytes(), "client {i}");
        assert_eq!(got.header("x-oss-meta-author"), Some("alice"));
        assert_eq!(got.header("content-type"), Some("text/plain"));
        assert_eq!(client.head("bkt", &format!("{key}.mp")).unwrap().header("content-length"), Some("4"));
    }
    assert!(env.receiver.received().iter().all(|c| c.signature_valid));
    assert_eq!(env.receiver.received().len(), clients.len());
}

#[test]
fn service_errors_carry_status_code_and_request_id() {
    let env = start();
    let ep = env.emulator.endpoint();
    let wrong =
        Client::build(&[("endpoint", &ep), ("access_key_id", "AKIDEXAMPLE"), ("access_key_secret", "WRONG")]).unwrap();
    let e = wrong.put("bkt", "k", b"x", None, None, None).unwrap_err();
    assert_eq!((e.result, e.http_status, e.code.as_str()), (oss_result::ServiceError, 403, "SignatureDoesNotMatch"));
    assert_eq!(e.request_id.len(), 24);
    assert!(
        e.message.starts_with("SignatureDoesNotMatch: ")
            && e.message.ends_with(&format!("RequestId: {}", e.request_id))
    );
    assert!(!e.message.contains("WRONG") && !String::from_utf8_lossy(&e.body).contains("WRONG"));

    let no_token =
        Client::build(&[("endpoint", &ep), ("access_key_id", "STSID"), ("access_key_secret", "STSSECRET")]).unwrap();
    assert_eq!(no_token.put("bkt", "k", b"x", None, None, None).unwrap_err().http_status, 403);

    let client = Client::for_endpoint(&ep);
    let e = client.put("nobucket", "k", b"x", None, None, None).unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (404, "NoSuchBucket"));

    let upload_id = client.initiate("bkt", "big", None).unwrap().upload_id.unwrap();
    let e = client.upload_part("bkt", "big", &upload_id, 1, b"abc", Some("1B2M2Y8AsgTpgAmY7PhCfg==")).unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (400, "InvalidDigest"));
    let small = client.upload_part("bkt", "big", &upload_id, 1, b"tiny", None).unwrap().etag().to_string();
    let last = client.upload_part("bkt", "big", &upload_id, 2, b"last", None).unwrap().etag().to_string();
    let e = client.complete("bkt", "big", &upload_id, &[(1, &small), (2, &last)], None, None).unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (400, "EntityTooSmall"));
    let e = client.complete("bkt", "big", &upload_id, &[(2, &last), (1, &small)], None, None).unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (400, "InvalidPartOrder"));
    let e = client
        .complete("bkt", "big", &upload_id, &[(1, "\"00000000000000000000000000000000\"")], None, None)
        .unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (400, "InvalidPart"));
    client.abort("bkt", "big", &upload_id).unwrap();
    assert!(env.emulator.uploads("bkt").is_empty());
    let e = client.list_parts("bkt", "big", &upload_id, None).unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (404, "NoSuchUpload"));
    let e = client.get("bkt", "missing").unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (404, "NoSuchKey"));
}

#[test]
fn failed_callback_is_callback_failed_and_the_object_is_stored() {
    let env = start();
    let client = Client::for_endpoint(&env.emulator.endpoint());
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let e = client.put("bkt", "cbfail.txt", b"kept", Some(&form_callback(&closed)), None, None).unwrap_err();
    assert_eq!((e.result, e.http_status, e.code.as_str()), (oss_result::CallbackFailed, 203, "CallbackFailed"));
    let resp = e.response.expect("the answer is kept");
    assert_eq!(resp.etag(), format!("\"{}\"", md5_hex(b"kept")));
    assert_eq!(resp.header("x-oss-request-id"), Some(e.request_id.as_str()));
    assert_eq!(env.emulator.object("bkt", "cbfail.txt").unwrap(), b"kept");

    let upload_id = client.initiate("bkt", "mp-cbfail", None).unwrap().upload_id.unwrap();
    let etag = client.upload_part("bkt", "mp-cbfail", &upload_id, 1, b"only part", None).unwrap().etag().to_string();
    let e = client
        .complete("bkt", "mp-cbfail", &upload_id, &[(1, &etag)], Some(&json_callback(&closed)), Some(SEED_VAR))
        .unwrap_err();
    assert_eq!(e.result, oss_result::CallbackFailed);
    assert_eq!(env.emulator.object("bkt", "mp-cbfail").unwrap(), b"only part");
}

fn md5_hex(data: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(data).iter().map(|b| format!("{b:02X}")).collect()
}
