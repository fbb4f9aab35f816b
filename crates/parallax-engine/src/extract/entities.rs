//! From recognised spans to entities: mentions with offsets, the mentions of one entity within an article joined,
//! and entities made canonical across articles.
//!
//! Within an article a person's shorter forms join the full name that contains them ("Bagheri Kani" and "Kani"
//! join "Ali Bagheri Kani"; "Marzouk" joins "Abu Marzouk"), an acronym joins the organisation whose initials it
//! spells, and demonyms join their country ("Iranian" is Iran). Across articles, entities of one kind with the same
//! name key are one entity, and a person known only by a shorter form joins the one full name across the set that
//! contains it. Entity ids are built from the kind and the canonical name key (`per:ali-bagheri-kani`), so they do
//! not depend on the order articles are read in.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use parallax_model::{Article, ArticleId, Entity, EntityId, EntityKind, Mention, Role, name_rank};
use serde::{Deserialize, Serialize};

use super::german::drop_common_nouns;
use super::names::{WEEKDAYS_AND_MONTHS, country_of, name_words, person_words, slug};
use super::ner::NerModel;
use super::roles::find_roles;
use super::tokens::Tokens;

/// The recogniser the extraction uses: the trained model when one is found, else capitalisation rules.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Recogniser {
    /// The trained model (see [`NerModel::find`]).
    Model(NerModel),
    /// Rules over capitalisation and a few name endings: used when no model file is available. Much weaker.
    Rules,
}

impl Recogniser {
    /// The trained model from its usual places, or the rules when there is none.
    pub fn find() -> Recogniser {
        NerModel::find().map_or(Recogniser::Rules, Recogniser::Model)
    }

    /// Entity spans over the whole text as token ranges into `tokens.tokens`.
    fn spans(&self, text: &str, tokens: &Tokens) -> Vec<(Range<usize>, EntityKind)> {
        match self {
            Recogniser::Model(model) => {
                let sentences: Vec<Vec<&str>> = tokens
                    .sentences
                    .iter()
                    .map(|s| {
                        tokens.tokens[s.tokens.clone()]
                            .iter()
                            .map(|t| &text[t.start..t.end])
                            .collect()
                    })
                    .collect();
                let found = model.recognise_document(&sentences);
                tokens
                    .sentences
                    .iter()
                    .zip(found)
                    .flat_map(|(s, spans)| {
                        spans.into_iter().map(move |n| {
                            (
                                s.tokens.start + n.tokens.start..s.tokens.start + n.tokens.end,
                                n.kind,
                            )
                        })
                    })
                    .collect()
            }
            Recogniser::Rules => rule_spans(text, tokens),
        }
    }
}

/// Words that open a sentence in capitals without being names.
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Also",
    "After",
    "Before",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "Our",
    "As",
    "According",
    "Separately",
    "Additionally",
    "Both",
    "However",
    "Meanwhile",
    "When",
    "While",
    "If",
    "For",
    "With",
    "From",
    "Tensions",
    "To",
    "By",
    "Since",
];
/// Capitalised words that name days, never entities (besides [`WEEKDAYS_AND_MONTHS`]).
const RELATIVE_DAYS: &[&str] = &["Yesterday", "Today", "Tomorrow"];
const ORG_ENDINGS: &[&str] = &[
    "Ministry",
    "Party",
    "Group",
    "Council",
    "Agency",
    "Embassy",
    "Movement",
    "Bank",
    "Company",
    "Corp",
    "Inc",
    "University",
    "Committee",
    "Organization",
    "Organisation",
    "Office",
    "Department",
    "Army",
    "Forces",
    "Union",
    "Association",
    "Institute",
    "Parliament",
    "Assembly",
    "Court",
    "Commission",
    "News",
    "Times",
    "Post",
];

