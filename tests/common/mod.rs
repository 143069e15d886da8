//! Shared test support: a small safe wrapper over the C ABI (so tests read like a C program's intent while
//! still calling the `extern "C"` functions), and a raw recording server for wire-byte assertions.
#![allow(dead_code, clippy::result_large_err, clippy::too_many_arguments, clippy::missing_safety_doc)]

pub mod recorder;

use std::ffi::{c_char, CStr, CString};
use std::io::Write;
use std::path::PathBuf;
use std::ptr;
use std::sync::Mutex;

use ossrs::ffi::*;
use ossrs::ffi::{client::*, config::*, error::*, multipart::*, object::*, options::*, put::*, response::*};

/// The credentials of the usual test client (the emulator's default key). Every secret and token the suite
/// uses is a known constant, so that `scripts/secret-scan.sh` can search every error text the tests produced
/// for it (and for its base64 and URL-encoded forms).
pub const KEY_ID: &str = "AKIDEXAMPLE";
/// See [`KEY_ID`].
pub const KEY_SECRET: &str = "SECRETEXAMPLE";
/// The other secrets and tokens the test files use (`scripts/secret-scan.sh` lists the same).
pub const OTHER_SECRETS: &[&str] =
    &["STSSECRET", "STSTOKEN", "STSTOKENEXAMPLE", "TOPSECRET", "NOT-THE-SECRET", "WRONG-SECRET", "WRONG-TOKEN"];

/// Where every error text this test process sees is appended (one JSON line per error): `ossrs-error-texts/`
/// in the Cargo target directory (`CARGO_TARGET_DIR` or `target/`), or `OSSRS_ERROR_TEXTS_DIR`.
pub fn error_texts_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("OSSRS_ERROR_TEXTS_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("ossrs-error-texts")
}

static ERROR_TEXTS: Mutex<Option<std::fs::File>> = Mutex::new(None);

/// Appends one error's texts (message, OSS code and message, ids, body) to this process's file in
/// [`error_texts_dir`], for the secret scan. Never fails a test: the scan itself checks that texts were collected.
pub fn record_error_text(e: &Err) {
    let line = serde_json::json!({
        "source": "rust",
        "result": e.result as i32,
        "message": e.message,
        "code": e.code,
        "oss_message": e.oss_message,
        "request_id": e.request_id,
        "host_id": e.host_id,
        "body": String::from_utf8_lossy(&e.body),
    });
    let mut file = ERROR_TEXTS.lock().unwrap_or_else(|p| p.into_inner());
    if file.is_none() {
        let dir = error_texts_dir();
        let _ = std::fs::create_dir_all(&dir);
        let name = format!("rust-{}-{}.jsonl", std::process::id(), test_binary_name());
        *file = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(name)).ok();
    }
    if let Some(f) = file.as_mut() {
        let _ = writeln!(f, "{line}");
    }
}

fn test_binary_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// What a successful call returned, copied out of the `oss_response`.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub upload_id: Option<String>,
    pub parts: Vec<(u32, String, u64)>,
    pub parts_last_modified: Vec<String>,
    pub max_parts: u32,
    pub recovered: bool,
    /// `oss_response_json`, parsed.
    pub json: serde_json::Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn etag(&self) -> &str {
        self.header("etag").expect("ETag header")
    }
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What a failed call returned, copied out of the `oss_error`.
#[derive(Debug, Clone)]
pub struct Err {
    pub result: oss_result,
    pub message: String,
    pub http_status: u16,
    pub code: String,
    pub oss_message: String,
    pub request_id: String,
    pub host_id: String,
    pub body: Vec<u8>,
    pub attempts: u32,
    pub response: Option<Resp>,
}

pub type Outcome = Result<Resp, Err>;

