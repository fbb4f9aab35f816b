//! Storylines as a reader sees them: the stories of one developing situation, in time order. The clusterer links
//! stories into storylines as it assigns them (`parallax_engine::cluster`, "Storylines"); the store keeps each
//! story's storyline; this module folds the stored story summaries into storyline summaries.

use std::collections::BTreeMap;

use parallax_model::{ArticleId, Comparison, PubDate, StoryId, StorylineId, TimePrecision};
use parallax_store::{Store, StorySummary};
use serde::Serialize;

use crate::Result;

/// A storyline: its stories in time order and what they cover together.
#[derive(Debug, Clone, Serialize)]
pub struct StorylineSummary {
    /// The storyline's id (`l3`).
    #[serde(serialize_with = "display")]
    pub id: StorylineId,
    /// The headline of its largest story (the earliest among equals): what the situation is mostly about.
    pub headline: String,
    /// The earliest publication date of its articles, where known.
    pub first_date: Option<PubDate>,
    /// The latest publication date of its articles, where known.
    pub last_date: Option<PubDate>,
    /// How many articles its stories hold together (an article with items in two of its stories counts in each).
    pub articles: u64,
    /// The outlets of its stories, sorted.
    pub sources: Vec<String>,
    /// The languages of its stories, sorted.
    pub languages: Vec<String>,
    /// Its stories in time order (first date, undated last, then id).
    pub stories: Vec<StorylineStory>,
}

/// One dated point of a storyline's timeline: what one of its stories tells happened then.
#[derive(Debug, Clone, Serialize)]
pub struct StorylineEvent {
    /// The TimeML value (`2023-10-26`, `2021-12`).
    pub value: String,
    /// How precisely it is known.
    pub precision: TimePrecision,
    /// The date as people write it ("Thursday 26 October 2023").
    pub display: String,
    /// The story that tells it.
    #[serde(serialize_with = "display")]
    pub story: StoryId,
    /// The outlets (or files, for an article whose outlet is not known) that date something here.
    pub sources: Vec<String>,
    /// The sentence that says what happened then, exactly as the article has it.
    pub sentence: String,
    /// The article the sentence is from.
    pub article: ArticleId,
}

/// At most this many stories of a storyline (its latest) are read for its timeline: each is compared whole.
pub const TIMELINE_STORIES: usize = 30;

/// The storyline's timeline: the dated events its stories tell (publications left out), in calendar order, each
/// with the story and sources that tell it and the sentence that says so. A storyline of more than
/// [`TIMELINE_STORIES`] stories gives the timeline of its latest ones.
pub fn storyline_timeline(
    store: &dyn Store,
    line: &StorylineSummary,
) -> Result<Vec<StorylineEvent>> {
    let mut comparisons = Vec::new();
    for story in timeline_stories(line) {
        comparisons.push((story, crate::story_comparison(store, story)?));
    }
    Ok(storyline_events(
        comparisons.iter().map(|(story, c)| (*story, c)),
    ))
}

/// The stories whose timelines make the storyline's: its latest [`TIMELINE_STORIES`].
pub fn timeline_stories(line: &StorylineSummary) -> impl Iterator<Item = StoryId> + '_ {
    let skip = line.stories.len().saturating_sub(TIMELINE_STORIES);
    line.stories.iter().skip(skip).map(|s| s.id)
}

/// The storyline's timeline from its stories' comparisons (made by [`storyline_timeline`], or kept by a caller
/// that has them already).
pub fn storyline_events<'a>(
    comparisons: impl IntoIterator<Item = (StoryId, &'a Comparison)>,
) -> Vec<StorylineEvent> {
    let mut events = Vec::new();
    for (story, comparison) in comparisons {
        for entry in comparison.timeline.iter().filter(|e| !e.publication) {
            let Some(first) = entry.mentions.first() else {
                continue;
            };
            events.push(StorylineEvent {
                value: entry.value.clone(),
                precision: entry.precision,
                display: entry.display.clone(),
                story,
                sources: entry
                    .sources
                    .iter()
                    .filter_map(|&s| comparison.sources.get(s).map(|c| c.name.clone()))
                    .collect(),
                sentence: first.sentence.text.clone(),
                article: first.unit.article.clone(),
            });
        }
    }
    // TimeML values of one calendar sort as text ("2021-12" before "2023-10-07"); the story breaks ties.
    events.sort_by(|a, b| a.value.cmp(&b.value).then(a.story.cmp(&b.story)));
    events
}

