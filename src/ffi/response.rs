//! `oss_response`: a server answer, owned by the caller.

use std::ffi::{c_char, CString};
use std::fmt::Write as _;
use std::ptr;

use once_cell::sync::OnceCell;
use serde::Serialize;

use super::cast::{cstring, free_box, read, str_arg};
use super::panic::guard;
use crate::core::ops::{CallResult, InitiateResult, ListPartsResult};
use crate::core::Response;

/// A successful answer: HTTP status, every response header, request id, ETag, raw body (for a callback upload,
/// the callback server's reply), plus what the operation parsed (upload id, parts).
///
/// Methods: `oss_response_status`, `oss_response_header_count`, `oss_response_header_name`,
/// `oss_response_header_value`, `oss_response_header`, `oss_response_request_id`, `oss_response_etag`,
/// `oss_response_body`, `oss_response_body_len`, `oss_response_url`, `oss_response_method`,
/// `oss_response_total_time_us`, `oss_response_bytes_sent`, `oss_response_upload_id`,
/// `oss_response_part_count`, `oss_response_part_number`, `oss_response_part_etag`, `oss_response_part_size`,
/// `oss_response_part_last_modified`, `oss_response_max_parts`,
/// `oss_response_parts_truncated`, `oss_response_next_part_number_marker`, `oss_response_head`,
/// `oss_response_json`, `oss_response_free`.
///
/// Ownership: caller owns, free with `oss_response_free`. Read-only accessors may run on any thread.
pub struct oss_response {
    inner: Response,
    texts: OnceCell<Texts>,
    upload_id: Option<CString>,
    parts: Vec<Part>,
    parts_truncated: bool,
    next_part_number_marker: u32,
    max_parts: u32,
    result: Option<serde_json::Value>,
    head: OnceCell<CString>,
    json: OnceCell<CString>,
}

/// The answer's texts as C strings, made on the first accessor that needs one (a binding reading the JSON
/// document never does).
struct Texts {
    names: Vec<CString>,
    values: Vec<CString>,
    url: CString,
    method: CString,
}

/// What `oss_response_json` serializes.
#[derive(Serialize)]
struct Document<'a> {
    status: u16,
    headers: &'a [(String, String)],
    url: &'a str,
    method: &'a str,
    total_time_us: u64,
    bytes_sent: u64,
    body_len: usize,
    recovered: bool,
    attempts: u32,
    result: &'a Option<serde_json::Value>,
}

struct Part {
    number: u32,
    etag: CString,
    size: u64,
    last_modified: CString,
}

impl oss_response {
    pub(crate) fn new(inner: Response) -> Self {
        oss_response {
            texts: OnceCell::new(),
            upload_id: None,
            parts: Vec::new(),
            parts_truncated: false,
            next_part_number_marker: 0,
            max_parts: 0,
            result: None,
            head: OnceCell::new(),
            json: OnceCell::new(),
            inner,
        }
    }

    pub(crate) fn from_initiate(r: InitiateResult) -> Self {
        let mut out = oss_response::new(r.response);
        out.upload_id = Some(cstring(&r.upload_id));
        out
    }

    pub(crate) fn from_list_parts(r: ListPartsResult) -> Self {
        let mut out = oss_response::new(r.response);
        out.parts = r
            .parts
            .iter()
            .map(|p| Part {
                number: p.part_number,
                etag: cstring(&p.etag),
                size: p.size,
                last_modified: cstring(&p.last_modified),
            })
            .collect();
        out.parts_truncated = r.is_truncated;
        out.next_part_number_marker = r.next_part_number_marker;
        out.max_parts = r.max_parts;
        out
    }

    pub(crate) fn from_call(r: CallResult) -> Self {
        let mut out = oss_response::new(r.response);
        out.result = r.result;
        out
    }

    /// Everything but the body as one JSON document (see `oss_response_json`).
    fn json(&self) -> &CString {
        self.json.get_or_init(|| {
            let r = &self.inner;
            let document = Document {
                status: r.status,
                headers: &r.headers,
                url: &r.url,
                method: &r.method,
                total_time_us: r.total_time_us(),
                bytes_sent: r.bytes_sent,
                body_len: r.body.len(),
                recovered: r.recovered,
                attempts: r.attempts,
                result: &self.result,
            };
            // Serializing strings, numbers and a Value into memory cannot fail.
            cstring(&serde_json::to_string(&document).unwrap_or_default())
        })
    }

