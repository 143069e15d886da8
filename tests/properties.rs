//! Property tests (proptest) for the pure code that reads or canonicalises untrusted text: endpoint parsing and
//! URL building, V1/V4 signing, the XML reader for server answers and the callback parameter checks.
//!
//! Every property runs a fixed number of cases (the `cases` argument of each `proptest!` block; PROPTEST_CASES
//! does not change it). The whole file takes a few seconds in a debug build. A failing case is shrunk and printed;
//! proptest also saves its seed under `tests/properties.proptest-regressions` so it is replayed first next time.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

use ossrs::core::credentials::Credentials;
use ossrs::core::endpoint::{encode_path, query_string, rawurlencode, Endpoint, HostType};
use ossrs::core::http::Headers;
use ossrs::core::model::callback;
use ossrs::core::model::xml::{self, complete_multipart_body, CompletePart};
use ossrs::core::signing::{self, v1, v4, Scope, SignableRequest, SignatureVersion};
use ossrs::core::ErrorKind;

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig { cases: n, ..ProptestConfig::default() }
}

/// Concatenates 0..`max` fragments drawn from `pool`: reaches the interesting corners of a parser far more
/// often than uniformly random text does.
fn soup(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    vec(select(pool), 0..max).prop_map(|parts| parts.concat())
}

/// Percent-decoding of `rawurlencode` output (test oracle).
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn unreserved_or_escape(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%')
}

// ------------------------------------------------------------------------------------------------------------------
// Endpoint parsing and URL building
// ------------------------------------------------------------------------------------------------------------------

const ENDPOINT_PARTS: &[&str] = &[
    "http",
    "https",
    "HTTPS",
    "HtTp",
    "ftp",
    "://",
    ":/",
    ":",
    "/",
    "//",
    "@",
    "?",
    "#",
    ".",
    "..",
    "-",
    "_",
    " ",
    "\t",
    "\r",
    "\n",
    "\0",
    "[",
    "]",
    "::1",
    "127.0.0.1",
    "256.1.1.1",
    "oss-cn-hangzhou",
    "aliyuncs.com",
    "example",
    "com",
    "80",
    "8080",
    "99999999999999999999",
    "é",
    "测试",
    "\u{200b}",
    "%2F",
    "%00",
    "a",
    "Z9",
    "user:pw@",
    "\u{feff}",
];

fn endpoint_input() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), soup(ENDPOINT_PARTS, 12)]
}

/// A well-formed endpoint, with what parsing it must give: (text, https, host).
fn valid_endpoint() -> impl Strategy<Value = (String, bool, String)> {
    let scheme = select(&["", "http://", "https://", "HTTP://", "HtTpS://"][..]);
    let name = prop_oneof![
        "[a-zA-Z0-9_-]{1,12}(\\.[a-zA-Z0-9_-]{1,12}){0,3}",
        any::<[u8; 4]>().prop_map(|o| Ipv4Addr::from(o).to_string()),
    ];
    let port = proptest::option::of(any::<u16>());
    let userinfo = select(&["", "user@", "user:pw@", "a:b:c@"][..]);
    let suffix = select(&["", "/", "/path/x.txt", "?a=b", "#frag", "/p?q=1#f", "//"][..]);
    let pad = select(&["", " ", "\t", " \n", "/"][..]);
    (scheme, userinfo, name, port, suffix, pad).prop_map(|(scheme, userinfo, name, port, suffix, pad)| {
        let host = match port {
            Some(p) => format!("{name}:{p}"),
            None => name,
        };
        let pad_front = if pad == "/" && !scheme.is_empty() { "" } else { pad };
        let text = format!("{pad_front}{scheme}{userinfo}{host}{suffix}{pad}");
        (text, scheme.eq_ignore_ascii_case("https://"), host)
    })
}

fn bucket_name() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9-]{1,30}[a-z0-9]"
}

/// Query parameters whose keys are pairwise distinct under the natural, case-insensitive order: lower-case
/// letters and digits without zeros, so no two keys compare equal (`a01` and `a1` would).
fn distinct_query() -> impl Strategy<Value = Vec<(String, String)>> {
    vec(("[a-z1-9-]{1,8}", any::<String>()), 0..8).prop_map(|pairs| {
        let mut seen = HashSet::new();
        pairs.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect()
    })
}

fn check_host(host: &str) {
    assert!(!host.is_empty());
    assert!(
        !host.contains(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '@' | '%')),
        "{host:?}"
    );
    let (name, port) = match host.split_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    assert!(!name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')));
    if let Some(p) = port {
        assert!(!p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()), "{host:?}");
    }
}

