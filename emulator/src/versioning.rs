//! Bucket versioning: PutBucketVersioning and GetBucketVersioning (`?versioning`), ListObjectVersions
//! (`GET /bucket?versions`), and what the object operations share about versions: the `versionId` parameter, the
//! `x-oss-version-id` header and the errors of a version that cannot be read.
//!
//! As OSS: a bucket starts without versioning and can be set to `Enabled` or `Suspended`, never back; while it has
//! a state, answers about its objects carry `x-oss-version-id` (`null` for a version written without versioning).
//! Reading a key whose newest entry is a delete marker is `404 NoSuchKey` with `x-oss-delete-marker: true`; reading
//! a delete marker by its id is `405 MethodNotAllowed`; an unknown id is `404 NoSuchVersion`. ListObjectVersions
//! lists keys in byte order and each key's versions and delete markers newest first, paged by `key-marker` and
//! `version-id-marker` (which needs a key marker); a common prefix counts as one entry toward `max-keys`.
//!
//! The OSS facts behind it are in `docs/versioning-and-processing.md`.

use crate::acl::OWNER_ID;
use crate::error::OssError;
use crate::http::Response;
use crate::listing::{encoder, max_keys};
use crate::object::small_body;
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::store::{Missing, Version};
use crate::time;
use crate::xml::{self, document, leaf, Node};

/// The versioning states a bucket can be put in.
const STATES: &[&str] = &["Enabled", "Suspended"];
/// Longest version id accepted in a request.
const MAX_VERSION_ID: usize = 256;

impl From<Missing> for OssError {
    fn from(missing: Missing) -> OssError {
        let marker = |err: OssError, id: String| {
            err.with_header("x-oss-delete-marker", "true").with_header("x-oss-version-id", id)
        };
        match missing {
            Missing::Key(None) => OssError::no_such_key(),
            Missing::Key(Some(id)) => marker(OssError::no_such_key(), id),
            Missing::Version => OssError::new(404, "NoSuchVersion", "The specified version does not exist."),
            Missing::DeleteMarker(id) => marker(OssError::method_not_allowed(), id),
        }
    }
}

