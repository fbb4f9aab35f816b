//! Quality measurement against labelled public data: each submodule computes one published metric exactly.

mod ner;

pub use ner::{NerScores, SpanCounts, evaluate_ner};
