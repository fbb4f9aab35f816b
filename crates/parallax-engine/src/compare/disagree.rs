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

/// A count a statement gives: the number, the slot it fills, and where the number is.
struct Count {
    value: f64,
    /// A casualty slot (`dead`, `injured`, `missing`, `displaced`), or the stem of the counted word.
    counted: String,
    /// True for a casualty slot, compared across the whole story; other counts only within aligned statements.
    casualty: bool,
    start: usize,
    end: usize,
}

fn parse_number(word: &str) -> Option<f64> {
    if let Some(n) = word_number(&word.to_lowercase()) {
        return Some(n);
    }
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "2,500" and "2.500" (a thousands separator) are 2500; "6,4" and "6.4" are decimals.
    let groups: Vec<&str> = word.split([',', '.']).collect();
    let plain = if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) {
        groups.concat()
    } else {
        word.replace(',', ".")
    };
    plain.parse().ok()
}

/// Small numbers written as words, in the languages news is most often compared in.
fn word_number(lower: &str) -> Option<f64> {
    const WORDS: &[(&str, f64)] = &[
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("thirteen", 13.0),
        ("fourteen", 14.0),
        ("fifteen", 15.0),
        ("sixteen", 16.0),
        ("seventeen", 17.0),
        ("eighteen", 18.0),
        ("nineteen", 19.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
        ("fifty", 50.0),
        ("hundred", 100.0),
        ("dozen", 12.0),
        ("dozens", 24.0),
        ("dos", 2.0),
        ("tres", 3.0),
        ("cuatro", 4.0),
        ("cinco", 5.0),
        ("seis", 6.0),
        ("siete", 7.0),
        ("ocho", 8.0),
        ("nueve", 9.0),
        ("diez", 10.0),
        ("doce", 12.0),
        ("veinte", 20.0),
        ("deux", 2.0),
        ("trois", 3.0),
        ("quatre", 4.0),
        ("cinq", 5.0),
        ("sept", 7.0),
        ("huit", 8.0),
        ("neuf", 9.0),
        ("dix", 10.0),
        ("douze", 12.0),
        ("vingt", 20.0),
        ("zwei", 2.0),
        ("drei", 3.0),
        ("vier", 4.0),
        ("fünf", 5.0),
        ("sechs", 6.0),
        ("sieben", 7.0),
        ("acht", 8.0),
        ("neun", 9.0),
        ("zehn", 10.0),
        ("zwölf", 12.0),
        ("zwanzig", 20.0),
    ];
    WORDS.iter().find(|(w, _)| *w == lower).map(|(_, n)| *n)
}

fn scale(word: &str) -> Option<f64> {
    match word {
        "thousand" | "mil" | "tausend" => Some(1e3),
        "million" | "millions" | "millón" | "millones" | "millionen" | "mio" => Some(1e6),
        "billion" | "billions" | "milliard" | "milliards" | "milliarde" | "milliarden" => Some(1e9),
        _ => None,
    }
}

/// The casualty slot a word names, in the languages the clusterer stems most: counts of the dead, the injured,
/// the missing and the displaced are what reports of one disaster update and dispute most, in every language.
fn casualty_slot(lower: &str) -> Option<&'static str> {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
    if starts(&[
        "dead", "death", "died", "killed", "killing", "toll", "fatalit", "muert", "muri",
        "fallecid", "mort", "tué", "décéd", "tote", "toten", "getötet", "morti", "mortos", "uccis",
    ]) {
        Some("dead")
    } else if starts(&[
        "injur",
        "wound",
        "herid",
        "lesionad",
        "blessé",
        "verletz",
        "verwundet",
        "ferit",
        "ferid",
    ]) {
        Some("injured")
    } else if starts(&["missing", "desaparecid", "disparu", "vermisst", "dispers"]) {
        Some("missing")
    } else if starts(&[
        "displaced",
        "evacuat",
        "homeless",
        "albergue",
        "evacuad",
        "sinistr",
        "évacu",
        "obdachlos",
    ]) {
        Some("displaced")
    } else {
        None
    }
}

/// True for a counted word that a casualty count may count: people, or the casualty word itself ("19 morts").
fn counts_people(stem: &str) -> bool {
    casualty_slot(stem).is_some()
        || [
            "peopl", "person", "resident", "civilian", "child", "soldier", "worker", "victim",
            "passeng", "mensch", "habitant", "vecin", "individu", "adult", "student", "miner",
            "fisherm", "villag",
        ]
        .iter()
        .any(|p| stem.starts_with(p))
}

/// How many words around a number may name the casualty slot it counts ("twelve people were killed", "a death
/// toll of 19", "la cifra de fallecidos ascendió a 21").
const SLOT_WINDOW: usize = 5;

