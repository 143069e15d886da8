//! Bucket CORS: PutBucketCors (`PUT ?cors`, a `CORSConfiguration` of at most 10 `CORSRule`s), GetBucketCors
//! (`404 NoSuchCORSConfiguration` without one), DeleteBucketCors, the `OPTIONS` preflight of a browser (not
//! signed), and the `Access-Control-*` headers of any answer to a request with an `Origin` a rule allows. As OSS:
//! an origin or header pattern may hold one `*`; methods are GET, PUT, DELETE, POST and HEAD; a preflight without
//! rules or without a matching rule is `403 AccessForbidden`.

use serde::{Deserialize, Serialize};

use crate::error::OssError;
use crate::http::{RequestHead, Response};
use crate::object::small_body;
use crate::server::Request;
use crate::service::{Ctx, Oss};
use crate::xml::{self, document, leaf, Node};

const METHODS: &[&str] = &["GET", "PUT", "DELETE", "POST", "HEAD"];
const MAX_RULES: usize = 10;

/// One rule of a bucket's CORS configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CorsRule {
    pub origins: Vec<String>,
    pub methods: Vec<String>,
    pub headers: Vec<String>,
    pub expose: Vec<String>,
    pub max_age: Option<u64>,
}

/// A bucket's CORS configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Cors {
    pub rules: Vec<CorsRule>,
    pub vary: bool,
}

fn forbidden(message: &str) -> OssError {
    OssError::new(403, "AccessForbidden", format!("CORSResponse: {message}"))
}

/// Whether `value` matches `pattern` (case-insensitive when `fold`), which may hold one `*`.
fn matches(pattern: &str, value: &str, fold: bool) -> bool {
    let (p, v) =
        if fold { (pattern.to_ascii_lowercase(), value.to_ascii_lowercase()) } else { (pattern.into(), value.into()) };
    match p.split_once('*') {
        None => p == v,
        Some((head, tail)) => v.len() >= head.len() + tail.len() && v.starts_with(head) && v.ends_with(tail),
    }
}

impl Cors {
    /// The first rule allowing `origin` to use `method` with `headers`.
    fn rule(&self, origin: &str, method: &str, headers: &[String]) -> Option<&CorsRule> {
        self.rules.iter().find(|r| {
            r.origins.iter().any(|o| matches(o, origin, false))
                && r.methods.iter().any(|m| m == method)
                && headers.iter().all(|h| r.headers.iter().any(|p| matches(p, h, true)))
        })
    }
}

/// The CORS headers of a rule for `origin`.
fn allow(rule: &CorsRule, origin: &str, vary: bool, headers: &[String]) -> Vec<(String, String)> {
    let mut out = vec![
        ("Access-Control-Allow-Origin".to_string(), origin.to_string()),
        ("Access-Control-Allow-Methods".to_string(), rule.methods.join(", ")),
    ];
    if !headers.is_empty() {
        out.push(("Access-Control-Allow-Headers".to_string(), headers.join(", ")));
    }
    if !rule.expose.is_empty() {
        out.push(("Access-Control-Expose-Headers".to_string(), rule.expose.join(", ")));
    }
    if let Some(age) = rule.max_age {
        out.push(("Access-Control-Max-Age".to_string(), age.to_string()));
    }
    if vary {
        out.push(("Vary".to_string(), "Origin".to_string()));
    }
    out
}

/// The CORS headers for an answer to `head` on `bucket`: none without an `Origin` or a matching rule.
pub fn answer_headers(oss: &Oss, bucket: &str, head: &RequestHead) -> Vec<(String, String)> {
    let Some(origin) = head.header("origin") else { return Vec::new() };
    let Some(cors) = oss.store.buckets.get(bucket).and_then(|b| b.cors) else { return Vec::new() };
    match cors.rule(origin, &head.method, &[]) {
        Some(rule) => allow(rule, origin, cors.vary, &[]),
        None => Vec::new(),
    }
}

