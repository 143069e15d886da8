//! Object operations: PutObject (with upload callbacks), GetObject/HeadObject (with simple
//! ranges) and DeleteObject, plus the upload helpers multipart shares.

use crate::callback::{self, CallbackConfig, UploadFacts};
use crate::error::OssError;
use crate::http::{Body, RequestHead, Response, ResponseBody};
use crate::image;
use crate::server::Request;
use crate::service::{Ctx, Operation, Oss};
use crate::store::{write_hashed, CopyError, Digests, ObjectMeta};
use crate::time;
use crate::versioning;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Largest object (and part) a single request may upload: 5 GiB.
pub const MAX_UPLOAD_BYTES: u64 = 5 * 1024 * 1024 * 1024;
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// `(response-* query parameter, header it overrides)` on GetObject.
const RESPONSE_OVERRIDES: &[(&str, &str)] = &[
    ("response-content-type", "Content-Type"),
    ("response-content-language", "Content-Language"),
    ("response-expires", "Expires"),
    ("response-cache-control", "Cache-Control"),
    ("response-content-disposition", "Content-Disposition"),
    ("response-content-encoding", "Content-Encoding"),
];

/// Reads and validates the callback parameters (headers or query, not both).
pub fn callback_params(head: &RequestHead, ctx: &Ctx) -> Result<Option<CallbackConfig>, OssError> {
    let (h_cb, h_var) = (head.header("x-oss-callback"), head.header("x-oss-callback-var"));
    let (q_cb, q_var) = (ctx.param("callback"), ctx.param("callback-var"));
    if (h_cb.is_some() || h_var.is_some()) && (q_cb.is_some() || q_var.is_some()) {
        return Err(OssError::invalid_argument(
            "The callback parameters must be carried either in headers or in the query string, not both.",
        ));
    }
    if h_cb.is_some() || h_var.is_some() {
        callback::parse(h_cb, h_var)
    } else {
        callback::parse(q_cb, q_var)
    }
}

/// The raw MD5 from a `Content-MD5` header, if any.
pub fn content_md5(head: &RequestHead) -> Result<Option<[u8; 16]>, OssError> {
    match head.header("content-md5") {
        None => Ok(None),
        Some(v) => {
            B64.decode(v).ok().and_then(|d| <[u8; 16]>::try_from(d).ok()).map(Some).ok_or_else(OssError::invalid_digest)
        }
    }
}

