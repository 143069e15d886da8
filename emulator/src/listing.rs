//! Listing and batch deletion of a bucket's objects: ListObjects (`GET /bucket`), ListObjectsV2
//! (`list-type=2`) and DeleteMultipleObjects (`POST /bucket?delete`).
//!
//! Listing semantics, as OSS: keys in byte order after `marker` (V1) or after the continuation token / `start-after`
//! (V2), starting with `prefix`; with a `delimiter`, keys that contain it after the prefix are rolled up into one
//! common prefix each (up to and including the delimiter), which counts like a key toward `max-keys` (1..=1000,
//! default 100); `encoding-type=url` URL-encodes keys and prefixes in the answer.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

use crate::acl::OWNER_ID;
use crate::encoding::rawurlencode;
use crate::error::OssError;
use crate::http::Response;
use crate::object::small_body;
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::ObjectMeta;
use crate::time;
use crate::xml::{self, document, leaf, Node};

const DEFAULT_MAX_KEYS: usize = 100;
const MAX_KEYS: usize = 1000;
/// DeleteMultipleObjects takes at most this many keys, in a body of at most 2 MB.
const MAX_DELETE: usize = 1000;
const MAX_DELETE_BODY: u64 = 2 * 1024 * 1024;

enum Entry {
    Object(Box<ObjectMeta>),
    Prefix(String),
}

impl Entry {
    fn name(&self) -> &str {
        match self {
            Entry::Object(m) => &m.key,
            Entry::Prefix(p) => p,
        }
    }
}

/// One page: the entries and whether more follow.
fn page(oss: &Oss, ctx: &Ctx, after: &str, max: usize) -> (Vec<Entry>, bool) {
    let prefix = ctx.param("prefix").unwrap_or("");
    let delimiter = ctx.param("delimiter").unwrap_or("");
    let mut entries: Vec<Entry> = Vec::new();
    let mut truncated = false;
    for meta in oss.store.list(&ctx.bucket) {
        if meta.key.as_bytes() <= after.as_bytes() || !meta.key.starts_with(prefix) {
            continue;
        }
        let rest = &meta.key[prefix.len()..];
        let entry = match rest.find(delimiter).filter(|_| !delimiter.is_empty()) {
            Some(at) => Entry::Prefix(format!("{prefix}{}", &rest[..at + delimiter.len()])),
            None => Entry::Object(Box::new(meta)),
        };
        if let (Entry::Prefix(p), Some(Entry::Prefix(last))) = (&entry, entries.last()) {
            if p == last {
                continue;
            }
        }
        // A key rolled into a prefix already passed (`after` is that prefix) is skipped.
        if matches!(&entry, Entry::Prefix(p) if p.as_str() <= after) {
            continue;
        }
        if entries.len() == max {
            truncated = true;
            break;
        }
        entries.push(entry);
    }
    (entries, truncated)
}

/// The `max-keys` parameter, checked (1..=1000, default 100).
pub fn max_keys(ctx: &Ctx) -> Result<usize, OssError> {
    match ctx.param("max-keys") {
        None => Ok(DEFAULT_MAX_KEYS),
        Some(v) => v.parse::<usize>().ok().filter(|n| (1..=MAX_KEYS).contains(n)).ok_or_else(|| {
            OssError::invalid_argument(format!("max-keys must be an integer between 1 and {MAX_KEYS}."))
                .with_extra("ArgumentName", "max-keys")
                .with_extra("ArgumentValue", v)
        }),
    }
}

/// How keys are written in a listing: as they are, or URL-encoded for `encoding-type=url`.
pub fn encoder(ctx: &Ctx) -> Result<fn(&str) -> String, OssError> {
    match ctx.param("encoding-type") {
        None => Ok(str::to_string),
        Some("url") => Ok(|s| rawurlencode(s.as_bytes())),
        Some(other) => Err(OssError::invalid_argument(format!("The encoding-type {other} is invalid."))
            .with_extra("ArgumentName", "encoding-type")),
    }
}

fn entries_xml(entries: &[Entry], enc: fn(&str) -> String, owner: bool) -> Vec<Node> {
    let mut contents = Vec::new();
    let mut prefixes = Vec::new();
    for e in entries {
        match e {
            Entry::Object(m) => {
                let mut fields = vec![
                    leaf("Key", enc(&m.key)),
                    leaf("LastModified", time::iso8601_secs(m.last_modified)),
                    leaf("ETag", format!("\"{}\"", m.etag)),
                    leaf("Type", m.object_type.clone()),
                    leaf("Size", m.size.to_string()),
                    leaf("StorageClass", "Standard"),
                ];
                if owner {
                    fields.push(Node::Group("Owner", vec![leaf("ID", OWNER_ID), leaf("DisplayName", OWNER_ID)]));
                }
                contents.push(Node::Group("Contents", fields));
            }
            Entry::Prefix(p) => prefixes.push(Node::Group("CommonPrefixes", vec![leaf("Prefix", enc(p))])),
        }
    }
    contents.extend(prefixes);
    contents
}

