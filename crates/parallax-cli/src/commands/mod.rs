//! One module per subcommand: each turns parsed arguments into calls on the library crates and prints the result.

pub(crate) mod bench;
pub(crate) mod eval;
pub(crate) mod extract;
pub(crate) mod ingest;
pub(crate) mod train;
