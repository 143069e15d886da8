//! The request log: one JSON object per request, kept in memory and appended to a file.

use crate::server::lock;
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

/// Log entries so far plus the optional JSON-lines file they are appended to.
pub struct RequestLog {
    entries: Mutex<Vec<Value>>,
    file: Mutex<Option<File>>,
}

impl RequestLog {
    /// A log that also appends to `path` when given.
    pub fn open(path: Option<&Path>) -> io::Result<RequestLog> {
        let file = match path {
            Some(p) => Some(OpenOptions::new().create(true).append(true).open(p)?),
            None => None,
        };
        Ok(RequestLog { entries: Mutex::new(Vec::new()), file: Mutex::new(file) })
    }

    /// Records one entry.
    pub fn record(&self, entry: Value) {
        if let Some(file) = lock(&self.file).as_mut() {
            let _ = writeln!(file, "{entry}").and_then(|()| file.flush());
        }
        lock(&self.entries).push(entry);
    }

    /// All entries so far, oldest first.
    pub fn entries(&self) -> Vec<Value> {
        lock(&self.entries).clone()
    }
}
