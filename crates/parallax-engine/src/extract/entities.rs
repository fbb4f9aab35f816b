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

/// The recogniser the extraction uses: the trained models when they are found, else capitalisation rules.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Recogniser {
    /// One trained model for every language (see [`NerModel::find`]).
    Model(NerModel),
    /// A model per language: the article's language picks one, and the first reads every language without a
    /// model of its own.
    Languages {
        /// The model for languages without their own (the English one).
        default: NerModel,
        /// Other languages' models by ISO 639-1 code.
        others: Vec<(String, NerModel)>,
    },
    /// Rules over capitalisation and a few name endings: used when no model file is available. Much weaker.
    Rules,
}

/// Languages with a model of their own besides English (`models/ner-<code>.bin`).
const MODEL_LANGUAGES: &[&str] = &["de", "es"];

impl Recogniser {
    /// The trained models from their usual places (English, and each language of [`MODEL_LANGUAGES`] whose file
    /// is there), or the rules when there is no English model.
    pub fn find() -> Recogniser {
        let Ok(default) = NerModel::find() else {
            return Recogniser::Rules;
        };
        let others: Vec<(String, NerModel)> = MODEL_LANGUAGES
            .iter()
            .filter_map(|&l| NerModel::find_for(l).ok().map(|m| (l.to_owned(), m)))
            .collect();
        if others.is_empty() {
            Recogniser::Model(default)
        } else {
            Recogniser::Languages { default, others }
        }
    }

    /// The model that reads a text in `language`, if any.
    fn model_for(&self, language: Option<&str>) -> Option<&NerModel> {
        match self {
            Recogniser::Model(model) => Some(model),
            Recogniser::Languages { default, others } => Some(
                others
                    .iter()
                    .find(|(l, _)| Some(l.as_str()) == language)
                    .map_or(default, |(_, m)| m),
            ),
            Recogniser::Rules => None,
        }
    }

