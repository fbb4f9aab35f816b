//! Readers for every input format, chosen by content rather than by file name.
//!
//! Every input ends as [`Item`]s handed to a sink: an [`Article`] (already completed by [`complete_article`]) or a
//! [`Reject`] that names the file, the place in it and the reason. Nothing is dropped silently: a reader that
//! cannot use part of its input says so with a reject and goes on with the rest.

mod complete;
mod dates;
mod decode;
mod feed;
mod html;
mod json;
mod limits;
mod pipeline;
mod text;
mod walk;
mod warc;

use std::io::{self, BufRead, Read};

use parallax_model::{Article, FieldSource, Origin, Place, Reject};

pub use complete::complete_article;
pub use dates::parse_date;
pub use decode::{Decoded, decode};
pub(crate) use html::decode_html;
pub use html::{HtmlPage, PageEvidence, extract_html, html_fragment_to_text};
pub use limits::{DEFAULT_MAX_INPUT_BYTES, ReadLimits};
pub use pipeline::{PipelineConfig, ingest_in_parallel};
pub use walk::{
    InputFile, discover_inputs, display_path, read_file, read_file_within, read_stream,
    read_stream_within,
};

/// What a reader hands on.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// An article, completed and ready to store.
    Article(Box<Article>),
    /// An input or part of one that will not be stored, and why.
    Reject(Reject),
}

/// The formats Parallax reads, told apart by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Plain text with optional header lines.
    Text,
    /// One JSON object or an array of them.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// An HTML page.
    Html,
    /// An RSS 2.0, RSS 1.0 (RDF) or Atom feed.
    Feed,
    /// A WARC archive.
    Warc,
}

/// Tells the format of an input from its first bytes (after decompression).
///
/// JSON is recognised by its opening as well as its first byte (`[` then `{`, `{` then `"`), so a text article that
/// happens to start with a bracket ("\[Updated\] ...") still goes to the text reader.
pub fn sniff(head: &[u8]) -> Format {
    let trimmed = trim_start(head);
    if trimmed.starts_with(b"WARC/") {
        return Format::Warc;
    }
    let after = |open: u8| {
        trimmed
            .strip_prefix(&[open])
            .map(trim_start)
            .and_then(|rest| rest.first().copied())
    };
    match after(b'[') {
        Some(b'{' | b']') => return Format::Json,
        None if trimmed.starts_with(b"[") => return Format::Json,
        _ => {}
    }
    match after(b'{') {
        // One object spanning the file, or one per line: the reader settles which; lines are the common case.
        Some(b'"' | b'}') => return Format::JsonLines,
        None if trimmed.starts_with(b"{") => return Format::JsonLines,
        _ => {}
    }
    let lower: Vec<u8> = trimmed
        .iter()
        .take(SNIFF_LEN)
        .map(u8::to_ascii_lowercase)
        .collect();
    let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return Format::Html;
    }
    if contains(b"<rss") || contains(b"<feed") || contains(b"<rdf:rdf") {
        return Format::Feed;
    }
    if trimmed.starts_with(b"<")
        && (contains(b"<html") || contains(b"<!doctype html") || contains(b"<body"))
    {
        return Format::Html;
    }
    Format::Text
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// How many bytes [`read_input`] looks at to tell the format.
const SNIFF_LEN: usize = 4096;

/// Reads one input (already decompressed) and hands every article and reject to `sink`.
///
/// `path` is the name reported in origins and rejects. Streaming formats (JSON Lines, JSON, WARC) are read record by
/// record so a file larger than memory can be ingested; the others are read whole. To read a file or a stream that
/// may be gzipped, use [`read_file`] or [`read_stream`].
pub fn read_input(path: &str, input: &mut dyn BufRead, sink: &mut dyn FnMut(Item)) {
    read_input_uncompleted(path, input, &ReadLimits::default(), &mut |item| {
        sink(completed(item))
    })
}

/// Passes an article through [`complete_article`]; rejects pass as they are.
pub(crate) fn completed(item: Item) -> Item {
    match item {
        Item::Article(article) => Item::Article(Box::new(complete_article(*article))),
        reject @ Item::Reject(_) => reject,
    }
}

