//! Request bodies: bytes in memory, a range of a file streamed from disk (never loaded whole), or a stream read
//! once from a caller's source.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::core::error::{fail, Error, ErrorKind, Result};

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// No body (`Content-Length: 0` on PUT/POST).
    Empty,
    /// Bytes in memory (reference-counted, so a retry does not copy them).
    Bytes(Bytes),
    /// `len` bytes of `path` starting at `offset`, checked to exist when the body was made.
    File {
        /// The file.
        path: PathBuf,
        /// First byte.
        offset: u64,
        /// Number of bytes.
        len: u64,
    },
    /// Read once from a caller's source: never repeated.
    Stream(StreamBody),
}

/// Where a [`Body::Stream`] comes from: read on the thread that sends the request, piece by piece.
pub trait BodySource: Send {
    /// Fills the start of `buf` with the next bytes and says how many; `Ok(0)` is the end.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize>;
}

/// A body read once from a [`BodySource`]: exactly `len` bytes (the Content-Length) when the length is known,
/// otherwise sent with chunked transfer encoding. Clones share the one source; sending it twice is an error.
#[derive(Clone)]
pub struct StreamBody {
    source: Arc<Mutex<Option<Box<dyn BodySource>>>>,
    len: Option<u64>,
}

impl StreamBody {
    /// A body of `len` bytes (None: unknown) read from `source`.
    pub fn new(source: Box<dyn BodySource>, len: Option<u64>) -> Self {
        StreamBody { source: Arc::new(Mutex::new(Some(source))), len }
    }

    /// The declared length, if known.
    pub fn declared_len(&self) -> Option<u64> {
        self.len
    }

    /// The source, the first time; an error after it was sent.
    pub(super) fn take(&self) -> Result<Box<dyn BodySource>> {
        match self.source.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(source) => Ok(source),
            None => fail(ErrorKind::InvalidArgument, "the body stream was sent already; a stream is read only once"),
        }
    }
}

impl std::fmt::Debug for StreamBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamBody").field("len", &self.len).finish_non_exhaustive()
    }
}

impl Body {
    /// A file range body. `len = None` means "to the end of the file". Fails, without any request, when the file
    /// cannot be opened as a regular file or the range does not lie inside it.
    pub fn file_range(path: &Path, offset: u64, len: Option<u64>) -> Result<Body> {
        let size = file_size(path)?;
        let len = match len {
            Some(l) => l,
            None if offset <= size => size - offset,
            None => return range_error(path, offset, 0, size),
        };
        match offset.checked_add(len) {
            Some(end) if end <= size => Ok(Body::File { path: path.to_path_buf(), offset, len }),
            _ => range_error(path, offset, len, size),
        }
    }

    /// Body length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Body::Empty => 0,
            Body::Bytes(b) => b.len() as u64,
            Body::File { len, .. } => *len,
            Body::Stream(s) => s.len.unwrap_or(0),
        }
    }

    /// False for a stream, which can be sent only once.
    pub fn is_replayable(&self) -> bool {
        !matches!(self, Body::Stream(_))
    }

    /// True for a zero-length body.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn range_error<T>(path: &Path, offset: u64, len: u64, size: u64) -> Result<T> {
    fail(ErrorKind::RangeOutOfFile, format!("range {offset}+{len} lies outside {} ({size} bytes)", path.display()))
}

/// Size of a regular file, with distinct errors for "missing" and "not readable as a file".
pub fn file_size(path: &Path) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| file_error(path, &e))?;
    if !meta.is_file() {
        return fail(ErrorKind::FileUnreadable, format!("{} is not a regular file", path.display()));
    }
    // Opening proves readability before any request is sent.
    File::open(path).map_err(|e| file_error(path, &e))?;
    Ok(meta.len())
}

/// Maps an I/O error on `path` to the matching error kind.
pub fn file_error(path: &Path, e: &io::Error) -> Error {
    let kind = match e.kind() {
        io::ErrorKind::NotFound => ErrorKind::FileNotFound,
        io::ErrorKind::PermissionDenied | io::ErrorKind::IsADirectory => ErrorKind::FileUnreadable,
        _ => ErrorKind::Io,
    };
    Error::new(kind, format!("{}: {e}", path.display()))
}

