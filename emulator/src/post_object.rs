//! PostObject: a browser's `multipart/form-data` POST to the bucket. The form carries the key, a base64 policy
//! (expiration and conditions on the fields) and its signature: V1 `OSSAccessKeyId` + `Signature` (base64
//! HMAC-SHA1 of the policy), or V4 `x-oss-signature-version`, `x-oss-credential`, `x-oss-date` and
//! `x-oss-signature` (hex HMAC-SHA256 with the V4 signing key; the three are conditions of the policy too). As
//! OSS: headers and URL are not signed; a public-read-write bucket takes unsigned forms; `${filename}` in the key
//! is the file's name; the `callback` field (base64) with the `x:` fields runs the upload callback;
//! `success_action_redirect` answers 303, `success_action_status` 200, 201 (a `PostResponse` document) or 204
//! (the default). Policy failures are `403 AccessDenied` "Invalid according to Policy: …", a bad policy
//! `400 InvalidPolicyDocument`, a file outside `content-length-range` `400 EntityTooLarge` / `EntityTooSmall`.

use std::fs::{self, File};
use std::io::{BufWriter, Write};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};
use serde_json::Value;

use crate::auth::{self, lookup, mismatch};
use crate::callback;
use crate::error::OssError;
use crate::form::{self, Form, FormError};
use crate::http::Response;
use crate::object::{finish_upload, upload_headers};
use crate::server::Request;
use crate::service::{Ctx, Operation, Oss};
use crate::store::{Digests, ObjectMeta};
use crate::time;
use crate::xml::{document, leaf};

/// Largest file a form may carry (OSS: 5 GB).
const MAX_FILE: u64 = 5 * 1024 * 1024 * 1024;
/// How far a V4 form's `x-oss-date` may lie ahead of the server's clock, and how long it lives at most.
const V4_SKEW_SECS: i64 = 15 * 60;
const V4_MAX_AGE_SECS: i64 = 7 * 24 * 3600;

fn denied(why: impl std::fmt::Display) -> OssError {
    OssError::new(403, "AccessDenied", format!("Invalid according to Policy: {why}"))
}

fn bad_policy(why: &str) -> OssError {
    OssError::new(400, "InvalidPolicyDocument", format!("Invalid Policy: {why}"))
}

/// POST /bucket with a multipart/form-data body.
pub fn post_object(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let content_type = req.head.header("content-type").unwrap_or("");
    let boundary = form::boundary(content_type)
        .ok_or_else(|| OssError::invalid_argument("PostObject needs a multipart/form-data body with a boundary."))?;
    let temp = oss.store.temp_path();
    let received = receive(req, &boundary, &temp, &mut |form| authorize(oss, ctx, form, None));
    let outcome = received.and_then(|(form, md5, crc64)| {
        authorize(oss, ctx, &form, Some(form.file_size))?;
        store(oss, ctx, &temp, form, md5, crc64)
    });
    if outcome.is_err() {
        let _ = fs::remove_file(&temp);
    }
    outcome
}

/// Reads the form, the file going to `temp` with its MD5 and CRC-64.
fn receive(
    req: &mut Request<'_>,
    boundary: &str,
    temp: &std::path::Path,
    check: &mut dyn FnMut(&Form) -> Result<(), OssError>,
) -> Result<(Form, [u8; 16], u64), OssError> {
    let failed = |e: std::io::Error| OssError::internal(format!("cannot store the upload: {e}"));
    let mut out = BufWriter::new(File::create(temp).map_err(failed)?);
    let (mut md5, mut crc, mut size) = (Md5::new(), crc64fast::Digest::new(), 0u64);
    let form = form::read(&mut req.body, boundary, check, &mut |chunk| {
        size += chunk.len() as u64;
        if size > MAX_FILE {
            return Err(std::io::Error::other("the file is over 5 GB"));
        }
        md5.update(chunk);
        crc.write(chunk);
        out.write_all(chunk)
    })
    .map_err(|e| match e {
        FormError::Malformed(why) => OssError::new(
            400,
            "MalformedPOSTRequest",
            format!("The body of your POST request is not well-formed multipart/form-data: {why}."),
        ),
        FormError::Read(e) => OssError::new(400, "IncompleteBody", format!("The request body could not be read: {e}.")),
        FormError::Write(e) if size > MAX_FILE => {
            OssError::new(400, "EntityTooLarge", format!("Your proposed upload exceeds the maximum allowed size: {e}."))
        }
        FormError::Write(e) => failed(e),
        FormError::Refused(e) => e,
    })?;
    out.flush().map_err(failed)?;
    if !form.has_file {
        return Err(OssError::invalid_argument("The form has no file field."));
    }
    Ok((form, md5.finalize().into(), crc.sum64()))
}

