//! `parallax compare FILE...` and the comparison report that `parallax story` prints: coverage, facts side by
//! side, disagreements, quotes, framing and a timeline, for a terminal or as Markdown.
//!
//! The comparison itself is the engine's (`parallax_engine::compare`); this module reads a story's units and
//! extractions from a store, and prints.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use parallax_engine::compare::display_date;
use parallax_model::{
    Comparison, LabelKind, PubDate, QuoteKind, Reach, SlotKind, StoryId, StoryUnit,
};
use parallax_pipeline::story_comparison;
use parallax_store::{MemoryStore, Store};

use super::ingest::{IngestArgs, Told, ingest_into, plural};

/// How a comparison is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Plain text for a terminal, wrapped to 100 columns.
    Terminal,
    /// Markdown a person can share.
    Markdown,
}

/// Arguments of `parallax compare`.
#[derive(Args)]
pub(crate) struct CompareArgs {
    /// Files or directories to read (as `ingest` reads them); nothing is stored.
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
    /// The most bytes of one input (or one record), after decompression, as for `ingest`.
    #[arg(long, default_value = "128M", value_parser = super::parse_size)]
    max_input_size: u64,
    /// All of each story's comparison as JSON, one object per line.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// The report as Markdown.
    #[arg(long)]
    markdown: bool,
    /// A packed multilingual-e5-small model, as for `ingest`: statements are aligned by meaning as well as by
    /// words, across languages too.
    #[arg(long, env = "PARALLAX_EMBEDDING_MODEL")]
    model: Option<std::path::PathBuf>,
}

/// Runs `parallax compare`: reads the inputs into a store in memory, forms their stories and compares each.
pub(crate) fn run(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let mut store = MemoryStore::new();
    let mut ingest_args = IngestArgs::for_paths(args.paths.clone());
    ingest_args.max_input_size = args.max_input_size;
    ingest_args.model = args.model.clone();
    let outcome = ingest_into(&mut store, &ingest_args)?;
    let mut stories = store.stories()?;
    // The largest stories first: they are what several sources compare on.
    stories.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.id.cmp(&b.id)));
    let mut out = std::io::stdout().lock();
    if stories.is_empty() {
        eprintln!("parallax: no article could be read from the inputs");
    }
    for (i, story) in stories.iter().enumerate() {
        let comparison = story_comparison(&store, story.id)?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&comparison)?)?;
            continue;
        }
        if i > 0 {
            writeln!(out)?;
        }
        let style = if args.markdown {
            Style::Markdown
        } else {
            Style::Terminal
        };
        write_report(&mut out, &comparison, style)?;
    }
    Ok(outcome.exit_code())
}

const WIDTH: usize = 100;

/// `text` wrapped to `WIDTH` columns, the first line after `first`, the others indented by `indent` spaces.
fn wrap(first: &str, text: &str, indent: usize) -> String {
    let mut out = String::from(first);
    let mut column = first.chars().count();
    let mut at_start = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !at_start && column + 1 + len > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            column = indent;
        } else if !at_start {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
        at_start = false;
    }
    out
}

fn date_words(date: Option<PubDate>) -> String {
    match date {
        Some(PubDate::Day(d)) => display_date(&d.to_string()),
        Some(date) => display_date(&date.to_string().chars().take(16).collect::<String>()),
        None => "undated".to_owned(),
    }
}

/// The short tag of source `i`: `[1]`, `[2]`...
fn tag(i: usize) -> String {
    format!("[{}]", i + 1)
}

fn source_tags(sources: &[usize]) -> String {
    sources
        .iter()
        .map(|&s| tag(s))
        .collect::<Vec<_>>()
        .join(" ")
}

fn unit_label(unit: &StoryUnit) -> String {
    let short: String = unit.article.0.chars().take(8).collect();
    match unit.section {
        Some(n) => format!("{short}#{n}"),
        None => short,
    }
}

