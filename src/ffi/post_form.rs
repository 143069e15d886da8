//! `oss_post_form`: a signed PostObject form for a browser upload (pure signing, no I/O).

use std::ffi::{c_char, CString};
use std::ptr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::cast::{clear_out, cstring, free_box, read, str_arg, write_out};
use super::client::{lookup, oss_client};
use super::error::oss_error;
use super::panic::{call, guard};
use super::result::oss_result;

/// A signed PostObject form: the URL to post to and the fields that go before the file.
///
/// Methods: `oss_post_form_new`, `oss_post_form_url`, `oss_post_form_json`, `oss_post_form_field_count`,
/// `oss_post_form_field_name`, `oss_post_form_field_value`, `oss_post_form_free`.
///
/// Ownership: caller owns, free with `oss_post_form_free`; the strings it returns are valid until then. Thread
/// safety: read-only, any thread.
pub struct oss_post_form {
    url: CString,
    json: CString,
    fields: Vec<(CString, CString)>,
}

/// Writes to `*form_out` the PostObject form that `spec` (a JSON object) describes for `bucket`, signed with
/// the client's credentials and signature version at `now` (Unix seconds; 0 for the current time):
/// `"key"` (the exact key) or `"key_prefix"` (the form's key is `prefix${filename}`), `"expires_in"` (seconds,
/// default 3600, at most 7 days), `"content_length_range": [min, max]`, `"content_type"`,
/// `"success_action_status"` (200, 201 or 204), `"success_action_redirect"`, `"callback"` (the callback JSON,
/// checked as for `oss_put_object_with_callback`), `"callback_var"` (`{"x:name": "value"}`, sent as form
/// fields), `"fields"` (more form fields, e.g. `x-oss-meta-*`), `"conditions"` (more policy conditions as OSS
/// writes them). Every field the form carries is pinned by a condition of the policy, so changing one makes OSS
/// refuse the upload. V1 forms carry `OSSAccessKeyId`, `policy`, `Signature`; V4 forms `policy`,
/// `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-signature`; with an STS token also
/// `x-oss-security-token`. The file must be the last field of the posted form. No I/O.
///
/// Errors: `OSS_RESULT_NULL_PARAMETER`, `OSS_RESULT_INVALID_UTF8`, `OSS_RESULT_INVALID_ARGUMENT` (a spec that is
/// not valid JSON or has unknown keys, no key or both, a lifetime outside 1 s..7 days, a bad status or
/// condition, a reserved or malformed field), `OSS_RESULT_INVALID_BUCKET_NAME`, `OSS_RESULT_INVALID_OBJECT_NAME`,
/// `OSS_RESULT_INVALID_CALLBACK`, `OSS_RESULT_INVALID_HEADER`. Ownership: borrows inputs for the duration of the
/// call; `*form_out` — caller owns, free with `oss_post_form_free`. Thread safety: any thread.
///
/// # Safety
/// Pointers are NULL or valid as documented.
#[no_mangle]
pub unsafe extern "C" fn oss_post_form_new(
    client: *const oss_client,
    bucket: *const c_char,
    spec: *const c_char,
    now: u64,
    form_out: *mut *mut oss_post_form,
    error_out: *mut *mut oss_error,
) -> oss_result {
    clear_out(form_out);
    call(error_out, || {
        let client = lookup(client)?;
        let (bucket, spec) = (str_arg(bucket, "bucket")?, str_arg(spec, "spec")?);
        let now = if now == 0 { SystemTime::now() } else { UNIX_EPOCH + Duration::from_secs(now) };
        let form = client.core().post_form(bucket, spec, now)?;
        let fields = form.fields.iter().map(|(n, v)| (cstring(n), cstring(v))).collect();
        let made = oss_post_form { url: cstring(&form.url), json: cstring(&form.to_json().to_string()), fields };
        write_out(form_out, made);
        Ok(())
    })
}

/// The URL the form is posted to (the bucket's). Ownership: valid until `oss_post_form_free(form)`; NULL for NULL.
#[no_mangle]
pub extern "C" fn oss_post_form_url(form: *const oss_post_form) -> *const c_char {
    read(form, ptr::null(), |f| f.url.as_ptr())
}

/// The whole form as JSON: `{"url", "fields": {name: value}, "field_order": [names], "policy": {the signed
/// policy}, "expiration": unix seconds}`. Ownership: valid until `oss_post_form_free(form)`; NULL for NULL.
#[no_mangle]
pub extern "C" fn oss_post_form_json(form: *const oss_post_form) -> *const c_char {
    read(form, ptr::null(), |f| f.json.as_ptr())
}

/// Number of form fields (the file not included). Ownership: borrows for the duration of the call.
#[no_mangle]
pub extern "C" fn oss_post_form_field_count(form: *const oss_post_form) -> usize {
    read(form, 0, |f| f.fields.len())
}

/// Name of field `index` (in the order the form must send them), or NULL past the end.
/// Ownership: valid until `oss_post_form_free(form)`.
#[no_mangle]
pub extern "C" fn oss_post_form_field_name(form: *const oss_post_form, index: usize) -> *const c_char {
    read(form, ptr::null(), |f| f.fields.get(index).map_or(ptr::null(), |(n, _)| n.as_ptr()))
}

/// Value of field `index`, or NULL past the end. Ownership: valid until `oss_post_form_free(form)`.
#[no_mangle]
pub extern "C" fn oss_post_form_field_value(form: *const oss_post_form, index: usize) -> *const c_char {
    read(form, ptr::null(), |f| f.fields.get(index).map_or(ptr::null(), |(_, v)| v.as_ptr()))
}

/// Frees a form. NULL is a no-op.
///
/// # Safety
/// `form` is NULL or a form from `oss_post_form_new` not freed yet.
#[no_mangle]
pub unsafe extern "C" fn oss_post_form_free(form: *mut oss_post_form) {
    guard((), || free_box(form));
}
