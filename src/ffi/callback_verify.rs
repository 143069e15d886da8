//! `oss_callback_verifier`: checks the signature of the upload callbacks OSS sends to an application.

use std::ffi::{c_char, c_void};

use super::cast::{bytes_arg, clear_out, free_box, handle_mut_arg, opt_str_arg, str_arg, write_out};
use super::error::oss_error;
use super::panic::{call, guard};
use super::result::oss_result;
use crate::core::callback_verify::{CallbackRequest, CallbackVerifier};
use crate::core::{Error, ErrorKind};

/// Verifies incoming OSS upload callbacks: the `authorization` header is an RSA/MD5 signature over the
/// URL-decoded path, the query and the body, made with the key whose URL the `x-oss-pub-key-url` header names.
/// The URL must start with an allowed prefix (default `http://gosspublic.alicdn.com/` and
/// `https://gosspublic.alicdn.com/`) before anything is fetched; fetched keys are cached per URL for the whole
/// process (16 keys, one hour each), directly (no proxy, no redirects). A pinned key
/// (`oss_callback_verifier_set_public_key_pem`) replaces the fetch altogether, e.g. on servers without direct
/// access to the key host.
///
/// Methods: `oss_callback_verifier_new`, `oss_callback_verifier_set_public_key_pem`,
/// `oss_callback_verifier_verify`, `oss_callback_verifier_free`.
///
/// Ownership: caller owns, free with `oss_callback_verifier_free`. Thread safety: `oss_callback_verifier_verify`
/// may be called from many threads at once; `oss_callback_verifier_set_public_key_pem` and `_free` must not
/// run concurrently with any other call on the same verifier.
pub struct oss_callback_verifier {
    inner: CallbackVerifier,
}

/// Creates a verifier that accepts public keys whose URL starts with one of the `count` prefixes in
/// `allowed_prefixes` (NULL or 0: the defaults, `http://gosspublic.alicdn.com/` and
/// `https://gosspublic.alicdn.com/`). A prefix is `http://` or `https://` followed by a whole host, with or
/// without port and path (`http://127.0.0.1:` admits any port of 127.0.0.1; `https://keys.example.com` does not
/// admit `https://keys.example.com.evil.net/`).
///
/// Errors: `OSS_RESULT_NULL_PARAMETER` (`verifier_out`, or `allowed_prefixes` with `count` > 0, or one of its
/// elements), `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INVALID_ARGUMENT` (a prefix that is not of that form).
/// Ownership: borrows `allowed_prefixes` for the duration of the call and keeps no pointer; `*verifier_out` —
/// caller owns, free with `oss_callback_verifier_free`; written only on success. Thread safety: any thread.
///
/// # Safety
/// `allowed_prefixes` is NULL or points to `count` pointers, each NULL or NUL-terminated; `verifier_out` and
/// `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_callback_verifier_new(
    allowed_prefixes: *const *const c_char,
    count: usize,
    verifier_out: *mut *mut oss_callback_verifier,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(verifier_out);
    call(error_out, || {
        if verifier_out.is_null() {
            return Err(Error::new(ErrorKind::NullParameter, "verifier_out is NULL"));
        }
        let mut prefixes = Vec::with_capacity(count);
        if count > 0 {
            if allowed_prefixes.is_null() {
                return Err(Error::new(
                    ErrorKind::NullParameter,
                    format!("allowed_prefixes is NULL but count is {count}"),
                ));
            }
            for i in 0..count {
                prefixes.push(str_arg(*allowed_prefixes.add(i), &format!("allowed_prefixes[{i}]"))?);
            }
        }
        let inner = CallbackVerifier::with_allowed_prefixes(prefixes)?;
        write_out(verifier_out, oss_callback_verifier { inner });
        Ok(())
    })
}

/// Pins the public key: from then on signatures are checked with `pem` alone (`BEGIN PUBLIC KEY`, as OSS serves
/// it, or `BEGIN RSA PUBLIC KEY`), the `pub_key_url` of `oss_callback_verifier_verify` is ignored and nothing is
/// fetched. A later call replaces the key.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`, `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INVALID_ARGUMENT` (not an RSA
/// public key in PEM). Ownership: borrows `pem` for the duration of the call and keeps no pointer. Thread
/// safety: not concurrently with any other call on `verifier`.
///
/// # Safety
/// `verifier` is NULL or live and not used by another thread during the call; `pem` is NULL or NUL-terminated;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_callback_verifier_set_public_key_pem(
    verifier: *mut oss_callback_verifier,
    pem: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let v = handle_mut_arg(verifier, "verifier")?;
        v.inner.set_public_key_pem(str_arg(pem, "pem")?)
    })
}

/// Checks one callback request as the application received it: `path` is the request path still
/// percent-encoded and without the query (e.g. `/cb%20x.php`), `query` the raw query without `?` (NULL or `""`
/// when there is none), `body`/`body_len` the body exactly as received, `authorization` the `authorization`
/// header and `pub_key_url` the `x-oss-pub-key-url` header as received (base64; NULL when absent, which is only
/// fine with a pinned key). The key URL is checked against the allowed prefixes before anything is fetched.
///
/// Errors: `OSS_RESULT_CALLBACK_SIGNATURE_INVALID` (forged, or the path, query or body changed),
/// `OSS_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED`, `OSS_RESULT_CALLBACK_KEY_FETCH_FAILED`,
/// `OSS_RESULT_CALLBACK_MALFORMED` (authorization or pub_key_url empty, missing or not base64),
/// `OSS_RESULT_NULL_PARAMETER` (`verifier`, `path`, `authorization`, or `body` with `body_len` > 0),
/// `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INVALID_ARGUMENT` (`path` contains `?`).
/// Ownership: borrows everything for the duration of the call and keeps no pointer. Thread safety: any number of
/// threads may verify with the same verifier at once. Blocking: a key fetch takes at most 4 seconds.
///
/// # Safety
/// `verifier` is NULL or live; the strings are NULL or NUL-terminated; `body` is NULL or points to `body_len`
/// readable bytes; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn oss_callback_verifier_verify(
    verifier: *const oss_callback_verifier,
    path: *const c_char,
    query: *const c_char,
    body: *const c_void,
    body_len: usize,
    authorization: *const c_char,
    pub_key_url: *const c_char,
    error_out: *mut *mut oss_error,
) -> oss_result {
    call(error_out, || {
        let v = verifier.as_ref().ok_or_else(|| Error::new(ErrorKind::NullParameter, "verifier is NULL"))?;
        let body = bytes_arg(body, body_len, "body")?;
        v.inner.verify(&CallbackRequest {
            path: str_arg(path, "path")?,
            query: opt_str_arg(query, "query")?,
            body,
            authorization: str_arg(authorization, "authorization")?,
            pub_key_url: opt_str_arg(pub_key_url, "pub_key_url")?,
        })
    })
}

/// Frees a verifier. NULL is a no-op.
///
/// # Safety
/// `verifier` is NULL or a verifier from this library not yet freed, not in use by another thread.
#[no_mangle]
pub unsafe extern "C" fn oss_callback_verifier_free(verifier: *mut oss_callback_verifier) {
    guard((), || free_box(verifier));
}
