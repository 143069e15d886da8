//! `multipart/form-data` request bodies (PostObject): the fields before the file are read into memory (bounded),
//! the file is streamed to a sink, and whatever follows it is ignored, as OSS does.

use std::io::{self, Read};

/// Largest value of one field, and of all fields together.
const MAX_FIELD: usize = 64 * 1024;
const MAX_FIELDS: usize = 1024 * 1024;
/// Largest header block of one part.
const MAX_PART_HEAD: usize = 8 * 1024;

/// Why a form could not be read.
#[derive(Debug)]
pub enum FormError {
    /// Not a well-formed multipart body (or over a limit); the text says what.
    Malformed(String),
    /// Reading the request failed.
    Read(io::Error),
    /// The sink refused the file's bytes.
    Write(io::Error),
    /// The check of the fields, made before the file is read, refused the form.
    Refused(crate::error::OssError),
}

/// The fields of a form (names as sent, in order) and what is known of its file.
#[derive(Debug, Default)]
pub struct Form {
    pub fields: Vec<(String, String)>,
    /// The file part's `filename`, if it had one.
    pub filename: Option<String>,
    /// The file part's own Content-Type, if any.
    pub file_type: Option<String>,
    /// Bytes of the file.
    pub file_size: u64,
    /// Whether there was a file part at all.
    pub has_file: bool,
}

