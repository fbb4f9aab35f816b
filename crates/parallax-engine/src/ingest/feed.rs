//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item an article.
//!
//! Read with quick-xml's event reader rather than a whole-feed parser, because a feed in the wild often has one bad
//! item among good ones: a stray `&`, a tag closed in the wrong place. Such an item is rejected with its record
//! number and the reader picks up again at the next item, so the good ones are still stored. Elements are matched by
//! local name (`content:encoded` is `encoded`, `dc:date` is `date`) so the usual namespace prefixes need no
//! namespace resolution, and extension elements (`media:content`, `itunes:summary`) are passed over by prefix.

use std::borrow::Cow;

use parallax_model::{Article, FieldSource, Place};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::{
    Item, decode_declared, html_fragment_to_text, parse_date, read_text_markers, record_item,
    reject,
};

/// Reads every item of a feed.
pub(crate) fn read_feed(path: &str, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    let decoded = decode_declared(bytes, declared_encoding(bytes).as_deref());
    let xml = decoded.as_str();
    let mut feed = FeedReader {
        path,
        sink,
        stack: Vec::new(),
        feed_title: None,
        title_capture: None,
        item: None,
        records: 0,
    };
    let mut from = 0;
    while let Some(next) = feed.read_from(xml, from) {
        from = next;
    }
    if feed.records == 0 {
        (feed.sink)(reject(path, Place::File, "a feed without items"));
    }
}

/// What a feed reader knows as it walks the events.
struct FeedReader<'a, 's> {
    path: &'a str,
    sink: &'s mut dyn FnMut(Item),
    /// The local names of the open elements.
    stack: Vec<String>,
    /// The feed's (channel's) own title: the outlet.
    feed_title: Option<String>,
    /// The feed title being read, with the depth of its element.
    title_capture: Option<(usize, String)>,
    /// The item being read.
    item: Option<ItemState>,
    /// Items seen so far, good or bad: the record number of the current one.
    records: u64,
}

/// The fields of an item that Parallax reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Guid,
    Published,
    Updated,
    Author,
    AuthorName,
    Content,
    Summary,
}

/// One item (or entry) being read.
struct ItemState {
    record: u64,
    /// The depth of the item element in the stack.
    depth: usize,
    /// The item's element name, to close it even when its children are broken.
    name: String,
    /// Atom entry rather than RSS item: content without a type is plain text then.
    atom: bool,
    /// Why this item cannot be stored, once something in it is found broken.
    broken: Option<String>,
    capture: Option<Capture>,
    title: Option<String>,
    link: Option<String>,
    guid: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    author: Option<String>,
    content: Option<String>,
    summary: Option<String>,
}

/// A field being read: its element's depth, whether it holds HTML, and where its raw content starts.
struct Capture {
    field: Field,
    depth: usize,
    html: bool,
    /// Byte offset of the element's content in the feed text (after the start tag).
    start: usize,
    /// Whether child elements were found (XHTML content, or HTML left unescaped).
    has_children: bool,
    text: String,
}

/// Element prefixes whose elements Parallax reads; any other prefix marks an extension element to pass over.
const KNOWN_PREFIXES: [&str; 7] = ["content", "dc", "dcterms", "atom", "a", "rss", "rdf"];