/// The fallback: runs of capitalised words (not a sentence's first word when it is a common opener), typed by the
/// country table, organisation endings, and two or three words read as a person.
fn rule_spans(text: &str, tokens: &Tokens) -> Vec<(Range<usize>, EntityKind)> {
    let word = |i: usize| &text[tokens.tokens[i].start..tokens.tokens[i].end];
    let capitalised = |i: usize| {
        word(i).chars().next().is_some_and(char::is_uppercase)
            && !WEEKDAYS_AND_MONTHS.contains(&word(i))
            && !RELATIVE_DAYS.contains(&word(i))
    };
    let mut spans = Vec::new();
    for sentence in &tokens.sentences {
        let mut i = sentence.tokens.start;
        while i < sentence.tokens.end {
            if !capitalised(i)
                || (i == sentence.tokens.start && SENTENCE_OPENERS.contains(&word(i)))
            {
                i += 1;
                continue;
            }
            let start = i;
            while i < sentence.tokens.end && capitalised(i) {
                i += 1;
            }
            let name = &text[tokens.tokens[start].start..tokens.tokens[i - 1].end];
            let last = word(i - 1);
            let kind = if country_of(name).is_some() {
                EntityKind::Place
            } else if ORG_ENDINGS.contains(&last)
                || (i - start == 1 && last.len() <= 5 && last.chars().all(char::is_uppercase))
            {
                EntityKind::Organisation
            } else if (2..=3).contains(&(i - start)) {
                EntityKind::Person
            } else {
                EntityKind::Other
            };
            spans.push((start..i, kind));
        }
    }
    spans
}

/// Institution words that close an organisation's name after a country: "Russian Foreign Ministry", "Iran's
/// Revolutionary Guard Corps", "Iranian Embassy".
const INSTITUTIONS: &[&str] = &[
    "Ministry",
    "Embassy",
    "Mission",
    "Government",
    "Army",
    "Navy",
    "Parliament",
    "Council",
    "Agency",
    "Forces",
    "Guard",
    "Corps",
    "Committee",
    "Office",
    "Service",
    "Court",
    "Assembly",
    "Party",
    "Bank",
    "Commission",
    "Police",
    "Academy",
    "Cabinet",
    "Senate",
    "Congress",
    "Duma",
    "Majlis",
    "Consulate",
    "Administration",
    "Department",
    "Programme",
    "Program",
    "Fund",
    "Organization",
    "Organisation",
    "Union",
    "Authority",
    "Endowment",
    "Foundation",
    "Institute",
    "Association",
    "Federation",
    "Alliance",
    "Movement",
    "Company",
    "Corporation",
    "University",
];

/// Last words that make a name a place: "Liberty Square", "Fenwick Road".
const PLACE_ENDINGS: &[&str] = &[
    "Square",
    "Street",
    "Road",
    "Lane",
    "Avenue",
    "Boulevard",
    "Bridge",
    "River",
    "Lake",
    "Mountains",
    "Valley",
    "Island",
    "Islands",
    "Bay",
    "Park",
    "Airport",
    "Station",
    "Province",
    "Region",
    "District",
    "County",
    "Strait",
];

/// Regions and sites that are places whatever type the recogniser gave them.
const REGIONS: &[&str] = &[
    "Caucasus",
    "South Caucasus",
    "North Caucasus",
    "Middle East",
    "Gaza Strip",
    "West Bank",
    "Balkans",
    "Sahel",
    "Persian Gulf",
    "Gulf",
    "Crimea",
    "Donbas",
    "Kashmir",
    "Golan Heights",
    "Sinai",
    "Levant",
    "Maghreb",
    "Arctic",
    "Central Asia",
    "Southeast Asia",
    "East Asia",
    "Latin America",
    "Horn of Africa",
    "Red Sea",
    "Black Sea",
];

/// Repairs what a newswire-trained recogniser gets wrong in a way that matters for entities: a country followed by
/// an institution ("Russian" + "Foreign Ministry", or "Iranian" + "Foreign Ministry Ali Bagheri Kani") becomes one
/// organisation, and a person span that swallowed the institution's last word gives it back.
fn repair_spans(
    text: &str,
    tokens: &Tokens,
    spans: Vec<(Range<usize>, EntityKind)>,
) -> Vec<(Range<usize>, EntityKind)> {
    let word = |i: usize| &text[tokens.tokens[i].start..tokens.tokens[i].end];
    let mut out: Vec<(Range<usize>, EntityKind)> = Vec::with_capacity(spans.len());
    let mut i = 0;
    while i < spans.len() {
        let (range, kind) = spans[i].clone();
        i += 1;
        let surface = &text[tokens.tokens[range.start].start..tokens.tokens[range.end - 1].end];
        if kind == EntityKind::Person || country_of(surface).is_none() {
            out.push((range, kind));
            continue;
        }
        let sentence = &tokens.sentences[tokens.sentence_of(range.start)];
        let mut j = range.end;
        if j < sentence.tokens.end && matches!(word(j), "'s" | "’s") {
            j += 1;
        }
        let mut close = None;
        let mut k = j;
        while k < sentence.tokens.end
            && k - j < 5
            && word(k).chars().next().is_some_and(char::is_uppercase)
        {
            if INSTITUTIONS.contains(&word(k)) {
                close = Some(k + 1);
            }
            k += 1;
        }
        let Some(end) = close else {
            out.push((range, kind));
            continue;
        };
        out.push((range.start..end, EntityKind::Organisation));
        // Later spans inside the new one go; one that runs past it keeps its tail.
        while i < spans.len() && spans[i].0.start < end {
            if spans[i].0.end > end {
                out.push((end..spans[i].0.end, spans[i].1));
            }
            i += 1;
        }
    }
    out
}

