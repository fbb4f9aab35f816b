//! Plain text articles: header lines, in-text markers, datelines, bylines and subheaded sections.
//!
//! A text file is one article. Its top is read as headers, in any order, until the first line of body text:
//!
//! - a block of `Key: value` lines (`Title:`, `Date:`, `Source:`, `Author:`, `URL:`, `Language:`, and their German,
//!   Spanish, French, Italian and Portuguese names), provenance `header`; unknown keys in such a block are kept as
//!   attributes;
//! - inline keys before the body on its first line (` date 2023-10-27 MOSCOW, ...`), provenance `header`;
//! - a headline: a short first line without final punctuation that stands alone, provenance `header`;
//! - a date line ("October 27, 2023 - 22:45", "Published 27.10.2023"), provenance `in-text`;
//! - a byline ("By Jane Roe"), provenance `in-text`.
//!
//! None of these are kept in `text`. The body's first paragraph may open with a dateline, which stays in the text
//! as printed but is also read into fields (provenance `in-text`): `TEHRAN-`, `MOSCOW, October 27. /TASS/.`,
//! `LONDON (Reuters) -`, `KYIV, Ukraine (AP) —`, `(Reuters) -`, `AP —`.
//!
//! Sections: a paragraph that is a short, title-like line standing alone between two paragraphs of body text
//! (no final punctuation; the paragraph before it ends a sentence) opens a new section. The heading stays in `text`
//! as its own paragraph, the section starts at the heading's first byte, and [`Section::heading`] holds it. A section
//! ends at the end of its last paragraph, so the blank line between two sections belongs to neither. The first
//! section starts at byte 0 with no heading.
//!
//! Every step looks at a bounded prefix of a line or at short lines only, so a 50 MB file on one line is read in
//! linear time.

use std::sync::LazyLock;

use parallax_model::{Article, FieldSource, Origin, Place, Section};
use regex::Regex;

use super::dates::find_date;
use super::decode::binary_kind;
use super::{Item, decode, reject};
use crate::text::{derive_title, normalise_line, normalise_text_borrowed, prefix};

/// Header lines are looked for among this many non-blank lines at the top.
const MAX_HEADER_LINES: usize = 16;
/// Lines longer than this are body text, never a header.
const MAX_HEADER_LINE: usize = 300;
/// Markers at the start of the body (datelines) are looked for in this many bytes.
const MARKER_WINDOW: usize = 300;

/// Reads a whole text file as one article.
pub(crate) fn read_text_file(path: &str, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    if let Some(kind) = binary_kind(bytes) {
        return sink(reject(
            path,
            Place::File,
            format!("binary content ({kind})"),
        ));
    }
    let decoded = decode(bytes);
    if decoded.text.trim().is_empty() {
        return sink(reject(path, Place::File, "empty file"));
    }
    let mut article = parse_text_article(&decoded.text);
    if article.text.is_empty() {
        return sink(reject(
            path,
            Place::File,
            "no article text after the header lines",
        ));
    }
    if decoded.encoding != "UTF-8" {
        article
            .attributes
            .insert("encoding".into(), decoded.encoding.into());
    }
    if let Some((count, first_offset)) = decoded.replaced {
        article.attributes.insert(
            "encoding_errors".into(),
            serde_json::json!({
                "encoding": decoded.encoding,
                "count": count,
                "first_offset": first_offset,
            }),
        );
    }
    article.origin = Origin {
        path: path.to_owned(),
        place: Place::File,
    };
    sink(Item::Article(Box::new(article)));
}

/// Reads the headers, markers and sections of a decoded text into an article (not yet completed).
pub(crate) fn parse_text_article(raw: &str) -> Article {
    let (mut article, marker_end) = parse_text_markers(raw);
    if article.title.is_empty() {
        let title = derive_title(&article.text[marker_end..]);
        if !title.is_empty() {
            article.title = title;
            article
                .provenance
                .insert("title".into(), FieldSource::Derived);
        }
    }
    article.sections = find_sections(&article.text);
    article
}

