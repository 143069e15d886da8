//! `oss_client`: a shared, thread-safe client handle, kept in a registry of live handles so that a freed or
//! foreign pointer is reported as `OSS_RESULT_INVALID_HANDLE` instead of being dereferenced.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use once_cell::sync::Lazy;

use super::panic::guard;
use crate::core::{Client, Error, ErrorKind, Result};

/// An OSS client: credentials, endpoint and a keep-alive connection pool.
///
/// Methods: `oss_client_free`, and every operation (`oss_put_object_with_callback`,
/// `oss_initiate_multipart_upload`, …) takes it as its first argument.
///
/// Ownership: caller owns, free with `oss_client_free`. Thread safety: one client may be used from many
/// threads at once. A client is bound to the process that created it: after `fork()` the child must create its
/// own (calls fail with `OSS_RESULT_WRONG_PROCESS`). Handles from `oss_config_builder_build_shared` and
/// `oss_client_build_shared` may share one connection pool with other handles of the process (`oss_client_id`
/// tells).
pub struct oss_client {
    inner: Arc<Client>,
}

impl oss_client {
    pub(crate) fn core(&self) -> &Client {
        &self.inner
    }
}

static LIVE: Lazy<Mutex<HashMap<usize, Arc<oss_client>>>> = Lazy::new(|| Mutex::new(HashMap::new()));

fn live() -> MutexGuard<'static, HashMap<usize, Arc<oss_client>>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Registers a new client and returns its handle.
pub(crate) fn register(client: Arc<Client>) -> *const oss_client {
    let arc = Arc::new(oss_client { inner: client });
    let handle = Arc::as_ptr(&arc);
    live().insert(handle as usize, arc);
    handle
}

/// The live client behind `handle` (kept alive for the caller even if another thread frees the handle).
pub(crate) fn lookup(handle: *const oss_client) -> Result<Arc<oss_client>> {
    if handle.is_null() {
        return Err(Error::new(ErrorKind::NullParameter, "client is NULL"));
    }
    live().get(&(handle as usize)).cloned().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidHandle,
            "client handle is not live (already freed, or not created by oss_config_builder_build)",
        )
    })
}

/// Frees a client. NULL, an already freed or a foreign handle is a no-op. Calls running on other threads
/// finish first (they hold their own reference). In a forked child the client's resources belong to the parent
/// and are deliberately not touched.
///
/// # Safety
/// Always safe: the handle is only used as a registry key.
#[no_mangle]
pub unsafe extern "C" fn oss_client_free(client: *const oss_client) {
    guard((), || {
        let removed = live().remove(&(client as usize));
        if let Some(arc) = removed {
            if !arc.inner.in_creating_process() {
                std::mem::forget(arc);
            }
        }
    });
}

/// The id of the connection pool behind `client`: equal for handles that share one (from
/// `oss_config_builder_build_shared` or `oss_client_build_shared` with the same settings in one process),
/// different for any other client
/// of the process. 0 when `client` is NULL or not live.
///
/// # Safety
/// Always safe: the handle is only used as a registry key.
#[no_mangle]
pub unsafe extern "C" fn oss_client_id(client: *const oss_client) -> u64 {
    guard(0, || lookup(client).map(|c| c.inner.id()).unwrap_or(0))
}
