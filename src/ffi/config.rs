//! `oss_config_builder`: collects string settings and builds a client.

use std::ffi::c_char;
use std::ptr;
use std::sync::Arc;

use super::cast::{bytes_arg, free_box, handle_mut_arg, str_arg};
use super::client::{oss_client, register};
use super::error::oss_error;
use super::panic::{call, guard};
use super::result::oss_result;
use crate::core::config::ConfigKey;
use crate::core::{client_cache, Client, ConfigBuilder, Error, ErrorKind, Result};

/// Client settings as `key = value` strings, checked all at once by `oss_config_builder_build`.
///
/// Keys: `endpoint`, `access_key_id` (aliases accessKeyId, OSS_ACCESS_KEY_ID), `access_key_secret`
/// (aliases accessKeySecret, OSS_ACCESS_KEY_SECRET), `security_token` (aliases securityToken, sts_token, OSS_SESSION_TOKEN),
/// `region`, `signature_version` (`v1` default, `v4` needs `region`), `cloudbox_id`, `cname` (bool),
/// `path_style` (alias forcePathStyle) (bool), `connect_timeout_ms` (default 10000, 0 = none), `timeout_ms`
/// (default 0 = none; bounds the whole call: every attempt, backoff pause and Complete recovery probe; each part of
/// `oss_upload_file` is a call of its own), `proxy` (default: the `http_proxy`/`https_proxy`/`no_proxy` environment, as libcurl), `ca_cert_file` (extra PEM CA; TLS is always verified), `resolve`
/// (`host=ip[,host=ip]`), `user_agent`, `max_retries` (default 3: requests safe to repeat are retried on connection
/// errors, timeouts, 5xx, 429 and 408, re-signed, never when a callback could run twice), `retry_base_ms`
/// (100), `retry_max_backoff_ms` (5000), `retry_timeout_ms` (60000), `max_response_bytes` (8388608: a 2xx XML
/// result or callback reply read into memory), `max_error_body_bytes` (65536), `max_object_bytes` (1073741824:
/// `oss_get_object`). An answer over its limit fails with `OSS_RESULT_INVALID_RESPONSE` without being read further.
///
/// Methods: `oss_config_builder_new`, `oss_config_builder_set`, `oss_config_builder_build`,
/// `oss_config_builder_build_shared`, `oss_config_builder_free`; `oss_client_build_shared` takes all the settings in
/// one call.
///
/// Ownership: caller owns, free with `oss_config_builder_free` (also after building). Not to be used from two
/// threads at once.
pub struct oss_config_builder {
    inner: Option<ConfigBuilder>,
}

/// A new, empty builder; NULL only if allocation is impossible.
/// Ownership: caller owns, free with `oss_config_builder_free`.
#[no_mangle]
pub extern "C" fn oss_config_builder_new() -> *mut oss_config_builder {
    guard(ptr::null_mut(), || Box::into_raw(Box::new(oss_config_builder { inner: Some(ConfigBuilder::new()) })))
}

/// Records `key = value` (a later value for the same key wins). Unknown keys and bad values are reported by
/// `oss_config_builder_build`. Values are wiped from memory when the builder is freed.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`, `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_ALREADY_USED` (after build).
/// Ownership: borrows `key` and `value` for the duration of the call and keeps no pointer.
///
/// # Safety
/// `builder` is NULL or live; `key`/`value` are NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_config_builder_set(
    builder: *mut oss_config_builder,
    key: *const c_char,
    value: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let b = handle_mut_arg(builder, "builder")?;
        let (key, value) = (str_arg(key, "key")?, str_arg(value, "value")?);
        let inner = b.inner.as_mut().ok_or_else(already_built)?;
        inner.set(key, value);
        Ok(())
    })
}

/// Checks every setting and creates a client. The builder's contents are consumed on every path (a second
/// build returns `OSS_RESULT_ALREADY_USED`); the builder itself must still be freed.
///
/// Errors: `OSS_RESULT_INVALID_CONFIG` (unknown key, bad value, missing key id/secret/endpoint, v4 without
/// region), `OSS_RESULT_INVALID_ENDPOINT`, `OSS_RESULT_FILE_NOT_FOUND` (ca_cert_file), `OSS_RESULT_ALREADY_USED`.
/// Ownership: `*client_out` — caller owns, free with `oss_client_free`; written only on success.
///
/// # Safety
/// `builder` is NULL or live; `client_out` is NULL or writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_config_builder_build(
    builder: *mut oss_config_builder,
    client_out: *mut *const oss_client,
    error_out: *mut *mut oss_error,
) -> oss_result {
    build_with(builder, client_out, error_out, |settings| Client::new(settings.build()?).map(Arc::new))
}

