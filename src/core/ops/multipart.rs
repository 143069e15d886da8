//! Multipart upload, one call per OSS API (`docs/php-sdk-behaviour.md` "Multipart upload"): initiate, upload part,
//! complete, abort and list parts.

use std::path::Path;

use bytes::Bytes;

use super::digest::content_md5;
use super::upload_headers;
use crate::core::client::{Client, RequestOptions};
use crate::core::error::{fail, Error, ErrorKind, Result};
use crate::core::http::limits::check_id;
use crate::core::http::{retry, Body, Response};
use crate::core::model::xml::{self, CompletePart};
use crate::core::operation::{
    ABORT_MULTIPART_UPLOAD, COMPLETE_MULTIPART_UPLOAD, INITIATE_MULTIPART_UPLOAD, LIST_PARTS, UPLOAD_PART,
};
use crate::core::validate;

/// The answer to InitiateMultipartUpload.
#[derive(Debug, Clone)]
pub struct InitiateResult {
    /// The upload id.
    pub upload_id: String,
    /// The whole response.
    pub response: Response,
}

/// One uploaded part as ListParts reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartInfo {
    /// Part number.
    pub part_number: u32,
    /// ETag as the server sent it (quotes kept).
    pub etag: String,
    /// Size in bytes.
    pub size: u64,
    /// Last-modified time as the server wrote it.
    pub last_modified: String,
}

/// The answer to ListParts.
#[derive(Debug, Clone)]
pub struct ListPartsResult {
    /// Parts in server order.
    pub parts: Vec<PartInfo>,
    /// More parts follow (ask again with `part-number-marker` = `next_part_number_marker`).
    pub is_truncated: bool,
    /// Marker for the next page.
    pub next_part_number_marker: u32,
    /// `MaxParts` as the server echoed it (0 when absent).
    pub max_parts: u32,
    /// The whole response.
    pub response: Response,
}

fn check_target(bucket: &str, key: &str, upload_id: Option<&str>) -> Result<()> {
    validate::object(key)?;
    validate::bucket(bucket)?;
    upload_id.map_or(Ok(()), validate::upload_id)
}

fn check_content_md5(md5: &str) -> Result<()> {
    use base64::Engine;
    match base64::engine::general_purpose::STANDARD.decode(md5) {
        Ok(raw) if raw.len() == 16 => Ok(()),
        _ => fail(ErrorKind::InvalidArgument, format!("Content-MD5 {md5:?} is not the base64 of a 16-byte MD5")),
    }
}

impl Client {
    /// InitiateMultipartUpload: `POST ?uploads` with an empty body (its Content-MD5 is sent, as the SDK does).
    pub fn initiate_multipart_upload(&self, bucket: &str, key: &str, opts: &RequestOptions) -> Result<InitiateResult> {
        check_target(bucket, key, None)?;
        let headers = upload_headers(key, opts, true)?;
        let response = self
            .request(&INITIATE_MULTIPART_UPLOAD)
            .bucket(bucket)
            .key(key)
            .options(opts)?
            .headers(headers)
            .header("Content-Md5", content_md5(b""))
            .send()?;
        let upload_id = xml::parse(&response.body)
            .and_then(|root| root.child_text("UploadId").map(str::to_string))
            .filter(|id| !id.is_empty());
        match upload_id {
            Some(upload_id) => {
                check_id("UploadId", &upload_id).map_err(|e| e.with_attempts(response.attempts))?;
                Ok(InitiateResult { upload_id, response })
            }
            None => Err(Error::new(ErrorKind::InvalidResponse, "cannot get UploadId").with_attempts(response.attempts)),
        }
    }

    /// UploadPart from memory. `content_md5` (base64) is sent when given; none is computed, as in the SDK.
    #[allow(clippy::too_many_arguments)]
    pub fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        data: Bytes,
        content_md5: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<Response> {
        self.part(bucket, key, upload_id, part_number, || Ok(Body::Bytes(data)), content_md5, opts)
    }

