//! `parallax eval ...`: quality against labelled public data. Each metric is computed in the engine's `eval`
//! module; this only reads arguments and prints.

use std::process::ExitCode;

use clap::Subcommand;

/// The evaluations, one per stage that can be measured.
#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Placeholder until the first evaluation lands.
    #[command(hide = true)]
    None,
}

/// Runs one evaluation and prints its report.
pub(crate) fn run(command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::None => Ok(ExitCode::SUCCESS),
    }
}
