//! PostObject forms (`oss_post_form_new`) posted by a plain HTTP client to the emulator, which checks policies and
//! V1 / V4 form signatures with its own code: uploads are stored byte-exact with their callback, and tampering
//! with any field, an expired policy and each violated condition are refused with OSS's error codes. Also the
//! bucket's CORS rules and a browser's preflight.

mod common;

use std::ffi::CStr;
use std::ptr;
use std::time::{SystemTime, UNIX_EPOCH};

use common::{c, exchange, Client, Options};
use oss_emulator::{Credential, Emulator, EmulatorConfig};
use ossrs::ffi::oss_result;
use ossrs::ffi::post_form::*;
use serde_json::Value;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A form's URL and fields.
type Form = (String, Vec<(String, String)>);

/// The form's URL and fields, read through the accessors (and checked against the JSON form).
fn form(client: &Client, bucket: &str, spec: &str, at: u64) -> Result<Form, (oss_result, String)> {
    let (b, s) = (c(bucket), c(spec));
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let rc = unsafe { oss_post_form_new(client.0, b.as_ptr(), s.as_ptr(), at, &mut out, &mut err) };
    if rc != oss_result::Ok {
        let message =
            unsafe { CStr::from_ptr(ossrs::ffi::error::oss_error_message(err)) }.to_string_lossy().into_owned();
        unsafe { ossrs::ffi::error::oss_error_free(err) };
        return Err((rc, message));
    }
    let text = |p: *const std::ffi::c_char| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    let url = text(oss_post_form_url(out));
    let fields: Vec<(String, String)> = (0..oss_post_form_field_count(out))
        .map(|i| (text(oss_post_form_field_name(out, i)), text(oss_post_form_field_value(out, i))))
        .collect();
    assert!(oss_post_form_field_name(out, fields.len()).is_null());
    let json: Value = serde_json::from_str(&text(oss_post_form_json(out))).unwrap();
    assert_eq!(json["url"], Value::String(url.clone()));
    for (n, v) in &fields {
        assert_eq!(json["fields"][n], Value::String(v.clone()));
    }
    unsafe { oss_post_form_free(out) };
    Ok((url, fields))
}

/// Posts `fields` and a file part as multipart/form-data; status, headers and body of the answer.
fn post(
    url: &str,
    fields: &[(String, String)],
    file: &[u8],
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, String) {
    let mut body = Vec::new();
    for (n, v) in fields {
        body.extend(format!("--B0undary\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n").into_bytes());
    }
    body.extend(b"--B0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo 1.png\"\r\n");
    body.extend(b"Content-Type: image/png\r\n\r\n");
    body.extend(file);
    body.extend(b"\r\n--B0undary--\r\n");
    let mut all = vec![("Content-Type", "multipart/form-data; boundary=B0undary")];
    all.extend_from_slice(headers);
    exchange("POST", url, &all, &body)
}

fn with(fields: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    fields.iter().map(|(n, v)| (n.clone(), if n == name { value.to_string() } else { v.clone() })).collect()
}

fn code(body: &str) -> &str {
    body.split("<Code>").nth(1).and_then(|s| s.split("</Code>").next()).unwrap_or("")
}

