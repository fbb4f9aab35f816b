//! A page's metadata, read from its markup in the order publishers are most careful with: social-card and
//! article meta tags, then JSON-LD, then visible elements, then the URL.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;
use trafilatura::dom::{Document, NodeId};

use super::{HtmlPage, PageEvidence};
use crate::ingest::parse_date;

/// Meta keys that carry the publication date, most specific first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "originalpublicationdate",
];

/// Meta keys that carry the author.
const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
];

/// JSON-LD types that describe the article itself rather than the site or a breadcrumb.
const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenews",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
    "posting",
    "socialmediaposting",
];

/// Reads every metadata field of a parsed page, and the page's description (its summary for search engines and
/// social cards, which is often its lead paragraph). The text is left empty for the caller.
pub(crate) fn read_metadata(document: &Document, url: Option<&str>) -> (HtmlPage, Option<String>) {
    let root = document.root();
    let meta = meta_tags(document, root);
    let json_ld = article_json_ld(document);
    let mut page = HtmlPage::default();

    let (page_url, url_from) = canonical_url(document, root, &meta, url);
    page.url = page_url;
    page.url_from = url_from;

    (page.source, page.source_from) = outlet(&meta, json_ld.as_ref(), page.url.as_deref(), url);
    (page.title, page.title_from) = headline(
        document,
        root,
        &meta,
        json_ld.as_ref(),
        page.source.as_deref(),
    );
    (page.date, page.date_from) = publication_date(
        document,
        root,
        &meta,
        json_ld.as_ref(),
        [page.url.as_deref(), url],
    );
    (page.byline, page.byline_from) = byline(document, root, &meta, json_ld.as_ref());
    (page.language, page.language_from) = language(document, root, &meta);
    let description = ["description", "og:description", "twitter:description"]
        .iter()
        .filter_map(|key| meta.get(*key))
        .max_by_key(|d| d.len())
        .cloned();
    (page, description)
}

/// The `content` of each meta tag, keyed by its lower-cased `property`, `name`, `itemprop` or `http-equiv`; the
/// first tag of a key wins, as publishers put the article's own tags before any repeated in embedded widgets.
fn meta_tags(document: &Document, root: NodeId) -> HashMap<String, String> {
    let mut tags = HashMap::new();
    for id in document.query_selector_all(root, "meta") {
        let Some(content) = document.get_attribute(id, "content") else {
            continue;
        };
        let content = tidy(&content);
        if content.is_empty() {
            continue;
        }
        for key_attribute in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(key) = document.get_attribute(id, key_attribute) {
                tags.entry(key.trim().to_ascii_lowercase())
                    .or_insert_with(|| content.clone());
            }
        }
    }
    tags
}

/// The JSON-LD object describing the article: the first whose `@type` is an article type, looking inside
/// `@graph` lists; failing that, the first object with a headline.
fn article_json_ld(document: &Document) -> Option<Value> {
    let mut candidates = Vec::new();
    for id in document.scripts_with_type(&["application/ld+json"]) {
        let raw = document.text_content(id);
        let raw = raw
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        if let Ok(value) = serde_json::from_str::<Value>(raw) {
            flatten_json_ld(value, &mut candidates, 0);
        }
    }
    let is_article = |value: &Value| match value.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.to_ascii_lowercase().as_str()),
        Some(Value::Array(types)) => types.iter().any(|t| {
            t.as_str()
                .is_some_and(|t| ARTICLE_TYPES.contains(&t.to_ascii_lowercase().as_str()))
        }),
        _ => false,
    };
    let position = candidates
        .iter()
        .position(is_article)
        .or_else(|| candidates.iter().position(|v| v.get("headline").is_some()))?;
    Some(candidates.swap_remove(position))
}

