//! A local stand-in for Alibaba Cloud OSS: path-style and virtual-hosted addressing, V1 and V4
//! signatures, PutObject/GetObject/HeadObject/DeleteObject, multipart uploads and upload
//! callbacks signed with RSA, plus a callback receiver that verifies them.
//!
//! ```no_run
//! let emu = oss_emulator::Emulator::start(Default::default()).unwrap();
//! println!("OSS at {}", emu.endpoint());
//! ```
//!
//! # Fault injection
//!
//! To prove a client's retry logic, the emulator can answer 500 / 503 / 429 errors, lose the
//! answer of an operation that did run (e.g. CompleteMultipartUpload after the object was
//! committed and its callback POSTed), reset connections mid-body, delay answers and send 200
//! answers with truncated or unterminated XML. Faults are rules with a rate, an optional limit
//! and an optional filter (method, [`Operation`], query substring), drawn from a seeded RNG so
//! runs are reproducible; [`Faults`] gives the semantics and the JSON and command-line forms.
//!
//! They are configured at start ([`EmulatorConfig::faults`]; `oss-emulator --fault SPEC
//! --fault-seed N`), or at run time with [`Emulator::set_faults`] or
//! `PUT /__emulator/faults` and a JSON body:
//!
//! ```no_run
//! use oss_emulator::{Emulator, ErrorStatus, FaultKind, FaultRule, Faults, Operation};
//! let emu = Emulator::start(Default::default()).unwrap();
//! emu.set_faults(Faults {
//!     seed: 7,
//!     rules: vec![FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
//!         .operation(Operation::UploadPart)
//!         .rate(0.3)],
//! })
//! .unwrap();
//! // ... run the client, then:
//! assert!(emu.stats().faults.error > 0);
//! ```
//!
//! [`Emulator::stats`] and `GET /__emulator/stats` count the OSS requests received, the faults
//! injected by kind and the callback requests POSTed per object and per multipart upload; the
//! request log records each injected fault in a `"fault"` field.
//!
//! The private endpoints, served without authentication and never faulted:
//!
//! | endpoint | answer |
//! | --- | --- |
//! | `GET /__emulator/callback_pub_key_v1.pem` | the public key callbacks are signed with |
//! | `GET /__emulator/faults` | the fault configuration as JSON ([`Faults::to_json`]) |
//! | `PUT /__emulator/faults` | replaces it with the JSON body, as [`Emulator::set_faults`] does; answers the new configuration, or 400 `{"error": MESSAGE}` |
//! | `DELETE /__emulator/faults` | removes every rule; answers the empty configuration |
//! | `GET /__emulator/stats` | the counters as JSON ([`Stats::to_json`]) |
//!
//! The [`CallbackReceiver`] can be slow ([`ReceiverConfig::delay`], `--delay-ms`), fail a
//! seeded fraction of callbacks with 500 ([`ReceiverConfig::fail_rate`], `--fail-rate`,
//! `--seed`) and answer any status, body and content type (`--status`, `--reply`,
//! `--reply-content-type`), e.g. non-JSON.

mod acl;
mod append;
mod auth;
mod bucket;
mod callback;
mod control;
mod copy;
mod cors;
mod encoding;
mod error;
mod faults;
mod form;
mod hostile;
mod http;
mod http_client;
mod image;
mod listing;
mod log;
mod multipart;
mod object;
mod post_object;
mod process;
mod receiver;
mod restore;
mod server;
mod service;
mod store;
mod symlink;
mod tagging;
mod time;
mod versioning;
mod xml;

pub use callback::CallbackPosts;
pub use faults::{
    ErrorStatus, FaultCounts, FaultFilter, FaultKind, FaultRule, Faults, Field, LostAnswer, Malformation,
};
pub use receiver::{CallbackReceiver, ReceivedCallback, ReceiverConfig};
pub use service::Operation;

use callback::Signer;
use multipart::Uploads;
use serde_json::{json, Value};
use service::{Oss, Settings};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use store::Store;

/// An access key the emulator accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: String,
    pub secret: String,
    /// When set, requests must carry this `x-oss-security-token`.
    pub sts_token: Option<String>,
}

impl Credential {
    /// A permanent key (no STS token).
    pub fn new(id: &str, secret: &str) -> Self {
        Credential { id: id.into(), secret: secret.into(), sts_token: None }
    }
}

/// How to run an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// 0 = any free port.
    pub port: u16,
    /// Where objects live; None = a fresh temporary directory removed on drop.
    pub data_dir: Option<PathBuf>,
    pub buckets: Vec<String>,
    pub keys: Vec<Credential>,
    pub region: String,
    /// Bound on each callback attempt (connect + reply).
    pub callback_timeout: Duration,
    /// Append the request log here as JSON lines.
    pub log_path: Option<PathBuf>,
    /// Faults to inject from the start (default: none).
    pub faults: Faults,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            data_dir: None,
            buckets: vec!["bkt".into()],
            keys: vec![Credential::new("AKIDEXAMPLE", "SECRETEXAMPLE")],
            region: "cn-hangzhou".into(),
            callback_timeout: Duration::from_secs(5),
            log_path: None,
            faults: Faults::default(),
        }
    }
}

/// What the emulator counted: see [`Emulator::stats`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// OSS requests received so far (malformed ones included; the private `/__emulator/` endpoints are not
    /// counted), e.g. to prove that a client refused bad input without sending anything.
    pub requests: u64,
    /// Faults injected so far, by kind.
    pub faults: FaultCounts,
    /// Callback requests POSTed, per object (PutObject) and per multipart upload, in bucket,
    /// key, upload id order.
    pub callbacks: Vec<CallbackPosts>,
}

