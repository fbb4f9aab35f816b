//! The encoding an HTML page declares for itself, honoured before any guess.

use encoding_rs::{Encoding, UTF_8};

use crate::ingest::{Decoded, decode};

/// How far into a page its `<meta charset>` is looked for. Browsers prescan 1024 bytes; pages in the wild put long
/// scripts and comments first, so this looks further.
const PRESCAN: usize = 8192;

/// Decodes an HTML page: a byte-order mark first, then valid UTF-8, then the charset its `<meta>` declares, and only
/// then the general detector. A page that declares UTF-8 but is not valid UTF-8 is left to the detector, which tells
/// damaged UTF-8 from a mislabelled legacy encoding.
pub(crate) fn decode_html(bytes: &[u8]) -> Decoded {
    if Encoding::for_bom(bytes).is_some() || std::str::from_utf8(bytes).is_ok() {
        return decode(bytes);
    }
    match declared_encoding(&bytes[..bytes.len().min(PRESCAN)]) {
        Some(encoding) if encoding != UTF_8 => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            Decoded {
                text: text.into_owned(),
                encoding: encoding.name(),
                replaced: had_errors.then_some((1, 0)),
            }
        }
        _ => decode(bytes),
    }
}

/// The encoding named by `<meta charset=...>` or `<meta http-equiv="Content-Type" content="...; charset=...">` in
/// `head`. UTF-16 labels are read as UTF-8, as the HTML standard prescribes: a page that could be prescanned as
/// ASCII is not UTF-16.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end = lower[tag_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |end| tag_start + end);
        let tag = &lower[tag_start..tag_end];
        if let Some(label) = charset_label(tag)
            && let Some(encoding) = Encoding::for_label(label)
        {
            return Some(encoding.output_encoding());
        }
        from = tag_end;
    }
    None
}

/// The label after `charset=` in one lower-cased meta tag, without quotes.
fn charset_label(tag: &[u8]) -> Option<&[u8]> {
    let at = find(tag, b"charset")?;
    let rest = &tag[at + b"charset".len()..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    (end > 0).then_some(&rest[..end])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(head: &str, expect: Option<&str>) {
        assert_eq!(
            declared_encoding(head.as_bytes()).map(Encoding::name),
            expect,
            "{head}"
        );
    }

    #[test]
    fn finds_the_declared_charset() {
        check(r#"<meta charset="koi8-r">"#, Some("KOI8-R"));
        check(r#"<META CHARSET=windows-1251>"#, Some("windows-1251"));
        check(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">"#,
            Some("windows-1252"),
        );
        check(r#"<meta charset="utf-16le">"#, Some("UTF-8"));
        check(r#"<meta name="description" content="charset talk">"#, None);
        check(r#"<meta charset="no-such-thing">"#, None);
    }

    #[test]
    fn decodes_a_page_by_its_meta_charset() {
        // "Привет" in KOI8-R, which no UTF-8 reading would make sense of.
        let mut page = b"<html><head><meta charset=\"koi8-r\"></head><body><p>".to_vec();
        page.extend_from_slice(&[0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]);
        page.extend_from_slice(b"</p></body></html>");
        let decoded = decode_html(&page);
        assert_eq!(decoded.encoding, "KOI8-R");
        assert!(decoded.text.contains("Привет"), "{}", decoded.text);
    }
}
