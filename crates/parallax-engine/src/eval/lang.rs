//! Language identification accuracy on labelled text.
//!
//! The labelled file is a CSV with a header row whose columns pair texts with their languages: `text1` with
//! `lang1`, `text2` with `lang2` (the shape of SemEval-2022 Task 8's pair files), or a single `text` with `lang`.
//! Every text of at least [`LangEvalConfig::min_chars`] characters is run through [`detect_language`] and the
//! detected ISO 639-1 code compared with the label; shorter texts are counted but not scored, since a detector
//! cannot be asked to tell a language from a headline fragment.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::lang::detect_language;

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct LangEvalConfig {
    /// Texts shorter than this many characters are not scored.
    pub min_chars: usize,
}

impl Default for LangEvalConfig {
    fn default() -> Self {
        LangEvalConfig { min_chars: 200 }
    }
}

/// Accuracy and speed of language identification on one labelled file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangReport {
    /// Labelled texts in the file, of any length.
    pub texts: usize,
    /// Texts long enough to be scored.
    pub scored: usize,
    /// Scored texts whose detected language matched the label.
    pub correct: usize,
    /// `correct / scored`.
    pub accuracy: f64,
    /// Mean wall time of one detection, in microseconds.
    pub micros_per_text: f64,
    /// Accuracy per labelled language.
    pub per_language: BTreeMap<String, LanguageScore>,
    /// The mistakes, as "label -> detected" with their counts, most frequent first.
    pub confusions: Vec<Confusion>,
}

/// Accuracy on the texts of one labelled language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageScore {
    /// Scored texts with this label.
    pub scored: usize,
    /// Of which detected correctly.
    pub correct: usize,
    /// `correct / scored`.
    pub accuracy: f64,
}

/// One kind of mistake.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    /// The labelled language.
    pub label: String,
    /// What was detected instead (`"none"` when nothing was).
    pub detected: String,
    /// How often.
    pub count: usize,
}

/// Reads the labelled CSV at `path` and measures language identification on it.
pub fn evaluate_language_file(path: &Path, config: &LangEvalConfig) -> std::io::Result<LangReport> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let labelled = labelled_texts(&text)?;
    Ok(evaluate_language(&labelled, config))
}

/// Measures language identification on `(label, text)` pairs.
pub fn evaluate_language(labelled: &[(String, String)], config: &LangEvalConfig) -> LangReport {
    let scored: Vec<&(String, String)> = labelled
        .iter()
        .filter(|(_, text)| text.chars().count() >= config.min_chars)
        .collect();
    let started = Instant::now();
    let detected: Vec<Option<&'static str>> = scored
        .iter()
        .map(|(_, text)| detect_language(text))
        .collect();
    let elapsed = started.elapsed();

    let mut per_language: BTreeMap<String, LanguageScore> = BTreeMap::new();
    let mut confusions: BTreeMap<(String, String), usize> = BTreeMap::new();
    for ((label, _), found) in scored.iter().zip(&detected) {
        let label = label.trim().to_lowercase();
        let score = per_language.entry(label.clone()).or_insert(LanguageScore {
            scored: 0,
            correct: 0,
            accuracy: 0.0,
        });
        score.scored += 1;
        if *found == Some(label.as_str()) {
            score.correct += 1;
        } else {
            *confusions
                .entry((label, found.unwrap_or("none").to_owned()))
                .or_default() += 1;
        }
    }
    for score in per_language.values_mut() {
        score.accuracy = ratio(score.correct, score.scored);
    }
    let correct = per_language.values().map(|s| s.correct).sum();
    let mut confusions: Vec<Confusion> = confusions
        .into_iter()
        .map(|((label, detected), count)| Confusion {
            label,
            detected,
            count,
        })
        .collect();
    confusions.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    LangReport {
        texts: labelled.len(),
        scored: scored.len(),
        correct,
        accuracy: ratio(correct, scored.len()),
        micros_per_text: if scored.is_empty() {
            0.0
        } else {
            elapsed.as_secs_f64() * 1e6 / scored.len() as f64
        },
        per_language,
        confusions,
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The `(label, text)` pairs of a CSV with `langN`/`textN` or `lang`/`text` columns.
fn labelled_texts(csv: &str) -> std::io::Result<Vec<(String, String)>> {
    let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidData, message);
    let mut rows = parse_csv(csv).into_iter();
    let header = rows
        .next()
        .ok_or_else(|| invalid("empty CSV file".into()))?;
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let mut pairs = Vec::new();
    for suffix in ["", "1", "2", "3", "4"] {
        if let (Some(lang), Some(text)) = (
            column(&format!("lang{suffix}")),
            column(&format!("text{suffix}")),
        ) {
            pairs.push((lang, text));
        }
    }
    if pairs.is_empty() {
        return Err(invalid(format!(
            "no lang/text columns in the CSV header (found: {})",
            header.join(", ")
        )));
    }
    let mut labelled = Vec::new();
    for row in rows {
        for &(lang, text) in &pairs {
            if let (Some(lang), Some(text)) = (row.get(lang), row.get(text))
                && !lang.trim().is_empty()
            {
                labelled.push((lang.clone(), text.clone()));
            }
        }
    }
    Ok(labelled)
}

/// Splits RFC 4180 CSV into rows of fields: quoted fields may hold commas, doubled quotes and line breaks.
fn parse_csv(csv: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_hold_quotes_commas_and_newlines() {
        let rows = parse_csv("a,b\r\n\"x, \"\"y\"\"\nz\",2\n");
        assert_eq!(rows, vec![vec!["a", "b"], vec!["x, \"y\"\nz", "2"]]);
    }

    #[test]
    fn scores_long_texts_per_language() {
        let english = "The council voted on Tuesday to close the old bridge to lorries after engineers found \
                       cracks in two of its supports, and said repairs would take most of the coming year.";
        let german = "Der Stadtrat beschloss am Dienstag, die alte Brücke für Lastwagen zu sperren, nachdem \
                      Ingenieure Risse in zwei Stützen gefunden hatten; die Reparatur dauere fast ein Jahr.";
        let csv = format!(
            "id,lang1,lang2,text1,text2\n1,en,de,\"{english}\",\"{german}\"\n2,en,de,short,kurz\n"
        );
        let labelled = labelled_texts(&csv).unwrap();
        assert_eq!(labelled.len(), 4);
        let report = evaluate_language(&labelled, &LangEvalConfig { min_chars: 150 });
        assert_eq!((report.texts, report.scored, report.correct), (4, 2, 2));
        assert_eq!(report.per_language["de"].accuracy, 1.0);

        let mislabelled = vec![("fr".to_owned(), english.to_owned())];
        let report = evaluate_language(&mislabelled, &LangEvalConfig { min_chars: 100 });
        assert_eq!(report.accuracy, 0.0);
        assert_eq!(report.confusions[0].detected, "en");
    }

    #[test]
    fn a_file_without_labels_is_an_error() {
        assert!(labelled_texts("id,body\n1,text\n").is_err());
    }
}
