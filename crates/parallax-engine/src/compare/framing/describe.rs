//! Descriptions: the definite noun phrases a source uses instead of an actor's name ("the rebel group", "die
//! Aufständischen", "el mandatario"), attached to the actor only when the text leaves one candidate.
//!
//! The rules follow the extraction's references (`extract::refer`), across the four languages the lexicon reads:
//!
//! - The phrase's head is a word the unit uses in a role, apposition or modifier of exactly one actor named before
//!   it ("Eastern Highlands Movement, a rebel group ... the rebels").
//! - The head names an organisation's kind ("the company", "la guerrilla", "die Aufständischen") and one
//!   organisation, named before the phrase, is mentioned in the unit more often than any other.
//! - The head is a noun for one person that does not name an office ("el mandatario"): the one person named earlier
//!   in the sentence, else in the nearest earlier sentence naming any, at most [`LOOK_BACK`] back.
//!
//! A phrase that is itself a label (an apposition, a modifier before a name) or that runs into a name is no
//! description of its own.

use std::collections::{BTreeMap, BTreeSet};

use parallax_model::{EntityId, EntityKind, LabelKind, TextSpan};

use super::lexicon::Head;
use super::{Found, Reader};
use crate::compare::UnitView;
use crate::extract::tokenize;

/// How many sentences back a description of a person looks for its one candidate, as references do.
const LOOK_BACK: usize = 3;

/// The most words between a determiner and a description's head.
const MAX_DESCRIPTION_WORDS: usize = 4;

/// A noun phrase after a definite determiner: its tokens, the token of its head, and where its text ends (before a
/// possessive "'s").
struct Phrase {
    det: usize,
    first: usize,
    last: usize,
    head: usize,
    end: usize,
    possessive: bool,
}

/// The descriptions in one unit, given the labels already `found` in it.
pub(super) fn descriptions(view: &UnitView<'_>, r: &Reader<'_>, found: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    let shared = label_words(view, r, found);
    let salient = salient_organisation(r);
    let mut sentences = None;
    for det in 0..r.tokens.len() {
        if !r.lex.definite.contains(&r.lower(det).as_str()) {
            continue;
        }
        let Some(phrase) = noun_phrase(r, det) else {
            continue;
        };
        let start = r.tokens[phrase.first].start;
        // The phrase is a label already, or describes the name it runs into or follows. A possessive ("the
        // insurgents' chief negotiator") is another actor than the one its label describes.
        if (!phrase.possessive
            && found.iter().any(|f| {
                f.span.start >= r.tokens[det].start && f.span.start < r.tokens[phrase.head].end
            }))
            || r.mention_of
                .get(phrase.last + 1)
                .is_some_and(Option::is_some)
            || (det >= 2 && r.word(det - 1) == "," && r.mention_of[det - 2].is_some())
        {
            continue;
        }
        let head = stem(&r.lower(phrase.head));
        let named_before = |id: &EntityId| {
            r.mentions
                .iter()
                .any(|m| m.entity == *id && m.start < start)
        };
        let entity = match shared.get(&head) {
            Some(ids) if ids.len() == 1 => ids.iter().next().filter(|id| named_before(id)).cloned(),
            Some(_) => None,
            None if r.lex.is_kind_noun(&r.lower(phrase.head)) => salient
                .clone()
                .filter(|id| named_before(id) && of_kind(r, found, id, &head)),
            None if r.lex.person_nouns.contains(&r.lower(phrase.head).as_str()) => {
                let tokens = sentences.get_or_insert_with(|| tokenize(r.text));
                one_person_before(r, tokens, start)
            }
            None => None,
        };
        if let Some(entity) = entity {
            out.push(Found {
                entity,
                kind: LabelKind::Noun,
                span: TextSpan::of(r.text, start, phrase.end),
            });
        }
    }
    out
}

/// A word as descriptions compare it: lower case, without a possessive or a plural "s" ("rebels" is "rebel").
fn stem(word: &str) -> String {
    let w = word.trim_end_matches("'s");
    match w.strip_suffix('s') {
        Some(s) if s.chars().count() >= 4 => s.to_owned(),
        _ => w.to_owned(),
    }
}

