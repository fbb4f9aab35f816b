//! HTML pages: main text without boilerplate, and the page's metadata with where each field was found.
//!
//! The main text comes from the `trafilatura` crate (a port of the extractor that leads the published comparisons),
//! rendered to plain text with paragraph breaks by [`html_fragment_to_text`] and then cleared of the boilerplate
//! lines that extractor lets through ("Read also: ...", share and subscribe prompts). Metadata is read here, from
//! the same parsed tree, so each field can say which markup gave it.

mod boilerplate;
mod charset;
mod metadata;
mod prune;
mod render;

use std::fmt;

use parallax_model::{Article, FieldSource, Place, PubDate};
use trafilatura::dom::Document;

use super::{Item, read_text_markers, reject};

pub(crate) use charset::decode_html;
pub use render::html_fragment_to_text;

/// What a page yields: the article's fields as its markup gives them, each with the evidence it came from.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct HtmlPage {
    /// The extracted main text, paragraphs separated by blank lines.
    pub text: String,
    /// The headline.
    pub title: Option<String>,
    /// Where the headline was found.
    pub title_from: Option<PageEvidence>,
    /// When the page says it was published.
    pub date: Option<PubDate>,
    /// Where the date was found.
    pub date_from: Option<PageEvidence>,
    /// The author line, without "By".
    pub byline: Option<String>,
    /// Where the byline was found.
    pub byline_from: Option<PageEvidence>,
    /// The canonical URL, or the URL the page was read from.
    pub url: Option<String>,
    /// Where the URL was found.
    pub url_from: Option<PageEvidence>,
    /// ISO 639-1 code of the language the page declares.
    pub language: Option<String>,
    /// Where the language was found.
    pub language_from: Option<PageEvidence>,
    /// The outlet: the site's own name, or the host it was read from.
    pub source: Option<String>,
    /// Where the outlet was found.
    pub source_from: Option<PageEvidence>,
    /// Whether the page has a body with any text at all; a page without one is not an article.
    pub has_body: bool,
}

/// The piece of a page a metadata field was read from, so a user can tell a declared fact from a guess.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageEvidence {
    /// A `<meta>` tag, by its `property`, `name` or `itemprop` ("og:title", "article:published_time").
    Meta(String),
    /// A JSON-LD block, by key ("headline", "datePublished", "publisher.name").
    JsonLd(String),
    /// An element, by its tag or attribute ("h1", "time\[datetime\]", "link\[rel=canonical\]", "html\[lang\]").
    Element(String),
    /// The `<title>` element, with any site-name suffix taken off.
    TitleTag,
    /// The date in the URL's path (`/2023/10/27/`).
    UrlPath,
    /// The host of the URL, standing in for an outlet name.
    UrlHost,
    /// The URL given by the caller (a WARC record's target, a feed item's link).
    GivenUrl,
}

impl PageEvidence {
    /// The article provenance this evidence amounts to.
    pub fn field_source(&self) -> FieldSource {
        match self {
            PageEvidence::Meta(_)
            | PageEvidence::JsonLd(_)
            | PageEvidence::Element(_)
            | PageEvidence::TitleTag => FieldSource::Markup,
            PageEvidence::UrlPath | PageEvidence::UrlHost => FieldSource::Url,
            PageEvidence::GivenUrl => FieldSource::Given,
        }
    }
}

impl fmt::Display for PageEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageEvidence::Meta(key) => write!(f, "meta {key}"),
            PageEvidence::JsonLd(key) => write!(f, "JSON-LD {key}"),
            PageEvidence::Element(what) => write!(f, "<{what}>"),
            PageEvidence::TitleTag => f.write_str("<title>"),
            PageEvidence::UrlPath => f.write_str("URL path"),
            PageEvidence::UrlHost => f.write_str("URL host"),
            PageEvidence::GivenUrl => f.write_str("given URL"),
        }
    }
}

/// Extracts the main text and metadata of an HTML page. `url` is where the page was read from, when known: it
/// resolves relative canonical links and stands in for the URL, date and outlet the markup does not give.
pub fn extract_html(html: &str, url: Option<&str>) -> HtmlPage {
    let html = prune::prune_invisible(html);
    let html = prune::bound_nesting(&html);
    let document = Document::parse(&html);
    let (mut page, description) = metadata::read_metadata(&document, url);
    let lead = description.and_then(|d| lead_paragraph(&document, &html, &d));
    let Some(text) = main_text(document, &html, page.url.as_deref()) else {
        return page;
    };
    page.has_body = true;
    page.text = match lead {
        Some(lead) if !squash_whitespace(&text).contains(&lead.key) => {
            format!("{}\n\n{text}", lead.paragraph)
        }
        _ => text,
    };
    page
}

/// Below this many bytes of main text, the first pass may have missed the article (a lead in a teaser box, a page
/// built of divs), and the slower pass with the fallback extractors is run.
const SHORT_TEXT: usize = 1000;

