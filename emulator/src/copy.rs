//! CopyObject: `PUT /bucket/key` with `x-oss-copy-source: /source-bucket/source-key` (URL-encoded). The
//! metadata is the source's (`x-oss-metadata-directive: COPY`, the default) or the request's (`REPLACE`); the
//! `x-oss-copy-source-if-*` conditions are not supported (refused with 501).

use std::fs;

use crate::encoding::percent_decode;
use crate::error::OssError;
use crate::http::{RequestHead, Response};
use crate::object::{content_type, user_meta};
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::{write_hashed, CopyError};
use crate::time;
use crate::xml::{document, leaf};

/// The `/bucket/key` of `x-oss-copy-source`, decoded, its bucket checked (the `x-oss-copy-source-if-*` conditions
/// are refused with `501 NotImplemented`: the emulator has no copy conditions).
pub fn source(oss: &Oss, head: &RequestHead) -> Result<(String, String), OssError> {
    if head.headers.iter().any(|(n, _)| n.to_ascii_lowercase().starts_with("x-oss-copy-source-if")) {
        return Err(OssError::new(501, "NotImplemented", "The emulator does not implement copy conditions."));
    }
    let source = head.header("x-oss-copy-source").unwrap_or("");
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
    Ok((bucket.to_string(), key.to_string()))
}

/// PUT /bucket/key with `x-oss-copy-source`.
pub fn copy_object(oss: &Oss, req: &Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let head = &req.head;
    let (src_bucket, src_key) = source(oss, head)?;
    let directive = head.header("x-oss-metadata-directive").unwrap_or("COPY");
    let replace = match directive {
        "COPY" => false,
        "REPLACE" => true,
        other => {
            return Err(OssError::invalid_argument(format!("The metadata directive {other} is invalid."))
                .with_extra("ArgumentName", "x-oss-metadata-directive"))
        }
    };
    let (mut file, mut meta) = oss.store.open_object(&src_bucket, &src_key).ok_or_else(OssError::no_such_key)?;
    if src_bucket == ctx.bucket && src_key == ctx.key && !replace {
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
    if let Err(e) = oss.store.commit(&ctx.bucket, &temp, meta.clone()) {
        let _ = fs::remove_file(&temp);
        return Err(OssError::internal(format!("cannot store the copy: {e}")));
    }
    let etag = format!("\"{}\"", meta.etag);
    let xml = document(
        "CopyObjectResult",
        &[leaf("ETag", etag.clone()), leaf("LastModified", time::iso8601_secs(meta.last_modified))],
    );
    Ok(Response::bytes(200, "application/xml", xml)
        .header("ETag", etag)
        .header("x-oss-hash-crc64ecma", meta.crc64.to_string()))
}
