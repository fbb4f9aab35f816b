//! Framing: for every actor, the labels each source gives it, found in the text.
//!
//! Every label is an exact span of the article, found next to a mention of the actor in the unit's range:
//!
//! - **Role**: the titles and roles the extraction found for people.
//! - **Apposition**: the description set between commas after a name ("Hamas, the Palestinian militant group,").
//! - **Modifier**: the words before a name within its noun phrase ("the Palestinian militant group Hamas"), or the
//!   whole phrase when the name sits inside it and a group noun follows ("the Palestinian Hamas resistance group").
//! - **Noun**: a phrase standing for a place's state instead of its name: an adjective of the name and a noun such as
//!   "regime" or "authorities" ("the Israeli regime" for Israel).
//! - **Action**: a named operation ("Operation Al-Aqsa Storm by Hamas") or the attack noun of an attack the actor
//!   makes ("Hamas staged a surprise incursion").
//! - **Wording**: the evaluative words one source alone uses in telling what the actor does or is ("slammed",
//!   "bombastic"), where the other sources tell the story without them (see `wording`).
//!
//! A unit that is one item of an article with several reads its labels from the whole article, for the actors the
//! item names: an outlet's words for an actor in its other items are the same outlet's words, the same day
//! ("the Palestinian Hamas resistance group" in the Tehran seed's second item frames Hamas for its first).
//!
//! Labels are compared across sources by [`label_key`], which ignores case, articles, function words and word order,
//! so "member of the Hamas politburo" and "Hamas Politburo member" are the same label.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use parallax_model::{
    ActorFraming, ActorRole, Entity, EntityId, EntityKind, EventKind, Label, LabelKind, Mention,
    SourceLabels, TextSpan,
};

use super::UnitView;
use lexicon::{FUNCTION_WORDS, Head, Lexicon};

mod describe;
mod lexicon;
mod wording;

/// The most words a modifier before a name may have: a label is a few words, not a clause.
const MAX_MODIFIER_WORDS: usize = 5;
/// The most words an apposition may have.
const MAX_APPOSITION_WORDS: usize = 12;
/// The most lowercase words between a name and the group noun that makes the name part of a phrase.
const MAX_INNER_WORDS: usize = 2;
/// How many words after an attack's trigger its attack noun may come.
const ACTION_WINDOW: usize = 6;

/// Nouns for the state or force of a place: "the Israeli regime", "Russian authorities".
const STATE_HEADS: &[&str] = &[
    "regime",
    "government",
    "authorities",
    "administration",
    "forces",
    "army",
    "military",
    "troops",
    "officials",
    "leadership",
    "side",
    "police",
    "diplomacy",
    "diplomats",
    "junta",
    "cabinet",
    "occupation",
];

/// Nouns of an attack or armed operation: "a surprise incursion", "air strikes".
const ACTION_HEADS: &[&str] = &[
    "attack",
    "attacks",
    "strike",
    "strikes",
    "airstrike",
    "airstrikes",
    "incursion",
    "incursions",
    "offensive",
    "raid",
    "raids",
    "assault",
    "bombardment",
    "bombing",
    "bombings",
    "shelling",
    "invasion",
    "operation",
    "operations",
    "onslaught",
    "massacre",
    "aggression",
];

/// A label's words as compared across sources: the content words in lower case, sorted, without articles,
/// function words and punctuation, so "member of the Hamas politburo" and "Hamas Politburo member" are one label.
pub(crate) fn label_key(text: &str) -> String {
    let words: BTreeSet<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
        .collect();
    words.into_iter().collect::<Vec<_>>().join(" ")
}

/// One word or punctuation mark of a unit, by byte offsets into the article text.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '\'' | '’')
}

