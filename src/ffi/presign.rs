//! Presigned URLs: pure signing, no I/O.

use std::ffi::{c_char, CString};

use super::cast::{cstring, opt_str_arg, str_arg};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::options::{oss_options, with_options};
use super::panic::{call, guard};
use super::result::oss_result;

/// Writes to `*url_out` a URL that allows `method` (`GET`, `PUT`, `HEAD`, `POST` or `DELETE`) on `bucket/object`
/// until `expires` (Unix seconds, in the future; with signature V4 at most 7 days ahead), signed with the
/// client's credentials and signature version (V1: `OSSAccessKeyId`, `Expires`, `Signature`; V4: the
/// `x-oss-signature*` parameters; an STS token as a signed parameter). The headers of `options` are signed — the
/// request made with the URL must send them — and its query parameters (`response-content-type`,
/// `x-oss-process`, …) become part of the URL. `callback` / `callback_var` (JSON, NULL for none) are checked as for
/// `oss_put_object_with_callback` and signed as the `x-oss-callback` / `x-oss-callback-var` headers the PUT must
/// send, base64-encoded. No I/O.
///
/// Errors: usage codes (`OSS_RESULT_INVALID_ARGUMENT` for a method or expiry it refuses). Ownership: borrows
/// inputs for the duration of the call; `*url_out` — caller owns, free with `oss_string_free`. Thread safety:
/// any thread.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn oss_presign_url(
    client: *const oss_client,
    method: *const c_char,
    bucket: *const c_char,
    object: *const c_char,
    expires: u64,
    callback: *const c_char,
    callback_var: *const c_char,
    options: *const oss_options,
    url_out: *mut *mut c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    if !url_out.is_null() {
        *url_out = std::ptr::null_mut();
    }
    call(error_out, || {
        let client = lookup(client)?;
        let (method, bucket, object) =
            (str_arg(method, "method")?, str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let (callback, var) = (opt_str_arg(callback, "callback")?, opt_str_arg(callback_var, "callback_var")?);
        let url =
            with_options(options, |o| client.core().presign_url(method, bucket, object, expires, callback, var, o))?;
        if !url_out.is_null() {
            *url_out = cstring(&url).into_raw();
        }
        Ok(())
    })
}

/// Frees a string libossrs returned (`oss_presign_url`'s URL). NULL is a no-op.
///
/// # Safety
/// `s` is NULL or a string from libossrs not freed yet.
#[no_mangle]
pub unsafe extern "C" fn oss_string_free(s: *mut c_char) {
    guard((), || {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}
