//! A story as every front end shows it: its summary, its units with near-duplicates folded under their original,
//! and the comparison of its sources, read from a store and compared by the engine.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use parallax_engine::compare::{CompareConfig, SourceUnit, StatementVectors, compare_story};
use parallax_model::{Article, ArticleId, Comparison, Extraction, PubDate, StoryId, StoryUnit};
use parallax_store::{Store, StoryMember};
use serde::Serialize;

use crate::Result;

/// The most units of one story that are compared. A story of a thousand articles compares in seconds; past this,
/// the comparison reads a sample that keeps every outlet (see [`compared_members`]) and says so in its notes, so
/// that a story page stays quick however large the story grows.
pub const COMPARED_UNITS: usize = 400;

/// Reads a story's units, their articles and extractions from the store and compares them (at most
/// [`COMPARED_UNITS`] of them).
pub fn story_comparison(store: &dyn Store, id: StoryId) -> Result<Comparison> {
    compare_members(store, id, &store.story_members(id)?)
}

/// The comparison of a story whose members (in publication order) the caller has read already.
fn compare_members(store: &dyn Store, id: StoryId, all: &[StoryMember]) -> Result<Comparison> {
    let members = compared_members(all, COMPARED_UNITS);
    let mut at: HashMap<&ArticleId, usize> = HashMap::new();
    let mut articles: Vec<Article> = Vec::new();
    let mut extractions: Vec<Extraction> = Vec::new();
    let mut vectors: Vec<Option<StatementVectors>> = Vec::new();
    for member in &members {
        if at.contains_key(&member.unit.article) {
            continue;
        }
        let Some(article) = store.article(&member.unit.article)? else {
            continue;
        };
        let extraction = store
            .extraction(&article.id)?
            .unwrap_or_else(|| Extraction {
                article: article.id.clone(),
                ..Extraction::default()
            });
        vectors.push(
            store
                .statement_vectors(&article.id)?
                .and_then(|bytes| StatementVectors::from_bytes(&bytes)),
        );
        at.insert(&member.unit.article, articles.len());
        articles.push(article);
        extractions.push(extraction);
    }
    let units: Vec<SourceUnit<'_>> = members
        .iter()
        .filter_map(|m| {
            let at = *at.get(&m.unit.article)?;
            Some(SourceUnit {
                article: &articles[at],
                section: m.unit.section,
                extraction: &extractions[at],
                duplicate_of: m.duplicate_of.as_ref().map(|(of, s)| (of, *s)),
                vectors: vectors[at].as_ref(),
            })
        })
        .collect();
    let mut comparison = compare_story(Some(id), &units, &CompareConfig::default());
    comparison.storyline = Some(store.storyline_of(id)?);
    if members.len() < all.len() {
        let outlets: BTreeSet<Option<&str>> =
            all.iter().map(|m| m.article.source.as_deref()).collect();
        comparison.notes.push(format!(
            "A large story: {} of its {} reports are compared (the earliest of every one of its {} outlets first, \
             then the next of each in turn).",
            members.len(),
            all.len(),
            outlets.len()
        ));
    }
    Ok(comparison)
}

/// At most `limit` of a story's members (given in publication order), in that order: each outlet's reports taken
/// in turn, earliest first, so every outlet is heard before any is heard twice.
pub fn compared_members(members: &[StoryMember], limit: usize) -> Vec<&StoryMember> {
    if members.len() <= limit {
        return members.iter().collect();
    }
    let mut queues: BTreeMap<Option<&str>, std::collections::VecDeque<usize>> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        queues
            .entry(m.article.source.as_deref())
            .or_default()
            .push_back(i);
    }
    // Outlets in the order of their first report.
    let mut order: Vec<(usize, Option<&str>)> =
        queues.iter().map(|(outlet, q)| (q[0], *outlet)).collect();
    order.sort_unstable();
    let mut chosen: Vec<usize> = Vec::with_capacity(limit);
    while chosen.len() < limit {
        let mut took = false;
        for (_, outlet) in &order {
            if chosen.len() == limit {
                break;
            }
            if let Some(i) = queues.get_mut(outlet).and_then(|q| q.pop_front()) {
                chosen.push(i);
                took = true;
            }
        }
        if !took {
            break;
        }
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| &members[i]).collect()
}

/// A story whole, as `parallax story --json` prints it and `/api/stories/{id}` answers. Fields are declared in
/// the order of their names, the order the JSON has always had.
#[derive(Debug, Clone, Serialize)]
pub struct StoryReport {
    /// How many distinct articles have a unit in it.
    pub articles: u64,
    /// The comparison of its sources.
    pub comparison: Comparison,
    /// The earliest publication date of its articles, where known.
    pub first_date: Option<PubDate>,
    /// The story's headline.
    pub headline: String,
    /// The story's id (`s3`).
    pub id: String,
    /// The languages of its articles, sorted.
    pub languages: Vec<String>,
    /// The latest publication date of its articles, where known.
    pub last_date: Option<PubDate>,
    /// The outlets of its articles, sorted.
    pub sources: Vec<String>,
    /// The storyline the story is in (`l3`): the stories of one developing situation.
    pub storyline: String,
    /// The stories of its storyline in time order, this one among them (empty when the story is alone in it).
    pub storyline_stories: Vec<crate::StorylineStory>,
    /// Articles of an outlet not known.
    pub unattributed: u64,
    /// The originals in publication order, each with its near-duplicates under `copies`.
    pub units: Vec<StoryUnitView>,
}

