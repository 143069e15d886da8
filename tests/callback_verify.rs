//! `oss_callback_verifier` through the C ABI, against callbacks the emulator really sent and signed with its own
//! RSA code (an implementation independent of libossrs's verifier): accepted; forged, tampered, foreign-key and
//! malformed callbacks rejected with distinct codes; keys fetched once per URL; NULLs refused without a crash.
//!
//! All tests share one emulator: fetched keys are cached per URL for the whole process, and a second emulator
//! that happened to reuse a port would serve another key under a cached URL.

// The copied error (common::Err) is large; these helpers return it as the other tests' wrappers do.
#![allow(clippy::result_large_err)]

mod common;

use std::ffi::{c_char, CString};
use std::io::ErrorKind as IoErrorKind;
use std::net::TcpListener;
use std::ptr;
use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::{c, take_error, Client};
use oss_emulator::{CallbackReceiver, Emulator, EmulatorConfig, ReceivedCallback, ReceiverConfig};
use ossrs::core::callback_verify::{CallbackRequest, CallbackVerifier, KeyCache};
use ossrs::core::http::{Body, Headers, Reading, Transport, TransportConfig};
use ossrs::ffi::callback_verify::*;
use ossrs::ffi::result::oss_result_message;
use ossrs::ffi::{oss_error, oss_result};

const PUB_KEY_PATH: &str = "/__emulator/callback_pub_key_v1.pem";

fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("callback-verify-emulator-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Emulator::start(EmulatorConfig { data_dir: Some(dir), ..EmulatorConfig::default() }).unwrap()
    })
}

/// How often the emulator served its public key with `query` (`""`: as the emulator names it).
fn key_fetches(query: &str) -> usize {
    emulator().requests().iter().filter(|e| e["path"] == PUB_KEY_PATH && e["query"] == query).count()
}

/// Uploads an object whose callback goes to a fresh receiver on `path_and_query`, and returns what arrived.
fn real_callback(object: &str, path_and_query: &str) -> ReceivedCallback {
    let rx = CallbackReceiver::start(ReceiverConfig {
        allowed_key_url_prefixes: vec![format!("{}/", emulator().endpoint())],
        ..ReceiverConfig::default()
    })
    .unwrap();
    let callback = serde_json::json!({
        "callbackUrl": format!("{}{path_and_query}", rx.url()),
        "callbackBody": "bucket=${bucket}&object=${object}&size=${size}&mimeType=${mimeType}&my=${x:my}",
        "callbackBodyType": "application/x-www-form-urlencoded",
    })
    .to_string();
    let var = r#"{"x:my":"值 & more"}"#;
    let client = Client::for_endpoint(&emulator().endpoint());
    let reply = client.put("bkt", object, b"callback payload", Some(&callback), Some(var), None).unwrap();
    assert_eq!(reply.status, 200);
    let mut got = rx.received();
    assert_eq!(got.len(), 1);
    let cb = got.remove(0);
    assert!(cb.signature_valid, "the receiver (libossrs's core verifier) accepts it: {:?}", cb.error);
    cb
}

fn header<'a>(cb: &'a ReceivedCallback, name: &str) -> &'a str {
    cb.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).unwrap()
}

/// A verifier made through `oss_callback_verifier_new`.
struct Verifier(*mut oss_callback_verifier);

unsafe impl Send for Verifier {}
unsafe impl Sync for Verifier {}

type Outcome = Result<(), common::Err>;

unsafe fn outcome(rc: oss_result, err: *mut oss_error) -> Outcome {
    if rc == oss_result::Ok {
        assert!(err.is_null());
        Ok(())
    } else {
        let e = take_error(err);
        assert_eq!(e.result, rc);
        Err(e)
    }
}

impl Verifier {
    fn new(prefixes: &[&str]) -> Result<Verifier, common::Err> {
        let owned: Vec<CString> = prefixes.iter().map(|p| c(p)).collect();
        let ptrs: Vec<*const c_char> = owned.iter().map(|p| p.as_ptr()).collect();
        let (mut v, mut err) = (ptr::null_mut(), ptr::null_mut());
        unsafe {
            let list = if ptrs.is_empty() { ptr::null() } else { ptrs.as_ptr() };
            outcome(oss_callback_verifier_new(list, ptrs.len(), &mut v, &mut err), err)?;
        }
        assert!(!v.is_null());
        Ok(Verifier(v))
    }

