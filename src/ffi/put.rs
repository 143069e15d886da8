//! PutObject with an optional upload callback, from memory or from a file.

use std::ffi::{c_char, c_void};

use super::cast::{bytes_arg, clear_out, opt_str_arg, path_arg, str_arg, write_out};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::options::{oss_options, with_options};
use super::panic::call;
use super::response::oss_response;
use super::result::oss_result;

/// Uploads `len` bytes at `data` as `bucket/object` (PutObject). Content-MD5 is always sent; Content-Type comes
/// from the options or is inferred from the object name (the SDK's table), else `application/octet-stream`.
///
/// `callback` and `callback_var` are the JSON texts of the upload callback (NULL or `""` = none); they are
/// checked (JSON object, callbackUrl with at most 5 URLs, non-empty callbackBody, known callbackBodyType, `x:`
/// lower-case keys with string values, at most 5 KB encoded) and sent base64-encoded byte-for-byte as given.
/// On success the response body is the callback server's reply.
///
/// Errors: usage codes (NULL, UTF-8, bucket/object names, callback, header) before any I/O;
/// `OSS_RESULT_CONNECT`/`TIMEOUT`/`TRANSPORT`; `OSS_RESULT_SERVICE_ERROR`; `OSS_RESULT_CALLBACK_FAILED` when a
/// callback was sent and OSS answered 203 (the object is stored; see `oss_error_response`).
///
/// Ownership: borrows every input for the duration of the call and keeps no pointer; `*response_out` — caller
/// owns, free with `oss_response_free` (written only on success; may be NULL to discard); `*error_out` — caller
/// owns, free with `oss_error_free`. Thread safety: any thread, concurrently on one client.
///
/// # Safety
/// Pointers are NULL or valid as documented; `data` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn oss_put_object_with_callback(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    data: *const c_void,
    len: usize,
    callback: *const c_char,
    callback_var: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let data = client.core().buffers().copy_of(bytes_arg(data, len, "data")?);
        let (cb, var) = (opt_str_arg(callback, "callback")?, opt_str_arg(callback_var, "callback_var")?);
        let resp = with_options(options, |o| client.core().put_object(bucket, object, data, cb, var, o))?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}

/// Like `oss_put_object_with_callback`, streaming the file at `path` (never loaded whole). Content-MD5 is sent
/// when the options carry one or `oss_options_set_check_md5` is on. A missing file, a directory or an unreadable
/// file is reported before any request (`OSS_RESULT_FILE_NOT_FOUND` / `OSS_RESULT_FILE_UNREADABLE`); a file that
/// shrinks while it is sent gives `OSS_RESULT_IO`.
///
/// Ownership and thread safety: as `oss_put_object_with_callback`.
///
/// # Safety
/// As `oss_put_object_with_callback`.
#[no_mangle]
pub unsafe extern "C" fn oss_put_object_from_file_with_callback(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    path: *const c_char,
    callback: *const c_char,
    callback_var: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let path = path_arg(path, "path")?;
        let (cb, var) = (opt_str_arg(callback, "callback")?, opt_str_arg(callback_var, "callback_var")?);
        let resp = with_options(options, |o| client.core().put_object_from_file(bucket, object, &path, cb, var, o))?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}
