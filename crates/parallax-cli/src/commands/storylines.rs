//! Storylines for the user: `parallax storylines` lists them, `parallax storyline ID` shows one's stories in time
//! order.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use parallax_model::{PubDate, StorylineId};
use parallax_pipeline::{
    StorylineSummary, TIMELINE_STORIES, storyline, storyline_timeline, storylines,
};

use super::ingest::plural;

/// Arguments of `parallax storylines`.
#[derive(Args)]
pub(crate) struct StorylinesArgs {
    /// Only storylines of at least this many stories (1 lists every story's storyline, the lone ones too).
    #[arg(long, default_value_t = 2)]
    min_stories: usize,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
}

/// Runs `parallax storylines`.
pub(crate) fn run_storylines(args: StorylinesArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let lines: Vec<StorylineSummary> = storylines(&store)?
        .into_iter()
        .filter(|l| l.stories.len() >= args.min_stories)
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        for line in &lines {
            writeln!(out, "{}", serde_json::to_string(line)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if lines.is_empty() {
        writeln!(
            out,
            "no storyline of {} or more stories; `--min-stories 1` lists every one",
            args.min_stories
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let id_w = lines
        .iter()
        .map(|l| l.id.to_string().len())
        .max()
        .unwrap_or(0);
    let spans: Vec<String> = lines
        .iter()
        .map(|l| span(l.first_date, l.last_date))
        .collect();
    let span_w = spans.iter().map(String::len).max().unwrap_or(0);
    for (line, span) in lines.iter().zip(&spans) {
        writeln!(
            out,
            "{:id_w$}  {span:span_w$}  {:>10}  {:>12}  {}",
            line.id.to_string(),
            stories(line.stories.len()),
            plural(line.articles, "article"),
            line.headline
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `parallax storyline`.
#[derive(Args)]
pub(crate) struct StorylineArgs {
    /// The storyline's id, as `storylines` and `stories` print it (`l3`) or the bare number.
    id: String,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// The storyline as one JSON object: its summary, its stories and its timeline.
    #[arg(long)]
    json: bool,
}

/// Runs `parallax storyline`: its stories in time order.
pub(crate) fn run_storyline(args: StorylineArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let id = parse_storyline_id(&args.id)?;
    let Some(line) = storyline(&store, id)? else {
        anyhow::bail!("no storyline {id}; `parallax storylines` lists them");
    };
    let timeline = storyline_timeline(&store, &line)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut json = serde_json::to_value(&line)?;
        json["timeline"] = serde_json::to_value(&timeline)?;
        writeln!(out, "{json}")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Storyline {}: {}", line.id, line.headline)?;
    writeln!(
        out,
        "{}, {}, {}; {}",
        span(line.first_date, line.last_date),
        stories(line.stories.len()),
        plural(line.articles, "article"),
        if line.sources.is_empty() {
            "no outlet known".to_owned()
        } else {
            line.sources.join(", ")
        }
    )?;
    writeln!(out)?;
    let spans: Vec<String> = line
        .stories
        .iter()
        .map(|s| span(s.first_date, s.last_date))
        .collect();
    let span_w = spans.iter().map(String::len).max().unwrap_or(0);
    let id_w = line
        .stories
        .iter()
        .map(|s| s.id.to_string().len())
        .max()
        .unwrap_or(0);
    for (story, span) in line.stories.iter().zip(&spans) {
        writeln!(
            out,
            "  {span:span_w$}  {:id_w$}  {:>12}  {}",
            story.id.to_string(),
            plural(story.articles, "article"),
            story.headline
        )?;
    }
    if !timeline.is_empty() {
        writeln!(out, "\nTIMELINE")?;
        if line.stories.len() > TIMELINE_STORIES {
            writeln!(out, "  (of its latest {TIMELINE_STORIES} stories)")?;
        }
        let display_w = timeline
            .iter()
            .map(|e| e.display.chars().count())
            .max()
            .unwrap_or(0);
        for event in &timeline {
            writeln!(
                out,
                "  {:display_w$}  {}  {}: {}",
                event.display,
                event.story,
                event.sources.join(", "),
                event
                    .sentence
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )?;
        }
    }
    writeln!(
        out,
        "\n`parallax story ID` compares the sources of one story."
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn parse_storyline_id(id: &str) -> anyhow::Result<StorylineId> {
    id.strip_prefix('l')
        .unwrap_or(id)
        .parse()
        .map(StorylineId)
        .map_err(|_| {
            anyhow::anyhow!(
                "{id:?} is not a storyline id (like l3); `parallax storylines` lists them"
            )
        })
}

/// "1 story", "3 stories".
fn stories(n: usize) -> String {
    if n == 1 {
        "1 story".to_owned()
    } else {
        format!("{n} stories")
    }
}

/// A span of days as a reader reads it: one day, a range, or "undated".
pub(crate) fn span(first: Option<PubDate>, last: Option<PubDate>) -> String {
    match (first, last) {
        (Some(first), Some(last)) if first.day() == last.day() => first.day().to_string(),
        (Some(first), Some(last)) => format!("{} to {}", first.day(), last.day()),
        _ => "undated".to_owned(),
    }
}
