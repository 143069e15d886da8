//! Hostile input through the raw C ABI (issue 5, item 4): NULL for every pointer argument of every function,
//! invalid UTF-8 in every text argument, lengths that lie, out-of-range numbers, bad files and ranges, bad
//! callbacks, header injection, host-changing bucket names, SDK-refused object names, dead and foreign handles,
//! builder and options misuse. Each case asserts the exact `oss_result`, a message naming what is wrong, and
//! that the emulator's request counter did not move (the input was refused before any I/O). The distinct
//! failure reasons must never share a (code, message) pair. Last, one client is shared by 8 threads.
//!
//! Every error text goes through `common::take_error`, which also records it for `scripts/secret-scan.sh`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

use common::{take_error, Client, Err, KEY_ID, KEY_SECRET};
use oss_emulator::{Emulator, EmulatorConfig};
use ossrs::ffi::client::*;
use ossrs::ffi::config::*;
use ossrs::ffi::digest::*;
use ossrs::ffi::error::oss_error;
use ossrs::ffi::multipart::*;
use ossrs::ffi::object::*;
use ossrs::ffi::options::*;
use ossrs::ffi::put::*;
use ossrs::ffi::response::*;
use ossrs::ffi::result::oss_result;
use ossrs::ffi::upload::oss_upload_file;

/// A text argument: `None` is a NULL pointer; the bytes need not be UTF-8 (never NUL).
type Text = Option<Vec<u8>>;

fn t(s: &str) -> Text {
    Some(s.as_bytes().to_vec())
}

/// Not UTF-8: a lone continuation byte pair.
fn bad_utf8() -> Text {
    Some(b"k\xff\xfe".to_vec())
}

fn cstr(text: &Text) -> Option<CString> {
    text.as_ref().map(|b| CString::new(b.clone()).expect("test texts hold no NUL"))
}

fn ptr_of(c: &Option<CString>) -> *const c_char {
    c.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

/// Every operation that takes a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Put,
    PutFile,
    Initiate,
    UploadPart,
    UploadPartFile,
    Complete,
    Abort,
    ListParts,
    Get,
    Head,
    Delete,
    UploadFile,
}

const OPS: [Op; 12] = [
    Op::Put,
    Op::PutFile,
    Op::Initiate,
    Op::UploadPart,
    Op::UploadPartFile,
    Op::Complete,
    Op::Abort,
    Op::ListParts,
    Op::Get,
    Op::Head,
    Op::Delete,
    Op::UploadFile,
];

/// The text arguments of the operations, named as the library names them in its messages.
#[derive(Clone, Copy, Debug)]
enum F {
    Bucket,
    Object,
    UploadId,
    Path,
    Callback,
    CallbackVar,
    Md5,
    Etag,
}

impl F {
    fn name(self) -> &'static str {
        match self {
            F::Bucket => "bucket",
            F::Object => "object",
            F::UploadId => "upload_id",
            F::Path => "path",
            F::Callback => "callback",
            F::CallbackVar => "callback_var",
            F::Md5 => "content_md5",
            F::Etag => "parts[0].etag",
        }
    }

    /// NULL is a valid value ("none") for the optional ones.
    fn required(self) -> bool {
        !matches!(self, F::Callback | F::CallbackVar | F::Md5)
    }

    fn set(self, call: &mut Call, v: Text) {
        match self {
            F::Bucket => call.bucket = v,
            F::Object => call.object = v,
            F::UploadId => call.upload_id = v,
            F::Path => call.path = v,
            F::Callback => call.callback = v,
            F::CallbackVar => call.callback_var = v,
            F::Md5 => call.md5 = v,
            F::Etag => call.parts = Some(vec![(1, v)]),
        }
    }
}

impl Op {
    fn fields(self) -> &'static [F] {
        use F::*;
        match self {
            Op::Put => &[Bucket, Object, Callback, CallbackVar],
            Op::PutFile | Op::UploadFile => &[Bucket, Object, Path, Callback, CallbackVar],
            Op::Initiate | Op::Get | Op::Head | Op::Delete => &[Bucket, Object],
            Op::UploadPart => &[Bucket, Object, UploadId, Md5],
            Op::UploadPartFile => &[Bucket, Object, UploadId, Path, Md5],
            Op::Complete => &[Bucket, Object, UploadId, Etag, Callback, CallbackVar],
            Op::Abort | Op::ListParts => &[Bucket, Object, UploadId],
        }
    }

    fn takes_data(self) -> bool {
        matches!(self, Op::Put | Op::UploadPart)
    }
}

#[derive(Clone, Copy, Debug)]
enum Handle {
    Live,
    Null,
    Freed,
    Foreign,
}

/// One call of an operation; [`Env::call`] gives valid defaults, each case breaks one thing.
#[derive(Clone)]
struct Call {
    op: Op,
    client: Handle,
    bucket: Text,
    object: Text,
    upload_id: Text,
    path: Text,
    callback: Text,
    callback_var: Text,
    md5: Text,
    /// `None` is a NULL data pointer; `data_len` overrides the length.
    data: Option<Vec<u8>>,
    data_len: Option<usize>,
    part_number: u32,
    offset: u64,
    length: u64,
    /// `None` is a NULL parts pointer; `part_count` overrides the count.
    parts: Option<Vec<(u32, Text)>>,
    part_count: Option<usize>,
    part_size: Option<u64>,
    parallelism: Option<u32>,
    query: Vec<(&'static str, &'static str)>,
    no_response_out: bool,
    no_error_out: bool,
}

type Outcome = (oss_result, Option<Err>);

struct Env {
    emulator: Emulator,
    client: Client,
    /// A client handle that was freed.
    dead: *const oss_client,
    /// `ten`: a 10-byte file; `sub`: a directory; `missing`: nothing; `huge`: a sparse file too big for 10000 parts.
    dir: tempfile::TempDir,
}

/// Never returned by the library: a readable address that is not a client.
static FOREIGN: [u64; 8] = [0x0505_0505_0505_0505; 8];

