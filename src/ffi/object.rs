//! GetObject, HeadObject and DeleteObject: reading back and cleaning up what was uploaded.

use std::ffi::c_char;

use super::cast::{clear_out, str_arg, write_out};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::options::{oss_options, with_options};
use super::panic::call;
use super::response::oss_response;
use super::result::oss_result;
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
