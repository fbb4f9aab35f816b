//! `parallax rejects`: every input that was not stored, with file, place and reason.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use parallax_store::Store;

/// Arguments of `parallax rejects`.
#[derive(Args)]
pub(crate) struct RejectsArgs {
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// One JSON object per line (`{"origin": {"path", "line"...}, "reason"}`) instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `parallax rejects`.
pub(crate) fn run(args: RejectsArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let mut out = std::io::stdout().lock();
    for reject in store.rejects()? {
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&reject)?)?;
        } else {
            // A file name may hold a newline: escaped, it cannot split the one line each reject gets.
            writeln!(
                out,
                "{}: {}",
                super::escape_controls(&reject.origin.to_string()),
                super::escape_controls(&reject.reason)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
