//! The XML OSS speaks: a writer for its indented result documents and a small, strict
//! parser for request bodies such as `CompleteMultipartUpload`.

/// One element of a result document: a text leaf or a group of elements.
pub enum Node {
    Leaf(&'static str, String),
    Group(&'static str, Vec<Node>),
}

/// Shorthand for a text leaf.
pub fn leaf(name: &'static str, value: impl Into<String>) -> Node {
    Node::Leaf(name, value.into())
}

/// Renders `<?xml …?>` + `root` with two-space indentation and a trailing newline, the way OSS does.
pub fn document(root: &str, children: &[Node]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<{root}>\n"));
    for child in children {
        render(&mut out, child, 1);
    }
    out.push_str(&format!("</{root}>\n"));
    out
}

fn render(out: &mut String, node: &Node, depth: usize) {
    let indent = "  ".repeat(depth);
    match node {
        Node::Leaf(name, value) => {
            out.push_str(&format!("{indent}<{name}>{}</{name}>\n", escape(value)));
        }
        Node::Group(name, children) if children.is_empty() => {
            out.push_str(&format!("{indent}<{name}></{name}>\n"));
        }
        Node::Group(name, children) => {
            out.push_str(&format!("{indent}<{name}>\n"));
            for child in children {
                render(out, child, depth + 1);
            }
            out.push_str(&format!("{indent}</{name}>\n"));
        }
    }
}

/// Escapes XML text (`&`, `<`, `>`, `"`, `'`) and drops characters XML 1.0 cannot carry.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// A parsed element: its name, child elements and concatenated text content.
#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

const MAX_DEPTH: usize = 32;

/// Parses a whole XML document into its root element. DTDs are refused.
pub fn parse(input: &str) -> Result<Element, String> {
    let mut p = Parser { s: input.strip_prefix('\u{feff}').unwrap_or(input), pos: 0 };
    p.skip_misc()?;
    let root = p.element(0)?;
    p.skip_misc()?;
    if p.pos != p.s.len() {
        return Err("content after the root element".into());
    }
    Ok(root)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\r', '\n']);
        self.pos = self.s.len() - trimmed.len();
    }

    /// Skips past `end`, failing if it never comes.
    fn skip_past(&mut self, end: &str) -> Result<(), String> {
        match self.rest().find(end) {
            Some(i) => {
                self.pos += i + end.len();
                Ok(())
            }
            None => Err(format!("unterminated construct, expected {end}")),
        }
    }

    /// Skips whitespace, comments and processing instructions outside the root.
    fn skip_misc(&mut self) -> Result<(), String> {
        loop {
            self.skip_ws();
            if self.rest().starts_with("<?") {
                self.skip_past("?>")?;
            } else if self.rest().starts_with("<!--") {
                self.skip_past("-->")?;
            } else if self.rest().starts_with("<!") {
                return Err("DTDs are not allowed".into());
            } else {
                return Ok(());
            }
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.rest().find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(self.rest().len());
        if len == 0 {
            return Err("missing element name".into());
        }
        let name = self.rest()[..len].to_string();
        self.pos += len;
        Ok(name)
    }

    /// Parses `<name attr="…">content</name>` or `<name/>` starting at `<`.
    fn element(&mut self, depth: usize) -> Result<Element, String> {
        if depth > MAX_DEPTH {
            return Err("document nested too deeply".into());
        }
        if !self.rest().starts_with('<') {
            return Err("expected an element".into());
        }
        self.pos += 1;
        let name = self.name()?;
        if self.skip_attributes()? {
            return Ok(Element { name, children: Vec::new(), text: String::new() });
        }
        let mut el = Element { name, children: Vec::new(), text: String::new() };
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return Err(format!("element <{}> is not closed", el.name));
            } else if rest.starts_with("</") {
                self.pos += 2;
                let end = self.name()?;
                self.skip_ws();
                if end != el.name || !self.rest().starts_with('>') {
                    return Err(format!("mismatched end tag </{end}> for <{}>", el.name));
                }
                self.pos += 1;
                return Ok(el);
            } else if rest.starts_with("<!--") {
                self.skip_past("-->")?;
            } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                let end = cdata.find("]]>").ok_or("unterminated CDATA")?;
                el.text.push_str(&cdata[..end]);
                self.pos += "<![CDATA[".len() + end + 3;
            } else if rest.starts_with("<?") {
                self.skip_past("?>")?;
            } else if rest.starts_with("<!") {
                return Err("DTDs are not allowed".into());
            } else if rest.starts_with('<') {
                el.children.push(self.element(depth + 1)?);
            } else {
                let len = rest.find('<').unwrap_or(rest.len());
                el.text.push_str(&unescape(&rest[..len])?);
                self.pos += len;
            }
        }
    }

    /// Skips attributes up to the end of a start tag; returns true for a self-closing tag.
    fn skip_attributes(&mut self) -> Result<bool, String> {
        loop {
            let mut chars = self.rest().char_indices();
            match chars.next() {
                None => return Err("unterminated start tag".into()),
                Some((_, '>')) => {
                    self.pos += 1;
                    return Ok(false);
                }
                Some((_, '/')) if self.rest().starts_with("/>") => {
                    self.pos += 2;
                    return Ok(true);
                }
                Some((_, q @ ('"' | '\''))) => {
                    self.pos += 1;
                    let end = self.rest().find(q).ok_or("unterminated attribute value")?;
                    self.pos += end + 1;
                }
                Some((_, '<')) => return Err("unexpected '<' in a start tag".into()),
                Some((_, c)) => self.pos += c.len_utf8(),
            }
        }
    }
}

/// Decodes the five predefined entities and numeric character references.
fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or("bare '&' in text")?;
        let entity = &after[..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or_else(|| format!("unknown entity &{entity};"))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_oss_layout() {
        let doc = document(
            "InitiateMultipartUploadResult",
            &[
                leaf("Bucket", "bkt"),
                leaf("Key", "multipart-callback-test.txt"),
                leaf("UploadId", "0004B9894A22E5B1888A1E29F8236E2D"),
            ],
        );
        assert_eq!(doc.len(), 224);
        assert!(document("R", &[leaf("K", "a<&\"b")]).contains("<K>a&lt;&amp;&quot;b</K>"));
    }

    #[test]
    fn parses_sdk_body() {
        let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"AAA\"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;B&#66;B&quot;</ETag></Part></CompleteMultipartUpload>\n";
        let root = parse(body).unwrap();
        assert_eq!(root.name, "CompleteMultipartUpload");
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.children[1].child("ETag").unwrap().text, "\"BBB\"");
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>x & y</a>").is_err());
        assert!(parse("<!DOCTYPE x><a/>").is_err());
        assert!(parse("<a/><b/>").is_err());
        assert_eq!(parse("<CompleteMultipartUpload/>").unwrap().children.len(), 0);
    }
}
