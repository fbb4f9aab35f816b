//! Streams synthetic news through near-duplicate detection and story clustering and reports the rate per tenth
//! of the stream, the peak memory, and BCubed F1 against the generator's own story labels.
//!
//! ```text
//! cargo run --release -p parallax-engine --example stream_bench -- 10000 100000 1000000
//! cargo run --release -p parallax-engine --example stream_bench -- 10000 --peer   # and the scikit-learn peer
//! ```
//!
//! Articles are prepared (fingerprints, features) on worker threads, `--threads N` of them (default: one per
//! core), and assigned in order on the main thread, as `parallax ingest` does. Storylines are linked as by default;
//! `--no-storylines` turns them off, to see what they cost.
//!
//! The generator writes realistic streams without any real text: many stories of power-law (Zipf) sizes spread
//! over six months, each with its own topic words, names and figures; articles of 250 to 600 words mixing story
//! words with background vocabulary; five languages whose words differ but whose names and figures are shared
//! (as across real languages); 5% wire copies of an earlier article with a changed headline and a paragraph
//! added. The stream is in publication order, as `parallax ingest` assigns it.

use std::io::Write;
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
}

/// One planned article: its day, story, the seed its text is drawn from, and whether it is a wire copy of the
/// story's first article. Only the plan is held in memory; texts are made as the stream reaches them, so the
/// generator does not weigh on the memory the benchmark measures.
#[derive(Clone, Copy)]
struct Planned {
    day: i64,
    story: u32,
    seed: u64,
    copy_of: Option<u64>,
}

/// Plans `n` articles in publication order, with their stories.
fn plan(n: usize, seed: u64) -> (Vec<Story>, Vec<Planned>) {
    let mut rng = Rng(seed);
    let mut stories = Vec::new();
    let mut planned = Vec::with_capacity(n);
    while planned.len() < n {
        let size = rng.zipf(200).min((n - planned.len()) as u64);
        let story = stories.len() as u32;
        stories.push(Story {
            words: (0..25).map(|_| 5_000 + rng.below(2_000_000)).collect(),
            names: (0..6).map(|_| rng.below(5_000_000)).collect(),
            figures: (0..3).map(|_| 11 + rng.below(100_000)).collect(),
        });
        let start = rng.below(180) as i64;
        let first = rng.next();
        for i in 0..size {
            let copy = i > 0 && rng.below(20) == 0;
            planned.push(Planned {
                day: start + (rng.zipf(8) as i64 - 1),
                story,
                seed: if i == 0 { first } else { rng.next() },
                copy_of: copy.then_some(first),
            });
        }
    }
    planned.sort_by_key(|p| (p.day, p.story, p.seed));
    (stories, planned)
}

/// Writes one planned article.
fn materialise(stories: &[Story], p: &Planned, index: usize) -> Article {
    let story = &stories[p.story as usize];
    let mut rng = Rng(p.copy_of.unwrap_or(p.seed));
    let language = rng.below(5) as usize;
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
    let mut title = format!(
        "{} {} {}",
        name(story.names[0]),
        word(story.words[0], language),
        word(story.words[1], language)
    );
    let mut text = paragraphs.join("\n\n");
    if p.copy_of.is_some() {
        title = format!("Update: {title}");
        text.push_str("\n\nThis story has been updated with more details from the agency.");
    }
    let mut article = Article::new(title, text);
    article.id = format!("a{index}").as_str().into();
    article.language = Some(LANGUAGES[language].to_owned());
    let base = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    article.date = Some(PubDate::Day(base + chrono::Days::new(p.day.max(0) as u64)));
    article
}

/// CPU seconds (user and system) this process has used, from /proc (Linux); 0 elsewhere. Reported beside wall
/// time because the benchmark machine is shared: CPU time is what the work costs on an idle core.
fn cpu_seconds() -> f64 {
    stat_seconds(11)
}

/// The sum of two adjacent tick counts of /proc/self/stat (counted after the command name), in seconds.
fn stat_seconds(first: usize) -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = after.split_whitespace().collect();
            let ticks = fields.get(first)?.parse::<f64>().ok()?
                + fields.get(first + 1)?.parse::<f64>().ok()?;
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

/// CPU seconds (user and system) of the waited-for child processes, from /proc (Linux); 0 elsewhere.
fn children_cpu_seconds() -> f64 {
    stat_seconds(13)
}

