//! Quality measurement against labelled public data: each submodule computes one published metric exactly.

mod html;

pub use html::{
    HtmlCase, HtmlEvalConfig, HtmlEvalReport, PageErrors, SnippetCounts, evaluate_html_dir,
    score_page,
};
