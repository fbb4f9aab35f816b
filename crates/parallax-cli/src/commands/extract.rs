//! `parallax extract PATH... [--json]`: read inputs (any format the readers know) and print the entities, with
//! aliases and roles, that the extraction stage finds across them, without storing anything.

use std::process::ExitCode;

use clap::Args;
use parallax_engine::extract::{
    ArticleEntities, Recogniser, canonicalise, extract_entities, tokenize,
};
use parallax_engine::ingest::{Item, ReadLimits, discover_inputs, read_file_within};
use parallax_model::Article;
use serde::Serialize;

/// Arguments of `parallax extract`.
#[derive(Args)]
pub(crate) struct ExtractArgs {
    /// Files, directories (read recursively), .gz files, or '-' for standard input.
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
    /// The most bytes of one input (or one record of JSON Lines, a JSON array or WARC), after decompression;
    /// larger ones are rejected. Takes K, M and G suffixes (powers of 1024).
    #[arg(long, default_value = "128M", value_parser = super::parse_size)]
    max_input_size: u64,
    /// Print every article's mentions and roles and the canonical entities as JSON.
    #[arg(long)]
    json: bool,
}

/// Reads every article under `paths`, reporting rejects on standard error; returns the articles and whether any
/// input was rejected.
pub(crate) fn read_articles(
    paths: &[std::path::PathBuf],
    limits: &ReadLimits,
) -> (Vec<Article>, bool) {
    let mut articles = Vec::new();
    let mut rejected = false;
    let mut sink = |item: Item| match item {
        Item::Article(article) => articles.push(*article),
        Item::Reject(reject) => {
            rejected = true;
            eprintln!(
                "rejected {}: {}",
                super::escape_controls(&reject.origin.path),
                reject.reason
            );
        }
    };
    for input in discover_inputs(paths, &mut sink) {
        read_file_within(&input, limits, &mut sink);
    }
    (articles, rejected)
}

#[derive(Serialize)]
struct Extraction<'a> {
    articles: &'a [ArticleEntities],
    entities: &'a [parallax_model::Entity],
}

/// Extracts and prints.
pub(crate) fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let limits = ReadLimits::with_max_input_bytes(args.max_input_size);
    let (articles, rejected) = read_articles(&args.paths, &limits);
    let recogniser = Recogniser::find();
    if matches!(recogniser, Recogniser::Rules) {
        eprintln!("no NER model found (see `parallax train ner`): using the rule-based fallback");
    }
    let mut found: Vec<ArticleEntities> = articles
        .iter()
        .map(|a| extract_entities(a, &tokenize(&a.text), &recogniser))
        .collect();
    let entities = canonicalise(&mut found);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Extraction {
                articles: &found,
                entities: &entities
            })?
        );
    } else {
        for entity in &entities {
            let aliases = if entity.aliases.is_empty() {
                String::new()
            } else {
                format!(" (also: {})", entity.aliases.join("; "))
            };
            println!(
                "{:<40} {:<12} {}{aliases}  [{} articles]",
                entity.id.0,
                entity.kind.to_string(),
                entity.name,
                entity.articles.len()
            );
            for role in found
                .iter()
                .flat_map(|a| &a.roles)
                .filter(|r| r.person == entity.id)
            {
                let affiliation = role
                    .affiliation
                    .as_ref()
                    .map_or(String::new(), |a| format!(" @ {a}"));
                println!(
                    "    role: {}{affiliation}  ({} sentence {})",
                    role.title, role.article, role.sentence
                );
            }
        }
    }
    Ok(if rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
