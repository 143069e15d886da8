//! Endpoint parsing and URL building: any text either fails with InvalidEndpoint or gives a host of name
//! characters and an optional numeric port that renders back to itself and into a URL whose authority is
//! exactly `bucket.host` (or `host`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ossrs::core::endpoint::{Endpoint, HostType};
use ossrs::core::ErrorKind;

fuzz_target!(|input: (bool, bool, &str, &str)| {
    let (cname, path_style, endpoint, key) = input;
    let ep = match Endpoint::parse(endpoint, cname, path_style) {
        Ok(ep) => ep,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidEndpoint);
            return;
        }
    };
    let (name, port) = ep.host.split_once(':').map_or((ep.host.as_str(), None), |(n, p)| (n, Some(p)));
    assert!(!name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')));
    assert!(port.is_none_or(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit())));
    let scheme = if ep.https { "https" } else { "http" };
    assert_eq!(Endpoint::parse(&format!("{scheme}://{}", ep.host), cname, path_style).unwrap(), ep);

    let url = ep.url_for("bkt", key, "");
    let authority = url[scheme.len() + 3..].split('/').next().unwrap();
    let expected = if ep.host_type == HostType::Normal { format!("bkt.{}", ep.host) } else { ep.host.clone() };
    assert_eq!(authority, expected);
    assert!(!url.contains(|c: char| c.is_whitespace() || c.is_control() || c == '#'));
    assert_eq!(Endpoint::parse(&url, cname, path_style).unwrap().host, expected);
});