/// Checks the form against the bucket's access, the signature and the policy; the file's size (and so
/// `content-length-range`) only once it is known.
fn authorize(oss: &Oss, ctx: &Ctx, form: &Form, file_size: Option<u64>) -> Result<(), OssError> {
    form.get("key")
        .filter(|k| !k.is_empty())
        .ok_or_else(|| OssError::invalid_argument("The form has no key field.").with_extra("ArgumentName", "key"))?;
    let public = crate::bucket::acl_of(oss, &ctx.bucket) == "public-read-write";
    match form.get("policy") {
        Some(policy) => {
            verify_signature(oss, form, policy)?;
            check_policy(form, policy, &ctx.bucket, file_size)
        }
        None if public => Ok(()),
        None => Err(OssError::access_denied("The bucket POST must contain the field policy and a signature.")),
    }
}

/// Stores the object of an authorized form and answers it.
fn store(
    oss: &Oss,
    ctx: &Ctx,
    temp: &std::path::Path,
    form: Form,
    md5: [u8; 16],
    crc64: u64,
) -> Result<Response, OssError> {
    let key = form.get("key").unwrap_or_default().replace("${filename}", form.filename.as_deref().unwrap_or(""));
    if key.is_empty() || key.len() > 1023 || key.starts_with('/') || key.starts_with('\\') {
        return Err(OssError::new(400, "InvalidObjectName", "The specified object is not valid."));
    }
    let callback = callback_config(&form)?;
    let content_type = form
        .get("Content-Type")
        .or(form.file_type.as_deref())
        .filter(|t| !t.is_empty())
        .unwrap_or(crate::object::DEFAULT_CONTENT_TYPE)
        .to_string();
    let digests = Digests { size: form.file_size, md5, crc64 };
    let meta = ObjectMeta {
        user_meta: form
            .fields
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .filter(|(n, _)| n.starts_with("x-oss-meta-"))
            .collect(),
        acl: form.get("x-oss-object-acl").unwrap_or("default").to_string(),
        ..ObjectMeta::new(key.clone(), content_type, "Normal", &digests)
    };
    let meta = oss
        .store
        .commit(&ctx.bucket, temp, meta)
        .map_err(|e| OssError::internal(format!("cannot store the object: {e}")))?;
    let ctx = Ctx { key, ..ctx.clone() };
    let plain = plain_answer(&form, &ctx, &meta);
    let headers = upload_headers(oss, &ctx.bucket, &meta);
    Ok(finish_upload(oss, &ctx, &meta, headers, callback, Operation::PostObject, plain))
}

/// The answer of a form without a callback: a redirect, or `success_action_status`.
fn plain_answer(form: &Form, ctx: &Ctx, meta: &ObjectMeta) -> Response {
    if let Some(url) = form.get("success_action_redirect").filter(|u| !u.is_empty()) {
        let sep = if url.contains('?') { '&' } else { '?' };
        let target = format!(
            "{url}{sep}bucket={}&key={}&etag=%22{}%22",
            crate::encoding::rawurlencode(ctx.bucket.as_bytes()),
            crate::encoding::rawurlencode(ctx.key.as_bytes()),
            meta.etag
        );
        return Response::empty(303).header("Location", target);
    }
    match form.get("success_action_status") {
        Some("200") => Response::empty(200),
        Some("201") => {
            let location = format!("http://{}/{}", ctx.host_id, ctx.key);
            let xml = document(
                "PostResponse",
                &[
                    leaf("Bucket", &ctx.bucket),
                    leaf("Location", location),
                    leaf("Key", &ctx.key),
                    leaf("ETag", format!("\"{}\"", meta.etag)),
                ],
            );
            Response::bytes(201, "application/xml", xml)
        }
        _ => Response::empty(204),
    }
}