/// Writes the whole report.
pub(crate) fn write_report(
    out: &mut dyn Write,
    c: &Comparison,
    style: Style,
) -> std::io::Result<()> {
    let md = style == Style::Markdown;
    let heading = |out: &mut dyn Write, title: &str| -> std::io::Result<()> {
        if md {
            writeln!(out, "\n## {title}\n")
        } else {
            writeln!(out, "\n{}", title.to_uppercase())
        }
    };
    let story = c.story.map(|s| format!("{s}  ")).unwrap_or_default();
    if md {
        writeln!(out, "# {}\n", c.headline)?;
    } else {
        writeln!(out, "{}", wrap(&story, &c.headline, story.len()))?;
    }
    let first = c.sources.iter().filter_map(|s| s.first_date).min();
    let last = c
        .sources
        .iter()
        .flat_map(|s| s.units.iter().filter_map(|u| u.date))
        .max();
    let span = match (first, last) {
        (Some(f), Some(l)) if f.day() != l.day() => {
            format!(
                "{} to {}",
                date_words(Some(PubDate::Day(f.day()))),
                date_words(Some(PubDate::Day(l.day())))
            )
        }
        (Some(f), _) => date_words(Some(PubDate::Day(f.day()))),
        _ => "undated".to_owned(),
    };
    let mut languages: Vec<&str> = c
        .sources
        .iter()
        .flat_map(|s| s.languages.iter().map(String::as_str))
        .collect();
    languages.sort_unstable();
    languages.dedup();
    let headline_by = c
        .headline_source
        .map(|i| format!(" · headline from {}", tag(i)))
        .unwrap_or_default();
    let line = format!(
        "{} · {} · {}{}",
        span,
        plural(c.sources.len() as u64, "source"),
        if languages.is_empty() {
            "language unknown".to_owned()
        } else {
            languages.join(", ")
        },
        headline_by
    );
    writeln!(out, "{}{line}", if md { "*" } else { "" })?;
    if md {
        writeln!(out, "*")?;
    }
    for note in &c.notes {
        writeln!(out, "{}", wrap(if md { "> " } else { "note: " }, note, 6))?;
    }

    heading(out, "Sources")?;
    for (i, s) in c.sources.iter().enumerate() {
        let name = if s.known {
            s.name.clone()
        } else {
            format!("{} (outlet not known)", s.name)
        };
        let bullet = if md { "- " } else { "  " };
        let about = format!(
            "{}, first {}, {}",
            if s.languages.is_empty() {
                "-".to_owned()
            } else {
                s.languages.join(", ")
            },
            date_words(s.first_date),
            plural(s.words as u64, "word"),
        );
        let name = if md { format!("**{name}**") } else { name };
        let lead = format!("{bullet}{} ", tag(i));
        writeln!(
            out,
            "{}",
            wrap(&lead, &format!("{name}, {about}"), lead.chars().count() + 2)
        )?;
        for u in &s.units {
            let derived = if u.title_derived {
                " (title made from the text)"
            } else {
                ""
            };
            let sub = if md { "  - " } else { "       " };
            let lead = format!("{sub}{}  ", unit_label(&u.unit));
            writeln!(
                out,
                "{}",
                wrap(
                    &lead,
                    &format!("{}{derived}", u.title),
                    lead.chars().count()
                )
            )?;
            for copy in &u.copies {
                writeln!(
                    out,
                    "{sub}  {}  copy carried by {}{} ({:.0}% the same), {}",
                    unit_label(&copy.unit),
                    copy.carried_by,
                    if copy.known {
                        ""
                    } else {
                        " (outlet not known)"
                    },
                    copy.similarity * 100.0,
                    date_words(copy.date)
                )?;
            }
        }
    }

    write_statements(out, c, style)?;
    write_disagreements(out, c, style)?;
    write_quotes(out, c, style)?;
    write_framing(out, c, style)?;
    write_timeline(out, c, style)?;
    Ok(())
}

fn quoted(text: &str) -> String {
    format!("“{}”", text.trim())
}

/// Which statement groups a section of the report lists.
type GroupFilter = Box<dyn Fn(&parallax_model::StatementGroup) -> bool>;