    /// UploadPart from `len` bytes of `path` at `offset`, streamed from disk. The range must lie inside the file.
    #[allow(clippy::too_many_arguments)]
    pub fn upload_part_from_file(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        path: &Path,
        offset: u64,
        len: u64,
        content_md5: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<Response> {
        self.part(bucket, key, upload_id, part_number, || Body::file_range(path, offset, Some(len)), content_md5, opts)
    }

    #[allow(clippy::too_many_arguments)]
    fn part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        body: impl FnOnce() -> Result<Body>,
        content_md5: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<Response> {
        check_target(bucket, key, Some(upload_id))?;
        validate::part_number(part_number)?;
        let mut headers = upload_headers(key, opts, false)?;
        if let Some(md5) = content_md5.filter(|m| !m.is_empty()) {
            check_content_md5(md5)?;
            headers.set("Content-Md5", md5);
        }
        let body = body()?;
        let response = self
            .request(&UPLOAD_PART)
            .bucket(bucket)
            .key(key)
            .options(opts)?
            .query("partNumber", part_number.to_string())
            .query("uploadId", upload_id)
            .headers(headers)
            .body(body)
            .send()?;
        if response.etag().is_none() {
            return Err(Error::new(ErrorKind::InvalidResponse, "cannot get ETag").with_attempts(response.attempts));
        }
        Ok(response)
    }

    /// CompleteMultipartUpload with the parts in the order given, and an optional callback (where OSS runs it).
    /// When the answer is lost (connection failure, timeout, 5xx), the outcome is checked with ListParts and HEAD
    /// (see `complete_recovery`): a confirmed completion returns the HEAD response with `recovered` set.
    #[allow(clippy::too_many_arguments)]
    pub fn complete_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[CompletePart],
        callback: Option<&str>,
        callback_var: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<Response> {
        check_target(bucket, key, Some(upload_id))?;
        for p in parts {
            validate::part_number(p.part_number)?;
        }
        let cb = self.callback_headers(callback, callback_var)?;
        let body = xml::complete_multipart_body(parts).into_bytes();
        let req = self
            .request(&COMPLETE_MULTIPART_UPLOAD)
            .bucket(bucket)
            .key(key)
            .options(opts)?
            .query("uploadId", upload_id)
            .headers(opts.checked_headers()?)
            .header("Content-Type", "application/xml")
            .header("Content-Md5", content_md5(&body))
            .callback(cb.as_ref())
            .body(Body::Bytes(Bytes::from(body)))
            // One deadline for the Complete and every probe of its recovery.
            .deadline(opts.deadline.or_else(|| self.call_deadline()))
            .build()?;
        match self.execute(req.clone()) {
            // The answer is lost or unclear: find out whether the upload was completed before giving up.
            Err(e) if retry::is_transient(&e) => self.recover_complete(&req, upload_id, parts, e),
            other => other,
        }
    }

    /// AbortMultipartUpload (`DELETE ?uploadId`).
    pub fn abort_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        opts: &RequestOptions,
    ) -> Result<Response> {
        check_target(bucket, key, Some(upload_id))?;
        self.request(&ABORT_MULTIPART_UPLOAD)
            .bucket(bucket)
            .key(key)
            .options(opts)?
            .query("uploadId", upload_id)
            .headers(opts.checked_headers()?)
            .send()
    }

    /// ListParts (`GET ?uploadId`); `max-parts` and `part-number-marker` go in the options' query.
    pub fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        opts: &RequestOptions,
    ) -> Result<ListPartsResult> {
        check_target(bucket, key, Some(upload_id))?;
        let response = self
            .request(&LIST_PARTS)
            .bucket(bucket)
            .key(key)
            .options(opts)?
            .query("uploadId", upload_id)
            .headers(opts.checked_headers()?)
            .send()?;
        let Some(root) = xml::parse(&response.body).filter(|r| r.name == "ListPartsResult") else {
            return fail(ErrorKind::InvalidResponse, "ListParts answer is not a ListPartsResult document");
        };
        let mut parts = Vec::new();
        for p in root.children_named("Part") {
            let number = p.child_text("PartNumber").and_then(|n| n.trim().parse().ok());
            let size = p.child_text("Size").and_then(|n| n.trim().parse().ok());
            let (Some(part_number), Some(size)) = (number, size) else {
                return fail(
                    ErrorKind::InvalidResponse,
                    "ListParts answer has a Part without a valid PartNumber or Size",
                );
            };
            let etag = p.child_text("ETag").unwrap_or("");
            check_id("ETag", etag)?;
            parts.push(PartInfo {
                part_number,
                etag: etag.to_string(),
                size,
                last_modified: p.child_text("LastModified").unwrap_or("").to_string(),
            });
        }
        Ok(ListPartsResult {
            parts,
            is_truncated: root.child_text("IsTruncated").is_some_and(|t| t.trim() == "true"),
            next_part_number_marker: root
                .child_text("NextPartNumberMarker")
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0),
            max_parts: root.child_text("MaxParts").and_then(|n| n.trim().parse().ok()).unwrap_or(0),
            response,
        })
    }
}
