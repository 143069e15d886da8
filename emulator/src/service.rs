//! The OSS front door: addressing, authentication, routing to the operations, fault
//! injection, request ids, common response headers, error rendering and the request log.
//! [`Oss::handle`] is the one place every request passes through, and [`Oss::serve`] the one
//! place faults are applied.

use crate::auth::{self, SignedRequest};
use crate::callback::{PostCounts, Signer, PUB_KEY_PATH};
use crate::control;
use crate::encoding::{decode_lossy, parse_query, percent_decode};
use crate::error::OssError;
use crate::faults::{ErrorStatus, FaultKind, Faults, Field, Injector, LostAnswer};
use crate::hostile::Wire;
use crate::http::{Response, ResponseBody};
use crate::log::RequestLog;
use crate::multipart::{self, Uploads};
use crate::object;
use crate::server::{Exchange, Handler, Request};
use crate::store::Store;
use crate::time;
use crate::{acl, append, bucket, copy, cors, listing, post_object, process, restore, symlink, tagging, versioning};
use crate::{Credential, Stats};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::json;
use std::io::{self, Read};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Longest object key OSS accepts, in bytes.
const MAX_KEY_BYTES: usize = 1023;

/// Query parameters the emulator understands even though V1 signs them; any other signed
/// sub-resource names an operation the emulator does not implement.
const HANDLED_SUB_RESOURCES: &[&str] = &[
    "acl",
    "append",
    "bucketInfo",
    "continuation-token",
    "cors",
    "delete",
    "location",
    "objectMeta",
    "position",
    "restore",
    "stat",
    "symlink",
    "tagging",
    "uploads",
    "uploadId",
    "partNumber",
    "versioning",
    "versions",
    "versionId",
    "x-oss-process",
    "x-oss-async-process",
    "callback",
    "callback-var",
    "security-token",
    "x-oss-security-token",
    "x-oss-traffic-limit",
    "response-content-type",
    "response-content-language",
    "response-expires",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
];

/// Fixed settings of a running emulator.
pub struct Settings {
    pub keys: Vec<Credential>,
    pub region: String,
    pub callback_timeout: Duration,
}

/// The operations the emulator implements (also what fault filters name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    PutObject,
    GetObject,
    HeadObject,
    DeleteObject,
    InitiateMultipartUpload,
    UploadPart,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    ListParts,
    ListMultipartUploads,
    CopyObject,
    ListObjects,
    ListObjectsV2,
    DeleteMultipleObjects,
    GetObjectAcl,
    PutObjectAcl,
    GetBucketAcl,
    AppendObject,
    GetObjectMeta,
    PutSymlink,
    GetSymlink,
    PutObjectTagging,
    GetObjectTagging,
    DeleteObjectTagging,
    GetBucketLocation,
    GetBucketMeta,
    ListBuckets,
    CreateBucket,
    DeleteBucket,
    GetBucketInfo,
    GetBucketStat,
    PutBucketAcl,
    UploadPartCopy,
    PostObject,
    PutBucketCors,
    GetBucketCors,
    DeleteBucketCors,
    OptionsObject,
    RestoreObject,
    PutBucketVersioning,
    GetBucketVersioning,
    ListObjectVersions,
    ProcessObject,
    AsyncProcessObject,
}

impl Operation {
    pub const ALL: [Operation; 44] = [
        Operation::PutObject,
        Operation::GetObject,
        Operation::HeadObject,
        Operation::DeleteObject,
        Operation::InitiateMultipartUpload,
        Operation::UploadPart,
        Operation::CompleteMultipartUpload,
        Operation::AbortMultipartUpload,
        Operation::ListParts,
        Operation::ListMultipartUploads,
        Operation::CopyObject,
        Operation::ListObjects,
        Operation::ListObjectsV2,
        Operation::DeleteMultipleObjects,
        Operation::GetObjectAcl,
        Operation::PutObjectAcl,
        Operation::GetBucketAcl,
        Operation::AppendObject,
        Operation::GetObjectMeta,
        Operation::PutSymlink,
        Operation::GetSymlink,
        Operation::PutObjectTagging,
        Operation::GetObjectTagging,
        Operation::DeleteObjectTagging,
        Operation::GetBucketLocation,
        Operation::GetBucketMeta,
        Operation::ListBuckets,
        Operation::CreateBucket,
        Operation::DeleteBucket,
        Operation::GetBucketInfo,
        Operation::GetBucketStat,
        Operation::PutBucketAcl,
        Operation::UploadPartCopy,
        Operation::PostObject,
        Operation::PutBucketCors,
        Operation::GetBucketCors,
        Operation::DeleteBucketCors,
        Operation::OptionsObject,
        Operation::RestoreObject,
        Operation::PutBucketVersioning,
        Operation::GetBucketVersioning,
        Operation::ListObjectVersions,
        Operation::ProcessObject,
        Operation::AsyncProcessObject,
    ];