impl Env {
    fn start() -> Env {
        let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
        let client = Client::for_endpoint(&emulator.endpoint());
        let dead = Client::for_endpoint(&emulator.endpoint());
        let dead_ptr = dead.0;
        drop(dead);
        let dir = common::temp_dir();
        std::fs::write(dir.path().join("ten"), b"0123456789").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let huge = std::fs::File::create(dir.path().join("huge")).unwrap();
        huge.set_len(102_400 * 10_000 + 1).unwrap();
        Env { emulator, client, dead: dead_ptr, dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_string()
    }

    fn requests(&self) -> u64 {
        self.emulator.stats().requests
    }

    /// A call of `op` with every argument valid.
    fn call(&self, op: Op) -> Call {
        Call {
            op,
            client: Handle::Live,
            bucket: t("bkt"),
            object: t("hostile/key.txt"),
            upload_id: t("0004B9894A22E5B1888A1E29F8236E2D"),
            path: t(&self.path("ten")),
            callback: None,
            callback_var: None,
            md5: None,
            data: Some(b"0123456789".to_vec()),
            data_len: None,
            part_number: 1,
            offset: 0,
            length: 10,
            parts: Some(vec![(1, t("\"E\""))]),
            part_count: None,
            part_size: None,
            parallelism: None,
            query: Vec::new(),
            no_response_out: false,
            no_error_out: false,
        }
    }

    fn handle(&self, h: Handle) -> *const oss_client {
        match h {
            Handle::Live => self.client.0,
            Handle::Null => ptr::null(),
            Handle::Freed => self.dead,
            Handle::Foreign => FOREIGN.as_ptr().cast(),
        }
    }

    /// Makes the raw call and returns its result and error (copied, recorded and freed).
    fn run(&self, c: &Call) -> Outcome {
        let (bucket, object, upload_id, path) = (cstr(&c.bucket), cstr(&c.object), cstr(&c.upload_id), cstr(&c.path));
        let (cb, var, md5) = (cstr(&c.callback), cstr(&c.callback_var), cstr(&c.md5));
        let data_ptr = c.data.as_ref().map_or(ptr::null(), |d| d.as_ptr());
        let data_len = c.data_len.unwrap_or_else(|| c.data.as_ref().map_or(0, Vec::len));
        let etags: Vec<Option<CString>> = c.parts.iter().flatten().map(|(_, e)| cstr(e)).collect();
        let parts: Option<Vec<oss_part>> = c.parts.as_ref().map(|list| {
            list.iter().zip(&etags).map(|((n, _), e)| oss_part { part_number: *n, etag: ptr_of(e) }).collect()
        });
        let parts_ptr = parts.as_ref().map_or(ptr::null(), |p| p.as_ptr());
        let part_count = c.part_count.unwrap_or_else(|| parts.as_ref().map_or(0, Vec::len));
        let client = self.handle(c.client);
        let mut resp: *mut oss_response = ptr::null_mut();
        let mut err: *mut oss_error = ptr::null_mut();
        let resp_out: *mut *mut oss_response = if c.no_response_out { ptr::null_mut() } else { &mut resp };
        let err_out: *mut *mut oss_error = if c.no_error_out { ptr::null_mut() } else { &mut err };
        unsafe {
            let opts = if c.part_size.is_some() || c.parallelism.is_some() || !c.query.is_empty() {
                let o = oss_options_new();
                if let Some(n) = c.part_size {
                    assert_eq!(oss_options_set_part_size(o, n, ptr::null_mut()), oss_result::Ok);
                }
                if let Some(n) = c.parallelism {
                    assert_eq!(oss_options_set_parallelism(o, n, ptr::null_mut()), oss_result::Ok);
                }
                for (k, v) in &c.query {
                    let (k, v) = (common::c(k), common::c(v));
                    assert_eq!(oss_options_set_query(o, k.as_ptr(), v.as_ptr(), ptr::null_mut()), oss_result::Ok);
                }
                o
            } else {
                ptr::null_mut()
            };
            let (b, o) = (ptr_of(&bucket), ptr_of(&object));
            let rc = match c.op {
                Op::Put => oss_put_object_with_callback(
                    client,
                    b,
                    o,
                    data_ptr.cast(),
                    data_len,
                    ptr_of(&cb),
                    ptr_of(&var),
                    opts,
                    resp_out,
                    err_out,
                ),
                Op::PutFile => oss_put_object_from_file_with_callback(
                    client,
                    b,
                    o,
                    ptr_of(&path),
                    ptr_of(&cb),
                    ptr_of(&var),
                    opts,
                    resp_out,
                    err_out,
                ),
                Op::Initiate => oss_initiate_multipart_upload(client, b, o, opts, resp_out, err_out),
                Op::UploadPart => oss_upload_part(
                    client,
                    b,
                    o,
                    ptr_of(&upload_id),
                    c.part_number,
                    data_ptr.cast(),
                    data_len,
                    ptr_of(&md5),
                    opts,
                    resp_out,
                    err_out,
                ),
                Op::UploadPartFile => oss_upload_part_from_file(
                    client,
                    b,
                    o,
                    ptr_of(&upload_id),
                    c.part_number,
                    ptr_of(&path),
                    c.offset,
                    c.length,
                    ptr_of(&md5),
                    opts,
                    resp_out,
                    err_out,
                ),
                Op::Complete => oss_complete_multipart_upload(
                    client,
                    b,
                    o,
                    ptr_of(&upload_id),
                    parts_ptr,
                    part_count,
                    ptr_of(&cb),
                    ptr_of(&var),
                    opts,
                    resp_out,
                    err_out,
                ),
                Op::Abort => oss_abort_multipart_upload(client, b, o, ptr_of(&upload_id), opts, resp_out, err_out),
                Op::ListParts => oss_list_parts(client, b, o, ptr_of(&upload_id), opts, resp_out, err_out),
                Op::Get => oss_get_object(client, b, o, opts, resp_out, err_out),
                Op::Head => oss_head_object(client, b, o, opts, resp_out, err_out),
                Op::Delete => oss_delete_object(client, b, o, opts, resp_out, err_out),
                Op::UploadFile => oss_upload_file(
                    client,
                    b,
                    o,
                    ptr_of(&path),
                    ptr_of(&cb),
                    ptr_of(&var),
                    opts,
                    None,
                    ptr::null_mut(),
                    resp_out,
                    err_out,
                ),
            };
            oss_options_free(opts);
            finish(rc, resp, err)
        }
    }
}

/// Checks the output rules (outputs only on success, an error object exactly on failure) and takes the error.
unsafe fn finish(rc: oss_result, resp: *mut oss_response, err: *mut oss_error) -> Outcome {
    if rc == oss_result::Ok {
        assert!(err.is_null(), "no error object on success");
        oss_response_free(resp);
        return (rc, None);
    }
    assert!(resp.is_null(), "response_out must stay NULL on failure");
    if err.is_null() {
        return (rc, None);
    }
    let e = take_error(err);
    assert_eq!(e.result, rc, "the error object and the return code agree");
    (rc, Some(e))
}

/// One hostile call and what it must give.
struct Case<'a> {
    name: String,
    /// Cases with the same reason may share a message; different reasons may not.
    reason: String,
    code: oss_result,
    /// Must appear in the error message (ignored when the case passes no `error_out`).
    fragment: String,
    /// Requests the emulator must see: 0 for everything refused locally.
    requests: u64,
    run: Box<dyn Fn() -> Outcome + 'a>,
}

impl<'a> Case<'a> {
    fn new(
        name: impl Into<String>,
        reason: impl Into<String>,
        code: oss_result,
        fragment: impl Into<String>,
        run: impl Fn() -> Outcome + 'a,
    ) -> Case<'a> {
        Case {
            name: name.into(),
            reason: reason.into(),
            code,
            fragment: fragment.into(),
            requests: 0,
            run: Box::new(run),
        }
    }

    fn reaching_server(mut self, requests: u64) -> Self {
        self.requests = requests;
        self
    }
}

/// A case that runs `call`.
fn op_case<'a>(
    env: &'a Env,
    name: impl Into<String>,
    reason: impl Into<String>,
    code: oss_result,
    fragment: impl Into<String>,
    call: Call,
) -> Case<'a> {
    let name = format!("{:?}: {}", call.op, name.into());
    Case::new(name, reason, code, fragment, move || env.run(&call))
}

fn with(mut call: Call, f: impl FnOnce(&mut Call)) -> Call {
    f(&mut call);
    call
}

