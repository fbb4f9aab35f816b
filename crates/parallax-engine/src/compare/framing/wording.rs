//! Wording: the evaluative words a source alone chooses in telling what an actor does or is ("slammed",
//! "bombastic", "overly cautious"), where the story's other sources tell it without them.
//!
//! A word is a source's wording when
//!
//! - it has the form of a verb, adjective or adverb of the language (an `-ed`, `-ing`, `-ly`, `-ous`, `-ive` ...
//!   ending, or a hyphenated compound such as "gaffe-prone"), or it is rare in news: nouns mostly name the facts a
//!   source tells, which informational choice covers, while these forms carry how it tells them;
//! - it is not a function word, a common verb, a number or part of a name;
//! - it is not common in news in general: a word of evaluative form in at most [`COMMON_IN_NEWS`] thousandths of
//!   news articles, any other word in at most [`RARE_IN_NEWS`] ("announced" and "noted" are in more, "slammed" and
//!   "bluster" in fewer). The shares come from unlabelled news (`examples/news_vocabulary.rs`): what every report
//!   says is no outlet's choice;
//! - no other source of the story uses the word anywhere in its units, compared by stem ("slammed" and "slams" are
//!   one word): what every source says is the story's vocabulary, what one alone says is its choice.
//!
//! Adjacent such words are one label ("overly cautious"). A few words a source sets in quotation marks in its own
//! sentence ("the “scheme”") are its wording too, marks included: scare quotes are how a report keeps a word at a
//! distance.
//!
//! The label goes to the actor named nearest to it in its sentence, or, when the sentence names none ("He slammed
//! ..."), to the last actor named in the sentence before. No list of loaded words is used: the words come from the
//! articles, by their contrast with each other and with news in general. Languages without wording endings in
//! their lexicon get no wording labels.

use std::collections::{BTreeMap, HashMap, HashSet};

use parallax_model::{EntityKind, LabelKind};
use rust_stemmers::Stemmer;

use super::lexicon::{FUNCTION_WORDS, Lexicon};
use super::{Found, Reader, derives_from, tokens};
use crate::compare::UnitView;
use crate::extract::tokenize;

/// The most words in quotation marks that read as a source's choice of words rather than a quotation.
const MAX_SCARE_QUOTE_WORDS: usize = 4;
/// A word of evaluative form in more than this many thousandths of news articles is no choice of wording.
const COMMON_IN_NEWS: u16 = 100;
/// A word of another form (a noun, a base verb) is a choice of wording only when at most this many thousandths of
/// news articles use it ("bluster", "henchmen"): under 1%, which the table does not list.
const RARE_IN_NEWS: u16 = 10;

/// The stems each source uses across its units of the story, by source and language, and how common each stem is
/// in news in general. Only sources writing in one language are compared: a word another language's report lacks
/// is a translation, not a choice.
pub(super) struct Vocabulary {
    by_source: BTreeMap<(usize, String), HashSet<String>>,
    news: HashMap<&'static str, u16>,
}

