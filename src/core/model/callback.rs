//! Upload-callback parameters: checked as OSS would check them, then base64-encoded byte-for-byte as given
//! into `x-oss-callback` / `x-oss-callback-var`. The SDK checks nothing and lets OSS answer 400; ossrs refuses
//! before any I/O so the caller gets a precise message.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::Value;
use std::sync::Mutex;

use crate::core::error::{fail, ErrorKind, Result};

/// OSS refuses callback parameters longer than this (measured on the encoded header value).
pub const MAX_ENCODED_LEN: usize = 5 * 1024;
/// OSS tries at most this many `;`-separated callback URLs.
pub const MAX_URLS: usize = 5;

/// Encoded callback headers, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackHeaders {
    /// Value of `x-oss-callback`.
    pub callback: String,
    /// Value of `x-oss-callback-var`, if any.
    pub callback_var: Option<String>,
}

/// Checks and encodes the callback JSON and the optional callback-var JSON. An absent or empty `callback`
/// means no callback; a callback-var without a callback is refused (OSS would ignore it silently).
pub fn encode(callback: Option<&str>, callback_var: Option<&str>) -> Result<Option<CallbackHeaders>> {
    let callback = callback.filter(|c| !c.is_empty());
    let callback_var = callback_var.filter(|v| !v.is_empty());
    let Some(callback) = callback else {
        if callback_var.is_some() {
            return fail(ErrorKind::InvalidCallback, "callback-var was given without a callback");
        }
        return Ok(None);
    };
    check_callback(callback)?;
    let encoded = B64.encode(callback);
    if encoded.len() > MAX_ENCODED_LEN {
        return fail(
            ErrorKind::InvalidCallback,
            format!("callback is {} bytes once encoded, over the 5 KB OSS limit", encoded.len()),
        );
    }
    let callback_var = match callback_var {
        Some(v) => {
            check_callback_var(v)?;
            let e = B64.encode(v);
            if e.len() > MAX_ENCODED_LEN {
                return fail(
                    ErrorKind::InvalidCallback,
                    format!("callback-var is {} bytes once encoded, over the 5 KB OSS limit", e.len()),
                );
            }
            Some(e)
        }
        None => None,
    };
    Ok(Some(CallbackHeaders { callback: encoded, callback_var }))
}

/// [`encode`] with the last successful encoding kept: an application sends the same callback with every upload,
/// and checking it costs a JSON parse. Shared by the threads of one client.
#[derive(Debug, Default)]
pub struct EncodedCallbackCache {
    last: Mutex<Option<(String, Option<String>, CallbackHeaders)>>,
}

impl EncodedCallbackCache {
    /// Same result as [`encode`].
    pub fn encode(&self, callback: Option<&str>, callback_var: Option<&str>) -> Result<Option<CallbackHeaders>> {
        let Some(callback) = callback.filter(|c| !c.is_empty()) else {
            return encode(callback, callback_var);
        };
        let var = callback_var.filter(|v| !v.is_empty());
        if let Some((c, v, headers)) = self.lock().as_ref() {
            if c == callback && v.as_deref() == var {
                return Ok(Some(headers.clone()));
            }
        }
        let headers = encode(Some(callback), var)?;
        if let Some(h) = &headers {
            *self.lock() = Some((callback.to_string(), var.map(str::to_string), h.clone()));
        }
        Ok(headers)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(String, Option<String>, CallbackHeaders)>> {
        self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn parse_object(json: &str, what: &str) -> Result<serde_json::Map<String, Value>> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => fail(ErrorKind::InvalidCallback, format!("{what} must be a JSON object")),
        Err(e) => fail(ErrorKind::InvalidCallback, format!("{what} is not valid JSON: {e}")),
    }
}

fn check_callback(json: &str) -> Result<()> {
    let m = parse_object(json, "callback")?;
    let url = match m.get("callbackUrl") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::String(_)) | None => return fail(ErrorKind::InvalidCallback, "callback has no callbackUrl"),
        Some(_) => return fail(ErrorKind::InvalidCallback, "callbackUrl must be a string"),
    };
    let urls: Vec<&str> = url.split(';').collect();
    if urls.len() > MAX_URLS {
        return fail(
            ErrorKind::InvalidCallback,
            format!("callbackUrl lists {} URLs; OSS accepts at most {MAX_URLS}", urls.len()),
        );
    }
    if urls.iter().any(|u| u.trim().is_empty()) {
        return fail(ErrorKind::InvalidCallback, "callbackUrl has an empty entry");
    }
    match m.get("callbackBody") {
        Some(Value::String(s)) if !s.is_empty() => {}
        _ => return fail(ErrorKind::InvalidCallback, "callback has no callbackBody (a non-empty string is required)"),
    }
    match m.get("callbackBodyType") {
        None => {}
        Some(Value::String(t)) if t == "application/x-www-form-urlencoded" || t == "application/json" => {}
        Some(other) => {
            return fail(
                ErrorKind::InvalidCallback,
                format!("callbackBodyType {other} is not application/x-www-form-urlencoded or application/json"),
            )
        }
    }
    if let Some(h) = m.get("callbackHost") {
        if !h.is_string() {
            return fail(ErrorKind::InvalidCallback, "callbackHost must be a string");
        }
    }
    if let Some(sni) = m.get("callbackSNI") {
        if !sni.is_boolean() {
            return fail(ErrorKind::InvalidCallback, "callbackSNI must be true or false");
        }
    }
    Ok(())
}

