//! The C ABI (`include/ossrs.h`). It converts and checks arguments, catches panics and delegates to
//! [`crate::core`]; it holds no protocol logic.
//!
//! Conventions (also in the README):
//! - **Results.** Every fallible function returns [`oss_result`]; `OSS_RESULT_OK` (0) is success. Codes are
//!   stable and grouped: 1xx usage, 2xx local files, 3xx transport, 4xx service answers, 5xx client-side
//!   checks, 6xx verifying incoming upload callbacks (`oss_callback_verifier`).
//! - **Errors.** The last parameter `oss_error **error_out` may be NULL. It is set to NULL on entry and to a new
//!   error object on failure: result, message, HTTP status, OSS code and message, request id, host id, raw body,
//!   whole response, attempts. Free it with `oss_error_free`. No thread-local state: the details survive later
//!   calls and other threads.
//! - **Parameters.** Handle first, then inputs, then outputs (`_out`). Text is NUL-terminated UTF-8; bodies are
//!   `const void *` plus a `size_t` length (so PHP can pass its string buffer). Outputs are written only on
//!   success; an optional output may be NULL to discard it.
//! - **Ownership.** Each function states one of: "caller owns, free with …", "consumes …", "borrows for the
//!   duration of the call and keeps no pointer", "valid until …". `_free(NULL)` is always a no-op.
//! - **Panics** never cross the boundary: they become `OSS_RESULT_PANIC`.
//! - **Threads.** `oss_client` may be used by many threads at once; other handles by one thread at a time.
//!   Everything is blocking. A client is bound to the process that created it (fork: create a new one).

#![allow(non_camel_case_types)]

pub mod call;
pub mod callback_verify;
mod cast;
pub mod client;
pub mod config;
pub mod digest;
pub mod error;
pub mod multipart;
pub mod object;
pub mod options;
mod panic;
pub mod post_form;
pub mod presign;
pub mod put;
pub mod response;
pub mod result;
pub mod upload;
pub mod version;

pub use callback_verify::oss_callback_verifier;
pub use client::oss_client;
pub use config::oss_config_builder;
pub use error::oss_error;
pub use multipart::oss_part;
pub use options::oss_options;
pub use response::oss_response;
pub use result::oss_result;
