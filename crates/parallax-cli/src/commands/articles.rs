//! `parallax articles`: one line per stored article.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use parallax_store::{ArticleSummary, Store};

use super::or_dash;

/// Arguments of `parallax articles`.
#[derive(Args)]
pub(crate) struct ArticlesArgs {
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// One JSON object per line instead of columns.
    #[arg(long)]
    json: bool,
}

/// Runs `parallax articles`.
pub(crate) fn run(args: ArticlesArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let summaries = store.summaries()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        for summary in &summaries {
            writeln!(out, "{}", summary_json(summary))?;
        }
    } else {
        write_listing(&mut out, &summaries)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// An article summary as a JSON object with the record's field names.
pub(crate) fn summary_json(summary: &ArticleSummary) -> serde_json::Value {
    serde_json::json!({
        "id": summary.id,
        "date": summary.date,
        "source": summary.source,
        "language": summary.language,
        "title": summary.title,
    })
}

/// Aligned columns: id, date, source, language, title.
pub(crate) fn write_listing(
    out: &mut dyn Write,
    summaries: &[ArticleSummary],
) -> std::io::Result<()> {
    let dates: Vec<String> = summaries
        .iter()
        .map(|s| s.date.map_or_else(|| "-".to_owned(), |d| d.to_string()))
        .collect();
    let width = |f: &dyn Fn(usize) -> usize| (0..summaries.len()).map(f).max().unwrap_or(0);
    let id_w = width(&|i| summaries[i].id.0.chars().count());
    let date_w = width(&|i| dates[i].len());
    let source_w = width(&|i| or_dash(summaries[i].source.as_deref()).chars().count()).min(24);
    let lang_w = width(&|i| or_dash(summaries[i].language.as_deref()).len());
    for (summary, date) in summaries.iter().zip(&dates) {
        writeln!(
            out,
            "{:id_w$}  {date:date_w$}  {:source_w$}  {:lang_w$}  {}",
            summary.id.0,
            or_dash(summary.source.as_deref()),
            or_dash(summary.language.as_deref()),
            summary.title,
        )?;
    }
    Ok(())
}
