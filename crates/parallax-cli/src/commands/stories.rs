//! Stories for the user: `parallax stories`, `parallax story ID`, `parallax why A B`, and the assignment step
//! that `parallax ingest` runs after storing a batch.
//!
//! The engine's clusterer is pure; this module restores its state from the store, assigns the articles the store
//! holds without a story (in publication order: `publication_day`, then id, undated last), and saves the
//! assignments with the new state in one transaction. So ingesting articles that arrive in date order in one run
//! or in several gives the same stories with the same ids.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use parallax_engine::cluster::{ClusterConfig, StoryClusterer, publication_day};
use parallax_engine::embed::{Encoder, EncoderConfig};
use parallax_model::{ArticleId, PubDate, StoryId, StoryUnit};
use parallax_store::{Store, StoryMember, StorySummary};

use super::ingest::plural;

/// The clusterer as the last assignment left it, or a fresh one with the default configuration.
pub(crate) fn restore_clusterer(store: &dyn Store) -> anyhow::Result<StoryClusterer> {
    match store.clusterer_state()? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .context("the saved story clusterer state cannot be read back"),
        None => Ok(StoryClusterer::new(ClusterConfig::default())),
    }
}

/// How many articles are read from the store and assigned at a time: enough to keep the worker threads busy,
/// few enough that memory stays flat whatever the number of articles waiting.
const ASSIGN_PAGE: usize = 2_000;

/// The day and id of every stored article without a story, in the order they are assigned: publication day, then
/// id, undated last. Only these small keys are held; the articles are read back a page at a time.
fn unassigned_in_order(store: &dyn Store) -> anyhow::Result<Vec<(bool, Option<i32>, ArticleId)>> {
    let mut order = Vec::new();
    store.for_each_unassigned(&mut |article| {
        let day = publication_day(&article);
        order.push((day.is_none(), day, article.id));
        Ok(())
    })?;
    order.sort_unstable();
    Ok(order)
}

/// Assigns every stored article that has no story yet, and saves the assignments with the clusterer's new state.
/// Returns how many articles were assigned.
///
/// Articles are assigned in publication order (`publication_day`, then id, undated last). A first pass over the
/// unassigned articles keeps only each one's day and id; the articles are then read back a page at a time,
/// prepared on one worker thread per core and assigned in that order. Only the ids and the assignments (small)
/// are held for the whole run, and the assignments are saved with the clusterer's state in one transaction, so the
/// saved state always matches the saved stories.
pub(crate) fn assign_stories(store: &mut dyn Store, model: Option<&Path>) -> anyhow::Result<u64> {
    let mut order = unassigned_in_order(store)?;
    if order.is_empty() {
        return Ok(0);
    }
    let encoder = model
        .map(|path| Encoder::load(path, EncoderConfig::default()))
        .transpose()?;
    let mut clusterer = match restore_clusterer(store) {
        Ok(clusterer) => clusterer,
        Err(error) if store.clusterer_state()?.is_some() => {
            // A state saved by another version of Parallax: nothing is lost by assigning every article again, in
            // the same deterministic order, only the story ids of earlier runs change. Say so.
            eprintln!(
                "{error:#}: it was saved by another version of Parallax; assigning every article to stories again                  (story ids change)"
            );
            store.forget_stories()?;
            order = unassigned_in_order(store)?;
            StoryClusterer::new(ClusterConfig::default())
        }
        Err(error) => return Err(error),
    };
    if let Some(encoder) = encoder {
        clusterer.set_encoder(Arc::new(encoder));
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut assignments = Vec::with_capacity(order.len());
    for page in order.chunks(ASSIGN_PAGE) {
        let mut articles = Vec::with_capacity(page.len());
        for (_, _, id) in page {
            articles.extend(store.article(id)?);
        }
        clusterer.assign_each(&articles, threads, &mut |a| assignments.push(a));
    }
    let state = serde_json::to_vec(&clusterer)?;
    store.save_assignments(&assignments, &state)?;
    Ok(order.len() as u64)
}

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
    let mut out = std::io::stdout().lock();
    if args.json {
        for story in &stories {
            writeln!(out, "{}", story_json(story))?;
        }
    } else {
        write_stories(&mut out, &stories)?;
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
    match (story.first_date, story.last_date) {
        (Some(first), Some(last)) if first.day() == last.day() => first.day().to_string(),
        (Some(first), Some(last)) => format!("{} to {}", first.day(), last.day()),
        _ => "undated".to_owned(),
    }
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

/// An original article's unit with the near-duplicates of it found in the same story.
struct Group<'a> {
    original: &'a StoryMember,
    copies: Vec<&'a StoryMember>,
}

/// Originals in publication order, each with its copies; a copy whose original lies in another story stands as
/// an original here.
fn grouped(members: &[StoryMember]) -> Vec<Group<'_>> {
    let originals: Vec<&StoryMember> = members
        .iter()
        .filter(|m| {
            m.duplicate_of
                .as_ref()
                .is_none_or(|(of, _)| !members.iter().any(|o| &o.unit.article == of))
        })
        .collect();
    originals
        .into_iter()
        .map(|original| Group {
            original,
            copies: members
                .iter()
                .filter(|m| {
                    m.duplicate_of
                        .as_ref()
                        .is_some_and(|(of, _)| *of == original.unit.article)
                        && !std::ptr::eq(*m, original)
                })
                .collect(),
        })
        .collect()
}

