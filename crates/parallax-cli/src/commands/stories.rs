//! Stories for the user: `parallax stories`, `parallax story ID`, `parallax why A B`. The assignment step that
//! `parallax ingest` runs after storing a batch is the pipeline's (`parallax_pipeline::assign_stories`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use parallax_model::{PubDate, StoryId, StorylineId};
use parallax_pipeline::{restore_clusterer, story_report, unit_id, unit_title};
use parallax_store::{Store, StorySummary};

use super::ingest::plural;

/// Arguments of `parallax stories`.
#[derive(Args)]
pub(crate) struct StoriesArgs {
    /// Only stories with an article on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<PubDate>,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
}

/// Runs `parallax stories`.
pub(crate) fn run_stories(args: StoriesArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let mut stories = store.stories()?;
    if let Some(since) = args.since {
        stories.retain(|s| s.last_date.is_some_and(|d| d.day() >= since.day()));
    }
    let lines = store.story_storylines()?;
    let line_of = |s: &StorySummary| {
        lines
            .get(&s.id)
            .copied()
            .unwrap_or(StorylineId::of_story(s.id))
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        for story in &stories {
            let mut json = story_json(story);
            json["storyline"] = line_of(story).to_string().into();
            writeln!(out, "{json}")?;
        }
    } else {
        let lines: Vec<String> = stories.iter().map(|s| line_of(s).to_string()).collect();
        let line_w = lines.iter().map(String::len).max().unwrap_or(0);
        let id_w = stories
            .iter()
            .map(|s| s.id.to_string().len())
            .max()
            .unwrap_or(0);
        for (text, line) in story_lines(&stories).iter().zip(&lines) {
            // The storyline after the story's id (ids are ASCII), so a reader sees which stories follow one
            // situation.
            let (id, rest) = text.split_at(id_w);
            writeln!(out, "{id}  {line:line_w$}{rest}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A story summary as JSON.
pub(crate) fn story_json(story: &StorySummary) -> serde_json::Value {
    serde_json::json!({
        "id": story.id.to_string(),
        "first_date": story.first_date,
        "last_date": story.last_date,
        "sources": story.sources,
        "languages": story.languages,
        "articles": story.articles,
        "unattributed": story.unattributed,
        "headline": story.headline,
    })
}

/// The items joined by `separator`, or `-` when there are none.
fn joined(items: &[String], separator: &str) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(separator)
    }
}

/// The story's outlets, with the articles of outlets not known counted apart ("TASS + 1 of unknown outlet").
fn sources_with_unknown(story: &StorySummary) -> String {
    match (story.sources.is_empty(), story.unattributed) {
        (_, 0) => joined(&story.sources, ", "),
        (true, n) => format!("{n} of unknown outlet"),
        (false, n) => format!("{} + {n} of unknown outlet", story.sources.join(", ")),
    }
}

fn span(story: &StorySummary) -> String {
    super::storylines::span(story.first_date, story.last_date)
}

/// One line per story: id, dates, article count, languages, sources, headline.
pub(crate) fn write_stories(out: &mut dyn Write, stories: &[StorySummary]) -> std::io::Result<()> {
    for line in story_lines(stories) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The lines `write_stories` prints, aligned across all of `stories`.
pub(crate) fn story_lines(stories: &[StorySummary]) -> Vec<String> {
    let spans: Vec<String> = stories.iter().map(span).collect();
    let id_w = stories
        .iter()
        .map(|s| s.id.to_string().len())
        .max()
        .unwrap_or(0);
    let span_w = spans.iter().map(String::len).max().unwrap_or(0);
    stories
        .iter()
        .zip(&spans)
        .map(|(story, span)| {
            format!(
                "{:id_w$}  {span:span_w$}  {:>4}  {:8}  {:30}  {}",
                story.id.to_string(),
                story.articles,
                joined(&story.languages, ","),
                sources_with_unknown(story),
                story.headline,
            )
        })
        .collect()
}

/// Arguments of `parallax story`.
#[derive(Args)]
pub(crate) struct StoryArgs {
    /// The story's id, as `stories` prints it (`s3`) or the bare number.
    id: String,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// The story as one JSON object: its summary, its units, and the whole comparison of its sources.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// The comparison as a Markdown report a person can share.
    #[arg(long)]
    markdown: bool,
}

pub(crate) fn parse_story_id(id: &str) -> anyhow::Result<StoryId> {
    id.strip_prefix('s')
        .unwrap_or(id)
        .parse()
        .map(StoryId)
        .map_err(|_| {
            anyhow::anyhow!("{id:?} is not a story id (like s3); `parallax stories` lists them")
        })
}

/// Runs `parallax story`.
pub(crate) fn run_story(args: StoryArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let id = parse_story_id(&args.id)?;
    if store.story_summary(id)?.is_none() {
        anyhow::bail!("no story {id}; `parallax stories` lists them");
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let Some(report) = story_report(&store, id)? else {
            anyhow::bail!("no story {id}; `parallax stories` lists them");
        };
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    drop(out);
    let style = if args.markdown {
        super::compare::Style::Markdown
    } else {
        super::compare::Style::Terminal
    };
    super::compare::print_story(&store, id, style)?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `parallax why`.
#[derive(Args)]
pub(crate) struct WhyArgs {
    /// The first article's id (or the first characters of it); `ID#N` for its section N, as `parallax story`
    /// lists the sections of an article with several items.
    a: String,
    /// The second article's id (or the first characters of it), or `ID#N` for one of its sections.
    b: String,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
}

/// Runs `parallax why`: the scores of B against a story holding only A, and whether they share a story.
pub(crate) fn run_why(args: WhyArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let (a, a_section) = find_unit(&store, &args.a)?;
    let (b, b_section) = find_unit(&store, &args.b)?;
    let mut clusterer = restore_clusterer(&store)?;
    if store.clusterer_state()?.is_none() {
        // No stories saved yet: learn word frequencies from what is stored so the weights mean something.
        store.for_each_article(&mut |article| {
            clusterer.learn(&article);
            Ok(())
        })?;
    }
    let score = clusterer
        .compare_units((&a, a_section), (&b, b_section))
        .context("a section named cannot be read as a unit of its own")?;
    let config = clusterer.config();
    let threshold = if score.cross_language {
        config.cross_language_threshold
    } else {
        config.threshold
    };
    let mut out = std::io::stdout().lock();
    for (side, article, section) in [("A", &a, a_section), ("B", &b, b_section)] {
        let (unit, title) = unit_label(article, section);
        writeln!(out, "{side}  {unit}  {title}")?;
    }
    writeln!(out, "\nevidence (B scored against a story holding only A)")?;
    let rows: [(&str, f32); 7] = [
        ("content words (cosine)", score.words),
        ("names, numbers, places (cosine)", score.anchors),
        ("headlines (cosine)", score.headlines),
        ("B's main anchors found in A", score.unit_anchors_found),
        ("A's main anchors found in B", score.story_anchors_found),
        ("close in time", score.close_in_time),
        ("both dated", score.dated),
    ];
    for (name, value) in rows {
        writeln!(out, "  {name:32} {value:.3}")?;
    }
    let gap = score.gap_days.map_or_else(
        || "unknown".to_owned(),
        |d| plural(d.unsigned_abs().into(), "day"),
    );
    writeln!(out, "  {:32} {gap}", "gap in time")?;
    writeln!(
        out,
        "  {:32} {}",
        "languages",
        if score.cross_language {
            "different (anchors only)"
        } else {
            "shared"
        }
    )?;
    writeln!(out, "  {:32} {:.3}", "similarity", score.similarity)?;
    let verdict = if score.score >= threshold {
        "would join"
    } else {
        "would not join"
    };
    writeln!(
        out,
        "\nscore {:.3} against threshold {threshold:.3}: B {verdict} A's story",
        score.score
    )?;
    // The stories of a unit: of the section named, or of every unit of an article named as a whole.
    let stories = |id, section: Option<usize>| -> anyhow::Result<Vec<StoryId>> {
        let mut found: Vec<StoryId> = store
            .article_members(id)?
            .into_iter()
            .filter(|m| section.is_none() || m.unit.section == section)
            .map(|m| m.story)
            .collect();
        found.sort_unstable();
        found.dedup();
        Ok(found)
    };
    let (sa, sb) = (stories(&a.id, a_section)?, stories(&b.id, b_section)?);
    let shared: Vec<String> = sa
        .iter()
        .filter(|s| sb.contains(s))
        .map(ToString::to_string)
        .collect();
    let names = |s: &[StoryId]| {
        if s.is_empty() {
            "none yet".to_owned()
        } else {
            s.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    if shared.is_empty() {
        writeln!(
            out,
            "stored: different stories (A in {}, B in {})",
            names(&sa),
            names(&sb)
        )?;
    } else {
        writeln!(out, "stored: same story ({})", shared.join(", "))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The article an id names, with the section it names: `ID#N` is section N of an article with several items (as
/// `parallax story` lists them), anything else the article as a whole.
fn find_unit(
    store: &dyn Store,
    id: &str,
) -> anyhow::Result<(parallax_model::Article, Option<usize>)> {
    let Some((prefix, n)) = id
        .rsplit_once('#')
        .and_then(|(prefix, n)| Some((prefix, n.parse::<usize>().ok()?)))
    else {
        return Ok((super::article::find(store, id)?, None));
    };
    let article = super::article::find(store, prefix)?;
    let sections = article.sections.len();
    if sections <= 1 {
        anyhow::bail!(
            "article {} is one unit, without sections; name it without \"#{n}\"",
            article.id
        );
    }
    if n >= sections {
        anyhow::bail!(
            "article {} has {sections} sections, numbered from 0; there is no section {n}",
            article.id
        );
    }
    Ok((article, Some(n)))
}

/// How a unit is shown: its id (`ID#N` for a section) and its title.
fn unit_label(article: &parallax_model::Article, section: Option<usize>) -> (String, &str) {
    (unit_id(article, section), unit_title(article, section))
}