/// Everything the entity part finds in one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEntities {
    /// The article.
    pub article: ArticleId,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
    /// The roles the text gives people, in text order.
    pub roles: Vec<Role>,
    /// The entities the mentions belong to, sorted by id.
    pub entities: Vec<Entity>,
}

/// A mention while the article is being read: the model's mention plus its token range and name key.
pub(crate) struct Found {
    pub(crate) tokens: Range<usize>,
    pub(crate) mention: Mention,
    words: Vec<String>,
    local: usize,
}

struct LocalEntity {
    kind: EntityKind,
    words: Vec<String>,
    /// The fullest form seen (most words, then longest, then first).
    name: String,
    forms: BTreeSet<String>,
}

fn kind_prefix(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "per",
        EntityKind::Organisation => "org",
        EntityKind::Place => "loc",
        _ => "misc",
    }
}

fn entity_id(kind: EntityKind, words: &[String]) -> EntityId {
    EntityId(format!("{}:{}", kind_prefix(kind), slug(words)))
}

/// Names longer than this many words are not indexed by their parts: no real name is, and it bounds the work per
/// mention on any text.
const MAX_NAME_WORDS: usize = 8;

/// Finds the entities of one article: mentions with offsets, joined into entities, and the roles of people.
pub fn extract_entities(
    article: &Article,
    tokens: &Tokens,
    recogniser: &Recogniser,
) -> ArticleEntities {
    let text = article.text.as_str();
    let mut found: Vec<Found> = Vec::new();
    let mut spans = recogniser.spans(text, tokens);
    if article.language.as_deref() == Some("de") {
        spans = drop_common_nouns(text, tokens, spans);
    }
    // The dateline's place is named within the first line of the text.
    let first_line_end = text.find('\n').unwrap_or(text.len());
    for (mut range, kind) in repair_spans(text, tokens, spans) {
        // A name does not run over a line break (a byline, a heading above the text).
        if let Some(k) = (range.start + 1..range.end)
            .find(|&k| text[tokens.tokens[k - 1].end..tokens.tokens[k].start].contains('\n'))
        {
            range.end = k;
        }
        let (start, end) = (
            tokens.tokens[range.start].start,
            tokens.tokens[range.end - 1].end,
        );
        let surface = &text[start..end];
        let country = (kind != EntityKind::Person)
            .then(|| country_of(surface))
            .flatten();
        let region =
            kind != EntityKind::Person && REGIONS.iter().any(|r| r.eq_ignore_ascii_case(surface));
        let (kind, words) = match country {
            Some(country) => (EntityKind::Place, name_words(country, false)),
            None if region => (EntityKind::Place, name_words(surface, false)),
            None if kind == EntityKind::Person => (kind, person_words(surface)),
            None => (kind, name_words(surface, true)),
        };
        // The place a dateline names ("HAMBURG (dpa) -") is a place whatever the recogniser made of the capitals.
        let at_dateline = start < first_line_end
            && article
                .dateline
                .as_deref()
                .is_some_and(|place| place.eq_ignore_ascii_case(surface));
        let (kind, words) = if kind != EntityKind::Place && at_dateline {
            (EntityKind::Place, name_words(surface, false))
        } else {
            (kind, words)
        };
        let last = surface.split_whitespace().next_back().unwrap_or("");
        let kind = if kind != EntityKind::Organisation && INSTITUTIONS.contains(&last) {
            EntityKind::Organisation
        } else if kind != EntityKind::Place && PLACE_ENDINGS.contains(&last) {
            EntityKind::Place
        } else {
            kind
        };
        if words.is_empty() {
            continue;
        }
        found.push(Found {
            mention: Mention {
                article: article.id.clone(),
                sentence: tokens.sentence_of(range.start),
                start,
                end,
                text: surface.to_owned(),
                kind,
                entity: EntityId::default(),
            },
            tokens: range,
            words,
            local: 0,
        });
    }
    let entities = join_mentions(&mut found);
    let local_ids: Vec<EntityId> = entities
        .iter()
        .map(|e| entity_id(e.kind, &e.words))
        .collect();
    for f in &mut found {
        f.mention.entity = local_ids[f.local].clone();
    }
    let roles = find_roles(article, tokens, &found);
    // An entity whose mentions all went to another ("Palestinian Hamas" to "Hamas") is no entity of the article.
    let mut mentioned = vec![false; entities.len()];
    for f in &found {
        mentioned[f.local] = true;
    }
    let mut by_id: BTreeMap<EntityId, Entity> = BTreeMap::new();
    for ((local, id), _) in entities
        .into_iter()
        .zip(local_ids)
        .zip(mentioned)
        .filter(|(_, mentioned)| *mentioned)
    {
        let entry = by_id.entry(id.clone()).or_insert_with(|| Entity {
            id,
            kind: local.kind,
            name: local.name.clone(),
            aliases: Vec::new(),
            articles: vec![article.id.clone()],
        });
        entry
            .aliases
            .extend(local.forms.into_iter().filter(|f| *f != entry.name));
    }
    let entities = by_id
        .into_values()
        .map(|mut e| {
            e.aliases.sort();
            e.aliases.dedup();
            e
        })
        .collect();
    ArticleEntities {
        article: article.id.clone(),
        mentions: found.into_iter().map(|f| f.mention).collect(),
        roles,
        entities,
    }
}

