//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use parallax_engine::cluster::ClusterConfig;
use parallax_engine::dedup::DedupConfig;
use parallax_engine::eval::{
    LangEvalConfig, Prf, StoriesEvalOptions, evaluate_dedup, evaluate_language_file,
    evaluate_pairs, evaluate_stories, read_labelled_jsonl, training_rows,
};

/// The evaluations, one per stage that can be measured.
#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Cluster a labelled JSON Lines file into stories and score them against its gold labels: BCubed and
    /// pairwise precision, recall and F1.
    Stories(StoriesArgs),
    /// Plant edited copies of a JSON Lines file's texts (changed headline, byline, dropped or added paragraph,
    /// boilerplate, heavy rewrite) and measure near-duplicate precision and recall against exact Jaccard truth.
    Dedup(DedupArgs),
    /// Correlate Parallax's story-similarity score with human judgements of article pairs (the SemEval-2022
    /// Task 8 CSV: lang1, lang2, text1, text2, Overall), overall and for same- and cross-language pairs.
    Pairs(PairsArgs),
    /// Language identification accuracy on a labelled CSV (columns lang1/text1, lang2/text2, or lang/text).
    Lang {
        /// The labelled CSV file, e.g. ../shared/datasets/semeval2022-pairs-train.csv.
        file: PathBuf,
        /// Score only texts of at least this many characters.
        #[arg(long, default_value_t = 200)]
        min_chars: usize,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `parallax eval pairs`.
#[derive(Args)]
pub(crate) struct PairsArgs {
    /// The CSV file of pairs.
    file: String,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `parallax eval dedup`.
#[derive(Args)]
pub(crate) struct DedupArgs {
    /// A JSON Lines file of articles whose texts the copies are made from.
    file: String,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `parallax eval stories`.
#[derive(Args)]
pub(crate) struct StoriesArgs {
    /// A JSON Lines file of articles, each with a gold story label.
    file: String,
    /// The key holding the gold label ("event").
    #[arg(long)]
    gold: String,
    /// Score only articles whose gold label matches this regular expression (e.g. the dev topics of ECB+:
    /// '^ecb(2|5|12|18|21|23|34|35)[ab]$').
    #[arg(long)]
    only: Option<String>,
    /// A JSON file of clustering settings to try instead of the defaults (for experiments; Parallax is measured
    /// with the defaults).
    #[arg(long)]
    config: Option<String>,
    /// Instead of clustering, write the oracle's training rows for the score model to this file (JSON Lines).
    #[arg(long, hide = true)]
    training_rows: Option<String>,
    /// Print the full report, with every article's story, as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs one evaluation and prints its report.
pub(crate) fn run(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Stories(args) => stories(args),
        EvalCommand::Dedup(args) => dedup(args),
        EvalCommand::Pairs(args) => pairs(args),
        EvalCommand::Lang {
            file,
            min_chars,
            json,
        } => {
            let config = LangEvalConfig { min_chars };
            let report = evaluate_language_file(&file, &config)
                .with_context(|| format!("cannot evaluate {}", file.display()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "language identification: {} of {} texts of >= {min_chars} chars correct: accuracy {:.4} \
                 ({} texts in file), {:.1} µs per text",
                report.correct,
                report.scored,
                report.accuracy,
                report.texts,
                report.micros_per_text
            );
            for (language, score) in &report.per_language {
                println!(
                    "  {language:<4} {:>5} texts  accuracy {:.4}",
                    score.scored, score.accuracy
                );
            }
            for confusion in report.confusions.iter().take(10) {
                println!(
                    "  mistake: {} read as {} ({}x)",
                    confusion.label, confusion.detected, confusion.count
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn pairs(args: PairsArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    let report = evaluate_pairs(BufReader::new(file), &ClusterConfig::default())
        .with_context(|| format!("cannot read {} as CSV", args.file))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for (name, c) in [
            ("overall", report.overall),
            ("same language", report.same_language),
            ("cross language", report.cross_language),
        ] {
            println!("{name:<15} {:>5} pairs  Pearson {:.4}", c.pairs, c.pearson);
        }
        if report.skipped > 0 {
            println!("{} rows skipped (no text or no score)", report.skipped);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn dedup(args: DedupArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    let (articles, rejects) = read_labelled_jsonl(&args.file, &mut BufReader::new(file));
    for reject in &rejects {
        eprintln!("parallax: skipped {}: {}", reject.origin, reject.reason);
    }
    let report = evaluate_dedup(&articles, &DedupConfig::default());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{} texts, {} reported copies, {} right (exact Jaccard >= {}): precision {:.4}  recall {:.4}  ({:.0} texts/s)",
            report.texts,
            report.reported,
            report.correct,
            report.threshold,
            report.precision,
            report.recall,
            report.texts_per_second
        );
        for (edit, counts) in &report.edits {
            println!(
                "  {edit:<15} {} of {} copies at or above the threshold found, {} below it",
                counts.found, counts.positives, counts.below_threshold
            );
        }
    }
    Ok(if rejects.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn stories(args: StoriesArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    let (articles, rejects) = read_labelled_jsonl(&args.file, &mut BufReader::new(file));
    for reject in &rejects {
        eprintln!("parallax: skipped {}: {}", reject.origin, reject.reason);
    }
    let config = match &args.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
            serde_json::from_str::<ClusterConfig>(&text)
                .with_context(|| format!("bad settings in {path}"))?
        }
        None => ClusterConfig::default(),
    };
    let only = args
        .only
        .as_deref()
        .map(regex::Regex::new)
        .transpose()
        .context("bad --only pattern")?;
    let options = StoriesEvalOptions {
        gold_field: args.gold,
        only,
        config,
    };
    if let Some(path) = &args.training_rows {
        let mut out = String::new();
        for row in training_rows(&articles, &options) {
            out.push_str(&serde_json::to_string(&row)?);
            out.push('\n');
        }
        std::fs::write(path, out).with_context(|| format!("cannot write {path}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = evaluate_stories(&articles, &options);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{} articles ({} without a gold label skipped), {} gold stories, {} stories, {} near-duplicates, {:.2} s",
            report.articles,
            report.unlabelled,
            report.gold_stories,
            report.stories,
            report.near_duplicates,
            report.seconds
        );
        print_prf("BCubed", report.bcubed);
        print_prf("pairwise", report.pairwise);
    }
    Ok(if rejects.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_prf(name: &str, prf: Prf) {
    println!(
        "{name:<9} precision {:.4}  recall {:.4}  F1 {:.4}",
        prf.precision, prf.recall, prf.f1
    );
}
