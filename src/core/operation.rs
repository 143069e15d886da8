//! The operation table and the request builder. Each OSS operation ossrs sends is one [`Operation`] entry: HTTP
//! method, what it addresses, its sub-resource, whether it may be repeated, whether a callback may ride on it and
//! how its answer is read. A request is built from an entry with [`Client::request`]:
//! `client.request(&COPY_OBJECT).bucket(b).key(k).header(..).body(..).send()`; the builder checks the target and
//! the callback against the entry, and `Client::execute` takes the retry policy from it.

use std::time::Instant;

use super::client::{Client, OssRequest, RequestOptions};
use super::error::{fail, Error, ErrorKind, Result};
use super::http::{Answer, Body, Headers, Response};
use super::model::callback::CallbackHeaders;
use super::validate;

/// What a request addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The service (`GET /`: ListBuckets).
    Service,
    /// A bucket.
    Bucket,
    /// An object of a bucket.
    Object,
}

/// Whether a request may be sent again after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Repeating it changes nothing that one request would not (retried unless it carries a callback).
    Safe,
    /// Never repeated (AppendObject: a second append would write the data twice).
    Never,
    /// Never repeated blindly; a lost answer is checked with ListParts and HEAD (CompleteMultipartUpload).
    CompleteRecovery,
}

/// One OSS operation.
#[derive(Debug, PartialEq, Eq)]
pub struct Operation {
    /// The OSS API name (`CopyObject`), also the name the generic C call takes.
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// What it addresses.
    pub target: Target,
    /// The sub-resource query parameters every request of it carries (`uploads`, `acl`, `list-type=2`, …).
    pub sub_resource: &'static [(&'static str, &'static str)],
    /// Whether it may be repeated.
    pub retry: Retry,
    /// Whether OSS runs an upload callback on it.
    pub callback: bool,
    /// What a 2xx body is (its size limit).
    pub answer: Answer,
    /// Its XML result (read as JSON by the generic call), if it has one.
    pub result: Option<ResultModel>,
    /// Whether the generic call sends the body's Content-MD5 (OSS requires it for DeleteMultipleObjects).
    pub md5: bool,
    /// What a request of it cannot be sent without (checked before any I/O).
    pub requires: &'static [Required],
}

/// A query parameter or header an operation's requests must carry, non-empty. `uploadId` and `partNumber` are
/// also checked for their values (no CR/LF; 1..=10000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// A query parameter.
    Query(&'static str),
    /// A header.
    Header(&'static str),
}

/// The part of a multipart upload a request addresses.
const PART: &[Required] = &[Required::Query("uploadId"), Required::Query("partNumber")];

const fn op(name: &'static str, method: &'static str, target: Target) -> Operation {
    Operation {
        name,
        method,
        target,
        sub_resource: &[],
        retry: Retry::Safe,
        callback: false,
        answer: Answer::Result,
        result: None,
        md5: false,
        requires: &[],
    }
}

const fn requires(mut o: Operation, requires: &'static [Required]) -> Operation {
    o.requires = requires;
    o
}

const fn sub(mut o: Operation, sub_resource: &'static [(&'static str, &'static str)]) -> Operation {
    o.sub_resource = sub_resource;
    o
}

/// The shape of an operation's XML result: its root element and the elements that are lists (arrays in the JSON
/// even when they occur once).
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct ResultModel {
    /// The root element.
    pub root: &'static str,
    /// The repeating elements, wherever they occur.
    pub lists: &'static [&'static str],
}

const fn result(o: Operation, root: &'static str) -> Operation {
    lists(o, root, &[])
}

