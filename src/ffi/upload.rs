//! The managed upload: a whole file in one call, parts in parallel, progress on the calling thread.

use std::ffi::{c_char, c_void};

use super::cast::{clear_out, opt_str_arg, path_arg, str_arg, write_out};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::options::{oss_options, with_upload_options};
use super::panic::call;
use super::response::oss_response;
use super::result::oss_result;

/// Progress callback of `oss_upload_file`, called on the thread that called `oss_upload_file` (never on a worker
/// thread), at most once per part, after the part is stored. Return 0 to continue, anything else to cancel the
/// upload (`OSS_RESULT_ABORTED_BY_CALLBACK`).
pub type oss_progress_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, part_number: u32, bytes_done: u64, bytes_total: u64) -> i32>;

/// Uploads the file at `path` as `bucket/object` in one call: InitiateMultipartUpload, then the parts in parallel
/// (`oss_options_set_parallelism`, default 2; `oss_options_set_part_size`, default 10 MiB), each read from disk
/// once and sent with its Content-MD5, then CompleteMultipartUpload with the optional callback and callback-var
/// (where OSS runs it). The whole object's CRC-64 is computed while reading and checked against OSS's
/// `x-oss-hash-crc64ecma` (`OSS_RESULT_CRC64_MISMATCH`). On any failure the upload is aborted, leaving no parts
/// behind, unless `oss_options_set_keep_on_failure` was set. Parts are read and hashed while earlier ones are sent;
/// memory stays about `(parallelism + 1) × part size`.
/// With `oss_options_set_checkpoint_file` the upload is resumable: a rerun after a failure, crash or kill sends
/// only the parts OSS does not have yet. A CompleteMultipartUpload whose answer is lost is checked with ListParts
/// and HEAD (`oss_response_recovered`) instead of failing blindly.
///
/// `options` headers go on InitiateMultipartUpload (Content-Type, `x-oss-meta-*`, storage class). `progress` may be
/// NULL. Errors: as `oss_put_object_with_callback` and `oss_upload_part_from_file`, plus
/// `OSS_RESULT_INVALID_ARGUMENT` (part size, parallelism, more than 10000 parts), `OSS_RESULT_CRC64_MISMATCH` and
/// `OSS_RESULT_ABORTED_BY_CALLBACK`; `OSS_RESULT_CALLBACK_FAILED` means the object is stored but the callback failed.
///
/// Ownership: borrows every input for the duration of the call and keeps no pointer (`userdata` is only passed
/// back to `progress`); `*response_out` — caller owns, free with `oss_response_free`. Thread safety: any thread;
/// the call blocks until the upload is finished or abandoned.
///
/// # Safety
/// Pointers are NULL or valid as documented; `progress` is NULL or a function safe to call with `userdata`.
#[no_mangle]
pub unsafe extern "C" fn oss_upload_file(
    client: *const oss_client,
    bucket: *const c_char,
    object: *const c_char,
    path: *const c_char,
    callback: *const c_char,
    callback_var: *const c_char,
    options: *const oss_options,
    progress: oss_progress_fn,
    userdata: *mut c_void,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, object) = (str_arg(bucket, "bucket")?, str_arg(object, "object")?);
        let path = path_arg(path, "path")?;
        let (cb, var) = (opt_str_arg(callback, "callback")?, opt_str_arg(callback_var, "callback_var")?);
        let mut report = |p: crate::core::ops::Progress| match progress {
            // SAFETY: the caller vouches for `progress` and `userdata`; this runs on the calling thread.
            Some(f) => unsafe { f(userdata, p.part_number, p.bytes_done, p.bytes_total) == 0 },
            None => true,
        };
        let resp = with_upload_options(options, |o, settings| {
            client.core().upload_file(bucket, object, &path, settings, cb, var, o, &mut report)
        })?;
        write_out(response_out, oss_response::new(resp));
        Ok(())
    })
}
