//! `parallax serve`: the news desk in a browser, and the JSON API, over a store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use parallax_engine::ingest::ReadLimits;
use parallax_server::{AppState, ServerConfig, serve};

/// Arguments of `parallax serve`.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// The database file (it must exist: `parallax ingest` makes it).
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// Where to listen. Loopback by default; another address exposes the store to that network.
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: SocketAddr,
    /// A file holding the bearer token that `POST /api/articles` must carry; without it, ingest over HTTP is off.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// The most bytes of one request body (K, M, G suffixes); larger uploads are answered 413.
    #[arg(long, default_value = "16M", value_parser = super::parse_size)]
    max_body_size: u64,
}

/// Runs `parallax serve` until Ctrl-C.
pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = ServerConfig::new(&args.db);
    if let Some(path) = &args.token_file {
        let token = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the token file {}", path.display()))?;
        let token = token.trim();
        if token.len() < 16 {
            anyhow::bail!(
                "the token in {} is shorter than 16 characters: too easy to guess",
                path.display()
            );
        }
        config.token = Some(token.to_owned());
    }
    let body = usize::try_from(args.max_body_size).unwrap_or(usize::MAX);
    config.body_limit = body;
    config.read_limits = ReadLimits::with_max_input_bytes(args.max_body_size);
    let started = std::time::Instant::now();
    let state = AppState::open(config)?;
    eprintln!(
        "parallax: store opened in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(state, args.addr))?;
    Ok(ExitCode::SUCCESS)
}
