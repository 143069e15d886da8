//! The emulator's private endpoints under `/__emulator/` (listed in the crate docs), served
//! without authentication and never faulted. Other paths under the prefix, and methods the
//! public key does not take, are served as OSS requests (bucket `__emulator`), as before.

use crate::callback::PUB_KEY_PATH;
use crate::faults::Faults;
use crate::http::Response;
use crate::server::Request;
use crate::service::Oss;
use serde_json::{json, Value};

/// The fault configuration endpoint.
pub const FAULTS_PATH: &str = "/__emulator/faults";
/// The counters endpoint.
pub const STATS_PATH: &str = "/__emulator/stats";
/// Largest accepted fault configuration.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Answers `req` if it is for one of the private endpoints.
pub fn handle(oss: &Oss, req: &mut Request<'_>) -> Option<Response> {
    let method = req.head.method.as_str();
    let read_only = method == "GET" || method == "HEAD";
    match req.head.path() {
        PUB_KEY_PATH if read_only => Some(Response::bytes(200, "application/x-pem-file", oss.signer.public_pem())),
        PUB_KEY_PATH => None,
        FAULTS_PATH if read_only => Some(json_answer(200, oss.faults.faults().to_json())),
        FAULTS_PATH if method == "PUT" => Some(set_faults(oss, req)),
        FAULTS_PATH if method == "DELETE" => {
            oss.faults.set(Faults::default());
            Some(json_answer(200, Faults::default().to_json()))
        }
        STATS_PATH if read_only => Some(json_answer(200, oss.stats().to_json())),
        FAULTS_PATH => Some(not_allowed("GET, HEAD, PUT, DELETE")),
        STATS_PATH => Some(not_allowed("GET, HEAD")),
        _ => None,
    }
}

fn set_faults(oss: &Oss, req: &mut Request<'_>) -> Response {
    let parsed = req
        .body
        .read_limited(MAX_CONFIG_BYTES)
        .map_err(|e| format!("cannot read the body: {e}"))
        .and_then(|body| serde_json::from_slice::<Value>(&body).map_err(|e| format!("invalid JSON: {e}")))
        .and_then(|v| Faults::from_json(&v));
    match parsed {
        Ok(faults) => {
            let answer = faults.to_json();
            oss.faults.set(faults);
            json_answer(200, answer)
        }
        Err(e) => json_answer(400, json!({ "error": e })),
    }
}

fn not_allowed(allow: &str) -> Response {
    json_answer(405, json!({"error": format!("method not allowed; use {allow}")})).header("Allow", allow)
}

fn json_answer(status: u16, body: Value) -> Response {
    Response::bytes(status, "application/json", body.to_string())
}
