//! The article record: what a reader found, where it came from and how each field was found.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::PubDate;

/// A stable article identifier: given by the input, or derived from the article's content by the engine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ArticleId {
    fn from(s: &str) -> Self {
        ArticleId(s.to_owned())
    }
}

/// One news article as Parallax stores it.
///
/// `text` is NFC-normalised plain text with paragraphs separated by a blank line (`"\n\n"`). Every offset in the
/// model (sections here, mentions and quotes in later stages) is a UTF-8 byte offset into `text`, always on a
/// character boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Article {
    /// Given by the input or derived from the content.
    pub id: ArticleId,
    /// The headline; see `provenance["title"]` for whether it was given or derived from the text.
    pub title: String,
    /// The body, without headers, markup or boilerplate.
    pub text: String,
    /// Publication day or time, as precise as the input says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PubDate>,
    /// The outlet ("TASS", "reuters.com").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Canonical URL where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// ISO 639-1 code of the text's language ("en", "ru", "zh").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The place the story was filed from, as the dateline gives it ("MOSCOW").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    /// The author line without "By".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// The items of the article. Always at least one covering the whole text once the engine has read it; a file
    /// carrying a second, unrelated item under its own subheading has two.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Which input this article was read from, and where in it.
    #[serde(default)]
    pub origin: Origin,
    /// How each derived field was found, keyed by field name ("title", "date", "source", ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provenance: BTreeMap<String, FieldSource>,
    /// Input keys Parallax does not interpret (for example a gold `event` label), kept as they came.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

impl Article {
    /// An article with a title and text and nothing else known yet.
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        Article {
            title: title.into(),
            text: text.into(),
            ..Article::default()
        }
    }

    /// The text of one section.
    pub fn section_text(&self, section: &Section) -> &str {
        &self.text[section.start..section.end]
    }

    /// The title of section `i`: its subheading, or the article's own title for an opening section without one;
    /// empty for a later section without a subheading. `None` when the article has no section `i`.
    pub fn section_title(&self, i: usize) -> Option<&str> {
        let section = self.sections.get(i)?;
        Some(match (&section.heading, i) {
            (Some(heading), _) => heading,
            (None, 0) => &self.title,
            (None, _) => "",
        })
    }
}

/// One item within an article's text: a byte range and the subheading that opens it, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The subheading as printed; `None` for the opening item under the article's own title.
    pub heading: Option<String>,
    /// Byte offset where the section's body starts in `Article::text`.
    pub start: usize,
    /// Byte offset one past the section's end.
    pub end: usize,
}

/// How a field's value was found, so a user can tell a fact from a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FieldSource {
    /// An explicit field of structured input (a JSON key, a WARC header).
    Given,
    /// A header line of a text file (`Title:`, ` date 2023-10-27`).
    Header,
    /// HTML or feed markup: meta tags, JSON-LD, `<time>`, `<pubDate>`.
    Markup,
    /// A marker inside the text: a date line, `/TASS/.`, `(Reuters) -`.
    InText,
    /// Read off the URL (a date path, the host as outlet).
    Url,
    /// Read off the dateline.
    Dateline,
    /// Found by a statistical detector (language identification).
    Detected,
    /// Made from the text because the input gave none (a title from the first sentence).
    Derived,
}

/// Where in its input file an article (or a rejected input) was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Origin {
    /// The input path as the user gave it (or as found under a directory they gave); `-` for standard input.
    pub path: String,
    /// The place within that file.
    pub place: Place,
}

/// A place within an input file. Serialised as one key beside `path`: `line`, `offset` or `record`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Place {
    /// The whole file.
    #[default]
    File,
    /// A 1-based line number (JSON Lines, text).
    Line(u64),
    /// A byte offset into the decompressed input (WARC records, truncated data).
    Offset(u64),
    /// A 1-based record number (the n-th item of a feed, element of a JSON array, record of a WARC file).
    Record(u64),
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("path", &self.path)?;
        match self.place {
            Place::File => {}
            Place::Line(n) => map.serialize_entry("line", &n)?,
            Place::Offset(n) => map.serialize_entry("offset", &n)?,
            Place::Record(n) => map.serialize_entry("record", &n)?,
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            path: String,
            line: Option<u64>,
            offset: Option<u64>,
            record: Option<u64>,
        }
        let raw = Raw::deserialize(deserializer)?;
        let place = match (raw.line, raw.offset, raw.record) {
            (Some(n), _, _) => Place::Line(n),
            (_, Some(n), _) => Place::Offset(n),
            (_, _, Some(n)) => Place::Record(n),
            _ => Place::File,
        };
        Ok(Origin {
            path: raw.path,
            place,
        })
    }
}

impl fmt::Display for Origin {
    /// `path:line 7`, `path:offset 1234`, `path:record 3` or just `path`, for error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::File => write!(f, "{}", self.path),
            Place::Line(n) => write!(f, "{}:line {n}", self.path),
            Place::Offset(n) => write!(f, "{}:offset {n}", self.path),
            Place::Record(n) => write!(f, "{}:record {n}", self.path),
        }
    }
}

/// An input, or a part of one, that was not stored, with the reason in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// Which file and where in it.
    pub origin: Origin,
    /// Why it was not stored ("malformed JSON: expected `,` or `}` at column 12").
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_titled_by_its_subheading_or_the_opening_one_by_the_article() {
        let mut article = Article::new("Tehran prioritizes ceasefire in Gaza", "a\n\nb\n\nc");
        let section = |heading: Option<&str>, start| Section {
            heading: heading.map(str::to_owned),
            start,
            end: start + 1,
        };
        article.sections = vec![
            section(None, 0),
            section(Some("Tehran, Moscow prioritize 3+3 cooperation"), 3),
            section(None, 6),
        ];
        assert_eq!(
            article.section_title(0),
            Some("Tehran prioritizes ceasefire in Gaza")
        );
        assert_eq!(
            article.section_title(1),
            Some("Tehran, Moscow prioritize 3+3 cooperation")
        );
        assert_eq!(article.section_title(2), Some(""));
        assert_eq!(article.section_title(3), None);
    }

    #[test]
    fn origin_serialises_its_place_as_one_key() {
        let origin = Origin {
            path: "a.jsonl".into(),
            place: Place::Line(7),
        };
        let json = serde_json::to_string(&origin).unwrap();
        assert_eq!(json, r#"{"path":"a.jsonl","line":7}"#);
        assert_eq!(serde_json::from_str::<Origin>(&json).unwrap(), origin);
    }

    #[test]
    fn article_round_trips_through_json() {
        let mut article = Article::new("Title", "Body.\n\nMore.");
        article.id = "abc".into();
        article.date = Some("2023-10-27".parse().unwrap());
        article.sections = vec![Section {
            heading: None,
            start: 0,
            end: 12,
        }];
        article
            .provenance
            .insert("title".into(), FieldSource::Derived);
        article
            .attributes
            .insert("event".into(), serde_json::json!("ecb1a"));
        let json = serde_json::to_string(&article).unwrap();
        assert!(
            json.contains(r#""provenance":{"title":"derived"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Article>(&json).unwrap(), article);
    }
}
