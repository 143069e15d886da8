//! The managed upload: one call that initiates, uploads the parts of a file in parallel (each part read once,
//! hashed for Content-MD5 and CRC-64 while in memory, sent without another copy), completes with the optional
//! callback, and checks the whole object's CRC-64 against `x-oss-hash-crc64ecma`. On failure the upload is
//! aborted unless the caller keeps it. Progress is reported on the calling thread only, at most once per part.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use bytes::Bytes;
use md5::{Digest, Md5};

use crate::core::client::{Client, RequestOptions};
use crate::core::crc64;
use crate::core::error::{fail, Error, ErrorKind, Result};
use crate::core::http::{file_error, file_size, retry, Body, Budget, Permit, Response};
use crate::core::model::xml::CompletePart;
use crate::core::validate;

use super::checkpoint::{self, Checkpoint, Loaded, Parts, Source, StoredPart};
use super::complete_recovery;

/// Smallest part OSS accepts (except the last one).
pub const MIN_PART_SIZE: u64 = 102_400;
/// Largest part OSS accepts.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// Shortest time between two checkpoint writes while parts are uploaded.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// How a managed upload splits and schedules the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadSettings {
    /// Bytes per part (102400 ..= 5 GiB; default 10 MiB, the SDK's `multiuploadFile` default).
    pub part_size: u64,
    /// Parts in flight at once, and parts being read and hashed at once (1..=64; default 2). At most
    /// `parallelism + 1` part buffers exist, so memory use is about `(parallelism + 1) × part_size`.
    pub parallelism: usize,
    /// On failure keep the upload (and its parts) instead of aborting it, e.g. to resume later.
    pub keep_on_failure: bool,
    /// Checkpoint file making the upload resumable: a rerun with the same file uploads only the missing parts.
    /// With a checkpoint the upload is always kept on failure.
    pub checkpoint: Option<PathBuf>,
    /// Upload the parts into this open upload (from InitiateMultipartUpload) instead of starting one; it is kept on
    /// failure. Not with a checkpoint, which records its own upload.
    pub upload_id: Option<String>,
}

impl Default for UploadSettings {
    fn default() -> Self {
        UploadSettings {
            part_size: 10 * 1024 * 1024,
            parallelism: 2,
            keep_on_failure: false,
            checkpoint: None,
            upload_id: None,
        }
    }
}

/// Reported to the progress callback after each part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The part just finished.
    pub part_number: u32,
    /// Bytes of finished parts so far (a resumed upload starts with the parts stored before).
    pub bytes_done: u64,
    /// File size.
    pub bytes_total: u64,
}

struct PartDone {
    number: u32,
    etag: String,
    stored: StoredPart,
}