proptest! {
    #![proptest_config(cases(10_000))]

    /// Any text either parses into a clean host (only name characters and an optional numeric port: no CR, LF,
    /// space, `/`, `@` or `%` can reach the Host header) or fails with InvalidEndpoint; and a parsed endpoint
    /// renders back into an endpoint that parses to itself.
    #[test]
    fn endpoint_parse_never_panics_and_hosts_are_clean(s in endpoint_input(), cname: bool, path_style: bool) {
        match Endpoint::parse(&s, cname, path_style) {
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidEndpoint),
            Ok(ep) => {
                check_host(&ep.host);
                let name = ep.host.split(':').next().unwrap();
                let expected_type = if path_style {
                    HostType::PathStyle
                } else if cname {
                    HostType::Cname
                } else if name.parse::<Ipv4Addr>().is_ok() {
                    HostType::Ip
                } else {
                    HostType::Normal
                };
                prop_assert_eq!(ep.host_type, expected_type);
                let scheme = if ep.https { "https" } else { "http" };
                prop_assert_eq!(ep.https, s.trim().trim_start_matches('/').to_ascii_lowercase().starts_with("https://"));
                let rendered = format!("{scheme}://{}", ep.host);
                prop_assert_eq!(Endpoint::parse(&rendered, cname, path_style).unwrap(), ep.clone());
                let bare = Endpoint::parse(&ep.host, cname, path_style).unwrap();
                prop_assert_eq!((&bare.host, bare.https), (&ep.host, false));
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(5_000))]

    /// Well-formed endpoints (any scheme case, user info, port, path, query, fragment, padding) give exactly
    /// the expected host and scheme.
    #[test]
    fn valid_endpoints_parse_to_their_host((text, https, host) in valid_endpoint(), cname: bool, path_style: bool) {
        let ep = Endpoint::parse(&text, cname, path_style).unwrap();
        prop_assert_eq!(&ep.host, &host);
        prop_assert_eq!(ep.https, https);
    }

    /// A URL built for a bucket and any key has the scheme, `bucket.` + host (virtual-hosted) or the host alone
    /// as its authority, a path that decodes back to exactly the bucket and key, only unreserved characters,
    /// escapes and `/` in the path, and parsing the URL as an endpoint gives back its authority.
    #[test]
    fn urls_render_host_and_path_faithfully(
        (text, _, _) in valid_endpoint(),
        cname: bool,
        path_style: bool,
        bucket in bucket_name(),
        key in any::<String>(),
        query in distinct_query(),
    ) {
        let ep = Endpoint::parse(&text, cname, path_style).unwrap();
        let q = query_string(&query);
        let url = ep.url_for(&bucket, &key, &q);
        let host = if ep.host_type == HostType::Normal { format!("{bucket}.{}", ep.host) } else { ep.host.clone() };
        let scheme = if ep.https { "https://" } else { "http://" };
        let rest = url.strip_prefix(scheme).unwrap();
        let (authority, path_and_query) = rest.split_at(rest.find('/').unwrap());
        prop_assert_eq!(authority, host.as_str());
        let (path, query_part) = match path_and_query.split_once('?') {
            Some((p, qp)) => (p, qp),
            None => (path_and_query, ""),
        };
        prop_assert_eq!(query_part, q.as_str());
        prop_assert!(path.chars().all(|c| unreserved_or_escape(c) || c == '/'), "{path}");
        let expected = if matches!(ep.host_type, HostType::Ip | HostType::PathStyle) {
            format!("/{bucket}/{key}")
        } else {
            format!("/{key}")
        };
        prop_assert_eq!(percent_decode(path), expected.into_bytes());
        prop_assert_eq!(Endpoint::parse(&url, cname, path_style).unwrap().host, host);
    }

    /// The query string does not depend on insertion order, and it decodes back to the same pairs.
    #[test]
    fn query_string_is_order_independent_and_faithful(
        (params, shuffled) in distinct_query().prop_flat_map(|p| (Just(p.clone()), Just(p).prop_shuffle())),
    ) {
        let q = query_string(&params);
        prop_assert_eq!(&q, &query_string(&shuffled));
        prop_assert!(q.chars().all(|c| unreserved_or_escape(c) || c == '=' || c == '&'), "{q}");
        let mut decoded: Vec<(String, String)> = if q.is_empty() {
            Vec::new()
        } else {
            q.split('&')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (String::from_utf8(percent_decode(k)).unwrap(), String::from_utf8(percent_decode(v)).unwrap())
                })
                .collect()
        };
        let mut expected = params.clone();
        decoded.sort();
        expected.sort();
        prop_assert_eq!(decoded, expected);
    }

    /// `encode_path` keeps `/`, escapes everything else outside the unreserved set, and is reversible.
    #[test]
    fn path_encoding_round_trips(key in any::<String>()) {
        let e = encode_path(&key);
        prop_assert!(e.chars().all(|c| unreserved_or_escape(c) || c == '/'));
        prop_assert_eq!(percent_decode(&e), key.as_bytes());
        prop_assert_eq!(percent_decode(&rawurlencode(&key)), key.as_bytes());
    }
}

// ------------------------------------------------------------------------------------------------------------------
// Signing (V1 canonical resource / string to sign, V4 canonical request, Authorization)
// ------------------------------------------------------------------------------------------------------------------

