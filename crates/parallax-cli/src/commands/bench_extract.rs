//! `parallax bench extract [PATH...]`: how fast the whole extraction stage (`extract_article`: tokens, entities,
//! roles, dates, quotes, events) reads articles on this machine, on as many threads as asked (2 by default, the
//! cores of the machine the issue names).

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use parallax_engine::extract::{Recogniser, extract_article};
use parallax_engine::ingest::parse_date;
use parallax_model::Article;

/// A news-style article of about 500 words written for the benchmark (no publisher's text).
const BRIEFING: &str = include_str!("../../../parallax-engine/tests/fixtures/briefing.txt");

/// Arguments of `parallax bench extract`.
#[derive(Args)]
pub(crate) struct BenchExtractArgs {
    /// Inputs in any format the readers know (default: a built-in article of about 500 words).
    paths: Vec<std::path::PathBuf>,
    /// How long to run, in seconds.
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Extract on this many threads, each taking the next article from a shared counter.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

/// Runs the benchmark and prints throughput.
pub(crate) fn run(args: BenchExtractArgs) -> anyhow::Result<ExitCode> {
    let articles: Vec<Article> = if args.paths.is_empty() {
        // Dated, so relative dates resolve as they do for real articles.
        let mut article = Article::new("", BRIEFING);
        article.date = parse_date("2024-03-04");
        vec![article]
    } else {
        super::extract::read_articles(&args.paths, &Default::default()).0
    };
    anyhow::ensure!(!articles.is_empty(), "no articles found to time");
    let words: usize = articles
        .iter()
        .map(|a| a.text.split_whitespace().count())
        .sum();
    let recogniser = Recogniser::find();
    if matches!(recogniser, Recogniser::Rules) {
        eprintln!("no NER model found: timing the rule-based fallback");
    }
    let budget = Duration::from_secs_f64(args.seconds.max(0.1));
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    // Each thread takes the next article (counting on past the end wraps round) until the budget is spent.
    let next = AtomicUsize::new(0);
    let found = AtomicUsize::new(0);
    let threads = args.threads.max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while started.elapsed() < budget {
                    let article = &articles[next.fetch_add(1, Ordering::Relaxed) % articles.len()];
                    let extraction = extract_article(article, &recogniser);
                    let items = extraction.mentions.len()
                        + extraction.times.len()
                        + extraction.quotes.len()
                        + extraction.events.len();
                    found.fetch_add(items, Ordering::Relaxed);
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    // Articles started after the budget ran out were still extracted: count every one.
    let done = next.load(Ordering::Relaxed);
    let rounds = done as f64 / articles.len() as f64;
    let counts: Vec<usize> = articles
        .iter()
        .map(|a| a.text.split_whitespace().count())
        .collect();
    let words_done: usize = (0..done).map(|i| counts[i % counts.len()]).sum();
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let articles_per_second = done as f64 / seconds;
    let words_per_second = words_done as f64 / seconds;
    println!(
        "{} articles ({} words) x {rounds:.1} rounds on {threads} threads in {seconds:.2} s: \
         {articles_per_second:.0} articles/s, {words_per_second:.0} words/s, {:.0} articles of 500 words/s, \
         {:.3} ms per 500 words ({} items found per article)",
        articles.len(),
        words,
        words_per_second / 500.0,
        1000.0 * 500.0 / words_per_second,
        found.load(Ordering::Relaxed) / done.max(1)
    );
    // On a shared machine wall time counts other processes' turns; CPU time (all threads) is what the cores
    // spent, so twice the per-CPU-second figure is what a 2-core machine of its own would do.
    if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
        let per_cpu = words_done as f64 / cpu;
        println!(
            "CPU time {cpu:.2} s (this process had {:.0}% of a core): {:.0} articles of 500 words per CPU-second \
             ({:.0} on 2 cores of its own), {:.3} ms CPU per 500 words",
            100.0 * cpu / seconds,
            per_cpu / 500.0,
            2.0 * per_cpu / 500.0,
            1000.0 * 500.0 / per_cpu
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// User plus system CPU time of this process from `/proc/self/stat` (Linux; `None` elsewhere).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the command name: state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 1/100 s.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
