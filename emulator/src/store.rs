//! Object storage on disk: one data file and one JSON metadata file per object version, written to a temporary
//! file first and renamed into place, with an in-memory index loaded at start.
//!
//! Every key has a history, newest first: stored versions and delete markers. In a bucket that never had versioning
//! the history is one version, `null`, replaced by each write and removed by a delete; with versioning `Enabled`
//! each write adds a version with a new id and a delete adds a delete marker; `Suspended` writes and deletes
//! replace the `null` entry (a version or a delete marker) and keep the others. The current object is the newest
//! entry when it is not a delete marker.
use crate::bucket::Buckets;
use crate::encoding::{hex_lower, hex_upper};
use crate::server::lock;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What OSS keeps about an object besides its bytes.
#[derive(Debug, Clone)]
pub struct ObjectMeta {
    pub key: String,
    pub content_type: String,
    /// ETag without quotes (upper-case hex, `-N` suffix for multipart objects).
    pub etag: String,
    pub size: u64,
    pub crc64: u64,
    /// Base64 MD5 (PutObject only; multipart objects have none).
    pub content_md5: Option<String>,
    /// `x-oss-meta-*` headers, names lower-cased.
    pub user_meta: Vec<(String, String)>,
    /// Unix seconds.
    pub last_modified: i64,
    /// `Normal` or `Multipart`.
    pub object_type: String,
    /// The object ACL: `default` (the bucket's), `private`, `public-read` or `public-read-write`.
    pub acl: String,
    /// For a Symlink object: the key it points to.
    pub symlink_target: Option<String>,
    /// Object tags, in the order they were set.
    pub tags: Vec<(String, String)>,
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`.
    pub storage_class: String,
    /// For an archived object being or having been restored: (readable from, readable until), Unix seconds.
    pub restore: Option<(i64, i64)>,
    /// The version id (`null` in a bucket that never had versioning); set by [`Store::commit`].
    pub version_id: String,
}

impl ObjectMeta {
    /// A new object's metadata from its digests: ETag and Content-MD5 from the MD5, no user metadata or tags, the
    /// bucket's ACL, Standard, written now (the version id is set by [`Store::commit`]).
    pub fn new(key: String, content_type: String, object_type: &str, digests: &Digests) -> ObjectMeta {
        ObjectMeta {
            key,
            content_type,
            etag: hex_upper(&digests.md5),
            size: digests.size,
            crc64: digests.crc64,
            content_md5: Some(B64.encode(digests.md5)),
            user_meta: Vec::new(),
            last_modified: crate::time::now_unix(),
            object_type: object_type.to_string(),
            acl: "default".into(),
            symlink_target: None,
            tags: Vec::new(),
            storage_class: "Standard".into(),
            restore: None,
            version_id: String::new(),
        }
    }

    /// The JSON form used for the metadata file and for `Emulator::object_meta`.
    pub fn to_json(&self) -> Value {
        let meta: serde_json::Map<String, Value> =
            self.user_meta.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        json!({
            "key": self.key,
            "content_type": self.content_type,
            "etag": format!("\"{}\"", self.etag),
            "size": self.size,
            "crc64": self.crc64,
            "content_md5": self.content_md5,
            "user_meta": meta,
            "last_modified": self.last_modified,
            "object_type": self.object_type,
            "acl": self.acl,
            "symlink_target": self.symlink_target,
            "tags": self.tags,
            "storage_class": self.storage_class,
            "restore": self.restore,
            "version_id": self.version_id,
        })
    }

    fn from_json(v: &Value) -> Option<ObjectMeta> {
        Some(ObjectMeta {
            key: v["key"].as_str()?.to_string(),
            content_type: v["content_type"].as_str()?.to_string(),
            etag: v["etag"].as_str()?.trim_matches('"').to_string(),
            size: v["size"].as_u64()?,
            crc64: v["crc64"].as_u64()?,
            content_md5: v["content_md5"].as_str().map(str::to_string),
            user_meta: v["user_meta"]
                .as_object()?
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect(),
            last_modified: v["last_modified"].as_i64()?,
            object_type: v["object_type"].as_str().unwrap_or("Normal").to_string(),
            acl: v["acl"].as_str().unwrap_or("default").to_string(),
            symlink_target: v["symlink_target"].as_str().map(str::to_string),
            tags: serde_json::from_value(v["tags"].clone()).unwrap_or_default(),
            storage_class: v["storage_class"].as_str().unwrap_or("Standard").to_string(),
            restore: serde_json::from_value(v["restore"].clone()).unwrap_or_default(),
            version_id: v["version_id"].as_str().unwrap_or(NULL_VERSION).to_string(),
        })
    }
}

/// Size, MD5 and CRC-64 of a byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    pub size: u64,
    pub md5: [u8; 16],
    pub crc64: u64,
}

/// Why a streamed copy stopped.
#[derive(Debug)]
pub enum CopyError {
    /// Reading the source (the request body) failed.
    Read(io::Error),
    /// Writing the destination failed.
    Write(io::Error),
}

/// Copies `src` into a new file at `dest`, computing its digests on the way.
pub fn write_hashed(src: &mut dyn Read, dest: &Path) -> Result<Digests, CopyError> {
    let file = File::create(dest).map_err(CopyError::Write)?;
    let mut out = BufWriter::with_capacity(256 * 1024, file);
    let mut md5 = Md5::new();
    let mut crc = crc64fast::Digest::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        md5.update(&buf[..n]);
        crc.write(&buf[..n]);
        size += n as u64;
        out.write_all(&buf[..n]).map_err(CopyError::Write)?;
    }
    out.flush().map_err(CopyError::Write)?;
    Ok(Digests { size, md5: md5.finalize().into(), crc64: crc.sum64() })
}

/// The version id of writes in a bucket without versioning or with versioning suspended.
pub const NULL_VERSION: &str = "null";

/// One entry of a key's history.
#[derive(Debug, Clone)]
pub enum Version {
    /// Stored bytes and their metadata.
    Object(Box<ObjectMeta>),
    /// A delete marker.
    DeleteMarker(DeleteMarker),
}

/// A delete marker: the key reads as deleted while it is the newest entry.
#[derive(Debug, Clone)]
pub struct DeleteMarker {
    pub key: String,
    pub version_id: String,
    /// Unix seconds.
    pub last_modified: i64,
}

impl Version {
    pub fn key(&self) -> &str {
        match self {
            Version::Object(m) => &m.key,
            Version::DeleteMarker(d) => &d.key,
        }
    }

    pub fn version_id(&self) -> &str {
        match self {
            Version::Object(m) => &m.version_id,
            Version::DeleteMarker(d) => &d.version_id,
        }
    }
}

/// Why a version could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The key has no history, or (no version asked for) its newest entry is a delete marker (`Some(its id)`).
    Key(Option<String>),
    /// The key has no version with the id asked for.
    Version,
    /// The version asked for is a delete marker.
    DeleteMarker(String),
}

/// What a delete did, for the response headers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deleted {
    /// The version removed or the delete marker added (None in a bucket that never had versioning).
    pub version_id: Option<String>,
    /// Whether a delete marker was added or removed.
    pub delete_marker: bool,
}

type History = Vec<(u64, Version)>;

/// The buckets and their objects under one root directory.
pub struct Store {
    pub buckets: Buckets,
    root: PathBuf,
    /// Per bucket and key: the history, newest first, each entry with its write sequence number.
    index: Mutex<HashMap<(String, String), History>>,
    tmp_seq: AtomicU64,
    /// The next write sequence number (orders histories across restarts; part of new version ids).
    write_seq: AtomicU64,
}

impl Store {
    /// Opens (creating if needed) the store at `root` with the buckets it recorded plus `configured`, and loads
    /// their objects.
    pub fn open(root: &Path, configured: &[String]) -> io::Result<Store> {
        fs::create_dir_all(root.join("tmp"))?;
        let buckets = Buckets::open(root.join("buckets.json"), configured)?;
        let mut index: HashMap<(String, String), History> = HashMap::new();
        let mut last_seq = 0;
        for bucket in &buckets.names() {
            let dir = root.join("objects").join(bucket);
            fs::create_dir_all(&dir)?;
            for entry in fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == "json") {
                    let loaded = fs::read(&path).ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok());
                    if let Some((seq, version)) = loaded.as_ref().and_then(version_from_json) {
                        last_seq = last_seq.max(seq);
                        index.entry((bucket.clone(), version.key().to_string())).or_default().push((seq, version));
                    }
                }
            }
        }
        for history in index.values_mut() {
            history.sort_by_key(|(seq, _)| std::cmp::Reverse(*seq));
        }
        Ok(Store {
            buckets,
            root: root.to_path_buf(),
            index: Mutex::new(index),
            tmp_seq: AtomicU64::new(0),
            write_seq: AtomicU64::new(last_seq + 1),
        })
    }

    /// Makes room for the objects of a new bucket.
    pub fn add_bucket(&self, bucket: &str) -> io::Result<()> {
        fs::create_dir_all(self.root.join("objects").join(bucket))
    }

    /// Removes the (empty) object directory of a deleted bucket.
    pub fn remove_bucket(&self, bucket: &str) -> io::Result<()> {
        fs::remove_dir(self.root.join("objects").join(bucket))
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A fresh path for a temporary file inside the store.
    pub fn temp_path(&self) -> PathBuf {
        let n = self.tmp_seq.fetch_add(1, Ordering::SeqCst);
        self.root.join("tmp").join(format!("{}-{n}", std::process::id()))
    }

    /// The data and metadata files of one version.
    fn paths(&self, bucket: &str, key: &str, version_id: &str) -> (PathBuf, PathBuf) {
        let mut name = hex_lower(&Sha256::digest(key.as_bytes()));
        if version_id != NULL_VERSION {
            name = format!("{name}.{version_id}");
        }
        let dir = self.root.join("objects").join(bucket);
        (dir.join(format!("{name}.data")), dir.join(format!("{name}.json")))
    }

    /// Whether `bucket` versions its writes (versioning `Enabled`).
    fn versioning_enabled(&self, bucket: &str) -> bool {
        self.buckets.get(bucket).and_then(|b| b.versioning).as_deref() == Some("Enabled")
    }

    /// Adds `entry` as the newest entry of its key: with versioning enabled beside the others, otherwise in place of
    /// the `null` entry (whose files it replaces). `data` is the finished temporary file of an object.
    fn push(&self, bucket: &str, seq: u64, entry: Version, data: Option<&Path>) -> io::Result<()> {
        let key = entry.key().to_string();
        let (data_path, meta_path) = self.paths(bucket, &key, entry.version_id());
        let tmp_meta = self.temp_path();
        fs::write(&tmp_meta, version_to_json(seq, &entry).to_string())?;
        let mut index = lock(&self.index);
        match data {
            Some(data) => fs::rename(data, &data_path)?,
            None => match fs::remove_file(&data_path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            },
        }
        fs::rename(&tmp_meta, &meta_path)?;
        let history = index.entry((bucket.to_string(), key)).or_default();
        history.retain(|(_, v)| v.version_id() != entry.version_id());
        history.insert(0, (seq, entry));
        Ok(())
    }

    fn next_seq(&self) -> u64 {
        self.write_seq.fetch_add(1, Ordering::SeqCst)
    }

    /// Moves the finished temporary file `data` into place as the newest version of `bucket/meta.key`, and returns
    /// the metadata as stored (with its version id).
    pub fn commit(&self, bucket: &str, data: &Path, mut meta: ObjectMeta) -> io::Result<ObjectMeta> {
        let seq = self.next_seq();
        meta.version_id = if self.versioning_enabled(bucket) { new_version_id(seq) } else { NULL_VERSION.to_string() };
        self.push(bucket, seq, Version::Object(Box::new(meta.clone())), Some(data))?;
        Ok(meta)
    }

    /// Replaces the bytes and metadata of the existing version `meta.version_id` of `bucket/meta.key` (it keeps its
    /// place in the history); false when that version does not exist.
    pub fn rewrite(&self, bucket: &str, data: &Path, meta: ObjectMeta) -> io::Result<bool> {
        self.replace(bucket, meta, Some(data))
    }

    /// Replaces the metadata of an existing version (its bytes stay); false when it does not exist.
    pub fn update_meta(&self, bucket: &str, meta: ObjectMeta) -> io::Result<bool> {
        self.replace(bucket, meta, None)
    }

    fn replace(&self, bucket: &str, meta: ObjectMeta, data: Option<&Path>) -> io::Result<bool> {
        let (data_path, meta_path) = self.paths(bucket, &meta.key, &meta.version_id);
        let mut index = lock(&self.index);
        let Some(slot) = index.get_mut(&(bucket.to_string(), meta.key.clone())).and_then(|h| {
            h.iter_mut().find(|(_, v)| matches!(v, Version::Object(m) if m.version_id == meta.version_id))
        }) else {
            return Ok(false);
        };
        let tmp_meta = self.temp_path();
        fs::write(&tmp_meta, version_to_json(slot.0, &Version::Object(Box::new(meta.clone()))).to_string())?;
        if let Some(data) = data {
            fs::rename(data, &data_path)?;
        }
        fs::rename(&tmp_meta, &meta_path)?;
        slot.1 = Version::Object(Box::new(meta));
        Ok(true)
    }

    /// The metadata of the current version of `bucket/key`.
    pub fn meta(&self, bucket: &str, key: &str) -> Option<ObjectMeta> {
        self.meta_version(bucket, key, None).ok()
    }

    /// The metadata of version `version_id` of `bucket/key` (the current one when None).
    pub fn meta_version(&self, bucket: &str, key: &str, version_id: Option<&str>) -> Result<ObjectMeta, Missing> {
        let index = lock(&self.index);
        find(index.get(&(bucket.to_string(), key.to_string())), version_id).cloned()
    }

    /// Opens the current version of `bucket/key` for reading, with metadata consistent with the opened bytes.
    pub fn open_object(&self, bucket: &str, key: &str) -> Option<(File, ObjectMeta)> {
        self.open_version(bucket, key, None).ok()
    }

    /// Opens version `version_id` of `bucket/key` (the current one when None), with its metadata.
    pub fn open_version(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<(File, ObjectMeta), Missing> {
        let index = lock(&self.index);
        let meta = find(index.get(&(bucket.to_string(), key.to_string())), version_id)?.clone();
        let file = File::open(self.paths(bucket, key, &meta.version_id).0).map_err(|_| Missing::Key(None))?;
        Ok((file, meta))
    }

    /// The current version of every object of `bucket`, in key order (byte order, as OSS lists).
    pub fn list(&self, bucket: &str) -> Vec<ObjectMeta> {
        let mut all: Vec<ObjectMeta> = lock(&self.index)
            .iter()
            .filter(|((b, _), _)| b == bucket)
            .filter_map(|(_, h)| match h.first() {
                Some((_, Version::Object(m))) => Some(m.as_ref().clone()),
                _ => None,
            })
            .collect();
        all.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
        all
    }

    /// Every entry of every key of `bucket`: keys in byte order, each key's history newest first.
    pub fn versions(&self, bucket: &str) -> Vec<Version> {
        let index = lock(&self.index);
        let mut keys: Vec<&String> = index.keys().filter(|(b, _)| b == bucket).map(|(_, k)| k).collect();
        keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        keys.into_iter().flat_map(|k| index[&(bucket.to_string(), k.clone())].iter().map(|(_, v)| v.clone())).collect()
    }

    /// Whether `bucket` holds anything: a version or a delete marker.
    pub fn holds_anything(&self, bucket: &str) -> bool {
        lock(&self.index).keys().any(|(b, _)| b == bucket)
    }

    /// Deletes `bucket/key`: version `version_id` for good when given (a missing one is not an error), otherwise as
    /// the bucket's versioning says: removed, or hidden behind a new delete marker (markers accumulate, and one is
    /// added even for a key that has no history, as OSS does).
    pub fn delete(&self, bucket: &str, key: &str, version_id: Option<&str>) -> io::Result<Deleted> {
        let versioning = self.buckets.get(bucket).and_then(|b| b.versioning);
        match (version_id, versioning.as_deref()) {
            (Some(id), _) => {
                let was_marker = self.remove(bucket, key, id)?;
                Ok(Deleted { version_id: Some(id.to_string()), delete_marker: was_marker == Some(true) })
            }
            (None, None) => {
                self.remove(bucket, key, NULL_VERSION)?;
                Ok(Deleted::default())
            }
            (None, Some(state)) => {
                let seq = self.next_seq();
                let version_id = if state == "Enabled" { new_version_id(seq) } else { NULL_VERSION.to_string() };
                let marker = DeleteMarker {
                    key: key.to_string(),
                    version_id: version_id.clone(),
                    last_modified: crate::time::now_unix(),
                };
                self.push(bucket, seq, Version::DeleteMarker(marker), None)?;
                Ok(Deleted { version_id: Some(version_id), delete_marker: true })
            }
        }
    }

    /// Removes one entry for good; Some(whether it was a delete marker) when it existed.
    fn remove(&self, bucket: &str, key: &str, version_id: &str) -> io::Result<Option<bool>> {
        let (data_path, meta_path) = self.paths(bucket, key, version_id);
        let mut index = lock(&self.index);
        let entry = (bucket.to_string(), key.to_string());
        let Some(history) = index.get_mut(&entry) else { return Ok(None) };
        let Some(at) = history.iter().position(|(_, v)| v.version_id() == version_id) else { return Ok(None) };
        let (_, removed) = history.remove(at);
        if history.is_empty() {
            index.remove(&entry);
        }
        fs::remove_file(meta_path)?;
        let was_marker = matches!(removed, Version::DeleteMarker(_));
        if !was_marker {
            fs::remove_file(data_path)?;
        }
        Ok(Some(was_marker))
    }
}

/// The entry of `history` a read of `version_id` (None: the current one) finds.
fn find<'h>(history: Option<&'h History>, version_id: Option<&str>) -> Result<&'h ObjectMeta, Missing> {
    let history = history.ok_or(Missing::Key(None))?;
    let found = match version_id {
        None => &history.first().ok_or(Missing::Key(None))?.1,
        Some(id) => &history.iter().find(|(_, v)| v.version_id() == id).ok_or(Missing::Version)?.1,
    };
    match (found, version_id) {
        (Version::Object(m), _) => Ok(m),
        (Version::DeleteMarker(d), None) => Err(Missing::Key(Some(d.version_id.clone()))),
        (Version::DeleteMarker(d), Some(_)) => Err(Missing::DeleteMarker(d.version_id.clone())),
    }
}

/// A new version id: opaque to clients, unique in this store (it carries the write sequence number).
fn new_version_id(seq: u64) -> String {
    format!("CAEQ{seq:012X}{:08X}", rand::random::<u32>())
}

fn version_to_json(seq: u64, version: &Version) -> Value {
    match version {
        Version::Object(m) => {
            let mut v = m.to_json();
            v["seq"] = json!(seq);
            v
        }
        Version::DeleteMarker(d) => json!({
            "key": d.key,
            "version_id": d.version_id,
            "last_modified": d.last_modified,
            "delete_marker": true,
            "seq": seq,
        }),
    }
}

fn version_from_json(v: &Value) -> Option<(u64, Version)> {
    let seq = v["seq"].as_u64().unwrap_or(0);
    if v["delete_marker"].as_bool() == Some(true) {
        let marker = DeleteMarker {
            key: v["key"].as_str()?.to_string(),
            version_id: v["version_id"].as_str()?.to_string(),
            last_modified: v["last_modified"].as_i64()?,
        };
        return Some((seq, Version::DeleteMarker(marker)));
    }
    Some((seq, Version::Object(Box::new(ObjectMeta::from_json(v)?))))
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc64_check_value() {
        let mut crc = crc64fast::Digest::new();
        crc.write(b"123456789");
        assert_eq!(crc.sum64(), 0x995D_C9BB_DF19_39FA);
    }
}
