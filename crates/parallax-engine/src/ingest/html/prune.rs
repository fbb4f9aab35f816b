//! Removing what no reader sees before the page is parsed: scripts, styles, comments, inline SVG.
//!
//! These make up about half the bytes of a news page and nearly nothing of its text, and the extractor spends its
//! time in proportion to what it parses and walks. JSON-LD scripts are kept: the metadata reader needs them.

/// Elements dropped whole, with their content, unless [`keeps_script`] spares them.
const DROPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"svg",
    b"noscript",
    b"template",
    b"iframe",
    b"nav",
    b"footer",
    b"select",
];

/// The page without comments and without the elements in [`DROPPED`], cut on the raw text so the parser never sees
/// them. A tag left open (a truncated page) keeps everything after it, so nothing is lost silently.
pub(crate) fn prune_invisible(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        let open = at + found;
        let rest = &bytes[open + 1..];
        if rest.starts_with(b"!--") {
            let Some(end) = find(&bytes[open + 4..], b"-->") else {
                break;
            };
            out.push_str(&html[copied..open]);
            copied = open + 4 + end + 3;
            at = copied;
            continue;
        }
        let Some(name) = DROPPED.iter().find(|name| starts_with_tag(rest, name)) else {
            at = open + 1;
            continue;
        };
        let Some(tag_end) = memchr(b'>', rest).map(|i| open + 1 + i) else {
            break;
        };
        if *name == b"script" && keeps_script(&bytes[open..tag_end]) {
            at = tag_end;
            continue;
        }
        let Some(close) = find_close_tag(&bytes[tag_end..], name).map(|i| tag_end + i) else {
            break;
        };
        out.push_str(&html[copied..open]);
        // Keep a space where the element was, so the words on either side stay apart.
        out.push(' ');
        copied = close;
        at = close;
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether a `<script ...>` start tag is JSON-LD, which carries the page's metadata.
fn keeps_script(tag: &[u8]) -> bool {
    find(&tag.to_ascii_lowercase(), b"ld+json").is_some()
}

/// Whether `rest` (the bytes after `<`) opens the element `name`: the name, case-insensitively, then a delimiter.
fn starts_with_tag(rest: &[u8], name: &[u8]) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name)
        && matches!(rest[name.len()], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
}

/// The offset just past `</name>` in `bytes`, case-insensitively.
fn find_close_tag(bytes: &[u8], name: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        let open = at + found;
        let rest = &bytes[open + 1..];
        if rest.first() == Some(&b'/') && starts_with_tag(&rest[1..], name) {
            return memchr(b'>', rest).map(|end| open + 1 + end + 1);
        }
        at = open + 1;
    }
    None
}

/// The deepest nesting of tags [`bound_nesting`] lets through to the parser. Real pages nest a few dozen levels;
/// the parser checks the stack of open elements at each tag, so its cost is the page's size times this depth.
pub(crate) const MAX_RAW_DEPTH: usize = 512;

/// Elements that never hold content, and elements that the next sibling closes: neither can deepen the tree on
/// its own, so neither is counted (a page of a thousand unclosed `<p>` is not deep).
const UNCOUNTED: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"td",
    b"th",
    b"tr",
    b"dt",
    b"dd",
    b"option",
    b"!doctype",
];

/// The page with every tag nested deeper than [`MAX_RAW_DEPTH`] removed (its text kept, a space in place of the
/// tag), so that a crafted page of thousands of nested elements costs the parser time linear in its size and
/// cannot overflow any recursive walk after it. Depth is counted on the raw tags, a bound the parsed tree never
/// exceeds by much; pages within it come back unchanged and uncopied.
pub(crate) fn bound_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        let open = at + found;
        let rest = &bytes[open + 1..];
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!')
            .count();
        if name_len == 0 {
            at = open + 1;
            continue;
        }
        let Some(end) = memchr(b'>', rest).map(|i| open + 1 + i + 1) else {
            break;
        };
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        let counted = !UNCOUNTED.contains(&name.as_slice()) && bytes[end - 2] != b'/';
        // An opening tag at the limit, and the closing tag of an element past it, are dropped.
        let deep = counted
            && if closing {
                depth > MAX_RAW_DEPTH
            } else {
                depth >= MAX_RAW_DEPTH
            };
        if counted {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
            }
        }
        if deep {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..open]);
            out.push(' ');
            copied = end;
        }
        at = end;
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expect: &str) {
        assert_eq!(prune_invisible(html), expect, "{html}");
    }

    #[test]
    fn drops_scripts_styles_and_comments() {
        check(
            "<p>a<script>if (x < 1) {}</script>b</p><!-- note --><STYLE type=x>p{}</Style><p>c</p>",
            "<p>a b</p> <p>c</p>",
        );
        check("<svg><path d='M0'/></svg><p>d</p>", " <p>d</p>");
    }

    #[test]
    fn keeps_json_ld_and_look_alikes() {
        let json_ld = r#"<script type="application/ld+json">{"headline": "x"}</script>"#;
        check(json_ld, json_ld);
        check("<scripture>text</scripture>", "<scripture>text</scripture>");
    }

    #[test]
    fn bounds_nesting_and_keeps_the_text() {
        let deep = format!("{}words{}", "<div>".repeat(2_000), "</div>".repeat(2_000));
        let bounded = bound_nesting(&deep);
        assert_eq!(bounded.matches("<div>").count(), MAX_RAW_DEPTH);
        assert_eq!(bounded.matches("</div>").count(), MAX_RAW_DEPTH);
        assert!(bounded.contains("words"));
        let paragraphs = "<p>one".repeat(5_000);
        assert!(matches!(
            bound_nesting(&paragraphs),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn keeps_everything_after_an_unclosed_element() {
        check(
            "<p>a</p><script>never closed <p>b</p>",
            "<p>a</p><script>never closed <p>b</p>",
        );
        check("<p>a</p><!-- never closed", "<p>a</p><!-- never closed");
    }
}
