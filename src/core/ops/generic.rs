//! The generic call: any operation of the table, with the caller's headers, query and body, its XML result
//! read as JSON. Operations with logic of their own (a callback upload's checks, Complete's recovery, managed
//! uploads) keep their typed methods.

use bytes::Bytes;
use serde_json::Value;

use super::digest::{content_md5, file_body_md5};
use crate::core::client::{Client, RequestOptions};
use crate::core::error::{fail, Error, ErrorKind, Result};
use crate::core::http::{Body, Response};
use crate::core::model::{json, xml};
use crate::core::operation::{Operation, ResultModel, Retry};

/// What the generic call returns.
#[derive(Debug, Clone)]
pub struct CallResult {
    /// The whole response.
    pub response: Response,
    /// The operation's XML result as JSON ([`json::to_json`]), or None when it has none or the body is empty.
    pub result: Option<Value>,
}

impl Client {
    /// Sends one request of `op` to `bucket` / `key` (empty for bucket and service operations) with the options'
    /// headers and query and `body`, or the options' body file streamed from disk (its Content-MD5 added when the
    /// operation needs one or the options ask for it). A callback header in
    /// the options makes the request one that is never repeated, on operations where OSS runs callbacks.
    pub fn call(
        &self,
        op: &'static Operation,
        bucket: &str,
        key: &str,
        body: Bytes,
        opts: &RequestOptions,
    ) -> Result<CallResult> {
        if op.retry == Retry::CompleteRecovery {
            return fail(
                ErrorKind::InvalidArgument,
                format!("{} has its own function (oss_complete_multipart_upload), which checks a lost answer", op.name),
            );
        }
        let mut req = self.request(op).bucket(bucket).key(key).options(opts)?.headers(opts.checked_headers()?);
        let body = match (&opts.body_file, &opts.body_stream) {
            (Some(_), Some(_)) => {
                return fail(ErrorKind::InvalidArgument, "both a body file and a body stream were given")
            }
            (Some(path), None) if !body.is_empty() => {
                return fail(
                    ErrorKind::InvalidArgument,
                    format!("both a body and a body file ({}) were given", path.display()),
                )
            }
            (None, Some(_)) if !body.is_empty() => {
                return fail(ErrorKind::InvalidArgument, "both a body and a body stream were given")
            }
            (None, Some(_)) if op.md5 || opts.check_md5 => {
                return fail(
                    ErrorKind::InvalidArgument,
                    format!(
                        "{} with check_md5 needs its body twice, which a stream cannot give: send the Content-Md5 \
                         header instead",
                        op.name
                    ),
                )
            }
            (None, Some(stream)) => Body::Stream(stream.clone()),
            (Some(path), None) => {
                let file = opts.file_body(path)?;
                if op.md5 || opts.check_md5 {
                    req = req.header("Content-Md5", file_body_md5(path, &file)?);
                }
                file
            }
            (None, None) => {
                if op.md5 || opts.check_md5 {
                    req = req.header("Content-Md5", content_md5(&body));
                }
                if body.is_empty() {
                    Body::Empty
                } else {
                    Body::Bytes(body)
                }
            }
        };
        let response = req.body(body).send()?;
        let result = match op.result {
            Some(model) if !response.body.is_empty() => Some(read_result(op, model, &response)?),
            _ => None,
        };
        Ok(CallResult { response, result })
    }
}

fn read_result(op: &Operation, model: ResultModel, response: &Response) -> Result<Value> {
    let root = model.root;
    match xml::parse(&response.body) {
        Some(element) if element.name == root => Ok(json::to_json(&element, model.lists)),
        _ => {
            Err(Error::new(ErrorKind::InvalidResponse, format!("the {} answer is not a {root} XML document", op.name))
                .with_attempts(response.attempts))
        }
    }
}
