//! Everything the extraction stage finds in one article, as one record the store keeps and the commands show.

use serde::{Deserialize, Serialize};

use crate::{ArticleId, Entity, Event, Mention, Quote, Role, TimeExpr};

/// The extraction of one article: mentions joined into entities, roles, temporal expressions, quotes and events.
///
/// Every item carries byte offsets into the article's stored text; entity ids are canonical, so the extractions of
/// a story's sources name the same entities with the same ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// The article.
    pub article: ArticleId,
    /// Every mention of a named entity, in text order.
    pub mentions: Vec<Mention>,
    /// The entities the mentions belong to, sorted by id.
    pub entities: Vec<Entity>,
    /// The roles and affiliations the text gives people, in text order.
    pub roles: Vec<Role>,
    /// Temporal expressions, resolved against the publication date, in text order.
    pub times: Vec<TimeExpr>,
    /// Quotes and reported speech, with speakers joined to entities where they can be, in text order.
    pub quotes: Vec<Quote>,
    /// Events, in text order.
    pub events: Vec<Event>,
}
