//! Reusable body buffers. A part read from disk goes into a pooled buffer that is handed to the transport
//! without a copy and comes back to the pool when the transport drops it, so a long upload reuses the same few
//! buffers (no page faults on fresh memory, no heap growth from buffers freed on another thread).

use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::core::error::{Error, ErrorKind, Result};

/// Idle bytes one pool keeps at most; buffers returned beyond this are freed.
const MAX_IDLE_BYTES: usize = 32 * 1024 * 1024;

/// The idle buffers of one client. Cheap to share (`Arc`); any thread may take and return buffers.
#[derive(Debug, Default)]
pub struct BufferPool {
    idle: Mutex<Vec<Vec<u8>>>,
}

impl BufferPool {
    /// A zero-length buffer with room for `len` bytes, reused when one is idle.
    fn take(self: &Arc<Self>, len: usize) -> PooledBuf {
        let reused = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            let best = idle.iter().enumerate().filter(|(_, b)| b.capacity() >= len).min_by_key(|(_, b)| b.capacity());
            best.map(|(i, _)| i).map(|i| idle.swap_remove(i))
        };
        let mut buf = reused.unwrap_or_else(|| Vec::with_capacity(len));
        buf.clear();
        PooledBuf { buf, pool: Arc::clone(self) }
    }

    /// Reads `len` bytes of `file` at `offset` into a pooled buffer. A file shorter than the range is an error.
    pub fn read_range(self: &Arc<Self>, file: &std::fs::File, path: &Path, offset: u64, len: usize) -> Result<Bytes> {
        let mut pooled = self.take(len);
        pooled.buf.resize(len, 0);
        file.read_exact_at(&mut pooled.buf, offset).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("reading bytes {offset}..{} of {} failed: {e}", offset + len as u64, path.display()),
            )
        })?;
        Ok(Bytes::from_owner(pooled))
    }

    fn give_back(&self, buf: Vec<u8>) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let idle_bytes: usize = idle.iter().map(Vec::capacity).sum();
        if idle_bytes + buf.capacity() <= MAX_IDLE_BYTES {
            idle.push(buf);
        }
    }

    #[cfg(test)]
    fn idle_count(&self) -> usize {
        self.idle.lock().unwrap().len()
    }
}

/// A buffer that returns to its pool when dropped (by whichever thread drops the last `Bytes` handle).
struct PooledBuf {
    buf: Vec<u8>,
    pool: Arc<BufferPool>,
}

impl AsRef<[u8]> for PooledBuf {
    fn as_ref(&self) -> &[u8] {
        &self.buf
    }
}

impl Drop for PooledBuf {
    fn drop(&mut self) {
        self.pool.give_back(std::mem::take(&mut self.buf));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_reused_and_idle_memory_is_bounded() {
        let dir = std::env::temp_dir().join(format!("ossrs-buffers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let pool = Arc::new(BufferPool::default());

        let a = pool.read_range(&file, &path, 2, 5).unwrap();
        assert_eq!(&a[..], b"23456");
        let ptr = a.as_ptr();
        drop(a);
        assert_eq!(pool.idle_count(), 1);
        let b = pool.read_range(&file, &path, 0, 4).unwrap();
        assert_eq!((&b[..], b.as_ptr()), (&b"0123"[..], ptr), "the idle buffer is reused");
        let c = b.clone();
        drop(b);
        assert_eq!(pool.idle_count(), 0, "a buffer returns only when its last handle is dropped");
        drop(c);
        assert_eq!(pool.idle_count(), 1);

        let err = pool.read_range(&file, &path, 8, 5).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io, "a range past the end is an error, never a short body");
        assert!(err.message().contains("bytes 8..13"), "{}", err.message());

        let big: Vec<Bytes> = (0..5).map(|_| Bytes::from_owner(pool.take(MAX_IDLE_BYTES / 4))).collect();
        drop(big);
        assert!(pool.idle_count() <= 4, "idle memory stays under {MAX_IDLE_BYTES} bytes");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
