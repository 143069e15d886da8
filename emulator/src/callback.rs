//! Upload callbacks: parsing and validating `x-oss-callback` / `x-oss-callback-var`, rendering
//! `callbackBody`, and POSTing it, signed with the emulator's RSA key, to the callback server.

use crate::encoding::{percent_decode, rawurlencode};
use crate::error::OssError;
use crate::http_client::{self, ClientError, HttpUrl};
use crate::image::ImageInfo;
use crate::server::lock;
use crate::service::Operation;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Largest accepted `callback` / `callback-var` parameter (base64 text).
pub const MAX_PARAM_BYTES: usize = 5 * 1024;
/// Most URLs `callbackUrl` may list.
pub const MAX_URLS: usize = 5;
/// Largest callback reply body OSS accepts.
pub const MAX_REPLY_BYTES: u64 = 3 * 1024 * 1024;
/// Where the emulator serves its callback public key.
pub const PUB_KEY_PATH: &str = "/__emulator/callback_pub_key_v1.pem";

/// How `callbackBody` is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyType {
    Form,
    Json,
}

impl BodyType {
    pub fn content_type(self) -> &'static str {
        match self {
            BodyType::Form => "application/x-www-form-urlencoded",
            BodyType::Json => "application/json",
        }
    }
}

/// A validated callback request.
#[derive(Debug, Clone)]
pub struct CallbackConfig {
    pub urls: Vec<String>,
    pub host: Option<String>,
    pub body: String,
    pub body_type: BodyType,
    /// `x:` variables from callback-var.
    pub vars: Vec<(String, String)>,
}

fn invalid(msg: impl Into<String>) -> OssError {
    OssError::invalid_argument(msg)
}

fn decode_param(name: &str, b64: &str) -> Result<Value, OssError> {
    if b64.len() > MAX_PARAM_BYTES {
        return Err(invalid(format!(
            "The {name} is too long: {} bytes, the limit is {MAX_PARAM_BYTES} bytes.",
            b64.len()
        )));
    }
    let raw = B64.decode(b64.trim()).map_err(|_| invalid(format!("The {name} is not base64 encoded.")))?;
    serde_json::from_slice(&raw).map_err(|_| invalid(format!("The {name} configuration is not json format.")))
}

/// Parses and validates the callback parameters. `Ok(None)` means no callback
/// (no parameter, or an empty `callbackUrl`).
pub fn parse(callback: Option<&str>, var: Option<&str>) -> Result<Option<CallbackConfig>, OssError> {
    let Some(callback) = callback.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let cfg = decode_param("callback", callback)?;
    let Value::Object(cfg) = cfg else {
        return Err(invalid("The callback configuration is not json format."));
    };
    let field = |name: &str| -> Result<Option<&str>, OssError> {
        match cfg.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(invalid(format!("The {name} of the callback must be a string."))),
        }
    };
    let vars = match var.filter(|v| !v.is_empty()) {
        Some(v) => parse_vars(decode_param("callback-var", v)?)?,
        None => Vec::new(),
    };
    let url_field = field("callbackUrl")?.unwrap_or("").trim();
    if url_field.is_empty() {
        return Ok(None);
    }
    let urls: Vec<String> = url_field.split(';').map(str::trim).filter(|u| !u.is_empty()).map(str::to_string).collect();
    if urls.len() > MAX_URLS {
        return Err(invalid(format!("The callbackUrl lists {} URLs, at most {MAX_URLS} are allowed.", urls.len())));
    }
    for url in &urls {
        if let Err(e) = HttpUrl::parse(url) {
            if !url.to_ascii_lowercase().starts_with("https://") {
                return Err(invalid(format!("The callbackUrl '{url}' is invalid: {e}.")));
            }
        }
    }
    let body = field("callbackBody")?.unwrap_or("");
    if body.is_empty() {
        return Err(invalid("The callbackBody of the callback is empty."));
    }
    check_template(body)?;
    let body_type = match field("callbackBodyType")?.map(str::trim) {
        None | Some("") => BodyType::Form,
        Some(t) if t.eq_ignore_ascii_case("application/x-www-form-urlencoded") => BodyType::Form,
        Some(t) if t.eq_ignore_ascii_case("application/json") => BodyType::Json,
        Some(t) => {
            return Err(invalid(format!(
            "The callbackBodyType '{t}' is not supported; use application/x-www-form-urlencoded or application/json."
        )))
        }
    };
    Ok(Some(CallbackConfig {
        urls,
        host: field("callbackHost")?.map(str::to_string).filter(|h| !h.is_empty()),
        body: body.to_string(),
        body_type,
        vars,
    }))
}

