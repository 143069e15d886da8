//! Access key credentials. Secrets are never printed (Debug shows `***`) and are zeroed when dropped.

use std::fmt;

use zeroize::Zeroizing;

use super::error::{fail, ErrorKind, Result};

/// A string that must not leak: hidden from Debug, wiped from memory on drop.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps `value`; the caller's copy is the caller's business.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret text, for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Access key id, secret and an optional STS security token.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The access key id (not secret: it is sent in every Authorization header).
    pub access_key_id: String,
    /// The access key secret.
    pub access_key_secret: Secret,
    /// The STS security token, sent as `x-oss-security-token`.
    pub security_token: Option<Secret>,
}

impl Credentials {
    /// Checks and builds credentials; id and secret are trimmed like the SDK does, the token is not.
    pub fn new(id: &str, secret: &str, token: Option<&str>) -> Result<Self> {
        let (id, secret) = (id.trim(), secret.trim());
        if id.is_empty() {
            return fail(ErrorKind::InvalidConfig, "access key id is empty");
        }
        if secret.is_empty() {
            return fail(ErrorKind::InvalidConfig, "access key secret is empty");
        }
        // Both travel in headers (Authorization, x-oss-security-token), where control characters are refused.
        if id.chars().any(|c| c.is_ascii_control()) {
            return fail(ErrorKind::InvalidConfig, "access key id contains CR, LF or another control character");
        }
        if id.contains(':') {
            return fail(ErrorKind::InvalidConfig, "access key id contains ':'");
        }
        let token = token.filter(|t| !t.is_empty());
        if token.is_some_and(|t| t.chars().any(|c| c.is_ascii_control())) {
            return fail(ErrorKind::InvalidConfig, "security token contains CR, LF, NUL or another control character");
        }
        Ok(Credentials {
            access_key_id: id.to_string(),
            access_key_secret: Secret::new(secret),
            security_token: token.map(Secret::new),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let c = Credentials::new(" AK ", " SK-SECRET ", Some("TOKEN-SECRET")).unwrap();
        assert_eq!(c.access_key_id, "AK");
        assert_eq!(c.access_key_secret.expose(), "SK-SECRET");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("SK-SECRET") && !dbg.contains("TOKEN-SECRET"), "{dbg}");
    }

    #[test]
    fn empty_keys_use_sdk_messages() {
        assert_eq!(Credentials::new(" ", "s", None).unwrap_err().message(), "access key id is empty");
        assert_eq!(Credentials::new("a", "", None).unwrap_err().message(), "access key secret is empty");
        assert!(Credentials::new("a", "s", Some("")).unwrap().security_token.is_none());
    }
}
