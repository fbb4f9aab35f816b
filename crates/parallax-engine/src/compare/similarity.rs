//! Whether two statements say the same thing: a score from words, names, numbers and dates that works within a
//! language and, through names, numbers and dates, across languages.
//!
//! Each statement is read once into [`StatementFeatures`]; pairs are then scored by [`SimilarityModel::score`], and
//! [`SimilarityModel::same`] is the decision the comparison uses to align two statements.

use std::collections::BTreeSet;

use crate::cluster::terms::{Analyzer, tokens};

/// What the scorer reads off one statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatementFeatures {
    language: Option<String>,
    /// Stemmed content words, in the statement's language.
    terms: BTreeSet<String>,
    /// Capitalised words not at a sentence start, lower-cased and folded to Latin letters.
    names: BTreeSet<String>,
    /// Numbers, normalised ("2,500" and "2500" are one).
    numbers: BTreeSet<String>,
}

impl StatementFeatures {
    /// Reads one statement in the given language (ISO 639-1), or in no known language.
    pub fn new(text: &str, language: Option<&str>) -> Self {
        let analyzer = Analyzer::for_language(language);
        let mut features = StatementFeatures {
            language: language.map(str::to_owned),
            ..StatementFeatures::default()
        };
        for token in tokens(text) {
            let word = token.text;
            if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                features.numbers.insert(normalise_number(word));
                continue;
            }
            let lower = word.to_lowercase();
            if !token.sentence_start && word.chars().next().is_some_and(char::is_uppercase) {
                features.names.insert(lower.clone());
            }
            if let Some(term) = analyzer.term(&lower) {
                features.terms.insert(term);
            }
        }
        features
    }

    /// Keys two statements the model may call the same are likely to share (terms, names, numbers), for finding
    /// candidate pairs without scoring every pair.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .chain(&self.names)
            .chain(&self.numbers)
            .map(String::as_str)
    }

    /// True when the statement has nothing to compare by.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.names.is_empty() && self.numbers.is_empty()
    }
}

/// "2,500" and "2500" are the same number; "6.1" stays as it is.
fn normalise_number(word: &str) -> String {
    if word.contains(',') && word.split(',').skip(1).all(|group| group.len() == 3) {
        word.replace(',', "")
    } else {
        word.replace(',', ".")
    }
}

/// The same-statement decision: a score in 0..1 and the threshold past which two statements are aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarityModel {
    /// Scores at or above this align two statements.
    pub threshold: f32,
}

impl Default for SimilarityModel {
    fn default() -> Self {
        SimilarityModel { threshold: 0.5 }
    }
}

fn dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Option<f32> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let shared = a.intersection(b).count();
    Some(2.0 * shared as f32 / (a.len() + b.len()) as f32)
}

impl SimilarityModel {
    /// How likely the two statements say the same thing, from 0 to 1.
    pub fn score(&self, a: &StatementFeatures, b: &StatementFeatures) -> f32 {
        let same_language = a.language == b.language;
        let terms = if same_language {
            dice(&a.terms, &b.terms)
        } else {
            None
        };
        let parts = [
            (terms, 3.0),
            (dice(&a.names, &b.names), 1.0),
            (dice(&a.numbers, &b.numbers), 1.0),
        ];
        let (sum, weight) = parts
            .iter()
            .filter_map(|(value, w)| value.map(|v| (v * w, *w)))
            .fold((0.0, 0.0), |(s, t), (v, w)| (s + v, t + w));
        if weight == 0.0 { 0.0 } else { sum / weight }
    }

    /// True when the two statements are taken to say the same thing.
    pub fn same(&self, a: &StatementFeatures, b: &StatementFeatures) -> bool {
        self.score(a, b) >= self.threshold
    }
}
