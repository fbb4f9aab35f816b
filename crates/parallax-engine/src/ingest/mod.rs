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
mod pipeline;
mod text;
mod walk;
mod warc;

use std::io::{self, BufRead, Read};

use parallax_model::{Article, Origin, Place, Reject};

pub use complete::complete_article;
pub use dates::parse_date;
pub use decode::{Decoded, decode};
pub use html::{HtmlPage, extract_html, html_fragment_to_text};
pub use pipeline::{PipelineConfig, ingest_in_parallel};
pub use walk::{InputFile, discover_inputs, read_file, read_stream};

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
    /// An RSS 2.0 or Atom feed.
    Feed,
    /// A WARC archive.
    Warc,
}

/// Tells the format of an input from its first bytes (after decompression).
pub fn sniff(head: &[u8]) -> Format {
    let trimmed = trim_start(head);
    if trimmed.starts_with(b"WARC/") {
        return Format::Warc;
    }
    if trimmed.starts_with(b"[") {
        return Format::Json;
    }
    if trimmed.starts_with(b"{") {
        // One object spanning the file, or one per line: a JSON Lines file has a newline right after its first
        // complete object. The reader settles the ambiguous case; lines are the common one.
        return Format::JsonLines;
    }
    let lower: Vec<u8> = trimmed
        .iter()
        .take(2048)
        .map(u8::to_ascii_lowercase)
        .collect();
    let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
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
/// `path` is the name reported in origins and rejects. Streaming formats (JSON Lines, WARC) are read record by
/// record so a file larger than memory can be ingested; the others are read whole. To read a file or a stream that
/// may be gzipped, use [`read_file`] or [`read_stream`].
pub fn read_input(path: &str, input: &mut dyn BufRead, sink: &mut dyn FnMut(Item)) {
    read_input_uncompleted(path, input, &mut |item| sink(completed(item)))
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
    emit: &mut dyn FnMut(Item),
) {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    if let Err(e) = walk::read_up_to(input, &mut head, SNIFF_LEN) {
        return emit(reject(path, Place::File, format!("cannot read: {e}")));
    }
    let format = sniff(&head);
    let mut input = io::Cursor::new(head).chain(input);
    match format {
        Format::JsonLines => json::read_json_lines(path, &mut input, emit),
        Format::Warc => warc::read_warc(path, &mut input, emit),
        format => {
            let mut bytes = Vec::new();
            let failed = input.read_to_end(&mut bytes).err();
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

fn read_whole(path: &str, format: Format, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    match format {
        Format::Json => json::read_json(path, bytes, sink),
        Format::Feed => feed::read_feed(path, bytes, sink),
        Format::Html => html::read_html_file(path, bytes, sink),
        _ => text::read_text_file(path, bytes, sink),
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
    }
}