fn parse_vars(v: Value) -> Result<Vec<(String, String)>, OssError> {
    let Value::Object(map) = v else {
        return Err(invalid("The callback-var must be a JSON object of \"x:name\":\"value\" pairs."));
    };
    map.into_iter()
        .map(|(k, v)| {
            if !k.starts_with("x:") || k.len() == 2 || k.chars().any(|c| c.is_ascii_uppercase()) {
                return Err(invalid(format!(
                    "The callback-var key '{k}' is invalid: keys must start with 'x:' and must not contain upper-case letters."
                )));
            }
            match v {
                Value::String(s) => Ok((k, s)),
                _ => Err(invalid(format!("The callback-var value of '{k}' must be a string."))),
            }
        })
        .collect()
}

/// Every `${` must be closed by `}` with a non-empty name.
fn check_template(body: &str) -> Result<(), OssError> {
    let mut rest = body;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(0) | None => {
                return Err(invalid("The callbackBody contains a malformed variable."));
            }
            Some(end) => rest = &after[end + 1..],
        }
    }
    Ok(())
}

/// The facts about an upload that callback variables expose.
#[derive(Debug, Clone)]
pub struct UploadFacts {
    pub bucket: String,
    pub object: String,
    /// Without quotes.
    pub etag: String,
    pub size: u64,
    pub mime_type: String,
    pub image: Option<ImageInfo>,
    pub crc64: u64,
    /// Base64 MD5; empty for CompleteMultipartUpload.
    pub content_md5: String,
    pub client_ip: String,
    pub request_id: String,
    pub operation: &'static str,
}

enum VarValue {
    Text(String),
    Number(u64),
}

fn lookup(name: &str, facts: &UploadFacts, vars: &[(String, String)]) -> VarValue {
    let text = |s: &str| VarValue::Text(s.to_string());
    let image = |f: fn(&ImageInfo) -> String| VarValue::Text(facts.image.as_ref().map(f).unwrap_or_default());
    match name {
        "bucket" => text(&facts.bucket),
        "object" => text(&facts.object),
        "etag" => text(&facts.etag),
        "size" => VarValue::Number(facts.size),
        "mimeType" => text(&facts.mime_type),
        "imageInfo.height" => image(|i| i.height.to_string()),
        "imageInfo.width" => image(|i| i.width.to_string()),
        "imageInfo.format" => image(|i| i.format.to_string()),
        "crc64" => VarValue::Text(facts.crc64.to_string()),
        "contentMd5" => text(&facts.content_md5),
        "clientIp" => text(&facts.client_ip),
        "reqId" => text(&facts.request_id),
        "operation" => text(facts.operation),
        // vpcId (never from a VPC here), unknown names and missing x: variables render empty.
        _ => text(vars.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())),
    }
}

