//! JSON and JSON Lines: Parallax's own record shape and news-please's field names.
//!
//! A record is read straight into the few fields Parallax interprets, without building a map of the whole object
//! first: a JSON Lines dump of a million articles is mostly article text, and each text is copied once, from the
//! input line into the article. Keys Parallax does not interpret are kept as attributes, so nothing is lost.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Read};

use parallax_model::{Article, FieldSource, Place, Section};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Item, ReadLimits, parse_date, read_text_markers, record_item, reject};

/// Reads one JSON object per line; a malformed line is rejected with its number and the rest go on.
///
/// A file that holds one pretty-printed object (its first line does not close it) is read as one document.
///
/// A line longer than the limit is skipped to its end, never held whole, and rejected with its number.
pub(crate) fn read_json_lines(
    path: &str,
    input: &mut dyn BufRead,
    limits: &ReadLimits,
    sink: &mut dyn FnMut(Item),
) {
    read_lines_from(path, input, 0, true, limits, sink);
}

fn read_lines_from(
    path: &str,
    input: &mut dyn BufRead,
    mut number: u64,
    mut may_be_document: bool,
    limits: &ReadLimits,
    sink: &mut dyn FnMut(Item),
) {
    let mut line = Vec::new();
    loop {
        line.clear();
        match read_line_within(input, &mut line, limits.max_input_bytes) {
            Ok(Line::End) => return,
            Ok(Line::Read) => {}
            Ok(Line::TooLong) => {
                number += 1;
                may_be_document = false;
                sink(reject(
                    path,
                    Place::Line(number),
                    limits.too_large("the line"),
                ));
                continue;
            }
            Err(e) => {
                return sink(reject(
                    path,
                    Place::Line(number + 1),
                    format!("cannot read: {e}"),
                ));
            }
        }
        number += 1;
        if number == 1 && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        if may_be_document && !is_blank(&line) {
            may_be_document = false;
            match serde_json::from_slice::<Element>(&line) {
                Err(e) if e.is_eof() => {
                    return read_document_or_lines(path, input, line, number, limits, sink);
                }
                parsed => sink(line_item(path, number, parsed)),
            }
        } else if let Some(item) = read_json_line(path, number, &line) {
            sink(item);
        }
    }
}

/// What [`read_line_within`] found.
enum Line {
    /// A line, in the buffer with its newline.
    Read,
    /// A line past the limit, skipped to its end; the buffer holds its start.
    TooLong,
    /// The end of the input.
    End,
}

