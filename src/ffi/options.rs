//! `oss_options`: extra headers, query parameters and flags for one or more requests.

use std::ffi::c_char;
use std::ptr;

use super::cast::{free_box, handle_mut_arg, path_arg, str_arg};
use super::error::oss_error;
use super::panic::{call, guard};
use super::result::oss_result;
use crate::core::ops::UploadSettings;
use crate::core::validate;
use crate::core::RequestOptions;

/// Per-request options: headers (`Content-Type`, `Cache-Control`, `x-oss-meta-*`, `x-oss-storage-class`,
/// a pinned `Date`, …), query parameters (`max-parts`, `part-number-marker`), `check_md5`, and the settings of
/// the managed upload `oss_upload_file` (part size, parallelism, keep on failure, checkpoint file).
///
/// Methods: `oss_options_new`, `oss_options_set_header`, `oss_options_set_query`, `oss_options_set_check_md5`,
/// `oss_options_set_part_size`, `oss_options_set_parallelism`, `oss_options_set_keep_on_failure`,
/// `oss_options_set_checkpoint_file`, `oss_options_free`.
///
/// Ownership: caller owns, free with `oss_options_free`. Operations borrow it for the duration of the call, so
/// one options object may be reused; it may be read by many threads at once but not changed meanwhile.
pub struct oss_options {
    inner: RequestOptions,
    upload: UploadSettings,
}

impl oss_options {
    pub(crate) fn core(&self) -> &RequestOptions {
        &self.inner
    }
}

/// A new, empty options object; NULL only if allocation is impossible.
/// Ownership: caller owns, free with `oss_options_free`.
#[no_mangle]
pub extern "C" fn oss_options_new() -> *mut oss_options {
    guard(ptr::null_mut(), || {
        Box::into_raw(Box::new(oss_options { inner: RequestOptions::default(), upload: UploadSettings::default() }))
    })
}

/// Adds a request header. The value is trimmed when sent and an empty value is not sent.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`, `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INVALID_HEADER` (name not an HTTP
/// token, CR/LF/NUL in the value, or a header the library sets itself: Content-Length, Host, Authorization,
/// Transfer-Encoding, Connection). Ownership: borrows `name` and `value` for the duration of the call.
///
/// # Safety
/// `options` is NULL or live; strings are NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_header(
    options: *mut oss_options,
    name: *const c_char,
    value: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        let (name, value) = (str_arg(name, "name")?, str_arg(value, "value")?);
        let candidate = RequestOptions::default().header(name, value);
        candidate.checked_headers()?;
        o.inner.headers.push((name.to_string(), value.to_string()));
        Ok(())
    })
}

/// Adds a query parameter (an empty value is sent as the bare name).
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`, `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INVALID_ARGUMENT` (empty name,
/// CR/LF/NUL). Ownership: borrows `name` and `value` for the duration of the call.
///
/// # Safety
/// As `oss_options_set_header`.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_query(
    options: *mut oss_options,
    name: *const c_char,
    value: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        let (name, value) = (str_arg(name, "name")?, str_arg(value, "value")?);
        validate::query_param(name, value)?;
        o.inner.query.push((name.to_string(), value.to_string()));
        Ok(())
    })
}

/// For whole-file uploads (`oss_put_object_from_file_with_callback`): compute and send Content-MD5 (the file
/// is read twice). In-memory bodies always carry Content-MD5.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `options` is NULL or live; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_check_md5(
    options: *mut oss_options,
    enabled: bool,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        handle_mut_arg(options, "options")?.inner.check_md5 = enabled;
        Ok(())
    })
}

/// `oss_upload_file`: bytes per part (default 10485760; 102400 ..= 5 GiB, checked by `oss_upload_file`).
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `options` is NULL or live; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_part_size(
    options: *mut oss_options,
    part_size: u64,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        handle_mut_arg(options, "options")?.upload.part_size = part_size;
        Ok(())
    })
}

/// `oss_upload_file`: parts uploaded at once, and parts read and hashed at once while those are sent (default 2;
/// 1..=64, checked by `oss_upload_file`). Memory use is about `(parallelism + 1) × part size`.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `options` is NULL or live; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_parallelism(
    options: *mut oss_options,
    parallelism: u32,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        handle_mut_arg(options, "options")?.upload.parallelism = parallelism as usize;
        Ok(())
    })
}

/// `oss_upload_file`: on failure keep the multipart upload and its parts (for resuming) instead of aborting it.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`.
///
/// # Safety
/// `options` is NULL or live; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_keep_on_failure(
    options: *mut oss_options,
    keep: bool,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        handle_mut_arg(options, "options")?.upload.keep_on_failure = keep;
        Ok(())
    })
}

/// `oss_upload_file`: make the upload resumable with a checkpoint file at `path` (NULL: no checkpoint). The file
/// records the upload id, part size, the source file's size and mtime and every stored part with its ETag, sealed
/// with an MD5, and is rewritten atomically as parts finish (at most every 200 ms, and when the parts are done or
/// given up). A rerun after a failure, crash or kill uploads only the parts OSS does not already have (a crash may
/// cost the parts of its last 200 ms); a changed source file or a different target aborts the old upload and
/// starts over; a corrupt checkpoint is ignored and replaced. With a checkpoint the upload is kept on failure; the
/// file is deleted once the upload is complete. One checkpoint must not be used by two uploads at the same time.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (options), `OSS_RESULT_INVALID_UTF8`. Ownership: copies `path`.
///
/// # Safety
/// `options` is NULL or live; `path` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_checkpoint_file(
    options: *mut oss_options,
    path: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        o.upload.checkpoint = if path.is_null() { None } else { Some(path_arg(path, "path")?) };
        Ok(())
    })
}

/// `oss_client_call`: the request body is the file at `path`, streamed from disk (NULL: the bytes passed to the
/// call). Checked when the call starts (`OSS_RESULT_FILE_NOT_FOUND`, `OSS_RESULT_FILE_UNREADABLE`); a body passed
/// as well is refused. With `oss_options_set_check_md5` its Content-MD5 is computed and sent (the file is read
/// twice).
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (options), `OSS_RESULT_INVALID_UTF8`. Ownership: copies `path`.
///
/// # Safety
/// `options` is NULL or live; `path` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_body_file(
    options: *mut oss_options,
    path: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        o.inner.body_file = if path.is_null() { None } else { Some(path_arg(path, "path")?) };
        Ok(())
    })
}

/// Frees options. NULL is a no-op.
///
/// # Safety
/// `options` is NULL or options from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn oss_options_free(options: *mut oss_options) {
    guard((), || free_box(options));
}

/// Runs `f` with the request options and upload settings behind `options`, or with defaults when it is NULL.
///
/// # Safety
/// `options` is NULL or live.
pub(crate) unsafe fn with_upload_options<T>(
    options: *const oss_options,
    f: impl FnOnce(&RequestOptions, &UploadSettings) -> T,
) -> T {
    match options.as_ref() {
        Some(o) => f(&o.inner, &o.upload),
        None => f(&RequestOptions::default(), &UploadSettings::default()),
    }
}

/// Runs `f` with the options behind `options`, or with defaults when it is NULL.
///
/// # Safety
/// `options` is NULL or live.
pub(crate) unsafe fn with_options<T>(options: *const oss_options, f: impl FnOnce(&RequestOptions) -> T) -> T {
    match options.as_ref() {
        Some(o) => f(o.core()),
        None => f(&RequestOptions::default()),
    }
}
