//! fork(): a client used in a child process fails fast, a shared client is the child's own; the parent keeps
//! working. Kept in its own test binary so
//! that no other test thread holds a lock at the moment of the fork.

mod common;

use std::ffi::CStr;
use std::ptr;

use common::recorder::{http_response, Recorder};
use common::{c, Client, KEY_ID, KEY_SECRET};
use ossrs::ffi::client::oss_client_free;
use ossrs::ffi::error::{oss_error, oss_error_free, oss_error_message};
use ossrs::ffi::oss_result;
use ossrs::ffi::put::oss_put_object_with_callback;

fn ok_server() -> Recorder {
    Recorder::start(|_| http_response("200 OK", &[("x-oss-request-id", "R"), ("ETag", "\"E\"")], ""))
}

unsafe fn message(e: *mut oss_error) -> String {
    let m = CStr::from_ptr(oss_error_message(e)).to_string_lossy().into_owned();
    oss_error_free(e);
    m
}

#[test]
fn a_forked_child_fails_fast_and_the_parent_is_unaffected() {
    let rec = ok_server();
    let client = Client::for_endpoint(&rec.endpoint());
    client.put("bkt", "before-fork", b"x", None, None, None).unwrap();
    let endpoint = rec.endpoint();
    let settings = [("endpoint", endpoint.as_str()), ("access_key_id", KEY_ID), ("access_key_secret", KEY_SECRET)];
    let shared = Client::shared(&settings).unwrap();
    let shared_id = shared.id();
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // Child: no test harness here, only an exit code.
        let start = std::time::Instant::now();
        let mut err = ptr::null_mut();
        let rc = unsafe {
            oss_put_object_with_callback(
                client.0,
                c("bkt").as_ptr(),
                c("in-child").as_ptr(),
                ptr::null(),
                0,
                ptr::null(),
                ptr::null(),
                ptr::null(),
                ptr::null_mut(),
                &mut err,
            )
        };
        let fast = start.elapsed() < std::time::Duration::from_secs(2);
        let msg = unsafe { message(err) };
        unsafe { oss_client_free(client.0) };
        // The same settings in the child: a client of its own, never the parent's cached one.
        let own = Client::shared(&settings).unwrap();
        let own_works = own.id() != shared_id && own.put("bkt", "shared-in-child", b"x", None, None, None).is_ok();
        let code = if rc == oss_result::WrongProcess && fast && msg.contains("fork") && own_works { 0 } else { 1 };
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child status {status}");
    client.put("bkt", "after-fork", b"x", None, None, None).unwrap();
    assert_eq!(Client::shared(&settings).unwrap().id(), shared_id, "the parent keeps its shared client");
    let lines: Vec<String> = rec.requests().iter().map(|r| r.request_line.clone()).collect();
    assert_eq!(
        lines,
        ["PUT /bkt/before-fork HTTP/1.1", "PUT /bkt/shared-in-child HTTP/1.1", "PUT /bkt/after-fork HTTP/1.1"]
    );
}