/// Renders `callbackBody`. Form bodies get each value percent-encoded. JSON bodies get each
/// value as a JSON value (strings quoted and escaped, `${size}` a bare number); a variable
/// already inside a JSON string literal of the template gets the escaped text without quotes.
pub fn render(template: &str, body_type: BodyType, facts: &UploadFacts, vars: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                let value = lookup(&after[..end], facts, vars);
                out.push_str(&encode_value(value, body_type, in_string));
                rest = &after[end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        if body_type == BodyType::Json {
            if escaped {
                escaped = false;
            } else if in_string && c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = !in_string;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn encode_value(value: VarValue, body_type: BodyType, in_string: bool) -> String {
    match (body_type, value) {
        (BodyType::Form, VarValue::Text(s)) => rawurlencode(s.as_bytes()),
        (_, VarValue::Number(n)) => n.to_string(),
        (BodyType::Json, VarValue::Text(s)) => {
            let quoted = Value::String(s).to_string();
            if in_string {
                quoted[1..quoted.len() - 1].to_string()
            } else {
                quoted
            }
        }
    }
}

/// The RSA key OSS signs callbacks with.
pub struct Signer {
    key: RsaPrivateKey,
    pem: String,
}

impl Signer {
    /// Generates a fresh 1024-bit key.
    pub fn generate() -> Result<Signer, String> {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).map_err(|e| e.to_string())?;
        let pem = RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF).map_err(|e| e.to_string())?;
        Ok(Signer { key, pem })
    }

    /// The public key as a `BEGIN PUBLIC KEY` PEM document.
    pub fn public_pem(&self) -> &str {
        &self.pem
    }

    /// base64(RSA-MD5 PKCS#1 v1.5 signature over `message`).
    pub fn sign(&self, message: &[u8]) -> String {
        let digest = Md5::digest(message);
        match self.key.sign(Pkcs1v15Sign::new::<Md5>(), &digest) {
            Ok(sig) => B64.encode(sig),
            Err(_) => String::new(),
        }
    }
}

/// The bytes a callback signature covers: `url_decode(path) + ["?" + query] + "\n" + body`
/// (`url_decode` as PHP's `urldecode`, so `+` is a space).
pub fn string_to_sign(path: &str, query: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut msg = percent_decode(path, true);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        msg.push(b'?');
        msg.extend_from_slice(q.as_bytes());
    }
    msg.push(b'\n');
    msg.extend_from_slice(body);
    msg
}

/// How a callback ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The last URL tried.
    pub url: String,
    /// The callback server's HTTP status, if it answered.
    pub status: Option<u16>,
    /// The reply body on success, or the CallbackFailed message.
    pub result: Result<Vec<u8>, String>,
    /// How many callback requests were written in full to a callback server.
    pub posts: u64,
}

impl Outcome {
    /// The request log's view: `{"url","status","error"}`.
    pub fn to_log(&self) -> Value {
        json!({
            "url": self.url,
            "status": self.status,
            "error": self.result.as_ref().err(),
        })
    }
}

const CONNECT_FAILED: &str = "Error status : -1. OSS can not connect to your callbackUrl, please check it.";

/// POSTs `body` to each URL in turn until one succeeds; each attempt is bounded by `timeout`.
pub fn deliver(cfg: &CallbackConfig, body: &str, signer: &Signer, pub_key_url: &str, timeout: Duration) -> Outcome {
    let mut outcome = Outcome { url: String::new(), status: None, result: Err(CONNECT_FAILED.to_string()), posts: 0 };
    for url in &cfg.urls {
        let posts = outcome.posts;
        outcome = deliver_one(url, cfg, body, signer, pub_key_url, timeout);
        outcome.posts += posts;
        if outcome.result.is_ok() {
            break;
        }
    }
    outcome
}

fn deliver_one(
    url: &str,
    cfg: &CallbackConfig,
    body: &str,
    signer: &Signer,
    pub_key_url: &str,
    timeout: Duration,
) -> Outcome {
    let fail = |status, msg: String| Outcome { url: url.to_string(), status, result: Err(msg), posts: 0 };
    let parsed = match HttpUrl::parse(url) {
        Ok(u) => u,
        Err(e) => return fail(None, format!("{CONNECT_FAILED} ({e}; the emulator only calls http:// URLs)")),
    };
    let authorization = signer.sign(&string_to_sign(&parsed.path, parsed.query.as_deref(), body.as_bytes()));
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nUser-Agent: http-client/0.0.1\r\nConnection: close\r\nauthorization: {authorization}\r\nx-oss-pub-key-url: {}\r\n\r\n{body}",
        parsed.target(),
        cfg.host.clone().unwrap_or_else(|| parsed.authority()),
        cfg.body_type.content_type(),
        body.len(),
        B64.encode(pub_key_url),
    );
    let start = Instant::now();
    let deadline = start + timeout;
    let (posts, reply) = match http_client::send(&parsed.host, parsed.port, request.as_bytes(), deadline) {
        Ok(stream) => (1, http_client::receive(&stream, deadline, MAX_REPLY_BYTES)),
        Err(e) => (0, Err(e)),
    };
    let outcome = match reply {
        Ok(reply) if reply.status != 200 => fail(Some(reply.status), format!("Error status : {}.", reply.status)),
        Ok(reply) if !reply.has_content_length => {
            fail(Some(200), "Error status : 200. The callback response must carry a Content-Length header.".into())
        }
        Ok(reply) if serde_json::from_slice::<Value>(&reply.body).is_err() => {
            fail(Some(200), "Response body is not valid json format.".into())
        }
        Ok(reply) => Outcome { url: url.to_string(), status: Some(200), result: Ok(reply.body), posts: 0 },
        Err(ClientError::Connect(e)) => fail(None, format!("{CONNECT_FAILED} ({e})")),
        Err(ClientError::Timeout) => fail(
            None,
            format!(
                "Error status : -1. Callback server reply timeout, cost: {} MS, timeout: {} MS.",
                start.elapsed().as_millis(),
                timeout.as_millis()
            ),
        ),
        Err(ClientError::TooLarge) => {
            fail(Some(200), "Error Status : 400.User server return too long content-length value".into())
        }
        Err(ClientError::Protocol(e)) => fail(None, format!("Error status : -1. Invalid callback response: {e}.")),
    };
    Outcome { posts, ..outcome }
}

