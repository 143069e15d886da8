//! Fault injection: the configuration ([`Faults`], whose docs give the semantics, and its
//! [`FaultRule`]s), its JSON and command-line forms, the seedable RNG, the counters and the
//! [`Injector`] that decides which fault, if any, hits a request. The one place faults are
//! applied is `Oss::serve` in `service.rs`.

use crate::error::OssError;
use crate::http::{Framing, RequestHead};
use crate::server::lock;
use serde_json::{json, Map, Value};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::service::Operation;

/// The error answers an `error` or `lose_response_after_commit` fault can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStatus {
    /// 500 InternalError.
    InternalError,
    /// 503 ServiceUnavailable.
    ServiceUnavailable,
    /// 429 TooManyRequests.
    TooManyRequests,
}

impl ErrorStatus {
    pub fn status(self) -> u16 {
        match self {
            ErrorStatus::InternalError => 500,
            ErrorStatus::ServiceUnavailable => 503,
            ErrorStatus::TooManyRequests => 429,
        }
    }

    pub fn from_status(status: u64) -> Option<ErrorStatus> {
        match status {
            500 => Some(ErrorStatus::InternalError),
            503 => Some(ErrorStatus::ServiceUnavailable),
            429 => Some(ErrorStatus::TooManyRequests),
            _ => None,
        }
    }

    /// The OSS error this status stands for.
    pub(crate) fn error(self) -> OssError {
        match self {
            ErrorStatus::InternalError => OssError::internal("We encountered an internal error. Please try again."),
            ErrorStatus::ServiceUnavailable => {
                OssError::new(503, "ServiceUnavailable", "The service is unavailable. Please try again later.")
            }
            ErrorStatus::TooManyRequests => {
                OssError::new(429, "TooManyRequests", "Too many requests. Please reduce your request rate.")
            }
        }
    }
}

/// What a `lose_response_after_commit` fault answers instead of the real answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostAnswer {
    Error(ErrorStatus),
    /// No answer: the connection is reset.
    Reset,
}

/// How a `malformed` fault spoils a 200 answer's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformation {
    /// The first half of the body.
    Truncate,
    /// The body up to the opening tag of its last leaf element (first half if there is none).
    Unterminated,
}

impl Malformation {
    fn name(self) -> &'static str {
        match self {
            Malformation::Truncate => "truncate",
            Malformation::Unterminated => "unterminated",
        }
    }

    /// The spoiled form of `body`.
    pub fn apply(self, body: &[u8]) -> Vec<u8> {
        let half = body[..body.len() / 2].to_vec();
        if self == Malformation::Truncate {
            return half;
        }
        // A leaf is `<Name>text</Name>`: the last closing tag that follows text, not a tag.
        let closing = (0..body.len().saturating_sub(1))
            .rev()
            .find(|&i| body[i] == b'<' && body[i + 1] == b'/' && i > 0 && body[i - 1] != b'>' && body[i - 1] != b'\n');
        let open_end = closing.and_then(|i| body[..i].iter().rposition(|&b| b == b'>'));
        match open_end {
            Some(end) => body[..=end].to_vec(),
            None => half,
        }
    }
}

/// A field of a successful answer an `oversized_field` fault blows up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `<UploadId>` of an InitiateMultipartUpload result.
    UploadId,
    /// The `ETag` header.
    ETag,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::UploadId => "UploadId",
            Field::ETag => "ETag",
        }
    }
}

/// One kind of fault with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer this error instead of running the operation.
    Error(ErrorStatus),
    /// Run the operation, then lose its answer.
    LoseResponseAfterCommit(LostAnswer),
    /// Read this many body bytes (None: half the Content-Length), then reset the connection.
    Reset { after_bytes: Option<u64> },
    /// Run the operation, then wait this long before answering.
    Delay(Duration),
    /// Run the operation, then spoil the body of its 200 answer.
    Malformed(Malformation),
    /// Answer `status` with a body of `bytes` bytes (None: endless, chunked).
    HugeBody { status: u16, bytes: Option<u64>, chunked: bool },
    /// Never answer.
    Stall,
    /// Run the operation, then send its answer's head (`head`) or body one byte every `every`.
    Drip { head: bool, every: Duration },
    /// Send `100 Continue` every `every` and never a final answer.
    EndlessContinue { every: Duration },
    /// Run the operation, then make `field` of its 2xx answer `bytes` long.
    OversizedField { field: Field, bytes: u64 },
}

