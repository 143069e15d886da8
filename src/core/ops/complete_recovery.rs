//! CompleteMultipartUpload whose outcome is unknown (connection lost, timeout, 5xx): instead of failing blindly,
//! find out whether it took effect. The upload still being listed means it did not; `NoSuchUpload` followed by a
//! HEAD whose ETag is the multipart ETag of exactly these parts means it did. A Complete that did not take effect is
//! sent again, except when it carries a callback and no answer came (OSS may still be running it): a callback never
//! runs twice.

use std::time::Instant;

use md5::{Digest, Md5};

use crate::core::client::{Client, OssRequest, RequestOptions};
use crate::core::error::{Error, Result};
use crate::core::http::{retry, Response};
use crate::core::model::xml::CompletePart;

impl Client {
    /// Called after `req` (a CompleteMultipartUpload of `parts`) failed with `first`, a transient error. Probes
    /// with ListParts and HEAD: at most `max_retries` probes (at least one), all within `req`'s deadline (the
    /// Complete call's `timeout_ms`) and the retry budget. Returns the confirming HEAD response (marked
    /// `recovered`) when the upload was completed, else an error that says what was found.
    pub(super) fn recover_complete(
        &self,
        req: &OssRequest<'_>,
        upload_id: &str,
        parts: &[CompletePart],
        first: Error,
    ) -> Result<Response> {
        let cfg = self.config().retry;
        let started = Instant::now();
        let mut random = retry::jitter_seed();
        // The last failure of CompleteMultipartUpload itself (never a probe's): it decides whether a resend is safe.
        let mut error = first;
        for probe in 1..=cfg.max_retries.max(1) {
            if started.elapsed() >= cfg.timeout {
                break;
            }
            random = random.rotate_left(17).wrapping_mul(0x2545_F491_4F6C_DD1D);
            let pause = retry::backoff(&cfg, probe, random);
            if req.deadline.is_some_and(|d| Instant::now() + pause >= d) {
                let msg = format!("{} (no time was left to check whether it took effect)", error.message());
                return Err(error.with_message(msg));
            }
            std::thread::sleep(pause);
            let listing = RequestOptions {
                query: vec![("max-parts".into(), "1".into())],
                deadline: req.deadline,
                ..Default::default()
            };
            match self.list_parts(req.bucket, req.key, upload_id, &listing) {
                Err(e) if no_such_upload(&e) => return self.confirm_completed(req, parts, error),
                Err(e) if retry::is_transient(&e) => continue,
                Err(e) => {
                    let msg = format!("{} (checking whether it took effect failed: {})", error.message(), e.message());
                    return Err(error.with_message(msg));
                }
                // No answer came (reset, timeout): OSS may still be running it, and with it the callback.
                Ok(_) if req.carries_callback && error.service_error().is_none() => {
                    let msg = format!(
                        "{} (CompleteMultipartUpload had not taken effect when checked: upload {upload_id} is still \
                         open; it was not sent again because it carries a callback and OSS may still be running it)",
                        error.message()
                    );
                    return Err(error.with_message(msg));
                }
                // OSS answered (5xx, 429) and the upload is still open: it was not applied, sending again is safe.
                Ok(_) => match self.execute(req.clone()) {
                    Ok(resp) => return Ok(resp),
                    Err(e) if no_such_upload(&e) => return self.confirm_completed(req, parts, error),
                    Err(e) if retry::is_transient(&e) => error = e,
                    Err(e) => return Err(e),
                },
            }
        }
        Err(error)
    }

    /// The upload is gone: completed by our request, or aborted. The object's ETag tells which.
    fn confirm_completed(&self, req: &OssRequest<'_>, parts: &[CompletePart], first: Error) -> Result<Response> {
        let Some(expected) = multipart_etag(parts) else {
            let msg = format!("{} (the upload no longer exists; its outcome cannot be checked)", first.message());
            return Err(first.with_message(msg));
        };
        let within_call = RequestOptions { deadline: req.deadline, ..Default::default() };
        match self.head_object(req.bucket, req.key, &within_call) {
            Ok(mut head) if head.etag().is_some_and(|e| e.trim_matches('"').eq_ignore_ascii_case(&expected)) => {
                head.recovered = true;
                Ok(head)
            }
            Ok(head) => {
                let found = head.etag().unwrap_or("none").to_string();
                let msg = format!(
                    "{} (the upload no longer exists and the object's ETag {found} is not {expected}, the ETag of \
                     these parts: it was aborted or overwritten)",
                    first.message()
                );
                Err(first.with_message(msg))
            }
            Err(e) => {
                let msg = format!("{} (the upload no longer exists; HEAD failed: {})", first.message(), e.message());
                Err(first.with_message(msg))
            }
        }
    }
}

/// True for OSS's `NoSuchUpload` answer.
pub(super) fn no_such_upload(e: &Error) -> bool {
    e.service_error().is_some_and(|s| s.code == "NoSuchUpload")
}

/// The ETag OSS gives an object completed from `parts`: MD5 over the parts' binary MD5s, `-` and the part count.
/// None when a part ETag is not a quoted MD5.
fn multipart_etag(parts: &[CompletePart]) -> Option<String> {
    let mut md5 = Md5::new();
    for p in parts {
        md5.update(hex_md5(p.etag.trim().trim_matches('"'))?);
    }
    let digest: String = md5.finalize().iter().map(|b| format!("{b:02X}")).collect();
    Some(format!("{digest}-{}", parts.len()))
}

fn hex_md5(hex: &str) -> Option<[u8; 16]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_etag_is_md5_of_part_md5s() {
        // Three parts whose MD5s are those of "a", "b" and "c"; the value was computed independently with Python's
        // hashlib: md5(md5(b"a").digest() + md5(b"b").digest() + md5(b"c").digest()).hexdigest().upper() + "-3".
        let part = |n: u32, etag: &str| CompletePart { part_number: n, etag: etag.into() };
        let parts = [
            part(1, "\"0CC175B9C0F1B6A831C399E269772661\""),
            part(2, "92eb5ffee6ae2fec3ad71c777531578f"),
            part(3, "\"4A8A08F09D37B73795649038408B5F33\""),
        ];
        assert_eq!(multipart_etag(&parts).unwrap(), "4054C6F7787ECB7B323323155B0C0583-3");
        assert_eq!(multipart_etag(&[part(1, "\"not-an-md5\"")]), None);
        assert_eq!(multipart_etag(&[part(1, "\"0CC175B9C0F1B6A831C399E26977266Z\"")]), None);
    }
}
