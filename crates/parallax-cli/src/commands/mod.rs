//! One module per subcommand: each turns parsed arguments into calls on the library crates and prints the result.

pub(crate) mod analyze;
pub(crate) mod article;
pub(crate) mod articles;
pub(crate) mod bench;
pub(crate) mod bench_extract;
pub(crate) mod compare;
pub(crate) mod entities;
pub(crate) mod eval;
pub(crate) mod extract;
pub(crate) mod extraction;
pub(crate) mod ingest;
pub(crate) mod rejects;
pub(crate) mod stories;
pub(crate) mod train;

use std::path::Path;

use anyhow::Context;
use parallax_store::SqliteStore;

/// Opens the store an `ingest` wrote, creating it when missing.
pub(crate) fn open_store(db: &str) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(db).with_context(|| format!("cannot open the database {db}"))
}

/// Opens a store that must already exist: a command that only reads says so rather than creating an empty file.
pub(crate) fn open_existing_store(db: &str) -> anyhow::Result<SqliteStore> {
    if !Path::new(db).exists() {
        anyhow::bail!("no database at {db}: run `parallax ingest PATH... --db {db}` first");
    }
    open_store(db)
}

/// A value or `-` where it is unknown, for aligned listings.
pub(crate) fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}