impl FaultKind {
    /// The `fault` name in JSON, counters and the log.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Error(_) => "error",
            FaultKind::LoseResponseAfterCommit(_) => "lose_response_after_commit",
            FaultKind::Reset { .. } => "reset",
            FaultKind::Delay(_) => "delay",
            FaultKind::Malformed(_) => "malformed",
            FaultKind::HugeBody { .. } => "huge_body",
            FaultKind::Stall => "stall",
            FaultKind::Drip { .. } => "drip",
            FaultKind::EndlessContinue { .. } => "endless_continue",
            FaultKind::OversizedField { .. } => "oversized_field",
        }
    }

    /// `{"fault": NAME, ..parameters}`.
    fn to_json(self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("fault".into(), self.name().into());
        match self {
            FaultKind::Error(s) | FaultKind::LoseResponseAfterCommit(LostAnswer::Error(s)) => {
                m.insert("status".into(), s.status().into());
            }
            FaultKind::LoseResponseAfterCommit(LostAnswer::Reset) => {
                m.insert("reset".into(), true.into());
            }
            FaultKind::Reset { after_bytes } => {
                if let Some(n) = after_bytes {
                    m.insert("after_bytes".into(), n.into());
                }
            }
            FaultKind::Delay(d) => {
                m.insert("ms".into(), (d.as_millis() as u64).into());
            }
            FaultKind::Malformed(how) => {
                m.insert("how".into(), how.name().into());
            }
            FaultKind::HugeBody { status, bytes, chunked } => {
                m.insert("status".into(), status.into());
                if let Some(n) = bytes {
                    m.insert("bytes".into(), n.into());
                }
                m.insert("chunked".into(), chunked.into());
            }
            FaultKind::Stall => {}
            FaultKind::Drip { head, every } => {
                m.insert("part".into(), if head { "head" } else { "body" }.into());
                m.insert("ms".into(), (every.as_millis() as u64).into());
            }
            FaultKind::EndlessContinue { every } => {
                m.insert("ms".into(), (every.as_millis() as u64).into());
            }
            FaultKind::OversizedField { field, bytes } => {
                m.insert("field".into(), field.name().into());
                m.insert("bytes".into(), bytes.into());
            }
        }
        m
    }

    /// How many body bytes a `reset` reads from a request with `head` before resetting.
    pub fn reset_point(after_bytes: Option<u64>, head: &RequestHead) -> u64 {
        after_bytes.unwrap_or(match head.framing() {
            Ok(Framing::Length(n)) => n / 2,
            _ => 0,
        })
    }
}

/// Which requests a rule applies to; `None` fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultFilter {
    /// The HTTP method (compared case-insensitively).
    pub method: Option<String>,
    pub operation: Option<Operation>,
    /// A substring of the raw (still percent-encoded) query string.
    pub query_contains: Option<String>,
}

impl FaultFilter {
    fn matches(&self, op: Operation, head: &RequestHead) -> bool {
        self.method.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&head.method))
            && self.operation.is_none_or(|o| o == op)
            && self.query_contains.as_ref().is_none_or(|q| head.query().unwrap_or("").contains(q.as_str()))
    }
}

/// One fault and the requests it hits.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub kind: FaultKind,
    /// Probability (0.0–1.0) that a matching request is hit.
    pub rate: f64,
    /// At most this many injections by this rule.
    pub limit: Option<u64>,
    pub filter: FaultFilter,
}

impl FaultRule {
    /// A rule that hits every request (rate 1.0, no limit, no filter).
    pub fn new(kind: FaultKind) -> FaultRule {
        FaultRule { kind, rate: 1.0, limit: None, filter: FaultFilter::default() }
    }

    pub fn rate(mut self, rate: f64) -> FaultRule {
        self.rate = rate;
        self
    }

    pub fn limit(mut self, limit: u64) -> FaultRule {
        self.limit = Some(limit);
        self
    }

    pub fn method(mut self, method: &str) -> FaultRule {
        self.filter.method = Some(method.to_string());
        self
    }

    pub fn operation(mut self, op: Operation) -> FaultRule {
        self.filter.operation = Some(op);
        self
    }

