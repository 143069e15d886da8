//! OSS operations, one file per family, all as methods on [`Client`](super::client::Client).

mod checkpoint;
mod complete_recovery;
mod digest;
mod download;
mod generic;
mod multipart;
mod object;
mod post_form;
mod presign;
mod put_object;
mod upload_file;

pub use digest::{content_md5, file_content_md5};
pub use generic::CallResult;
pub use multipart::{InitiateResult, ListPartsResult, PartInfo};
pub use upload_file::{Progress, UploadSettings, MAX_PART_SIZE, MIN_PART_SIZE};

use super::client::RequestOptions;
use super::error::Result;
use super::http::Headers;
use super::mime;

/// The Content-Type for an upload: the caller's, else inferred from the object name, else the default.
/// Like the SDK, form-urlencoded is rewritten to octet-stream.
fn upload_headers(key: &str, opts: &RequestOptions, infer: bool) -> Result<Headers> {
    let user = opts.checked_headers()?;
    let mut h = Headers::new();
    let inferred = if infer { mime::for_name(key) } else { None };
    let ct = user
        .get("Content-Type")
        .map(str::to_string)
        .unwrap_or_else(|| inferred.unwrap_or(mime::DEFAULT_CONTENT_TYPE).to_string());
    h.set(
        "Content-Type",
        if ct == "application/x-www-form-urlencoded" { mime::DEFAULT_CONTENT_TYPE.to_string() } else { ct },
    );
    for (n, v) in user {
        if !n.eq_ignore_ascii_case("Content-Type") {
            h.set(n, v);
        }
    }
    Ok(h)
}