/// NULL for every pointer argument and invalid UTF-8 for every text argument of every operation, plus dead
/// and foreign handles.
fn argument_cases(env: &Env) -> Vec<Case<'_>> {
    let mut cases = Vec::new();
    for op in OPS {
        let base = env.call(op);
        cases.push(op_case(
            env,
            "NULL client",
            "NULL client",
            oss_result::NullParameter,
            "client is NULL",
            with(base.clone(), |c| c.client = Handle::Null),
        ));
        cases.push(op_case(
            env,
            "freed client",
            "dead client",
            oss_result::InvalidHandle,
            "client handle is not live",
            with(base.clone(), |c| c.client = Handle::Freed),
        ));
        cases.push(op_case(
            env,
            "foreign client",
            "dead client",
            oss_result::InvalidHandle,
            "client handle is not live",
            with(base.clone(), |c| c.client = Handle::Foreign),
        ));
        for &f in op.fields() {
            if f.required() {
                cases.push(op_case(
                    env,
                    format!("NULL {}", f.name()),
                    format!("NULL {}", f.name()),
                    oss_result::NullParameter,
                    format!("{} is NULL", f.name()),
                    with(base.clone(), |c| f.set(c, None)),
                ));
            }
            cases.push(op_case(
                env,
                format!("{} not UTF-8", f.name()),
                format!("{} not UTF-8", f.name()),
                oss_result::InvalidUtf8,
                format!("{} is not valid UTF-8", f.name()),
                with(base.clone(), |c| f.set(c, bad_utf8())),
            ));
        }
        if op.takes_data() {
            cases.push(op_case(
                env,
                "NULL data with length 10",
                "NULL data with a length",
                oss_result::NullParameter,
                "data is NULL but its length is 10",
                with(base.clone(), |c| {
                    c.data = None;
                    c.data_len = Some(10);
                }),
            ));
            cases.push(op_case(
                env,
                "NULL data with length usize::MAX",
                "NULL data with a length",
                oss_result::NullParameter,
                format!("data is NULL but its length is {}", usize::MAX),
                with(base.clone(), |c| {
                    c.data = None;
                    c.data_len = Some(usize::MAX);
                }),
            ));
            cases.push(op_case(
                env,
                "data with a length past isize::MAX",
                "data with an impossible length",
                oss_result::InvalidArgument,
                format!("data length {} is larger than any buffer", usize::MAX),
                with(base.clone(), |c| c.data_len = Some(usize::MAX)),
            ));
        }
        // No error_out: the code alone, and no crash.
        cases.push(op_case(
            env,
            "NULL bucket and NULL error_out",
            "NULL bucket",
            oss_result::NullParameter,
            "",
            with(base.clone(), |c| {
                c.bucket = None;
                c.no_error_out = true;
            }),
        ));
        cases.push(op_case(
            env,
            "foreign client, NULL response_out and NULL error_out",
            "dead client",
            oss_result::InvalidHandle,
            "",
            with(base, |c| {
                c.client = Handle::Foreign;
                c.no_response_out = true;
                c.no_error_out = true;
            }),
        ));
    }
    let complete = env.call(Op::Complete);
    cases.push(op_case(
        env,
        "NULL parts with part_count 2",
        "NULL parts with a count",
        oss_result::NullParameter,
        "parts is NULL but part_count is 2",
        with(complete.clone(), |c| {
            c.parts = None;
            c.part_count = Some(2);
        }),
    ));
    cases.push(op_case(
        env,
        "NULL ETag of the third part",
        "NULL etag",
        oss_result::NullParameter,
        "parts[2].etag is NULL",
        with(complete, |c| c.parts = Some(vec![(1, t("\"A\"")), (2, t("\"B\"")), (3, None)])),
    ));
    cases
}

