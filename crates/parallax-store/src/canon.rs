//! Entities made canonical across stored articles, the same way in both stores.
//!
//! Each article's extraction names entities by the article's own name keys (`per:marzouk`, `per:abu-marzouk`). The
//! store keeps those local ids and maps each to a canonical one: a person whose whole key is a part of exactly one
//! longer stored person key ("marzouk" of "abu-marzouk") maps to that person; every other id maps to itself. The
//! mapping depends only on the set of person keys stored, never on the order they came in, so two databases that
//! hold the same articles agree.
//!
//! Why one step is enough: the longer name chosen is maximal among the names holding the short one, so it is not a
//! part of any stored name itself (a name holding it would hold the short one too, and be longer).

use std::collections::{BTreeMap, BTreeSet};

use parallax_model::{EntityId, EntityKind, Extraction, name_rank};

use crate::Result;

/// Names longer than this many words are not indexed by their parts, as in the engine's canonicalisation: no real
/// name is, and it bounds the rows written per entity.
const MAX_NAME_WORDS: usize = 8;

/// The words of a person id (`per:abu-marzouk` gives `abu`, `marzouk`); `None` for any other id.
fn person_words(id: &str) -> Option<Vec<&str>> {
    let bare = id.strip_prefix("per:")?;
    let words: Vec<&str> = bare.split('-').filter(|w| !w.is_empty()).collect();
    (!words.is_empty() && words.len() <= MAX_NAME_WORDS).then_some(words)
}

/// The ids of the shorter person names a person id holds: every run of its words shorter than the whole, except a
/// lone first word (a first name alone says too little: "Ali" is not "Ali Bagheri Kani").
///
/// The relation is transitive: a part of a part is a part, which the one-step mapping relies on.
pub(crate) fn name_parts(id: &str) -> Vec<String> {
    let Some(words) = person_words(id) else {
        return Vec::new();
    };
    let n = words.len();
    let mut parts = Vec::new();
    for len in 1..n {
        for start in 0..=n - len {
            if len == 1 && start == 0 {
                continue;
            }
            parts.push(format!("per:{}", words[start..start + len].join("-")));
        }
    }
    parts
}

/// The longer person a person id joins, if exactly one longest stored name holds it.
///
/// `holders(id)` gives the stored person ids that have `id` among their [`name_parts`].
pub(crate) fn join_target(
    id: &str,
    holders: &mut dyn FnMut(&str) -> Result<BTreeSet<String>>,
) -> Result<Option<String>> {
    if person_words(id).is_none() {
        return Ok(None);
    }
    let candidates = holders(id)?;
    let mut maximal = Vec::new();
    for candidate in &candidates {
        // "Bagheri Kani" and "Ali Bagheri Kani" both hold "Kani"; only the longer counts.
        if holders(candidate)?.is_disjoint(&candidates) {
            maximal.push(candidate);
        }
    }
    Ok(match maximal.as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    })
}

/// The best name among the forms an article gives an entity: the name its extraction chose ("Iran" for the
/// "Iranian" of the text, "Hamas" rather than "Palestinian Hamas"), unless that name is in capitals or a
/// possessive, when the best of its aliases by [`name_rank`] stands in ("Moscow" over the dateline's "MOSCOW").
pub(crate) fn best_form(entity: &parallax_model::Entity) -> &str {
    let (not_possessive, not_in_capitals, ..) = name_rank(&entity.name);
    if not_possessive && not_in_capitals {
        return &entity.name;
    }
    std::iter::once(&entity.name)
        .chain(&entity.aliases)
        .max_by(|a, b| name_rank(a).cmp(&name_rank(b)))
        .map_or(entity.name.as_str(), String::as_str)
}

/// The name of a kind as the tables store it (the model's `Display`).
pub(crate) fn kind_column(kind: EntityKind) -> String {
    kind.to_string()
}

/// The kind a table column holds; an unknown name (from a newer build) reads as `Other`.
pub(crate) fn kind_from_column(column: &str) -> EntityKind {
    match column {
        "person" => EntityKind::Person,
        "organisation" => EntityKind::Organisation,
        "place" => EntityKind::Place,
        _ => EntityKind::Other,
    }
}

/// What a local id stands for once canonical: the canonical id and its name.
pub(crate) type Canonical = BTreeMap<EntityId, (EntityId, String)>;

