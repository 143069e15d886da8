//! The process's shared clients: the most recently used clients by configuration, so that owners that live
//! shorter than the process (a PHP request builds a new `OssClient` each time) reuse the connection pool, TLS
//! sessions and transport thread of an earlier owner with the same settings.
//!
//! Bounded: [`CAPACITY`] configurations (rotating STS tokens evict the oldest; an evicted client lives on
//! until its last owner drops it). Fork-safe: a child never uses or drops a client of its parent (the parent's
//! transport thread does not exist there); its first lookup starts an empty cache, and `fork()` waits for a
//! lookup in progress on another thread, so the child never inherits the lock held.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, MutexGuard, Once};

use super::config::ConfigBuilder;
use super::credentials::Secret;
use super::{Client, Result};

/// How many configurations the process keeps clients for.
pub const CAPACITY: usize = 8;

struct Entry {
    settings: Secret,
    client: Arc<Client>,
}

/// Clients, least recently used first, all created by process `pid`.
struct Cache {
    pid: u32,
    entries: Vec<Entry>,
}

static CACHE: Mutex<Cache> = Mutex::new(Cache { pid: 0, entries: Vec::new() });

/// The shared client for the settings of `builder`: the cached one built from the same settings
/// ([`ConfigBuilder::settings_key`]; a hit does not check or parse them again), or a new one that is cached.
///
/// Errors: those of [`ConfigBuilder::build`] and [`Client::new`] (nothing is cached then).
pub fn shared_client(builder: &ConfigBuilder) -> Result<Arc<Client>> {
    let settings = builder.settings_key();
    let mut cache = lock();
    let pid = std::process::id();
    if cache.pid != pid {
        // A new process (or the first use): whatever is here belongs to the parent and must not be dropped.
        std::mem::forget(std::mem::take(&mut cache.entries));
        cache.pid = pid;
    }
    if let Some(i) = cache.entries.iter().position(|e| e.settings.expose() == settings.expose()) {
        let entry = cache.entries.remove(i);
        let client = entry.client.clone();
        cache.entries.push(entry);
        return Ok(client);
    }
    let client = Arc::new(Client::new(builder.build()?)?);
    if cache.entries.len() == CAPACITY {
        cache.entries.remove(0);
    }
    cache.entries.push(Entry { settings, client: client.clone() });
    Ok(client)
}

fn lock() -> MutexGuard<'static, Cache> {
    static AT_FORK: Once = Once::new();
    AT_FORK.call_once(|| {
        // SAFETY: the handlers only lock and unlock CACHE on the forking thread (see hold/release).
        unsafe { libc::pthread_atfork(Some(hold), Some(release), Some(release)) };
    });
    CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

thread_local! {
    /// The lock taken by the forking thread across `fork()`.
    static HELD: RefCell<Option<MutexGuard<'static, Cache>>> = const { RefCell::new(None) };
}

/// Before `fork()`: wait for any lookup on another thread and keep the cache locked.
extern "C" fn hold() {
    let guard = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    HELD.with(|held| *held.borrow_mut() = Some(guard));
}

/// After `fork()`, in the parent and in the child: unlock (the child then sees another pid and starts over).
extern "C" fn release() {
    HELD.with(|held| drop(held.borrow_mut().take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached_count() -> usize {
        lock().entries.len()
    }

    fn config(token: &str) -> ConfigBuilder {
        let mut b = ConfigBuilder::new();
        b.set("endpoint", "http://127.0.0.1:9").set("access_key_id", "ak").set("access_key_secret", "sk");
        if !token.is_empty() {
            b.set("security_token", token);
        }
        b
    }

    #[test]
    fn settings_that_do_not_build_are_refused_every_time_and_never_cached() {
        let mut b = config("bad");
        b.set("max_retries", "many");
        for _ in 0..2 {
            let e = shared_client(&b).unwrap_err();
            assert!(e.message().contains("max_retries"), "{}", e.message());
        }
        let key = b.settings_key();
        assert!(!lock().entries.iter().any(|e| e.settings.expose() == key.expose()));
    }

    #[test]
    fn proxy_credentials_are_part_of_the_settings() {
        let with_proxy = |password: &str| {
            let mut b = ConfigBuilder::new();
            b.set("endpoint", "http://127.0.0.1:9").set("access_key_id", "ak").set("access_key_secret", "sk");
            b.set("proxy", &format!("http://user:{password}@127.0.0.1:3128"));
            shared_client(&b).unwrap()
        };
        assert!(!Arc::ptr_eq(&with_proxy("one"), &with_proxy("two")));
    }

    #[test]
    fn same_settings_share_a_client_and_the_oldest_is_evicted() {
        let first = shared_client(&config("t0")).unwrap();
        assert!(Arc::ptr_eq(&first, &shared_client(&config("t0")).unwrap()));
        assert!(!Arc::ptr_eq(&first, &shared_client(&config("")).unwrap()), "the token is part of the settings");
        for i in 1..=CAPACITY {
            shared_client(&config(&format!("t{i}"))).unwrap();
        }
        assert_eq!(cached_count(), CAPACITY);
        let again = shared_client(&config("t0")).unwrap();
        assert!(!Arc::ptr_eq(&first, &again), "t0 was the least recently used and was evicted");
        assert_ne!(first.id(), again.id());
    }
}
