//! CopyObject: `PUT /bucket/key` with `x-oss-copy-source: /source-bucket/source-key` (URL-encoded; a
//! `?versionId=id` after it copies that version). The
//! metadata is the source's (`x-oss-metadata-directive: COPY`, the default) or the request's (`REPLACE`); the
//! `x-oss-copy-source-if-*` conditions are checked against the source (412 or 304 when one fails).

use std::fs;

use crate::encoding::percent_decode;
use crate::error::OssError;
use crate::http::{RequestHead, Response};
use crate::object::{content_type, user_meta};
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::{write_hashed, CopyError, ObjectMeta};
use crate::time;
use crate::xml::{document, leaf};

/// The source a copy names.
pub struct Source {
    pub bucket: String,
    pub key: String,
    /// The `?versionId=` of `x-oss-copy-source` (None: the current version).
    pub version_id: Option<String>,
    /// The `x-oss-copy-source-if-*` conditions: (header, value).
    conditions: Vec<(String, String)>,
}

impl Source {
    /// Opens the source version, with its metadata, once its conditions hold.
    pub fn open(&self, oss: &Oss) -> Result<(fs::File, ObjectMeta), OssError> {
        let (file, meta) = oss.store.open_version(&self.bucket, &self.key, self.version_id.as_deref())?;
        for (name, value) in &self.conditions {
            check_condition(name.trim_start_matches("x-oss-copy-source-"), value, &meta)?;
        }
        Ok((file, meta))
    }
}

/// One condition (`if-match`, `if-none-match`, `if-modified-since`, `if-unmodified-since`; of a copy source or of
/// GetObject) against an object: `if-match` / `if-unmodified-since` fail with `412 PreconditionFailed`,
/// `if-none-match` / `if-modified-since` with `304 NotModified`, as OSS answers. An unreadable date is ignored.
pub fn check_condition(name: &str, value: &str, meta: &ObjectMeta) -> Result<(), OssError> {
    let etag_matches = || value.split(',').any(|e| e.trim().trim_matches('"') == meta.etag || e.trim() == "*");
    let date = || time::parse_http_date(value);
    let failed =
        || OssError::new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");
    let not_modified = || OssError::new(304, "NotModified", "The source object was not modified.");
    match name {
        "if-match" if !etag_matches() => Err(failed()),
        "if-none-match" if etag_matches() => Err(not_modified()),
        "if-unmodified-since" if date().is_some_and(|d| meta.last_modified > d) => Err(failed()),
        "if-modified-since" if date().is_some_and(|d| meta.last_modified <= d) => Err(not_modified()),
        _ => Ok(()),
    }
}

/// The `/bucket/key[?versionId=id]` of `x-oss-copy-source`, decoded, its bucket checked, with the
/// `x-oss-copy-source-if-match`, `-if-none-match`, `-if-modified-since` and `-if-unmodified-since` conditions
/// (checked when the source is opened; any other `x-oss-copy-source-if-*` header is `400 InvalidArgument`).
pub fn source(oss: &Oss, head: &RequestHead) -> Result<Source, OssError> {
    const CONDITIONS: &[&str] = &[
        "x-oss-copy-source-if-match",
        "x-oss-copy-source-if-none-match",
        "x-oss-copy-source-if-modified-since",
        "x-oss-copy-source-if-unmodified-since",
    ];
    let mut conditions = Vec::new();
    for (name, value) in &head.headers {
        let name = name.to_ascii_lowercase();
        if name.starts_with("x-oss-copy-source-if") {
            if !CONDITIONS.contains(&name.as_str()) {
                return Err(OssError::invalid_argument(format!("The header {name} is not a copy condition.")));
            }
            conditions.push((name, value.clone()));
        }
    }
    let raw = head.header("x-oss-copy-source").unwrap_or("");
    let (source, version_id) = match raw.split_once("?versionId=") {
        Some((source, id)) if !id.is_empty() => (source, Some(id.to_string())),
        Some(_) => return Err(OssError::invalid_argument("Invalid version id specified.")),
        None => (raw, None),
    };
    let decoded = String::from_utf8(percent_decode(source, false))
        .map_err(|_| OssError::invalid_argument("The x-oss-copy-source header is not valid UTF-8."))?;
    let (bucket, key) = decoded
        .strip_prefix('/')
        .and_then(|s| s.split_once('/'))
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
        .ok_or_else(|| {
            OssError::invalid_argument("Copy Source must mention the source bucket and key: /bucket/key.")
        })?;
    if !oss.store.buckets.exists(bucket) {
        return Err(crate::bucket::no_such_bucket(bucket));
    }
    Ok(Source { bucket: bucket.to_string(), key: key.to_string(), version_id, conditions })
}

/// PUT /bucket/key with `x-oss-copy-source`.
pub fn copy_object(oss: &Oss, req: &Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let head = &req.head;
    let source = source(oss, head)?;
    let directive = head.header("x-oss-metadata-directive").unwrap_or("COPY");
    let replace = match directive {
        "COPY" => false,
        "REPLACE" => true,
        other => {
            return Err(OssError::invalid_argument(format!("The metadata directive {other} is invalid."))
                .with_extra("ArgumentName", "x-oss-metadata-directive"))
        }
    };
    let (mut file, mut meta) = source.open(oss)?;
    let source_version = crate::versioning::header(oss, &source.bucket, &meta.version_id);
    if source.bucket == ctx.bucket && source.key == ctx.key && source.version_id.is_none() && !replace {
        return Err(OssError::invalid_argument(
            "This copy request is illegal because it is trying to copy an object to itself without changing the \
             object's metadata.",
        ));
    }
    let temp = oss.store.temp_path();
    let digests = write_hashed(&mut file, &temp).map_err(|e| {
        let _ = fs::remove_file(&temp);
        match e {
            CopyError::Read(e) | CopyError::Write(e) => OssError::internal(format!("cannot copy the object: {e}")),
        }
    })?;
    meta.key = ctx.key.clone();
    meta.size = digests.size;
    meta.crc64 = digests.crc64;
    meta.last_modified = time::now_unix();
    meta.acl = crate::acl::requested(head)?.unwrap_or("default").to_string();
    if replace {
        meta.content_type = content_type(head);
        meta.user_meta = user_meta(head);
    }
    let meta = oss.store.commit(&ctx.bucket, &temp, meta).map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot store the copy: {e}"))
    })?;
    let etag = format!("\"{}\"", meta.etag);
    let xml = document(
        "CopyObjectResult",
        &[leaf("ETag", etag.clone()), leaf("LastModified", time::iso8601_secs(meta.last_modified))],
    );
    let mut resp = Response::bytes(200, "application/xml", xml)
        .header("ETag", etag)
        .header("x-oss-hash-crc64ecma", meta.crc64.to_string());
    resp.headers.extend(crate::versioning::header(oss, &ctx.bucket, &meta.version_id));
    if let Some((_, id)) = source_version {
        resp.headers.push(("x-oss-copy-source-version-id".into(), id));
    }
    Ok(resp)
}
