//! Quality measurement against labelled public data: each submodule computes one published metric exactly.

mod timex;

pub use timex::{Prf, TimexMistake, TimexReport, evaluate_timex};
