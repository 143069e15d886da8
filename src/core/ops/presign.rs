//! Presigned URLs for a client's endpoint and credentials (the signing itself is `signing::presign`).

use std::time::SystemTime;

use crate::core::client::{Client, RequestOptions};
use crate::core::error::{fail, ErrorKind, Result};
use crate::core::signing::presign::{presign, Presign};
use crate::core::validate;

/// The methods a presigned URL may be made for.
const METHODS: &[&str] = &["GET", "PUT", "HEAD", "POST", "DELETE"];

impl Client {
    /// A URL that allows `method` on `bucket/key` until `expires` (Unix seconds): the options' headers are signed
    /// (the request must send them), their query parameters included; a callback (checked and encoded as for
    /// PutObject) is signed as the `x-oss-callback` / `x-oss-callback-var` headers the PUT must send. No I/O.
    #[allow(clippy::too_many_arguments)]
    pub fn presign_url(
        &self,
        method: &str,
        bucket: &str,
        key: &str,
        expires: u64,
        callback: Option<&str>,
        callback_var: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<String> {
        let Some(method) = METHODS.iter().copied().find(|m| m.eq_ignore_ascii_case(method)) else {
            return fail(
                ErrorKind::InvalidArgument,
                format!("cannot presign method {method:?} (one of {})", METHODS.join(", ")),
            );
        };
        validate::bucket(bucket)?;
        validate::object(key)?;
        let mut headers = opts.checked_headers()?;
        if let Some(cb) = self.callback_headers(callback, callback_var)? {
            headers.set("x-oss-callback", cb.callback);
            if let Some(v) = cb.callback_var {
                headers.set("x-oss-callback-var", v);
            }
        }
        let config = self.config();
        let p = Presign { method, bucket, key, headers, query: opts.checked_query()?, expires };
        let url = config.endpoint.url_for(bucket, key, "");
        presign(p, &url, &config.credentials, &config.signature, SystemTime::now())
    }
}
