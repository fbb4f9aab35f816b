//! The comparison stage against BASIL (Fan et al., EMNLP 2019): 100 stories, each told by Fox News, the New York
//! Times and HuffPost, with the spans annotators marked as lexical bias (a loaded word or phrase) and informational
//! bias (a fact or detail chosen to sway the reader).
//!
//! - **Lexical** (framing): the share of lexical-bias spans that lie, for at least half of their characters, inside
//!   a label Parallax lists for that source's article, beside the share of all the articles' words that lie inside
//!   some label (marking every word would find every span).
//! - **Informational** (one-source statements): a sentence is marked when it is in a statement group only its
//!   source reports (`Reach::One`) and that is not background; it is gold when it holds an informational-bias
//!   span. Precision, recall and F1 over all sentences (the comparison's statements), with the share marked.
//!
//! BASIL's span offsets count characters from the start of the sentence that holds the span, and the sentence is
//! not named, so a span is placed where its words occur in the article at a sentence start that far back (the
//! first occurrence otherwise); the few whose words are not in the text count as not covered.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use parallax_model::{Article, Extraction, Reach, TextSpan};
use serde::{Deserialize, Serialize};

use super::{Prf, ratio};
use crate::compare::{CompareConfig, SourceUnit, compare_story};
use crate::extract::{Recogniser, extract_article};

/// How Parallax's comparison scores against BASIL's bias spans.
#[derive(Debug, Clone, Serialize)]
pub struct BasilReport {
    /// Articles read.
    pub articles: usize,
    /// Stories (BASIL events) compared.
    pub stories: usize,
    /// Articles that had an annotation file.
    pub annotated: usize,
    /// Framing labels against lexical-bias spans.
    pub lexical: LexicalScores,
    /// One-source statements against informational-bias sentences.
    pub informational: InformationalScores,
    /// Seconds spent extracting and comparing.
    pub seconds: f64,
}

/// Framing labels against lexical-bias spans.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LexicalScores {
    /// Lexical-bias spans annotated.
    pub spans: usize,
    /// Those whose words were found in the article text.
    pub located: usize,
    /// Those at least half inside a label of their article.
    pub covered: usize,
    /// `covered / spans`.
    pub recall: f64,
    /// Words in the annotated articles.
    pub words: usize,
    /// Words inside some label.
    pub words_labelled: usize,
    /// `words_labelled / words`: how much of the text the labels mark.
    pub labelled_share: f64,
    /// Labels listed for the annotated articles.
    pub labels: usize,
}

/// One-source statements against sentences holding an informational-bias span.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InformationalScores {
    /// Sentences (the comparison's statements) of the annotated articles.
    pub sentences: usize,
    /// Sentences holding an informational-bias span.
    pub gold: usize,
    /// Sentences marked as reported by their source only (and not background).
    pub marked: usize,
    /// Marked sentences that are gold.
    pub correct: usize,
    /// Precision, recall and F1 of the marked sentences.
    pub scores: Prf,
    /// `marked / sentences`.
    pub marked_share: f64,
    /// F1 of marking every sentence, the floor to beat.
    pub all_marked_f1: f64,
}

/// One annotated span of an article, as BASIL gives it.
#[derive(Debug, Clone, Deserialize)]
struct BasilSpan {
    bias: String,
    /// Characters from the start of the span's sentence.
    start: usize,
    txt: String,
}

#[derive(Debug, Deserialize)]
struct BasilFile {
    uuid: String,
    #[serde(rename = "phrase-level-annotations", default)]
    spans: Vec<BasilSpan>,
}

/// Reads every `*_ann.json` under `dir` (recursively): the annotated spans by article id.
fn read_annotations(dir: &Path) -> std::io::Result<BTreeMap<String, Vec<BasilSpan>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let bytes = std::fs::read(&path)?;
                let file: BasilFile = serde_json::from_slice(&bytes).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: {e}", path.display()),
                    )
                })?;
                out.insert(file.uuid, file.spans);
            }
        }
    }
    Ok(out)
}

/// The byte range of an annotated span in the article: where its words occur `start` characters after a sentence
/// start (text start or after white space), else where they first occur.
fn locate(text: &str, span: &BasilSpan) -> Option<(usize, usize)> {
    if span.txt.is_empty() {
        return None;
    }
    let mut first = None;
    for (at, _) in text.match_indices(span.txt.as_str()) {
        first.get_or_insert(at);
        let sentence_start = if span.start == 0 {
            Some(at)
        } else {
            text[..at]
                .char_indices()
                .rev()
                .nth(span.start - 1)
                .map(|(i, _)| i)
        };
        if let Some(s) = sentence_start
            && (s == 0 || text[..s].ends_with(char::is_whitespace))
        {
            return Some((at, at + span.txt.len()));
        }
    }
    first.map(|at| (at, at + span.txt.len()))
}