    pub fn query_contains(mut self, text: &str) -> FaultRule {
        self.filter.query_contains = Some(text.to_string());
        self
    }

    /// The JSON form (see the module docs).
    pub fn to_json(&self) -> Value {
        let mut m = self.kind.to_json();
        m.insert("rate".into(), self.rate.into());
        if let Some(limit) = self.limit {
            m.insert("limit".into(), limit.into());
        }
        if let Some(method) = &self.filter.method {
            m.insert("method".into(), method.clone().into());
        }
        if let Some(op) = self.filter.operation {
            m.insert("operation".into(), op.name().into());
        }
        if let Some(q) = &self.filter.query_contains {
            m.insert("query_contains".into(), q.clone().into());
        }
        Value::Object(m)
    }

    /// Parses the JSON form; unknown keys, and parameters of another kind, are refused.
    pub fn from_json(v: &Value) -> Result<FaultRule, String> {
        let obj = v.as_object().ok_or("a fault rule must be a JSON object")?;
        let kind_name = str_field(obj, "fault")?.ok_or("a fault rule needs \"fault\"")?;
        let params: &[&str] = match kind_name {
            "error" => &["status"],
            "lose_response_after_commit" => &["status", "reset"],
            "reset" => &["after_bytes"],
            "delay" => &["ms"],
            "malformed" => &["how"],
            "huge_body" => &["status", "bytes", "chunked"],
            "stall" => &[],
            "drip" => &["part", "ms"],
            "endless_continue" => &["ms"],
            "oversized_field" => &["field", "bytes"],
            other => {
                return Err(format!(
                    "unknown fault '{other}' (error, lose_response_after_commit, reset, delay, malformed, huge_body, \
                     stall, drip, endless_continue, oversized_field)"
                ))
            }
        };
        const COMMON: &[&str] = &["fault", "rate", "limit", "method", "operation", "query_contains"];
        if let Some(key) = obj.keys().find(|k| !COMMON.contains(&k.as_str()) && !params.contains(&k.as_str())) {
            return Err(format!("unknown key '{key}' for a '{kind_name}' fault"));
        }
        let status = || -> Result<ErrorStatus, String> {
            match u64_field(obj, "status")? {
                None => Ok(ErrorStatus::InternalError),
                Some(s) => ErrorStatus::from_status(s).ok_or(format!("status {s} is not one of 500, 503, 429")),
            }
        };
        let kind = match kind_name {
            "error" => FaultKind::Error(status()?),
            "lose_response_after_commit" => match bool_field(obj, "reset")? {
                Some(true) if obj.contains_key("status") => return Err("give either \"status\" or \"reset\"".into()),
                Some(true) => FaultKind::LoseResponseAfterCommit(LostAnswer::Reset),
                _ => FaultKind::LoseResponseAfterCommit(LostAnswer::Error(status()?)),
            },
            "reset" => FaultKind::Reset { after_bytes: u64_field(obj, "after_bytes")? },
            "delay" => FaultKind::Delay(Duration::from_millis(u64_field(obj, "ms")?.ok_or("a delay needs \"ms\"")?)),
            "huge_body" => FaultKind::HugeBody {
                status: match u64_field(obj, "status")? {
                    None => 200,
                    Some(s @ (200 | 403 | 500 | 503)) => s as u16,
                    Some(s) => return Err(format!("status {s} is not one of 200, 403, 500, 503")),
                },
                bytes: u64_field(obj, "bytes")?,
                chunked: bool_field(obj, "chunked")?.unwrap_or(false),
            },
            "stall" => FaultKind::Stall,
            "drip" => FaultKind::Drip {
                head: match str_field(obj, "part")? {
                    None | Some("body") => false,
                    Some("head") => true,
                    Some(other) => return Err(format!("unknown part '{other}' (head, body)")),
                },
                every: Duration::from_millis(u64_field(obj, "ms")?.unwrap_or(1000)),
            },
            "endless_continue" => {
                FaultKind::EndlessContinue { every: Duration::from_millis(u64_field(obj, "ms")?.unwrap_or(500)) }
            }
            "oversized_field" => FaultKind::OversizedField {
                field: match str_field(obj, "field")? {
                    Some("UploadId") => Field::UploadId,
                    Some("ETag") => Field::ETag,
                    _ => return Err("\"field\" must be UploadId or ETag".into()),
                },
                bytes: u64_field(obj, "bytes")?.ok_or("an oversized_field needs \"bytes\"")?,
            },
            _ => FaultKind::Malformed(match str_field(obj, "how")? {
                None | Some("truncate") => Malformation::Truncate,
                Some("unterminated") => Malformation::Unterminated,
                Some(other) => return Err(format!("unknown malformation '{other}' (truncate, unterminated)")),
            }),
        };
        let rate = match obj.get("rate") {
            None => 1.0,
            Some(r) => r.as_f64().ok_or("\"rate\" must be a number")?,
        };
        let operation = match str_field(obj, "operation")? {
            None => None,
            Some(name) => Some(Operation::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
                format!("unknown operation '{name}' ({})", names.join(", "))
            })?),
        };
        let rule = FaultRule {
            kind,
            rate,
            limit: u64_field(obj, "limit")?,
            filter: FaultFilter {
                method: str_field(obj, "method")?.map(str::to_string),
                operation,
                query_contains: str_field(obj, "query_contains")?.map(str::to_string),
            },
        };
        rule.validate()?;
        Ok(rule)
    }

    /// Parses the command-line form: `key=value` pairs separated by commas, with the keys
    /// of the JSON form.
    pub fn parse_spec(spec: &str) -> Result<FaultRule, String> {
        let mut obj = Map::new();
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (key, value) = pair.split_once('=').ok_or_else(|| format!("'{pair}' is not key=value"))?;
            let (key, value) = (key.trim(), value.trim());
            let bad = || format!("invalid value for {key}: '{value}'");
            let value: Value = match key {
                "rate" => value.parse::<f64>().map_err(|_| bad())?.into(),
                "limit" | "status" | "after_bytes" | "ms" | "bytes" => value.parse::<u64>().map_err(|_| bad())?.into(),
                "reset" | "chunked" => value.parse::<bool>().map_err(|_| bad())?.into(),
                _ => value.into(),
            };
            obj.insert(key.to_string(), value);
        }
        FaultRule::from_json(&Value::Object(obj))
    }

    fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.rate) {
            return Err(format!("rate {} is not between 0.0 and 1.0", self.rate));
        }
        if self.filter.method.as_ref().is_some_and(|m| m.is_empty()) {
            return Err("\"method\" must not be empty".into());
        }
        if self.filter.query_contains.as_ref().is_some_and(|q| q.is_empty()) {
            return Err("\"query_contains\" must not be empty".into());
        }
        Ok(())
    }
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    obj.get(key).map(|v| v.as_str().ok_or(format!("\"{key}\" must be a string"))).transpose()
}

