//! Content-MD5 values (base64 of the raw 16-byte MD5), from memory or streamed from a file range.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};

use crate::core::error::{fail, ErrorKind, Result};
use crate::core::http::{file_error, file_size, hashed_range, Body};

/// Content-MD5 of bytes in memory.
pub fn content_md5(data: &[u8]) -> String {
    B64.encode(Md5::digest(data))
}

/// Content-MD5 of a file body (the range `body` sends of `path`; "" hashed for any other body).
pub fn file_body_md5(path: &Path, body: &Body) -> Result<String> {
    match body {
        Body::File { offset, len, .. } => file_content_md5(path, *offset, *len),
        _ => Ok(content_md5(b"")),
    }
}

/// Content-MD5 of `len` bytes of `path` from `offset`. A range of up to 32 MiB is read in one piece, kept for an
/// upload of the same range that follows, and in a sequential pass the next range is hashed ahead
/// (`hashed_range`); a longer range is read in 64 KiB chunks (never whole).
/// Errors: missing or unreadable file, a range outside the file.
pub fn file_content_md5(path: &Path, offset: u64, len: u64) -> Result<String> {
    let size = file_size(path)?;
    if offset.checked_add(len).is_none_or(|end| end > size) {
        return fail(
            ErrorKind::RangeOutOfFile,
            format!("range {offset}+{len} lies outside {} ({size} bytes)", path.display()),
        );
    }
    if len <= hashed_range::MAX_LEN {
        return hashed_range::content_md5_of(path, offset, len);
    }
    let mut f = File::open(path).map_err(|e| file_error(path, &e))?;
    f.seek(SeekFrom::Start(offset)).map_err(|e| file_error(path, &e))?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = f.read(&mut buf[..want]).map_err(|e| file_error(path, &e))?;
        if n == 0 {
            return fail(ErrorKind::Io, format!("{} shrank while it was being read", path.display()));
        }
        hasher.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(B64.encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_sdk_check_values() {
        let _serial = hashed_range::TEST_LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = std::env::temp_dir().join(format!("ossrs-digest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("f250000");
        std::fs::write(&f, (0..250_000u32).map(|i| (i % 251) as u8).collect::<Vec<_>>()).unwrap();
        assert_eq!(file_content_md5(&f, 0, 10).unwrap(), "xWvVSA9uVBPLYqCtlmZhOg==");
        assert_eq!(file_content_md5(&f, 0, 102_400).unwrap(), "Gg+BVH5bounEpLlKdHMZkw==");
        assert_eq!(file_content_md5(&f, 102_400, 102_400).unwrap(), "3dFR5475+Xbj6AoievVhgA==");
        assert_eq!(file_content_md5(&f, 204_800, 45_200).unwrap(), "xSEe6UvQBoqgi9zgyv/RvA==");
        assert_eq!(file_content_md5(&f, 250_000, 0).unwrap(), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(file_content_md5(&f, 249_990, 11).unwrap_err().kind(), ErrorKind::RangeOutOfFile);
        assert_eq!(file_content_md5(&f, u64::MAX, 2).unwrap_err().kind(), ErrorKind::RangeOutOfFile);
        assert_eq!(file_content_md5(&dir.join("nope"), 0, 1).unwrap_err().kind(), ErrorKind::FileNotFound);
        assert_eq!(content_md5(b"random content"), "xTMZXcQlNQMHGhnULwjodw==");
        // Past 32 MiB the range is hashed in chunks (a sparse file reads as zeros).
        let big = dir.join("sparse");
        let len = hashed_range::MAX_LEN + 5;
        File::create(&big).unwrap().set_len(len + 7).unwrap();
        assert_eq!(file_content_md5(&big, 7, len).unwrap(), content_md5(&vec![0u8; len as usize]));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