/// Names, numbers, files, callbacks, upload ids and managed-upload settings.
fn value_cases(env: &Env) -> Vec<Case<'_>> {
    let mut cases = Vec::new();
    let put = env.call(Op::Put);
    for (bucket, why) in [
        ("evil.com/x", "would change the host and path"),
        ("a.b", "would add a host label"),
        ("UPPER", "upper case"),
        ("-lead", "leading hyphen"),
        ("ab", "too short"),
        ("bkt_x", "underscore"),
        ("bkt\n", "trailing newline"),
        ("bkt:80", "would change the port"),
    ] {
        cases.push(op_case(
            env,
            format!("bucket {bucket:?} ({why})"),
            "bad bucket name",
            oss_result::InvalidBucketName,
            format!("\"{bucket}\"bucket name is invalid"),
            with(put.clone(), |c| c.bucket = t(bucket)),
        ));
    }
    let long_bucket = "a".repeat(64);
    cases.push(op_case(
        env,
        "bucket of 64 characters",
        "bad bucket name",
        oss_result::InvalidBucketName,
        "bucket name is invalid",
        with(put.clone(), |c| c.bucket = t(&long_bucket)),
    ));
    for op in [Op::Initiate, Op::UploadPartFile, Op::Complete, Op::UploadFile, Op::Get] {
        cases.push(op_case(
            env,
            "bucket \"evil.com/x\"",
            "bad bucket name",
            oss_result::InvalidBucketName,
            "\"evil.com/x\"bucket name is invalid",
            with(env.call(op), |c| c.bucket = t("evil.com/x")),
        ));
    }
    for op in [Op::Put, Op::PutFile, Op::Abort, Op::Delete] {
        cases.push(op_case(
            env,
            "empty bucket",
            "empty bucket",
            oss_result::InvalidBucketName,
            "bucket is not allowed empty",
            with(env.call(op), |c| c.bucket = t("")),
        ));
    }
    let long_object = "x".repeat(1024);
    for (object, why) in [
        ("/lead", "leading slash"),
        ("\\lead", "leading backslash"),
        ("a\r\nX-Evil: 1", "CR/LF"),
        (long_object.as_str(), "1024 bytes"),
    ] {
        cases.push(op_case(
            env,
            format!("object {} ({why})", &object[..object.len().min(12)]),
            "bad object name",
            oss_result::InvalidObjectName,
            "object name is invalid",
            with(put.clone(), |c| c.object = t(object)),
        ));
    }
    for (object, op) in [("a/../b", Op::Put), ("..", Op::Initiate), ("./a", Op::UploadPartFile), ("a/.", Op::Get)] {
        cases.push(op_case(
            env,
            format!("object {object:?} (dot segment)"),
            "dot segment in the object name",
            oss_result::InvalidObjectName,
            format!("\"{object}\" object name is invalid: a \".\" or \"..\" path segment would be removed"),
            with(env.call(op), |c| c.object = t(object)),
        ));
    }
    for op in [Op::Put, Op::UploadPart, Op::ListParts, Op::Head, Op::UploadFile] {
        cases.push(op_case(
            env,
            "empty object",
            "empty object",
            oss_result::InvalidObjectName,
            "object name is empty",
            with(env.call(op), |c| c.object = t("")),
        ));
    }
    for op in [Op::UploadPart, Op::UploadPartFile, Op::Complete, Op::Abort, Op::ListParts] {
        for id in ["", "   "] {
            cases.push(op_case(
                env,
                format!("upload id {id:?}"),
                "empty upload id",
                oss_result::InvalidArgument,
                "upload id is empty",
                with(env.call(op), |c| c.upload_id = t(id)),
            ));
        }
    }
    cases.push(op_case(
        env,
        "upload id with CR/LF",
        "CR/LF upload id",
        oss_result::InvalidArgument,
        "upload id contains CR or LF",
        with(env.call(Op::UploadPart), |c| c.upload_id = t("id\r\nX-Evil: 1")),
    ));
    for op in [Op::UploadPart, Op::UploadPartFile] {
        for n in [0, 10_001, u32::MAX] {
            cases.push(op_case(
                env,
                format!("part number {n}"),
                "part number out of range",
                oss_result::InvalidPartNumber,
                format!("part number {n} is out of range (1..=10000)"),
                with(env.call(op), |c| c.part_number = n),
            ));
        }
    }
    for n in [0, 10_001] {
        cases.push(op_case(
            env,
            format!("part number {n}"),
            "part number out of range",
            oss_result::InvalidPartNumber,
            format!("part number {n} is out of range"),
            with(env.call(Op::Complete), |c| c.parts = Some(vec![(1, t("\"A\"")), (n, t("\"B\""))])),
        ));
    }
    for (md5, why) in [("nope", "not base64"), ("AAAAAAAAAAAAAAAAAAAA", "15 bytes")] {
        for op in [Op::UploadPart, Op::UploadPartFile] {
            cases.push(op_case(
                env,
                format!("Content-MD5 {md5:?} ({why})"),
                "bad Content-MD5",
                oss_result::InvalidArgument,
                format!("Content-MD5 {md5:?} is not the base64 of a 16-byte MD5"),
                with(env.call(op), |c| c.md5 = t(md5)),
            ));
        }
    }

    // Local files.
    let part_file = env.call(Op::UploadPartFile);
    let ten = env.path("ten");
    for (offset, length) in [(5, 10), (0, 11), (11, 0), (10, 1), (u64::MAX, 2)] {
        cases.push(op_case(
            env,
            format!("range {offset}+{length} of a 10-byte file"),
            "range outside the file",
            oss_result::RangeOutOfFile,
            format!("range {offset}+{length} lies outside {ten} (10 bytes)"),
            with(part_file.clone(), |c| {
                c.offset = offset;
                c.length = length;
            }),
        ));
    }
    let sub = env.path("sub");
    let missing = env.path("missing");
    for op in [Op::PutFile, Op::UploadPartFile, Op::UploadFile] {
        cases.push(op_case(
            env,
            "a directory",
            "directory",
            oss_result::FileUnreadable,
            format!("{sub} is not a regular file"),
            with(env.call(op), |c| c.path = t(&sub)),
        ));
        cases.push(op_case(
            env,
            "a missing file",
            "missing file",
            oss_result::FileNotFound,
            format!("{missing}: No such file or directory"),
            with(env.call(op), |c| c.path = t(&missing)),
        ));
    }
    cases.push(op_case(
        env,
        "empty path",
        "empty path",
        oss_result::FileNotFound,
        ": No such file or directory",
        with(env.call(Op::PutFile), |c| c.path = t("")),
    ));

    // Callbacks.
    let url = "http://127.0.0.1:9/cb";
    let good_cb = format!("{{\"callbackUrl\":\"{url}\",\"callbackBody\":\"object=${{object}}\"}}");
    let six = [url; 6].join(";");
    let big_body = "a".repeat(4000);
    let big_var = "v".repeat(4000);
    let callback_cases: Vec<(String, Option<String>, &str, &str)> = vec![
        ("{not json".into(), None, "callback not JSON", "callback is not valid JSON"),
        ("[1,2]".into(), None, "callback not an object", "callback must be a JSON object"),
        ("{\"callbackBody\":\"a\"}".into(), None, "no callbackUrl", "callback has no callbackUrl"),
        (
            format!("{{\"callbackUrl\":\"{six}\",\"callbackBody\":\"a\"}}"),
            None,
            "more than 5 URLs",
            "callbackUrl lists 6 URLs; OSS accepts at most 5",
        ),
        (
            format!("{{\"callbackUrl\":\"{url};\",\"callbackBody\":\"a\"}}"),
            None,
            "empty URL entry",
            "callbackUrl has an empty entry",
        ),
        (format!("{{\"callbackUrl\":\"{url}\"}}"), None, "no callbackBody", "callback has no callbackBody"),
        (
            format!("{{\"callbackUrl\":\"{url}\",\"callbackBody\":\"a\",\"callbackBodyType\":\"text/plain\"}}"),
            None,
            "bad callbackBodyType",
            "callbackBodyType \"text/plain\" is not",
        ),
        (
            format!("{{\"callbackUrl\":\"{url}\",\"callbackBody\":\"{big_body}\"}}"),
            None,
            "callback over 5 KB",
            "bytes once encoded, over the 5 KB OSS limit",
        ),
        (good_cb.clone(), Some("{\"x:Var\":\"a\"}".into()), "x: key with capitals", "must be lower case"),
        (good_cb.clone(), Some("{\"var\":\"a\"}".into()), "key without x:", "must start with \"x:\""),
        (good_cb.clone(), Some("{\"x:v\":1}".into()), "non-string var value", "callback-var value of \"x:v\""),
        (good_cb.clone(), Some("{".into()), "callback-var not JSON", "callback-var is not valid JSON"),
        (
            good_cb.clone(),
            Some(format!("{{\"x:v\":\"{big_var}\"}}")),
            "callback-var over 5 KB",
            "bytes once encoded, over the 5 KB OSS limit",
        ),
    ];
    for (cb, var, reason, fragment) in &callback_cases {
        // The size messages give the encoded length of the text that is too long.
        let fragment = match (reason.ends_with("over 5 KB"), var) {
            (true, Some(v)) => format!("callback-var is {} {fragment}", v.len().div_ceil(3) * 4),
            (true, None) => format!("callback is {} {fragment}", cb.len().div_ceil(3) * 4),
            (false, _) => fragment.to_string(),
        };
        cases.push(op_case(
            env,
            *reason,
            *reason,
            oss_result::InvalidCallback,
            fragment,
            with(put.clone(), |c| {
                c.callback = t(cb);
                c.callback_var = var.as_deref().and_then(t);
            }),
        ));
    }
    for op in [Op::PutFile, Op::Complete, Op::UploadFile] {
        cases.push(op_case(
            env,
            "callback not JSON",
            "callback not JSON",
            oss_result::InvalidCallback,
            "callback is not valid JSON",
            with(env.call(op), |c| c.callback = t("{not json")),
        ));
        cases.push(op_case(
            env,
            "callback-var without a callback",
            "callback-var alone",
            oss_result::InvalidCallback,
            "callback-var was given without a callback",
            with(env.call(op), |c| c.callback_var = t("{\"x:a\":\"b\"}")),
        ));
    }

    // Query parameters are refused when set (see options_cases); the managed upload's settings when used.
    let upload = env.call(Op::UploadFile);
    for size in [0, 102_399, 5 * 1024 * 1024 * 1024 + 1] {
        cases.push(op_case(
            env,
            format!("part size {size}"),
            "part size out of range",
            oss_result::InvalidArgument,
            format!("part size {size} is outside"),
            with(upload.clone(), |c| c.part_size = Some(size)),
        ));
    }
    for n in [0, 65] {
        cases.push(op_case(
            env,
            format!("parallelism {n}"),
            "parallelism out of range",
            oss_result::InvalidArgument,
            format!("parallelism {n} is outside 1..=64"),
            with(upload.clone(), |c| c.parallelism = Some(n)),
        ));
    }
    let huge = env.path("huge");
    cases.push(op_case(
        env,
        "a file needing 10001 parts",
        "too many parts",
        oss_result::InvalidArgument,
        "would need 10001 parts; OSS allows 10000",
        with(upload, |c| {
            c.path = t(&huge);
            c.part_size = Some(102_400);
        }),
    ));
    cases
}

