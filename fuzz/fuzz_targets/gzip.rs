//! The gzip path: arbitrary deflate data behind a gzip header, valid gzip cut at an arbitrary byte, and a small
//! bomb (the input's first 64 bytes repeated up to 16,321 times, up to 1 MB, compressed) read within a small size
//! limit.
#![no_main]

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff";

fuzz_target!(|data: &[u8]| {
    parallax_fuzz::read_and_check("fuzz.gz", &parallax_fuzz::prefixed(HEADER, data));
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(rest).unwrap();
    let whole = encoder.finish().unwrap();
    let keep = whole.len() * usize::from(cut) / 255;
    parallax_fuzz::read_and_check("fuzz.jsonl.gz", &whole[..keep]);
    // Only a short unit is repeated: compressing the whole input thousands of times made each run take seconds
    // (236 runs in 10 minutes), where the reader stops at the small limit after a kilobyte anyway.
    let unit = &rest[..rest.len().min(64)];
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    for _ in 0..=usize::from(cut) * 64 {
        encoder.write_all(unit).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    parallax_fuzz::read_small("fuzz-bomb.gz", &bomb);
});
