//! TempEval-3 scoring of temporal expressions against TimeML files (TimeBank, AQUAINT, TBAQ-cleaned).
//!
//! Each `.tml` file gives the text between `<TEXT>` and `</TEXT>` with `TIMEX3` tags inline, and the document
//! creation time as the `TIMEX3` with `functionInDocument="CREATION_TIME"`. Parallax reads the text with the tags
//! removed, anchors its tagger at the creation time, and is scored as TempEval-3 scores systems:
//!
//! - **strict**: a found expression counts only with exactly the gold extent;
//! - **relaxed**: it counts when it overlaps a gold expression by at least one character;
//! - **value F1** is relaxed F1 times the share of relaxed matches whose normalised value equals the gold value
//!   exactly; **type accuracy** likewise for DATE/TIME/DURATION/SET.
//!
//! The creation time itself is not scored, as in TempEval-3. A file name seen twice is scored once.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::extract::find_time_expressions;

/// Precision, recall and F1 of one matching criterion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Prf {
    /// Found items that match a gold item, over all found items.
    pub precision: f64,
    /// Gold items matched by a found item, over all gold items.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    /// The scores from match counts on each side.
    pub fn from_counts(
        found_matched: usize,
        found: usize,
        gold_matched: usize,
        gold: usize,
    ) -> Self {
        let precision = ratio(found_matched, found);
        let recall = ratio(gold_matched, gold);
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
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One disagreement with the gold annotation, for reading what went wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimexMistake {
    /// The file's name.
    pub document: String,
    /// `missed` (gold only), `spurious` (found only) or `value` (both, values differ).
    pub kind: &'static str,
    /// The gold expression's text, or the found one's for `spurious`.
    pub text: String,
    /// The gold value, if any.
    pub gold: Option<String>,
    /// Parallax's value, if any.
    pub found: Option<String>,
    /// A few words around the expression.
    pub context: String,
}

/// The TempEval-3 scores over a folder of TimeML files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimexReport {
    /// TimeML files read.
    pub documents: usize,
    /// Gold temporal expressions, creation times excluded.
    pub gold: usize,
    /// Expressions Parallax found.
    pub found: usize,
    /// Exact-extent matching.
    pub strict: Prf,
    /// Overlap matching.
    pub relaxed: Prf,
    /// Share of relaxed matches with the gold value.
    pub value_accuracy: f64,
    /// Relaxed F1 times value accuracy: the TempEval-3 headline figure.
    pub value_f1: f64,
    /// Share of relaxed matches with the gold type.
    pub type_accuracy: f64,
    /// Every disagreement, for error analysis (not serialised unless asked for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mistakes: Vec<TimexMistake>,
}

/// A gold temporal expression in the tag-free text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GoldTimex {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: String,
    pub(crate) value: String,
}

/// One TimeML document: its text without tags, the gold expressions and the creation date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimemlDocument {
    pub(crate) text: String,
    pub(crate) timexes: Vec<GoldTimex>,
    pub(crate) creation: Option<NaiveDate>,
}

/// Scores Parallax's temporal tagger on every `.tml` file under `dir` (recursively).
pub fn evaluate_timex(dir: &Path) -> io::Result<TimexReport> {
    let mut files = Vec::new();
    collect_files(dir, "tml", &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no .tml files under {}", dir.display()),
        ));
    }
    let (mut gold_n, mut found_n) = (0, 0);
    let (mut strict_found, mut strict_gold) = (0, 0);
    let (mut relaxed_found, mut relaxed_gold) = (0, 0);
    let (mut pairs, mut right_value, mut right_type) = (0, 0, 0);
    let mut mistakes = Vec::new();
    // A corpus may ship a document twice (TBAQ-cleaned's `testpipeline/` repeats a TimeBank file): each
    // document is scored once, by file name.
    let mut seen = std::collections::HashSet::new();
    files.retain(|p| seen.insert(p.file_name().map(|n| n.to_owned())));
    for path in &files {
        let raw = fs::read_to_string(path)?;
        let doc = parse_timeml(&raw);
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let found = find_time_expressions(&doc.text, doc.creation);
        gold_n += doc.timexes.len();
        found_n += found.len();
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        for g in &doc.timexes {
            let hits: Vec<_> = found
                .iter()
                .filter(|f| overlaps((f.start, f.end), (g.start, g.end)))
                .collect();
            if hits.iter().any(|f| f.start == g.start && f.end == g.end) {
                strict_gold += 1;
            }
            match hits.first() {
                Some(f) => {
                    relaxed_gold += 1;
                    pairs += 1;
                    if f.value == g.value {
                        right_value += 1;
                    } else {
                        mistakes.push(TimexMistake {
                            document: name.clone(),
                            kind: "value",
                            text: doc.text[g.start..g.end].to_owned(),
                            gold: Some(g.value.clone()),
                            found: Some(format!("{} ({})", f.value, f.text)),
                            context: context(&doc.text, g.start, g.end),
                        });
                    }
                    if f.kind.as_str() == g.kind {
                        right_type += 1;
                    }
                }
                None => mistakes.push(TimexMistake {
                    document: name.clone(),
                    kind: "missed",
                    text: doc.text[g.start..g.end].to_owned(),
                    gold: Some(g.value.clone()),
                    found: None,
                    context: context(&doc.text, g.start, g.end),
                }),
            }
        }
        for f in &found {
            let hits: Vec<_> = doc
                .timexes
                .iter()
                .filter(|g| overlaps((f.start, f.end), (g.start, g.end)))
                .collect();
            if hits.iter().any(|g| f.start == g.start && f.end == g.end) {
                strict_found += 1;
            }
            if hits.is_empty() {
                mistakes.push(TimexMistake {
                    document: name.clone(),
                    kind: "spurious",
                    text: f.text.clone(),
                    gold: None,
                    found: Some(f.value.clone()),
                    context: context(&doc.text, f.start, f.end),
                });
            } else {
                relaxed_found += 1;
            }
        }
    }
    let relaxed = Prf::from_counts(relaxed_found, found_n, relaxed_gold, gold_n);
    let value_accuracy = ratio(right_value, pairs);
    Ok(TimexReport {
        documents: files.len(),
        gold: gold_n,
        found: found_n,
        strict: Prf::from_counts(strict_found, found_n, strict_gold, gold_n),
        relaxed,
        value_accuracy,
        value_f1: relaxed.f1 * value_accuracy,
        type_accuracy: ratio(right_type, pairs),
        mistakes,
    })
}