    /// The OSS API name, e.g. `UploadPart`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::PutObject => "PutObject",
            Operation::GetObject => "GetObject",
            Operation::HeadObject => "HeadObject",
            Operation::DeleteObject => "DeleteObject",
            Operation::InitiateMultipartUpload => "InitiateMultipartUpload",
            Operation::UploadPart => "UploadPart",
            Operation::CompleteMultipartUpload => "CompleteMultipartUpload",
            Operation::AbortMultipartUpload => "AbortMultipartUpload",
            Operation::ListParts => "ListParts",
            Operation::ListMultipartUploads => "ListMultipartUploads",
            Operation::CopyObject => "CopyObject",
            Operation::ListObjects => "ListObjects",
            Operation::ListObjectsV2 => "ListObjectsV2",
            Operation::DeleteMultipleObjects => "DeleteMultipleObjects",
            Operation::GetObjectAcl => "GetObjectAcl",
            Operation::PutObjectAcl => "PutObjectAcl",
            Operation::GetBucketAcl => "GetBucketAcl",
            Operation::AppendObject => "AppendObject",
            Operation::GetObjectMeta => "GetObjectMeta",
            Operation::PutSymlink => "PutSymlink",
            Operation::GetSymlink => "GetSymlink",
            Operation::PutObjectTagging => "PutObjectTagging",
            Operation::GetObjectTagging => "GetObjectTagging",
            Operation::DeleteObjectTagging => "DeleteObjectTagging",
            Operation::GetBucketLocation => "GetBucketLocation",
            Operation::GetBucketMeta => "GetBucketMeta",
            Operation::ListBuckets => "ListBuckets",
            Operation::CreateBucket => "CreateBucket",
            Operation::DeleteBucket => "DeleteBucket",
            Operation::GetBucketInfo => "GetBucketInfo",
            Operation::GetBucketStat => "GetBucketStat",
            Operation::PutBucketAcl => "PutBucketAcl",
            Operation::UploadPartCopy => "UploadPartCopy",
            Operation::PostObject => "PostObject",
            Operation::PutBucketCors => "PutBucketCors",
            Operation::GetBucketCors => "GetBucketCors",
            Operation::DeleteBucketCors => "DeleteBucketCors",
            Operation::OptionsObject => "OptionsObject",
            Operation::RestoreObject => "RestoreObject",
            Operation::PutBucketVersioning => "PutBucketVersioning",
            Operation::GetBucketVersioning => "GetBucketVersioning",
            Operation::ListObjectVersions => "ListObjectVersions",
            Operation::ProcessObject => "ProcessObject",
            Operation::AsyncProcessObject => "AsyncProcessObject",
        }
    }

    /// The operation called `name` (exact spelling).
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The operation a request names: its method, what it addresses (the service, a bucket or an object), which
    /// query parameters it carries and whether it names a copy source.
    fn of(method: &str, target: Target, has: impl Fn(&str) -> bool, copy: bool) -> Option<Operation> {
        if method == "OPTIONS" && target != Target::Service {
            return Some(Operation::OptionsObject);
        }
        let bucket_level = match target {
            Target::Service if method == "GET" => return Some(Operation::ListBuckets),
            Target::Service => return None,
            Target::Bucket => true,
            Target::Object => false,
        };
        match (method, bucket_level) {
            ("GET", true) if has("uploads") => Some(Operation::ListMultipartUploads),
            ("PUT", true) if has("versioning") => Some(Operation::PutBucketVersioning),
            ("GET", true) if has("versioning") => Some(Operation::GetBucketVersioning),
            ("GET", true) if has("versions") => Some(Operation::ListObjectVersions),
            ("GET", true) if has("acl") => Some(Operation::GetBucketAcl),
            ("PUT", true) if has("acl") => Some(Operation::PutBucketAcl),
            ("PUT", true) if has("cors") => Some(Operation::PutBucketCors),
            ("GET", true) if has("cors") => Some(Operation::GetBucketCors),
            ("DELETE", true) if has("cors") => Some(Operation::DeleteBucketCors),
            ("GET", true) if has("bucketInfo") => Some(Operation::GetBucketInfo),
            ("GET", true) if has("stat") => Some(Operation::GetBucketStat),
            ("GET", true) if has("location") => Some(Operation::GetBucketLocation),
            ("HEAD", true) => Some(Operation::GetBucketMeta),
            ("GET", true) if has("list-type") => Some(Operation::ListObjectsV2),
            ("GET", true) => Some(Operation::ListObjects),
            ("POST", true) if has("delete") => Some(Operation::DeleteMultipleObjects),
            ("POST", true) => Some(Operation::PostObject),
            ("PUT", true) => Some(Operation::CreateBucket),
            ("DELETE", true) => Some(Operation::DeleteBucket),
            (_, true) => None,
            ("PUT", false) if has("acl") => Some(Operation::PutObjectAcl),
            ("PUT", false) if has("symlink") => Some(Operation::PutSymlink),
            ("GET", false) if has("symlink") => Some(Operation::GetSymlink),
            ("PUT", false) if has("tagging") => Some(Operation::PutObjectTagging),
            ("GET", false) if has("tagging") => Some(Operation::GetObjectTagging),
            ("DELETE", false) if has("tagging") => Some(Operation::DeleteObjectTagging),
            ("GET", false) if has("acl") => Some(Operation::GetObjectAcl),
            ("PUT", false) if (has("uploadId") || has("partNumber")) && copy => Some(Operation::UploadPartCopy),
            ("PUT", false) if has("uploadId") || has("partNumber") => Some(Operation::UploadPart),
            ("PUT", false) if copy => Some(Operation::CopyObject),
            ("PUT", false) => Some(Operation::PutObject),
            ("POST", false) if has("append") => Some(Operation::AppendObject),
            ("POST", false) if has("restore") => Some(Operation::RestoreObject),
            ("POST", false) if has("x-oss-process") => Some(Operation::ProcessObject),
            ("POST", false) if has("x-oss-async-process") => Some(Operation::AsyncProcessObject),
            ("HEAD", false) if has("objectMeta") => Some(Operation::GetObjectMeta),
            ("POST", false) if has("uploads") => Some(Operation::InitiateMultipartUpload),
            ("POST", false) if has("uploadId") => Some(Operation::CompleteMultipartUpload),
            ("GET", false) if has("uploadId") => Some(Operation::ListParts),
            ("GET", false) => Some(Operation::GetObject),
            ("HEAD", false) => Some(Operation::HeadObject),
            ("DELETE", false) if has("uploadId") => Some(Operation::AbortMultipartUpload),
            ("DELETE", false) => Some(Operation::DeleteObject),
            _ => None,
        }
    }
}

