//! `parallax ingest PATH...`: read every input and store what it holds.

use std::process::ExitCode;

use clap::Args;

/// Arguments of `parallax ingest`.
#[derive(Args)]
pub(crate) struct IngestArgs {
    /// Files, directories (read recursively), .gz files, or '-' for standard input.
    #[arg(required = true)]
    paths: Vec<String>,
    /// The database file.
    #[arg(long, default_value = "parallax.db")]
    db: String,
}

/// Placeholder until the store lands.
pub(crate) fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "ingest into {} is not built yet ({} paths given)",
        args.db,
        args.paths.len()
    )
}
