//! `parallax bench ...` (hidden): inputs for the benchmarks in `benches/README.md`, and `bench extract`, which
//! times the extraction stage.
//!
//! The generated articles are made up from small word lists of each language: realistic in size, paragraphing
//! and script, so the readers, normalisation, language detection and the store do the work they do on real news,
//! without copying any real article. The same seed always gives the same bytes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

/// The benchmark helpers.
#[derive(Subcommand)]
pub(crate) enum BenchCommand {
    /// Writes a JSON Lines file of made-up articles (about 3 KB of text each, several languages).
    GenerateJsonl(GenerateArgs),
    /// Times extraction (tokens, sentences, entities, roles) over articles: wall and CPU throughput.
    Extract(super::bench_extract::BenchExtractArgs),
}

/// Arguments of `parallax bench generate-jsonl`.
#[derive(Args)]
pub(crate) struct GenerateArgs {
    /// Stop once the file reaches this size: bytes, or with a unit (KB, MB, GB; powers of 1000).
    #[arg(long, default_value = "1GB", value_parser = parse_size)]
    size: u64,
    /// The file to write.
    #[arg(long)]
    out: String,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Runs a bench helper.
pub(crate) fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Extract(args) => super::bench_extract::run(args),
        BenchCommand::GenerateJsonl(args) => {
            let file =
                File::create(&args.out).with_context(|| format!("cannot create {}", args.out))?;
            let mut out = BufWriter::with_capacity(1 << 20, file);
            let (articles, bytes) = generate_jsonl(&mut out, args.size, args.seed)?;
            out.flush()?;
            eprintln!("wrote {articles} articles, {bytes} bytes, to {}", args.out);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("not a size: {s:?}"))?;
    let scale = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1e0,
        "K" | "KB" => 1e3,
        "M" | "MB" => 1e6,
        "G" | "GB" => 1e9,
        other => return Err(format!("unknown unit {other:?} (use B, KB, MB or GB)")),
    };
    Ok((number * scale) as u64)
}

/// Writes articles until `size` bytes are written; returns how many articles and bytes.
pub(crate) fn generate_jsonl(
    out: &mut dyn Write,
    size: u64,
    seed: u64,
) -> std::io::Result<(u64, u64)> {
    let mut rng = SplitMix64(seed);
    let vocabularies: Vec<Vec<&str>> = LANGUAGES
        .iter()
        .map(|(_, words)| words.split(' ').filter(|w| !w.is_empty()).collect())
        .collect();
    let (mut articles, mut bytes) = (0u64, 0u64);
    while bytes < size {
        let line = article_json(&mut rng, &vocabularies, articles);
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        bytes += line.len() as u64 + 1;
        articles += 1;
    }
    Ok((articles, bytes))
}

/// A small, fast, seedable generator (SplitMix64): enough for made-up text, and no dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

/// Word lists: the most common words of each language, space-separated; a few invented names any may mention.
const LANGUAGES: &[(&str, &str)] = &[
    (
        "en",
        concat!(
            "the of and to in said that for on with was minister government talks would after people ",
            "city officials week agreement border police report president new not have from they their ",
            "council election water prices workers strike court meeting before while more than about",
        ),
    ),
    (
        "de",
        concat!(
            "der die und das nicht mit sich auf für ist eine Regierung Minister sagte nach Stadt Woche ",
            "Gespräche Polizei Bericht Präsident neue wurde haben über bei auch noch Wahl Preise ",
            "Arbeiter Gericht Grenze zwischen wegen schon müssen Behörden Vertrag gegen heute",
        ),
    ),
    (
        "fr",
        concat!(
            "le la les des et est dans une pour qui pas sur gouvernement ministre a déclaré après ",
            "ville semaine négociations police rapport président nouveau été avec leurs élection prix ",
            "travailleurs grève tribunal frontière entre aussi déjà accord autorités contre ",
            "aujourd'hui",
        ),
    ),
    (
        "es",
        concat!(
            "el la los las de que y en una por con para gobierno ministro dijo después ciudad semana ",
            "negociaciones policía informe presidente nuevo había sobre también elecciones precios ",
            "trabajadores huelga tribunal frontera entre acuerdo autoridades contra hoy todavía según",
        ),
    ),
    (
        "ru",
        concat!(
            "и в не на что с по это правительство министр заявил после город неделе переговоры полиция ",
            "доклад президент новый было также их выборы цены рабочие забастовка суд граница между ",
            "соглашение власти против сегодня уже который года время более",
        ),
    ),
];

const NAMES: &[&str] = &[
    "Varenna",
    "Oskel",
    "Talmir",
    "Brevik Lund",
    "Mara Quell",
    "Ostrava Nord",
    "Kessin",
    "Delmora",
    "Ilvo Sarn",
];

const OUTLETS: &[(&str, &str)] = &[
    ("The Harbour Ledger", "harbourledger.example"),
    ("Nordwind Zeitung", "nordwind.example"),
    ("Le Quotidien du Lac", "quotidienlac.example"),
    ("Diario del Puerto", "diariopuerto.example"),
    ("Vestnik Ravniny", "vestnik.example"),
    ("Pressline Wire", "pressline.example"),
];

fn sentence(rng: &mut SplitMix64, words: &[&str]) -> String {
    let n = 8 + rng.below(14);
    let mut s = String::with_capacity(n * 8);
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let word = if rng.below(12) == 0 {
            rng.pick(NAMES)
        } else {
            rng.pick(words)
        };
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                s.extend(first.to_uppercase());
                s.push_str(chars.as_str());
            }
        } else {
            s.push_str(word);
        }
        if i + 1 < n && rng.below(9) == 0 {
            s.push(',');
        }
    }
    s.push('.');
    s
}

fn article_json(rng: &mut SplitMix64, vocabularies: &[Vec<&str>], n: u64) -> String {
    let words = &vocabularies[rng.below(vocabularies.len())];
    let (outlet, host) = OUTLETS[rng.below(OUTLETS.len())];
    let mut text = String::with_capacity(3_500);
    let target = 1_700 + rng.below(2_300);
    while text.len() < target {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        for i in 0..(2 + rng.below(4)) {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&sentence(rng, words));
        }
    }
    let title = sentence(rng, words).trim_end_matches('.').to_owned();
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let section = ["world", "politics", "economy", "local"][rng.below(4)];
    serde_json::json!({
        "title": title,
        "text": text,
        "date": format!("2023-{month:02}-{day:02}T{:02}:{:02}", rng.below(24), rng.below(60)),
        "source": outlet,
        "url": format!("https://{host}/2023/{month:02}/{day:02}/story-{n}"),
        "section": section,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_the_same_bytes_for_the_same_seed() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let (articles, bytes) = generate_jsonl(&mut a, 50_000, 7).unwrap();
        generate_jsonl(&mut b, 50_000, 7).unwrap();
        assert_eq!(a, b);
        assert_eq!(bytes as usize, a.len());
        assert!(bytes >= 50_000);
        let mean = bytes / articles;
        assert!((2_000..6_000).contains(&mean), "mean article size {mean}");
        for line in a.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
            let value: serde_json::Value = serde_json::from_slice(line).unwrap();
            assert!(value["text"].as_str().unwrap().contains("\n\n"));
        }
    }

    #[test]
    fn reads_sizes_with_units() {
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("2.5MB"), Ok(2_500_000));
        assert_eq!(parse_size("300"), Ok(300));
        assert!(parse_size("1 parsec").is_err());
    }
}