/// The counts in a statement: a number (not a year, not a time of day) with the casualty slot named near it in
/// its clause, or else the first content word after it, within three words.
fn counts(statement: &StoryStatement, language: Option<&str>) -> Vec<Count> {
    let analyzer = Analyzer::for_language(language);
    let text = &statement.statement.span.text;
    let base = statement.statement.span.start;
    let words = tokens(text);
    let offset = |t: &str| t.as_ptr() as usize - text.as_ptr() as usize;
    let mut out = Vec::new();
    for (i, token) in words.iter().enumerate() {
        let Some(mut value) = parse_number(token.text) else {
            continue;
        };
        let start = offset(token.text);
        let mut end = start + token.text.len();
        let year_like = token.text.len() == 4 && (1800.0..=2100.0).contains(&value);
        let clock = text[..start].ends_with(':') || text[end..].starts_with(':');
        if year_like || clock {
            continue;
        }
        let mut counted = None;
        for next in words.iter().skip(i + 1).take(4) {
            if next.after_break {
                break;
            }
            let lower = next.text.to_lowercase();
            if let Some(factor) = scale(&lower) {
                value *= factor;
                end = offset(next.text) + next.text.len();
                continue;
            }
            // "68 of the 150 seats": both numbers count the seats.
            if parse_number(next.text).is_some() {
                continue;
            }
            if let Some(term) = analyzer.term(&lower) {
                counted = Some(term);
                break;
            }
        }
        // The nearest casualty word in the clause, after the number first ("12 people were killed"), then before
        // it ("killing 12", "death toll rose to 19").
        let mut slot = None;
        for next in words.iter().skip(i + 1).take(SLOT_WINDOW) {
            // A clause ends at punctuation past the number's own words ("19, officials say" stops at the comma).
            if next.after_break && offset(next.text) > end + 2 {
                break;
            }
            if let Some(found) = casualty_slot(&next.text.to_lowercase()) {
                slot = Some(found);
                break;
            }
        }
        if slot.is_none() {
            for back in (i.saturating_sub(SLOT_WINDOW)..i).rev() {
                if let Some(found) = casualty_slot(&words[back].text.to_lowercase()) {
                    slot = Some(found);
                    break;
                }
                if words[back + 1].after_break {
                    break;
                }
            }
        }
        // "6.4 earthquake", "30 buildings": a number that counts something else is no casualty figure.
        if counted.as_deref().is_some_and(|c| !counts_people(c)) {
            slot = None;
        }
        let (counted, casualty) = match (slot, counted) {
            (Some(slot), _) => (slot.to_owned(), true),
            (None, Some(term)) => (term, false),
            (None, None) => continue,
        };
        out.push(Count {
            value,
            counted,
            casualty,
            start: base + start,
            end: base + end,
        });
    }
    out
}

fn sentence_span(view: &UnitView<'_>, start: usize) -> TextSpan {
    let text = view.article.text.as_str();
    let tokens = tokenize(text);
    let sentence = &tokens.sentences[tokens.sentence_at(start)];
    TextSpan::of(text, sentence.start.min(start), sentence.end.max(start))
}