/// The main text of a parsed page: the extractor's choice, rendered with paragraph breaks and cleared of
/// boilerplate paragraphs; for a page too short for the extractor to judge, every paragraph of the body. `None`
/// when the body holds no visible text at all.
fn main_text(document: Document, html: &str, url: Option<&str>) -> Option<String> {
    let mut options = trafilatura::Options::default();
    // Comments are readers talking, not the article.
    options.exclude_comments = true;
    options.html_date_mode = trafilatura::HtmlDateMode::Disabled;
    // Parallax reads the page's metadata and language itself (`metadata::read_metadata`, `lang`): the patched
    // crate skips its own pass over them (vendor/trafilatura/PATCHES.md).
    options.skip_metadata = true;
    options.original_url = url.and_then(|u| url::Url::parse(u).ok());
    let extract = |document: Document, options: &trafilatura::Options| {
        trafilatura::extract_document(document, options)
            .map(|result| html_fragment_to_text(&result.content_html))
            .unwrap_or_default()
    };
    let mut text = extract(document, &options);
    if text.len() < SHORT_TEXT {
        // The fallback extractors (readability, jusText) compare their results with the first pass; they cost as
        // much again, so they run only where the first pass found little.
        options.enable_fallback = true;
        let second = extract(Document::parse(html), &options);
        if !second.trim().is_empty() {
            text = second;
        }
    }
    if text.trim().is_empty() {
        let document = Document::parse(html);
        text = document
            .body()
            .map(|body| html_fragment_to_text(&document.outer_html(body)))
            .unwrap_or_default();
    }
    if text.trim().is_empty() {
        return None;
    }
    Some(boilerplate::drop_boilerplate_paragraphs(&text))
}

/// A page's lead paragraph, found through its description.
struct Lead {
    /// The start of the description, whitespace squashed: the lead is missing from a text that lacks it.
    key: String,
    /// The whole paragraph of the page that holds the description.
    paragraph: String,
}

/// How much of the description must be found in a paragraph for it to count as the lead.
const LEAD_KEY_CHARS: usize = 50;

/// The paragraph of the body that carries the page's description: publishers write the description from the lead,
/// and extractors often drop the lead because it sits in a teaser box of its own.
fn lead_paragraph(document: &Document, html: &str, description: &str) -> Option<Lead> {
    let description = squash_whitespace(description).trim().to_owned();
    let chars = description.chars().count();
    if chars < LEAD_KEY_CHARS {
        return None;
    }
    let key: String = description.chars().take(LEAD_KEY_CHARS).collect();
    // Most descriptions are written apart from the body; their first words are then nowhere in the markup, and
    // the walk over the body's paragraphs is skipped.
    let first_words: String = key
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    let first_words = first_words.rsplit_once(' ').map_or("", |(words, _)| words);
    let body_start = html
        .as_bytes()
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<body"))
        .unwrap_or(0);
    if first_words.len() >= 8 && !html[body_start..].contains(first_words) {
        return None;
    }
    let body = document.body()?;
    document
        .query_selector_all(body, "p, h2, strong")
        .into_iter()
        .map(|id| {
            squash_whitespace(&document.text_content(id))
                .trim()
                .to_owned()
        })
        .find(|text| text.contains(&key) && text.chars().count() * 2 < chars * 3 + 400)
        .map(|paragraph| Lead { key, paragraph })
}

/// Every run of whitespace as one space.
fn squash_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl HtmlPage {
    /// The article this page makes, with each field's provenance; its origin is left for the caller to set.
    pub fn to_article(&self) -> Article {
        let mut article = Article::new(self.title.clone().unwrap_or_default(), self.text.clone());
        article.date = self.date;
        article.byline = self.byline.clone();
        article.url = self.url.clone();
        article.language = self.language.clone();
        article.source = self.source.clone();
        let fields = [
            ("title", &self.title_from),
            ("date", &self.date_from),
            ("byline", &self.byline_from),
            ("url", &self.url_from),
            ("language", &self.language_from),
            ("source", &self.source_from),
        ];
        for (field, evidence) in fields {
            if let Some(evidence) = evidence {
                article
                    .provenance
                    .insert(field.to_owned(), evidence.field_source());
            }
        }
        article
    }
}

/// Reads a whole HTML file as one article, or rejects it saying why it holds none.
pub(crate) fn read_html_file(path: &str, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    let html = decode_html(bytes).text;
    let page = extract_html(&html, None);
    if !page.has_body {
        return sink(reject(
            path,
            Place::File,
            "HTML page has no body: no visible text outside <head>, scripts and navigation",
        ));
    }
    if page.text.trim().is_empty() {
        return sink(reject(
            path,
            Place::File,
            "no main text found in the HTML page (only navigation, forms or scripts)",
        ));
    }
    // Datelines and bylines printed at the top of the body ("GENEVA (MPA) -", "By ...") are read as for every
    // other format, where the markup did not give them.
    let mut article = read_text_markers(page.to_article());
    article.origin.path = path.to_owned();
    article.origin.place = Place::File;
    sink(Item::Article(Box::new(article)));
}