/// What a request addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Service,
    Bucket,
    Object,
}

/// The emulated OSS service.
pub struct Oss {
    pub settings: Settings,
    pub store: Store,
    pub uploads: Uploads,
    pub signer: Signer,
    pub log: RequestLog,
    pub faults: Injector,
    /// Callback requests POSTed, per object and upload.
    pub callback_posts: PostCounts,
    /// The port the emulator listens on (for the public key URL).
    pub port: u16,
    request_seq: AtomicU64,
    request_salt: u32,
    /// OSS requests received, private endpoints excluded (malformed ones included).
    requests: AtomicU64,
}

/// What the operations know about the request being served.
#[derive(Clone)]
pub struct Ctx {
    pub request_id: String,
    /// Echoed in error XML as `<HostId>`.
    pub host_id: String,
    pub bucket: String,
    /// Decoded object key ("" for bucket-level requests).
    pub key: String,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    pub client_ip: String,
}

impl Ctx {
    /// The first value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Renders `err` as an OSS error response (without a body for `304 Not Modified`, which HTTP forbids one).
    pub fn error_response(&self, err: OssError) -> Response {
        let mut resp = if err.status == 304 {
            Response::empty(304)
        } else {
            Response::bytes(err.status, "application/xml", err.to_xml(&self.request_id, &self.host_id))
        };
        resp.headers.extend(err.headers);
        resp.error_code = Some(err.code);
        resp
    }
}

