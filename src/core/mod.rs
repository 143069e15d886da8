//! The core: plain Rust, no raw pointers and nothing C-specific. The `ffi` module wraps it.

pub mod callback_verify;
pub mod client;
pub mod client_cache;
pub mod config;
pub mod crc64;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod mime;
pub mod model;
pub mod operation;
pub mod ops;
pub mod signing;
pub mod validate;

pub use client::{Client, RequestOptions};
pub use config::{ClientConfig, ConfigBuilder};
pub use error::{Error, ErrorKind, Result};
pub use http::Response;
pub use model::xml::CompletePart;
