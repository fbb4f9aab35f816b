//! Quotes (placeholder until the quote finder lands).

use parallax_model::Quote;

/// Finds the quotes in `text`.
pub fn find_quotes(_text: &str) -> Vec<Quote> {
    Vec::new()
}