    /// Entity spans over the whole text as token ranges into `tokens.tokens`.
    fn spans(
        &self,
        text: &str,
        tokens: &Tokens,
        language: Option<&str>,
    ) -> Vec<(Range<usize>, EntityKind)> {
        match self.model_for(language) {
            Some(model) => {
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
            None => rule_spans(text, tokens),
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
    "Mount",
    "Mosque",
    "Cathedral",
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

/// Platforms and media: what is said "on Telegram" is said in no place. Their names are organisations.
const PLATFORMS: &[&str] = &[
    "Telegram",
    "Twitter",
    "Facebook",
    "Instagram",
    "WhatsApp",
    "YouTube",
    "TikTok",
    "WeChat",
    "Weibo",
    "VKontakte",
    "Reddit",
    "LinkedIn",
    "Snapchat",
    "Bluesky",
    "Mastodon",
    "Viber",
];

/// News agencies, which a newswire-trained recogniser reads as the place of the dateline beside them. Only names
/// that are agencies wherever they stand: ingest's dateline list (`KNOWN_AGENCIES` in `ingest/text.rs`) also holds
/// abbreviations that are safe only where a story opens with them ("MENA —" is the agency; "MENA" in running text
/// is a region).
const AGENCIES: &[&str] = &[
    "TASS",
    "Reuters",
    "AFP",
    "EFE",
    "dpa",
    "DPA",
    "Xinhua",
    "IRNA",
    "ANSA",
    "Interfax",
    "RIA Novosti",
    "Kyodo",
    "Yonhap",
    "Anadolu",
    "Associated Press",
    "Agence France-Presse",
    "Sputnik",
    "Europa Press",
];

/// Compass words that open a coordination: "North and South American countries" names no "North".
const DIRECTIONS: &[&str] = &[
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
    "Upper", "Lower", "Norte", "Sur", "Nord", "Sud", "Süd", "Ost",
];

/// Words that join two halves of a coordination, in the languages Parallax reads.
const COORDINATORS: &[&str] = &["and", "or", "&", "y", "e", "o", "et", "ou", "und", "oder"];

/// Endings of words derived from a name ("Gaza-based", "Saudi-led"): an adjective, not the name.
const DERIVED_ENDINGS: &[&str] = &[
    "-based",
    "-led",
    "-backed",
    "-born",
    "-owned",
    "-run",
    "-style",
    "-made",
    "-bound",
    "-linked",
    "-affiliated",
    "-funded",
    "-sponsored",
    "-controlled",
    "-held",
    "-allied",
    "-aligned",
    "-era",
    "-wide",
];

/// Nouns that, followed by "of", introduce places in the languages Parallax reads: "the villages of Los Robles and
/// Cañada Honda", "la aldea de Cañada Honda", "les communes de Limonest".
const PLACE_NOUNS: &[&str] = &[
    "village",
    "villages",
    "town",
    "towns",
    "city",
    "cities",
    "suburb",
    "suburbs",
    "province",
    "region",
    "district",
    "county",
    "aldea",
    "aldeas",
    "ciudad",
    "pueblo",
    "pueblos",
    "localidad",
    "municipio",
    "provincia",
    "región",
    "ville",
    "villes",
    "commune",
    "communes",
    "quartier",
    "département",
    "région",
    "stadt",
    "dorf",
    "gemeinde",
    "provinz",
];

/// Words that join a place noun to the place: "of", "de", "du", "von", "di".
const OF: &[&str] = &["of", "de", "du", "des", "von", "di", "del"];

/// Whether a sentence reads as a heading: a short line without closing punctuation.
fn is_heading(text: &str, tokens: &Tokens, sentence: usize) -> bool {
    let s = &tokens.sentences[sentence];
    let Some(last) = s.tokens.end.checked_sub(1).map(|i| tokens.tokens[i]) else {
        return false;
    };
    let closing = &text[last.start..last.end];
    s.tokens.len() <= 20
        && !matches!(
            closing,
            "." | "!" | "?" | ":" | ";" | "\"" | "”" | "’" | "'" | ")" | "…" | ","
        )
}

/// Whether `word` is only capitalised where capitals say nothing: the text also writes it in lowercase, and never
/// capitalises it inside a sentence of running text.
fn capitalised_only_by_position(text: &str, tokens: &Tokens, word: &str) -> bool {
    let mut lowercase = false;
    for (n, sentence) in tokens.sentences.iter().enumerate() {
        let mut heading = None;
        for i in sentence.tokens.clone() {
            let t = tokens.tokens[i];
            let w = &text[t.start..t.end];
            if !w.eq_ignore_ascii_case(word) {
                continue;
            }
            if w.chars().next().is_some_and(char::is_lowercase) {
                lowercase = true;
            } else if i > sentence.tokens.start
                && !*heading.get_or_insert_with(|| is_heading(text, tokens, n))
            {
                return false;
            }
        }
    }
    lowercase
}

/// Rules after the model, for what one sentence cannot tell it: a compass word that opens a coordination is no
/// place; a word derived from a name ("Gaza-based") is no entity; a word capitalised only because it opens a
/// sentence or sits in a heading is no entity; a first name the model left outside the person it opens ("Ali" +
/// "Bagheri Kani") joins it; platforms and news agencies are organisations.
fn settle_spans(
    text: &str,
    tokens: &Tokens,
    spans: Vec<(Range<usize>, EntityKind)>,
) -> Vec<(Range<usize>, EntityKind)> {
    let word = |i: usize| &text[tokens.tokens[i].start..tokens.tokens[i].end];
    let capital = |i: usize| word(i).chars().next().is_some_and(char::is_uppercase);
    let mut out: Vec<(Range<usize>, EntityKind)> = Vec::with_capacity(spans.len());
    // Where the last span that a place noun introduced ended, so names coordinated with it are places too.
    let mut place_chain: Option<usize> = None;
    let mut i = 0;
    while i < spans.len() {
        let (mut range, mut kind) = spans[i].clone();
        i += 1;
        // A name opens with a capital: "de Limonest" is "Limonest", "avenida Costanera" is "Costanera"; a
        // person without any capital is no name.
        if let Some(first) = range.clone().find(|&k| capital(k)) {
            range.start = first;
        } else if kind == EntityKind::Person {
            continue;
        }
        let before = |n: usize| {
            range
                .start
                .checked_sub(n)
                .map(|k| word(k).to_lowercase())
                .unwrap_or_default()
        };
        let coordinated = place_chain
            .is_some_and(|end| end + 1 == range.start && COORDINATORS.contains(&word(end)));
        if coordinated
            || OF.contains(&before(1).as_str()) && PLACE_NOUNS.contains(&before(2).as_str())
        {
            kind = EntityKind::Place;
            place_chain = Some(range.end);
        } else {
            place_chain = None;
        }
        let surface = &text[tokens.tokens[range.start].start..tokens.tokens[range.end - 1].end];
        let single = range.len() == 1;
        if single
            && DIRECTIONS.contains(&surface)
            && range.end < tokens.tokens.len()
            && COORDINATORS.contains(&word(range.end))
        {
            continue;
        }
        let last = word(range.end - 1).to_lowercase();
        if DERIVED_ENDINGS.iter().any(|e| last.ends_with(e)) {
            continue;
        }
        // "Iran-Russia" (relations) joins two countries: a fragment of a phrase, not a name.
        if single && surface.contains('-') && surface.split('-').all(|p| country_of(p).is_some()) {
            continue;
        }
        // A head noun the model left outside the name it closes ("Al-Aqsa" + "Mosque") joins it.
        if single
            && let Some((previous, previous_kind)) = out.last_mut()
            && previous.end == range.start
        {
            if PLACE_ENDINGS.contains(&surface) {
                previous.end = range.end;
                *previous_kind = EntityKind::Place;
                continue;
            }
            if INSTITUTIONS.contains(&surface) {
                previous.end = range.end;
                *previous_kind = EntityKind::Organisation;
                continue;
            }
        }
        let sentence = tokens.sentence_of(range.start);
        let title_case = surface.chars().next().is_some_and(char::is_uppercase)
            && surface.chars().skip(1).all(char::is_lowercase);
        if single
            && title_case
            && (range.start == tokens.sentences[sentence].tokens.start
                || is_heading(text, tokens, sentence))
            && capitalised_only_by_position(text, tokens, surface)
        {
            continue;
        }
        // A named operation ("Operation Al-Aqsa Storm") is an event, not who runs it.
        if surface.starts_with("Operation ") {
            out.push((range, EntityKind::Other));
            continue;
        }
        if PLATFORMS.contains(&surface) || AGENCIES.contains(&surface) {
            out.push((range, EntityKind::Organisation));
            continue;
        }
        if single
            && title_case
            && kind != EntityKind::Person
            && country_of(surface).is_none()
            && let Some((next, EntityKind::Person)) = spans.get(i)
            && next.start == range.end
        {
            out.push((range.start..next.end, EntityKind::Person));
            i += 1;
            continue;
        }
        out.push((range, kind));
    }
    out
}

/// One name, one kind, per article: every mention of a name takes the kind most of its mentions have, mentions in
/// running text counting twice those in headings ("Tehran" in the heading "Tehran, Moscow prioritize ..." is the
/// place the text names). Ties change nothing.
fn one_kind_per_name(found: &mut [Found], text: &str, tokens: &Tokens) {
    let mut votes: HashMap<String, [u32; 4]> = HashMap::new();
    let slot = |k: EntityKind| match k {
        EntityKind::Person => 0,
        EntityKind::Organisation => 1,
        EntityKind::Place => 2,
        _ => 3,
    };
    let weights: Vec<u32> = found
        .iter()
        .map(|f| {
            if is_heading(text, tokens, f.mention.sentence) {
                1
            } else {
                2
            }
        })
        .collect();
    for (f, w) in found.iter().zip(&weights) {
        votes.entry(f.mention.text.to_lowercase()).or_default()[slot(f.mention.kind)] += w;
    }
    for f in found.iter_mut() {
        let counts = votes[&f.mention.text.to_lowercase()];
        let best = (0..4).max_by_key(|&i| counts[i]).unwrap_or(0);
        let tied = (0..4).any(|i| i != best && counts[i] == counts[best]);
        if tied || best == slot(f.mention.kind) {
            continue;
        }
        let kind = [
            EntityKind::Person,
            EntityKind::Organisation,
            EntityKind::Place,
            EntityKind::Other,
        ][best];
        let words = if kind == EntityKind::Person {
            person_words(&f.mention.text)
        } else {
            name_words(&f.mention.text, true)
        };
        if !words.is_empty() {
            f.mention.kind = kind;
            f.words = words;
        }
    }
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
    let mut spans = recogniser.spans(text, tokens, article.language.as_deref());
    if article.language.as_deref() == Some("de") {
        spans = drop_common_nouns(text, tokens, spans);
    }
    // The dateline's place is named within the first line of the text.
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let spans = settle_spans(text, tokens, repair_spans(text, tokens, spans));
    for (mut range, kind) in spans {
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
        // A region or country is a place whatever its last word: "West Bank" is no bank.
        let kind = if country.is_some() || region {
            kind
        } else if kind != EntityKind::Organisation && INSTITUTIONS.contains(&last) {
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
    one_kind_per_name(&mut found, text, tokens);
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
