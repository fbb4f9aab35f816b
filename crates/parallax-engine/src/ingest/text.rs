//! Plain text articles: header lines, in-text markers, datelines, bylines and subheaded sections.

use parallax_model::{Article, FieldSource, Origin, Place};

use super::{Item, decode, reject};

/// Reads a whole text file as one article. Placeholder: the first line is the title.
pub(crate) fn read_text_file(path: &str, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    let decoded = decode(bytes);
    if decoded.text.trim().is_empty() {
        return sink(reject(path, Place::File, "empty file"));
    }
    let (title, body) = decoded
        .text
        .trim_start()
        .split_once('\n')
        .unwrap_or(("", decoded.text.as_str()));
    let mut article = Article::new(title, body);
    article
        .provenance
        .insert("title".into(), FieldSource::Header);
    article.origin = Origin {
        path: path.to_owned(),
        place: Place::File,
    };
    sink(Item::Article(Box::new(article)));
}