fn member_json(member: &StoryMember) -> serde_json::Value {
    let a = &member.article;
    let mut value = serde_json::json!({
        "id": a.id,
        "unit": member.unit.to_string(),
        "date": a.date,
        "source": a.source,
        "language": a.language,
        "title": a.title,
        "score": member.score,
    });
    if let Some((of, similarity)) = &member.duplicate_of {
        value["duplicate_of"] = serde_json::json!(of);
        value["similarity"] = serde_json::json!(similarity);
    }
    value
}

/// Runs `parallax story`.
pub(crate) fn run_story(args: StoryArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let id = parse_story_id(&args.id)?;
    let Some(summary) = store.stories()?.into_iter().find(|s| s.id == id) else {
        anyhow::bail!("no story {id}; `parallax stories` lists them");
    };
    let members = store.story_members(id)?;
    let groups = grouped(&members);
    // A section is shown under its own subheading: the article's title names its first item only.
    let mut headings = std::collections::BTreeMap::new();
    for m in members.iter().filter(|m| m.unit.section.is_some()) {
        if let Some(article) = store.article(&m.unit.article)? {
            let (_, title) = unit_label(&article, m.unit.section);
            headings.insert(m.unit.clone(), title.to_owned());
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let unit_json = |m: &StoryMember| {
            let mut value = member_json(m);
            if let Some(heading) = headings.get(&m.unit) {
                value["heading"] = serde_json::json!(heading);
            }
            value
        };
        let mut value = story_json(&summary);
        value["units"] = groups
            .iter()
            .map(|g| {
                let mut original = unit_json(g.original);
                original["copies"] = g.copies.iter().map(|c| unit_json(c)).collect();
                original
            })
            .collect();
        value["comparison"] = serde_json::to_value(super::compare::story_comparison(&store, id)?)?;
        writeln!(out, "{value}")?;
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

/// How a unit is shown: its id (`ID#N` for a section) and its title (a section's subheading; the article's
/// title for a whole article or a first section without one).
fn unit_label(article: &parallax_model::Article, section: Option<usize>) -> (String, &str) {
    let unit = StoryUnit {
        article: article.id.clone(),
        section,
    };
    let title = match section {
        None => article.title.as_str(),
        Some(n) => article
            .section_title(n)
            .filter(|title| !title.is_empty())
            .unwrap_or("(untitled section)"),
    };
    (unit.to_string(), title)
}
