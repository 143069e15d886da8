//! Result codes: the first thing every fallible call returns. Numbers are stable; a retired code stays
//! reserved and is never reused.

use std::ffi::c_char;

use crate::core::ErrorKind;

/// The outcome of a call. `OSS_RESULT_OK` (0) is success; codes are grouped in blocks of 100:
/// 1xx usage errors, 2xx local files, 3xx transport, 4xx service answers, 5xx client-side checks, 6xx verifying
/// incoming upload callbacks.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum oss_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullParameter = 100,
    /// A text argument is not valid UTF-8.
    InvalidUtf8 = 101,
    /// An argument is malformed (e.g. an empty upload id, a bad Content-MD5).
    InvalidArgument = 102,
    /// The bucket name breaks the OSS naming rules (3–63 of `[a-z0-9-]`, starting with a letter or digit).
    InvalidBucketName = 103,
    /// The object name breaks the rules (1–1023 bytes, no leading `/` or `\`, no CR/LF, no `.` or `..` path
    /// segment, which URL normalisation would remove from the signed path).
    InvalidObjectName = 104,
    /// A part number outside 1..=10000.
    InvalidPartNumber = 105,
    /// Callback or callback-var JSON refused (not JSON, too long, more than 5 URLs, bad `x:` keys, …).
    InvalidCallback = 106,
    /// A header name or value that would corrupt the request (CR/LF: header injection), or a reserved header.
    InvalidHeader = 107,
    /// The endpoint cannot be parsed.
    InvalidEndpoint = 108,
    /// The configuration is incomplete or has a bad value.
    InvalidConfig = 109,
    /// A handle whose contents were already consumed (e.g. a builder built twice).
    AlreadyUsed = 110,
    /// A handle that is not live: freed, or never returned by this library.
    InvalidHandle = 111,
    /// The client was created in another process (used after fork); create a new client.
    WrongProcess = 112,
    /// A caller-supplied output buffer is too small.
    InsufficientSize = 113,
    /// A bug inside ossrs panicked; the panic was caught at the boundary and nothing crashed.
    Panic = 199,
    /// A local file does not exist.
    FileNotFound = 200,
    /// A local path cannot be read as a file (a directory, no permission).
    FileUnreadable = 201,
    /// A byte range lies (partly) outside the file.
    RangeOutOfFile = 202,
    /// Reading a local file failed part-way (e.g. it shrank while being sent).
    Io = 203,
    /// Could not connect (DNS, refused, TLS handshake, proxy).
    Connect = 300,
    /// The connect or total timeout expired.
    Timeout = 301,
    /// Another transport failure (connection reset, protocol error).
    Transport = 302,
    /// OSS answered with a non-2xx status; the error object holds status, code, message and request id.
    ServiceError = 400,
    /// OSS answered 203 CallbackFailed to a request that carried a callback: the object WAS stored, the
    /// callback failed. The error object's response holds the ETag and request id.
    CallbackFailed = 401,
    /// A 2xx answer lacked what the call needs (no UploadId, no ETag, unparsable XML).
    InvalidResponse = 402,
    /// The CRC-64 OSS computed (`x-oss-hash-crc64ecma`) differs from the local one: data corrupted in transit.
    Crc64Mismatch = 500,
    /// The progress callback returned non-zero: the upload was cancelled (and aborted unless kept).
    AbortedByCallback = 501,
    /// `oss_callback_verifier_verify`: the callback's signature does not verify (forged, or its path, query or
    /// body differ from what OSS signed). Answer the callback with an error and ignore it.
    CallbackSignatureInvalid = 600,
    /// `oss_callback_verifier_verify`: the `x-oss-pub-key-url` is outside the allowed prefixes; nothing was
    /// fetched.
    CallbackKeyUrlNotAllowed = 601,
    /// `oss_callback_verifier_verify`: the public key could not be fetched (unreachable, timeout, non-200, not a
    /// PEM key); the callback may be genuine, so this is a failure to verify rather than a forgery.
    CallbackKeyFetchFailed = 602,
    /// `oss_callback_verifier_verify`: the `authorization` or `x-oss-pub-key-url` header is missing, empty or
    /// not base64.
    CallbackMalformed = 603,
}

