//! Story similarity against human judgements: the SemEval-2022 Task 8 pairs (multilingual news similarity).
//!
//! Each row holds two articles, their languages and human scores from 1 (very similar) to 4 (very dissimilar).
//! The official metric is the Pearson correlation with `Overall`, taken here against the negated `Overall` so
//! that 1 means very similar. Parallax's score is [`StoryScore::similarity`](crate::cluster::StoryScore): the
//! graded similarity of the second article to a story holding only the first (the clusterer's join decision is
//! a probability that saturates, which ranks pairs well but correlates less with graded judgements). Document frequencies are learnt from every text in the
//! file first, as a store would have them from its corpus.

use std::io::Read;

use parallax_model::Article;
use serde::Serialize;

use crate::cluster::{ClusterConfig, StoryClusterer, StoryScore, UnitVectors, headline_text};
use crate::embed::Encoder;

/// Correlations of one subset of pairs.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Correlation {
    /// Pairs in the subset.
    pub pairs: usize,
    /// Pearson correlation of Parallax's score with the negated `Overall` score.
    pub pearson: f64,
}

/// The outcome of `parallax eval pairs`.
#[derive(Debug, Clone, Serialize)]
pub struct PairsReport {
    /// All pairs.
    pub overall: Correlation,
    /// Pairs whose two articles share a language.
    pub same_language: Correlation,
    /// Pairs across two languages.
    pub cross_language: Correlation,
    /// Rows skipped (missing text or score).
    pub skipped: usize,
    /// Every scored pair, in file order: its id, the human `Overall` score and Parallax's evidence, so that anyone
    /// can study or recombine the evidence with their own tools.
    pub scored: Vec<ScoredPair>,
}

/// One pair's human judgement and Parallax's evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredPair {
    /// The `pair_id` column, where the file has one.
    pub id: String,
    /// The human `Overall` score as given (1 very similar, 4 very dissimilar).
    pub overall: f64,
    /// The two languages.
    pub languages: (String, String),
    /// The second article scored against a story holding only the first (with `dense` where a model was
    /// given).
    pub scores: StoryScore,
}

/// One scored pair.
struct Pair {
    score: f64,
    human: f64,
    same_language: bool,
}

/// Reads the pairs CSV (columns `lang1`, `lang2`, `text1`, `text2`, `Overall`) and scores every pair; with an
/// encoder, also the cosine of the two texts' embeddings (computed on `threads` threads).
pub fn evaluate_pairs(
    input: impl Read,
    config: &ClusterConfig,
    encoder: Option<(&Encoder, usize)>,
) -> Result<PairsReport, csv::Error> {
    let mut reader = csv::Reader::from_reader(input);
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let id_column = column("pair_id");
    let (Some(l1), Some(l2), Some(t1), Some(t2), Some(overall)) = (
        column("lang1"),
        column("lang2"),
        column("text1"),
        column("text2"),
        column("Overall"),
    ) else {
        return Ok(PairsReport {
            overall: Correlation::default(),
            same_language: Correlation::default(),
            cross_language: Correlation::default(),
            skipped: 0,
            scored: Vec::new(),
        });
    };
    let mut rows = Vec::new();
    let mut skipped = 0;
    for record in reader.records() {
        let record = record?;
        let human = record
            .get(overall)
            .and_then(|s| s.trim().parse::<f64>().ok());
        let (Some(human), Some(a), Some(b)) = (human, record.get(t1), record.get(t2)) else {
            skipped += 1;
            continue;
        };
        if a.trim().is_empty() || b.trim().is_empty() {
            skipped += 1;
            continue;
        }
        let article = |text: &str, language: Option<&str>| {
            let mut article = Article::new("", text);
            article.language = language.map(str::to_owned);
            article
        };
        let id = id_column
            .and_then(|c| record.get(c))
            .unwrap_or_default()
            .to_owned();
        rows.push((
            article(a, record.get(l1)),
            article(b, record.get(l2)),
            human,
            id,
        ));
    }
    let mut clusterer = StoryClusterer::new(config.clone());
    for (a, b, _, _) in &rows {
        clusterer.learn(a);
        clusterer.learn(b);
    }
    let embeddings: Vec<[Option<UnitVectors>; 2]> = match encoder {
        Some((encoder, threads)) => {
            // Titles are empty here: each text starts with its headline.
            let texts: Vec<&str> = rows
                .iter()
                .flat_map(|(a, b, _, _)| [a.text.as_str(), b.text.as_str()])
                .collect();
            let headlines: Vec<&str> = texts.iter().map(|t| headline_text("", t)).collect();
            let whole = encoder.embed_all(&texts, threads);
            let headlines = encoder.embed_all(&headlines, threads);
            let mut vectors = whole
                .into_iter()
                .zip(headlines)
                .map(|(text, headline)| Some(UnitVectors { text, headline }));
            (0..rows.len())
                .map(|_| [vectors.next().flatten(), vectors.next().flatten()])
                .collect()
        }
        None => vec![[None, None]; rows.len()],
    };
    let scored: Vec<ScoredPair> = rows
        .iter()
        .zip(embeddings)
        .map(|((a, b, human, id), embeddings)| ScoredPair {
            id: id.clone(),
            overall: *human,
            languages: (
                a.language.clone().unwrap_or_default(),
                b.language.clone().unwrap_or_default(),
            ),
            scores: clusterer.compare_embedded(a, b, embeddings),
        })
        .collect();
    let pairs: Vec<Pair> = scored
        .iter()
        .map(|p| Pair {
            score: f64::from(p.scores.similarity),
            human: -p.overall,
            same_language: p.languages.0 == p.languages.1,
        })
        .collect();
    let subset = |keep: &dyn Fn(&Pair) -> bool| {
        let chosen: Vec<&Pair> = pairs.iter().filter(|p| keep(p)).collect();
        Correlation {
            pairs: chosen.len(),
            pearson: pearson(
                &chosen.iter().map(|p| p.score).collect::<Vec<_>>(),
                &chosen.iter().map(|p| p.human).collect::<Vec<_>>(),
            ),
        }
    };
    Ok(PairsReport {
        overall: subset(&|_| true),
        same_language: subset(&|p| p.same_language),
        cross_language: subset(&|p| !p.same_language),
        skipped,
        scored,
    })
}

/// Pearson's correlation coefficient; 0 when either side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return 0.0;
    }
    let mean = |v: &[f64]| v[..n].iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx.sqrt() * syy.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_matches_the_definition() {
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
    }
}