/// Reads the headers and markers of a decoded text: the article holds the normalised body as its text and what
/// the headers and markers said, without a derived title or sections; the offset is where the body's dateline
/// marker ends. Structured records, whose title and sections come from the record, need only this much.
pub(crate) fn parse_text_markers(raw: &str) -> (Article, usize) {
    let normalised = normalise_text_borrowed(raw);
    let mut article = Article::default();
    let lines: Vec<&str> = normalised.split('\n').collect();
    let mut inline_rest = None;
    let body_start = read_headers(&lines, &mut article, &mut inline_rest);
    // The lines are already normalised and the body starts at a non-blank one, so joining them keeps the body
    // normalised without a second pass.
    let rest = lines
        .get(body_start + usize::from(inline_rest.is_some())..)
        .unwrap_or(&[]);
    let mut body = String::with_capacity(normalised.len());
    if let Some(first) = inline_rest {
        body.push_str(first);
    }
    for line in rest {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(line);
    }
    drop(lines);
    let marker_end = read_dateline(&body, &mut article);
    article.text = body;
    (article, marker_end)
}

/// Reads header lines from the top of `lines`, filling `article`. Returns the index of the first body line. When
/// inline headers precede body text on one line, `inline_rest` receives that line's body part.
fn read_headers<'a>(
    lines: &[&'a str],
    article: &mut Article,
    inline_rest: &mut Option<&'a str>,
) -> usize {
    let mut i = 0;
    let mut seen = 0;
    let mut consumed_any = false;
    while i < lines.len() && seen < MAX_HEADER_LINES {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        seen += 1;
        if let Some(rest) = read_inline_headers(lines[i], article) {
            if rest.trim().is_empty() {
                i += 1;
                consumed_any = true;
                continue;
            }
            *inline_rest = Some(rest.trim_start());
            return i;
        }
        if line.len() > MAX_HEADER_LINE {
            return i;
        }
        if let Some(end) = header_block(&lines[i..]) {
            for line in &lines[i..i + end] {
                let (key, value) = key_value(line).expect("header_block checked every line");
                apply_header(article, &key, value);
            }
            i += end;
            consumed_any = true;
            continue;
        }
        if article.byline.is_none()
            && let Some(name) = byline(line)
        {
            set(article, "byline", name, FieldSource::InText);
            i += 1;
            consumed_any = true;
            continue;
        }
        if article.date.is_none()
            && let Some(date) = date_line(line)
        {
            article.date = Some(date);
            article
                .provenance
                .insert("date".into(), FieldSource::InText);
            i += 1;
            consumed_any = true;
            continue;
        }
        if article.title.is_empty()
            && !consumed_any
            && title_like(line)
            && lines[i + 1..].iter().any(|l| !l.trim().is_empty())
        {
            article.title = normalise_line(line);
            article
                .provenance
                .insert("title".into(), FieldSource::Header);
            i += 1;
            consumed_any = true;
            continue;
        }
        return i;
    }
    i.min(lines.len())
}

/// Inline keys before the body on one line: ` date 2023-10-27 MOSCOW, October 27...`. Returns what follows the
/// keys, or `None` when the line does not start with one.
fn read_inline_headers<'a>(line: &'a str, article: &mut Article) -> Option<&'a str> {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?i:(date|dated|published|pubdate|datum|fecha|url|link|lang|language))\s*[:=]?\s+")
            .expect("valid regex")
    });
    let mut rest = line;
    let mut found = false;
    loop {
        let window = prefix(rest, MARKER_WINDOW);
        let Some(key) = KEY.captures(window) else {
            break;
        };
        let name = key[1].to_lowercase();
        let after = &rest[key[0].len()..];
        // A colon after the key makes it a `Key: value` header line, read by the header block.
        if key[0].contains(':') && !found {
            return None;
        }
        let value_end = match name.as_str() {
            "url" | "link" => after
                .split_whitespace()
                .next()
                .filter(|token| token.starts_with("http"))
                .map(|token| {
                    set(article, "url", token, FieldSource::Header);
                    token.len()
                }),
            "lang" | "language" => after.split_whitespace().next().and_then(|token| {
                let code = language_code(token)?;
                set(article, "language", code, FieldSource::Header);
                Some(token.len())
            }),
            _ => find_date(prefix(after, MARKER_WINDOW))
                .filter(|found| found.start == 0 && article.date.is_none())
                .map(|found| {
                    article.date = Some(found.date);
                    article
                        .provenance
                        .insert("date".into(), FieldSource::Header);
                    found.end
                }),
        };
        // A key word that is not followed by its value is the body's first word ("Date palms grow...").
        let Some(value_end) = value_end else {
            break;
        };
        rest = &after[value_end..];
        found = true;
    }
    found.then_some(rest)
}