    /// The head as lines (see `oss_response_head`).
    fn head(&self) -> &CString {
        self.head.get_or_init(|| {
            let r = &self.inner;
            let pairs: usize = r.headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
            let mut text = String::with_capacity(64 + r.url.len() + pairs);
            // Writing into a String cannot fail.
            let _ = writeln!(text, "{}", r.status);
            push_line(&mut text, &r.url);
            push_line(&mut text, &r.method);
            let _ = writeln!(
                text,
                "{}\n{}\n{}\n{}\n{}",
                r.total_time_us(),
                r.bytes_sent,
                r.body.len(),
                u8::from(r.recovered),
                r.attempts
            );
            for (name, value) in &r.headers {
                push_line(&mut text, name);
                push_line(&mut text, value);
            }
            CString::new(text).unwrap_or_else(|e| cstring(&String::from_utf8_lossy(&e.into_vec())))
        })
    }

    fn texts(&self) -> &Texts {
        self.texts.get_or_init(|| {
            let r = &self.inner;
            Texts {
                names: r.headers.iter().map(|(n, _)| cstring(n)).collect(),
                values: r.headers.iter().map(|(_, v)| cstring(v)).collect(),
                url: cstring(&r.url),
                method: cstring(&r.method),
            }
        })
    }

    pub(crate) fn inner(&self) -> &Response {
        &self.inner
    }

    fn header_ptr(&self, name: &str) -> *const c_char {
        self.inner
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or(ptr::null(), |i| self.texts().values[i].as_ptr())
    }
}

/// Adds `field` and a line feed; a CR or LF inside (HTTP allows neither in a header value, and the URL is
/// percent-encoded) would become a space, so every field stays one line.
fn push_line(text: &mut String, field: &str) {
    if field.contains('\n') || field.contains('\r') {
        text.extend(field.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }));
    } else {
        text.push_str(field);
    }
    text.push('\n');
}

/// The answer's head as text, one field per line, each line ending in `\n`: the status, `url`, `method`,
/// `total_time_us`, `bytes_sent`, `body_len`, `recovered` (`1` or `0`) and `attempts`, then each header's name
/// (lower case) and value on two lines, in server order. What `oss_response_json` holds but `result`, in a
/// form a binding splits with one string function (PHP's `explode`) instead of a JSON parser; 8 + 2 × headers
/// lines. Built on the first call. NULL for a NULL response.
/// Ownership: valid until `oss_response_free(response)`. Thread safety: read-only.
#[no_mangle]
pub extern "C" fn oss_response_head(response: *const oss_response) -> *const c_char {
    read(response, ptr::null(), |r| r.head().as_ptr())
}

/// The answer as one JSON object, everything but the body: `status`, `headers` (`[[name, value], …]`, names
/// lower case, server order), `url`, `method`, `total_time_us`, `bytes_sent`, `body_len`, `recovered`,
/// `attempts`, and `result`: for `oss_client_call` the operation's XML result as JSON (an element with children
/// is an object of them, one without its text; elements that can repeat, such as `Contents`, `CommonPrefixes`,
/// `Deleted`, `Grant`, are arrays), else null. Built on the first call. NULL for a NULL response.
/// Ownership: valid until `oss_response_free(response)`. Thread safety: read-only.
#[no_mangle]
pub extern "C" fn oss_response_json(response: *const oss_response) -> *const c_char {
    read(response, ptr::null(), |r| r.json().as_ptr())
}

/// HTTP status code (0 for a NULL response).
/// Ownership: borrows for the duration of the call and keeps no pointer. Thread safety: read-only.
#[no_mangle]
pub extern "C" fn oss_response_status(response: *const oss_response) -> u16 {
    read(response, 0, |r| r.inner.status)
}

/// Number of response headers.
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_header_count(response: *const oss_response) -> usize {
    read(response, 0, |r| r.inner.headers.len())
}

/// Name of header `index` (lower case, server order), NULL when out of range.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_header_name(response: *const oss_response, index: usize) -> *const c_char {
    read(response, ptr::null(), |r| r.texts().names.get(index).map_or(ptr::null(), |c| c.as_ptr()))
}

/// Value of header `index`, NULL when out of range.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_header_value(response: *const oss_response, index: usize) -> *const c_char {
    read(response, ptr::null(), |r| r.texts().values.get(index).map_or(ptr::null(), |c| c.as_ptr()))
}

/// Value of the first header called `name` (case-insensitive), NULL when absent or `name` is NULL/not UTF-8.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string. Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub unsafe extern "C" fn oss_response_header(response: *const oss_response, name: *const c_char) -> *const c_char {
    read(response, ptr::null(), |r| match str_arg(name, "name") {
        Ok(n) => r.header_ptr(n),
        Err(_) => ptr::null(),
    })
}

