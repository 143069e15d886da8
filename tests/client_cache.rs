//! `oss_config_builder_build_shared` and `oss_client_build_shared`: handles built from the same settings share
//! one client, so its keep-alive connection outlives the handle that opened it (a PHP request); other settings
//! get their own.

mod common;

use common::recorder::{http_response, Recorder};
use common::{Client, KEY_ID, KEY_SECRET};

fn ok_server() -> Recorder {
    Recorder::start(|_| http_response("200 OK", &[("x-oss-request-id", "R"), ("ETag", "\"E\"")], ""))
}

/// Each request's line and the number of the connection it came on.
fn lines_and_connections(rec: &Recorder) -> Vec<(String, usize)> {
    rec.requests().iter().map(|r| (r.request_line.clone(), r.connection)).collect()
}

fn settings<'a>(endpoint: &'a str, token: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("endpoint", endpoint),
        ("access_key_id", KEY_ID),
        ("access_key_secret", KEY_SECRET),
        ("security_token", token),
    ]
}

#[test]
fn a_later_handle_with_the_same_settings_reuses_the_connection() {
    let rec = ok_server();
    let endpoint = rec.endpoint();
    let first = Client::shared(&settings(&endpoint, "T1")).unwrap();
    first.put("bkt", "one", b"1", None, None, None).unwrap();
    let first_id = first.id();
    drop(first);

    let second = Client::shared(&settings(&endpoint, "T1")).unwrap();
    assert_eq!(second.id(), first_id, "same settings, same client");
    second.put("bkt", "two", b"2", None, None, None).unwrap();

    let rotated = Client::shared(&settings(&endpoint, "T2")).unwrap();
    assert_ne!(rotated.id(), first_id, "another token is another client");
    rotated.put("bkt", "three", b"3", None, None, None).unwrap();
    let unshared = Client::build(&settings(&endpoint, "T1")).unwrap();
    assert_ne!(unshared.id(), first_id, "oss_config_builder_build never shares");
    unshared.put("bkt", "four", b"4", None, None, None).unwrap();

    assert_eq!(
        lines_and_connections(&rec),
        [
            ("PUT /bkt/one HTTP/1.1".to_string(), 0),
            ("PUT /bkt/two HTTP/1.1".to_string(), 0),
            ("PUT /bkt/three HTTP/1.1".to_string(), 1),
            ("PUT /bkt/four HTTP/1.1".to_string(), 2),
        ]
    );
    assert_eq!(rec.requests()[2].header("x-oss-security-token"), Some("T2"));
}

#[test]
fn settings_in_one_buffer_share_the_client_of_the_same_settings_set_one_by_one() {
    let rec = ok_server();
    let endpoint = rec.endpoint();
    let built = Client::shared(&settings(&endpoint, "P1")).unwrap();
    built.put("bkt", "one", b"1", None, None, None).unwrap();
    let packed = Client::shared_packed(&settings(&endpoint, "P1")).unwrap();
    assert_eq!(packed.id(), built.id(), "the same settings, however given, are the same client");
    packed.put("bkt", "two", b"2", None, None, None).unwrap();
    let other = Client::shared_packed(&settings(&endpoint, "P2")).unwrap();
    assert_ne!(other.id(), built.id());
    other.put("bkt", "three", b"3", None, None, None).unwrap();

    assert_eq!(
        lines_and_connections(&rec),
        [
            ("PUT /bkt/one HTTP/1.1".to_string(), 0),
            ("PUT /bkt/two HTTP/1.1".to_string(), 0),
            ("PUT /bkt/three HTTP/1.1".to_string(), 1),
        ]
    );
    assert_eq!(rec.requests()[2].header("x-oss-security-token"), Some("P2"));
    let e = Client::shared_packed(&[("endpoint", &endpoint), ("access_key_id", KEY_ID)]).err().unwrap();
    assert!(e.message.contains("secret"), "checked like the builder's settings: {}", e.message);
}

#[test]
fn shared_handles_are_independent_handles() {
    let rec = ok_server();
    let endpoint = rec.endpoint();
    let a = Client::shared(&settings(&endpoint, "S")).unwrap();
    let b = Client::shared(&settings(&endpoint, "S")).unwrap();
    assert_ne!(a.0, b.0, "each call returns a handle of its own");
    assert_eq!(a.id(), b.id());
    drop(a);
    b.put("bkt", "after-free", b"x", None, None, None).unwrap();
    assert_eq!(unsafe { ossrs::ffi::client::oss_client_id(std::ptr::null()) }, 0);
}

#[test]
fn refused_settings_are_not_cached() {
    let e = Client::shared(&[("endpoint", "http://127.0.0.1:1"), ("access_key_id", KEY_ID)]).err().unwrap();
    assert!(e.message.contains("secret"), "{}", e.message);
}
