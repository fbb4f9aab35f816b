//! Extraction: who, what, where and when, read from an article's text.
//!
//! - [`find_time_expressions`]: temporal expressions resolved to TimeML values against the publication date.
//! - [`find_quotes`]: direct quotes and reported speech with their speakers, cues and intermediaries.

mod quotes;
mod timex;

pub use quotes::find_quotes;
pub use timex::find_time_expressions;