/// How many callback requests were POSTed for one object (`upload_id` None: PutObject) or
/// one multipart upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackPosts {
    pub bucket: String,
    pub key: String,
    pub upload_id: Option<String>,
    pub operation: Operation,
    /// Requests written in full to a callback server (each URL tried counts).
    pub posts: u64,
}

impl CallbackPosts {
    /// `{"bucket","key","upload_id","operation","posts"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "bucket": self.bucket,
            "key": self.key,
            "upload_id": self.upload_id,
            "operation": self.operation.name(),
            "posts": self.posts,
        })
    }
}

/// Bucket, key and upload id.
type PostKey = (String, String, Option<String>);

/// The [`CallbackPosts`] of an emulator, by bucket, key and upload id.
#[derive(Default)]
pub struct PostCounts(Mutex<BTreeMap<PostKey, CallbackPosts>>);

impl PostCounts {
    /// Adds `posts` for a callback of `operation` on `bucket/key` (and `upload_id`).
    pub fn add(&self, bucket: &str, key: &str, upload_id: Option<&str>, operation: Operation, posts: u64) {
        let id = (bucket.to_string(), key.to_string(), upload_id.map(str::to_string));
        let mut counts = lock(&self.0);
        let entry = counts.entry(id).or_insert_with(|| CallbackPosts {
            bucket: bucket.to_string(),
            key: key.to_string(),
            upload_id: upload_id.map(str::to_string),
            operation,
            posts: 0,
        });
        entry.posts += posts;
    }

