//! The Parallax pipeline: bytes in, articles, stories and comparisons out.
//!
//! The engine is pure: it reads input files it is pointed at, but does no network and no database I/O. The store
//! crate keeps what it produces and the CLI wires the two together. Stages meet through the plain data of
//! `parallax-model`.
//!
//! - [`ingest`]: readers for every input format, chosen by content, and the completion every article passes
//!   through (ids, normalisation, language, derived fields).
//! - [`lang`]: language identification.
//! - [`text`]: text normalisation shared by all stages.
//! - [`extract`]: who, what, where, when: tokens and sentences, entities with roles, dates and times, quotes and
//!   their speakers.
//! - [`dedup`]: exact and near-duplicate articles (wire copies, republications).
//! - [`cluster`]: online, multilingual story clustering.
//! - [`compare`]: the comparison of a story's sources: shared and one-source facts, disagreements, quotes, framing,
//!   timeline.
//! - [`embed`]: dense multilingual sentence embeddings from a model on disk (optional).
//! - [`eval`]: quality measurement against labelled public data.
#![deny(missing_docs)]

pub mod cluster;
pub mod compare;
pub mod dedup;
pub mod embed;
pub mod eval;
pub mod extract;
mod hashing;
pub mod ingest;
pub mod lang;
pub mod text;
mod threads;