/// Reads one line into `line` like `read_until`, but holds no more than `max` bytes of it: the rest of a longer line
/// is consumed and dropped, so one endless line (`/dev/zero`, a bomb) costs no more memory than the limit.
fn read_line_within(input: &mut dyn BufRead, line: &mut Vec<u8>, max: u64) -> io::Result<Line> {
    let mut seen = 0u64;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match seen {
                0 => Line::End,
                _ if seen > max => Line::TooLong,
                _ => Line::Read,
            });
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if seen + (take as u64) <= max {
            line.extend_from_slice(&available[..take]);
        }
        seen += take as u64;
        input.consume(take);
        if done {
            return Ok(if seen > max {
                Line::TooLong
            } else {
                Line::Read
            });
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Reads one line of a JSON Lines file (`number` counts from 1) as an article or a reject; `None` for a blank line.
///
/// This is the whole per-line work short of completion, so a parallel pipeline can split lines off a file and call
/// it from several threads.
pub(crate) fn read_json_line(path: &str, number: u64, line: &[u8]) -> Option<Item> {
    if is_blank(line) {
        return None;
    }
    Some(line_item(path, number, serde_json::from_slice(line)))
}

fn line_item(path: &str, number: u64, parsed: serde_json::Result<Element>) -> Item {
    let place = Place::Line(number);
    match parsed {
        Ok(Element::Object(record)) => article_item(path, place, *record),
        Ok(Element::Other(kind)) => reject(
            path,
            place,
            format!("not a JSON object but {kind}: each line must hold one article"),
        ),
        Err(e) => reject(
            path,
            place,
            format!(
                "malformed JSON at column {}: {}",
                e.column(),
                message_without_position(&e)
            ),
        ),
    }
}

/// The first line opened an object it did not close: the file is either one pretty-printed object, or JSON Lines
/// whose first line is broken. Reads the rest and tells which.
fn read_document_or_lines(
    path: &str,
    input: &mut dyn BufRead,
    mut bytes: Vec<u8>,
    first: u64,
    limits: &ReadLimits,
    sink: &mut dyn FnMut(Item),
) {
    let room = limits.max_input_bytes.saturating_sub(bytes.len() as u64);
    let failed = input
        .take(room.saturating_add(1))
        .read_to_end(&mut bytes)
        .err();
    if bytes.len() as u64 > limits.max_input_bytes {
        return sink(reject(
            path,
            Place::File,
            limits.too_large("the JSON document"),
        ));
    }
    if let Ok(element) = serde_json::from_slice::<Element>(&bytes) {
        sink(element_item(path, Place::File, element));
    } else {
        let mut rest = io::Cursor::new(bytes);
        read_lines_from(path, &mut rest, first - 1, false, limits, sink);
    }
    if let Some(e) = failed {
        sink(reject(path, Place::File, format!("cannot read: {e}")));
    }
}

/// Reads a file holding one JSON object or an array of them. Both are read as a stream: the elements of an array are
/// handed on as they are parsed, so a large array needs no more memory than one record, and a syntax error late in a
/// file still leaves every record before it stored.
///
/// The document, or each element of an array, may hold at most the limit's bytes: past it the reader stops with a
/// reject rather than build a record of unbounded size.
pub(crate) fn read_json(
    path: &str,
    input: &mut dyn BufRead,
    limits: &ReadLimits,
    sink: &mut dyn FnMut(Item),
) {
    let first = match first_significant_byte(input) {
        Ok(first) => first,
        Err(e) => return sink(reject(path, Place::File, format!("cannot read: {e}"))),
    };
    // serde_json reads a stream a byte at a time: a concrete buffered reader keeps each byte a copy, not a call
    // through the trait object.
    let since_record = Cell::new(0u64);
    let bounded = Bounded {
        input,
        since_record: &since_record,
        max: limits.max_input_bytes,
    };
    let input = io::BufReader::with_capacity(1 << 16, bounded);
    if first != Some(b'[') {
        return match serde_json::from_reader::<_, Element>(input) {
            Ok(element) => sink(element_item(path, Place::File, element)),
            Err(_) if since_record.get() > limits.max_input_bytes => sink(reject(
                path,
                Place::File,
                limits.too_large("the JSON document"),
            )),
            Err(e) => sink(reject(path, Place::File, format!("malformed JSON: {e}"))),
        };
    }
    let mut records = Records {
        path,
        sink,
        count: 0,
        since_record: &since_record,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = de.deserialize_seq(&mut records).and_then(|()| de.end());
    if let Err(e) = result {
        let count = records.count;
        let place = Place::Record(count + 1);
        let reason = if since_record.get() > limits.max_input_bytes {
            format!(
                "{}; the rest of the file is lost",
                limits.too_large(&format!("record {}", count + 1))
            )
        } else if e.is_eof() {
            format!("JSON array is cut off after {count} records: {e}")
        } else {
            format!("malformed JSON after {count} records, the rest of the file is lost: {e}")
        };
        (records.sink)(reject(path, place, reason));
    }
}

/// Skips a byte-order mark and whitespace, and returns the first byte after them without consuming it.
fn first_significant_byte(input: &mut dyn BufRead) -> io::Result<Option<u8>> {
    if input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(None);
        }
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let byte = buffer[i];
                input.consume(i);
                return Ok(Some(byte));
            }
            None => {
                let n = buffer.len();
                input.consume(n);
            }
        }
    }
}