    /// Every entry, ordered by bucket, key and upload id.
    pub fn snapshot(&self) -> Vec<CallbackPosts> {
        lock(&self.0).values().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The multi-line callback JSON from the SDK's samples/Callback.php (wire capture, flow A).
    const SEED_CALLBACK: &str = "{\n        \"callbackUrl\":\"callback.oss-demo.com:23450\",\n        \"callbackHost\":\"oss-cn-hangzhou.aliyuncs.com\",\n        \"callbackBody\":\"bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&imageInfo.height=${imageInfo.height}&imageInfo.width=${imageInfo.width}&imageInfo.format=${imageInfo.format}&my_var1=${x:var1}&my_var2=${x:var2}\",\n         \"callbackBodyType\":\"application/x-www-form-urlencoded\"\n\n    }";
    const SEED_VAR: &str = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"值2\"\n    }";

    fn facts() -> UploadFacts {
        UploadFacts {
            bucket: "bkt".into(),
            object: "dir/测试 file+1.txt".into(),
            etag: "C533195DC4253503071A19D42F08E877".into(),
            size: 14,
            mime_type: "text/plain".into(),
            image: None,
            crc64: 18_446_744_073_709_551_615,
            content_md5: "xTMZXcQlNQMHGhnULwjodw==".into(),
            client_ip: "127.0.0.1".into(),
            request_id: "5C3D9175B6FC201200000001".into(),
            operation: "PutObject",
        }
    }

    fn b64(s: &str) -> String {
        B64.encode(s)
    }

    #[test]
    fn renders_seed_form_body() {
        let cfg = parse(Some(&b64(SEED_CALLBACK)), Some(&b64(SEED_VAR))).unwrap().unwrap();
        assert_eq!(cfg.urls, ["callback.oss-demo.com:23450"]);
        assert_eq!(cfg.host.as_deref(), Some("oss-cn-hangzhou.aliyuncs.com"));
        assert_eq!(cfg.body_type, BodyType::Form);
        let body = render(&cfg.body, cfg.body_type, &facts(), &cfg.vars);
        assert_eq!(
            body,
            "bucket=bkt&object=dir%2F%E6%B5%8B%E8%AF%95%20file%2B1.txt&etag=C533195DC4253503071A19D42F08E877&size=14&mimeType=text%2Fplain&imageInfo.height=&imageInfo.width=&imageInfo.format=&my_var1=value1&my_var2=%E5%80%BC2"
        );
        let var2 = body.rsplit("my_var2=").next().unwrap();
        assert_eq!(String::from_utf8(percent_decode(var2, false)).unwrap(), "值2");
    }

    #[test]
    fn renders_json_body() {
        let template = r#"{"mimeType":${mimeType},"size":${size},"x:var1":${x:var1},"x:var2":${x:var2},"missing":${x:none},"crc":${crc64},"quoted":"<${object}>","op":${operation}}"#;
        let vars = vec![("x:var1".to_string(), "va\"l\\1".to_string()), ("x:var2".to_string(), "值2".to_string())];
        let body = render(template, BodyType::Json, &facts(), &vars);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["mimeType"], "text/plain");
        assert_eq!(v["size"], 14);
        assert_eq!(v["x:var1"], "va\"l\\1");
        assert_eq!(v["x:var2"], "值2");
        assert_eq!(v["missing"], "");
        assert_eq!(v["crc"], "18446744073709551615");
        assert_eq!(v["quoted"], "<dir/测试 file+1.txt>");
        assert_eq!(v["op"], "PutObject");
        assert!(body.contains("值2"), "non-ASCII stays UTF-8: {body}");
    }

    #[test]
    fn validates_parameters() {
        let err = |cb: &str, var: Option<&str>| parse(Some(cb), var).unwrap_err().message;
        assert!(err("%%%", None).contains("base64"));
        assert_eq!(err(&b64("{oops"), None), "The callback configuration is not json format.");
        let six = r#"{"callbackUrl":"a;b;c;d;e;f","callbackBody":"x"}"#;
        assert!(err(&b64(six), None).contains("at most 5"));
        assert!(err(&b64(r#"{"callbackUrl":"h","callbackBody":""}"#), None).contains("empty"));
        assert!(err(&b64(r#"{"callbackUrl":"h","callbackBody":"a","callbackBodyType":"text/plain"}"#), None)
            .contains("text/plain"));
        assert!(err(&b64(r#"{"callbackUrl":"h","callbackBody":"a=${bucket"}"#), None).contains("malformed"));
        assert!(err(&"A".repeat(MAX_PARAM_BYTES + 4), None).contains("too long"));
        let ok = b64(r#"{"callbackUrl":"h","callbackBody":"a"}"#);
        assert!(err(&ok, Some(&b64(r#"{"x:Upper":"v"}"#))).contains("upper-case"));
        assert!(err(&ok, Some(&b64(r#"{"y:a":"v"}"#))).contains("x:"));
        assert!(err(&ok, Some(&b64(r#"{"x:a":{"n":1}}"#))).contains("string"));
        assert!(err(&ok, Some(&b64("[1]"))).contains("object"));
        assert!(parse(Some(&b64(r#"{"callbackUrl":"","callbackBody":""}"#)), None).unwrap().is_none());
        assert!(parse(None, None).unwrap().is_none());
    }

    #[test]
    fn signs_verifiably() {
        let signer = Signer::generate().unwrap();
        assert!(signer.public_pem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
        let msg = string_to_sign("/index%20x.php", Some("id=1&index=2"), b"bucket=b");
        assert_eq!(msg, b"/index x.php?id=1&index=2\nbucket=b");
        let sig = B64.decode(signer.sign(&msg)).unwrap();
        let public = RsaPublicKey::from(&signer.key);
        assert!(public.verify(Pkcs1v15Sign::new::<Md5>(), &Md5::digest(&msg), &sig).is_ok());
    }
}
