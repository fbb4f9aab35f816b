//! The order of the Parallax pipeline over a store, in one place that every front end calls: the `parallax`
//! binary and the HTTP server.
//!
//! The engine's stages are pure and the store only keeps what they produce; this crate says in which order they
//! run against a store: store a batch of read articles ([`ingest_paths`], [`ingest_bytes`]), assign the stored
//! articles without a story to stories ([`assign_stories`]), extract every article still pending
//! ([`extract_pending`], which also hands each extracted article to an [`ArticleIndex`] such as the search index),
//! and compare a story's sources ([`story_comparison`], [`story_report`]). It prints nothing: what a front end
//! wants to show (rejects as they are met, progress, notices) comes through [`IngestEvents`].
//!
//! ```
//! use parallax_pipeline::{IngestConfig, NoEvents, ingest_bytes};
//! use parallax_store::{MemoryStore, Store};
//!
//! let mut store = MemoryStore::new();
//! let record = br#"{"title": "Talks in Moscow", "text": "Delegations met in Moscow on Thursday.", "source": "TASS"}"#;
//! let outcome = ingest_bytes(&mut store, "upload.json", record, &IngestConfig::default(), &NoEvents, None).unwrap();
//! assert_eq!(outcome.report.stored, 1);
//! assert_eq!(store.stories().unwrap().len(), 1);
//! ```
#![deny(missing_docs)]

mod compare;
mod extraction;
mod ingest;
mod stories;
mod storylines;

pub use compare::{
    COMPARED_UNITS, StoryReport, StoryUnitView, compared_members, story_comparison, story_report,
    unit_id, unit_title,
};
pub use extraction::{ArticleIndex, EXTRACT_PAGE, extract_pending, extract_pending_with};
pub use ingest::{
    IngestConfig, IngestEvents, IngestOutcome, NoEvents, TRANSACTION_BYTES, ingest_bytes,
    ingest_paths,
};
pub use stories::{assign_stories, restore_clusterer};
pub use storylines::{
    StorylineEvent, StorylineStory, StorylineSummary, TIMELINE_STORIES, linked_storylines,
    storyline, storyline_events, storyline_timeline, storylines, timeline_stories,
};

/// Errors of a pipeline run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] parallax_store::Error),
    /// The embedding model named could not be loaded.
    #[error(transparent)]
    Model(#[from] parallax_engine::embed::EncoderError),
    /// The saved story clusterer state cannot be read back.
    #[error("the saved story clusterer state cannot be read back: {0}")]
    ClustererState(serde_json::Error),
    /// A worker thread died.
    #[error("{0}")]
    Thread(&'static str),
    /// The index an extraction run feeds failed.
    #[error("the search index: {0}")]
    Index(String),
}

/// The pipeline's result type.
pub type Result<T> = std::result::Result<T, Error>;
