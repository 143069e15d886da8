//! OSS errors: status, code, message and the extra elements and headers real OSS attaches.

use crate::xml::escape;

/// An error answer in OSS form (rendered as error XML by [`OssError::to_xml`]).
#[derive(Debug, Clone)]
pub struct OssError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// Elements after `<HostId>`, in order.
    pub extra: Vec<(String, String)>,
    /// Response headers that accompany the error (e.g. the ETag of a 203 CallbackFailed).
    pub headers: Vec<(String, String)>,
}

impl OssError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        OssError { status, code: code.to_string(), message: message.into(), extra: Vec::new(), headers: Vec::new() }
    }

    /// Appends an element after `<HostId>`.
    pub fn with_extra(mut self, name: &str, value: impl Into<String>) -> Self {
        self.extra.push((name.to_string(), value.into()));
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidArgument", message)
    }

    pub fn invalid_digest() -> Self {
        Self::new(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
    }

    pub fn malformed_xml() -> Self {
        Self::new(
            400,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema.",
        )
    }

    pub fn no_such_key() -> Self {
        Self::new(404, "NoSuchKey", "The specified key does not exist.")
    }

    pub fn no_such_upload(upload_id: &str) -> Self {
        Self::new(
            404,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        )
        .with_extra("UploadId", upload_id)
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(403, "AccessDenied", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalError", message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
    }

    /// The error XML body, in the exact layout OSS uses.
    pub fn to_xml(&self, request_id: &str, host_id: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n");
        let mut push = |name: &str, value: &str| {
            out.push_str(&format!("  <{name}>{}</{name}>\n", escape(value)));
        };
        push("Code", &self.code);
        push("Message", &self.message);
        push("RequestId", request_id);
        push("HostId", host_id);
        for (name, value) in &self.extra {
            push(name, value);
        }
        out.push_str("</Error>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_wire_layout() {
        let xml = OssError::new(203, "CallbackFailed", "Error status : 502.")
            .with_extra("EC", "0007-00000203")
            .to_xml("5C3D9175B6FC201200000008", "bkt.oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(xml.len(), 254);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>CallbackFailed</Code>\n"));
        assert!(xml.ends_with("  <EC>0007-00000203</EC>\n</Error>\n"));
    }
}