unsafe fn text(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

unsafe fn bytes(p: *const u8, len: usize) -> Vec<u8> {
    if len == 0 {
        Vec::new()
    } else {
        std::slice::from_raw_parts(p, len).to_vec()
    }
}

/// Copies a response (does not free it).
pub unsafe fn copy_response(r: *const oss_response) -> Resp {
    let n = oss_response_header_count(r);
    let headers: Vec<(String, String)> =
        (0..n).map(|i| (text(oss_response_header_name(r, i)), text(oss_response_header_value(r, i)))).collect();
    let uid = oss_response_upload_id(r);
    let parts = (0..oss_response_part_count(r))
        .map(|i| (oss_response_part_number(r, i), text(oss_response_part_etag(r, i)), oss_response_part_size(r, i)))
        .collect();
    let json = serde_json::from_str(&text(oss_response_json(r))).expect("oss_response_json is JSON");
    check_head(r, &headers, &json);
    Resp {
        status: oss_response_status(r),
        headers,
        body: bytes(oss_response_body(r), oss_response_body_len(r)),
        upload_id: if uid.is_null() { None } else { Some(text(uid)) },
        parts_last_modified: (0..oss_response_part_count(r))
            .map(|i| text(oss_response_part_last_modified(r, i)))
            .collect(),
        max_parts: oss_response_max_parts(r),
        recovered: oss_response_recovered(r),
        json,
        parts,
    }
}

/// `oss_response_head` says what the single accessors and the JSON document say: 8 fields, then each header's name and value.
unsafe fn check_head(r: *const oss_response, headers: &[(String, String)], json: &serde_json::Value) {
    let head = text(oss_response_head(r));
    let lines: Vec<&str> = head.strip_suffix('\n').expect("the head ends with a line feed").split('\n').collect();
    let fields = [
        oss_response_status(r).to_string(),
        text(oss_response_url(r)),
        text(oss_response_method(r)),
        oss_response_total_time_us(r).to_string(),
        oss_response_bytes_sent(r).to_string(),
        oss_response_body_len(r).to_string(),
        u8::from(oss_response_recovered(r)).to_string(),
        json["attempts"].to_string(),
    ];
    assert_eq!(lines[..8], fields.iter().map(String::as_str).collect::<Vec<_>>()[..], "{head}");
    let pairs: Vec<(String, String)> = lines[8..].chunks(2).map(|p| (p[0].to_string(), p[1].to_string())).collect();
    assert_eq!(pairs, headers, "{head}");
}

/// Copies and frees an error.
pub unsafe fn take_error(e: *mut oss_error) -> Err {
    assert!(!e.is_null(), "a failed call must produce an error object");
    let resp = oss_error_response(e);
    let out = Err {
        result: oss_error_result(e),
        message: text(oss_error_message(e)),
        http_status: oss_error_http_status(e),
        code: text(oss_error_code(e)),
        oss_message: text(oss_error_oss_message(e)),
        request_id: text(oss_error_request_id(e)),
        host_id: text(oss_error_host_id(e)),
        body: bytes(oss_error_body(e), oss_error_body_len(e)),
        attempts: oss_error_attempts(e),
        response: if resp.is_null() { None } else { Some(copy_response(resp)) },
    };
    oss_error_free(e);
    record_error_text(&out);
    out
}

/// Turns (result, response, error) into an Outcome, freeing what the call returned.
pub unsafe fn outcome(rc: oss_result, resp: *mut oss_response, err: *mut oss_error) -> Outcome {
    if rc == oss_result::Ok {
        assert!(err.is_null(), "error_out must be NULL on success");
        assert!(!resp.is_null(), "response_out must be set on success");
        let r = copy_response(resp);
        oss_response_free(resp);
        Ok(r)
    } else {
        assert!(resp.is_null(), "response_out must stay NULL on failure");
        let e = take_error(err);
        assert_eq!(e.result, rc, "error object and return code must agree");
        Err(e)
    }
}

pub fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn opt_c(s: Option<&str>) -> Option<CString> {
    s.map(c)
}

fn ptr_of(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

/// Options built through `oss_options_*`.
pub struct Options(pub *mut oss_options);

impl Options {
    pub fn new() -> Self {
        Options(oss_options_new())
    }
    pub fn header(self, name: &str, value: &str) -> Self {
        let rc = unsafe { oss_options_set_header(self.0, c(name).as_ptr(), c(value).as_ptr(), ptr::null_mut()) };
        assert_eq!(rc, oss_result::Ok, "set_header {name}");
        self
    }
    pub fn query(self, name: &str, value: &str) -> Self {
        let rc = unsafe { oss_options_set_query(self.0, c(name).as_ptr(), c(value).as_ptr(), ptr::null_mut()) };
        assert_eq!(rc, oss_result::Ok);
        self
    }
    pub fn body_file(self, path: &std::path::Path) -> Self {
        let rc = unsafe { oss_options_set_body_file(self.0, c(path.to_str().unwrap()).as_ptr(), ptr::null_mut()) };
        assert_eq!(rc, oss_result::Ok);
        self
    }
    /// `oss_options_set_body_reader` (`length` < 0: unknown).
    pub fn body_reader(self, read: oss_read_fn, userdata: *mut std::ffi::c_void, length: i64) -> Self {
        let rc = unsafe { oss_options_set_body_reader(self.0, read, userdata, length, ptr::null_mut()) };
        assert_eq!(rc, oss_result::Ok);
        self
    }
    /// `oss_options_set_callback`.
    pub fn callback(self, callback: &str, var: Option<&str>) -> Self {
        let var = var.map(c);
        let rc = unsafe { oss_options_set_callback(self.0, c(callback).as_ptr(), ptr_of(&var), ptr::null_mut()) };
        assert_eq!(rc, oss_result::Ok);
        self
    }
    pub fn check_md5(self) -> Self {
        assert_eq!(unsafe { oss_options_set_check_md5(self.0, true, ptr::null_mut()) }, oss_result::Ok);
        self
    }
}

impl Drop for Options {
    fn drop(&mut self) {
        unsafe { oss_options_free(self.0) }
    }
}

fn data_ptr(body: &[u8]) -> *const std::ffi::c_void {
    if body.is_empty() {
        ptr::null()
    } else {
        body.as_ptr().cast()
    }
}

fn opts_ptr(o: Option<&Options>) -> *const oss_options {
    o.map_or(ptr::null(), |o| o.0)
}

/// A client built through `oss_config_builder_*`.
pub struct Client(pub *const oss_client);

unsafe impl Send for Client {}
unsafe impl Sync for Client {}

impl Client {
    pub fn build(pairs: &[(&str, &str)]) -> Result<Client, Err> {
        Client::build_with(pairs, oss_config_builder_build)
    }

    /// A handle on the process's shared client for these settings (`oss_config_builder_build_shared`).
    pub fn shared(pairs: &[(&str, &str)]) -> Result<Client, Err> {
        Client::build_with(pairs, oss_config_builder_build_shared)
    }

    /// The same shared client in one call (`oss_client_build_shared`, the pairs as `key\0value\0` fields).
    pub fn shared_packed(pairs: &[(&str, &str)]) -> Result<Client, Err> {
        let packed: String = pairs.iter().map(|(k, v)| format!("{k}\0{v}\0")).collect();
        unsafe {
            let mut client: *const oss_client = ptr::null();
            let mut err = ptr::null_mut();
            match oss_client_build_shared(packed.as_ptr().cast(), packed.len(), &mut client, &mut err) {
                oss_result::Ok => Ok(Client(client)),
                _ => {
                    assert!(client.is_null());
                    Err(take_error(err))
                }
            }
        }
    }

    fn build_with(
        pairs: &[(&str, &str)],
        build: unsafe extern "C" fn(*mut oss_config_builder, *mut *const oss_client, *mut *mut oss_error) -> oss_result,
    ) -> Result<Client, Err> {
        unsafe {
            let b = oss_config_builder_new();
            for (k, v) in pairs {
                assert_eq!(oss_config_builder_set(b, c(k).as_ptr(), c(v).as_ptr(), ptr::null_mut()), oss_result::Ok);
            }
            let mut client: *const oss_client = ptr::null();
            let mut err = ptr::null_mut();
            let rc = build(b, &mut client, &mut err);
            oss_config_builder_free(b);
            if rc == oss_result::Ok {
                Ok(Client(client))
            } else {
                assert!(client.is_null());
                Err(take_error(err))
            }
        }
    }

    /// `oss_client_id` of this handle.
    pub fn id(&self) -> u64 {
        unsafe { oss_client_id(self.0) }
    }

    /// The usual test client for an endpoint with the emulator's default key.
    pub fn for_endpoint(endpoint: &str) -> Client {
        Client::build(&[("endpoint", endpoint), ("access_key_id", KEY_ID), ("access_key_secret", KEY_SECRET)]).unwrap()
    }

    pub fn put(
        &self,
        bucket: &str,
        key: &str,
        data: &[u8],
        cb: Option<&str>,
        var: Option<&str>,
        o: Option<&Options>,
    ) -> Outcome {
        let (b, k, cb, var) = (c(bucket), c(key), opt_c(cb), opt_c(var));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = oss_put_object_with_callback(
                self.0,
                b.as_ptr(),
                k.as_ptr(),
                data.as_ptr().cast(),
                data.len(),
                ptr_of(&cb),
                ptr_of(&var),
                opts_ptr(o),
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }

    pub fn put_file(
        &self,
        bucket: &str,
        key: &str,
        path: &str,
        cb: Option<&str>,
        var: Option<&str>,
        o: Option<&Options>,
    ) -> Outcome {
        let (b, k, p, cb, var) = (c(bucket), c(key), c(path), opt_c(cb), opt_c(var));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = oss_put_object_from_file_with_callback(
                self.0,
                b.as_ptr(),
                k.as_ptr(),
                p.as_ptr(),
                ptr_of(&cb),
                ptr_of(&var),
                opts_ptr(o),
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }

    pub fn initiate(&self, bucket: &str, key: &str, o: Option<&Options>) -> Outcome {
        let (b, k) = (c(bucket), c(key));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            outcome(
                oss_initiate_multipart_upload(self.0, b.as_ptr(), k.as_ptr(), opts_ptr(o), &mut resp, &mut err),
                resp,
                err,
            )
        }
    }

    pub fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        n: u32,
        data: &[u8],
        md5: Option<&str>,
    ) -> Outcome {
        let (b, k, u, m) = (c(bucket), c(key), c(upload_id), opt_c(md5));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = oss_upload_part(
                self.0,
                b.as_ptr(),
                k.as_ptr(),
                u.as_ptr(),
                n,
                data.as_ptr().cast(),
                data.len(),
                ptr_of(&m),
                ptr::null(),
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn upload_part_file(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        n: u32,
        path: &str,
        offset: u64,
        len: u64,
        md5: Option<&str>,
    ) -> Outcome {
        let (b, k, u, p, m) = (c(bucket), c(key), c(upload_id), c(path), opt_c(md5));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = oss_upload_part_from_file(
                self.0,
                b.as_ptr(),
                k.as_ptr(),
                u.as_ptr(),
                n,
                p.as_ptr(),
                offset,
                len,
                ptr_of(&m),
                ptr::null(),
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }

    pub fn complete(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[(u32, &str)],
        cb: Option<&str>,
        var: Option<&str>,
    ) -> Outcome {
        let (b, k, u, cb, var) = (c(bucket), c(key), c(upload_id), opt_c(cb), opt_c(var));
        let etags: Vec<CString> = parts.iter().map(|(_, e)| c(e)).collect();
        let list: Vec<oss_part> =
            parts.iter().zip(&etags).map(|((n, _), e)| oss_part { part_number: *n, etag: e.as_ptr() }).collect();
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = oss_complete_multipart_upload(
                self.0,
                b.as_ptr(),
                k.as_ptr(),
                u.as_ptr(),
                list.as_ptr(),
                list.len(),
                ptr_of(&cb),
                ptr_of(&var),
                ptr::null(),
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }

    pub fn abort(&self, bucket: &str, key: &str, upload_id: &str) -> Outcome {
        let (b, k, u) = (c(bucket), c(key), c(upload_id));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            outcome(
                oss_abort_multipart_upload(
                    self.0,
                    b.as_ptr(),
                    k.as_ptr(),
                    u.as_ptr(),
                    ptr::null(),
                    &mut resp,
                    &mut err,
                ),
                resp,
                err,
            )
        }
    }

    pub fn list_parts(&self, bucket: &str, key: &str, upload_id: &str, o: Option<&Options>) -> Outcome {
        let (b, k, u) = (c(bucket), c(key), c(upload_id));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            outcome(
                oss_list_parts(self.0, b.as_ptr(), k.as_ptr(), u.as_ptr(), opts_ptr(o), &mut resp, &mut err),
                resp,
                err,
            )
        }
    }

    pub fn get(&self, bucket: &str, key: &str) -> Outcome {
        let (b, k) = (c(bucket), c(key));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe { outcome(oss_get_object(self.0, b.as_ptr(), k.as_ptr(), ptr::null(), &mut resp, &mut err), resp, err) }
    }

    /// `oss_client_call`: the generic call (the result is `json["result"]`).
    pub fn call(&self, op: &str, bucket: &str, key: &str, o: Option<&Options>, body: &[u8]) -> Outcome {
        let (name, b, k) = (c(op), c(bucket), c(key));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = ossrs::ffi::call::oss_client_call(
                self.0,
                name.as_ptr(),
                b.as_ptr(),
                k.as_ptr(),
                opts_ptr(o),
                data_ptr(body),
                body.len(),
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }

    /// `oss_get_object_to_file`.
    pub fn get_to_file(&self, bucket: &str, key: &str, path: &std::path::Path, o: Option<&Options>) -> Outcome {
        let (b, k, p) = (c(bucket), c(key), c(path.to_str().unwrap()));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc =
                oss_get_object_to_file(self.0, b.as_ptr(), k.as_ptr(), p.as_ptr(), opts_ptr(o), &mut resp, &mut err);
            outcome(rc, resp, err)
        }
    }

    /// `oss_get_object_to_sink` with `sink` called for every piece (its `false` stops the download).
    pub fn get_to_sink(
        &self,
        bucket: &str,
        key: &str,
        o: Option<&Options>,
        sink: &mut dyn FnMut(&[u8]) -> bool,
    ) -> Outcome {
        unsafe extern "C" fn trampoline(userdata: *mut std::ffi::c_void, data: *const u8, len: usize) -> i32 {
            let sink = &mut *(userdata as *mut &mut dyn FnMut(&[u8]) -> bool);
            if sink(std::slice::from_raw_parts(data, len)) {
                0
            } else {
                7
            }
        }
        let (b, k) = (c(bucket), c(key));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        let mut sink: &mut dyn FnMut(&[u8]) -> bool = sink;
        unsafe {
            let rc = oss_get_object_to_sink(
                self.0,
                b.as_ptr(),
                k.as_ptr(),
                opts_ptr(o),
                Some(trampoline),
                (&mut sink as *mut &mut dyn FnMut(&[u8]) -> bool).cast(),
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }

    /// `oss_presign_url`.
    #[allow(clippy::too_many_arguments)]
    pub fn presign(
        &self,
        method: &str,
        bucket: &str,
        key: &str,
        expires: u64,
        cb: Option<&str>,
        var: Option<&str>,
        o: Option<&Options>,
    ) -> Result<String, Err> {
        let (m, b, k, cb, var) = (c(method), c(bucket), c(key), opt_c(cb), opt_c(var));
        let (mut url, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = ossrs::ffi::presign::oss_presign_url(
                self.0,
                m.as_ptr(),
                b.as_ptr(),
                k.as_ptr(),
                expires,
                ptr_of(&cb),
                ptr_of(&var),
                opts_ptr(o),
                &mut url,
                &mut err,
            );
            if rc != oss_result::Ok {
                assert!(url.is_null());
                return Err(take_error(err));
            }
            let text = CStr::from_ptr(url).to_str().unwrap().to_string();
            ossrs::ffi::presign::oss_string_free(url);
            Ok(text)
        }
    }

    pub fn head(&self, bucket: &str, key: &str) -> Outcome {
        let (b, k) = (c(bucket), c(key));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe { outcome(oss_head_object(self.0, b.as_ptr(), k.as_ptr(), ptr::null(), &mut resp, &mut err), resp, err) }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        unsafe { oss_client_free(self.0) }
    }
}

/// The multipart seed file: 250000 bytes, byte[i] = i % 251 (as in the wire capture).
pub fn seed_multipart_bytes() -> Vec<u8> {
    (0..250_000u32).map(|i| (i % 251) as u8).collect()
}

/// A callback receiver that trusts the local emulator's public key (any port on 127.0.0.1).
pub fn local_receiver() -> oss_emulator::CallbackReceiver {
    oss_emulator::CallbackReceiver::start(oss_emulator::ReceiverConfig {
        allowed_key_url_prefixes: vec!["http://127.0.0.1:".into()],
        ..oss_emulator::ReceiverConfig::default()
    })
    .unwrap()
}

/// A temporary directory removed on drop.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Options for the managed upload.
impl Options {
    pub fn part_size(self, n: u64) -> Self {
        assert_eq!(
            unsafe { ossrs::ffi::options::oss_options_set_part_size(self.0, n, ptr::null_mut()) },
            oss_result::Ok
        );
        self
    }
    pub fn parallelism(self, n: u32) -> Self {
        assert_eq!(
            unsafe { ossrs::ffi::options::oss_options_set_parallelism(self.0, n, ptr::null_mut()) },
            oss_result::Ok
        );
        self
    }
    pub fn keep_on_failure(self) -> Self {
        assert_eq!(
            unsafe { ossrs::ffi::options::oss_options_set_keep_on_failure(self.0, true, ptr::null_mut()) },
            oss_result::Ok
        );
        self
    }
    pub fn checkpoint(self, path: &std::path::Path) -> Self {
        let p = c(path.to_str().unwrap());
        assert_eq!(
            unsafe { ossrs::ffi::options::oss_options_set_checkpoint_file(self.0, p.as_ptr(), ptr::null_mut()) },
            oss_result::Ok
        );
        self
    }
}

impl Client {
    /// `oss_upload_file` with an optional progress callback and its userdata.
    pub fn upload_file(
        &self,
        bucket: &str,
        key: &str,
        path: &str,
        cb: Option<&str>,
        var: Option<&str>,
        o: Option<&Options>,
        progress: ossrs::ffi::upload::oss_progress_fn,
        userdata: *mut std::ffi::c_void,
    ) -> Outcome {
        let (b, k, p, cb, var) = (c(bucket), c(key), c(path), opt_c(cb), opt_c(var));
        let (mut resp, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let rc = ossrs::ffi::upload::oss_upload_file(
                self.0,
                b.as_ptr(),
                k.as_ptr(),
                p.as_ptr(),
                ptr_of(&cb),
                ptr_of(&var),
                opts_ptr(o),
                progress,
                userdata,
                &mut resp,
                &mut err,
            );
            outcome(rc, resp, err)
        }
    }
}

/// Status, headers (lower-case names) and body of one HTTP/1.1 request to `url` (plain http, `Connection: close`).
pub fn exchange(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, target) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

/// This process's peak RSS in KiB (`VmHWM`), first reset to the current RSS when `reset`.
pub fn peak_rss_kib(reset: bool) -> u64 {
    if reset {
        std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A V1 and a V4 client of `emulator`, with the test key.
pub fn v1_and_v4_clients(emulator: &oss_emulator::Emulator) -> Vec<(&'static str, Client)> {
    let e = emulator.endpoint();
    let base = [("endpoint", e.as_str()), ("access_key_id", KEY_ID), ("access_key_secret", KEY_SECRET)];
    let mut v4 = base.to_vec();
    v4.extend([("signature_version", "v4"), ("region", "cn-hangzhou")]);
    vec![("v1", Client::build(&base).unwrap()), ("v4", Client::build(&v4).unwrap())]
}