#[test]
fn v1_and_v4_forms_upload_with_their_callback() {
    let receiver = common::local_receiver();
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let data: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 256) as u8).collect();
    for (version, client) in common::v1_and_v4_clients(&emulator) {
        let cb = format!(
            "{{\"callbackUrl\":\"{}\",\"callbackBody\":\"object=${{object}}&size=${{size}}&who=${{x:who}}\"}}",
            receiver.url()
        );
        let spec = serde_json::json!({
            "key_prefix": format!("web/{version}/"),
            "content_length_range": [1, 100_000],
            "callback": cb,
            "callback_var": {"x:who": "browser"},
            "fields": {"x-oss-meta-origin": "page"},
        });
        let (url, fields) = form(&client, "bkt", &spec.to_string(), 0).unwrap();
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        let signature = if version == "v1" { "Signature" } else { "x-oss-signature" };
        assert!(names.contains(&signature) && names[0] == "key", "{names:?}");
        let (status, _, body) = post(&url, &fields, &data, &[]);
        assert_eq!((status, body.as_str()), (200, "{\"Status\":\"OK\"}"), "{version}");
        let key = format!("web/{version}/photo 1.png");
        assert_eq!(emulator.object("bkt", &key).unwrap(), data);
        let meta = emulator.object_meta("bkt", &key).unwrap();
        assert_eq!(meta["user_meta"]["x-oss-meta-origin"], "page");
        assert_eq!(meta["content_type"], "image/png");
        assert_eq!(emulator.callback_posts("bkt", &key), 1);
        let got = receiver.received();
        let last = got.last().unwrap();
        assert!(last.signature_valid, "{version}");
        assert_eq!(
            String::from_utf8_lossy(&last.body),
            format!("object={}&size=70000&who=browser", key.replace('/', "%2F").replace(' ', "%20"))
        );
    }
}

#[test]
fn tampering_expiry_and_conditions_are_refused() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    for (version, client) in common::v1_and_v4_clients(&emulator) {
        let spec = serde_json::json!({
            "key_prefix": "only/",
            "content_length_range": [2, 10],
            "success_action_status": 201,
            "fields": {"x-oss-meta-a": "1"},
        });
        let (url, fields) = form(&client, "bkt", &spec.to_string(), 0).unwrap();
        let (status, _, body) = post(&url, &fields, b"12345", &[]);
        assert_eq!(status, 201, "{version}: {body}");
        assert!(body.contains("<Key>only/photo 1.png</Key>"), "{body}");

        for (name, _) in fields.iter().filter(|(n, _)| n != "policy" && !n.ends_with("ignature") && n != "key") {
            let key = format!("only/{version}-{name}");
            let changed = with(&with(&fields, name, "changed"), "key", &key);
            let (status, _, body) = post(&url, &changed, b"12345", &[]);
            let expected = match name.as_str() {
                "OSSAccessKeyId" => (403, "InvalidAccessKeyId"),
                "x-oss-credential" | "x-oss-date" | "x-oss-signature-version" => (400, "InvalidArgument"),
                _ => (403, "AccessDenied"),
            };
            assert_eq!((status, code(&body)), expected, "{version}: changing {name}: {body}");
            assert!(emulator.object("bkt", &key).is_none());
        }
        let (status, _, body) = post(&url, &with(&fields, "key", "other/x"), b"12345", &[]);
        assert_eq!((status, code(&body)), (403, "AccessDenied"), "{version}: a key outside the prefix: {body}");
        assert!(body.contains("Invalid according to Policy"), "{body}");
        let sig = if version == "v1" { "Signature" } else { "x-oss-signature" };
        let (status, _, body) = post(&url, &with(&fields, sig, "AAAA"), b"12345", &[]);
        assert_eq!((status, code(&body)), (403, "SignatureDoesNotMatch"), "{version}");
        let (status, _, body) = post(&url, &with(&fields, "policy", "e30="), b"12345", &[]);
        assert_eq!((status, code(&body)), (403, "SignatureDoesNotMatch"), "{version}: another policy");
        let (status, _, body) = post(&url, &fields, b"12345678901", &[]);
        assert_eq!((status, code(&body)), (400, "EntityTooLarge"), "{version}");
        let (status, _, body) = post(&url, &fields, b"1", &[]);
        assert_eq!((status, code(&body)), (400, "EntityTooSmall"), "{version}");

        // Signed two hours ago for one hour: expired.
        let old = serde_json::json!({"key": "only/old", "expires_in": 3600});
        let (url, fields) = form(&client, "bkt", &old.to_string(), now() - 7200).unwrap();
        let (status, _, body) = post(&url, &fields, b"late", &[]);
        assert_eq!((status, code(&body)), (403, "AccessDenied"), "{version}: {body}");
        assert!(body.contains("Policy expired"), "{body}");
        assert!(emulator.object("bkt", "only/old").is_none());
    }
}