    /// Allows the emulator's keys only.
    fn for_emulator() -> Verifier {
        Verifier::new(&[&format!("{}/__emulator/", emulator().endpoint())]).unwrap()
    }

    fn pin(&self, pem: &str) -> Outcome {
        let mut err = ptr::null_mut();
        unsafe { outcome(oss_callback_verifier_set_public_key_pem(self.0, c(pem).as_ptr(), &mut err), err) }
    }

    fn verify(&self, path: &str, query: &str, body: &[u8], authorization: &str, pub_key_url: Option<&str>) -> Outcome {
        let (path, query, auth) = (c(path), c(query), c(authorization));
        let url = pub_key_url.map(c);
        let mut err = ptr::null_mut();
        unsafe {
            let rc = oss_callback_verifier_verify(
                self.0,
                path.as_ptr(),
                query.as_ptr(),
                body.as_ptr().cast(),
                body.len(),
                auth.as_ptr(),
                url.as_ref().map_or(ptr::null(), |u| u.as_ptr()),
                &mut err,
            );
            outcome(rc, err)
        }
    }

    /// Verifies `cb` as received, with its key URL replaced by `pub_key_url` when given.
    fn verify_received(&self, cb: &ReceivedCallback, pub_key_url: Option<&str>) -> Outcome {
        let url = pub_key_url.map_or_else(|| header(cb, "x-oss-pub-key-url").to_string(), |u| B64.encode(u));
        self.verify(&cb.path, &cb.query, &cb.body, header(cb, "authorization"), Some(&url))
    }
}

impl Drop for Verifier {
    fn drop(&mut self) {
        unsafe { oss_callback_verifier_free(self.0) }
    }
}

fn code(o: Outcome) -> oss_result {
    match o {
        Ok(()) => oss_result::Ok,
        Err(e) => e.result,
    }
}

/// The emulator's public key, fetched here (with a query, so the fetch counts of the tests stay apart).
fn emulator_pem() -> String {
    let transport = Transport::new(&TransportConfig::default()).unwrap();
    let url = format!("{}?for=pinning", emulator().pub_key_url());
    let resp = transport.send("GET", &url, &Headers::new(), &Body::Empty, Reading::default()).unwrap();
    assert_eq!(resp.status, 200);
    String::from_utf8(resp.body).unwrap()
}

#[test]
fn a_real_callback_signed_by_the_emulator_is_accepted() {
    let cb = real_callback("dir/accept 值.txt", "/cb%20dir/notify.php?id=1&name=a%20b");
    assert_eq!((cb.path.as_str(), cb.query.as_str()), ("/cb%20dir/notify.php", "id=1&name=a%20b"));
    assert!(String::from_utf8_lossy(&cb.body).contains("my=%E5%80%BC%20%26%20more"));
    let verifier = Verifier::for_emulator();
    verifier.verify_received(&cb, None).unwrap();

    // No query at all.
    let cb = real_callback("no-query.txt", "/plain");
    assert_eq!(cb.query, "");
    verifier.verify_received(&cb, None).unwrap();
    // The defaults (gosspublic.alicdn.com only) refuse the emulator's key.
    let strict = Verifier::new(&[]).unwrap();
    assert_eq!(code(strict.verify_received(&cb, None)), oss_result::CallbackKeyUrlNotAllowed);
}