/// The words of each role, apposition and modifier in the unit, with the actors they are given to.
fn label_words(
    view: &UnitView<'_>,
    r: &Reader<'_>,
    found: &[Found],
) -> BTreeMap<String, BTreeSet<EntityId>> {
    let roles = view
        .extraction
        .roles
        .iter()
        .filter(|role| view.holds(role.start, role.end))
        .map(|role| (&role.person, &r.text[role.start..role.end]));
    let labels = found
        .iter()
        .filter(|f| matches!(f.kind, LabelKind::Apposition | LabelKind::Modifier))
        .map(|f| (&f.entity, f.span.text.as_str()));
    let mut out: BTreeMap<String, BTreeSet<EntityId>> = BTreeMap::new();
    for (entity, text) in roles.chain(labels) {
        if let Some(head) = label_head(r, text) {
            out.entry(stem(&head)).or_default().insert(entity.clone());
        }
    }
    out
}

/// The head noun of a label, in lower case: what the label says the actor is ("group" in "rebel group", "directora"
/// in "directora de la ANPC"), not what it says about it ("appliance" in "appliance maker").
fn label_head(r: &Reader<'_>, text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’')
        .filter(|w| w.starts_with(char::is_alphabetic))
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect();
    // The words before the first preposition: "director of the Consumer Safety Authority" is a "director",
    // "jefe negociador de los insurgentes" a "jefe".
    let words: Vec<&String> = words
        .iter()
        .take_while(|w| !r.lex.inner.contains(&w.as_str()))
        .filter(|w| !r.lex.is_determiner(w))
        .collect();
    let head = match r.lex.head {
        Head::Last => words.last().copied(),
        Head::First | Head::FirstCapitalised => words
            .iter()
            .copied()
            .find(|w| {
                r.lex.head == Head::First
                    || w.chars()
                        .next()
                        .is_some_and(|c| text.contains(&c.to_uppercase().to_string()))
            })
            .or(words.first().copied()),
    }?;
    (head.chars().count() >= 3 && !r.lex.stop_words.contains(&head.as_str())).then(|| head.clone())
}

/// True when the organisation `id` is of the kind `noun` (a stem) by its own words: a word of its name ("the
/// movement" for the Eastern Highlands Movement) or of a label the unit gives it ("the rebels" for "a rebel group").
/// A kind noun alone may stand for an organisation the text never names ("the state electricity company").
fn of_kind(r: &Reader<'_>, found: &[Found], id: &EntityId, noun: &str) -> bool {
    let names = r
        .mentions
        .iter()
        .filter(|m| m.entity == *id)
        .map(|m| m.text.as_str());
    let labels = found
        .iter()
        .filter(|f| {
            f.entity == *id && matches!(f.kind, LabelKind::Apposition | LabelKind::Modifier)
        })
        .map(|f| f.span.text.as_str());
    names.chain(labels).any(|text| {
        text.split(|c: char| !c.is_alphanumeric() && c != '-')
            .map(|w| stem(&w.to_lowercase()))
            .any(|w| {
                w == noun || (r.lex.nouns_capitalised && w.len() > noun.len() && w.ends_with(noun))
            })
    })
}

/// The organisation mentioned in the unit more often than any other, if one is.
fn salient_organisation(r: &Reader<'_>) -> Option<EntityId> {
    let mut counts: BTreeMap<&EntityId, usize> = BTreeMap::new();
    for m in r
        .mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Organisation)
    {
        *counts.entry(&m.entity).or_default() += 1;
    }
    let mut ranked: Vec<(usize, &EntityId)> = counts.into_iter().map(|(id, n)| (n, id)).collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    match ranked.as_slice() {
        [(_, id)] => Some((*id).clone()),
        [(n, id), (m, _), ..] if n > m => Some((*id).clone()),
        _ => None,
    }
}

/// True when a word may stand in a description: not a stop word, a verb or another name. A place written as an
/// adjective ("Valmoran") may.
fn descriptive(r: &Reader<'_>, k: usize) -> bool {
    let possessive = k < r.tokens.len() && r.lower(k).ends_with("'s");
    k < r.tokens.len()
        && r.is_word(k)
        && (possessive || !r.is_stop(k))
        && !r.verb_like(k)
        && !r.other_name(k)
        && r.mention_of[k].is_none_or(|m| r.mentions[m].kind == EntityKind::Place)
}

