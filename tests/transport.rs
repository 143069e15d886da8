//! Transport settings: TLS verification with an extra CA, timeouts and proxies.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::recorder::{http_response, Recorder};
use common::Client;
use ossrs::ffi::oss_result;

/// How each TLS connection of a [`tls_server`] was established (full or resumed handshake), in accept order.
type Handshakes = Arc<Mutex<Vec<rustls::HandshakeKind>>>;

/// A one-connection-at-a-time HTTPS server whose certificate (for 127.0.0.1) is signed by a fresh CA; it closes
/// each connection after one answer. Returns (port, CA PEM, handshakes).
fn tls_server() -> (u16, String, Handshakes) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handshakes = Handshakes::default();
    let seen = handshakes.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, stream);
            if tls.conn.complete_io(&mut tls.sock).is_err() {
                continue;
            }
            seen.lock().unwrap().extend(tls.conn.handshake_kind());
            let mut reader = BufReader::new(&mut tls);
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    let mut body = vec![0; len];
                    if reader.read_exact(&mut body).is_ok() {
                        let _ = tls.write_all(&http_response(
                            "200 OK",
                            &[("x-oss-request-id", "TLS"), ("ETag", "\"E\"")],
                            "",
                        ));
                        let _ = tls.flush();
                    }
                    break;
                }
            }
        }
    });
    (port, ca_cert.pem(), handshakes)
}

fn client(pairs: &[(&str, &str)]) -> Client {
    let mut all = vec![("access_key_id", "AKIDEXAMPLE"), ("access_key_secret", "SECRETEXAMPLE")];
    all.extend_from_slice(pairs);
    Client::build(&all).unwrap()
}

#[test]
fn tls_is_verified_and_an_extra_ca_can_be_trusted() {
    let (port, ca_pem, _) = tls_server();
    let endpoint = format!("https://127.0.0.1:{port}");
    let e = client(&[("endpoint", &endpoint)]).put("bkt", "k", b"x", None, None, None).unwrap_err();
    assert_eq!(e.result, oss_result::Connect, "{}", e.message);
    assert!(e.message.to_lowercase().contains("certificate"), "{}", e.message);

    let dir = common::temp_dir();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let r = client(&[("endpoint", &endpoint), ("ca_cert_file", ca.to_str().unwrap())])
        .put("bkt", "k", b"x", None, None, None)
        .unwrap();
    assert_eq!(r.header("x-oss-request-id"), Some("TLS"));

    let not_pem = dir.path().join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let e = Client::build(&[
        ("endpoint", &endpoint),
        ("access_key_id", "a"),
        ("access_key_secret", "s"),
        ("ca_cert_file", not_pem.to_str().unwrap()),
    ])
    .err()
    .unwrap();
    assert_eq!(e.result, oss_result::InvalidConfig, "{}", e.message);
}

#[test]
fn a_shared_client_resumes_tls_sessions_for_later_handles() {
    let (port, ca_pem, handshakes) = tls_server();
    let dir = common::temp_dir();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let endpoint = format!("https://127.0.0.1:{port}");
    let settings = [
        ("endpoint", endpoint.as_str()),
        ("access_key_id", "AKIDEXAMPLE"),
        ("access_key_secret", "SECRETEXAMPLE"),
        ("ca_cert_file", ca.to_str().unwrap()),
    ];
    for key in ["first", "second"] {
        // A handle per request, as a PHP worker does; the server closes each connection.
        let handle = Client::shared(&settings).unwrap();
        handle.put("bkt", key, b"x", None, None, None).unwrap();
    }
    Client::build(&settings).unwrap().put("bkt", "unshared", b"x", None, None, None).unwrap();
    use rustls::HandshakeKind::{Full, Resumed};
    assert_eq!(*handshakes.lock().unwrap(), [Full, Resumed, Full]);
}

#[test]
fn total_timeout_is_enforced() {
    let rec = Recorder::start(|_| {
        std::thread::sleep(Duration::from_secs(3));
        http_response("200 OK", &[], "")
    });
    let start = Instant::now();
    let e = client(&[("endpoint", &rec.endpoint()), ("timeout_ms", "300"), ("max_retries", "0")])
        .put("bkt", "k", b"x", None, None, None)
        .unwrap_err();
    assert_eq!(e.result, oss_result::Timeout, "{}", e.message);
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
}

#[test]
fn proxies_get_absolute_form_requests_and_credentials() {
    let rec = Recorder::start(|_| http_response("200 OK", &[("x-oss-request-id", "P"), ("ETag", "\"E\"")], ""));
    let proxy = format!("http://user:pass@127.0.0.1:{}", rec.port);
    client(&[("endpoint", "http://oss-cn-hangzhou.aliyuncs.com"), ("proxy", &proxy)])
        .put("bkt", "p.txt", b"x", None, None, None)
        .unwrap();
    let sent = &rec.requests()[0];
    assert_eq!(sent.request_line, "PUT http://bkt.oss-cn-hangzhou.aliyuncs.com/p.txt HTTP/1.1");
    assert_eq!(sent.header("Host"), Some("bkt.oss-cn-hangzhou.aliyuncs.com"));
    assert_eq!(sent.header("Proxy-Authorization"), Some("Basic dXNlcjpwYXNz"));
}