impl Oss {
    pub fn new(
        settings: Settings,
        store: Store,
        uploads: Uploads,
        signer: Signer,
        log: RequestLog,
        faults: Faults,
        port: u16,
    ) -> Oss {
        Oss {
            settings,
            store,
            uploads,
            signer,
            log,
            faults: Injector::new(faults),
            callback_posts: PostCounts::default(),
            port,
            request_seq: AtomicU64::new(1),
            request_salt: rand::random(),
            requests: AtomicU64::new(0),
        }
    }

    /// The URL the callback requests advertise in `x-oss-pub-key-url`.
    pub fn pub_key_url(&self) -> String {
        format!("http://127.0.0.1:{}{PUB_KEY_PATH}", self.port)
    }

    /// Counters: OSS requests received, faults injected and callbacks POSTed.
    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::SeqCst),
            faults: self.faults.counts(),
            callbacks: self.callback_posts.snapshot(),
        }
    }

    /// A fresh request id: 24 upper-case hex characters, unique per process.
    fn next_request_id(&self) -> String {
        let seq = self.request_seq.fetch_add(1, Ordering::SeqCst);
        format!("{:08X}{:08X}{:08X}", time::now_unix() as u32, self.request_salt, seq as u32)
    }

    fn base_ctx(&self, req: Option<&Request<'_>>) -> Ctx {
        let host = req.and_then(|r| r.head.header("host")).unwrap_or("");
        Ctx {
            request_id: self.next_request_id(),
            host_id: if host.is_empty() {
                format!("oss-{}.aliyuncs.com", self.settings.region)
            } else {
                host.to_string()
            },
            bucket: String::new(),
            key: String::new(),
            query: req.and_then(|r| r.head.query()).map(parse_query).unwrap_or_default(),
            client_ip: req.map(|r| r.peer.ip().to_string()).unwrap_or_default(),
        }
    }

    /// Splits host + path into bucket and raw key. A non-IP host is virtual-hosted when its
    /// first label is a configured bucket or the rest is `localhost` or an `oss-…` endpoint
    /// (so unknown buckets there are reported by name); everything else is path-style.
    fn address<'p>(&self, host: &str, path: &'p str) -> (String, &'p str) {
        let hostname = strip_port(host);
        let is_ip = hostname.trim_matches(['[', ']']).parse::<IpAddr>().is_ok();
        if !is_ip && !hostname.eq_ignore_ascii_case("localhost") {
            if let Some((label, rest)) = hostname.split_once('.') {
                let rest = rest.to_ascii_lowercase();
                if self.store.buckets.exists(label) || rest == "localhost" || rest.starts_with("oss-") {
                    return (label.to_string(), path.strip_prefix('/').unwrap_or(path));
                }
            }
        }
        let rest = path.strip_prefix('/').unwrap_or(path);
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        (decode_lossy(bucket, false), key)
    }

    /// Addresses, authenticates and classifies a request.
    fn route(&self, req: &Request<'_>, ctx: &mut Ctx) -> Result<Operation, OssError> {
        let method = req.head.method.as_str();
        let path = req.head.path();
        let (bucket, raw_key) = self.address(req.head.header("host").unwrap_or(""), path);
        ctx.key = String::from_utf8(percent_decode(raw_key, false))
            .map_err(|_| OssError::new(400, "InvalidObjectName", "The object name is not valid UTF-8."))?;
        ctx.bucket = bucket;
        if ctx.key.len() > MAX_KEY_BYTES {
            return Err(OssError::new(
                400,
                "InvalidObjectName",
                format!("The length of the object name must be at most {MAX_KEY_BYTES} bytes."),
            ));
        }
        let target = match (ctx.bucket.is_empty(), ctx.key.is_empty()) {
            (true, _) => Target::Service,
            (false, true) => Target::Bucket,
            (false, false) => Target::Object,
        };
        let copy = req.head.header("x-oss-copy-source").is_some();
        let op = Operation::of(method, target, |name| ctx.param(name).is_some(), copy);
        if target != Target::Service && op != Some(Operation::CreateBucket) && !self.store.buckets.exists(&ctx.bucket) {
            return Err(crate::bucket::no_such_bucket(&ctx.bucket));
        }
        // A form carries its own signature (PostObject does not look at headers or the URL), and a browser's
        // preflight is never signed.
        if !matches!(op, Some(Operation::PostObject | Operation::OptionsObject)) {
            self.authenticate(req, ctx)?;
        }
        if let Some((name, _)) = ctx
            .query
            .iter()
            .find(|(k, _)| auth::V1_SUB_RESOURCES.contains(&k.as_str()) && !HANDLED_SUB_RESOURCES.contains(&k.as_str()))
        {
            return Err(OssError::new(
                501,
                "NotImplemented",
                format!("The emulator does not implement the '{name}' sub-resource."),
            ));
        }
        op.ok_or_else(OssError::method_not_allowed)
    }

    /// Checks the request's signature (header or query, V1 or V4).
    fn authenticate(&self, req: &Request<'_>, ctx: &Ctx) -> Result<(), OssError> {
        let method = req.head.method.as_str();
        auth::authenticate(
            &SignedRequest {
                method,
                headers: &req.head.headers,
                query: &ctx.query,
                bucket: (!ctx.bucket.is_empty()).then_some(ctx.bucket.as_str()),
                key: &ctx.key,
            },
            &self.settings.keys,
            &self.settings.region,
            time::now_unix(),
        )?;
        Ok(())
    }

    /// Runs `op`.
    fn dispatch(&self, op: Operation, req: &mut Request<'_>, ctx: &Ctx) -> Response {
        let result = match op {
            Operation::PutObject => object::put(self, req, ctx),
            Operation::GetObject | Operation::HeadObject => object::get(self, req, ctx),
            Operation::DeleteObject => object::delete(self, ctx),
            Operation::InitiateMultipartUpload => multipart::initiate(self, req, ctx),
            Operation::UploadPart => multipart::upload_part(self, req, ctx),
            Operation::CompleteMultipartUpload => multipart::complete(self, req, ctx),
            Operation::AbortMultipartUpload => multipart::abort(self, ctx),
            Operation::ListParts => multipart::list_parts(self, ctx),
            Operation::ListMultipartUploads => multipart::list_uploads(self, ctx),
            Operation::CopyObject => copy::copy_object(self, req, ctx),
            Operation::ListObjects => listing::list_objects(self, ctx),
            Operation::ListObjectsV2 => listing::list_objects_v2(self, ctx),
            Operation::DeleteMultipleObjects => listing::delete_multiple(self, req, ctx),
            Operation::GetObjectAcl => acl::get_object_acl(self, ctx),
            Operation::PutObjectAcl => acl::put_object_acl(self, req, ctx),
            Operation::GetBucketAcl => acl::get_bucket_acl(self, ctx),
            Operation::AppendObject => append::append(self, req, ctx),
            Operation::GetObjectMeta => object::simplified_meta(self, ctx),
            Operation::PutSymlink => symlink::put_symlink(self, req, ctx),
            Operation::GetSymlink => symlink::get_symlink(self, ctx),
            Operation::PutObjectTagging => tagging::put_tagging(self, req, ctx),
            Operation::GetObjectTagging => tagging::get_tagging(self, ctx),
            Operation::DeleteObjectTagging => tagging::delete_tagging(self, ctx),
            Operation::GetBucketLocation => Ok(Response::bytes(
                200,
                "application/xml",
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint>oss-{}</LocationConstraint>\n",
                    self.settings.region
                ),
            )),
            Operation::GetBucketMeta => {
                Ok(Response::empty(200).header("x-oss-bucket-region", self.settings.region.clone()))
            }
            Operation::ListBuckets => bucket::list(self, ctx),
            Operation::CreateBucket => bucket::create(self, req, ctx),
            Operation::DeleteBucket => bucket::delete(self, ctx),
            Operation::GetBucketInfo => bucket::info(self, ctx),
            Operation::GetBucketStat => bucket::stat(self, ctx),
            Operation::PutBucketAcl => bucket::put_acl(self, req, ctx),
            Operation::UploadPartCopy => multipart::upload_part_copy(self, req, ctx),
            Operation::PostObject => post_object::post_object(self, req, ctx),
            Operation::PutBucketCors => cors::put(self, req, ctx),
            Operation::GetBucketCors => cors::get(self, ctx),
            Operation::DeleteBucketCors => cors::delete(self, ctx),
            Operation::OptionsObject => cors::preflight(self, req, ctx),
            Operation::RestoreObject => restore::restore(self, req, ctx),
            Operation::PutBucketVersioning => versioning::put(self, req, ctx),
            Operation::GetBucketVersioning => versioning::get(self, ctx),
            Operation::ListObjectVersions => versioning::list(self, ctx),
            Operation::ProcessObject => process::process(self, req, ctx),
            Operation::AsyncProcessObject => process::process_async(self, req, ctx),
        };
        result.unwrap_or_else(|err| ctx.error_response(err))
    }

    /// Runs `op` under the fault the injector decides on, if any: the one place faults are
    /// applied (their semantics are in the docs of [`Faults`]).
    fn serve(&self, op: Operation, req: &mut Request<'_>, ctx: &Ctx) -> Response {
        let Some(decision) = self.faults.decide(op, &req.head) else {
            return self.dispatch(op, req, ctx);
        };
        let (mut resp, applied) = match decision.kind {
            FaultKind::Error(status) => (ctx.error_response(status.error()), true),
            FaultKind::Reset { after_bytes } => {
                let point = FaultKind::reset_point(after_bytes, &req.head);
                let _ = io::copy(&mut (&mut req.body).take(point), &mut io::sink());
                (Response { abort: true, ..Response::empty(0) }, true)
            }
            FaultKind::Delay(_) => (self.dispatch(op, req, ctx), true),
            FaultKind::LoseResponseAfterCommit(answer) => {
                // 2xx, including 203 CallbackFailed: the object is stored either way.
                let resp = self.dispatch(op, req, ctx);
                match answer {
                    _ if resp.status >= 300 => (resp, false),
                    LostAnswer::Reset => (Response { abort: true, ..resp }, true),
                    LostAnswer::Error(status) => {
                        (Response { callback: resp.callback, ..ctx.error_response(status.error()) }, true)
                    }
                }
            }
            FaultKind::HugeBody { status, bytes, chunked } => {
                let mut resp = if status == 200 {
                    self.dispatch(op, req, ctx)
                } else {
                    let err = match status {
                        403 => OssError::new(403, "AccessDenied", "You have no right to access this object."),
                        503 => ErrorStatus::ServiceUnavailable.error(),
                        _ => ErrorStatus::InternalError.error(),
                    };
                    let mut resp = ctx.error_response(err);
                    // The XML goes on with filler: no closing tags.
                    if let ResponseBody::Bytes(body) = &mut resp.body {
                        body.truncate(body.windows(9).position(|w| w == b"</Message").unwrap_or(body.len()));
                    }
                    resp
                };
                let applied = (200..300).contains(&resp.status) || status != 200;
                if applied {
                    resp.wire = Wire::Huge { bytes, chunked };
                }
                (resp, applied)
            }
            FaultKind::Stall => (Response { wire: Wire::Stall, ..Response::empty(0) }, true),
            FaultKind::EndlessContinue { every } => {
                (Response { wire: Wire::EndlessContinue { every }, ..Response::empty(0) }, true)
            }
            FaultKind::Drip { head, every } => {
                let resp = self.dispatch(op, req, ctx);
                (Response { wire: Wire::Drip { head, every }, ..resp }, true)
            }
            FaultKind::OversizedField { field, bytes } => {
                let mut resp = self.dispatch(op, req, ctx);
                let applied = (200..300).contains(&resp.status) && oversize(&mut resp, field, bytes as usize);
                (resp, applied)
            }
            FaultKind::Malformed(how) => {
                let mut resp = self.dispatch(op, req, ctx);
                let applied = match &mut resp.body {
                    ResponseBody::Bytes(body) if resp.status == 200 && !body.is_empty() => {
                        *body = how.apply(body);
                        true
                    }
                    _ => false,
                };
                (resp, applied)
            }
        };
        self.faults.settle(&decision, applied);
        if applied {
            resp.fault = Some(decision.to_log());
        }
        // Counted above as soon as it starts; the answer (and its log entry) comes after it.
        if let FaultKind::Delay(duration) = decision.kind {
            self.faults.sleep(duration);
        }
        resp
    }

    /// Adds the headers every OSS response carries.
    fn finish(&self, ctx: &Ctx, mut resp: Response, head_only: bool) -> Response {
        if head_only && resp.error_code.is_some() {
            if let crate::http::ResponseBody::Bytes(xml) = &resp.body {
                let encoded = B64.encode(xml);
                resp.headers.push(("x-oss-err".into(), encoded));
            }
        }
        let common = [
            ("Server".to_string(), "AliyunOSS".to_string()),
            ("Date".to_string(), time::http_date_now()),
            ("x-oss-request-id".to_string(), ctx.request_id.clone()),
        ];
        resp.headers.splice(0..0, common);
        resp
    }
}