impl Vocabulary {
    /// The stems of every word of every unit, by source. Units in a language without a lexicon add nothing.
    pub(super) fn of(views: &[UnitView<'_>]) -> Self {
        let mut by_source: BTreeMap<(usize, String), HashSet<String>> = BTreeMap::new();
        for view in views {
            let Some(lex) = Lexicon::of(view.language()) else {
                continue;
            };
            let stemmer = Stemmer::create(lex.stemmer);
            let text = view.article.text.as_str();
            let words = by_source
                .entry((view.source, language_of(view)))
                .or_default();
            for t in tokens(text, view.range.clone(), lex.elision) {
                let word = &text[t.start..t.end];
                if word.starts_with(char::is_alphanumeric) {
                    words.insert(stem(&stemmer, word));
                    // "cease-fire" and "ceasefire" are one word.
                    if word.contains('-') {
                        words.insert(stem(&stemmer, &word.replace('-', "")));
                    }
                }
            }
        }
        let news = views
            .iter()
            .filter_map(|v| Lexicon::of(v.language()))
            .find(|lex| !lex.news_vocabulary.is_empty())
            .map(|lex| parse_news_vocabulary(lex.news_vocabulary))
            .unwrap_or_default();
        Vocabulary { by_source, news }
    }

    /// The thousandths of news articles that use a word of stem `stem` (0 for a word in fewer than 1%).
    fn news_share(&self, stem: &str) -> u16 {
        self.news.get(stem).copied().unwrap_or(0)
    }

    /// True when a source other than `source`, writing in `language`, uses a word of stem `stem`. False when there
    /// is no such source: one source's words are not a choice against anything.
    fn used_elsewhere(&self, (source, language): (usize, &str), stem: &str) -> bool {
        self.by_source
            .iter()
            .any(|((s, l), words)| *s != source && l == language && words.contains(stem))
    }

    fn has_other_source(&self, (source, language): (usize, &str)) -> bool {
        self.by_source
            .keys()
            .any(|(s, l)| *s != source && l == language)
    }
}

/// A unit's language as vocabularies are compared by: its primary code, English when not known (as the lexicon).
fn language_of(view: &UnitView<'_>) -> String {
    let code = view.language().unwrap_or("en");
    code.split(['-', '_']).next().unwrap_or(code).to_lowercase()
}

/// The table of `stem<TAB>thousandths` lines; lines starting with `#` are comments.
fn parse_news_vocabulary(table: &'static str) -> HashMap<&'static str, u16> {
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (stem, share) = l.split_once('\t')?;
            Some((stem, share.trim().parse().ok()?))
        })
        .collect()
}

/// A word as sources are compared by: its stem in lower case, without a possessive.
fn stem(stemmer: &Stemmer, word: &str) -> String {
    let lower = word.to_lowercase().replace('’', "'");
    let bare = lower.strip_suffix("'s").unwrap_or(&lower);
    stemmer.stem(bare).into_owned()
}

/// The source's wording in one unit, each run of chosen words given to its actor. Words inside a label already
/// `found`, or inside a role the extraction found, belong to that label.
pub(super) fn wording(
    view: &UnitView<'_>,
    r: &Reader<'_>,
    vocabulary: &Vocabulary,
    found: &[Found],
) -> Vec<Found> {
    let language = language_of(view);
    let here = (view.source, language.as_str());
    if r.lex.wording_endings.is_empty() || !vocabulary.has_other_source(here) {
        return Vec::new();
    }
    let stemmer = Stemmer::create(r.lex.stemmer);
    let mut taken: Vec<(usize, usize)> = found
        .iter()
        .map(|f| (f.span.start, f.span.end))
        .chain(
            view.extraction
                .roles
                .iter()
                .map(|role| (role.start, role.end)),
        )
        .collect();
    let sentences = tokenize(r.text);
    let actors: Vec<usize> = (0..r.mentions.len())
        .filter(|&m| {
            matches!(
                r.mentions[m].kind,
                EntityKind::Person | EntityKind::Organisation | EntityKind::Place
            )
        })
        .collect();
    let mut out = Vec::new();
    for (first, last) in scare_quotes(r) {
        let (start, end) = (r.tokens[first].start, r.tokens[last].end);
        if taken.iter().any(|&(s, e)| s < end && start < e) {
            continue;
        }
        if let Some(m) = actor_of(r, &sentences, &actors, (first, last)) {
            taken.push((start, end));
            out.push(Found {
                entity: r.mentions[m].entity.clone(),
                kind: LabelKind::Wording,
                span: r.span(first, last),
            });
        }
    }
    let chosen: Vec<bool> = (0..r.tokens.len())
        .map(|i| {
            let w = r.lower(i);
            let t = r.tokens[i];
            r.is_word(i)
                && r.is_lowercase(i)
                && !taken.iter().any(|&(s, e)| s < t.end && t.start < e)
                && r.mention_of[i].is_none()
                && !r.is_stop(i)
                && !FUNCTION_WORDS.contains(&w.as_str())
                && !crate::extract::reports_meeting_or_statement(view.language(), &w)
                && {
                    let stem = stem(&stemmer, r.word(i));
                    let evaluative = (w.contains('-')
                        || r.lex.wording_endings.iter().any(|e| w.ends_with(e)))
                        && !r.lex.not_wording_endings.iter().any(|e| w.ends_with(e));
                    let share = vocabulary.news_share(&stem);
                    // "cease-fire" elsewhere is "ceasefire" here.
                    let joined = w
                        .contains('-')
                        .then(|| self::stem(&stemmer, &w.replace('-', "")));
                    (share <= RARE_IN_NEWS || (evaluative && share <= COMMON_IN_NEWS))
                        && !vocabulary.used_elsewhere(here, &stem)
                        && !joined.is_some_and(|j| vocabulary.used_elsewhere(here, &j))
                }
        })
        .collect();
    let mut i = 0;
    while i < chosen.len() {
        if !chosen[i] {
            i += 1;
            continue;
        }
        let first = i;
        while i + 1 < chosen.len() && chosen[i + 1] {
            i += 1;
        }
        let last = i;
        i += 1;
        let span = r.span(first, last);
        if let Some(m) = actor_of(r, &sentences, &actors, (first, last)) {
            out.push(Found {
                entity: r.mentions[m].entity.clone(),
                kind: LabelKind::Wording,
                span,
            });
        }
    }
    out
}