/// Runs the scikit-learn peer (`benches/peer_stories.py --stream`) on the same articles and prints its time
/// beside Parallax's: the peer's own clock covers vectorising and clustering, not reading the file, as
/// Parallax's covers assignment, not writing the synthetic texts.
fn run_peer(stories: &[Story], planned: &[Planned], parallax: (f64, f64)) {
    let path = std::env::temp_dir().join(format!("stream_bench_{}.jsonl", planned.len()));
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("temp file"));
        for (i, p) in planned.iter().enumerate() {
            let a = materialise(stories, p, i);
            let line =
                serde_json::json!({"id": a.id, "title": a.title, "text": a.text, "event": p.story});
            writeln!(out, "{line}").expect("write");
        }
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../benches/peer_stories.py");
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let output = std::process::Command::new("python3")
        .args([script, "--stream"])
        .arg(&path)
        .output();
    let wall = started.elapsed().as_secs_f64();
    let cpu = children_cpu_seconds() - cpu_before;
    let _ = std::fs::remove_file(&path);
    let report = output
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(o.stdout.trim_ascii()).ok());
    let Some(report) = report else {
        println!(
            "  peer: python3 benches/peer_stories.py --stream failed (scikit-learn installed?)"
        );
        return;
    };
    let seconds = report["seconds"].as_f64().unwrap_or(f64::NAN);
    println!(
        "  peer (scikit-learn TF-IDF + average-linkage agglomerative, same articles, same run): {seconds:.1} s \
         clustering ({wall:.1} s wall with start-up and reading, {cpu:.1} CPU s), BCubed F1 {:.4}; \
         Parallax is {:.1} times faster on the clock ({:.1} times on CPU seconds)",
        report["bcubed_f1"].as_f64().unwrap_or(f64::NAN),
        seconds / parallax.0.max(1e-9),
        cpu / parallax.1.max(1e-9),
    );
}

fn main() {
    let mut sizes = Vec::new();
    let mut peer = false;
    let mut storylines = true;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--peer" => peer = true,
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(threads),
            "--no-storylines" => storylines = false,
            _ => sizes.extend(arg.parse::<usize>().ok()),
        }
    }
    if sizes.is_empty() {
        sizes.push(10_000);
    }
    println!("preparing on {threads} worker threads, assigning on one");
    for n in sizes {
        let started = Instant::now();
        let (stories, planned) = plan(n, 42);
        let generated = started.elapsed().as_secs_f64();
        let config = ClusterConfig {
            storyline_similarity: if storylines {
                ClusterConfig::default().storyline_similarity
            } else {
                None
            },
            ..ClusterConfig::default()
        };
        let mut clusterer = StoryClusterer::new(config);
        let mut predicted = Vec::with_capacity(n);
        // Each article's storyline as assigned, and where each storyline joined since: the storylines at the end.
        let mut lines: Vec<u64> = Vec::with_capacity(n);
        let mut joined: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
        let mut tenths = Vec::new();
        let step = (n / 10).max(1000) / 1000 * 1000;
        // Texts are written in batches outside the timed sections: writing synthetic text is the generator's
        // work, not Parallax's.
        let (mut seconds, mut cpu, mut done) = (0.0, 0.0, 0usize);
        let (mut tenth_seconds, mut tenth_cpu) = (0.0, 0.0);
        for batch in planned.chunks(1000) {
            let articles: Vec<Article> = batch
                .iter()
                .enumerate()
                .map(|(j, p)| materialise(&stories, p, done + j))
                .collect();
            let cpu_before = cpu_seconds();
            let run = Instant::now();
            clusterer.assign_each(&articles, threads, &mut |a| {
                predicted.push(a.story().map_or(0, |s| s.0));
                lines.push(a.units.first().map_or(0, |u| u.storyline.0));
                for link in &a.linked {
                    joined.insert(link.from.0, link.into.0);
                }
            });
            let elapsed = run.elapsed().as_secs_f64();
            let used = cpu_seconds() - cpu_before;
            seconds += elapsed;
            cpu += used;
            tenth_seconds += elapsed;
            tenth_cpu += used;
            done += articles.len();
            if done % step == 0 || done == n {
                tenths.push((
                    step as f64 / tenth_seconds.max(1e-9),
                    step as f64 / tenth_cpu.max(1e-9),
                ));
                (tenth_seconds, tenth_cpu) = (0.0, 0.0);
            }
        }
        let mut final_lines: Vec<u64> = lines
            .iter()
            .map(|&l| {
                let mut l = l;
                while let Some(&into) = joined.get(&l) {
                    l = into;
                }
                l
            })
            .collect();
        final_lines.sort_unstable();
        final_lines.dedup();
        let gold: Vec<u32> = planned.iter().map(|p| p.story).collect();
        let quality = bcubed(&predicted, &gold);
        let peak = peak_memory_mb();
        println!(
            "{n} articles: {:.0} articles/s wall ({seconds:.1} s), {:.0} articles per CPU second ({cpu:.1} s); \
             planning took {generated:.1} s, writing texts excluded; BCubed F1 {:.4}, {} stories, peak memory {peak:.0} MB",
            n as f64 / seconds,
            n as f64 / cpu.max(1e-9),
            quality.f1,
            clusterer.story_count(),
        );
        let curve: Vec<String> = tenths.iter().map(|r| format!("{:.0}", r.0)).collect();
        println!("  articles/s per tenth of the stream: {}", curve.join(" "));
        let curve: Vec<String> = tenths.iter().map(|r| format!("{:.0}", r.1)).collect();
        println!("  articles per CPU second per tenth: {}", curve.join(" "));
        let state = serde_json::to_vec(&clusterer).map_or(0, |s| s.len());
        println!(
            "  storylines: {} ({} joins){}",
            final_lines.len(),
            joined.len(),
            if storylines { "" } else { ", storylines off" }
        );
        println!(
            "  held at the end: {} open stories, {} texts for near-duplicates; saved state {:.1} MB",
            clusterer.open_story_count(),
            clusterer.held_texts(),
            state as f64 / 1e6
        );
        if peer && n <= 20_000 {
            run_peer(&stories, &planned, (seconds, cpu));
        }
    }
}