#[test]
fn forged_and_tampered_callbacks_are_rejected() {
    let cb = real_callback("tamper.txt", "/cb?id=7");
    let other = real_callback("other.txt", "/cb?id=7");
    let v = Verifier::for_emulator();
    v.verify_received(&cb, None).unwrap();
    let (url, auth) = (header(&cb, "x-oss-pub-key-url"), header(&cb, "authorization"));
    let invalid = |o: Outcome| {
        let e = o.unwrap_err();
        assert_eq!(e.result, oss_result::CallbackSignatureInvalid, "{}", e.message);
        assert!(e.message.contains("does not verify"), "{}", e.message);
    };
    // A genuine signature of another callback, random bytes of the right length, a truncated signature.
    invalid(v.verify(&cb.path, &cb.query, &cb.body, header(&other, "authorization"), Some(url)));
    invalid(v.verify(&cb.path, &cb.query, &cb.body, &B64.encode([0x5a_u8; 128]), Some(url)));
    invalid(v.verify(&cb.path, &cb.query, &cb.body, &B64.encode(&B64.decode(auth).unwrap()[..64]), Some(url)));
    // Tampered body (one byte), path and query.
    let mut body = cb.body.clone();
    *body.last_mut().unwrap() ^= 1;
    invalid(v.verify(&cb.path, &cb.query, &body, auth, Some(url)));
    invalid(v.verify(&cb.path, &cb.query, &[&cb.body[..], b"&admin=1"].concat(), auth, Some(url)));
    invalid(v.verify("/cb2", &cb.query, &cb.body, auth, Some(url)));
    invalid(v.verify(&cb.path, "id=8", &cb.body, auth, Some(url)));
    invalid(v.verify(&cb.path, "", &cb.body, auth, Some(url)));
}

#[test]
fn a_foreign_key_url_is_refused_without_any_request() {
    let cb = real_callback("foreign.txt", "/cb");
    let trap = TcpListener::bind("127.0.0.1:0").unwrap();
    trap.set_nonblocking(true).unwrap();
    let trap_url = format!("http://127.0.0.1:{}/callback_pub_key_v1.pem", trap.local_addr().unwrap().port());
    let own_url = format!("{}?test=foreign", emulator().pub_key_url());
    for (verifier, url) in [
        (Verifier::for_emulator(), trap_url.clone()),
        (Verifier::new(&[]).unwrap(), trap_url.clone()),
        (Verifier::new(&[]).unwrap(), own_url.clone()),
        (Verifier::for_emulator(), format!("http://127.0.0.1:{}@127.0.0.1:1/k.pem", emulator().port())),
        (
            Verifier::new(&["http://gosspublic.alicdn.com"]).unwrap(),
            "http://gosspublic.alicdn.com.127.0.0.1.nip.io/k.pem".into(),
        ),
    ] {
        let e = verifier.verify_received(&cb, Some(&url)).unwrap_err();
        assert_eq!(e.result, oss_result::CallbackKeyUrlNotAllowed, "{url}: {}", e.message);
        assert!(e.message.contains("allowed prefix") && e.message.contains(&url), "{}", e.message);
    }
    match trap.accept() {
        Err(e) if e.kind() == IoErrorKind::WouldBlock => {}
        other => panic!("the verifier connected to a key URL it does not allow: {other:?}"),
    }
    assert_eq!(key_fetches("test=foreign"), 0, "the emulator's key was not fetched for a verifier not allowing it");
}

#[test]
fn a_key_is_fetched_once_for_many_verifications_and_verifiers() {
    let cb = real_callback("cache.txt", "/cb?cache=1");
    // A URL of its own (the emulator ignores the query), so no other test touches its cache entry.
    let url = format!("{}?test=cache", emulator().pub_key_url());
    assert_eq!(key_fetches("test=cache"), 0);
    for _ in 0..2 {
        let v = Verifier::for_emulator();
        for _ in 0..10 {
            v.verify_received(&cb, Some(&url)).unwrap();
        }
    }
    assert_eq!(key_fetches("test=cache"), 1, "one fetch for 20 verifications by two verifiers");

    // Many threads share one verifier; still no new fetch.
    let v = Arc::new(Verifier::for_emulator());
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (v, cb, url) = (v.clone(), cb.clone(), url.clone());
            std::thread::spawn(move || (0..5).for_each(|_| v.verify_received(&cb, Some(&url)).unwrap()))
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    assert_eq!(key_fetches("test=cache"), 1);

    // The core API with a cache of its own fetches again, once.
    let cache = Arc::new(KeyCache::new(4, std::time::Duration::from_secs(60)));
    let core =
        CallbackVerifier::with_allowed_prefixes([emulator().endpoint() + "/"]).unwrap().with_key_cache(cache.clone());
    let encoded = B64.encode(&url);
    let request = CallbackRequest {
        path: &cb.path,
        query: Some(&cb.query),
        body: &cb.body,
        authorization: header(&cb, "authorization"),
        pub_key_url: Some(&encoded),
    };
    for _ in 0..5 {
        core.verify(&request).unwrap();
    }
    assert_eq!((key_fetches("test=cache"), cache.len()), (2, 1));
}

