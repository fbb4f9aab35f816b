//! `parallax entities` and `parallax entity NAME_OR_ID`: the canonical entities the extraction found across every
//! stored article, and everything known about one of them.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use parallax_model::{Event, Quote};
use parallax_store::{EntityQuery, EntityRecord, EntitySummary, Store};

use super::ingest::plural;
use super::stories::{parse_story_id, story_json, write_stories};

/// Arguments of `parallax entities`.
#[derive(Args)]
pub(crate) struct EntitiesArgs {
    /// Only the entities of this story (as `parallax stories` prints its id), counted within it.
    #[arg(long)]
    story: Option<String>,
    /// At most this many, the most reported first.
    #[arg(long)]
    limit: Option<usize>,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
}

/// Runs `parallax entities`.
pub(crate) fn run_entities(args: EntitiesArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let story = args.story.as_deref().map(parse_story_id).transpose()?;
    if let Some(id) = story
        && !store.stories()?.iter().any(|s| s.id == id)
    {
        anyhow::bail!("no story {id}; `parallax stories` lists them");
    }
    let entities = store.entities(&EntityQuery {
        story,
        limit: args.limit,
    })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        for entity in &entities {
            writeln!(out, "{}", serde_json::to_string(entity)?)?;
        }
    } else {
        write_entities(&mut out, &entities)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Roles a listing line shows, the most often given first; `parallax entity` shows them all.
const SHOWN_ROLES: usize = 3;

/// One line per entity: id, kind, article and story counts, name, other names, roles.
pub(crate) fn write_entities(
    out: &mut dyn Write,
    entities: &[EntitySummary],
) -> std::io::Result<()> {
    let id_w = entities.iter().map(|e| e.id.0.len()).max().unwrap_or(0);
    for e in entities {
        write!(
            out,
            "{:id_w$}  {:12}  {:>4} art  {:>3} st  {}",
            e.id.0,
            e.kind.to_string(),
            e.articles,
            e.stories,
            e.name
        )?;
        if !e.aliases.is_empty() {
            write!(out, "  (also: {})", e.aliases.join("; "))?;
        }
        if !e.roles.is_empty() {
            let shown = e.roles.len().min(SHOWN_ROLES);
            let more = match e.roles.len() - shown {
                0 => String::new(),
                n => format!("; {n} more"),
            };
            write!(out, "  [{}{more}]", e.roles[..shown].join("; "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Arguments of `parallax entity`.
#[derive(Args)]
pub(crate) struct EntityArgs {
    /// The entity's id (`per:abu-marzouk`), name or any other name the sources use, in any case.
    name_or_id: String,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// Everything as one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `parallax entity`.
pub(crate) fn run_entity(args: EntityArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let found = store.find_entities(&args.name_or_id)?;
    let mut records = Vec::new();
    for id in &found {
        records.extend(store.entity(id)?);
    }
    // A name several entities share ("Tehran" the city, and the government it stands for) picks the most
    // reported one and says which others there are.
    records.sort_by_key(|r| std::cmp::Reverse((r.entity.articles, r.entity.mentions)));
    let mut records = records.into_iter();
    let Some(record) = records.next() else {
        anyhow::bail!(
            "no entity is named {:?}; `parallax entities` lists them",
            args.name_or_id
        );
    };
    let others: Vec<String> = records.map(|r| r.entity.id.0).collect();
    if !others.is_empty() {
        eprintln!(
            "{:?} also names {}; give an id to see one of them",
            args.name_or_id,
            others.join(", ")
        );
    }
    let stories: Vec<_> = store
        .stories()?
        .into_iter()
        .filter(|s| record.stories.contains(&s.id))
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut value = serde_json::to_value(&record)?;
        value["stories"] = stories.iter().map(story_json).collect();
        writeln!(out, "{value}")?;
    } else {
        write_record(&mut out, &record)?;
        if !stories.is_empty() {
            writeln!(out, "\nStories")?;
            write_stories(&mut out, &stories)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_record(out: &mut dyn Write, record: &EntityRecord) -> std::io::Result<()> {
    let e = &record.entity;
    writeln!(out, "{}  {}  ({})", e.id, e.name, e.kind)?;
    if !e.aliases.is_empty() {
        writeln!(out, "also    {}", e.aliases.join("; "))?;
    }
    writeln!(
        out,
        "{} in {}, {}",
        plural(e.mentions, "mention"),
        plural(e.articles, "article"),
        if e.stories == 1 {
            "1 story".to_owned()
        } else {
            format!("{} stories", e.stories)
        }
    )?;
    if !record.roles.is_empty() {
        writeln!(out, "\nRoles")?;
        for role in &record.roles {
            let affiliation = role
                .affiliation
                .as_ref()
                .map_or(String::new(), |a| format!("  ({a})"));
            writeln!(out, "  {}  {}{affiliation}", role.article, role.title)?;
        }
    }
    if !record.quotes.is_empty() {
        writeln!(out, "\nQuotes")?;
        for quote in &record.quotes {
            writeln!(out, "  {}  {}", quote.article, quote_line(&quote.quote))?;
        }
    }
    if !record.events.is_empty() {
        writeln!(out, "\nEvents")?;
        for event in &record.events {
            writeln!(out, "  {}  {}", event.article, event_line(event))?;
        }
    }
    writeln!(out, "\nMentions")?;
    for m in &record.mentions {
        writeln!(
            out,
            "  {}  {}..{}  sentence {}  {}",
            m.article, m.start, m.end, m.sentence, m.text
        )?;
    }
    Ok(())
}

/// A quote on one line: its words, who said it and through whom.
pub(crate) fn quote_line(quote: &Quote) -> String {
    let name = |s: &parallax_model::Speaker| match &s.entity {
        Some(id) => format!("{} ({id})", s.span.text),
        None => s.span.text.clone(),
    };
    let mut line = quote.content.text.replace('\n', " ");
    if let Some(speaker) = &quote.speaker {
        line += &format!("  -- {}", name(speaker));
    }
    if let Some(via) = &quote.via {
        line += &format!(", via {}", name(via));
    }
    line
}

/// An event on one line: kind, date, place, actors in their roles, and the words that say it.
pub(crate) fn event_line(event: &Event) -> String {
    let actors: Vec<String> = event
        .actors
        .iter()
        .map(|a| {
            let role = serde_json::to_value(a.role)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("{} ({role})", a.entity)
        })
        .collect();
    let mut line = format!("{} {}", event.kind.as_str(), actors.join(", "));
    if let Some(date) = &event.date {
        line += &format!("  on {date}");
    }
    if let Some(place) = &event.place {
        line += &format!("  in {place}");
    }
    line + &format!("  \"{}\"", event.trigger.text)
}