/// Header names the signatures cover (both versions sign Content-Type, Content-MD5 and `x-oss-*`).
const SIGNED_HEADERS: &[&str] = &[
    "Content-Type",
    "Content-MD5",
    "x-oss-meta-a",
    "X-Oss-Meta-B",
    "x-oss-callback",
    "x-oss-callback-var",
    "x-oss-object-acl",
    "x-oss-storage-class",
];
/// Header names neither version signs.
const UNSIGNED_HEADERS: &[&str] = &["User-Agent", "Content-Length", "Content-Disposition", "Cache-Control", "Expect"];

/// A request description that owns its parts.
#[derive(Debug, Clone)]
struct Req {
    method: String,
    bucket: String,
    key: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Req {
    fn headers(&self) -> Headers {
        let mut h = Headers::new();
        for (n, v) in &self.headers {
            h.set(n.clone(), v.clone());
        }
        h
    }

    /// Signs a copy; returns (string to sign, Authorization).
    fn sign(&self, creds: &Credentials, version: &SignatureVersion, now: SystemTime) -> (String, String) {
        let mut h = self.headers();
        let mut r = SignableRequest {
            method: &self.method,
            bucket: &self.bucket,
            key: &self.key,
            query: &self.query,
            headers: &mut h,
        };
        let sts = signing::sign(&mut r, creds, version, now);
        (sts, h.get("Authorization").unwrap().to_string())
    }

    /// The V4 canonical request with the headers `sign` would add first.
    fn v4_canonical(&self) -> String {
        let mut h = self.headers();
        h.set("x-oss-date", "20240101T000000Z");
        h.set_default("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
        v4::canonical_request(&SignableRequest {
            method: &self.method,
            bucket: &self.bucket,
            key: &self.key,
            query: &self.query,
            headers: &mut h,
        })
    }

    fn v1_string_to_sign(&self) -> String {
        let mut h = self.headers();
        v1::string_to_sign(&SignableRequest {
            method: &self.method,
            bucket: &self.bucket,
            key: &self.key,
            query: &self.query,
            headers: &mut h,
        })
    }
}

fn any_header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(SIGNED_HEADERS).prop_map(String::from),
        1 => select(UNSIGNED_HEADERS).prop_map(String::from),
        1 => select(&["Date", "date", "Authorization", "x-oss-date", "x-oss-content-sha256", "x-oss-security-token"][..])
            .prop_map(String::from),
        1 => any::<String>(),
    ]
}

/// Anything at all, including names and values no caller should send (the FFI refuses CR/LF earlier; the
/// signer must still not panic).
fn arbitrary_req() -> impl Strategy<Value = Req> {
    (
        prop_oneof![
            select(&["GET", "PUT", "POST", "HEAD", "DELETE", "put"][..]).prop_map(String::from),
            any::<String>()
        ],
        any::<String>(),
        any::<String>(),
        vec(
            (
                prop_oneof![
                    select(&["uploadId", "partNumber", "acl", "uploads"][..]).prop_map(String::from),
                    any::<String>()
                ],
                any::<String>(),
            ),
            0..6,
        ),
        vec((any_header_name(), any::<String>()), 0..6),
    )
        .prop_map(|(method, bucket, key, query, headers)| Req { method, bucket, key, query, headers })
}

/// A plausible request: fixed Date, signed and unsigned headers with distinct (case-insensitive) names, any
/// key and query text.
fn plausible_req() -> impl Strategy<Value = Req> {
    (
        select(&["GET", "PUT", "POST", "HEAD", "DELETE"][..]),
        prop_oneof![Just(String::new()), bucket_name()],
        any::<String>(),
        vec((any::<String>(), any::<String>()), 0..6),
        vec((prop_oneof![select(SIGNED_HEADERS), select(UNSIGNED_HEADERS)], any::<String>()), 0..6),
        0u64..4_102_444_800,
    )
        .prop_map(|(method, bucket, key, query, headers, date)| {
            let mut seen = HashSet::new();
            let mut headers: Vec<(String, String)> = headers
                .into_iter()
                .filter(|(n, _)| seen.insert(n.to_ascii_lowercase()))
                .map(|(n, v)| (n.to_string(), v))
                .collect();
            headers.push(("Date".into(), httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(date))));
            Req { method: method.into(), bucket, key, query, headers }
        })
}

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", None).unwrap()
}

fn v4_version(region: &str) -> SignatureVersion {
    SignatureVersion::V4(Scope { region: region.into(), product: "oss".into() })
}