/// Joins the mentions of one article into local entities, setting each mention's `local` index.
fn join_mentions(found: &mut [Found]) -> Vec<LocalEntity> {
    let mut entities: Vec<LocalEntity> = Vec::new();
    let mut exact: HashMap<(EntityKind, Vec<String>), usize> = HashMap::new();
    // Full person names first, so shorter forms anywhere in the article can join them.
    let mut people = found
        .iter()
        .filter(|f| f.mention.kind == EntityKind::Person)
        .collect::<Vec<_>>();
    people.sort_by_key(|f| std::cmp::Reverse(f.words.len()));
    // Every contiguous part of a person's name -> the entities whose name contains it, in order of first mention.
    let mut parts: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
    for f in people {
        let key = (EntityKind::Person, f.words.clone());
        if exact.contains_key(&key) {
            continue;
        }
        let contained = parts.get(&f.words).is_some_and(|c| !c.is_empty());
        if contained {
            continue;
        }
        let local = entities.len();
        entities.push(LocalEntity {
            kind: EntityKind::Person,
            words: f.words.clone(),
            name: f.mention.text.clone(),
            forms: BTreeSet::new(),
        });
        exact.insert(key, local);
        let n = f.words.len().min(MAX_NAME_WORDS);
        for len in 1..n {
            for start in 0..=n - len {
                let part = f.words[start..start + len].to_vec();
                // A first name alone is too weak a link; surnames and multi-word parts are kept.
                if len == 1 && start == 0 {
                    continue;
                }
                parts.entry(part).or_default().push(local);
            }
        }
    }
    for f in found.iter_mut() {
        let person_key = (EntityKind::Person, f.words.clone());
        let local = if f.mention.kind == EntityKind::Person || f.mention.kind != EntityKind::Place {
            // A short form of a person's name joins the person, whatever type the recogniser gave it.
            exact
                .get(&person_key)
                .copied()
                .or_else(|| parts.get(&f.words).and_then(|c| c.first().copied()))
                .filter(|_| f.mention.kind == EntityKind::Person || !person_key.1.is_empty())
        } else {
            None
        };
        let local = match local {
            Some(l) => {
                f.mention.kind = EntityKind::Person;
                l
            }
            None => {
                let key = (f.mention.kind, f.words.clone());
                *exact.entry(key).or_insert_with(|| {
                    entities.push(LocalEntity {
                        kind: f.mention.kind,
                        words: f.words.clone(),
                        name: f.mention.text.clone(),
                        forms: BTreeSet::new(),
                    });
                    entities.len() - 1
                })
            }
        };
        f.local = local;
    }
    join_acronyms(found, &mut entities);
    // "Palestinian Hamas" is Hamas when the article also names Hamas alone; "Russian Foreign Ministry" is not
    // "Foreign Ministry", since a country tells ministries apart.
    for f in found.iter_mut() {
        let entity = &entities[f.local];
        let last = entity.words.last().map_or("", |w| w.as_str());
        if entity.kind == EntityKind::Organisation
            && entity.words.len() >= 2
            && country_of(&entity.words[0]).is_some()
            && !INSTITUTIONS.iter().any(|i| i.eq_ignore_ascii_case(last))
            && let Some(&bare) = exact.get(&(EntityKind::Organisation, entity.words[1..].to_vec()))
        {
            f.local = bare;
        }
    }
    for f in found.iter() {
        let entity = &mut entities[f.local];
        entity.forms.insert(f.mention.text.clone());
        // The name is a form that spells the key itself ("Hamas" rather than "Palestinian Hamas"), the fullest one.
        let keyed =
            |text: &str| name_words(text, entity.kind != EntityKind::Person) == entity.words;
        let candidate = (keyed(&f.mention.text), name_rank(&f.mention.text));
        if entity.kind != EntityKind::Place
            && candidate > (keyed(&entity.name), name_rank(&entity.name))
        {
            entity.name = f.mention.text.clone();
        }
    }
    for entity in &mut entities {
        if let Some(country) = country_of(&entity.name).filter(|_| entity.kind == EntityKind::Place)
        {
            entity.name = country.to_owned();
        }
    }
    entities
}

