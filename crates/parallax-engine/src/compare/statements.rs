//! A unit's statements: its sentences, cut at semicolons where a sentence holds two facts, each marked as news of
//! the event or background from before it.

use std::ops::Range;

use chrono::NaiveDate;
use parallax_model::{EntityId, EventKind, Statement, TextSpan, TimePrecision};

use super::UnitView;
use super::similarity::StatementFeatures;
use crate::extract::tokenize;

/// A statement with what the aligner needs to score it.
#[derive(Debug, Clone)]
pub(crate) struct StoryStatement {
    pub(crate) statement: Statement,
    /// The index of its unit in the comparison's views.
    pub(crate) view: usize,
    pub(crate) features: StatementFeatures,
    /// The interactions it tells, each as its kind and its named actors (sorted): two statements telling the same
    /// meeting between the same people say the same thing, however else they differ.
    pub(crate) events: Vec<(EventKind, Vec<EntityId>)>,
}

/// Days before the story's first report past which a dated sentence tells background, not news of the event: news
/// reports the day before or the day itself, and a weekly's "on Monday" is still the event.
const BACKGROUND_DAYS: i64 = 3;

/// The byte ranges of the statements in `range` of `text`: its sentences, split again at paragraph breaks and at
/// semicolons between two clauses of four words or more. Whitespace is trimmed; nothing is left out but fragments
/// that state nothing (a dateline, an agency tag). A subheading is a statement too: a headline states the claim a
/// source leads with, and another source's headline or sentence may say the same.
pub fn split_statements(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    for sentence in &tokens.sentences {
        if sentence.end <= range.start || sentence.start >= range.end {
            continue;
        }
        let start = sentence.start.max(range.start);
        let end = sentence.end.min(range.end);
        for piece in split_at(text, start..end, "\n\n") {
            for clause in split_clauses(text, piece) {
                let trimmed = trim(text, clause);
                if !trimmed.is_empty() {
                    out.push(trimmed);
                }
            }
        }
    }
    let out = attach_quote_marks(text, out);
    out.into_iter()
        .filter(|r| !is_fragment(&text[r.clone()]))
        .collect()
}

/// True for a quotation mark that opens a quote.
fn opens_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '«' | '„' | '‘')
}

/// The sentence splitter leaves an opening quotation mark at the end of the sentence before it (`... Palestine. "`)
/// or alone at a paragraph's start: move it to the statement it opens, so each statement is quoted as printed.
fn attach_quote_marks(text: &str, pieces: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(pieces.len());
    let mut carry: Option<usize> = None;
    for mut piece in pieces {
        if let Some(start) = carry.take() {
            piece.start = start;
        }
        let body = &text[piece.clone()];
        if !body.chars().any(char::is_alphanumeric) {
            // Punctuation alone opens the next statement.
            carry = Some(piece.start);
            continue;
        }
        if let Some(last) = body.chars().last()
            && opens_quote(last)
            && body[..body.len() - last.len_utf8()].ends_with(char::is_whitespace)
            && body.matches(last).count() % 2 == 1
        {
            carry = Some(piece.end - last.len_utf8());
            piece.end = trim(text, piece.start..piece.end - last.len_utf8()).end;
        }
        out.push(piece);
    }
    out
}

/// A piece that states nothing: a dateline ("MOSCOW, October 27."), an agency tag ("/TASS/."), a lone word. In a
/// cased script a statement has a lower-case word of three letters or more.
pub(crate) fn is_fragment(piece: &str) -> bool {
    let words: Vec<&str> = piece
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    if words.len() < 2 {
        return true;
    }
    let cased = piece.chars().any(|c| c.is_lowercase() || c.is_uppercase());
    cased
        && !words.iter().any(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            letters.len() >= 3 && letters.iter().all(|c| c.is_lowercase())
        })
}

