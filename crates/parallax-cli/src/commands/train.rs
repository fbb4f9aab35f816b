//! `parallax train ner --conll FILE --out FILE`: build the recogniser's model from labelled data.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use parallax_engine::extract::{TrainConfig, read_conll, train_ner};

/// The models Parallax can train.
#[derive(Subcommand)]
pub(crate) enum TrainCommand {
    /// Train the named-entity recogniser on CoNLL-2003 column data (eng.train).
    Ner(TrainNerArgs),
}

/// Arguments of `parallax train ner`.
#[derive(Args)]
pub(crate) struct TrainNerArgs {
    /// Labelled training data in CoNLL-2003 columns.
    #[arg(long)]
    conll: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "models/ner-en.bin")]
    out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    epochs: usize,
}

/// Trains and saves a model.
pub(crate) fn run(command: TrainCommand) -> anyhow::Result<ExitCode> {
    let TrainCommand::Ner(args) = command;
    let text = std::fs::read_to_string(&args.conll)
        .with_context(|| format!("reading {}", args.conll.display()))?;
    let documents = read_conll(&text);
    let started = Instant::now();
    let config = TrainConfig {
        epochs: args.epochs,
        ..TrainConfig::default()
    };
    let model = train_ner(&documents, &config, |epoch, accuracy| {
        eprintln!(
            "epoch {epoch}: token accuracy {accuracy:.4} ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
    });
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    model.save(&args.out)?;
    let size = std::fs::metadata(&args.out)?.len();
    println!("wrote {} ({} bytes, {model:?})", args.out.display(), size);
    Ok(ExitCode::SUCCESS)
}
