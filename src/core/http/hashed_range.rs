//! MD5 of file ranges for the SDK's part pattern (`OssUtil::getMd5SumForFile` of a range, then `uploadPart` of the
//! same range, part after part), so that it costs about one MD5 pass over the file:
//!
//! - the range last hashed is kept, and the part upload of the same range that follows sends it without reading
//!   the file again;
//! - once two consecutive calls hash adjacent ranges of one length (a sequential pass), the next range is read and
//!   hashed ahead on a background thread while the caller uploads the current one.
//!
//! One process-wide state; ranges of at most [`MAX_LEN`] bytes; at most two buffers, from a process-wide pool, so
//! the memory used is about two part sizes. A kept or read-ahead range is used only while its file is unchanged (device, inode, size and mtime as
//! when it was read), and only in the process that read it (not after `fork`).

use std::fs::{File, Metadata};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use bytes::Bytes;
use once_cell::sync::Lazy;

use super::buffers::{Budget, BufferPool};
use crate::core::error::Result;
use crate::core::ops::content_md5;

/// Longest range handled here (longer ones are hashed in chunks by the caller and read again when sent).
pub const MAX_LEN: u64 = 32 * 1024 * 1024;

static POOL: Lazy<Arc<BufferPool>> = Lazy::new(Arc::default);
/// Two buffers: the range being uploaded (or kept for the upload) and the one hashed ahead.
static BUDGET: Lazy<Arc<Budget>> = Lazy::new(|| Arc::new(Budget::new(2)));
static STATE: Mutex<State> = Mutex::new(State { last: None, previous_call: None, ahead: None });

/// Serialises the unit tests that go through the process-wide state.
#[cfg(test)]
pub static TEST_LOCK: Mutex<()> = Mutex::new(());

struct State {
    /// The range hashed last, until a part upload takes it.
    last: Option<Hashed>,
    /// The range of the previous MD5 call, to recognise a sequential pass.
    previous_call: Option<Span>,
    /// The range being read and hashed ahead.
    ahead: Option<Ahead>,
}

