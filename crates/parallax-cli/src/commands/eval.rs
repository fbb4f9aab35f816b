//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use parallax_engine::eval::{SpanCounts, evaluate_ner};
use parallax_engine::extract::{NerModel, read_conll};

/// The evaluations, one per stage that can be measured.
#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Named entities against CoNLL-2003 column data: exact-span precision, recall and F1 as conlleval computes them.
    Ner(EvalNerArgs),
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

/// Runs one evaluation and prints its report.
pub(crate) fn run(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Ner(args) => eval_ner(args),
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