/// OPTIONS /bucket/key: the preflight of a browser's cross-origin request.
pub fn preflight(oss: &Oss, req: &Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let head = &req.head;
    let origin = head
        .header("origin")
        .ok_or_else(|| OssError::invalid_argument("Insufficient information. Origin request header needed."))?;
    let method = head.header("access-control-request-method").ok_or_else(|| {
        OssError::invalid_argument("Insufficient information. Access-Control-Request-Method request header needed.")
    })?;
    let headers: Vec<String> = head
        .header("access-control-request-headers")
        .map(|h| h.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let cors = oss
        .store
        .buckets
        .get(&ctx.bucket)
        .and_then(|b| b.cors)
        .ok_or_else(|| forbidden("CORS is not enabled for this bucket."))?;
    let rule = cors.rule(origin, method, &headers).ok_or_else(|| {
        forbidden("This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
    })?;
    let mut resp = Response::empty(200);
    resp.headers.extend(allow(rule, origin, cors.vary, &headers));
    Ok(resp)
}

/// PUT /bucket?cors.
pub fn put(oss: &Oss, req: &mut Request<'_>, ctx: &Ctx) -> Result<Response, OssError> {
    let body = small_body(req, 64 * 1024)?;
    let text = String::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
    let root = xml::parse(&text).map_err(|_| OssError::malformed_xml())?;
    if root.name != "CORSConfiguration" {
        return Err(OssError::malformed_xml());
    }
    let texts = |rule: &xml::Element, name: &str| -> Vec<String> {
        rule.children.iter().filter(|c| c.name == name).map(|c| c.text.trim().to_string()).collect()
    };
    let mut cors =
        Cors { vary: root.child("ResponseVary").is_some_and(|v| v.text.trim() == "true"), ..Cors::default() };
    for rule in root.children.iter().filter(|c| c.name == "CORSRule") {
        let r = CorsRule {
            origins: texts(rule, "AllowedOrigin"),
            methods: texts(rule, "AllowedMethod"),
            headers: texts(rule, "AllowedHeader"),
            expose: texts(rule, "ExposeHeader"),
            max_age: match rule.child("MaxAgeSeconds") {
                Some(m) => Some(
                    m.text.trim().parse().map_err(|_| OssError::invalid_argument("MaxAgeSeconds is not a number."))?,
                ),
                None => None,
            },
        };
        if r.origins.is_empty() || r.methods.is_empty() {
            return Err(OssError::invalid_argument("A CORSRule needs an AllowedOrigin and an AllowedMethod."));
        }
        if let Some(m) = r.methods.iter().find(|m| !METHODS.contains(&m.as_str())) {
            return Err(OssError::invalid_argument(format!("The AllowedMethod {m} is not supported.")));
        }
        if r.origins.iter().chain(&r.headers).any(|p| p.matches('*').count() > 1) {
            return Err(OssError::invalid_argument("An AllowedOrigin or AllowedHeader may hold at most one *."));
        }
        cors.rules.push(r);
    }
    if cors.rules.is_empty() || cors.rules.len() > MAX_RULES {
        return Err(OssError::invalid_argument(format!("A CORS configuration holds 1 to {MAX_RULES} rules.")));
    }
    oss.store.buckets.update(&ctx.bucket, |b| b.cors = Some(cors))?;
    Ok(Response::empty(200))
}

/// GET /bucket?cors.
pub fn get(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    let cors = oss.store.buckets.get(&ctx.bucket).and_then(|b| b.cors).ok_or_else(|| {
        OssError::new(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist.")
            .with_extra("BucketName", ctx.bucket.clone())
    })?;
    let mut nodes: Vec<Node> = cors
        .rules
        .iter()
        .map(|r| {
            let mut n: Vec<Node> = Vec::new();
            n.extend(r.origins.iter().map(|v| leaf("AllowedOrigin", v.clone())));
            n.extend(r.methods.iter().map(|v| leaf("AllowedMethod", v.clone())));
            n.extend(r.headers.iter().map(|v| leaf("AllowedHeader", v.clone())));
            n.extend(r.expose.iter().map(|v| leaf("ExposeHeader", v.clone())));
            if let Some(age) = r.max_age {
                n.push(leaf("MaxAgeSeconds", age.to_string()));
            }
            Node::Group("CORSRule", n)
        })
        .collect();
    nodes.push(leaf("ResponseVary", cors.vary.to_string()));
    Ok(Response::bytes(200, "application/xml", document("CORSConfiguration", &nodes)))
}

/// DELETE /bucket?cors.
pub fn delete(oss: &Oss, ctx: &Ctx) -> Result<Response, OssError> {
    oss.store.buckets.update(&ctx.bucket, |b| b.cors = None)?;
    Ok(Response::empty(204))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards() {
        assert!(matches("*", "http://a.example", false));
        assert!(matches("http://*.example.com", "http://www.example.com", false));
        assert!(!matches("http://*.example.com", "http://example.org", false));
        assert!(matches("x-oss-*", "X-OSS-Meta-A", true));
        assert!(!matches("http://a", "http://A", false));
    }
}