impl Form {
    /// The value of the first field called `name`, compared case-insensitively (as OSS does).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The boundary of a `multipart/form-data` Content-Type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .split(';')
        .find_map(|p| {
            let (name, value) = p.split_once('=')?;
            (name.trim().eq_ignore_ascii_case("boundary")).then(|| value.trim().trim_matches('"').to_string())
        })
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// Reads the form of `body` (with `boundary`): `check` sees the fields before the file part is read (so a refused
/// form is never received whole), then the file's bytes go to `file`.
pub fn read(
    body: &mut dyn Read,
    boundary: &str,
    check: &mut dyn FnMut(&Form) -> Result<(), crate::error::OssError>,
    file: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<Form, FormError> {
    let mut r = Reader { body, buf: b"\r\n".to_vec(), delim: format!("\r\n--{boundary}").into_bytes() };
    let mut form = Form::default();
    // The preamble, up to the first boundary.
    r.until_delim(&mut |_| Ok(()), usize::MAX)?;
    let mut total = 0;
    loop {
        match r.take(2)?.as_slice() {
            b"--" => return Ok(form), // the closing boundary
            b"\r\n" => {}
            _ => return Err(malformed("a boundary is not followed by CRLF or --")),
        }
        let head = r.head()?;
        let (name, filename, part_type) = disposition(&head)?;
        if name.eq_ignore_ascii_case("file") {
            form.has_file = true;
            form.filename = filename;
            form.file_type = part_type;
            check(&form).map_err(FormError::Refused)?;
            let mut size = 0u64;
            r.until_delim(
                &mut |chunk| {
                    size += chunk.len() as u64;
                    file(chunk)
                },
                usize::MAX,
            )?;
            form.file_size = size;
            return Ok(form); // OSS ignores the fields after the file
        }
        let mut value = Vec::new();
        r.until_delim(
            &mut |chunk| {
                value.extend_from_slice(chunk);
                Ok(())
            },
            MAX_FIELD,
        )?;
        total += value.len();
        if total > MAX_FIELDS {
            return Err(malformed("the form fields are over 1 MiB"));
        }
        let value = String::from_utf8(value).map_err(|_| malformed(&format!("the field {name} is not UTF-8")))?;
        form.fields.push((name, value));
    }
}

fn malformed(what: &str) -> FormError {
    FormError::Malformed(what.to_string())
}

/// `name`, `filename` and the Content-Type of a part's header block.
fn disposition(head: &str) -> Result<(String, Option<String>, Option<String>), FormError> {
    let mut name = None;
    let mut filename = None;
    let mut part_type = None;
    for line in head.split("\r\n") {
        let Some((header, value)) = line.split_once(':') else { continue };
        if header.trim().eq_ignore_ascii_case("content-type") {
            part_type = Some(value.trim().to_string());
        } else if header.trim().eq_ignore_ascii_case("content-disposition") {
            for param in value.split(';').skip(1) {
                let Some((k, v)) = param.split_once('=') else { continue };
                let v = v.trim().trim_matches('"').to_string();
                match k.trim().to_ascii_lowercase().as_str() {
                    "name" => name = Some(v),
                    "filename" => filename = Some(v),
                    _ => {}
                }
            }
        }
    }
    let name = name.ok_or_else(|| malformed("a part has no Content-Disposition name"))?;
    Ok((name, filename, part_type))
}

struct Reader<'r> {
    body: &'r mut dyn Read,
    buf: Vec<u8>,
    delim: Vec<u8>,
}

impl Reader<'_> {
    /// Reads more of the body; false at its end.
    fn fill(&mut self) -> Result<bool, FormError> {
        let mut chunk = [0u8; 64 * 1024];
        loop {
            match self.body.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FormError::Read(e)),
            }
        }
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Result<Vec<u8>, FormError> {
        while self.buf.len() < n {
            if !self.fill()? {
                return Err(malformed("the body ends inside the form"));
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// A part's header block, up to and without its blank line.
    fn head(&mut self) -> Result<String, FormError> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.buf.drain(..end + 4);
                return Ok(head);
            }
            if self.buf.len() > MAX_PART_HEAD {
                return Err(malformed("a part's headers are over 8 KiB"));
            }
            if !self.fill()? {
                return Err(malformed("the body ends inside a part's headers"));
            }
        }
    }

    /// Hands the bytes before the next delimiter to `sink` (at most `limit` of them) and consumes the delimiter.
    fn until_delim(&mut self, sink: &mut dyn FnMut(&[u8]) -> io::Result<()>, limit: usize) -> Result<(), FormError> {
        let mut passed = 0usize;
        let mut give = |bytes: &[u8], passed: &mut usize| -> Result<(), FormError> {
            *passed += bytes.len();
            if *passed > limit {
                return Err(malformed("a form field is over 64 KiB"));
            }
            sink(bytes).map_err(FormError::Write)
        };
        loop {
            if let Some(at) = find(&self.buf, &self.delim) {
                give(&self.buf[..at], &mut passed)?;
                self.buf.drain(..at + self.delim.len());
                return Ok(());
            }
            // Keep what could be the start of a delimiter split across reads.
            let keep = self.delim.len() - 1;
            if self.buf.len() > keep {
                let n = self.buf.len() - keep;
                give(&self.buf[..n], &mut passed)?;
                self.buf.drain(..n);
            }
            if !self.fill()? {
                return Err(malformed("the body ends before the closing boundary"));
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, &str)], file: &[u8]) -> Vec<u8> {
        let mut b = b"preamble\r\n".to_vec();
        for (n, v) in parts {
            b.extend(format!("--XyZ\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n").into_bytes());
        }
        b.extend(b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.txt\"\r\n");
        b.extend(b"Content-Type: text/plain\r\n\r\n");
        b.extend(file);
        b.extend(b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--XyZ--\r\n");
        b
    }

    #[test]
    fn reads_fields_and_streams_the_file() {
        let file: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).chain(*b"\r\n--Xy").collect();
        let raw = body(&[("key", "a/${filename}"), ("x:v", "1")], &file);
        for chunk in [1, 7, 65_536] {
            let mut got = Vec::new();
            let mut reader = Slow { data: &raw, at: 0, chunk };
            let form = read(&mut reader, "XyZ", &mut |_| Ok(()), &mut |b| {
                got.extend_from_slice(b);
                Ok(())
            })
            .unwrap();
            assert_eq!(form.get("KEY"), Some("a/${filename}"));
            assert_eq!(form.get("x:v"), Some("1"));
            assert_eq!(form.get("after"), None);
            assert_eq!((form.filename.as_deref(), form.file_type.as_deref()), (Some("a b.txt"), Some("text/plain")));
            assert!(got == file, "the file arrived changed ({} bytes)", got.len());
            assert_eq!(form.file_size, file.len() as u64);
        }
    }

    #[test]
    fn refuses_malformed_bodies() {
        let mut sink = |_: &[u8]| Ok(());
        let cut = &body(&[("key", "k")], b"data")[..40];
        assert!(matches!(read(&mut &cut[..], "XyZ", &mut |_| Ok(()), &mut sink), Err(FormError::Malformed(_))));
        let big = body(&[("key", &"k".repeat(70_000))], b"");
        assert!(
            matches!(read(&mut &big[..], "XyZ", &mut |_| Ok(()), &mut sink), Err(FormError::Malformed(m)) if m.contains("64 KiB"))
        );
        let mut got = 0;
        let mut count = |b: &[u8]| {
            got += b.len();
            Ok(())
        };
        let raw = body(&[("key", "k")], b"file bytes");
        let mut refuse = |_: &Form| Err(crate::error::OssError::access_denied("no"));
        assert!(matches!(read(&mut &raw[..], "XyZ", &mut refuse, &mut count), Err(FormError::Refused(_))));
        assert_eq!(got, 0, "nothing of the file is read after a refusal");
        assert_eq!(boundary("multipart/form-data; boundary=\"abc\""), Some("abc".into()));
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
    }

    struct Slow<'a> {
        data: &'a [u8],
        at: usize,
        chunk: usize,
    }

    impl Read for Slow<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }
}
