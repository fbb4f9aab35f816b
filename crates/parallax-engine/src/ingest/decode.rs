//! Decoding input bytes to text: UTF-8, UTF-16 with a byte-order mark, and legacy encodings.
//!
//! The order of evidence is: a byte-order mark; valid UTF-8; UTF-8 damaged in a few places; UTF-16 without a mark
//! (told by its NUL bytes); and only then a statistical guess among legacy encodings (`chardetng`). A file that is
//! UTF-8 but for a few bad bytes stays UTF-8 with U+FFFD in their place, and [`Decoded::replaced`] says how many
//! and where the first was, so a reader can record that nothing was lost silently.

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from bytes, and what it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// The encoding used (WHATWG name: "UTF-8", "UTF-16LE", "windows-1252", "KOI8-R", "gb18030", "Shift_JIS"...).
    pub encoding: &'static str,
    /// How many invalid sequences were replaced by U+FFFD, and the byte offset in the input of the first.
    pub replaced: Option<(usize, usize)>,
}

/// How many bytes `chardetng` sees at most: enough for a confident guess, and keeps a 50 MB file linear and quick.
const DETECTOR_WINDOW: usize = 1 << 20;

/// Decodes `bytes`, detecting the encoding.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_len..], bom_len);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_owned(),
            encoding: UTF_8.name(),
            replaced: None,
        };
    }
    if mostly_utf8(bytes) {
        return decode_with(UTF_8, bytes, 0);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return decode_with(encoding, bytes, 0);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let window = &bytes[..bytes.len().min(DETECTOR_WINDOW)];
    detector.feed(window, window.len() == bytes.len());
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    decode_with(encoding, bytes, 0)
}

/// Whether invalid UTF-8 looks like damage to a UTF-8 file rather than a legacy encoding.
///
/// Two signs say damage. The file carries valid multi-byte sequences at least as often as broken ones: a legacy
/// single-byte text almost never forms valid multi-byte UTF-8 by chance. Or the bytes that do not fit are rare
/// (a handful, or under 0.5% of the file) and most of them do not read as a legacy letter or quote: a Windows-1252 "café" or
/// "don’t" has its high byte next to an ASCII letter, while stray bytes like 0xFF or a cut-off sequence rarely
/// do. Dense high bytes (Cyrillic, Greek, CJK legacy text) always go to the legacy detector.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    let mut invalid_bytes = 0usize;
    let mut legacy_like = 0usize;
    let mut at = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        let bad = chunk.invalid();
        if !bad.is_empty() {
            invalid += 1;
            invalid_bytes += bad.len();
            let beside_letter = |i: Option<usize>| {
                i.and_then(|i| bytes.get(i))
                    .is_some_and(u8::is_ascii_alphabetic)
            };
            if bad.len() == 1
                && legacy_letter_or_quote(bad[0])
                && (beside_letter(at.checked_sub(1)) || beside_letter(Some(at + 1)))
            {
                legacy_like += 1;
            }
            at += bad.len();
        }
    }
    if valid_multibyte > 0 && valid_multibyte >= invalid {
        return true;
    }
    let sparse = invalid_bytes <= 4 || invalid_bytes * 200 < bytes.len();
    sparse && legacy_like * 2 <= invalid
}

/// A byte that Windows-1252 maps to a letter or a typographic quote, the high bytes of Western legacy text.
fn legacy_letter_or_quote(byte: u8) -> bool {
    matches!(byte, 0x8A | 0x8C | 0x8E | 0x91..=0x94 | 0x9A | 0x9C | 0x9E | 0x9F | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0xFD)
}

/// UTF-16 without a byte-order mark: most code units of Latin or Cyrillic text have a NUL high byte, which lands
/// on odd offsets in little-endian and even offsets in big-endian order.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if odd * 10 >= pairs * 4 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decodes with a known encoding, replacing malformed sequences by U+FFFD and counting them. `base` is the offset
/// of `bytes` in the original input (after a byte-order mark), so reported offsets point into the file.
fn decode_with(encoding: &'static Encoding, bytes: &[u8], base: usize) -> Decoded {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(capacity);
    let mut read_total = 0usize;
    let mut count = 0usize;
    let mut first = None;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut text, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - read_total)
                    .unwrap_or(1024)
                    .max(16);
                text.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                count += 1;
                let at = read_total.saturating_sub(after as usize + bad as usize);
                first.get_or_insert(base + at);
                text.push('\u{FFFD}');
            }
        }
    }
    Decoded {
        text,
        encoding: encoding.name(),
        replaced: first.map(|at| (count, at)),
    }
}