/// The unit's words and punctuation marks; a word keeps inner hyphens and apostrophes ("Gaza-based", "Russia’s").
/// With `elision`, an elided article or preposition is a word of its own ("l'" and "agence" in "l'agence").
fn tokens(text: &str, range: Range<usize>, elision: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    let push_word = |out: &mut Vec<Token>, start: usize, end: usize| {
        let w = &text[start..end];
        let trimmed = w.trim_matches(|c: char| !c.is_alphanumeric());
        if !trimmed.is_empty() {
            let mut s =
                start + (w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len());
            let e = s + trimmed.len();
            if elision && let Some(cut) = elided(&text[s..e]) {
                out.push(Token {
                    start: s,
                    end: s + cut,
                });
                s += cut;
            }
            out.push(Token { start: s, end: e });
        }
    };
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        if is_word_char(c) {
            word.get_or_insert(at);
            continue;
        }
        if let Some(start) = word.take() {
            push_word(&mut out, start, at);
        }
        if !c.is_whitespace() {
            out.push(Token {
                start: at,
                end: at + c.len_utf8(),
            });
        }
    }
    if let Some(start) = word {
        push_word(&mut out, start, range.end);
    }
    out
}

/// The length of an elided article or preposition at the start of `word` ("l'" in "l'agence"), when a word follows.
fn elided(word: &str) -> Option<usize> {
    let apostrophe = word.find(['\'', '’'])?;
    let prefix = word[..apostrophe].to_lowercase();
    let cut = apostrophe + word[apostrophe..].chars().next()?.len_utf8();
    (["l", "d", "qu", "j", "n", "s", "c", "m", "t"].contains(&prefix.as_str()) && cut < word.len())
        .then_some(cut)
}

/// A unit's text as the label finders read it: tokens, and which entity's mention each token is in.
struct Reader<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    /// For each token, the index of the mention it lies in.
    mention_of: Vec<Option<usize>>,
    mentions: Vec<&'a Mention>,
    entities: &'a [Entity],
    lex: &'static Lexicon,
}

impl<'a> Reader<'a> {
    fn new(view: &UnitView<'a>, lex: &'static Lexicon) -> Self {
        let text = view.article.text.as_str();
        let tokens = tokens(text, view.range.clone(), lex.elision);
        let mentions: Vec<&Mention> = view
            .extraction
            .mentions
            .iter()
            .filter(|m| view.holds(m.start, m.end) && text.is_char_boundary(m.start))
            .collect();
        let mention_of = tokens
            .iter()
            .map(|t| {
                mentions
                    .iter()
                    .position(|m| m.start <= t.start && t.end <= m.end)
            })
            .collect();
        Reader {
            text,
            tokens,
            mention_of,
            mentions,
            entities: &view.extraction.entities,
            lex,
        }
    }