const fn lists(mut o: Operation, root: &'static str, lists: &'static [&'static str]) -> Operation {
    o.result = Some(ResultModel { root, lists });
    o
}

/// PutObject.
pub(crate) const PUT_OBJECT: Operation = Operation { callback: true, ..op("PutObject", "PUT", Target::Object) };
/// GetObject: the body is the object.
pub(crate) const GET_OBJECT: Operation = Operation { answer: Answer::Object, ..op("GetObject", "GET", Target::Object) };
/// HeadObject.
pub(crate) const HEAD_OBJECT: Operation = op("HeadObject", "HEAD", Target::Object);
/// DeleteObject.
pub(crate) const DELETE_OBJECT: Operation = op("DeleteObject", "DELETE", Target::Object);
/// InitiateMultipartUpload.
pub(crate) const INITIATE_MULTIPART_UPLOAD: Operation = result(
    sub(op("InitiateMultipartUpload", "POST", Target::Object), &[("uploads", "")]),
    "InitiateMultipartUploadResult",
);
/// UploadPart (`partNumber` and `uploadId` in the query).
pub(crate) const UPLOAD_PART: Operation = requires(op("UploadPart", "PUT", Target::Object), PART);
/// UploadPartCopy: UploadPart whose data is `x-oss-copy-source` (or its `x-oss-copy-source-range`).
pub(crate) const UPLOAD_PART_COPY: Operation = requires(
    result(op("UploadPartCopy", "PUT", Target::Object), "CopyPartResult"),
    &[Required::Query("uploadId"), Required::Query("partNumber"), Required::Header("x-oss-copy-source")],
);
/// CompleteMultipartUpload (`uploadId` in the query).
pub(crate) const COMPLETE_MULTIPART_UPLOAD: Operation = Operation {
    retry: Retry::CompleteRecovery,
    callback: true,
    ..op("CompleteMultipartUpload", "POST", Target::Object)
};
/// AbortMultipartUpload.
pub(crate) const ABORT_MULTIPART_UPLOAD: Operation =
    requires(op("AbortMultipartUpload", "DELETE", Target::Object), &[Required::Query("uploadId")]);
/// ListParts.
pub(crate) const LIST_PARTS: Operation = requires(
    lists(op("ListParts", "GET", Target::Object), "ListPartsResult", &["Part"]),
    &[Required::Query("uploadId")],
);
/// CopyObject: the source is the `x-oss-copy-source` header.
pub(crate) const COPY_OBJECT: Operation = requires(
    result(op("CopyObject", "PUT", Target::Object), "CopyObjectResult"),
    &[Required::Header("x-oss-copy-source")],
);
/// DeleteMultipleObjects (`POST ?delete`, an XML body with its Content-MD5).
pub(crate) const DELETE_MULTIPLE_OBJECTS: Operation = Operation {
    md5: true,
    ..lists(sub(op("DeleteMultipleObjects", "POST", Target::Bucket), &[("delete", "")]), "DeleteResult", &["Deleted"])
};
/// ListObjects (`GET /bucket`).
/// The lists of a ListObjects / ListObjectsV2 result.
const LISTING: &[&str] = &["Contents", "CommonPrefixes"];
pub(crate) const LIST_OBJECTS: Operation = lists(op("ListObjects", "GET", Target::Bucket), "ListBucketResult", LISTING);
/// ListObjectsV2 (`list-type=2`).
pub(crate) const LIST_OBJECTS_V2: Operation =
    lists(sub(op("ListObjectsV2", "GET", Target::Bucket), &[("list-type", "2")]), "ListBucketResult", LISTING);
/// GetObjectAcl.
pub(crate) const GET_OBJECT_ACL: Operation =
    lists(sub(op("GetObjectAcl", "GET", Target::Object), &[("acl", "")]), "AccessControlPolicy", &["Grant"]);
/// PutObjectAcl (the ACL is the `x-oss-object-acl` header).
pub(crate) const PUT_OBJECT_ACL: Operation =
    requires(sub(op("PutObjectAcl", "PUT", Target::Object), &[("acl", "")]), &[Required::Header("x-oss-object-acl")]);
/// AppendObject (`position` in the query): never repeated, a second append would write the data twice.
pub(crate) const APPEND_OBJECT: Operation = Operation {
    retry: Retry::Never,
    ..requires(sub(op("AppendObject", "POST", Target::Object), &[("append", "")]), &[Required::Query("position")])
};
/// GetObjectMeta (`HEAD ?objectMeta`): ETag, size and Last-Modified only.
pub(crate) const GET_OBJECT_META: Operation = sub(op("GetObjectMeta", "HEAD", Target::Object), &[("objectMeta", "")]);
/// PutSymlink (the target in `x-oss-symlink-target`, URL-encoded).
pub(crate) const PUT_SYMLINK: Operation = requires(
    sub(op("PutSymlink", "PUT", Target::Object), &[("symlink", "")]),
    &[Required::Header("x-oss-symlink-target")],
);
/// GetSymlink (the target comes back in `x-oss-symlink-target`).
pub(crate) const GET_SYMLINK: Operation = sub(op("GetSymlink", "GET", Target::Object), &[("symlink", "")]);
/// PutObjectTagging (a `Tagging` XML body).
pub(crate) const PUT_OBJECT_TAGGING: Operation = sub(op("PutObjectTagging", "PUT", Target::Object), &[("tagging", "")]);
/// GetObjectTagging.
pub(crate) const GET_OBJECT_TAGGING: Operation =
    lists(sub(op("GetObjectTagging", "GET", Target::Object), &[("tagging", "")]), "Tagging", &["Tag"]);
/// DeleteObjectTagging.
pub(crate) const DELETE_OBJECT_TAGGING: Operation =
    sub(op("DeleteObjectTagging", "DELETE", Target::Object), &[("tagging", "")]);
/// GetBucketLocation: the result is the text of `LocationConstraint` (`oss-cn-hangzhou`).
pub(crate) const GET_BUCKET_LOCATION: Operation =
    result(sub(op("GetBucketLocation", "GET", Target::Bucket), &[("location", "")]), "LocationConstraint");
/// GetBucketMeta (`HEAD /bucket`): the region in `x-oss-bucket-region`.
pub(crate) const GET_BUCKET_META: Operation = op("GetBucketMeta", "HEAD", Target::Bucket);
/// ListMultipartUploads (`GET /bucket?uploads`).
pub(crate) const LIST_MULTIPART_UPLOADS: Operation = lists(
    sub(op("ListMultipartUploads", "GET", Target::Bucket), &[("uploads", "")]),
    "ListMultipartUploadsResult",
    &["Upload"],
);
/// GetBucketAcl.
pub(crate) const GET_BUCKET_ACL: Operation =
    lists(sub(op("GetBucketAcl", "GET", Target::Bucket), &[("acl", "")]), "AccessControlPolicy", &["Grant"]);
/// ListBuckets (`GET /` of the service; `prefix`, `marker`, `max-keys`).
pub(crate) const LIST_BUCKETS: Operation =
    lists(op("ListBuckets", "GET", Target::Service), "ListAllMyBucketsResult", &["Bucket"]);
/// CreateBucket (`PUT /bucket`; the ACL in `x-oss-acl`, an optional `CreateBucketConfiguration` body).
pub(crate) const CREATE_BUCKET: Operation = op("CreateBucket", "PUT", Target::Bucket);
/// DeleteBucket (only an empty bucket).
pub(crate) const DELETE_BUCKET: Operation = op("DeleteBucket", "DELETE", Target::Bucket);
/// GetBucketInfo.
pub(crate) const GET_BUCKET_INFO: Operation =
    lists(sub(op("GetBucketInfo", "GET", Target::Bucket), &[("bucketInfo", "")]), "BucketInfo", &["Grant"]);
/// GetBucketStat.
pub(crate) const GET_BUCKET_STAT: Operation =
    result(sub(op("GetBucketStat", "GET", Target::Bucket), &[("stat", "")]), "BucketStat");
/// PutBucketAcl (the ACL in `x-oss-acl`).
pub(crate) const PUT_BUCKET_ACL: Operation =
    requires(sub(op("PutBucketAcl", "PUT", Target::Bucket), &[("acl", "")]), &[Required::Header("x-oss-acl")]);
/// PutBucketCors (a `CORSConfiguration` XML body).
pub(crate) const PUT_BUCKET_CORS: Operation = sub(op("PutBucketCors", "PUT", Target::Bucket), &[("cors", "")]);
/// GetBucketCors (404 NoSuchCORSConfiguration without rules).
pub(crate) const GET_BUCKET_CORS: Operation = lists(
    sub(op("GetBucketCors", "GET", Target::Bucket), &[("cors", "")]),
    "CORSConfiguration",
    &["CORSRule", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader"],
);
/// DeleteBucketCors.
pub(crate) const DELETE_BUCKET_CORS: Operation = sub(op("DeleteBucketCors", "DELETE", Target::Bucket), &[("cors", "")]);
/// OptionsObject: a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
pub(crate) const OPTIONS_OBJECT: Operation = requires(
    op("OptionsObject", "OPTIONS", Target::Object),
    &[Required::Header("Origin"), Required::Header("Access-Control-Request-Method")],
);
/// RestoreObject (`POST ?restore`, an optional `RestoreRequest` body): 202 started, 200 already restored.
pub(crate) const RESTORE_OBJECT: Operation = sub(op("RestoreObject", "POST", Target::Object), &[("restore", "")]);
/// PutBucketVersioning (a `VersioningConfiguration` XML body).
pub(crate) const PUT_BUCKET_VERSIONING: Operation =
    sub(op("PutBucketVersioning", "PUT", Target::Bucket), &[("versioning", "")]);
/// GetBucketVersioning (`Status` absent for a bucket that never had versioning).
pub(crate) const GET_BUCKET_VERSIONING: Operation =
    result(sub(op("GetBucketVersioning", "GET", Target::Bucket), &[("versioning", "")]), "VersioningConfiguration");
/// ListObjectVersions (`GET /bucket?versions`; `key-marker`, `version-id-marker`, `prefix`, `delimiter`, …).
pub(crate) const LIST_OBJECT_VERSIONS: Operation = lists(
    sub(op("ListObjectVersions", "GET", Target::Bucket), &[("versions", "")]),
    "ListVersionsResult",
    &["Version", "DeleteMarker", "CommonPrefixes"],
);

/// ProcessObject (`POST ?x-oss-process`, body `x-oss-process=<pipeline>|sys/saveas,…`): the answer is OSS's JSON.
pub(crate) const PROCESS_OBJECT: Operation = sub(op("ProcessObject", "POST", Target::Object), &[("x-oss-process", "")]);
/// AsyncProcessObject (`POST ?x-oss-async-process`): never repeated, a repeat would start a second task.
pub(crate) const ASYNC_PROCESS_OBJECT: Operation = Operation {
    retry: Retry::Never,
    ..sub(op("AsyncProcessObject", "POST", Target::Object), &[("x-oss-async-process", "")])
};

/// Every operation of the table, for lookups by name.
pub(crate) const OPERATIONS: &[&Operation] = &[
    &PUT_OBJECT,
    &GET_OBJECT,
    &HEAD_OBJECT,
    &DELETE_OBJECT,
    &INITIATE_MULTIPART_UPLOAD,
    &UPLOAD_PART,
    &UPLOAD_PART_COPY,
    &COMPLETE_MULTIPART_UPLOAD,
    &ABORT_MULTIPART_UPLOAD,
    &LIST_PARTS,
    &COPY_OBJECT,
    &DELETE_MULTIPLE_OBJECTS,
    &LIST_OBJECTS,
    &LIST_OBJECTS_V2,
    &GET_OBJECT_ACL,
    &PUT_OBJECT_ACL,
    &GET_BUCKET_ACL,
    &APPEND_OBJECT,
    &GET_OBJECT_META,
    &PUT_SYMLINK,
    &GET_SYMLINK,
    &LIST_MULTIPART_UPLOADS,
    &PUT_OBJECT_TAGGING,
    &GET_OBJECT_TAGGING,
    &DELETE_OBJECT_TAGGING,
    &GET_BUCKET_LOCATION,
    &GET_BUCKET_META,
    &LIST_BUCKETS,
    &CREATE_BUCKET,
    &DELETE_BUCKET,
    &GET_BUCKET_INFO,
    &GET_BUCKET_STAT,
    &PUT_BUCKET_ACL,
    &PUT_BUCKET_CORS,
    &GET_BUCKET_CORS,
    &DELETE_BUCKET_CORS,
    &OPTIONS_OBJECT,
    &RESTORE_OBJECT,
    &PUT_BUCKET_VERSIONING,
    &GET_BUCKET_VERSIONING,
    &LIST_OBJECT_VERSIONS,
    &PROCESS_OBJECT,
    &ASYNC_PROCESS_OBJECT,
];

impl std::fmt::Display for Required {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Required::Query(name) => write!(f, "the query parameter {name}"),
            Required::Header(name) => write!(f, "the header {name}"),
        }
    }
}