/// What kind of binary data `bytes` hold, if they are not text: a known file signature, or NUL bytes in the first
/// 8 KB that UTF-16 does not explain. Used by the text reader to reject rather than store garbage.
pub(crate) fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"\x1F\x8B", "gzip data"),
        (b"BZh", "bzip2 data"),
        (b"\xFD7zXZ\x00", "xz data"),
        (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
        (b"\x28\xB5\x2F\xFD", "zstd data"),
        (b"\x7FELF", "ELF executable"),
        (b"MZ", "Windows executable"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "MS Office document"),
        (b"ID3", "MP3 audio"),
        (b"OggS", "Ogg media"),
        (b"fLaC", "FLAC audio"),
        (b"\x00asm", "WebAssembly module"),
    ];
    for (magic, kind) in SIGNATURES {
        if bytes.starts_with(magic) {
            // "MZ" and "BZh" are also how some words begin; demand a NUL nearby before calling it binary.
            if magic.len() <= 3 && !matches!(*kind, "JPEG image" | "gzip data") {
                if bytes[..bytes.len().min(512)].contains(&0) {
                    return Some(kind);
                }
                continue;
            }
            return Some(kind);
        }
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" {
        return Some(match &bytes[8..12] {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "RIFF media",
        });
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("MP4 media");
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) && Encoding::for_bom(bytes).is_none() && utf16_without_bom(bytes).is_none()
    {
        return Some("NUL bytes");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes `text` with `encoding`, decodes the bytes without telling the decoder, and expects the text back
    /// and the encoding named (or, after `|`, a superset that decodes the text the same way).
    fn check(encoding: &'static Encoding, text: &str, expect_encoding: &str) {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(
            !unmappable,
            "test text not representable in {}",
            encoding.name()
        );
        let decoded = decode(&bytes);
        assert!(
            expect_encoding
                .split('|')
                .any(|name| name == decoded.encoding),
            "{text}: {} is not {expect_encoding}",
            decoded.encoding
        );
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.replaced, None);
    }

    const FRENCH: &str = "Le ministre des Affaires étrangères a déclaré jeudi que la délégation arrivée à \
        Genève négocierait «sans préalable». Les pourparlers, prévus jusqu'à vendredi, réunissent des \
        représentants de trois pays voisins, a précisé le porte-parole du ministère.";
    const RUSSIAN: &str = "Заместитель министра иностранных дел провёл в четверг переговоры с делегацией, \
        прибывшей в Москву по приглашению российской стороны. Стороны обсудили прекращение огня и \
        гуманитарную помощь мирному населению, сообщили в посольстве.";
    const CHINESE: &str = "外交部副部长星期四在莫斯科会见了代表团，双方讨论了停火和人道主义援助问题。\
        发言人表示，会谈气氛友好，双方同意继续保持沟通与合作，共同推动地区和平稳定。";
    const JAPANESE: &str = "外務副大臣は木曜日、モスクワで代表団と会談し、停戦と人道支援について協議した。\
        報道官によると、会談は友好的な雰囲気の中で行われ、双方は今後も対話を続けることで一致した。";

    #[test]
    fn detects_legacy_encodings() {
        check(encoding_rs::WINDOWS_1252, FRENCH, "windows-1252");
        // One accented letter in otherwise ASCII text: no valid multi-byte UTF-8, so not damaged UTF-8.
        check(
            encoding_rs::WINDOWS_1252,
            "The mayor opened the new caf\u{e9} on Friday.",
            "windows-1252",
        );
        check(encoding_rs::KOI8_R, RUSSIAN, "KOI8-R|KOI8-U");
        check(encoding_rs::WINDOWS_1251, RUSSIAN, "windows-1251");
        check(encoding_rs::GB18030, CHINESE, "GBK");
        check(encoding_rs::SHIFT_JIS, JAPANESE, "Shift_JIS");
    }

    #[test]
    fn utf8_and_utf16_with_a_bom() {
        check(UTF_8, FRENCH, "UTF-8");
        for (encoding, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let mut bytes = bom.to_vec();
            for unit in RUSSIAN.encode_utf16() {
                let pair = if encoding == UTF_16LE {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend(pair);
            }
            let decoded = decode(&bytes);
            assert_eq!(decoded.encoding, encoding.name());
            assert_eq!(decoded.text, RUSSIAN);
            assert_eq!(binary_kind(&bytes), None);
        }
        let decoded = decode(b"\xEF\xBB\xBFplain");
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            ("plain", "UTF-8")
        );
    }

    #[test]
    fn utf16_without_a_bom_is_not_binary() {
        let bytes: Vec<u8> = FRENCH.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(binary_kind(&bytes), None);
        let decoded = decode(&bytes);
        assert_eq!(
            (decoded.encoding, decoded.text.as_str()),
            ("UTF-16LE", FRENCH)
        );
    }

    #[test]
    fn invalid_bytes_in_utf8_are_replaced_counted_and_located() {
        let mut bytes = FRENCH.as_bytes().to_vec();
        let at = FRENCH.find("Genève").unwrap();
        bytes.insert(at, 0xFF);
        bytes.insert(at + 1, 0xC3);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.replaced, Some((2, at)));
        assert!(
            decoded.text.contains("\u{FFFD}\u{FFFD}Genève"),
            "{}",
            decoded.text
        );
        assert_eq!(decoded.text.replace('\u{FFFD}', ""), FRENCH);
    }

    #[test]
    fn tells_binary_from_text() {
        assert_eq!(
            binary_kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("PNG image")
        );
        assert_eq!(binary_kind(b"%PDF-1.7\n"), Some("PDF document"));
        assert_eq!(
            binary_kind(b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            Some("JPEG image")
        );
        assert_eq!(binary_kind(b"PK\x03\x04\x14\0"), Some("ZIP archive"));
        assert_eq!(binary_kind(b"text\0with a NUL"), Some("NUL bytes"));
        assert_eq!(binary_kind(b"MZ is how this line begins."), None);
        assert_eq!(binary_kind(FRENCH.as_bytes()), None);
    }
}
