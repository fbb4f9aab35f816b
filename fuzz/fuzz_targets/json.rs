//! A JSON document: one object, or an array of them read element by element.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let prefix: &[u8] = if data.first().is_some_and(|b| b % 2 == 0) {
        b"[{"
    } else {
        b"[{\"text\": \"x\"},"
    };
    parallax_fuzz::read_and_check("fuzz.json", &parallax_fuzz::prefixed(prefix, data));
});