/// Hands on each element of a JSON array as it is parsed.
struct Records<'a, 's> {
    path: &'a str,
    sink: &'s mut dyn FnMut(Item),
    count: u64,
    /// Bytes read since the last element ended, reset as each is handed on.
    since_record: &'a Cell<u64>,
}

/// A reader that fails once more than `max` bytes were read since `since_record` was last reset, so one JSON
/// record (or a whole document) can never grow past the limit in memory.
struct Bounded<'a, R> {
    input: R,
    since_record: &'a Cell<u64>,
    max: u64,
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.since_record.get() > self.max {
            return Err(io::Error::other("record past the size limit"));
        }
        let n = self.input.read(buf)?;
        self.since_record.set(self.since_record.get() + n as u64);
        Ok(n)
    }
}

impl<'de> Visitor<'de> for &mut Records<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of article objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(element) = seq.next_element::<Element>()? {
            self.count += 1;
            // What the buffer above has read ahead belongs to the next records; up to 64 KB of slack is fine.
            self.since_record.set(0);
            let item = element_item(self.path, Place::Record(self.count), element);
            (self.sink)(item);
        }
        Ok(())
    }
}

fn element_item(path: &str, place: Place, element: Element) -> Item {
    match element {
        Element::Object(record) => article_item(path, place, *record),
        Element::Other(kind) => reject(path, place, format!("not a JSON object but {kind}")),
    }
}

fn article_item(path: &str, place: Place, record: Record) -> Item {
    record_item(path, place, article_from_record(record))
}

/// serde_json's message without its " at line L column C" tail, for places Parallax reports itself.
fn message_without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&tail) {
        Some(stripped) => stripped.to_owned(),
        None => message,
    }
}

