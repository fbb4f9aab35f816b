//! WARC archives: record framing, HTTP responses, chunked and compressed bodies.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let prefix: &[u8] = if data.first().is_some_and(|b| b % 2 == 0) {
        b"WARC/1.0\r\n"
    } else {
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://fuzz.example/\r\n"
    };
    parallax_fuzz::read_and_check("fuzz.warc", &parallax_fuzz::prefixed(prefix, data));
});