/// GET /bucket (ListObjects).
pub fn list_objects(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let (max, enc) = (max_keys(ctx)?, encoder(ctx)?);
    let marker = ctx.param("marker").unwrap_or("");
    let (entries, truncated) = page(oss, ctx, marker, max);
    let mut nodes = vec![
        leaf("Name", &ctx.bucket),
        leaf("Prefix", enc(ctx.param("prefix").unwrap_or(""))),
        leaf("Marker", enc(marker)),
        leaf("MaxKeys", max.to_string()),
        leaf("Delimiter", enc(ctx.param("delimiter").unwrap_or(""))),
    ];
    if ctx.param("encoding-type").is_some() {
        nodes.push(leaf("EncodingType", "url"));
    }
    nodes.push(leaf("IsTruncated", truncated.to_string()));
    if let (true, Some(last)) = (truncated, entries.last()) {
        nodes.push(leaf("NextMarker", enc(last.name())));
    }
    nodes.extend(entries_xml(&entries, enc, true));
    Ok(Response::bytes(200, "application/xml", document("ListBucketResult", &nodes)))
}

/// GET /bucket?list-type=2 (ListObjectsV2). The continuation token is the base64 of the last name returned.
pub fn list_objects_v2(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let (max, enc) = (max_keys(ctx)?, encoder(ctx)?);
    let token = ctx.param("continuation-token");
    let after = match token {
        Some(t) => B64
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| OssError::invalid_argument("The continuation token provided is incorrect."))?,
        None => ctx.param("start-after").unwrap_or("").to_string(),
    };
    let (entries, truncated) = page(oss, ctx, &after, max);
    let mut nodes = vec![leaf("Name", &ctx.bucket), leaf("Prefix", enc(ctx.param("prefix").unwrap_or("")))];
    if let Some(start) = ctx.param("start-after") {
        nodes.push(leaf("StartAfter", enc(start)));
    }
    if let Some(t) = token {
        nodes.push(leaf("ContinuationToken", t));
    }
    nodes.push(leaf("MaxKeys", max.to_string()));
    nodes.push(leaf("Delimiter", enc(ctx.param("delimiter").unwrap_or(""))));
    if ctx.param("encoding-type").is_some() {
        nodes.push(leaf("EncodingType", "url"));
    }
    nodes.push(leaf("IsTruncated", truncated.to_string()));
    if let (true, Some(last)) = (truncated, entries.last()) {
        nodes.push(leaf("NextContinuationToken", B64.encode(last.name())));
    }
    nodes.push(leaf("KeyCount", entries.len().to_string()));
    let owner = ctx.param("fetch-owner") == Some("true");
    nodes.extend(entries_xml(&entries, enc, owner));
    Ok(Response::bytes(200, "application/xml", document("ListBucketResult", &nodes)))
}

/// POST /bucket?delete (DeleteMultipleObjects): Content-MD5 is required; `<Quiet>true</Quiet>` answers without
/// the deleted keys. Keys that do not exist count as deleted, as in OSS. An object with a `<VersionId>` deletes
/// that version for good; the answer names delete markers added or removed (`DeleteMarker`,
/// `DeleteMarkerVersionId`).
pub fn delete_multiple(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    if req.head.header("content-md5").is_none() {
        return Err(OssError::invalid_argument("Missing required header for this request: Content-MD5.")
            .with_extra("ArgumentName", "Content-MD5"));
    }
    let body = small_body(req, MAX_DELETE_BODY)?;
    let text = String::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
    let root = xml::parse(&text).map_err(|_| OssError::malformed_xml())?;
    if root.name != "Delete" {
        return Err(OssError::malformed_xml());
    }
    let quiet = root.child("Quiet").is_some_and(|q| q.text.trim().eq_ignore_ascii_case("true"));
    let keys: Vec<(String, Option<String>)> = root
        .children
        .iter()
        .filter(|c| c.name == "Object")
        .map(|o| {
            let key = o.child("Key").map(|k| k.text.clone()).ok_or_else(OssError::malformed_xml)?;
            Ok((key, o.child("VersionId").map(|v| v.text.clone())))
        })
        .collect::<Result<_, OssError>>()?;
    if keys.is_empty() || keys.len() > MAX_DELETE {
        return Err(OssError::malformed_xml());
    }
    let encode = ctx.param("encoding-type") == Some("url") || root.child("EncodingType").is_some();
    let mut nodes = Vec::new();
    for (key, version_id) in &keys {
        let deleted = oss
            .store
            .delete(&ctx.bucket, key, version_id.as_deref())
            .map_err(|e| OssError::internal(format!("cannot delete {key}: {e}")))?;
        if !quiet {
            let shown = if encode { rawurlencode(key.as_bytes()) } else { key.clone() };
            let mut fields = vec![leaf("Key", shown)];
            if let Some(id) = version_id {
                fields.push(leaf("VersionId", id.clone()));
            }
            if deleted.delete_marker {
                fields.push(leaf("DeleteMarker", "true"));
                fields.push(leaf("DeleteMarkerVersionId", deleted.version_id.unwrap_or_default()));
            }
            nodes.push(Node::Group("Deleted", fields));
        }
    }
    if encode && !quiet {
        nodes.insert(0, leaf("EncodingType", "url"));
    }
    Ok(Response::bytes(200, "application/xml", document("DeleteResult", &nodes)))
}