/// One change to one signed input.
#[derive(Debug, Clone)]
enum Change {
    Method,
    Bucket,
    Key(char),
    SubResourceValue,
    AddQuery(String, String),
    QueryValue(usize),
    SignedHeader(usize),
    AddSignedHeader(String),
    Date,
    Secret,
    AccessKeyId,
    Token,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        Just(Change::Method),
        Just(Change::Bucket),
        any::<char>().prop_map(Change::Key),
        Just(Change::SubResourceValue),
        (any::<String>(), any::<String>()).prop_map(|(k, v)| Change::AddQuery(k, v)),
        any::<usize>().prop_map(Change::QueryValue),
        any::<usize>().prop_map(Change::SignedHeader),
        select(SIGNED_HEADERS).prop_map(|n| Change::AddSignedHeader(n.to_string())),
        Just(Change::Date),
        Just(Change::Secret),
        Just(Change::AccessKeyId),
        Just(Change::Token),
    ]
}

proptest! {
    #![proptest_config(cases(5_000))]

    /// Arbitrary UTF-8 everywhere (method, bucket, key, query, header names and values, credentials, Date,
    /// clock): signing never panics, is deterministic, and always yields a well-formed Authorization.
    #[test]
    fn signing_never_panics_and_is_deterministic(
        req in arbitrary_req(),
        id in prop_oneof![Just("AKID".to_string()), any::<String>()],
        secret in any::<String>(),
        token in proptest::option::of(any::<String>()),
        region in any::<String>(),
        now_secs in prop_oneof![0u64..4_102_444_800, any::<u64>()],
    ) {
        let Ok(creds) = Credentials::new(&id, &secret, token.as_deref()) else { return Ok(()) };
        let Some(now) = UNIX_EPOCH.checked_add(Duration::from_secs(now_secs)) else { return Ok(()) };
        for version in [SignatureVersion::V1, v4_version(&region)] {
            let (sts, auth) = req.sign(&creds, &version, now);
            prop_assert_eq!(req.sign(&creds, &version, now), (sts, auth.clone()));
            match version {
                SignatureVersion::V1 => {
                    let sig = auth.strip_prefix(&format!("OSS {}:", creds.access_key_id)).unwrap();
                    prop_assert_eq!(B64.decode(sig).unwrap().len(), 20);
                }
                SignatureVersion::V4(_) => {
                    let (head, sig) = auth.rsplit_once(",Signature=").unwrap();
                    prop_assert!(head.starts_with("OSS4-HMAC-SHA256 Credential="));
                    prop_assert!(sig.len() == 64 && sig.bytes().all(|c| c.is_ascii_hexdigit()));
                }
            }
        }
        let _ = v1::canonical_resource(&SignableRequest {
            method: &req.method,
            bucket: &req.bucket,
            key: &req.key,
            query: &req.query,
            headers: &mut req.headers(),
        });
        let _ = req.v4_canonical();
    }

    /// The order in which query parameters and headers were added never changes what is signed: V4 sorts the
    /// whole query (duplicates included); V1 signs sub-resources, whose names are distinct here.
    #[test]
    fn canonical_forms_ignore_insertion_order(
        (req, query, headers) in plausible_req().prop_flat_map(|r| {
            let q = Just(r.query.clone()).prop_shuffle();
            let h = Just(r.headers.clone()).prop_shuffle();
            (Just(r), q, h)
        }),
        subs in proptest::sample::subsequence(&["acl", "uploads", "uploadId", "partNumber", "callback", "versionId", "x-oss-process"][..], 0..7)
            .prop_flat_map(|names| {
                let n = names.len();
                (Just(names), vec(any::<String>(), n)).prop_map(|(names, values)| {
                    names.into_iter().map(String::from).zip(values).collect::<Vec<_>>()
                })
            })
            .prop_flat_map(|s| Just(s).prop_shuffle()),
    ) {
        let shuffled = Req { query: query.clone(), headers: headers.clone(), ..req.clone() };
        prop_assert_eq!(req.v4_canonical(), shuffled.v4_canonical());
        let mut reversed = req.clone();
        reversed.query.reverse();
        reversed.headers.reverse();
        prop_assert_eq!(req.v4_canonical(), reversed.v4_canonical());
        let with_subs = Req { query: subs.clone(), ..req.clone() };
        let mut subs_rev = with_subs.clone();
        subs_rev.query.reverse();
        subs_rev.headers = headers;
        prop_assert_eq!(with_subs.v1_string_to_sign(), subs_rev.v1_string_to_sign());
        let now = UNIX_EPOCH;
        prop_assert_eq!(with_subs.sign(&creds(), &v4_version("cn-hangzhou"), now), subs_rev.sign(&creds(), &v4_version("cn-hangzhou"), now));
        prop_assert_eq!(with_subs.sign(&creds(), &SignatureVersion::V1, now), subs_rev.sign(&creds(), &SignatureVersion::V1, now));
    }

    /// Changing any one signed input changes the Authorization of both versions (except where V1 by design
    /// does not sign a query parameter), and changing an unsigned header or adding an unsigned query parameter
    /// under V1 does not.
    #[test]
    fn signature_changes_when_a_signed_input_changes(
        mut req in plausible_req(),
        change in change(),
        unsigned in select(UNSIGNED_HEADERS),
        unsigned_value in any::<String>(),
        upload_id in any::<String>(),
    ) {
        req.query.push(("uploadId".into(), upload_id));
        let now = UNIX_EPOCH;
        let base_creds = creds();
        let (mut changed, mut changed_creds, mut region) = (req.clone(), base_creds.clone(), "cn-hangzhou");
        let mut v1_signed = true;
        match change.clone() {
            Change::Method => changed.method.push('X'),
            Change::Bucket => changed.bucket.push('z'),
            Change::Key(c) => changed.key.push(c),
            Change::SubResourceValue => changed.query.last_mut().unwrap().1.push('x'),
            Change::AddQuery(k, v) => {
                v1_signed = false;
                changed.query.push((k, v));
            }
            Change::QueryValue(i) => {
                let i = i % changed.query.len();
                v1_signed = changed.query[i].0 == "uploadId";
                changed.query[i].1.push('x');
            }
            Change::SignedHeader(i) => {
                let signed: Vec<usize> = (0..changed.headers.len())
                    .filter(|&j| SIGNED_HEADERS.contains(&changed.headers[j].0.as_str()))
                    .collect();
                if signed.is_empty() {
                    changed.headers.push(("x-oss-meta-new".into(), String::new()));
                } else {
                    changed.headers[signed[i % signed.len()]].1.push('x');
                }
            }
            Change::AddSignedHeader(name) => {
                match changed.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                    Some(h) => h.1.push('x'),
                    None => changed.headers.push((name, "v".into())),
                }
            }
            Change::Date => {
                let date = changed.headers.iter_mut().find(|(n, _)| n == "Date").unwrap();
                let t = httpdate::parse_http_date(&date.1).unwrap() + Duration::from_secs(1);
                date.1 = httpdate::fmt_http_date(t);
            }
            Change::Secret => changed_creds = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLF", None).unwrap(),
            Change::AccessKeyId => changed_creds = Credentials::new("AKIDEXAMPLF", "SECRETEXAMPLE", None).unwrap(),
            Change::Token => changed_creds = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", Some("T")).unwrap(),
        }
        let v4 = req.sign(&base_creds, &v4_version(region), now).1;
        prop_assert_ne!(&v4, &changed.sign(&changed_creds, &v4_version(region), now).1, "V4 {:?}", change);
        let v1 = req.sign(&base_creds, &SignatureVersion::V1, now).1;
        let v1_changed = changed.sign(&changed_creds, &SignatureVersion::V1, now).1;
        if v1_signed {
            prop_assert_ne!(&v1, &v1_changed, "V1 {:?}", change);
        } else {
            prop_assert_eq!(&v1, &v1_changed, "V1 signs only sub-resources: {:?}", change);
        }
        region = "cn-shanghai";
        prop_assert_ne!(&v4, &req.sign(&base_creds, &v4_version(region), now).1);

        let mut noise = req.clone();
        match noise.headers.iter_mut().find(|(n, _)| n == unsigned) {
            Some(h) => h.1.push('x'),
            None => noise.headers.push((unsigned.to_string(), unsigned_value)),
        }
        prop_assert_eq!(&v4, &noise.sign(&base_creds, &v4_version("cn-hangzhou"), now).1);
        prop_assert_eq!(&v1, &noise.sign(&base_creds, &SignatureVersion::V1, now).1);
    }
}