fn write_statements(out: &mut dyn Write, c: &Comparison, style: Style) -> std::io::Result<()> {
    let md = style == Style::Markdown;
    let multi = c.sources.len() > 1;
    let sections: [(&str, GroupFilter); 4] = [
        (
            "Reported by all",
            Box::new(|g| g.reach == Reach::All && !g.background),
        ),
        (
            "Reported by several",
            Box::new(|g| g.reach == Reach::Several && !g.background),
        ),
        (
            if multi {
                "Reported by one source only"
            } else {
                "What the source reports"
            },
            Box::new(|g| g.reach == Reach::One && !g.background),
        ),
        ("Background (before the event)", Box::new(|g| g.background)),
    ];
    for (title, keep) in sections {
        let groups: Vec<&parallax_model::StatementGroup> =
            c.statements.iter().filter(|g| keep(g)).collect();
        if groups.is_empty() {
            continue;
        }
        if md {
            writeln!(out, "\n## {title}\n")?;
        } else {
            writeln!(out, "\n{} ({})", title.to_uppercase(), groups.len())?;
        }
        for group in groups {
            for (k, s) in group.statements.iter().enumerate() {
                let lead = match (md, k) {
                    (true, 0) => format!("- {} ", tag(s.source)),
                    (true, _) => format!("  {} ", tag(s.source)),
                    (false, 0) => format!("  • {} ", tag(s.source)),
                    (false, _) => format!("    {} ", tag(s.source)),
                };
                let indent = lead.chars().count();
                writeln!(out, "{}", wrap(&lead, &quoted(&s.span.text), indent))?;
                if group.statements.len() > 1 && !s.only_here.is_empty() {
                    let details: Vec<&str> = s.only_here.iter().map(|d| d.text.as_str()).collect();
                    let lead = format!("{}only {} gives: ", " ".repeat(indent), tag(s.source));
                    writeln!(out, "{}", wrap(&lead, &details.join(", "), indent + 2))?;
                }
            }
        }
    }
    Ok(())
}

fn write_disagreements(out: &mut dyn Write, c: &Comparison, style: Style) -> std::io::Result<()> {
    if c.disagreements.is_empty() {
        return Ok(());
    }
    let md = style == Style::Markdown;
    if md {
        writeln!(out, "\n## Disagreements and updates\n")?;
    } else {
        writeln!(out, "\nDISAGREEMENTS AND UPDATES")?;
    }
    for d in &c.disagreements {
        let what = match d.slot {
            SlotKind::Count => "count",
            SlotKind::Date => "date",
            SlotKind::Place => "place",
            SlotKind::Title => "title",
            SlotKind::Participants => "who took part",
            _ => "value",
        };
        let kind = if d.update {
            "updated over time"
        } else {
            "sources differ"
        };
        writeln!(
            out,
            "{}{what} of {}: {kind}",
            if md { "- " } else { "  • " },
            d.subject
        )?;
        for v in &d.values {
            let lead = format!("{}{} ", if md { "  - " } else { "      " }, tag(v.source));
            let indent = lead.chars().count();
            let said = format!(
                "{} ({}), in {}",
                v.value,
                date_words(v.date),
                quoted(&v.sentence.text)
            );
            writeln!(out, "{}", wrap(&lead, &said, indent))?;
        }
    }
    Ok(())
}

fn write_quotes(out: &mut dyn Write, c: &Comparison, style: Style) -> std::io::Result<()> {
    if c.quotes.is_empty() {
        return Ok(());
    }
    let md = style == Style::Markdown;
    if md {
        writeln!(out, "\n## Quotes\n")?;
    } else {
        writeln!(out, "\nQUOTES ({})", c.quotes.len())?;
    }
    for q in &c.quotes {
        let reach = match q.reach {
            Reach::All if c.sources.len() > 1 => "quoted by all sources".to_owned(),
            Reach::One => format!("only {}", tag(q.sources[0])),
            _ => format!("quoted by {}", source_tags(&q.sources)),
        };
        writeln!(
            out,
            "{}{} — {reach}",
            if md { "- **" } else { "  • " },
            q.speaker_name.clone() + if md { "**" } else { "" }
        )?;
        for w in &q.wordings {
            let how = match w.kind {
                QuoteKind::Direct => "",
                QuoteKind::Indirect => " (reported speech)",
                _ => " (partly quoted)",
            };
            let via = w
                .via
                .as_ref()
                .map(|v| format!(" — via {}", v.text.trim()))
                .unwrap_or_default();
            let lead = format!("{}{} ", if md { "  - " } else { "      " }, tag(w.source));
            let indent = lead.chars().count();
            writeln!(
                out,
                "{}",
                wrap(
                    &lead,
                    &format!("{}{how}{via}", w.content.text.trim()),
                    indent
                )
            )?;
        }
    }
    Ok(())
}