    fn word(&self, i: usize) -> &'a str {
        let t = self.tokens[i];
        &self.text[t.start..t.end]
    }

    fn is_word(&self, i: usize) -> bool {
        self.word(i).starts_with(char::is_alphanumeric)
    }

    fn lower(&self, i: usize) -> String {
        self.word(i).to_lowercase().replace('’', "'")
    }

    fn is_lowercase(&self, i: usize) -> bool {
        self.word(i).starts_with(char::is_lowercase)
    }

    /// The first and last token of a mention.
    fn token_range(&self, m: &Mention) -> Option<(usize, usize)> {
        let first = self.tokens.iter().position(|t| t.start >= m.start)?;
        let last = self.tokens.iter().rposition(|t| t.end <= m.end)?;
        (first <= last).then_some((first, last))
    }

    fn entity(&self, id: &EntityId) -> Option<&'a Entity> {
        self.entities.iter().find(|e| e.id == *id)
    }

    fn in_mention_of_kind(&self, i: usize, kinds: &[EntityKind]) -> bool {
        self.mention_of[i].is_some_and(|m| kinds.contains(&self.mentions[m].kind))
    }

    /// A word that reads as a verb: an auxiliary or common verb, or an `-ed`/`-ing` form that is not a hyphenated
    /// compound ("Gaza-based").
    fn verb_like(&self, i: usize) -> bool {
        let w = self.lower(i);
        if w.contains('-') || !self.is_lowercase(i) {
            return false;
        }
        if self.lex.head != Head::Last {
            // The stop words hold the common verbs; these endings the past and future tenses of the rest.
            return w.chars().count() > 4 && self.lex.verb_endings.iter().any(|e| w.ends_with(e));
        }
        (w.len() > 4 && (w.ends_with("ed") || w.ends_with("ing"))) || w.ends_with("ly")
    }

    /// A word that ends a modifier: a function word, a number, or a possessive ("the country's").
    fn is_stop(&self, i: usize) -> bool {
        let w = self.lower(i);
        self.lex.stop_words.contains(&w.as_str())
            || w.starts_with(|c: char| c.is_ascii_digit())
            || w.ends_with("'s")
            || w.ends_with("’s")
    }

    fn is_determiner(&self, i: usize) -> bool {
        self.lex.is_determiner(&self.lower(i))
    }

    /// The first token of the modifiers right before token `first` ("Palestinian militant group" before "Hamas"),
    /// walking back to a determiner, preposition, verb, punctuation or person's name; `first` itself when none.
    fn modifiers_before(&self, first: usize) -> usize {
        let mut j = first;
        while j > 0 && first - j < MAX_MODIFIER_WORDS {
            let i = j - 1;
            if !self.is_word(i) || self.is_stop(i) || self.other_name(i) {
                break;
            }
            // A German adjective before its noun is inflected ("der belagerten Stadt"); another lowercase word is a
            // verb ("verhandelt").
            if self.lex.nouns_capitalised
                && self.is_lowercase(i)
                && !["e", "en", "er", "em", "es"]
                    .iter()
                    .any(|e| self.lower(i).ends_with(e))
            {
                break;
            }
            if self.verb_like(i) {
                // "the besieged Gaza": a participle right after a determiner is an adjective.
                if i > 0 && self.is_determiner(i - 1) {
                    j = i;
                }
                break;
            }
            j = i;
        }
        // Outside English, a word before a name is a modifier only as the head of a short noun phrase: "el
        // presidente Arriaga", "der Rebellengruppe Bewegung", not "dijo Arriaga". German sets titles before names
        // without an article ("Innenverteidiger Niklas Brandt").
        if self.lex.modifier_needs_determiner {
            let short = self.lex.head != Head::First || first - j <= 2;
            if j > 0 && j < first && self.is_determiner(j - 1) && short {
                return j;
            }
            let title = first > 1
                && self.lex.nouns_capitalised
                && !self.is_lowercase(first - 1)
                && self.can_head(first - 1)
                && self.is_word(first - 2);
            return if title { first - 1 } else { first };
        }
        j
    }

    /// True when the word right before a name can head the phrase that describes it: a common noun ("group"), or an
    /// adjective of belief or origin ("Islamist", "Palestinian"), not a title ("Minister") or another name.
    fn can_head(&self, i: usize) -> bool {
        if self.is_lowercase(i) {
            return !self.verb_like(i);
        }
        if self.lex.nouns_capitalised {
            return !self.is_stop(i) && self.mention_of[i].is_none();
        }
        let w = self.word(i);
        !self.in_mention_of_kind(i, &[EntityKind::Person, EntityKind::Organisation])
            && ["ist", "ian", "ese", "ish"].iter().any(|s| w.ends_with(s))
    }

    /// True when token `i` is in the name of a person, organisation or place that is not written as an adjective
    /// ("San Telmo", but not "Palestinian" or "Gaza-based"): a modifier does not run into another name.
    fn other_name(&self, i: usize) -> bool {
        let Some(m) = self.mention_of[i].map(|m| self.mentions[m]) else {
            return false;
        };
        match m.kind {
            EntityKind::Other => false,
            EntityKind::Place => !self
                .entity(&m.entity)
                .is_some_and(|e| derives_from(&m.text, e)),
            _ => true,
        }
    }

    fn span(&self, first: usize, last: usize) -> TextSpan {
        TextSpan::of(self.text, self.tokens[first].start, self.tokens[last].end)
    }

    /// The lowercase words after token `last` that end in one of `heads`: the token index of the head.
    fn head_after(&self, last: usize, heads: &[&str]) -> Option<usize> {
        let mut k = last + 1;
        while k < self.tokens.len() && k - last <= MAX_INNER_WORDS + 1 {
            if !self.is_word(k) || !self.is_lowercase(k) || self.is_stop(k) {
                return None;
            }
            if heads.contains(&self.lower(k).as_str()) {
                // "the Israeli forces commander Yoav": the phrase describes the next name, not this one.
                let next_is_name = self.mention_of.get(k + 1).is_some_and(Option::is_some);
                return (!next_is_name).then_some(k);
            }
            if self.verb_like(k) {
                return None;
            }
            k += 1;
        }
        None
    }
}

