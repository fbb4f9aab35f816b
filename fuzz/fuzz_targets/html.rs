//! HTML pages through the reader, and the extractor and fragment converter called directly; then the same input
//! wrapped in deep nesting (up to 10,200 levels of `<div><span><b>`, chosen by the first byte), the case that once
//! overflowed the reader's stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_engine::ingest::{extract_html, html_fragment_to_text};

fuzz_target!(|data: &[u8]| {
    parallax_fuzz::read_and_check(
        "fuzz.html",
        &parallax_fuzz::prefixed(b"<!DOCTYPE html>", data),
    );
    let html = String::from_utf8_lossy(data);
    let _ = extract_html(&html, Some("https://fuzz.example/a/2023/10/27/story.html"));
    let _ = html_fragment_to_text(&html);
    if let Some((&levels, rest)) = data.split_first() {
        let levels = usize::from(levels) * 40;
        let rest = String::from_utf8_lossy(rest);
        let mut deep = String::with_capacity(levels * 14 + rest.len() + 64);
        deep.push_str("<!DOCTYPE html><html><body><p>Lead.</p>");
        for _ in 0..levels {
            deep.push_str("<div><span><b>");
        }
        deep.push_str(&rest);
        parallax_fuzz::read_and_check("fuzz-deep.html", deep.as_bytes());
        let _ = html_fragment_to_text(&deep);
    }
});