impl FeedReader<'_, '_> {
    /// Reads `xml` from byte `from` until the end (`None`) or until a syntax error, after which it returns the
    /// offset of the next item to resume at.
    fn read_from(&mut self, xml: &str, from: usize) -> Option<usize> {
        let mut reader = Reader::from_str(&xml[from..]);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        loop {
            let before = from + reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = from + reader.error_position() as usize;
                    let reason = format!("malformed XML at byte {at}: {e}");
                    self.break_off(reason, at);
                    return next_item_start(xml, at + 1).inspect(|_| self.resume());
                }
            };
            let after = from + reader.buffer_position() as usize;
            match event {
                Event::Start(e) => self.start(&e, after, false),
                Event::Empty(e) => self.start(&e, after, true),
                Event::End(e) => self.end(e.name().local_name().into_inner(), xml, before),
                Event::Text(e) => self.text(&e.xml10_content()),
                Event::CData(e) => self.text(&e.xml10_content()),
                Event::GeneralRef(e) => self.text(&resolve_reference(&e)),
                Event::Eof => {
                    if self.item.is_some() {
                        self.break_off("the feed ends inside this item".into(), xml.len());
                    }
                    return None;
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    /// After a syntax error: rejects the item it broke, or the feed around it.
    fn break_off(&mut self, reason: String, at: usize) {
        match self.item.take() {
            Some(item) => (self.sink)(reject(self.path, Place::Record(item.record), reason)),
            None => (self.sink)(reject(self.path, Place::Offset(at as u64), reason)),
        }
        self.title_capture = None;
    }

    /// Before resuming at an item: the elements that were open inside the broken one are closed.
    fn resume(&mut self) {
        let depth = self
            .stack
            .iter()
            .position(|name| name == "item" || name == "entry")
            .unwrap_or(self.stack.len());
        self.stack.truncate(depth);
    }

    fn start(&mut self, e: &BytesStart<'_>, content_start: usize, empty: bool) {
        let qname = e.name();
        let (local, prefix) = qname.decompose();
        let local = local.into_inner().to_ascii_lowercase();
        let extension = prefix.is_some_and(|p| !KNOWN_PREFIXES.contains(&p.into_inner()));
        let depth = self.stack.len();
        let valid = qname
            .into_inner()
            .starts_with(|c: char| c.is_alphabetic() || c == '_');
        if !valid && let Some(item) = &mut self.item {
            item.broken.get_or_insert_with(|| {
                format!(
                    "malformed XML: <{}> is not a valid element name",
                    qname.into_inner()
                )
            });
        }
        if !extension && (local == "item" || local == "entry") {
            if let Some(mut open) = self.item.take() {
                open.broken.get_or_insert_with(|| {
                    format!("<{}> is not closed before the next one", open.name)
                });
                self.finish(open);
            }
            self.records += 1;
            self.item = Some(ItemState::new(self.records, depth, &local));
        } else if let Some(item) = &mut self.item {
            if let Some(capture) = &mut item.capture {
                capture.has_children = true;
                if capture.field == Field::Author && local == "name" && !empty {
                    // Atom's <author><name>: the name is the byline, not the e-mail beside it.
                    item.capture =
                        Some(Capture::new(Field::AuthorName, depth, false, content_start));
                }
            } else if depth == item.depth + 1 && !extension {
                item.start_field(&local, e, depth, content_start, empty);
            }
        } else if local == "title"
            && !extension
            && self.feed_title.is_none()
            && self
                .stack
                .last()
                .is_some_and(|parent| parent == "channel" || parent == "feed")
            && !empty
        {
            self.title_capture = Some((depth, String::new()));
        }
        if !empty {
            self.stack.push(local);
        }
    }

    fn end(&mut self, name: &str, xml: &str, content_end: usize) {
        let local = name.to_ascii_lowercase();
        let Some(open) = self.stack.iter().rposition(|n| *n == local) else {
            if let Some(item) = &mut self.item {
                item.broken
                    .get_or_insert_with(|| format!("closing tag </{name}> without an opening one"));
            }
            return;
        };
        if open + 1 != self.stack.len()
            && let Some(item) = &mut self.item
            && open >= item.depth
        {
            let expected = self.stack.last().cloned().unwrap_or_default();
            item.broken.get_or_insert_with(|| {
                format!("mismatched tags: </{name}> where </{expected}> was expected")
            });
        }
        self.stack.truncate(open);
        let depth = open;
        if let Some((title_depth, title)) = &self.title_capture
            && *title_depth == depth
        {
            self.feed_title = Some(title.trim().to_owned()).filter(|t| !t.is_empty());
            self.title_capture = None;
        }
        let Some(item) = &mut self.item else {
            return;
        };
        if depth == item.depth {
            let item = self.item.take().expect("an item is open");
            return self.finish(item);
        }
        if let Some(capture) = &item.capture
            && depth <= capture.depth
        {
            let capture = item.capture.take().expect("a capture is open");
            item.end_field(capture, xml, content_end);
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(item) = &mut self.item {
            if let Some(capture) = &mut item.capture {
                capture.text.push_str(text);
            }
        } else if let Some((_, title)) = &mut self.title_capture {
            title.push_str(text);
        }
    }

    /// Hands on a closed item: an article, or a reject saying what was wrong with it.
    fn finish(&mut self, item: ItemState) {
        let place = Place::Record(item.record);
        let result = match item.broken {
            Some(reason) => Err(reason),
            None => item_to_article(item, self.feed_title.as_deref()),
        };
        (self.sink)(record_item(self.path, place, result));
    }
}

impl ItemState {
    fn new(record: u64, depth: usize, name: &str) -> ItemState {
        ItemState {
            record,
            depth,
            name: name.to_owned(),
            atom: name == "entry",
            broken: None,
            capture: None,
            title: None,
            link: None,
            guid: None,
            published: None,
            updated: None,
            author: None,
            content: None,
            summary: None,
        }
    }

    /// A direct child of the item opens: starts reading it if it is a field Parallax uses.
    fn start_field(
        &mut self,
        local: &str,
        e: &BytesStart<'_>,
        depth: usize,
        content_start: usize,
        empty: bool,
    ) {
        let content_type = attribute(e, "type").map(|t| t.to_ascii_lowercase());
        let field = match local {
            "title" => Field::Title,
            "link" => {
                // Atom: <link rel="alternate" href="..."/>; RSS: <link>url</link>.
                if let Some(href) = attribute(e, "href") {
                    let rel = attribute(e, "rel");
                    if self.link.is_none() && rel.as_deref().is_none_or(|r| r == "alternate") {
                        self.link = Some(href.trim().to_owned());
                    }
                    return;
                }
                Field::Link
            }
            "guid" | "id" => Field::Guid,
            "pubdate" | "published" | "date" | "issued" | "created" => Field::Published,
            "updated" | "modified" => Field::Updated,
            "author" | "creator" => Field::Author,
            "encoded" => Field::Content,
            "content" => Field::Content,
            "description" | "summary" => Field::Summary,
            _ => return,
        };
        if empty {
            return;
        }
        let html = match (field, self.atom) {
            (Field::Content | Field::Summary, true) => {
                matches!(
                    content_type.as_deref(),
                    Some("html" | "xhtml" | "text/html")
                )
            }
            (Field::Content | Field::Summary, false) => true,
            _ => false,
        };
        self.capture = Some(Capture::new(field, depth, html, content_start));
    }

    /// A field's element closed: keeps its value (the first of each field counts).
    fn end_field(&mut self, capture: Capture, xml: &str, content_end: usize) {
        let value = if capture.has_children && capture.field != Field::AuthorName {
            // Markup as elements (Atom XHTML, or HTML a feed forgot to escape): read it as HTML.
            let raw = xml.get(capture.start..content_end).unwrap_or_default();
            html_fragment_to_text(raw)
        } else if capture.html {
            html_fragment_to_text(&capture.text)
        } else {
            capture.text
        };
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let slot = match capture.field {
            Field::Title => &mut self.title,
            Field::Link => &mut self.link,
            Field::Guid => &mut self.guid,
            Field::Published => &mut self.published,
            Field::Updated => &mut self.updated,
            Field::Author | Field::AuthorName => &mut self.author,
            Field::Content => &mut self.content,
            Field::Summary => &mut self.summary,
        };
        if slot.is_none() {
            *slot = Some(value.to_owned());
        }
    }
}

impl Capture {
    fn new(field: Field, depth: usize, html: bool, start: usize) -> Capture {
        Capture {
            field,
            depth,
            html,
            start,
            has_children: false,
            text: String::new(),
        }
    }
}

/// Turns a well-formed item into an article: full content where the feed has it, else the summary.
fn item_to_article(item: ItemState, feed_title: Option<&str>) -> Result<Article, String> {
    let Some(text) = item.content.or(item.summary) else {
        return Err("no text: the item has neither content nor a description".into());
    };
    let mut article = Article::new(String::new(), text);
    let mut found = Vec::new();
    if let Some(title) = item.title {
        article.title = if title.contains('<') {
            html_fragment_to_text(&title)
        } else {
            title
        };
        found.push("title");
    }
    let url = item.link.or(item
        .guid
        .filter(|g| g.starts_with("http://") || g.starts_with("https://")));
    if let Some(url) = url {
        article.url = Some(url);
        found.push("url");
    }
    for raw in [item.published, item.updated].into_iter().flatten() {
        match parse_date(&raw) {
            Some(date) => {
                article.date = Some(date);
                found.push("date");
                break;
            }
            None => {
                article
                    .attributes
                    .entry("date".into())
                    .or_insert(raw.into());
            }
        }
    }
    if article.date.is_some() {
        article.attributes.remove("date");
    }
    if let Some(author) = item.author {
        article.byline = Some(byline(&author));
        found.push("byline");
    }
    if let Some(title) = feed_title {
        article.source = Some(title.to_owned());
        found.push("source");
    }
    for field in found {
        article.provenance.insert(field.into(), FieldSource::Markup);
    }
    Ok(read_text_markers(article))
}

/// RSS gives the author as an e-mail address, often with the name in parentheses: `jo@example.org (Jo Smith)`.
fn byline(author: &str) -> String {
    if let Some((_, rest)) = author.split_once('(')
        && let Some(name) = rest.strip_suffix(')')
        && author.contains('@')
    {
        return name.trim().to_owned();
    }
    author.trim().to_owned()
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = e.try_get_attribute(name).ok()??;
    Some(
        attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()?
            .into_owned(),
    )
}

/// The text an entity or character reference stands for. HTML's named entities, which feeds use though XML does
/// not define them, are kept as written for the HTML conversion, except the few common in titles.
fn resolve_reference(e: &BytesRef<'_>) -> Cow<'static, str> {
    if let Ok(Some(c)) = e.resolve_char_ref() {
        return Cow::Owned(c.to_string());
    }
    let name: &str = e;
    Cow::Borrowed(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "mdash" => "\u{2014}",
        "ndash" => "\u{2013}",
        "hellip" => "\u{2026}",
        "lsquo" => "\u{2018}",
        "rsquo" => "\u{2019}",
        "ldquo" => "\u{201c}",
        "rdquo" => "\u{201d}",
        _ => return Cow::Owned(format!("&{name};")),
    })
}

/// The `encoding` of an XML declaration (`<?xml version="1.0" encoding="windows-1251"?>`) at the start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let declaration = head.trim_start_matches('\u{feff}').trim_start();
    let declaration = &declaration[..declaration.strip_prefix("<?xml")?.find("?>")? + 5];
    let at = declaration.find("encoding")?;
    let rest = declaration[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// The offset of the next `<item` or `<entry` start tag (any prefix) at or after `from`.
fn next_item_start(xml: &str, from: usize) -> Option<usize> {
    let bytes = xml.as_bytes();
    let mut at = from;
    while let Some(i) = bytes.get(at..)?.iter().position(|&b| b == b'<') {
        let open = at + i;
        let name_len = bytes[open + 1..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.')))
            .unwrap_or(bytes.len() - open - 1);
        let name = &xml[open + 1..open + 1 + name_len];
        let local = name.rsplit(':').next().unwrap_or(name);
        if local.eq_ignore_ascii_case("item") || local.eq_ignore_ascii_case("entry") {
            return Some(open);
        }
        at = open + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_next_item_whatever_its_prefix() {
        let xml = "<channel><items/><rss:item>a</rss:item><entry>";
        assert_eq!(next_item_start(xml, 0), Some(17));
        assert_eq!(next_item_start(xml, 18), Some(39));
        assert_eq!(next_item_start(xml, 40), None);
        assert_eq!(next_item_start("<", 0), None);
    }

    #[test]
    fn reads_the_declared_encoding() {
        let check = |head: &str, expect: Option<&str>| {
            assert_eq!(
                declared_encoding(head.as_bytes()).as_deref(),
                expect,
                "{head}"
            )
        };
        check(
            "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss>",
            Some("windows-1251"),
        );
        check(
            "  <?xml version='1.0' encoding = 'KOI8-R' ?>",
            Some("KOI8-R"),
        );
        check("<?xml version=\"1.0\"?><rss encoding=\"x\">", None);
        check("<rss>", None);
    }

    #[test]
    fn takes_the_name_out_of_an_rss_author() {
        assert_eq!(byline("desk@varn.example (Ida Kell)"), "Ida Kell");
        assert_eq!(byline("Ida Kell (Varnholm)"), "Ida Kell (Varnholm)");
        assert_eq!(byline("  Tom Arn "), "Tom Arn");
    }
}
