//! Entities, their mentions in article text and the roles the text gives people.
//!
//! The extraction stage finds [`Mention`]s in each article, joins the mentions of one entity within an article, and
//! makes entities canonical across articles so that every source of a story points at the same [`EntityId`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ArticleId;

/// A stable entity identifier derived from the entity's kind and canonical name key, so the same person named in
/// two articles gets the same id whichever article is read first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct EntityId(pub String);

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an entity is, in the four classes of the CoNLL-2003 scheme the recogniser is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation: a ministry, a party, a movement, an agency, a company.
    Organisation,
    /// A place: a country, city, region or site.
    Place,
    /// Another name: a nationality used as a name, an event, a title of a work.
    Other,
}

impl EntityKind {
    /// The CoNLL tag suffix for this kind (`PER`, `ORG`, `LOC`, `MISC`).
    pub fn conll_tag(self) -> &'static str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Organisation => "ORG",
            EntityKind::Place => "LOC",
            EntityKind::Other => "MISC",
        }
    }

    /// The kind for a CoNLL tag suffix, if it is one of the four.
    pub fn from_conll_tag(tag: &str) -> Option<EntityKind> {
        match tag {
            "PER" => Some(EntityKind::Person),
            "ORG" => Some(EntityKind::Organisation),
            "LOC" => Some(EntityKind::Place),
            "MISC" => Some(EntityKind::Other),
            _ => None,
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        })
    }
}

/// One span of article text that names an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The article the span is in.
    pub article: ArticleId,
    /// The 0-based index of the sentence holding the span, in the extraction stage's sentence split.
    pub sentence: usize,
    /// Byte offset of the span's start in `Article::text`.
    pub start: usize,
    /// Byte offset one past the span's end.
    pub end: usize,
    /// The span as printed.
    pub text: String,
    /// The kind the recogniser gave this span.
    pub kind: EntityKind,
    /// The canonical entity this mention was resolved to.
    pub entity: EntityId,
}

/// A role the text gives a person ("deputy foreign minister for political affairs"), with where it says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// The person the role belongs to.
    pub person: EntityId,
    /// The role as printed, without articles or the affiliation's possessive ("a member of the Hamas politburo"
    /// keeps "member of the Hamas politburo").
    pub title: String,
    /// The organisation or country the role is held in, where the text names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<EntityId>,
    /// The article that gives the role.
    pub article: ArticleId,
    /// The 0-based sentence index in that article.
    pub sentence: usize,
    /// Byte offset of the role text's start in `Article::text`.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

/// A canonical entity: one person, organisation, place or other name, however many ways the sources write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id, shared by every article that names this entity.
    pub id: EntityId,
    /// What it is.
    pub kind: EntityKind,
    /// The fullest name the sources use ("Ali Bagheri Kani", "Russian Foreign Ministry").
    pub name: String,
    /// Every other form seen ("Bagheri Kani", "Russia's Foreign Ministry"), sorted, without `name`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The articles that mention it, sorted.
    #[serde(default)]
    pub articles: Vec<ArticleId>,
}

/// How good a form is as an entity's name, in the order to pick the best: without a possessive, not in capitals
/// ("MOSCOW" in a dateline), then more words, then longer, then (for determinism) alphabetically first.
///
/// Extraction uses it to name an entity within an article and across articles, and the store to keep the best name
/// of a canonical entity, so both agree on what an entity is called.
pub fn name_rank(name: &str) -> (bool, bool, usize, usize, std::cmp::Reverse<&str>) {
    let possessive = name.contains("'s") || name.contains("’s");
    let shouted = !name.chars().any(char::is_lowercase);
    (
        !possessive,
        !shouted,
        name.split_whitespace().count(),
        name.len(),
        std::cmp::Reverse(name),
    )
}
