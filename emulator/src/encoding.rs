//! Percent-encoding and hex helpers shared by the signers, the router and the callback renderer.

/// True for the RFC 3986 unreserved characters, which `rawurlencode` leaves alone.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// PHP `rawurlencode`: every byte except `A-Za-z0-9-_.~` becomes `%XX` (upper-case hex).
pub fn rawurlencode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len());
    for &b in input {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `rawurlencode` that keeps `/` (how OSS clients and the V4 canonical URI encode object paths).
pub fn rawurlencode_path(input: &str) -> String {
    input.split('/').map(|seg| rawurlencode(seg.as_bytes())).collect::<Vec<_>>().join("/")
}

/// Percent-decodes `input`; malformed `%` sequences are kept literally. With `plus_as_space`,
/// `+` decodes to a space (form/query semantics, like PHP `urldecode` and `parse_str`).
pub fn percent_decode(input: &str, plus_as_space: bool) -> Vec<u8> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_as_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Upper-case hex of `bytes` (the OSS ETag spelling).
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Lower-case hex of `bytes` (V4 signatures, log digests).
pub fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Splits a raw query string into percent-decoded `(key, value)` pairs, in order.
/// `+` decodes to a space; a pair without `=` has an empty value.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_lossy(k, true), decode_lossy(v, true))
        })
        .collect()
}

/// Percent-decodes to a `String`, replacing invalid UTF-8.
pub fn decode_lossy(input: &str, plus_as_space: bool) -> String {
    String::from_utf8_lossy(&percent_decode(input, plus_as_space)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_php_rawurlencode() {
        assert_eq!(rawurlencode_path("/bkt/dir/测试 file+1.txt"), "/bkt/dir/%E6%B5%8B%E8%AF%95%20file%2B1.txt");
        assert_eq!(rawurlencode(b"text/plain"), "text%2Fplain");
    }

    #[test]
    fn decodes_percent_and_plus() {
        assert_eq!(percent_decode("a%2Fb+c%zz%4", false), b"a/b+c%zz%4");
        assert_eq!(percent_decode("a+b%20", true), b"a b ");
        assert_eq!(
            parse_query("uploads&partNumber=1&x=%E5%80%BC"),
            vec![
                ("uploads".to_string(), String::new()),
                ("partNumber".to_string(), "1".to_string()),
                ("x".to_string(), "值".to_string())
            ]
        );
    }
}
