//! Quality measurement against labelled public data: each submodule computes one published metric exactly.

mod html;
mod lang;

pub use html::{
    HtmlCase, HtmlEvalConfig, HtmlEvalReport, PageErrors, SnippetCounts, evaluate_html_dir,
    score_page,
};
pub use lang::{
    Confusion, LangEvalConfig, LangReport, LanguageScore, evaluate_language, evaluate_language_file,
};