/// `oss_config_builder_*`: NULLs, non-UTF-8, unknown keys, bad values, used twice.
fn config_cases(env: &Env) -> Vec<Case<'_>> {
    let endpoint = env.emulator.endpoint();
    let ok_pairs = move || vec![("endpoint", endpoint.clone()), ("access_key_id", KEY_ID.into())];
    let mut cases = Vec::new();
    let set = |builder_null: bool, key: Text, value: Text| -> Outcome {
        unsafe {
            let b = if builder_null { ptr::null_mut() } else { oss_config_builder_new() };
            let (k, v) = (cstr(&key), cstr(&value));
            let mut err = ptr::null_mut();
            let rc = oss_config_builder_set(b, ptr_of(&k), ptr_of(&v), &mut err);
            oss_config_builder_free(b);
            finish(rc, ptr::null_mut(), err)
        }
    };
    cases.push(Case::new(
        "set: NULL builder",
        "NULL builder",
        oss_result::NullParameter,
        "builder is NULL",
        move || set(true, t("endpoint"), t("h")),
    ));
    cases.push(Case::new("set: NULL key", "NULL key", oss_result::NullParameter, "key is NULL", move || {
        set(false, None, t("h"))
    }));
    cases.push(Case::new("set: NULL value", "NULL value", oss_result::NullParameter, "value is NULL", move || {
        set(false, t("endpoint"), None)
    }));
    cases.push(Case::new(
        "set: key not UTF-8",
        "key not UTF-8",
        oss_result::InvalidUtf8,
        "key is not valid UTF-8",
        move || set(false, bad_utf8(), t("h")),
    ));
    cases.push(Case::new(
        "set: value not UTF-8",
        "value not UTF-8",
        oss_result::InvalidUtf8,
        "value is not valid UTF-8",
        move || set(false, t("access_key_secret"), bad_utf8()),
    ));
    let build = |shared: bool, null_builder: bool, null_out: bool| -> Outcome {
        unsafe {
            let b = if null_builder { ptr::null_mut() } else { oss_config_builder_new() };
            let mut client: *const oss_client = ptr::null();
            let out: *mut *const oss_client = if null_out { ptr::null_mut() } else { &mut client };
            let mut err = ptr::null_mut();
            let rc = if shared {
                oss_config_builder_build_shared(b, out, &mut err)
            } else {
                oss_config_builder_build(b, out, &mut err)
            };
            assert!(client.is_null());
            oss_config_builder_free(b);
            finish(rc, ptr::null_mut(), err)
        }
    };
    for (shared, name) in [(false, "build"), (true, "build_shared")] {
        cases.push(Case::new(
            format!("{name}: NULL builder"),
            "NULL builder",
            oss_result::NullParameter,
            "builder is NULL",
            move || build(shared, true, false),
        ));
        cases.push(Case::new(
            format!("{name}: NULL client_out"),
            "NULL client_out",
            oss_result::NullParameter,
            "client_out is NULL",
            move || build(shared, false, true),
        ));
    }
    cases.push(Case::new(
        "build_shared: empty endpoint",
        "empty endpoint",
        oss_result::InvalidConfig,
        "endpoint is empty",
        move || build(true, false, false),
    ));
    let used_twice = |second_is_set: bool| -> Outcome {
        unsafe {
            let b = oss_config_builder_new();
            for (k, v) in
                [("endpoint", "http://127.0.0.1:9"), ("access_key_id", KEY_ID), ("access_key_secret", KEY_SECRET)]
            {
                assert_eq!(
                    oss_config_builder_set(b, common::c(k).as_ptr(), common::c(v).as_ptr(), ptr::null_mut()),
                    oss_result::Ok
                );
            }
            let mut client: *const oss_client = ptr::null();
            assert_eq!(oss_config_builder_build(b, &mut client, ptr::null_mut()), oss_result::Ok);
            oss_client_free(client);
            let mut err = ptr::null_mut();
            let rc = if second_is_set {
                oss_config_builder_set(b, common::c("region").as_ptr(), common::c("x").as_ptr(), &mut err)
            } else {
                let mut again: *const oss_client = ptr::null();
                let rc = oss_config_builder_build(b, &mut again, &mut err);
                assert!(again.is_null());
                rc
            };
            oss_config_builder_free(b);
            finish(rc, ptr::null_mut(), err)
        }
    };
    cases.push(Case::new("build twice", "builder used twice", oss_result::AlreadyUsed, "already built", move || {
        used_twice(false)
    }));
    cases.push(Case::new(
        "set after build",
        "builder used twice",
        oss_result::AlreadyUsed,
        "already built",
        move || used_twice(true),
    ));
    // oss_client_build_shared: the settings in one buffer of NUL-terminated fields.
    let packed = |settings: Option<&[u8]>, len: usize, null_out: bool| -> Outcome {
        unsafe {
            let mut client: *const oss_client = ptr::null();
            let out: *mut *const oss_client = if null_out { ptr::null_mut() } else { &mut client };
            let mut err = ptr::null_mut();
            let data = settings.map_or(ptr::null(), |s| s.as_ptr().cast::<c_char>());
            let rc = oss_client_build_shared(data, len, out, &mut err);
            assert!(client.is_null());
            finish(rc, ptr::null_mut(), err)
        }
    };
    let ok_settings =
        format!("endpoint\0{}\0access_key_id\0{KEY_ID}\0access_key_secret\0{KEY_SECRET}\0", env.emulator.endpoint());
    type PackedCase<'v> = (&'v str, &'v str, Vec<u8>, oss_result, &'v str);
    let packed_cases: Vec<PackedCase> = vec![
        (
            "no final NUL",
            "settings not NUL-terminated",
            b"endpoint\0http://127.0.0.1:9".to_vec(),
            oss_result::InvalidArgument,
            "must end with a NUL byte",
        ),
        (
            "a key without value",
            "setting without value",
            format!("access_key_id\0{KEY_ID}\0endpoint\0").into_bytes(),
            oss_result::InvalidArgument,
            "setting 2 (endpoint) has no value",
        ),
        (
            "an empty key",
            "setting key unknown",
            b"\0x\0".to_vec(),
            oss_result::InvalidArgument,
            "the key of setting 1 is not a configuration key",
        ),
        // One field too many shifts a secret into a key's place: the message must not show it.
        (
            "a secret where a key belongs",
            "setting key unknown",
            format!("endpoint\0h\0x\0{KEY_SECRET}\0access_key_id\0").into_bytes(),
            oss_result::InvalidArgument,
            "the key of setting 2 is not a configuration key",
        ),
        (
            "a key not UTF-8",
            "setting key unknown",
            b"\xff\xfe\0x\0".to_vec(),
            oss_result::InvalidArgument,
            "the key of setting 1 is not a configuration key",
        ),
        (
            "a value not UTF-8",
            "setting value not UTF-8",
            b"access_key_secret\0\xff\xfe\0".to_vec(),
            oss_result::InvalidUtf8,
            "the value of setting 1 (access_key_secret) is not valid UTF-8",
        ),
        (
            "no endpoint",
            "empty endpoint",
            format!("access_key_id\0{KEY_ID}\0").into_bytes(),
            oss_result::InvalidConfig,
            "endpoint is empty",
        ),
    ];
    for (name, reason, bytes, code, fragment) in packed_cases {
        cases.push(Case::new(format!("client_build_shared: {name}"), reason, code, fragment, move || {
            let outcome = packed(Some(&bytes), bytes.len(), false);
            let message = outcome.1.as_ref().map(|e| e.message.clone()).unwrap_or_default();
            assert!(!message.contains(KEY_SECRET), "the secret shows in {message:?}");
            outcome
        }));
    }
    cases.push(Case::new(
        "client_build_shared: NULL settings with a length",
        "NULL settings",
        oss_result::NullParameter,
        "settings is NULL but its length is 5",
        move || packed(None, 5, false),
    ));
    cases.push(Case::new(
        "client_build_shared: NULL client_out",
        "NULL client_out",
        oss_result::NullParameter,
        "client_out is NULL",
        move || packed(Some(ok_settings.as_bytes()), ok_settings.len(), true),
    ));
    let secret = ("access_key_secret", KEY_SECRET.to_string());
    type BadValue<'v> = (&'v str, Vec<(&'v str, String)>, oss_result, &'v str);
    let bad_values: Vec<BadValue> = vec![
        (
            "unknown key",
            vec![("bogus_key", "1".into())],
            oss_result::InvalidConfig,
            "unknown configuration key \"bogus_key\"",
        ),
        (
            "timeout not a number",
            vec![("timeout_ms", "soon".into())],
            oss_result::InvalidConfig,
            "TimeoutMs expects milliseconds",
        ),
        (
            "negative connect timeout",
            vec![("connect_timeout_ms", "-1".into())],
            oss_result::InvalidConfig,
            "ConnectTimeoutMs expects milliseconds, got \"-1\"",
        ),
        ("cname not a bool", vec![("cname", "maybe".into())], oss_result::InvalidConfig, "Cname expects true or false"),
        (
            "signature version v9",
            vec![("signature_version", "v9".into())],
            oss_result::InvalidConfig,
            "signature_version \"v9\" is not v1 or v4",
        ),
        (
            "max_retries 1000",
            vec![("max_retries", "1000".into())],
            oss_result::InvalidConfig,
            "max_retries expects 0..=100",
        ),
        (
            "resolve without =",
            vec![("resolve", "nope".into())],
            oss_result::InvalidConfig,
            "resolve entry \"nope\" is not host=ip",
        ),
        (
            "user_agent with CR/LF",
            vec![("user_agent", "ua\r\nX-Evil: 1".into())],
            oss_result::InvalidConfig,
            "user_agent contains CR or LF",
        ),
        (
            "control character in the security token",
            vec![("security_token", "tok\r\nX-Evil: 1".into())],
            oss_result::InvalidConfig,
            "security token contains CR, LF, NUL or another control character",
        ),
        (
            "control character in the security token",
            vec![("security_token", "tok\u{1}".into())],
            oss_result::InvalidConfig,
            "security token contains CR, LF, NUL or another control character",
        ),
        (
            "key id with a control character",
            vec![("access_key_id", "AK\u{7f}".into())],
            oss_result::InvalidConfig,
            "access key id contains CR, LF or another control character",
        ),
        (
            "v4 without region",
            vec![("signature_version", "v4".into())],
            oss_result::InvalidConfig,
            "region is required",
        ),
        (
            "v4 region with a slash",
            vec![("signature_version", "v4".into()), ("region", "cn/x".into())],
            oss_result::InvalidConfig,
            "region is invalid",
        ),
        (
            "missing CA file",
            vec![("ca_cert_file", "/nonexistent/ca.pem".into())],
            oss_result::FileNotFound,
            "/nonexistent/ca.pem",
        ),
        (
            "endpoint [::1]:80",
            vec![("endpoint", "[::1]:80".into())],
            oss_result::InvalidEndpoint,
            "endpoint is invalid",
        ),
        ("empty endpoint", vec![("endpoint", " ".into())], oss_result::InvalidConfig, "endpoint is empty"),
        (
            "empty secret",
            vec![("access_key_secret", "".into())],
            oss_result::InvalidConfig,
            "access key secret is empty",
        ),
        ("empty key id", vec![("access_key_id", " ".into())], oss_result::InvalidConfig, "access key id is empty"),
        (
            "key id with a colon",
            vec![("access_key_id", "AK:X".into())],
            oss_result::InvalidConfig,
            "access key id contains ':'",
        ),
    ];
    for (name, extra, code, fragment) in bad_values {
        let mut pairs = ok_pairs();
        pairs.push(secret.clone());
        pairs.extend(extra);
        cases.push(Case::new(format!("build: {name}"), name, code, fragment, move || {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            match Client::build(&refs) {
                Ok(_) => (oss_result::Ok, None),
                Err(e) => (e.result, Some(e)),
            }
        }));
    }
    cases
}