impl Client {
    /// Uploads the file at `path` (or the options' `file_range` of it) as `bucket/key` with a multipart upload,
    /// `settings.parallelism` parts at a time, into `settings.upload_id` or a new upload. `opts` headers go on InitiateMultipartUpload (Content-Type, metadata, storage class); the callback
    /// goes on CompleteMultipartUpload, where OSS runs it. `progress` runs on this thread after each part; returning
    /// `false` cancels (`AbortedByCallback`). With `settings.checkpoint`, parts already stored by an earlier run
    /// of the same upload are skipped (see `checkpoint`). Errors: as the single calls, plus `Crc64Mismatch`.
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
        self.callback_headers(callback_json, callback_var)?; // checked before anything is sent
        check_settings(settings, opts)?;
        let (start, size) = match opts.file_range {
            Some((offset, len)) => {
                Body::file_range(path, offset, Some(len))?; // checks that the range lies inside the file
                (offset, len)
            }
            None => (0, file_size(path)?),
        };
        let count = size.div_ceil(settings.part_size).max(1);
        if count > u64::from(validate::MAX_PART_NUMBER) {
            return fail(
                ErrorKind::InvalidArgument,
                format!("{size} bytes in parts of {} would need {count} parts; OSS allows 10000", settings.part_size),
            );
        }
        let file = File::open(path).map_err(|e| file_error(path, &e))?;
        let (checkpoint, mut done) = match &settings.checkpoint {
            Some(cp_path) => {
                let meta = file.metadata().map_err(|e| file_error(path, &e))?;
                let source = Source {
                    bucket: bucket.to_string(),
                    key: key.to_string(),
                    part_size: settings.part_size,
                    file_size: size,
                    file_mtime_ns: checkpoint::mtime_ns(&meta),
                };
                let (cp, parts) = self.resume_or_initiate(cp_path, source, opts)?;
                (Some(cp), parts)
            }
            None => (None, Parts::new()),
        };
        let upload_id = match (&checkpoint, &settings.upload_id) {
            (Some(cp), _) => cp.upload_id.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => self.initiate_multipart_upload(bucket, key, opts)?.upload_id,
        };
        let keep = settings.keep_on_failure || checkpoint.is_some() || settings.upload_id.is_some();
        let todo = (1..=count as u32).filter(|n| !done.contains_key(n)).collect();
        let plan =
            Plan { bucket, key, upload_id: &upload_id, file: &file, path, start, size, part_size: settings.part_size };
        let already = done.values().map(|(_, p)| p.len).sum();
        // The checkpoint is rewritten at most every CHECKPOINT_EVERY (each write holds every part: per part, a
        // 10,000-part upload would write O(n²) bytes), and once more when the parts are done or given up.
        let mut saved = Instant::now();
        let mut record = |part: PartDone| -> Result<()> {
            done.insert(part.number, (part.etag, part.stored));
            match &checkpoint {
                Some(cp) if saved.elapsed() >= CHECKPOINT_EVERY => {
                    saved = Instant::now();
                    cp.save(&done)
                }
                _ => Ok(()),
            }
        };
        let parts_outcome = plan.run(self, todo, settings.parallelism, already, progress, &mut record);
        let saved = checkpoint.as_ref().map_or(Ok(()), |cp| cp.save(&done));
        if let Err(e) = parts_outcome.and(saved) {
            return Err(self.give_up(bucket, key, &upload_id, keep, e));
        }
        let whole = done.values().fold(0u64, |acc, (_, p)| crc64::combine(acc, p.crc, p.len));
        let list: Vec<CompletePart> =
            done.into_iter().map(|(part_number, (etag, _))| CompletePart { part_number, etag }).collect();
        let empty = RequestOptions::default();
        let outcome =
            self.complete_multipart_upload(bucket, key, &upload_id, &list, callback_json, callback_var, &empty);
        if let Some(cp_path) = &settings.checkpoint {
            if outcome.as_ref().is_ok() || outcome.as_ref().is_err_and(|e| e.kind() == ErrorKind::CallbackFailed) {
                Checkpoint::remove(cp_path);
            }
        }
        match outcome {
            Ok(resp) => check_crc(&resp, whole).map(|()| resp),
            // The object is stored; only the callback failed: there is nothing left to abort.
            Err(e) if e.kind() == ErrorKind::CallbackFailed => Err(e),
            // No answer and the upload still open: OSS may still be completing it, and an abort would race that.
            Err(e) if e.service_error().is_none() && retry::is_transient(&e) => {
                Err(self.give_up(bucket, key, &upload_id, true, e))
            }
            Err(e) => Err(self.give_up(bucket, key, &upload_id, keep, e)),
        }
    }

    /// The upload a checkpoint describes, with the parts OSS still has (same ETag and size), or a new upload
    /// recorded in a new checkpoint. A checkpoint for another target or a changed file has its upload aborted.
    fn resume_or_initiate(&self, cp_path: &Path, source: Source, opts: &RequestOptions) -> Result<(Checkpoint, Parts)> {
        match Checkpoint::load(cp_path, &source) {
            Loaded::Resume(cp, mut parts) => match self.stored_parts(&source.bucket, &source.key, &cp.upload_id) {
                Ok(stored) => {
                    parts.retain(|n, (etag, p)| stored.get(n).is_some_and(|(e, size)| e == etag && *size == p.len));
                    cp.save(&parts)?;
                    return Ok((cp, parts));
                }
                Err(e) if complete_recovery::no_such_upload(&e) => {}
                Err(e) => return Err(e),
            },
            Loaded::Stale { bucket, key, upload_id } => {
                let _ = self.abort_multipart_upload(&bucket, &key, &upload_id, &RequestOptions::default());
            }
            Loaded::Missing | Loaded::Corrupt => {}
        }
        let upload_id = self.initiate_multipart_upload(&source.bucket, &source.key, opts)?.upload_id;
        let cp = Checkpoint::new(cp_path, source, upload_id);
        if let Err(e) = cp.save(&Parts::new()) {
            let _ = self.abort_multipart_upload(&cp.source.bucket, &cp.source.key, &cp.upload_id, opts);
            return Err(e);
        }
        Ok((cp, Parts::new()))
    }

    /// Every part OSS holds for the upload: number → (ETag, size), all pages of ListParts.
    fn stored_parts(&self, bucket: &str, key: &str, upload_id: &str) -> Result<BTreeMap<u32, (String, u64)>> {
        let mut parts = BTreeMap::new();
        let mut marker = 0;
        loop {
            let mut query = vec![("max-parts".to_string(), "1000".to_string())];
            if marker > 0 {
                query.push(("part-number-marker".to_string(), marker.to_string()));
            }
            let page = self.list_parts(bucket, key, upload_id, &RequestOptions { query, ..Default::default() })?;
            parts.extend(page.parts.into_iter().map(|p| (p.part_number, (p.etag, p.size))));
            if !page.is_truncated || page.next_part_number_marker <= marker {
                return Ok(parts);
            }
            marker = page.next_part_number_marker;
        }
    }

    /// After a failure: abort the upload (best effort: the original error matters more), or keep it and say so.
    fn give_up(&self, bucket: &str, key: &str, upload_id: &str, keep: bool, e: Error) -> Error {
        if keep {
            let msg = format!("{} (upload {upload_id} kept for resuming)", e.message());
            return e.with_message(msg);
        }
        let _ = self.abort_multipart_upload(bucket, key, upload_id, &RequestOptions::default());
        e
    }
}

