//! Reading and deleting objects: enough to verify uploads and to clean up.

use crate::core::client::{Client, RequestOptions};
use crate::core::error::Result;
use crate::core::http::Response;
use crate::core::operation::{Operation, DELETE_OBJECT, GET_OBJECT, HEAD_OBJECT};

impl Client {
    /// GetObject: the body is the object's bytes (a `Range` header in the options selects a part of it).
    /// The object is read into memory up to `max_object_bytes`.
    pub fn get_object(&self, bucket: &str, key: &str, opts: &RequestOptions) -> Result<Response> {
        self.object_request(&GET_OBJECT, bucket, key, opts)
    }

    /// HeadObject: headers only.
    pub fn head_object(&self, bucket: &str, key: &str, opts: &RequestOptions) -> Result<Response> {
        self.object_request(&HEAD_OBJECT, bucket, key, opts)
    }

    /// DeleteObject.
    pub fn delete_object(&self, bucket: &str, key: &str, opts: &RequestOptions) -> Result<Response> {
        self.object_request(&DELETE_OBJECT, bucket, key, opts)
    }

    fn object_request(
        &self,
        op: &'static Operation,
        bucket: &str,
        key: &str,
        opts: &RequestOptions,
    ) -> Result<Response> {
        self.request(op).bucket(bucket).key(key).options(opts)?.headers(opts.checked_headers()?).send()
    }
}
