//! The `parallax` binary: parses arguments, dispatches to the library crates, maps errors to exit codes.

use clap::Parser;

/// Read the news from every side.
#[derive(Parser)]
#[command(name = "parallax", version)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
