//! Text normalisation shared by every stage.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Normalises a body of text: NFC, unified line ends, no control characters but tabs, no trailing spaces,
/// paragraphs separated by exactly one blank line, and no blank lines at either end. A line holding only spaces
/// (or a form feed) counts as blank.
pub fn normalise_text(raw: &str) -> String {
    normalise_text_borrowed(raw).into_owned()
}

/// [`normalise_text`], borrowing text already in normal form.
pub(crate) fn normalise_text_borrowed(raw: &str) -> std::borrow::Cow<'_, str> {
    if is_normalised_text(raw) {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(rebuild_normalised(raw))
    }
}

/// [`normalise_text`] for text the caller owns: text already in normal form (most text, checked in one pass over
/// its bytes) is handed back as it is, without a copy.
pub(crate) fn normalise_text_owned(raw: String) -> String {
    if is_normalised_text(&raw) {
        raw
    } else {
        rebuild_normalised(&raw)
    }
}

/// Whether [`normalise_text`] would give `text` back unchanged: no carriage returns or control characters but
/// newlines and tabs, no line ending in whitespace (so no blank line holding spaces), no blank line at either end,
/// never two blank lines in a row, and NFC.
///
/// One pass over the bytes that skips printable ASCII sixteen bytes at a time and takes the characters of the
/// Latin and Cyrillic alphabets and common punctuation, which NFC leaves alone wherever they stand, without a table
/// lookup; only text with other characters pays for Unicode's quick check.
fn is_normalised_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'\n') || bytes.last() == Some(&b'\n') {
        return false;
    }
    let mut quick_check_needed = false;
    let mut previous_newline = false;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 16)
            && printable_ascii(chunk)
        {
            i += 16;
            previous_newline = false;
            continue;
        }
        let b = bytes[i];
        match b {
            b'\n' => {
                if previous_newline && bytes.get(i + 1) == Some(&b'\n') {
                    return false;
                }
                if !previous_newline && ends_with_whitespace(&text[..i]) {
                    return false;
                }
                previous_newline = true;
                i += 1;
                continue;
            }
            b'\t' | 0x20..=0x7E => i += 1,
            // Two-byte characters told by their bytes alone: U+00A0 to U+02FF (Latin) and U+0400 to U+047F
            // (Cyrillic letters), all plainly composed.
            0xC3..=0xCB | 0xD0 | 0xD1 => i += 2,
            0xC2 if bytes[i + 1] >= 0xA0 => i += 2,
            0x80.. => {
                let c = text[i..].chars().next().expect("a character starts here");
                if c.is_control() {
                    return false;
                }
                quick_check_needed |= !plainly_composed(c);
                i += c.len_utf8();
            }
            _ => return false,
        }
        previous_newline = false;
    }
    !ends_with_whitespace(text)
        && (!quick_check_needed || is_nfc_quick(text.chars()) == IsNormalized::Yes)
}

/// Whether 16 bytes are all printable ASCII (0x20 to 0x7E), two 64-bit words at a time: a byte below 0x20 borrows
/// into its top bit when 0x20 is subtracted, and a byte of 0x7F or more has its top bit set once 1 is added.
fn printable_ascii(chunk: &[u8]) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    chunk.chunks_exact(8).all(|eight| {
        let w = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let below_space = w.wrapping_sub(0x20 * LOW) & !w;
        let delete_or_above = w.wrapping_add(LOW) | w;
        (below_space | delete_or_above) & HIGH == 0
    })
}

/// Characters that are NFC wherever they stand (a starter that no following character composes with): Latin-1
/// and the Latin Extended blocks, Cyrillic without its combining marks, and the general punctuation from the en
/// space on (dashes, quotation marks). A test checks every one against the Unicode tables.
fn plainly_composed(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{2FF}' | '\u{400}'..='\u{482}' | '\u{48A}'..='\u{52F}' | '\u{2002}'..='\u{203F}')
}