fn u64_field(obj: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    obj.get(key).map(|v| v.as_u64().ok_or(format!("\"{key}\" must be a non-negative integer"))).transpose()
}

fn bool_field(obj: &Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    obj.get(key).map(|v| v.as_bool().ok_or(format!("\"{key}\" must be true or false"))).transpose()
}

/// A fault configuration: the RNG seed and the rules, tried in order.
///
/// # Semantics
///
/// Faults only hit OSS operations: requests that were addressed, authenticated and routed to
/// one of the [`Operation`]s. Malformed, unauthenticated or unroutable requests and the
/// private `/__emulator/` endpoints are never faulted.
///
/// For each such request the rules are tried in order. A rule whose filter matches and whose
/// `limit` is not used up draws one number from the RNG and fires when it is below its `rate`;
/// the first rule that fires decides the request's fault, the others are not tried. With
/// requests sent one after another, the same seed therefore gives the same faults.
/// Replacing the configuration reseeds the RNG and restarts every rule's `limit`.
///
/// | `fault` | parameters | what happens |
/// | --- | --- | --- |
/// | `error` | `status`: 500 (default), 503 or 429 | the operation does not run; the answer is OSS error XML `InternalError`, `ServiceUnavailable` or `TooManyRequests` with an `x-oss-request-id`; the request body is drained (keep-alive stays usable) or, if the client still waits for `100 Continue`, the connection is closed |
/// | `lose_response_after_commit` | `status` (as above, default 500), or `reset: true` | the operation runs in full (object committed, callback POSTed), then its answer is replaced by that error, or the connection is reset without an answer; only when the operation succeeded (2xx, or 203 CallbackFailed, whose object is stored) |
/// | `reset` | `after_bytes` (default: half the `Content-Length`, 0 for chunked bodies) | that many body bytes are read, then the connection is reset (TCP RST through `SO_LINGER` 0) without an answer; the operation does not run, nothing is stored |
/// | `delay` | `ms` | the operation runs, then the answer waits `ms` milliseconds |
/// | `huge_body` | `status`: 200 (default), 403, 500 or 503; `bytes` (absent: endless); `chunked` (default false; forced without `bytes`) | 200: the operation runs and its answer's headers are kept; otherwise it does not run and the answer is the OSS error XML of that status; either way the body then goes on with filler bytes up to `bytes` (`Content-Length: bytes`, or chunked) or without end |
/// | `stall` | none | the operation does not run; the request is read and no answer ever comes (until the client leaves, 300 s at most) |
/// | `drip` | `part`: `body` (default) or `head`; `ms` (default 1000) | the operation runs; its answer is sent one byte every `ms`: the head byte by byte (then the body at once), or the head at once and the body byte by byte |
/// | `endless_continue` | `ms` (default 500) | the operation does not run; `100 Continue` is sent every `ms` and no final answer comes (300 s at most) |
/// | `oversized_field` | `field`: `UploadId` or `ETag`; `bytes` | the operation runs; a 2xx answer gets that field made `bytes` long (`A`s; the ETag keeps its quotes); other answers pass unchanged |
/// | `malformed` | `how`: `truncate` (default) or `unterminated` | the operation runs; a 200 answer with a body gets that body cut in half (`truncate`) or cut right after the opening tag of its last leaf element, e.g. `…<UploadId>` (`unterminated`; bodies without one are cut in half); `Content-Length` matches what is sent; other answers pass unchanged |
///
/// Every rule also takes `rate` (0.0–1.0, default 1.0), `limit` (at most that many injections
/// by this rule; default unlimited) and the filters `method` (case-insensitive), `operation`
/// (an [`Operation`] name such as `UploadPart`) and `query_contains` (a substring of the raw
/// query string, e.g. `partNumber=2`); absent filters match everything.
///
/// A fault that did not apply (a `lose_response_after_commit` or `malformed` whose operation
/// failed) is not counted and does not use up its rule's `limit`. Applied faults are counted by
/// kind ([`FaultCounts`]; a delay as soon as it starts) and recorded in the request log, which
/// is written when the answer is, as `"fault": {"rule": INDEX, "fault": KIND, ..parameters}`;
/// a reset exchange is logged with `"status": null`.
///
/// # Forms
///
/// JSON (`PUT /__emulator/faults`, `GET /__emulator/faults`):
/// `{"seed": 7, "rules": [{"fault": "error", "status": 503, "rate": 0.5, "operation": "UploadPart", "limit": 2}]}`
///
/// Command line (`oss-emulator --fault SPEC`, repeatable, plus `--fault-seed N`): the same keys
/// as `key=value` pairs separated by commas, e.g.
/// `--fault fault=lose_response_after_commit,reset=true,operation=CompleteMultipartUpload`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    pub seed: u64,
    pub rules: Vec<FaultRule>,
}