/// Reads exactly `remaining` bytes of a file range; a file that shrinks is an error, never a short body.
/// The first error is kept in `failure` so the transport can report it as a file error.
pub(super) struct RangeReader {
    file: File,
    remaining: u64,
    path: PathBuf,
    failure: Arc<Mutex<Option<Error>>>,
}

impl RangeReader {
    pub(super) fn open(path: &Path, offset: u64, len: u64, failure: Arc<Mutex<Option<Error>>>) -> Result<Self> {
        let mut file = File::open(path).map_err(|e| file_error(path, &e))?;
        file.seek(SeekFrom::Start(offset)).map_err(|e| file_error(path, &e))?;
        Ok(RangeReader { file, remaining: len, path: path.to_path_buf(), failure })
    }

    fn record(&self, e: io::Error) -> io::Error {
        let mut slot = self.failure.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(|| file_error(&self.path, &e));
        e
    }
}

impl Read for RangeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        match self.file.read(&mut buf[..want]) {
            Ok(0) => {
                Err(self.record(io::Error::new(io::ErrorKind::UnexpectedEof, "file shrank while it was being sent")))
            }
            Ok(n) => {
                self.remaining -= n as u64;
                Ok(n)
            }
            Err(e) => Err(self.record(e)),
        }
    }
}

/// Reads a [`StreamBody`]'s source for the transport: exactly the declared length when there is one (a source that
/// ends early is an error, never a short body; one with more is read no further). The first error is kept in
/// `failure`, as for [`RangeReader`].
pub(super) struct StreamReader {
    source: Box<dyn BodySource>,
    remaining: Option<u64>,
    sent: u64,
    failure: Arc<Mutex<Option<Error>>>,
}

impl StreamReader {
    pub(super) fn new(body: &StreamBody, failure: Arc<Mutex<Option<Error>>>) -> Result<Self> {
        Ok(StreamReader { source: body.take()?, remaining: body.len, sent: 0, failure })
    }

    fn record(&self, e: Error) -> io::Error {
        let message = e.message().to_string();
        self.failure.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
        io::Error::other(message)
    }
}

impl Read for StreamReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = match self.remaining {
            Some(0) => return Ok(0),
            Some(left) => buf.len().min(usize::try_from(left).unwrap_or(usize::MAX)),
            None => buf.len(),
        };
        match self.source.read(&mut buf[..want]) {
            Ok(0) if self.remaining.is_some() => {
                let declared = self.sent + self.remaining.unwrap_or(0);
                Err(self.record(Error::new(
                    ErrorKind::Io,
                    format!("the body stream ended after {} of the {declared} bytes declared", self.sent),
                )))
            }
            Ok(n) if n > want => Err(self.record(Error::new(
                ErrorKind::InvalidArgument,
                format!("the body source returned {n} bytes for a buffer of {want}"),
            ))),
            Ok(n) => {
                self.sent += n as u64;
                if let Some(left) = &mut self.remaining {
                    *left -= n as u64;
                }
                Ok(n)
            }
            Err(e) => Err(self.record(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ranges_are_checked_before_sending() {
        let dir = std::env::temp_dir().join(format!("ossrs-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("ten");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(Body::file_range(&f, 2, Some(8)).unwrap().len(), 8);
        assert_eq!(Body::file_range(&f, 4, None).unwrap().len(), 6);
        assert_eq!(Body::file_range(&f, 10, None).unwrap().len(), 0);
        assert_eq!(Body::file_range(&f, 2, Some(9)).unwrap_err().kind(), ErrorKind::RangeOutOfFile);
        assert_eq!(Body::file_range(&f, 11, None).unwrap_err().kind(), ErrorKind::RangeOutOfFile);
        assert_eq!(Body::file_range(&f, u64::MAX, Some(2)).unwrap_err().kind(), ErrorKind::RangeOutOfFile);
        assert_eq!(Body::file_range(&dir.join("missing"), 0, None).unwrap_err().kind(), ErrorKind::FileNotFound);
        assert_eq!(Body::file_range(&dir, 0, None).unwrap_err().kind(), ErrorKind::FileUnreadable);

        let failure = Arc::new(Mutex::new(None));
        let mut r = RangeReader::open(&f, 8, 5, failure.clone()).unwrap();
        let mut out = Vec::new();
        assert!(r.read_to_end(&mut out).is_err(), "a range past the end must not end quietly");
        assert_eq!(out, b"89");
        assert_eq!(failure.lock().unwrap().as_ref().unwrap().kind(), ErrorKind::Io);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
