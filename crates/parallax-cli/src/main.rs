//! The `parallax` binary: parses arguments, dispatches to the library crates, maps errors to exit codes.
//!
//! Exit status: 0 when everything asked for was done, 1 when some inputs were rejected (everything else was still
//! stored), 2 on a usage or fatal error.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Read the news from every side.
#[derive(Parser)]
#[command(name = "parallax", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read files, directories (recursively), .gz files or '-' (stdin) and store every article found.
    Ingest(commands::ingest::IngestArgs),
    /// Ingest, then report what Parallax knows: sources, languages, dates and the articles.
    Analyze(commands::analyze::AnalyzeArgs),
    /// List the stored articles: id, date, source, language, title.
    Articles(commands::articles::ArticlesArgs),
    /// Show one article whole, with its sections and where each field came from (--extract: what extraction found).
    Article(commands::article::ArticleArgs),
    /// List the canonical entities: id, kind, article and story counts, name, other names, roles.
    Entities(commands::entities::EntitiesArgs),
    /// Show one entity (by id, name or other name): its mentions, roles, quotes, events and stories.
    Entity(commands::entities::EntityArgs),
    /// List the stories: id, dates, article count, languages, sources, headline.
    Stories(commands::stories::StoriesArgs),
    /// Compare a story's sources: coverage, facts side by side, disagreements, quotes, framing, timeline.
    Story(commands::stories::StoryArgs),
    /// List the storylines (stories of one developing situation): id, dates, story and article counts, headline.
    Storylines(commands::storylines::StorylinesArgs),
    /// Show one storyline: its stories in time order.
    Storyline(commands::storylines::StorylineArgs),
    /// Read files, form their stories and compare the sources of each (nothing is stored).
    Compare(commands::compare::CompareArgs),
    /// Why two articles share a story or not: the evidence and the scores.
    Why(commands::stories::WhyArgs),
    /// Serve the store's stories, articles, entities and search in a browser, with a JSON API under /api/.
    Serve(commands::serve::ServeArgs),
    /// Build the search index beside the database again (`--rebuild`).
    Index(commands::index::IndexArgs),
    /// List every input that was not stored, with file, place and reason.
    Rejects(commands::rejects::RejectsArgs),
    /// Measure quality against labelled public data.
    #[command(subcommand)]
    Eval(commands::eval::EvalCommand),
    /// Read inputs and print the entities, aliases and roles found across them (nothing is stored).
    Extract(commands::extract::ExtractArgs),
    /// Benchmark helpers: make inputs for the benchmarks, time extraction (`bench extract`).
    #[command(subcommand, hide = true)]
    Bench(commands::bench::BenchCommand),
    /// Build a model from labelled data (the named-entity recogniser from CoNLL-2003).
    #[command(subcommand)]
    Train(commands::train::TrainCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Analyze(args) => commands::analyze::run(args),
        Command::Articles(args) => commands::articles::run(args),
        Command::Article(args) => commands::article::run(args),
        Command::Entities(args) => commands::entities::run_entities(args),
        Command::Entity(args) => commands::entities::run_entity(args),
        Command::Stories(args) => commands::stories::run_stories(args),
        Command::Story(args) => commands::stories::run_story(args),
        Command::Storylines(args) => commands::storylines::run_storylines(args),
        Command::Storyline(args) => commands::storylines::run_storyline(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Why(args) => commands::stories::run_why(args),
        Command::Rejects(args) => commands::rejects::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Index(args) => commands::index::run(args),
        Command::Eval(command) => commands::eval::run(command),
        Command::Bench(command) => commands::bench::run(command),
        Command::Train(command) => commands::train::run(command),
        Command::Extract(args) => commands::extract::run(args),
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`parallax articles | head`): nothing left to tell anyone.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parallax: {e:#}");
            ExitCode::from(2)
        }
    }
}
