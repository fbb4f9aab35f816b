//! Quality measurement against labelled public data: each submodule computes one published metric exactly.
//!
//! - [`evaluate_html_dir`]: main-text extraction from HTML pages (trafilatura's snippet metric).
//! - [`evaluate_language`]: language identification accuracy.
//! - [`evaluate_ner`]: named entities, exact-span F1 as conlleval computes it.
//! - [`evaluate_timex`]: temporal expressions, the TempEval-3 metric.
//! - [`evaluate_quotes`]: quotes and their speakers against PolNeAR.
//! - [`evaluate_stories`]: story clustering against gold event labels (BCubed and pairwise P/R/F1).
//! - [`evaluate_pairs`]: story similarity against human judgements of article pairs (Pearson).
//! - [`evaluate_basil`]: the comparison against BASIL's bias spans (framing labels against lexical bias, one-source
//!   statements against informational bias).
//! - [`evaluate_dedup`]: near-duplicate detection on planted, edited copies of real texts (precision, recall).
//! - [`evaluate_paraphrase`]: the same-statement decision against MSRP-form paraphrase labels (accuracy, F1).
//! - [`evaluate_align`]: statements aligned across languages against a gold alignment (precision, recall).

mod align;
mod basil;
mod dedup;
mod html;
mod lang;
mod ner;
mod pairs;
mod paraphrase;
mod quotes;
mod stories;
mod timex;

use std::io::BufRead;

use parallax_model::{Article, FieldSource, Origin, Place, Reject};
use serde::Serialize;
use serde_json::{Map, Value};

pub use align::{
    AlignReport, GoldAlignment, GoldPair, align_one_to_one, evaluate_align, read_gold_alignments,
};
pub use basil::{BasilReport, InformationalScores, LexicalScores, evaluate_basil};
pub use dedup::{DedupReport, EditCounts, evaluate_dedup};
pub use html::{
    HtmlCase, HtmlEvalConfig, HtmlEvalReport, PageErrors, SnippetCounts, evaluate_html_dir,
    score_page,
};
pub use lang::{
    Confusion, LangEvalConfig, LangReport, LanguageScore, evaluate_language, evaluate_language_file,
};
pub use ner::{NerScores, SpanCounts, evaluate_ner};
pub use pairs::{Correlation, PairsReport, ScoredPair, evaluate_pairs, pearson};
pub use paraphrase::{
    Decisions, FittedSimilarity, ParaphraseReport, evaluate_paraphrase, fit_paraphrase,
};
pub use quotes::{QuoteMistake, QuotesReport, evaluate_quotes};
pub use stories::{
    Level, NoLabelledArticles, StoriesEvalOptions, StoriesReport, TrainingRow, bcubed,
    evaluate_stories, pairwise, publication_order, training_rows,
};
pub use timex::{TimexMistake, TimexReport, evaluate_timex};

/// Precision, recall and their harmonic mean, as every evaluation reports them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Prf {
    /// Found items that match a gold item, over all found items.
    pub precision: f64,
    /// Gold items matched by a found item, over all gold items.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    /// The scores from a precision and a recall.
    pub fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }

    /// The scores from match counts on each side.
    pub fn from_counts(
        found_matched: usize,
        found: usize,
        gold_matched: usize,
        gold: usize,
    ) -> Self {
        Prf::new(ratio(found_matched, found), ratio(gold_matched, gold))
    }
}

/// `a / b`, or 0 when there is nothing to divide by.
pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The keys of Parallax's article record; anything else in a labelled file (a gold `event`) becomes an attribute.
const ARTICLE_KEYS: &[&str] = &[
    "id",
    "title",
    "text",
    "date",
    "source",
    "url",
    "language",
    "dateline",
    "byline",
    "sections",
    "origin",
    "provenance",
    "attributes",
];

/// Reads a labelled JSON Lines file in Parallax's article shape, keeping unknown keys (gold labels) as attributes.
///
/// Evaluations read their data sets with this rather than through ingestion, so that a gold label is never
/// touched by a reader's completion step and the articles are exactly what the data set holds. Fields are read as
/// `ingest` reads them: a key that is null counts as absent, a record without a title gets one derived from its
/// text (provenance `derived`), and a record without text is a reject. A line that is not an article becomes a
/// reject naming its line.
pub fn read_labelled_jsonl(path: &str, input: &mut dyn BufRead) -> (Vec<Article>, Vec<Reject>) {
    let mut articles = Vec::new();
    let mut rejects = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let place = Place::Line(i as u64 + 1);
        let reject = |reason: String| Reject {
            origin: Origin {
                path: path.to_owned(),
                place,
            },
            reason,
        };
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                rejects.push(reject(format!("cannot read: {e}")));
                break;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut object = match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                rejects.push(reject("not a JSON object".into()));
                continue;
            }
            Err(e) => {
                rejects.push(reject(format!("malformed JSON: {e}")));
                continue;
            }
        };
        // As `ingest` reads a record: a key given as null is a key not given.
        object.retain(|key, value| !(value.is_null() && ARTICLE_KEYS.contains(&key.as_str())));
        if object
            .get("text")
            .and_then(Value::as_str)
            .is_none_or(|text| text.trim().is_empty())
        {
            rejects.push(reject("no text".into()));
            continue;
        }
        let title_given = object
            .get("title")
            .and_then(Value::as_str)
            .is_some_and(|title| !title.trim().is_empty());
        if !title_given {
            object.insert("title".into(), Value::String(String::new()));
        }
        object
            .entry("id")
            .or_insert_with(|| Value::String(String::new()));
        let mut attributes = match object.remove("attributes") {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let unknown: Vec<String> = object
            .keys()
            .filter(|k| !ARTICLE_KEYS.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            if let Some(value) = object.remove(&key) {
                attributes.insert(key, value);
            }
        }
        object.insert("attributes".into(), Value::Object(attributes));
        object.remove("origin");
        match serde_json::from_value::<Article>(Value::Object(object)) {
            Ok(mut article) => {
                if !title_given {
                    article.title = crate::text::derive_title(&article.text);
                    article
                        .provenance
                        .insert("title".into(), FieldSource::Derived);
                }
                if article.id.0.is_empty() {
                    article.id = format!("{path}:{}", i + 1).as_str().into();
                }
                article.origin = Origin {
                    path: path.to_owned(),
                    place,
                };
                articles.push(article);
            }
            Err(e) => rejects.push(reject(format!("not an article record: {e}"))),
        }
    }
    (articles, rejects)
}
