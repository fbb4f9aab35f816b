//! HTML pages as users save them: the article's text without the site around it, and the metadata the markup
//! declares, each field saying where it came from. Every fixture here is invented for these tests.

use parallax_engine::ingest::{
    Item, PageEvidence, extract_html, html_fragment_to_text, read_input,
};
use parallax_model::{Article, FieldSource, Place};

/// A news page with everything a real one carries around its article: navigation, a cookie notice, a "read also"
/// box, a newsletter prompt and a footer, plus Open Graph and article meta tags and a JSON-LD block.
const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Varnholm harbour reopens after storm repairs | The Varnholm Courier</title>
  <meta property="og:title" content="Varnholm harbour reopens after storm repairs">
  <meta property="og:site_name" content="The Varnholm Courier">
  <meta property="og:url" content="https://courier.example/news/harbour-reopens">
  <meta property="article:published_time" content="2024-03-14T09:30:00+01:00">
  <meta name="author" content="By Ilse Marrow">
  <link rel="canonical" href="/news/2024/03/14/harbour-reopens">
  <script type="application/ld+json">
  {"@context": "https://schema.org", "@graph": [
    {"@type": "WebSite", "name": "Courier website"},
    {"@type": "NewsArticle", "headline": "Harbour reopens (JSON-LD)", "datePublished": "2024-03-13",
     "author": [{"@type": "Person", "name": "Ilse Marrow"}], "publisher": {"@type": "Organization", "name": "Courier Media"}}
  ]}
  </script>
  <style>body { font-family: serif; }</style>
</head>
<body>
  <div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies</div>
  <header class="site-header">
    <nav class="main-nav"><ul>
      <li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/weather">Weather</a></li><li><a href="/contact">Contact us</a></li>
    </ul></nav>
  </header>
  <main>
    <article class="article">
      <h1>Varnholm harbour reopens after storm repairs</h1>
      <p class="byline">By Ilse Marrow</p>
      <div class="article-body">
        <p>The harbour of Varnholm reopened to fishing boats on Thursday, four months after the January storm tore
        away most of its northern breakwater and left the quays under water for a week.</p>
        <p>Harbour master Teodor Quist said the rebuilt breakwater is two metres higher than the old one, and that
        the port authority had spent most of its reserve fund on the repairs, which were finished ahead of schedule.</p>
        <p>"We owe this to the crews who worked through the worst of the winter," Quist told reporters at the
        reopening, as the first trawlers of the season moved out past the new harbour lights.</p>
        <p>Fishermen's association chair Rosa Vell said her members had lost most of the winter season and would
        ask the regional council for compensation at its next sitting in April.</p>
      </div>
    </article>
    <aside class="related">
      <h3>Read also</h3>
      <ul>
        <li><a href="/news/ferry">Ferry timetable changes for the summer season</a></li>
        <li><a href="/news/bridge">Council debates new bridge tolls</a></li>
      </ul>
    </aside>
    <div class="newsletter">Sign up for our newsletter and never miss a story from the Courier.</div>
  </main>
  <footer class="site-footer">
    <p>© 2024 The Varnholm Courier. All rights reserved.</p>
    <p><a href="/privacy">Privacy policy</a> · <a href="/terms">Terms of use</a> · <a href="/imprint">Imprint</a></p>
  </footer>
</body>
</html>"#;

fn read(path: &str, bytes: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    read_input(path, &mut &bytes[..], &mut |item| items.push(item));
    items
}

fn only_article(items: Vec<Item>) -> Article {
    match items.as_slice() {
        [Item::Article(article)] => (**article).clone(),
        other => panic!("expected one article, got {other:?}"),
    }
}

fn only_reject_reason(items: Vec<Item>) -> String {
    match items.as_slice() {
        [Item::Reject(reject)] => {
            assert_eq!(reject.origin.place, Place::File);
            reject.reason.clone()
        }
        other => panic!("expected one reject, got {other:?}"),
    }
}

