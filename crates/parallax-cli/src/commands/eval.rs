//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use parallax_engine::eval::{
    LangEvalConfig, Prf, SpanCounts, evaluate_language_file, evaluate_ner, evaluate_quotes,
    evaluate_timex,
};
use parallax_engine::extract::{NerModel, read_conll};

/// The evaluations, one per stage that can be measured.
#[derive(Subcommand)]
pub(crate) enum EvalCommand {
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
    /// Named entities against CoNLL-2003 column data: exact-span precision, recall and F1 as conlleval computes them.
    Ner(EvalNerArgs),
    /// Temporal expressions against TimeML files (TempEval-3 metric: strict, relaxed and value F1).
    Timex(EvalArgs),
    /// Quotes and their speakers against PolNeAR brat files (content-span F1, speaker accuracy).
    Quotes(EvalArgs),
}

/// Arguments of `parallax eval ner`.
#[derive(Args)]
pub(crate) struct EvalNerArgs {
    /// Labelled data in CoNLL-2003 columns (eng.testa).
    file: PathBuf,
    /// The model to measure (default: the one the engine finds, see `parallax train ner`).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
}

/// Where the labelled data is and how to print the result.
#[derive(Args)]
pub(crate) struct EvalArgs {
    /// The folder of labelled files (searched recursively).
    dir: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Also list every disagreement with the gold labels.
    #[arg(long)]
    mistakes: bool,
}

/// Runs one evaluation and prints its report.
pub(crate) fn run(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Ner(args) => eval_ner(args),
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
        EvalCommand::Timex(args) => {
            let mut report = evaluate_timex(&args.dir)?;
            if !args.mistakes {
                report.mistakes.clear();
            }
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            for m in &report.mistakes {
                println!(
                    "{:9} {:30} gold={:20} found={:30} {}  | {}",
                    m.kind,
                    m.text,
                    m.gold.as_deref().unwrap_or("-"),
                    m.found.as_deref().unwrap_or("-"),
                    m.document,
                    m.context
                );
            }
            println!(
                "documents {}  gold {}  found {}",
                report.documents, report.gold, report.found
            );
            print_prf("strict", &report.strict);
            print_prf("relaxed", &report.relaxed);
            println!(
                "value accuracy {:.4}  type accuracy {:.4}",
                report.value_accuracy, report.type_accuracy
            );
            println!("value F1 {:.4}", report.value_f1);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Quotes(args) => {
            let mut report = evaluate_quotes(&args.dir)?;
            if !args.mistakes {
                report.mistakes.clear();
            }
            for m in &report.mistakes {
                println!("{m}");
            }
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "documents {}  gold quoted attributions {}  found quotes {}",
                report.documents, report.gold, report.found
            );
            print_prf("content", &report.content);
            print_prf("exact", &report.content_exact);
            println!(
                "speaker accuracy {:.4}  (over matched quotes {:.4})",
                report.speaker_accuracy, report.speaker_accuracy_matched
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn eval_ner(args: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        Some(path) => NerModel::load(path)?,
        None => {
            NerModel::find().context("no NER model found: train one with `parallax train ner`")?
        }
    };
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let documents = read_conll(&text);
    let started = Instant::now();
    let scores = evaluate_ner(&model, &documents);
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
        return Ok(ExitCode::SUCCESS);
    }
    let line = |name: &str, c: &SpanCounts| {
        println!(
            "{name:<8} precision {:6.2}%  recall {:6.2}%  F1 {:6.2}   (gold {}, found {}, correct {})",
            100.0 * c.precision(),
            100.0 * c.recall(),
            100.0 * c.f1(),
            c.gold,
            c.found,
            c.correct
        );
    };
    for (kind, counts) in &scores.by_type {
        line(kind, counts);
    }
    line("overall", &scores.overall);
    println!(
        "{} tokens in {:.3} s ({:.0} tokens/s)",
        scores.tokens,
        seconds,
        scores.tokens as f64 / seconds
    );
    Ok(ExitCode::SUCCESS)
}

fn print_prf(name: &str, prf: &Prf) {
    println!(
        "{name:8} P {:.4}  R {:.4}  F1 {:.4}",
        prf.precision, prf.recall, prf.f1
    );
}