/// The callback of the `callback` field, with the form's `x:` fields as its variables.
fn callback_config(form: &Form) -> Result<Option<callback::CallbackConfig>, OssError> {
    let Some(mut cfg) = callback::parse(form.get("callback"), None)? else { return Ok(None) };
    cfg.vars = form.fields.iter().filter(|(n, _)| n.starts_with("x:")).cloned().collect();
    Ok(Some(cfg))
}

/// The V1 or V4 signature of the policy, with the key's STS token when it has one.
fn verify_signature(oss: &Oss, form: &Form, policy: &str) -> Result<(), OssError> {
    let keys = &oss.settings.keys;
    let (cred, provided, expected) = match form.get("x-oss-signature-version") {
        None => {
            let id = form
                .get("OSSAccessKeyId")
                .ok_or_else(|| OssError::invalid_argument("The form has a policy but no OSSAccessKeyId."))?;
            let cred = lookup(keys, id)?;
            let provided = form.get("Signature").unwrap_or("");
            (cred, provided, auth::v1_signature(&cred.secret, policy))
        }
        Some("OSS4-HMAC-SHA256") => {
            let credential = form.get("x-oss-credential").unwrap_or("");
            let parts: Vec<&str> = credential.split('/').collect();
            let [id, date, region, "oss", "aliyun_v4_request"] = parts.as_slice() else {
                return Err(OssError::invalid_argument(format!("The x-oss-credential {credential} is not valid.")));
            };
            let cred = lookup(keys, id)?;
            if *region != oss.settings.region {
                return Err(OssError::invalid_argument(format!("The region {region} is not this bucket's.")));
            }
            let datetime = form.get("x-oss-date").unwrap_or("");
            let signed_at =
                time::parse_v4_datetime(datetime).filter(|_| datetime.starts_with(date)).ok_or_else(|| {
                    OssError::invalid_argument("The x-oss-date is not valid or not the credential's day.")
                })?;
            let now = time::now_unix();
            if signed_at > now + V4_SKEW_SECS {
                return Err(OssError::access_denied("The x-oss-date lies in the future."));
            }
            if now - signed_at > V4_MAX_AGE_SECS {
                return Err(OssError::access_denied("The x-oss-date is more than 7 days ago."));
            }
            let provided = form.get("x-oss-signature").unwrap_or("");
            (cred, provided, auth::v4_signature(&cred.secret, date, region, policy))
        }
        Some(other) => {
            return Err(OssError::invalid_argument(format!("The signature version {other} is not supported.")))
        }
    };
    if provided != expected {
        return Err(mismatch(&cred.id, provided));
    }
    if form.get("x-oss-security-token") != cred.sts_token.as_deref() {
        return Err(OssError::new(403, "InvalidSecurityToken", "The security token you provided is invalid."));
    }
    Ok(())
}

/// The policy's expiration and every condition, against the form.
fn check_policy(form: &Form, policy: &str, bucket: &str, file_size: Option<u64>) -> Result<(), OssError> {
    let raw = B64.decode(policy.trim()).map_err(|_| bad_policy("the policy is not base64"))?;
    let doc: Value = serde_json::from_slice(&raw).map_err(|_| bad_policy("the policy is not JSON"))?;
    let expiration = doc["expiration"].as_str().ok_or_else(|| bad_policy("the policy has no expiration"))?;
    let expires = parse_iso8601(expiration).ok_or_else(|| bad_policy("the expiration is not an ISO 8601 time"))?;
    if expires <= time::now_unix() {
        return Err(denied("Policy expired."));
    }
    let conditions = doc["conditions"].as_array().ok_or_else(|| bad_policy("the policy has no conditions"))?;
    if form.get("x-oss-signature-version").is_some() {
        for name in ["x-oss-signature-version", "x-oss-credential", "x-oss-date"] {
            let pinned = conditions.iter().any(|c| c.get(name).and_then(Value::as_str) == form.get(name));
            if !pinned {
                return Err(denied(format!("the policy lacks the condition {name}.")));
            }
        }
    }
    for c in conditions {
        check_condition(c, form, bucket, file_size)?;
    }
    Ok(())
}

