//! RSS and Atom feeds, with item recovery after syntax errors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let prefix: &[u8] = match data.first().map(|b| b % 3) {
        Some(0) => b"<rss version=\"2.0\"><channel><title>F</title><item>",
        Some(1) => b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>",
        _ => b"<rss>",
    };
    parallax_fuzz::read_and_check("fuzz.rss", &parallax_fuzz::prefixed(prefix, data));
});
