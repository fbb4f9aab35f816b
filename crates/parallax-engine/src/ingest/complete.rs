//! The completion every article passes through after its reader, whatever the format.

use parallax_model::{Article, ArticleId, FieldSource, Section};

use crate::{lang, text};

/// Completes an article as a reader left it: normalises its text, fills the language, a title where none was given,
/// one section covering the text where the reader found none, and the content-derived id.
pub fn complete_article(mut article: Article) -> Article {
    if article.sections.is_empty() {
        article.text = text::normalise_text(&article.text);
        article.sections.push(Section {
            heading: None,
            start: 0,
            end: article.text.len(),
        });
    }
    article.title = text::normalise_line(&article.title);
    if article.title.is_empty() {
        article.title = text::derive_title(&article.text);
        article
            .provenance
            .insert("title".into(), FieldSource::Derived);
    }
    if article.language.is_none()
        && let Some(code) = lang::detect_language(&article.text)
    {
        article.language = Some(code.to_owned());
        article
            .provenance
            .insert("language".into(), FieldSource::Detected);
    }
    if article.id.0.is_empty() {
        article.id = content_id(&article);
    }
    article
}

/// An id derived from what makes the article itself: its title and text.
fn content_id(article: &Article) -> ArticleId {
    let digest = text::content_hash(&[&article.title, &article.text]);
    ArticleId(digest[..16].to_owned())
}