/// An upload needs a declared length (or chunked framing) within the size limit.
pub fn require_length(head: &RequestHead) -> Result<(), OssError> {
    if head.header("transfer-encoding").is_some() {
        return Ok(());
    }
    match head.header("content-length").and_then(|v| v.parse::<u64>().ok()) {
        None => Err(OssError::new(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")),
        Some(n) if n > MAX_UPLOAD_BYTES => {
            Err(OssError::new(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size."))
        }
        Some(_) => Ok(()),
    }
}

/// Maps a failed body read to the OSS error a client sees.
pub fn body_error(e: &io::Error) -> OssError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => OssError::new(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header.",
        ),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => OssError::new(
            400,
            "RequestTimeout",
            "Your socket connection to the server was not read from or written to within the timeout period.",
        ),
        io::ErrorKind::FileTooLarge => OssError::new(400, "InvalidArgument", "The request body is too large."),
        _ => OssError::new(400, "InvalidArgument", format!("The request body is malformed: {e}.")),
    }
}

/// Streams the request body to `dest`, checking it against `expected_md5`. Nothing is left
/// behind on failure.
pub fn receive(body: &mut Body<'_>, dest: &Path, expected_md5: Option<[u8; 16]>) -> Result<Digests, OssError> {
    let result = write_hashed(body, dest);
    let outcome = match result {
        Ok(d) if expected_md5.is_some_and(|m| m != d.md5) => Err(OssError::invalid_digest()),
        Ok(d) => Ok(d),
        Err(CopyError::Read(e)) => Err(body_error(&e)),
        Err(CopyError::Write(e)) => Err(OssError::internal(format!("cannot store the upload: {e}"))),
    };
    if outcome.is_err() {
        let _ = fs::remove_file(dest);
    }
    outcome
}

/// Reads a small request body (such as an XML document) into memory, checking Content-MD5.
pub fn small_body(req: &mut Request<'_>, limit: u64) -> Result<Vec<u8>, OssError> {
    let expected = content_md5(&req.head)?;
    let body = req.body.read_limited(limit).map_err(|e| body_error(&e))?;
    if let Some(md5) = expected {
        if Md5::digest(&body).as_slice() != md5 {
            return Err(OssError::invalid_digest());
        }
    }
    Ok(body)
}

/// The `x-oss-meta-*` headers with lower-cased names, in order.
pub fn user_meta(head: &RequestHead) -> Vec<(String, String)> {
    head.headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .filter(|(n, _)| n.starts_with("x-oss-meta-"))
        .collect()
}

/// The storage classes an upload may ask for with `x-oss-storage-class`.
const STORAGE_CLASSES: &[&str] = &["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"];

/// The `x-oss-storage-class` of an upload, checked (`Standard` when absent).
pub fn storage_class(head: &RequestHead) -> Result<String, OssError> {
    match head.header("x-oss-storage-class") {
        None => Ok("Standard".into()),
        Some(c) if STORAGE_CLASSES.contains(&c) => Ok(c.to_string()),
        Some(c) => Err(OssError::invalid_argument(format!("The storage class {c} is not valid."))
            .with_extra("ArgumentName", "x-oss-storage-class")),
    }
}

/// The stored Content-Type of a new object.
pub fn content_type(head: &RequestHead) -> String {
    head.header("content-type").filter(|v| !v.is_empty()).unwrap_or(DEFAULT_CONTENT_TYPE).to_string()
}

/// PUT /bucket/key.
pub fn put(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let callback = callback_params(&req.head, ctx)?;
    if req.head.header("x-oss-forbid-overwrite").is_some_and(|v| v.eq_ignore_ascii_case("true"))
        && oss.store.meta(&ctx.bucket, &ctx.key).is_some()
    {
        return Err(OssError::new(
            409,
            "FileAlreadyExists",
            "The object you specified already exists and can not be overwritten.",
        ));
    }
    let expected = content_md5(&req.head)?;
    require_length(&req.head)?;
    let temp = oss.store.temp_path();
    let digests = receive(&mut req.body, &temp, expected)?;
    let meta = ObjectMeta {
        user_meta: user_meta(&req.head),
        acl: crate::acl::requested(&req.head)?.unwrap_or("default").to_string(),
        storage_class: storage_class(&req.head)?,
        ..ObjectMeta::new(ctx.key.clone(), content_type(&req.head), "Normal", &digests)
    };
    let meta = oss.store.commit(&ctx.bucket, &temp, meta).map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot store the object: {e}"))
    })?;
    let headers = upload_headers(oss, &ctx.bucket, &meta);
    Ok(finish_upload(oss, ctx, &meta, headers, callback, Operation::PutObject, Response::empty(200)))
}

/// ETag, CRC-64, version id (in a bucket with versioning) and (for PutObject) Content-MD5 of a stored upload.
pub fn upload_headers(oss: &Oss, bucket: &str, meta: &ObjectMeta) -> Vec<(String, String)> {
    let mut headers = vec![
        ("ETag".to_string(), format!("\"{}\"", meta.etag)),
        ("x-oss-hash-crc64ecma".to_string(), meta.crc64.to_string()),
    ];
    headers.extend(versioning::header(oss, bucket, &meta.version_id));
    if let Some(md5) = &meta.content_md5 {
        headers.push(("Content-MD5".to_string(), md5.clone()));
    }
    headers
}

