//! Fault injection: the configuration ([`Faults`], whose docs give the semantics, and its
//! [`FaultRule`]s), its JSON and command-line forms, the seedable RNG, the counters and the
//! [`Injector`] that decides which fault, if any, hits a request. The one place faults are
//! applied is `Oss::serve` in `service.rs`.
//!
//! serde reads and writes the JSON form, through the private `RuleSpec` (a [`FaultRule`]) and
//! `KindSpec` (a [`FaultKind`]).

use crate::error::OssError;
use crate::http::{Framing, RequestHead};
use crate::server::lock;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::service::Operation;

/// The error answers an `error` or `lose_response_after_commit` fault can give; in JSON its
/// status code (500, 503 or 429).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u16")]
pub enum ErrorStatus {
    /// 500 InternalError.
    #[default]
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

impl TryFrom<u64> for ErrorStatus {
    type Error = String;

    fn try_from(status: u64) -> Result<ErrorStatus, String> {
        ErrorStatus::from_status(status).ok_or(format!("status {status} is not one of 500, 503, 429"))
    }
}

impl From<ErrorStatus> for u16 {
    fn from(status: ErrorStatus) -> u16 {
        status.status()
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Malformation {
    /// The first half of the body.
    Truncate,
    /// The body up to the opening tag of its last leaf element (first half if there is none).
    Unterminated,
}

impl Malformation {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    /// `<UploadId>` of an InitiateMultipartUpload result.
    UploadId,
    /// The `ETag` header.
    ETag,
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
        to_object(KindSpec::from(self))
    }

    /// How many body bytes a `reset` reads from a request with `head` before resetting.
    pub fn reset_point(after_bytes: Option<u64>, head: &RequestHead) -> u64 {
        after_bytes.unwrap_or(match head.framing() {
            Ok(Framing::Length(n)) => n / 2,
            _ => 0,
        })
    }
}

/// The JSON form of a [`FaultKind`]: the tag `"fault"` and the kind's parameters (absent ones
/// take their defaults, see [`Faults`]); keys of other kinds are refused.
#[derive(Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case", deny_unknown_fields)]
enum KindSpec {
    Error { status: Option<ErrorStatus> },
    LoseResponseAfterCommit { status: Option<ErrorStatus>, reset: Option<bool> },
    Reset { after_bytes: Option<u64> },
    Delay { ms: u64 },
    Malformed { how: Option<Malformation> },
    HugeBody { status: Option<u64>, bytes: Option<u64>, chunked: Option<bool> },
    Stall {},
    Drip { part: Option<Part>, ms: Option<u64> },
    EndlessContinue { ms: Option<u64> },
    OversizedField { field: Field, bytes: u64 },
}

/// The part of its answer a `drip` fault sends byte by byte.
#[derive(PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Part {
    Head,
    Body,
}

impl TryFrom<KindSpec> for FaultKind {
    type Error = String;

