//! Object storage on disk: one data file and one JSON metadata file per object, written to a
//! temporary file first and renamed into place, with an in-memory index loaded at start.

use crate::bucket::Buckets;
use crate::encoding::hex_lower;
use crate::server::lock;
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
}

impl ObjectMeta {
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

/// The buckets and their objects under one root directory.
pub struct Store {
    pub buckets: Buckets,
    root: PathBuf,
    index: Mutex<HashMap<(String, String), ObjectMeta>>,
    tmp_seq: AtomicU64,
}

impl Store {
    /// Opens (creating if needed) the store at `root` with the buckets it recorded plus `configured`, and loads
    /// their objects.
    pub fn open(root: &Path, configured: &[String]) -> io::Result<Store> {
        fs::create_dir_all(root.join("tmp"))?;
        let buckets = Buckets::open(root.join("buckets.json"), configured)?;
        let mut index = HashMap::new();
        for bucket in &buckets.names() {
            let dir = root.join("objects").join(bucket);
            fs::create_dir_all(&dir)?;
            for entry in fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == "json") {
                    let meta = fs::read(&path)
                        .ok()
                        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                        .and_then(|v| ObjectMeta::from_json(&v));
                    if let Some(meta) = meta {
                        index.insert((bucket.clone(), meta.key.clone()), meta);
                    }
                }
            }
        }
        Ok(Store { buckets, root: root.to_path_buf(), index: Mutex::new(index), tmp_seq: AtomicU64::new(0) })
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

    fn paths(&self, bucket: &str, key: &str) -> (PathBuf, PathBuf) {
        let name = hex_lower(&Sha256::digest(key.as_bytes()));
        let dir = self.root.join("objects").join(bucket);
        (dir.join(format!("{name}.data")), dir.join(format!("{name}.json")))
    }

    /// Moves the finished temporary file `data` into place as `bucket/meta.key`.
    pub fn commit(&self, bucket: &str, data: &Path, meta: ObjectMeta) -> io::Result<()> {
        let (data_path, meta_path) = self.paths(bucket, &meta.key);
        let tmp_meta = self.temp_path();
        fs::write(&tmp_meta, meta.to_json().to_string())?;
        let mut index = lock(&self.index);
        fs::rename(data, &data_path)?;
        fs::rename(&tmp_meta, &meta_path)?;
        index.insert((bucket.to_string(), meta.key.clone()), meta);
        Ok(())
    }

    /// The metadata of `bucket/key`.
    pub fn meta(&self, bucket: &str, key: &str) -> Option<ObjectMeta> {
        lock(&self.index).get(&(bucket.to_string(), key.to_string())).cloned()
    }

    /// Opens `bucket/key` for reading, with metadata consistent with the opened bytes.
    pub fn open_object(&self, bucket: &str, key: &str) -> Option<(File, ObjectMeta)> {
        let index = lock(&self.index);
        let meta = index.get(&(bucket.to_string(), key.to_string()))?.clone();
        let file = File::open(self.paths(bucket, key).0).ok()?;
        Some((file, meta))
    }

    /// The metadata of every object of `bucket`, in key order (byte order, as OSS lists).
    pub fn list(&self, bucket: &str) -> Vec<ObjectMeta> {
        let mut all: Vec<ObjectMeta> =
            lock(&self.index).iter().filter(|((b, _), _)| b == bucket).map(|(_, m)| m.clone()).collect();
        all.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
        all
    }

    /// Replaces the metadata of an existing object (its bytes stay); false when it does not exist.
    pub fn update_meta(&self, bucket: &str, meta: ObjectMeta) -> io::Result<bool> {
        let (_, meta_path) = self.paths(bucket, &meta.key);
        let mut index = lock(&self.index);
        let entry = (bucket.to_string(), meta.key.clone());
        if !index.contains_key(&entry) {
            return Ok(false);
        }
        let tmp_meta = self.temp_path();
        fs::write(&tmp_meta, meta.to_json().to_string())?;
        fs::rename(&tmp_meta, &meta_path)?;
        index.insert(entry, meta);
        Ok(true)
    }

    /// Deletes `bucket/key` (a missing object is not an error).
    pub fn delete(&self, bucket: &str, key: &str) -> io::Result<()> {
        let (data_path, meta_path) = self.paths(bucket, key);
        let mut index = lock(&self.index);
        if index.remove(&(bucket.to_string(), key.to_string())).is_some() {
            fs::remove_file(meta_path)?;
            fs::remove_file(data_path)?;
        }
        Ok(())
    }
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
