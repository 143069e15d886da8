//! Symlinks: PutSymlink (`PUT ?symlink`, the target in `x-oss-symlink-target`, URL-encoded) stores an empty
//! object of type Symlink; GetSymlink (`GET ?symlink`) answers the target in the same header; GetObject and
//! HeadObject of a symlink answer its target (`404 SymlinkTargetNotExist` when it is gone).

use std::fs;

use md5::{Digest, Md5};

use crate::encoding::{percent_decode, rawurlencode};
use crate::error::OssError;
use crate::http::Response;
use crate::object::{content_type, user_meta};
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::{Digests, ObjectMeta};
use crate::time;

/// PUT /bucket/key?symlink.
pub fn put_symlink(oss: &Oss, req: &Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let raw = req.head.header("x-oss-symlink-target").filter(|t| !t.is_empty()).ok_or_else(|| {
        OssError::invalid_argument("The x-oss-symlink-target header is required.")
            .with_extra("ArgumentName", "x-oss-symlink-target")
    })?;
    let target = String::from_utf8(percent_decode(raw, false))
        .map_err(|_| OssError::invalid_argument("The symlink target is not valid UTF-8."))?;
    let temp = oss.store.temp_path();
    fs::write(&temp, b"").map_err(|e| OssError::internal(format!("cannot store the symlink: {e}")))?;
    let md5: [u8; 16] = Md5::digest(target.as_bytes()).into();
    let meta = ObjectMeta {
        user_meta: user_meta(&req.head),
        acl: crate::acl::requested(&req.head)?.unwrap_or("default").to_string(),
        symlink_target: Some(target),
        ..ObjectMeta::new(ctx.key.clone(), content_type(&req.head), "Symlink", &Digests { size: 0, md5, crc64: 0 })
    };
    let meta = oss.store.commit(&ctx.bucket, &temp, meta).map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot store the symlink: {e}"))
    })?;
    let mut resp = Response::empty(200).header("ETag", format!("\"{}\"", meta.etag));
    resp.headers.extend(crate::versioning::header(oss, &ctx.bucket, &meta.version_id));
    Ok(resp)
}

/// GET /bucket/key?symlink.
pub fn get_symlink(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let meta = oss.store.meta_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    let Some(target) = &meta.symlink_target else {
        return Err(OssError::new(400, "NotSymlink", "The specified object is not a symlink."));
    };
    Ok(Response::empty(200)
        .header("x-oss-symlink-target", rawurlencode(target.as_bytes()))
        .header("ETag", format!("\"{}\"", meta.etag))
        .header("Last-Modified", time::http_date(meta.last_modified)))
}

/// The key GetObject and HeadObject read instead of `meta`'s object: its target when it is a symlink.
pub fn resolve(oss: &Oss, bucket: &str, meta: &ObjectMeta) -> Result<Option<String>, OssError> {
    match &meta.symlink_target {
        Some(target) if oss.store.meta(bucket, target).is_some() => Ok(Some(target.clone())),
        Some(_) => Err(OssError::new(404, "SymlinkTargetNotExist", "The symlink target object does not exist.")),
        None => Ok(None),
    }
}
