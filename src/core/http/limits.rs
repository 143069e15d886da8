//! Bounds on what one answer may make the client hold: body sizes by kind of answer, and the excerpt of a
//! server's text that goes into an error message. An answer over its limit is refused without reading the rest
//! (the connection is dropped, never reused), so a hostile server cannot grow the process's memory. The sizes OSS
//! itself sends, behind the defaults, are in `docs/oss-answers.md`.

use std::io::Read;
use std::time::Instant;

use crate::core::error::{Error, ErrorKind, Result};

/// Size limits in bytes (client settings `max_response_bytes`, `max_error_body_bytes`, `max_object_bytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimits {
    /// A 2xx answer read into memory as a result: XML results and callback replies. Default 8 MiB; OSS documents
    /// at most 1 MB (elsewhere 3 MB) for a callback server's reply, and its XML results stay far below that.
    pub result: u64,
    /// The body of an error answer (non-2xx). Default 64 KiB; OSS error XML is well under 1 KiB.
    pub error: u64,
    /// An object read into memory by GetObject. Default 1 GiB.
    pub object: u64,
}

impl Default for AnswerLimits {
    fn default() -> Self {
        AnswerLimits { result: 8 << 20, error: 64 << 10, object: 1 << 30 }
    }
}

/// What the body of a 2xx answer is, which decides its limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Answer {
    /// An XML result, a callback reply or nothing.
    #[default]
    Result,
    /// The object's bytes (GetObject).
    Object,
}

/// How one request's answer is read: its kind and the end of the call it belongs to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    /// What a 2xx body is.
    pub answer: Answer,
    /// The whole call (every attempt) ends here; None = no limit.
    pub deadline: Option<Instant>,
}

/// Longest excerpt of a server's text put into an error message.
pub const EXCERPT_CHARS: usize = 160;

/// Longest identifier OSS could send (UploadId, ETag, request id): OSS's are 24–64 characters.
pub const MAX_ID_BYTES: usize = 1024;

impl AnswerLimits {
    /// The limit for the body of an answer with `status` to a request read as `answer`, and its setting's name.
    pub fn for_answer(&self, status: u16, answer: Answer) -> (u64, &'static str) {
        match answer {
            _ if !(200..300).contains(&status) => (self.error, "max_error_body_bytes"),
            Answer::Result => (self.result, "max_response_bytes"),
            Answer::Object => (self.object, "max_object_bytes"),
        }
    }
}

/// Reads `body` up to `limit` bytes; more is an `InvalidResponse` error naming the limit and `setting`, with an
/// excerpt of the start. `declared` (Content-Length) over the limit fails before anything is read. Read errors
/// come back as the `io::Error` (the caller classifies timeouts).
pub fn read_bounded(
    body: &mut dyn Read,
    declared: Option<u64>,
    limit: u64,
    setting: &str,
    status: u16,
) -> std::result::Result<Result<Vec<u8>>, std::io::Error> {
    if let Some(len) = declared.filter(|&l| l > limit) {
        return Ok(Err(too_large(status, &format!("declares {len} bytes, over"), limit, setting, &[])));
    }
    let mut out = Vec::with_capacity(declared.unwrap_or(0).min(64 << 10) as usize);
    body.take(limit.saturating_add(1)).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Ok(Err(too_large(status, "has more bytes than", limit, setting, &out)));
    }
    Ok(Ok(out))
}

fn too_large(status: u16, what: &str, limit: u64, setting: &str, start: &[u8]) -> Error {
    let mut msg = format!(
        "the server's {status} answer {what} the {limit}-byte limit for its body ({setting}); \
         it was not read further and the connection was closed"
    );
    if !start.is_empty() {
        msg.push_str(&format!("; it begins: {}", excerpt(start)));
    }
    Error::new(ErrorKind::InvalidResponse, msg).without_retry()
}

/// The start of a server's text, at most [`EXCERPT_CHARS`] characters, control characters shown as `\u{..}`
/// escapes and `…` when cut.
pub fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(EXCERPT_CHARS * 4)]);
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if bytes.len() > EXCERPT_CHARS * 4 {
        out.push('…');
    }
    out
}

/// `value` cut to [`EXCERPT_CHARS`] characters (`…` when cut): for server text kept in errors.
pub fn shorten(value: &str) -> String {
    match value.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// Fails with `InvalidResponse` when an identifier from an answer is longer than OSS ever sends.
pub fn check_id(what: &str, value: &str) -> Result<()> {
    if value.len() > MAX_ID_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            format!(
                "invalid response: its {what} is {} bytes long, more than the {MAX_ID_BYTES} bytes OSS could send; \
                 it begins: {}",
                value.len(),
                excerpt(value.as_bytes())
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_read_up_to_the_limit() {
        let ok = read_bounded(&mut &b"abc"[..], Some(3), 3, "k", 200).unwrap().unwrap();
        assert_eq!(ok, b"abc");
        let e = read_bounded(&mut &b"abcd"[..], None, 3, "max_response_bytes", 200).unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
        assert!(e.message().contains("3-byte limit") && e.message().contains("max_response_bytes"), "{e}");
        assert!(e.message().ends_with("it begins: abcd"), "{e}");
        // A declared length over the limit fails before reading: the reader is never touched.
        struct Untouchable;
        impl Read for Untouchable {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                panic!("read")
            }
        }
        let e = read_bounded(&mut Untouchable, Some(1 << 40), 10, "max_error_body_bytes", 500).unwrap().unwrap_err();
        assert!(
            e.message().starts_with("the server's 500 answer declares 1099511627776 bytes, over the 10-byte limit"),
            "{e}"
        );
    }

    #[test]
    fn excerpts_are_short_and_printable() {
        let long = "x".repeat(10_000);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b"a\r\nb\x00"), "a\\r\\nb\\u{0}");
        assert_eq!(shorten("short"), "short");
        assert_eq!(shorten(&long).chars().count(), EXCERPT_CHARS + 1);
        assert!(check_id("UploadId", &"A".repeat(MAX_ID_BYTES)).is_ok());
        let e = check_id("UploadId", &"A".repeat(50 << 20)).unwrap_err();
        assert!(e.message().len() < 400, "{}", e.message().len());
    }

    #[test]
    fn limits_by_answer() {
        let l = AnswerLimits::default();
        assert_eq!(l.for_answer(200, Answer::Result), (8 << 20, "max_response_bytes"));
        assert_eq!(l.for_answer(206, Answer::Object), (1 << 30, "max_object_bytes"));
        assert_eq!(l.for_answer(503, Answer::Object), (64 << 10, "max_error_body_bytes"));
        assert_eq!(l.for_answer(203, Answer::Result).1, "max_response_bytes");
    }
}
