//! Quality measurement against labelled public data: each submodule computes one published metric exactly.
//!
//! - [`evaluate_language`]: language identification accuracy.
//! - [`evaluate_stories`]: story clustering against gold event labels (BCubed and pairwise P/R/F1).
//! - [`evaluate_pairs`]: story similarity against human judgements of article pairs (Pearson).
//! - [`evaluate_dedup`]: near-duplicate detection on planted, edited copies of real texts (precision, recall).

mod dedup;
mod lang;
mod pairs;
mod stories;

use std::io::BufRead;

use parallax_model::{Article, Origin, Place, Reject};
use serde_json::{Map, Value};

pub use dedup::{DedupReport, EditCounts, evaluate_dedup};
pub use lang::{
    Confusion, LangEvalConfig, LangReport, LanguageScore, evaluate_language, evaluate_language_file,
};
pub use pairs::{Correlation, PairsReport, evaluate_pairs, pearson};
pub use stories::{
    Prf, StoriesEvalOptions, StoriesReport, TrainingRow, bcubed, evaluate_stories, pairwise,
    publication_order, training_rows,
};

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
/// touched by a reader's completion step and the articles are exactly what the data set holds. A line that is
/// not an article becomes a reject naming its line.
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