impl From<ErrorKind> for oss_result {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::NullParameter => oss_result::NullParameter,
            ErrorKind::InvalidUtf8 => oss_result::InvalidUtf8,
            ErrorKind::InvalidArgument => oss_result::InvalidArgument,
            ErrorKind::InvalidBucketName => oss_result::InvalidBucketName,
            ErrorKind::InvalidObjectName => oss_result::InvalidObjectName,
            ErrorKind::InvalidPartNumber => oss_result::InvalidPartNumber,
            ErrorKind::InvalidCallback => oss_result::InvalidCallback,
            ErrorKind::InvalidHeader => oss_result::InvalidHeader,
            ErrorKind::InvalidEndpoint => oss_result::InvalidEndpoint,
            ErrorKind::InvalidConfig => oss_result::InvalidConfig,
            ErrorKind::AlreadyUsed => oss_result::AlreadyUsed,
            ErrorKind::InvalidHandle => oss_result::InvalidHandle,
            ErrorKind::WrongProcess => oss_result::WrongProcess,
            ErrorKind::InsufficientSize => oss_result::InsufficientSize,
            ErrorKind::Panic => oss_result::Panic,
            ErrorKind::FileNotFound => oss_result::FileNotFound,
            ErrorKind::FileUnreadable => oss_result::FileUnreadable,
            ErrorKind::RangeOutOfFile => oss_result::RangeOutOfFile,
            ErrorKind::Io => oss_result::Io,
            ErrorKind::Connect => oss_result::Connect,
            ErrorKind::Timeout => oss_result::Timeout,
            ErrorKind::Transport => oss_result::Transport,
            ErrorKind::Service => oss_result::ServiceError,
            ErrorKind::CallbackFailed => oss_result::CallbackFailed,
            ErrorKind::InvalidResponse => oss_result::InvalidResponse,
            ErrorKind::Crc64Mismatch => oss_result::Crc64Mismatch,
            ErrorKind::AbortedByCallback => oss_result::AbortedByCallback,
            ErrorKind::CallbackSignatureInvalid => oss_result::CallbackSignatureInvalid,
            ErrorKind::CallbackKeyUrlNotAllowed => oss_result::CallbackKeyUrlNotAllowed,
            ErrorKind::CallbackKeyFetchFailed => oss_result::CallbackKeyFetchFailed,
            ErrorKind::CallbackMalformed => oss_result::CallbackMalformed,
        }
    }
}

/// A short static description of `result` ("unknown result code" for numbers that are not codes).
///
/// Ownership: the returned string is static; never free it. Thread safety: any thread.
#[no_mangle]
pub extern "C" fn oss_result_message(result: oss_result) -> *const c_char {
    let text: &'static std::ffi::CStr = match result {
        oss_result::Ok => c"success",
        oss_result::NullParameter => c"a required pointer argument was NULL",
        oss_result::InvalidUtf8 => c"a text argument is not valid UTF-8",
        oss_result::InvalidArgument => c"an argument is invalid",
        oss_result::InvalidBucketName => c"the bucket name is invalid",
        oss_result::InvalidObjectName => c"the object name is invalid",
        oss_result::InvalidPartNumber => c"the part number is outside 1..10000",
        oss_result::InvalidCallback => c"the callback or callback-var is invalid",
        oss_result::InvalidHeader => c"a header name or value is invalid",
        oss_result::InvalidEndpoint => c"the endpoint is invalid",
        oss_result::InvalidConfig => c"the configuration is invalid",
        oss_result::AlreadyUsed => c"the handle was already consumed",
        oss_result::InvalidHandle => c"the handle is not live (freed or foreign)",
        oss_result::WrongProcess => c"the client was created in another process (fork)",
        oss_result::InsufficientSize => c"the output buffer is too small",
        oss_result::Panic => c"internal error: a panic was caught at the C boundary",
        oss_result::FileNotFound => c"the file does not exist",
        oss_result::FileUnreadable => c"the file cannot be read",
        oss_result::RangeOutOfFile => c"the byte range lies outside the file",
        oss_result::Io => c"reading the file failed",
        oss_result::Connect => c"could not connect to the server",
        oss_result::Timeout => c"the request timed out",
        oss_result::Transport => c"the connection failed",
        oss_result::ServiceError => c"OSS returned an error",
        oss_result::CallbackFailed => c"the object was stored but the upload callback failed",
        oss_result::InvalidResponse => c"OSS returned an unexpected answer",
        oss_result::Crc64Mismatch => c"the CRC-64 of the uploaded data does not match",
        oss_result::AbortedByCallback => c"the progress callback cancelled the operation",
        oss_result::CallbackSignatureInvalid => c"the upload callback's signature does not verify",
        oss_result::CallbackKeyUrlNotAllowed => c"the upload callback's public key URL is not allowed",
        oss_result::CallbackKeyFetchFailed => c"the upload callback's public key could not be fetched",
        oss_result::CallbackMalformed => c"the upload callback's authorization or x-oss-pub-key-url is malformed",
    };
    text.as_ptr()
}
