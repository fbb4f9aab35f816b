//! HTML pages: main text without boilerplate, and the page's metadata.

use parallax_model::Place;

use super::{Item, reject};

/// What a page yields: the article's fields as markup gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlPage {
    /// The extracted main text, paragraphs separated by blank lines.
    pub text: String,
    /// The headline.
    pub title: Option<String>,
}

/// Extracts the main text and metadata of an HTML page. Placeholder until the extractor lands.
pub fn extract_html(_html: &str, _url: Option<&str>) -> HtmlPage {
    HtmlPage::default()
}

/// Turns an HTML fragment (a feed item's content) into plain text with paragraph breaks.
pub fn html_fragment_to_text(html: &str) -> String {
    html.to_owned()
}

/// Reads a whole HTML file as one article.
pub(crate) fn read_html_file(path: &str, _bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    sink(reject(path, Place::File, "HTML is not read yet"))
}
