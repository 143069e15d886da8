//! The managed upload: one call that initiates, uploads the parts of a file in parallel (each part read once,
//! hashed for Content-MD5 and CRC-64 while in memory, sent without another copy), completes with the optional
//! callback, and checks the whole object's CRC-64 against `x-oss-hash-crc64ecma`. On failure the upload is
//! aborted unless the caller keeps it. Progress is reported on the calling thread only, at most once per part.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};

use crate::core::client::{Client, RequestOptions};
use crate::core::crc64;
use crate::core::error::{fail, Error, ErrorKind, Result};
use crate::core::http::{file_error, file_size, Response};
use crate::core::model::callback;
use crate::core::model::xml::CompletePart;
use crate::core::validate;

/// Smallest part OSS accepts (except the last one).
pub const MIN_PART_SIZE: u64 = 102_400;
/// Largest part OSS accepts.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// How a managed upload splits and schedules the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadSettings {
    /// Bytes per part (102400 ..= 5 GiB; default 10 MiB, the SDK's `multiuploadFile` default).
    pub part_size: u64,
    /// Parts in flight at once (1..=64; default 2). Memory use is about `parallelism × part_size`.
    pub parallelism: usize,
    /// On failure keep the upload (and its parts) instead of aborting it, e.g. to resume later.
    pub keep_on_failure: bool,
}

impl Default for UploadSettings {
    fn default() -> Self {
        UploadSettings { part_size: 10 * 1024 * 1024, parallelism: 2, keep_on_failure: false }
    }
}

/// Reported to the progress callback after each part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The part just finished.
    pub part_number: u32,
    /// Bytes of finished parts so far.
    pub bytes_done: u64,
    /// File size.
    pub bytes_total: u64,
}

struct PartDone {
    number: u32,
    etag: String,
    crc: u64,
    len: u64,
}

impl Client {
    /// Uploads the file at `path` as `bucket/key` with a multipart upload, `settings.parallelism` parts at a
    /// time. `opts` headers go on InitiateMultipartUpload (Content-Type, metadata, storage class); the callback
    /// goes on CompleteMultipartUpload, where OSS runs it. `progress` runs on this thread after each part; returning
    /// `false` cancels (`AbortedByCallback`). Errors: as the single calls, plus `Crc64Mismatch`.
    #[allow(clippy::too_many_arguments)]
    pub fn upload_file(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
        settings: &UploadSettings,
        callback_json: Option<&str>,
        callback_var: Option<&str>,
        opts: &RequestOptions,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Response> {
        validate::object(key)?;
        validate::bucket(bucket)?;
        callback::encode(callback_json, callback_var)?;
        check_settings(settings)?;
        let size = file_size(path)?;
        let count = size.div_ceil(settings.part_size).max(1);
        if count > u64::from(validate::MAX_PART_NUMBER) {
            return fail(
                ErrorKind::InvalidArgument,
                format!("{size} bytes in parts of {} would need {count} parts; OSS allows 10000", settings.part_size),
            );
        }
        let file = File::open(path).map_err(|e| file_error(path, &e))?;
        let upload_id = self.initiate_multipart_upload(bucket, key, opts)?.upload_id;
        let plan =
            Plan { bucket, key, upload_id: &upload_id, file: &file, path, size, part_size: settings.part_size, count };
        let done = match plan.run(self, settings.parallelism, progress) {
            Ok(done) => done,
            Err(e) => return Err(self.give_up(bucket, key, &upload_id, settings, e)),
        };
        let whole = done.iter().fold(0u64, |acc, p| crc64::combine(acc, p.crc, p.len));
        let list: Vec<CompletePart> =
            done.into_iter().map(|p| CompletePart { part_number: p.number, etag: p.etag }).collect();
        let empty = RequestOptions::default();
        match self.complete_multipart_upload(bucket, key, &upload_id, &list, callback_json, callback_var, &empty) {
            Ok(resp) => check_crc(&resp, whole).map(|()| resp),
            // The object is stored; only the callback failed: there is nothing left to abort.
            Err(e) if e.kind() == ErrorKind::CallbackFailed => Err(e),
            Err(e) => Err(self.give_up(bucket, key, &upload_id, settings, e)),
        }
    }

    /// After a failure: abort the upload (best effort: the original error matters more), or keep it and say so.
    fn give_up(&self, bucket: &str, key: &str, upload_id: &str, settings: &UploadSettings, e: Error) -> Error {
        if settings.keep_on_failure {
            let msg = format!("{} (upload {upload_id} kept for resuming)", e.message());
            return e.with_message(msg);
        }
        let _ = self.abort_multipart_upload(bucket, key, upload_id, &RequestOptions::default());
        e
    }
}

fn check_settings(s: &UploadSettings) -> Result<()> {
    if !(MIN_PART_SIZE..=MAX_PART_SIZE).contains(&s.part_size) {
        return fail(
            ErrorKind::InvalidArgument,
            format!("part size {} is outside {MIN_PART_SIZE}..={MAX_PART_SIZE}", s.part_size),
        );
    }
    if !(1..=64).contains(&s.parallelism) {
        return fail(ErrorKind::InvalidArgument, format!("parallelism {} is outside 1..=64", s.parallelism));
    }
    Ok(())
}

fn check_crc(resp: &Response, local: u64) -> Result<()> {
    match resp.header("x-oss-hash-crc64ecma").map(|v| v.trim().parse::<u64>()) {
        Some(Ok(server)) if server != local => fail(
            ErrorKind::Crc64Mismatch,
            format!(
                "CRC-64 of the stored object is {server}, the file's is {local}: the data was corrupted in transit"
            ),
        ),
        _ => Ok(()),
    }
}

/// The parts of one upload and the file they come from.
struct Plan<'a> {
    bucket: &'a str,
    key: &'a str,
    upload_id: &'a str,
    file: &'a File,
    path: &'a Path,
    size: u64,
    part_size: u64,
    count: u64,
}

