//! PutObject, with or without an upload callback (`docs/php-sdk-behaviour.md` "PutObject").

use std::path::Path;

use bytes::Bytes;

use super::digest::{content_md5, file_body_md5};
use super::upload_headers;
use crate::core::client::{Client, RequestOptions};
use crate::core::error::Result;
use crate::core::http::{Body, Response};
use crate::core::operation::PUT_OBJECT;
use crate::core::validate;

impl Client {
    /// Uploads `data` as `bucket/key`. Content-MD5 is always sent; `callback` / `callback_var` are the JSON
    /// texts, sent base64-encoded byte-for-byte. With a callback, a 203 answer is a `CallbackFailed` error.
    pub fn put_object(
        &self,
        bucket: &str,
        key: &str,
        data: Bytes,
        callback: Option<&str>,
        callback_var: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<Response> {
        let md5 = content_md5(&data);
        self.put(bucket, key, Body::Bytes(data), Some(md5), callback, callback_var, opts)
    }

    /// Uploads the file at `path` (or the options' `file_range` of it) as `bucket/key`, streaming it. Content-MD5
    /// is sent when the options carry one or ask for `check_md5` (the file is then read twice).
    pub fn put_object_from_file(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
        callback: Option<&str>,
        callback_var: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<Response> {
        validate::object(key)?;
        validate::bucket(bucket)?;
        let body = opts.file_body(path)?;
        let md5 = if opts.check_md5 { Some(file_body_md5(path, &body)?) } else { None };
        self.put(bucket, key, body, md5, callback, callback_var, opts)
    }

    #[allow(clippy::too_many_arguments)]
    fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Body,
        md5: Option<String>,
        callback: Option<&str>,
        callback_var: Option<&str>,
        opts: &RequestOptions,
    ) -> Result<Response> {
        validate::object(key)?;
        validate::bucket(bucket)?;
        let cb = self.callback_headers(callback, callback_var)?;
        let mut headers = upload_headers(key, opts, true)?;
        if let Some(md5) = md5 {
            headers.set("Content-Md5", md5);
        }
        self.request(&PUT_OBJECT)
            .bucket(bucket)
            .key(key)
            .options(opts)?
            .headers(headers)
            .callback(cb.as_ref())
            .body(body)
            .send()
    }
}
