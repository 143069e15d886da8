//! Object tagging: PutObjectTagging (`PUT ?tagging`, a `<Tagging><TagSet><Tag><Key/><Value/></Tag>…` body),
//! GetObjectTagging and DeleteObjectTagging. As OSS: at most 10 tags, keys of 1–128 and values of at most 256
//! characters, no key twice (`400 InvalidTag`); a malformed body is `MalformedXML`.

use crate::error::OssError;
use crate::http::Response;
use crate::object::small_body;
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::xml::{self, document, leaf, Node};

const MAX_TAGS: usize = 10;

fn invalid_tag(message: &str) -> OssError {
    OssError::new(400, "InvalidTag", message)
}

/// PUT /bucket/key?tagging.
pub fn put_tagging(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let mut meta = oss.store.meta_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    let body = small_body(req, 64 * 1024)?;
    let text = String::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
    let root = xml::parse(&text).map_err(|_| OssError::malformed_xml())?;
    let set = root.child("TagSet").filter(|_| root.name == "Tagging").ok_or_else(OssError::malformed_xml)?;
    let mut tags: Vec<(String, String)> = Vec::new();
    for tag in set.children.iter().filter(|c| c.name == "Tag") {
        let key = tag.child("Key").map(|k| k.text.clone()).ok_or_else(OssError::malformed_xml)?;
        let value = tag.child("Value").map(|v| v.text.clone()).unwrap_or_default();
        if key.is_empty() || key.chars().count() > 128 || value.chars().count() > 256 {
            return Err(invalid_tag("The tag key or value is too long or empty."));
        }
        if tags.iter().any(|(k, _)| *k == key) {
            return Err(invalid_tag("The tag keys are not unique."));
        }
        tags.push((key, value));
    }
    if tags.len() > MAX_TAGS {
        return Err(invalid_tag("Object tags cannot be greater than 10."));
    }
    meta.tags = tags;
    store(oss, ctx, meta)?;
    Ok(Response::empty(200))
}

/// GET /bucket/key?tagging.
pub fn get_tagging(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let meta = oss.store.meta_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    let tags: Vec<Node> = meta
        .tags
        .iter()
        .map(|(k, v)| Node::Group("Tag", vec![leaf("Key", k.clone()), leaf("Value", v.clone())]))
        .collect();
    Ok(Response::bytes(200, "application/xml", document("Tagging", &[Node::Group("TagSet", tags)])))
}

/// DELETE /bucket/key?tagging.
pub fn delete_tagging(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let mut meta = oss.store.meta_version(&ctx.bucket, &ctx.key, crate::versioning::requested(ctx)?)?;
    meta.tags.clear();
    store(oss, ctx, meta)?;
    Ok(Response::empty(204))
}

fn store(oss: &Oss, ctx: &Ctx, meta: crate::store::ObjectMeta) -> Result<(), OssError> {
    match oss.store.update_meta(&ctx.bucket, meta) {
        Ok(true) => Ok(()),
        Ok(false) => Err(OssError::no_such_key()),
        Err(e) => Err(OssError::internal(format!("cannot store the tags: {e}"))),
    }
}
