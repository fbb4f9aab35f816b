//! `parallax article ID`: the whole record, with its sections and where each field came from.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use parallax_model::{Article, ArticleId, Extraction, FieldSource};
use parallax_store::Store;

use super::or_dash;

/// Arguments of `parallax article`.
#[derive(Args)]
pub(crate) struct ArticleArgs {
    /// The article's id, or enough of its first characters to tell it from the others.
    id: String,
    /// The database file.
    #[arg(long, default_value = "parallax.db", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    db: String,
    /// The record as one JSON object, as JSON Lines input accepts it (with --extract: the extraction).
    #[arg(long)]
    json: bool,
    /// Show what extraction found instead: every entity, mention, role, date, quote and event, with byte offsets
    /// into the stored text.
    #[arg(long)]
    extract: bool,
}

/// Runs `parallax article`.
pub(crate) fn run(args: ArticleArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_existing_store(&args.db)?;
    let article = find(&store, &args.id)?;
    let mut out = std::io::stdout().lock();
    if args.extract {
        let Some(extraction) = store.extraction(&article.id)? else {
            anyhow::bail!(
                "article {} is not extracted yet: a `parallax ingest` without --no-extract extracts it",
                article.id
            );
        };
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&extraction)?)?;
        } else {
            write_extraction(&mut out, &article, &extraction)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&article)?)?;
    } else {
        write_article(&mut out, &article)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The article with this id, or the only one whose id starts with it.
pub(crate) fn find(store: &dyn Store, id: &str) -> anyhow::Result<Article> {
    if let Some(article) = store.article(&ArticleId(id.to_owned()))? {
        return Ok(article);
    }
    let candidates = store.articles_with_id_prefix(id, 10)?;
    match candidates.as_slice() {
        [] => anyhow::bail!(
            "no article with an id starting with {id:?}; `parallax articles` lists them"
        ),
        [only] => store
            .article(&only.id)?
            .ok_or_else(|| anyhow::anyhow!("article {} vanished while reading it", only.id)),
        several => {
            let ids: Vec<&str> = several.iter().map(|s| s.id.0.as_str()).collect();
            anyhow::bail!(
                "{id:?} starts the ids of several articles ({}{}); give more of it",
                ids.join(", "),
                if several.len() == 10 { ", ..." } else { "" }
            )
        }
    }
}

/// The record for a reader: fields with how each was found, then the text section by section.
fn write_article(out: &mut dyn Write, article: &Article) -> std::io::Result<()> {
    let how = |field: &str| match article.provenance.get(field) {
        Some(source) => format!("  ({})", source_name(*source)),
        None => String::new(),
    };
    let date = article.date.map(|d| d.to_string());
    let fields = [
        ("title", Some(article.title.as_str())),
        ("date", date.as_deref()),
        ("source", article.source.as_deref()),
        ("url", article.url.as_deref()),
        ("language", article.language.as_deref()),
        ("dateline", article.dateline.as_deref()),
        ("byline", article.byline.as_deref()),
    ];
    writeln!(out, "id        {}", article.id)?;
    for (name, value) in fields {
        writeln!(out, "{name:<9} {}{}", or_dash(value), how(name))?;
    }
    writeln!(out, "origin    {}", article.origin)?;
    for (key, value) in &article.attributes {
        writeln!(out, "{key:<9} {value}  (attribute)")?;
    }
    writeln!(out, "sections  {}", article.sections.len())?;
    for section in &article.sections {
        writeln!(out)?;
        if let Some(heading) = &section.heading {
            writeln!(out, "## {heading}")?;
            writeln!(out)?;
        }
        match article.text.get(section.start..section.end) {
            Some(text) => writeln!(out, "{text}")?,
            None => writeln!(
                out,
                "(section {}..{} lies outside the text)",
                section.start, section.end
            )?,
        }
    }
    if article.sections.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", article.text)?;
    }
    Ok(())
}

/// What extraction found in an article, section by section, each item with its byte offsets and sentence.
fn write_extraction(out: &mut dyn Write, article: &Article, x: &Extraction) -> std::io::Result<()> {
    writeln!(out, "{}  {}", article.id, article.title)?;
    writeln!(out, "\nEntities ({})", x.entities.len())?;
    let id_w = x.entities.iter().map(|e| e.id.0.len()).max().unwrap_or(0);
    for e in &x.entities {
        let aliases = if e.aliases.is_empty() {
            String::new()
        } else {
            format!("  (also: {})", e.aliases.join("; "))
        };
        writeln!(
            out,
            "  {:id_w$}  {:12}  {}{aliases}",
            e.id.0,
            e.kind.to_string(),
            e.name
        )?;
    }
    writeln!(out, "\nMentions ({})", x.mentions.len())?;
    for m in &x.mentions {
        writeln!(
            out,
            "  {:>6}..{:<6} s{:<3} {}  -> {}",
            m.start, m.end, m.sentence, m.text, m.entity
        )?;
    }
    if !x.roles.is_empty() {
        writeln!(out, "\nRoles ({})", x.roles.len())?;
        for r in &x.roles {
            let affiliation = r
                .affiliation
                .as_ref()
                .map_or(String::new(), |a| format!(" @ {a}"));
            writeln!(
                out,
                "  {:>6}..{:<6} s{:<3} {}: {}{affiliation}",
                r.start, r.end, r.sentence, r.person, r.title
            )?;
        }
    }
    writeln!(out, "\nDates ({})", x.times.len())?;
    for t in &x.times {
        writeln!(
            out,
            "  {:>6}..{:<6} s{:<3} {}  -> {} {}{}",
            t.start,
            t.end,
            t.sentence,
            t.text,
            t.kind.as_str(),
            t.value,
            if t.relative { " (relative)" } else { "" }
        )?;
    }
    writeln!(out, "\nQuotes ({})", x.quotes.len())?;
    for q in &x.quotes {
        writeln!(
            out,
            "  {:>6}..{:<6} s{:<3} {}",
            q.content.start,
            q.content.end,
            q.sentence,
            super::entities::quote_line(q)
        )?;
    }
    writeln!(out, "\nEvents ({})", x.events.len())?;
    for e in &x.events {
        writeln!(
            out,
            "  {:>6}..{:<6} s{:<3} {}",
            e.start,
            e.end,
            e.sentence,
            super::entities::event_line(e)
        )?;
    }
    Ok(())
}

/// The name of a provenance as the JSON record spells it.
fn source_name(source: FieldSource) -> String {
    serde_json::to_value(source)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{source:?}").to_lowercase())
}