impl Operation {
    /// The names of every operation of the table, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        OPERATIONS.iter().map(|o| o.name)
    }

    /// The operation called `name` (exact spelling), if ossrs has it.
    pub fn by_name(name: &str) -> Option<&'static Operation> {
        OPERATIONS.iter().copied().find(|o| o.name == name)
    }
}

/// A request being built from an [`Operation`]; nothing is checked or sent before [`Request::send`].
#[derive(Debug)]
pub struct Request<'a> {
    client: &'a Client,
    op: &'static Operation,
    bucket: &'a str,
    key: &'a str,
    query: Vec<(String, String)>,
    headers: Headers,
    body: Body,
    callback: bool,
    deadline: Option<Instant>,
}

impl Client {
    /// Starts a request of `op`.
    pub fn request(&self, op: &'static Operation) -> Request<'_> {
        Request {
            client: self,
            op,
            bucket: "",
            key: "",
            query: Vec::new(),
            headers: Headers::new(),
            body: Body::Empty,
            callback: false,
            deadline: None,
        }
    }
}

impl<'a> Request<'a> {
    /// The bucket (checked against the naming rules by `send`).
    pub fn bucket(mut self, bucket: &'a str) -> Self {
        self.bucket = bucket;
        self
    }

    /// The raw object key (checked by `send`).
    pub fn key(mut self, key: &'a str) -> Self {
        self.key = key;
        self
    }

