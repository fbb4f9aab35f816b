//! What every fuzz target checks besides "does not panic": the invariants a reader promises whatever its input.

use parallax_engine::ingest::{Item, ReadLimits, read_stream, read_stream_within};

/// A size limit far below the inputs libFuzzer makes (`-max_len=20000`), so every target also reaches the readers'
/// paths past the limit: inputs and records rejected as too large, lines skipped to their end, bombs cut short.
pub const SMALL_LIMIT: u64 = 1024;

/// Reads `data` as the input named `path` (gzip detected, format sniffed, as for a file) and checks every item:
/// each names the input it came from, and each article's sections lie within its text on character boundaries,
/// which later stages rely on when they slice the text. It is read twice: within the default limits, and within
/// [`SMALL_LIMIT`].
pub fn read_and_check(path: &str, data: &[u8]) {
    read_stream(path, &mut &data[..], &mut |item| check_item(path, &item));
    read_small(path, data);
}

/// Reads `data` within [`SMALL_LIMIT`] only, for inputs made large on purpose (bombs, deep nesting).
pub fn read_small(path: &str, data: &[u8]) {
    let limits = ReadLimits::with_max_input_bytes(SMALL_LIMIT);
    read_stream_within(path, &mut &data[..], &limits, &mut |item| {
        check_item(path, &item)
    });
}

/// Checks one item handed on by a reader of the input named `path`.
pub fn check_item(path: &str, item: &Item) {
    match item {
        Item::Article(article) => {
            assert_eq!(article.origin.path, path);
            assert!(
                !article.sections.is_empty(),
                "an article has at least one section"
            );
            for section in &article.sections {
                assert!(section.start <= section.end && section.end <= article.text.len());
                assert!(article.text.is_char_boundary(section.start));
                assert!(article.text.is_char_boundary(section.end));
            }
        }
        Item::Reject(reject) => {
            assert_eq!(reject.origin.path, path);
            assert!(!reject.reason.is_empty(), "a reject says why");
        }
    }
}

/// `prefix` followed by `data`, to steer format sniffing towards one reader.
pub fn prefixed(prefix: &[u8], data: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(prefix.len() + data.len());
    bytes.extend_from_slice(prefix);
    bytes.extend_from_slice(data);
    bytes
}
