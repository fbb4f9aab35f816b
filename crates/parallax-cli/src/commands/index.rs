//! `parallax index --rebuild`: the search index beside the database, built again from what is stored.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use parallax_server::{SearchIndex, index_dir};

/// Arguments of `parallax index`.
#[derive(Args)]
pub(crate) struct IndexArgs {
    /// Build the index again from every stored article and its extraction.
    #[arg(long, required = true)]
    rebuild: bool,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
}

/// Runs `parallax index --rebuild`.
pub(crate) fn run(args: IndexArgs) -> anyhow::Result<ExitCode> {
    debug_assert!(args.rebuild);
    let store = super::open_existing_store(&args.db)?;
    let dir = index_dir(Path::new(&args.db));
    let started = std::time::Instant::now();
    let index = SearchIndex::open_or_create(&dir).or_else(|_| {
        // An index of another version: start it afresh.
        std::fs::remove_dir_all(&dir)?;
        SearchIndex::open_or_create(&dir)
    })?;
    let count = index.rebuild(&store)?;
    eprintln!(
        "indexed {} in {} in {:.1} s",
        super::ingest::plural(count, "article"),
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