fn write_framing(out: &mut dyn Write, c: &Comparison, style: Style) -> std::io::Result<()> {
    // The labels proper (roles, descriptions, nouns, actions) make the table; the words one source alone uses
    // come after it, apart, so the table stays a table of labels.
    let label = |l: &&parallax_model::Label| l.kind != LabelKind::Wording;
    let shown: Vec<&parallax_model::ActorFraming> = c
        .framing
        .iter()
        .filter(|f| f.sources.iter().flat_map(|s| &s.labels).any(|l| label(&l)))
        .collect();
    let md = style == Style::Markdown;
    if shown.is_empty() {
        return write_wording(out, c, md);
    }
    if md {
        writeln!(out, "\n## How each source labels the actors\n")?;
        let mut header = String::from("| actor |");
        let mut rule = String::from("|---|");
        for (i, s) in c.sources.iter().enumerate() {
            header += &format!(" {} {} |", tag(i), s.name.replace('|', "\\|"));
            rule += "---|";
        }
        writeln!(out, "{header}\n{rule}")?;
        for f in shown {
            let mut row = format!("| {}{} |", f.name, if f.differs { " ≠" } else { "" });
            for i in 0..c.sources.len() {
                let cell: Vec<String> = f
                    .sources
                    .iter()
                    .filter(|s| s.source == i)
                    .flat_map(|s| &s.labels)
                    .filter(label)
                    .map(|l| {
                        let text = l.span.text.replace('|', "\\|");
                        if l.distinct && f.sources.len() > 1 {
                            format!("**{text}**")
                        } else {
                            text
                        }
                    })
                    .collect();
                row += &format!(" {} |", cell.join("; "));
            }
            writeln!(out, "{row}")?;
        }
        return write_wording(out, c, md);
    }
    writeln!(
        out,
        "\nHOW EACH SOURCE LABELS THE ACTORS (* only this source)"
    )?;
    for f in shown {
        writeln!(
            out,
            "  {}{}",
            f.name,
            if f.differs { "  (sources differ)" } else { "" }
        )?;
        for s in &f.sources {
            let labels: Vec<String> = s
                .labels
                .iter()
                .filter(label)
                .map(|l| {
                    let kind = match l.kind {
                        LabelKind::Action => " (action)",
                        _ => "",
                    };
                    let star = if l.distinct && f.sources.len() > 1 {
                        "*"
                    } else {
                        ""
                    };
                    format!("{star}{}{kind}", l.span.text.trim())
                })
                .collect();
            if labels.is_empty() {
                continue;
            }
            let lead = format!("      {} ", tag(s.source));
            writeln!(out, "{}", wrap(&lead, &labels.join("; "), 10))?;
        }
    }
    write_wording(out, c, md)
}

/// The words one source alone uses in telling what an actor does or is, by source: "[1] Israel: aggressive".
fn write_wording(out: &mut dyn Write, c: &Comparison, md: bool) -> std::io::Result<()> {
    let mut by_source: Vec<Vec<String>> = vec![Vec::new(); c.sources.len()];
    for f in &c.framing {
        for s in &f.sources {
            let words: Vec<&str> = s
                .labels
                .iter()
                .filter(|l| l.kind == LabelKind::Wording)
                .map(|l| l.span.text.trim())
                .collect();
            if !words.is_empty()
                && let Some(lines) = by_source.get_mut(s.source)
            {
                lines.push(format!("{}: {}", f.name, words.join(", ")));
            }
        }
    }
    if by_source.iter().all(Vec::is_empty) {
        return Ok(());
    }
    if md {
        writeln!(out, "\n## Words only one source uses\n")?;
    } else {
        writeln!(out, "\nWORDS ONLY ONE SOURCE USES (about each actor)")?;
    }
    for (i, lines) in by_source.iter().enumerate() {
        if lines.is_empty() {
            continue;
        }
        if md {
            writeln!(out, "- {} {}", tag(i), lines.join("; "))?;
        } else {
            writeln!(
                out,
                "{}",
                wrap(&format!("  {} ", tag(i)), &lines.join("; "), 6)
            )?;
        }
    }
    Ok(())
}