fn check_condition(c: &Value, form: &Form, bucket: &str, file_size: Option<u64>) -> Result<(), OssError> {
    let field = |name: &str| if name.eq_ignore_ascii_case("bucket") { Some(bucket) } else { form.get(name) };
    let failed = || denied(format!("Policy Condition failed: {c}"));
    match c {
        Value::Object(m) if m.len() == 1 => {
            let (name, value) = m.iter().next().expect("one entry");
            let value = value.as_str().ok_or_else(|| bad_policy("a condition value is not a string"))?;
            if field(name) != Some(value) {
                return Err(failed());
            }
        }
        Value::Array(a) => match a.as_slice() {
            [Value::String(op), min, max] if op.eq_ignore_ascii_case("content-length-range") => {
                let (min, max) =
                    min.as_u64().zip(max.as_u64()).ok_or_else(|| bad_policy("a length range is not numeric"))?;
                let Some(file_size) = file_size else { return Ok(()) };
                if file_size > max {
                    return Err(OssError::new(
                        400,
                        "EntityTooLarge",
                        "Your proposed upload exceeds the maximum allowed size.",
                    )
                    .with_extra("MaxSizeAllowed", max.to_string())
                    .with_extra("ProposedSize", file_size.to_string()));
                }
                if file_size < min {
                    return Err(OssError::new(
                        400,
                        "EntityTooSmall",
                        "Your proposed upload is smaller than the minimum allowed size.",
                    )
                    .with_extra("MinSizeAllowed", min.to_string())
                    .with_extra("ProposedSize", file_size.to_string()));
                }
            }
            [Value::String(op), Value::String(name), arg] => {
                let name =
                    name.strip_prefix('$').ok_or_else(|| bad_policy("a condition's field does not start with $"))?;
                let value = field(name);
                let ok = match (op.to_ascii_lowercase().as_str(), arg) {
                    ("eq", Value::String(want)) => value == Some(want.as_str()),
                    ("starts-with", Value::String(prefix)) => value.unwrap_or("").starts_with(prefix.as_str()),
                    ("in", Value::Array(set)) => value.is_some_and(|v| set.iter().any(|s| s.as_str() == Some(v))),
                    ("not-in", Value::Array(set)) => !value.is_some_and(|v| set.iter().any(|s| s.as_str() == Some(v))),
                    _ => return Err(bad_policy(&format!("the condition {c} is not understood"))),
                };
                if !ok {
                    return Err(failed());
                }
            }
            _ => return Err(bad_policy(&format!("the condition {c} is not understood"))),
        },
        _ => return Err(bad_policy(&format!("the condition {c} is not understood"))),
    }
    Ok(())
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` as Unix seconds.
fn parse_iso8601(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (date, clock) = s.split_once('T')?;
    let clock = clock.split('.').next()?;
    let compact = format!("{}T{}Z", date.replace('-', ""), clock.replace(':', ""));
    time::parse_v4_datetime(&compact)
}

#[cfg(test)]
mod tests {
    use super::parse_iso8601;

    #[test]
    fn expirations() {
        assert_eq!(parse_iso8601("2025-12-01T12:00:00.000Z"), Some(1_764_590_400));
        assert_eq!(parse_iso8601("2025-12-01T12:00:00Z"), Some(1_764_590_400));
        assert_eq!(parse_iso8601("2025-12-01 12:00:00"), None);
    }
}
