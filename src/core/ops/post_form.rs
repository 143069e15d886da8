//! PostObject forms for browser uploads (`docs/post-object.md`): the URL a page posts to and every form field but
//! the file, with a policy that pins each of them, signed for the client's credentials. Pure: no I/O.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::core::client::Client;
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::signing::post_policy;
use crate::core::validate;

/// The longest a policy may live (OSS's limit for V4, applied to V1 as well).
pub const MAX_POLICY_SECONDS: u64 = 7 * 24 * 3600;
/// Form fields ossrs sets itself.
const RESERVED_FIELDS: &[&str] = &[
    "key",
    "policy",
    "signature",
    "ossaccesskeyid",
    "file",
    "callback",
    "success_action_status",
    "success_action_redirect",
    "x-oss-signature",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-security-token",
];

/// What the form allows, as the caller describes it (JSON; unknown keys are refused).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostFormSpec {
    /// The exact key the upload gets.
    pub key: Option<String>,
    /// Or: the prefix every key must start with; the form's `key` field is `prefix${filename}`.
    pub key_prefix: Option<String>,
    /// Seconds the form stays valid (default 3600, at most 7 days).
    pub expires_in: Option<u64>,
    /// `[min, max]` bytes the file may have.
    pub content_length_range: Option<[u64; 2]>,
    /// The Content-Type the upload must declare (an `eq` condition and a field).
    pub content_type: Option<String>,
    /// 200, 201 or 204: the status of a successful upload without a callback (OSS's default is 204).
    pub success_action_status: Option<u16>,
    /// Where the browser is sent after a successful upload without a callback.
    pub success_action_redirect: Option<String>,
    /// The upload callback JSON, checked as for PutObject.
    pub callback: Option<String>,
    /// Its custom variables (`x:name` → value), sent as form fields.
    #[serde(default)]
    pub callback_var: BTreeMap<String, String>,
    /// Other form fields sent as given and pinned with `eq` (`x-oss-meta-*`, `Cache-Control`, `x-oss-object-acl`, …).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// More policy conditions, as OSS writes them: `["eq" | "starts-with", "$field", "value"]`,
    /// `["in", "$field", ["a", "b"]]`, `["not-in", …]` or `{"field": "value"}`.
    #[serde(default)]
    pub conditions: Vec<Value>,
}

/// A form ready for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PostForm {
    /// Where to post it.
    pub url: String,
    /// Every field but the file, in order (the file goes last).
    pub fields: Vec<(String, String)>,
    /// The policy as signed.
    pub policy: Value,
    /// When it expires, Unix seconds.
    pub expiration: u64,
}

impl PostForm {
    /// `{"url", "fields": {name: value}, "field_order": [names], "policy", "expiration"}`.
    pub fn to_json(&self) -> Value {
        let fields: serde_json::Map<String, Value> =
            self.fields.iter().map(|(n, v)| (n.clone(), Value::String(v.clone()))).collect();
        let order: Vec<&str> = self.fields.iter().map(|(n, _)| n.as_str()).collect();
        json!({
            "url": self.url,
            "fields": fields,
            "field_order": order,
            "policy": self.policy,
            "expiration": self.expiration,
        })
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message).refused_as("InvalidArgument")
}

