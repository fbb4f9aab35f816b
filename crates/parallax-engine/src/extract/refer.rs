//! References: the pronouns and descriptions that stand for a named entity, resolved only when the text leaves one
//! candidate.
//!
//! News copy names a person once and then says "he", "the diplomat", "his Iranian colleague" or "the deputy foreign
//! minister"; it names an organisation once and then says "the embassy". Events and quotes need the entity behind
//! those words, and a wrong guess is worse than none, so the rules are narrow:
//!
//! - A role phrase the roles part already gave a person ("Iran's deputy foreign minister for political affairs" in a
//!   lede that names him in the next sentence) is that person.
//! - "he" / "she" is the one person named earlier in the same sentence, else the one person named in the nearest
//!   earlier sentence that names any (at most [`LOOK_BACK`] sentences back); two candidates mean no answer.
//! - A description of a person ("the [senior] [Iranian] diplomat", "his Iranian colleague", "the deputy foreign
//!   minister") has a person noun for its head. Candidates are found as for pronouns, filtered by what the
//!   description says: a nationality must match one of the person's affiliations, and title words beyond a generic
//!   head ("deputy foreign minister") must appear in one of the roles given the person before that point.
//! - A description of an organisation ("the embassy", "the ministry") is the one organisation named earlier in the
//!   article whose name ends with the same noun ("the Iranian Embassy").
//! - Plural pronouns and descriptions ("they", "the two diplomats", "both parties") are never resolved.

use std::ops::Range;

use parallax_model::{EntityId, EntityKind, Mention, Role};

use super::names::country_of;
use super::tokens::Tokens;

/// How many sentences back a pronoun or a person description may look for its one candidate.
pub(crate) const LOOK_BACK: usize = 3;

/// How many mentions back a description of an organisation ("the embassy") looks for its name.
const MAX_MENTIONS_BACK: usize = 300;

/// How many roles back a description of a person ("the deputy foreign minister") compares its words with.
const MAX_ROLES_BACK: usize = 64;

/// Nouns that head a description of one person without saying which office they hold: any person may match.
const GENERIC_PERSON_NOUNS: &[&str] = &[
    "diplomat",
    "colleague",
    "counterpart",
    "official",
    "politician",
    "leader",
    "man",
    "woman",
    "guest",
    "host",
];

/// Nouns that head a description of one person by office; the description's title words must match a role.
const OFFICE_NOUNS: &[&str] = &[
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "envoy",
    "ambassador",
    "secretary",
    "chancellor",
    "premier",
    "deputy",
    "adviser",
    "advisor",
    "chairman",
    "chairwoman",
    "commander",
    "general",
    "negotiator",
    "mediator",
    "governor",
    "mayor",
    "senator",
    "prosecutor",
    "chief",
    "head",
    "representative",
    "member",
];

/// Words a description may open with or hold without changing who it means.
const DESCRIPTION_FILLERS: &[&str] = &[
    "the", "his", "her", "its", "their", "a", "an", "senior", "top", "former", "veteran", "new",
    "visiting", "same", "latter", "former's",
];

/// Personal pronouns for one person, in the languages events read.
const PERSON_PRONOUNS: &[&str] = &["he", "she", "er", "il", "elle", "él", "ella"];

/// The text, its tokens and the entities found in it, indexed for the questions events and quotes ask.
pub(crate) struct Reading<'a> {
    pub(crate) tokens: &'a Tokens,
    /// Each token in lowercase, with typographic apostrophes made plain.
    pub(crate) words: Vec<String>,
    pub(crate) mentions: &'a [Mention],
    /// The token range of each mention.
    pub(crate) spans: Vec<Range<usize>>,
    /// For each token, the mention covering it.
    pub(crate) mention_at: Vec<Option<usize>>,
    pub(crate) roles: &'a [Role],
}