/// `oss_options_*`: NULLs, non-UTF-8, header injection, reserved headers, bad query parameters.
fn options_cases<'a>() -> Vec<Case<'a>> {
    type Setter =
        unsafe extern "C" fn(*mut oss_options, *const c_char, *const c_char, *mut *mut oss_error) -> oss_result;
    let pair = |setter: Setter, null_options: bool, name: Text, value: Text| -> Outcome {
        unsafe {
            let o = if null_options { ptr::null_mut() } else { oss_options_new() };
            let (n, v) = (cstr(&name), cstr(&value));
            let mut err = ptr::null_mut();
            let rc = setter(o, ptr_of(&n), ptr_of(&v), &mut err);
            oss_options_free(o);
            finish(rc, ptr::null_mut(), err)
        }
    };
    let mut cases = Vec::new();
    for (label, setter) in [("set_header", oss_options_set_header as Setter), ("set_query", oss_options_set_query)] {
        cases.push(Case::new(
            format!("{label}: NULL options"),
            "NULL options",
            oss_result::NullParameter,
            "options is NULL",
            move || pair(setter, true, t("a"), t("b")),
        ));
        cases.push(Case::new(
            format!("{label}: NULL name"),
            "NULL name",
            oss_result::NullParameter,
            "name is NULL",
            move || pair(setter, false, None, t("b")),
        ));
        cases.push(Case::new(
            format!("{label}: NULL value"),
            "NULL value",
            oss_result::NullParameter,
            "value is NULL",
            move || pair(setter, false, t("x-oss-meta-a"), None),
        ));
        cases.push(Case::new(
            format!("{label}: name not UTF-8"),
            "name not UTF-8",
            oss_result::InvalidUtf8,
            "name is not valid UTF-8",
            move || pair(setter, false, bad_utf8(), t("b")),
        ));
        cases.push(Case::new(
            format!("{label}: value not UTF-8"),
            "value not UTF-8",
            oss_result::InvalidUtf8,
            "value is not valid UTF-8",
            move || pair(setter, false, t("x-oss-meta-a"), bad_utf8()),
        ));
    }
    for (name, value) in [
        ("Content-Type", "text/plain\r\nX-Evil: 1"),
        ("x-oss-meta-author", "me\r\nX-Evil: 1"),
        ("x-oss-meta-author", "me\nX-Evil: 1"),
        ("Cache-Control", "no-cache\rX-Evil: 1"),
        ("x-oss-callback", "e30=\r\n\r\nGET / HTTP/1.1"),
    ] {
        cases.push(Case::new(
            format!("set_header {name}: CR/LF in the value"),
            "header injection",
            oss_result::InvalidHeader,
            format!("header {name} has a CR, LF or NUL in its value (header injection refused)"),
            move || pair(oss_options_set_header, false, t(name), t(value)),
        ));
    }
    for (name, value) in [("x-oss-meta-a", "a\u{1}b"), ("x-oss-meta-a", "a\u{7f}"), ("Content-Type", "\u{1b}[31m")] {
        cases.push(Case::new(
            format!("set_header {name}: control character {value:?}"),
            "control character in a header",
            oss_result::InvalidHeader,
            format!("header {name} has a control character in its value"),
            move || pair(oss_options_set_header, false, t(name), t(value)),
        ));
    }
    for name in ["X-A\r\nX-Evil", "bad name", "", "x-oss-meta-ä"] {
        cases.push(Case::new(
            format!("set_header name {name:?}"),
            "header name not a token",
            oss_result::InvalidHeader,
            format!("header name {name:?} is not a valid HTTP token"),
            move || pair(oss_options_set_header, false, t(name), t("v")),
        ));
    }
    for name in ["Host", "content-length", "Authorization", "Transfer-Encoding", "Connection"] {
        cases.push(Case::new(
            format!("set_header reserved {name}"),
            "reserved header",
            oss_result::InvalidHeader,
            format!("header {name} is set by the library and cannot be overridden"),
            move || pair(oss_options_set_header, false, t(name), t("v")),
        ));
    }
    for (name, value) in [("", "v"), ("max-parts", "1\r\nX: 1"), ("a\nb", "v")] {
        cases.push(Case::new(
            format!("set_query {name:?}={value:?}"),
            "bad query parameter",
            oss_result::InvalidArgument,
            format!("query parameter {name:?} is invalid"),
            move || pair(oss_options_set_query, false, t(name), t(value)),
        ));
    }
    unsafe fn flag(f: impl FnOnce(*mut *mut oss_error) -> oss_result) -> Outcome {
        let mut err = ptr::null_mut();
        let rc = f(&mut err);
        finish(rc, ptr::null_mut(), err)
    }
    cases.push(Case::new(
        "set_check_md5: NULL options",
        "NULL options",
        oss_result::NullParameter,
        "options is NULL",
        || unsafe { flag(|e| oss_options_set_check_md5(ptr::null_mut(), true, e)) },
    ));
    cases.push(Case::new(
        "set_part_size: NULL options",
        "NULL options",
        oss_result::NullParameter,
        "options is NULL",
        || unsafe { flag(|e| oss_options_set_part_size(ptr::null_mut(), 1 << 20, e)) },
    ));
    cases.push(Case::new(
        "set_parallelism: NULL options",
        "NULL options",
        oss_result::NullParameter,
        "options is NULL",
        || unsafe { flag(|e| oss_options_set_parallelism(ptr::null_mut(), 4, e)) },
    ));
    cases.push(Case::new(
        "set_keep_on_failure: NULL options",
        "NULL options",
        oss_result::NullParameter,
        "options is NULL",
        || unsafe { flag(|e| oss_options_set_keep_on_failure(ptr::null_mut(), true, e)) },
    ));
    cases
}

