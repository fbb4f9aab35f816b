//! Quality measurement against labelled public data: each submodule computes one published metric exactly.

mod lang;

pub use lang::{
    Confusion, LangEvalConfig, LangReport, LanguageScore, evaluate_language, evaluate_language_file,
};
