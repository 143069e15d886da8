//! The one error type of the core. Every failure carries a kind (mapped one-to-one to a C result code by the
//! ffi layer), a human message that never contains credentials, and, when a server answered, the parsed
//! service details plus the whole response.

use std::fmt;

use super::http::Response;

/// What went wrong, coarse enough for control flow. Numbering lives in `ffi::result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A required pointer argument was NULL (only produced by the ffi layer).
    NullParameter,
    /// A text argument was not valid UTF-8.
    InvalidUtf8,
    /// An argument is malformed in a way no more specific kind covers (e.g. an empty upload id).
    InvalidArgument,
    /// Bucket name breaks the OSS naming rules.
    InvalidBucketName,
    /// Object name breaks the OSS naming rules.
    InvalidObjectName,
    /// Part number outside 1..=10000.
    InvalidPartNumber,
    /// Callback or callback-var JSON rejected before sending.
    InvalidCallback,
    /// A header name or value that would corrupt the request (CR/LF, bad characters).
    InvalidHeader,
    /// Endpoint cannot be parsed.
    InvalidEndpoint,
    /// Client configuration rejected.
    InvalidConfig,
    /// A consumed handle was used again.
    AlreadyUsed,
    /// A handle that is not live (freed, foreign or corrupted).
    InvalidHandle,
    /// The client was created in another process (used after fork).
    WrongProcess,
    /// A caller-supplied output buffer is too small.
    InsufficientSize,
    /// A panic was caught at the C boundary.
    Panic,
    /// A local file does not exist.
    FileNotFound,
    /// A local path exists but cannot be read as a file (directory, permissions).
    FileUnreadable,
    /// A requested byte range lies (partly) outside the file.
    RangeOutOfFile,
    /// Reading a local file failed part-way.
    Io,
    /// Could not connect to the server (DNS, refused, TLS handshake).
    Connect,
    /// The connect or total timeout expired.
    Timeout,
    /// Any other transport failure (connection reset, protocol error).
    Transport,
    /// The server answered with a non-2xx status.
    Service,
    /// HTTP 203 CallbackFailed on a request that carried a callback: the object was stored, the callback failed.
    CallbackFailed,
    /// A 2xx answer lacked what the operation needs (no UploadId, no ETag, unparsable XML).
    InvalidResponse,
    /// The CRC-64 OSS computed differs from the local one: the data was corrupted in transit.
    Crc64Mismatch,
    /// The progress callback asked to stop.
    AbortedByCallback,
    /// An incoming upload callback's signature does not verify (forged, or path, query or body changed).
    CallbackSignatureInvalid,
    /// An incoming upload callback names a public key URL outside the allowed prefixes (nothing was fetched).
    CallbackKeyUrlNotAllowed,
    /// The public key of an incoming upload callback could not be fetched (unreachable, non-200, not a PEM key).
    CallbackKeyFetchFailed,
    /// An incoming upload callback's `authorization` or `x-oss-pub-key-url` header is missing or not base64.
    CallbackMalformed,
}

/// Details of an answer from OSS that is reported as an error.
#[derive(Debug, Clone)]
pub struct ServiceError {
    /// OSS error code from the XML body (`SignatureDoesNotMatch`), or empty.
    pub code: String,
    /// OSS error message from the XML body, or empty.
    pub message: String,
    /// Host id from the XML body, or empty.
    pub host_id: String,
    /// The whole response: status, headers (request id, ETag) and raw body.
    pub response: Response,
}

/// An ossrs error. Display gives the message; the kind decides the C result code.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    service: Option<Box<ServiceError>>,
    attempts: u32,
    no_retry: bool,
    /// The code OSS would have answered, for a request refused before it was sent (see [`Error::oss_code`]).
    refused_as: Option<&'static str>,
}

impl Error {
    /// A new error of `kind` with a message (which must never contain credentials).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), service: None, attempts: 0, no_retry: false, refused_as: None }
    }

    /// An error built from a server answer.
    pub fn service(kind: ErrorKind, service: ServiceError) -> Self {
        let r = &service.response;
        let message = format!("{}: {} RequestId: {}", service.code, service.message, r.request_id().unwrap_or(""));
        Error { kind, message, service: Some(Box::new(service)), attempts: 0, no_retry: false, refused_as: None }
    }

    /// Records how many HTTP attempts were made before this error.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// Marks a failure that must not be retried whatever its kind: the server's answer arrived but its body was
    /// oversized or unreadable, so sending the request again would only invite the same.
    pub fn without_retry(mut self) -> Self {
        self.no_retry = true;
        self
    }

    /// Records the code OSS answers for the mistake that made ossrs refuse the request before sending it.
    pub fn refused_as(mut self, oss_code: &'static str) -> Self {
        self.refused_as = Some(oss_code);
        self
    }

    /// True when [`Error::without_retry`] marked this failure.
    pub fn retry_forbidden(&self) -> bool {
        self.no_retry
    }

    /// The same error with another message (service details and attempts are kept).
    pub fn with_message(mut self, message: String) -> Self {
        self.message = message;
        self
    }

    /// The coarse kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The OSS error code: the answer's, or for a request ossrs refused before sending it, the code OSS answers
    /// for the same mistake (`InvalidArgument` for a callback OSS would refuse or a part number outside
    /// 1..=10000, `InvalidBucketName`, `InvalidObjectName`), so code written against OSS's answers keeps working;
    /// "" otherwise.
    pub fn oss_code(&self) -> &str {
        if let Some(s) = self.service_error() {
            return &s.code;
        }
        if let Some(code) = self.refused_as {
            return code;
        }
        match self.kind {
            ErrorKind::InvalidCallback | ErrorKind::InvalidPartNumber => "InvalidArgument",
            ErrorKind::InvalidBucketName => "InvalidBucketName",
            ErrorKind::InvalidObjectName => "InvalidObjectName",
            _ => "",
        }
    }

    /// The server's answer, when there was one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        self.service.as_deref()
    }

    /// Number of HTTP attempts made (0 when the error happened before any request).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Result alias used throughout the core.
pub type Result<T> = std::result::Result<T, Error>;

/// Shorthand for `Err(Error::new(kind, message))`.
pub(crate) fn fail<T>(kind: ErrorKind, message: impl Into<String>) -> Result<T> {
    Err(Error::new(kind, message))
}
