//! PostObject policies (`docs/post-object.md`). A policy is a JSON document, an expiration and a list of
//! conditions on the form's fields; its base64 form is the `policy` field and the string to sign. V1: `Signature`
//! is the base64 HMAC-SHA1 of it with the secret, beside `OSSAccessKeyId`. V4: `x-oss-signature` is the hex
//! HMAC-SHA256 of it with the V4 signing key of the signing date, and `x-oss-signature-version`,
//! `x-oss-credential` and `x-oss-date` are both form fields and conditions of the policy. An STS token is the
//! `x-oss-security-token` field, also a condition.

use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};

use super::{iso8601, v1, v4, v4_datetime, SignatureVersion};
use crate::core::credentials::Credentials;

/// A signed policy: its JSON and the form fields that carry it (policy, signature and credentials).
#[derive(Debug, Clone, PartialEq)]
pub struct SignedPolicy {
    /// The policy as signed.
    pub policy: Value,
    /// `policy`, the signature fields and the token, in that order.
    pub fields: Vec<(String, String)>,
}

/// Signs a policy of `conditions` (the signature version's own are added) expiring at `expiration`, at `now`.
pub fn sign(
    mut conditions: Vec<Value>,
    expiration: SystemTime,
    creds: &Credentials,
    version: &SignatureVersion,
    now: SystemTime,
) -> SignedPolicy {
    let mut fields = Vec::new();
    let token = creds.security_token.as_ref().map(|t| t.expose().to_string());
    if let Some(t) = &token {
        conditions.push(json!({ "x-oss-security-token": t }));
    }
    let signature = match version {
        SignatureVersion::V1 => None,
        SignatureVersion::V4(scope) => {
            let datetime = v4_datetime(now);
            let credential = format!("{}/{}", creds.access_key_id, v4::scope_string(&datetime[..8], scope));
            for (name, value) in [
                ("x-oss-signature-version", "OSS4-HMAC-SHA256".to_string()),
                ("x-oss-credential", credential),
                ("x-oss-date", datetime.clone()),
            ] {
                conditions.push(json!({ name: value }));
                fields.push((name.to_string(), value));
            }
            Some((scope, datetime))
        }
    };
    let policy = json!({ "expiration": iso8601(expiration), "conditions": conditions });
    let encoded = B64.encode(policy.to_string());
    match signature {
        None => {
            fields.insert(0, ("OSSAccessKeyId".into(), creds.access_key_id.clone()));
            fields.push(("Signature".into(), v1::signature(creds, &encoded)));
        }
        Some((scope, datetime)) => {
            fields.push(("x-oss-signature".into(), v4::signature(creds, scope, &datetime[..8], &encoded)));
        }
    }
    fields.insert(0, ("policy".into(), encoded));
    if let Some(t) = token {
        fields.push(("x-oss-security-token".into(), t));
    }
    SignedPolicy { policy, fields }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::core::signing::v4::Scope;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn field<'a>(p: &'a SignedPolicy, name: &str) -> &'a str {
        p.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap()
    }

    /// The expected values were computed from the documented formulas with Python's hmac, hashlib and base64
    /// (not with this code): base64(HMAC-SHA1(secret, policy)) and hex(HMAC-SHA256(key("aliyun_v4" + secret,
    /// date, region, "oss", "aliyun_v4_request"), policy)).
    #[test]
    fn known_answers() {
        let creds = Credentials::new("LTAI-EXAMPLE-ID", "example-secret-value", None).unwrap();
        let conditions = vec![json!({"bucket": "examplebucket"}), json!(["starts-with", "$key", "user/"])];
        let v1 = sign(conditions.clone(), at(1_764_590_400), &creds, &SignatureVersion::V1, at(1_764_586_800));
        assert_eq!(
            field(&v1, "policy"),
            "eyJjb25kaXRpb25zIjpbeyJidWNrZXQiOiJleGFtcGxlYnVja2V0In0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJ1c2VyLyJdXSwiZXhwaXJhdGlvbiI6IjIwMjUtMTItMDFUMTI6MDA6MDAuMDAwWiJ9"
        );
        assert_eq!(field(&v1, "Signature"), "K9/nc5KaGl3sPGmjv1Rg+CYsVZI=");
        assert_eq!(field(&v1, "OSSAccessKeyId"), "LTAI-EXAMPLE-ID");
        let scope = Scope { region: "cn-hangzhou".into(), product: "oss".into() };
        let v4 = sign(conditions, at(1_764_590_400), &creds, &SignatureVersion::V4(scope), at(1_764_586_800));
        assert_eq!(field(&v4, "x-oss-credential"), "LTAI-EXAMPLE-ID/20251201/cn-hangzhou/oss/aliyun_v4_request");
        assert_eq!(field(&v4, "x-oss-date"), "20251201T110000Z");
        assert_eq!(
            field(&v4, "policy"),
            "eyJjb25kaXRpb25zIjpbeyJidWNrZXQiOiJleGFtcGxlYnVja2V0In0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJ1c2VyLyJdLHsieC1vc3Mtc2lnbmF0dXJlLXZlcnNpb24iOiJPU1M0LUhNQUMtU0hBMjU2In0seyJ4LW9zcy1jcmVkZW50aWFsIjoiTFRBSS1FWEFNUExFLUlELzIwMjUxMjAxL2NuLWhhbmd6aG91L29zcy9hbGl5dW5fdjRfcmVxdWVzdCJ9LHsieC1vc3MtZGF0ZSI6IjIwMjUxMjAxVDExMDAwMFoifV0sImV4cGlyYXRpb24iOiIyMDI1LTEyLTAxVDEyOjAwOjAwLjAwMFoifQ=="
        );
        assert_eq!(field(&v4, "x-oss-signature"), "17848b9682f60e167eeb2c3598272813faeba6cd6026153a53a6fed10c9510c9");
        let names: Vec<&str> = v4.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["policy", "x-oss-signature-version", "x-oss-credential", "x-oss-date", "x-oss-signature"]);
        assert_eq!(v4.policy["conditions"][4], json!({"x-oss-date": "20251201T110000Z"}));
    }

    #[test]
    fn a_token_is_a_field_and_a_condition() {
        let creds = Credentials::new("id", "secret", Some("STS-TOKEN")).unwrap();
        let p = sign(vec![], at(100), &creds, &SignatureVersion::V1, at(0));
        assert_eq!(field(&p, "x-oss-security-token"), "STS-TOKEN");
        assert_eq!(p.policy["conditions"], json!([{"x-oss-security-token": "STS-TOKEN"}]));
        assert_eq!(p.policy["expiration"], json!("1970-01-01T00:01:40.000Z"));
    }
}