impl Client {
    /// The PostObject form of `spec` (JSON, see `PostFormSpec`) for `bucket`, signed at `now`. Everything is
    /// checked before anything is signed: the bucket and key, the lifetime, the callback, the fields and the
    /// shape of each condition.
    pub fn post_form(&self, bucket: &str, spec: &str, now: SystemTime) -> Result<PostForm> {
        validate::bucket(bucket)?;
        let spec: PostFormSpec =
            serde_json::from_str(spec).map_err(|e| invalid(format!("the PostObject form spec is not valid: {e}")))?;
        let mut conditions = vec![json!({ "bucket": bucket })];
        let mut fields: Vec<(String, String)> = Vec::new();
        let key = match (&spec.key, &spec.key_prefix) {
            (Some(key), None) => {
                validate::object(key)?;
                conditions.push(json!(["eq", "$key", key]));
                key.clone()
            }
            (None, Some(prefix)) => {
                if !prefix.is_empty() {
                    validate::object(prefix)?;
                }
                conditions.push(json!(["starts-with", "$key", prefix]));
                format!("{prefix}${{filename}}")
            }
            _ => return Err(invalid("give exactly one of key and key_prefix")),
        };
        let lifetime = spec.expires_in.unwrap_or(3600);
        if !(1..=MAX_POLICY_SECONDS).contains(&lifetime) {
            return Err(invalid(format!("expires_in must be 1..={MAX_POLICY_SECONDS} seconds, not {lifetime}")));
        }
        if let Some([min, max]) = spec.content_length_range {
            if min > max {
                return Err(invalid(format!("content_length_range [{min}, {max}] is empty")));
            }
            conditions.push(json!(["content-length-range", min, max]));
        }
        let mut pinned = |name: &str, value: &str, fields: &mut Vec<(String, String)>| -> Result<()> {
            if value.contains(['\r', '\n', '\0']) {
                return Err(invalid(format!("the form field {name} contains CR, LF or NUL")));
            }
            conditions.push(json!(["eq", format!("${name}"), value]));
            fields.push((name.to_string(), value.to_string()));
            Ok(())
        };
        if let Some(status) = spec.success_action_status {
            if ![200, 201, 204].contains(&status) {
                return Err(invalid(format!("success_action_status must be 200, 201 or 204, not {status}")));
            }
            pinned("success_action_status", &status.to_string(), &mut fields)?;
        }
        if let Some(url) = &spec.success_action_redirect {
            pinned("success_action_redirect", url, &mut fields)?;
        }
        if let Some(ct) = &spec.content_type {
            pinned("Content-Type", ct, &mut fields)?;
        }
        let vars = (!spec.callback_var.is_empty()).then(|| json!(spec.callback_var).to_string());
        if let Some(cb) = self.callback_headers(spec.callback.as_deref(), vars.as_deref())? {
            pinned("callback", &cb.callback, &mut fields)?;
            for (name, value) in &spec.callback_var {
                pinned(name, value, &mut fields)?;
            }
        }
        for (name, value) in &spec.fields {
            let lower = name.to_ascii_lowercase();
            if RESERVED_FIELDS.contains(&lower.as_str()) || lower.starts_with("x:") || lower == "content-type" {
                return Err(invalid(format!("the form field {name} is set by ossrs (or by its own spec key)")));
            }
            validate::header(name, value)?;
            pinned(name, value, &mut fields)?;
        }
        for c in &spec.conditions {
            check_condition(c)?;
            conditions.push(c.clone());
        }
        let config = self.config();
        let expiration = now + Duration::from_secs(lifetime);
        let signed = post_policy::sign(conditions, expiration, &config.credentials, &config.signature, now);
        let mut all = vec![("key".to_string(), key)];
        all.extend(signed.fields);
        all.extend(fields);
        let expiration = expiration.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Ok(PostForm { url: config.endpoint.url_for(bucket, "", ""), fields: all, policy: signed.policy, expiration })
    }
}

/// A condition OSS understands: `{"field": "value"}`, `["eq" | "starts-with", "$field", "text"]`,
/// `["in" | "not-in", "$field", ["text", …]]` or `["content-length-range", min, max]`.
fn check_condition(c: &Value) -> Result<()> {
    let ok = match c {
        Value::Object(m) => m.len() == 1 && m.values().all(Value::is_string),
        Value::Array(a) => match a.as_slice() {
            [Value::String(op), Value::String(field), Value::String(_)] => {
                (op == "eq" || op == "starts-with") && field.starts_with('$')
            }
            [Value::String(op), Value::String(field), Value::Array(values)] => {
                (op == "in" || op == "not-in") && field.starts_with('$') && values.iter().all(Value::is_string)
            }
            [Value::String(op), min, max] => {
                op == "content-length-range" && min.as_u64().zip(max.as_u64()).is_some_and(|(a, b)| a <= b)
            }
            _ => false,
        },
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(format!("the policy condition {c} is not one OSS understands")))
    }
}
