//! Content-MD5 helpers (base64 of the raw 16-byte MD5), so that callers never hash in PHP.

use std::ffi::{c_char, c_void};

use super::cast::{bytes_arg, path_arg};
use super::error::oss_error;
use super::panic::call;
use super::result::oss_result;
use crate::core::ops::{content_md5, file_content_md5};
use crate::core::{Error, ErrorKind, Result};

/// Size of the buffer a Content-MD5 needs: 24 base64 characters and a NUL.
const MD5_BUF: usize = 25;

unsafe fn write_md5(md5: &str, out: *mut c_char, out_len: usize) -> Result<()> {
    if out.is_null() {
        return Err(Error::new(ErrorKind::NullParameter, "md5_out is NULL"));
    }
    if out_len < MD5_BUF {
        return Err(Error::new(ErrorKind::InsufficientSize, format!("md5_out holds {out_len} bytes; 25 are needed")));
    }
    std::ptr::copy_nonoverlapping(md5.as_ptr().cast::<c_char>(), out, md5.len());
    *out.add(md5.len()) = 0;
    Ok(())
}

/// Writes the Content-MD5 of `len` bytes at `data` into `md5_out` (24 characters and a NUL; `md5_out_len` must
/// be at least 25).
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`, `OSS_RESULT_INSUFFICIENT_SIZE`. Ownership: borrows everything for the
/// duration of the call and keeps no pointer. Thread safety: any thread.
///
/// # Safety
/// `data` points to `len` readable bytes (or is NULL with `len` 0); `md5_out` to `md5_out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn oss_content_md5(
    data: *const c_void,
    len: usize,
    md5_out: *mut c_char,
    md5_out_len: usize,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || write_md5(&content_md5(bytes_arg(data, len, "data")?), md5_out, md5_out_len))
}

/// Writes the Content-MD5 of the file range `[offset, offset + length)` of `path` into `md5_out`, reading it in
/// chunks (never the whole file).
///
/// Errors: `OSS_RESULT_FILE_NOT_FOUND`, `OSS_RESULT_FILE_UNREADABLE`, `OSS_RESULT_RANGE_OUT_OF_FILE`,
/// `OSS_RESULT_IO`, `OSS_RESULT_NULL_PARAMETER`, `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INSUFFICIENT_SIZE`.
/// Ownership: borrows everything for the duration of the call and keeps no pointer. Thread safety: any thread.
///
/// # Safety
/// `path` is NULL or NUL-terminated; `md5_out` points to `md5_out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn oss_file_content_md5(
    path: *const c_char,
    offset: u64,
    length: u64,
    md5_out: *mut c_char,
    md5_out_len: usize,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let path = path_arg(path, "path")?;
        write_md5(&file_content_md5(&path, offset, length)?, md5_out, md5_out_len)
    })
}

/// The Content-Type ossrs infers for a file or object name (the official SDK's 227-entry table, keyed by the
/// lower-cased text after the last `.`), or NULL when the name has no known extension (uploads then default to
/// `application/octet-stream`).
///
/// Ownership: the returned string is static; never free it. Borrows `name` for the duration of the call.
///
/// # Safety
/// `name` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn oss_content_type_for_name(name: *const c_char) -> *const c_char {
    super::panic::guard(std::ptr::null(), || match super::cast::str_arg(name, "name") {
        Ok(n) => crate::core::mime::for_name(n).map_or(std::ptr::null(), mime_c_str),
        Err(_) => std::ptr::null(),
    })
}

/// A static NUL-terminated copy of a static MIME string (interned once).
fn mime_c_str(t: &'static str) -> *const c_char {
    use once_cell::sync::Lazy;
    use std::collections::HashMap;
    use std::ffi::CString;
    use std::sync::Mutex;
    static INTERNED: Lazy<Mutex<HashMap<&'static str, CString>>> = Lazy::new(|| Mutex::new(HashMap::new()));
    let mut map = INTERNED.lock().unwrap_or_else(|p| p.into_inner());
    map.entry(t).or_insert_with(|| CString::new(t).unwrap_or_default()).as_ptr()
}
