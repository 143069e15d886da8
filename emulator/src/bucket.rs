//! Buckets: the registry (the configured buckets plus those created at run time, kept in `buckets.json` of the
//! data dir) and the bucket operations CreateBucket, DeleteBucket, ListBuckets (`GET /`), GetBucketInfo,
//! GetBucketStat, PutBucketAcl and GetBucketAcl (CORS rules and the versioning state are kept here too, see `cors`
//! and `versioning`).
//!
//! As OSS: a bucket name is 3–63 characters of `a-z`, `0-9` and `-`, neither starting nor ending with `-`
//! (`400 InvalidBucketName`); creating a bucket that exists is `409 BucketAlreadyExists`; deleting one that still
//! holds objects (of any version, or delete markers) or open multipart uploads is `409 BucketNotEmpty`; the ACL is
//! `private`, `public-read` or `public-read-write` (`400 InvalidArgument`); the storage class of
//! `CreateBucketConfiguration` is `Standard`, `IA`, `Archive` or `ColdArchive`.

use crate::acl::OWNER_ID;
use crate::cors::Cors;
use crate::error::OssError;
use crate::http::Response;
use crate::object::small_body;
use crate::server::{lock, Request};
use crate::service::{Ctx, Oss};
use crate::time;
use crate::xml::{self, document, leaf, Node};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::PathBuf;
use std::sync::Mutex;

/// The bucket ACLs.
const BUCKET_ACLS: &[&str] = &["private", "public-read", "public-read-write"];
/// The storage classes a bucket may be created with.
const STORAGE_CLASSES: &[&str] = &["Standard", "IA", "Archive", "ColdArchive"];
/// Default and largest page of ListBuckets.
const MAX_BUCKETS: usize = 1000;

/// What OSS keeps about a bucket.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Bucket {
    pub acl: String,
    pub storage_class: String,
    /// Unix seconds.
    pub created: i64,
    /// Its CORS rules, if any.
    #[serde(default)]
    pub cors: Option<Cors>,
    /// Its versioning state: None (never set), `Enabled` or `Suspended`.
    #[serde(default)]
    pub versioning: Option<String>,
}

/// Every bucket, by name (byte order, as ListBuckets lists them).
pub struct Buckets {
    path: PathBuf,
    all: Mutex<BTreeMap<String, Bucket>>,
}

impl Buckets {
    /// The buckets recorded at `path` (if the file exists) plus `configured` (private, Standard).
    pub fn open(path: PathBuf, configured: &[String]) -> io::Result<Buckets> {
        let mut all: BTreeMap<String, Bucket> = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(io::Error::other)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e),
        };
        for name in configured {
            all.entry(name.clone()).or_insert_with(|| Bucket {
                acl: "private".into(),
                storage_class: "Standard".into(),
                created: time::now_unix(),
                cors: None,
                versioning: None,
            });
        }
        let buckets = Buckets { path, all: Mutex::new(all) };
        buckets.save(&lock(&buckets.all))?;
        Ok(buckets)
    }

    fn save(&self, all: &BTreeMap<String, Bucket>) -> io::Result<()> {
        let tmp = self.path.with_extension("json.tmp");
        fs::write(&tmp, serde_json::to_vec(all).map_err(io::Error::other)?)?;
        fs::rename(tmp, &self.path)
    }

    /// The names of every bucket.
    pub fn names(&self) -> Vec<String> {
        lock(&self.all).keys().cloned().collect()
    }

    /// Whether `name` exists.
    pub fn exists(&self, name: &str) -> bool {
        lock(&self.all).contains_key(name)
    }

    /// The bucket `name`.
    pub fn get(&self, name: &str) -> Option<Bucket> {
        lock(&self.all).get(name).cloned()
    }

    /// Changes the bucket `name` with `f`; `NoSuchBucket` when it does not exist.
    pub fn update(&self, name: &str, f: impl FnOnce(&mut Bucket)) -> Result<(), OssError> {
        let mut all = lock(&self.all);
        f(all.get_mut(name).ok_or_else(|| no_such_bucket(name))?);
        self.save(&all).map_err(|e| OssError::internal(format!("cannot record the bucket: {e}")))
    }
}

/// `404 NoSuchBucket` naming `name`.
pub fn no_such_bucket(name: &str) -> OssError {
    OssError::new(404, "NoSuchBucket", "The specified bucket does not exist.").with_extra("BucketName", name)
}