impl Faults {
    /// `{"seed": N, "rules": [..]}`.
    pub fn to_json(&self) -> Value {
        json!({"seed": self.seed, "rules": self.rules.iter().map(FaultRule::to_json).collect::<Vec<_>>()})
    }

    /// Parses the JSON form; `seed` defaults to 0 and `rules` to none.
    pub fn from_json(v: &Value) -> Result<Faults, String> {
        let obj = v.as_object().ok_or("the fault configuration must be a JSON object")?;
        if let Some(key) = obj.keys().find(|k| *k != "seed" && *k != "rules") {
            return Err(format!("unknown key '{key}' (seed, rules)"));
        }
        let rules = match obj.get("rules") {
            None => Vec::new(),
            Some(Value::Array(rules)) => rules
                .iter()
                .enumerate()
                .map(|(i, r)| FaultRule::from_json(r).map_err(|e| format!("rule {i}: {e}")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("\"rules\" must be an array".into()),
        };
        Ok(Faults { seed: u64_field(obj, "seed")?.unwrap_or(0), rules })
    }

    /// Checks every rule (rates within 0.0–1.0, no empty filters).
    pub fn validate(&self) -> Result<(), String> {
        self.rules.iter().enumerate().try_for_each(|(i, r)| r.validate().map_err(|e| format!("rule {i}: {e}")))
    }
}

/// How many faults were injected, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    pub error: u64,
    pub lose_response_after_commit: u64,
    pub reset: u64,
    pub delay: u64,
    pub malformed: u64,
    pub huge_body: u64,
    pub stall: u64,
    pub drip: u64,
    pub endless_continue: u64,
    pub oversized_field: u64,
}

impl FaultCounts {
    pub fn total(&self) -> u64 {
        self.error
            + self.lose_response_after_commit
            + self.reset
            + self.delay
            + self.malformed
            + self.huge_body
            + self.stall
            + self.drip
            + self.endless_continue
            + self.oversized_field
    }