// ------------------------------------------------------------------------------------------------------------------
// XML answers
// ------------------------------------------------------------------------------------------------------------------

const XML_PARTS: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<Error>",
    "</Error>",
    "<Code>",
    "</Code>",
    "<a>",
    "</a>",
    "<b/>",
    "<a x=\"1\" y='&amp;'>",
    "<ns:a xmlns:ns=\"u\">",
    "</ns:a>",
    "<",
    ">",
    "</",
    "/>",
    "&amp;",
    "&lt;",
    "&quot;",
    "&#65;",
    "&#x41;",
    "&#x110000;",
    "&#xFFFFFFFFFF;",
    "&#0;",
    "&#xD800;",
    "&#;",
    "&bogus;",
    "&",
    ";",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<!DOCTYPE a [<!ENTITY e \"x\">]>",
    "<?pi x?>",
    "text",
    " ",
    "\n",
    "\r\n",
    "\0",
    "é",
    "\u{FFFF}",
    "\u{FEFF}",
    "\"",
    "'",
    "=",
];

/// The error XML as OSS lays it out (the emulator renders it the same way): escaped text, characters XML 1.0
/// cannot carry dropped.
fn error_xml(fields: &[(&str, &str)]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n");
    for (name, value) in fields {
        out.push_str(&format!("  <{name}>{}</{name}>\n", xml_escape(value)));
    }
    out.push_str("</Error>\n");
    out
}