/// True when `adjective` is the name of place `entity` as an adjective: one of its forms, or its stem with a
/// demonym ending ("Israeli" for Israel, "Iranian" for Iran, "Russian" for Russia).
fn derives_from(adjective: &str, entity: &Entity) -> bool {
    if adjective == entity.name {
        return false;
    }
    if entity.aliases.iter().any(|a| a == adjective) {
        return true;
    }
    let name = entity.name.to_lowercase();
    let stem = name.trim_end_matches(['a', 'e', 'i', 'o', 'u', 'y']);
    let adjective = adjective.to_lowercase();
    stem.chars().count() >= 3
        && adjective.starts_with(stem)
        && ["i", "ian", "an", "ese", "ish", "ic", "n"]
            .iter()
            .any(|s| adjective.ends_with(s))
}

/// A label found in one unit, before labels are compared across sources.
struct Found {
    entity: EntityId,
    kind: LabelKind,
    span: TextSpan,
}

/// The appositions, modifiers, nouns, actions and wording of one unit.
fn labels_in(view: &UnitView<'_>, vocabulary: &wording::Vocabulary) -> Vec<Found> {
    // Without a language's word lists, prepositions and verbs would pass for modifiers.
    let Some(lex) = Lexicon::of(view.language()) else {
        return Vec::new();
    };
    let r = Reader::new(view, lex);
    let mut out = Vec::new();
    for m in &r.mentions {
        let Some((first, last)) = r.token_range(m) else {
            continue;
        };
        let Some(entity) = r.entity(&m.entity) else {
            continue;
        };
        let demonym = entity.kind == EntityKind::Place && derives_from(&m.text, entity);
        // A name inside a phrase whose head follows it: the whole phrase is the label.
        let heads = if demonym {
            STATE_HEADS
        } else {
            lex.group_heads
        };
        let inside = entity.kind != EntityKind::Person
            && (demonym || entity.kind != EntityKind::Place)
            && !m.text.starts_with("Operation");
        if inside && let Some(head) = r.head_after(last, heads) {
            let start = r.modifiers_before(first);
            out.push(Found {
                entity: m.entity.clone(),
                kind: if demonym {
                    LabelKind::Noun
                } else {
                    LabelKind::Modifier
                },
                span: r.span(start, head),
            });
            continue;
        }
        if demonym {
            // An adjective is not a name with modifiers of its own ("Palestinian militant group Hamas").
            continue;
        }
        // Modifiers before the name.
        if first > 0 && r.is_word(first - 1) && r.can_head(first - 1) && !r.is_stop(first - 1) {
            let start = r.modifiers_before(first);
            if start < first {
                out.push(Found {
                    entity: m.entity.clone(),
                    kind: LabelKind::Modifier,
                    span: r.span(start, first - 1),
                });
            }
        }
        // An apposition: ", a Hamas Politburo member," after the name.
        if let Some(span) = apposition_after(&r, last) {
            out.push(Found {
                entity: m.entity.clone(),
                kind: LabelKind::Apposition,
                span,
            });
        }
        // A person's description set before the name: "la directora de la ANPC, Lucía Ferrándiz,".
        if entity.kind == EntityKind::Person
            && let Some(span) = apposition_before(&r, first, last)
        {
            out.push(Found {
                entity: m.entity.clone(),
                kind: LabelKind::Apposition,
                span,
            });
        }
        // A noun of the organisation's kind joined to its name: "la guerrilla del Movimiento del Altiplano".
        if entity.kind == EntityKind::Organisation
            && let Some(span) = kind_of_name(&r, first)
        {
            out.push(Found {
                entity: m.entity.clone(),
                kind: LabelKind::Modifier,
                span,
            });
        }
        // A named operation by an actor: "Operation Al-Aqsa Storm by Hamas".
        if m.text.starts_with("Operation ")
            && r.tokens.get(last + 1).is_some()
            && r.lower(last + 1) == "by"
            && let Some(by) = r.mention_of.get(last + 2).copied().flatten()
            && r.mentions[by].entity != m.entity
        {
            out.push(Found {
                entity: r.mentions[by].entity.clone(),
                kind: LabelKind::Action,
                span: TextSpan::of(r.text, m.start, m.end),
            });
        }
    }
    out.extend(actions(view, &r));
    let descriptions = describe::descriptions(view, &r, &out);
    out.extend(descriptions);
    // Last, so that a word that is part of another label (or of a role) stays in that label.
    let wording = wording::wording(view, &r, vocabulary, &out);
    out.extend(wording);
    out
}