/// Counts given differently by different sources: casualty counts anywhere in the story's news (not its
/// background), other counts within statements aligned as saying the same thing. Sources differ only when their
/// values for the slot have none in common (one says 12 and 22 km, another 22 km: no dispute).
fn count_disagreements(
    views: &[UnitView<'_>],
    groups: &[StatementGroup],
    statements: &[StoryStatement],
) -> Vec<Disagreement> {
    let index: BTreeMap<(&str, usize), &StoryStatement> = statements
        .iter()
        .map(|s| {
            (
                (s.statement.unit.article.0.as_str(), s.statement.span.start),
                s,
            )
        })
        .collect();
    let value_of = |found: &StoryStatement, count: &Count| {
        let view = &views[found.view];
        SlotValue {
            source: found.statement.source,
            unit: found.statement.unit.clone(),
            value: format_number(count.value),
            span: TextSpan::of(&view.article.text, count.start, count.end),
            sentence: found.statement.span.clone(),
            date: view.article.date,
        }
    };
    // One list of values per slot: casualty slots story-wide, other counts per aligned group.
    let mut slots: Vec<(String, bool, Vec<SlotValue>)> = Vec::new();
    let mut casualties: BTreeMap<String, Vec<SlotValue>> = BTreeMap::new();
    for found in statements.iter().filter(|s| !s.statement.background) {
        for count in counts(found, views[found.view].language())
            .into_iter()
            .filter(|c| c.casualty)
        {
            casualties
                .entry(count.counted.clone())
                .or_default()
                .push(value_of(found, &count));
        }
    }
    slots.extend(casualties.into_iter().map(|(k, v)| (k, true, v)));
    for group in groups.iter().filter(|g| g.sources.len() > 1) {
        let mut by_counted: BTreeMap<String, Vec<SlotValue>> = BTreeMap::new();
        for statement in &group.statements {
            let Some(found) = index.get(&(statement.unit.article.0.as_str(), statement.span.start))
            else {
                continue;
            };
            // Other counts are compared within one language: a stem shared across languages ("minut") does not
            // make "eight minutes into extra time" and "a los 112 minutos" one slot.
            let language = views[found.view].language().unwrap_or("");
            for count in counts(found, views[found.view].language())
                .into_iter()
                .filter(|c| !c.casualty)
            {
                let key = format!("{} ({language})", count.counted);
                by_counted
                    .entry(key)
                    .or_default()
                    .push(value_of(found, &count));
            }
        }
        slots.extend(by_counted.into_iter().map(|(k, v)| (k, false, v)));
    }
    let mut out = Vec::new();
    for (counted, casualty, mut values) in slots {
        let mut per_source: BTreeMap<usize, std::collections::BTreeSet<&str>> = BTreeMap::new();
        for v in &values {
            per_source
                .entry(v.source)
                .or_default()
                .insert(v.value.as_str());
        }
        let sets: Vec<&std::collections::BTreeSet<&str>> = per_source.values().collect();
        let disputed = sets.len() >= 2
            && sets
                .iter()
                .enumerate()
                .any(|(i, a)| sets[i + 1..].iter().any(|b| a.is_disjoint(b)));
        if !disputed {
            continue;
        }
        values.sort_by_key(|v| (v.date.is_none(), v.date.map(|d| d.day()), v.date));
        let update = is_update(&values, casualty);
        out.push(Disagreement {
            slot: SlotKind::Count,
            subject: counted,
            update,
            values,
        });
    }
    out
}

/// Values that change from one publication day to the next, with no two sources disputing the value of one day:
/// an update told in time order (a rising death toll, a queue of ships that shrinks), not a contradiction.
///
/// A casualty count is revised upward as reports come in: one that never falls from one day to the next is an
/// update even where two sources give different figures on one day (the earlier report the lower one).
fn is_update(values: &[SlotValue], casualty: bool) -> bool {
    let mut days: BTreeMap<chrono::NaiveDate, BTreeMap<usize, std::collections::BTreeSet<&str>>> =
        BTreeMap::new();
    for v in values {
        let Some(day) = v.date.map(|d| d.day()) else {
            return false;
        };
        days.entry(day)
            .or_default()
            .entry(v.source)
            .or_default()
            .insert(v.value.as_str());
    }
    let same_day_dispute = days.values().any(|by_source| {
        let sets: Vec<_> = by_source.values().collect();
        sets.iter()
            .enumerate()
            .any(|(i, a)| sets[i + 1..].iter().any(|b| a.is_disjoint(b)))
    });
    if casualty {
        let highest: Vec<f64> = days
            .values()
            .map(|by_source| {
                by_source
                    .values()
                    .flatten()
                    .filter_map(|v| v.parse::<f64>().ok())
                    .fold(0.0, f64::max)
            })
            .collect();
        return days.len() > 1 && highest.windows(2).all(|w| w[1] >= w[0]);
    }
    days.len() > 1 && !same_day_dispute
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

/// Words that set one office apart from another of the same name: a deputy minister is not the minister.
const RANK_WORDS: &[&str] = &[
    "deputy",
    "vice",
    "acting",
    "former",
    "interim",
    "chief",
    "senior",
    "assistant",
    "first",
    "second",
    "junior",
    "adjunto",
    "vice-",
    "adjoint",
    "stellvertretender",
    "ehemalige",
    "ehemaliger",
    "ex",
];

/// The head word of a title ("minister" in "deputy foreign minister for political affairs") and its words.
fn title_words(title: &str) -> (String, Vec<String>) {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let before_complement = words
        .iter()
        .position(|w| {
            matches!(
                w.as_str(),
                "of" | "for" | "at" | "in" | "de" | "du" | "des" | "der" | "für"
            )
        })
        .unwrap_or(words.len());
    let head = words[..before_complement]
        .last()
        .cloned()
        .unwrap_or_default();
    (head, words)
}

/// Two titles for one office that differ in rank ("deputy foreign minister" against "foreign minister"), in one
/// language and each of two words or more (a lone "minister" is a title cut short, not a claim).
fn ranks_differ(a: &str, b: &str) -> bool {
    let ((head_a, words_a), (head_b, words_b)) = (title_words(a), title_words(b));
    if head_a.is_empty() || head_a != head_b || words_a.len() < 2 || words_b.len() < 2 {
        return false;
    }
    let rank = |words: &[String]| -> Vec<String> {
        words
            .iter()
            .filter(|w| RANK_WORDS.contains(&w.as_str()))
            .cloned()
            .collect()
    };
    rank(&words_a) != rank(&words_b)
}

/// A person whose title differs in rank between two sources writing in one language, where no title of one
/// source is also given by the other.
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
        let disputed = roles.iter().any(|(sa, va, ra)| {
            roles.iter().any(|(sb, vb, rb)| {
                sa < sb
                    && va.language() == vb.language()
                    && ranks_differ(&ra.title, &rb.title)
                    && !roles
                        .iter()
                        .any(|(sc, _, rc)| sc == sb && label_key(&rc.title) == label_key(&ra.title))
            })
        });
        if !disputed {
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
