//! Main-text extraction from HTML pages, scored as trafilatura's evaluation scores it.
//!
//! The data set (`evaldata.json` beside a `pages/` folder of gzipped pages) lists, per page, snippets that must be
//! in the extracted text (`with`) and boilerplate that must not (`without`). Both the text and each snippet are
//! whitespace-normalised (every run of whitespace becomes one space) and checked as substrings. A `with` snippet
//! found is a true positive, one missed a false negative; a `without` snippet found is a false positive. Counts are
//! pooled over all pages and F1 = 2TP / (2TP + FP + FN). A page that cannot be read or yields no text counts as
//! missing everything it should have.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::ingest::{decode_html, extract_html};

/// One labelled page of the data set.
#[derive(Debug, Clone, Deserialize)]
pub struct HtmlCase {
    /// The page's file name under `pages/`, without `.gz`.
    pub file: String,
    /// Snippets the main text must contain.
    #[serde(default)]
    pub with: Vec<String>,
    /// Boilerplate the main text must not contain.
    #[serde(default)]
    pub without: Vec<String>,
}

/// Snippet counts, for one page or pooled over many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SnippetCounts {
    /// `with` snippets found.
    pub true_positives: usize,
    /// `without` snippets found.
    pub false_positives: usize,
    /// `with` snippets missed.
    pub false_negatives: usize,
}

impl SnippetCounts {
    /// TP / (TP + FP); 0 when nothing was found.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// TP / (TP + FN); 0 when nothing was expected.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// 2TP / (2TP + FP + FN).
    pub fn f1(&self) -> f64 {
        ratio(
            2 * self.true_positives,
            2 * self.true_positives + self.false_positives + self.false_negatives,
        )
    }

    fn add(&mut self, other: SnippetCounts) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Scores one page's extracted text (`None` when extraction failed) against its snippets.
pub fn score_page(text: Option<&str>, case: &HtmlCase) -> SnippetCounts {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return SnippetCounts {
            false_negatives: case.with.len(),
            ..SnippetCounts::default()
        };
    };
    let text = normalise_whitespace(text);
    let found = |snippet: &String| text.contains(&normalise_whitespace(snippet));
    let true_positives = case.with.iter().filter(|s| found(s)).count();
    SnippetCounts {
        true_positives,
        false_negatives: case.with.len() - true_positives,
        false_positives: case.without.iter().filter(|s| found(s)).count(),
    }
}

/// Every run of whitespace (Unicode's definition) as one space; ends are kept, as the reference metric keeps them.
fn normalise_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// The result of scoring the extractor on a data set.
#[derive(Debug, Clone, Serialize)]
pub struct HtmlEvalReport {
    /// Pages scored.
    pub pages: usize,
    /// Pages that could not be read or gave no text (they count as missing everything).
    pub failed_pages: usize,
    /// Snippet counts pooled over all pages.
    pub counts: SnippetCounts,
    /// Pooled precision.
    pub precision: f64,
    /// Pooled recall.
    pub recall: f64,
    /// Pooled F1.
    pub f1: f64,
    /// Seconds spent decoding and extracting (reading and decompressing the files is not counted).
    pub seconds: f64,
    /// Pages per second over those seconds.
    pub pages_per_second: f64,
    /// Threads the pages were extracted on.
    pub threads: usize,
    /// The pages with an error, by URL: what was missed and what boilerplate was kept.
    pub errors: BTreeMap<String, PageErrors>,
}

/// The snippets one page got wrong.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageErrors {
    /// The page's file.
    pub file: String,
    /// `with` snippets missing from the text.
    pub missed: Vec<String>,
    /// `without` snippets found in the text.
    pub kept_boilerplate: Vec<String>,
}

/// How to run the HTML evaluation.
#[derive(Debug, Clone)]
pub struct HtmlEvalConfig {
    /// Pages are extracted on this many threads (at least one). One thread compares like with like against a
    /// single-process peer; more show what a multi-core machine gets.
    pub threads: usize,
}

impl Default for HtmlEvalConfig {
    fn default() -> Self {
        HtmlEvalConfig { threads: 1 }
    }
}

