//! AppendObject (`POST /bucket/key?append&position=N`): creates an Appendable object at position 0 and appends
//! at its current length; any other position is `409 PositionNotEqualToLength` with the length in
//! `x-oss-next-append-position`, as OSS answers. Normal and Multipart objects cannot be appended to. In a bucket with
//! versioning an append rewrites the current version in place (it keeps its version id).

use std::fs::{self, File};
use std::io::{self, Read};

use crate::error::OssError;
use crate::http::Response;
use crate::object::{body_error, content_md5, content_type, require_length, user_meta};
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::{write_hashed, CopyError, ObjectMeta};

/// POST /bucket/key?append&position=N.
pub fn append(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let position: u64 = ctx.param("position").and_then(|p| p.parse().ok()).ok_or_else(|| {
        OssError::invalid_argument("The position parameter is required and must be a number.")
            .with_extra("ArgumentName", "position")
    })?;
    require_length(&req.head)?;
    let expected_md5 = content_md5(&req.head)?;
    let existing = oss.store.open_object(&ctx.bucket, &ctx.key);
    let current = existing.as_ref().map_or(0, |(_, m)| m.size);
    if let Some((_, meta)) = &existing {
        if meta.object_type != "Appendable" {
            return Err(OssError::new(409, "ObjectNotAppendable", "The object is not appendable."));
        }
    }
    if position != current {
        return Err(OssError::new(409, "PositionNotEqualToLength", "Position is not equal to file length.")
            .with_header("x-oss-next-append-position", current.to_string()));
    }
    // The appended bytes are checked against Content-MD5 on their own, then the object is rewritten whole.
    let piece = oss.store.temp_path();
    let digests = write_hashed(&mut req.body, &piece).map_err(|e| {
        let _ = fs::remove_file(&piece);
        match e {
            CopyError::Read(e) => body_error(&e),
            CopyError::Write(e) => OssError::internal(format!("cannot store the append: {e}")),
        }
    })?;
    if expected_md5.is_some_and(|m| m != digests.md5) {
        let _ = fs::remove_file(&piece);
        return Err(OssError::invalid_digest());
    }
    let temp = oss.store.temp_path();
    let assembled = File::open(&piece).and_then(|appended| {
        let mut whole: Box<dyn Read> = match existing {
            Some((file, _)) => Box::new(file.chain(appended)),
            None => Box::new(appended),
        };
        write_hashed(&mut whole, &temp).map_err(|e| match e {
            CopyError::Read(e) | CopyError::Write(e) => e,
        })
    });
    let _ = fs::remove_file(&piece);
    let whole = assembled.map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot assemble the object: {e}"))
    })?;
    let previous = oss.store.meta(&ctx.bucket, &ctx.key);
    let content_type = previous.as_ref().map_or_else(|| content_type(&req.head), |m| m.content_type.clone());
    let meta = ObjectMeta {
        user_meta: previous.as_ref().map_or_else(|| user_meta(&req.head), |m| m.user_meta.clone()),
        acl: previous.as_ref().map_or_else(|| "default".into(), |m| m.acl.clone()),
        version_id: previous.as_ref().map_or_else(String::new, |m| m.version_id.clone()),
        ..ObjectMeta::new(ctx.key.clone(), content_type, "Appendable", &whole)
    };
    // An append rewrites the current version in place; only the first one makes a new version.
    let stored = match previous {
        Some(_) => oss.store.rewrite(&ctx.bucket, &temp, meta.clone()).and_then(|done| match done {
            true => Ok(meta),
            false => Err(io::Error::other("the object changed during the append")),
        }),
        None => oss.store.commit(&ctx.bucket, &temp, meta),
    };
    let meta = stored.map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot store the object: {e}"))
    })?;
    let mut resp = Response::empty(200)
        .header("ETag", format!("\"{}\"", meta.etag))
        .header("x-oss-next-append-position", meta.size.to_string())
        .header("x-oss-hash-crc64ecma", meta.crc64.to_string());
    resp.headers.extend(crate::versioning::header(oss, &ctx.bucket, &meta.version_id));
    Ok(resp)
}
