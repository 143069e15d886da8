//! TLS trust. The system's CA certificates are read once per process and shared by every client, instead of
//! once per client (about 150 files on Debian): a PHP worker that builds a client in every request would
//! otherwise pay for it each time. Certificates are always verified; there is no way to turn that off.

use std::path::Path;
use std::sync::Arc;

use once_cell::sync::Lazy;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use super::body::file_error;
use crate::core::error::{fail, Error, ErrorKind, Result};

/// The system store (`SSL_CERT_FILE` / `SSL_CERT_DIR` or the platform's default locations), loaded on first use.
/// Unreadable or unparsable certificates are skipped; an empty store makes every HTTPS handshake fail with an
/// unknown-issuer error, while plain HTTP keeps working.
static SYSTEM_ROOTS: Lazy<Arc<RootCertStore>> = Lazy::new(|| {
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    Arc::new(store)
});

/// The rustls configuration of one client: the system store plus the PEM certificates in `extra_ca` (read now),
/// HTTP/1.1 over TLS 1.2 or 1.3 with the `ring` provider. Each configuration keeps its own session cache, so a
/// client resumes TLS sessions with the hosts it talked to. With `plain_http_only` (a client that never uses TLS)
/// the system store is left unread and only `extra_ca` is trusted, so a process that talks plain HTTP never pays
/// for reading it; a TLS handshake such a client attempted anyway would fail verification.
///
/// Errors: `FileNotFound`/`File*` when `extra_ca` cannot be read, `InvalidConfig` when it holds no certificate.
pub fn client_config(extra_ca: Option<&Path>, plain_http_only: bool) -> Result<ClientConfig> {
    let roots = roots(extra_ca, plain_http_only)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(ErrorKind::InvalidConfig, format!("cannot configure TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The shared system store (an empty store with `plain_http_only`), or a copy of it with the certificates of
/// `extra_ca` added.
fn roots(extra_ca: Option<&Path>, plain_http_only: bool) -> Result<Arc<RootCertStore>> {
    let system = || if plain_http_only { Arc::new(RootCertStore::empty()) } else { SYSTEM_ROOTS.clone() };
    match extra_ca {
        None => Ok(system()),
        Some(path) => with_extra_roots(&system(), path).map(Arc::new),
    }
}

fn with_extra_roots(system: &RootCertStore, path: &Path) -> Result<RootCertStore> {
    let pem = std::fs::read(path).map_err(|e| file_error(path, &e))?;
    let unusable = |why: String| Error::new(ErrorKind::InvalidConfig, format!("{} {why}", path.display()));
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| unusable(format!("holds no usable PEM certificate: {e}")))?;
    if certs.is_empty() {
        return fail(ErrorKind::InvalidConfig, format!("{} holds no PEM certificate", path.display()));
    }
    let mut store = system.clone();
    for cert in certs {
        store.add(cert).map_err(|e| unusable(format!("holds a certificate that cannot be a trust anchor: {e}")))?;
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_certificates_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let e = client_config(Some(&empty), false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(e.message().contains("empty.pem") && e.message().contains("no PEM certificate"), "{}", e.message());
        let missing = client_config(Some(&dir.path().join("missing.pem")), true).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::FileNotFound);
    }

    #[test]
    fn the_system_store_is_shared_and_extra_roots_are_added_to_a_copy() {
        assert!(Arc::ptr_eq(&roots(None, false).unwrap(), &roots(None, false).unwrap()));
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        std::fs::write(&ca, cert.cert.pem()).unwrap();
        let with_ca = roots(Some(&ca), false).unwrap();
        assert_eq!(with_ca.len(), SYSTEM_ROOTS.len() + 1);
        assert_eq!(client_config(None, false).unwrap().alpn_protocols, vec![b"http/1.1".to_vec()]);
    }

    #[test]
    fn a_plain_http_client_trusts_only_its_extra_ca() {
        assert!(roots(None, true).unwrap().is_empty());
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        std::fs::write(&ca, cert.cert.pem()).unwrap();
        assert_eq!(roots(Some(&ca), true).unwrap().len(), 1);
    }
}