    fn add(&mut self, kind: &FaultKind) {
        *match kind {
            FaultKind::Error(_) => &mut self.error,
            FaultKind::LoseResponseAfterCommit(_) => &mut self.lose_response_after_commit,
            FaultKind::Reset { .. } => &mut self.reset,
            FaultKind::Delay(_) => &mut self.delay,
            FaultKind::Malformed(_) => &mut self.malformed,
            FaultKind::HugeBody { .. } => &mut self.huge_body,
            FaultKind::Stall => &mut self.stall,
            FaultKind::Drip { .. } => &mut self.drip,
            FaultKind::EndlessContinue { .. } => &mut self.endless_continue,
            FaultKind::OversizedField { .. } => &mut self.oversized_field,
        } += 1;
    }

    /// Every kind's count and `"total"`.
    pub fn to_json(&self) -> Value {
        json!({
            "error": self.error,
            "lose_response_after_commit": self.lose_response_after_commit,
            "reset": self.reset,
            "delay": self.delay,
            "malformed": self.malformed,
            "huge_body": self.huge_body,
            "stall": self.stall,
            "drip": self.drip,
            "endless_continue": self.endless_continue,
            "oversized_field": self.oversized_field,
            "total": self.total(),
        })
    }
}

/// SplitMix64: small, fast and the same on every platform and version, so a seed always
/// gives the same sequence.
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `rate` (one draw).
    pub fn chance(&mut self, rate: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < rate
    }
}

/// The fault chosen for one request.
#[derive(Debug)]
pub struct Decision {
    /// Index of the rule that fired.
    pub rule: usize,
    pub kind: FaultKind,
    /// The configuration the rule belongs to.
    generation: u64,
}

impl Decision {
    /// The request log's view: `{"rule": INDEX, "fault": KIND, ..parameters}`.
    pub fn to_log(&self) -> Value {
        let mut m = self.kind.to_json();
        m.insert("rule".into(), self.rule.into());
        Value::Object(m)
    }
}

struct State {
    faults: Faults,
    rng: Rng,
    /// Injections (decided and not cancelled) per rule.
    used: Vec<u64>,
    generation: u64,
}

