//! JSON Lines: a valid first line then arbitrary lines, or an arbitrary first line (the one-document fallback).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let prefix: &[u8] = if data.first().is_some_and(|b| b % 2 == 0) {
        b"{\""
    } else {
        b"{\"text\": \"x\"}\n"
    };
    parallax_fuzz::read_and_check("fuzz.jsonl", &parallax_fuzz::prefixed(prefix, data));
});