/// Collects the objects of a JSON-LD value: arrays and `@graph` lists are opened, a few levels deep at most.
fn flatten_json_ld(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                flatten_json_ld(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten_json_ld(graph, out, depth + 1);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

/// The names in a JSON-LD person or organisation value: a string, an object with `name`, or a list of either.
fn json_ld_names(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => vec![tidy(name)],
        Value::Object(map) => map.get("name").map(json_ld_names).unwrap_or_default(),
        Value::Array(items) => items.iter().flat_map(json_ld_names).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|name| !name.is_empty())
    .collect()
}

fn json_ld_string(article: Option<&Value>, key: &str) -> Option<String> {
    let value = article?.get(key)?;
    let text = match value {
        Value::String(s) => tidy(s),
        Value::Array(items) => tidy(items.first()?.as_str()?),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// The canonical URL: `<link rel=canonical>` (resolved against the given URL or `og:url`), `og:url`, else the given
/// URL.
fn canonical_url(
    document: &Document,
    root: NodeId,
    meta: &HashMap<String, String>,
    given: Option<&str>,
) -> (Option<String>, Option<PageEvidence>) {
    // A relative canonical link resolves against where the page was read from, or failing that its own og:url.
    let base = given
        .or(meta.get("og:url").map(String::as_str))
        .and_then(|u| url::Url::parse(u).ok());
    let absolute = |href: &str| -> Option<String> {
        let href = href.trim();
        let parsed = match &base {
            Some(base) => base.join(href).ok()?,
            None => url::Url::parse(href).ok()?,
        };
        matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
    };
    for id in document.query_selector_all(root, "link[rel][href]") {
        let rel = document.get_attribute(id, "rel").unwrap_or_default();
        if rel
            .split_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
            && let Some(url) = document
                .get_attribute(id, "href")
                .as_deref()
                .and_then(absolute)
        {
            return (
                Some(url),
                Some(PageEvidence::Element("link[rel=canonical]".into())),
            );
        }
    }
    if let Some(url) = meta.get("og:url").and_then(|u| absolute(u)) {
        return (Some(url), Some(PageEvidence::Meta("og:url".into())));
    }
    match given {
        Some(url) => (Some(url.to_owned()), Some(PageEvidence::GivenUrl)),
        None => (None, None),
    }
}

/// The outlet: `og:site_name`, the JSON-LD publisher, else the host of the URL without `www.`.
fn outlet(
    meta: &HashMap<String, String>,
    article: Option<&Value>,
    page_url: Option<&str>,
    given: Option<&str>,
) -> (Option<String>, Option<PageEvidence>) {
    if let Some(name) = meta.get("og:site_name") {
        return (
            Some(name.clone()),
            Some(PageEvidence::Meta("og:site_name".into())),
        );
    }
    if let Some(name) = article
        .and_then(|a| a.get("publisher"))
        .and_then(|p| json_ld_names(p).into_iter().next())
    {
        return (
            Some(name),
            Some(PageEvidence::JsonLd("publisher.name".into())),
        );
    }
    let host = [given, page_url]
        .into_iter()
        .flatten()
        .filter_map(|u| url::Url::parse(u).ok())
        .find_map(|u| u.host_str().map(str::to_owned));
    match host {
        Some(host) => (
            Some(host.strip_prefix("www.").unwrap_or(&host).to_owned()),
            Some(PageEvidence::UrlHost),
        ),
        None => (None, None),
    }
}

/// The headline: `og:title`, JSON-LD `headline`, the first `<h1>`, else `<title>`; site names appended with a
/// separator (" | Site", " - Site") are taken off.
fn headline(
    document: &Document,
    root: NodeId,
    meta: &HashMap<String, String>,
    article: Option<&Value>,
    site: Option<&str>,
) -> (Option<String>, Option<PageEvidence>) {
    if let Some(title) = meta.get("og:title").or_else(|| meta.get("twitter:title")) {
        let key = if meta.contains_key("og:title") {
            "og:title"
        } else {
            "twitter:title"
        };
        let title = strip_site_name(title, site, false);
        if !title.is_empty() {
            return (Some(title), Some(PageEvidence::Meta(key.into())));
        }
    }
    if let Some(title) = json_ld_string(article, "headline") {
        return (Some(title), Some(PageEvidence::JsonLd("headline".into())));
    }
    for id in document.query_selector_all(root, "h1") {
        let text = tidy(&document.text_content(id));
        if !text.is_empty() && text.chars().count() <= 300 {
            return (Some(text), Some(PageEvidence::Element("h1".into())));
        }
    }
    if let Some(id) = document.query_selector(root, "title") {
        let title = strip_site_name(&tidy(&document.text_content(id)), site, true);
        if !title.is_empty() {
            return (Some(title), Some(PageEvidence::TitleTag));
        }
    }
    (None, None)
}

/// Separators sites put between a headline and their own name or section.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " / ",
];

/// Takes a site name off either end of a title. With `guess` (a `<title>`, which nearly always carries one), a
/// short trailing part that does not name the site is taken to be the site or section too.
fn strip_site_name(title: &str, site: Option<&str>, guess: bool) -> String {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let site = site.map(squash).filter(|s| !s.is_empty());
    let names_site = |part: &str| {
        let part = squash(part);
        !part.is_empty()
            && site
                .as_deref()
                .is_some_and(|site| site.contains(&part) || part.contains(site))
    };
    let mut title = title.trim().to_owned();
    while let Some((at, separator)) = TITLE_SEPARATORS
        .iter()
        .filter_map(|s| title.rfind(s).map(|at| (at, *s)))
        .max_by_key(|(at, _)| *at)
    {
        let (head, tail) = (&title[..at], &title[at + separator.len()..]);
        let short_tail = tail.chars().count() <= 40 && tail.len() * 2 <= head.len();
        if names_site(tail) || (guess && short_tail) {
            title = head.trim().to_owned();
        } else {
            break;
        }
    }
    if let Some((at, separator)) = TITLE_SEPARATORS
        .iter()
        .filter_map(|s| title.find(s).map(|at| (at, *s)))
        .min_by_key(|(at, _)| *at)
        && names_site(&title[..at])
    {
        title = title[at + separator.len()..].trim().to_owned();
    }
    title
}

/// The publication date: article meta tags, `itemprop=datePublished`, JSON-LD `datePublished`, the first
/// `<time datetime>`, else a date in the URL's path.
fn publication_date(
    document: &Document,
    root: NodeId,
    meta: &HashMap<String, String>,
    article: Option<&Value>,
    urls: [Option<&str>; 2],
) -> (Option<parallax_model::PubDate>, Option<PageEvidence>) {
    for key in DATE_META {
        if let Some(date) = meta.get(*key).and_then(|d| parse_date(d)) {
            return (Some(date), Some(PageEvidence::Meta((*key).into())));
        }
    }
    for id in document.query_selector_all(root, "[itemprop=datePublished]") {
        let value = ["content", "datetime"]
            .iter()
            .find_map(|a| document.get_attribute(id, a))
            .unwrap_or_else(|| document.text_content(id));
        if let Some(date) = parse_date(&value) {
            return (
                Some(date),
                Some(PageEvidence::Element("itemprop=datePublished".into())),
            );
        }
    }
    for key in ["datePublished", "dateCreated"] {
        if let Some(date) = json_ld_string(article, key).and_then(|d| parse_date(&d)) {
            return (Some(date), Some(PageEvidence::JsonLd(key.into())));
        }
    }
    for id in document.query_selector_all(root, "time[datetime]") {
        if let Some(date) = document
            .get_attribute(id, "datetime")
            .and_then(|d| parse_date(&d))
        {
            return (
                Some(date),
                Some(PageEvidence::Element("time[datetime]".into())),
            );
        }
    }
    for url in urls.into_iter().flatten() {
        if let Some(date) = date_in_url(url) {
            return (Some(date), Some(PageEvidence::UrlPath));
        }
    }
    (None, None)
}

/// A day written into a URL's path: `/2023/10/27/`, `/2023-10-27-`, `/20231027/`.
fn date_in_url(url: &str) -> Option<parallax_model::PubDate> {
    static DATE_PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
            .expect("the URL date pattern is valid")
    });
    let path = url::Url::parse(url).ok()?.path().to_owned();
    let found = DATE_PATH.captures(&path)?;
    let day = chrono::NaiveDate::from_ymd_opt(
        found[1].parse().ok()?,
        found[2].parse().ok()?,
        found[3].parse().ok()?,
    )?;
    Some(parallax_model::PubDate::Day(day))
}