/// The `versionId` query parameter, checked (None when absent).
pub fn requested(ctx: &Ctx) -> Result<Option<&str>, OssError> {
    match ctx.param("versionId") {
        None => Ok(None),
        Some(id) if valid_id(id) => Ok(Some(id)),
        Some(id) => Err(OssError::invalid_argument("Invalid version id specified.")
            .with_extra("ArgumentName", "versionId")
            .with_extra("ArgumentValue", id)),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_VERSION_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=_-*".contains(&b))
}

/// `x-oss-version-id: version_id` when `bucket` has a versioning state (OSS omits it otherwise).
pub fn header(oss: &Oss, bucket: &str, version_id: &str) -> Option<(String, String)> {
    oss.store
        .buckets
        .get(bucket)
        .and_then(|b| b.versioning)
        .map(|_| ("x-oss-version-id".to_string(), version_id.to_string()))
}

/// PUT /bucket?versioning with `<VersioningConfiguration><Status>…</Status></VersioningConfiguration>`.
pub fn put(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let body = small_body(req, 64 * 1024)?;
    let text = String::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
    let root = xml::parse(&text).map_err(|_| OssError::malformed_xml())?;
    let status = root
        .child("Status")
        .map(|s| s.text.trim())
        .filter(|s| root.name == "VersioningConfiguration" && STATES.contains(s))
        .ok_or_else(OssError::malformed_xml)?;
    oss.store.buckets.update(&ctx.bucket, |b| b.versioning = Some(status.to_string()))?;
    Ok(Response::empty(200))
}

/// GET /bucket?versioning: the state, or an empty configuration for a bucket that never had one.
pub fn get(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let state = oss.store.buckets.get(&ctx.bucket).and_then(|b| b.versioning);
    let nodes: Vec<Node> = state.into_iter().map(|s| leaf("Status", s)).collect();
    Ok(Response::bytes(200, "application/xml", document("VersioningConfiguration", &nodes)))
}

/// One listed entry.
enum Listed {
    Version { version: Box<Version>, latest: bool },
    Prefix(String),
}

/// GET /bucket?versions.
pub fn list(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let (max, enc) = (max_keys(ctx)?, encoder(ctx)?);
    let prefix = ctx.param("prefix").unwrap_or("");
    let delimiter = ctx.param("delimiter").unwrap_or("");
    let key_marker = ctx.param("key-marker").unwrap_or("");
    let version_marker = ctx.param("version-id-marker").unwrap_or("");
    if !version_marker.is_empty() && key_marker.is_empty() {
        return Err(OssError::invalid_argument("A version-id marker cannot be specified without a key marker.")
            .with_extra("ArgumentName", "version-id-marker"));
    }
    let mut entries: Vec<Listed> = Vec::new();
    let mut truncated = false;
    let mut previous_key: Option<String> = None;
    // Within the key marker's key, entries are skipped up to and including the version marker.
    let mut passed_marker = version_marker.is_empty();
    for version in oss.store.versions(&ctx.bucket) {
        let key = version.key().to_string();
        let latest = previous_key.as_deref() != Some(key.as_str());
        previous_key = Some(key.clone());
        if !key.starts_with(prefix) || key.as_bytes() < key_marker.as_bytes() {
            continue;
        }
        if key == key_marker {
            if !passed_marker {
                passed_marker = version.version_id() == version_marker;
            }
            if version_marker.is_empty() || !passed_marker || version.version_id() == version_marker {
                continue;
            }
        }
        let rest = &key[prefix.len()..];
        let entry = match rest.find(delimiter).filter(|_| !delimiter.is_empty()) {
            Some(at) => Listed::Prefix(format!("{prefix}{}", &rest[..at + delimiter.len()])),
            None => Listed::Version { version: Box::new(version), latest },
        };
        if let Listed::Prefix(p) = &entry {
            let seen = entries.iter().any(|e| matches!(e, Listed::Prefix(q) if q == p));
            if seen || p.as_str() <= key_marker {
                continue;
            }
        }
        if entries.len() == max {
            truncated = true;
            break;
        }
        entries.push(entry);
    }
    let mut nodes = vec![
        leaf("Name", &ctx.bucket),
        leaf("Prefix", enc(prefix)),
        leaf("KeyMarker", enc(key_marker)),
        leaf("VersionIdMarker", version_marker),
        leaf("MaxKeys", max.to_string()),
        leaf("Delimiter", enc(delimiter)),
        leaf("IsTruncated", truncated.to_string()),
    ];
    match (truncated, entries.last()) {
        (true, Some(Listed::Version { version, .. })) => {
            nodes.push(leaf("NextKeyMarker", enc(version.key())));
            nodes.push(leaf("NextVersionIdMarker", version.version_id()));
        }
        (true, Some(Listed::Prefix(p))) => nodes.push(leaf("NextKeyMarker", enc(p))),
        _ => {}
    }
    if ctx.param("encoding-type").is_some() {
        nodes.push(leaf("EncodingType", "url"));
    }
    let owner = || Node::Group("Owner", vec![leaf("ID", OWNER_ID), leaf("DisplayName", OWNER_ID)]);
    let mut prefixes = Vec::new();
    for entry in entries {
        let (version, latest) = match entry {
            Listed::Version { version, latest } => (*version, latest.to_string()),
            Listed::Prefix(p) => {
                prefixes.push(Node::Group("CommonPrefixes", vec![leaf("Prefix", enc(&p))]));
                continue;
            }
        };
        nodes.push(match version {
            Version::Object(m) => Node::Group(
                "Version",
                vec![
                    leaf("Key", enc(&m.key)),
                    leaf("VersionId", m.version_id.clone()),
                    leaf("IsLatest", latest),
                    leaf("LastModified", time::iso8601_secs(m.last_modified)),
                    leaf("ETag", format!("\"{}\"", m.etag)),
                    leaf("Type", m.object_type.clone()),
                    leaf("Size", m.size.to_string()),
                    leaf("StorageClass", m.storage_class.clone()),
                    owner(),
                ],
            ),
            Version::DeleteMarker(d) => Node::Group(
                "DeleteMarker",
                vec![
                    leaf("Key", enc(&d.key)),
                    leaf("VersionId", d.version_id.clone()),
                    leaf("IsLatest", latest),
                    leaf("LastModified", time::iso8601_secs(d.last_modified)),
                    owner(),
                ],
            ),
        });
    }
    nodes.extend(prefixes);
    Ok(Response::bytes(200, "application/xml", document("ListVersionsResult", &nodes)))
}
