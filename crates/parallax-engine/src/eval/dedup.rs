//! Near-duplicate detection on planted copies: the edits wire copies go through, applied to real texts.
//!
//! Every article of a file is streamed as it is, then edited copies of each: a changed headline (the body is
//! untouched), a byline added, a paragraph dropped, a paragraph from another article added, boilerplate around
//! the text, and a heavy rewrite (half the paragraphs dropped) that usually falls below the threshold and so
//! tests precision. Truth is the exact Jaccard similarity of word shingles, computed for every planted pair and
//! every pair the detector reports: a reported pair is right when its exact similarity is at least the threshold,
//! and recall is over the planted pairs at or above it.

use std::collections::BTreeMap;
use std::time::Instant;

use parallax_model::{Article, ArticleId};
use serde::Serialize;

use crate::dedup::{DedupConfig, NearDuplicates, exact_jaccard};

/// The edits applied to make planted copies.
const EDITS: &[&str] = &[
    "headline",
    "byline",
    "drop-paragraph",
    "add-paragraph",
    "boilerplate",
    "heavy-rewrite",
];

/// A text in the evaluation stream: its id, its text, and for a planted copy the original's index and the edit.
type Planted = (ArticleId, String, Option<(usize, &'static str)>);

/// Counts for one kind of edit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EditCounts {
    /// Planted copies whose exact similarity to their original is at or above the threshold.
    pub positives: usize,
    /// Of those, how many the detector reported as a copy of a text at or above the threshold.
    pub found: usize,
    /// Planted copies below the threshold (only precision applies to them).
    pub below_threshold: usize,
}

/// The outcome of `parallax eval dedup`.
#[derive(Debug, Clone, Serialize)]
pub struct DedupReport {
    /// Texts streamed (originals and planted copies).
    pub texts: usize,
    /// Pairs reported as copies.
    pub reported: usize,
    /// Reported pairs whose exact Jaccard similarity is at or above the threshold.
    pub correct: usize,
    /// `correct / reported`.
    pub precision: f64,
    /// Found planted copies over planted copies at or above the threshold.
    pub recall: f64,
    /// The threshold the truth is drawn at (the detector's own).
    pub threshold: f32,
    /// Per edit kind.
    pub edits: BTreeMap<String, EditCounts>,
    /// Texts per second through the detector (fingerprinting and lookup).
    pub texts_per_second: f64,
}

/// Plants edited copies of the articles' texts, streams everything through a [`NearDuplicates`] index, and
/// scores what it reports.
pub fn evaluate_dedup(articles: &[Article], config: &DedupConfig) -> DedupReport {
    let texts: Vec<&str> = articles.iter().map(|a| a.text.as_str()).collect();
    let mut stream: Vec<Planted> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (ArticleId(format!("orig-{i}")), (*t).to_owned(), None))
        .collect();
    for (i, text) in texts.iter().enumerate() {
        for (k, edit) in EDITS.iter().enumerate() {
            if (i + k) % 2 == 1 {
                // Half the edits per text keep the set balanced and the run quick.
                continue;
            }
            let other = texts[(i * 7 + 3) % texts.len()];
            let copy = apply_edit(edit, text, other, i);
            stream.push((
                ArticleId(format!("copy-{i}-{edit}")),
                copy,
                Some((i, *edit)),
            ));
        }
    }
    let mut index = NearDuplicates::new(config.clone());
    let started = Instant::now();
    let mut reported_pairs = Vec::new();
    for (id, text, _) in &stream {
        if let Some(found) = index.insert(id, text) {
            reported_pairs.push((found.article, found.copies));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let text_of: BTreeMap<&ArticleId, &str> =
        stream.iter().map(|(id, t, _)| (id, t.as_str())).collect();
    let threshold = config.threshold;
    let mut correct_copies: BTreeMap<&ArticleId, bool> = BTreeMap::new();
    let mut correct = 0;
    for (copy, original) in &reported_pairs {
        let similarity = exact_jaccard(config, text_of[copy], text_of[original]);
        let right = similarity >= threshold;
        correct += usize::from(right);
        correct_copies.insert(copy, right);
    }
    let mut edits: BTreeMap<String, EditCounts> = BTreeMap::new();
    let (mut positives, mut found) = (0, 0);
    for (id, text, planted) in &stream {
        let Some((original, edit)) = planted else {
            continue;
        };
        let counts = edits.entry((*edit).to_owned()).or_default();
        if exact_jaccard(config, text, texts[*original]) >= threshold {
            counts.positives += 1;
            positives += 1;
            if correct_copies.get(id) == Some(&true) {
                counts.found += 1;
                found += 1;
            }
        } else {
            counts.below_threshold += 1;
        }
    }
    DedupReport {
        texts: stream.len(),
        reported: reported_pairs.len(),
        correct,
        precision: if reported_pairs.is_empty() {
            1.0
        } else {
            correct as f64 / reported_pairs.len() as f64
        },
        recall: if positives == 0 {
            1.0
        } else {
            found as f64 / positives as f64
        },
        threshold,
        edits,
        texts_per_second: stream.len() as f64 / seconds.max(1e-9),
    }
}

/// One edit of a text, chosen deterministically from the article's index.
fn apply_edit(edit: &str, text: &str, other: &str, seed: usize) -> String {
    let paragraphs: Vec<&str> = text.split('\n').filter(|p| !p.trim().is_empty()).collect();
    let other_paragraphs: Vec<&str> = other.split('\n').filter(|p| !p.trim().is_empty()).collect();
    match edit {
        // The headline is not part of the compared text: the body travels unchanged.
        "headline" => text.to_owned(),
        "byline" => format!(
            "By Staff Reporter {}\n\n{text}",
            ["Ann Lee", "Omar Haddad", "J. Smith"][seed % 3]
        ),
        "drop-paragraph" if paragraphs.len() > 1 => {
            let drop = seed % paragraphs.len();
            paragraphs
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, p)| *p)
                .collect::<Vec<_>>()
                .join("\n")
        }
        "add-paragraph" => {
            let extra = other_paragraphs
                .get(seed % other_paragraphs.len().max(1))
                .copied()
                .unwrap_or("");
            let at = (seed % (paragraphs.len() + 1)).min(paragraphs.len());
            let mut out = paragraphs.clone();
            out.insert(at, extra);
            out.join("\n")
        }
        "boilerplate" => format!(
            "Advertisement\n{text}\nCopyright {} News Agency. All rights reserved. This material may not be \
             published, broadcast, rewritten or redistributed. Follow us for more news.",
            2000 + seed % 24
        ),
        "heavy-rewrite" => paragraphs
            .iter()
            .step_by(2)
            .copied()
            .collect::<Vec<_>>()
            .join("\n"),
        _ => text.to_owned(),
    }
}