/// Small words left out of an acronym, in the languages Parallax reads: "Agencia Nacional de Protección Civil" is
/// ANPC.
const ACRONYM_SKIPS: &[&str] = &[
    "of", "the", "for", "and", "de", "del", "la", "las", "los", "el", "y", "des", "du", "le",
    "les", "et", "der", "die", "das", "und", "für", "von",
];

/// An all-capitals single-word organisation ("IRGC") joins the organisation whose initials it spells.
fn join_acronyms(found: &mut [Found], entities: &mut [LocalEntity]) {
    let mut initials: HashMap<String, usize> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        if e.kind == EntityKind::Organisation && e.words.len() >= 2 {
            let letters: String = e
                .words
                .iter()
                .filter(|w| !ACRONYM_SKIPS.contains(&w.as_str()))
                .filter_map(|w| w.chars().next())
                .collect();
            initials.entry(letters).or_insert(i);
        }
    }
    for f in found.iter_mut() {
        if f.mention.kind == EntityKind::Organisation
            && f.words.len() == 1
            && f.mention.text.chars().all(|c| c.is_uppercase())
            && let Some(&target) = initials.get(&f.words[0])
        {
            f.local = target;
        }
    }
}

fn kind_of_prefix(prefix: &str) -> EntityKind {
    match prefix {
        "per" => EntityKind::Person,
        "org" => EntityKind::Organisation,
        "loc" => EntityKind::Place,
        _ => EntityKind::Other,
    }
}

/// Endings of a demonym or plural after a place's stem: Valmora -> Valmoran, Kordavia -> Kordavians.
const DEMONYM_ENDINGS: &[&str] = &[
    "n", "an", "ian", "ns", "ans", "ians", "ese", "i", "is", "er", "ers",
];

