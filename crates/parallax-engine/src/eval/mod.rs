//! Quality measurement against labelled public data: each submodule computes one published metric exactly.

mod lang;
mod ner;
mod quotes;
mod timex;

pub use lang::{
    Confusion, LangEvalConfig, LangReport, LanguageScore, evaluate_language, evaluate_language_file,
};
pub use ner::{NerScores, SpanCounts, evaluate_ner};
pub use quotes::{QuotesReport, evaluate_quotes};
pub use timex::{Prf, TimexMistake, TimexReport, evaluate_timex};