/// Whether `name` follows OSS's bucket naming rules.
pub fn valid_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// The `x-oss-acl` header, checked (`None` when absent).
fn requested_acl<'r>(req: &'r Request<'_>) -> Result<Option<&'r str>, OssError> {
    match req.head.header("x-oss-acl") {
        None => Ok(None),
        Some(acl) if BUCKET_ACLS.contains(&acl) => Ok(Some(acl)),
        Some(acl) => Err(OssError::invalid_argument("no such bucket access control exists")
            .with_extra("ArgumentName", "x-oss-acl")
            .with_extra("ArgumentValue", acl)),
    }
}

/// The storage class of a `CreateBucketConfiguration` body (`Standard` for an empty body).
fn requested_class(req: &mut Request<'_>) -> Result<String, OssError> {
    let body = small_body(req, 64 * 1024)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok("Standard".into());
    }
    let text = String::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
    let root = xml::parse(&text).map_err(|_| OssError::malformed_xml())?;
    if root.name != "CreateBucketConfiguration" {
        return Err(OssError::malformed_xml());
    }
    let class = root.child("StorageClass").map_or("Standard", |c| c.text.as_str());
    if !STORAGE_CLASSES.contains(&class) {
        return Err(OssError::new(400, "InvalidStorageClass", "The storage class you specified is not valid.")
            .with_extra("StorageClass", class));
    }
    Ok(class.to_string())
}

/// PUT /bucket.
pub fn create(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    if !valid_name(&ctx.bucket) {
        return Err(OssError::new(400, "InvalidBucketName", "The specified bucket is not valid.")
            .with_extra("BucketName", ctx.bucket.clone()));
    }
    let acl = requested_acl(req)?.unwrap_or("private").to_string();
    let storage_class = requested_class(req)?;
    let mut all = lock(&oss.store.buckets.all);
    if all.contains_key(&ctx.bucket) {
        return Err(OssError::new(409, "BucketAlreadyExists", "The requested bucket name is not available.")
            .with_extra("BucketName", ctx.bucket.clone()));
    }
    let failed = |e: io::Error| OssError::internal(format!("cannot create the bucket: {e}"));
    oss.store.add_bucket(&ctx.bucket).map_err(failed)?;
    all.insert(
        ctx.bucket.clone(),
        Bucket { acl, storage_class, created: time::now_unix(), cors: None, versioning: None },
    );
    oss.store.buckets.save(&all).map_err(failed)?;
    Ok(Response::empty(200).header("Location", format!("/{}", ctx.bucket)))
}