/// The length of a block of `Key: value` lines at the top of `lines` that names at least one key Parallax knows.
fn header_block(lines: &[&str]) -> Option<usize> {
    let end = lines
        .iter()
        .position(|line| line.len() > MAX_HEADER_LINE || key_value(line).is_none())
        .unwrap_or(lines.len());
    let known = lines[..end]
        .iter()
        .filter_map(|line| key_value(line))
        .any(|(key, _)| field_of_key(&key).is_some());
    (end > 0 && known).then_some(end)
}

/// `Key: value` with a key of at most three words of letters.
fn key_value(line: &str) -> Option<(String, &str)> {
    static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(\p{L}[\p{L}\-_]*(?: \p{L}[\p{L}\-_]*){0,2})\s*:\s*(\S.*?)\s*$")
            .expect("valid regex")
    });
    let captures = KEY_VALUE.captures(line)?;
    let value = captures.get(2)?.as_str();
    // "https://..." is a URL, not a key.
    if value.starts_with("//") {
        return None;
    }
    Some((captures[1].to_lowercase(), value))
}

/// The article field a header key names, in the languages Parallax reads headers in.
fn field_of_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "title" | "headline" | "subject" | "titel" | "überschrift" | "título" | "titulo"
        | "titre" | "titolo" => "title",
        "date"
        | "published"
        | "publication date"
        | "pubdate"
        | "date published"
        | "datum"
        | "fecha"
        | "data"
        | "date de publication"
        | "veröffentlicht"
        | "publicado"
        | "publié"
        | "pubblicato" => "date",
        "source" | "publisher" | "outlet" | "agency" | "quelle" | "fuente" | "fonte" | "médium"
        | "medio" => "source",
        "author" | "authors" | "by" | "byline" | "autor" | "autoren" | "auteur" | "autore"
        | "autores" => "byline",
        "url" | "link" | "source url" | "permalink" | "adresse" | "enlace" => "url",
        "language" | "lang" | "sprache" | "idioma" | "langue" | "lingua" | "língua" => "language",
        "dateline" | "ort" | "lugar" | "lieu" | "luogo" => "dateline",
        "id" => "id",
        _ => return None,
    })
}

/// Applies one header line; unknown keys and values Parallax cannot read are kept as attributes.
fn apply_header(article: &mut Article, key: &str, value: &str) {
    let keep = |article: &mut Article| {
        article
            .attributes
            .insert(key.replace(' ', "_"), value.into());
    };
    match field_of_key(key) {
        Some("title") if article.title.is_empty() => {
            article.title = normalise_line(value);
            article
                .provenance
                .insert("title".into(), FieldSource::Header);
        }
        Some("date") if article.date.is_none() => match find_date(value) {
            Some(found) => {
                article.date = Some(found.date);
                article
                    .provenance
                    .insert("date".into(), FieldSource::Header);
            }
            None => keep(article),
        },
        Some("language") => match language_code(value) {
            Some(code) => set(article, "language", code, FieldSource::Header),
            None => keep(article),
        },
        Some("id") if article.id.0.is_empty() => article.id = value.trim().into(),
        Some(field @ ("source" | "byline" | "url" | "dateline")) => {
            let value = if field == "byline" {
                value
                    .strip_prefix("By ")
                    .or_else(|| value.strip_prefix("by "))
                    .unwrap_or(value)
            } else {
                value
            };
            set(article, field, value, FieldSource::Header);
        }
        _ => keep(article),
    }
}

/// Sets a one-line string field of the article, if not set yet, with its provenance.
fn set(article: &mut Article, field: &str, value: &str, how: FieldSource) {
    let value = normalise_line(value);
    if value.is_empty() {
        return;
    }
    let slot = match field {
        "source" => &mut article.source,
        "byline" => &mut article.byline,
        "url" => &mut article.url,
        "dateline" => &mut article.dateline,
        "language" => &mut article.language,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(value);
        article.provenance.insert(field.into(), how);
    }
}

