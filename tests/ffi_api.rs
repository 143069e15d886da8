//! The C surface itself: NULL and non-UTF-8 arguments, ownership rules, dead handles, fork, threads.

mod common;

use std::ffi::{c_char, CStr};
use std::ptr;

use common::recorder::{http_response, Recorder};
use common::{c, Client};
use ossrs::ffi::client::*;
use ossrs::ffi::config::*;
use ossrs::ffi::digest::*;
use ossrs::ffi::error::*;
use ossrs::ffi::multipart::*;
use ossrs::ffi::put::*;
use ossrs::ffi::response::*;
use ossrs::ffi::result::*;
use ossrs::ffi::version::oss_version;

fn ok_server() -> Recorder {
    Recorder::start(|_| http_response("200 OK", &[("x-oss-request-id", "R"), ("ETag", "\"E\"")], ""))
}

unsafe fn message(e: *mut oss_error) -> String {
    let m = CStr::from_ptr(oss_error_message(e)).to_string_lossy().into_owned();
    oss_error_free(e);
    m
}

#[test]
fn null_arguments_get_null_parameter_and_a_message() {
    let rec = ok_server();
    let client = Client::for_endpoint(&rec.endpoint());
    let (b, k, d) = (c("bkt"), c("k"), b"data");
    unsafe {
        let mut err = ptr::null_mut();
        let mut resp = ptr::null_mut();
        let calls: Vec<(&str, oss_result)> = vec![
            (
                "client",
                oss_put_object_with_callback(
                    ptr::null(),
                    b.as_ptr(),
                    k.as_ptr(),
                    d.as_ptr().cast(),
                    4,
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
            ),
            (
                "bucket",
                oss_put_object_with_callback(
                    client.0,
                    ptr::null(),
                    k.as_ptr(),
                    d.as_ptr().cast(),
                    4,
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
            ),
            (
                "object",
                oss_put_object_with_callback(
                    client.0,
                    b.as_ptr(),
                    ptr::null(),
                    d.as_ptr().cast(),
                    4,
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
            ),
            (
                "data",
                oss_put_object_with_callback(
                    client.0,
                    b.as_ptr(),
                    k.as_ptr(),
                    ptr::null(),
                    4,
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
            ),
            (
                "path",
                oss_put_object_from_file_with_callback(
                    client.0,
                    b.as_ptr(),
                    k.as_ptr(),
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
            ),
            (
                "upload_id",
                oss_upload_part(
                    client.0,
                    b.as_ptr(),
                    k.as_ptr(),
                    ptr::null(),
                    1,
                    d.as_ptr().cast(),
                    4,
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
            ),
            (
                "parts",
                oss_complete_multipart_upload(
                    client.0,
                    b.as_ptr(),
                    k.as_ptr(),
                    c("U").as_ptr(),
                    ptr::null(),
                    2,
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
            ),
            ("etag", {
                let parts = [oss_part { part_number: 1, etag: ptr::null() }];
                oss_complete_multipart_upload(
                    client.0,
                    b.as_ptr(),
                    k.as_ptr(),
                    c("U").as_ptr(),
                    parts.as_ptr(),
                    1,
                    ptr::null(),
                    ptr::null(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                )
            }),
        ];
        for (name, rc) in calls {
            assert_eq!(rc, oss_result::NullParameter, "{name}");
        }
        assert!(resp.is_null());
        assert!(message(err).contains("etag is NULL"));
        // NULL data with length 0 is an empty body, and error_out/response_out may be NULL.
        let rc = oss_put_object_with_callback(
            client.0,
            b.as_ptr(),
            k.as_ptr(),
            ptr::null(),
            0,
            ptr::null(),
            ptr::null(),
            ptr::null(),
            ptr::null_mut(),
            ptr::null_mut(),
        );
        assert_eq!(rc, oss_result::Ok);
    }
    assert_eq!(rec.requests().len(), 1);
    assert!(rec.requests()[0].body.is_empty());
}

#[test]
fn invalid_utf8_is_refused() {
    let rec = ok_server();
    let client = Client::for_endpoint(&rec.endpoint());
    let bad: [u8; 4] = [0x66, 0xff, 0xfe, 0];
    let b = c("bkt");
    unsafe {
        let mut err = ptr::null_mut();
        let rc = oss_put_object_with_callback(
            client.0,
            b.as_ptr(),
            bad.as_ptr().cast(),
            b"x".as_ptr().cast(),
            1,
            ptr::null(),
            ptr::null(),
            ptr::null(),
            ptr::null_mut(),
            &mut err,
        );
        assert_eq!(rc, oss_result::InvalidUtf8);
        assert!(message(err).contains("object is not valid UTF-8"));
        let rc = oss_put_object_with_callback(
            client.0,
            b.as_ptr(),
            c("k").as_ptr(),
            b"x".as_ptr().cast(),
            1,
            bad.as_ptr().cast(),
            ptr::null(),
            ptr::null(),
            ptr::null_mut(),
            ptr::null_mut(),
        );
        assert_eq!(rc, oss_result::InvalidUtf8);
    }
    assert!(rec.requests().is_empty());
}

#[test]
fn free_functions_accept_null_and_dead_handles_are_detected() {
    unsafe {
        oss_client_free(ptr::null());
        oss_error_free(ptr::null_mut());
        oss_response_free(ptr::null_mut());
        oss_config_builder_free(ptr::null_mut());
        ossrs::ffi::options::oss_options_free(ptr::null_mut());
        assert!(oss_error_message(ptr::null()).is_null());
        assert_eq!(oss_response_status(ptr::null()), 0);
        assert_eq!(oss_error_result(ptr::null()), oss_result::NullParameter);
    }
    let rec = ok_server();
    let client = Client::for_endpoint(&rec.endpoint());
    let dead = client.0;
    drop(client);
    unsafe {
        oss_client_free(dead); // double free: a no-op
        let mut err = ptr::null_mut();
        let rc = oss_put_object_with_callback(
            dead,
            c("bkt").as_ptr(),
            c("k").as_ptr(),
            ptr::null(),
            0,
            ptr::null(),
            ptr::null(),
            ptr::null(),
            ptr::null_mut(),
            &mut err,
        );
        assert_eq!(rc, oss_result::InvalidHandle);
        assert!(message(err).contains("not live"));
        let foreign = 0x1234usize as *const oss_client;
        let rc = oss_put_object_with_callback(
            foreign,
            c("bkt").as_ptr(),
            c("k").as_ptr(),
            ptr::null(),
            0,
            ptr::null(),
            ptr::null(),
            ptr::null(),
            ptr::null_mut(),
            ptr::null_mut(),
        );
        assert_eq!(rc, oss_result::InvalidHandle);
    }
    assert!(rec.requests().is_empty());
}

#[test]
fn builder_is_consumed_once_and_reports_bad_config() {
    unsafe {
        let b = oss_config_builder_new();
        for (k, v) in [("endpoint", "http://127.0.0.1:9"), ("access_key_id", "ak"), ("access_key_secret", "TOPSECRET")]
        {
            assert_eq!(oss_config_builder_set(b, c(k).as_ptr(), c(v).as_ptr(), ptr::null_mut()), oss_result::Ok);
        }
        let mut client: *const oss_client = ptr::null();
        assert_eq!(oss_config_builder_build(b, &mut client, ptr::null_mut()), oss_result::Ok);
        assert!(!client.is_null());
        let mut again: *const oss_client = ptr::null();
        let mut err = ptr::null_mut();
        assert_eq!(oss_config_builder_build(b, &mut again, &mut err), oss_result::AlreadyUsed);
        assert!(again.is_null());
        assert!(message(err).contains("already built"));
        assert_eq!(
            oss_config_builder_set(b, c("region").as_ptr(), c("x").as_ptr(), ptr::null_mut()),
            oss_result::AlreadyUsed
        );
        oss_config_builder_free(b);
        oss_client_free(client);
    }
    type Case<'a> = (&'a [(&'a str, &'a str)], oss_result, &'a str);
    let cases: [Case; 5] = [
        (&[("endpoint", "h"), ("access_key_id", "ak")], oss_result::InvalidConfig, "access key secret is empty"),
        (&[("endpoint", "h"), ("access_key_secret", "TOPSECRET")], oss_result::InvalidConfig, "access key id is empty"),
        (
            &[("endpoint", "[::1]:80"), ("access_key_id", "a"), ("access_key_secret", "TOPSECRET")],
            oss_result::InvalidEndpoint,
            "endpoint is invalid",
        ),
        (
            &[
                ("endpoint", "h"),
                ("access_key_id", "a"),
                ("access_key_secret", "TOPSECRET"),
                ("signature_version", "v4"),
            ],
            oss_result::InvalidConfig,
            "region",
        ),
        (
            &[
                ("endpoint", "h"),
                ("access_key_id", "a"),
                ("access_key_secret", "TOPSECRET"),
                ("ca_cert_file", "/nonexistent.pem"),
            ],
            oss_result::FileNotFound,
            "nonexistent",
        ),
    ];
    for (pairs, code, text) in cases {
        let e = Client::build(pairs).err().unwrap();
        assert_eq!(e.result, code, "{pairs:?}");
        assert!(e.message.contains(text), "{}", e.message);
        assert!(!e.message.contains("TOPSECRET"));
    }
}

#[test]
fn result_messages_and_version() {
    unsafe {
        let text = |r| CStr::from_ptr(oss_result_message(r)).to_str().unwrap().to_string();
        assert_eq!(text(oss_result::Ok), "success");
        assert!(text(oss_result::CallbackFailed).contains("stored"));
        assert_eq!(CStr::from_ptr(oss_version()).to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        let header = include_str!("../include/ossrs.h");
        assert!(header.contains(&format!("#define OSSRS_VERSION \"{}\"", env!("CARGO_PKG_VERSION"))));
    }
}

#[test]
fn md5_helpers() {
    let dir = common::temp_dir();
    let f = dir.path().join("seed");
    std::fs::write(&f, common::seed_multipart_bytes()).unwrap();
    let p = c(f.to_str().unwrap());
    unsafe {
        let mut buf = [0 as c_char; 25];
        assert_eq!(
            oss_file_content_md5(p.as_ptr(), 0, 102_400, buf.as_mut_ptr(), buf.len(), ptr::null_mut()),
            oss_result::Ok
        );
        assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), "Gg+BVH5bounEpLlKdHMZkw==");
        assert_eq!(
            oss_content_md5(b"random content".as_ptr().cast(), 14, buf.as_mut_ptr(), 25, ptr::null_mut()),
            oss_result::Ok
        );
        assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), "xTMZXcQlNQMHGhnULwjodw==");
        assert_eq!(
            oss_content_md5(ptr::null(), 0, buf.as_mut_ptr(), 24, ptr::null_mut()),
            oss_result::InsufficientSize
        );
        assert_eq!(
            oss_file_content_md5(p.as_ptr(), 249_999, 2, buf.as_mut_ptr(), 25, ptr::null_mut()),
            oss_result::RangeOutOfFile
        );
        assert_eq!(
            oss_file_content_md5(c("/nonexistent").as_ptr(), 0, 1, buf.as_mut_ptr(), 25, ptr::null_mut()),
            oss_result::FileNotFound
        );
    }
}

#[test]
fn a_client_is_shared_by_threads_over_kept_alive_connections() {
    let rec = ok_server();
    let client = std::sync::Arc::new(Client::for_endpoint(&rec.endpoint()));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let client = client.clone();
            std::thread::spawn(move || {
                for i in 0..20 {
                    let body = format!("thread {t} upload {i}");
                    client.put("bkt", &format!("t{t}/{i}"), body.as_bytes(), None, None, None).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let reqs = rec.requests();
    assert_eq!(reqs.len(), 160);
    let connections: std::collections::HashSet<usize> = reqs.iter().map(|r| r.connection).collect();
    // A connection may be opened while another is on its way back to the pool, so allow some slack: without
    // keep-alive there would be 160.
    assert!(connections.len() <= 16, "{} connections for 160 requests: keep-alive must reuse them", connections.len());
    for r in &reqs {
        let (t, i) = r.request_line.split('/').nth(2).zip(r.request_line.split('/').nth(3)).unwrap();
        let i = i.split(' ').next().unwrap();
        assert_eq!(r.body, format!("thread {} upload {i}", &t[1..]).as_bytes(), "no body mixed up between threads");
    }
}