fn check_settings(s: &UploadSettings, opts: &RequestOptions) -> Result<()> {
    if let Some(id) = &s.upload_id {
        validate::upload_id(id)?;
    }
    if s.checkpoint.is_some() && (s.upload_id.is_some() || opts.file_range.is_some()) {
        return fail(
            ErrorKind::InvalidArgument,
            "a checkpoint records its own upload of the whole file: it cannot be combined with an upload id or a \
             file range",
        );
    }
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
    /// Where the uploaded bytes start in the file, and how many there are.
    start: u64,
    size: u64,
    part_size: u64,
}

impl Plan<'_> {
    /// Uploads the parts numbered in `todo`: `parallelism` readers read and hash parts while `parallelism` senders
    /// upload the parts already hashed, so hashing never waits for the network. At most `parallelism + 1` part
    /// buffers exist at once. Finished parts are handed to `record` and reported to `progress` on the calling
    /// thread; the first error (or a `false` from `progress`) stops it.
    fn run(
        &self,
        client: &Client,
        todo: Vec<u32>,
        parallelism: usize,
        already: u64,
        progress: &mut dyn FnMut(Progress) -> bool,
        record: &mut dyn FnMut(PartDone) -> Result<()>,
    ) -> Result<()> {
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let workers = parallelism.min(todo.len());
        let budget = Arc::new(Budget::new(workers + 1));
        let (ready_tx, ready_rx) = mpsc::channel::<Result<Prepared>>();
        let ready_rx = Mutex::new(ready_rx);
        let (done_tx, done_rx) = mpsc::channel::<Result<PartDone>>();
        let mut first_error: Option<Error> = None;
        std::thread::scope(|s| {
            for _ in 0..workers {
                let ready_tx = ready_tx.clone();
                let (next, stop, todo, budget) = (&next, &stop, &todo, &budget);
                s.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let permit = Budget::acquire(budget);
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let Some(&number) = todo.get(next.fetch_add(1, Ordering::Relaxed)) else { break };
                        let prepared = self.prepare(client, number, permit);
                        let failed = prepared.is_err();
                        if failed {
                            stop.store(true, Ordering::Relaxed);
                        }
                        if ready_tx.send(prepared).is_err() || failed {
                            break;
                        }
                    }
                });
            }
            drop(ready_tx);
            for _ in 0..workers {
                let done_tx = done_tx.clone();
                let (ready_rx, stop) = (&ready_rx, &stop);
                s.spawn(move || loop {
                    let received = ready_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok(prepared) = received else { break };
                    if stop.load(Ordering::Relaxed) {
                        continue; // dropping the part frees its buffer for the readers to notice the stop
                    }
                    let result = prepared.and_then(|p| self.send(client, p));
                    if result.is_err() {
                        stop.store(true, Ordering::Relaxed); // before the next part is taken, not when main sees it
                    }
                    if done_tx.send(result).is_err() {
                        break;
                    }
                });
            }
            drop(done_tx);
            let mut bytes_done = already;
            for event in done_rx {
                let outcome = match event {
                    Ok(_) if first_error.is_some() => Ok(()),
                    Ok(part) => {
                        bytes_done += part.stored.len;
                        let report = Progress { part_number: part.number, bytes_done, bytes_total: self.size };
                        record(part).and_then(|()| match progress(report) {
                            true => Ok(()),
                            false => fail(ErrorKind::AbortedByCallback, "the progress callback cancelled the upload"),
                        })
                    }
                    Err(e) => Err(e),
                };
                if let Err(e) = outcome {
                    stop.store(true, Ordering::Relaxed);
                    first_error.get_or_insert(e);
                }
            }
        });
        first_error.map_or(Ok(()), Err)
    }

    /// Reads part `number` once and hashes it: MD5 for Content-MD5, CRC-64 to check OSS's answer.
    fn prepare(&self, client: &Client, number: u32, permit: Permit) -> Result<Prepared> {
        let offset = u64::from(number - 1) * self.part_size;
        let len = self.part_size.min(self.size - offset);
        let data =
            client.buffers().read_range_holding(self.file, self.path, self.start + offset, len as usize, permit)?;
        let md5 = B64.encode(Md5::digest(&data));
        let crc = crc64::checksum(&data);
        Ok(Prepared { number, data, md5, stored: StoredPart { len, crc } })
    }

    /// Uploads a prepared part and checks OSS's CRC-64 of it.
    fn send(&self, client: &Client, p: Prepared) -> Result<PartDone> {
        let opts = RequestOptions::default();
        let resp = client.upload_part(self.bucket, self.key, self.upload_id, p.number, p.data, Some(&p.md5), &opts)?;
        check_crc(&resp, p.stored.crc)?;
        let etag = resp.etag().unwrap_or_default().to_string();
        Ok(PartDone { number: p.number, etag, stored: p.stored })
    }
}

/// A part read and hashed, waiting for a sender.
struct Prepared {
    number: u32,
    data: Bytes,
    md5: String,
    stored: StoredPart,
}
