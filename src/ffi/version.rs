//! The library version, for checking that a header and a library belong together.

use std::ffi::c_char;

/// The library version (`"0.1.0"`), equal to the `OSSRS_VERSION` macro of the header it was built with.
/// Ownership: static; never free it. Thread safety: any thread.
#[no_mangle]
pub extern "C" fn oss_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
