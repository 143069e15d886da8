//! Multipart uploads: initiate, upload part, complete (with callbacks), abort, and the
//! ListParts / ListMultipartUploads listings. Parts live on disk under `uploads/<id>/`.

use crate::encoding::hex_upper;
use crate::error::OssError;
use crate::http::Response;
use crate::object::{self, callback_params, content_md5, receive, require_length, small_body};
use crate::server::{lock, Request};
use crate::service::{Ctx, Operation, Oss};
use crate::store::{write_hashed, CopyError, Digests, ObjectMeta};
use crate::time;
use crate::xml::{self, leaf, Node};
use md5::{Digest, Md5};
use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Smallest size of every part but the last.
pub const MIN_PART_BYTES: u64 = 102_400;
/// Highest part number.
pub const MAX_PART_NUMBER: u32 = 10_000;
/// Largest accepted CompleteMultipartUpload document.
const MAX_COMPLETE_XML: u64 = 4 * 1024 * 1024;
/// Default and largest page size of the listings.
const MAX_LISTING: usize = 1000;

/// One uploaded part.
#[derive(Debug, Clone)]
pub struct Part {
    pub md5: [u8; 16],
    pub size: u64,
    pub crc64: u64,
    pub last_modified: i64,
}

/// An open multipart upload.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bucket: String,
    pub key: String,
    pub content_type: String,
    pub user_meta: Vec<(String, String)>,
    pub initiated: i64,
    /// Initiation order, for listings.
    pub seq: u64,
    pub parts: BTreeMap<u32, Part>,
}

/// All open uploads, with their parts under `dir/<upload id>/<part number>`.
pub struct Uploads {
    dir: PathBuf,
    open: Mutex<(u64, HashMap<String, Upload>)>,
}

impl Uploads {
    pub fn new(dir: PathBuf) -> io::Result<Uploads> {
        fs::create_dir_all(&dir)?;
        Ok(Uploads { dir, open: Mutex::new((0, HashMap::new())) })
    }

    fn part_path(&self, id: &str, number: u32) -> PathBuf {
        self.dir.join(id).join(number.to_string())
    }

    fn start(&self, upload: Upload) -> io::Result<String> {
        let id = format!("{:032X}", rand::random::<u128>());
        fs::create_dir_all(self.dir.join(&id))?;
        let mut open = lock(&self.open);
        open.0 += 1;
        let seq = open.0;
        open.1.insert(id.clone(), Upload { seq, ..upload });
        Ok(id)
    }

    /// The upload `id`, if it is open for `bucket/key`.
    fn get(&self, id: &str, bucket: &str, key: &str) -> Result<Upload, OssError> {
        lock(&self.open)
            .1
            .get(id)
            .filter(|u| u.bucket == bucket && u.key == key)
            .cloned()
            .ok_or_else(|| OssError::no_such_upload(id))
    }

    /// Moves the received part file into place and records it (replacing an earlier one).
    fn add_part(&self, id: &str, number: u32, file: &Path, part: Part) -> Result<(), OssError> {
        let mut open = lock(&self.open);
        let upload = open.1.get_mut(id).ok_or_else(|| OssError::no_such_upload(id))?;
        fs::rename(file, self.part_path(id, number))
            .map_err(|e| OssError::internal(format!("cannot store the part: {e}")))?;
        upload.parts.insert(number, part);
        Ok(())
    }

    /// Closes the upload and returns it; its part files stay until [`Uploads::discard`].
    fn take(&self, id: &str) -> Option<Upload> {
        lock(&self.open).1.remove(id)
    }

    /// Removes the part files of a closed upload.
    fn discard(&self, id: &str) {
        let _ = fs::remove_dir_all(self.dir.join(id));
    }

    /// Open upload ids of `bucket`, in initiation order.
    pub fn ids(&self, bucket: &str) -> Vec<String> {
        let open = lock(&self.open);
        let mut ids: Vec<(&Upload, &String)> =
            open.1.iter().filter(|(_, u)| u.bucket == bucket).map(|(id, u)| (u, id)).collect();
        ids.sort_by_key(|(u, _)| u.seq);
        ids.into_iter().map(|(_, id)| id.clone()).collect()
    }