#[test]
fn news_page_keeps_the_article_and_drops_the_site_around_it() {
    let page = extract_html(
        NEWS_PAGE,
        Some("https://courier.example/news/harbour-reopens?ref=home"),
    );
    let text = &page.text;
    for kept in [
        "The harbour of Varnholm reopened to fishing boats on Thursday",
        "Harbour master Teodor Quist said the rebuilt breakwater",
        "\"We owe this to the crews who worked through the worst of the winter,\"",
        "would ask the regional council for compensation",
    ] {
        assert!(text.contains(kept), "missing {kept:?} in:\n{text}");
    }
    for dropped in [
        "cookies",
        "Politics",
        "Read also",
        "Ferry timetable",
        "newsletter",
        "All rights reserved",
        "Privacy policy",
        "font-family",
    ] {
        assert!(
            !text.contains(dropped),
            "kept boilerplate {dropped:?} in:\n{text}"
        );
    }
    assert!(
        text.contains("ahead of schedule.\n\n\"We owe this"),
        "paragraphs must be separated by a blank line:\n{text}"
    );
}

#[test]
fn news_page_metadata_comes_from_the_most_careful_markup() {
    let page = extract_html(
        NEWS_PAGE,
        Some("https://courier.example/news/harbour-reopens?ref=home"),
    );
    assert_eq!(
        page.title.as_deref(),
        Some("Varnholm harbour reopens after storm repairs")
    );
    assert_eq!(page.title_from, Some(PageEvidence::Meta("og:title".into())));
    assert_eq!(
        page.date.map(|d| d.to_string()).as_deref(),
        Some("2024-03-14T09:30:00+01:00")
    );
    assert_eq!(
        page.date_from,
        Some(PageEvidence::Meta("article:published_time".into()))
    );
    assert_eq!(page.byline.as_deref(), Some("Ilse Marrow"));
    assert_eq!(page.byline_from, Some(PageEvidence::Meta("author".into())));
    assert_eq!(
        page.url.as_deref(),
        Some("https://courier.example/news/2024/03/14/harbour-reopens"),
        "the relative canonical link is resolved against the given URL"
    );
    assert_eq!(
        page.url_from,
        Some(PageEvidence::Element("link[rel=canonical]".into()))
    );
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.source.as_deref(), Some("The Varnholm Courier"));
    assert_eq!(
        page.source_from,
        Some(PageEvidence::Meta("og:site_name".into()))
    );
}

#[test]
fn json_ld_and_elements_stand_in_when_meta_tags_are_missing() {
    let html = r#"<html><head>
      <title>Dam inspection finds cracks - Regional - Lakeside Post</title>
      <script type="application/ld+json">
        {"@type": ["NewsArticle"], "datePublished": "2023-11-02T07:15:00Z",
         "author": [{"name": "Aram Fenn"}, {"name": "Lotte Brill"}],
         "publisher": {"name": "Lakeside Post"}}
      </script></head>
      <body><h1>Dam inspection finds cracks in the spillway</h1>
      <p>Inspectors found hairline cracks in the spillway of the Orrin dam during the autumn survey, the water board
      said on Thursday, and ordered the reservoir lowered by a metre while engineers assess the damage.</p>
      </body></html>"#;
    let page = extract_html(html, None);
    assert_eq!(
        page.title.as_deref(),
        Some("Dam inspection finds cracks in the spillway")
    );
    assert_eq!(page.title_from, Some(PageEvidence::Element("h1".into())));
    assert_eq!(
        page.date.map(|d| d.to_string()).as_deref(),
        Some("2023-11-02T07:15:00+00:00")
    );
    assert_eq!(
        page.date_from,
        Some(PageEvidence::JsonLd("datePublished".into()))
    );
    assert_eq!(page.byline.as_deref(), Some("Aram Fenn, Lotte Brill"));
    assert_eq!(page.source.as_deref(), Some("Lakeside Post"));
    assert_eq!(
        page.source_from,
        Some(PageEvidence::JsonLd("publisher.name".into()))
    );
    assert_eq!(page.url, None);
    assert!(page.text.contains("hairline cracks in the spillway"));
}

