//! An ordered header list with case-insensitive names: setting a name that differs only by case replaces
//! the earlier value in place (the SDK would send both, which HTTP treats as one header with two values).

use std::borrow::Cow;

/// Request headers in the order they will be sent. Names are borrowed when static (the library's own headers),
/// so building and copying a request's headers allocates for the values only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(Cow<'static, str>, String)>);

impl Headers {
    /// An empty list.
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// Sets `name` to `value`, replacing any case-variant in place, else appending.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        match self.0.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// Sets `name` only when it is absent.
    pub fn set_default(&mut self, name: &'static str, value: impl Into<String>) {
        if self.get(name).is_none() {
            self.0.push((Cow::Borrowed(name), value.into()));
        }
    }

    /// The value of `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Removes `name` (case-insensitive).
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// Name/value pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_ref(), v.as_str()))
    }
}

impl IntoIterator for Headers {
    type Item = (Cow<'static, str>, String);
    type IntoIter = std::vec::IntoIter<Self::Item>;

    /// Name/value pairs in order, moved out.
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_replace_in_place() {
        let mut h = Headers::new();
        h.set("Content-Type", "a");
        h.set("Date", "d");
        h.set("content-type", "b");
        h.set_default("DATE", "x");
        assert_eq!(h.iter().collect::<Vec<_>>(), vec![("Content-Type", "b"), ("Date", "d")]);
        h.remove("date");
        assert_eq!(h.get("DATE"), None);
    }
}
