//! Encoding detection and decoding of arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_engine::ingest::decode;

fuzz_target!(|data: &[u8]| {
    let decoded = decode(data);
    if let Some((count, _first)) = decoded.replaced {
        assert!(
            count > 0,
            "a replacement count is given only when something was replaced"
        );
    }
});
