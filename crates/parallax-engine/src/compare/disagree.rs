//! Disagreements: the same slot given different values by different sources (a count, the date or place of an
//! event, a person's title), and updates, where later reports change a count.

use std::collections::BTreeMap;

use parallax_model::{
    Disagreement, EntityId, EventKind, SlotKind, SlotValue, StatementGroup, TextSpan,
};

use super::UnitView;
use super::framing::label_key;
use super::statements::StoryStatement;
use crate::cluster::terms::{Analyzer, tokens};
use crate::extract::tokenize;

/// A count a statement gives: the number, the word it counts, and where the number is.
struct Count {
    value: f64,
    counted: String,
    start: usize,
    end: usize,
}

fn parse_number(word: &str) -> Option<f64> {
    let plain = if word.contains(',') && word.split(',').skip(1).all(|g| g.len() == 3) {
        word.replace(',', "")
    } else {
        word.replace(',', ".")
    };
    plain.parse().ok()
}

fn scale(word: &str) -> Option<f64> {
    match word {
        "thousand" | "mil" | "tausend" => Some(1e3),
        "million" | "millions" | "millón" | "millones" | "millionen" | "mio" => Some(1e6),
        "billion" | "billions" | "milliard" | "milliards" | "milliarde" | "milliarden" => Some(1e9),
        _ => None,
    }
}

/// The counts in a statement: a number (not a year) and the first content word after it, within three words.
fn counts(statement: &StoryStatement, language: Option<&str>) -> Vec<Count> {
    let analyzer = Analyzer::for_language(language);
    let text = &statement.statement.span.text;
    let base = statement.statement.span.start;
    let words = tokens(text);
    let mut out = Vec::new();
    for (i, token) in words.iter().enumerate() {
        let Some(mut value) = parse_number(token.text) else {
            continue;
        };
        let year_like = token.text.len() == 4 && (1800.0..=2100.0).contains(&value);
        if year_like || token.text.contains(':') {
            continue;
        }
        let start = token.text.as_ptr() as usize - text.as_ptr() as usize;
        let mut end = start + token.text.len();
        let mut counted = None;
        for next in words.iter().skip(i + 1).take(3) {
            if next.after_break {
                break;
            }
            let lower = next.text.to_lowercase();
            if let Some(factor) = scale(&lower) {
                value *= factor;
                end = next.text.as_ptr() as usize - text.as_ptr() as usize + next.text.len();
                continue;
            }
            if parse_number(next.text).is_some() {
                break;
            }
            if let Some(term) = analyzer.term(&lower) {
                counted = Some(term);
                break;
            }
        }
        if let Some(counted) = counted {
            out.push(Count {
                value,
                counted,
                start: base + start,
                end: base + end,
            });
        }
    }
    out
}

fn sentence_span(view: &UnitView<'_>, start: usize) -> TextSpan {
    let text = view.article.text.as_str();
    let tokens = tokenize(text);
    let sentence = &tokens.sentences[tokens.sentence_at(start)];
    TextSpan::of(text, sentence.start.min(start), sentence.end.max(start))
}

