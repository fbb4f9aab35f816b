//! What several integration tests share: the seed articles as the readers make them.

use std::fs;
use std::path::PathBuf;

use parallax_engine::ingest::{Item, read_input};
use parallax_model::Article;

/// The seed file `name` of `../shared/seeds` as the text reader makes it an article, or None where `../shared` is
/// absent (a user's clone): the caller skips, saying so.
pub(crate) fn seed(name: &str) -> Option<Article> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ))
    .join(name);
    let bytes = fs::read(&path).ok()?;
    let mut article = None;
    read_input(
        &path.to_string_lossy(),
        &mut bytes.as_slice(),
        &mut |item| {
            if let Item::Article(a) = item {
                article.get_or_insert(*a);
            }
        },
    );
    article
}