/// True when a word reads as an adjective after its noun in Spanish or French ("armée", "pro-européenne").
fn adjective_after(word: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "al", "ales", "ista", "istas",
        "ano", "ana", "anos", "anas", "ico", "ica", "icos", "icas", "ense", "é", "ée", "és", "ées",
        "ale", "aux", "iste", "istes", "ien", "ienne", "iens", "ain", "aine", "ique", "iques",
        "ais", "aise", "éen", "éenne",
    ];
    ENDINGS.iter().any(|e| word.ends_with(e))
}

/// Words that pick one of several things of a kind rather than describe one.
const ORDINALS: &[&str] = &[
    "first",
    "second",
    "third",
    "last",
    "next",
    "latest",
    "previous",
    "final",
    "primer",
    "primera",
    "segundo",
    "segunda",
    "último",
    "última",
    "premier",
    "première",
    "second",
    "seconde",
    "dernier",
    "dernière",
    "erste",
    "ersten",
    "zweite",
    "zweiten",
    "letzte",
    "letzten",
];

/// True when the word at token `k` is a possessive: "group's", "insurgents'".
fn possessive_at(r: &Reader<'_>, k: usize) -> bool {
    let end = r.tokens[k].end;
    r.lower(k).ends_with("'s") || r.text[end..].starts_with(['\'', '’'])
}

/// The noun phrase after the determiner at token `det`, read by where the language puts its head.
fn noun_phrase(r: &Reader<'_>, det: usize) -> Option<Phrase> {
    let first = det + 1;
    if !descriptive(r, first) {
        return None;
    }
    let (last, head) = match r.lex.head {
        Head::Last => {
            let mut k = first;
            loop {
                if possessive_at(r, k) || k - first + 1 >= MAX_DESCRIPTION_WORDS {
                    break;
                }
                if !descriptive(r, k + 1) {
                    break;
                }
                k += 1;
            }
            (k, k)
        }
        Head::First => {
            let mut k = first;
            while k - first < 2
                && descriptive(r, k + 1)
                && r.is_lowercase(k + 1)
                && adjective_after(&r.lower(k + 1))
            {
                k += 1;
            }
            // "el equipo de Puerto Alba": a place after "de" is part of the phrase.
            if let Some(of) = r.tokens.get(k + 1).map(|_| r.lower(k + 1))
                && r.lex.of.contains(&of.as_str())
                && let Some(m) = r.mention_of.get(k + 2).copied().flatten()
                && r.mentions[m].kind == EntityKind::Place
                && let Some((_, place_last)) = r.token_range(r.mentions[m])
            {
                k = place_last;
            }
            (k, first)
        }
        Head::FirstCapitalised => {
            let mut k = first;
            while k - first < MAX_DESCRIPTION_WORDS && r.is_lowercase(k) && descriptive(r, k + 1) {
                k += 1;
            }
            (k, k)
        }
    };
    let word = r.word(head);
    let lowercase_head = word.starts_with(char::is_lowercase);
    if r.mention_of[head].is_some()
        || (lowercase_head == r.lex.nouns_capitalised)
        || !word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
    {
        return None;
    }
    let end = r.tokens[last].end;
    let text = &r.text[..end];
    let end = text
        .strip_suffix("'s")
        .or_else(|| text.strip_suffix("’s"))
        .map_or(end, str::len);
    // "the first club to ...": an ordinal picks one of several, it does not describe one actor.
    if (first..=last).any(|k| ORDINALS.contains(&r.lower(k).as_str())) {
        return None;
    }
    Some(Phrase {
        det,
        first,
        last,
        head,
        end,
        possessive: possessive_at(r, last),
    })
    .filter(|p| p.det < p.first)
}

/// The one person named before byte `at`: earlier in its sentence, else in the nearest earlier sentence that names
/// any person, at most [`LOOK_BACK`] back; two candidates mean none.
fn one_person_before(
    r: &Reader<'_>,
    sentences: &crate::extract::Tokens,
    at: usize,
) -> Option<EntityId> {
    let s = sentences.sentence_at(at);
    for back in 0..=LOOK_BACK {
        let sentence = sentences.sentences.get(s.checked_sub(back)?)?;
        let end = if back == 0 { at } else { sentence.end };
        let people: BTreeSet<&EntityId> = r
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person && m.start >= sentence.start && m.end <= end)
            .map(|m| &m.entity)
            .collect();
        match people.len() {
            0 => continue,
            1 => return people.into_iter().next().cloned(),
            _ => return None,
        }
    }
    None
}