/// Which file a range came from, as the file was when it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl Identity {
    fn of(meta: &Metadata) -> Identity {
        let mtime_ns = i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec());
        Identity { dev: meta.dev(), ino: meta.ino(), size: meta.len(), mtime_ns }
    }

    /// True when `path` is still the file this identity describes, unchanged.
    fn still(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| Identity::of(&m) == *self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Span {
    path: PathBuf,
    offset: u64,
    len: u64,
}

/// A range read and hashed.
struct Hashed {
    span: Span,
    identity: Identity,
    data: Bytes,
    md5: String,
}

/// A range being read and hashed on a background thread of process `pid`.
struct Ahead {
    span: Span,
    pid: u32,
    slot: Arc<Slot>,
}

#[derive(Default)]
struct Slot {
    result: Mutex<Option<Option<Hashed>>>,
    filled: Condvar,
}

fn state() -> std::sync::MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Content-MD5 of `len` (≤ [`MAX_LEN`]) bytes of `path` at `offset`; the bytes are kept for the upload that
/// usually follows, and the next range is hashed ahead when the calls form a sequential pass.
pub fn content_md5_of(path: &Path, offset: u64, len: u64) -> Result<String> {
    let span = Span { path: path.to_path_buf(), offset, len };
    let hashed = match from_read_ahead(&span) {
        Some(hashed) => hashed,
        None => {
            state().last = None; // its buffer is not wanted any more: let `hash` have it
            let file = File::open(path).map_err(|e| super::file_error(path, &e))?;
            hash(&file, span.clone())?
        }
    };
    let md5 = hashed.md5.clone();
    let size = hashed.identity.size;
    let mut st = state();
    st.last = Some(hashed);
    let sequential =
        st.previous_call.as_ref().is_some_and(|p| p.path == span.path && p.len == len && p.offset + len == offset);
    let next = offset + len;
    if sequential && next < size && st.ahead.is_none() {
        st.ahead = read_ahead(Span { path: span.path.clone(), offset: next, len: len.min(size - next) });
    }
    st.previous_call = Some(span);
    Ok(md5)
}

/// The bytes last hashed if they are `len` bytes of `path` at `offset` and the file has not changed since; they
/// are handed out once.
pub fn take(path: &Path, offset: u64, len: u64) -> Option<Bytes> {
    let mut st = state();
    let hit = st
        .last
        .as_ref()
        .is_some_and(|h| h.span.path == path && h.span.offset == offset && h.span.len == len && h.identity.still(path));
    if hit {
        st.last.take().map(|h| h.data)
    } else {
        None
    }
}

fn hash(file: &File, span: Span) -> Result<Hashed> {
    let identity = file.metadata().map(|m| Identity::of(&m)).map_err(|e| super::file_error(&span.path, &e))?;
    let permit = Budget::acquire(&BUDGET);
    let data = POOL.read_range_holding(file, &span.path, span.offset, span.len as usize, permit)?;
    let md5 = content_md5(&data);
    Ok(Hashed { span, identity, data, md5 })
}

/// The read-ahead result for `span`, waiting for it if it is still being computed; None when there is none for
/// this span (another one is dropped), it failed, or the file changed since.
fn from_read_ahead(span: &Span) -> Option<Hashed> {
    let ahead = state().ahead.take()?;
    if ahead.span != *span || ahead.pid != std::process::id() {
        return None;
    }
    let mut result = ahead.slot.result.lock().unwrap_or_else(PoisonError::into_inner);
    while result.is_none() {
        result = ahead.slot.filled.wait(result).unwrap_or_else(PoisonError::into_inner);
    }
    result.take().flatten().filter(|h| h.identity.still(&span.path))
}

/// Starts hashing `span` on a background thread (None when no thread can be started).
fn read_ahead(span: Span) -> Option<Ahead> {
    let slot = Arc::new(Slot::default());
    let (job_span, job_slot) = (span.clone(), Arc::clone(&slot));
    let started = std::thread::Builder::new().name("ossrs-md5-ahead".into()).spawn(move || {
        let hashed = File::open(&job_span.path).ok().and_then(|f| hash(&f, job_span).ok());
        *job_slot.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(hashed);
        job_slot.filled.notify_all();
    });
    started.ok().map(|_| Ahead { span, pid: std::process::id(), slot })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        let guard = TEST_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        *state() = State { last: None, previous_call: None, ahead: None };
        guard
    }

    #[test]
    fn a_range_is_reused_once_and_only_while_the_file_is_unchanged() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(content_md5_of(&path, 2, 5).unwrap(), content_md5(b"23456"));
        assert_eq!(take(&path, 2, 4), None, "another length");
        assert_eq!(take(&path, 3, 5), None, "another offset");
        assert_eq!(take(&dir.path().join("g"), 2, 5), None, "another file");
        assert_eq!(take(&path, 2, 5).as_deref(), Some(&b"23456"[..]));
        assert_eq!(take(&path, 2, 5), None, "handed out once");

        content_md5_of(&path, 0, 4).unwrap();
        std::fs::write(&path, b"abcdefghij").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
        File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
        assert_eq!(take(&path, 0, 4), None, "the file changed");
    }

    #[test]
    fn a_sequential_pass_is_hashed_ahead_and_a_change_is_noticed() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let md5_at = |d: &[u8], from: usize, len: usize| content_md5(&d[from..from + len]);

        assert_eq!(content_md5_of(&path, 0, 300).unwrap(), md5_at(&data, 0, 300));
        assert!(state().ahead.is_none(), "one call is not a pass yet");
        assert_eq!(content_md5_of(&path, 300, 300).unwrap(), md5_at(&data, 300, 300));
        assert_eq!(state().ahead.as_ref().map(|a| (a.span.offset, a.span.len)), Some((600, 300)));
        assert_eq!(content_md5_of(&path, 600, 300).unwrap(), md5_at(&data, 600, 300));
        assert_eq!(take(&path, 600, 300).as_deref(), Some(&data[600..900]), "read ahead, then sent");
        assert_eq!(state().ahead.as_ref().map(|a| (a.span.offset, a.span.len)), Some((900, 100)), "the last part");

        // The file changes while its next range is hashed ahead: the stale result is not used.
        let changed: Vec<u8> = data.iter().map(|b| b ^ 0xff).collect();
        std::fs::write(&path, &changed).unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
        File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
        assert_eq!(content_md5_of(&path, 900, 100).unwrap(), md5_at(&changed, 900, 100));
        assert_eq!(take(&path, 900, 100).as_deref(), Some(&changed[900..1000]));

        // A range other than the one hashed ahead is computed directly.
        content_md5_of(&path, 0, 100).unwrap();
        content_md5_of(&path, 100, 100).unwrap();
        assert_eq!(content_md5_of(&path, 500, 100).unwrap(), md5_at(&changed, 500, 100));
    }
}
