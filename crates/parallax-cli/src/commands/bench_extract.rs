//! `parallax bench extract [PATH...]`: how fast the extraction stage reads articles on this machine.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use parallax_engine::extract::{Recogniser, extract_entities, tokenize};
use parallax_model::Article;

/// A news-style article of about 500 words written for the benchmark (no publisher's text).
const BRIEFING: &str = include_str!("../../../parallax-engine/tests/fixtures/briefing.txt");

/// Arguments of `parallax bench extract`.
#[derive(Args)]
pub(crate) struct BenchExtractArgs {
    /// Inputs in any format the readers know (default: a built-in article of about 500 words).
    paths: Vec<String>,
    /// How long to run, in seconds.
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
}

/// Runs the benchmark and prints throughput.
pub(crate) fn run(args: BenchExtractArgs) -> anyhow::Result<ExitCode> {
    let articles: Vec<Article> = if args.paths.is_empty() {
        vec![Article::new("", BRIEFING)]
    } else {
        super::extract::read_articles(&args.paths).0
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
    let mut rounds = 0usize;
    let mut mentions = 0usize;
    while started.elapsed() < budget {
        for article in &articles {
            let tokens = tokenize(&article.text);
            mentions += extract_entities(article, &tokens, &recogniser)
                .mentions
                .len();
        }
        rounds += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let articles_per_second = (rounds * articles.len()) as f64 / seconds;
    let words_per_second = (rounds * words) as f64 / seconds;
    println!(
        "{} articles ({} words) x {rounds} rounds in {seconds:.2} s: {articles_per_second:.0} articles/s, \
         {words_per_second:.0} words/s, {:.0} articles of 500 words/s, {:.3} ms per 500 words ({} mentions per round)",
        articles.len(),
        words,
        words_per_second / 500.0,
        1000.0 * 500.0 / words_per_second,
        mentions / rounds.max(1)
    );
    // On a shared machine wall time counts other processes' turns; CPU time is what one core spends.
    if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
        let per_cpu = (rounds * words) as f64 / cpu;
        println!(
            "CPU time {cpu:.2} s (this process had {:.0}% of a core): {:.0} articles of 500 words per CPU-second, \
             {:.3} ms CPU per 500 words",
            100.0 * cpu / seconds,
            per_cpu / 500.0,
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
