//! `oss_options`: extra headers, query parameters and flags for one or more requests.

use std::borrow::Cow;
use std::ffi::{c_char, c_void};
use std::ptr;

use super::cast::{free_box, handle_mut_arg, opt_str_arg, path_arg, str_arg};
use super::error::oss_error;
use super::panic::{call, guard};
use super::result::oss_result;
use crate::core::error::{fail, ErrorKind, Result};
use crate::core::http::{BodySource, StreamBody};
use crate::core::ops::UploadSettings;
use crate::core::validate;
use crate::core::RequestOptions;

/// Per-request options: headers (`Content-Type`, `Cache-Control`, `x-oss-meta-*`, `x-oss-storage-class`,
/// a pinned `Date`, …), query parameters (`max-parts`, `part-number-marker`), `check_md5`, and the settings of
/// the managed upload `oss_upload_file` (part size, parallelism, keep on failure, checkpoint file).
///
/// Methods: `oss_options_new`, `oss_options_set_header`, `oss_options_set_query`, `oss_options_set_check_md5`,
/// `oss_options_set_part_size`, `oss_options_set_parallelism`, `oss_options_set_keep_on_failure`,
/// `oss_options_set_checkpoint_file`, `oss_options_set_upload_id`, `oss_options_set_file_range`,
/// `oss_options_set_body_file`, `oss_options_set_body_reader`, `oss_options_set_callback`, `oss_options_free`.
///
/// Ownership: caller owns, free with `oss_options_free`. Operations borrow it for the duration of the call, so
/// one options object may be reused; it may be read by many threads at once but not changed meanwhile.
pub struct oss_options {
    inner: RequestOptions,
    upload: UploadSettings,
    reader: Option<BodyReader>,
}

impl oss_options {
    pub(crate) fn core(&self) -> &RequestOptions {
        &self.inner
    }

    /// The request options of one `oss_client_call`: with a fresh stream over the body reader, if one is set.
    pub(crate) fn for_call(&self) -> Cow<'_, RequestOptions> {
        match self.reader {
            None => Cow::Borrowed(&self.inner),
            Some(reader) => {
                let mut o = self.inner.clone();
                o.body_stream = Some(StreamBody::new(Box::new(reader), reader.len));
                Cow::Owned(o)
            }
        }
    }
}

/// Fills `buf` (room for `cap` bytes) with the next bytes of a request body and returns how many it wrote: 0 at
/// the end, a negative value to stop the upload (the call then fails with `OSS_RESULT_ABORTED_BY_CALLBACK`).
/// Runs on the thread that made the call, during it, in order.
pub type oss_read_fn = Option<unsafe extern "C" fn(userdata: *mut c_void, buf: *mut u8, cap: usize) -> i64>;

/// A C read callback with its userdata and the body length it promises.
#[derive(Clone, Copy)]
struct BodyReader {
    read: unsafe extern "C" fn(*mut c_void, *mut u8, usize) -> i64,
    userdata: *mut c_void,
    len: Option<u64>,
}

// SAFETY: reqwest's blocking client reads a request body on the thread that sends the request, so the callback
// runs on the caller's thread, as documented (tests/body_stream.rs checks it); `Send` is only reqwest's bound.
unsafe impl Send for BodyReader {}
// SAFETY: the options only hold the pointers; they are called by the one request a call sends.
unsafe impl Sync for BodyReader {}

impl BodySource for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        // SAFETY: the caller promised a function and userdata valid for every call using these options.
        let n = unsafe { (self.read)(self.userdata, buf.as_mut_ptr(), buf.len()) };
        match usize::try_from(n) {
            Err(_) => fail(ErrorKind::AbortedByCallback, format!("the read callback stopped the upload ({n})")),
            Ok(n) if n > buf.len() => fail(
                ErrorKind::InvalidArgument,
                format!("the read callback returned {n} for a buffer of {} bytes", buf.len()),
            ),
            Ok(n) => Ok(n),
        }
    }
}