/// Like `oss_config_builder_build`, but the new handle shares the connection pool, TLS sessions and transport
/// thread of the process's client built from exactly the same settings (secrets included, same order) and the same
/// proxy environment, if one is cached; such a hit does not parse the settings again: for
/// owners that live shorter than the process, such as a PHP request that builds a new `OssClient` each time.
/// The process caches clients for the 8 most recently used settings; an evicted client lives until its last
/// handle is freed. Freeing a handle leaves the cached client for the next owner. After `fork()` the child
/// builds its own clients and never touches the parent's. `ca_cert_file` is read when a client is created,
/// not on a cache hit.
///
/// Errors and ownership: as `oss_config_builder_build`.
///
/// # Safety
/// `builder` is NULL or live; `client_out` is NULL or writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_config_builder_build_shared(
    builder: *mut oss_config_builder,
    client_out: *mut *const oss_client,
    error_out: *mut *mut oss_error,
) -> oss_result {
    build_with(builder, client_out, error_out, |settings| client_cache::shared_client(&settings))
}

/// `oss_config_builder_build_shared` in one call, for hosts where each foreign call is expensive (PHP FFI makes
/// this the only call a PHP-FPM request needs to get its client): `settings` holds `settings_len` bytes of keys
/// and values in order, each followed by one NUL byte: `"endpoint\0https://...\0access_key_id\0...\0"`. The
/// keys and values mean what they mean to `oss_config_builder_set`, and the cache is the same: a handle built
/// here and one built with the builder from the same pairs share a client.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (`settings` NULL with a length, `client_out` NULL),
/// `OSS_RESULT_INVALID_ARGUMENT` (not pairs of NUL-terminated fields, or a key that is not a configuration key),
/// `OSS_RESULT_INVALID_UTF8`, and those of `oss_config_builder_build`. Messages count pairs and name known keys,
/// never a value.
/// Ownership: borrows `settings` for the call; `*client_out` as for `oss_config_builder_build`.
///
/// # Safety
/// `settings` is NULL or points to `settings_len` readable bytes; `client_out` and `error_out` are NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn oss_client_build_shared(
    settings: *const c_char,
    settings_len: usize,
    client_out: *mut *const oss_client,
    error_out: *mut *mut oss_error,
) -> oss_result {
    if !client_out.is_null() {
        *client_out = ptr::null();
    }
    call(error_out, || {
        let builder = packed_settings(bytes_arg(settings.cast(), settings_len, "settings")?)?;
        if client_out.is_null() {
            return Err(Error::new(ErrorKind::NullParameter, "client_out is NULL"));
        }
        *client_out = register(client_cache::shared_client(&builder)?);
        Ok(())
    })
}

/// The builder for `key\0value\0` pairs (see `oss_client_build_shared`). A field out of place could be a
/// secret, so errors count pairs and name only known keys.
fn packed_settings(bytes: &[u8]) -> Result<ConfigBuilder> {
    let invalid = |message: String| Error::new(ErrorKind::InvalidArgument, message);
    let Some(fields) = bytes.strip_suffix(b"\0") else {
        return Err(invalid("settings must end with a NUL byte".into()));
    };
    let mut builder = ConfigBuilder::new();
    let mut fields = fields.split(|&b| b == 0);
    let mut pair = 0;
    while let Some(key) = fields.next() {
        pair += 1;
        let key = std::str::from_utf8(key)
            .ok()
            .filter(|key| ConfigKey::parse(key).is_some())
            .ok_or_else(|| invalid(format!("the key of setting {pair} is not a configuration key")))?;
        let value = fields.next().ok_or_else(|| invalid(format!("setting {pair} ({key}) has no value")))?;
        let value = std::str::from_utf8(value).map_err(|_| {
            Error::new(ErrorKind::InvalidUtf8, format!("the value of setting {pair} ({key}) is not valid UTF-8"))
        })?;
        builder.set(key, value);
    }
    Ok(builder)
}

/// Consumes the builder's settings, checks them and registers the client `make` returns.
unsafe fn build_with(
    builder: *mut oss_config_builder,
    client_out: *mut *const oss_client,
    error_out: *mut *mut oss_error,
    make: impl FnOnce(ConfigBuilder) -> Result<Arc<Client>>,
) -> oss_result {
    if !client_out.is_null() {
        *client_out = ptr::null();
    }
    call(error_out, || {
        let b = handle_mut_arg(builder, "builder")?;
        let inner = b.inner.take().ok_or_else(already_built)?;
        if client_out.is_null() {
            return Err(Error::new(ErrorKind::NullParameter, "client_out is NULL"));
        }
        *client_out = register(make(inner)?);
        Ok(())
    })
}

/// Frees a builder (built or not). NULL is a no-op.
///
/// # Safety
/// `builder` is NULL or a builder from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn oss_config_builder_free(builder: *mut oss_config_builder) {
    guard((), || free_box(builder));
}

fn already_built() -> Error {
    Error::new(ErrorKind::AlreadyUsed, "this builder was already built; create a new one")
}