/// One name, one kind: the recogniser may call the same name a place in one sentence and an organisation in
/// another ("Geneva", "GENEVA"); the kind given most often across all mentions wins (ties: person, place,
/// organisation, other). A one-word name that is a place's demonym ("Valmoran" for Valmora) joins the place.
fn settle_kinds(articles: &mut [ArticleEntities]) {
    let mut counts: BTreeMap<String, BTreeMap<EntityKind, usize>> = BTreeMap::new();
    for m in articles.iter().flat_map(|a| &a.mentions) {
        let bare = m
            .entity
            .0
            .split_once(':')
            .map_or(m.entity.0.as_str(), |(_, b)| b);
        *counts
            .entry(bare.to_owned())
            .or_default()
            .entry(m.kind)
            .or_default() += 1;
    }
    let order = |k: EntityKind| match k {
        EntityKind::Person => 3,
        EntityKind::Place => 2,
        EntityKind::Organisation => 1,
        _ => 0,
    };
    let mut chosen: HashMap<String, EntityKind> = counts
        .iter()
        .map(|(bare, kinds)| {
            let kind = kinds
                .iter()
                .max_by_key(|(k, n)| (**n, order(**k)))
                .map_or(EntityKind::Other, |(k, _)| *k);
            (bare.clone(), kind)
        })
        .collect();
    // Demonyms of places: stems of one-word place keys, then every one-word place or other name checked against them.
    let mut stems: HashMap<String, String> = HashMap::new();
    for (bare, kind) in &chosen {
        if *kind == EntityKind::Place && !bare.contains('-') && bare.chars().count() >= 4 {
            stems.insert(
                bare.trim_end_matches(['a', 'e', 'i', 'o', 'y']).to_owned(),
                bare.clone(),
            );
        }
    }
    let mut joined: HashMap<String, String> = HashMap::new();
    for (bare, kind) in &chosen {
        if !matches!(kind, EntityKind::Place | EntityKind::Other) || bare.contains('-') {
            continue;
        }
        for ending in DEMONYM_ENDINGS {
            if let Some(stem) = bare.strip_suffix(ending)
                && let Some(place) = stems.get(stem)
                && place != bare
            {
                joined.insert(bare.clone(), place.clone());
                break;
            }
        }
    }
    for from in joined.keys() {
        chosen.insert(from.clone(), EntityKind::Place);
    }
    let fix = |id: &EntityId| -> (EntityId, EntityKind) {
        let (prefix, bare) = id.0.split_once(':').unwrap_or(("misc", id.0.as_str()));
        let bare = joined.get(bare).map_or(bare, String::as_str);
        let kind = chosen
            .get(bare)
            .copied()
            .unwrap_or_else(|| kind_of_prefix(prefix));
        (EntityId(format!("{}:{bare}", kind_prefix(kind))), kind)
    };
    for article in articles.iter_mut() {
        for m in &mut article.mentions {
            (m.entity, m.kind) = fix(&m.entity);
        }
        for r in &mut article.roles {
            r.person = fix(&r.person).0;
            r.affiliation = r.affiliation.as_ref().map(|a| fix(a).0);
        }
        for e in &mut article.entities {
            let was_demonym = joined.contains_key(e.id.0.split_once(':').map_or("", |(_, b)| b));
            (e.id, e.kind) = fix(&e.id);
            if was_demonym {
                // The place's own name comes from the place's entry; the demonym stays an alias.
                e.aliases.push(std::mem::take(&mut e.name));
            }
        }
        // Two local entities may now be one.
        article.entities.sort_by(|a, b| a.id.cmp(&b.id));
        article.entities.dedup_by(|b, a| {
            if a.id != b.id {
                return false;
            }
            a.aliases.append(&mut b.aliases);
            a.aliases.push(std::mem::take(&mut b.name));
            true
        });
    }
}