/// Answers a finished upload: `plain` plus `headers` without a callback; otherwise runs the
/// callback and answers 200 with its JSON reply, or 203 CallbackFailed.
pub fn finish_upload(
    oss: &Oss,
    ctx: &Ctx,
    meta: &ObjectMeta,
    headers: Vec<(String, String)>,
    callback: Option<CallbackConfig>,
    operation: Operation,
    plain: Response,
) -> Response {
    let Some(cfg) = callback else {
        let mut resp = plain;
        resp.headers.extend(headers);
        return resp;
    };
    let facts = UploadFacts {
        bucket: ctx.bucket.clone(),
        object: ctx.key.clone(),
        etag: meta.etag.clone(),
        size: meta.size,
        mime_type: meta.content_type.clone(),
        image: sniff_image(oss, ctx),
        crc64: meta.crc64,
        content_md5: meta.content_md5.clone().unwrap_or_default(),
        client_ip: ctx.client_ip.clone(),
        request_id: ctx.request_id.clone(),
        operation: operation.name(),
    };
    let body = callback::render(&cfg.body, cfg.body_type, &facts, &cfg.vars);
    let outcome = callback::deliver(&cfg, &body, &oss.signer, &oss.pub_key_url(), oss.settings.callback_timeout);
    oss.callback_posts.add(&ctx.bucket, &ctx.key, ctx.param("uploadId"), operation, outcome.posts);
    let mut resp = match &outcome.result {
        Ok(reply) => Response::bytes(200, "application/json", reply.clone()),
        Err(message) => {
            ctx.error_response(OssError::new(203, "CallbackFailed", message.clone()).with_extra("EC", "0007-00000203"))
        }
    };
    resp.headers.extend(headers);
    resp.callback = Some(outcome.to_log());
    resp
}

fn sniff_image(oss: &Oss, ctx: &Ctx) -> Option<image::ImageInfo> {
    let (file, _) = oss.store.open_object(&ctx.bucket, &ctx.key)?;
    let mut head = Vec::new();
    file.take(64 * 1024).read_to_end(&mut head).ok()?;
    image::sniff(&head)
}

/// Resolves a `Range` header against `size`: None = whole object (absent, multi-range or
/// unparsable, as OSS ignores those), Some((first, last)) inclusive, or 416.
fn parse_range(header: Option<&str>, size: u64) -> Result<Option<(u64, u64)>, OssError> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let unsatisfiable = || {
        OssError::new(416, "InvalidRange", "The requested range cannot be satisfied")
            .with_header("Content-Range", format!("bytes */{size}"))
    };
    let (a, b) = (a.trim(), b.trim());
    let (first, last) = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(first), Ok(last)) if first <= last => (first, last.min(size.saturating_sub(1))),
        (Ok(first), Err(_)) if b.is_empty() => (first, size.saturating_sub(1)),
        (Err(_), Ok(n)) if a.is_empty() && n > 0 => {
            if size == 0 {
                return Err(unsatisfiable());
            }
            (size.saturating_sub(n), size - 1)
        }
        _ => return Ok(None),
    };
    if first >= size {
        return Err(unsatisfiable());
    }
    Ok(Some((first, last)))
}