impl Stats {
    /// `{"requests":N,"faults":{"error","lose_response_after_commit","reset","delay","malformed","total"},
    /// "callbacks":[{"bucket","key","upload_id","operation","posts"}]}`.
    pub fn to_json(&self) -> Value {
        json!({
            "requests": self.requests,
            "faults": self.faults.to_json(),
            "callbacks": self.callbacks.iter().map(CallbackPosts::to_json).collect::<Vec<_>>(),
        })
    }
}

/// A running emulator; dropping it stops the server and removes a temporary data dir.
pub struct Emulator {
    server: Option<server::Server>,
    oss: Arc<Oss>,
    temp_dir: Option<PathBuf>,
}

impl Emulator {
    /// Starts serving on `127.0.0.1`.
    pub fn start(cfg: EmulatorConfig) -> io::Result<Emulator> {
        let invalid = |msg: &str| io::Error::new(io::ErrorKind::InvalidInput, msg.to_string());
        if cfg.buckets.is_empty() || cfg.buckets.iter().any(|b| b.is_empty() || b.contains(['/', '.'])) {
            return Err(invalid("at least one bucket is needed, and names must not contain '/' or '.'"));
        }
        if cfg.keys.is_empty() {
            return Err(invalid("at least one access key is needed"));
        }
        cfg.faults.validate().map_err(|e| invalid(&format!("invalid faults: {e}")))?;
        let temp_dir = match cfg.data_dir {
            Some(_) => None,
            None => Some(std::env::temp_dir().join(format!(
                "oss-emulator-{}-{:016x}",
                std::process::id(),
                rand::random::<u64>()
            ))),
        };
        let data_dir = cfg.data_dir.clone().or_else(|| temp_dir.clone()).unwrap_or_default();
        let started = Self::start_in(&cfg, &data_dir);
        match started {
            Ok((server, oss)) => Ok(Emulator { server: Some(server), oss, temp_dir }),
            Err(e) => {
                if let Some(dir) = &temp_dir {
                    let _ = fs::remove_dir_all(dir);
                }
                Err(e)
            }
        }
    }

    fn start_in(cfg: &EmulatorConfig, data_dir: &Path) -> io::Result<(server::Server, Arc<Oss>)> {
        let store = Store::open(data_dir, &cfg.buckets)?;
        let uploads = Uploads::new(data_dir.join("uploads"))?;
        let signer = Signer::generate().map_err(io::Error::other)?;
        let log = log::RequestLog::open(cfg.log_path.as_deref())?;
        let listener = server::listen(cfg.port)?;
        let settings =
            Settings { keys: cfg.keys.clone(), region: cfg.region.clone(), callback_timeout: cfg.callback_timeout };
        let port = listener.local_addr()?.port();
        let oss = Arc::new(Oss::new(settings, store, uploads, signer, log, cfg.faults.clone(), port));
        let server = server::Server::start(listener, oss.clone())?;
        Ok((server, oss))
    }

    pub fn port(&self) -> u16 {
        self.oss.port
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port())
    }

    /// Where callback servers fetch the public key (no auth needed).
    pub fn pub_key_url(&self) -> String {
        self.oss.pub_key_url()
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        self.oss.store.root()
    }

    /// Request log entries so far, oldest first.
    pub fn requests(&self) -> Vec<Value> {
        self.oss.log.entries()
    }

    /// The stored bytes of `bucket/key`.
    pub fn object(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        let (mut file, _) = self.oss.store.open_object(bucket, key)?;
        let mut out = Vec::new();
        io::Read::read_to_end(&mut file, &mut out).ok()?;
        Some(out)
    }

    /// Metadata of the current version of `bucket/key`: `{"key","content_type","etag" (quoted),"size","crc64",
    /// "content_md5","user_meta":{..},"last_modified","object_type","version_id",…}`.
    pub fn object_meta(&self, bucket: &str, key: &str) -> Option<Value> {
        self.oss.store.meta(bucket, key).map(|m| m.to_json())
    }

    /// Open multipart upload ids of `bucket`, oldest first.
    pub fn uploads(&self, bucket: &str) -> Vec<String> {
        self.oss.uploads.ids(bucket)
    }

    /// Replaces the fault configuration (as `PUT /__emulator/faults` does): the RNG is
    /// reseeded with `faults.seed` and every rule's limit starts afresh; the counters go on.
    /// Fails on a rate outside 0.0–1.0 or an empty filter string.
    pub fn set_faults(&self, faults: Faults) -> io::Result<()> {
        faults.validate().map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("invalid faults: {e}")))?;
        self.oss.faults.set(faults);
        Ok(())
    }

    /// The current fault configuration.
    pub fn faults(&self) -> Faults {
        self.oss.faults.faults()
    }

    /// OSS requests received, faults injected and callbacks POSTed so far (as `GET /__emulator/stats` shows).
    pub fn stats(&self) -> Stats {
        self.oss.stats()
    }

    /// Callback requests POSTed for `bucket/key` so far, by PutObject and by every multipart
    /// upload of it.
    pub fn callback_posts(&self, bucket: &str, key: &str) -> u64 {
        self.stats().callbacks.iter().filter(|c| c.bucket == bucket && c.key == key).map(|c| c.posts).sum()
    }

    /// Callback requests POSTed by completing the multipart upload `upload_id`.
    pub fn callback_posts_for_upload(&self, upload_id: &str) -> u64 {
        self.stats().callbacks.iter().filter(|c| c.upload_id.as_deref() == Some(upload_id)).map(|c| c.posts).sum()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Delayed answers end at once, so stopping does not wait for them.
        self.oss.faults.stop();
        drop(self.server.take());
        if let Some(dir) = &self.temp_dir {
            let _ = fs::remove_dir_all(dir);
        }
    }
}
