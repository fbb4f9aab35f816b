//! Comparing the sources of one story: what all report, what only one reports, where they disagree, the same quote
//! in several wordings, the labels each source gives each actor, and a timeline.
//!
//! The stage reads a story's units (whole articles, or the one section of an article that belongs to the story)
//! with their extractions, and returns a [`Comparison`] of the model. Everything it shows is an exact span of an
//! article's text: it groups, labels and orders spans, and never writes a sentence of its own.
//!
//! - `statements`: each unit's sentences (clauses where a semicolon joins two facts), with background told apart.
//! - [`similarity`]: whether two statements say the same thing, within and across languages.
//! - `align`: statements of different sources grouped by meaning, without scoring every pair.
//! - `quotes`: one group per quoted statement, every wording kept.
//! - `framing`: each actor's labels per source.
//! - `disagree`: counts, dates, places and titles the sources give differently, and updates over time.
//! - `timeline`: dated events in calendar order, with [`display_date`] writing a value as people read it.
//!
//! ```
//! use parallax_engine::compare::{CompareConfig, SourceUnit, compare_story};
//! use parallax_engine::extract::{Recogniser, extract_article};
//! use parallax_model::Article;
//!
//! let mut a = Article::new("Talks in Moscow", "Delegations met in Moscow on Thursday.");
//! a.id = "a".into();
//! a.source = Some("Agency A".into());
//! let extraction = extract_article(&a, &Recogniser::find());
//! let units = [SourceUnit::whole(&a, &extraction)];
//! let comparison = compare_story(None, &units, &CompareConfig::default());
//! assert_eq!(comparison.sources.len(), 1);
//! assert_eq!(comparison.headline, "Talks in Moscow");
//! ```

mod align;
mod dates;
mod disagree;
mod framing;
mod groups;
mod quotes;
pub mod similarity;
mod statements;
mod timeline;
mod vectors;

use std::ops::Range;

use parallax_model::{
    Article, ArticleId, CarriedCopy, Comparison, CoveredUnit, Extraction, FieldSource, PubDate,
    Reach, SourceCoverage, StoryId, StoryUnit,
};

pub use dates::display_date;
pub use similarity::{SimilarityModel, StatementFeatures};
pub use statements::split_statements;
pub use vectors::StatementVectors;

/// One unit of a story as the comparison reads it.
#[derive(Debug, Clone, Copy)]
pub struct SourceUnit<'a> {
    /// The article.
    pub article: &'a Article,
    /// The section of the article that belongs to the story, for an article with several items.
    pub section: Option<usize>,
    /// The article's extraction, with canonical entity ids (as the store reads it back).
    pub extraction: &'a Extraction,
    /// The earlier article this one copies, with the copy's similarity, when it is a near-duplicate.
    pub duplicate_of: Option<(&'a ArticleId, f32)>,
    /// The dense vectors of the article's statements, where they were made when it was extracted: statements
    /// are then compared by meaning as well as by words, across languages too.
    pub vectors: Option<&'a StatementVectors>,
}

impl<'a> SourceUnit<'a> {
    /// A whole article that copies nothing, with its extraction.
    pub fn whole(article: &'a Article, extraction: &'a Extraction) -> Self {
        SourceUnit {
            article,
            section: None,
            extraction,
            duplicate_of: None,
            vectors: None,
        }
    }
}

/// How widely something is reported: by one source, by all `total` sources of the story, or by several.
pub(crate) fn reach(sources: usize, total: usize) -> Reach {
    if sources <= 1 {
        Reach::One
    } else if sources >= total {
        Reach::All
    } else {
        Reach::Several
    }
}

/// The comparison's settings.
#[derive(Debug, Clone, Default)]
pub struct CompareConfig {
    /// The same-statement decision.
    pub similarity: SimilarityModel,
}

/// A unit as the comparison's parts read it: its source, the range of the text it covers, and its extraction.
#[derive(Debug, Clone)]
pub(crate) struct UnitView<'a> {
    /// The source, by index into the comparison's sources.
    pub(crate) source: usize,
    pub(crate) unit: StoryUnit,
    pub(crate) article: &'a Article,
    pub(crate) extraction: &'a Extraction,
    /// The part of `article.text` that belongs to the story.
    pub(crate) range: Range<usize>,
    /// Its statements' dense vectors, where made.
    pub(crate) vectors: Option<&'a StatementVectors>,
}

impl UnitView<'_> {
    /// True when byte range `start..end` of the article lies in the unit.
    pub(crate) fn holds(&self, start: usize, end: usize) -> bool {
        start >= self.range.start && end <= self.range.end
    }

    pub(crate) fn language(&self) -> Option<&str> {
        self.article.language.as_deref()
    }
}

/// The outlet of an article as a reader is shown it: its source, or, when the outlet is not known, its URL's host
/// or its file. The flag is false in the second case.
pub fn outlet_of(article: &Article) -> (String, bool) {
    if let Some(source) = article
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return (source.to_owned(), true);
    }
    if let Some(host) = article
        .url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_owned())
        })
    {
        return (host, false);
    }
    let path = article.origin.path.as_str();
    let name = if path.is_empty() {
        format!("article {}", article.id)
    } else {
        path.to_owned()
    };
    (name, false)
}

