//! The checkpoint file of a resumable managed upload: which upload it is, which file it reads (size and mtime),
//! and the parts already stored, all sealed with an MD5 of the contents. It is rewritten atomically (temporary
//! file + rename), so a crash or `kill -9` at any moment leaves either the old or the new state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use serde_json::{json, Value};

use crate::core::error::{Error, ErrorKind, Result};

/// Format version written into every checkpoint.
const VERSION: u64 = 1;

/// What a checkpoint must match to be resumed: the upload's target and the source file as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Source {
    pub bucket: String,
    pub key: String,
    pub part_size: u64,
    pub file_size: u64,
    pub file_mtime_ns: i128,
}

/// A stored part as the checkpoint records it (enough to complete the upload and check its CRC-64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StoredPart {
    pub len: u64,
    pub crc: u64,
}

/// A part's ETag and facts.
pub(super) type Parts = BTreeMap<u32, (String, StoredPart)>;

/// The checkpoint of one upload, bound to its file on disk (the parts are the caller's, passed to `save`).
#[derive(Debug)]
pub(super) struct Checkpoint {
    path: PathBuf,
    pub source: Source,
    pub upload_id: String,
}

/// What was found at the checkpoint path.
#[derive(Debug)]
pub(super) enum Loaded {
    /// No checkpoint: start a new upload.
    Missing,
    /// A sound checkpoint for this very upload and unchanged file, with the parts it records.
    Resume(Checkpoint, Parts),
    /// A sound checkpoint for another target or a changed file: its upload should be aborted.
    Stale { bucket: String, key: String, upload_id: String },
    /// Unreadable, not ours, or its seal does not match: ignored and replaced.
    Corrupt,
}

impl Checkpoint {
    /// A checkpoint for a new upload (not yet written).
    pub fn new(path: &Path, source: Source, upload_id: String) -> Checkpoint {
        Checkpoint { path: path.to_path_buf(), source, upload_id }
    }

    /// Reads the checkpoint at `path` and compares it with `source`.
    pub fn load(path: &Path, source: &Source) -> Loaded {
        let Ok(bytes) = std::fs::read(path) else {
            return if path.exists() { Loaded::Corrupt } else { Loaded::Missing };
        };
        let Some((cp, parts)) = parse(path, &bytes) else { return Loaded::Corrupt };
        if cp.source == *source {
            Loaded::Resume(cp, parts)
        } else {
            Loaded::Stale { bucket: cp.source.bucket, key: cp.source.key, upload_id: cp.upload_id }
        }
    }

    /// Writes the checkpoint with `parts` atomically. Errors: `Io` with the path.
    pub fn save(&self, parts: &Parts) -> Result<()> {
        let tmp = self.path.with_extension(format!("tmp{}", std::process::id()));
        let io =
            |e: std::io::Error| Error::new(ErrorKind::Io, format!("cannot write checkpoint {}: {e}", tmp.display()));
        std::fs::write(&tmp, self.render(parts)).map_err(io)?;
        std::fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::new(ErrorKind::Io, format!("cannot replace checkpoint {}: {e}", self.path.display()))
        })
    }

    /// Deletes the checkpoint file (after the upload completed); a missing file is fine.
    pub fn remove(path: &Path) {
        let _ = std::fs::remove_file(path);
    }

    fn render(&self, parts: &Parts) -> Vec<u8> {
        let parts: Vec<Value> = parts
            .iter()
            .map(|(n, (etag, p))| json!({"number": n, "etag": etag, "len": p.len, "crc64": p.crc.to_string()}))
            .collect();
        let state = json!({
            "version": VERSION,
            "bucket": self.source.bucket,
            "key": self.source.key,
            "upload_id": self.upload_id,
            "part_size": self.source.part_size,
            "file_size": self.source.file_size,
            "file_mtime_ns": self.source.file_mtime_ns.to_string(),
            "parts": parts,
        });
        let text = json!({"state": state, "md5": seal(&state)}).to_string();
        text.into_bytes()
    }
}

/// The seal: hex MD5 of the state's canonical JSON (serde_json writes object keys sorted).
fn seal(state: &Value) -> String {
    Md5::digest(state.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn parse(path: &Path, bytes: &[u8]) -> Option<(Checkpoint, Parts)> {
    let doc: Value = serde_json::from_slice(bytes).ok()?;
    let state = doc.get("state")?;
    if doc.get("md5")?.as_str()? != seal(state) || state.get("version")?.as_u64()? != VERSION {
        return None;
    }
    let text = |k: &str| state.get(k).and_then(Value::as_str).map(str::to_string);
    let num = |k: &str| state.get(k).and_then(Value::as_u64);
    let source = Source {
        bucket: text("bucket")?,
        key: text("key")?,
        part_size: num("part_size")?,
        file_size: num("file_size")?,
        file_mtime_ns: text("file_mtime_ns")?.parse().ok()?,
    };
    let mut parts = Parts::new();
    for p in state.get("parts")?.as_array()? {
        let number = u32::try_from(p.get("number")?.as_u64()?).ok()?;
        let etag = p.get("etag")?.as_str()?.to_string();
        let stored = StoredPart { len: p.get("len")?.as_u64()?, crc: p.get("crc64")?.as_str()?.parse().ok()? };
        parts.insert(number, (etag, stored));
    }
    Some((Checkpoint { path: path.to_path_buf(), source, upload_id: text("upload_id")? }, parts))
}

/// The file's modification time in nanoseconds since the epoch (negative before it).
pub(super) fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source { bucket: "b".into(), key: "k".into(), part_size: 102_400, file_size: 300_000, file_mtime_ns: -5 }
    }

    #[test]
    fn round_trip_stale_and_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("upload.checkpoint");
        assert!(matches!(Checkpoint::load(&path, &source()), Loaded::Missing));

        let cp = Checkpoint::new(&path, source(), "UPLOAD".into());
        let mut parts = Parts::new();
        parts.insert(2, ("\"E2\"".into(), StoredPart { len: 102_400, crc: u64::MAX }));
        cp.save(&parts).unwrap();
        match Checkpoint::load(&path, &source()) {
            Loaded::Resume(back, back_parts) => {
                assert_eq!((back.upload_id.as_str(), &back_parts), ("UPLOAD", &parts));
            }
            other => panic!("{other:?}"),
        }

        let changed = Source { file_mtime_ns: 7, ..source() };
        assert!(
            matches!(Checkpoint::load(&path, &changed), Loaded::Stale { ref upload_id, .. } if upload_id == "UPLOAD")
        );

        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("102400", "102401")).unwrap();
        assert!(matches!(Checkpoint::load(&path, &source()), Loaded::Corrupt), "a tampered checkpoint is refused");
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        assert!(matches!(Checkpoint::load(&path, &source()), Loaded::Corrupt), "a truncated checkpoint is refused");
        assert!(matches!(Checkpoint::load(dir.path(), &source()), Loaded::Corrupt), "a directory is not a checkpoint");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left behind");
    }
}
