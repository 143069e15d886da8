//! What came back from the server, kept whole so that callers can see every header and the raw body.

use std::time::Duration;

/// A complete HTTP response plus the facts about the exchange that the PHP SDK exposes in `info`.
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// Request method (`PUT`).
    pub method: String,
    /// The URL requested.
    pub url: String,
    /// HTTP status code.
    pub status: u16,
    /// Response headers in server order, names lower-cased, values as text (lossy for non-UTF-8 bytes).
    pub headers: Vec<(String, String)>,
    /// The raw body (for a callback upload: the callback server's reply).
    pub body: Vec<u8>,
    /// Time from sending the request to having read the whole body.
    pub total_time: Duration,
    /// Request body bytes sent.
    pub bytes_sent: u64,
    /// True when the request's own answer was lost and its success was confirmed by other requests; this is then
    /// their response (CompleteMultipartUpload: the HEAD of the completed object, so no callback reply).
    pub recovered: bool,
    /// Attempts the call made to get this answer (1 when the first one succeeded).
    pub attempts: u32,
}

impl Response {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// [`Response::total_time`] in whole microseconds (u64::MAX beyond that).
    pub fn total_time_us(&self) -> u64 {
        u64::try_from(self.total_time.as_micros()).unwrap_or(u64::MAX)
    }

    /// The `x-oss-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-oss-request-id")
    }

    /// The `ETag` header exactly as sent (quotes kept).
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
}