#[test]
fn key_fetch_failures_are_their_own_error() {
    let cb = real_callback("fetch.txt", "/cb");
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let v = Verifier::new(&["http://127.0.0.1:"]).unwrap();
    let endpoint = emulator().endpoint();
    for (url, why) in [
        (format!("http://127.0.0.1:{closed}/k.pem"), "cannot fetch"),
        (format!("{endpoint}/__emulator/stats"), "not a PEM"),
        (format!("{endpoint}/no-such-bucket/k.pem"), "HTTP 4"),
    ] {
        let e = v.verify_received(&cb, Some(&url)).unwrap_err();
        assert_eq!(e.result, oss_result::CallbackKeyFetchFailed, "{url}: {}", e.message);
        assert!(e.message.contains(why) && e.message.contains(&url), "{}", e.message);
    }
    // Failures are not cached: the same verifier accepts the callback with the real key URL.
    v.verify_received(&cb, None).unwrap();
}

#[test]
fn malformed_headers_are_their_own_error() {
    let cb = real_callback("malformed.txt", "/cb");
    let v = Verifier::for_emulator();
    let (url, auth) = (header(&cb, "x-oss-pub-key-url"), header(&cb, "authorization"));
    for (auth, url) in [("not*base64", Some(url)), ("", Some(url)), (auth, Some("%%%")), (auth, Some("")), (auth, None)]
    {
        let e = v.verify(&cb.path, &cb.query, &cb.body, auth, url).unwrap_err();
        assert_eq!(e.result, oss_result::CallbackMalformed, "{auth:?} {url:?}: {}", e.message);
    }
    // A path holding the query is a usage error, not a failed signature.
    let e = v.verify(&format!("{}?x=1", cb.path), "", &cb.body, auth, Some(url)).unwrap_err();
    assert_eq!(e.result, oss_result::InvalidArgument);
}

#[test]
fn a_pinned_key_needs_no_url_and_fetches_nothing() {
    let cb = real_callback("pinned.txt", "/cb?pinned=1");
    let pem = emulator_pem();
    let v = Verifier::for_emulator();
    v.pin(&pem).unwrap();
    v.verify(&cb.path, &cb.query, &cb.body, header(&cb, "authorization"), None).unwrap();
    v.verify_received(&cb, Some("http://127.0.0.1:1/ignored.pem")).unwrap();
    v.verify_received(&cb, Some(&format!("{}?test=pinned", emulator().pub_key_url()))).unwrap();
    assert_eq!(key_fetches("test=pinned"), 0, "an allowed URL is not fetched either once a key is pinned");
    let mut body = cb.body.clone();
    body.push(b'x');
    assert_eq!(
        code(v.verify(&cb.path, &cb.query, &body, header(&cb, "authorization"), None)),
        oss_result::CallbackSignatureInvalid
    );

    // Pinned to another key: rejected.
    let other = "-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKzlp7G8e3505a/HFtNaQdeeyTaAKhdt
Czk8EUZFnaFVh7JgFA2E9cAcZ9krkfwqiyCuyDdrOAafyqYPlp0TyHECAwEAAQ==
-----END PUBLIC KEY-----
";
    v.pin(other).unwrap();
    assert_eq!(code(v.verify_received(&cb, None)), oss_result::CallbackSignatureInvalid);
    let e = v.pin("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n").unwrap_err();
    assert_eq!(e.result, oss_result::InvalidArgument);
}