/// One unit of a story as a listing shows it.
#[derive(Debug, Clone, Serialize)]
pub struct StoryUnitView {
    /// Near-duplicates of this unit in the same story (only on originals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<Vec<StoryUnitView>>,
    /// The article's publication date.
    pub date: Option<PubDate>,
    /// The earlier article this one copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<ArticleId>,
    /// A section's own subheading, for a unit that is one section of an article with several items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The article's id.
    pub id: ArticleId,
    /// The article's language.
    pub language: Option<String>,
    /// The clusterer's score when the unit joined the story.
    pub score: f32,
    /// The estimated similarity to the article it copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
    /// The article's outlet.
    pub source: Option<String>,
    /// The article's title.
    pub title: String,
    /// The unit's id (`ID#N` for a section).
    pub unit: String,
}

/// The story with this id, whole; `None` when there is no such story.
pub fn story_report(store: &dyn Store, id: StoryId) -> Result<Option<StoryReport>> {
    let Some(summary) = store.story_summary(id)? else {
        return Ok(None);
    };
    let members = store.story_members(id)?;
    // A section is shown under its own subheading: the article's title names its first item only.
    let mut headings = BTreeMap::new();
    for m in members.iter().filter(|m| m.unit.section.is_some()) {
        if let Some(article) = store.article(&m.unit.article)? {
            headings.insert(
                m.unit.clone(),
                unit_title(&article, m.unit.section).to_owned(),
            );
        }
    }
    let view = |m: &StoryMember| {
        let a = &m.article;
        StoryUnitView {
            copies: None,
            date: a.date,
            duplicate_of: m.duplicate_of.as_ref().map(|(of, _)| of.clone()),
            heading: headings.get(&m.unit).cloned(),
            id: a.id.clone(),
            language: a.language.clone(),
            score: m.score,
            similarity: m.duplicate_of.as_ref().map(|(_, s)| *s),
            source: a.source.clone(),
            title: a.title.clone(),
            unit: m.unit.to_string(),
        }
    };
    let units = grouped(&members)
        .into_iter()
        .map(|(original, copies)| StoryUnitView {
            copies: Some(copies.into_iter().map(view).collect()),
            ..view(original)
        })
        .collect();
    let line = store.storyline_of(id)?;
    let storyline_stories = match crate::storyline(store, line)? {
        Some(line) if line.stories.len() > 1 => line.stories,
        _ => Vec::new(),
    };
    Ok(Some(StoryReport {
        articles: summary.articles,
        comparison: compare_members(store, id, &members)?,
        first_date: summary.first_date,
        headline: summary.headline,
        id: summary.id.to_string(),
        languages: summary.languages,
        last_date: summary.last_date,
        sources: summary.sources,
        storyline: line.to_string(),
        storyline_stories,
        unattributed: summary.unattributed,
        units,
    }))
}

/// Originals in publication order, each with its copies; a copy whose original lies in another story stands as
/// an original here.
fn grouped(members: &[StoryMember]) -> Vec<(&StoryMember, Vec<&StoryMember>)> {
    // Indexed by article, so a story of a hundred thousand units folds in linear time.
    let in_story: HashSet<&ArticleId> = members.iter().map(|m| &m.unit.article).collect();
    let mut copies_of: HashMap<&ArticleId, Vec<&StoryMember>> = HashMap::new();
    for m in members {
        if let Some((of, _)) = &m.duplicate_of
            && *of != m.unit.article
        {
            copies_of.entry(of).or_default().push(m);
        }
    }
    members
        .iter()
        .filter(|m| {
            m.duplicate_of
                .as_ref()
                .is_none_or(|(of, _)| !in_story.contains(of))
        })
        .map(|original| {
            let copies = copies_of
                .get(&original.unit.article)
                .cloned()
                .unwrap_or_default();
            (original, copies)
        })
        .collect()
}

/// A unit's title: a section's subheading, the article's title for a whole article or a first section without
/// one, "(untitled section)" for a later section without a subheading.
pub fn unit_title(article: &Article, section: Option<usize>) -> &str {
    match section {
        None => article.title.as_str(),
        Some(n) => article
            .section_title(n)
            .filter(|title| !title.is_empty())
            .unwrap_or("(untitled section)"),
    }
}

/// The unit's id as listings show it (`ID#N` for a section).
pub fn unit_id(article: &Article, section: Option<usize>) -> String {
    StoryUnit {
        article: article.id.clone(),
        section,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(i: usize, outlet: &str) -> StoryMember {
        let mut article = Article::new(format!("Report {i}"), "Text.");
        article.id = ArticleId(format!("a{i:02}"));
        article.source = Some(outlet.into());
        StoryMember {
            unit: StoryUnit {
                article: article.id.clone(),
                section: None,
            },
            story: StoryId(0),
            score: 0.5,
            duplicate_of: None,
            heading: None,
            article: (&article).into(),
        }
    }

    #[test]
    fn a_large_story_is_sampled_with_every_outlet_heard_before_any_twice() {
        // In publication order: six reports of A, then two of B, then one of C.
        let outlets = ["A", "A", "A", "B", "A", "C", "A", "B", "A"];
        let members: Vec<StoryMember> = outlets
            .iter()
            .enumerate()
            .map(|(i, o)| member(i, o))
            .collect();
        let ids = |limit| -> Vec<String> {
            compared_members(&members, limit)
                .iter()
                .map(|m| m.unit.article.0.clone())
                .collect()
        };
        assert_eq!(ids(3), ["a00", "a03", "a05"], "the first of A, B and C");
        assert_eq!(ids(5), ["a00", "a01", "a03", "a05", "a07"]);
        assert_eq!(
            ids(9).len(),
            9,
            "a story within the bound is compared whole"
        );
    }
}