/// The author line: author meta tags, JSON-LD `author`, an `itemprop=author` or `rel=author` element, else an
/// element whose class names it a byline.
fn byline(
    document: &Document,
    root: NodeId,
    meta: &HashMap<String, String>,
    article: Option<&Value>,
) -> (Option<String>, Option<PageEvidence>) {
    for key in AUTHOR_META {
        if let Some(author) = meta.get(*key).and_then(|a| clean_byline(a)) {
            return (Some(author), Some(PageEvidence::Meta((*key).into())));
        }
    }
    if let Some(authors) = article.and_then(|a| a.get("author")) {
        let names = json_ld_names(authors);
        if let Some(author) = clean_byline(&names.join(", ")) {
            return (Some(author), Some(PageEvidence::JsonLd("author".into())));
        }
    }
    let selectors = [
        ("[itemprop=author]", "itemprop=author"),
        ("a[rel=author]", "a[rel=author]"),
        (".byline", "class=byline"),
        (".author", "class=author"),
        (".article-author", "class=article-author"),
    ];
    for (selector, label) in selectors {
        for id in document.query_selector_all(root, selector) {
            let name = document
                .get_attribute(id, "content")
                .unwrap_or_else(|| document.text_content(id));
            if let Some(author) = clean_byline(&name) {
                return (Some(author), Some(PageEvidence::Element(label.into())));
            }
        }
    }
    (None, None)
}

