//! Streams synthetic news through near-duplicate detection and story clustering and reports the rate per tenth
//! of the stream, the peak memory, and BCubed F1 against the generator's own story labels.
//!
//! ```text
//! cargo run --release -p parallax-engine --example stream_bench -- 10000 100000 1000000
//! ```
//!
//! The generator writes realistic streams without any real text: many stories of power-law (Zipf) sizes spread
//! over six months, each with its own topic words, names and figures; articles of 250 to 600 words mixing story
//! words with background vocabulary; five languages whose words differ but whose names and figures are shared
//! (as across real languages); 5% wire copies of an earlier article with a changed headline and a paragraph
//! added. The stream is in publication order, as `parallax ingest` assigns it.

use std::time::Instant;

use parallax_engine::cluster::{ClusterConfig, StoryClusterer};
use parallax_engine::eval::bcubed;
use parallax_model::{Article, PubDate};

/// SplitMix64: a small deterministic generator, so every run streams the same articles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A Zipf-like draw in 1..=n with exponent about 1.
    fn zipf(&mut self, n: u64) -> u64 {
        ((n as f64).powf(self.unit())).floor().max(1.0) as u64
    }
}

const LANGUAGES: [&str; 5] = ["en", "de", "es", "fr", "it"];

/// A pseudo-word from a number: syllables, so tokenizers and stemmers do real work.
fn word(n: u64, language: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "to", "ri", "mel", "san", "dor", "vi", "lun", "pe", "gra", "nos", "ti", "bar", "qua",
        "fe", "zol",
    ];
    let mut out = String::new();
    let mut x = n + 1;
    while x > 0 {
        out.push_str(SYLLABLES[(x % 16) as usize]);
        x /= 16;
    }
    out.push_str(["", "en", "os", "ette", "ino"][language]);
    out
}

fn name(n: u64) -> String {
    let mut w = word(n.wrapping_mul(2_654_435_761) % 1_000_000, 0);
    w[..1].make_ascii_uppercase();
    w
}

struct Story {
    words: Vec<u64>,
    names: Vec<u64>,
    figures: Vec<u64>,
    day: i64,
    remaining: u64,
}

/// Generates `n` articles with their story labels, sorted by day.
fn generate(n: usize, seed: u64) -> Vec<(Article, u64)> {
    let mut rng = Rng(seed);
    let mut out: Vec<(i64, Article, u64)> = Vec::with_capacity(n);
    let mut stories: Vec<Story> = Vec::new();
    let mut produced = 0usize;
    while produced < n {
        let size = rng.zipf(200).min((n - produced) as u64);
        stories.push(Story {
            words: (0..25).map(|_| 5_000 + rng.below(2_000_000)).collect(),
            names: (0..6).map(|_| rng.below(5_000_000)).collect(),
            figures: (0..3).map(|_| 11 + rng.below(100_000)).collect(),
            day: rng.below(180) as i64,
            remaining: size,
        });
        produced += size as usize;
    }
    let base = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for (label, story) in stories.iter_mut().enumerate() {
        let mut first: Option<Article> = None;
        while story.remaining > 0 {
            story.remaining -= 1;
            let language = rng.below(5) as usize;
            let day = story.day + (rng.zipf(8) as i64 - 1);
            let date = base + chrono::Days::new(day as u64);
            if let Some(original) = first.as_ref().filter(|_| rng.below(20) == 0) {
                let mut copy = original.clone();
                copy.id = format!("a{}", out.len()).as_str().into();
                copy.title = format!("Update: {}", copy.title);
                copy.text
                    .push_str("\n\nThis story has been updated with more details from the agency.");
                out.push((day, copy, label as u64));
                continue;
            }
            let length = 250 + rng.below(350) as usize;
            let mut paragraphs = Vec::new();
            let mut sentence = Vec::new();
            for i in 0..length {
                let token = match rng.below(100) {
                    0..=29 => word(
                        story.words[rng.below(story.words.len() as u64) as usize],
                        language,
                    ),
                    30..=37 => name(story.names[rng.below(story.names.len() as u64) as usize]),
                    38..=39 => story.figures[rng.below(3) as usize].to_string(),
                    _ => word(rng.zipf(50_000), language),
                };
                sentence.push(token);
                if i % 15 == 14 {
                    paragraphs.push(format!("{}.", sentence.join(" ")));
                    sentence.clear();
                }
            }
            let title = format!(
                "{} {} {}",
                name(story.names[0]),
                word(story.words[0], language),
                word(story.words[1], language)
            );
            let mut article = Article::new(title, paragraphs.join("\n\n"));
            article.id = format!("a{}", out.len()).as_str().into();
            article.language = Some(LANGUAGES[language].to_owned());
            article.date = Some(PubDate::Day(date));
            if first.is_none() {
                first = Some(article.clone());
            }
            out.push((day, article, label as u64));
        }
    }
    out.sort_by_key(|(day, a, _)| (*day, a.id.0.clone()));
    out.into_iter().map(|(_, a, l)| (a, l)).collect()
}

/// CPU seconds (user and system) this process has used, from /proc (Linux); 0 elsewhere. Reported beside wall
/// time because the benchmark machine is shared: CPU time is what the work costs on an idle core.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = after.split_whitespace().collect();
            let ticks =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// Peak resident memory of this process in MB, from /proc (Linux); 0 elsewhere.
fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000]
    } else {
        sizes
    };
    for n in sizes {
        let started = Instant::now();
        let stream = generate(n, 42);
        let generated = started.elapsed().as_secs_f64();
        let mut clusterer = StoryClusterer::new(ClusterConfig::default());
        let mut predicted = Vec::with_capacity(n);
        let mut tenths = Vec::new();
        let run = Instant::now();
        let cpu_before = cpu_seconds();
        let mut last = Instant::now();
        let step = (n / 10).max(1);
        for (i, (article, _)) in stream.iter().enumerate() {
            predicted.push(clusterer.assign(article).story().map_or(0, |s| s.0));
            if (i + 1) % step == 0 {
                tenths.push(step as f64 / last.elapsed().as_secs_f64());
                last = Instant::now();
            }
        }
        let seconds = run.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu_before;
        let gold: Vec<u64> = stream.iter().map(|(_, l)| *l).collect();
        let quality = bcubed(&predicted, &gold);
        println!(
            "{n} articles: {:.0} articles/s wall ({seconds:.1} s), {:.0} articles per CPU second ({cpu:.1} s); \
             generating took {generated:.1} s; BCubed F1 {:.4}, {} stories, peak memory {:.0} MB",
            n as f64 / seconds,
            n as f64 / cpu.max(1e-9),
            quality.f1,
            clusterer.story_count(),
            peak_memory_mb()
        );
        let curve: Vec<String> = tenths.iter().map(|r| format!("{r:.0}")).collect();
        println!("  articles/s per tenth of the stream: {}", curve.join(" "));
    }
}