#[test]
fn null_and_bad_arguments_give_errors_not_crashes() {
    unsafe {
        let mut err: *mut oss_error = ptr::null_mut();
        let null_code = |rc: oss_result, err: *mut oss_error, what: &str| {
            let e = take_error(err);
            assert_eq!((rc, e.result), (oss_result::NullParameter, oss_result::NullParameter), "{what}");
            assert!(e.message.contains(what), "{}: {}", what, e.message);
        };
        // _new
        let rc = oss_callback_verifier_new(ptr::null(), 0, ptr::null_mut(), &mut err);
        null_code(rc, err, "verifier_out");
        let mut v: *mut oss_callback_verifier = ptr::NonNull::dangling().as_ptr();
        let rc = oss_callback_verifier_new(ptr::null(), 2, &mut v, &mut err);
        assert!(v.is_null(), "cleared on failure");
        null_code(rc, err, "allowed_prefixes");
        let good = c("http://127.0.0.1:");
        let list = [good.as_ptr(), ptr::null()];
        null_code(oss_callback_verifier_new(list.as_ptr(), 2, &mut v, &mut err), err, "allowed_prefixes[1]");
        let bad = c("ftp://x/");
        let rc = oss_callback_verifier_new([bad.as_ptr()].as_ptr(), 1, &mut v, &mut err);
        assert_eq!((rc, take_error(err).result), (oss_result::InvalidArgument, oss_result::InvalidArgument));
        let not_utf8 = b"http://\xff/\0";
        let rc = oss_callback_verifier_new([not_utf8.as_ptr().cast::<c_char>()].as_ptr(), 1, &mut v, &mut err);
        assert_eq!((rc, take_error(err).result), (oss_result::InvalidUtf8, oss_result::InvalidUtf8));
        assert_eq!(oss_callback_verifier_new(ptr::null(), 0, &mut v, ptr::null_mut()), oss_result::Ok);
        assert!(!v.is_null());

        // _verify
        let (p, a, u) = (c("/cb"), c("AAAA"), c(&B64.encode(emulator().pub_key_url())));
        let body = b"x";
        let rc = oss_callback_verifier_verify(
            ptr::null(),
            p.as_ptr(),
            ptr::null(),
            body.as_ptr().cast(),
            1,
            a.as_ptr(),
            u.as_ptr(),
            &mut err,
        );
        null_code(rc, err, "verifier");
        let rc = oss_callback_verifier_verify(
            v,
            ptr::null(),
            ptr::null(),
            body.as_ptr().cast(),
            1,
            a.as_ptr(),
            u.as_ptr(),
            &mut err,
        );
        null_code(rc, err, "path");
        let rc =
            oss_callback_verifier_verify(v, p.as_ptr(), ptr::null(), ptr::null(), 5, a.as_ptr(), u.as_ptr(), &mut err);
        null_code(rc, err, "body");
        let rc =
            oss_callback_verifier_verify(v, p.as_ptr(), ptr::null(), ptr::null(), 0, ptr::null(), u.as_ptr(), &mut err);
        null_code(rc, err, "authorization");
        let rc = oss_callback_verifier_verify(
            v,
            p.as_ptr(),
            ptr::null(),
            ptr::null(),
            0,
            a.as_ptr(),
            ptr::null(),
            ptr::null_mut(),
        );
        assert_eq!(rc, oss_result::CallbackMalformed, "a NULL key URL is a missing header; error_out may be NULL");
        let rc = oss_callback_verifier_verify(
            v,
            not_utf8.as_ptr().cast(),
            ptr::null(),
            ptr::null(),
            0,
            a.as_ptr(),
            u.as_ptr(),
            &mut err,
        );
        assert_eq!((rc, take_error(err).result), (oss_result::InvalidUtf8, oss_result::InvalidUtf8));

        // _set_public_key_pem
        let pem = c("x");
        null_code(oss_callback_verifier_set_public_key_pem(ptr::null_mut(), pem.as_ptr(), &mut err), err, "verifier");
        null_code(oss_callback_verifier_set_public_key_pem(v, ptr::null(), &mut err), err, "pem");
        assert_eq!(
            oss_callback_verifier_set_public_key_pem(v, pem.as_ptr(), ptr::null_mut()),
            oss_result::InvalidArgument
        );

        oss_callback_verifier_free(v);
        oss_callback_verifier_free(ptr::null_mut());
    }
}

#[test]
fn result_codes_have_messages() {
    for (code, n, text) in [
        (oss_result::CallbackSignatureInvalid, 600, "signature does not verify"),
        (oss_result::CallbackKeyUrlNotAllowed, 601, "public key URL is not allowed"),
        (oss_result::CallbackKeyFetchFailed, 602, "could not be fetched"),
        (oss_result::CallbackMalformed, 603, "malformed"),
    ] {
        assert_eq!(code as i32, n);
        let msg = unsafe { std::ffi::CStr::from_ptr(oss_result_message(code)) }.to_str().unwrap();
        assert!(msg.contains(text), "{msg}");
    }
}