/// An ISO 639-1 code from a header value: `en`, `en-GB`, `English`, `Deutsch`.
fn language_code(value: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &[&str])] = &[
        (
            "en",
            &["en", "eng", "english", "englisch", "inglés", "anglais"],
        ),
        (
            "de",
            &[
                "de", "deu", "ger", "german", "deutsch", "alemán", "allemand",
            ],
        ),
        (
            "fr",
            &[
                "fr",
                "fra",
                "fre",
                "french",
                "français",
                "francais",
                "französisch",
                "francés",
            ],
        ),
        (
            "es",
            &[
                "es",
                "spa",
                "spanish",
                "español",
                "espanol",
                "castellano",
                "spanisch",
                "espagnol",
            ],
        ),
        (
            "it",
            &["it", "ita", "italian", "italiano", "italienisch", "italien"],
        ),
        ("pt", &["pt", "por", "portuguese", "português", "portugues"]),
        ("ru", &["ru", "rus", "russian", "русский", "russisch"]),
        ("pl", &["pl", "pol", "polish", "polski"]),
        ("tr", &["tr", "tur", "turkish", "türkçe", "turkce"]),
        ("zh", &["zh", "zho", "chi", "cmn", "chinese", "中文"]),
        ("ar", &["ar", "ara", "arabic", "العربية"]),
        ("nl", &["nl", "nld", "dut", "dutch", "nederlands"]),
        ("uk", &["uk", "ukr", "ukrainian", "українська"]),
        ("ja", &["ja", "jpn", "japanese", "日本語"]),
    ];
    let value = value.trim().to_lowercase();
    let primary = value.split(['-', '_']).next().unwrap_or("");
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&primary) || names.contains(&value.as_str()))
        .map(|(code, _)| *code)
}

/// "By Jane Roe", "By JANE ROE and John Doe", "Von Max Muster", "Por Ana Díaz", "Par Jean Dupont".
fn byline(line: &str) -> Option<&str> {
    static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[Bb]y|BY|[Vv]on|[Pp]or|[Pp]ar|[Dd]i|[Dd]oor)\s+(\p{Lu}[^\n]{1,100}?)\s*$")
            .expect("valid regex")
    });
    let name = BYLINE.captures(line)?.get(1)?.as_str();
    let words = name.split_whitespace().count();
    let ends_sentence = name.ends_with(['.', '!', '?']) && !name.ends_with(" Jr.");
    (words <= 10 && !ends_sentence).then_some(name)
}

/// A line that is a date and little else: "October 27, 2023 - 22:45", "Published: 27.10.2023 (updated)".
fn date_line(line: &str) -> Option<parallax_model::PubDate> {
    if line.chars().count() > 100 {
        return None;
    }
    let found = find_date(line)?;
    let outside = format!("{} {}", &line[..found.start], &line[found.end..]);
    let words = outside
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    (words <= 3).then_some(found.date)
}

/// A line that reads as a headline or subheading: short, with letters, and not ending a sentence.
fn title_like(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let first = line.chars().next().unwrap_or(' ');
    (1..=25).contains(&words)
        && line.chars().count() <= 200
        && (first.is_uppercase()
            || first.is_numeric()
            || !first.is_alphabetic() && first.is_alphanumeric())
        && line.chars().any(char::is_alphabetic)
        && !line.ends_with(['.', ',', ';', ':', '-', '–', '—'])
        && !line.contains("://")
}

/// Reads a dateline at the start of the body into `dateline` and `source`. Returns the byte offset where the
/// marker ends (0 when there is none), so a derived title can skip it.
fn read_dateline(body: &str, article: &mut Article) -> usize {
    static TASS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^({CITY})(?:,\s*[^/\n]{{1,30}}?)?\.?\s*/\s*(\p{{L}}[\p{{L}} .\-]{{0,30}}?)\s*/\s*\.?\s*"
        ))
        .expect("valid regex")
    });
    static CITY_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^({CITY})(?:,\s*[^()\n]{{1,40}}?)?\s*\(([^()\n]{{2,40}})\)\s*[-–—:]+\s*"
        ))
        .expect("valid regex")
    });
    static AGENCY_ONLY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\(([^()\n]{2,40})\)\s*[-–—]+\s*").expect("valid regex"));
    static CITY_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^({CITY})(?:,\s*[^\-–—\n]{{1,40}}?)?\s*[-–—]+\s*"
        ))
        .expect("valid regex")
    });
    let window = prefix(body, MARKER_WINDOW);
    if let Some(c) = TASS.captures(window) {
        set(article, "dateline", place(&c[1]), FieldSource::InText);
        set(article, "source", &c[2], FieldSource::InText);
        return c[0].len();
    }
    if let Some(c) = CITY_AGENCY.captures(window) {
        set(article, "dateline", place(&c[1]), FieldSource::InText);
        set(article, "source", &c[2], FieldSource::InText);
        return c[0].len();
    }
    if let Some(c) = AGENCY_ONLY.captures(window) {
        set(article, "source", &c[1], FieldSource::InText);
        return c[0].len();
    }
    if let Some(c) = CITY_ONLY.captures(window) {
        let name = normalise_line(place(&c[1]));
        if KNOWN_AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
            set(article, "source", &name, FieldSource::InText);
        } else {
            set(article, "dateline", &name, FieldSource::InText);
        }
        return c[0].len();
    }
    0
}