fn write_timeline(out: &mut dyn Write, c: &Comparison, style: Style) -> std::io::Result<()> {
    if c.timeline.is_empty() {
        return Ok(());
    }
    let md = style == Style::Markdown;
    if md {
        writeln!(out, "\n## Timeline\n")?;
    } else {
        writeln!(out, "\nTIMELINE")?;
    }
    for entry in &c.timeline {
        if entry.publication {
            writeln!(
                out,
                "{}{}: published by {}",
                if md { "- **" } else { "  " },
                entry.display.clone() + if md { "**" } else { "" },
                source_tags(&entry.sources)
            )?;
            continue;
        }
        let dated_by = if entry.sources.len() == 1 && c.sources.len() > 1 {
            format!(" (date from {} only)", tag(entry.sources[0]))
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}{}{dated_by}",
            if md { "- **" } else { "  " },
            entry.display.clone() + if md { "**" } else { "" }
        )?;
        for m in &entry.mentions {
            let mut how = if m.relative {
                format!(
                    " [“{}”, dated from the publication date]",
                    m.expression.text
                )
            } else {
                String::new()
            };
            if !m.undated_in.is_empty() {
                how += &format!(
                    " ({} tells this without a date: the date is {}'s)",
                    source_tags(&m.undated_in),
                    tag(m.source)
                );
            }
            let lead = format!("{}{} ", if md { "  - " } else { "      " }, tag(m.source));
            let indent = lead.chars().count();
            writeln!(
                out,
                "{}",
                wrap(&lead, &format!("{}{how}", quoted(&m.sentence.text)), indent)
            )?;
        }
    }
    Ok(())
}

/// A short form of the comparison for `analyze`: how many facts all, several and one source report, the
/// disagreements, the quotes shared, and the timeline's span.
pub(crate) fn short_lines(c: &Comparison) -> Vec<String> {
    let count = |reach: Reach| {
        c.statements
            .iter()
            .filter(|g| g.reach == reach && !g.background)
            .count()
    };
    let mut lines = Vec::new();
    if c.sources.len() > 1 {
        lines.push(format!(
            "facts: {} reported by all, {} by several, {} by one source only; {} of background",
            count(Reach::All),
            count(Reach::Several),
            count(Reach::One),
            c.statements.iter().filter(|g| g.background).count()
        ));
        let shared_quotes = c.quotes.iter().filter(|q| q.reach != Reach::One).count();
        lines.push(format!(
            "quotes: {} quoted by several sources, {} by one",
            shared_quotes,
            c.quotes.len() - shared_quotes
        ));
        let differ = c.framing.iter().filter(|f| f.differs).count();
        if differ > 0 {
            let names: Vec<&str> = c
                .framing
                .iter()
                .filter(|f| f.differs)
                .take(4)
                .map(|f| f.name.as_str())
                .collect();
            lines.push(format!("labelled differently: {}", names.join(", ")));
        }
        for d in c.disagreements.iter().take(3) {
            let values: Vec<String> = d
                .values
                .iter()
                .map(|v| format!("{} {}", tag(v.source), v.value))
                .collect();
            lines.push(format!(
                "{} {}: {}",
                if d.update { "updated" } else { "differ on" },
                d.subject,
                values.join(", ")
            ));
        }
    } else {
        lines.extend(c.notes.iter().cloned());
    }
    let dated: Vec<&parallax_model::TimelineEntry> =
        c.timeline.iter().filter(|e| !e.publication).collect();
    if let (Some(first), Some(last)) = (dated.first(), dated.last()) {
        lines.push(if first.value == last.value {
            format!("timeline: {}", first.display)
        } else {
            format!(
                "timeline: {} to {} ({} dates)",
                first.display,
                last.display,
                dated.len()
            )
        });
    }
    lines
}

/// Runs the comparison of a store's story as `parallax story` prints it.
pub(crate) fn print_story(store: &dyn Store, id: StoryId, style: Style) -> anyhow::Result<()> {
    let comparison = story_comparison(store, id)?;
    let mut out = std::io::stdout().lock();
    write_report(&mut out, &comparison, style)?;
    // The storyline: the other stories of the situation this one follows, in time order.
    let line = store.storyline_of(id)?;
    if let Some(line) = parallax_pipeline::storyline(store, line)?
        && line.stories.len() > 1
    {
        let heading = format!("Storyline {}: {} stories", line.id, line.stories.len());
        match style {
            Style::Markdown => writeln!(out, "\n## {heading}\n")?,
            Style::Terminal => writeln!(out, "\n{}", heading.to_uppercase())?,
        }
        for story in &line.stories {
            let this = if story.id == id { " (this story)" } else { "" };
            let span = super::storylines::span(story.first_date, story.last_date);
            match style {
                Style::Markdown => {
                    writeln!(out, "- {span}: {} {}{this}", story.id, story.headline)?
                }
                Style::Terminal => {
                    writeln!(out, "  {span}  {}  {}{this}", story.id, story.headline)?
                }
            }
        }
    }
    Ok(())
}