/// True when words ending at token `last` speak of the actor of mention `m`. A place is an actor only as its state
/// ("the aggressive actions of Israeli authorities", where the name is an adjective) or when the words qualify its
/// name ("the besieged Gaza"); otherwise a place is where something happens, and the words speak of something else
/// ("arrived in Moscow").
fn speaks_of(r: &Reader<'_>, m: usize, last: usize) -> bool {
    let mention = r.mentions[m];
    if mention.kind != EntityKind::Place {
        return true;
    }
    let adjective = r
        .entity(&mention.entity)
        .is_some_and(|e| derives_from(&mention.text, e));
    adjective
        || r.token_range(mention)
            .is_some_and(|(first, _)| first == last + 1)
}

/// The words a source sets in quotation marks inside its own sentence, a few at most ("the so-called “scheme”"):
/// the first and last token, the marks included. The opening mark has a space before it and none after, the
/// closing one the reverse, so the end of one quotation and the start of the next are not read as one.
fn scare_quotes(r: &Reader<'_>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for open in 0..r.tokens.len() {
        if !matches!(r.word(open), "“" | "\"") {
            continue;
        }
        let at = r.tokens[open].start;
        let spaced_before = at == 0 || r.text[..at].ends_with(char::is_whitespace);
        let Some(first) = open.checked_add(1).filter(|&k| k < r.tokens.len()) else {
            continue;
        };
        if !spaced_before || r.tokens[first].start != r.tokens[open].end || !r.is_word(first) {
            continue;
        }
        let mut words = 0;
        for close in first..r.tokens.len().min(first + 2 * MAX_SCARE_QUOTE_WORDS) {
            let w = r.word(close);
            if r.is_word(close) {
                words += 1;
                if words > MAX_SCARE_QUOTE_WORDS {
                    break;
                }
                continue;
            }
            if matches!(w, "”" | "\"") {
                if r.tokens[close].start == r.tokens[close - 1].end && close > first {
                    out.push((open, close));
                }
                break;
            }
            if !matches!(w, "," | "-") {
                break;
            }
        }
    }
    out
}

/// The actor the words of tokens `first..=last` speak of: the actor named nearest to them in their sentence, else
/// the last one named in the sentence before; a place only where it is an actor ([`speaks_of`]).
fn actor_of(
    r: &Reader<'_>,
    sentences: &crate::extract::Tokens,
    actors: &[usize],
    (first, last): (usize, usize),
) -> Option<usize> {
    let at = r.tokens[first].start;
    let s = sentences.sentence_at(at);
    let sentence = &sentences.sentences[s];
    let distance = |m: usize| r.mentions[m].start.abs_diff(at);
    let candidates = || actors.iter().copied().filter(|&m| speaks_of(r, m, last));
    let here = candidates()
        .filter(|&m| r.mentions[m].start >= sentence.start && r.mentions[m].end <= sentence.end)
        .min_by_key(|&m| distance(m));
    here.or_else(|| {
        let before = sentences.sentences.get(s.checked_sub(1)?)?;
        candidates()
            .filter(|&m| r.mentions[m].start >= before.start && r.mentions[m].end <= before.end)
            .max_by_key(|&m| r.mentions[m].start)
    })
}