/// Reads like [`read_input`] but hands articles on as their reader left them, for a caller that completes them
/// itself: the parallel pipeline reads on one thread and completes on the others.
pub(crate) fn read_input_uncompleted(
    path: &str,
    input: &mut dyn BufRead,
    limits: &ReadLimits,
    emit: &mut dyn FnMut(Item),
) {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    if let Err(e) = walk::read_up_to(input, &mut head, SNIFF_LEN) {
        return emit(reject(path, Place::File, format!("cannot read: {e}")));
    }
    let format = sniff_named(path, &head);
    // Binary content is told from its first bytes: reading on (a gigabyte of zeros from a small .gz) would only
    // spend memory on an input that is rejected anyway.
    if format == Format::Text
        && let Some(kind) = decode::binary_kind(&head)
    {
        return emit(reject(
            path,
            Place::File,
            format!("binary content ({kind})"),
        ));
    }
    let mut input = io::Cursor::new(head).chain(input);
    match format {
        Format::JsonLines => json::read_json_lines(path, &mut input, limits, emit),
        Format::Json => json::read_json(path, &mut input, limits, emit),
        Format::Warc => warc::read_warc(path, &mut input, limits.max_input_bytes, emit),
        format => {
            let mut bytes = Vec::new();
            let failed = (&mut input)
                .take(limits.max_input_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
                .err();
            if bytes.len() as u64 > limits.max_input_bytes {
                return emit(reject(path, Place::File, limits.too_large("the input")));
            }
            read_whole(path, format, &bytes, emit);
            if let Some(e) = failed {
                emit(reject(
                    path,
                    Place::Offset(bytes.len() as u64),
                    format!("cannot read past byte {}: {e}", bytes.len()),
                ));
            }
        }
    }
}

/// Tells the format like [`sniff`], taking a JSON file's name as a hint: a `.json` or `.jsonl` file that opens with
/// a bracket or a brace is read as JSON (and rejected with its parse error if it is not), never as a text article
/// titled `[[[[...`.
fn sniff_named(path: &str, head: &[u8]) -> Format {
    let format = sniff(head);
    if format != Format::Text {
        return format;
    }
    let name = path
        .strip_suffix(".gz")
        .unwrap_or(path)
        .to_ascii_lowercase();
    match trim_start(head).first() {
        Some(b'[') if name.ends_with(".json") => Format::Json,
        Some(b'{') if name.ends_with(".json") => Format::Json,
        Some(b'[' | b'{') if name.ends_with(".jsonl") || name.ends_with(".ndjson") => {
            Format::JsonLines
        }
        _ => format,
    }
}

fn read_whole(path: &str, format: Format, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    match format {
        Format::Feed => feed::read_feed(path, bytes, sink),
        Format::Html => html::read_html_file(path, bytes, sink),
        _ => text::read_text_file(path, bytes, sink),
    }
}

/// How far into a structured record's text [`read_text_markers`] looks: markers stand at the top, and a bounded
/// prefix keeps the reader's own thread cheap whatever the length of the text.
const MARKER_PREFIX: usize = 2048;

/// Reads the in-text markers of a structured record's body into the fields the record left empty, the way the text
/// reader reads a text file: a byline line ("By Jane Roe"), a date line, a dateline ("KORDAN -"), an agency
/// ("(MPA) -"). Lines read as markers leave the text, as they do for text files, and the fields they fill get
/// provenance `in-text`; what the record gave is never overridden. Sections are left to completion: subheadings in
/// a structured record's text are its own, not a sign of a second item.
///
/// The text is left as it is when the record's title differs from a headline the text parser found at the top:
/// that line is body then, not a repeated headline, and must not be dropped.
///
/// News sites often print a standfirst (a one-paragraph summary) above the body, so when the top of the text
/// holds no dateline, the paragraph after a short first paragraph is read the same way.
pub(crate) fn read_text_markers(article: Article) -> Article {
    let mut article = read_markers_at_top(article);
    if article.dateline.is_some() {
        return article;
    }
    // A standfirst, and perhaps an author's name on its own line under it.
    let mut split = 0;
    for _ in 0..2 {
        match article.text[split..]
            .find("\n\n")
            .filter(|&i| i <= MAX_STANDFIRST)
        {
            Some(i) => split += i + 2,
            None => break,
        }
        if starts_with_dateline(&article.text[split..]) {
            break;
        }
    }
    if split == 0 {
        return article;
    }
    let rest = article.text.split_off(split);
    let lead = std::mem::replace(&mut article.text, rest);
    let mut article = read_markers_at_top(article);
    article.text.insert_str(0, &lead);
    article
}

/// Whether a paragraph opens with what the text reader takes for a dateline or an agency marker.
fn starts_with_dateline(paragraph: &str) -> bool {
    let mut end = paragraph
        .find("\n\n")
        .unwrap_or(paragraph.len())
        .min(MARKER_PREFIX);
    while !paragraph.is_char_boundary(end) {
        end -= 1;
    }
    let (parsed, _) = text::parse_text_markers(&paragraph[..end]);
    parsed.dateline.is_some() || parsed.source.is_some()
}

/// The longest first paragraph taken for a standfirst above the dateline paragraph.
const MAX_STANDFIRST: usize = 600;

fn read_markers_at_top(mut article: Article) -> Article {
    let text = &article.text;
    let cut = if text.len() <= MARKER_PREFIX {
        text.len()
    } else {
        // A newline byte is always a character boundary, wherever the 2 KB mark falls.
        text.as_bytes()[MARKER_PREFIX..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| MARKER_PREFIX + i)
    };
    // Only the markers matter here: the record's title and sections are its own.
    let (parsed, _) = text::parse_text_markers(&text[..cut]);
    if parsed.text.trim().is_empty() {
        return article;
    }
    let headline = parsed.provenance.get("title") == Some(&FieldSource::Header);
    if headline
        && !article.title.trim().is_empty()
        && crate::text::normalise_line(&parsed.title) != crate::text::normalise_line(&article.title)
    {
        return article;
    }
    let found = |field: &str| parsed.provenance.get(field).copied();
    let mut fill = |field: &str, have: &mut Option<String>, value: Option<String>| {
        if have.is_none()
            && let Some(value) = value
            && let Some(how) = found(field)
        {
            *have = Some(value);
            article.provenance.insert(field.into(), how);
        }
    };
    fill("byline", &mut article.byline, parsed.byline);
    fill("dateline", &mut article.dateline, parsed.dateline);
    fill("source", &mut article.source, parsed.source);
    if article.date.is_none()
        && let Some(date) = parsed.date
        && let Some(how) = found("date")
    {
        article.date = Some(date);
        article.provenance.insert("date".into(), how);
    }
    if article.title.trim().is_empty() && headline {
        article.title = parsed.title;
        article
            .provenance
            .insert("title".into(), FieldSource::Header);
    }
    for (key, value) in parsed.attributes {
        article.attributes.entry(key).or_insert(value);
    }
    let mut body = String::with_capacity(parsed.text.len() + article.text.len() - cut);
    body.push_str(&parsed.text);
    body.push_str(&article.text[cut..]);
    article.text = body;
    article.sections.clear();
    article
}

/// Decodes bytes whose encoding the container declares (an HTTP `charset`, an XML declaration's `encoding`).
///
/// A byte-order mark or valid UTF-8 wins over the declaration, which is often stale; otherwise a declared encoding
/// that encoding_rs knows is followed, and without one [`decode`] detects the encoding from the bytes.
pub(crate) fn decode_declared(bytes: &[u8], declared: Option<&str>) -> String {
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    if !has_bom
        && std::str::from_utf8(bytes).is_err()
        && let Some(encoding) =
            declared.and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        && encoding != encoding_rs::UTF_8
    {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    decode(bytes).text
}

/// A reader's verdict on one record as an item: the article with its origin set, or a reject saying why not.
pub(crate) fn record_item(path: &str, place: Place, verdict: Result<Article, String>) -> Item {
    match verdict {
        Ok(mut article) => {
            article.origin = Origin {
                path: path.to_owned(),
                place,
            };
            Item::Article(Box::new(article))
        }
        Err(reason) => reject(path, place, reason),
    }
}

/// A reject item for `path` at `place`.
pub(crate) fn reject(path: &str, place: Place, reason: impl Into<String>) -> Item {
    Item::Reject(Reject {
        origin: Origin {
            path: path.to_owned(),
            place,
        },
        reason: reason.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"WARC/1.0\r\n"), Format::Warc);
        assert_eq!(sniff(b"  [{\"title\": 1}]"), Format::Json);
        assert_eq!(sniff(b"{\"title\": 1}\n{}"), Format::JsonLines);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><rss version=\"2.0\">"),
            Format::Feed
        );
        assert_eq!(sniff(b"<!DOCTYPE html><html><body>"), Format::Html);
        assert_eq!(
            sniff(b"Tehran prioritizes ceasefire in Gaza\n\nOctober 27"),
            Format::Text
        );
        assert_eq!(sniff(b"[\n  {\"text\": \"x\"}]"), Format::Json);
        assert_eq!(sniff(b"[Updated] Talks resume"), Format::Text);
        assert_eq!(sniff(b"{Editor's note} Talks resume"), Format::Text);
        assert_eq!(sniff(b"\xEF\xBB\xBF{\"text\": 1}"), Format::JsonLines);
        assert_eq!(
            sniff(b"<!DOCTYPE html><html><body><p>Subscribe to our <feed> here"),
            Format::Html
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Format::Feed
        );
    }
}