/// GET or HEAD /bucket/key (`versionId` reads that version; a symlink reads its target's current version; a GET
/// with `x-oss-process` answers the processed image, see `process`).
pub fn get(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    if let (Some(spec), "GET") = (ctx.param("x-oss-process"), req.head.method.as_str()) {
        return crate::process::get(oss, ctx, spec);
    }
    let requested = oss.store.meta_version(&ctx.bucket, &ctx.key, versioning::requested(ctx)?)?;
    let (mut file, meta) = match crate::symlink::resolve(oss, &ctx.bucket, &requested)? {
        Some(target) => oss.store.open_object(&ctx.bucket, &target).ok_or_else(OssError::no_such_key)?,
        None => oss.store.open_version(&ctx.bucket, &ctx.key, Some(&requested.version_id))?,
    };
    let object_type = if requested.symlink_target.is_some() { "Symlink".to_string() } else { meta.object_type.clone() };
    let range = if req.head.method == "GET" { parse_range(req.head.header("range"), meta.size)? } else { None };
    let mut resp = Response::empty(if range.is_some() { 206 } else { 200 });
    let mut headers = vec![
        ("Content-Type".to_string(), meta.content_type.clone()),
        ("ETag".to_string(), format!("\"{}\"", meta.etag)),
        ("x-oss-hash-crc64ecma".to_string(), meta.crc64.to_string()),
        ("Last-Modified".to_string(), time::http_date(meta.last_modified)),
        ("Accept-Ranges".to_string(), "bytes".to_string()),
        ("x-oss-object-type".to_string(), object_type),
        ("x-oss-storage-class".to_string(), meta.storage_class.clone()),
    ];
    headers.extend(versioning::header(oss, &ctx.bucket, &requested.version_id));
    if let Some(restore) = crate::restore::header(&meta) {
        headers.push(("x-oss-restore".to_string(), restore));
    }
    if req.head.method == "GET" {
        crate::restore::check_readable(&meta)?;
    }
    for name in ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"] {
        if let Some(value) = req.head.header(name) {
            crate::copy::check_condition(name, value, &meta)?;
        }
    }
    if let (Some(md5), None) = (&meta.content_md5, range) {
        headers.push(("Content-MD5".to_string(), md5.clone()));
    }
    headers.extend(meta.user_meta.iter().cloned());
    for (param, header) in RESPONSE_OVERRIDES {
        if let Some(v) = ctx.param(param) {
            if v.chars().any(char::is_control) {
                return Err(OssError::invalid_argument(format!("The {param} value is invalid.")));
            }
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(header));
            headers.push((header.to_string(), v.to_string()));
        }
    }
    resp.headers = headers;
    resp.body = match range {
        Some((first, last)) => {
            file.seek(SeekFrom::Start(first)).map_err(|e| OssError::internal(e.to_string()))?;
            resp.headers.push(("Content-Range".into(), format!("bytes {first}-{last}/{}", meta.size)));
            ResponseBody::File(file, last - first + 1)
        }
        None => ResponseBody::File(file, meta.size),
    };
    Ok(resp)
}

/// HEAD /bucket/key?objectMeta (GetObjectMeta): ETag, size and Last-Modified only.
pub fn simplified_meta(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let (file, meta) = oss.store.open_version(&ctx.bucket, &ctx.key, versioning::requested(ctx)?)?;
    let mut resp = Response::empty(200)
        .header("ETag", format!("\"{}\"", meta.etag))
        .header("Last-Modified", time::http_date(meta.last_modified));
    resp.headers.extend(versioning::header(oss, &ctx.bucket, &meta.version_id));
    // Content-Length is the object's size; a HEAD sends no body.
    resp.body = ResponseBody::File(file, meta.size);
    Ok(resp)
}

/// DELETE /bucket/key (204 whether or not the object existed): with `versionId` that version or delete marker for
/// good, otherwise as the bucket's versioning says (see `store::Store::delete`).
pub fn delete(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let deleted = oss
        .store
        .delete(&ctx.bucket, &ctx.key, versioning::requested(ctx)?)
        .map_err(|e| OssError::internal(format!("cannot delete the object: {e}")))?;
    let mut resp = Response::empty(204);
    if let Some(id) = deleted.version_id {
        resp = resp.header("x-oss-version-id", id);
    }
    if deleted.delete_marker {
        resp = resp.header("x-oss-delete-marker", "true");
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn resolves_ranges() {
        assert_eq!(parse_range(None, 10).unwrap(), None);
        assert_eq!(parse_range(Some("bytes=2-4"), 10).unwrap(), Some((2, 4)));
        assert_eq!(parse_range(Some("bytes=2-"), 10).unwrap(), Some((2, 9)));
        assert_eq!(parse_range(Some("bytes=-3"), 10).unwrap(), Some((7, 9)));
        assert_eq!(parse_range(Some("bytes=5-100"), 10).unwrap(), Some((5, 9)));
        assert_eq!(parse_range(Some("bytes=4-2"), 10).unwrap(), None);
        assert_eq!(parse_range(Some("bytes=0-1,3-4"), 10).unwrap(), None);
        assert_eq!(parse_range(Some("items=0-1"), 10).unwrap(), None);
        assert_eq!(parse_range(Some("bytes=10-12"), 10).unwrap_err().status, 416);
    }
}