/// `host` without a trailing `:port` (IPv6 literals keep their brackets).
fn strip_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(i) if !host[i..].contains(']') && (host.starts_with('[') || host.matches(':').count() == 1) => &host[..i],
        _ => host,
    }
}

impl Handler for Oss {
    fn handle(&self, req: &mut Request<'_>) -> Response {
        let mut ctx = self.base_ctx(Some(req));
        let head_only = req.head.method == "HEAD";
        let resp = match control::handle(self, req) {
            Some(resp) => resp,
            None => {
                self.requests.fetch_add(1, Ordering::SeqCst);
                let mut resp = match self.route(req, &mut ctx) {
                    Ok(op) => self.serve(op, req, &ctx),
                    Err(err) => ctx.error_response(err),
                };
                if !resp.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("access-control-allow-origin")) {
                    resp.headers.extend(cors::answer_headers(self, &ctx.bucket, &req.head));
                }
                resp
            }
        };
        self.finish(&ctx, resp, head_only)
    }

    fn error(&self, status: u16, message: &str) -> Response {
        let ctx = self.base_ctx(None);
        let err =
            if status >= 500 { OssError::internal(message) } else { OssError::new(status, "InvalidRequest", message) };
        let resp = ctx.error_response(err);
        self.finish(&ctx, resp, false)
    }

    fn completed(&self, ex: &Exchange<'_>) {
        if ex.head.is_none() {
            // A request too malformed to reach `handle`.
            self.requests.fetch_add(1, Ordering::SeqCst);
        }
        let resp = ex.response;
        let header = |name: &str| crate::http::find_header(&resp.headers, name);
        let mut entry = json!({
            "ts": time::iso8601_millis(SystemTime::now()),
            "method": ex.head.map_or("", |h| h.method.as_str()),
            "target": ex.head.map_or("", |h| h.target.as_str()),
            "path": ex.head.map_or("", |h| h.path()),
            "query": ex.head.and_then(|h| h.query()).unwrap_or(""),
            "headers": ex.head.map(|h| h.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>()).unwrap_or_default(),
            "body_len": ex.body_len,
            "body_md5": ex.body_md5,
            "status": (!resp.abort).then_some(resp.status),
            "error_code": resp.error_code,
            "request_id": header("x-oss-request-id"),
            "callback": resp.callback,
        });
        if let Some(fault) = &resp.fault {
            entry["fault"] = fault.clone();
        }
        self.log.record(entry);
    }
}

/// Makes `field` of `resp` `len` bytes long; false when the answer has no such field.
fn oversize(resp: &mut Response, field: Field, len: usize) -> bool {
    match field {
        Field::ETag => match resp.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("etag")) {
            Some((_, v)) => {
                *v = format!("\"{}\"", "A".repeat(len.saturating_sub(2)));
                true
            }
            None => false,
        },
        Field::UploadId => {
            let ResponseBody::Bytes(body) = &resp.body else { return false };
            let Some(start) = body.windows(10).position(|w| w == b"<UploadId>") else { return false };
            // Streamed by the writer: the emulator never holds the oversized field.
            resp.wire = Wire::Inflate { at: start + 10, bytes: len as u64 };
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::strip_port;

    #[test]
    fn strips_ports() {
        assert_eq!(strip_port("bkt.localhost:18555"), "bkt.localhost");
        assert_eq!(strip_port("127.0.0.1"), "127.0.0.1");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
        assert_eq!(strip_port("::1"), "::1");
    }
}
