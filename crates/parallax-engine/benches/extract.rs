//! Throughput of the whole extraction stage (`extract_article`: tokens, sentences, NER, entities, roles, dates,
//! quotes, events) on one thread, on a news-style article of about 500 words written for the tests, and its time
//! on one 5 MB article, which must stay linear. `parallax bench extract` times the same on 2 threads.
//!
//! ```text
//! nice cargo bench -p parallax-engine --bench extract
//! ```
//!
//! Prints wall time and, on Linux, CPU time: on a shared machine the CPU figure is the one that says what one core
//! does. The target is 500 articles of 500 words per second for the whole extraction stage on a 2-core machine.

use std::time::Instant;

use parallax_engine::extract::{
    Recogniser, extract_article, extract_entities, find_events, find_quotes, find_time_expressions,
    tokenize,
};
use parallax_engine::ingest::parse_date;
use parallax_model::Article;

const BRIEFING: &str = include_str!("../tests/fixtures/briefing.txt");

fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some((fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?) / 100.0)
}

fn time(label: &str, article: &Article, rounds: usize, recogniser: &Recogniser) {
    let words = article.text.split_whitespace().count() * rounds;
    let (cpu0, start) = (cpu_seconds(), Instant::now());
    for _ in 0..rounds {
        std::hint::black_box(extract_article(article, recogniser));
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds()
        .zip(cpu0)
        .map(|(a, b)| a - b)
        .filter(|c| *c > 0.0);
    print!(
        "{label}: {words} words in {wall:.2} s wall, {:.0} articles of 500 words/s",
        words as f64 / wall / 500.0
    );
    if let Some(cpu) = cpu {
        print!(
            "; {cpu:.2} s CPU, {:.0} articles of 500 words per CPU-second",
            words as f64 / cpu / 500.0
        );
    }
    println!();
}

fn main() {
    let recogniser = Recogniser::find();
    if matches!(recogniser, Recogniser::Rules) {
        println!("no NER model found: timing the rule-based fallback");
    }
    let mut briefing = Article::new("", BRIEFING);
    briefing.date = parse_date("2024-03-04");
    time("500-word article x 2000", &briefing, 2000, &recogniser);
    let big = BRIEFING.repeat(5 * 1024 * 1024 / BRIEFING.len());
    let mut big = Article::new("", big);
    big.date = briefing.date;
    time("one 5 MB article", &big, 1, &recogniser);
    parts_scale(&recogniser);
}

/// Each extraction part on a 1 MB and a 4 MB article, best of three runs each: a part whose time grows by much more than four times is not
/// linear. The text is the benchmark article repeated, with quotation marks left open between copies so that the
/// quote pairing meets unbalanced marks too.
fn parts_scale(recogniser: &Recogniser) {
    let make = |megabytes: usize| {
        let unit = BRIEFING.to_owned() + "\n\n“An opening mark that never closes. ";
        let mut article = Article::new("", unit.repeat(megabytes * 1024 * 1024 / unit.len()));
        article.date = parse_date("2024-03-04");
        article
    };
    let (small, large) = (make(1), make(4));
    let seconds = |f: &dyn Fn(&Article)| {
        let mut times = [0.0; 2];
        // The best of three runs: on a shared machine the others count other processes' turns.
        for (slot, article) in times.iter_mut().zip([&small, &large]) {
            *slot = (0..3)
                .map(|_| {
                    let start = Instant::now();
                    f(article);
                    start.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min);
        }
        times
    };
    let report = |part: &str, [one, four]: [f64; 2]| {
        println!(
            "{part:>10}: 1 MB {:7.1} ms, 4 MB {:7.1} ms, ratio {:.2}",
            one * 1e3,
            four * 1e3,
            four / one
        );
    };
    report(
        "tokens",
        seconds(&|a| {
            std::hint::black_box(tokenize(&a.text));
        }),
    );
    report(
        "entities",
        seconds(&|a| {
            let tokens = tokenize(&a.text);
            std::hint::black_box(extract_entities(a, &tokens, recogniser));
        }),
    );
    report(
        "times",
        seconds(&|a| {
            std::hint::black_box(find_time_expressions(
                &a.text,
                a.date.as_ref().map(|d| d.day()),
            ));
        }),
    );
    report(
        "quotes",
        seconds(&|a| {
            std::hint::black_box(find_quotes(&a.text));
        }),
    );
    report(
        "events",
        seconds(&|a| {
            let tokens = tokenize(&a.text);
            let found = extract_entities(a, &tokens, recogniser);
            let times = find_time_expressions(&a.text, a.date.as_ref().map(|d| d.day()));
            let quotes = find_quotes(&a.text);
            std::hint::black_box(find_events(a, &tokens, &found, &times, &quotes));
        }),
    );
    report(
        "all",
        seconds(&|a| {
            std::hint::black_box(extract_article(a, recogniser));
        }),
    );
}
