//! Quote attribution scored against PolNeAR (brat standoff: `Source`, `Cue` and `Content` spans joined by
//! `Attribution` events).
//!
//! Only attributions whose content holds a quotation (an opening and a closing double quotation mark) are
//! scored, as the measure is about direct quotes. The rules:
//!
//! - a found direct or mixed quote **matches** a gold attribution when their content spans overlap by at least
//!   one character; each gold attribution takes the found quote with the largest overlap;
//! - **content F1** is over matches: precision is the share of found quotes matching some gold attribution,
//!   recall the share of gold attributions matched; **exact content F1** asks for the same span after trimming
//!   spaces and punctuation outside the quotation marks;
//! - **speaker accuracy** is the share of gold attributions (with a source) whose matched quote has a speaker
//!   span overlapping the gold source span; an unmatched attribution counts as wrong. For a quote passed on
//!   through an intermediary the speaker, not the intermediary, is compared. Gold pronoun sources ("he") are
//!   compared as spans like any other, so a quote Parallax gives to "he" is right where the annotators chose
//!   "he" too; where Parallax's speaker is a pronoun, its guessed antecedent counts as well (the annotators
//!   often mark the name a pronoun stands for).
//!
//! Brat offsets count Unicode characters; they are turned into byte offsets before comparing.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::Serialize;

use super::timex::collect_files;
use super::{Prf, ratio};
use crate::extract::find_quotes;
use parallax_model::QuoteKind;

/// The quote scores over a PolNeAR folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotesReport {
    /// Annotation files read (an article annotated twice counts twice).
    pub documents: usize,
    /// Gold attributions whose content is in quotation marks.
    pub gold: usize,
    /// Direct and mixed quotes Parallax found.
    pub found: usize,
    /// Overlap matching of content spans.
    pub content: Prf,
    /// Exact matching of content spans.
    pub content_exact: Prf,
    /// Share of gold attributions whose source Parallax names (see the module docs).
    pub speaker_accuracy: f64,
    /// The same, over matched attributions only.
    pub speaker_accuracy_matched: f64,
    /// Gold attributions Parallax got wrong, for error analysis: a wrong or missing speaker on a matched quote,
    /// or no quote found at all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<QuoteMistake>,
}

/// One gold quoted attribution whose source Parallax did not name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteMistake {
    /// The annotation file.
    pub file: String,
    /// The gold source span's text and its byte offset in the article.
    pub gold: String,
    /// Byte offset of the gold source.
    pub gold_at: usize,
    /// The speaker Parallax gave the quote, if it found the quote and a speaker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// Byte offset of the found speaker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_at: Option<usize>,
    /// The antecedent Parallax guessed for a pronoun speaker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub antecedent: Option<String>,
    /// The cue Parallax found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// False when Parallax found no quote overlapping the gold content (a miss rather than a wrong speaker).
    pub matched: bool,
    /// The opening of the gold content.
    pub quote: String,
}

impl std::fmt::Display for QuoteMistake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} @{} gold={:?} found={:?}",
            self.file, self.gold_at, self.gold, self.found
        )?;
        if let Some(at) = self.found_at {
            write!(f, " @{at}")?;
        }
        if let Some(a) = &self.antecedent {
            write!(f, " (= {a:?})")?;
        }
        let status = if self.matched { "" } else { " MISSED" };
        write!(f, " cue={:?}{status} | {}", self.cue, self.quote)
    }
}

#[derive(Debug, Clone)]
struct GoldAttribution {
    content: (usize, usize),
    source: Option<(usize, usize)>,
}

