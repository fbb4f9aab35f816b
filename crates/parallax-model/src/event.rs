//! Events: who did what to whom, where and when, as one sentence (or a resolved reference) says it.

use serde::{Deserialize, Serialize};

use crate::{ArticleId, EntityId, TextSpan};

/// What kind of interaction an event is.
///
/// Precision comes first: an event is only emitted when its type and its actors come from the same sentence (or a
/// reference resolved to a named actor), so every kind below names the words that trigger it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum EventKind {
    /// Two or more actors meet or talk: "met", "held talks with", "discussed ... with", "received".
    Meet,
    /// An actor says something or declares a position: a quote with a speaker, "said", "stated", "announced".
    Statement,
    /// An actor calls on someone to act or demands something: "called for a ceasefire", "urged", "demanded".
    Appeal,
    /// An actor attacks, strikes or bombs a target: "launched an attack on", "struck", "shelled".
    Attack,
    /// Actors agree, sign or settle: "agreed", "signed a deal with", "reached an agreement".
    Agree,
    /// An actor accuses or blames another: "accused", "blamed", "condemned".
    Accuse,
}

impl EventKind {
    /// The upper-case name used in JSON and on the command line (`MEET`, `STATEMENT`...).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Meet => "MEET",
            EventKind::Statement => "STATEMENT",
            EventKind::Appeal => "APPEAL",
            EventKind::Attack => "ATTACK",
            EventKind::Agree => "AGREE",
            EventKind::Accuse => "ACCUSE",
        }
    }
}

/// The part an actor plays in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ActorRole {
    /// Who acts: the one who meets, speaks, appeals, attacks, accuses.
    Agent,
    /// Who is acted on or met with: the one met, the target, the accused.
    Patient,
    /// One of several actors with no direction between them ("X and Y met").
    Participant,
}

/// An actor of an event: an entity in a role, and the words that name it in the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventActor {
    /// The entity, by its canonical id.
    pub entity: EntityId,
    /// The part it plays.
    pub role: ActorRole,
    /// The words naming it (a mention, or the pronoun or description resolved to it).
    pub span: TextSpan,
}

/// One event found in an article, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Its kind.
    pub kind: EventKind,
    /// The words that say it happened ("met", "held talks with", "called for").
    pub trigger: TextSpan,
    /// The actors, agents first.
    pub actors: Vec<EventActor>,
    /// Where it happened, when the sentence says so: a place entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<EntityId>,
    /// When it happened: a TimeML value resolved against the publication date (`2023-10-26`, `2021-12`), when
    /// the sentence says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// What the event is about, where the sentence gives it ("a ceasefire", the quoted words of a statement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<TextSpan>,
    /// The article it was found in.
    pub article: ArticleId,
    /// The index of the sentence that says it.
    pub sentence: usize,
    /// The sentence's byte offsets in the article's text.
    pub start: usize,
    /// The end of the sentence (exclusive).
    pub end: usize,
}
