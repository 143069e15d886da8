//! A local stand-in for Alibaba Cloud OSS: path-style and virtual-hosted addressing, V1 and V4
//! signatures, PutObject/GetObject/HeadObject/DeleteObject, multipart uploads and upload
//! callbacks signed with RSA, plus a callback receiver that verifies them.
//!
//! ```no_run
//! let emu = oss_emulator::Emulator::start(Default::default()).unwrap();
//! println!("OSS at {}", emu.endpoint());
//! ```

mod auth;
mod callback;
mod encoding;
mod error;
mod http;
mod http_client;
mod image;
mod log;
mod multipart;
mod object;
mod receiver;
mod server;
mod service;
mod store;
mod time;
mod xml;

pub use receiver::{CallbackReceiver, ReceivedCallback, ReceiverConfig};

use callback::Signer;
use multipart::Uploads;
use serde_json::Value;
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
        }
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
        let settings = Settings {
            buckets: cfg.buckets.clone(),
            keys: cfg.keys.clone(),
            region: cfg.region.clone(),
            callback_timeout: cfg.callback_timeout,
        };
        let port = listener.local_addr()?.port();
        let oss = Arc::new(Oss::new(settings, store, uploads, signer, log, port));
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

    /// Metadata of `bucket/key`: `{"key","content_type","etag" (quoted),"size","crc64",
    /// "content_md5","user_meta":{..},"last_modified","object_type"}`.
    pub fn object_meta(&self, bucket: &str, key: &str) -> Option<Value> {
        self.oss.store.meta(bucket, key).map(|m| m.to_json())
    }

    /// Open multipart upload ids of `bucket`, oldest first.
    pub fn uploads(&self, bucket: &str) -> Vec<String> {
        self.oss.uploads.ids(bucket)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        drop(self.server.take());
        if let Some(dir) = &self.temp_dir {
            let _ = fs::remove_dir_all(dir);
        }
    }
}