/// Counts of one thing given differently by sources whose statements were aligned as saying the same thing.
fn count_disagreements(
    views: &[UnitView<'_>],
    groups: &[StatementGroup],
    statements: &[StoryStatement],
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let index: BTreeMap<(&str, usize), &StoryStatement> = statements
        .iter()
        .map(|s| {
            (
                (s.statement.unit.article.0.as_str(), s.statement.span.start),
                s,
            )
        })
        .collect();
    for group in groups.iter().filter(|g| g.sources.len() > 1) {
        // counted word -> values by statement
        let mut by_counted: BTreeMap<String, Vec<SlotValue>> = BTreeMap::new();
        for statement in &group.statements {
            let Some(found) = index.get(&(statement.unit.article.0.as_str(), statement.span.start))
            else {
                continue;
            };
            let view = &views[found.view];
            for count in counts(found, view.language()) {
                let text = view.article.text.as_str();
                by_counted
                    .entry(count.counted)
                    .or_default()
                    .push(SlotValue {
                        source: statement.source,
                        unit: statement.unit.clone(),
                        value: format_number(count.value),
                        span: TextSpan::of(text, count.start, count.end),
                        sentence: statement.span.clone(),
                        date: view.article.date,
                    });
            }
        }
        for (counted, mut values) in by_counted {
            let mut distinct: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let sources: std::collections::BTreeSet<usize> =
                values.iter().map(|v| v.source).collect();
            if distinct.len() < 2 || sources.len() < 2 {
                continue;
            }
            values.sort_by_key(|v| (v.date.is_none(), v.date));
            let update = is_update(&values);
            out.push(Disagreement {
                slot: parallax_model::SlotKind::Count,
                subject: counted,
                update,
                values,
            });
        }
    }
    out
}

/// Values in publication order that only grow, and were published on different days: an update, not a dispute.
fn is_update(values: &[SlotValue]) -> bool {
    let numbers: Vec<(f64, Option<chrono::NaiveDate>)> = values
        .iter()
        .map(|v| (v.value.parse().unwrap_or(0.0), v.date.map(|d| d.day())))
        .collect();
    numbers.iter().all(|(_, d)| d.is_some())
        && numbers.windows(2).all(|w| w[1].0 >= w[0].0)
        && numbers.first().map(|f| f.1) != numbers.last().map(|l| l.1)
}

fn format_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The same meeting (or other event between the same actors) dated or placed differently by different sources.
fn event_disagreements(views: &[UnitView<'_>]) -> Vec<Disagreement> {
    struct Told<'a> {
        view: &'a UnitView<'a>,
        kind: EventKind,
        actors: Vec<&'a EntityId>,
        date: Option<&'a str>,
        place: Option<&'a EntityId>,
        trigger: &'a TextSpan,
        start: usize,
        end: usize,
    }
    let mut told: Vec<Told<'_>> = Vec::new();
    for view in views {
        for event in view
            .extraction
            .events
            .iter()
            .filter(|e| view.holds(e.start, e.end))
        {
            let mut actors: Vec<&EntityId> = event.actors.iter().map(|a| &a.entity).collect();
            actors.sort_unstable();
            actors.dedup();
            if actors.len() < 2 {
                continue;
            }
            told.push(Told {
                view,
                kind: event.kind,
                actors,
                date: event.date.as_deref().filter(|d| d.len() >= 10),
                place: event.place.as_ref(),
                trigger: &event.trigger,
                start: event.start,
                end: event.end,
            });
        }
    }
    let mut out = Vec::new();
    let name = |view: &UnitView<'_>, id: &EntityId| {
        view.extraction
            .entities
            .iter()
            .find(|e| &e.id == id)
            .map_or_else(|| id.0.clone(), |e| e.name.clone())
    };
    for (slot, pick) in [(SlotKind::Date, 0usize), (SlotKind::Place, 1usize)] {
        let mut seen: Vec<(EventKind, Vec<&EntityId>)> = Vec::new();
        for (i, a) in told.iter().enumerate() {
            let value_of = |t: &Told<'_>| -> Option<String> {
                if pick == 0 {
                    t.date.map(|d| d[..10].to_owned())
                } else {
                    t.place.map(|p| name(t.view, p))
                }
            };
            let Some(a_value) = value_of(a) else { continue };
            if seen
                .iter()
                .any(|(k, actors)| *k == a.kind && *actors == a.actors)
            {
                continue;
            }
            let same: Vec<&Told<'_>> = told[i..]
                .iter()
                .filter(|b| b.kind == a.kind && b.actors == a.actors && value_of(b).is_some())
                .collect();
            let mut values: Vec<String> = same.iter().filter_map(|b| value_of(b)).collect();
            values.sort_unstable();
            values.dedup();
            let sources: std::collections::BTreeSet<usize> =
                same.iter().map(|b| b.view.source).collect();
            seen.push((a.kind, a.actors.clone()));
            if values.len() < 2 || sources.len() < 2 {
                continue;
            }
            let _ = &a_value;
            let subject = format!(
                "{} ({})",
                a.trigger.text,
                a.actors
                    .iter()
                    .map(|id| name(a.view, id))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            out.push(Disagreement {
                slot,
                subject,
                update: false,
                values: same
                    .iter()
                    .map(|b| {
                        let text = b.view.article.text.as_str();
                        SlotValue {
                            source: b.view.source,
                            unit: b.view.unit.clone(),
                            value: value_of(b).unwrap_or_default(),
                            span: b.trigger.clone(),
                            sentence: TextSpan::of(text, b.start, b.end),
                            date: b.view.article.date,
                        }
                    })
                    .collect(),
            });
        }
    }
    out
}

/// A person given titles by two or more sources with no title in common.
fn title_disagreements(views: &[UnitView<'_>]) -> Vec<Disagreement> {
    let mut by_person: BTreeMap<&EntityId, Vec<(usize, &UnitView<'_>, &parallax_model::Role)>> =
        BTreeMap::new();
    for view in views {
        for role in view
            .extraction
            .roles
            .iter()
            .filter(|r| view.holds(r.start, r.end))
        {
            by_person
                .entry(&role.person)
                .or_default()
                .push((view.source, view, role));
        }
    }
    let mut out = Vec::new();
    for (person, roles) in by_person {
        let mut keys: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (source, _, role) in &roles {
            keys.entry(*source)
                .or_default()
                .push(label_key(&role.title));
        }
        if keys.len() < 2 {
            continue;
        }
        let shared = keys.values().any(|mine| {
            mine.iter()
                .any(|k| keys.values().filter(|other| other.contains(k)).count() == keys.len())
        });
        if shared {
            continue;
        }
        let (_, view, _) = roles[0];
        let subject = view
            .extraction
            .entities
            .iter()
            .find(|e| &e.id == person)
            .map_or_else(|| person.0.clone(), |e| e.name.clone());
        out.push(Disagreement {
            slot: SlotKind::Title,
            subject,
            update: false,
            values: roles
                .iter()
                .map(|(source, view, role)| SlotValue {
                    source: *source,
                    unit: view.unit.clone(),
                    value: role.title.clone(),
                    span: TextSpan::of(&view.article.text, role.start, role.end),
                    sentence: sentence_span(view, role.start),
                    date: view.article.date,
                })
                .collect(),
        });
    }
    out
}

pub(crate) fn disagreements(
    views: &[UnitView<'_>],
    groups: &[StatementGroup],
    statements: &[StoryStatement],
) -> Vec<Disagreement> {
    let mut out = count_disagreements(views, groups, statements);
    out.extend(event_disagreements(views));
    out.extend(title_disagreements(views));
    out
}
