//! Time and memory of the comparison of one story's sources (`compare_story`), on stories of 50 and 1,000
//! articles, with each article's extraction computed beforehand as `parallax ingest` stores it.
//!
//! ```text
//! nice cargo bench -p parallax-engine --bench compare
//! ```
//!
//! The articles are made from the example corpus's text files (text the project wrote): each takes 12 to 24
//! paragraphs drawn from the whole pool, so that any two share many statements, names and numbers, the hard case
//! for alignment; outlets and publication days are spread over the story. The target: a story of 50 articles
//! compared in under a second, and 1,000 articles without quadratic blow-up.

use std::time::Instant;

use parallax_engine::compare::{CompareConfig, SourceUnit, compare_story};
use parallax_engine::extract::{Recogniser, extract_article};
use parallax_model::{Article, Extraction, PubDate};

fn paragraphs() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus/text");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/corpus/text")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .split("\n\n")
                .map(str::trim)
                .filter(|p| p.split_whitespace().count() >= 12 && !p.contains(": "))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn story(n: usize, pool: &[String]) -> Vec<Article> {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..n)
        .map(|i| {
            let count = 12 + (next() % 13) as usize;
            let text: Vec<&str> = (0..count)
                .map(|_| pool[(next() % pool.len() as u64) as usize].as_str())
                .collect();
            let mut a = Article::new(format!("Report {i}"), text.join("\n\n"));
            a.id = format!("a{i}").as_str().into();
            a.source = Some(format!("Outlet {}", i % 40));
            a.language = Some("en".into());
            a.date = format!("2024-03-{:02}", 10 + i % 5).parse::<PubDate>().ok();
            a
        })
        .collect()
}

fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let pool = paragraphs();
    let recogniser = Recogniser::find();
    for n in [50, 1000] {
        let articles = story(n, &pool);
        let started = Instant::now();
        let extractions: Vec<Extraction> = articles
            .iter()
            .map(|a| extract_article(a, &recogniser))
            .collect();
        let extracted = started.elapsed().as_secs_f64();
        let units: Vec<SourceUnit<'_>> = articles
            .iter()
            .zip(&extractions)
            .map(|(article, extraction)| SourceUnit::whole(article, extraction))
            .collect();
        let words: usize = articles
            .iter()
            .map(|a| a.text.split_whitespace().count())
            .sum();
        let mut best = f64::MAX;
        let mut groups = 0;
        for _ in 0..if n <= 50 { 5 } else { 1 } {
            let started = Instant::now();
            let c = compare_story(None, &units, &CompareConfig::default());
            best = best.min(started.elapsed().as_secs_f64());
            groups = c.statements.len();
        }
        println!(
            "{n} articles ({words} words): compared in {best:.3} s ({groups} statement groups); \
             extraction beforehand {extracted:.2} s; peak memory {:.0} MB",
            peak_memory_mb()
        );
    }
}