    fn try_from(spec: KindSpec) -> Result<FaultKind, String> {
        use {FaultKind as Kind, KindSpec as Spec};
        let millis = Duration::from_millis;
        Ok(match spec {
            Spec::Error { status } => Kind::Error(status.unwrap_or_default()),
            Spec::LoseResponseAfterCommit { status: Some(_), reset: Some(true) } => {
                return Err("give either \"status\" or \"reset\"".into())
            }
            Spec::LoseResponseAfterCommit { reset: Some(true), .. } => Kind::LoseResponseAfterCommit(LostAnswer::Reset),
            Spec::LoseResponseAfterCommit { status, .. } => {
                Kind::LoseResponseAfterCommit(LostAnswer::Error(status.unwrap_or_default()))
            }
            Spec::Reset { after_bytes } => Kind::Reset { after_bytes },
            Spec::Delay { ms } => Kind::Delay(millis(ms)),
            Spec::Malformed { how } => Kind::Malformed(how.unwrap_or(Malformation::Truncate)),
            Spec::HugeBody { status, bytes, chunked } => Kind::HugeBody {
                status: match status.unwrap_or(200) {
                    s @ (200 | 403 | 500 | 503) => s as u16,
                    s => return Err(format!("status {s} is not one of 200, 403, 500, 503")),
                },
                bytes,
                chunked: chunked.unwrap_or(false),
            },
            Spec::Stall {} => Kind::Stall,
            Spec::Drip { part, ms } => Kind::Drip { head: part == Some(Part::Head), every: millis(ms.unwrap_or(1000)) },
            Spec::EndlessContinue { ms } => Kind::EndlessContinue { every: millis(ms.unwrap_or(500)) },
            Spec::OversizedField { field, bytes } => Kind::OversizedField { field, bytes },
        })
    }
}

impl From<FaultKind> for KindSpec {
    fn from(kind: FaultKind) -> KindSpec {
        use {FaultKind as Kind, KindSpec as Spec};
        let ms = |d: Duration| d.as_millis() as u64;
        match kind {
            Kind::Error(status) => Spec::Error { status: Some(status) },
            Kind::LoseResponseAfterCommit(LostAnswer::Error(s)) => {
                Spec::LoseResponseAfterCommit { status: Some(s), reset: None }
            }
            Kind::LoseResponseAfterCommit(LostAnswer::Reset) => {
                Spec::LoseResponseAfterCommit { status: None, reset: Some(true) }
            }
            Kind::Reset { after_bytes } => Spec::Reset { after_bytes },
            Kind::Delay(d) => Spec::Delay { ms: ms(d) },
            Kind::Malformed(how) => Spec::Malformed { how: Some(how) },
            Kind::HugeBody { status, bytes, chunked } => {
                Spec::HugeBody { status: Some(status.into()), bytes, chunked: Some(chunked) }
            }
            Kind::Stall => Spec::Stall {},
            Kind::Drip { head, every } => {
                Spec::Drip { part: Some(if head { Part::Head } else { Part::Body }), ms: Some(ms(every)) }
            }
            Kind::EndlessContinue { every } => Spec::EndlessContinue { ms: Some(ms(every)) },
            Kind::OversizedField { field, bytes } => Spec::OversizedField { field, bytes },
        }
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

/// The JSON form of a [`FaultRule`]: its kind's keys and the common ones. Unknown keys reach
/// `KindSpec`, which refuses them.
#[derive(Serialize, Deserialize)]
struct RuleSpec {
    #[serde(flatten)]
    kind: KindSpec,
    rate: Option<f64>,
    limit: Option<u64>,
    method: Option<String>,
    operation: Option<String>,
    query_contains: Option<String>,
}

impl TryFrom<RuleSpec> for FaultRule {
    type Error = String;

    fn try_from(s: RuleSpec) -> Result<FaultRule, String> {
        let operation = s.operation.map(|name| {
            let names = || Operation::ALL.map(Operation::name).join(", ");
            Operation::from_name(&name).ok_or_else(|| format!("unknown operation '{name}' ({})", names()))
        });
        let filter =
            FaultFilter { method: s.method, operation: operation.transpose()?, query_contains: s.query_contains };
        let rule = FaultRule { kind: s.kind.try_into()?, rate: s.rate.unwrap_or(1.0), limit: s.limit, filter };
        rule.validate().map(|()| rule)
    }
}

impl From<FaultRule> for RuleSpec {
    fn from(r: FaultRule) -> RuleSpec {
        let FaultFilter { method, operation, query_contains } = r.filter;
        let operation = operation.map(|op| op.name().to_string());
        RuleSpec { kind: r.kind.into(), rate: Some(r.rate), limit: r.limit, method, operation, query_contains }
    }
}

/// The JSON object of a `KindSpec` or `RuleSpec`, without the keys that are `None` (which read
/// back as `None`; `null` is refused).
fn to_object(spec: impl Serialize) -> Map<String, Value> {
    let Ok(Value::Object(mut m)) = serde_json::to_value(spec) else { unreachable!("a spec is a JSON object") };
    m.retain(|_, v| !v.is_null());
    m
}

/// A serde error in this module's words: keys (not fields) and values (not variants), in single
/// quotes.
fn message(e: serde_json::Error) -> String {
    let e = e.to_string().replace('`', "'");
    let words =
        [("unknown field", "unknown key"), ("missing field", "missing key"), ("unknown variant", "unknown value")];
    match words.iter().find(|(theirs, _)| e.starts_with(theirs)) {
        Some((theirs, ours)) => format!("{ours}{}", &e[theirs.len()..]),
        None => e,
    }
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

    /// The JSON form (see [`Faults`]).
    pub fn to_json(&self) -> Value {
        Value::Object(to_object(RuleSpec::from(self.clone())))
    }

    /// Parses the JSON form; unknown keys, and parameters of another kind, are refused.
    pub fn from_json(v: &Value) -> Result<FaultRule, String> {
        // What serde would take: `null` for an absent key, a struct as an array, and a
        // variant's index for its name (`"fault": 0`).
        let obj = v.as_object().ok_or("a fault rule must be a JSON object")?;
        if let Some((key, _)) = obj.iter().find(|(_, v)| v.is_null()) {
            return Err(format!("\"{key}\" must not be null"));
        }
        if obj.get("fault").is_some_and(|f| !f.is_string()) {
            return Err("\"fault\" must be a string".into());
        }
        let parse = |v: &Value| RuleSpec::deserialize(v).map_err(message);
        // serde names a wrong value, not its key: the key is the one whose value alone fails alike.
        let alone = |key: &str| json!({"fault": obj.get("fault"), key: obj.get(key)});
        let culprit =
            |e: &String| obj.keys().find(|k| e.starts_with("invalid") && parse(&alone(k)).as_ref().err() == Some(e));
        parse(v).map_err(|e| culprit(&e).map_or(e.clone(), |key| format!("\"{key}\": {e}")))?.try_into()
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
        #[derive(Default, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        struct Spec {
            seed: u64,
            rules: Vec<Value>,
        }
        // serde would also take an array (`[seed, rules]`).
        if !v.is_object() {
            return Err("the fault configuration must be a JSON object".into());
        }
        let Spec { seed, rules } = Spec::deserialize(v).map_err(message)?;
        let rules = rules
            .iter()
            .enumerate()
            .map(|(i, r)| FaultRule::from_json(r).map_err(|e| format!("rule {i}: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(Faults { seed, rules })
    }

    /// Checks every rule (rates within 0.0–1.0, no empty filters).
    pub fn validate(&self) -> Result<(), String> {
        self.rules.iter().enumerate().try_for_each(|(i, r)| r.validate().map_err(|e| format!("rule {i}: {e}")))
    }
}

/// How many faults were injected, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
        let mut counts = serde_json::to_value(self).expect("counts are JSON");
        counts["total"] = self.total().into();
        counts
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
        assert_eq!(err(json!({"fault": "error", "status": 404})), "status 404 is not one of 500, 503, 429");
        assert_eq!(err(json!({"fault": "error", "ms": 4})), "unknown key 'ms', expected 'status'");
        assert!(err(json!({"fault": "nope"})).starts_with("unknown value 'nope', expected one of 'error', "));
        assert_eq!(err(json!({"fault": 0})), "\"fault\" must be a string");
        assert_eq!(err(json!({"fault": "error", "rate": 1.5})), "rate 1.5 is not between 0.0 and 1.0");
        assert_eq!(err(json!({"fault": "error", "rate": "1"})), "\"rate\": invalid type: string \"1\", expected f64");
        assert!(err(json!({"fault": "error", "operation": "Put"})).starts_with("unknown operation 'Put' (PutObject, "));
        assert_eq!(err(json!({"fault": "delay"})), "missing key 'ms'");
        assert_eq!(err(json!({"fault": "delay", "ms": -1})), "\"ms\": invalid value: integer '-1', expected u64");
        assert_eq!(
            err(json!({"fault": "oversized_field", "field": 1, "bytes": 1})),
            "\"field\": invalid type: integer '1', expected string or map"
        );
        assert_eq!(
            err(json!({"fault": "reset", "after_bytes": 1.5, "limit": "2"})),
            "\"limit\": invalid type: string \"2\", expected u64"
        );
        assert!(err(json!({"fault": "lose_response_after_commit", "reset": true, "status": 500})).contains("either"));
        assert_eq!(err(json!({"status": 500})), "missing key 'fault'");
        assert_eq!(err(json!(["error"])), "a fault rule must be a JSON object");
        // Optional keys may be left out, not null.
        assert_eq!(err(json!({"fault": "error", "limit": null})), "\"limit\" must not be null");
        assert_eq!(err(json!({"fault": "error", "method": ""})), "\"method\" must not be empty");
        assert_eq!(FaultRule::parse_spec("fault=error,status=x").unwrap_err(), "invalid value for status: 'x'");
        assert_eq!(FaultRule::parse_spec("fault=stall,ms").unwrap_err(), "'ms' is not key=value");
        let faults_err = |v: Value| Faults::from_json(&v).unwrap_err();
        assert_eq!(faults_err(json!({"rule": []})), "unknown key 'rule', expected 'seed' or 'rules'");
        assert_eq!(faults_err(json!([1, []])), "the fault configuration must be a JSON object");
        assert_eq!(faults_err(json!({"rules": {}})), "invalid type: map, expected a sequence");
        assert_eq!(
            faults_err(json!({"rules": [{"fault": "stall"}, {"fault": "error", "typo": 1}]})),
            "rule 1: unknown key 'typo', expected 'status'"
        );
    }

    /// Every form the repository's tests, scripts and docs write (emulator/tests, tests/fpm/run.py,
    /// bindings/php/tests, main.rs's help) parses, and renders back to itself.
    #[test]
    fn parses_the_forms_in_use() {
        // tests/fpm/run.py's FAULTS, each at the same rate.
        let fpm = json!([
            {"fault": "error", "status": 500}, {"fault": "error", "status": 503}, {"fault": "error", "status": 429},
            {"fault": "lose_response_after_commit", "status": 500}, {"fault": "lose_response_after_commit", "reset": true},
            {"fault": "reset"}, {"fault": "delay", "ms": 1500},
            {"fault": "malformed", "how": "truncate"}, {"fault": "malformed", "how": "unterminated"},
            {"fault": "huge_body", "status": 200, "bytes": 2u64 << 30}, {"fault": "huge_body", "status": 500, "chunked": true},
            {"fault": "oversized_field", "field": "ETag", "bytes": 4096}, {"fault": "stall", "limit": 20},
            {"fault": "drip", "part": "head", "ms": 300, "limit": 20}, {"fault": "endless_continue", "ms": 300, "limit": 20},
        ]);
        let mut fpm = fpm.as_array().unwrap().clone();
        fpm.iter_mut().for_each(|r| r["rate"] = json!(0.0034));
        let configs = [
            json!({"seed": 7, "rules": fpm}),
            // bindings/php/tests/Ffi/HostileServerTest.php
            json!({"seed": 1, "rules": [
                {"fault": "huge_body", "status": 403, "chunked": true, "operation": "UploadPart"},
                {"fault": "oversized_field", "field": "UploadId", "bytes": 50 << 20, "operation": "InitiateMultipartUpload"},
                {"fault": "drip", "part": "body", "ms": 400, "operation": "CompleteMultipartUpload"},
                {"fault": "stall", "operation": "GetObject"},
            ]}),
            // emulator/tests/faults.rs
            json!({"seed": 11, "rules": [
                {"fault": "error", "status": 429, "rate": 1.0, "method": "GET", "operation": "GetObject"},
                {"fault": "reset", "rate": 0.25, "limit": 3, "query_contains": "partNumber"},
            ]}),
            json!({"seed": 1, "rules": []}),
        ];
        for config in configs {
            let faults = Faults::from_json(&config).unwrap_or_else(|e| panic!("{config}: {e}"));
            // The rendering adds the defaults and keeps every given key.
            let shown = faults.to_json();
            for (given, shown) in config["rules"].as_array().unwrap().iter().zip(shown["rules"].as_array().unwrap()) {
                assert!(given.as_object().unwrap().iter().all(|(k, v)| shown[k] == *v), "{given} shown as {shown}");
            }
            assert_eq!(Faults::from_json(&shown), Ok(faults));
        }
        for (spec, expected) in [
            (
                "fault=error,status=503,operation=PutObject,limit=1",
                FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
                    .operation(Operation::PutObject)
                    .limit(1),
            ),
            (
                "fault=delay,ms=1,method=DELETE",
                FaultRule::new(FaultKind::Delay(Duration::from_millis(1))).method("DELETE"),
            ),
            (
                "fault=error,status=503,operation=UploadPart,rate=0.3,limit=5",
                FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
                    .operation(Operation::UploadPart)
                    .rate(0.3)
                    .limit(5),
            ),
            (
                "fault=lose_response_after_commit,reset=true,operation=CompleteMultipartUpload",
                FaultRule::new(FaultKind::LoseResponseAfterCommit(LostAnswer::Reset))
                    .operation(Operation::CompleteMultipartUpload),
            ),
            (
                " fault = drip , part = head ,",
                FaultRule::new(FaultKind::Drip { head: true, every: Duration::from_secs(1) }),
            ),
        ] {
            assert_eq!(FaultRule::parse_spec(spec), Ok(expected), "{spec}");
        }
        assert_eq!(
            FaultRule::parse_spec("fault=error,status=404").unwrap_err(),
            "status 404 is not one of 500, 503, 429"
        );
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
        assert_eq!(err(json!({"fault": "huge_body", "status": 404})), "status 404 is not one of 200, 403, 500, 503");
        assert_eq!(err(json!({"fault": "huge_body", "bytes": null})), "\"bytes\" must not be null");
        assert_eq!(err(json!({"fault": "stall", "ms": 1})), "unknown key 'ms', there are no fields");
        assert_eq!(err(json!({"fault": "drip", "part": "tail"})), "unknown value 'tail', expected 'head' or 'body'");
        assert_eq!(
            err(json!({"fault": "malformed", "how": "half"})),
            "unknown value 'half', expected 'truncate' or 'unterminated'"
        );
        assert_eq!(
            err(json!({"fault": "oversized_field", "field": "Key", "bytes": 1})),
            "unknown value 'Key', expected 'UploadId' or 'ETag'"
        );
        assert_eq!(err(json!({"fault": "oversized_field", "field": "ETag"})), "missing key 'bytes'");
        assert_eq!(
            err(json!({"fault": "drip", "ms": 1, "status": 500})),
            "unknown key 'status', expected 'part' or 'ms'"
        );
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