/// One element of a JSON input: an object to read as an article, or something else, named for the reject.
enum Element {
    Object(Box<Record>),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ElementVisitor)
    }
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Element;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
        let mut record = Record::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Known(field) => record.known[field as usize] = map.next_value()?,
                Key::Other(name) => {
                    let value: Value = map.next_value()?;
                    record.others.push((name, value));
                }
            }
        }
        Ok(Element::Object(Box::new(record)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Element::Other("an array"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Element, E> {
        Ok(Element::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Element, E> {
        Ok(Element::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Element, E> {
        Ok(Element::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Element, E> {
        Ok(Element::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Element, E> {
        Ok(Element::Other("a string"))
    }

    fn visit_unit<E>(self) -> Result<Element, E> {
        Ok(Element::Other("null"))
    }
}

/// The keys Parallax interprets: its own record's and news-please's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Title,
    Text,
    Date,
    Source,
    Url,
    Language,
    Dateline,
    Byline,
    Sections,
    Origin,
    Provenance,
    Attributes,
    Maintext,
    DatePublish,
    DateModify,
    DateDownload,
    SourceDomain,
    TitlePage,
    TitleRss,
    Authors,
    Author,
}

const FIELDS: usize = Field::Author as usize + 1;

impl Field {
    fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "id" => Field::Id,
            "title" => Field::Title,
            "text" => Field::Text,
            "date" => Field::Date,
            "source" => Field::Source,
            "url" => Field::Url,
            "language" => Field::Language,
            "dateline" => Field::Dateline,
            "byline" => Field::Byline,
            "sections" => Field::Sections,
            "origin" => Field::Origin,
            "provenance" => Field::Provenance,
            "attributes" => Field::Attributes,
            "maintext" => Field::Maintext,
            "date_publish" => Field::DatePublish,
            "date_modify" => Field::DateModify,
            "date_download" => Field::DateDownload,
            "source_domain" => Field::SourceDomain,
            "title_page" => Field::TitlePage,
            "title_rss" => Field::TitleRss,
            "authors" => Field::Authors,
            "author" => Field::Author,
            _ => return None,
        })
    }

    fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Text => "text",
            Field::Date => "date",
            Field::Source => "source",
            Field::Url => "url",
            Field::Language => "language",
            Field::Dateline => "dateline",
            Field::Byline => "byline",
            Field::Sections => "sections",
            Field::Origin => "origin",
            Field::Provenance => "provenance",
            Field::Attributes => "attributes",
            Field::Maintext => "maintext",
            Field::DatePublish => "date_publish",
            Field::DateModify => "date_modify",
            Field::DateDownload => "date_download",
            Field::SourceDomain => "source_domain",
            Field::TitlePage => "title_page",
            Field::TitleRss => "title_rss",
            Field::Authors => "authors",
            Field::Author => "author",
        }
    }
}

/// An object key: one Parallax interprets (matched without allocating) or another, kept by name.
enum Key {
    Known(Field),
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match Field::from_key(key) {
                    Some(field) => Key::Known(field),
                    None => Key::Other(key.to_owned()),
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A JSON object as read: the values of the interpreted keys by [`Field`], and every other key in input order.
#[derive(Default)]
struct Record {
    known: [Option<Value>; FIELDS],
    others: Vec<(String, Value)>,
}

impl Record {
    fn take(&mut self, field: Field) -> Option<Value> {
        self.known[field as usize]
            .take()
            .filter(|value| !value.is_null())
    }

    /// The first of `fields` holding a non-blank string; the others stay for the attributes. A number is taken
    /// only for an id (`"id": 12` is a common shape); as a text or a title it is a mistake the record is rejected
    /// for, not the words "12".
    fn take_first_string(&mut self, fields: &[Field]) -> Result<Option<(Field, String)>, String> {
        for &field in fields {
            match self.take(field) {
                None => {}
                Some(Value::String(s)) if s.trim().is_empty() => {}
                Some(Value::String(s)) => return Ok(Some((field, s))),
                Some(Value::Number(n)) if field == Field::Id => {
                    return Ok(Some((field, n.to_string())));
                }
                Some(other) => {
                    return Err(format!(
                        "`{}` must be a string, not {}",
                        field.key(),
                        kind(&other)
                    ));
                }
            }
        }
        Ok(None)
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Maps a record to an article: Parallax's own keys first, news-please's where Parallax's are absent, every other
/// key (and every fallback not used) kept as an attribute. Fields found get provenance `given`, unless the record
/// carries its own provenance for them (an article Parallax wrote out and reads back keeps what it knew).
fn article_from_record(mut record: Record) -> Result<Article, String> {
    let Some((_, text)) = record.take_first_string(&[Field::Text, Field::Maintext])? else {
        return Err("no text".into());
    };
    // A record with sections or provenance is Parallax's own output: its text was read for markers already.
    let read_already = [Field::Sections, Field::Provenance]
        .iter()
        .any(|&field| record.known[field as usize].is_some());
    let mut article = Article::new(String::new(), text);
    let mut given = Vec::new();
    if let Some((_, title)) =
        record.take_first_string(&[Field::Title, Field::TitlePage, Field::TitleRss])?
    {
        article.title = title;
        given.push("title");
    }
    if let Some((_, id)) = record.take_first_string(&[Field::Id])? {
        article.id = id.as_str().into();
    }
    for (field, slot) in [
        (Field::Url, &mut article.url),
        (Field::Language, &mut article.language),
        (Field::Dateline, &mut article.dateline),
    ] {
        if let Some((_, value)) = record.take_first_string(&[field])? {
            *slot = Some(value);
            given.push(field.key());
        }
    }
    if let Some((_, source)) = record.take_first_string(&[Field::Source, Field::SourceDomain])? {
        article.source = Some(source);
        given.push("source");
    }
    article.byline = byline(&mut record)?;
    if article.byline.is_some() {
        given.push("byline");
    }
    article.date = date(&mut record)?;
    if article.date.is_some() {
        given.push("date");
    }
    for field in given {
        article.provenance.insert(field.into(), FieldSource::Given);
    }
    if let Some(provenance) = record.take(Field::Provenance) {
        let Value::Object(entries) = provenance else {
            return Err(format!(
                "`provenance` must be an object, not {}",
                kind(&provenance)
            ));
        };
        // Entries this version does not know (a newer Parallax's) are dropped rather than failing the record.
        for (field, source) in entries {
            if let Ok(source) = serde_json::from_value::<FieldSource>(source) {
                article.provenance.insert(field, source);
            }
        }
    }
    if let Some(sections) = record.take(Field::Sections) {
        article.sections = serde_json::from_value::<Vec<Section>>(sections)
            .map_err(|e| format!("`sections` is malformed: {e}"))?;
        check_sections(&article)?;
    }
    // The input's own origin is where it was read before; the article's origin is where it is read now.
    record.take(Field::Origin);
    match record.take(Field::Attributes) {
        Some(Value::Object(attributes)) => article.attributes.extend(attributes),
        Some(other) => {
            article.attributes.insert("attributes".into(), other);
        }
        None => {}
    }
    for (i, value) in record.known.into_iter().enumerate() {
        if let Some(value) = value.filter(|v| !v.is_null()) {
            article.attributes.insert(ALL_FIELDS[i].key().into(), value);
        }
    }
    for (key, value) in record.others {
        if !value.is_null() {
            article.attributes.insert(key, value);
        }
    }
    Ok(if read_already {
        article
    } else {
        read_text_markers(article)
    })
}

/// Every [`Field`], in declaration order (so `ALL_FIELDS[field as usize] == field`).
const ALL_FIELDS: [Field; FIELDS] = [
    Field::Id,
    Field::Title,
    Field::Text,
    Field::Date,
    Field::Source,
    Field::Url,
    Field::Language,
    Field::Dateline,
    Field::Byline,
    Field::Sections,
    Field::Origin,
    Field::Provenance,
    Field::Attributes,
    Field::Maintext,
    Field::DatePublish,
    Field::DateModify,
    Field::DateDownload,
    Field::SourceDomain,
    Field::TitlePage,
    Field::TitleRss,
    Field::Authors,
    Field::Author,
];

/// The byline: Parallax's `byline`, or news-please's `authors`, or the `author` of many other exports (an array of
/// names, or one string).
fn byline(record: &mut Record) -> Result<Option<String>, String> {
    if let Some((_, byline)) = record.take_first_string(&[Field::Byline])? {
        return Ok(Some(byline));
    }
    for field in [Field::Authors, Field::Author] {
        let names = match record.take(field) {
            None => continue,
            Some(Value::String(s)) => Some(s).filter(|s| !s.trim().is_empty()),
            Some(Value::Array(names)) => {
                let names: Vec<&str> = names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
            Some(other) => {
                return Err(format!(
                    "`{}` must be an array of names or a name, not {}",
                    field.key(),
                    kind(&other)
                ));
            }
        };
        if names.is_some() {
            return Ok(names);
        }
    }
    Ok(None)
}

/// The date: the first of `date`, `date_publish`, `date_modify`, `date_download` that parses. A value that does not
/// parse is kept as an attribute under its own key, so a user can see what the input said.
fn date(record: &mut Record) -> Result<Option<parallax_model::PubDate>, String> {
    for field in [
        Field::Date,
        Field::DatePublish,
        Field::DateModify,
        Field::DateDownload,
    ] {
        let Some(value) = record.take(field) else {
            continue;
        };
        if let Some(date) = value.as_str().and_then(parse_date) {
            return Ok(Some(date));
        }
        record.known[field as usize] = Some(value);
    }
    Ok(None)
}

/// Sections given by the input must lie within its text, on character boundaries, or later stages would slice
/// outside it.
fn check_sections(article: &Article) -> Result<(), String> {
    let text = &article.text;
    for (i, section) in article.sections.iter().enumerate() {
        let fits = section.start <= section.end
            && section.end <= text.len()
            && text.is_char_boundary(section.start)
            && text.is_char_boundary(section.end);
        if !fits {
            return Err(format!(
                "section {} ({}..{}) does not fit the text ({} bytes)",
                i + 1,
                section.start,
                section.end,
                text.len()
            ));
        }
    }
    Ok(())
}