/// Scores quote attribution on every `.ann` file under `dir` whose article is in a sibling `text/` folder
/// (`attributions/NAME_ANNOTATOR.ann` goes with `text/NAME.txt`).
pub fn evaluate_quotes(dir: &Path) -> io::Result<QuotesReport> {
    let mut files = Vec::new();
    collect_files(dir, "ann", &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no .ann files under {}", dir.display()),
        ));
    }
    let (mut gold_n, mut found_n, mut documents) = (0, 0, 0);
    let (mut found_matched, mut gold_matched) = (0, 0);
    let (mut found_exact, mut gold_exact) = (0, 0);
    let (mut with_source, mut right_speaker, mut matched_with_source) = (0, 0, 0);
    let mut mistakes = Vec::new();
    for path in &files {
        let Some(text_path) = text_for(path) else {
            continue;
        };
        let Ok(text) = fs::read_to_string(&text_path) else {
            continue;
        };
        let ann = fs::read_to_string(path)?;
        documents += 1;
        let to_byte = char_to_byte(&text);
        let gold: Vec<GoldAttribution> = read_brat(&ann, &to_byte)
            .into_iter()
            .filter(|g| is_quoted(&text[g.content.0..g.content.1]))
            .collect();
        let found: Vec<_> = find_quotes(&text)
            .into_iter()
            .filter(|q| matches!(q.kind, QuoteKind::Direct | QuoteKind::Mixed))
            .collect();
        gold_n += gold.len();
        found_n += found.len();
        let overlap =
            |a: (usize, usize), b: (usize, usize)| a.1.min(b.1).saturating_sub(a.0.max(b.0));
        for q in &found {
            let span = (q.content.start, q.content.end);
            if gold.iter().any(|g| overlap(span, g.content) > 0) {
                found_matched += 1;
            }
            if gold
                .iter()
                .any(|g| trimmed(&text, g.content) == trimmed(&text, span))
            {
                found_exact += 1;
            }
        }
        for g in &gold {
            let best = found
                .iter()
                .map(|q| (overlap((q.content.start, q.content.end), g.content), q))
                .filter(|(o, _)| *o > 0)
                .max_by_key(|(o, _)| *o)
                .map(|(_, q)| q);
            if best.is_some() {
                gold_matched += 1;
            }
            if found.iter().any(|q| {
                trimmed(&text, g.content) == trimmed(&text, (q.content.start, q.content.end))
            }) {
                gold_exact += 1;
            }
            let Some(source) = g.source else {
                continue;
            };
            with_source += 1;
            let named = best.is_some_and(|q| {
                q.speaker.as_ref().is_some_and(|s| {
                    overlap((s.span.start, s.span.end), source) > 0
                        || s.antecedent
                            .as_ref()
                            .is_some_and(|a| overlap((a.start, a.end), source) > 0)
                })
            });
            if best.is_some() {
                matched_with_source += 1;
            }
            if named {
                right_speaker += 1;
                continue;
            }
            let speaker = best.and_then(|q| q.speaker.as_ref());
            let head: String = text[g.content.0..g.content.1].chars().take(60).collect();
            mistakes.push(QuoteMistake {
                file: path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                gold: text[source.0..source.1].to_owned(),
                gold_at: source.0,
                found: speaker.map(|s| s.span.text.clone()),
                found_at: speaker.map(|s| s.span.start),
                antecedent: speaker.and_then(|s| s.antecedent.as_ref().map(|a| a.text.clone())),
                cue: best.and_then(|q| q.cue.as_ref().map(|c| c.text.clone())),
                matched: best.is_some(),
                quote: head.replace('\n', " "),
            });
        }
    }
    Ok(QuotesReport {
        documents,
        gold: gold_n,
        found: found_n,
        content: Prf::from_counts(found_matched, found_n, gold_matched, gold_n),
        content_exact: Prf::from_counts(found_exact, found_n, gold_exact, gold_n),
        speaker_accuracy: ratio(right_speaker, with_source),
        speaker_accuracy_matched: ratio(right_speaker, matched_with_source),
        mistakes,
    })
}

/// `.../attributions/NAME_ANNOTATOR.ann` -> `.../text/NAME.txt`.
fn text_for(ann: &Path) -> Option<std::path::PathBuf> {
    let stem = ann.file_stem()?.to_str()?;
    let name = stem.rsplit_once('_').map_or(stem, |(n, _)| n);
    let folder = ann.parent()?.parent()?;
    Some(folder.join("text").join(format!("{name}.txt")))
}

fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

fn is_quoted(content: &str) -> bool {
    let opens = content.matches(['“', '«', '„']).count();
    let closes = content.matches(['”', '»']).count();
    let straight = content.matches('"').count();
    // Texts that mix styles open with one kind of mark and close with the other (`"...,” he said`).
    (opens >= 1 && closes >= 1) || straight >= 2 || (straight >= 1 && opens + closes >= 1)
}

fn trimmed(text: &str, (start, end): (usize, usize)) -> &str {
    text[start..end].trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':'))
}

/// Reads brat standoff: text-bound annotations and the `Attribution` events joining them.
fn read_brat(ann: &str, to_byte: &[usize]) -> Vec<GoldAttribution> {
    let mut spans: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut events = Vec::new();
    for line in ann.lines() {
        let mut fields = line.split('\t');
        let (Some(id), Some(body)) = (fields.next(), fields.next()) else {
            continue;
        };
        if id.starts_with('T') {
            // "Content 120 211" or "Content 120 150;160 211": the outer bounds.
            let mut parts = body.splitn(2, ' ');
            let _kind = parts.next();
            let numbers: Vec<usize> = parts
                .next()
                .unwrap_or("")
                .split([' ', ';'])
                .filter_map(|n| n.parse().ok())
                .collect();
            let (Some(&a), Some(&b)) = (numbers.iter().min(), numbers.iter().max()) else {
                continue;
            };
            if let (Some(&s), Some(&e)) = (to_byte.get(a), to_byte.get(b)) {
                spans.insert(id, (s, e));
            }
        } else if id.starts_with('E') {
            events.push(body);
        }
    }
    let mut out = Vec::new();
    for body in events {
        let mut content = None;
        let mut source = None;
        for arg in body.split_whitespace() {
            match arg.split_once(':') {
                Some(("Content", t)) => content = spans.get(t).copied(),
                Some(("Source", t)) => source = spans.get(t).copied(),
                _ => {}
            }
        }
        if let Some(content) = content {
            out.push(GoldAttribution { content, source });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_brat_attributions_in_character_offsets() {
        let text = "Iran’s envoy said “we want peace.”";
        let ann = "T1\tSource 0 12\tIran’s envoy\nT2\tCue 13 17\tsaid\nT3\tContent 18 34\t“we want peace.”\n\
                   T4\tAttribution 13 17\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n";
        let gold = read_brat(ann, &char_to_byte(text));
        assert_eq!(gold.len(), 1);
        assert_eq!(
            &text[gold[0].content.0..gold[0].content.1],
            "“we want peace.”"
        );
        let (s, e) = gold[0].source.unwrap();
        assert_eq!(&text[s..e], "Iran’s envoy");
        assert!(is_quoted("“we want peace.”"));
        assert!(!is_quoted("that we want peace"));
        assert!(is_quoted("\"we want peace,” she said"));
        assert!(!is_quoted("a 5\" screen"));
    }
}
