//! HTML pages through the reader, and the extractor and fragment converter called directly.
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
});