    fn list(&self, bucket: &str) -> Vec<(String, Upload)> {
        let open = lock(&self.open);
        let mut all: Vec<(String, Upload)> =
            open.1.iter().filter(|(_, u)| u.bucket == bucket).map(|(id, u)| (id.clone(), u.clone())).collect();
        all.sort_by(|a, b| (&a.1.key, a.1.seq).cmp(&(&b.1.key, b.1.seq)));
        all
    }
}

/// Reads the part files one after another.
struct PartsReader {
    paths: std::vec::IntoIter<PathBuf>,
    current: Option<File>,
}

impl Read for PartsReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(file) = &mut self.current {
                let n = file.read(buf)?;
                if n > 0 {
                    return Ok(n);
                }
            }
            match self.paths.next() {
                Some(path) => self.current = Some(File::open(path)?),
                None => return Ok(0),
            }
        }
    }
}

/// The multipart ETag: MD5 of the concatenated raw part MD5s, upper hex, `-<count>`.
pub fn multipart_etag(part_md5s: &[[u8; 16]]) -> String {
    let mut md5 = Md5::new();
    for m in part_md5s {
        md5.update(m);
    }
    format!("{}-{}", hex_upper(&md5.finalize()), part_md5s.len())
}

/// Parses a CompleteMultipartUpload document into `(part number, ETag)` pairs.
pub fn parse_complete(body: &[u8]) -> Result<Vec<(u32, String)>, OssError> {
    let text = std::str::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
    let root = xml::parse(text).map_err(|_| OssError::malformed_xml())?;
    if root.name != "CompleteMultipartUpload" {
        return Err(OssError::malformed_xml());
    }
    let parts = root
        .children
        .iter()
        .filter(|c| c.name == "Part")
        .map(|p| {
            let number = p.child("PartNumber").and_then(|n| n.text.trim().parse::<u32>().ok());
            let etag = p.child("ETag").map(|e| e.text.trim().to_string());
            match (number, etag) {
                (Some(n), Some(e)) => Ok((n, e)),
                _ => Err(OssError::malformed_xml()),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    if parts.is_empty() {
        return Err(OssError::malformed_xml());
    }
    Ok(parts)
}

/// ETags compare without surrounding quotes, hex case-insensitively.
fn etag_matches(given: &str, md5: &[u8; 16]) -> bool {
    given.trim().trim_matches('"').eq_ignore_ascii_case(&hex_upper(md5))
}

/// Checks the requested part list against the upload; returns the chosen parts in order.
fn select_parts(upload: &Upload, id: &str, requested: &[(u32, String)]) -> Result<Vec<(u32, Part)>, OssError> {
    let mut chosen: Vec<(u32, Part)> = Vec::with_capacity(requested.len());
    for (number, etag) in requested {
        if chosen.last().is_some_and(|(prev, _)| number <= prev) {
            return Err(OssError::new(
                400,
                "InvalidPartOrder",
                "The list of parts was not in ascending order. Parts list must be specified in order by part number.",
            )
            .with_extra("UploadId", id));
        }
        match upload.parts.get(number) {
            Some(part) if etag_matches(etag, &part.md5) => chosen.push((*number, part.clone())),
            _ => {
                return Err(OssError::new(
                    400,
                    "InvalidPart",
                    "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
                )
                .with_extra("UploadId", id)
                .with_extra("PartNumber", number.to_string())
                .with_extra("ETag", etag.clone()))
            }
        }
    }
    let last = chosen.len().saturating_sub(1);
    if let Some((number, part)) = chosen[..last].iter().find(|(_, p)| p.size < MIN_PART_BYTES) {
        return Err(OssError::new(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size.",
        )
        .with_extra("MinSizeAllowed", MIN_PART_BYTES.to_string())
        .with_extra("ProposedSize", part.size.to_string())
        .with_extra("PartNumber", number.to_string()));
    }
    Ok(chosen)
}

fn upload_id(ctx: &Ctx) -> Result<String, OssError> {
    match ctx.param("uploadId") {
        Some(id) if !id.is_empty() => Ok(id.to_string()),
        _ => Err(OssError::invalid_argument("The uploadId parameter is required.")),
    }
}

/// POST /bucket/key?uploads.
pub fn initiate(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    small_body(req, MAX_COMPLETE_XML)?;
    let id = oss
        .uploads
        .start(Upload {
            bucket: ctx.bucket.clone(),
            key: ctx.key.clone(),
            content_type: object::content_type(&req.head),
            user_meta: object::user_meta(&req.head),
            initiated: time::now_unix(),
            seq: 0,
            parts: BTreeMap::new(),
        })
        .map_err(|e| OssError::internal(format!("cannot start the upload: {e}")))?;
    let doc = xml::document(
        "InitiateMultipartUploadResult",
        &[leaf("Bucket", &ctx.bucket), leaf("Key", &ctx.key), leaf("UploadId", id)],
    );
    Ok(Response::bytes(200, "application/xml", doc))
}

/// The `partNumber` of the request, checked.
fn part_number(ctx: &Ctx) -> Result<u32, OssError> {
    ctx.param("partNumber")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (1..=MAX_PART_NUMBER).contains(n))
        .ok_or_else(|| {
            OssError::invalid_argument(format!(
                "Part number must be an integer between 1 and {MAX_PART_NUMBER}, inclusive."
            ))
            .with_extra("ArgumentName", "partNumber")
            .with_extra("ArgumentValue", ctx.param("partNumber").unwrap_or(""))
        })
}

/// Records the part received into `temp` (removed on failure).
fn store_part(oss: &Oss, id: &str, number: u32, temp: &Path, digests: Digests) -> Result<(), OssError> {
    let part = Part { md5: digests.md5, size: digests.size, crc64: digests.crc64, last_modified: time::now_unix() };
    oss.uploads.add_part(id, number, temp, part).inspect_err(|_| {
        let _ = fs::remove_file(temp);
    })
}

/// PUT /bucket/key?partNumber=N&uploadId=ID.
pub fn upload_part(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    let number = part_number(ctx)?;
    oss.uploads.get(&id, &ctx.bucket, &ctx.key)?;
    let expected = content_md5(&req.head)?;
    require_length(&req.head)?;
    let temp = oss.store.temp_path();
    let digests = receive(&mut req.body, &temp, expected)?;
    store_part(oss, &id, number, &temp, digests)?;
    Ok(Response::empty(200)
        .header("ETag", format!("\"{}\"", hex_upper(&digests.md5)))
        .header("x-oss-hash-crc64ecma", digests.crc64.to_string())
        .header("Content-MD5", base64_md5(&digests.md5)))
}

/// The inclusive byte range of `x-oss-copy-source-range: bytes=first-last` (`last` may be left out) within an
/// object of `size` bytes; the whole object without the header. A range past the end is `InvalidArgument`.
fn copy_range(header: Option<&str>, size: u64) -> Result<(u64, u64), OssError> {
    let Some(value) = header else { return Ok((0, size)) };
    let invalid = || {
        OssError::invalid_argument("The x-oss-copy-source-range is not valid or exceeds the source object's size.")
            .with_extra("ArgumentName", "x-oss-copy-source-range")
            .with_extra("ArgumentValue", value)
    };
    let (first, last) = value.strip_prefix("bytes=").and_then(|r| r.split_once('-')).ok_or_else(invalid)?;
    let first: u64 = first.parse().map_err(|_| invalid())?;
    let last: u64 = if last.is_empty() { size.saturating_sub(1) } else { last.parse().map_err(|_| invalid())? };
    if first > last || last >= size {
        return Err(invalid());
    }
    Ok((first, last - first + 1))
}

/// PUT /bucket/key?partNumber=N&uploadId=ID with `x-oss-copy-source` (UploadPartCopy): the part is the source
/// object, or the `x-oss-copy-source-range` of it. Appendable and symlink objects cannot be copied.
pub fn upload_part_copy(oss: &Oss, req: &Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    let number = part_number(ctx)?;
    let source = crate::copy::source(oss, &req.head)?;
    oss.uploads.get(&id, &ctx.bucket, &ctx.key)?;
    let (mut file, meta) = source.open(oss)?;
    if meta.object_type != "Normal" && meta.object_type != "Multipart" {
        return Err(OssError::invalid_argument(format!(
            "An object of type {} cannot be the source of UploadPartCopy.",
            meta.object_type
        )));
    }
    let (offset, len) = copy_range(req.head.header("x-oss-copy-source-range"), meta.size)?;
    let failed = |e: io::Error| OssError::internal(format!("cannot copy the part: {e}"));
    io::Seek::seek(&mut file, io::SeekFrom::Start(offset)).map_err(failed)?;
    let temp = oss.store.temp_path();
    let digests = write_hashed(&mut file.take(len), &temp).map_err(|e| {
        let _ = fs::remove_file(&temp);
        match e {
            CopyError::Read(e) | CopyError::Write(e) => failed(e),
        }
    })?;
    store_part(oss, &id, number, &temp, digests)?;
    let etag = format!("\"{}\"", hex_upper(&digests.md5));
    let doc = xml::document(
        "CopyPartResult",
        &[leaf("LastModified", time::iso8601_secs(time::now_unix())), leaf("ETag", etag.clone())],
    );
    Ok(Response::bytes(200, "application/xml", doc).header("ETag", etag))
}

fn base64_md5(md5: &[u8; 16]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(md5)
}

/// POST /bucket/key?uploadId=ID with a CompleteMultipartUpload body.
pub fn complete(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    let callback = callback_params(&req.head, ctx)?;
    let body = small_body(req, MAX_COMPLETE_XML)?;
    let upload = oss.uploads.get(&id, &ctx.bucket, &ctx.key)?;
    let requested = parse_complete(&body)?;
    let chosen = select_parts(&upload, &id, &requested)?;
    let upload = oss.uploads.take(&id).ok_or_else(|| OssError::no_such_upload(&id))?;
    let temp = oss.store.temp_path();
    let mut reader = PartsReader {
        paths: chosen.iter().map(|(n, _)| oss.uploads.part_path(&id, *n)).collect::<Vec<_>>().into_iter(),
        current: None,
    };
    let digests = match write_hashed(&mut reader, &temp) {
        Ok(d) => d,
        Err(CopyError::Read(e) | CopyError::Write(e)) => {
            let _ = fs::remove_file(&temp);
            oss.uploads.discard(&id);
            return Err(OssError::internal(format!("cannot assemble the object: {e}")));
        }
    };
    let md5s: Vec<[u8; 16]> = chosen.iter().map(|(_, p)| p.md5).collect();
    let meta = ObjectMeta {
        etag: multipart_etag(&md5s),
        content_md5: None,
        user_meta: upload.user_meta,
        ..ObjectMeta::new(ctx.key.clone(), upload.content_type, "Multipart", &digests)
    };
    let committed = oss.store.commit(&ctx.bucket, &temp, meta);
    oss.uploads.discard(&id);
    let meta = committed.map_err(|e| {
        let _ = fs::remove_file(&temp);
        OssError::internal(format!("cannot store the object: {e}"))
    })?;
    let location = format!(
        "http://{}.oss-{}.aliyuncs.com/{}",
        ctx.bucket,
        oss.settings.region,
        crate::encoding::rawurlencode_path(&ctx.key)
    );
    let doc = xml::document(
        "CompleteMultipartUploadResult",
        &[
            leaf("Location", location),
            leaf("Bucket", &ctx.bucket),
            leaf("Key", &ctx.key),
            leaf("ETag", format!("\"{}\"", meta.etag)),
        ],
    );
    let headers = object::upload_headers(oss, &ctx.bucket, &meta);
    let plain = Response::bytes(200, "application/xml", doc);
    Ok(object::finish_upload(oss, ctx, &meta, headers, callback, Operation::CompleteMultipartUpload, plain))
}

/// DELETE /bucket/key?uploadId=ID.
pub fn abort(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    oss.uploads.get(&id, &ctx.bucket, &ctx.key)?;
    oss.uploads.take(&id).ok_or_else(|| OssError::no_such_upload(&id))?;
    oss.uploads.discard(&id);
    Ok(Response::empty(204))
}

fn listing_size(ctx: &Ctx, name: &str) -> Result<usize, OssError> {
    match ctx.param(name) {
        None => Ok(MAX_LISTING),
        Some(v) => v.parse::<usize>().ok().filter(|n| (1..=MAX_LISTING).contains(n)).ok_or_else(|| {
            OssError::invalid_argument(format!("{name} must be an integer between 1 and {MAX_LISTING}."))
                .with_extra("ArgumentName", name)
                .with_extra("ArgumentValue", v)
        }),
    }
}

/// GET /bucket/key?uploadId=ID (ListParts).
pub fn list_parts(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let id = upload_id(ctx)?;
    let upload = oss.uploads.get(&id, &ctx.bucket, &ctx.key)?;
    let max = listing_size(ctx, "max-parts")?;
    let marker = match ctx.param("part-number-marker") {
        None | Some("") => 0,
        Some(v) => v
            .parse::<u32>()
            .map_err(|_| OssError::invalid_argument("part-number-marker must be a non-negative integer."))?,
    };
    let after: Vec<(&u32, &Part)> = upload.parts.range(marker.saturating_add(1)..).collect();
    let page = &after[..after.len().min(max)];
    let truncated = after.len() > page.len();
    let next = page.last().map_or(marker, |(n, _)| **n);
    let mut nodes = vec![
        leaf("Bucket", &ctx.bucket),
        leaf("Key", &ctx.key),
        leaf("UploadId", &id),
        leaf("StorageClass", "Standard"),
        leaf("PartNumberMarker", marker.to_string()),
        leaf("NextPartNumberMarker", next.to_string()),
        leaf("MaxParts", max.to_string()),
        leaf("IsTruncated", truncated.to_string()),
    ];
    for (number, part) in page {
        nodes.push(Node::Group(
            "Part",
            vec![
                leaf("PartNumber", number.to_string()),
                leaf("LastModified", time::iso8601_secs(part.last_modified)),
                leaf("ETag", format!("\"{}\"", hex_upper(&part.md5))),
                leaf("HashCrc64ecma", part.crc64.to_string()),
                leaf("Size", part.size.to_string()),
            ],
        ));
    }
    Ok(Response::bytes(200, "application/xml", xml::document("ListPartsResult", &nodes)))
}

/// GET /bucket?uploads (ListMultipartUploads; `prefix`, `key-marker`, `upload-id-marker`,
/// `max-uploads`).
pub fn list_uploads(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let max = listing_size(ctx, "max-uploads")?;
    let prefix = ctx.param("prefix").unwrap_or("");
    let key_marker = ctx.param("key-marker").unwrap_or("");
    let id_marker = ctx.param("upload-id-marker").unwrap_or("");
    let all = oss.uploads.list(&ctx.bucket);
    // The upload-id-marker position within key-marker, when given and still open.
    let marker_seq = all.iter().find(|(id, u)| u.key == key_marker && id == id_marker).map(|(_, u)| u.seq);
    let after: Vec<&(String, Upload)> = all
        .iter()
        .filter(|(_, u)| u.key.starts_with(prefix))
        .filter(|(_, u)| match marker_seq {
            Some(seq) if !key_marker.is_empty() => u.key.as_str() > key_marker || (u.key == key_marker && u.seq > seq),
            _ => key_marker.is_empty() || u.key.as_str() > key_marker,
        })
        .collect();
    let page = &after[..after.len().min(max)];
    let truncated = after.len() > page.len();
    let (next_key, next_id) = match (truncated, page.last()) {
        (true, Some((id, u))) => (u.key.clone(), id.clone()),
        _ => (String::new(), String::new()),
    };
    // encoding-type=url: names in the answer are URL-encoded, as OSS does.
    let url = ctx.param("encoding-type") == Some("url");
    let enc = |s: &str| if url { crate::encoding::rawurlencode(s.as_bytes()) } else { s.to_string() };
    let mut nodes = vec![leaf("Bucket", &ctx.bucket)];
    if url {
        nodes.push(leaf("EncodingType", "url"));
    }
    nodes.extend([
        leaf("KeyMarker", enc(key_marker)),
        leaf("UploadIdMarker", id_marker),
        leaf("NextKeyMarker", enc(&next_key)),
        leaf("NextUploadIdMarker", next_id),
        leaf("Delimiter", ""),
        leaf("Prefix", enc(prefix)),
        leaf("MaxUploads", max.to_string()),
        leaf("IsTruncated", truncated.to_string()),
    ]);
    for (id, u) in page {
        nodes.push(Node::Group(
            "Upload",
            vec![
                leaf("Key", enc(&u.key)),
                leaf("UploadId", id),
                leaf("StorageClass", "Standard"),
                leaf("Initiated", time::iso8601_secs(u.initiated)),
            ],
        ));
    }
    Ok(Response::bytes(200, "application/xml", xml::document("ListMultipartUploadsResult", &nodes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_of_multipart_object() {
        // The three parts of the 250000-byte file with byte[i] = i % 251 (wire capture flow B).
        let data: Vec<u8> = (0..250_000u32).map(|i| (i % 251) as u8).collect();
        let md5s: Vec<[u8; 16]> = data.chunks(102_400).map(|c| Md5::digest(c).into()).collect();
        assert_eq!(hex_upper(&md5s[0]), "1A0F81547E5BA2E9C4A4B94A74731993");
        assert_eq!(hex_upper(&md5s[2]), "C5211EE94BD0068AA08BDCE0CAFFD1BC");
        // The multipart ETag recorded for that upload.
        assert_eq!(multipart_etag(&md5s), "D0AE071BCA986CE3CED5D81B4D22C61B-3");
    }

    #[test]
    fn checks_part_lists() {
        let body = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"1a0f81547e5ba2e9c4a4b94a74731993\"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>BBB</ETag></Part></CompleteMultipartUpload>\n";
        let parts = parse_complete(body).unwrap();
        assert_eq!(parts[0], (1, "\"1a0f81547e5ba2e9c4a4b94a74731993\"".to_string()));
        assert_eq!(parse_complete(b"<CompleteMultipartUpload/>").unwrap_err().code, "MalformedXML");
        assert_eq!(parse_complete(b"<Other><Part/></Other>").unwrap_err().code, "MalformedXML");
        assert_eq!(parse_complete(b"<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>").unwrap_err().code, "MalformedXML");

        let part = |md5: [u8; 16], size| Part { md5, size, crc64: 0, last_modified: 0 };
        let mut upload = Upload {
            bucket: "b".into(),
            key: "k".into(),
            content_type: String::new(),
            user_meta: Vec::new(),
            initiated: 0,
            seq: 0,
            parts: BTreeMap::new(),
        };
        upload.parts.insert(1, part([0x1A; 16], MIN_PART_BYTES));
        upload.parts.insert(2, part([0x2B; 16], 10));
        upload.parts.insert(3, part([0x3C; 16], 10));
        let e = |n: u32, m: u8| (n, format!("\"{}\"", hex_upper(&[m; 16]).to_lowercase()));
        assert_eq!(select_parts(&upload, "id", &[e(1, 0x1A), e(2, 0x2B)]).unwrap().len(), 2);
        assert_eq!(select_parts(&upload, "id", &[e(2, 0x2B), e(1, 0x1A)]).unwrap_err().code, "InvalidPartOrder");
        assert_eq!(select_parts(&upload, "id", &[e(1, 0x1A), e(1, 0x1A)]).unwrap_err().code, "InvalidPartOrder");
        assert_eq!(select_parts(&upload, "id", &[e(1, 0x1A), e(2, 0x2C)]).unwrap_err().code, "InvalidPart");
        assert_eq!(select_parts(&upload, "id", &[e(4, 0x1A)]).unwrap_err().code, "InvalidPart");
        assert_eq!(
            select_parts(&upload, "id", &[e(1, 0x1A), e(2, 0x2B), e(3, 0x3C)]).unwrap_err().code,
            "EntityTooSmall"
        );
    }
}
