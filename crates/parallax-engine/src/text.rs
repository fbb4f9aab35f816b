//! Text normalisation shared by every stage.

use unicode_normalization::UnicodeNormalization;

/// Normalises a body of text: NFC, unified line ends, no trailing spaces, paragraphs separated by exactly one blank
/// line, and no blank lines at either end.
pub fn normalise_text(raw: &str) -> String {
    let nfc: String = raw.replace("\r\n", "\n").nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    let mut blank_run = false;
    for line in nfc.split(['\n', '\r']) {
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

/// Normalises a one-line field (a title, a byline): NFC with runs of whitespace collapsed to one space.
pub fn normalise_line(raw: &str) -> String {
    let nfc: String = raw.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title made from the text when the input gives none: its first sentence, cut at a word near 120 characters.
pub fn derive_title(text: &str) -> String {
    let first_paragraph = text
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

/// A hex content hash over the given parts, each normalised for case and whitespace, used for article ids and
/// exact-duplicate detection.
pub fn content_hash(parts: &[&str]) -> String {
    use std::hash::{Hash, Hasher};
    // Placeholder until a cryptographic hash is wired in by the ingestion work: two independent 64-bit hashes.
    let mut a = std::collections::hash_map::DefaultHasher::new();
    let mut b = std::collections::hash_map::DefaultHasher::new();
    0xA5u8.hash(&mut b);
    for part in parts {
        for word in part.split_whitespace() {
            word.to_lowercase().hash(&mut a);
            word.to_lowercase().hash(&mut b);
        }
        0xFFu8.hash(&mut a);
        0xFFu8.hash(&mut b);
    }
    format!("{:016x}{:016x}", a.finish(), b.finish())
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
    fn composes_to_nfc() {
        assert_eq!(normalise_line("Cafe\u{301}  au\tlait"), "Café au lait");
    }
}