impl<'a> Reading<'a> {
    pub(crate) fn new(
        text: &'a str,
        tokens: &'a Tokens,
        mentions: &'a [Mention],
        roles: &'a [Role],
    ) -> Reading<'a> {
        let words: Vec<String> = tokens
            .tokens
            .iter()
            .map(|t| text[t.start..t.end].to_lowercase().replace('’', "'"))
            .collect();
        let mut mention_at = vec![None; tokens.tokens.len()];
        let spans: Vec<Range<usize>> = mentions
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let from = tokens.tokens.partition_point(|t| t.start < m.start);
                let to = tokens.tokens.partition_point(|t| t.start < m.end);
                for slot in &mut mention_at[from..to] {
                    *slot = Some(i);
                }
                from..to
            })
            .collect();
        Reading {
            tokens,
            words,
            mentions,
            spans,
            mention_at,
            roles,
        }
    }

    /// The lowercase word at token `i`, or "" past the ends.
    pub(crate) fn word(&self, i: usize) -> &str {
        self.words.get(i).map_or("", String::as_str)
    }

    /// The token range of sentence `s`.
    pub(crate) fn sentence_tokens(&self, s: usize) -> Range<usize> {
        self.tokens
            .sentences
            .get(s)
            .map_or(0..0, |s| s.tokens.clone())
    }

    /// The role whose title ends at token `last` (inclusive), if the roles part found one there.
    pub(crate) fn role_ending_at(&self, last: usize) -> Option<&'a Role> {
        let end = self.tokens.tokens.get(last)?.end;
        // Roles are in text order; one ending here starts at most a role's length before.
        let from = self.roles.partition_point(|r| r.end + 2048 < end);
        self.roles[from..]
            .iter()
            .take_while(|r| r.start < end)
            .find(|r| r.end == end)
    }

    /// The role whose title lies inside the byte range `start..end`.
    pub(crate) fn role_inside(&self, start: usize, end: usize) -> Option<&'a Role> {
        let from = self.roles.partition_point(|r| r.start < start);
        self.roles[from..]
            .iter()
            .take_while(|r| r.start < end)
            .find(|r| r.end <= end && r.start < r.end)
    }

    /// The one person a pronoun at token `at` of sentence `s` stands for.
    pub(crate) fn resolve_pronoun(&self, s: usize, at: usize) -> Option<EntityId> {
        if !PERSON_PRONOUNS.contains(&self.word(at)) {
            return None;
        }
        self.one_person(s, at, &[], |_| true)
    }

    /// The one person (or organisation) a description over tokens `range` stands for, or None when the words are not
    /// a description of one entity or more than one candidate fits. `exclude` names entities it cannot be (the
    /// agent of the event the description is the patient of: "Bogdanov met with his Iranian colleague").
    pub(crate) fn resolve_description(
        &self,
        s: usize,
        range: Range<usize>,
        exclude: &[EntityId],
    ) -> Option<EntityId> {
        if range.is_empty() || range.end > self.words.len() {
            return None;
        }
        let head = self.word(range.end - 1);
        if PERSON_PRONOUNS.contains(&head) && range.len() == 1 {
            return self.resolve_pronoun(s, range.start);
        }
        // A description starts with a determiner or possessive; a bare noun ("diplomats say") is not one.
        if !matches!(
            self.word(range.start),
            "the" | "his" | "her" | "its" | "their"
        ) {
            return None;
        }
        let generic = GENERIC_PERSON_NOUNS.contains(&head);
        let office = OFFICE_NOUNS.contains(&head);
        if !generic && !office {
            return self.resolve_organisation(range);
        }
        // The nationality a description gives ("Iranian"), as the country entity's key.
        let mut country: Option<String> = None;
        let mut title: Vec<&str> = Vec::new();
        for i in range.clone() {
            let word = self.word(i);
            if let Some(m) = self.mention_at[i] {
                if self.mentions[m].kind == EntityKind::Place {
                    country = country_of(&self.mentions[m].text).map(|c| c.to_lowercase());
                    country.as_ref()?;
                    continue;
                }
                return None;
            }
            if DESCRIPTION_FILLERS.contains(&word) || word == "[" || word == "]" {
                continue;
            }
            if !word.chars().all(|c| c.is_alphabetic() || c == '-') {
                return None;
            }
            title.push(word);
        }
        let at = self.tokens.tokens[range.start].start;
        // Roles given before the description, the nearest few hundred: bounded work per description.
        let upto = self.roles.partition_point(|r| r.start < at);
        let given = &self.roles[upto.saturating_sub(MAX_ROLES_BACK)..upto];
        let fits = |person: &EntityId| {
            let roles = given.iter().filter(|r| &r.person == person);
            let mut nationality_ok = country.is_none();
            let mut title_ok = generic;
            for role in roles {
                if let (Some(c), Some(aff)) = (&country, &role.affiliation) {
                    let slug = c.replace(' ', "-");
                    nationality_ok |= aff
                        .0
                        .split([':', '-'])
                        .collect::<Vec<_>>()
                        .windows(slug.split('-').count())
                        .any(|w| w.join("-") == slug);
                }
                let lower = role.title.to_lowercase();
                title_ok |= contains_words(&lower, &title);
            }
            nationality_ok && title_ok
        };
        self.one_person(s, range.start, exclude, fits)
    }

    /// The one person named before token `at`: in sentence `s`, else in the nearest earlier sentence naming any
    /// person that passes `fits`, at most [`LOOK_BACK`] back.
    fn one_person(
        &self,
        s: usize,
        at: usize,
        exclude: &[EntityId],
        fits: impl Fn(&EntityId) -> bool,
    ) -> Option<EntityId> {
        for back in 0..=LOOK_BACK {
            let Some(sentence) = s.checked_sub(back) else {
                break;
            };
            let range = self.sentence_tokens(sentence);
            let end = if back == 0 {
                at.min(range.end)
            } else {
                range.end
            };
            let mut found: Vec<&EntityId> = Vec::new();
            for i in range.start..end {
                let Some(m) = self.mention_at[i] else {
                    continue;
                };
                if self.spans[m].start != i {
                    continue;
                }
                let mention = &self.mentions[m];
                if mention.kind != EntityKind::Person
                    || exclude.contains(&mention.entity)
                    || !fits(&mention.entity)
                {
                    continue;
                }
                if !found.contains(&&mention.entity) {
                    found.push(&mention.entity);
                }
            }
            match found.len() {
                0 => continue,
                1 => return Some(found[0].clone()),
                _ => return None,
            }
        }
        None
    }

    /// "the embassy": the one organisation named before the description whose name ends with its head noun.
    fn resolve_organisation(&self, range: Range<usize>) -> Option<EntityId> {
        if range.len() > 3 {
            return None;
        }
        let head = self.word(range.end - 1);
        if head.len() < 3 || !head.chars().all(char::is_alphabetic) {
            return None;
        }
        // Words between the determiner and the head ("the Iranian embassy") must fit the organisation: a
        // nationality by its country in the entity's key, any other word inside its name.
        let modifiers: Vec<String> = (range.start + 1..range.end - 1)
            .map(|i| {
                let word = self.word(i);
                country_of(word).map_or_else(|| word.to_owned(), |c| c.to_lowercase())
            })
            .filter(|w| !DESCRIPTION_FILLERS.contains(&w.as_str()))
            .collect();
        let at = self.tokens.tokens[range.start].start;
        let mut found: Option<&EntityId> = None;
        // The organisations named before, the nearest few hundred mentions back: bounded work per description.
        let before = self.mentions.partition_point(|m| m.start < at);
        for m in self.mentions[before.saturating_sub(MAX_MENTIONS_BACK)..before]
            .iter()
            .rev()
        {
            if m.kind != EntityKind::Organisation {
                continue;
            }
            let last = m.text.rsplit(' ').next().unwrap_or("").to_lowercase();
            if last != head {
                continue;
            }
            let name = m.text.to_lowercase();
            if !modifiers
                .iter()
                .all(|w| name.contains(w.as_str()) || m.entity.0.contains(&w.replace(' ', "-")))
            {
                continue;
            }
            match found {
                Some(id) if id != &m.entity => return None,
                _ => found = Some(&m.entity),
            }
        }
        found.cloned()
    }
}

/// True when every word of `words` appears in `title` as a whole word, in order.
fn contains_words(title: &str, words: &[&str]) -> bool {
    if words.is_empty() {
        return false;
    }
    let title: Vec<&str> = title.split_whitespace().collect();
    let mut i = 0;
    for w in &title {
        if i < words.len() && *w == words[i] {
            i += 1;
        }
    }
    i == words.len()
}
