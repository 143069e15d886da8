//! The reader for server answers (error XML, InitiateMultipartUpload, ListParts, CallbackFailed bodies) on any
//! bytes: a tree or None, no panic, no unbounded nesting.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ossrs::core::model::xml::{self, Element, MAX_DEPTH};

fn depth(e: &Element) -> usize {
    1 + e.children.iter().map(depth).max().unwrap_or(0)
}

fuzz_target!(|data: &[u8]| {
    if let Some(root) = xml::parse(data) {
        assert!(depth(&root) <= MAX_DEPTH + 1);
        let _ = (root.child_text("Code"), root.child_text("UploadId"), root.children_named("Part").count());
    }
});
