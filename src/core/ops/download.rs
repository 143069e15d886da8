//! GetObject streamed: into a caller's sink or a file, never holding the object in memory (one 64 KiB buffer).
//! A whole-object download is checked against OSS's `x-oss-hash-crc64ecma`; a file appears only complete and
//! checked (written to a temporary file beside it, then renamed).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::client::{Client, RequestOptions};
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::http::{BodySink, Response};
use crate::core::operation::GET_OBJECT;

/// Passes the body on and computes its CRC-64.
struct Checked<'a> {
    inner: &'a mut dyn BodySink,
    crc: crc64fast::Digest,
    len: u64,
}

impl BodySink for Checked<'_> {
    fn write(&mut self, data: &[u8]) -> Result<()> {
        self.crc.write(data);
        self.len += data.len() as u64;
        self.inner.write(data)
    }
}

/// Writes to a file.
struct FileSink<'a> {
    file: File,
    path: &'a Path,
}

impl BodySink for FileSink<'_> {
    fn write(&mut self, data: &[u8]) -> Result<()> {
        self.file.write_all(data).map_err(|e| crate::core::http::file_error(self.path, &e))
    }
}

impl Client {
    /// GetObject with the body written to `sink` as it arrives (a `Range` header in the options selects part of
    /// the object). Errors: as `get_object`, plus the sink's own error, and `Crc64Mismatch` when a whole object's
    /// bytes do not match OSS's CRC-64 (the sink then has all of them).
    pub fn get_object_into(
        &self,
        bucket: &str,
        key: &str,
        opts: &RequestOptions,
        sink: &mut dyn BodySink,
    ) -> Result<Response> {
        let headers = opts.checked_headers()?;
        let req = self.request(&GET_OBJECT).bucket(bucket).key(key).options(opts)?.headers(headers).build()?;
        let mut checked = Checked { inner: sink, crc: crc64fast::Digest::new(), len: 0 };
        let response = self.execute_with(req, Some(&mut checked))?;
        let expected = response.header("x-oss-hash-crc64ecma").and_then(|v| v.trim().parse::<u64>().ok());
        if let (200, Some(expected)) = (response.status, expected) {
            let got = checked.crc.sum64();
            if got != expected {
                return Err(Error::new(
                    ErrorKind::Crc64Mismatch,
                    format!(
                        "the {} bytes received have CRC-64 {got}, OSS reports {expected}: the data was corrupted in \
                         transit",
                        checked.len
                    ),
                )
                .with_attempts(response.attempts));
            }
        }
        Ok(response)
    }

    /// GetObject into the file `path` (created or replaced only when the download is complete and checked; a
    /// failed download leaves any existing file untouched).
    pub fn get_object_to_file(&self, bucket: &str, key: &str, path: &Path, opts: &RequestOptions) -> Result<Response> {
        let temp = temp_beside(path);
        let file = File::create(&temp).map_err(|e| crate::core::http::file_error(&temp, &e))?;
        let mut sink = FileSink { file, path: &temp };
        let outcome = self.get_object_into(bucket, key, opts, &mut sink).and_then(|resp| {
            sink.file.sync_all().map_err(|e| crate::core::http::file_error(&temp, &e))?;
            fs::rename(&temp, path).map_err(|e| crate::core::http::file_error(path, &e))?;
            Ok(resp)
        });
        if outcome.is_err() {
            let _ = fs::remove_file(&temp);
        }
        outcome
    }
}

/// `.<name>.ossrs-<pid>-<n>.part` in the directory of `path`.
fn temp_beside(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map_or_else(|| "download".into(), |n| n.to_string_lossy().into_owned());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.ossrs-{}-{n}.part", std::process::id()))
}