/// An author line as readers want it: no "By", no profile URL, not a paragraph.
fn clean_byline(raw: &str) -> Option<String> {
    let text = tidy(raw);
    let lower = text.to_lowercase();
    let text = ["by ", "von ", "par ", "por ", "di "]
        .iter()
        .find(|prefix| lower.starts_with(*prefix))
        .map_or(text.as_str(), |prefix| &text[prefix.len()..])
        .trim();
    let looks_like_name = !text.is_empty()
        && text.chars().count() <= 120
        && !text.starts_with("http")
        && !text.contains('@')
        && text.chars().any(char::is_alphabetic);
    looks_like_name.then(|| text.to_owned())
}

/// The declared language: `<html lang>`, the `Content-Language` meta, else `og:locale`; as an ISO 639-1 code.
fn language(
    document: &Document,
    root: NodeId,
    meta: &HashMap<String, String>,
) -> (Option<String>, Option<PageEvidence>) {
    if let Some(code) = document
        .query_selector(root, "html")
        .and_then(|id| document.get_attribute(id, "lang"))
        .and_then(|lang| iso_639_1(&lang))
    {
        return (Some(code), Some(PageEvidence::Element("html[lang]".into())));
    }
    for key in ["content-language", "language", "dc.language", "og:locale"] {
        if let Some(code) = meta.get(key).and_then(|lang| iso_639_1(lang)) {
            return (Some(code), Some(PageEvidence::Meta(key.into())));
        }
    }
    (None, None)
}

/// The two-letter primary subtag of a language tag ("en-US", "de_DE", "fr"), lower-cased.
fn iso_639_1(tag: &str) -> Option<String> {
    let primary = tag
        .trim()
        .split(['-', '_', ',', ';', ' '])
        .next()?
        .to_ascii_lowercase();
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_lowercase())).then_some(primary)
}

/// Collapses whitespace runs to one space and trims.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_site_names_off_titles() {
        let check = |title: &str, site: Option<&str>, guess: bool, expect: &str| {
            assert_eq!(strip_site_name(title, site, guess), expect, "{title}");
        };
        check(
            "Harbour reopens | The Varnholm Courier",
            Some("The Varnholm Courier"),
            false,
            "Harbour reopens",
        );
        check(
            "Varnholm Courier - Harbour reopens after storm",
            Some("Varnholm Courier"),
            false,
            "Harbour reopens after storm",
        );
        check(
            "Harbour reopens after the long winter storm - Politics - Courier",
            None,
            true,
            "Harbour reopens after the long winter storm",
        );
        check(
            "Left - right talks collapse",
            Some("Courier"),
            false,
            "Left - right talks collapse",
        );
    }

    #[test]
    fn reads_dates_off_url_paths() {
        let check = |url: &str, expect: Option<&str>| {
            assert_eq!(
                date_in_url(url).map(|d| d.to_string()).as_deref(),
                expect,
                "{url}"
            );
        };
        check(
            "https://news.example/2023/10/27/harbour",
            Some("2023-10-27"),
        );
        check(
            "https://news.example/world/2023-10-27-harbour.html",
            Some("2023-10-27"),
        );
        check(
            "https://news.example/a/20231027/harbour",
            Some("2023-10-27"),
        );
        check("https://news.example/a/2023/13/40/harbour", None);
        check("https://news.example/item/12345678", None);
    }

    #[test]
    fn reads_language_tags() {
        assert_eq!(iso_639_1("en-US").as_deref(), Some("en"));
        assert_eq!(iso_639_1("de_DE").as_deref(), Some("de"));
        assert_eq!(iso_639_1("x-default"), None);
    }
}
