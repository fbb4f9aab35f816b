//! Plain text with header lines: arbitrary bytes after a letter, so sniffing picks the text reader for most inputs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    parallax_fuzz::read_and_check("fuzz.txt", &parallax_fuzz::prefixed(b"T", data));
});
