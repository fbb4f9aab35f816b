//! The completion every article passes through after its reader, whatever the format.

use parallax_model::{Article, ArticleId, FieldSource, Section};

use crate::{lang, text};

/// Completes an article as a reader left it: normalises its text (NFC, paragraphs separated by one blank line) and
/// one-line fields, makes sure it has valid sections (one covering the whole text where the reader found none),
/// fills a title derived from the text where none was given, detects the language where none was given, and derives
/// the id from the content where the input gave none.
///
/// A reader that sets sections must hand over text already normalised with [`text::normalise_text`], since
/// section offsets point into it; sections that do not fit the text are replaced by the default one.
pub fn complete_article(mut article: Article) -> Article {
    if article.sections.is_empty() {
        article.text = text::normalise_text_owned(std::mem::take(&mut article.text));
    }
    if !sections_fit(&article) {
        article.sections = vec![Section {
            heading: None,
            start: 0,
            end: article.text.len(),
        }];
    }
    article.title = text::normalise_line(&article.title);
    if article.title.is_empty() {
        article.title = text::derive_title(&article.text);
        article
            .provenance
            .insert("title".into(), FieldSource::Derived);
    }
    for field in [
        &mut article.source,
        &mut article.byline,
        &mut article.dateline,
        &mut article.url,
    ] {
        if let Some(value) = field {
            *value = text::normalise_line(value);
            if value.is_empty() {
                *field = None;
            }
        }
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

/// Whether the sections are non-empty, in order, within the text and on character boundaries.
fn sections_fit(article: &Article) -> bool {
    let text = &article.text;
    let mut previous_end = 0;
    !article.sections.is_empty()
        && article.sections.iter().all(|s| {
            let fits = s.start >= previous_end
                && s.start <= s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end);
            previous_end = s.end;
            fits
        })
}

/// An id derived from what makes the article itself: its title and text (128 bits of their BLAKE3 hash).
fn content_id(article: &Article) -> ArticleId {
    let digest = text::content_hash(&[&article.title, &article.text]);
    ArticleId(digest[..32].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_what_the_reader_left_open() {
        let article = complete_article(Article::new(
            "",
            "  The council met on Tuesday.  It voted to close the bridge.\r\n\r\n\r\nRepairs start in May.\n",
        ));
        assert_eq!(
            article.text,
            "  The council met on Tuesday.  It voted to close the bridge.\n\nRepairs start in May."
        );
        assert_eq!(article.title, "The council met on Tuesday.");
        assert_eq!(article.provenance["title"], FieldSource::Derived);
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(article.provenance["language"], FieldSource::Detected);
        assert_eq!(article.sections.len(), 1);
        assert_eq!(article.sections[0].end, article.text.len());
        assert_eq!(article.id.0.len(), 32);
    }

    #[test]
    fn the_same_content_gets_the_same_id() {
        let a = complete_article(Article::new("Bridge closed", "The council voted."));
        let b = complete_article(Article::new("Bridge  closed", "The council\nvoted."));
        let c = complete_article(Article::new("Bridge closed", "The council voted again."));
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
    }

    #[test]
    fn sections_that_do_not_fit_are_replaced() {
        let mut article = Article::new("T", "Short text.");
        article.sections = vec![Section {
            heading: Some("H".into()),
            start: 3,
            end: 400,
        }];
        let article = complete_article(article);
        assert_eq!(
            article.sections,
            vec![Section {
                heading: None,
                start: 0,
                end: 11
            }]
        );
    }
}