fn xml_escape(text: &str) -> String {
    xml_carriable(text)
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn xml_carriable(text: &str) -> String {
    text.chars().filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// An ETag as OSS returns it, or any text at all.
fn etag() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[0-9A-F]{32}\"",
        "\"[0-9A-F]{32}-[1-9][0-9]{0,3}\"",
        any::<String>(),
        soup(&["&", ";", "&amp;", "<", ">", "a", "\"", "#", "x", "1", " ", "]]>"], 10),
    ]
}

/// True when `escape_text` keeps an `&` of `s` as the start of an entity (then parsing resolves the entity
/// and the round trip is not the identity, by design: the SDK's SimpleXML does the same).
fn has_entity_like(s: &str) -> bool {
    s.match_indices('&').any(|(i, _)| {
        let rest = &s[i + 1..];
        rest.find(';').is_some_and(|end| {
            let name = &rest[..end];
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '#' | '_' | '-' | '.'))
        })
    })
}

proptest! {
    #![proptest_config(cases(10_000))]

    /// Any bytes: `parse` returns a tree or None, never panics.
    #[test]
    fn xml_parse_never_panics_on_bytes(doc in vec(any::<u8>(), 0..512)) {
        let _ = xml::parse(&doc);
    }

    /// XML-shaped input (tags, entities, character references, CDATA, comments, DOCTYPE, stray markup).
    #[test]
    fn xml_parse_never_panics_on_markup(doc in soup(XML_PARTS, 40)) {
        if let Some(root) = xml::parse(doc.as_bytes()) {
            let _ = (root.child_text("Code"), root.children_named("Part").count());
        }
    }
}

proptest! {
    #![proptest_config(cases(3_000))]

    /// The CompleteMultipartUpload body we write parses back to the same parts, in order, for any ETag text
    /// except one holding an entity reference (kept as an entity on purpose, like the SDK).
    #[test]
    fn complete_body_round_trips(parts in vec((1u32..=10_000, etag()), 0..20)) {
        let parts: Vec<CompletePart> = parts.into_iter().map(|(part_number, etag)| CompletePart { part_number, etag }).collect();
        let body = complete_multipart_body(&parts);
        let exact = parts.iter().all(|p| !has_entity_like(&p.etag));
        match xml::parse(body.as_bytes()) {
            Some(root) => {
                prop_assert_eq!(root.name.as_str(), "CompleteMultipartUpload");
                let got: Vec<&xml::Element> = root.children_named("Part").collect();
                prop_assert_eq!(got.len(), parts.len());
                for (el, part) in got.iter().zip(&parts) {
                    let number = part.part_number.to_string();
                    prop_assert_eq!(el.child_text("PartNumber"), Some(number.as_str()));
                    if !has_entity_like(&part.etag) {
                        prop_assert_eq!(el.child_text("ETag"), Some(part.etag.as_str()));
                    }
                }
            }
            None => prop_assert!(!exact, "our own body did not parse: {body:?}"),
        }
    }

    /// Error XML in the OSS layout parses back to every field it carries.
    #[test]
    fn error_xml_round_trips(
        code in prop_oneof!["[A-Za-z]{1,30}", any::<String>()],
        message in any::<String>(),
        request_id in "[0-9A-F]{24}",
        host_id in any::<String>(),
        extra in vec(("[A-Z][A-Za-z]{0,10}", any::<String>()), 0..4),
    ) {
        let mut fields = vec![("Code", code.as_str()), ("Message", message.as_str()), ("RequestId", request_id.as_str()), ("HostId", host_id.as_str())];
        fields.extend(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let doc = error_xml(&fields);
        let root = xml::parse(doc.as_bytes()).expect("well-formed error XML parses");
        prop_assert_eq!(root.name.as_str(), "Error");
        prop_assert_eq!(root.children.len(), fields.len());
        for (el, (name, value)) in root.children.iter().zip(&fields) {
            prop_assert_eq!(&el.name, name);
            prop_assert_eq!(&el.text, &xml_carriable(value));
        }
        let compact = doc.replace(">\n  <", "><");
        let compact_root = xml::parse(compact.as_bytes()).unwrap();
        let carried = xml_carriable(&message);
        prop_assert_eq!(compact_root.child_text("Message"), Some(carried.as_str()));
    }
}

// ------------------------------------------------------------------------------------------------------------------
// Callback parameters
// ------------------------------------------------------------------------------------------------------------------

const CALLBACK_KEYS: &[&str] =
    &["callbackUrl", "callbackBody", "callbackBodyType", "callbackHost", "callbackSNI", "x:a", "x:B", "x:", "y", ""];

/// Any JSON value, with keys that the checks look at more often than not.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        select(&["http://a", "a;b", ";", " ", "application/json", "text/plain", ""][..]).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((prop_oneof![select(CALLBACK_KEYS).prop_map(String::from), any::<String>()], inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn callback_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        any::<String>(),
        json_value().prop_map(|v| v.to_string()),
        soup(
            &[
                "{",
                "}",
                "[",
                "]",
                "\"",
                ":",
                ",",
                "callbackUrl",
                "callbackBody",
                "x:a",
                "\\u0000",
                "\\ud800",
                "1e999",
                "-"
            ],
            30
        ),
    ])
}

