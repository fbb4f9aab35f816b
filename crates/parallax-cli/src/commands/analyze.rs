//! `parallax analyze PATH...`: ingest, then report what Parallax knows.
//!
//! The report is built from the store alone, so it reads the same whether the articles came in this run or an
//! earlier one. It opens with the inventory (counts by outlet, language, the dates covered) and lists the
//! articles and the stories; the extraction and the comparison of sources join it as those stages land.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use parallax_store::{ArticleSummary, Inventory, Store, StorySummary};

use super::articles::{summary_json, write_listing};
use super::ingest::{IngestArgs, ingest, plural};
use super::stories::{story_json, write_stories};

/// Arguments of `parallax analyze`.
#[derive(Args)]
pub(crate) struct AnalyzeArgs {
    #[command(flatten)]
    ingest: IngestArgs,
    /// The report as one JSON object.
    #[arg(long)]
    json: bool,
}

/// What Parallax knows about the articles in a store.
pub(crate) struct Report {
    inventory: Inventory,
    articles: Vec<ArticleSummary>,
    stories: Vec<StorySummary>,
}

impl Report {
    /// Builds the report from what the store holds.
    pub(crate) fn from_store(store: &dyn Store) -> parallax_store::Result<Report> {
        Ok(Report {
            inventory: store.inventory()?,
            articles: store.summaries()?,
            stories: store.stories()?,
        })
    }

    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let inv = &self.inventory;
        let span = match (inv.first_date, inv.last_date) {
            (Some(first), Some(last)) if first.day() == last.day() => {
                format!(", on {}", first.day())
            }
            (Some(first), Some(last)) => format!(", {} to {}", first.day(), last.day()),
            _ => String::new(),
        };
        let sources = inv.by_source.iter().filter(|(s, _)| s.is_some()).count();
        let languages = inv.by_language.iter().filter(|(l, _)| l.is_some()).count();
        writeln!(
            out,
            "{} from {} in {}{span}",
            plural(inv.articles, "article"),
            plural(sources as u64, "source"),
            plural(languages as u64, "language"),
        )?;
        if inv.rejects > 0 {
            let rejects = plural(inv.rejects, "input");
            writeln!(out, "{rejects} rejected (see `parallax rejects`)")?;
        }
        let tally = |out: &mut dyn Write, title: &str, counts: &[(Option<String>, u64)]| {
            writeln!(out, "\n{title}")?;
            let width = counts
                .iter()
                .map(|(k, _)| super::or_dash(k.as_deref()).chars().count())
                .max();
            for (key, n) in counts {
                writeln!(
                    out,
                    "  {:w$}  {n}",
                    super::or_dash(key.as_deref()),
                    w = width.unwrap_or(0)
                )?;
            }
            std::io::Result::Ok(())
        };
        tally(out, "Sources", &inv.by_source)?;
        tally(out, "Languages", &inv.by_language)?;
        writeln!(out, "\nArticles")?;
        write_listing(out, &self.articles)?;
        writeln!(out, "\nStories ({})", self.stories.len())?;
        write_stories(out, &self.stories)
    }

    fn to_json(&self) -> serde_json::Value {
        let inv = &self.inventory;
        let tally = |counts: &[(Option<String>, u64)]| -> Vec<serde_json::Value> {
            counts
                .iter()
                .map(|(key, n)| serde_json::json!({"name": key, "articles": n}))
                .collect()
        };
        serde_json::json!({
            "articles": inv.articles,
            "rejects": inv.rejects,
            "first_date": inv.first_date,
            "last_date": inv.last_date,
            "sources": tally(&inv.by_source),
            "languages": tally(&inv.by_language),
            "article_list": self.articles.iter().map(summary_json).collect::<Vec<_>>(),
            "stories": self.stories.iter().map(story_json).collect::<Vec<_>>(),
        })
    }
}

/// Runs `parallax analyze`.
pub(crate) fn run(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let outcome = ingest(&args.ingest)?;
    eprintln!("{}", outcome.summary());
    outcome.say_stories();
    let store = super::open_store(&args.ingest.db)?;
    let report = Report::from_store(&store)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report.to_json())?)?;
    } else {
        report.write_text(&mut out)?;
    }
    Ok(outcome.exit_code())
}
