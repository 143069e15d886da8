//! V4 canonicalisation and both signatures on any request description: no panic, deterministic, and the
//! canonical request does not depend on the order of the query parameters or of the headers.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ossrs::core::credentials::Credentials;
use ossrs::core::http::Headers;
use ossrs::core::signing::{sign, v1, v4, Scope, SignableRequest, SignatureVersion};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    method: &'a str,
    bucket: &'a str,
    key: &'a str,
    query: Vec<(String, String)>,
    headers: Vec<(&'a str, &'a str)>,
    secret: &'a str,
    token: Option<&'a str>,
    region: &'a str,
    now: u64,
}

fn headers(pairs: &[(&str, &str)]) -> Headers {
    let mut h = Headers::new();
    for (n, v) in pairs {
        h.set(n, *v);
    }
    h.set("x-oss-date", "20240101T000000Z");
    h.set_default("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
    h
}

fuzz_target!(|input: Input<'_>| {
    // Headers with distinct (case-insensitive) names: `Headers::set` keeps the last of two case variants, so
    // their order would matter on purpose.
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for (n, v) in &input.headers {
        if !pairs.iter().any(|(m, _)| m.eq_ignore_ascii_case(n)) {
            pairs.push((n, v));
        }
    }
    let canonical = |query: &[(String, String)], pairs: &[(&str, &str)]| {
        let mut h = headers(pairs);
        let req =
            SignableRequest { method: input.method, bucket: input.bucket, key: input.key, query, headers: &mut h };
        (v4::canonical_request(&req), v1::canonical_resource(&req))
    };
    let (c4, _) = canonical(&input.query, &pairs);
    let mut query = input.query.clone();
    query.reverse();
    pairs.reverse();
    assert_eq!(canonical(&query, &pairs).0, c4);

    let Ok(creds) = Credentials::new("AKID", input.secret, input.token) else { return };
    let Some(now) = UNIX_EPOCH.checked_add(Duration::from_secs(input.now)) else { return };
    let version = SignatureVersion::V4(Scope { region: input.region.into(), product: "oss".into() });
    for v in [SignatureVersion::V1, version] {
        let run = || {
            let mut h = headers(&pairs);
            let mut req = SignableRequest {
                method: input.method,
                bucket: input.bucket,
                key: input.key,
                query: &query,
                headers: &mut h,
            };
            let sts = sign(&mut req, &creds, &v, now);
            (sts, h.get("Authorization").map(str::to_string))
        };
        assert_eq!(run(), run());
    }
});