fn check_callback_var(json: &str) -> Result<()> {
    for (key, value) in parse_object(json, "callback-var")? {
        if !key.starts_with("x:") || key.len() == 2 {
            return fail(ErrorKind::InvalidCallback, format!("callback-var key {key:?} must start with \"x:\""));
        }
        if key.chars().any(char::is_uppercase) {
            return fail(ErrorKind::InvalidCallback, format!("callback-var key {key:?} must be lower case"));
        }
        if !value.is_string() {
            return fail(ErrorKind::InvalidCallback, format!("callback-var value of {key:?} must be a string"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_FORM: &str = "{\n        \"callbackUrl\":\"http://127.0.0.1:9090\",\n        \"callbackHost\":\"oss-cn-hangzhou.aliyuncs.com\",\n        \"callbackBody\":\"bucket=${bucket}&my_var2=${x:var2}\",\n        \"callbackBodyType\":\"application/x-www-form-urlencoded\"\n    }";
    const SEED_VAR: &str = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"值2\"\n    }";

    #[test]
    fn encodes_byte_for_byte() {
        let h = encode(Some(SEED_FORM), Some(SEED_VAR)).unwrap().unwrap();
        assert_eq!(B64.decode(&h.callback).unwrap(), SEED_FORM.as_bytes());
        assert_eq!(
            h.callback_var.as_deref(),
            Some("ewogICAgICAgICJ4OnZhcjEiOiJ2YWx1ZTEiLAogICAgICAgICJ4OnZhcjIiOiLlgLwyIgogICAgfQ==")
        );
        let kat = encode(
            Some(
                "{\"callbackUrl\":\"http://cb.example.com/cb\",\"callbackBody\":\"bucket=${bucket}&object=${object}\"}",
            ),
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(kat.callback, "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9jYi5leGFtcGxlLmNvbS9jYiIsImNhbGxiYWNrQm9keSI6ImJ1Y2tldD0ke2J1Y2tldH0mb2JqZWN0PSR7b2JqZWN0fSJ9");
        assert_eq!(kat.callback_var, None);
    }

    #[test]
    fn absent_or_empty_means_none() {
        assert_eq!(encode(None, None).unwrap(), None);
        assert_eq!(encode(Some(""), Some("")).unwrap(), None);
        assert_eq!(encode(None, Some(SEED_VAR)).unwrap_err().kind(), ErrorKind::InvalidCallback);
    }

    #[test]
    fn refuses_what_oss_would_refuse() {
        let cb = |s: &str| encode(Some(s), None).unwrap_err().message().to_string();
        assert!(cb("{").contains("not valid JSON"));
        assert!(cb("[1]").contains("JSON object"));
        assert!(cb("{\"callbackBody\":\"a\"}").contains("callbackUrl"));
        assert!(cb("{\"callbackUrl\":\"a;b;c;d;e;f\",\"callbackBody\":\"a\"}").contains("at most 5"));
        assert!(cb("{\"callbackUrl\":\"http://a\",\"callbackBody\":\"\"}").contains("callbackBody"));
        assert!(cb("{\"callbackUrl\":\"http://a\",\"callbackBody\":\"a\",\"callbackBodyType\":\"text/plain\"}")
            .contains("callbackBodyType"));
        let big = format!("{{\"callbackUrl\":\"http://a\",\"callbackBody\":\"{}\"}}", "a".repeat(4000));
        assert!(cb(&big).contains("5 KB"));
        let var = |s: &str| encode(Some(SEED_FORM), Some(s)).unwrap_err().message().to_string();
        assert!(var("{\"var1\":\"a\"}").contains("x:"));
        assert!(var("{\"x:Var\":\"a\"}").contains("lower case"));
        assert!(var("{\"x:v\":1}").contains("string"));
        assert!(var("nope").contains("not valid JSON"));
    }

    #[test]
    fn the_cache_answers_like_encode_for_every_input() {
        let cache = EncodedCallbackCache::default();
        let inputs = [
            (Some(SEED_FORM), Some(SEED_VAR)),
            (Some(SEED_FORM), None),
            (Some(SEED_FORM), Some("")),
            (Some(SEED_FORM), Some("{\"var1\":\"a\"}")),
            (Some("{"), None),
            (None, Some(SEED_VAR)),
            (None, None),
            (Some(SEED_FORM), Some(SEED_VAR)),
        ];
        cache.encode(Some(SEED_FORM), Some(SEED_VAR)).unwrap();
        let kept = |cache: &EncodedCallbackCache| cache.lock().as_ref().map(|(c, v, _)| (c.clone(), v.clone()));
        assert_eq!(kept(&cache), Some((SEED_FORM.to_string(), Some(SEED_VAR.to_string()))));
        cache.encode(Some("{"), None).unwrap_err();
        assert_eq!(kept(&cache), Some((SEED_FORM.to_string(), Some(SEED_VAR.to_string()))), "errors are not kept");
        for _ in 0..2 {
            for (cb, var) in inputs {
                let (cached, direct) = (cache.encode(cb, var), encode(cb, var));
                match (cached, direct) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{cb:?} {var:?}"),
                    (Err(a), Err(b)) => assert_eq!(a.message(), b.message(), "{cb:?} {var:?}"),
                    (a, b) => panic!("{cb:?} {var:?}: cache {a:?}, encode {b:?}"),
                }
            }
        }
    }
}
