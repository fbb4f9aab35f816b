//! Named-entity recognition quality, as the CoNLL-2003 `conlleval` script computes it: an entity counts as found
//! only when both its exact token span and its type match the gold entity; precision, recall and F1 are pooled over
//! all sentences, overall and per type.

use std::collections::BTreeMap;
use std::ops::Range;

use parallax_model::EntityKind;
use serde::Serialize;

use crate::extract::{ConllDocument, NerModel, iob_spans};

/// Counts for one type (or all types together). Serialised with its precision, recall and F1 beside the counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanCounts {
    /// Entities in the gold data.
    pub gold: usize,
    /// Entities the system found.
    pub found: usize,
    /// Found entities whose span and type match a gold entity exactly.
    pub correct: usize,
}

impl SpanCounts {
    /// Correct over found; 0 when nothing was found, as conlleval reports it.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.found)
    }
    /// Correct over gold.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    /// Harmonic mean of precision and recall; 0 when either is 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

impl Serialize for SpanCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("SpanCounts", 6)?;
        s.serialize_field("gold", &self.gold)?;
        s.serialize_field("found", &self.found)?;
        s.serialize_field("correct", &self.correct)?;
        s.serialize_field("precision", &self.precision())?;
        s.serialize_field("recall", &self.recall())?;
        s.serialize_field("f1", &self.f1())?;
        s.end()
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The scores of one evaluation run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NerScores {
    /// All types pooled.
    pub overall: SpanCounts,
    /// Per CoNLL type (`LOC`, `MISC`, `ORG`, `PER`).
    pub by_type: BTreeMap<String, SpanCounts>,
    /// Tokens tagged, for the speed figure.
    pub tokens: usize,
    /// Each kind of mistake ("missed PER \"Smith\"", "LOC read as ORG \"Telegram\"") and how often it was made.
    #[serde(skip)]
    pub mistakes: BTreeMap<String, usize>,
}

impl NerScores {
    /// Adds one sentence's gold and found spans.
    pub fn add_sentence(
        &mut self,
        gold: &[(Range<usize>, EntityKind)],
        found: &[(Range<usize>, EntityKind)],
    ) {
        for (_, kind) in gold {
            self.overall.gold += 1;
            self.by_type
                .entry(kind.conll_tag().into())
                .or_default()
                .gold += 1;
        }
        for span in found {
            let hit = gold.contains(span);
            let entry = self.by_type.entry(span.1.conll_tag().into()).or_default();
            entry.found += 1;
            self.overall.found += 1;
            if hit {
                entry.correct += 1;
                self.overall.correct += 1;
            }
        }
    }
}

impl NerScores {
    /// Notes the mistakes of one sentence: a gold entity found with another type, found with other bounds, or
    /// missed; a found entity that overlaps no gold one.
    pub fn note_mistakes<S: AsRef<str>>(
        &mut self,
        words: &[S],
        gold: &[(Range<usize>, EntityKind)],
        found: &[(Range<usize>, EntityKind)],
    ) {
        let text = |r: &Range<usize>| {
            words[r.clone()]
                .iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
        let mut note = |m: String| *self.mistakes.entry(m).or_default() += 1;
        for (range, kind) in gold {
            if found.contains(&(range.clone(), *kind)) {
                continue;
            }
            let tag = kind.conll_tag();
            if let Some((_, other)) = found.iter().find(|(r, _)| r == range) {
                note(format!(
                    "{tag} read as {}: \"{}\"",
                    other.conll_tag(),
                    text(range)
                ));
            } else if let Some((r, other)) = found.iter().find(|(r, _)| overlaps(r, range)) {
                note(format!(
                    "{tag} \"{}\" cut as {} \"{}\"",
                    text(range),
                    other.conll_tag(),
                    text(r)
                ));
            } else {
                note(format!("missed {tag}: \"{}\"", text(range)));
            }
        }
        for (range, kind) in found {
            if !gold.iter().any(|(r, _)| overlaps(r, range)) {
                note(format!(
                    "spurious {}: \"{}\"",
                    kind.conll_tag(),
                    text(range)
                ));
            }
        }
    }

    /// The `n` most frequent mistakes, most frequent first (ties in text order).
    pub fn most_frequent_mistakes(&self, n: usize) -> Vec<(&str, usize)> {
        let mut all: Vec<(&str, usize)> = self
            .mistakes
            .iter()
            .map(|(m, &c)| (m.as_str(), c))
            .collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        all.truncate(n);
        all
    }
}

/// Runs the recogniser over labelled documents, one document at a time as it would read an article, and scores it.
pub fn evaluate_ner(model: &NerModel, documents: &[ConllDocument]) -> NerScores {
    let mut scores = NerScores::default();
    for document in documents {
        let words: Vec<Vec<&str>> = document
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let found = model.recognise_document(&words);
        for (sentence, found) in document.sentences.iter().zip(found) {
            scores.tokens += sentence.words.len();
            let found: Vec<_> = found.into_iter().map(|s| (s.tokens, s.kind)).collect();
            let gold = iob_spans(&sentence.tags);
            scores.add_sentence(&gold, &found);
            scores.note_mistakes(&sentence.words, &gold, &found);
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::read_conll;

    /// A hand-made snippet scored by hand the way conlleval does: the gold has 4 entities; a system that finds
    /// "Peter Blackburn" as PER (right), "EU" as LOC (wrong type) and "German" as MISC (right) but misses "Bonn"
    /// has precision 2/3 and recall 2/4.
    #[test]
    fn scores_a_tiny_snippet_like_conlleval() {
        let gold = read_conll(
            "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\ncall NN I-NP O\n\n\
             Peter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\nin IN I-PP O\nBonn NNP I-NP I-LOC\n",
        );
        let system = read_conll(
            "EU NNP I-NP I-LOC\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\ncall NN I-NP O\n\n\
             Peter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\nin IN I-PP O\nBonn NNP I-NP O\n",
        );
        let mut scores = NerScores::default();
        for (g, s) in gold[0].sentences.iter().zip(&system[0].sentences) {
            scores.add_sentence(&iob_spans(&g.tags), &iob_spans(&s.tags));
        }
        assert_eq!(
            scores.overall,
            SpanCounts {
                gold: 4,
                found: 3,
                correct: 2
            }
        );
        assert!((scores.overall.precision() - 2.0 / 3.0).abs() < 1e-12);
        assert!((scores.overall.recall() - 0.5).abs() < 1e-12);
        assert!((scores.overall.f1() - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(
            scores.by_type["ORG"],
            SpanCounts {
                gold: 1,
                found: 0,
                correct: 0
            }
        );
        assert_eq!(
            scores.by_type["LOC"],
            SpanCounts {
                gold: 1,
                found: 1,
                correct: 0
            }
        );
        assert_eq!(scores.by_type["PER"].f1(), 1.0);
        for (g, s) in gold[0].sentences.iter().zip(&system[0].sentences) {
            scores.note_mistakes(&g.words, &iob_spans(&g.tags), &iob_spans(&s.tags));
        }
        assert_eq!(
            scores.most_frequent_mistakes(5),
            vec![("ORG read as LOC: \"EU\"", 1), ("missed LOC: \"Bonn\"", 1)]
        );
    }
}
