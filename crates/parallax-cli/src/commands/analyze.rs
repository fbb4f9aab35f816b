//! `parallax analyze PATH...`: ingest, then report what Parallax knows.
//!
//! The report is built from the store alone, so it reads the same whether the articles came in this run or an
//! earlier one. It opens with the inventory (counts by outlet, language, the dates covered) and lists the
//! articles and the stories; the extraction and the comparison of sources join it as those stages land.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use std::collections::{BTreeMap, HashMap, HashSet};

use parallax_engine::compare::display_date;
use parallax_model::{ArticleId, Comparison, EntityId, EntityKind, Event};
use parallax_store::{ArticleSummary, EntityQuery, EntitySummary, Inventory, Store, StorySummary};

use super::articles::{summary_json, write_listing};
use super::ingest::{IngestArgs, Told, ingest, plural};
use super::stories::{story_json, story_lines};

/// Arguments of `parallax analyze`.
#[derive(Args)]
pub(crate) struct AnalyzeArgs {
    #[command(flatten)]
    ingest: IngestArgs,
    /// The report as one JSON object.
    #[arg(long)]
    json: bool,
}

/// How many of a story's people and organisations the report names as its main actors.
const MAIN_ACTORS: usize = 5;
/// How many of a story's places the report names.
const MAIN_PLACES: usize = 3;

/// What Parallax knows about the articles in a store.
pub(crate) struct Report {
    inventory: Inventory,
    articles: Vec<ArticleSummary>,
    stories: Vec<StoryReport>,
}

/// One story with who is in it and what happened.
struct StoryReport {
    summary: StorySummary,
    /// The people and organisations most reported in the story's articles.
    actors: Vec<EntitySummary>,
    /// The places most reported in them.
    places: Vec<EntitySummary>,
    /// The events of its articles (near-duplicate copies left out, since they repeat their original), in
    /// publication order.
    events: Vec<Event>,
    /// Names of the entities the events mention, by canonical id.
    names: BTreeMap<EntityId, String>,
    /// The comparison of its sources.
    comparison: Option<Comparison>,
}

impl StoryReport {
    fn build(store: &dyn Store, summary: StorySummary) -> anyhow::Result<StoryReport> {
        let (mut actors, mut places): (Vec<_>, Vec<_>) = store
            .entities(&EntityQuery {
                story: Some(summary.id),
                limit: None,
            })?
            .into_iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EntityKind::Person | EntityKind::Organisation | EntityKind::Place
                )
            })
            .partition(|e| e.kind != EntityKind::Place);
        actors.truncate(MAIN_ACTORS);
        places.truncate(MAIN_PLACES);
        let mut events = Vec::new();
        let mut names = BTreeMap::new();
        let mut seen = HashSet::new();
        for member in store.story_members(summary.id)? {
            if member.duplicate_of.is_some() || !seen.insert(member.unit.article.clone()) {
                continue;
            }
            if let Some(x) = store.extraction(&member.unit.article)? {
                for e in &x.entities {
                    names.insert(e.id.clone(), e.name.clone());
                }
                events.extend(x.events);
            }
        }
        let comparison = Some(parallax_pipeline::story_comparison(store, summary.id)?);
        Ok(StoryReport {
            summary,
            actors,
            places,
            events,
            names,
            comparison,
        })
    }

    fn name<'a>(&'a self, id: &'a EntityId) -> &'a str {
        self.names.get(id).map_or(id.0.as_str(), String::as_str)
    }

    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(comparison) = &self.comparison {
            for line in super::compare::short_lines(comparison) {
                writeln!(out, "    {line}")?;
            }
        }
        for (title, entities) in [("actors", &self.actors), ("places", &self.places)] {
            if !entities.is_empty() {
                let names: Vec<String> = entities
                    .iter()
                    .map(|a| format!("{} ({})", a.name, a.articles))
                    .collect();
                writeln!(out, "    {title}: {}", names.join(", "))?;
            }
        }
        // The same event told twice (a lede and a quote of one article, or two sources) is one line naming every
        // article that tells it, in the order first told.
        let mut lines: Vec<(String, Vec<&ArticleId>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for event in &self.events {
            let actors: Vec<&str> = event.actors.iter().map(|a| self.name(&a.entity)).collect();
            // A meeting the text names no participant of ("the first 3+3 meeting was held in Moscow") still says
            // where and when; say so rather than print an empty list.
            let who = if actors.is_empty() {
                "(no named actors)".to_owned()
            } else {
                actors.join(", ")
            };
            let mut line = format!("    {} {who}", event.kind.as_str());
            if let Some(date) = &event.date {
                line += &format!(", {}", display_date(date));
            }
            if let Some(place) = &event.place {
                line += &format!(", in {}", self.name(place));
            }
            match index.get(&line) {
                Some(&at) => {
                    let articles = &mut lines[at].1;
                    if !articles.contains(&&event.article) {
                        articles.push(&event.article);
                    }
                }
                None => {
                    index.insert(line.clone(), lines.len());
                    lines.push((line, vec![&event.article]));
                }
            }
        }
        for (line, articles) in lines {
            let articles: Vec<String> = articles.iter().map(|a| a.to_string()).collect();
            writeln!(out, "{line}  [{}]", articles.join(", "))?;
        }
        Ok(())
    }

    fn to_json(&self) -> serde_json::Value {
        let mut value = story_json(&self.summary);
        let brief = |entities: &[EntitySummary]| -> serde_json::Value {
            entities
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "id": a.id, "kind": a.kind, "name": a.name, "articles": a.articles, "mentions": a.mentions,
                    })
                })
                .collect()
        };
        value["actors"] = brief(&self.actors);
        value["places"] = brief(&self.places);
        value["events"] = serde_json::to_value(&self.events).unwrap_or_default();
        if let Some(comparison) = &self.comparison {
            value["comparison"] = serde_json::to_value(comparison).unwrap_or_default();
        }
        value
    }
}