/// The `x-oss-request-id` header, NULL when absent.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_request_id(response: *const oss_response) -> *const c_char {
    read(response, ptr::null(), |r| r.header_ptr("x-oss-request-id"))
}

/// The `ETag` header exactly as sent, quotes included (`"1A0F…93"`), NULL when absent.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_etag(response: *const oss_response) -> *const c_char {
    read(response, ptr::null(), |r| r.header_ptr("etag"))
}

/// The raw body; its length is `oss_response_body_len`. Binary-safe (may contain NUL bytes).
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_body(response: *const oss_response) -> *const u8 {
    read(response, ptr::null(), |r| r.inner.body.as_ptr())
}

/// Length of the body in bytes.
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_body_len(response: *const oss_response) -> usize {
    read(response, 0, |r| r.inner.body.len())
}

/// The URL that was requested.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_url(response: *const oss_response) -> *const c_char {
    read(response, ptr::null(), |r| r.texts().url.as_ptr())
}

/// The request method (`PUT`, `POST`, …).
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_method(response: *const oss_response) -> *const c_char {
    read(response, ptr::null(), |r| r.texts().method.as_ptr())
}

/// Microseconds from sending the request to having read the whole answer.
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_total_time_us(response: *const oss_response) -> u64 {
    read(response, 0, |r| r.inner.total_time_us())
}

/// Request body bytes sent.
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_bytes_sent(response: *const oss_response) -> u64 {
    read(response, 0, |r| r.inner.bytes_sent)
}

/// True when the request's own answer was lost and its success was confirmed by other requests, whose answer
/// this then is. Today only `oss_complete_multipart_upload` (and `oss_upload_file`) do this: after a lost answer
/// they check with ListParts and HEAD that the object was completed from exactly the given parts; the response
/// is then that HEAD's (status 200, the object's ETag, no body — a callback's reply is lost with the answer).
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_recovered(response: *const oss_response) -> bool {
    read(response, false, |r| r.inner.recovered)
}

/// The upload id of an `oss_initiate_multipart_upload` answer, NULL for other answers.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_upload_id(response: *const oss_response) -> *const c_char {
    read(response, ptr::null(), |r| super::cast::opt_ptr(&r.upload_id))
}

/// Number of parts in an `oss_list_parts` answer (0 for other answers).
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_part_count(response: *const oss_response) -> usize {
    read(response, 0, |r| r.parts.len())
}

/// Part number of listed part `index`, 0 when out of range.
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_part_number(response: *const oss_response, index: usize) -> u32 {
    read(response, 0, |r| r.parts.get(index).map_or(0, |p| p.number))
}

/// ETag of listed part `index` (quotes kept), NULL when out of range.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_part_etag(response: *const oss_response, index: usize) -> *const c_char {
    read(response, ptr::null(), |r| r.parts.get(index).map_or(ptr::null(), |p| p.etag.as_ptr()))
}

/// Size in bytes of listed part `index`, 0 when out of range.
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_part_size(response: *const oss_response, index: usize) -> u64 {
    read(response, 0, |r| r.parts.get(index).map_or(0, |p| p.size))
}

/// `LastModified` of listed part `index` as OSS wrote it, NULL when out of range.
/// Ownership: valid until `oss_response_free(response)`.
#[no_mangle]
pub extern "C" fn oss_response_part_last_modified(response: *const oss_response, index: usize) -> *const c_char {
    read(response, ptr::null(), |r| r.parts.get(index).map_or(ptr::null(), |p| p.last_modified.as_ptr()))
}

/// `MaxParts` of a ListParts answer (0 when absent).
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_max_parts(response: *const oss_response) -> u32 {
    read(response, 0, |r| r.max_parts)
}

/// True when a ListParts answer was truncated (ask again with `part-number-marker`).
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_parts_truncated(response: *const oss_response) -> bool {
    read(response, false, |r| r.parts_truncated)
}

/// `NextPartNumberMarker` of a ListParts answer (0 when absent).
/// Ownership: borrows for the duration of the call and keeps no pointer.
#[no_mangle]
pub extern "C" fn oss_response_next_part_number_marker(response: *const oss_response) -> u32 {
    read(response, 0, |r| r.next_part_number_marker)
}

/// Frees a response. NULL is a no-op. Never free the response borrowed from `oss_error_response`.
///
/// # Safety
/// `response` is NULL or a response from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn oss_response_free(response: *mut oss_response) {
    guard((), || free_box(response));
}
