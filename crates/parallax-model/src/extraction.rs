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

impl Extraction {
    /// One article's extraction from the extractions of its consecutive pieces (each already in the whole
    /// text's offsets and sentence numbers), as a giant article is extracted and stored: the lists joined in
    /// order, and entities of the same id joined under the best of their names ([`name_rank`](crate::name_rank))
    /// with every other form as an alias. One part is returned as it is.
    pub fn join(parts: impl IntoIterator<Item = Extraction>) -> Extraction {
        let mut parts = parts.into_iter();
        let Some(mut out) = parts.next() else {
            return Extraction::default();
        };
        let mut joined = false;
        for part in parts {
            joined = true;
            out.mentions.extend(part.mentions);
            out.entities.extend(part.entities);
            out.roles.extend(part.roles);
            out.times.extend(part.times);
            out.quotes.extend(part.quotes);
            out.events.extend(part.events);
        }
        if joined {
            out.entities = join_entities(std::mem::take(&mut out.entities));
        }
        out
    }
}

/// Entities of the same id made one, sorted by id.
fn join_entities(mut entities: Vec<Entity>) -> Vec<Entity> {
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    for entity in entities {
        match out.last_mut() {
            Some(known) if known.id == entity.id => {
                if crate::name_rank(&entity.name) > crate::name_rank(&known.name) {
                    let old = std::mem::replace(&mut known.name, entity.name.clone());
                    known.aliases.push(old);
                } else {
                    known.aliases.push(entity.name);
                }
                known.aliases.extend(entity.aliases);
                known.articles.extend(entity.articles);
                let name = known.name.clone();
                known.aliases.retain(|a| *a != name);
                known.aliases.sort();
                known.aliases.dedup();
                known.articles.sort();
                known.articles.dedup();
            }
            _ => out.push(entity),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityId, EntityKind};

    fn entity(id: &str, name: &str) -> Entity {
        Entity {
            id: EntityId(id.into()),
            kind: EntityKind::Person,
            name: name.into(),
            aliases: Vec::new(),
            articles: vec![ArticleId("a".into())],
        }
    }

    #[test]
    fn joined_parts_keep_one_entity_per_id_under_its_best_name() {
        let first = Extraction {
            article: ArticleId("a".into()),
            entities: vec![entity("per:kani", "Kani"), entity("per:zed", "Zed")],
            ..Extraction::default()
        };
        let second = Extraction {
            article: ArticleId("a".into()),
            entities: vec![entity("per:kani", "Ali Bagheri Kani")],
            ..Extraction::default()
        };
        let joined = Extraction::join([first.clone(), second]);
        assert_eq!(joined.entities.len(), 2);
        assert_eq!(joined.entities[0].name, "Ali Bagheri Kani");
        assert_eq!(joined.entities[0].aliases, vec!["Kani".to_owned()]);
        assert_eq!(joined.entities[0].articles, vec![ArticleId("a".into())]);
        assert_eq!(
            Extraction::join([first.clone()]),
            first,
            "one part is kept as it is"
        );
    }
}
