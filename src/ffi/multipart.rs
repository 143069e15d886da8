//! Multipart upload: initiate, upload part (memory or file range), complete (with callback), abort, list parts.

use std::ffi::{c_char, c_void};

use super::cast::{bytes_arg, clear_out, opt_str_arg, path_arg, str_arg, write_out};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::options::{oss_options, with_options};
use super::panic::call;
use super::response::oss_response;
use super::result::oss_result;
use crate::core::{CompletePart, Error, ErrorKind};

/// One entry of the part list given to `oss_complete_multipart_upload`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct oss_part {
    /// Part number, 1..=10000.
    pub part_number: u32,
    /// ETag exactly as `oss_response_etag` gave it for that part (quotes kept). NUL-terminated.
    pub etag: *const c_char,
}

/// InitiateMultipartUpload (`POST ?uploads`). The upload id is `oss_response_upload_id(*response_out)`.
/// Content-Type comes from the options or is inferred from the object name.
///
/// Errors: usage codes before any I/O; transport codes; `OSS_RESULT_SERVICE_ERROR`; `OSS_RESULT_INVALID_RESPONSE`
/// when the answer has no UploadId. Ownership: borrows inputs for the duration of the call;
/// `*response_out` — caller owns, free with `oss_response_free`. Thread safety: any thread.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_initiate_multipart_upload(
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
        let r = with_options(options, |o| client.core().initiate_multipart_upload(bucket, object, o))?;
        write_out(response_out, oss_response::from_initiate(r));
        Ok(())
    })
}

/// UploadPart from `len` bytes at `data`. `content_md5` (base64 of the 16-byte MD5, NULL = none) is sent as
/// Content-MD5 so OSS rejects a corrupted part (400 InvalidDigest). The part's ETag is
/// `oss_response_etag(*response_out)`, quotes kept.
///
/// Errors: `OSS_RESULT_INVALID_PART_NUMBER` (outside 1..=10000), `OSS_RESULT_INVALID_ARGUMENT` (empty upload id,
/// malformed Content-MD5) and other usage codes before any I/O; transport and service codes;
/// `OSS_RESULT_INVALID_RESPONSE` when the answer has no ETag. Ownership and thread safety: as
/// `oss_initiate_multipart_upload`.
///
/// # Safety
/// Pointers are NULL or valid as documented; `data` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn oss_upload_part(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    upload_id: *const c_char,
    part_number: u32,
    data: *const c_void,
    len: usize,
    content_md5: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let upload_id = str_arg(upload_id, "upload_id")?;
        let data = client.core().buffers().copy_of(bytes_arg(data, len, "data")?);
        let md5 = opt_str_arg(content_md5, "content_md5")?;
        let resp =
            with_options(options, |o| client.core().upload_part(bucket, object, upload_id, part_number, data, md5, o))?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}

/// UploadPart from the file range `[offset, offset + length)` of `path`, streamed from disk (never the whole
/// file in memory). The range is checked before any request: `OSS_RESULT_RANGE_OUT_OF_FILE` when it does not lie
/// inside the file, `OSS_RESULT_FILE_NOT_FOUND` / `OSS_RESULT_FILE_UNREADABLE` for a bad path.
/// Otherwise as `oss_upload_part`.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_upload_part_from_file(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    upload_id: *const c_char,
    part_number: u32,
    path: *const c_char,
    offset: u64,
    length: u64,
    content_md5: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let upload_id = str_arg(upload_id, "upload_id")?;
        let path = path_arg(path, "path")?;
        let md5 = opt_str_arg(content_md5, "content_md5")?;
        let resp = with_options(options, |o| {
            client.core().upload_part_from_file(bucket, object, upload_id, part_number, &path, offset, length, md5, o)
        })?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}

/// CompleteMultipartUpload with `part_count` entries of `parts`, sent in the order given (the body is
/// byte-exact with the official SDK's), and an optional callback and callback-var (as in
/// `oss_put_object_with_callback`; OSS runs the callback here). On success the response body is the callback
/// server's reply, or the CompleteMultipartUploadResult XML without a callback.
///
/// Errors: usage codes before any I/O (NULL `parts` with a non-zero count, a part number outside 1..=10000, a NULL
/// or non-UTF-8 ETag); transport and service codes (e.g. InvalidPart, InvalidPartOrder, EntityTooSmall);
/// `OSS_RESULT_CALLBACK_FAILED` for a 203 (the object is stored). Ownership: borrows inputs for the duration of the
/// call; `*response_out` — caller owns, free with `oss_response_free`. Thread safety: any thread.
///
/// # Safety
/// Pointers are NULL or valid as documented; `parts` points to `part_count` entries.
#[no_mangle]
pub unsafe extern "C" fn oss_complete_multipart_upload(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    upload_id: *const c_char,
    parts: *const oss_part,
    part_count: usize,
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
        let upload_id = str_arg(upload_id, "upload_id")?;
        let entries: &[oss_part] = match (parts.is_null(), part_count) {
            (_, 0) => &[],
            (true, n) => {
                return Err(Error::new(ErrorKind::NullParameter, format!("parts is NULL but part_count is {n}")))
            }
            (false, n) => std::slice::from_raw_parts(parts, n),
        };
        let mut list = Vec::with_capacity(entries.len());
        for (i, p) in entries.iter().enumerate() {
            let etag = str_arg(p.etag, &format!("parts[{i}].etag"))?;
            list.push(CompletePart { part_number: p.part_number, etag: etag.to_string() });
        }
        let (cb, var) = (opt_str_arg(callback, "callback")?, opt_str_arg(callback_var, "callback_var")?);
        let resp = with_options(options, |o| {
            client.core().complete_multipart_upload(bucket, object, upload_id, &list, cb, var, o)
        })?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}

/// AbortMultipartUpload: discards the upload and its parts.
///
/// Errors: usage codes before any I/O; transport and service codes (404 NoSuchUpload). Ownership and thread
/// safety: as `oss_initiate_multipart_upload`.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_abort_multipart_upload(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    upload_id: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let upload_id = str_arg(upload_id, "upload_id")?;
        let resp = with_options(options, |o| client.core().abort_multipart_upload(bucket, object, upload_id, o))?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}

/// ListParts: the parts uploaded so far, read with `oss_response_part_count` / `_part_number` / `_part_etag` /
/// `_part_size`. Page with the query options `max-parts` and `part-number-marker`.
///
/// Errors: usage codes before any I/O; transport and service codes; `OSS_RESULT_INVALID_RESPONSE` for an
/// unparsable answer. Ownership and thread safety: as `oss_initiate_multipart_upload`.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_list_parts(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    upload_id: *const c_char,
    options: *const oss_options,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let upload_id = str_arg(upload_id, "upload_id")?;
        let r = with_options(options, |o| client.core().list_parts(bucket, object, upload_id, o))?;
        write_out(response_out, oss_response::from_list_parts(r));
        Ok(())
    })
}
