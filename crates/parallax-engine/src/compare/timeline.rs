//! The story's timeline: every dated thing the sources tell, in calendar order, each with the words that date it
//! and the sentence that says what happened, and each source's first publication.

use std::collections::{BTreeMap, HashMap};

use parallax_model::{
    SourceCoverage, StatementGroup, StoryUnit, TextSpan, TimeExpr, TimePrecision, TimeType,
    TimelineEntry, TimelineMention,
};

use super::UnitView;
use super::dates::display_date;
use super::statements::is_fragment;
use crate::extract::tokenize;

/// True for precisions that place something on the calendar.
fn on_calendar(time: &TimeExpr) -> bool {
    matches!(time.kind, TimeType::Date | TimeType::Time)
        && !matches!(
            time.precision,
            TimePrecision::None | TimePrecision::Century | TimePrecision::Decade
        )
        && time
            .value
            .get(..4)
            .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
}

/// The key an expression is filed under: its day for day precision and finer, else its value.
fn key(time: &TimeExpr) -> (String, TimePrecision) {
    match time.precision {
        TimePrecision::Day | TimePrecision::PartOfDay | TimePrecision::Minute => (
            time.value.get(..10).unwrap_or(&time.value).to_owned(),
            TimePrecision::Day,
        ),
        precision => (time.value.clone(), precision),
    }
}

/// The sources, other than `source`, whose statements aligned with the one holding `start..end` give no date of the
/// same key.
fn undated_in(
    views: &[UnitView<'_>],
    view_of: &HashMap<&StoryUnit, usize>,
    groups: &[StatementGroup],
    group_at: &BTreeMap<(&StoryUnit, usize), usize>,
    unit: &StoryUnit,
    (start, end): (usize, usize),
    key_of: &str,
) -> Vec<usize> {
    let Some(group) = group_at
        .range(..=(unit, start))
        .next_back()
        .filter(|((u, _), _)| *u == unit)
        .map(|(_, &g)| &groups[g])
        .filter(|g| {
            g.statements
                .iter()
                .any(|s| s.unit == *unit && s.span.start <= start && end <= s.span.end)
        })
    else {
        return Vec::new();
    };
    let source = group
        .statements
        .iter()
        .find(|s| s.unit == *unit)
        .map(|s| s.source);
    let mut out: Vec<usize> = group
        .statements
        .iter()
        .filter(|s| Some(s.source) != source)
        .filter(|s| {
            let Some(view) = view_of.get(&s.unit).map(|&v| &views[v]) else {
                return false;
            };
            !view.extraction.times.iter().any(|t| {
                t.start >= s.span.start
                    && t.end <= s.span.end
                    && on_calendar(t)
                    && key(t).0 == key_of
            })
        })
        .map(|s| s.source)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

pub(crate) fn timeline(
    views: &[UnitView<'_>],
    sources: &[SourceCoverage],
    groups: &[StatementGroup],
) -> Vec<TimelineEntry> {
    let view_of: HashMap<&StoryUnit, usize> = views
        .iter()
        .enumerate()
        .map(|(i, v)| (&v.unit, i))
        .collect();
    // Where each statement of an aligned group starts, to find the group of a dated expression.
    let group_at: BTreeMap<(&StoryUnit, usize), usize> = groups
        .iter()
        .enumerate()
        .filter(|(_, group)| group.statements.len() > 1)
        .flat_map(|(g, group)| {
            group
                .statements
                .iter()
                .map(move |s| ((&s.unit, s.span.start), g))
        })
        .collect();
    // value -> (precision, finest values seen, mentions)
    let mut entries: BTreeMap<String, (TimePrecision, Vec<String>, Vec<TimelineMention>)> =
        BTreeMap::new();
    for view in views {
        let text = view.article.text.as_str();
        let tokens = tokenize(text);
        for time in view
            .extraction
            .times
            .iter()
            .filter(|t| view.holds(t.start, t.end))
        {
            if !on_calendar(time) {
                continue;
            }
            let sentence = &tokens.sentences[tokens.sentence_at(time.start)];
            let (start, end) = (
                sentence.start.max(view.range.start).min(time.start),
                sentence.end.min(view.range.end).max(time.end),
            );
            // A dateline ("MOSCOW, October 27.") dates the report, which the timeline shows as its publication.
            if is_fragment(&text[start..end]) {
                continue;
            }
            let (value, precision) = key(time);
            let undated_in = undated_in(
                views,
                &view_of,
                groups,
                &group_at,
                &view.unit,
                (time.start, time.end),
                &value,
            );
            let entry = entries
                .entry(value)
                .or_insert_with(|| (precision, Vec::new(), Vec::new()));
            entry.1.push(time.value.clone());
            entry.2.push(TimelineMention {
                source: view.source,
                unit: view.unit.clone(),
                expression: TextSpan::of(text, time.start, time.end),
                sentence: TextSpan::of(text, start, end),
                relative: time.relative,
                undated_in,
            });
        }
    }
    let mut out: Vec<TimelineEntry> = entries
        .into_iter()
        .map(|(value, (precision, finest, mentions))| {
            // One finer value given by every mention ("Thursday night" each time) is shown as given.
            let shown = if finest.iter().all(|f| *f == finest[0]) {
                display_date(&finest[0])
            } else {
                display_date(&value)
            };
            let mut sources: Vec<usize> = mentions.iter().map(|m| m.source).collect();
            sources.sort_unstable();
            sources.dedup();
            TimelineEntry {
                value,
                precision,
                display: shown,
                publication: false,
                sources,
                mentions,
            }
        })
        .collect();
    // Each source's first report, as its own entry after the events of that day.
    let mut published: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, source) in sources.iter().enumerate() {
        if let Some(date) = source.first_date {
            published.entry(date.day().to_string()).or_default().push(i);
        }
    }
    for (day, sources) in published {
        out.push(TimelineEntry {
            display: display_date(&day),
            value: day,
            precision: TimePrecision::Day,
            publication: true,
            sources,
            mentions: Vec::new(),
        });
    }
    out.sort_by(|a, b| {
        a.value
            .cmp(&b.value)
            .then(a.publication.cmp(&b.publication))
    });
    out
}