fn split_at(text: &str, range: Range<usize>, separator: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (at, _) in text[range.clone()].match_indices(separator) {
        out.push(start..range.start + at);
        start = range.start + at + separator.len();
    }
    out.push(start..range.end);
    out
}

/// Clauses joined by a semicolon, when each side is a clause of its own (four words or more).
fn split_clauses(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let pieces = split_at(text, range.clone(), "; ");
    if pieces.len() < 2
        || pieces
            .iter()
            .any(|p| text[p.clone()].split_whitespace().count() < 4)
    {
        return vec![range];
    }
    // Keep the semicolon with the clause before it, so the spans tile the sentence as printed.
    pieces
        .into_iter()
        .map(|p| {
            if p.end < range.end {
                p.start..p.end + 1
            } else {
                p
            }
        })
        .collect()
}

fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.end - (piece.len() - piece.trim_end().len());
    if start >= end {
        start..start
    } else {
        start..end
    }
}

/// The last day a dated expression can mean, for the precisions that name a stretch of the calendar.
fn last_day(value: &str, precision: TimePrecision) -> Option<NaiveDate> {
    let year: i32 = value.get(..4)?.parse().ok()?;
    match precision {
        TimePrecision::Year | TimePrecision::Season | TimePrecision::Quarter => {
            NaiveDate::from_ymd_opt(year, 12, 31)
        }
        TimePrecision::Month | TimePrecision::Week => {
            let month: u32 = value.get(5..7)?.parse().ok()?;
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)?
            };
            next.pred_opt()
        }
        TimePrecision::Day | TimePrecision::PartOfDay | TimePrecision::Minute => {
            NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()
        }
        _ => None,
    }
}

/// Every statement of every unit, with background marked against the story's first publication day.
pub(crate) fn story_statements(views: &[UnitView<'_>]) -> Vec<StoryStatement> {
    let first_day = views
        .iter()
        .filter_map(|v| v.article.date.map(|d| d.day()))
        .min();
    let mut out = Vec::new();
    for (index, view) in views.iter().enumerate() {
        let text = view.article.text.as_str();
        let mut background_paragraph: Option<usize> = None;
        for range in split_statements(text, view.range.clone()) {
            let paragraph = text[..range.start].matches("\n\n").count();
            let dates: Vec<NaiveDate> = view
                .extraction
                .times
                .iter()
                .filter(|t| t.start >= range.start && t.end <= range.end)
                .filter_map(|t| last_day(&t.value, t.precision))
                .collect();
            let background = match first_day {
                Some(first) if !dates.is_empty() => {
                    let old = dates
                        .iter()
                        .all(|d| (first - *d).num_days() > BACKGROUND_DAYS);
                    if old {
                        background_paragraph = Some(paragraph);
                    } else if background_paragraph == Some(paragraph) {
                        background_paragraph = None;
                    }
                    old
                }
                // An undated sentence that follows background in the same paragraph goes on telling it.
                _ => background_paragraph == Some(paragraph),
            };
            let span = TextSpan::of(text, range.start, range.end);
            let mut features = StatementFeatures::new(&span.text, view.language());
            if let Some(vector) = view.vectors.and_then(|v| v.get(range.clone())) {
                features = features.with_vector(vector);
            }
            let events = view
                .extraction
                .events
                .iter()
                .filter(|e| e.kind != EventKind::Statement)
                .filter(|e| e.trigger.start >= range.start && e.trigger.end <= range.end)
                .filter_map(|e| {
                    let mut actors: Vec<EntityId> =
                        e.actors.iter().map(|a| a.entity.clone()).collect();
                    actors.sort_unstable();
                    actors.dedup();
                    (actors.len() >= 2).then_some((e.kind, actors))
                })
                .collect();
            out.push(StoryStatement {
                statement: Statement {
                    source: view.source,
                    unit: view.unit.clone(),
                    span,
                    background,
                    only_here: Vec::new(),
                },
                view: index,
                features,
                events,
            });
        }
    }
    out
}
