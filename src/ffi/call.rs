//! The generic call: any operation of the table by name (`OSS_OPERATIONS` in the header lists them).

use std::borrow::Cow;
use std::ffi::{c_char, c_void, CString};

use once_cell::sync::Lazy;

use super::cast::{bytes_arg, clear_out, cstring, opt_str_arg, str_arg, write_out};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::options::oss_options;
use super::panic::call;
use super::response::oss_response;
use super::result::oss_result;
use crate::core::error::{Error, ErrorKind};
use crate::core::operation::Operation;
use crate::core::RequestOptions;

static OPERATION_LIST: Lazy<CString> = Lazy::new(|| cstring(&Operation::names().collect::<Vec<_>>().join(",")));

/// The names `oss_client_call` takes, comma-separated, in the order of its documentation.
/// Ownership: static, never freed. Thread safety: any thread.
#[no_mangle]
pub extern "C" fn oss_operations() -> *const c_char {
    OPERATION_LIST.as_ptr()
}

/// Runs the OSS operation called `operation` (exact spelling; `oss_operations()` lists them): PutObject,
/// GetObject, HeadObject, DeleteObject, InitiateMultipartUpload, UploadPart, AbortMultipartUpload, ListParts,
/// CopyObject (source in the `x-oss-copy-source` header), DeleteMultipleObjects (the XML body), ListObjects,
/// ListObjectsV2, GetObjectAcl, PutObjectAcl (`x-oss-object-acl`), GetBucketAcl, AppendObject (`position` in the
/// query; never repeated), GetObjectMeta, PutSymlink (`x-oss-symlink-target`), GetSymlink, ListMultipartUploads,
/// PutObjectTagging (the `Tagging` XML body), GetObjectTagging, DeleteObjectTagging, GetBucketLocation,
/// GetBucketMeta, UploadPartCopy (`partNumber`, `uploadId`, `x-oss-copy-source`, optionally
/// `x-oss-copy-source-range: bytes=first-last`), ListBuckets (`bucket` NULL or ""), CreateBucket (`x-oss-acl`, an optional
/// `CreateBucketConfiguration` body), DeleteBucket, GetBucketInfo, GetBucketStat, PutBucketAcl (`x-oss-acl`),
/// PutBucketCors (the `CORSConfiguration` XML body), GetBucketCors, DeleteBucketCors, OptionsObject (a CORS
/// preflight: `Origin`, `Access-Control-Request-Method`, optionally `Access-Control-Request-Headers`),
/// RestoreObject (an optional `RestoreRequest` body), PutBucketVersioning (the `VersioningConfiguration` XML body),
/// GetBucketVersioning, ListObjectVersions, ProcessObject (the body `x-oss-process=<pipeline>`), AsyncProcessObject
/// (the body `x-oss-async-process=<pipeline>`; never repeated); on
/// `bucket` and `object` (NULL or "" for bucket operations),
/// with the headers and query parameters of `options` (NULL for none) and the `body_len` bytes at `body` (NULL
/// with 0 for none, or `oss_options_set_body_file`; Content-MD5 is added where OSS requires it or
/// `oss_options_set_check_md5` asks for it). The request is signed, retried when the
/// operation is safe to repeat, and checked like the typed functions' (bucket and object names, headers; a
/// callback header only where OSS runs callbacks, and such a request is never repeated; what an operation cannot
/// be sent without — UploadPart's `uploadId` and `partNumber`, a copy's `x-oss-copy-source`, AppendObject's
/// `position`, the ACL and symlink-target headers — must be there and valid). The parsed result is
/// `oss_response_json`'s `"result"`. CompleteMultipartUpload is refused: use `oss_complete_multipart_upload`.
///
/// Errors: `OSS_RESULT_INVALID_ARGUMENT` for an unknown operation, usage codes before any I/O, then transport
/// and service codes. Ownership: borrows inputs for the duration of the call; `*response_out` — caller owns,
/// free with `oss_response_free`. Thread safety: any thread.
///
/// # Safety
/// Pointers are NULL or valid as documented; `body` points to `body_len` readable bytes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn oss_client_call(
    client: *const oss_client,
    operation: *const c_char,
    bucket: *const c_char,
    object: *const c_char,
    options: *const oss_options,
    body: *const c_void,
    body_len: usize,
    response_out: *mut *mut oss_response,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(response_out);
    call(error_out, || {
        let client = lookup(client)?;
        let name = str_arg(operation, "operation")?;
        let op = Operation::by_name(name).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("unknown operation {name:?} (one of: {})", Operation::names().collect::<Vec<_>>().join(", ")),
            )
        })?;
        let bucket = opt_str_arg(bucket, "bucket")?.unwrap_or("");
        let object = opt_str_arg(object, "object")?.unwrap_or("");
        let body = client.core().buffers().copy_of(bytes_arg(body, body_len, "body")?);
        let opts = options.as_ref().map_or_else(|| Cow::Owned(RequestOptions::default()), oss_options::for_call);
        let result = client.core().call(op, bucket, object, body, &opts)?;
        write_out(response_out, oss_response::from_call(result));
        Ok(())
    })
}
