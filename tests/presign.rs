//! Presigned URLs (`oss_presign_url`) used by a plain HTTP client against the emulator, which verifies V1 and V4
//! query signatures and expiry like OSS: GET and PUT work until they expire, a changed URL or a missing signed
//! header is refused, STS tokens ride along, and a presigned PUT with a callback runs it.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::{exchange, Client, Options};
use oss_emulator::{Credential, Emulator, EmulatorConfig};
use ossrs::ffi::oss_result;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Status and body of a request to `url`.
fn fetch(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let (status, _, body) = exchange(method, url, headers, body);
    (status, body)
}

#[test]
fn presigned_get_and_put_work_until_they_expire() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    for (version, client) in common::v1_and_v4_clients(&emulator) {
        let key = format!("presign/{version}/a b+c.txt");
        client.put("bkt", &key, b"presigned bytes", None, None, None).unwrap();
        let url = client.presign("GET", "bkt", &key, now() + 60, None, None, None).unwrap();
        assert_eq!(fetch("GET", &url, &[], b""), (200, "presigned bytes".into()), "{version}: {url}");

        let o = Options::new().query("response-content-type", "text/x-test");
        let url = client.presign("GET", "bkt", &key, now() + 60, None, None, Some(&o)).unwrap();
        let (status, headers, _) = exchange("GET", &url, &[], b"");
        assert_eq!(status, 200);
        assert!(headers.contains(&("content-type".into(), "text/x-test".into())), "{version}: {headers:?}");

        // A PUT signed with its Content-Type must send it.
        let put_key = format!("presign/{version}/put.bin");
        let o = Options::new().header("Content-Type", "application/x-demo");
        let url = client.presign("PUT", "bkt", &put_key, now() + 60, None, None, Some(&o)).unwrap();
        let (status, body) = fetch("PUT", &url, &[], b"nope");
        assert_eq!(status, 403, "{version}: {body}");
        assert!(body.contains("SignatureDoesNotMatch"), "{body}");
        assert_eq!(fetch("PUT", &url, &[("Content-Type", "application/x-demo")], b"put through a URL").0, 200);
        assert_eq!(emulator.object("bkt", &put_key).unwrap(), b"put through a URL");

        // Tampering with the URL, or using it on another object, breaks the signature.
        let tampered = url.replace("put.bin", "other.bin");
        let (status, body) = fetch("PUT", &tampered, &[("Content-Type", "application/x-demo")], b"x");
        assert_eq!(status, 403, "{version}");
        assert!(body.contains("SignatureDoesNotMatch"), "{body}");
    }
}

#[test]
fn expired_urls_are_refused_and_the_past_is_not_signed() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    for (version, client) in common::v1_and_v4_clients(&emulator) {
        client.put("bkt", "presign/expiring", b"x", None, None, None).unwrap();
        let url = client.presign("GET", "bkt", "presign/expiring", now() + 1, None, None, None).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2100));
        let (status, body) = fetch("GET", &url, &[], b"");
        assert_eq!(status, 403, "{version}");
        assert!(body.contains("AccessDenied") && body.contains("Request has expired"), "{version}: {body}");
        let e = client.presign("GET", "bkt", "presign/expiring", now() - 1, None, None, None).unwrap_err();
        assert_eq!(e.result, oss_result::InvalidArgument, "{version}");
    }
    let (_, v4) = common::v1_and_v4_clients(&emulator).pop().unwrap();
    let e = v4.presign("GET", "bkt", "k", now() + 8 * 86_400, None, None, None).unwrap_err();
    assert!(e.message.contains("7 days"), "{}", e.message);
    let e = v4.presign("PATCH", "bkt", "k", now() + 60, None, None, None).unwrap_err();
    assert_eq!(e.result, oss_result::InvalidArgument);
    assert_eq!(
        v4.presign("GET", "Bad_Bucket", "k", now() + 60, None, None, None).unwrap_err().result,
        oss_result::InvalidBucketName
    );
}

#[test]
fn sts_tokens_are_signed_into_the_url() {
    let config = EmulatorConfig {
        keys: vec![Credential {
            id: "STSKEYID".into(),
            secret: "STSSECRET".into(),
            sts_token: Some("STSTOKEN".into()),
        }],
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).unwrap();
    let e = emulator.endpoint();
    let base = [
        ("endpoint", e.as_str()),
        ("access_key_id", "STSKEYID"),
        ("access_key_secret", "STSSECRET"),
        ("security_token", "STSTOKEN"),
    ];
    let mut v4 = base.to_vec();
    v4.extend([("signature_version", "v4"), ("region", "cn-hangzhou")]);
    for pairs in [base.to_vec(), v4] {
        let client = Client::build(&pairs).unwrap();
        client.put("bkt", "sts/k", b"sts", None, None, None).unwrap();
        let url = client.presign("GET", "bkt", "sts/k", now() + 60, None, None, None).unwrap();
        assert!(url.contains("security-token=STSTOKEN"), "{url}");
        assert_eq!(fetch("GET", &url, &[], b""), (200, "sts".into()));
        let (status, body) = fetch("GET", &url.replace("STSTOKEN", "WRONG-TOKEN"), &[], b"");
        assert_eq!(status, 403, "{body}");
    }
}

#[test]
fn a_presigned_put_with_a_callback_runs_it() {
    let receiver = common::local_receiver();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let cb = format!("{{\"callbackUrl\":\"{}\",\"callbackBody\":\"object=${{object}}&v=${{x:v}}\"}}", receiver.url());
    let var = "{\"x:v\":\"presigned\"}";
    let url = client.presign("PUT", "bkt", "presign/cb.txt", now() + 60, Some(&cb), Some(var), None).unwrap();
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let headers = [("x-oss-callback", b64(&cb)), ("x-oss-callback-var", b64(var))];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let (status, body) = fetch("PUT", &url, &headers, b"with callback");
    assert_eq!(status, 200, "{body}");
    assert_eq!(emulator.callback_posts("bkt", "presign/cb.txt"), 1);
    let got = receiver.received();
    assert_eq!(got.last().unwrap().body, b"object=presign%2Fcb.txt&v=presigned");
    // Without the signed callback headers the URL does not work.
    assert_eq!(fetch("PUT", &url, &[], b"x").0, 403);
    // A bad callback is refused before anything is signed.
    let e = client.presign("PUT", "bkt", "k", now() + 60, Some("{not json"), None, None).unwrap_err();
    assert_eq!(e.result, oss_result::InvalidCallback);
}