impl Report {
    /// Builds the report from what the store holds.
    pub(crate) fn from_store(store: &dyn Store) -> anyhow::Result<Report> {
        let stories = store
            .stories()?
            .into_iter()
            .map(|summary| StoryReport::build(store, summary))
            .collect::<anyhow::Result<_>>()?;
        Ok(Report {
            inventory: store.inventory()?,
            articles: store.summaries()?,
            stories,
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
        let summaries: Vec<StorySummary> = self.stories.iter().map(|s| s.summary.clone()).collect();
        for (story, line) in self.stories.iter().zip(story_lines(&summaries)) {
            writeln!(out, "{line}")?;
            story.write_text(out)?;
        }
        Ok(())
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
            "stories": self.stories.iter().map(StoryReport::to_json).collect::<Vec<_>>(),
        })
    }
}

/// Runs `parallax analyze`.
pub(crate) fn run(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let outcome = ingest(&args.ingest)?;
    eprintln!("{}", outcome.summary());
    outcome.say_stages();
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

#[cfg(test)]
mod tests {
    use parallax_model::{ActorRole, EventActor, EventKind, StoryId, TextSpan};

    use super::*;

    fn actor(id: &str, role: ActorRole) -> EventActor {
        EventActor {
            entity: EntityId(id.into()),
            role,
            span: TextSpan {
                start: 0,
                end: 0,
                text: String::new(),
            },
        }
    }

    #[test]
    fn a_story_shows_its_events_with_the_names_of_actors_and_place() {
        let event = Event {
            kind: EventKind::Meet,
            trigger: TextSpan {
                start: 12,
                end: 15,
                text: "met".into(),
            },
            actors: vec![
                actor("per:abu-marzouk", ActorRole::Agent),
                actor("per:ali-bagheri-kani", ActorRole::Patient),
            ],
            place: Some(EntityId("loc:moscow".into())),
            date: Some("2023-10-26".into()),
            topic: None,
            article: "a2".into(),
            sentence: 0,
            start: 0,
            end: 40,
        };
        let names = [("per:abu-marzouk", "Abu Marzouk"), ("loc:moscow", "Moscow")];
        let report = StoryReport {
            summary: StorySummary {
                id: StoryId(0),
                first_date: None,
                last_date: None,
                sources: Vec::new(),
                languages: Vec::new(),
                articles: 1,
                unattributed: 0,
                headline_given: true,
                headline: "Talks".into(),
            },
            actors: Vec::new(),
            places: Vec::new(),
            events: vec![
                event.clone(),
                Event {
                    article: "a3".into(),
                    ..event.clone()
                },
                // Told twice in one article: still one line, the article named once.
                Event {
                    article: "a3".into(),
                    ..event.clone()
                },
                Event {
                    actors: Vec::new(),
                    date: Some("2021-12".into()),
                    ..event
                },
            ],
            names: names
                .iter()
                .map(|(id, name)| (EntityId(id.to_string()), name.to_string()))
                .collect(),
            comparison: None,
        };
        let mut out = Vec::new();
        report.write_text(&mut out).unwrap();
        // An actor without a known name shows its id.
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "    MEET Abu Marzouk, per:ali-bagheri-kani, Thursday 26 October 2023, in Moscow  [a2, a3]\n    \
             MEET (no named actors), December 2021, in Moscow  [a2]\n"
        );
        assert_eq!(report.to_json()["events"][0]["kind"], "MEET");
    }
}