/// The description between commas after token `last`: a determiner, then up to a dozen words without a verb,
/// closed by a comma, full stop, semicolon, colon, dash, bracket or a relative pronoun ("la rébellion armée qui
/// contrôle ...").
fn apposition_after(r: &Reader<'_>, last: usize) -> Option<TextSpan> {
    let comma = last + 1;
    if r.tokens.get(comma).is_none() || r.word(comma) != "," {
        return None;
    }
    let det = comma + 1;
    if r.tokens.get(det).is_none() || !r.lex.opens_apposition.contains(&r.lower(det).as_str()) {
        return None;
    }
    let end = description_end(r, det + 1, MAX_APPOSITION_WORDS)?;
    // A relative clause after the description must close with a comma, as an inserted clause does ("X, la
    // rébellion armée qui contrôle ..., se sont entendus"): one that runs to the sentence's end makes the words
    // before it the subject of a new clause ("According to X, a fuse that should cut the power ... may fail").
    let relative_closed = || {
        r.lex.relative.contains(&r.lower(end).as_str())
            && (end..r.tokens.len())
                .map(|k| r.word(k))
                .find(|w| matches!(*w, "," | "." | ";" | "!" | "?"))
                == Some(",")
    };
    let closed = end == r.tokens.len()
        || matches!(r.word(end), "," | "." | ";" | ":" | ")" | "—" | "–" | "]")
        || relative_closed();
    (closed && end > det + 1).then(|| r.span(det + 1, end - 1))
}