/// How many bytes of `start..end` lie in the union of `spans`.
fn overlap(spans: &[(usize, usize)], start: usize, end: usize) -> usize {
    let mut cut: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| (s.max(start), e.min(end)))
        .filter(|(s, e)| s < e)
        .collect();
    cut.sort_unstable();
    let (mut total, mut reach) = (0, start);
    for (s, e) in cut {
        let s = s.max(reach);
        if e > s {
            total += e - s;
            reach = e;
        }
    }
    total
}

/// The words of `text` as byte ranges.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                if text[s..i].chars().any(char::is_alphanumeric) {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Compares each BASIL story's three articles and scores the comparison against the annotations in
/// `annotations` (the `basil-annotations` folder). Articles are grouped into stories by their `event` attribute;
/// the outlet is the `source` field, in lower case (BASIL writes some in capitals).
pub fn evaluate_basil(articles: &[Article], annotations: &Path) -> std::io::Result<BasilReport> {
    let gold = read_annotations(annotations)?;
    let started = Instant::now();
    let recogniser = Recogniser::find();
    let mut stories: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    for article in articles {
        let event = article
            .attributes
            .get("event")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let mut article = article.clone();
        article.source = article.source.map(|s| s.to_lowercase());
        stories.entry(event).or_default().push(article);
    }
    let mut lexical = LexicalScores::default();
    let mut info = InformationalScores::default();
    let mut annotated = 0;
    for story in stories.values() {
        let extractions: Vec<Extraction> = story
            .iter()
            .map(|a| extract_article(a, &recogniser))
            .collect();
        let units: Vec<SourceUnit<'_>> = story
            .iter()
            .zip(&extractions)
            .map(|(article, extraction)| SourceUnit::whole(article, extraction))
            .collect();
        let comparison = compare_story(None, &units, &CompareConfig::default());
        for article in story {
            let Some(spans) = gold.get(&article.id.0) else {
                continue;
            };
            annotated += 1;
            let text = article.text.as_str();
            let in_article = |unit_article: &parallax_model::ArticleId| *unit_article == article.id;
            let labels: Vec<(usize, usize)> = comparison
                .framing
                .iter()
                .flat_map(|f| &f.sources)
                .flat_map(|s| &s.labels)
                .filter(|l| in_article(&l.unit.article))
                .map(|l| (l.span.start, l.span.end))
                .collect();
            lexical.labels += labels.len();
            for (s, e) in words(text) {
                lexical.words += 1;
                if labels.iter().any(|&(ls, le)| ls <= s && e <= le) {
                    lexical.words_labelled += 1;
                }
            }
            let located: Vec<(&BasilSpan, Option<(usize, usize)>)> =
                spans.iter().map(|s| (s, locate(text, s))).collect();
            for (_, at) in located.iter().filter(|(s, _)| s.bias == "lex") {
                lexical.spans += 1;
                if let Some((s, e)) = *at {
                    lexical.located += 1;
                    if 2 * overlap(&labels, s, e) >= e - s {
                        lexical.covered += 1;
                    }
                }
            }
            let informational: Vec<(usize, usize)> = located
                .iter()
                .filter(|(s, _)| s.bias == "inf")
                .filter_map(|(_, at)| *at)
                .collect();
            for group in &comparison.statements {
                let marked = group.reach == Reach::One && !group.background;
                for statement in group
                    .statements
                    .iter()
                    .filter(|s| in_article(&s.unit.article))
                {
                    let TextSpan { start, end, .. } = statement.span;
                    let holds = informational.iter().any(|&(s, e)| s < end && start < e);
                    info.sentences += 1;
                    info.gold += usize::from(holds);
                    info.marked += usize::from(marked);
                    info.correct += usize::from(marked && holds);
                }
            }
        }
    }
    lexical.recall = ratio(lexical.covered, lexical.spans);
    lexical.labelled_share = ratio(lexical.words_labelled, lexical.words);
    info.scores = Prf::from_counts(info.correct, info.marked, info.correct, info.gold);
    info.marked_share = ratio(info.marked, info.sentences);
    info.all_marked_f1 = Prf::from_counts(info.gold, info.sentences, info.gold, info.gold).f1;
    Ok(BasilReport {
        articles: articles.len(),
        stories: stories.len(),
        annotated,
        lexical,
        informational: info,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_is_placed_at_its_sentence_offset() {
        // The words occur twice; the second is 21 characters into its sentence, as the annotation says.
        let text = "who was cute. It was the president who was cute.";
        let span = BasilSpan {
            bias: "inf".into(),
            start: 21,
            txt: "who was cute".into(),
        };
        assert_eq!(locate(text, &span), Some((35, 47)));
        let unknown = BasilSpan {
            bias: "lex".into(),
            start: 0,
            txt: "absent".into(),
        };
        assert_eq!(locate(text, &unknown), None);
    }

    #[test]
    fn overlap_counts_each_byte_once() {
        assert_eq!(overlap(&[(0, 5), (3, 8)], 2, 10), 6);
        assert_eq!(overlap(&[], 2, 10), 0);
    }
}