/// A dateline place without the full stop some papers print after it.
fn place(printed: &str) -> &str {
    printed.trim_end_matches('.')
}

/// A dateline place as printed: one to six words in capitals ("MOSCOW", "NEW YORK", "SÃO PAULO", "AP",
/// "SAN TELMO DE LA SIERRA"). Spanish papers end it with a full stop before the dash ("GINEBRA.–"); that stop is
/// punctuation, not part of the name, and is trimmed where the place is kept.
const CITY: &str =
    r"\p{Lu}[\p{Lu}\p{M}'’.\-]*\p{Lu}\.?(?:\s\p{Lu}[\p{Lu}\p{M}'’.\-]*\p{Lu}\.?){0,5}";

/// News agencies that open a story with their name alone ("AP —"), so the name is read as the source rather than
/// as a place.
const KNOWN_AGENCIES: &[&str] = &[
    "AP",
    "AFP",
    "Reuters",
    "dpa",
    "EFE",
    "ANSA",
    "Xinhua",
    "TASS",
    "RIA",
    "Interfax",
    "PAP",
    "UPI",
    "Kyodo",
    "Yonhap",
    "IRNA",
    "Bernama",
    "Antara",
    "PTI",
    "IANS",
    "ANI",
    "KUNA",
    "WAM",
    "MENA",
    "APA",
    "Ukrinform",
    "Belga",
    "ANP",
    "NTB",
    "CTK",
    "MTI",
    "Lusa",
    "KNA",
    "EPD",
    "AA",
];

/// Finds the sections of a body: a new one starts at each subheading paragraph.
fn find_sections(body: &str) -> Vec<Section> {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for paragraph in body.split("\n\n") {
        paragraphs.push((start, paragraph));
        start += paragraph.len() + 2;
    }
    let mut sections = vec![Section {
        heading: None,
        start: 0,
        end: body.len(),
    }];
    for window in paragraphs.windows(3) {
        let [(_, before), (at, candidate), (_, after)] = window else {
            continue;
        };
        if subheading(before, candidate, after) {
            let last = sections.last_mut().expect("one section at least");
            last.end = at - 2;
            sections.push(Section {
                heading: Some(candidate.to_string()),
                start: *at,
                end: body.len(),
            });
        }
    }
    sections
}

/// Whether `candidate` is a subheading between the paragraphs `before` and `after`: one short, title-like line of
/// two words or more, after a paragraph that ends a sentence and before one that reads as body text.
fn subheading(before: &str, candidate: &str, after: &str) -> bool {
    if candidate.len() > 160 || candidate.contains('\n') || !title_like(candidate) {
        return false;
    }
    let words = candidate.split_whitespace().count();
    let first_word = candidate
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if BOILERPLATE_OPENERS.contains(&first_word.as_str()) {
        return false;
    }
    if !(2..=15).contains(&words)
        || candidate.ends_with(['?', '!', '"', '”', '»', ')'])
        || candidate.contains('@')
    {
        return false;
    }
    let ends_sentence = |p: &str| {
        p.trim_end()
            .ends_with(['.', '!', '?', '…', '"', '”', '»', ')', '’', '\''])
    };
    let after_words = after.split_whitespace().count();
    ends_sentence(before)
        && after_words >= (words + 1).max(8)
        && (ends_sentence(after) || after_words >= 30)
}

