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
pub(crate) mod index;
pub(crate) mod ingest;
pub(crate) mod rejects;
pub(crate) mod serve;
pub(crate) mod stories;
pub(crate) mod storylines;
pub(crate) mod train;

use std::path::Path;

use anyhow::Context;
use parallax_store::SqliteStore;

/// Opens the store an `ingest` wrote, creating it when missing.
pub(crate) fn open_store(db: &str) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(db).with_context(|| format!("cannot open the database {db}"))
}

/// Opens a store that must already exist, for reading only: a command that only reads says so rather than creating
/// an empty file, and never writes (it works on a read-only mount, and leaves a stray file as it was).
pub(crate) fn open_existing_store(db: &str) -> anyhow::Result<SqliteStore> {
    if !Path::new(db).exists() {
        anyhow::bail!("no database at {db}: run `parallax ingest PATH... --db {db}` first");
    }
    SqliteStore::open_read_only(db).with_context(|| format!("cannot open the database {db}"))
}

/// A size in bytes as a user writes it: `1048576`, `512K`, `100M`, `2G` (powers of 1024; a trailing `B` or `iB` is
/// allowed).
pub(crate) fn parse_size(value: &str) -> Result<u64, String> {
    let upper = value.trim().to_ascii_uppercase();
    let digits = upper.trim_end_matches("IB").trim_end_matches('B');
    let (number, shift) = match digits.chars().last() {
        Some('K') => (&digits[..digits.len() - 1], 10),
        Some('M') => (&digits[..digits.len() - 1], 20),
        Some('G') => (&digits[..digits.len() - 1], 30),
        Some('T') => (&digits[..digits.len() - 1], 40),
        _ => (digits, 0),
    };
    let number: u64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a size (say 1048576, 512K, 100M or 2G)"))?;
    match number.checked_mul(1 << shift) {
        Some(0) => Err("the size must be at least 1 byte".into()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("{value:?} is too large")),
    }
}

/// Text with its control characters escaped (`\n`, `\t`, `\u{1b}`), so a file name holding a newline cannot
/// split a line of output.
pub(crate) fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c {
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A value or `-` where it is unknown, for aligned listings.
pub(crate) fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}
