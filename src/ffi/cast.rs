//! Turning raw C arguments into Rust values, with a distinct error for each way they can be wrong.

use std::ffi::{c_char, c_void, CStr, CString};
use std::path::PathBuf;
use std::ptr;

use super::panic::guard;
use crate::core::{Error, ErrorKind, Result};

/// A required NUL-terminated UTF-8 string. `name` appears in the error message.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(Error::new(ErrorKind::NullParameter, format!("{name} is NULL")));
    }
    CStr::from_ptr(p)
        .to_str()
        .map_err(|e| Error::new(ErrorKind::InvalidUtf8, format!("{name} is not valid UTF-8 ({e})")))
}

/// An optional string: NULL means absent.
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        str_arg(p, name).map(Some)
    }
}

/// A path argument (UTF-8).
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn path_arg(p: *const c_char, name: &str) -> Result<PathBuf> {
    str_arg(p, name).map(PathBuf::from)
}

/// A borrowed byte buffer. NULL is accepted only with length 0.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes that stay valid and unchanged for `'a`.
pub(crate) unsafe fn bytes_arg<'a>(data: *const c_void, len: usize, name: &str) -> Result<&'a [u8]> {
    if data.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Error::new(ErrorKind::NullParameter, format!("{name} is NULL but its length is {len}")))
        };
    }
    if isize::try_from(len).is_err() {
        return Err(Error::new(ErrorKind::InvalidArgument, format!("{name} length {len} is larger than any buffer")));
    }
    Ok(std::slice::from_raw_parts(data.cast::<u8>(), len))
}

/// A mutable handle that must not be NULL.
///
/// # Safety
/// As [`handle_arg`], and no other thread uses the handle during the call.
pub(crate) unsafe fn handle_mut_arg<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T> {
    p.as_mut().ok_or_else(|| Error::new(ErrorKind::NullParameter, format!("{name} is NULL")))
}

/// Stores a new boxed value in `*out`; with `out` NULL the value is dropped.
///
/// # Safety
/// `out` is NULL or points to writable storage for one pointer.
pub(crate) unsafe fn write_out<T>(out: *mut *mut T, value: T) {
    if !out.is_null() {
        *out = Box::into_raw(Box::new(value));
    }
}

/// Clears `*out` to NULL (outputs are only written on success).
///
/// # Safety
/// As [`write_out`].
pub(crate) unsafe fn clear_out<T>(out: *mut *mut T) {
    if !out.is_null() {
        *out = ptr::null_mut();
    }
}

/// Frees a boxed handle; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or a pointer from `Box::into_raw` not yet freed.
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        drop(Box::from_raw(p));
    }
}

/// A C string for text that may contain NUL (replaced by U+FFFD so nothing is cut silently).
pub(crate) fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

/// Pointer to an optional C string, NULL when absent.
pub(crate) fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

/// Reads from a borrowed handle for an accessor: NULL yields `fallback`, and so does a panic.
pub(crate) fn read<H, T: Copy>(handle: *const H, fallback: T, f: impl FnOnce(&H) -> T) -> T {
    // SAFETY: accessors document that `handle` is NULL or live.
    match unsafe { handle.as_ref() } {
        Some(h) => guard(fallback, || f(h)),
        None => fallback,
    }
}