fn context(text: &str, start: usize, end: usize) -> String {
    let mut from = start.saturating_sub(60);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + 60).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    format!(
        "{}[{}]{}",
        &text[from..start],
        &text[start..end],
        &text[end..to]
    )
    .replace('\n', " ")
}

pub(crate) fn collect_files(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, extension, out)?;
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a TimeML document: the `<TEXT>` element's content without tags, entities decoded, with the TIMEX3 spans
/// as byte offsets into that text. A file without `<TEXT>` is read whole.
pub(crate) fn parse_timeml(raw: &str) -> TimemlDocument {
    let creation = raw
        .find("functionInDocument=\"CREATION_TIME\"")
        .and_then(|at| {
            let tag_start = raw[..at].rfind('<')?;
            let tag_end = at + raw[at..].find('>')?;
            let value = attribute(&raw[tag_start..tag_end], "value")?;
            NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()
        });
    let body = match (raw.find("<TEXT>"), raw.find("</TEXT>")) {
        (Some(a), Some(b)) if a < b => &raw[a + "<TEXT>".len()..b],
        _ => raw,
    };
    let mut text = String::with_capacity(body.len());
    let mut timexes = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut text, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        if tag.starts_with("TIMEX3") {
            let kind = attribute(tag, "type").unwrap_or_default().to_owned();
            let value = attribute(tag, "value").unwrap_or_default().to_owned();
            open = Some((text.len(), kind, value));
        } else if tag.starts_with("/TIMEX3")
            && let Some((start, kind, value)) = open.take()
        {
            timexes.push(GoldTimex {
                start,
                end: text.len(),
                kind,
                value,
            });
        }
        rest = &rest[lt + gt + 1..];
    }
    push_decoded(&mut text, rest);
    TimemlDocument {
        text,
        timexes,
        creation,
    }
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

fn push_decoded(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let entity = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&apos;", '\''),
        ]
        .into_iter()
        .find(|(e, _)| tail.starts_with(e));
        match entity {
            Some((e, c)) => {
                out.push(c);
                rest = &tail[e.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_timeml_spans_and_creation_time() {
        let raw = r#"<DCT><TIMEX3 tid="t0" type="TIME" value="1998-11-20T19:30" functionInDocument="CREATION_TIME">x</TIMEX3></DCT>
<TEXT>Profits &amp; losses <TIMEX3 tid="t2" type="DATE" value="1998-10">last month</TIMEX3>, the <EVENT eid="e1">report</EVENT> said <TIMEX3 tid="t3" type="DATE" value="1998-11-20">Friday</TIMEX3>.</TEXT>"#;
        let doc = parse_timeml(raw);
        assert_eq!(
            doc.text,
            "Profits & losses last month, the report said Friday."
        );
        assert_eq!(doc.creation, NaiveDate::from_ymd_opt(1998, 11, 20));
        let spans: Vec<(&str, &str)> = doc
            .timexes
            .iter()
            .map(|t| (&doc.text[t.start..t.end], t.value.as_str()))
            .collect();
        assert_eq!(spans, [("last month", "1998-10"), ("Friday", "1998-11-20")]);
    }

    #[test]
    fn scores_from_counts() {
        let prf = Prf::from_counts(3, 4, 3, 6);
        assert!((prf.precision - 0.75).abs() < 1e-9);
        assert!((prf.recall - 0.5).abs() < 1e-9);
        assert!((prf.f1 - 0.6).abs() < 1e-9);
    }
}