/// A callback OSS accepts: 1..=5 URLs, a non-empty body, optional known body type, host, SNI flag and
/// unknown keys, in any layout serde_json writes (compact or pretty).
fn valid_callback() -> impl Strategy<Value = String> {
    (
        vec("(http|https)://[a-z0-9.]{1,20}(:[0-9]{1,5})?(/[a-zA-Z0-9_.~-]{0,10})?", 1..=5),
        prop_oneof!["[a-z]+=\\$\\{[a-z]+\\}(&[a-z]+=\\$\\{[a-z:0-9]+\\}){0,5}", "\\PC{1,80}"],
        proptest::option::of(select(&["application/json", "application/x-www-form-urlencoded"][..])),
        proptest::option::of("[a-z0-9.-]{1,30}"),
        proptest::option::of(any::<bool>()),
        vec(("[a-zA-Z]{1,10}", any::<String>()), 0..3),
        any::<bool>(),
    )
        .prop_map(|(urls, body, body_type, host, sni, extra, pretty)| {
            let mut m = Map::new();
            for (k, v) in extra {
                m.insert(format!("extra{k}"), Value::String(v));
            }
            m.insert("callbackUrl".into(), Value::String(urls.join(";")));
            m.insert("callbackBody".into(), Value::String(body));
            if let Some(t) = body_type {
                m.insert("callbackBodyType".into(), t.into());
            }
            if let Some(h) = host {
                m.insert("callbackHost".into(), h.into());
            }
            if let Some(s) = sni {
                m.insert("callbackSNI".into(), s.into());
            }
            let v = Value::Object(m);
            if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                v.to_string()
            }
        })
}

fn valid_callback_var() -> impl Strategy<Value = String> {
    vec(("x:[a-z0-9_]{1,12}", any::<String>()), 0..6)
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k, Value::String(v))).collect()).to_string())
}

/// One way to break a valid callback.
#[derive(Debug, Clone)]
enum Breakage {
    NoUrl,
    BlankUrl(&'static str),
    UrlNotString(i64),
    TooManyUrls(usize),
    EmptyUrlEntry,
    NoBody,
    EmptyBody,
    BodyNotString,
    BadBodyType(String),
    HostNotString,
    SniNotBool(String),
    NotAnObject(usize),
    Truncated(usize),
    TooLong,
}

fn breakage() -> impl Strategy<Value = Breakage> {
    prop_oneof![
        Just(Breakage::NoUrl),
        select(&["", " ", "\t\n"][..]).prop_map(Breakage::BlankUrl),
        any::<i64>().prop_map(Breakage::UrlNotString),
        (6usize..20).prop_map(Breakage::TooManyUrls),
        Just(Breakage::EmptyUrlEntry),
        Just(Breakage::NoBody),
        Just(Breakage::EmptyBody),
        Just(Breakage::BodyNotString),
        any::<String>()
            .prop_filter("a known type", |t| t != "application/json" && t != "application/x-www-form-urlencoded")
            .prop_map(Breakage::BadBodyType),
        Just(Breakage::HostNotString),
        any::<String>().prop_map(Breakage::SniNotBool),
        (0usize..4).prop_map(Breakage::NotAnObject),
        any::<usize>().prop_map(Breakage::Truncated),
        Just(Breakage::TooLong),
    ]
}

proptest! {
    #![proptest_config(cases(10_000))]

    /// Any callback / callback-var text: never panics; success means base64 of exactly the given bytes, failure
    /// is always InvalidCallback.
    #[test]
    fn callback_encode_never_panics(cb in callback_text(), var in callback_text()) {
        match callback::encode(cb.as_deref(), var.as_deref()) {
            Ok(None) => prop_assert!(cb.as_deref().unwrap_or("").is_empty() && var.as_deref().unwrap_or("").is_empty()),
            Ok(Some(h)) => {
                prop_assert_eq!(B64.decode(&h.callback).unwrap(), cb.unwrap().into_bytes());
                prop_assert!(h.callback.len() <= callback::MAX_ENCODED_LEN);
                match (h.callback_var, var.filter(|v| !v.is_empty())) {
                    (Some(e), Some(v)) => prop_assert_eq!(B64.decode(e).unwrap(), v.into_bytes()),
                    (None, None) => {}
                    (e, v) => prop_assert!(false, "callback-var {e:?} for input {v:?}"),
                }
            }
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidCallback),
        }
    }
}