/// The live fault configuration of an emulator, its RNG and counters.
pub struct Injector {
    state: Mutex<State>,
    counts: Mutex<FaultCounts>,
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl Injector {
    pub fn new(faults: Faults) -> Injector {
        let state = State { rng: Rng::new(faults.seed), used: vec![0; faults.rules.len()], faults, generation: 0 };
        Injector {
            state: Mutex::new(state),
            counts: Mutex::new(FaultCounts::default()),
            stopped: Mutex::new(false),
            wake: Condvar::new(),
        }
    }

    /// Replaces the configuration: reseeds the RNG and restarts the rules' limits (the
    /// counters keep counting).
    pub fn set(&self, faults: Faults) {
        let mut state = lock(&self.state);
        let generation = state.generation + 1;
        *state = State { rng: Rng::new(faults.seed), used: vec![0; faults.rules.len()], faults, generation };
    }

    /// The current configuration.
    pub fn faults(&self) -> Faults {
        lock(&self.state).faults.clone()
    }

    /// Chooses the fault for a request to `op` (see the module docs). A decision must be
    /// passed to [`Injector::settle`] once it is known whether it applied.
    pub fn decide(&self, op: Operation, head: &RequestHead) -> Option<Decision> {
        let mut guard = lock(&self.state);
        let state = &mut *guard;
        for (i, rule) in state.faults.rules.iter().enumerate() {
            if !rule.filter.matches(op, head) || rule.limit.is_some_and(|l| state.used[i] >= l) {
                continue;
            }
            if state.rng.chance(rule.rate) {
                state.used[i] += 1;
                return Some(Decision { rule: i, kind: rule.kind, generation: state.generation });
            }
        }
        None
    }

    /// Counts an applied fault, or gives back the rule's `limit` use of one that did not apply.
    pub fn settle(&self, decision: &Decision, applied: bool) {
        if applied {
            lock(&self.counts).add(&decision.kind);
            return;
        }
        let mut state = lock(&self.state);
        if state.generation == decision.generation {
            state.used[decision.rule] -= 1;
        }
    }

    /// Faults injected so far, by kind.
    pub fn counts(&self) -> FaultCounts {
        *lock(&self.counts)
    }

    /// Waits `duration`, or less if the emulator stops meanwhile.
    pub fn sleep(&self, duration: Duration) {
        let stopped = lock(&self.stopped);
        let _ = self.wake.wait_timeout_while(stopped, duration, |stopped| !*stopped);
    }

    /// Ends every pending and future [`Injector::sleep`] at once.
    pub fn stop(&self) {
        *lock(&self.stopped) = true;
        self.wake.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> RequestHead {
        RequestHead::read(&mut raw.as_bytes()).unwrap()
    }

    #[test]
    fn rng_is_splitmix64() {
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let (mut a, mut b) = (Rng::new(42), Rng::new(42));
        assert!((0..100).all(|_| a.chance(0.5) == b.chance(0.5)));
        assert!((0..100).all(|_| a.chance(1.0) && !a.chance(0.0)));
    }

    #[test]
    fn parses_and_renders_rules() {
        let json = json!({"seed": 9, "rules": [
            {"fault": "error", "status": 503, "rate": 0.5, "operation": "UploadPart", "limit": 2},
            {"fault": "lose_response_after_commit", "reset": true, "method": "post"},
            {"fault": "lose_response_after_commit", "status": 429},
            {"fault": "reset", "after_bytes": 10, "query_contains": "partNumber=2"},
            {"fault": "delay", "ms": 1500},
            {"fault": "malformed", "how": "unterminated"},
        ]});
        let faults = Faults::from_json(&json).unwrap();
        assert_eq!(faults.seed, 9);
        assert_eq!(
            faults.rules[0],
            FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
                .rate(0.5)
                .limit(2)
                .operation(Operation::UploadPart)
        );
        assert_eq!(faults.rules[1].kind, FaultKind::LoseResponseAfterCommit(LostAnswer::Reset));
        assert_eq!(faults.rules[4].kind, FaultKind::Delay(Duration::from_millis(1500)));
        assert_eq!(Faults::from_json(&faults.to_json()).unwrap(), faults);
        assert_eq!(Faults::from_json(&json!({})).unwrap(), Faults::default());

        let spec = FaultRule::parse_spec("fault=error,status=429,rate=0.25,query_contains=partNumber=3").unwrap();
        assert_eq!(
            spec,
            FaultRule::new(FaultKind::Error(ErrorStatus::TooManyRequests)).rate(0.25).query_contains("partNumber=3")
        );
        assert_eq!(
            FaultRule::parse_spec("fault=malformed").unwrap().kind,
            FaultKind::Malformed(Malformation::Truncate)
        );

        let err = |v: Value| FaultRule::from_json(&v).unwrap_err();
        assert!(err(json!({"fault": "error", "status": 404})).contains("500, 503, 429"));
        assert!(err(json!({"fault": "error", "ms": 4})).contains("unknown key 'ms'"));
        assert!(err(json!({"fault": "nope"})).contains("unknown fault"));
        assert!(err(json!({"fault": "error", "rate": 1.5})).contains("between"));
        assert!(err(json!({"fault": "error", "operation": "Put"})).contains("PutObject"));
        assert!(err(json!({"fault": "delay"})).contains("ms"));
        assert!(err(json!({"fault": "lose_response_after_commit", "reset": true, "status": 500})).contains("either"));
        assert!(err(json!({"status": 500})).contains("needs"));
        assert!(FaultRule::parse_spec("fault=error,status=x").unwrap_err().contains("status"));
        assert!(Faults::from_json(&json!({"rule": []})).unwrap_err().contains("unknown key"));
    }

    #[test]
    fn parses_and_renders_hostile_rules() {
        let json = json!({"rules": [
            {"fault": "huge_body", "status": 500, "bytes": 1024},
            {"fault": "huge_body", "chunked": true},
            {"fault": "stall", "operation": "GetObject"},
            {"fault": "drip", "part": "head", "ms": 50},
            {"fault": "endless_continue"},
            {"fault": "oversized_field", "field": "UploadId", "bytes": 4096},
        ]});
        let faults = Faults::from_json(&json).unwrap();
        let kinds: Vec<FaultKind> = faults.rules.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            vec![
                FaultKind::HugeBody { status: 500, bytes: Some(1024), chunked: false },
                FaultKind::HugeBody { status: 200, bytes: None, chunked: true },
                FaultKind::Stall,
                FaultKind::Drip { head: true, every: Duration::from_millis(50) },
                FaultKind::EndlessContinue { every: Duration::from_millis(500) },
                FaultKind::OversizedField { field: Field::UploadId, bytes: 4096 },
            ]
        );
        assert_eq!(Faults::from_json(&faults.to_json()).unwrap(), faults);
        assert_eq!(
            FaultRule::parse_spec("fault=huge_body,status=403,bytes=7,chunked=true").unwrap().kind,
            FaultKind::HugeBody { status: 403, bytes: Some(7), chunked: true }
        );
        let err = |v: Value| FaultRule::from_json(&v).unwrap_err();
        assert!(err(json!({"fault": "huge_body", "status": 404})).contains("200, 403, 500, 503"));
        assert!(err(json!({"fault": "stall", "ms": 1})).contains("unknown key 'ms'"));
        assert!(err(json!({"fault": "drip", "part": "tail"})).contains("head, body"));
        assert!(err(json!({"fault": "oversized_field", "field": "Key", "bytes": 1})).contains("UploadId or ETag"));
        assert!(err(json!({"fault": "oversized_field", "field": "ETag"})).contains("bytes"));
    }

    #[test]
    fn spoils_bodies() {
        let xml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult>\n  <Bucket>b</Bucket>\n  <Key>k</Key>\n  <UploadId>AB</UploadId>\n</InitiateMultipartUploadResult>\n";
        let cut = Malformation::Unterminated.apply(xml);
        assert!(cut.ends_with(b"<Key>k</Key>\n  <UploadId>"), "{}", String::from_utf8_lossy(&cut));
        assert_eq!(Malformation::Truncate.apply(xml), xml[..xml.len() / 2].to_vec());
        let json = br#"{"Status":"OK"}"#;
        assert_eq!(Malformation::Unterminated.apply(json), json[..7].to_vec());
    }

    #[test]
    fn decides_in_order_with_limits() {
        let injector = Injector::new(Faults {
            seed: 1,
            rules: vec![
                FaultRule::new(FaultKind::Error(ErrorStatus::InternalError)).method("PUT").limit(1),
                FaultRule::new(FaultKind::Delay(Duration::from_millis(5))).query_contains("uploadId"),
            ],
        });
        let put = head("PUT /bkt/k?partNumber=1&uploadId=U HTTP/1.1\r\n\r\n");
        let first = injector.decide(Operation::UploadPart, &put).unwrap();
        assert_eq!((first.rule, first.kind.name()), (0, "error"));
        // Not applied: the rule's single use comes back.
        injector.settle(&first, false);
        let again = injector.decide(Operation::UploadPart, &put).unwrap();
        assert_eq!(again.rule, 0);
        injector.settle(&again, true);
        assert_eq!(injector.decide(Operation::UploadPart, &put).unwrap().rule, 1);
        assert!(injector.decide(Operation::GetObject, &head("GET /bkt/k HTTP/1.1\r\n\r\n")).is_none());
        assert_eq!(injector.counts(), FaultCounts { error: 1, ..Default::default() });
        assert_eq!(again.to_log(), json!({"rule": 0, "fault": "error", "status": 500}));
        assert_eq!(FaultKind::reset_point(None, &head("PUT / HTTP/1.1\r\nContent-Length: 9\r\n\r\n")), 4);
    }
}