#[test]
fn sts_forms_carry_the_token_and_bad_specs_are_refused_before_signing() {
    let keys = vec![Credential { id: "STSID".into(), secret: "STSSECRET".into(), sts_token: Some("TOKEN-1".into()) }];
    let emulator = Emulator::start(EmulatorConfig { keys, ..EmulatorConfig::default() }).unwrap();
    let e = emulator.endpoint();
    let client = Client::build(&[
        ("endpoint", e.as_str()),
        ("access_key_id", "STSID"),
        ("access_key_secret", "STSSECRET"),
        ("security_token", "TOKEN-1"),
    ])
    .unwrap();
    let (url, fields) = form(&client, "bkt", r#"{"key":"sts/a.txt"}"#, 0).unwrap();
    assert!(fields.iter().any(|(n, v)| n == "x-oss-security-token" && v == "TOKEN-1"));
    assert_eq!(post(&url, &fields, b"sts", &[]).0, 204);
    assert_eq!(emulator.object("bkt", "sts/a.txt").unwrap(), b"sts");
    let (status, _, body) = post(&url, &with(&fields, "x-oss-security-token", "TOKEN-2"), b"sts", &[]);
    assert_eq!(status, 403, "{body}");

    for (spec, says) in [
        ("{not json", "not valid"),
        (r#"{"key":"a","key_prefix":"b"}"#, "exactly one of key"),
        (r#"{"key":"a","expires_in":700000}"#, "expires_in"),
        (r#"{"key":"a","success_action_status":302}"#, "success_action_status"),
        (r#"{"key":"a","content_length_range":[5,1]}"#, "is empty"),
        (r#"{"key":"a","fields":{"policy":"x"}}"#, "set by ossrs"),
        (r#"{"key":"a","fields":{"x-oss-meta-a":"1\r\nX: y"}}"#, "CR"),
        (r#"{"key":"a","conditions":[["like","$key","a"]]}"#, "not one OSS understands"),
        (r#"{"key":"a","colour":"red"}"#, "unknown field"),
    ] {
        let (rc, message) = form(&client, "bkt", spec, 0).unwrap_err();
        assert!(matches!(rc, oss_result::InvalidArgument | oss_result::InvalidHeader), "{spec}: {rc:?}");
        assert!(message.contains(says), "{spec}: {message}");
    }
    let (rc, _) = form(&client, "bkt", r#"{"key":"a","callback":"{not json"}"#, 0).unwrap_err();
    assert_eq!(rc, oss_result::InvalidCallback);
    let (rc, _) = form(&client, "Bad_Bucket", r#"{"key":"a"}"#, 0).unwrap_err();
    assert_eq!(rc, oss_result::InvalidBucketName);
}

#[test]
fn cors_rules_answer_preflights_and_posts_from_a_page() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let preflight =
        |origin: &str| Options::new().header("Origin", origin).header("Access-Control-Request-Method", "POST");
    let e = client.call("OptionsObject", "bkt", "k", Some(&preflight("http://page.test")), b"").unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (403, "AccessForbidden"));
    assert_eq!(client.call("GetBucketCors", "bkt", "", None, b"").unwrap_err().code, "NoSuchCORSConfiguration");
    let rules = "<CORSConfiguration><CORSRule><AllowedOrigin>http://*.test</AllowedOrigin><AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule></CORSConfiguration>";
    client.call("PutBucketCors", "bkt", "", None, rules.as_bytes()).unwrap();
    let got = client.call("GetBucketCors", "bkt", "", None, b"").unwrap().json["result"].clone();
    assert_eq!(got["CORSRule"][0]["AllowedMethod"], serde_json::json!(["POST", "GET"]), "{got}");
    let ok = client.call("OptionsObject", "bkt", "k", Some(&preflight("http://page.test")), b"").unwrap();
    assert_eq!(ok.header("access-control-allow-origin"), Some("http://page.test"));
    assert_eq!(ok.header("access-control-max-age"), Some("60"));
    let e = client.call("OptionsObject", "bkt", "k", Some(&preflight("http://evil.example")), b"").unwrap_err();
    assert_eq!(e.http_status, 403);

    let (url, fields) = form(&client, "bkt", r#"{"key":"cors/a"}"#, 0).unwrap();
    let (status, headers, _) = post(&url, &fields, b"x", &[("Origin", "http://page.test")]);
    assert_eq!(status, 204);
    let allow = headers.iter().find(|(n, _)| n == "access-control-allow-origin").map(|(_, v)| v.as_str());
    assert_eq!(allow, Some("http://page.test"));
    let (_, headers, _) = post(&url, &with(&fields, "key", "cors/b"), b"x", &[("Origin", "http://page.test")]);
    assert!(headers.iter().any(|(n, _)| n == "access-control-allow-origin"), "errors carry the CORS headers too");
    client.call("DeleteBucketCors", "bkt", "", None, b"").unwrap();
    assert_eq!(client.call("GetBucketCors", "bkt", "", None, b"").unwrap_err().http_status, 404);
}

#[test]
fn redirects_conditions_and_unsigned_forms_on_public_buckets() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    let spec = serde_json::json!({
        "key": "redirect/${filename}",
        "success_action_redirect": "http://app.test/done?x=1",
        "content_type": "image/png",
        "conditions": [["in", "$x-oss-meta-kind", ["a", "b"]], ["starts-with", "$Cache-Control", "max-age"]],
        "fields": {"x-oss-meta-kind": "b", "Cache-Control": "max-age=60"},
    });
    let (url, fields) = form(&client, "bkt", &spec.to_string(), 0).unwrap();
    let (status, headers, _) = post(&url, &fields, b"png bytes", &[]);
    assert_eq!(status, 303);
    let location = headers.iter().find(|(n, _)| n == "location").map(|(_, v)| v.clone()).unwrap();
    assert!(
        location.starts_with("http://app.test/done?x=1&bucket=bkt&key=redirect%2Fphoto%201.png&etag=%22"),
        "{location}"
    );
    assert_eq!(emulator.object_meta("bkt", "redirect/photo 1.png").unwrap()["content_type"], "image/png");
    let (status, _, body) = post(&url, &with(&fields, "x-oss-meta-kind", "c"), b"png", &[]);
    assert_eq!((status, code(&body)), (403, "AccessDenied"), "a value outside the in-list: {body}");

    // A bucket that is public-read-write takes a form without any signature; a private one does not.
    let unsigned = vec![("key".to_string(), "open/a.txt".to_string())];
    let (status, _, body) = post(&url, &unsigned, b"open", &[]);
    assert_eq!((status, code(&body)), (403, "AccessDenied"), "{body}");
    let public = Options::new().header("x-oss-acl", "public-read-write");
    client.call("PutBucketAcl", "bkt", "", Some(&public), b"").unwrap();
    assert_eq!(post(&url, &unsigned, b"open", &[]).0, 204);
    assert_eq!(emulator.object("bkt", "open/a.txt").unwrap(), b"open");
}

#[test]
fn the_bucket_condition_and_a_broken_policy_are_refused() {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    client.call("CreateBucket", "other-bucket", "", None, b"").unwrap();
    let (url, fields) = form(&client, "bkt", r#"{"key":"b/a"}"#, 0).unwrap();
    let other = url.replace("/bkt/", "/other-bucket/");
    let (status, _, body) = post(&other, &fields, b"x", &[]);
    assert_eq!((status, code(&body)), (403, "AccessDenied"), "{body}");
    assert!(body.contains("bucket"), "{body}");

    // Signed correctly, but not a policy OSS can read.
    let sign = |policy: &str| {
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(common::KEY_SECRET.as_bytes()).unwrap();
        mac.update(policy.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    };
    for policy in ["not base64!", "bm90IGpzb24=", "eyJjb25kaXRpb25zIjpbXX0="] {
        let broken = with(&with(&fields, "policy", policy), "Signature", &sign(policy));
        let (status, _, body) = post(&url, &broken, b"x", &[]);
        assert_eq!((status, code(&body)), (400, "InvalidPolicyDocument"), "{policy}: {body}");
    }
}
