//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use parallax_engine::eval::{LangEvalConfig, evaluate_language_file};

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
}

/// Runs one evaluation and prints its report.
pub(crate) fn run(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
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
