//! GetObject, HeadObject and DeleteObject: reading back and cleaning up what was uploaded.

use std::ffi::{c_char, c_void};

use super::cast::{clear_out, path_arg, str_arg, write_out};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::options::{oss_options, with_options};
use super::panic::call;
use super::response::oss_response;
use super::result::oss_result;
use crate::core::error::{Error, ErrorKind};
use crate::core::http::BodySink;
use crate::core::{Client, RequestOptions, Response, Result};

type ObjectOp = fn(&Client, &str, &str, &RequestOptions) -> Result<Response>;

unsafe fn object_call(
    op: ObjectOp,
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let resp = with_options(options, |o| op(client.core(), bucket, object, o))?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}

/// GetObject: the object's bytes are `oss_response_body` (a `Range` header in the options selects part of it).
///
/// Errors: usage codes before any I/O; transport and service codes (404 NoSuchKey). Ownership: borrows inputs
/// for the duration of the call; `*response_out` — caller owns, free with `oss_response_free`. Thread safety: any
/// thread.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_get_object(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    object_call(Client::get_object, client, bucket, object, options, response_out, error_out)
}

/// HeadObject: the object's headers (Content-Type, ETag, `x-oss-hash-crc64ecma`, `x-oss-meta-*`). As
/// `oss_get_object` otherwise.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_head_object(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    object_call(Client::head_object, client, bucket, object, options, response_out, error_out)
}

/// DeleteObject. As `oss_get_object` otherwise.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_delete_object(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    object_call(Client::delete_object, client, bucket, object, options, response_out, error_out)
}

/// Receives the next piece of a streamed download: return 0 to go on, anything else to stop (the call then fails
/// with `OSS_RESULT_ABORTED_BY_CALLBACK`). Runs on the thread that called the download function, in order.
pub type oss_write_fn = Option<unsafe extern "C" fn(userdata: *mut c_void, data: *const u8, len: usize) -> i32>;

struct CallbackSink {
    write: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> i32,
    userdata: *mut c_void,
}

impl BodySink for CallbackSink {
    fn write(&mut self, data: &[u8]) -> Result<()> {
        // SAFETY: the caller promised a valid function and userdata for the duration of the call.
        match unsafe { (self.write)(self.userdata, data.as_ptr(), data.len()) } {
            0 => Ok(()),
            rc => {
                Err(Error::new(ErrorKind::AbortedByCallback, format!("the write callback stopped the download ({rc})")))
            }
        }
    }
}

/// GetObject streamed into `write` (called with each piece as it arrives, at most 64 KiB at a time; libossrs
/// never holds the object). A whole object is checked against OSS's CRC-64 at the end
/// (`OSS_RESULT_CRC64_MISMATCH`: every byte was already written). A transfer that has started is never retried.
/// `*response_out` has the headers and an empty body.
///
/// Errors: usage codes before any I/O, transport and service codes, `OSS_RESULT_ABORTED_BY_CALLBACK`.
/// Ownership: borrows inputs for the duration of the call; `*response_out` — caller owns, free with
/// `oss_response_free`. Thread safety: any thread; `write` runs on the calling thread.
///
/// # Safety
/// Pointers are NULL or valid as documented; `write` may be called with `userdata` until the function returns.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn oss_get_object_to_sink(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    options: *const oss_options,
    write: oss_write_fn,
    userdata: *mut c_void,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let write = write.ok_or_else(|| Error::new(ErrorKind::NullParameter, "write is NULL"))?;
        let mut sink = CallbackSink { write, userdata };
        let resp = with_options(options, |o| client.core().get_object_into(bucket, object, o, &mut sink))?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}

/// GetObject into the file at `path`, streamed (one 64 KiB buffer) and checked like `oss_get_object_to_sink`.
/// The file is created or replaced only when the download is complete and checked (a temporary file beside it
/// is renamed); on failure an existing file is left untouched.
///
/// Errors: as `oss_get_object_to_sink`, plus the file codes for `path`. Ownership and threads: as
/// `oss_get_object`.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_get_object_to_file(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    path: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object, path) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?, path_arg(path, "path")?);
        let resp = with_options(options, |o| client.core().get_object_to_file(bucket, object, &path, o))?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}
