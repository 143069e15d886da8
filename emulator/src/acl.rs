//! Object and bucket ACLs: PutObjectAcl, GetObjectAcl, GetBucketAcl, and the `x-oss-object-acl` header of
//! uploads. A bucket's ACL is kept by [`crate::bucket`]; an object's ACL is `default` (the bucket's) until set.

use crate::error::OssError;
use crate::http::{RequestHead, Response};
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::xml::{document, leaf, Node};

/// The ACLs an object may have.
const OBJECT_ACLS: &[&str] = &["default", "private", "public-read", "public-read-write"];

/// The owner every listing and ACL names (the emulator has one account).
pub const OWNER_ID: &str = "1234567890123456";

/// The `x-oss-object-acl` header of a request, checked.
pub fn requested(head: &RequestHead) -> Result<Option<&str>, OssError> {
    match head.header("x-oss-object-acl") {
        None => Ok(None),
        Some(acl) if OBJECT_ACLS.contains(&acl) => Ok(Some(acl)),
        Some(acl) => Err(OssError::invalid_argument("no such object access control exists")
            .with_extra("ArgumentName", "x-oss-object-acl")
            .with_extra("ArgumentValue", acl)),
    }
}

/// PUT /bucket/key?acl.
pub fn put_object_acl(oss: &Oss, req: &Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let acl =
        requested(&req.head)?.ok_or_else(|| OssError::invalid_argument("The x-oss-object-acl header is required."))?;
    let mut meta = oss.store.meta_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    meta.acl = acl.to_string();
    match oss.store.update_meta(&ctx.bucket, meta) {
        Ok(true) => Ok(Response::empty(200)),
        Ok(false) => Err(OssError::no_such_key()),
        Err(e) => Err(OssError::internal(format!("cannot store the ACL: {e}"))),
    }
}

/// GET /bucket/key?acl.
pub fn get_object_acl(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let meta = oss.store.meta_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    Ok(policy(&meta.acl))
}

/// GET /bucket?acl.
pub fn get_bucket_acl(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    Ok(policy(&crate::bucket::acl_of(oss, &ctx.bucket)))
}

fn policy(grant: &str) -> Response {
    let xml = document(
        "AccessControlPolicy",
        &[
            Node::Group("Owner", vec![leaf("ID", OWNER_ID), leaf("DisplayName", OWNER_ID)]),
            Node::Group("AccessControlList", vec![leaf("Grant", grant)]),
        ],
    );
    Response::bytes(200, "application/xml", xml)
}
