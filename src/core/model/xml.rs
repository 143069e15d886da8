//! The XML that crosses the wire: the CompleteMultipartUpload body we write (byte-exact with the SDK,
//! `docs/php-sdk-behaviour.md` "CompleteMultipartUpload") and a small tree reader for the answers OSS sends.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::Reader;

/// One element: its name, its own text and its child elements.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Element {
    /// Local name.
    pub name: String,
    /// Concatenated text directly inside the element, entities resolved.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// All children named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// The deepest nesting `parse` accepts. OSS answers nest at most four levels; without a bound, a hostile answer
/// of 100,000 nested elements (700 KB) builds a tree whose recursive drop overflows the stack, an abort that no
/// panic boundary catches.
pub const MAX_DEPTH: usize = 64;

/// Parses a document and returns its root element, or `None` when it is not well-formed XML or nests deeper
/// than [`MAX_DEPTH`].
pub fn parse(doc: &[u8]) -> Option<Element> {
    let mut reader = Reader::from_reader(doc);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(_) if stack.len() >= MAX_DEPTH => return None,
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                stack.push(Element { name, ..Element::default() });
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let el = Element { name, ..Element::default() };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop()?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().ok()?);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                let top = stack.last_mut()?;
                match r.resolve_char_ref().ok()? {
                    Some(c) => top.text.push(c),
                    None => top.text.push_str(resolve_predefined_entity(&r.decode().ok()?)?),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.is_empty() {
        root
    } else {
        None
    }
}

/// One entry of a CompleteMultipartUpload request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletePart {
    /// Part number as uploaded.
    pub part_number: u32,
    /// ETag exactly as UploadPart returned it (quotes kept).
    pub etag: String,
}

/// The CompleteMultipartUpload body, in the order given (no sorting), byte-exact with the SDK's SimpleXML output.
/// `<` and `>` are escaped like SimpleXML does; a bare `&` becomes `&amp;` (SimpleXML would silently empty the ETag).
pub fn complete_multipart_body(parts: &[CompletePart]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if parts.is_empty() {
        s.push_str("<CompleteMultipartUpload/>\n");
        return s;
    }
    s.push_str("<CompleteMultipartUpload>");
    for p in parts {
        s.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>",
            p.part_number,
            escape_text(&p.etag)
        ));
    }
    s.push_str("</CompleteMultipartUpload>\n");
    s
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if !starts_entity(&s[i + 1..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// True when `rest` (the text after an `&`) is a complete entity or character reference.
fn starts_entity(rest: &str) -> bool {
    let Some(end) = rest.find(';') else {
        return false;
    };
    let name = &rest[..end];
    match name.strip_prefix('#') {
        Some(num) => match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        },
        None => !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(n: u32, e: &str) -> CompletePart {
        CompletePart { part_number: n, etag: e.into() }
    }

    #[test]
    fn complete_body_matches_the_sdk_bytes() {
        let body = complete_multipart_body(&[
            part(1, "\"1A0F81547E5BA2E9C4A4B94A74731993\""),
            part(2, "\"DDD151E78EF9F976E3E80A227AF56180\""),
            part(3, "\"C5211EE94BD0068AA08BDCE0CAFFD1BC\""),
        ]);
        assert_eq!(body.len(), 349);
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"1A0F81547E5BA2E9C4A4B94A74731993\"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>\"DDD151E78EF9F976E3E80A227AF56180\"</ETag></Part><Part><PartNumber>3</PartNumber><ETag>\"C5211EE94BD0068AA08BDCE0CAFFD1BC\"</ETag></Part></CompleteMultipartUpload>\n"
        );
        let nine = complete_multipart_body(&[part(1, "\"AAA\""), part(2, "BBB")]);
        assert_eq!(nine.len(), 203, "SUPPLEMENT 9 body length");
    }

    #[test]
    fn complete_body_edge_cases() {
        assert_eq!(
            complete_multipart_body(&[]),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CompleteMultipartUpload/>\n"
        );
        let b = complete_multipart_body(&[part(2, "a<b>'\"&amp;&x")]);
        assert!(b.contains("<ETag>a&lt;b&gt;'\"&amp;&amp;x</ETag>"), "{b}");
        assert!(b.contains("<PartNumber>2</PartNumber>"));
    }

    #[test]
    fn parses_answers() {
        let doc = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>CallbackFailed</Code>\n  <Message>a &amp; b &#x41;</Message>\n  <Empty/>\n</Error>\n";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Error");
        assert_eq!(root.child_text("Code"), Some("CallbackFailed"));
        assert_eq!(root.child_text("Message"), Some("a & b A"));
        assert_eq!(root.child_text("Empty"), Some(""));
        assert!(parse(b"<a><b></a>").is_none());
        assert!(parse(b"").is_none());
    }

    /// Regression: 100,000 nested elements used to parse, then overflow the stack (abort) when the tree was dropped.
    #[test]
    fn deep_nesting_is_refused() {
        let nested = |n: usize| format!("{}<b/>{}", "<a>".repeat(n), "</a>".repeat(n));
        let at_limit = parse(nested(MAX_DEPTH).as_bytes()).unwrap();
        assert_eq!(at_limit.child("a").map(|a| a.name.as_str()), Some("a"));
        assert!(parse(nested(MAX_DEPTH + 1).as_bytes()).is_none());
        assert!(parse(nested(1_000_000).as_bytes()).is_none());
    }
}
