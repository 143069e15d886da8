//! `oss_error`: the details of a failed call, owned by the caller.

use std::ffi::{c_char, CString};
use std::ptr;

use super::cast::{cstring, free_box, read as with};
use super::panic::guard;
use super::response::oss_response;
use super::result::oss_result;
use crate::core::Error;

/// Details of a failure: result code, message, and — when OSS answered — HTTP status, OSS error code and
/// message, request id, host id, raw body and the whole response.
///
/// Methods: `oss_error_result`, `oss_error_message`, `oss_error_http_status`, `oss_error_code`,
/// `oss_error_oss_message`, `oss_error_request_id`, `oss_error_host_id`, `oss_error_body`,
/// `oss_error_body_len`, `oss_error_response`, `oss_error_attempts`, `oss_error_free`.
///
/// Ownership: caller owns, free with `oss_error_free`. Not to be used from two threads at once.
pub struct oss_error {
    result: oss_result,
    message: CString,
    http_status: u16,
    code: CString,
    oss_message: CString,
    request_id: CString,
    host_id: CString,
    attempts: u32,
    response: Option<oss_response>,
}

impl oss_error {
    pub(crate) fn new(err: Error) -> Self {
        let svc = err.service_error();
        oss_error {
            result: oss_result::from(err.kind()),
            message: cstring(err.message()),
            http_status: svc.map_or(0, |s| s.response.status),
            code: cstring(err.oss_code()),
            oss_message: cstring(svc.map_or("", |s| s.message.as_str())),
            request_id: cstring(svc.and_then(|s| s.response.request_id()).unwrap_or("")),
            host_id: cstring(svc.map_or("", |s| s.host_id.as_str())),
            attempts: err.attempts(),
            response: svc.map(|s| oss_response::new(s.response.clone())),
        }
    }

    #[cfg(test)]
    pub(crate) fn result(&self) -> oss_result {
        self.result
    }

    #[cfg(test)]
    pub(crate) fn message(&self) -> String {
        self.message.to_string_lossy().into_owned()
    }
}

/// The result code this error stands for. NULL gives `OSS_RESULT_NULL_PARAMETER`.
/// Ownership: borrows for the duration of the call and keeps no pointer. Thread safety: read-only.
#[no_mangle]
pub extern "C" fn oss_error_result(error: *const oss_error) -> oss_result {
    with(error, oss_result::NullParameter, |e| e.result)
}

/// A human-readable message (for service errors `"<Code>: <Message> RequestId: <id>"`, as the PHP SDK's
/// `getMessage()`). Never contains credentials. NULL for a NULL error.
/// Ownership: valid until `oss_error_free(error)`.
#[no_mangle]
pub extern "C" fn oss_error_message(error: *const oss_error) -> *const c_char {
    with(error, ptr::null(), |e| e.message.as_ptr())
}

/// HTTP status of the server's answer, 0 when no answer was received (local or transport errors).
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_error_http_status(error: *const oss_error) -> u16 {
    with(error, 0, |e| e.http_status)
}

/// OSS error code from the XML body (e.g. `SignatureDoesNotMatch`, `CallbackFailed`); for a request refused
/// before it was sent (HTTP status 0), the code OSS answers for the same mistake (`InvalidArgument` for a bad
/// callback or part number, `InvalidBucketName`, `InvalidObjectName`); `""` otherwise.
/// Ownership: valid until `oss_error_free(error)`.
#[no_mangle]
pub extern "C" fn oss_error_code(error: *const oss_error) -> *const c_char {
    with(error, ptr::null(), |e| e.code.as_ptr())
}

/// OSS error message from the XML body, `""` when none.
/// Ownership: valid until `oss_error_free(error)`.
#[no_mangle]
pub extern "C" fn oss_error_oss_message(error: *const oss_error) -> *const c_char {
    with(error, ptr::null(), |e| e.oss_message.as_ptr())
}

/// The `x-oss-request-id` response header, `""` when none.
/// Ownership: valid until `oss_error_free(error)`.
#[no_mangle]
pub extern "C" fn oss_error_request_id(error: *const oss_error) -> *const c_char {
    with(error, ptr::null(), |e| e.request_id.as_ptr())
}

/// Host id from the XML body, `""` when none.
/// Ownership: valid until `oss_error_free(error)`.
#[no_mangle]
pub extern "C" fn oss_error_host_id(error: *const oss_error) -> *const c_char {
    with(error, ptr::null(), |e| e.host_id.as_ptr())
}

/// The raw response body (e.g. the CallbackFailed XML); length from `oss_error_body_len`. NULL when no answer.
/// Ownership: valid until `oss_error_free(error)`.
#[no_mangle]
pub extern "C" fn oss_error_body(error: *const oss_error) -> *const u8 {
    with(error, ptr::null(), |e| e.response.as_ref().map_or(ptr::null(), |r| r.inner().body.as_ptr()))
}

/// Length of `oss_error_body`, 0 when no answer.
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_error_body_len(error: *const oss_error) -> usize {
    with(error, 0, |e| e.response.as_ref().map_or(0, |r| r.inner().body.len()))
}

/// The whole server answer (all headers, ETag, request id, body), NULL when there was none. For
/// `OSS_RESULT_CALLBACK_FAILED` this is how to read the ETag of the stored object.
/// Ownership: valid until `oss_error_free(error)`; do not free it.
#[no_mangle]
pub extern "C" fn oss_error_response(error: *const oss_error) -> *const oss_response {
    with(error, ptr::null(), |e| e.response.as_ref().map_or(ptr::null(), |r| r as *const oss_response))
}

/// How many HTTP attempts were made (0 when the call failed before sending anything).
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_error_attempts(error: *const oss_error) -> u32 {
    with(error, 0, |e| e.attempts)
}

/// Frees an error. NULL is a no-op.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn oss_error_free(error: *mut oss_error) {
    guard((), || free_box(error));
}