/// Scores [`extract_html`] on a data set folder: `DIR/evaldata.json` and `DIR/pages/<file>.gz`.
pub fn evaluate_html_dir(dir: &Path, config: &HtmlEvalConfig) -> std::io::Result<HtmlEvalReport> {
    let evaldata = std::fs::read(dir.join("evaldata.json"))?;
    let cases: BTreeMap<String, HtmlCase> = serde_json::from_slice(&evaldata)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let pages: Vec<(String, HtmlCase, Option<Vec<u8>>)> = cases
        .into_iter()
        .map(|(url, case)| {
            let bytes = read_gzip(&dir.join("pages").join(format!("{}.gz", case.file))).ok();
            (url, case, bytes)
        })
        .collect();

    let threads = config.threads.max(1);
    let start = Instant::now();
    let mut texts: Vec<Option<String>> = vec![None; pages.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let pages = &pages;
                scope.spawn(move || {
                    // Pages are dealt round-robin so that large and small ones spread evenly.
                    (worker..pages.len())
                        .step_by(threads)
                        .map(|i| {
                            let (url, _, bytes) = &pages[i];
                            let text = bytes.as_deref().map(|bytes| {
                                let html = decode_html(bytes).text;
                                extract_html(&html, Some(url)).text
                            });
                            (i, text)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            for (i, text) in worker.join().expect("an extraction thread panicked") {
                texts[i] = text;
            }
        }
    });
    let seconds = start.elapsed().as_secs_f64();

    let mut counts = SnippetCounts::default();
    let mut errors = BTreeMap::new();
    let mut failed_pages = 0;
    for ((url, case, _), text) in pages.iter().zip(&texts) {
        let text = text.as_deref().filter(|t| !t.trim().is_empty());
        if text.is_none() {
            failed_pages += 1;
        }
        let page = score_page(text, case);
        counts.add(page);
        if page.false_negatives + page.false_positives > 0 {
            let normalised = text.map(normalise_whitespace).unwrap_or_default();
            let found = |s: &&String| {
                !normalised.is_empty() && normalised.contains(&normalise_whitespace(s))
            };
            errors.insert(
                url.clone(),
                PageErrors {
                    file: case.file.clone(),
                    missed: case.with.iter().filter(|s| !found(s)).cloned().collect(),
                    kept_boilerplate: case.without.iter().filter(found).cloned().collect(),
                },
            );
        }
    }
    Ok(HtmlEvalReport {
        pages: pages.len(),
        failed_pages,
        counts,
        precision: counts.precision(),
        recall: counts.recall(),
        f1: counts.f1(),
        seconds,
        pages_per_second: ratio_f(pages.len() as f64, seconds),
        threads,
        errors,
    })
}

fn ratio_f(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
}

fn read_gzip(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(with: &[&str], without: &[&str]) -> HtmlCase {
        HtmlCase {
            file: "page.html".into(),
            with: with.iter().map(|s| s.to_string()).collect(),
            without: without.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn counts_snippets_with_whitespace_normalised() {
        let page = case(
            &[
                "harbour reopened on Monday",
                "the mayor said",
                "not in the text",
            ],
            &["Subscribe now", "Cookie settings"],
        );
        let text = "The harbour  reopened\non Monday,\n\nthe mayor said.\n\nSubscribe now";
        let counts = score_page(Some(text), &page);
        assert_eq!(
            counts,
            SnippetCounts {
                true_positives: 2,
                false_positives: 1,
                false_negatives: 1,
            }
        );
        assert!((counts.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((counts.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!((counts.f1() - 4.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_failed_page_misses_everything_and_keeps_nothing() {
        let page = case(&["one", "two"], &["boilerplate"]);
        for text in [None, Some(""), Some("  \n")] {
            assert_eq!(
                score_page(text, &page),
                SnippetCounts {
                    true_positives: 0,
                    false_positives: 0,
                    false_negatives: 2,
                }
            );
        }
    }

    #[test]
    fn pooled_f1_weighs_every_snippet_alike() {
        let mut pooled = SnippetCounts::default();
        pooled.add(score_page(
            Some("alpha beta"),
            &case(&["alpha", "beta"], &[]),
        ));
        pooled.add(score_page(None, &case(&["gamma", "delta"], &["x"])));
        // TP 2, FP 0, FN 2: F1 = 4 / 6.
        assert!((pooled.f1() - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!(SnippetCounts::default().f1(), 0.0);
    }
}
