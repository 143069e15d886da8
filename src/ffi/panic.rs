//! The boundary: every exported function runs its body through [`call`] or [`guard`], so a panic becomes
//! `OSS_RESULT_PANIC` (or a neutral value) instead of unwinding into C or PHP.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::error::oss_error;
use super::result::oss_result;
use crate::core::{Error, ErrorKind};

/// Runs a fallible body. `*error_out` (if `error_out` is not NULL) is set to NULL first, then to a new error
/// object when the body fails or panics.
pub(crate) fn call(error_out: *mut *mut oss_error, body: impl FnOnce() -> Result<(), Error>) -> oss_result {
    if !error_out.is_null() {
        // SAFETY: the caller passes either NULL or a pointer to writable storage for one pointer.
        unsafe { *error_out = ptr::null_mut() };
    }
    let err = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return oss_result::Ok,
        Ok(Err(e)) => e,
        Err(payload) => Error::new(ErrorKind::Panic, format!("panic inside ossrs: {}", panic_text(&*payload))),
    };
    let code = oss_result::from(err.kind());
    if !error_out.is_null() {
        let boxed =
            catch_unwind(AssertUnwindSafe(|| Box::into_raw(Box::new(oss_error::new(err))))).unwrap_or(ptr::null_mut());
        // SAFETY: as above.
        unsafe { *error_out = boxed };
    }
    code
}

/// Runs an infallible body (accessors, constructors); a panic yields `fallback`.
pub(crate) fn guard<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_panic_code_with_a_message() {
        let mut err: *mut oss_error = ptr::null_mut();
        let code = call(&mut err, || panic!("forced for the test"));
        assert_eq!(code, oss_result::Panic);
        assert!(!err.is_null());
        // SAFETY: `call` stored a live error.
        let e = unsafe { Box::from_raw(err) };
        assert_eq!(e.result(), oss_result::Panic);
        assert!(e.message().contains("forced for the test"));
        assert_eq!(guard(7, || panic!("again")), 7);
        assert_eq!(call(ptr::null_mut(), || panic!("no error object wanted")), oss_result::Panic);
    }
}
