//! Reusable body buffers. A part read from disk goes into a pooled buffer that is handed to the transport
//! without a copy and comes back to the pool when the transport drops it, so a long upload reuses the same few
//! buffers (no page faults on fresh memory, no heap growth from buffers freed on another thread).

use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

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
    /// A buffer of `len` bytes, reused when one is idle. Its contents are stale, not zeroed: a reused buffer keeps
    /// its initialised length, so only memory never used before is zero-filled (once).
    fn take(self: &Arc<Self>, len: usize) -> PooledBuf {
        let reused = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            let best = idle.iter().enumerate().filter(|(_, b)| b.capacity() >= len).min_by_key(|(_, b)| b.capacity());
            best.map(|(i, _)| i).map(|i| idle.swap_remove(i))
        };
        let mut buf = reused.unwrap_or_else(|| Vec::with_capacity(len));
        if buf.len() < len {
            buf.resize(len, 0);
        }
        PooledBuf { buf, len, pool: Arc::clone(self) }
    }

    /// A copy of `data` in a pooled buffer (no buffer at all for no data): a request body from memory, which
    /// returns to the pool when the transport drops it instead of being allocated anew for every request.
    pub fn copy_of(self: &Arc<Self>, data: &[u8]) -> Bytes {
        if data.is_empty() {
            return Bytes::new();
        }
        let mut pooled = self.take(data.len());
        pooled.buf[..data.len()].copy_from_slice(data);
        Bytes::from_owner(pooled)
    }

    /// Reads `len` bytes of `file` at `offset` into a pooled buffer. A file shorter than the range is an error.
    pub fn read_range(self: &Arc<Self>, file: &std::fs::File, path: &Path, offset: u64, len: usize) -> Result<Bytes> {
        self.read_range_holding(file, path, offset, len, ())
    }

    /// As `read_range`, and `held` is dropped right after the buffer returns to the pool (e.g. a permit that bounds
    /// how many buffers one upload may have).
    pub fn read_range_holding<H: Send + 'static>(
        self: &Arc<Self>,
        file: &std::fs::File,
        path: &Path,
        offset: u64,
        len: usize,
        held: H,
    ) -> Result<Bytes> {
        let mut pooled = self.take(len);
        file.read_exact_at(&mut pooled.buf[..len], offset).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("reading bytes {offset}..{} of {} failed: {e}", offset + len as u64, path.display()),
            )
        })?;
        Ok(Bytes::from_owner(Holding { pooled, _held: held }))
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
    /// Bytes in use (`buf` may be longer, from an earlier, larger use).
    len: usize,
    pool: Arc<BufferPool>,
}

impl AsRef<[u8]> for PooledBuf {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// A pooled buffer and what must live exactly as long as it (fields drop in order: the buffer first).
struct Holding<H> {
    pooled: PooledBuf,
    _held: H,
}

impl<H> AsRef<[u8]> for Holding<H> {
    fn as_ref(&self) -> &[u8] {
        self.pooled.as_ref()
    }
}

impl Drop for PooledBuf {
    fn drop(&mut self) {
        self.pool.give_back(std::mem::take(&mut self.buf));
    }
}

/// Bounds how many buffers one user (an upload, the part-MD5 read-ahead) holds: take a permit before reading into a
/// buffer and keep it with the buffer (`read_range_holding`), so it returns when the transport drops the buffer. A
/// permit still out after `Budget::WAIT` (a transport that keeps a body longer than expected) is not waited for any
/// longer: the bound then gives way rather than stall.
pub struct Budget {
    free: Mutex<isize>,
    returned: Condvar,
}

/// One part buffer's share of a [`Budget`], given back on drop.
pub struct Permit(Arc<Budget>);

impl Budget {
    const WAIT: Duration = Duration::from_secs(1);

    /// A budget of `permits` buffers.
    pub fn new(permits: usize) -> Budget {
        Budget { free: Mutex::new(isize::try_from(permits).unwrap_or(isize::MAX)), returned: Condvar::new() }
    }

    /// Waits for a permit (at most `WAIT`).
    pub fn acquire(budget: &Arc<Budget>) -> Permit {
        let free = budget.free.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut free, _) = budget
            .returned
            .wait_timeout_while(free, Budget::WAIT, |free| *free <= 0)
            .unwrap_or_else(PoisonError::into_inner);
        *free -= 1;
        Permit(Arc::clone(budget))
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.returned.notify_one();
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
        drop(b);
        let b = pool.read_range(&file, &path, 5, 5).unwrap();
        assert_eq!((&b[..], b.as_ptr()), (&b"56789"[..], ptr), "and serves a longer range again when it has room");
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

    #[test]
    fn copies_go_into_reused_buffers_and_hold_exactly_the_data() {
        let pool = Arc::new(BufferPool::default());
        let a = pool.copy_of(b"first body");
        let ptr = a.as_ptr();
        drop(a);
        let b = pool.copy_of(b"second");
        assert_eq!((&b[..], b.as_ptr()), (&b"second"[..], ptr), "the returned buffer holds the next copy");
        assert!(pool.copy_of(b"").is_empty());
        assert_eq!(pool.idle_count(), 0, "no buffer is taken for an empty body");
    }
}