    /// Adds a query parameter (an empty value is sent as a bare name).
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_string(), value.into()));
        self
    }

    /// Sets a header (replacing one of the same name).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.set(name, value.into());
        self
    }

    /// Sets every header of `headers`.
    pub fn headers(mut self, headers: Headers) -> Self {
        for (n, v) in headers {
            self.headers.set(n, v);
        }
        self
    }

    /// The caller's options: their checked query parameters, their deadline and their upload callback, checked
    /// and encoded (headers are the operation's business, often merged with its own; see [`Request::headers`]).
    pub fn options(mut self, opts: &RequestOptions) -> Result<Self> {
        self.query.extend(opts.checked_query()?);
        self.deadline = opts.deadline;
        if let Some((callback, var)) = &opts.callback {
            let encoded = self.client.callback_headers(Some(callback), var.as_deref())?;
            self = self.callback(encoded.as_ref());
        }
        Ok(self)
    }

    /// The end of the call this request belongs to (default: `timeout_ms` from when it is sent).
    pub fn deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// The encoded upload callback, if any (only on operations that carry one).
    pub fn callback(mut self, callback: Option<&CallbackHeaders>) -> Self {
        if let Some(cb) = callback {
            self.headers.set("x-oss-callback", cb.callback.clone());
            match &cb.callback_var {
                Some(v) => self.headers.set("x-oss-callback-var", v.clone()),
                None => self.headers.remove("x-oss-callback-var"),
            }
            self.callback = true;
        }
        self
    }

    /// Checks the request against its operation and sends it (retried as the operation allows).
    pub fn send(self) -> Result<Response> {
        let client = self.client;
        client.execute(self.build()?)
    }

    /// Refuses the request when it lacks `required` (or its `uploadId` / `partNumber` is malformed).
    fn check(&self, required: Required) -> Result<()> {
        let value = match required {
            Required::Query(name) => self.query.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str()),
            Required::Header(name) => self.headers.get(name),
        };
        match (required, value) {
            (_, None) | (_, Some("")) => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{} needs {required}, which is missing or empty", self.op.name),
            )
            .refused_as("InvalidArgument")),
            (Required::Query("uploadId"), Some(id)) => validate::upload_id(id),
            (Required::Query("partNumber"), Some(n)) => match n.parse::<u32>() {
                Ok(n) => validate::part_number(n),
                Err(_) => fail(ErrorKind::InvalidPartNumber, format!("part number {n:?} is not a number")),
            },
            _ => Ok(()),
        }
    }

    /// The request as sent, after the checks of `send`.
    pub(crate) fn build(mut self) -> Result<OssRequest<'a>> {
        let op = self.op;
        match op.target {
            Target::Service if !self.bucket.is_empty() || !self.key.is_empty() => {
                return fail(ErrorKind::InvalidArgument, format!("{} addresses the service, not a bucket", op.name));
            }
            Target::Service => {}
            Target::Bucket if !self.key.is_empty() => {
                return fail(ErrorKind::InvalidArgument, format!("{} addresses a bucket, not an object", op.name));
            }
            Target::Bucket => validate::bucket(self.bucket)?,
            Target::Object => {
                validate::bucket(self.bucket)?;
                validate::object(self.key)?;
            }
        }
        // However it got there, a callback header makes the request one OSS may run a callback for.
        self.callback |= self.headers.get("x-oss-callback").is_some();
        if self.callback && !op.callback {
            return fail(ErrorKind::InvalidCallback, format!("OSS runs no upload callback on {}", op.name));
        }
        for required in op.requires {
            self.check(*required)?;
        }
        for (name, value) in op.sub_resource {
            self.query.push((name.to_string(), value.to_string()));
        }
        Ok(OssRequest {
            op,
            bucket: self.bucket,
            key: self.key,
            query: self.query,
            headers: self.headers,
            body: self.body,
            carries_callback: self.callback,
            deadline: self.deadline,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::ConfigBuilder;

    fn client() -> Client {
        let mut b = ConfigBuilder::new();
        for (k, v) in [("endpoint", "http://127.0.0.1:9"), ("access_key_id", "ak"), ("access_key_secret", "sk")] {
            b.set(k, v);
        }
        Client::new(b.build().unwrap()).unwrap()
    }

    #[test]
    fn names_are_unique_and_found() {
        for (i, a) in OPERATIONS.iter().enumerate() {
            assert_eq!(Operation::by_name(a.name), Some(*a));
            assert!(OPERATIONS[i + 1..].iter().all(|b| b.name != a.name), "{} twice", a.name);
        }
        assert_eq!(Operation::by_name("putobject"), None);
    }

    #[test]
    fn the_builder_checks_target_and_callback() {
        let c = client();
        let r = c.request(&INITIATE_MULTIPART_UPLOAD).bucket("bkt").key("k").query("a", "1").build().unwrap();
        assert_eq!(r.query, vec![("a".to_string(), "1".to_string()), ("uploads".to_string(), String::new())]);
        assert_eq!(
            c.request(&HEAD_OBJECT).bucket("Bad_Bucket").key("k").build().unwrap_err().kind(),
            ErrorKind::InvalidBucketName
        );
        assert_eq!(c.request(&HEAD_OBJECT).bucket("bkt").build().unwrap_err().kind(), ErrorKind::InvalidObjectName);
        let cb = CallbackHeaders { callback: "e30=".into(), callback_var: None };
        let e = c.request(&UPLOAD_PART).bucket("bkt").key("k").callback(Some(&cb)).build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidCallback);
        let r = c.request(&PUT_OBJECT).bucket("bkt").key("k").callback(Some(&cb)).build().unwrap();
        assert!(r.carries_callback);
        assert_eq!(r.headers.get("x-oss-callback"), Some("e30="));
    }
}
