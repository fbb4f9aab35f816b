//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use parallax_engine::eval::{Prf, evaluate_quotes, evaluate_timex};

/// The evaluations, one per stage that can be measured.
#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Temporal expressions against TimeML files (TempEval-3 metric: strict, relaxed and value F1).
    Timex(EvalArgs),
    /// Quotes and their speakers against PolNeAR brat files (content-span F1, speaker accuracy).
    Quotes(EvalArgs),
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

fn print_prf(name: &str, prf: &Prf) {
    println!(
        "{name:8} P {:.4}  R {:.4}  F1 {:.4}",
        prf.precision, prf.recall, prf.f1
    );
}
