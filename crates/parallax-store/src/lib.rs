//! Where Parallax keeps what the engine produces. Later stages see the [`Store`] trait, never SQL.
#![deny(missing_docs)]

use parallax_model::{Article, ArticleId, Reject};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// The store's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// What storing a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PutReport {
    /// Articles newly stored.
    pub stored: u64,
    /// Articles already present (same content), not stored again.
    pub duplicates: u64,
    /// Rejects recorded.
    pub rejected: u64,
}

/// Keeps articles and rejects.
pub trait Store {
    /// Stores a batch atomically: all of it or none of it.
    fn put_batch(&mut self, articles: &[Article], rejects: &[Reject]) -> Result<PutReport>;
    /// One article by id.
    fn article(&self, id: &ArticleId) -> Result<Option<Article>>;
    /// Every stored article, in publication order.
    fn articles(&self) -> Result<Vec<Article>>;
    /// Every reject recorded.
    fn rejects(&self) -> Result<Vec<Reject>>;
}