/// `oss_content_md5` / `oss_file_content_md5`: lengths that lie, NULL outputs, bad files and ranges.
fn digest_cases(env: &Env) -> Vec<Case<'_>> {
    let md5 = |data: Option<&'static [u8]>, len: usize, out_null: bool, out_len: usize| -> Outcome {
        unsafe {
            let mut buf = [0 as c_char; 25];
            let out = if out_null { ptr::null_mut() } else { buf.as_mut_ptr() };
            let mut err = ptr::null_mut();
            let rc = oss_content_md5(data.map_or(ptr::null(), |d| d.as_ptr()).cast(), len, out, out_len, &mut err);
            finish(rc, ptr::null_mut(), err)
        }
    };
    let file_md5 = |path: Text, offset: u64, length: u64, out_null: bool| -> Outcome {
        unsafe {
            let mut buf = [0 as c_char; 25];
            let out = if out_null { ptr::null_mut() } else { buf.as_mut_ptr() };
            let p = cstr(&path);
            let mut err = ptr::null_mut();
            let rc = oss_file_content_md5(ptr_of(&p), offset, length, out, 25, &mut err);
            finish(rc, ptr::null_mut(), err)
        }
    };
    let (ten, sub, missing) = (env.path("ten"), env.path("sub"), env.path("missing"));
    let mut cases = vec![
        Case::new(
            "content_md5: NULL data with length 5",
            "NULL data with a length",
            oss_result::NullParameter,
            "data is NULL but its length is 5",
            move || md5(None, 5, false, 25),
        ),
        Case::new(
            "content_md5: NULL md5_out",
            "NULL md5_out",
            oss_result::NullParameter,
            "md5_out is NULL",
            move || md5(Some(b"abc"), 3, true, 25),
        ),
        Case::new(
            "content_md5: md5_out of 24 bytes",
            "md5_out too small",
            oss_result::InsufficientSize,
            "md5_out holds 24 bytes; 25 are needed",
            move || md5(Some(b"abc"), 3, false, 24),
        ),
        Case::new("file_content_md5: NULL path", "NULL path", oss_result::NullParameter, "path is NULL", move || {
            file_md5(None, 0, 1, false)
        }),
        Case::new(
            "file_content_md5: path not UTF-8",
            "path not UTF-8",
            oss_result::InvalidUtf8,
            "path is not valid UTF-8",
            move || file_md5(bad_utf8(), 0, 1, false),
        ),
        Case::new(
            "file_content_md5: NULL md5_out",
            "NULL md5_out",
            oss_result::NullParameter,
            "md5_out is NULL",
            move || file_md5(t(&env.path("ten")), 0, 1, true),
        ),
    ];
    let ten2 = ten.clone();
    cases.push(Case::new(
        "file_content_md5: range past the end",
        "range outside the file",
        oss_result::RangeOutOfFile,
        format!("range 9+2 lies outside {ten} (10 bytes)"),
        move || file_md5(t(&ten2), 9, 2, false),
    ));
    let sub2 = sub.clone();
    cases.push(Case::new(
        "file_content_md5: a directory",
        "directory",
        oss_result::FileUnreadable,
        format!("{sub} is not a regular file"),
        move || file_md5(t(&sub2), 0, 0, false),
    ));
    let missing2 = missing.clone();
    cases.push(Case::new(
        "file_content_md5: a missing file",
        "missing file",
        oss_result::FileNotFound,
        format!("{missing}: No such file or directory"),
        move || file_md5(t(&missing2), 0, 1, false),
    ));
    cases
}

/// What the library does NOT refuse, pinned down: these reach OSS (here the emulator), which answers with an
/// error, as for the official SDK. Complete with no parts, or with unsorted or repeated part numbers, is sent as
/// given (the body is byte-exact with the SDK's); OSS answers MalformedXML / InvalidPartOrder.
fn forwarded_cases(env: &Env) -> Vec<Case<'_>> {
    let upload_id = env.client.initiate("bkt", "hostile/forwarded", None).unwrap().upload_id.unwrap();
    let part = vec![7u8; 102_400];
    let e1 = env.client.upload_part("bkt", "hostile/forwarded", &upload_id, 1, &part, None).unwrap().etag().to_string();
    let e2 = env.client.upload_part("bkt", "hostile/forwarded", &upload_id, 2, &part, None).unwrap().etag().to_string();
    let complete = with(env.call(Op::Complete), |c| {
        c.object = t("hostile/forwarded");
        c.upload_id = t(&upload_id);
    });
    let mut cases = vec![
        op_case(
            env,
            "no parts (sent; OSS answers MalformedXML)",
            "complete without parts",
            oss_result::ServiceError,
            "MalformedXML",
            with(complete.clone(), |c| c.parts = Some(vec![])),
        )
        .reaching_server(1),
        op_case(
            env,
            "parts 2, 1 (sent; OSS answers InvalidPartOrder)",
            "complete with unsorted parts",
            oss_result::ServiceError,
            "InvalidPartOrder",
            with(complete.clone(), |c| c.parts = Some(vec![(2, t(&e2)), (1, t(&e1))])),
        )
        .reaching_server(1),
        op_case(
            env,
            "parts 1, 1 (sent; OSS answers InvalidPartOrder)",
            "complete with unsorted parts",
            oss_result::ServiceError,
            "InvalidPartOrder",
            with(complete, |c| c.parts = Some(vec![(1, t(&e1)), (1, t(&e1))])),
        )
        .reaching_server(1),
    ];
    // Optional outputs: a valid call with neither response_out nor error_out succeeds (and is sent).
    cases.push(
        op_case(
            env,
            "valid call, NULL response_out and NULL error_out",
            "valid call",
            oss_result::Ok,
            "",
            with(env.call(Op::Put), |c| {
                c.no_response_out = true;
                c.no_error_out = true;
            }),
        )
        .reaching_server(1),
    );
    cases
}