proptest! {
    #![proptest_config(cases(5_000))]

    /// Valid callbacks and callback-vars (within 5 KB encoded) are accepted and sent byte-for-byte.
    #[test]
    fn valid_callbacks_are_accepted_and_round_trip(cb in valid_callback(), var in proptest::option::of(valid_callback_var())) {
        let fits = |s: &str| B64.encode(s).len() <= callback::MAX_ENCODED_LEN;
        let result = callback::encode(Some(&cb), var.as_deref());
        if !fits(&cb) || var.as_deref().is_some_and(|v| !fits(v)) {
            prop_assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidCallback);
            return Ok(());
        }
        let h = result.unwrap().expect("a callback was given");
        prop_assert_eq!(B64.decode(&h.callback).unwrap(), cb.as_bytes());
        match (&var, &h.callback_var) {
            (Some(v), Some(e)) => prop_assert_eq!(B64.decode(e).unwrap(), v.as_bytes()),
            (None, None) => {}
            other => prop_assert!(false, "{other:?}"),
        }
        prop_assert_eq!(callback::encode(None, var.as_deref()).is_err(), var.is_some(), "callback-var needs a callback");
    }

    /// A valid callback broken in one way is refused with InvalidCallback.
    #[test]
    fn invalid_callbacks_are_rejected(cb in valid_callback(), breakage in breakage()) {
        let mut m: Map<String, Value> = serde_json::from_str(&cb).unwrap();
        let text = match &breakage {
            Breakage::NoUrl => { m.remove("callbackUrl"); Value::Object(m).to_string() }
            Breakage::BlankUrl(s) => { m.insert("callbackUrl".into(), json!(s)); Value::Object(m).to_string() }
            Breakage::UrlNotString(n) => { m.insert("callbackUrl".into(), json!(n)); Value::Object(m).to_string() }
            Breakage::TooManyUrls(n) => { m.insert("callbackUrl".into(), json!(vec!["http://a"; *n].join(";"))); Value::Object(m).to_string() }
            Breakage::EmptyUrlEntry => {
                let url = format!("{};", m["callbackUrl"].as_str().unwrap());
                m.insert("callbackUrl".into(), json!(url));
                Value::Object(m).to_string()
            }
            Breakage::NoBody => { m.remove("callbackBody"); Value::Object(m).to_string() }
            Breakage::EmptyBody => { m.insert("callbackBody".into(), json!("")); Value::Object(m).to_string() }
            Breakage::BodyNotString => { m.insert("callbackBody".into(), json!({"a": 1})); Value::Object(m).to_string() }
            Breakage::BadBodyType(t) => { m.insert("callbackBodyType".into(), json!(t)); Value::Object(m).to_string() }
            Breakage::HostNotString => { m.insert("callbackHost".into(), json!(1)); Value::Object(m).to_string() }
            Breakage::SniNotBool(s) => { m.insert("callbackSNI".into(), json!(s)); Value::Object(m).to_string() }
            Breakage::NotAnObject(i) => [json!([Value::Object(m)]), json!(null), json!("callbackUrl"), json!(1)][*i].to_string(),
            Breakage::Truncated(at) => {
                // A proper, non-empty prefix of a JSON object is never valid JSON.
                let cut = cb.char_indices().map(|(i, _)| i).nth(1 + at % (cb.chars().count() - 1)).unwrap();
                cb[..cut].to_string()
            }
            Breakage::TooLong => { m.insert("pad".into(), json!("p".repeat(4000))); Value::Object(m).to_string() }
        };
        let err = callback::encode(Some(&text), None).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::InvalidCallback, "{:?}", breakage);
    }

    /// A callback-var whose keys are not lower-case `x:` names, or whose values are not strings, is refused.
    #[test]
    fn invalid_callback_vars_are_rejected(
        cb in valid_callback(),
        good in vec(("x:[a-z0-9_]{1,12}", any::<String>()), 0..4),
        bad_key in prop_oneof!["[a-wyz][a-z0-9:]{0,8}", Just("x:".to_string()), "x:[a-z]{0,4}[A-Z][a-zA-Z]{0,4}", "X:[a-z]{1,5}"],
        bad_value in prop_oneof![Just(json!(1)), Just(json!(null)), Just(json!(true)), Just(json!(["a"])), Just(json!({"a": "b"}))],
        value_is_bad: bool,
    ) {
        prop_assume!(B64.encode(&cb).len() <= callback::MAX_ENCODED_LEN);
        let mut m: Map<String, Value> = good.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        if value_is_bad {
            m.insert("x:bad".into(), bad_value);
        } else {
            m.insert(bad_key, json!("v"));
        }
        let err = callback::encode(Some(&cb), Some(&Value::Object(m).to_string())).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::InvalidCallback);
    }
}

#[test]
fn deeply_nested_inputs_are_refused_without_overflowing_the_stack() {
    let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(callback::encode(Some(&json), None).unwrap_err().kind(), ErrorKind::InvalidCallback);
    let obj = format!("{}1{}", "{\"callbackUrl\":".repeat(10_000), "}".repeat(10_000));
    assert_eq!(callback::encode(Some(&obj), None).unwrap_err().kind(), ErrorKind::InvalidCallback);
    // 700 KB of nested elements used to build a tree whose drop overflowed the stack (found by these checks).
    assert!(xml::parse(format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000)).as_bytes()).is_none());
}
