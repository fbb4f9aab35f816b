//! Statements aligned across languages against a gold alignment: an article and its translation (xling-news:
//! Russian news and their English translations), each gold pair a segment and its translation.
//!
//! Both articles are split with [`split_statements`]; every statement of one is scored against every statement of
//! the other with the [`SimilarityModel`], and pairs at or above the threshold are taken best first, each statement
//! used once (the rule of the comparison's aligner, without its candidate index: a document pair is small).
//!
//! The rule for a correct pair: a predicted pair `(a, b)` is correct when some gold pair `(A, B)` holds at least
//! half of statement `a` inside `A` and at least half of statement `b` inside `B` (statements are sentences,
//! gold segments are one or more sentences, so "inside" is the natural test). Precision is correct predicted pairs
//! over predicted pairs; recall is gold pairs with at least one correct predicted pair over gold pairs. On quotes:
//! recall over the gold pairs marked `quote`; precision over the predicted pairs whose first statement lies (by
//! half) in the first side of a `quote` gold pair.
//!
//! Measured on `../shared/datasets/xling-news/xling-news-dev.jsonl`: see benches/README.md, "Statement similarity".

use std::collections::HashMap;
use std::ops::Range;

use parallax_model::Article;
use serde::{Deserialize, Serialize};

use super::Prf;
use crate::compare::{SimilarityModel, StatementFeatures, split_statements};
use crate::embed::Encoder;

/// One gold document pair: the ids of the two articles and their aligned segments.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldAlignment {
    /// The first article's id.
    pub a: String,
    /// The second article's id.
    pub b: String,
    /// The aligned segments.
    pub pairs: Vec<GoldPair>,
}

/// One gold segment pair, as byte ranges into the two articles' texts.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPair {
    /// The segment of the first article, `[start, end]`.
    pub a: [usize; 2],
    /// Its translation in the second, `[start, end]`.
    pub b: [usize; 2],
    /// Either side has quotation marks.
    #[serde(default)]
    pub quote: bool,
}

/// The outcome of `parallax eval align`.
#[derive(Debug, Clone, Serialize)]
pub struct AlignReport {
    /// Document pairs scored.
    pub documents: usize,
    /// Gold document pairs whose articles were not found.
    pub missing: usize,
    /// Statements of the first and second articles, over all documents.
    pub statements: (usize, usize),
    /// Gold segment pairs, and those marked `quote`.
    pub gold: (usize, usize),
    /// Predicted pairs, and those in a quote segment.
    pub predicted: (usize, usize),
    /// All pairs.
    pub overall: Prf,
    /// Pairs of quote segments.
    pub quotes: Prf,
    /// Whether a dense encoder took part.
    pub dense: bool,
}

fn overlap(a: &Range<usize>, b: [usize; 2]) -> usize {
    a.end.min(b[1]).saturating_sub(a.start.max(b[0]))
}

/// True when at least half of `statement` lies inside `segment`.
fn mostly_inside(statement: &Range<usize>, segment: [usize; 2]) -> bool {
    2 * overlap(statement, segment) >= statement.len().max(1)
}

/// Statements of one article with their features (and vectors, with an encoder).
fn statements_of(
    article: &Article,
    encoder: Option<(&Encoder, usize)>,
) -> (Vec<Range<usize>>, Vec<StatementFeatures>) {
    let text = article.text.as_str();
    let ranges = split_statements(text, 0..text.len());
    let language = article.language.as_deref();
    let mut features: Vec<StatementFeatures> = ranges
        .iter()
        .map(|r| StatementFeatures::new(&text[r.clone()], language))
        .collect();
    if let Some((encoder, threads)) = encoder {
        // The encoder adds e5's "query: " prefix itself.
        let refs: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        let vectors = encoder.embed_all(&refs, threads);
        features = features
            .into_iter()
            .zip(vectors)
            .map(|(f, v)| f.with_vector(v))
            .collect();
    }
    (ranges, features)
}

/// One-to-one alignment, best first: pairs at or above the threshold, each statement used once.
pub fn align_one_to_one(
    a: &[StatementFeatures],
    b: &[StatementFeatures],
    model: &SimilarityModel,
) -> Vec<(usize, usize)> {
    let mut scored: Vec<(f32, usize, usize)> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            let score = model.score(x, y);
            if score >= model.threshold {
                scored.push((score, i, j));
            }
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut out = Vec::new();
    for (_, i, j) in scored {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.push((i, j));
        }
    }
    out
}