/// First words of short lines that stand between paragraphs without being subheadings: captions, credits and
/// links to other pages.
const BOILERPLATE_OPENERS: &[&str] = &[
    "photo",
    "photos",
    "foto",
    "fotos",
    "image",
    "picture",
    "video",
    "watch",
    "listen",
    "credit",
    "source",
    "quelle",
    "fuente",
    "advertisement",
    "anzeige",
    "publicité",
    "related",
    "read",
    "lesen",
    "lire",
    "share",
    "updated",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::complete_article;

    /// Reads `bytes` as a text file named `t.txt` and completes the article, or returns the reject's reason.
    fn read(bytes: &[u8]) -> Result<Article, String> {
        let mut items = Vec::new();
        read_text_file("t.txt", bytes, &mut |item| items.push(item));
        assert_eq!(items.len(), 1, "one item per text file");
        match items.pop() {
            Some(Item::Article(article)) => Ok(complete_article(*article)),
            Some(Item::Reject(reject)) => {
                assert_eq!(reject.origin.path, "t.txt");
                Err(reject.reason)
            }
            None => unreachable!(),
        }
    }

    /// A summary of what was read: each known field with its provenance, the section headings, and the text's
    /// first 40 characters.
    fn summary(article: &Article) -> String {
        let how = |field: &str| {
            article
                .provenance
                .get(field)
                .map(|p| {
                    serde_json::to_value(p)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .unwrap_or_else(|| "given".into())
        };
        let mut out = String::new();
        let mut line = |field: &str, value: Option<String>| {
            if let Some(value) = value {
                out.push_str(&format!("{field}: {value} ({})\n", how(field)));
            }
        };
        line("title", Some(article.title.clone()));
        line("date", article.date.map(|d| d.to_string()));
        line("source", article.source.clone());
        line("dateline", article.dateline.clone());
        line("byline", article.byline.clone());
        line("url", article.url.clone());
        line("language", article.language.clone());
        let headings: Vec<&str> = article
            .sections
            .iter()
            .map(|s| s.heading.as_deref().unwrap_or("-"))
            .collect();
        out.push_str(&format!("sections: {}\n", headings.join(" | ")));
        out.push_str(&format!(
            "text: {}",
            article.text.chars().take(40).collect::<String>()
        ));
        out
    }

    fn check(input: &str, expect: &str) {
        let article = read(input.as_bytes()).unwrap_or_else(|reason| panic!("rejected: {reason}"));
        assert_eq!(summary(&article), expect.trim(), "\n{input}");
        for section in &article.sections {
            let text = article.section_text(section);
            assert_eq!(text, text.trim(), "sections hold no separators");
            if let Some(heading) = &section.heading {
                assert!(
                    text.starts_with(heading.as_str()),
                    "a section starts at its heading"
                );
            }
        }
    }

    const BODY: &str = "The city council voted on Tuesday to close the old bridge to lorries after engineers \
        found cracks in two of its supports.\n\nRepairs will take most of the coming year, the mayor said.";

    #[test]
    fn key_value_header_block() {
        check(
            &format!(
                "Title: Old bridge closed to lorries\nDate: 2023-10-27 09:30\nSource: Riverside Courier\n\
                 Author: Jane Roe\nURL: https://courier.example/bridge\nLanguage: English\nCategory: Local\n\n{BODY}"
            ),
            "
title: Old bridge closed to lorries (header)
date: 2023-10-27T09:30 (header)
source: Riverside Courier (header)
byline: Jane Roe (header)
url: https://courier.example/bridge (header)
language: en (header)
sections: -
text: The city council voted on Tuesday to clo",
        );
    }

    #[test]
    fn header_keys_in_other_languages_and_cases() {
        check(
            "TITEL: Alte Brücke für Lastwagen gesperrt\nDatum: 27.10.2023\nQuelle: Flussbote\n\n\
             Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Lastwagen zu sperren, nachdem \
             Ingenieure Risse in zwei Stützen gefunden hatten.",
            "
title: Alte Brücke für Lastwagen gesperrt (header)
date: 2023-10-27 (header)
source: Flussbote (header)
language: de (detected)
sections: -
text: Der Stadtrat hat am Dienstag beschlossen",
        );
        check(
            "Título: Cierran el puente viejo\nFecha: 27 de octubre de 2023\nFuente: El Ribereño\n\n\
             El concejo municipal votó el martes cerrar el puente viejo a los camiones después de que los \
             ingenieros encontraran grietas en dos de sus soportes.",
            "
title: Cierran el puente viejo (header)
date: 2023-10-27 (header)
source: El Ribereño (header)
language: es (detected)
sections: -
text: El concejo municipal votó el martes cerr",
        );
    }

    #[test]
    fn a_key_value_line_without_a_known_key_is_body() {
        check(
            &format!("Warning: the bridge is closed to lorries from Monday\n\n{BODY}"),
            "
title: Warning: the bridge is closed to lorries from Monday (header)
language: en (detected)
sections: -
text: The city council voted on Tuesday to clo",
        );
    }

    #[test]
    fn headline_date_line_and_byline() {
        check(
            &format!("Old bridge closed to lorries\n\nBy Jane Roe\nOct. 27, 2023\n\n{BODY}"),
            "
title: Old bridge closed to lorries (header)
date: 2023-10-27 (in-text)
byline: Jane Roe (in-text)
language: en (detected)
sections: -
text: The city council voted on Tuesday to clo",
        );
    }

    #[test]
    fn datelines_and_agencies() {
        let cases = [
            (
                "LONDON (Reuters) - The",
                "source: Reuters (in-text)\ndateline: LONDON (in-text)",
            ),
            ("(Reuters) - The", "source: Reuters (in-text)"),
            ("AP — The", "source: AP (in-text)"),
            (
                "KYIV, Ukraine (AP) — The",
                "source: AP (in-text)\ndateline: KYIV (in-text)",
            ),
            (
                "BERLIN, Oct 27 (dpa) — The",
                "source: dpa (in-text)\ndateline: BERLIN (in-text)",
            ),
            (
                "MOSCOW, October 27. /TASS/. The",
                "source: TASS (in-text)\ndateline: MOSCOW (in-text)",
            ),
            ("NEW YORK — The", "dateline: NEW YORK (in-text)"),
            ("TEHRAN- The", "dateline: TEHRAN (in-text)"),
        ];
        for (opening, fields) in cases {
            let input = format!(
                "Bridge closed\n\n{opening} city council voted on Tuesday to close the old bridge to lorries \
                 after engineers found cracks in its supports."
            );
            let article = read(input.as_bytes()).unwrap();
            let got = summary(&article);
            let expect =
                format!("title: Bridge closed (header)\n{fields}\nlanguage: en (detected)");
            assert!(got.starts_with(&expect), "{opening}:\n{got}");
            assert!(
                article.text.starts_with(opening),
                "the dateline stays in the text"
            );
        }
    }

    #[test]
    fn subheadings_open_sections() {
        let input = format!(
            "Council news\n\n{BODY}\n\nLibrary to open on Sundays\n\nThe central library will open on Sundays \
             from next month, the council announced, after a petition gathered two thousand names.\n\n\
             Staff will work in rotas."
        );
        let article = read(input.as_bytes()).unwrap();
        assert_eq!(article.sections.len(), 2);
        let second = &article.sections[1];
        assert_eq!(
            second.heading.as_deref(),
            Some("Library to open on Sundays")
        );
        assert!(
            article
                .section_text(second)
                .ends_with("Staff will work in rotas.")
        );
        assert!(
            article
                .section_text(&article.sections[0])
                .ends_with("the mayor said.")
        );
        assert_eq!(article.sections[0].end + 2, second.start);

        // A short line ending a sentence, or a question, or one too long, is not a heading.
        for line in [
            "The bridge is closed.",
            "Will it reopen?",
            &"Long words ".repeat(10),
        ] {
            let input = format!("{BODY}\n\n{line}\n\n{BODY}");
            assert_eq!(read(input.as_bytes()).unwrap().sections.len(), 1, "{line}");
        }
    }

    #[test]
    fn inline_header_before_the_body() {
        check(
            " date 2023-10-27 MOSCOW, October 27. /TASS/. The city council voted on Tuesday to close the old \
             bridge to lorries.\n\nRepairs will take a year.",
            "
title: The city council voted on Tuesday to close the old bridge to lorries. (derived)
date: 2023-10-27 (header)
source: TASS (in-text)
dateline: MOSCOW (in-text)
language: en (detected)
sections: -
text: MOSCOW, October 27. /TASS/. The city cou",
        );
    }

    #[test]
    fn rejects_what_is_not_an_article() {
        assert_eq!(read(b"").unwrap_err(), "empty file");
        assert_eq!(read(b" \n\t\r\n  ").unwrap_err(), "empty file");
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap_err(),
            "binary content (PNG image)"
        );
        assert_eq!(
            read(b"%PDF-1.4\n%").unwrap_err(),
            "binary content (PDF document)"
        );
        assert_eq!(
            read(b"abc\0\0\x01\x02def").unwrap_err(),
            "binary content (NUL bytes)"
        );
    }

    #[test]
    fn encodings_are_decoded_and_recorded() {
        let text = "Le conseil municipal a voté mardi la fermeture du vieux pont aux camions, après que des \
                    ingénieurs ont découvert des fissures dans deux de ses piliers.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let article = read(&bytes).unwrap();
        assert_eq!(article.text, text);
        assert_eq!(article.language.as_deref(), Some("fr"));
        assert_eq!(article.attributes["encoding"], "windows-1252");

        let russian =
            "Городской совет во вторник проголосовал за закрытие старого моста для грузовиков.";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(russian);
        let article = read(&bytes).unwrap();
        assert_eq!(
            (article.text.as_str(), article.language.as_deref()),
            (russian, Some("ru"))
        );

        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(russian.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(read(&utf16).unwrap().text, russian);
    }

    #[test]
    fn invalid_utf8_mid_file_is_kept_and_recorded() {
        let mut bytes = format!("Bridge closed\n\n{BODY}").into_bytes();
        let at = bytes.len() / 2;
        bytes.insert(at, 0xFF);
        let article = read(&bytes).unwrap();
        assert!(article.text.contains('\u{FFFD}'), "{article:?}");
        assert!(article.text.contains("the mayor said."));
        assert_eq!(
            article.attributes["encoding_errors"],
            serde_json::json!({"encoding": "UTF-8", "count": 1, "first_offset": at})
        );
    }

    #[test]
    fn a_huge_single_line_is_read() {
        let line = "The council met again and talked about the bridge. ".repeat(40_000);
        let article = read(line.as_bytes()).unwrap();
        assert_eq!(article.text, line.trim_end());
        assert_eq!(
            article.title,
            "The council met again and talked about the bridge."
        );
        assert_eq!(article.sections.len(), 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Whatever the input, a text file becomes one article whose sections are in order, inside the text, on
        /// character boundaries and without the blank lines between them; or one reject.
        #[test]
        fn sections_always_fit_the_text(input in "[A-Za-zÄÖéß0-9 :,./()\\-–—\n]{0,400}") {
            if let Ok(article) = read(input.as_bytes()) {
                let mut previous_end = 0;
                for section in &article.sections {
                    proptest::prop_assert!(previous_end <= section.start && section.start <= section.end);
                    proptest::prop_assert!(article.text.is_char_boundary(section.start));
                    proptest::prop_assert!(article.text.is_char_boundary(section.end));
                    let text = article.section_text(section);
                    proptest::prop_assert_eq!(text, text.trim_matches('\n'));
                    previous_end = section.end;
                }
                proptest::prop_assert_eq!(article.sections.last().map(|s| s.end), Some(article.text.len()));
                proptest::prop_assert_eq!(read(input.as_bytes()).ok(), Some(article));
            }
        }
    }

    /// The two seed articles of the ingestion issue, when `../shared/seeds` is present.
    #[test]
    fn seeds() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
        let Ok(first) = std::fs::read(format!("{dir}/000_9788f2350b3ba86b.txt")) else {
            eprintln!("skipped: ../shared/seeds not found");
            return;
        };
        let article = read(&first).unwrap();
        assert_eq!(
            summary(&article),
            "title: Tehran prioritizes ceasefire in Gaza (header)
date: 2023-10-27T22:45 (in-text)
dateline: TEHRAN (in-text)
language: en (detected)
sections: - | Tehran, Moscow prioritize 3+3 cooperation in the Caucasus
text: TEHRAN- Iran’s deputy foreign minister f"
        );
        assert!(!article.text.contains("October 27, 2023"));
        assert!(
            article
                .section_text(&article.sections[0])
                .ends_with("against Israel.")
        );

        let second = std::fs::read(format!("{dir}/001_119fbe3510b0a935.txt")).unwrap();
        let article = read(&second).unwrap();
        let got = summary(&article);
        assert!(
            got.starts_with("title: Political Deputy at the Iranian Foreign Ministry"),
            "{got}"
        );
        assert!(
            got.ends_with(
                "(derived)
date: 2023-10-27 (header)
source: TASS (in-text)
dateline: MOSCOW (in-text)
language: en (detected)
sections: -
text: MOSCOW, October 27. /TASS/. Political De"
            ),
            "{got}"
        );
        assert!(!article.text.contains("date 2023-10-27"));
    }
}