#[test]
fn title_tag_time_element_and_url_are_the_last_resorts() {
    let html = r#"<html><head><title>Night trains return to the coast line | Rail Weekly</title></head>
      <body><div class="post"><p>Posted <time datetime="2022-06-30">last Thursday</time></p>
      <p>Night trains will run again on the coast line from September, the operator said, ending a pause of three
      years that began when the sleeper carriages were withdrawn for repairs that took far longer than planned.</p>
      </div></body></html>"#;
    let page = extract_html(
        html,
        Some("https://www.railweekly.example/2022/07/01/night-trains"),
    );
    assert_eq!(
        page.title.as_deref(),
        Some("Night trains return to the coast line")
    );
    assert_eq!(page.title_from, Some(PageEvidence::TitleTag));
    assert_eq!(
        page.date.map(|d| d.to_string()).as_deref(),
        Some("2022-06-30")
    );
    assert_eq!(
        page.date_from,
        Some(PageEvidence::Element("time[datetime]".into()))
    );
    assert_eq!(page.source.as_deref(), Some("railweekly.example"));
    assert_eq!(page.source_from, Some(PageEvidence::UrlHost));
    assert_eq!(page.url_from, Some(PageEvidence::GivenUrl));

    let undated = "<html><body><p>Short notice.</p></body></html>";
    let page = extract_html(undated, Some("https://news.example/2021/05/04/notice"));
    assert_eq!(
        page.date.map(|d| d.to_string()).as_deref(),
        Some("2021-05-04")
    );
    assert_eq!(page.date_from, Some(PageEvidence::UrlPath));
    assert_eq!(page.text, "Short notice.");
}

#[test]
fn an_html_file_becomes_an_article_with_provenance() {
    let article = only_article(read("saved/harbour.html", NEWS_PAGE.as_bytes()));
    assert_eq!(
        article.title,
        "Varnholm harbour reopens after storm repairs"
    );
    assert_eq!(article.byline.as_deref(), Some("Ilse Marrow"));
    assert_eq!(article.source.as_deref(), Some("The Varnholm Courier"));
    assert_eq!(article.language.as_deref(), Some("en"));
    assert_eq!(
        article.url.as_deref(),
        Some("https://courier.example/news/2024/03/14/harbour-reopens"),
        "without a given URL, the canonical link resolves against og:url"
    );
    assert_eq!(article.origin.path, "saved/harbour.html");
    for field in ["title", "date", "byline", "url", "language", "source"] {
        assert_eq!(
            article.provenance.get(field),
            Some(&FieldSource::Markup),
            "{field}"
        );
    }
    assert!(article.text.starts_with("The harbour of Varnholm reopened"));
}

#[test]
fn a_page_without_a_body_is_rejected_with_a_reason() {
    let head_only = b"<!DOCTYPE html><html><head><title>Placeholder</title></head></html>";
    let reason = only_reject_reason(read("empty.html", head_only));
    assert!(reason.contains("no body"), "{reason}");

    let scripts_only = b"<html><head></head><body><script>render()</script>  </body></html>";
    let reason = only_reject_reason(read("app.html", scripts_only));
    assert!(reason.contains("no body"), "{reason}");
}

#[test]
fn a_page_in_a_legacy_charset_declared_by_meta_is_decoded() {
    // Windows-1251 Cyrillic and ISO-8859-1 German, each declared only by the page's own meta tag.
    let (cyrillic, _, _) = encoding_rs::WINDOWS_1251.encode(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\
         <title>Мост открыт</title></head><body><p>Новый мост через реку Варна открыли в пятницу после \
         двух лет строительства, сообщила городская администрация.</p></body></html>",
    );
    let article = only_article(read("bridge.html", &cyrillic));
    assert_eq!(article.title, "Мост открыт");
    assert!(
        article.text.starts_with("Новый мост через реку Варна"),
        "{}",
        article.text
    );

    let (german, _, _) = encoding_rs::WINDOWS_1252.encode(
        "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Die Brücke über die Möhne ist \
         nach zwei Jahren wieder für Fußgänger geöffnet.</p></body></html>",
    );
    let article = only_article(read("bruecke.html", &german));
    assert!(
        article.text.contains("Brücke über die Möhne"),
        "{}",
        article.text
    );
    assert!(article.text.contains("Fußgänger"), "{}", article.text);
}

#[test]
fn feed_content_becomes_paragraphs() {
    let fragment = "<p>First paragraph with <a href=\"#\">a link</a>.</p>\n<p>Second&nbsp;one.<br/>Same paragraph, \
                    new line.</p><script>track()</script>";
    assert_eq!(
        html_fragment_to_text(fragment),
        "First paragraph with a link.\n\nSecond one.\nSame paragraph, new line."
    );
}