/// Aligns every gold document pair's articles and scores the aligned statement pairs against the gold pairs.
pub fn evaluate_align(
    articles: &[Article],
    gold: &[GoldAlignment],
    model: &SimilarityModel,
    encoder: Option<(&Encoder, usize)>,
) -> AlignReport {
    let by_id: HashMap<&str, &Article> = articles.iter().map(|a| (a.id.0.as_str(), a)).collect();
    let mut report = AlignReport {
        documents: 0,
        missing: 0,
        statements: (0, 0),
        gold: (0, 0),
        predicted: (0, 0),
        overall: Prf::default(),
        quotes: Prf::default(),
        dense: encoder.is_some(),
    };
    let (mut correct, mut correct_quotes) = (0usize, 0usize);
    let (mut found, mut found_quotes) = (0usize, 0usize);
    for doc in gold {
        let (Some(a), Some(b)) = (by_id.get(doc.a.as_str()), by_id.get(doc.b.as_str())) else {
            report.missing += 1;
            continue;
        };
        report.documents += 1;
        let (ranges_a, features_a) = statements_of(a, encoder);
        let (ranges_b, features_b) = statements_of(b, encoder);
        report.statements.0 += ranges_a.len();
        report.statements.1 += ranges_b.len();
        let mut gold_found = vec![false; doc.pairs.len()];
        for (i, j) in align_one_to_one(&features_a, &features_b, model) {
            let (ra, rb) = (&ranges_a[i], &ranges_b[j]);
            report.predicted.0 += 1;
            let in_quote = doc.pairs.iter().any(|g| g.quote && mostly_inside(ra, g.a));
            report.predicted.1 += usize::from(in_quote);
            let hit = doc
                .pairs
                .iter()
                .position(|g| mostly_inside(ra, g.a) && mostly_inside(rb, g.b));
            if let Some(k) = hit {
                correct += 1;
                correct_quotes += usize::from(in_quote);
                gold_found[k] = true;
            }
        }
        report.gold.0 += doc.pairs.len();
        report.gold.1 += doc.pairs.iter().filter(|g| g.quote).count();
        found += gold_found.iter().filter(|f| **f).count();
        found_quotes += doc
            .pairs
            .iter()
            .zip(&gold_found)
            .filter(|(g, f)| g.quote && **f)
            .count();
    }
    report.overall = Prf::from_counts(correct, report.predicted.0, found, report.gold.0);
    report.quotes = Prf::from_counts(
        correct_quotes,
        report.predicted.1,
        found_quotes,
        report.gold.1,
    );
    report
}

/// Reads the gold alignment file: one JSON object per line (`a`, `b`, `pairs`).
pub fn read_gold_alignments(text: &str) -> Result<Vec<GoldAlignment>, serde_json::Error> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, language: &str, text: &str) -> Article {
        let mut a = Article::new("", text);
        a.id = id.into();
        a.language = Some(language.into());
        a
    }

    #[test]
    fn a_translated_pair_of_sentences_is_found() {
        let ru = "Губернатор Михаил Дегтярев посетил Хабаровск 12 июля.\n\nПогода была хорошей.";
        let en =
            "Governor Mikhail Degtyarev visited Khabarovsk on July 12.\n\nThe weather was good.";
        let first_ru = ru.find("\n\n").unwrap();
        let first_en = en.find("\n\n").unwrap();
        let gold = vec![GoldAlignment {
            a: "d.ru".into(),
            b: "d.en".into(),
            pairs: vec![
                GoldPair {
                    a: [0, first_ru],
                    b: [0, first_en],
                    quote: false,
                },
                GoldPair {
                    a: [first_ru + 2, ru.len()],
                    b: [first_en + 2, en.len()],
                    quote: true,
                },
            ],
        }];
        let articles = [article("d.ru", "ru", ru), article("d.en", "en", en)];
        let report = evaluate_align(&articles, &gold, &SimilarityModel::default(), None);
        assert_eq!(report.documents, 1);
        assert_eq!(report.overall.precision, 1.0);
        assert_eq!(report.overall.recall, 0.5);
        assert_eq!(report.gold, (2, 1));
    }

    #[test]
    fn the_dev_file_when_present() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/datasets/xling-news"
        );
        let (Ok(gold), Ok(articles)) = (
            std::fs::read_to_string(format!("{dir}/xling-news-dev-align.jsonl")),
            std::fs::read_to_string(format!("{dir}/xling-news-dev.jsonl")),
        ) else {
            eprintln!("skipped: {dir} is absent (the shared data sets are not on this machine)");
            return;
        };
        // Two documents only: the whole file is measured by `parallax eval align`, not by tests.
        let gold: Vec<GoldAlignment> = read_gold_alignments(&gold)
            .unwrap()
            .into_iter()
            .take(2)
            .collect();
        let (articles, rejects) =
            super::super::read_labelled_jsonl("dev", &mut articles.as_bytes());
        assert!(rejects.is_empty());
        let report = evaluate_align(&articles, &gold, &SimilarityModel::default(), None);
        assert_eq!((report.documents, report.missing), (2, 0));
    }
}
