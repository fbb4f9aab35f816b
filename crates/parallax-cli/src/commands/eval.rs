//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use parallax_engine::eval::{HtmlEvalConfig, evaluate_html_dir};

/// The evaluations, one per stage that can be measured.
#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Placeholder until the first evaluation lands.
    #[command(hide = true)]
    None,
    /// Main-text extraction from HTML pages: precision, recall and F1 of trafilatura's snippet metric.
    Html {
        /// The data set folder: evaldata.json and pages/*.gz, e.g. ../shared/datasets/html-extraction.
        dir: PathBuf,
        /// Print the report as JSON, with every page's missed snippets and kept boilerplate.
        #[arg(long)]
        json: bool,
        /// Extract pages on this many threads (1 compares like with like against a single-process peer).
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
}

/// Runs one evaluation and prints its report.
pub(crate) fn run(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::None => Ok(ExitCode::SUCCESS),
        EvalCommand::Html { dir, json, threads } => {
            let report = evaluate_html_dir(&dir, &HtmlEvalConfig { threads })
                .with_context(|| format!("cannot evaluate {}", dir.display()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "HTML main text: precision {:.4} recall {:.4} F1 {:.4} (TP {} FP {} FN {}) on {} pages \
                 ({} failed), {:.1} pages/s ({:.1} s extracting on {} thread(s))",
                report.precision,
                report.recall,
                report.f1,
                report.counts.true_positives,
                report.counts.false_positives,
                report.counts.false_negatives,
                report.pages,
                report.failed_pages,
                report.pages_per_second,
                report.seconds,
                report.threads
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
