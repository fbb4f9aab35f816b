//! Decoding input bytes to text: UTF-8, UTF-16 with a byte-order mark, and legacy encodings.

/// Text decoded from bytes, and what it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// The encoding used (WHATWG name).
    pub encoding: &'static str,
    /// How many invalid sequences were replaced by U+FFFD, and the byte offset of the first.
    pub replaced: Option<(usize, usize)>,
}

/// Decodes `bytes`, detecting the encoding. Placeholder: UTF-8 only, invalid sequences replaced.
pub fn decode(bytes: &[u8]) -> Decoded {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
            replaced: None,
        },
        Err(e) => Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: "UTF-8",
            replaced: Some((1, e.valid_up_to())),
        },
    }
}