/// Runs every case; returns the failures (all of them, not just the first).
fn run_cases(env: &Env, cases: &[Case<'_>]) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut panics = 0;
    let mut seen: BTreeMap<(i32, String), String> = BTreeMap::new();
    let mut reasons: BTreeSet<&str> = BTreeSet::new();
    for case in cases {
        let before = env.requests();
        let outcome = catch_unwind(AssertUnwindSafe(|| (case.run)()));
        let after = env.requests();
        let (rc, err) = match outcome {
            Ok(o) => o,
            Err(_) => {
                panics += 1;
                failures.push(format!("{}: panicked", case.name));
                continue;
            }
        };
        if rc != case.code {
            failures.push(format!(
                "{}: got {rc:?}, expected {:?} ({:?})",
                case.name,
                case.code,
                err.map(|e| e.message)
            ));
            continue;
        }
        if after - before != case.requests {
            failures.push(format!(
                "{}: {} request(s) reached the emulator, expected {}",
                case.name,
                after - before,
                case.requests
            ));
        }
        if rc == oss_result::Ok {
            continue;
        }
        reasons.insert(&case.reason);
        let Some(e) = err else { continue };
        if !e.message.contains(&case.fragment) {
            failures.push(format!("{}: message {:?} lacks {:?}", case.name, e.message, case.fragment));
        }
        if e.message.contains(KEY_SECRET) {
            failures.push(format!("{}: the message shows the secret", case.name));
        }
        if let Some(other) = seen.insert((rc as i32, e.message.clone()), case.reason.clone()) {
            if other != case.reason {
                failures.push(format!(
                    "{}: reasons {other:?} and {:?} share the message {:?}",
                    case.name, case.reason, e.message
                ));
            }
        }
    }
    if seen.len() < reasons.len() {
        failures.push(format!("{} distinct (code, message) pairs for {} failure reasons", seen.len(), reasons.len()));
    }
    println!(
        "hostile: {} cases tried, {} failure reasons, {} distinct (code, message) pairs, {} failed, crashes 0, panics {panics}",
        cases.len(),
        reasons.len(),
        seen.len(),
        failures.len()
    );
    (failures, cases.len())
}

#[test]
fn hostile_input_is_refused_before_any_request_with_a_specific_message() {
    let env = Env::start();
    let mut cases = argument_cases(&env);
    cases.extend(value_cases(&env));
    cases.extend(options_cases());
    cases.extend(digest_cases(&env));
    cases.extend(config_cases(&env));
    cases.extend(forwarded_cases(&env));
    let (failures, tried) = run_cases(&env, &cases);
    assert!(tried >= 60, "{tried} cases");
    assert!(failures.is_empty(), "{} of {tried} cases failed:\n{}", failures.len(), failures.join("\n"));

    // Accessors and free functions take NULL and out-of-range indexes without crashing.
    unsafe {
        assert!(ossrs::ffi::error::oss_error_message(ptr::null()).is_null());
        assert_eq!(ossrs::ffi::error::oss_error_result(ptr::null()), oss_result::NullParameter);
        assert!(oss_response_header_name(ptr::null(), 0).is_null());
        assert!(oss_response_header(ptr::null(), ptr::null()).is_null());
        assert!(oss_content_type_for_name(ptr::null()).is_null());
        let bad = CString::new(b"a.\xff".to_vec()).unwrap();
        assert!(oss_content_type_for_name(bad.as_ptr()).is_null());
        oss_client_free(FOREIGN.as_ptr().cast());
        oss_client_free(env.dead);
        assert_eq!(CStr::from_ptr(oss_content_type_for_name(common::c("a.txt").as_ptr())).to_str(), Ok("text/plain"));
    }

    // One client, 8 threads, many PutObjects: every object stored byte-exact.
    let before = env.requests();
    let client = Arc::new(Client::for_endpoint(&env.emulator.endpoint()));
    let threads: Vec<_> = (0..8usize)
        .map(|thread| {
            let client = client.clone();
            std::thread::spawn(move || {
                for i in 0..25usize {
                    let body: Vec<u8> =
                        (0..(thread * 997 + i * 131) % 4096).map(|j| (j * 31 + thread * 7 + i) as u8).collect();
                    let key = format!("threads/{thread}/{i}");
                    client.put("bkt", &key, &body, None, None, None).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    for thread in 0..8usize {
        for i in 0..25usize {
            let body: Vec<u8> = (0..(thread * 997 + i * 131) % 4096).map(|j| (j * 31 + thread * 7 + i) as u8).collect();
            assert_eq!(env.emulator.object("bkt", &format!("threads/{thread}/{i}")).unwrap(), body, "{thread}/{i}");
        }
    }
    assert_eq!(env.requests() - before, 200);
}

#[test]
fn debug_and_display_never_show_the_secret_or_the_token() {
    use ossrs::core::credentials::Credentials;
    use ossrs::core::{Client as CoreClient, ConfigBuilder};
    let mut b = ConfigBuilder::new();
    for (k, v) in [
        ("endpoint", "https://oss-cn-hangzhou.aliyuncs.com"),
        ("access_key_id", KEY_ID),
        ("access_key_secret", KEY_SECRET),
        ("security_token", "STSTOKENEXAMPLE"),
        ("signature_version", "v4"),
        ("region", "cn-hangzhou"),
        ("proxy", "http://proxyuser:PROXYPASSWORD@127.0.0.1:3128"),
    ] {
        b.set(k, v);
    }
    let mut texts = vec![format!("{b:?}")];
    let config = b.build().unwrap();
    texts.push(format!("{config:?}"));
    texts.push(format!("{:?}", config.credentials));
    texts.push(format!("{:#?}", Credentials::new(KEY_ID, KEY_SECRET, Some("STSTOKENEXAMPLE")).unwrap()));
    let client = CoreClient::new(config).unwrap();
    texts.push(format!("{client:?}"));
    texts.push(format!("{:#?}", client.config()));
    // Errors from a builder holding the secret.
    let mut bad = ConfigBuilder::new();
    bad.set("access_key_secret", KEY_SECRET).set("security_token", "STSTOKENEXAMPLE").set("bogus", "1");
    let e = bad.build().unwrap_err();
    texts.push(format!("{e} {e:?}"));
    for text in &texts {
        for secret in [KEY_SECRET, "STSTOKENEXAMPLE", "PROXYPASSWORD"] {
            assert!(!text.contains(secret), "{secret} shown in {text}");
        }
    }
    assert!(texts.iter().any(|t| t.contains(KEY_ID)), "the key id is not secret and stays visible");
}