/// Whether the last character of `text` is whitespace (as `str::trim_end` counts it).
fn ends_with_whitespace(text: &str) -> bool {
    text.chars().next_back().is_some_and(char::is_whitespace)
}

/// The normalisation proper, for text the quick check in [`is_normalised_text`] turned down.
fn rebuild_normalised(raw: &str) -> String {
    let unified = if raw.contains('\r') {
        std::borrow::Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    let nfc = to_nfc(&unified);
    let nfc: std::borrow::Cow<'_, str> =
        if nfc.contains(|c: char| c.is_control() && !matches!(c, '\n' | '\t')) {
            nfc.chars()
                .filter(|&c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect::<String>()
                .into()
        } else {
            nfc
        };
    let mut out = String::with_capacity(nfc.len());
    let mut blank_run = false;
    for line in nfc.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run { "\n\n" } else { "\n" });
        }
        blank_run = false;
        out.push_str(line);
    }
    out
}

/// `text` in Unicode Normalization Form C, borrowed when it already is (ASCII text and almost all other text, told
/// by the quick check, which costs a fraction of composing).
fn to_nfc(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// Normalises a one-line field (a title, a byline): NFC with runs of whitespace collapsed to one space.
pub fn normalise_line(raw: &str) -> String {
    let nfc = to_nfc(raw);
    let mut line = String::with_capacity(nfc.len());
    for word in nfc.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// A title made from the text when the input gives none: its first sentence, cut at a word near 120 characters.
pub fn derive_title(text: &str) -> String {
    // A title is at most 120 characters, so only the opening of the text matters (and a 50 MB text costs nothing).
    let first_paragraph = prefix(text, 2048)
        .split("\n\n")
        .find(|p| !p.trim().is_empty())
        .unwrap_or("");
    let line = normalise_line(first_paragraph);
    let sentence_end = line.find(". ").map(|i| i + 1).unwrap_or(line.len());
    let sentence = &line[..sentence_end];
    if sentence.chars().count() <= 120 {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(120).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// A hex content hash (BLAKE3, 64 hex digits) over the given parts, each normalised for case and whitespace, used
/// for article ids and exact-duplicate detection: the same article re-wrapped or re-cased hashes the same, and parts
/// are kept apart so moving words from the title to the text changes the hash.
pub fn content_hash(parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut folded = Folded {
        buffer: Box::new([0; HASH_BUFFER + 16]),
        len: 0,
    };
    for part in parts {
        folded.fold(part, &mut hasher);
        // A separator that normalised text never contains, so ("ab", "c") and ("a", "bc") differ.
        folded.buffer[folded.len] = 0xFF;
        folded.len += 1;
    }
    hasher.update(&folded.buffer[..folded.len]);
    hasher.finalize().to_hex().to_string()
}

/// `char::to_lowercase` of Latin-1 and basic Cyrillic letters without its table search, or `None` for other
/// characters. A test checks it against the standard library for every character it answers.
fn simple_lowercase(c: char) -> Option<char> {
    let code = c as u32;
    let lower = match c {
        '\u{C0}'..='\u{DE}' if c != '\u{D7}' => code + 0x20,
        '\u{A0}'..='\u{FF}' => code,
        '\u{400}'..='\u{40F}' => code + 0x50,
        '\u{410}'..='\u{42F}' => code + 0x20,
        '\u{430}'..='\u{45F}' => code,
        _ => return None,
    };
    char::from_u32(lower)
}

/// Bytes gathered before they are handed to the hasher; the buffer has room for one more character's lower case
/// (at most three characters of four bytes) and a separator.
const HASH_BUFFER: usize = 8192;

/// ASCII bytes as the content hash reads them: whitespace as a space, letters in lower case.
static ASCII_FOLD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => b' ',
            other => other.to_ascii_lowercase(),
        };
        b += 1;
    }
    table
};

/// The words of a text lower-cased character by character and joined by single spaces (what `split_whitespace`
/// and `char::to_lowercase` give), gathered for the hasher.
struct Folded {
    buffer: Box<[u8; HASH_BUFFER + 16]>,
    len: usize,
}

impl Folded {
    /// Appends `part`'s folded words, handing full buffers to `hasher`. ASCII costs a table lookup per byte and
    /// no branch on what the byte is: every byte is written, and the write position moves on unless the byte is a
    /// space after a space (or at the start), so runs of whitespace leave one space, dropped again at the end.
    fn fold(&mut self, part: &str, hasher: &mut blake3::Hasher) {
        let bytes = part.as_bytes();
        let mut wrote_word = false;
        let mut after_space = true;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                let folded = ASCII_FOLD[usize::from(b)];
                let space = folded == b' ';
                self.buffer[self.len] = folded;
                self.len += usize::from(!(space && after_space));
                after_space = space;
                wrote_word |= !space;
                i += 1;
            } else {
                let c = part[i..].chars().next().expect("a character starts here");
                i += c.len_utf8();
                if c.is_whitespace() {
                    self.buffer[self.len] = b' ';
                    self.len += usize::from(!after_space);
                    after_space = true;
                } else {
                    after_space = false;
                    wrote_word = true;
                    match simple_lowercase(c) {
                        Some(lower) => self.push_char(lower),
                        None => c.to_lowercase().for_each(|lower| self.push_char(lower)),
                    }
                }
            }
            // Never flush a trailing space: it is dropped if the text ends there.
            if self.len >= HASH_BUFFER && !after_space {
                hasher.update(&self.buffer[..self.len]);
                self.len = 0;
            }
        }
        // After a word, whitespace wrote one space (never flushed): the text ended there, so it goes.
        if after_space && wrote_word {
            self.len -= 1;
        }
    }

    fn push_char(&mut self, c: char) {
        let written = c.encode_utf8(&mut self.buffer[self.len..]).len();
        self.len += written;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paragraph_breaks_and_drops_the_rest() {
        assert_eq!(
            normalise_text("\n\nOne line\r\nsame para  \n\n\n\nTwo\n\n"),
            "One line\nsame para\n\nTwo"
        );
    }

    #[test]
    fn content_hash_ignores_case_and_spacing_but_not_words() {
        let a = content_hash(&["Talks in Moscow", "Delegations met\n\non Thursday."]);
        assert_eq!(a.len(), 64);
        assert_eq!(
            a,
            content_hash(&["talks  in moscow", " Delegations met on THURSDAY. "])
        );
        assert_ne!(
            a,
            content_hash(&["Talks in Moscow", "Delegations met on Friday."])
        );
        assert_ne!(
            a,
            content_hash(&["Talks in", "Moscow Delegations met on Thursday."])
        );
        let long = "word ".repeat(5000);
        assert_ne!(content_hash(&[&long]), content_hash(&[&long, ""]));
    }

    #[test]
    fn drops_control_characters_but_keeps_tabs_in_lines() {
        assert_eq!(normalise_text("a\u{0}b\tc\u{7}\n\u{c}\nd"), "ab\tc\n\nd");
    }

    /// The hash as first written (split into words, each lower-cased): ids derived before the one-pass version
    /// must stay the same.
    fn content_hash_by_words(parts: &[&str]) -> String {
        let mut hasher = blake3::Hasher::new();
        let mut buffer: Vec<u8> = Vec::new();
        for part in parts {
            for (i, word) in part.split_whitespace().enumerate() {
                if i > 0 {
                    buffer.push(b' ');
                }
                for c in word.chars().flat_map(char::to_lowercase) {
                    buffer.extend_from_slice(c.to_string().as_bytes());
                }
            }
            buffer.push(0xFF);
        }
        hasher.update(&buffer);
        hasher.finalize().to_hex().to_string()
    }

    /// [`normalise_text`] without its quick check: the reference the quick check must agree with.
    fn check_normalised(raw: &str) {
        let rebuilt = rebuild_normalised(raw);
        assert_eq!(normalise_text(raw), rebuilt, "{raw:?}");
        assert_eq!(normalise_text_owned(raw.to_owned()), rebuilt, "{raw:?}");
        // The check may turn down text that is normal (a combining mark NFC keeps), never accept text that is not;
        // and it must accept plain normal text, or it saves nothing.
        if rebuilt.is_ascii() || rebuilt.chars().all(|c| c < '\u{300}') {
            assert!(is_normalised_text(&rebuilt), "{rebuilt:?}");
        }
    }

    #[test]
    fn quick_check_agrees_with_normalisation() {
        for raw in [
            "",
            " ",
            "a",
            "a\n",
            "\na",
            "a\nb",
            "a\n\nb",
            "a\n\n\nb",
            "a \nb",
            "a\n \nb",
            "a\t\nb",
            "  indented\n\nbody",
            "a\u{a0}\nb",
            "a\u{3000}",
            "a\u{2028}b",
            "a\rb",
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{9f}b",
            "a\u{a0}b",
            "caf\u{e9}",
            "cafe\u{301}",
            "\u{41f}\u{440}\u{438}\u{432}\u{435}\u{442}\n\n\u{43c}\u{438}\u{440}",
            "x\u{c}y",
            "a\u{2000}b",
            "a\u{2014}b\u{201c}c",
            "\u{418}\u{306}",
            "\u{430}\u{483}",
        ] {
            check_normalised(raw);
        }
    }

    proptest::proptest! {
        #[test]
        fn quick_check_agrees_on_any_text(raw in "[a\\t\\n\\r \\u{0}\\u{85}\\u{a0}\\u{e9}\\u{301}\\u{3000}\\u{41f}]{0,12}") {
            check_normalised(&raw);
        }

        #[test]
        fn content_hash_is_the_word_by_word_hash(
            title in "[aB \\t\\n\\u{a0}\\u{130}\\u{3a3}\\u{41f}\\u{1e9e}]{0,12}",
            text in "\\PC{0,40}",
        ) {
            proptest::prop_assert_eq!(content_hash(&[&title, &text]), content_hash_by_words(&[&title, &text]));
        }
    }

    #[test]
    fn content_hash_of_long_text_is_the_word_by_word_hash() {
        let text =
            "Ein Wort, \u{41f}\u{440}\u{438}\u{432}\u{435}\u{442} \u{130}STANBUL\n\n".repeat(2000);
        assert_eq!(
            content_hash(&["T", &text]),
            content_hash_by_words(&["T", &text])
        );
        // Texts ending in whitespace just after the buffer was handed on, at every offset around its size.
        for length in 8180..8200 {
            let text = format!("{} \u{a0} ", "x".repeat(length));
            assert_eq!(
                content_hash(&[&text, "y"]),
                content_hash_by_words(&[&text, "y"])
            );
        }
    }

    #[test]
    fn printable_ascii_is_told_byte_by_byte() {
        for b in 0..=255u8 {
            for at in [0, 7, 8, 15] {
                let mut chunk = [b'a'; 16];
                chunk[at] = b;
                assert_eq!(
                    printable_ascii(&chunk),
                    (0x20..=0x7E).contains(&b),
                    "{b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn plainly_composed_characters_are_nfc_starters() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0x80..=0x2040)
            .filter_map(char::from_u32)
            .filter(|&c| plainly_composed(c))
        {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
    }

    #[test]
    fn simple_lowercase_is_the_standard_one() {
        for c in (0x80..=0x500).filter_map(char::from_u32) {
            if let Some(lower) = simple_lowercase(c) {
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    lower.to_string(),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalise_line("Cafe\u{301}  au\tlait"), "Café au lait");
    }
}