/// One story of a storyline.
#[derive(Debug, Clone, Serialize)]
pub struct StorylineStory {
    /// The story's id (`s3`).
    #[serde(serialize_with = "display")]
    pub id: StoryId,
    /// Its headline.
    pub headline: String,
    /// Its earliest publication date, where known.
    pub first_date: Option<PubDate>,
    /// Its latest publication date, where known.
    pub last_date: Option<PubDate>,
    /// How many articles it holds.
    pub articles: u64,
    /// Its outlets, sorted.
    pub sources: Vec<String>,
}

fn display<T: std::fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// Every storyline of the store, newest first (by latest date, undated last, then the higher id).
pub fn storylines(store: &dyn Store) -> Result<Vec<StorylineSummary>> {
    let lines = store.story_storylines()?;
    let mut grouped: BTreeMap<StorylineId, Vec<StorySummary>> = BTreeMap::new();
    for story in store.stories()? {
        let line = lines
            .get(&story.id)
            .copied()
            .unwrap_or(StorylineId::of_story(story.id));
        grouped.entry(line).or_default().push(story);
    }
    let mut out: Vec<StorylineSummary> = grouped
        .into_iter()
        .map(|(id, stories)| summarise(id, stories))
        .collect();
    out.sort_by(|a, b| {
        let key = |s: &StorylineSummary| {
            (
                s.last_date.is_none(),
                std::cmp::Reverse(s.last_date.map(|d| d.day())),
            )
        };
        key(a).cmp(&key(b)).then(b.id.cmp(&a.id))
    });
    Ok(out)
}

/// The newest `limit` storylines of two stories or more, and how many there are: read through the stories linked
/// into storylines only, so its cost follows the storylines shown, not the store.
pub fn linked_storylines(
    store: &dyn Store,
    limit: usize,
) -> Result<(Vec<StorylineSummary>, usize)> {
    let (ids, total) = store.linked_storylines(limit)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(storyline(store, id)?);
    }
    Ok((out, total))
}

/// One storyline, or `None` when no stored story is in it.
pub fn storyline(store: &dyn Store, id: StorylineId) -> Result<Option<StorylineSummary>> {
    let members = store.storyline_stories(id)?;
    if members.is_empty() {
        return Ok(None);
    }
    let mut stories: Vec<StorySummary> = Vec::with_capacity(members.len());
    for story in members {
        stories.extend(store.story_summary(story)?);
    }
    Ok((!stories.is_empty()).then(|| summarise(id, stories)))
}

fn summarise(id: StorylineId, mut stories: Vec<StorySummary>) -> StorylineSummary {
    // By day: a date with a time and one without compare by the day they fall on.
    let day = |d: Option<PubDate>| d.map(|d| d.day());
    stories.sort_by_key(|s| (s.first_date.is_none(), day(s.first_date), s.id));
    let headline = stories
        .iter()
        .max_by(|a, b| a.articles.cmp(&b.articles).then(b.id.cmp(&a.id)))
        .map(|s| s.headline.clone())
        .unwrap_or_default();
    let mut sources: Vec<String> = stories.iter().flat_map(|s| s.sources.clone()).collect();
    sources.sort();
    sources.dedup();
    let mut languages: Vec<String> = stories.iter().flat_map(|s| s.languages.clone()).collect();
    languages.sort();
    languages.dedup();
    StorylineSummary {
        id,
        headline,
        first_date: stories
            .iter()
            .filter_map(|s| s.first_date)
            .min_by_key(|d| d.day()),
        last_date: stories
            .iter()
            .filter_map(|s| s.last_date)
            .max_by_key(|d| d.day()),
        articles: stories.iter().map(|s| s.articles).sum(),
        sources,
        languages,
        stories: stories
            .into_iter()
            .map(|s| StorylineStory {
                id: s.id,
                headline: s.headline,
                first_date: s.first_date,
                last_date: s.last_date,
                articles: s.articles,
                sources: s.sources,
            })
            .collect(),
    }
}