/// DELETE /bucket.
pub fn delete(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let mut all = lock(&oss.store.buckets.all);
    if oss.store.holds_anything(&ctx.bucket) || !oss.uploads.ids(&ctx.bucket).is_empty() {
        return Err(OssError::new(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.")
            .with_extra("BucketName", ctx.bucket.clone()));
    }
    all.remove(&ctx.bucket).ok_or_else(|| no_such_bucket(&ctx.bucket))?;
    let failed = |e: io::Error| OssError::internal(format!("cannot delete the bucket: {e}"));
    oss.store.buckets.save(&all).map_err(failed)?;
    oss.store.remove_bucket(&ctx.bucket).map_err(failed)?;
    Ok(Response::empty(204))
}

/// PUT /bucket?acl.
pub fn put_acl(oss: &Oss, req: &Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let acl = requested_acl(req)?.ok_or_else(|| OssError::invalid_argument("The x-oss-acl header is required."))?;
    oss.store.buckets.update(&ctx.bucket, |b| b.acl = acl.to_string())?;
    Ok(Response::empty(200))
}

/// The ACL of `bucket` (`private` for a bucket deleted meanwhile: the answer is about to be NoSuchBucket anyway).
pub fn acl_of(oss: &Oss, bucket: &str) -> String {
    oss.store.buckets.get(bucket).map_or_else(|| "private".into(), |b| b.acl)
}

/// The elements ListBuckets and GetBucketInfo share.
fn description(oss: &Oss, name: &str, bucket: &Bucket) -> Vec<Node> {
    let region = &oss.settings.region;
    vec![
        leaf("CreationDate", time::iso8601_secs(bucket.created)),
        leaf("ExtranetEndpoint", format!("oss-{region}.aliyuncs.com")),
        leaf("IntranetEndpoint", format!("oss-{region}-internal.aliyuncs.com")),
        leaf("Location", format!("oss-{region}")),
        leaf("Name", name),
        leaf("Region", region.clone()),
        leaf("StorageClass", bucket.storage_class.clone()),
    ]
}

fn owner() -> Node {
    Node::Group("Owner", vec![leaf("ID", OWNER_ID), leaf("DisplayName", OWNER_ID)])
}

/// GET / (`prefix`, `marker`, `max-keys`; the paging elements appear only when one of them is given, as OSS does).
pub fn list(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let max = match ctx.param("max-keys") {
        None => MAX_BUCKETS,
        Some(v) => v.parse::<usize>().ok().filter(|n| (1..=MAX_BUCKETS).contains(n)).ok_or_else(|| {
            OssError::invalid_argument("max-keys must be an integer from 1 to 1000.")
                .with_extra("ArgumentName", "max-keys")
        })?,
    };
    let prefix = ctx.param("prefix").unwrap_or("");
    let marker = ctx.param("marker").unwrap_or("");
    let all = lock(&oss.store.buckets.all).clone();
    let matching: Vec<(&String, &Bucket)> =
        all.iter().filter(|(n, _)| n.starts_with(prefix) && n.as_str() > marker).collect();
    let page = &matching[..matching.len().min(max)];
    let truncated = matching.len() > page.len();
    let mut nodes = Vec::new();
    if ["prefix", "marker", "max-keys"].iter().any(|p| ctx.param(p).is_some()) {
        nodes.extend([leaf("Prefix", prefix), leaf("Marker", marker), leaf("MaxKeys", max.to_string())]);
        nodes.push(leaf("IsTruncated", truncated.to_string()));
        if let (true, Some((last, _))) = (truncated, page.last()) {
            nodes.push(leaf("NextMarker", last.as_str()));
        }
    }
    nodes.push(owner());
    let buckets = page.iter().map(|(n, b)| Node::Group("Bucket", description(oss, n, b))).collect();
    nodes.push(Node::Group("Buckets", buckets));
    Ok(Response::bytes(200, "application/xml", document("ListAllMyBucketsResult", &nodes)))
}

/// GET /bucket?bucketInfo.
pub fn info(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let bucket = oss.store.buckets.get(&ctx.bucket).ok_or_else(|| no_such_bucket(&ctx.bucket))?;
    let mut nodes = description(oss, &ctx.bucket, &bucket);
    nodes.extend([
        leaf("AccessMonitor", "Disabled"),
        leaf("TransferAcceleration", "Disabled"),
        leaf("CrossRegionReplication", "Disabled"),
        leaf("DataRedundancyType", "LRS"),
        owner(),
        Node::Group("AccessControlList", vec![leaf("Grant", bucket.acl.clone())]),
        Node::Group("ServerSideEncryptionRule", vec![leaf("SSEAlgorithm", "None")]),
        Node::Group("BucketPolicy", vec![leaf("LogBucket", ""), leaf("LogPrefix", "")]),
    ]);
    Ok(Response::bytes(200, "application/xml", document("BucketInfo", &[Node::Group("Bucket", nodes)])))
}

/// GET /bucket?stat: sizes and counts of the stored objects and open uploads (every object is Standard).
pub fn stat(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let objects = oss.store.list(&ctx.bucket);
    let storage: u64 = objects.iter().map(|m| m.size).sum();
    let count = objects.len().to_string();
    let last_modified = objects.iter().map(|m| m.last_modified).max().unwrap_or(0);
    let zero = |name| leaf(name, "0");
    let nodes = vec![
        leaf("Storage", storage.to_string()),
        leaf("ObjectCount", count.clone()),
        leaf("MultipartUploadCount", oss.uploads.ids(&ctx.bucket).len().to_string()),
        zero("LiveChannelCount"),
        leaf("LastModifiedTime", last_modified.to_string()),
        leaf("StandardStorage", storage.to_string()),
        leaf("StandardObjectCount", count),
        zero("InfrequentAccessStorage"),
        zero("InfrequentAccessRealStorage"),
        zero("InfrequentAccessObjectCount"),
        zero("ArchiveStorage"),
        zero("ArchiveRealStorage"),
        zero("ArchiveObjectCount"),
        zero("ColdArchiveStorage"),
        zero("ColdArchiveRealStorage"),
        zero("ColdArchiveObjectCount"),
    ];
    Ok(Response::bytes(200, "application/xml", document("BucketStat", &nodes)))
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    #[test]
    fn bucket_names() {
        for ok in ["abc", "a-b-1", &"a".repeat(63)] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["ab", "-abc", "abc-", "Abc", "a_b", "a.b", &"a".repeat(64)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
