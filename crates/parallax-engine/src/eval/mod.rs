//! Quality measurement against labelled public data: each submodule computes one published metric exactly.

mod quotes;
mod timex;

pub use quotes::{QuotesReport, evaluate_quotes};
pub use timex::{Prf, TimexMistake, TimexReport, evaluate_timex};
