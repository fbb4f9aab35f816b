//! Text normalisation shared by every stage.

use unicode_normalization::UnicodeNormalization;

/// Normalises a body of text: NFC, unified line ends, no control characters but tabs, no trailing spaces,
/// paragraphs separated by exactly one blank line, and no blank lines at either end. A line holding only spaces
/// (or a form feed) counts as blank.
pub fn normalise_text(raw: &str) -> String {
    let unified = if raw.contains('\r') {
        std::borrow::Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    let nfc: String = unified
        .nfc()
        .filter(|&c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
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

/// A hex content hash (BLAKE3, 64 hex digits) over the given parts, each normalised for case and whitespace, used
/// for article ids and exact-duplicate detection: the same article re-wrapped or re-cased hashes the same, and parts
/// are kept apart so moving words from the title to the text changes the hash.
pub fn content_hash(parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut buffer = String::with_capacity(4096);
    for part in parts {
        let mut pending_space = false;
        for c in part.chars() {
            if c.is_whitespace() {
                pending_space = !buffer.is_empty() || pending_space;
                continue;
            }
            if pending_space {
                buffer.push(' ');
                pending_space = false;
            }
            buffer.extend(c.to_lowercase());
            if buffer.len() >= 4000 {
                hasher.update(buffer.as_bytes());
                buffer.clear();
            }
        }
        hasher.update(buffer.as_bytes());
        buffer.clear();
        // A separator that normalised text never contains, so ("ab", "c") and ("a", "bc") differ.
        hasher.update(&[0xFF]);
    }
    hasher.finalize().to_hex().to_string()
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

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalise_line("Cafe\u{301}  au\tlait"), "Café au lait");
    }
}