/// The token after a description that starts at token `from`: the first that is not a word, or a relative pronoun.
/// None when a verb or pronoun comes first (a clause, not a description) or the description runs past `max` words.
fn description_end(r: &Reader<'_>, from: usize, max: usize) -> Option<usize> {
    let mut k = from;
    while k < r.tokens.len() && r.is_word(k) {
        if k - from >= max {
            return None;
        }
        let w = r.lower(k);
        if r.lex.relative.contains(&w.as_str()) && k > from {
            break;
        }
        // Prepositions and conjunctions may sit inside a description; verbs and pronouns may not.
        let clause = r.lex.relative.contains(&w.as_str())
            || (r.is_stop(k) && !r.is_determiner(k) && !r.lex.inner.contains(&w.as_str()))
            || (r.verb_like(k) && !r.is_determiner(k - 1))
            || r.mention_of[k].is_some_and(|m| r.mentions[m].kind == EntityKind::Person);
        if clause {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// The description set between a determiner and a comma right before a person's name (tokens `first..=last`),
/// when a comma or the sentence's end follows the name: "dijo la directora de la ANPC, Lucía Ferrándiz, en ...".
fn apposition_before(r: &Reader<'_>, first: usize, last: usize) -> Option<TextSpan> {
    let comma = first.checked_sub(1)?;
    if r.word(comma) != "," {
        return None;
    }
    match r.tokens.get(last + 1).map(|_| r.word(last + 1)) {
        None | Some("," | "." | ";") => {}
        Some(_) => return None,
    }
    // Walk back to the determiner that opens the description, over words only.
    let mut det = comma;
    loop {
        det = det.checked_sub(1)?;
        if comma - det > MAX_APPOSITION_WORDS || !r.is_word(det) {
            return None;
        }
        if r.lex.opens_apposition.contains(&r.lower(det).as_str())
            // An article inside the description ("de la ANPC") is not its start: a preposition comes before it.
            && !(det > 0 && r.lex.inner.contains(&r.lower(det - 1).as_str()))
        {
            break;
        }
    }
    if det + 1 >= comma || description_end(r, det + 1, MAX_APPOSITION_WORDS)? != comma {
        return None;
    }
    // The description's head names what the person is: a word, not a name ("the Hamas, Hezbollah").
    let head = match r.lex.head {
        Head::Last => comma - 1,
        Head::First | Head::FirstCapitalised => det + 1,
    };
    (r.mention_of[head].is_none()).then(|| r.span(det + 1, comma - 1))
}

/// A noun of an organisation's kind, after a determiner and joined to the name at token `first` by "of" ("la
/// guerrilla del Movimiento ...", "le groupe des ..."): the noun is what the text calls the organisation.
fn kind_of_name(r: &Reader<'_>, first: usize) -> Option<TextSpan> {
    let of = first.checked_sub(1)?;
    let noun = of.checked_sub(1)?;
    let det = noun.checked_sub(1)?;
    let joined = r.lex.of.contains(&r.lower(of).as_str())
        || (r.lex.definite.contains(&r.lower(of).as_str())
            && r.lex.of.contains(&r.lower(noun).as_str()));
    let (noun, det) = if r.lex.of.contains(&r.lower(of).as_str()) {
        (noun, det)
    } else {
        // "le groupe de l'Alliance": the article after "de" belongs to the name.
        (det, det.checked_sub(1)?)
    };
    (joined
        && r.is_word(noun)
        && r.mention_of[noun].is_none()
        && r.lex.is_kind_noun(&r.lower(noun))
        && r.is_determiner(det))
    .then(|| r.span(noun, noun))
}

/// The attack nouns of the actor's attacks: the ATTACK events whose agent it is, read after the trigger ("staged a
/// surprise incursion" gives "surprise incursion").
fn actions(view: &UnitView<'_>, r: &Reader<'_>) -> Vec<Found> {
    let mut out = Vec::new();
    for event in view
        .extraction
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Attack && view.holds(e.trigger.start, e.trigger.end))
    {
        let Some(from) = r.tokens.iter().position(|t| t.start >= event.trigger.start) else {
            continue;
        };
        let trigger_end = r
            .tokens
            .iter()
            .rposition(|t| t.end <= event.trigger.end)
            .unwrap_or(from);
        let mut found = None;
        for k in from..r.tokens.len().min(trigger_end + ACTION_WINDOW + 1) {
            if !r.is_word(k) || r.tokens[k].start >= event.end {
                break;
            }
            if let Some(m) = r.mention_of[k]
                && r.mentions[m].text.starts_with("Operation ")
            {
                let m = r.mentions[m];
                found = Some(TextSpan::of(r.text, m.start, m.end));
                break;
            }
            if ACTION_HEADS.contains(&r.lower(k).as_str()) {
                let start = r.modifiers_before(k).max(from);
                found = Some(r.span(start, k));
                break;
            }
        }
        let Some(span) = found else { continue };
        for actor in event.actors.iter().filter(|a| a.role == ActorRole::Agent) {
            out.push(Found {
                entity: actor.entity.clone(),
                kind: LabelKind::Action,
                span: span.clone(),
            });
        }
    }
    out
}

pub(crate) fn framing(views: &[UnitView<'_>]) -> Vec<ActorFraming> {
    // entity -> source -> labels, each with its unit's place in `views` to keep text order.
    let mut found: BTreeMap<EntityId, BTreeMap<usize, Vec<(usize, Label)>>> = BTreeMap::new();
    let vocabulary = wording::Vocabulary::of(views);
    for (at, unit) in views.iter().enumerate() {
        let text = unit.article.text.as_str();
        // The actors the unit names, and the whole article to find their labels in.
        let named: BTreeSet<&EntityId> = unit
            .extraction
            .mentions
            .iter()
            .filter(|m| unit.holds(m.start, m.end))
            .map(|m| &m.entity)
            .collect();
        let whole = UnitView {
            range: 0..text.len(),
            unit: unit.unit.clone(),
            ..*unit
        };
        let view = &whole;
        let roles = view
            .extraction
            .roles
            .iter()
            .filter(|r| view.holds(r.start, r.end))
            .map(|role| Found {
                entity: role.person.clone(),
                kind: LabelKind::Role,
                span: TextSpan::of(text, role.start, role.end),
            });
        // Roles first: a modifier or apposition that repeats a role's words, or overlaps it, gives way to it.
        // A source's own wording is read in the unit only: it is measured against what the story's other sources
        // write, which the article's other items are not part of.
        for label in roles.chain(labels_in(view, &vocabulary)).filter(|l| {
            named.contains(&l.entity)
                && (l.kind != LabelKind::Wording || unit.holds(l.span.start, l.span.end))
        }) {
            let labels = found
                .entry(label.entity)
                .or_default()
                .entry(view.source)
                .or_default();
            let key = label_key(&label.span.text);
            let overlaps = |l: &Label| {
                l.unit == view.unit
                    && l.span.start < label.span.end
                    && label.span.start < l.span.end
            };
            if key.is_empty()
                || labels
                    .iter()
                    .any(|(_, l)| overlaps(l) || label_key(&l.span.text) == key)
            {
                continue;
            }
            labels.push((
                at,
                Label {
                    span: label.span,
                    unit: view.unit.clone(),
                    kind: label.kind,
                    distinct: false,
                },
            ));
        }
    }
    let mut out = Vec::new();
    for (entity, by_source) in found {
        let Some((name, kind)) = views.iter().find_map(|v| {
            v.extraction
                .entities
                .iter()
                .find(|e| e.id == entity)
                .map(|e| (e.name.clone(), e.kind))
        }) else {
            continue;
        };
        let mut sources: Vec<SourceLabels> = by_source
            .into_iter()
            .map(|(source, mut labels)| {
                labels.sort_by_key(|(at, l)| (*at, l.span.start));
                SourceLabels {
                    source,
                    labels: labels.into_iter().map(|(_, l)| l).collect(),
                }
            })
            .collect();
        let keys: Vec<BTreeSet<String>> = sources
            .iter()
            .map(|s| s.labels.iter().map(|l| label_key(&l.span.text)).collect())
            .collect();
        for (i, source) in sources.iter_mut().enumerate() {
            for label in &mut source.labels {
                let key = label_key(&label.span.text);
                label.distinct = keys
                    .iter()
                    .enumerate()
                    .all(|(j, other)| j == i || !other.contains(&key));
            }
        }
        let differs = sources.len() > 1 && keys.iter().any(|k| *k != keys[0]);
        out.push(ActorFraming {
            entity,
            name,
            kind,
            differs,
            sources,
        });
    }
    // Actors labelled by more sources first, then those with more labels that differ, then by name.
    let distinct = |f: &ActorFraming| {
        f.sources
            .iter()
            .flat_map(|s| &s.labels)
            .filter(|l| l.distinct)
            .count()
    };
    out.sort_by(|a, b| {
        b.sources
            .len()
            .cmp(&a.sources.len())
            .then_with(|| distinct(b).cmp(&distinct(a)))
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

#[cfg(test)]
mod tests;