/// Makes entities canonical across articles: rewrites every mention's and role's entity ids to the canonical ones
/// and returns the canonical entities, sorted by id.
///
/// Entities of one kind with the same name key are one. A person whose whole key is a part of exactly one longer
/// person's key in the set ("marzouk" of "abu marzouk") joins that person; when two different full names contain it,
/// it stays apart, since there is no telling which is meant.
pub fn canonicalise(articles: &mut [ArticleEntities]) -> Vec<Entity> {
    settle_kinds(articles);
    let mut all: BTreeMap<EntityId, Entity> = BTreeMap::new();
    for article in articles.iter() {
        for e in &article.entities {
            let entry = all.entry(e.id.clone()).or_insert_with(|| Entity {
                aliases: Vec::new(),
                articles: Vec::new(),
                ..e.clone()
            });
            if name_rank(&e.name) > name_rank(&entry.name) {
                entry.name = e.name.clone();
            }
            entry.aliases.extend(e.aliases.iter().cloned());
            entry.aliases.push(e.name.clone());
            entry.articles.extend(e.articles.iter().cloned());
        }
    }
    // Person keys, and the parts of each longer key.
    let words_of = |e: &Entity| person_words(&e.name);
    let mut parts: HashMap<Vec<String>, BTreeSet<EntityId>> = HashMap::new();
    for e in all.values().filter(|e| e.kind == EntityKind::Person) {
        let words = words_of(e);
        let n = words.len().min(MAX_NAME_WORDS);
        for len in 1..n {
            for start in 0..=n - len {
                if len == 1 && start == 0 {
                    continue;
                }
                parts
                    .entry(words[start..start + len].to_vec())
                    .or_default()
                    .insert(e.id.clone());
            }
        }
    }
    let mut target: HashMap<EntityId, EntityId> = HashMap::new();
    for e in all.values().filter(|e| e.kind == EntityKind::Person) {
        if let Some(longer) = parts.get(&words_of(e)) {
            // Keep only the longest names among the candidates: "Bagheri Kani" and "Ali Bagheri Kani" both contain
            // "Kani", and the shorter one joins the longer anyway.
            let maximal: Vec<&EntityId> = longer
                .iter()
                .filter(|id| {
                    !parts
                        .get(&words_of(&all[*id]))
                        .is_some_and(|c| c.iter().any(|x| longer.contains(x)))
                })
                .collect();
            if let [only] = maximal.as_slice() {
                target.insert(e.id.clone(), (*only).clone());
            }
        }
    }
    // An acronym joins the one organisation across the set whose initials it spells ("ANPC").
    let mut initials: HashMap<String, BTreeSet<EntityId>> = HashMap::new();
    for e in all.values().filter(|e| e.kind == EntityKind::Organisation) {
        let words = name_words(&e.name, false);
        if words.len() >= 2 && words.len() <= MAX_NAME_WORDS {
            let letters: String = words
                .iter()
                .filter(|w| !ACRONYM_SKIPS.contains(&w.as_str()))
                .filter_map(|w| w.chars().next())
                .collect();
            initials.entry(letters).or_default().insert(e.id.clone());
        }
    }
    for e in all.values().filter(|e| e.kind == EntityKind::Organisation) {
        let acronym = e.name.chars().count() >= 2
            && !e
                .name
                .chars()
                .any(|c| c.is_lowercase() || c.is_whitespace());
        if acronym
            && let Some(longer) = initials.get(&e.name.to_lowercase())
            && longer.len() == 1
            && let Some(only) = longer.first()
        {
            target.insert(e.id.clone(), only.clone());
        }
    }
    let resolve = |id: &EntityId| -> EntityId {
        let mut id = id.clone();
        for _ in 0..MAX_NAME_WORDS {
            match target.get(&id) {
                Some(next) => id = next.clone(),
                None => break,
            }
        }
        id
    };
    let mut merged: BTreeMap<EntityId, Entity> = BTreeMap::new();
    for (id, e) in all {
        let to = resolve(&id);
        let entry = merged.entry(to.clone()).or_insert_with(|| Entity {
            id: to.clone(),
            aliases: Vec::new(),
            articles: Vec::new(),
            ..e.clone()
        });
        entry.aliases.extend(e.aliases);
        entry.aliases.push(e.name.clone());
        entry.articles.extend(e.articles);
        if to == id && name_rank(&e.name) > name_rank(&entry.name) {
            entry.name = e.name;
        }
    }
    for e in merged.values_mut() {
        let name = e.name.clone();
        e.aliases.retain(|a| !a.is_empty() && *a != name);
        e.aliases.sort();
        e.aliases.dedup();
        e.articles.sort();
        e.articles.dedup();
    }
    for article in articles.iter_mut() {
        for m in &mut article.mentions {
            m.entity = resolve(&m.entity);
        }
        for r in &mut article.roles {
            r.person = resolve(&r.person);
            r.affiliation = r.affiliation.as_ref().map(&resolve);
        }
        let mut ids: Vec<EntityId> = article.entities.iter().map(|e| resolve(&e.id)).collect();
        ids.sort();
        ids.dedup();
        article.entities = ids
            .iter()
            .filter_map(|id| merged.get(id).cloned())
            .collect();
    }
    merged.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One article's worth of entities as the per-article step leaves them: (local id, kind, text) per mention.
    fn article(id: &str, mentions: &[(&str, EntityKind, &str)]) -> ArticleEntities {
        let article = ArticleId(id.into());
        let mut entities: BTreeMap<EntityId, Entity> = BTreeMap::new();
        let mentions = mentions
            .iter()
            .map(|&(entity, kind, text)| {
                let e = entities
                    .entry(EntityId(entity.into()))
                    .or_insert_with(|| Entity {
                        id: EntityId(entity.into()),
                        kind,
                        name: text.into(),
                        aliases: Vec::new(),
                        articles: vec![article.clone()],
                    });
                if e.name != text {
                    e.aliases.push(text.into());
                }
                Mention {
                    article: article.clone(),
                    sentence: 0,
                    start: 0,
                    end: text.len(),
                    text: text.into(),
                    kind,
                    entity: EntityId(entity.into()),
                }
            })
            .collect();
        ArticleEntities {
            article,
            mentions,
            roles: Vec::new(),
            entities: entities.into_values().collect(),
        }
    }

    fn check(
        articles: &mut [ArticleEntities],
        expect: &[(&str, EntityKind, &str, &[&str], usize)],
    ) {
        let got: Vec<(String, EntityKind, String, Vec<String>, usize)> = canonicalise(articles)
            .into_iter()
            .map(|e| (e.id.0, e.kind, e.name, e.aliases, e.articles.len()))
            .collect();
        let expect: Vec<(String, EntityKind, String, Vec<String>, usize)> = expect
            .iter()
            .map(|(id, k, n, a, c)| {
                (
                    id.to_string(),
                    *k,
                    n.to_string(),
                    a.iter().map(|s| s.to_string()).collect(),
                    *c,
                )
            })
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn the_most_frequent_kind_wins_and_demonyms_join_their_place() {
        use EntityKind::*;
        let mut articles = [
            article(
                "a",
                &[
                    ("loc:geneva", Place, "Geneva"),
                    ("loc:valmora", Place, "Valmora"),
                ],
            ),
            article(
                "b",
                &[
                    ("org:geneva", Organisation, "GENEVA"),
                    ("loc:geneva", Place, "Geneva"),
                ],
            ),
            article(
                "c",
                &[
                    ("misc:valmoran", Other, "Valmoran"),
                    ("misc:valmorans", Other, "Valmorans"),
                ],
            ),
        ];
        check(
            &mut articles,
            &[
                ("loc:geneva", Place, "Geneva", &["GENEVA"], 2),
                (
                    "loc:valmora",
                    Place,
                    "Valmora",
                    &["Valmoran", "Valmorans"],
                    2,
                ),
            ],
        );
        assert!(
            articles[1]
                .mentions
                .iter()
                .all(|m| m.entity.0 == "loc:geneva" && m.kind == Place)
        );
    }

    #[test]
    fn an_acronym_joins_the_organisation_it_spells_in_any_language() {
        use EntityKind::*;
        let mut articles = [
            article(
                "a",
                &[(
                    "org:agencia-nacional-de-protección-civil",
                    Organisation,
                    "Agencia Nacional de Protección Civil",
                )],
            ),
            article(
                "b",
                &[
                    ("org:anpc", Organisation, "ANPC"),
                    ("org:ehm", Organisation, "EHM"),
                ],
            ),
        ];
        check(
            &mut articles,
            &[
                (
                    "org:agencia-nacional-de-protección-civil",
                    Organisation,
                    "Agencia Nacional de Protección Civil",
                    &["ANPC"],
                    2,
                ),
                ("org:ehm", Organisation, "EHM", &[], 1),
            ],
        );
    }

    #[test]
    fn surnames_join_the_one_full_name_that_holds_them() {
        use EntityKind::*;
        let mut articles = [
            article("a", &[("per:ali-bagheri-kani", Person, "Ali Bagheri Kani")]),
            article(
                "b",
                &[
                    ("per:bagheri-kani", Person, "Bagheri Kani"),
                    ("per:kani", Person, "Kani"),
                ],
            ),
            article("c", &[("per:mohammad-kani", Person, "Mohammad Kani")]),
        ];
        // "Kani" fits two full names and stays apart; "Bagheri Kani" fits one.
        check(
            &mut articles,
            &[
                (
                    "per:ali-bagheri-kani",
                    Person,
                    "Ali Bagheri Kani",
                    &["Bagheri Kani"],
                    2,
                ),
                ("per:kani", Person, "Kani", &[], 1),
                ("per:mohammad-kani", Person, "Mohammad Kani", &[], 1),
            ],
        );
    }
}