/// A new, empty options object; NULL only if allocation is impossible.
/// Ownership: caller owns, free with `oss_options_free`.
#[no_mangle]
pub extern "C" fn oss_options_new() -> *mut oss_options {
    guard(ptr::null_mut(), || {
        Box::into_raw(Box::new(oss_options {
            inner: RequestOptions::default(),
            upload: UploadSettings::default(),
            reader: None,
        }))
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

/// Uploads of a file (`oss_put_object_from_file_with_callback`, `oss_upload_file`, and `oss_client_call` with
/// `oss_options_set_body_file`) send only `length` bytes of it from `offset`. The range must lie inside the file
/// (`OSS_RESULT_RANGE_OUT_OF_FILE` when the call starts); `oss_upload_file` refuses it with a checkpoint file.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (options). Ownership: nothing is kept but the numbers.
///
/// # Safety
/// `options` is NULL or live; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_file_range(
    options: *mut oss_options,
    offset: u64,
    length: u64,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        o.inner.file_range = Some((offset, length));
        Ok(())
    })
}

/// `oss_upload_file`: upload the parts into the open multipart upload `upload_id` (from
/// `oss_initiate_multipart_upload`) instead of starting a new one, then complete it; on failure it is kept,
/// never aborted. NULL removes it. Not with a checkpoint file (`OSS_RESULT_INVALID_ARGUMENT` when the call starts).
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (options), `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INVALID_ARGUMENT` (empty,
/// or CR/LF). Ownership: copies `upload_id`.
///
/// # Safety
/// `options` is NULL or live; `upload_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_upload_id(
    options: *mut oss_options,
    upload_id: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        let id = opt_str_arg(upload_id, "upload_id")?;
        if let Some(id) = id {
            validate::upload_id(id)?;
        }
        o.upload.upload_id = id.map(str::to_string);
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

/// `oss_client_call`: the request body is read from `read` (called with `userdata`) while the request is sent,
/// through one buffer: `length` bytes (sent as the Content-Length; a reader that ends early fails the call with
/// `OSS_RESULT_IO` and nothing is stored), or, with a negative `length`, until `read` returns 0 (sent chunked).
/// A request with a read body is never repeated, since the body cannot be read again; neither it nor a callback
/// with it can be combined with a body, a body file or `oss_options_set_check_md5` (send a `Content-Md5` header
/// instead). NULL `read` removes the reader.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (options). Ownership: keeps `read` and `userdata`, which must stay valid
/// for every call made with these options. Thread safety: `read` runs on the calling thread.
///
/// # Safety
/// `options` is NULL or live; `read` is NULL or a function safe to call with `userdata` as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_body_reader(
    options: *mut oss_options,
    read: oss_read_fn,
    userdata: *mut c_void,
    length: i64,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        o.reader = read.map(|read| BodyReader { read, userdata, len: u64::try_from(length).ok() });
        Ok(())
    })
}

/// An upload callback for the operations OSS runs one on (PutObject, CompleteMultipartUpload): `callback` is
/// the callback JSON and `callback_var` (NULL for none) the JSON of its `x:` variables, checked and encoded like
/// `oss_put_object_with_callback`'s when a request is built. `oss_client_call` sends it; a typed function's own
/// callback arguments take precedence; an operation OSS runs no callback on is refused
/// (`OSS_RESULT_INVALID_CALLBACK`). NULL `callback` removes it.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (options), `OSS_RESULT_INVALID_UTF8`. Ownership: copies the strings.
///
/// # Safety
/// `options` is NULL or live; strings are NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_options_set_callback(
    options: *mut oss_options,
    callback: *const c_char,
    callback_var: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let o = handle_mut_arg(options, "options")?;
        let var = opt_str_arg(callback_var, "callback_var")?.map(str::to_string);
        o.inner.callback = opt_str_arg(callback, "callback")?.map(|c| (c.to_string(), var));
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
