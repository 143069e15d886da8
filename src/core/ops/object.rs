//! Reading and deleting objects: enough to verify uploads and to clean up.

use crate::core::client::{Client, OssRequest, RequestOptions};
use crate::core::error::Result;
use crate::core::http::{Answer, Body, Response};
use crate::core::validate;

impl Client {
    /// GetObject: the body is the object's bytes (a `Range` header in the options selects a part of it).
    /// The object is read into memory up to `max_object_bytes`.
    pub fn get_object(&self, bucket: &str, key: &str, opts: &RequestOptions) -> Result<Response> {
        self.object_request("GET", bucket, key, opts)
    }

    /// HeadObject: headers only.
    pub fn head_object(&self, bucket: &str, key: &str, opts: &RequestOptions) -> Result<Response> {
        self.object_request("HEAD", bucket, key, opts)
    }

    /// DeleteObject.
    pub fn delete_object(&self, bucket: &str, key: &str, opts: &RequestOptions) -> Result<Response> {
        self.object_request("DELETE", bucket, key, opts)
    }

    fn object_request(&self, method: &'static str, bucket: &str, key: &str, opts: &RequestOptions) -> Result<Response> {
        validate::object(key)?;
        validate::bucket(bucket)?;
        let headers = opts.checked_headers()?;
        let query = opts.checked_query()?;
        let answer = if method == "GET" { Answer::Object } else { Answer::Result };
        self.execute(OssRequest {
            method,
            bucket,
            key,
            query,
            headers,
            body: Body::Empty,
            carries_callback: false,
            answer,
            deadline: opts.deadline,
        })
    }
}
