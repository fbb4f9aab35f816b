//! `parallax train ner --conll FILE --out FILE` builds the recogniser's model from labelled data;
//! `parallax train clusters --lang L --out FILE PATH...` learns the word clusters it reads from unlabelled news.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use parallax_engine::extract::{
    ClusterConfig, TrainConfig, WordClusters, learn_word_clusters, read_labelled, train_ner,
};

/// The models Parallax can train.
#[derive(Subcommand)]
pub(crate) enum TrainCommand {
    /// Train the named-entity recogniser on labelled data (CoNLL-2003 eng.train, CoNLL-2002 esp.train,
    /// GermEval 2014 germ.train.iob2, as `--lang` says).
    Ner(TrainNerArgs),
    /// Learn word clusters from unlabelled text, for `parallax train ner --clusters`.
    Clusters(TrainClustersArgs),
}

/// Arguments of `parallax train ner`.
#[derive(Args)]
pub(crate) struct TrainNerArgs {
    /// Labelled training data.
    #[arg(long)]
    conll: PathBuf,
    /// The language of the data, which picks its format (en: CoNLL-2003, es: CoNLL-2002, de: GermEval 2014).
    #[arg(long, default_value = "en")]
    lang: String,
    /// Word clusters to build into the model (from `parallax train clusters`).
    #[arg(long)]
    clusters: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long, default_value = "models/ner-en.bin")]
    out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    epochs: usize,
    /// Features seen on fewer training tokens than this are not learnt.
    #[arg(long, default_value_t = TrainConfig::default().min_feature_count)]
    min_count: u32,
}

/// Arguments of `parallax train clusters`.
#[derive(Args)]
pub(crate) struct TrainClustersArgs {
    /// Unlabelled inputs: anything `parallax ingest` reads (JSON Lines, text, HTML, feeds, WARC, folders of them),
    /// and CSV files with `lang1`, `lang2`, `text1`, `text2` columns (the SemEval-2022 pairs).
    paths: Vec<PathBuf>,
    /// Keep only articles in this language (ISO 639-1).
    #[arg(long, default_value = "en")]
    lang: String,
    /// Labelled files whose words are read as more unlabelled text (their labels are not used).
    #[arg(long)]
    conll: Vec<PathBuf>,
    /// Where to write the cluster table.
    #[arg(long)]
    out: PathBuf,
    /// Depth of the cluster tree.
    #[arg(long, default_value_t = ClusterConfig::default().depth)]
    depth: u32,
    /// Words seen fewer times get no cluster.
    #[arg(long, default_value_t = ClusterConfig::default().min_count)]
    min_count: u32,
}

/// Trains and saves a model.
pub(crate) fn run(command: TrainCommand) -> anyhow::Result<ExitCode> {
    match command {
        TrainCommand::Ner(args) => train_recogniser(args),
        TrainCommand::Clusters(args) => train_clusters(args),
    }
}

fn train_recogniser(args: TrainNerArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.conll)
        .with_context(|| format!("reading {}", args.conll.display()))?;
    let documents = read_labelled(&text, &args.lang);
    let clusters = match &args.clusters {
        Some(path) => WordClusters::load(path)?,
        None => WordClusters::default(),
    };
    let started = Instant::now();
    let config = TrainConfig {
        epochs: args.epochs,
        min_feature_count: args.min_count,
        ..TrainConfig::default()
    };
    let model = train_ner(&documents, &clusters, &config, |epoch, accuracy| {
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

fn train_clusters(args: TrainClustersArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let (csv, others): (Vec<PathBuf>, Vec<PathBuf>) = args
        .paths
        .iter()
        .cloned()
        .partition(|p| p.extension().is_some_and(|e| e == "csv"));
    let mut texts: Vec<String> = super::extract::read_articles(&others, &Default::default())
        .0
        .into_iter()
        .filter(|a| a.language.as_deref() == Some(args.lang.as_str()))
        .map(|a| a.text)
        .collect();
    let from_articles = texts.len();
    for path in &csv {
        let mut reader =
            csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
        let headers = reader.headers()?.clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let pairs = [
            (column("lang1"), column("text1")),
            (column("lang2"), column("text2")),
        ];
        for record in reader.records() {
            let record = record?;
            for (lang, text) in pairs {
                if let (Some(lang), Some(text)) = (lang, text)
                    && record.get(lang) == Some(args.lang.as_str())
                    && let Some(text) = record.get(text)
                {
                    texts.push(text.to_owned());
                }
            }
        }
    }
    let from_csv = texts.len() - from_articles;
    for path in &args.conll {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        for document in read_labelled(&text, &args.lang) {
            let sentences: Vec<String> = document
                .sentences
                .iter()
                .map(|s| s.words.join(" "))
                .collect();
            texts.push(sentences.join("\n\n"));
        }
    }
    // The same article read twice (SemEval pairs repeat articles) would count its words twice.
    texts.sort_unstable();
    texts.dedup();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    eprintln!(
        "{} texts ({from_articles} articles, {from_csv} from CSV, the rest labelled documents), about {words} words",
        texts.len()
    );
    let config = ClusterConfig {
        depth: args.depth,
        min_count: args.min_count,
        ..ClusterConfig::default()
    };
    let clusters = learn_word_clusters(texts.iter().map(String::as_str), &config);
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    clusters.save(&args.out)?;
    println!(
        "wrote {} ({} words in clusters, {} bytes, {:.1} s)",
        args.out.display(),
        clusters.len(),
        std::fs::metadata(&args.out)?.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
