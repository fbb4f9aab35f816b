//! Builds the table of how common each English word is in news (`compare/framing/news_vocabulary_en.tsv`), which
//! framing reads to tell a source's own wording from the words every report uses: for each word stem (Snowball
//! English, lower case, without a possessive), the share of articles that use it, in thousandths, for the stems in
//! at least 1% of the articles. Only stems and counts are written, no text.
//!
//! The shipped table was built from unlabelled English news: the PolNeAR articles (2016 US election coverage), the
//! ECB+ articles and the English articles of the SemEval-2022 pairs (world news of 2020), and never from BASIL,
//! which measures framing:
//!
//! ```text
//! cargo run --release -p parallax-engine --example news_vocabulary -- \
//!     ../shared/datasets/quotes/train/text ../shared/datasets/quotes/dev/text \
//!     ../shared/datasets/ecbplus-train-dev.jsonl ../shared/datasets/semeval2022-pairs-train.csv \
//!     > crates/parallax-engine/src/compare/framing/news_vocabulary_en.tsv
//! ```
//!
//! A folder is read as one article per `.txt` file; a `.jsonl` file as one article per line, its `text` field; a
//! `.csv` file as SemEval-2022 pairs, their English articles.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rust_stemmers::{Algorithm, Stemmer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut texts = Vec::new();
    for arg in std::env::args().skip(1) {
        let path = Path::new(&arg);
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            files.sort();
            for file in files {
                texts.push(String::from_utf8_lossy(&std::fs::read(file)?).into_owned());
            }
        } else if path.extension().is_some_and(|e| e == "csv") {
            // SemEval-2022 Task 8 pairs: the English side of each pair, each article once.
            let mut seen = HashSet::new();
            let mut reader = csv::Reader::from_path(path)?;
            for record in reader.deserialize::<BTreeMap<String, String>>() {
                let record = record?;
                for side in ["1", "2"] {
                    let (Some(lang), Some(text)) = (
                        record.get(&format!("lang{side}")),
                        record.get(&format!("text{side}")),
                    ) else {
                        continue;
                    };
                    if lang == "en" && !text.trim().is_empty() && seen.insert(text.clone()) {
                        texts.push(text.clone());
                    }
                }
            }
        } else {
            for line in std::fs::read_to_string(path)?.lines() {
                let record: serde_json::Value = serde_json::from_str(line)?;
                if let Some(text) = record["text"].as_str() {
                    texts.push(text.to_owned());
                }
            }
        }
    }
    let stemmer = Stemmer::create(Algorithm::English);
    let mut df: BTreeMap<String, usize> = BTreeMap::new();
    for text in &texts {
        let stems: HashSet<String> = text
            .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '\'' | '’')))
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.starts_with(char::is_alphabetic))
            .map(|w| {
                let lower = w.to_lowercase().replace('’', "'");
                let bare = lower.strip_suffix("'s").unwrap_or(&lower).to_owned();
                stemmer.stem(&bare).into_owned()
            })
            .collect();
        for stem in stems {
            *df.entry(stem).or_default() += 1;
        }
    }
    let n = texts.len().max(1);
    println!("# stem\tthousandths of {n} news articles using it (see examples/news_vocabulary.rs)");
    for (stem, count) in df {
        let permille = count * 1000 / n;
        if permille >= 10 {
            println!("{stem}\t{permille}");
        }
    }
    Ok(())
}