impl Plan<'_> {
    /// Uploads every part with `parallelism` workers; events are handled on the calling thread.
    fn run(
        &self,
        client: &Client,
        parallelism: usize,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Vec<PartDone>> {
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let workers = parallelism.min(usize::try_from(self.count).unwrap_or(usize::MAX));
        let (tx, rx) = mpsc::channel::<Result<PartDone>>();
        let mut done: Vec<PartDone> = Vec::with_capacity(self.count as usize);
        let mut first_error: Option<Error> = None;
        std::thread::scope(|s| {
            for _ in 0..workers {
                let tx = tx.clone();
                let (next, stop) = (&next, &stop);
                s.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let index = next.fetch_add(1, Ordering::Relaxed) as u64;
                        if index >= self.count {
                            break;
                        }
                        let result = self.upload_one(client, index);
                        let failed = result.is_err();
                        if tx.send(result).is_err() || failed {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut bytes_done = 0;
            for event in rx {
                match event {
                    Ok(part) if first_error.is_none() => {
                        bytes_done += part.len;
                        let report = Progress { part_number: part.number, bytes_done, bytes_total: self.size };
                        done.push(part);
                        if !progress(report) {
                            stop.store(true, Ordering::Relaxed);
                            first_error = Some(Error::new(
                                ErrorKind::AbortedByCallback,
                                "the progress callback cancelled the upload",
                            ));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        first_error.get_or_insert(e);
                    }
                }
            }
        });
        match first_error {
            Some(e) => Err(e),
            None => {
                done.sort_by_key(|p| p.number);
                Ok(done)
            }
        }
    }

    /// Reads part `index` once, hashes it (MD5 for Content-MD5, CRC-64 to check OSS's answer) and uploads it.
    fn upload_one(&self, client: &Client, index: u64) -> Result<PartDone> {
        let offset = index * self.part_size;
        let len = self.part_size.min(self.size - offset);
        let buf = client.buffers().read_range(self.file, self.path, offset, len as usize)?;
        let md5 = B64.encode(Md5::digest(&buf));
        let crc = crc64::checksum(&buf);
        let number = index as u32 + 1;
        let resp = client.upload_part(
            self.bucket,
            self.key,
            self.upload_id,
            number,
            buf,
            Some(&md5),
            &RequestOptions::default(),
        )?;
        check_crc(&resp, crc)?;
        let etag = resp.etag().unwrap_or_default().to_string();
        Ok(PartDone { number, etag, crc, len })
    }
}