/// Every entity id an extraction uses, so a store can look up their canonical forms in one pass.
pub(crate) fn ids_in(extraction: &Extraction) -> BTreeSet<EntityId> {
    let mut ids = BTreeSet::new();
    ids.extend(extraction.entities.iter().map(|e| e.id.clone()));
    ids.extend(extraction.mentions.iter().map(|m| m.entity.clone()));
    for role in &extraction.roles {
        ids.insert(role.person.clone());
        ids.extend(role.affiliation.clone());
    }
    for quote in &extraction.quotes {
        for speaker in quote.speaker.iter().chain(&quote.via) {
            ids.extend(speaker.entity.clone());
        }
    }
    for event in &extraction.events {
        ids.extend(event.actors.iter().map(|a| a.entity.clone()));
        ids.extend(event.place.clone());
    }
    ids
}

/// Rewrites every entity id of a stored extraction to its canonical id; entities that become one are merged, and
/// each takes its canonical name, with the article's other forms as aliases.
pub(crate) fn make_canonical(mut x: Extraction, canonical: &Canonical) -> Extraction {
    let to = |id: &EntityId| {
        canonical
            .get(id)
            .map_or_else(|| id.clone(), |c| c.0.clone())
    };
    for m in &mut x.mentions {
        m.entity = to(&m.entity);
    }
    for role in &mut x.roles {
        role.person = to(&role.person);
        role.affiliation = role.affiliation.as_ref().map(to);
    }
    for quote in &mut x.quotes {
        for speaker in quote.speaker.iter_mut().chain(quote.via.iter_mut()) {
            speaker.entity = speaker.entity.as_ref().map(to);
        }
    }
    for event in &mut x.events {
        for actor in &mut event.actors {
            actor.entity = to(&actor.entity);
        }
        event.place = event.place.as_ref().map(to);
    }
    let mut merged: BTreeMap<EntityId, parallax_model::Entity> = BTreeMap::new();
    for e in std::mem::take(&mut x.entities) {
        let id = to(&e.id);
        let name = canonical
            .get(&e.id)
            .map_or_else(|| e.name.clone(), |c| c.1.clone());
        let entry = merged
            .entry(id.clone())
            .or_insert_with(|| parallax_model::Entity {
                id,
                kind: e.kind,
                name,
                aliases: Vec::new(),
                articles: Vec::new(),
            });
        entry.aliases.extend(e.aliases);
        entry.aliases.push(e.name);
        entry.articles.extend(e.articles);
    }
    for e in merged.values_mut() {
        let name = e.name.clone();
        e.aliases.retain(|a| !a.is_empty() && *a != name);
        e.aliases.sort();
        e.aliases.dedup();
        e.articles.sort();
        e.articles.dedup();
    }
    x.entities = merged.into_values().collect();
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_leave_out_the_whole_and_a_lone_first_name() {
        assert_eq!(
            name_parts("per:ali-bagheri-kani"),
            [
                "per:bagheri",
                "per:kani",
                "per:ali-bagheri",
                "per:bagheri-kani"
            ]
        );
        assert!(name_parts("org:hamas-politburo").is_empty());
        assert!(name_parts("per:marzouk").is_empty());
    }

    fn target(id: &str, stored: &[&str]) -> Option<String> {
        let mut holders = |part: &str| -> Result<BTreeSet<String>> {
            Ok(stored
                .iter()
                .filter(|s| name_parts(s).iter().any(|p| p == part))
                .map(|s| s.to_string())
                .collect())
        };
        join_target(id, &mut holders).unwrap()
    }

    #[test]
    fn a_short_name_joins_the_one_longest_name_that_holds_it() {
        let stored = ["per:kani", "per:bagheri-kani", "per:ali-bagheri-kani"];
        assert_eq!(
            target("per:kani", &stored).as_deref(),
            Some("per:ali-bagheri-kani")
        );
        assert_eq!(
            target("per:bagheri-kani", &stored).as_deref(),
            Some("per:ali-bagheri-kani")
        );
        assert_eq!(target("per:ali-bagheri-kani", &stored), None);
        // Two different full names hold "Marzouk": no telling which is meant.
        let two = ["per:abu-marzouk", "per:musa-marzouk", "per:marzouk"];
        assert_eq!(target("per:marzouk", &two), None);
        assert_eq!(target("org:kani", &stored), None);
    }
}
