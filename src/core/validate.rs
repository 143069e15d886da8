//! Input checks that run before any I/O. Messages follow the official PHP SDK where it has one
//! (`docs/php-sdk-behaviour.md` "Argument checks"); where the SDK lets unsafe input through, ossrs rejects it.

use super::error::{fail, ErrorKind, Result};

/// Highest part number OSS accepts.
pub const MAX_PART_NUMBER: u32 = 10_000;

/// Bucket names: 3–63 characters of `[a-z0-9-]`, starting with a letter or digit.
/// Unlike the SDK's regex, a trailing newline is not accepted.
pub fn bucket(name: &str) -> Result<()> {
    if name.is_empty() {
        return fail(ErrorKind::InvalidBucketName, "bucket is not allowed empty");
    }
    let b = name.as_bytes();
    let ok = (3..=63).contains(&b.len())
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    if ok {
        Ok(())
    } else {
        fail(ErrorKind::InvalidBucketName, format!("\"{name}\"bucket name is invalid"))
    }
}

/// Object names: 1–1023 bytes, not starting with `/` or `\`, no CR or LF anywhere, and no `.` or `..` path
/// segment: URL parsers (and curl, hence the SDK) remove dot segments, so such a request would be sent for
/// another path than the one signed and could never succeed.
pub fn object(name: &str) -> Result<()> {
    if name.is_empty() {
        return fail(ErrorKind::InvalidObjectName, "object name is empty");
    }
    let ok = name.len() <= 1023 && !name.starts_with('/') && !name.starts_with('\\') && !name.contains(['\r', '\n']);
    if !ok {
        return fail(ErrorKind::InvalidObjectName, format!("\"{name}\" object name is invalid"));
    }
    if name.split('/').any(|segment| segment == "." || segment == "..") {
        return fail(
            ErrorKind::InvalidObjectName,
            format!("\"{name}\" object name is invalid: a \".\" or \"..\" path segment would be removed from the URL"),
        );
    }
    Ok(())
}

/// Part numbers are 1..=10000.
pub fn part_number(n: u32) -> Result<()> {
    if (1..=MAX_PART_NUMBER).contains(&n) {
        Ok(())
    } else {
        fail(ErrorKind::InvalidPartNumber, format!("part number {n} is out of range (1..={MAX_PART_NUMBER})"))
    }
}

/// Upload ids must be present: the SDK would otherwise send a part upload without one.
pub fn upload_id(id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return fail(ErrorKind::InvalidArgument, "upload id is empty");
    }
    if id.contains(['\r', '\n']) {
        return fail(ErrorKind::InvalidArgument, "upload id contains CR or LF");
    }
    Ok(())
}

/// Header names must be HTTP tokens; values may not hold CR, LF or NUL (header injection).
pub fn header(name: &str, value: &str) -> Result<()> {
    const SEPARATORS: &[u8] = b"!#$%&'*+-.^_`|~";
    let token = !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || SEPARATORS.contains(&c));
    if !token {
        return fail(ErrorKind::InvalidHeader, format!("header name {name:?} is not a valid HTTP token"));
    }
    if value.contains(['\r', '\n', '\0']) {
        return fail(
            ErrorKind::InvalidHeader,
            format!("header {name} has a CR, LF or NUL in its value (header injection refused)"),
        );
    }
    // HTTP forbids the other control characters too (only tab is allowed); the transport would refuse them
    // only when sending, as a transport error.
    if value.chars().any(|c| c.is_ascii_control() && c != '\t') {
        return fail(ErrorKind::InvalidHeader, format!("header {name} has a control character in its value"));
    }
    Ok(())
}

/// Query parameter names and values travel percent-encoded, but CR/LF is still refused as a sign of misuse.
pub fn query_param(name: &str, value: &str) -> Result<()> {
    if name.is_empty() || name.contains(['\r', '\n', '\0']) || value.contains(['\r', '\n', '\0']) {
        return fail(ErrorKind::InvalidArgument, format!("query parameter {name:?} is invalid"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_rules() {
        for ok in ["bkt", "a-b", "0ab", "abc-", &"a".repeat(63)] {
            assert!(bucket(ok).is_ok(), "{ok}");
        }
        for bad in ["", "ab", "-ab", "Abc", "a.b", "a_b", "evil.com/x", "bkt\n", &"a".repeat(64)] {
            assert_eq!(bucket(bad).unwrap_err().kind(), ErrorKind::InvalidBucketName, "{bad}");
        }
        assert_eq!(bucket("a.b").unwrap_err().message(), "\"a.b\"bucket name is invalid");
        assert_eq!(bucket("").unwrap_err().message(), "bucket is not allowed empty");
    }

    #[test]
    fn object_rules() {
        for ok in ["a", "dir/测试 file+1.txt", "?a", &"x".repeat(1023), "a..b", ".a", "a/.../b", "a//b"] {
            assert!(object(ok).is_ok(), "{ok}");
        }
        for bad in ["", "/a", "\\a", "a\nb", "a\n", "a\rb", &"x".repeat(1024), ".", "..", "a/../b", "./a", "a/."] {
            assert_eq!(object(bad).unwrap_err().kind(), ErrorKind::InvalidObjectName, "{bad:?}");
        }
        assert_eq!(object("/a").unwrap_err().message(), "\"/a\" object name is invalid");
        assert_eq!(object("").unwrap_err().message(), "object name is empty");
    }

    #[test]
    fn part_numbers() {
        assert!(part_number(1).is_ok());
        assert!(part_number(10_000).is_ok());
        assert_eq!(part_number(0).unwrap_err().kind(), ErrorKind::InvalidPartNumber);
        assert_eq!(part_number(10_001).unwrap_err().kind(), ErrorKind::InvalidPartNumber);
    }

    #[test]
    fn headers_refuse_injection() {
        assert!(header("x-oss-meta-a", "b").is_ok());
        assert_eq!(header("x-oss-meta-a", "b\r\nX: y").unwrap_err().kind(), ErrorKind::InvalidHeader);
        assert!(header("x-oss-meta-a", "tab\tand é").is_ok());
        for bad in ["a\u{1}b", "a\u{7f}", "\u{1b}[31m"] {
            assert!(header("x-oss-meta-a", bad).unwrap_err().message().contains("control character"), "{bad:?}");
        }
        assert_eq!(header("bad name", "v").unwrap_err().kind(), ErrorKind::InvalidHeader);
        assert_eq!(header("", "v").unwrap_err().kind(), ErrorKind::InvalidHeader);
    }

    #[test]
    fn upload_ids() {
        assert!(upload_id("0004B9894A22E5B1888A1E29F8236E2D").is_ok());
        assert_eq!(upload_id("").unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(upload_id("a\nb").unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
}