fn words_in(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The part of an article's text a unit covers.
fn unit_range(article: &Article, section: Option<usize>) -> Range<usize> {
    match section.and_then(|i| article.sections.get(i)) {
        Some(s) if s.start <= s.end && s.end <= article.text.len() => s.start..s.end,
        _ => 0..article.text.len(),
    }
}

fn unit_title(article: &Article, section: Option<usize>) -> (String, bool) {
    let derived = article.provenance.get("title") == Some(&FieldSource::Derived);
    match section {
        Some(i) if i > 0 => match article.section_title(i).filter(|t| !t.is_empty()) {
            Some(heading) => (heading.to_owned(), false),
            None => (article.title.clone(), derived),
        },
        Some(i) => match article.sections.get(i).and_then(|s| s.heading.clone()) {
            Some(heading) => (heading, false),
            None => (article.title.clone(), derived),
        },
        None => (article.title.clone(), derived),
    }
}

/// Compares the sources of one story.
///
/// `units` are the story's units in any order; near-duplicates (`duplicate_of` naming another unit's article)
/// are folded under their original and take no part in the comparison of statements, quotes and labels, so a wire
/// copy carried by ten outlets does not make a fact "reported by all".
pub fn compare_story(
    story: Option<StoryId>,
    units: &[SourceUnit<'_>],
    config: &CompareConfig,
) -> Comparison {
    let mut order: Vec<&SourceUnit<'_>> = units.iter().collect();
    order.sort_by(|a, b| {
        date_key(a.article.date)
            .cmp(&date_key(b.article.date))
            .then_with(|| a.article.id.cmp(&b.article.id))
            .then_with(|| a.section.cmp(&b.section))
    });
    let in_story = |id: &ArticleId| units.iter().any(|u| u.article.id == *id);
    let (originals, copies): (Vec<&SourceUnit<'_>>, Vec<&SourceUnit<'_>>) =
        order.into_iter().partition(|u| {
            u.duplicate_of
                .is_none_or(|(of, _)| !in_story(of) || *of == u.article.id)
        });

    let mut sources: Vec<SourceCoverage> = Vec::new();
    let mut views: Vec<UnitView<'_>> = Vec::new();
    for u in &originals {
        let (name, known) = outlet_of(u.article);
        let index = match sources.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                sources.push(SourceCoverage {
                    name,
                    known,
                    languages: Vec::new(),
                    first_date: u.article.date,
                    words: 0,
                    units: Vec::new(),
                });
                sources.len() - 1
            }
        };
        let range = unit_range(u.article, u.section);
        let words = words_in(&u.article.text[range.clone()]);
        let source = &mut sources[index];
        source.words += words;
        if let Some(language) = &u.article.language
            && !source.languages.contains(language)
        {
            source.languages.push(language.clone());
        }
        let (title, title_derived) = unit_title(u.article, u.section);
        let unit = StoryUnit {
            article: u.article.id.clone(),
            section: u.section,
        };
        source.units.push(CoveredUnit {
            unit: unit.clone(),
            title,
            title_derived,
            date: u.article.date,
            language: u.article.language.clone(),
            origin: u
                .article
                .url
                .clone()
                .unwrap_or_else(|| u.article.origin.path.clone()),
            words,
            copies: Vec::new(),
        });
        views.push(UnitView {
            source: index,
            unit,
            article: u.article,
            extraction: u.extraction,
            range,
            vectors: u.vectors,
        });
    }
    for copy in &copies {
        let Some((of, similarity)) = copy.duplicate_of else {
            continue;
        };
        let (carried_by, known) = outlet_of(copy.article);
        let carried = CarriedCopy {
            unit: StoryUnit {
                article: copy.article.id.clone(),
                section: copy.section,
            },
            carried_by,
            known,
            date: copy.article.date,
            similarity,
        };
        if let Some(covered) = sources
            .iter_mut()
            .flat_map(|s| s.units.iter_mut())
            .find(|c| c.unit.article == *of)
        {
            covered.copies.push(carried);
        }
    }

    let (headline, headline_source) = headline(&sources);
    let statements = statements::story_statements(&views);
    let groups = align::align(&statements, sources.len(), &config.similarity);
    let quotes = quotes::group_quotes(&views, sources.len(), &config.similarity);
    let framing = framing::framing(&views);
    let disagreements = disagree::disagreements(&views, &groups, &statements);
    let timeline = timeline::timeline(&views, &sources, &groups);
    let notes = notes(&sources, &copies, &views);
    Comparison {
        story,
        storyline: None,
        headline,
        headline_source,
        sources,
        statements: groups,
        disagreements,
        quotes,
        framing,
        timeline,
        notes,
    }
}

/// Undated units sort last.
fn date_key(date: Option<PubDate>) -> (bool, Option<PubDate>) {
    (date.is_none(), date)
}

/// The headline of the earliest unit whose title a source gave, else the earliest derived one.
fn headline(sources: &[SourceCoverage]) -> (String, Option<usize>) {
    let mut units: Vec<(usize, &CoveredUnit)> = sources
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.units.iter().map(move |u| (i, u)))
        .filter(|(_, u)| !u.title.trim().is_empty())
        .collect();
    units.sort_by_key(|(_, u)| (u.title_derived, date_key(u.date)));
    match units.first() {
        Some((i, u)) => (u.title.clone(), Some(*i)),
        None => (String::new(), None),
    }
}

/// What a reader must know to read the comparison right.
fn notes(
    sources: &[SourceCoverage],
    copies: &[&SourceUnit<'_>],
    views: &[UnitView<'_>],
) -> Vec<String> {
    let mut notes = Vec::new();
    match sources.len() {
        0 => notes.push("The story has no article to compare.".to_owned()),
        1 if !copies.is_empty() => notes.push(format!(
            "Every article of this story is {} report or a copy of it: there is no second account to compare.",
            sources[0].name
        )),
        1 => notes.push(format!(
            "Only one source, {}, reports this story so far: there is nothing to compare it with.",
            sources[0].name
        )),
        _ => {}
    }
    for view in views {
        if view.article.text[view.range.clone()].trim().is_empty() {
            notes.push(format!(
                "{} has no text: only its headline is compared.",
                view.unit
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests;
