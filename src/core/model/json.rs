//! Any OSS XML result as JSON, for the generic call: an element with children becomes an object of its children
//! (named by element), an element without children its text, and an element the operation's result model names
//! as a list an array even when it occurs once, so that readers never have to guess.

use serde_json::{Map, Value};

use super::xml::Element;

/// The JSON form of `element`'s content (its children, or its text when it has none); elements named in `lists`
/// are arrays (ListObjects' `Contents`, an ACL's `Grant`, …), others keep the last occurrence.
pub fn to_json(element: &Element, lists: &[&str]) -> Value {
    if element.children.is_empty() {
        return Value::String(element.text.clone());
    }
    let mut map = Map::new();
    for child in &element.children {
        let value = to_json(child, lists);
        if lists.contains(&child.name.as_str()) {
            match map.entry(child.name.clone()).or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(items) => items.push(value),
                other => *other = Value::Array(vec![other.take(), value]),
            }
        } else {
            map.insert(child.name.clone(), value);
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::xml::parse;

    #[test]
    fn lists_stay_lists() {
        let doc = br#"<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>
            <Contents><Key>a &amp; b</Key><Size>3</Size></Contents>
            <CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>e/</Prefix></CommonPrefixes>
            <Empty/></ListBucketResult>"#;
        let json = to_json(&parse(doc).unwrap(), &["Contents", "CommonPrefixes"]);
        assert_eq!(
            json,
            serde_json::json!({
                "Name": "b", "IsTruncated": "false", "Empty": "",
                "Contents": [{"Key": "a & b", "Size": "3"}],
                "CommonPrefixes": [{"Prefix": "d/"}, {"Prefix": "e/"}],
            })
        );
    }
}
