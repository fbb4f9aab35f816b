//! Stories and near-duplicates: what the clustering stage says about articles.
//!
//! A story is every article (or article section) about one real-world event, across outlets and languages. The
//! unit of clustering is a [`StoryUnit`]: a whole article, or one section of an article that carries several
//! unrelated items, so that the two items of one file can belong to two stories.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{ArticleId, PubDate};

/// A story's identifier: a number handed out in the order stories are opened, so ids are stable as long as the
/// stream of articles is assigned in the same order (see `StoryClusterer` in the engine for the guarantee).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct StoryId(pub u64);

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// A storyline's identifier: the id of the first story it held, so it is as stable as story ids. A storyline links
/// the stories of one developing situation over weeks and months (a shooting, the arrest, the trial, the verdict);
/// every story is in exactly one, alone in its own until a link is found.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct StorylineId(pub u64);

impl fmt::Display for StorylineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "l{}", self.0)
    }
}

impl StorylineId {
    /// The storyline a story opens alone: it bears the story's number.
    pub fn of_story(story: StoryId) -> Self {
        StorylineId(story.0)
    }
}

/// The thing a story holds: an article, or one section of an article with several items.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StoryUnit {
    /// The article.
    pub article: ArticleId,
    /// The index into `Article::sections` when the article has several items; `None` for the article as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
}

impl fmt::Display for StoryUnit {
    /// `ARTICLE` for a whole article, `ARTICLE#N` for its N-th section (0-based).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.section {
            None => write!(f, "{}", self.article),
            Some(n) => write!(f, "{}#{n}", self.article),
        }
    }
}

/// An article that copies an earlier one: a wire copy, a republication, the same text under another headline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    /// The copy.
    pub article: ArticleId,
    /// The earlier article it copies (the first one seen of its group).
    pub copies: ArticleId,
    /// Estimated Jaccard similarity of the two texts' word shingles, 1.0 for an exact copy.
    pub similarity: f32,
    /// True when the texts are equal after normalising whitespace, case and punctuation.
    pub exact: bool,
}

/// Where one unit went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitAssignment {
    /// The unit assigned.
    pub unit: StoryUnit,
    /// The story it joined or opened.
    pub story: StoryId,
    /// True when the unit opened a new story.
    pub opened: bool,
    /// The score against the story it joined (0 when it opened one); comparable with the clusterer's threshold.
    pub score: f32,
    /// The storyline of that story when the unit was assigned (links found later arrive as
    /// [`Assignment::linked`]).
    #[serde(default)]
    pub storyline: StorylineId,
}

/// What the clusterer decided for one article: its near-duplicate status and the story of each of its units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The article.
    pub article: ArticleId,
    /// Set when the article copies an earlier one; its units then join the original's stories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<NearDuplicate>,
    /// One entry per unit: one for a plain article, one per section for an article with several items.
    pub units: Vec<UnitAssignment>,
    /// Stories the clusterer's refinement merged right after assigning this article, in the order merged: every
    /// unit assigned so far to a merge's `from` story (this article's included) now belongs to its `into` story.
    /// Whoever keeps assignments applies them in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<StoryMerge>,
    /// Storylines joined right after this article (after `merged`), in order: every story of a link's `from`
    /// storyline now belongs to its `into` storyline. Whoever keeps storylines applies them in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked: Vec<StorylineMerge>,
    /// Units that refinement's repair moved out of a story right after this article (after `merged`, before
    /// `linked`), in order: each leaves the story it conflicted with for a story of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<UnitMove>,
}

/// A unit moved out of a story whose other members it conflicts with, into a new story of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitMove {
    /// The unit moved.
    pub unit: StoryUnit,
    /// The story it leaves.
    pub from: StoryId,
    /// The story it opens.
    pub to: StoryId,
    /// The storyline of the story it opens.
    pub storyline: StorylineId,
}

/// Two storylines found to follow one situation: the later `from` joins `into`, so the surviving id is the older.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorylineMerge {
    /// The storyline joined away; its id is not used again.
    pub from: StorylineId,
    /// The storyline that holds both now.
    pub into: StorylineId,
}

/// Two stories found to tell one event and merged into one: the later-opened story `from` joins `into`, so the
/// surviving id is always the older one and ids already shown stay valid for all but the merged story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryMerge {
    /// The story merged away; its id is not used again.
    pub from: StoryId,
    /// The story that holds both now.
    pub into: StoryId,
}

impl Assignment {
    /// The story of the article's first unit: the story of the whole article when it has one item.
    pub fn story(&self) -> Option<StoryId> {
        self.units.first().map(|u| u.story)
    }
}

/// A story as a reader sees it: its units and the span of time they cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// The story's id.
    pub id: StoryId,
    /// The units in the order they joined.
    pub units: Vec<StoryUnit>,
    /// The earliest publication date among the units, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_date: Option<PubDate>,
    /// The latest publication date among the units, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_date: Option<PubDate>,
    /// The headline of the unit that opened the story.
    pub headline: String,
}
