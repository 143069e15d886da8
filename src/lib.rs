//! # ossrs
//!
//! A client for Alibaba Cloud OSS uploads with upload callbacks: PutObject and multipart upload (initiate,
//! parts with per-part MD5, complete), signed with V1 or V4, behind a C ABI (`include/ossrs.h`) that PHP
//! (through FFI) and C programs link against.
//!
//! - [`core`] is plain Rust: configuration, signing, transport, wire models and operations.
//! - [`ffi`] is the C surface: it converts and checks arguments, catches panics and delegates to the core.
//!   Its module documentation states the conventions (results, errors, ownership, threads).

#![warn(missing_docs)]

pub mod core;
pub mod ffi;
