//! Temporal expressions: find them and resolve them to TimeML values against the publication date.
//!
//! The tagger is a set of hand-written rules in the manner of HeidelTime: each rule is a regular expression over
//! the text with a resolver that turns the match into a TimeML type and value. Every rule scans the text once
//! (the `regex` crate guarantees time linear in the input), overlapping matches keep the longest, and a last pass
//! joins a time of day to an adjacent date ("10 a.m. Thursday"). The work per match is bounded (the tense window
//! below is capped), so the whole pass is linear in the length of the article. Word boundaries are ASCII
//! (`(?-u:\b)`): Unicode ones cannot run on the regex crate's DFA and made the tagger thirty times slower on text
//! with curly quotes.
//!
//! # The rules
//!
//! The anchor is the article's publication date. Expressions that need it are marked `relative`; without an
//! anchor their unknown digits are written as `X` ("XXXX-10-23").
//!
//! - **Absolute dates** keep what they say: "October 27, 2023" is `2023-10-27` (day), "December 2021" is
//!   `2021-12` (month), "1990" is `1990` (year), "the 1990s" is `199` (decade), "the third quarter of 1989" is
//!   `1989-Q3`, "summer 2021" is `2021-SU`, "2023-10-27" and "10/27/2023" are days.
//! - **A month and day without a year** ("October 23") takes the year that puts it nearest the anchor, unless
//!   the tense says otherwise: in a past-tense clause a date after the anchor moves back a year, in a
//!   future-tense clause a date before it moves forward a year.
//! - **A month without a year** ("in December") takes the anchor's year; in a past-tense clause a month after the
//!   anchor's month means last year's, in a future-tense clause a month before it means next year's.
//!   "last December" is always the most recent December before the anchor's month, "next December" the first
//!   after it. After "since" a month, a date or "year-end" is always the latest one reached by the anchor
//!   ("since December" read in October is last December), as nothing can have lasted since a future point. "May" and "March" alone count only after a preposition or modifier ("in May"), so the verbs are
//!   left alone.
//! - **Weekdays** ("on Thursday") are the anchor itself when they name the anchor's weekday; otherwise the tense
//!   decides: past tense gives the most recent such day before the anchor, future tense the next one after it.
//!   With no tense cue a weekday is in the past, as news mostly reports what happened. "last Thursday" is always
//!   before the anchor and "next Thursday" always after it. With a part of the day ("Thursday night") the type is
//!   TIME and the value ends in `TMO`, `TAF`, `TEV` or `TNI`.
//! - **Deictic days**: "today" is the anchor, "yesterday" the day before, "tomorrow" the day after, "tonight" the
//!   anchor's night (`TNI`), "last night" the night before. A capitalised "Today" right after a capitalised word
//!   inside a sentence ("USA Today", "VOA Today") is a title, not a day.
//! - **Relative periods** are counted in calendar units from the anchor: "last week" is the ISO week before the
//!   anchor's (`2023-W42` for an anchor in `2023-W43`), "this month" the anchor's month, "next year" the year
//!   after, and "the past year" the year before; "earlier this year" and "late last year" keep the period's
//!   value. With a count, "the last two months" is a duration (`P2M`). One whose unit is capitalised inside a
//!   sentence ("ABC's \"This Week\"") is the title of a programme or column, not a time.
//! - **Anaphoric periods** count from the last date the article named, not from the anchor, as a narrative
//!   does: "in 1995 ... the following year" is 1996, "in March ... the following month" April, "the previous
//!   Friday" the Friday before the last day named, "the next day" the day after it, "that year" the year last
//!   named. The last date must be at least as precise as the unit ("the following month" after a bare year counts
//!   from the anchor), and with no date named before they count from the anchor. "last year", "next week" and
//!   "last Friday" stay deictic. "that day" is left alone, as it is as often generic ("trades made that day").
//! - **Counted offsets**: "two days ago" is the anchor minus two days, at the unit's precision ("three weeks
//!   ago" is a week, "a year ago" a year); "earlier" counts like "ago", "from now" counts forward. When the last
//!   date mentioned before was a quarter, "a year earlier" and "year-ago" are that quarter a year before, as
//!   earnings reports compare quarter with quarter.
//! - **Quarters without a year** ("the third quarter") are in the anchor's year unless that quarter has not
//!   begun by the anchor, then last year's; "the quarter" and "the latest quarter" are the quarter last named, or
//!   the last complete quarter before the anchor. The quarter comparisons refer to ("a year earlier", "the
//!   year-ago period") is the last one named that has begun by the anchor, "the latest quarter" included: a
//!   quarter still to come is a forecast, not the period the report compares.
//! - **Durations** are `P` values: "three years" is `P3Y`, "18 months" `P18M`, "two hours" `PT2H`, "a decade"
//!   `P10Y`, "twenty-four hours" `PT24H`; a half goes into the next smaller unit ("a minute and a half" is
//!   `PT1M30S`, "two and a half years" `P2Y6M`); vague counts ("several years", "for months") write `X` for the
//!   number (`PXY`).
//! - **A year named right after a period** gives it its year: "July last year" is last year's July,
//!   "January nineteen ninety-seven" `1997-01`, "the winter of 1994" `1994-WI`, "Oct. 7 last year" last year's
//!   October 7. A weekday is never moved so.
//! - **Fiscal periods and halves**: "the current fiscal year" and "this fiscal year" are the anchor's year, "the
//!   latest fiscal year" the last one completed; "the last half of 1989" is `1989-H2`, "the first two quarters of
//!   1990" `1990-H1`, "the first half of last year" last year's. A half followed by "of" something other than a
//!   year ("the last half of the '80s") or by "hour" is not a half-year.
//! - **Sets** are recurrences: "every Monday" and "Mondays" are `XXXX-WXX-1`, "every day" and "daily" `P1D`,
//!   "every morning" `XXXX-XX-XXTMO`.
//! - **Times of day**: "10:30 a.m." is the anchor's day at `T10:30`, or the adjacent date's ("10 a.m.
//!   Thursday"); "noon" is `T12:00`. A part of the day with a modifier or after a preposition ("mid-afternoon",
//!   "late evening", "in the morning") is that part of the adjacent date ("mid-afternoon yesterday"), else of the
//!   last day named, else of the anchor: a report's "in the morning" is the morning of the day it is telling.
//! - **References**: "now", "currently", "current" are `PRESENT_REF`; "recently", "lately",
//!   "the past" are `PAST_REF`; "the future" is `FUTURE_REF`. "recent years" is `PAST_REF`, "coming months"
//!   `FUTURE_REF`. Words as loose as "soon", "previously" or "future" are left alone: annotators rarely count them.
//!
//! # Tense
//!
//! The tense of an expression is the tense of the nearest verb cue in its sentence, looking at most twelve words
//! either way: "will", "'ll", "shall", "would", "next", "tomorrow", "plans", "scheduled", "expected", "due",
//! "going to", "expects to", "hopes to" mark the future; "said", "was", "were", "had", "ago", irregular past forms ("met", "held",
//! "made", ...) and other words in "-ed" mark the past. On a tie the future wins, as a modal is the stronger sign.
//! Some words that look like cues are not: a participle right after "be" is a passive whose tense the auxiliary
//! gives ("will be paid in January"), one right after a determiner is an adjective ("a still unspecified date",
//! "the proposed merger"), and "later" after a unit ("three days later") orders two reported events rather than
//! pointing ahead. "had been due" (or scheduled, expected, set) marks a plan the report puts in the past.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use parallax_model::{TimeExpr, TimePrecision, TimeType};
use regex::{Captures, Regex};

/// Finds every temporal expression in `text` and resolves it against `anchor`, the publication date.
///
/// The result is sorted by position and free of overlaps. Without an anchor, expressions that need one keep
/// `X` for the digits they cannot know.
///
/// ```
/// use chrono::NaiveDate;
/// use parallax_engine::extract::find_time_expressions;
///
/// let anchor = NaiveDate::from_ymd_opt(2023, 10, 27); // a Friday
/// let found = find_time_expressions("The ministers met on Thursday in Moscow.", anchor);
/// assert_eq!(found[0].text, "Thursday");
/// assert_eq!(found[0].value, "2023-10-26");
/// ```
pub fn find_time_expressions(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeExpr> {
    let mut candidates: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (index, rule) in RULES.iter().enumerate() {
        for caps in rule.regex.captures_iter(text) {
            let (start, end) = extent(&caps);
            if start < end && admissible(rule.kind, &caps, text) {
                candidates.push((start, end, index, caps.get(0).map_or(start, |m| m.start())));
            }
        }
    }
    // Longest first at each start; then a left-to-right sweep keeps what does not overlap what was kept.
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut kept: Vec<(usize, usize, usize, usize)> = Vec::new();
    for c in candidates {
        match kept.last_mut() {
            // Overlapping the last kept match: the longer of the two stays. Everything kept before that one ends
            // before it starts, so the sweep never has to look further back.
            Some(last) if c.0 < last.1 => {
                if c.1 - c.0 > last.1 - last.0 {
                    *last = c;
                }
            }
            _ => kept.push(c),
        }
    }

    let mut state = DocState::default();
    let mut found: Vec<(TimeExpr, Option<String>)> = Vec::with_capacity(kept.len());
    for (start, end, index, match_start) in kept {
        let rule = &RULES[index];
        // The same search from the same place finds the same match, context included.
        let Some(caps) = rule.regex.captures_at(text, match_start) else {
            continue;
        };
        let ctx = Ctx {
            text,
            start,
            end,
            anchor,
        };
        let Some(resolved) = resolve(rule.kind, &caps, &ctx, &state) else {
            continue;
        };
        // Earnings reports compare a quarter with the year before; a year or a span of months ends that. A
        // quarter still to come ("in the third quarter of 1990" in a forecast) is not the one being reported.
        let begun = |value: &str| {
            anchor.is_none_or(|a| value_date(value).is_some_and(|(start, _)| start <= a))
        };
        match rule.kind {
            Kind::Quarter if begun(&resolved.value) => {
                state.last_quarter = Some(resolved.value.clone())
            }
            Kind::TheQuarter
                if caps.name("rel").is_none_or(|r| {
                    matches!(
                        r.as_str().to_ascii_lowercase().as_str(),
                        "latest" | "current" | "recent" | "past" | "last"
                    )
                }) && caps.name("ry").is_none()
                    && begun(&resolved.value) =>
            {
                state.last_quarter = Some(resolved.value.clone())
            }
            Kind::Duration | Kind::Year | Kind::RelativeUnit | Kind::TheYear => {
                state.last_quarter = None
            }
            _ => {}
        }
        if matches!(resolved.kind, TimeType::Date | TimeType::Time)
            && let Some(date) = value_date(&resolved.value)
        {
            state.last_date = Some(date);
        }
        let value = if anchor.is_none() && resolved.relative {
            mask_digits(&resolved.value)
        } else {
            resolved.value
        };
        found.push((
            TimeExpr {
                start,
                end,
                text: text[start..end].to_owned(),
                kind: resolved.kind,
                precision: value_precision(&value),
                value,
                relative: resolved.relative,
                sentence: 0,
            },
            resolved.clock,
        ));
    }
    join_year_to_period(text, join_clock_to_date(text, found))
}

/// Joins a month, season, quarter or date whose year was inferred to a year named right after it: "July last
/// year", "January nineteen ninety-seven", "the winter of 1994", "Oct. 7, nineteen ninety". The named year wins.
fn join_year_to_period(text: &str, found: Vec<TimeExpr>) -> Vec<TimeExpr> {
    let mut out: Vec<TimeExpr> = Vec::with_capacity(found.len());
    for expr in found {
        if let Some(prev) = out.last_mut() {
            let gap = &text[prev.end..expr.start];
            let joins = gap.len() <= 5
                && matches!(gap.trim().to_ascii_lowercase().as_str(), "" | "," | "of");
            let period = prev.relative
                && prev.kind == TimeType::Date
                && prev
                    .value
                    .get(..4)
                    .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
                && match prev.precision {
                    TimePrecision::Month | TimePrecision::Season | TimePrecision::Quarter => true,
                    // A weekday's date is the anchor's week, which a year cannot move.
                    TimePrecision::Day => {
                        weekday(prev.text.split_whitespace().next().unwrap_or("")).is_none()
                    }
                    _ => false,
                };
            let year = expr.kind == TimeType::Date && expr.precision == TimePrecision::Year;
            if joins && period && year {
                prev.value = format!("{}{}", &expr.value[..4], &prev.value[4..]);
                prev.end = expr.end;
                prev.text = text[prev.start..prev.end].to_owned();
                prev.relative = expr.relative;
                continue;
            }
        }
        out.push(expr);
    }
    out
}

/// Joins a time of day to a date right next to it: "10 a.m. Thursday", "Oct. 27 at 10:30".
fn join_clock_to_date(text: &str, found: Vec<(TimeExpr, Option<String>)>) -> Vec<TimeExpr> {
    let mut out: Vec<(TimeExpr, Option<String>)> = Vec::with_capacity(found.len());
    for (expr, clock) in found {
        if let Some((prev, prev_clock)) = out.last_mut() {
            let gap = &text[prev.end..expr.start];
            let between = if gap.len() <= 8 {
                gap.trim().to_ascii_lowercase()
            } else {
                String::from("-")
            };
            let joins = matches!(between.as_str(), "" | "," | "on" | "at" | ", on" | ", at");
            let day = |e: &TimeExpr| {
                e.kind == TimeType::Date && value_precision(&e.value) == TimePrecision::Day
            };
            let merged = match (prev_clock.as_deref(), clock.as_deref()) {
                (Some(c), None) if joins && day(&expr) => Some(format!("{}{}", expr.value, c)),
                (None, Some(c)) if joins && day(prev) => Some(format!("{}{}", prev.value, c)),
                _ => None,
            };
            if let Some(value) = merged {
                prev.end = expr.end;
                prev.text = text[prev.start..prev.end].to_owned();
                prev.kind = TimeType::Time;
                prev.precision = value_precision(&value);
                prev.value = value;
                prev.relative |= expr.relative;
                *prev_clock = None;
                continue;
            }
        }
        out.push((expr, clock));
    }
    out.into_iter().map(|(e, _)| e).collect()
}

/// What the resolver needs to know about a match besides its captures.
struct Ctx<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    anchor: Option<NaiveDate>,
}

impl Ctx<'_> {
    /// The anchor, or a stand-in whose digits are masked afterwards when there is none.
    fn anchor(&self) -> NaiveDate {
        self.anchor
            .unwrap_or(NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date"))
    }

    fn tense(&self) -> Tense {
        tense_near(self.text, self.start, self.end)
    }

    /// Whether the expression follows "since": the point it names has come by the anchor, whatever the tense.
    fn after_since(&self) -> bool {
        last_word(&self.text[..self.start]).eq_ignore_ascii_case("since")
    }
}

/// What earlier expressions in the same article tell later ones.
#[derive(Default)]
struct DocState {
    /// The value of the last quarter named, which "the quarter" and "a year earlier" refer to.
    last_quarter: Option<String>,
    /// The last date named, and how precisely: what "the following year" and "that day" count from.
    last_date: Option<(NaiveDate, TimePrecision)>,
}

impl DocState {
    /// The date an anaphoric expression of `unit` counts from: the last date named, when it was named at
    /// least as precisely as the unit ("the following month" needs a month), else the anchor.
    fn reference(&self, unit: &str, anchor: NaiveDate) -> NaiveDate {
        let Some((date, precision)) = self.last_date else {
            return anchor;
        };
        let enough = match unit {
            "day" => precision == TimePrecision::Day,
            "week" => matches!(precision, TimePrecision::Day | TimePrecision::Week),
            "month" => matches!(precision, TimePrecision::Day | TimePrecision::Month),
            _ => true,
        };
        if enough { date } else { anchor }
    }
}

/// The calendar date a TimeML value starts on and its precision, for the values that name a date: `1995`,
/// `1995-05`, `1995-05-22`, `1995-05-22T10:00`, `1995-W20`, `1995-Q2` (as a year).
fn value_date(value: &str) -> Option<(NaiveDate, TimePrecision)> {
    let year: i32 = value.get(..4)?.parse().ok()?;
    let rest = &value[4..];
    let two = |s: Option<&str>| s.and_then(|s| s.parse::<u32>().ok());
    if rest.is_empty() {
        return Some((ymd(year, 1, 1)?, TimePrecision::Year));
    }
    // A quarter or a half starts on its first month; as a reference it gives only its year.
    let part = |prefix: &str, months: u32| {
        let n: u32 = rest.strip_prefix(prefix)?.get(..1)?.parse().ok()?;
        Some((
            ymd(year, (n.max(1) - 1) * months + 1, 1)?,
            TimePrecision::Year,
        ))
    };
    if rest.starts_with("-Q") {
        return part("-Q", 3);
    }
    if rest.starts_with("-H") {
        return part("-H", 6);
    }
    if let Some(week) = rest.strip_prefix("-W") {
        let date = NaiveDate::from_isoywd_opt(year, two(week.get(..2))?, Weekday::Mon)?;
        return Some((date, TimePrecision::Week));
    }
    let month = two(rest.get(1..3))?;
    match two(rest.get(4..6)) {
        Some(day) => Some((ymd(year, month, day)?, TimePrecision::Day)),
        None => Some((ymd(year, month, 1)?, TimePrecision::Month)),
    }
}

struct Resolved {
    kind: TimeType,
    value: String,
    relative: bool,
    /// For a bare time of day, its `THH:MM` part, so an adjacent date can take it.
    clock: Option<String>,
}

impl Resolved {
    fn new(kind: TimeType, value: impl Into<String>, relative: bool) -> Option<Self> {
        Some(Resolved {
            kind,
            value: value.into(),
            relative,
            clock: None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Past,
    Future,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    IsoDate,
    SlashDate,
    MonthDay,
    DayMonth,
    Month,
    GuardedMonth,
    Year,
    Decade,
    Century,
    Season,
    Quarter,
    TheQuarter,
    Half,
    Weekday,
    DayWord,
    PartOfDay,
    DayPart,
    RelativeUnit,
    Anaphora,
    Weekend,
    Offset,
    YearAgo,
    Duration,
    BareUnits,
    Set,
    Adverbial,
    SpokenYear,
    TheYear,
    YearEnd,
    VagueUnits,
    Clock,
    Reference,
    Holiday,
}

struct Rule {
    kind: Kind,
    regex: Regex,
}

const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
const MONTH_ALONE: &str =
    r"(?:January|February|April|June|July|August|September|October|November|December|Sept\.)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const YEAR: &str = r"(?:1[5-9]\d\d|20\d\d)";
const NUM: &str = r"(?:(?:\d{1,3}(?:\.\d+)?(?:\s+1/2)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|six|seven|eight|nine)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+and\s+a\s+half|\d{1,3}(?:\.\d+)?(?:\s+1/2)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|six|seven|eight|nine)|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a\s+hundred|a\s+few|few|several|some|a\s+couple\s+of|couple\s+of|many|a\s+dozen|dozens\s+of|half\s+a)";
const UNIT: &str =
    r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ies))";
const POD: &str = r"(?:morning|afternoon|evening|night)";

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |kind, pattern: String| Rule {
        kind,
        regex: Regex::new(&pattern).expect("timex rule compiles"),
    };
    vec![
        rule(
            Kind::IsoDate,
            r"(?-u:\b)(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T(?P<h>\d\d):(?P<mi>\d\d))?(?-u:\b)".into(),
        ),
        rule(
            Kind::SlashDate,
            r"(?-u:\b)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)(?-u:\b)".into(),
        ),
        rule(
            Kind::MonthDay,
            format!(
                r"(?-u:\b)(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<m>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(?P<y>{YEAR})(?-u:\b))?"
            ),
        ),
        rule(
            Kind::DayMonth,
            format!(
                r"(?-u:\b)(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?(?-u:\b)"
            ),
        ),
        rule(
            Kind::Month,
            format!(
                r"(?-u:\b)(?:(?P<mod>(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+start\s+of))[\s-]+)?(?:(?P<rel>(?i:last|next|this|past|coming))\s+)?(?P<m>{MONTH_ALONE}|(?:May|March)\s+(?:of\s+)?{YEAR})(?:,?\s+(?:of\s+)?(?P<y>{YEAR}))?(?-u:\b)"
            ),
        ),
        rule(
            Kind::GuardedMonth,
            r"(?i:(?-u:\b)(?:in|since|until|till|by|during|from|through|before|after|of|last|next|this|early|late|mid|each)[\s-]+)(?P<x>(?P<m>May|March))(?-u:\b)".into(),
        ),
        rule(
            Kind::Year,
            format!(
                r"(?P<x>(?:(?-u:\b)(?i:fiscal(?:\s+year)?|the\s+year|calendar|mid-|early|late)\s*)?(?P<y>{YEAR}))"
            ),
        ),
        rule(
            Kind::Decade,
            r"(?-u:\b)(?:(?i:the)\s+)?(?:(?P<mod>(?i:early|mid|late))[\s-]+)?(?:(?P<c>1[5-9]|20)(?P<d>\d)0'?s(?-u:\b)|'(?P<d2>\d)0s(?-u:\b)|(?i:(?:nineteen\s+)?(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)(?-u:\b)))".into(),
        ),
        rule(
            Kind::Century,
            r"(?i)(?-u:\b)(?:the\s+)?(?P<n>\d{1,2}(?:st|nd|rd|th)|first|nineteenth|twentieth|twenty-first)[\s-]+century(?-u:\b)".into(),
        ),
        rule(
            Kind::Season,
            format!(
                r"(?i)(?-u:\b)(?:(?P<rel>last|next|this|past|coming|early|late|mid)[\s-]+)?(?P<s>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<y>{YEAR}))?(?-u:\b)"
            ),
        ),
        rule(
            Kind::Quarter,
            format!(
                r"(?i)(?-u:\b)(?:the\s+)?(?:(?P<ry>this|last|next)\s+year'?s\s+)?(?:(?:fiscal\s+)?(?P<y1>{YEAR})\s+)?(?:fiscal\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y2>{YEAR}))?(?-u:\b)"
            ),
        ),
        rule(
            Kind::TheQuarter,
            format!(r"(?i)(?-u:\b)(?:(?P<det>the|this|last|next|that)\s+|(?P<ry>last|this|next)\s+year'?s\s+)(?:(?P<rel>latest|last|past|previous|current|recent|same|year-earlier|year-ago|next|coming|comparable|corresponding)\s+)*(?:(?P<y>{YEAR})\s+)?(?P<u>quarter|period)(?-u:\b)"),
        ),
        rule(
            Kind::Half,
            format!(
                r"(?i)(?-u:\b)(?:the\s+)?(?:(?P<h>first|second|last)\s+half|(?P<hq>first|last)\s+two\s+quarters)(?:\s+of\s+(?:(?:the\s+year\s+|fiscal\s+)?(?P<y>{YEAR})|(?P<ry>this|last|next)\s+(?:fiscal\s+)?year))?(?-u:\b)"
            ),
        ),
        rule(
            Kind::Weekday,
            format!(
                r"(?-u:\b)(?:(?P<rel>(?i:last|next|this|past|coming|the\s+previous|the\s+following))\s+)?(?P<wd>{WEEKDAY})(?P<pl>s)?(?:\s+(?P<pod>(?i:{POD})))?(?-u:\b)"
            ),
        ),
        rule(
            Kind::DayWord,
            format!(
                r"(?i)(?-u:\b)(?:the\s+day\s+(?P<ba>before|after)\s+)?(?P<w>today|tonight|yesterday|tomorrow)(?:\s+(?P<pod>{POD}))?(?-u:\b)"
            ),
        ),
        rule(
            Kind::PartOfDay,
            format!(r"(?i)(?-u:\b)(?P<rel>this|last)\s+(?P<pod>{POD})(?-u:\b)"),
        ),
        rule(
            Kind::DayPart,
            r"(?i)(?-u:\b)(?:(?:early|mid|late)[\s-]?(?P<pod>morning|afternoon|evening)|(?:in|during|by|until|through)\s+(?P<x>the\s+(?P<pod2>morning|afternoon|evening)))(?-u:\b)".into(),
        ),
        rule(
            Kind::RelativeUnit,
            r"(?i)(?-u:\b)(?:(?P<mod>earlier|later|early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)?(?P<the>the\s+)?(?P<rel>last|next|this|past|coming|previous|preceding|current|following|same)\s+(?:fiscal\s+)?(?P<u>week|month|year|decade|century)(?-u:\b)".into(),
        ),
        rule(
            Kind::Anaphora,
            r"(?i)(?-u:\b)(?:that\s+(?P<u>week|month|year)|the\s+(?P<rel>following|next|previous|preceding|same)\s+(?P<d>day))(?-u:\b)".into(),
        ),
        rule(
            Kind::Weekend,
            r"(?i)(?-u:\b)(?P<rel>the|this|last|next|past|coming)\s+weekend(?-u:\b)".into(),
        ),
        rule(
            Kind::Offset,
            format!(
                r"(?i)(?-u:\b)(?P<n>{NUM})[\s-]+(?P<u>{UNIT})s?\s+(?P<dir>ago|earlier|from\s+now|hence)(?-u:\b)"
            ),
        ),
        rule(
            Kind::YearAgo,
            r"(?i)(?-u:\b)(?:the\s+)?year-(?:earlier|ago)(?-u:\b)".into(),
        ),
        rule(
            Kind::Duration,
            format!(
                r"(?i)(?-u:\b)(?:(?P<the>the\s+)(?:(?P<rel>past|last|next|first|previous|coming|final|latest|recent|following|remaining)\s+)?)?(?P<n>{NUM})[\s-]+(?P<u>{UNIT})s?(?P<half>\s+and\s+a\s+half)?(?P<old>[\s-]+old)?(?-u:\b)"
            ),
        ),
        rule(
            Kind::BareUnits,
            r"(?i)(?-u:\b)(?:for|in|within|over|after|take|takes|took|recent|coming|past)\s+(?P<x>(?P<u>years|months|weeks|days|hours|decades|minutes))(?-u:\b)".into(),
        ),
        rule(
            Kind::Set,
            format!(
                r"(?i)(?-u:\b)(?:every|each)\s+(?:(?P<n>other|\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+)?(?P<u>{UNIT}|{POD}|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?(?-u:\b)"
            ),
        ),
        rule(
            Kind::Adverbial,
            r"(?i)(?-u:\b)(?P<a>daily|weekly|monthly|yearly|nightly|hourly)(?-u:\b)".into(),
        ),
        rule(
            Kind::SpokenYear,
            r"(?i)(?-u:\b)(?:the\s+year\s+)?(?:(?P<c>nineteen)\s+(?:hundred\s+(?:and\s+)?)?(?P<t>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?P<o>one|two|three|four|five|six|seven|eight|nine))?|two\s+thousand(?:\s+(?:and\s+)?(?P<o2>one|two|three|four|five|six|seven|eight|nine|ten))?)(?-u:\b)".into(),
        ),
        rule(
            Kind::TheYear,
            r"(?i)(?-u:\b)(?P<x>the\s+(?:(?:full|fiscal|latest|entire|whole)\s+){0,2}year)(?-u:\b)(?P<ended>\s+(?:ended|ending|ends|that\s+ended))?".into(),
        ),
        rule(
            Kind::YearEnd,
            r"(?i)(?-u:\b)(?:(?:the\s+)?(?:year-end|year\s+end|year's\s+end)|the\s+end\s+of\s+the\s+year)(?-u:\b)".into(),
        ),
        rule(
            Kind::VagueUnits,
            r"(?i)(?-u:\b)(?:the\s+)?(?P<rel>recent|coming|past|last|next)\s+(?:(?P<few>few|several)\s+)?(?P<u>days|weeks|months|years|decades|quarters)(?-u:\b)".into(),
        ),
        rule(
            Kind::Clock,
            r"(?i)(?-u:\b)(?:(?P<h>\d{1,2})(?:[:.](?P<mi>\d\d))?\s*(?P<ap>a\.m\.|p\.m\.|a\.m(?-u:\b)|p\.m(?-u:\b)|am(?-u:\b)|pm(?-u:\b)|o'clock(?-u:\b))|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?-u:\b)|(?P<noon>noon|midday|midnight)(?-u:\b))(?:\s+(?:GMT|UTC|EST|EDT|CST|CDT|PST|PDT|local\s+time)(?-u:\b))?".into(),
        ),
        rule(
            Kind::Reference,
            r"(?i)(?-u:\b)(?P<r>now|nowadays|currently|at\s+present|presently|current|recently|lately|the\s+past|the\s+future|these\s+days|the\s+(?:near|short)\s+term|the\s+near\s+future|this\s+(?:\w+\s+)?moment|at\s+the\s+moment)(?-u:\b)".into(),
        ),
        rule(
            Kind::Holiday,
            format!(
                r"(?-u:\b)(?P<h>Christmas(?:\s+(?:Day|Eve))?|New\s+Year's(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?|Independence\s+Day|Halloween|Valentine's\s+Day|Labor\s+Day|Memorial\s+Day)(?:\s+(?P<y>{YEAR}))?(?-u:\b)"
            ),
        ),
    ]
});

/// The extent of a match: the group named `x` when a rule has one (the rest is context), else the whole match.
fn extent(caps: &Captures<'_>) -> (usize, usize) {
    let m = caps
        .name("x")
        .unwrap_or_else(|| caps.get(0).expect("group 0"));
    (m.start(), m.end())
}

/// Filters out matches the pattern alone cannot tell from non-temporal uses.
fn admissible(kind: Kind, caps: &Captures<'_>, text: &str) -> bool {
    let m = caps.get(0).expect("group 0");
    match kind {
        Kind::Duration => {
            if caps.name("old").is_some() {
                return false;
            }
            let n = caps
                .name("n")
                .map_or("", |n| n.as_str())
                .to_ascii_lowercase();
            let u = caps
                .name("u")
                .map_or("", |u| u.as_str())
                .to_ascii_lowercase();
            // "a second term": only a counted second is a duration; "a quarter of the vote" is no time at all.
            if u.starts_with("second") && (n == "a" || n == "an" || n == "one") {
                return false;
            }
            let after = next_word(&text[m.end()..]).to_ascii_lowercase();
            if u.starts_with("quarter") && after == "of" {
                return false;
            }
            // "$1.76 a year", "24 hours a day", "four flights a week": a rate, not a length of time.
            if n == "a" || n == "an" {
                let before = last_word(&text[..m.start()]).to_ascii_lowercase();
                let rate = before.chars().any(|c| c.is_ascii_digit())
                    || matches!(
                        before.as_str(),
                        "million"
                            | "billion"
                            | "times"
                            | "once"
                            | "twice"
                            | "cents"
                            | "dollars"
                            | "percent"
                            | "flights"
                            | "seats"
                            | "hours"
                            | "days"
                            | "shares"
                    );
                if rate {
                    return false;
                }
            }
            true
        }
        Kind::DayWord => {
            // "USA Today", "VOA Today": a capitalised "Today" right after a capitalised name is a title.
            let w = caps.name("w").map_or("", |w| w.as_str());
            let before = &text[..m.start()];
            let name_before = before.ends_with(' ')
                && last_word(before).starts_with(|c: char| c.is_uppercase())
                && !before.trim_end().ends_with(['.', '!', '?', ':', '"']);
            !(w == "Today" && name_before)
        }
        Kind::RelativeUnit => {
            // "ABC's \"This Week\"": a capitalised unit inside a sentence is a title (a programme, a column).
            let capital = caps
                .name("u")
                .is_some_and(|u| u.as_str().starts_with(|c: char| c.is_ascii_uppercase()));
            let sentence_start = text[..m.start()]
                .trim_end()
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n'));
            !capital || sentence_start
        }
        Kind::Half => {
            // "the first half hour", "the last half of the '80s", "the second half of the match": a half of
            // something other than a year.
            let after = next_word(&text[m.end()..]).to_ascii_lowercase();
            !matches!(
                after.as_str(),
                "hour" | "century" | "mile" | "dozen" | "point" | "of"
            )
        }
        Kind::Season => {
            // "prices fall", "a hot spring": a bare season needs a determiner or preposition before it.
            if caps.name("rel").is_some() || caps.name("y").is_some() {
                return true;
            }
            let before = last_word(&text[..m.start()]).to_ascii_lowercase();
            matches!(
                before.as_str(),
                "in" | "the"
                    | "this"
                    | "last"
                    | "next"
                    | "during"
                    | "by"
                    | "since"
                    | "until"
                    | "till"
                    | "of"
                    | "early"
                    | "late"
                    | "through"
                    | "before"
                    | "after"
            )
        }
        Kind::Reference => {
            let r = caps
                .name("r")
                .map_or("", |r| r.as_str())
                .to_ascii_lowercase();
            let after = next_word(&text[m.end()..]).to_ascii_lowercase();
            // "now that" is a conjunction; "future" and "current" only count as adjectives of a noun.
            !(r == "now" && after == "that")
        }
        Kind::Year => {
            // "$1990", "1,990", "2082.1", "1990-91", "1990%": a number, not a year.
            let before = text[..m.start()].chars().next_back();
            let mut after = text[m.end()..].chars();
            let (a1, a2) = (after.next(), after.next());
            let bad_before = before.is_some_and(|c| c.is_alphanumeric() || "$£€#.,/:-".contains(c));
            let bad_after = match a1 {
                Some(c) if c.is_alphanumeric() || c == '%' || c == '-' => true,
                Some('.' | ',' | ':' | '/') => a2.is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            };
            !(bad_before || bad_after)
        }
        Kind::Clock => {
            // "1:30" alone could be a score or a verse: a bare 24-hour time needs "at" before it.
            if caps.name("h24").is_some() {
                let before = last_word(&text[..m.start()]).to_ascii_lowercase();
                return before == "at" || before == "by" || before == "until" || before == "from";
            }
            true
        }
        _ => true,
    }
}

fn last_word(s: &str) -> &str {
    let s = s.trim_end();
    let start = s
        .char_indices()
        .rev()
        .take(40)
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '\'')
        .last()
        .map_or(s.len(), |(i, _)| i);
    &s[start..]
}

fn next_word(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .take(40)
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '\''))
        .map_or(
            s.len()
                .min(s.char_indices().nth(40).map_or(s.len(), |(i, _)| i)),
            |(i, _)| i,
        );
    &s[..end]
}

fn resolve(kind: Kind, caps: &Captures<'_>, ctx: &Ctx<'_>, state: &DocState) -> Option<Resolved> {
    let anchor = ctx.anchor();
    let get = |name: &str| caps.name(name).map(|m| m.as_str());
    let lower = |name: &str| get(name).map(|s| s.to_ascii_lowercase());
    match kind {
        Kind::IsoDate => {
            let date = ymd(
                get("y")?.parse().ok()?,
                get("m")?.parse().ok()?,
                get("d")?.parse().ok()?,
            )?;
            match (get("h"), get("mi")) {
                (Some(h), Some(mi)) => {
                    Resolved::new(TimeType::Time, format!("{}T{h}:{mi}", fmt_day(date)), false)
                }
                _ => Resolved::new(TimeType::Date, fmt_day(date), false),
            }
        }
        Kind::SlashDate => {
            let y: i32 = get("y")?.parse().ok()?;
            let y = if y < 100 {
                if y < 50 { 2000 + y } else { 1900 + y }
            } else {
                y
            };
            let date = ymd(y, get("m")?.parse().ok()?, get("d")?.parse().ok()?)?;
            Resolved::new(TimeType::Date, fmt_day(date), false)
        }
        Kind::MonthDay | Kind::DayMonth => {
            let month = month_number(get("m")?)?;
            let day: u32 = get("d")?.parse().ok()?;
            if let Some(y) = get("y") {
                let date = ymd(y.parse().ok()?, month, day)?;
                return Resolved::new(TimeType::Date, fmt_day(date), false);
            }
            if day == 0 || day > 31 {
                return None;
            }
            if ctx.anchor.is_none() {
                return Resolved::new(TimeType::Date, format!("XXXX-{month:02}-{day:02}"), false);
            }
            let date = if ctx.after_since() {
                (anchor.year() - 1..=anchor.year())
                    .rev()
                    .filter_map(|y| ymd(y, month, day))
                    .find(|d| *d <= anchor)?
            } else {
                month_day_near(anchor, month, day, ctx.tense())?
            };
            Resolved::new(TimeType::Date, fmt_day(date), true)
        }
        Kind::Month | Kind::GuardedMonth => {
            let m = get("m")?;
            let month = month_number(m)?;
            let inline_year = m
                .split_whitespace()
                .last()
                .and_then(|y| y.parse::<i32>().ok());
            if let Some(y) = get("y").and_then(|y| y.parse::<i32>().ok()).or(inline_year) {
                return Resolved::new(TimeType::Date, format!("{y:04}-{month:02}"), false);
            }
            let a_month = anchor.month();
            let rel = lower("rel");
            let before = if kind == Kind::GuardedMonth {
                last_word(&ctx.text[..ctx.start]).to_ascii_lowercase()
            } else {
                String::new()
            };
            let rel =
                rel.or(Some(before).filter(|b| matches!(b.as_str(), "last" | "next" | "this")));
            let year = match rel.as_deref() {
                // "since March": the latest March that has begun by the anchor.
                None if ctx.after_since() => {
                    if month <= a_month {
                        anchor.year()
                    } else {
                        anchor.year() - 1
                    }
                }
                Some("last") | Some("past") => {
                    if month < a_month {
                        anchor.year()
                    } else {
                        anchor.year() - 1
                    }
                }
                Some("next") | Some("coming") => {
                    if month > a_month {
                        anchor.year()
                    } else {
                        anchor.year() + 1
                    }
                }
                Some(_) => anchor.year(),
                None => {
                    let firsts: Vec<NaiveDate> = (anchor.year() - 1..=anchor.year() + 1)
                        .filter_map(|y| ymd(y, month, 1))
                        .collect();
                    pick_by_tense(ymd(anchor.year(), a_month, 1)?, &firsts, ctx.tense()).year()
                }
            };
            Resolved::new(TimeType::Date, format!("{year:04}-{month:02}"), true)
        }
        Kind::Year => Resolved::new(TimeType::Date, get("y")?, false),
        Kind::Decade => {
            if let Some(w) = lower("w") {
                let tens = number(&format!("{}y", w.trim_end_matches("ies")))?;
                return Resolved::new(TimeType::Date, format!("19{}", tens as i32 / 10), false);
            }
            let value = match (get("c"), get("d"), get("d2")) {
                (Some(c), Some(d), _) => format!("{c}{d}"),
                (_, _, Some(d2)) => {
                    // "the '90s": the most recent such decade before the anchor.
                    let d: i32 = d2.parse().ok()?;
                    let century = if 2000 + d * 10 <= anchor.year() {
                        20
                    } else {
                        19
                    };
                    return Resolved::new(TimeType::Date, format!("{century}{d}"), true);
                }
                _ => return None,
            };
            Resolved::new(TimeType::Date, value, false)
        }
        Kind::Century => {
            let n = lower("n")?;
            let number: i32 = match n.as_str() {
                "first" => 1,
                "nineteenth" => 19,
                "twentieth" => 20,
                "twenty-first" => 21,
                _ => n
                    .trim_end_matches(|c: char| c.is_alphabetic())
                    .parse()
                    .ok()?,
            };
            if !(1..=30).contains(&number) {
                return None;
            }
            Resolved::new(TimeType::Date, format!("{:02}", number - 1), false)
        }
        Kind::Season => {
            let s = lower("s")?;
            let (code, ord) = match s.as_str() {
                "spring" => ("SP", 0),
                "summer" => ("SU", 1),
                "fall" | "autumn" => ("FA", 2),
                _ => ("WI", 3),
            };
            if let Some(y) = get("y") {
                return Resolved::new(TimeType::Date, format!("{y}-{code}"), false);
            }
            // The anchor's season; January and February belong to the winter of the year before.
            let (a_year, a_ord) = match anchor.month() {
                1 | 2 => (anchor.year() - 1, 3),
                3..=5 => (anchor.year(), 0),
                6..=8 => (anchor.year(), 1),
                9..=11 => (anchor.year(), 2),
                _ => (anchor.year(), 3),
            };
            let year = match lower("rel").as_deref() {
                Some("last") | Some("past") => {
                    if ord < a_ord {
                        a_year
                    } else {
                        a_year - 1
                    }
                }
                Some("next") | Some("coming") => {
                    if ord > a_ord {
                        a_year
                    } else {
                        a_year + 1
                    }
                }
                Some("this") => a_year,
                _ => match ctx.tense() {
                    Tense::Past if ord > a_ord => a_year - 1,
                    Tense::Future if ord < a_ord => a_year + 1,
                    _ => a_year,
                },
            };
            Resolved::new(TimeType::Date, format!("{year:04}-{code}"), true)
        }
        Kind::Quarter => {
            let q = match lower("q")?.as_str() {
                "first" | "1st" => 1,
                "second" | "2nd" => 2,
                "third" | "3rd" => 3,
                _ => 4,
            };
            if let Some(y) = get("y1").or(get("y2")) {
                return Resolved::new(TimeType::Date, format!("{y}-Q{q}"), false);
            }
            let a_q = (anchor.month() - 1) / 3 + 1;
            let year = match lower("ry").as_deref() {
                Some("this") => anchor.year(),
                Some("last") => anchor.year() - 1,
                Some("next") => anchor.year() + 1,
                _ if q > a_q => anchor.year() - 1,
                _ => anchor.year(),
            };
            Resolved::new(TimeType::Date, format!("{year:04}-Q{q}"), true)
        }
        Kind::TheQuarter => {
            let a_q = (anchor.month() as i32 - 1) / 3 + 1;
            let quarter = |year: i32, q: i32| {
                let index = year * 4 + (q - 1);
                format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
            };
            let rel = lower("rel").or(lower("det").filter(|d| d != "the" && d != "that"));
            if lower("u")? == "period" && state.last_quarter.is_none() {
                return None;
            }
            let named = state
                .last_quarter
                .clone()
                .unwrap_or(quarter(anchor.year(), a_q - 1));
            // "the 1988 quarter": the quarter last named, in that year; "last year's quarter" likewise.
            if let Some(y) = get("y") {
                return Resolved::new(TimeType::Date, format!("{y}{}", named.get(4..)?), true);
            }
            if let Some(ry) = lower("ry") {
                let by = match ry.as_str() {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                };
                return Resolved::new(TimeType::Date, shift_year(&named, by)?, true);
            }
            let value = match rel.as_deref() {
                Some("latest") | Some("last") | Some("past") | Some("previous")
                | Some("recent") => quarter(anchor.year(), a_q - 1),
                Some("current") | Some("this") => quarter(anchor.year(), a_q),
                Some("next") | Some("coming") => quarter(anchor.year(), a_q + 1),
                Some("year-earlier") | Some("year-ago") => {
                    let base = state
                        .last_quarter
                        .clone()
                        .unwrap_or(quarter(anchor.year(), a_q - 1));
                    shift_year(&base, -1)?
                }
                _ => state
                    .last_quarter
                    .clone()
                    .unwrap_or(quarter(anchor.year(), a_q - 1)),
            };
            Resolved::new(TimeType::Date, value, true)
        }
        Kind::Half => {
            // "the last half", "the first two quarters" are halves too.
            let h = if lower("h").or(lower("hq"))? == "first" {
                1
            } else {
                2
            };
            if let Some(y) = get("y") {
                return Resolved::new(TimeType::Date, format!("{y}-H{h}"), false);
            }
            let year = anchor.year()
                + match lower("ry").as_deref() {
                    Some("last") => -1,
                    Some("next") => 1,
                    _ => 0,
                };
            Resolved::new(TimeType::Date, format!("{year:04}-H{h}"), true)
        }
        Kind::Weekday => {
            let wd = weekday(get("wd")?)?;
            if get("pl").is_some() {
                let pod = lower("pod").map(|p| pod_code(&p)).unwrap_or_default();
                return Resolved::new(
                    TimeType::Set,
                    format!("XXXX-WXX-{}{pod}", wd.number_from_monday()),
                    false,
                );
            }
            // "the previous Friday" counts from the last day named, "last Friday" from the anchor.
            let rel = lower("rel");
            let base = match rel.as_deref() {
                Some(r) if r.starts_with("the") => state.reference("day", anchor),
                _ => anchor,
            };
            let date = resolve_weekday(base, wd, rel.as_deref(), ctx.tense());
            match lower("pod") {
                Some(p) => Resolved::new(
                    TimeType::Time,
                    format!("{}{}", fmt_day(date), pod_code(&p)),
                    true,
                ),
                None => Resolved::new(TimeType::Date, fmt_day(date), true),
            }
        }
        Kind::DayWord => {
            let w = lower("w")?;
            let mut offset: i64 = match w.as_str() {
                "yesterday" => -1,
                "tomorrow" => 1,
                _ => 0,
            };
            match lower("ba").as_deref() {
                Some("before") => offset -= 1,
                Some("after") => offset += 1,
                _ => {}
            }
            let date = add_days(anchor, offset)?;
            let pod = lower("pod")
                .map(|p| pod_code(&p))
                .or((w == "tonight").then(|| "TNI".to_owned()));
            match pod {
                Some(p) => Resolved::new(TimeType::Time, format!("{}{p}", fmt_day(date)), true),
                None => Resolved::new(TimeType::Date, fmt_day(date), true),
            }
        }
        Kind::PartOfDay => {
            let pod = lower("pod")?;
            let offset = if lower("rel")? == "last" { -1 } else { 0 };
            // "last night" is the night before; "last evening" likewise.
            let date = add_days(anchor, offset)?;
            Resolved::new(
                TimeType::Time,
                format!("{}{}", fmt_day(date), pod_code(&pod)),
                true,
            )
        }
        Kind::DayPart => {
            let pod = pod_code(&lower("pod").or(lower("pod2"))?);
            let day = state.reference("day", anchor);
            Some(Resolved {
                kind: TimeType::Time,
                value: format!("{}{pod}", fmt_day(day)),
                relative: true,
                clock: Some(pod),
            })
        }
        Kind::RelativeUnit => {
            let rel = lower("rel")?;
            let unit = lower("u")?;
            let step: i32 = match rel.as_str() {
                "last" | "past" | "previous" | "preceding" => -1,
                "next" | "coming" | "following" => 1,
                _ => 0,
            };
            // "the following year", "the previous month", "the same week" count from the last date named.
            let anaphoric = get("the").is_some()
                && matches!(
                    rel.as_str(),
                    "following" | "previous" | "preceding" | "same"
                );
            let base = if anaphoric {
                state.reference(&unit, anchor)
            } else {
                anchor
            };
            Resolved::new(TimeType::Date, shift_period(base, &unit, step)?, true)
        }
        Kind::Anaphora => {
            let unit = lower("u").or(lower("d"))?;
            let step: i64 = match lower("rel").as_deref() {
                Some("following") | Some("next") => 1,
                Some("previous") | Some("preceding") => -1,
                _ => 0,
            };
            let base = state.reference(&unit, anchor);
            let value = if unit == "day" {
                fmt_day(add_days(base, step)?)
            } else {
                shift_period(base, &unit, step as i32)?
            };
            Resolved::new(TimeType::Date, value, true)
        }
        Kind::Weekend => {
            let rel = lower("rel")?;
            let step = match rel.as_str() {
                "last" | "past" => -1,
                "next" | "coming" => 1,
                "this" => 0,
                _ => match ctx.tense() {
                    Tense::Past if anchor.weekday().number_from_monday() < 6 => -1,
                    _ => 0,
                },
            };
            let day = add_days(anchor, 7 * step)?;
            let week = day.iso_week();
            Resolved::new(
                TimeType::Date,
                format!("{:04}-W{:02}-WE", week.year(), week.week()),
                true,
            )
        }
        Kind::Offset => {
            let n = number(&lower("n")?);
            let unit = lower("u")?;
            let forward = lower("dir")?.starts_with("from") || lower("dir")? == "hence";
            let Some(n) = n.filter(|n| n.fract() == 0.0) else {
                let r = if forward { "FUTURE_REF" } else { "PAST_REF" };
                return Resolved::new(TimeType::Date, r, true);
            };
            let n = n as i32 * if forward { 1 } else { -1 };
            if unit == "year"
                && n == -1
                && let Some(q) = &state.last_quarter
            {
                return Resolved::new(TimeType::Date, shift_year(q, -1)?, true);
            }
            let value = match unit.as_str() {
                "day" => fmt_day(add_days(anchor, n as i64)?),
                "week" => {
                    let week = add_days(anchor, 7 * n as i64)?.iso_week();
                    format!("{:04}-W{:02}", week.year(), week.week())
                }
                "fortnight" => fmt_day(add_days(anchor, 14 * n as i64)?),
                "quarter" => {
                    let index = anchor.year() * 4 + (anchor.month() as i32 - 1) / 3 + n;
                    format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
                }
                "month" => {
                    let d = add_months(anchor, n)?;
                    format!("{:04}-{:02}", d.year(), d.month())
                }
                "year" => format!("{:04}", anchor.year() + n),
                "decade" => format!("{:03}", (anchor.year() + 10 * n) / 10),
                u if u.starts_with("centur") => format!("{:02}", (anchor.year() + 100 * n) / 100),
                _ => fmt_day(anchor),
            };
            Resolved::new(TimeType::Date, value, true)
        }
        Kind::YearAgo => {
            let value = match &state.last_quarter {
                Some(q) => shift_year(q, -1)?,
                None => format!("{:04}", anchor.year() - 1),
            };
            Resolved::new(TimeType::Date, value, true)
        }
        Kind::Duration => {
            let mut n = lower("n")?;
            let unit = lower("u")?;
            // "a minute and a half" counts like "one and a half minutes".
            if get("half").is_some() {
                n.push_str(" and a half");
            }
            Resolved::new(TimeType::Duration, duration_value(&n, &unit)?, false)
        }
        Kind::BareUnits => {
            let unit = lower("u")?;
            Resolved::new(
                TimeType::Duration,
                duration_value("several", unit.trim_end_matches('s'))?,
                false,
            )
        }
        Kind::Set => {
            let u = lower("u")?;
            let n = lower("n");
            let count = match n.as_deref() {
                None => "1".to_owned(),
                Some("other") => "2".to_owned(),
                Some(n) => number(n).map_or("X".to_owned(), |n| format!("{n}")),
            };
            if let Some(wd) = weekday(&capitalise(&u)) {
                return Resolved::new(
                    TimeType::Set,
                    format!("XXXX-WXX-{}", wd.number_from_monday()),
                    false,
                );
            }
            if matches!(u.as_str(), "morning" | "afternoon" | "evening" | "night") {
                return Resolved::new(TimeType::Set, format!("XXXX-XX-XX{}", pod_code(&u)), false);
            }
            if u == "weekend" {
                return Resolved::new(TimeType::Set, "XXXX-WXX-WE", false);
            }
            Resolved::new(TimeType::Set, duration_value(&count, &u)?, false)
        }
        Kind::Adverbial => {
            let value = match lower("a")?.as_str() {
                "daily" => "P1D",
                "weekly" => "P1W",
                "monthly" => "P1M",
                "quarterly" => "P3M",
                "hourly" => "PT1H",
                "nightly" => "XXXX-XX-XXTNI",
                _ => "P1Y",
            };
            Resolved::new(TimeType::Set, value, false)
        }
        Kind::SpokenYear => {
            let word = |w: Option<String>| w.and_then(|w| number(&w)).unwrap_or(0.0) as i32;
            let year = if get("c").is_some() {
                1900 + word(lower("t")) + word(lower("o"))
            } else {
                2000 + word(lower("o2"))
            };
            Resolved::new(TimeType::Date, format!("{year:04}"), false)
        }
        Kind::TheYear => {
            if get("ended").is_some() {
                return Resolved::new(TimeType::Duration, "P1Y", false);
            }
            // "the latest fiscal year" is the last one completed, as "the latest quarter" is.
            let latest = get("x").is_some_and(|x| x.to_ascii_lowercase().contains("latest"));
            let year = anchor.year() - i32::from(latest);
            Resolved::new(TimeType::Date, format!("{year:04}"), true)
        }
        Kind::YearEnd => {
            let year = if ctx.after_since() || ctx.tense() == Tense::Past {
                anchor.year() - 1
            } else {
                anchor.year()
            };
            Resolved::new(TimeType::Date, format!("{year:04}"), true)
        }
        Kind::VagueUnits => {
            let unit = lower("u")?;
            if get("few").is_some() {
                return Resolved::new(
                    TimeType::Duration,
                    duration_value("several", unit.trim_end_matches('s'))?,
                    false,
                );
            }
            let value = match lower("rel")?.as_str() {
                "coming" | "next" => "FUTURE_REF",
                _ => "PAST_REF",
            };
            Resolved::new(TimeType::Date, value, false)
        }
        Kind::Clock => {
            let (hour, minute) = if let Some(noon) = lower("noon") {
                (if noon == "midnight" { 24 } else { 12 }, 0)
            } else if let Some(h) = get("h24") {
                (h.parse().ok()?, get("mi24")?.parse().ok()?)
            } else {
                let mut h: u32 = get("h")?.parse().ok()?;
                let minute: u32 = get("mi").map_or(Some(0), |m| m.parse().ok())?;
                let ap = lower("ap")?;
                if h > 12 || minute > 59 || h == 0 {
                    return None;
                }
                if ap.starts_with('p') && h < 12 {
                    h += 12;
                } else if ap.starts_with('a') && h == 12 {
                    h = 0;
                }
                (h, minute)
            };
            let clock = format!("T{hour:02}:{minute:02}");
            Some(Resolved {
                kind: TimeType::Time,
                value: format!("{}{clock}", fmt_day(anchor)),
                relative: true,
                clock: Some(clock),
            })
        }
        Kind::Reference => {
            let r = lower("r")?;
            let value = match r.split_whitespace().last()? {
                "now" | "nowadays" | "currently" | "present" | "presently" | "current" | "days"
                | "moment" => "PRESENT_REF",
                "recently" | "lately" | "past" => "PAST_REF",
                _ => "FUTURE_REF",
            };
            Resolved::new(TimeType::Date, value, false)
        }
        Kind::Holiday => {
            let h = get("h")?.split_whitespace().collect::<Vec<_>>().join(" ");
            let year = get("y").and_then(|y| y.parse::<i32>().ok());
            let on = |y: i32| -> Option<NaiveDate> {
                match h.as_str() {
                    "Christmas" | "Christmas Day" => ymd(y, 12, 25),
                    "Christmas Eve" => ymd(y, 12, 24),
                    "New Year's" | "New Year's Day" => ymd(y, 1, 1),
                    "New Year's Eve" => ymd(y, 12, 31),
                    "Independence Day" => ymd(y, 7, 4),
                    "Halloween" => ymd(y, 10, 31),
                    "Valentine's Day" => ymd(y, 2, 14),
                    "Thanksgiving" | "Thanksgiving Day" => {
                        NaiveDate::from_weekday_of_month_opt(y, 11, Weekday::Thu, 4)
                    }
                    "Labor Day" => NaiveDate::from_weekday_of_month_opt(y, 9, Weekday::Mon, 1),
                    _ => {
                        // Memorial Day: the last Monday of May.
                        let last = ymd(y, 5, 31)?;
                        add_days(last, -(last.weekday().num_days_from_monday() as i64))
                    }
                }
            };
            if let Some(y) = year {
                return Resolved::new(TimeType::Date, fmt_day(on(y)?), false);
            }
            let candidates = [
                on(anchor.year() - 1)?,
                on(anchor.year())?,
                on(anchor.year() + 1)?,
            ];
            let date = pick_by_tense(anchor, &candidates, ctx.tense());
            Resolved::new(TimeType::Date, fmt_day(date), true)
        }
    }
}

/// Chooses among the same calendar date in consecutive years: the nearest to the anchor, unless the tense says
/// the other side and the nearest is more than two months off on the wrong one ("was arrested on December 28" read
/// in early January is last December's; "will rule on January 5" read in December is next January's).
fn pick_by_tense(anchor: NaiveDate, candidates: &[NaiveDate], tense: Tense) -> NaiveDate {
    const SLACK_DAYS: i64 = 90;
    let nearest =
        |it: &mut dyn Iterator<Item = NaiveDate>| it.min_by_key(|d| (*d - anchor).num_days().abs());
    let Some(best) = nearest(&mut candidates.iter().copied()) else {
        return anchor;
    };
    let off = (best - anchor).num_days();
    let other = match tense {
        Tense::Past if off > SLACK_DAYS => {
            nearest(&mut candidates.iter().copied().filter(|d| *d <= anchor))
        }
        Tense::Future if off < -SLACK_DAYS => {
            nearest(&mut candidates.iter().copied().filter(|d| *d >= anchor))
        }
        _ => None,
    };
    other.unwrap_or(best)
}

fn month_day_near(anchor: NaiveDate, month: u32, day: u32, tense: Tense) -> Option<NaiveDate> {
    let candidates: Vec<NaiveDate> = (anchor.year() - 1..=anchor.year() + 1)
        .filter_map(|y| ymd(y, month, day))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    Some(pick_by_tense(anchor, &candidates, tense))
}

fn resolve_weekday(anchor: NaiveDate, wd: Weekday, rel: Option<&str>, tense: Tense) -> NaiveDate {
    let a = anchor.weekday().num_days_from_monday() as i64;
    let w = wd.num_days_from_monday() as i64;
    let back = (a - w).rem_euclid(7); // days back to the most recent such weekday, 0 when it is today
    let ahead = (w - a).rem_euclid(7);
    let rel = rel.map(|r| r.trim_start_matches("the").trim_start());
    let offset = match rel {
        Some("last") | Some("past") | Some("previous") => -(if back == 0 { 7 } else { back }),
        Some("next") | Some("coming") | Some("following") => {
            if ahead == 0 {
                7
            } else {
                ahead
            }
        }
        _ if back == 0 => 0,
        _ => match tense {
            Tense::Future => ahead,
            _ if rel == Some("this") && tense == Tense::Unknown => ahead,
            _ => -back,
        },
    };
    add_days(anchor, offset).unwrap_or(anchor)
}

/// Shifts the anchor by `step` periods of `unit` and writes the period at that unit's precision.
fn shift_period(anchor: NaiveDate, unit: &str, step: i32) -> Option<String> {
    Some(match unit {
        "week" => {
            let week = add_days(anchor, 7 * step as i64)?.iso_week();
            format!("{:04}-W{:02}", week.year(), week.week())
        }
        "month" => {
            let d = add_months(anchor, step)?;
            format!("{:04}-{:02}", d.year(), d.month())
        }
        "year" => format!("{:04}", anchor.year() + step),
        "decade" => format!("{:03}", anchor.year() / 10 + step),
        _ => format!("{:02}", anchor.year() / 100 + step),
    })
}

/// A TimeML duration: `P3Y`, `PT2H`, `PXY` for a vague count.
fn duration_value(n: &str, unit: &str) -> Option<String> {
    let count = match number(n) {
        Some(x) if x.fract() == 0.0 => format!("{}", x as i64),
        Some(x) => format!("{x}"),
        None => "X".to_owned(),
    };
    let unit = unit.trim_end_matches('s');
    // "2 1/2 years" is P2Y6M: TimeML writes halves in the next smaller unit.
    if let Some(x) = number(n).filter(|x| x.fract() == 0.5) {
        let whole = x.trunc() as i64;
        let half = match unit {
            "hour" => format!("PT{whole}H30M"),
            "minute" => format!("PT{whole}M30S"),
            "day" => format!("P{whole}DT12H"),
            "month" => format!("P{whole}M15D"),
            "year" => format!("P{whole}Y6M"),
            _ => format!("P{x}{}", unit.chars().next()?.to_ascii_uppercase()),
        };
        return Some(half);
    }
    Some(match unit {
        "second" => format!("PT{count}S"),
        "minute" => format!("PT{count}M"),
        "hour" => format!("PT{count}H"),
        "day" => format!("P{count}D"),
        "week" => format!("P{count}W"),
        "fortnight" => match number(n) {
            Some(x) => format!("P{}W", x * 2.0),
            None => "PXW".to_owned(),
        },
        "month" => format!("P{count}M"),
        "quarter" => format!("P{count}Q"),
        "year" => format!("P{count}Y"),
        // Decades and centuries in years, as TimeBank writes them: "two decades" is P20Y.
        "decade" | "century" | "centurie" => match number(n) {
            Some(x) => format!(
                "P{}Y",
                (x * if unit == "decade" { 10.0 } else { 100.0 }) as i64
            ),
            None => format!("PX{}", if unit == "decade" { "DE" } else { "CE" }),
        },
        _ => return None,
    })
}

fn number(s: &str) -> Option<f64> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Ok(x) = s.parse::<f64>() {
        return Some(x);
    }
    // "two and a half", "a year and a half" (passed as "a and a half").
    if let Some(whole) = s.strip_suffix(" and a half") {
        return number(whole).map(|x| x + 0.5);
    }
    // "twenty-four", "twenty four".
    if let Some((tens, ones)) = s.split_once(['-', ' '])
        && let (Some(t), Some(o)) = (number(tens), number(ones))
        && t >= 20.0
        && t % 10.0 == 0.0
        && (1.0..10.0).contains(&o)
    {
        return Some(t + o);
    }
    if let Some(whole) = s.strip_suffix(" 1/2") {
        return whole.parse::<f64>().ok().map(|x| x + 0.5);
    }
    Some(match s.as_str() {
        "a" | "an" | "one" => 1.0,
        "two" | "a couple of" | "couple of" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" | "a dozen" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" | "a hundred" => 100.0,
        "half a" => 0.5,
        _ => return None,
    })
}

/// Shifts the year of a value such as `1989-Q3` or `1989`.
fn shift_year(value: &str, by: i32) -> Option<String> {
    let year: i32 = value.get(..4)?.parse().ok()?;
    Some(format!("{:04}{}", year + by, &value[4..]))
}

/// The tense of the clause around `start..end`, from the nearest verb cue (see the module docs).
fn tense_near(text: &str, start: usize, end: usize) -> Tense {
    const WINDOW: usize = 12;
    let before = sentence_before(text, start);
    let after = sentence_after(text, end);
    let mut best: Option<(usize, Tense)> = None;
    let mut consider = |distance: usize, tense: Tense| {
        let better = match best {
            None => true,
            Some((d, t)) => {
                distance < d || (distance == d && tense == Tense::Future && t != Tense::Future)
            }
        };
        if better {
            best = Some((distance, tense));
        }
    };
    let words_before: Vec<&str> = words(before).collect();
    let n = words_before.len();
    for i in 0..n.min(WINDOW) {
        // The i-th word back from the expression, with the two words before it and the one after.
        let at = n - 1 - i;
        let word = |k: usize| words_before.get(k).copied().unwrap_or("");
        let prev = [word(at.wrapping_sub(2)), word(at.wrapping_sub(1))];
        if let Some(t) = word_tense(prev, words_before[at], word(at + 1)) {
            consider(i + 1, t);
        }
    }
    let words_after: Vec<&str> = words(after).take(WINDOW + 1).collect();
    for (i, w) in words_after.iter().enumerate().take(WINDOW) {
        let word = |k: usize| words_after.get(k).copied().unwrap_or("");
        let prev = [word(i.wrapping_sub(2)), word(i.wrapping_sub(1))];
        if let Some(t) = word_tense(prev, w, word(i + 1)) {
            consider(i + 1, t);
        }
    }
    best.map_or(Tense::Unknown, |(_, t)| t)
}

/// At most a few hundred bytes of the sentence before `at`, so the window stays bounded on text without stops.
fn sentence_before(text: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(200);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let s = &text[from..at];
    let mut cut = 0;
    for (i, c) in s.char_indices() {
        if is_sentence_end(s, i, c) {
            cut = i + c.len_utf8();
        }
    }
    &s[cut..]
}

fn sentence_after(text: &str, at: usize) -> &str {
    let mut to = (at + 200).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let s = &text[at..to];
    match s.char_indices().find(|&(i, c)| is_sentence_end(s, i, c)) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A stop ends a sentence only when a space and a capital (or a quotation mark) follow: "N.J., airport" and
/// "Oct. 27" go on.
fn is_sentence_end(s: &str, i: usize, c: char) -> bool {
    match c {
        '\n' | '!' | '?' | ';' => true,
        '.' => {
            let mut rest = s[i + 1..].chars();
            match (rest.next(), rest.next()) {
                (Some(w), Some(n)) if w.is_whitespace() => {
                    n.is_uppercase() || matches!(n, '"' | '“' | '`' | '\'')
                }
                (None, _) | (Some(_), None) => true,
                _ => false,
            }
        }
        _ => false,
    }
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

/// The tense a word marks, given the two words before it and the one after (see the module docs).
fn word_tense(prev: [&str; 2], word: &str, next: &str) -> Option<Tense> {
    let w = word.to_ascii_lowercase();
    let next = next.to_ascii_lowercase();
    // The words before are lower-cased only for the few words whose reading depends on them.
    let [prev2, prev1] = prev;
    if w.ends_with("'ll") || w.ends_with("’ll") {
        return Some(Tense::Future);
    }
    // "three days later" tells the order of two reported events, not that either is still to come.
    if w == "later"
        && matches!(
            prev1.to_ascii_lowercase().trim_end_matches('s'),
            "minute" | "hour" | "day" | "week" | "month" | "year" | "decade"
        )
    {
        return None;
    }
    // "had been due to expire", "had been scheduled for": a plan the report puts in the past.
    if matches!(
        w.as_str(),
        "due" | "scheduled" | "expected" | "set" | "supposed" | "slated" | "planned"
    ) && prev2.eq_ignore_ascii_case("had")
        && prev1.eq_ignore_ascii_case("been")
    {
        return Some(Tense::Past);
    }
    // A participle after "be" is a passive whose tense the auxiliary before it gives ("will be paid"), and one
    // after a determiner is an adjective ("a still unspecified date", "the proposed merger"): neither is a past.
    let adverb = |p: &str| {
        p.ends_with("ly")
            || matches!(
                p,
                "still" | "yet" | "very" | "so" | "most" | "more" | "less" | "well"
            )
    };
    let determiner = |p: &str| {
        matches!(
            p,
            "a" | "an"
                | "the"
                | "its"
                | "their"
                | "his"
                | "her"
                | "our"
                | "my"
                | "your"
                | "this"
                | "that"
                | "these"
                | "those"
                | "each"
                | "every"
                | "no"
        )
    };
    if is_past_form(&w) {
        let [prev2, prev1] = prev.map(|p| p.to_ascii_lowercase());
        if matches!(prev1.as_str(), "be" | "being")
            || determiner(&prev1)
            || (adverb(&prev1) && determiner(&prev2))
        {
            return None;
        }
    }
    match w.as_str() {
        "will" | "shall" | "would" | "won't" | "tomorrow" | "next" | "upcoming" | "scheduled"
        | "expected" | "effective" | "plans" | "plan" | "planning" | "slated" | "due"
        | "intends" | "aims" | "later" => {
            return Some(Tense::Future);
        }
        "going" | "set" | "supposed" | "expects" | "expect" | "hopes" | "hope" | "wants"
        | "intend"
            if next == "to" =>
        {
            return Some(Tense::Future);
        }
        "was" | "were" | "is" | "are"
            if matches!(
                next.as_str(),
                "planning"
                    | "going"
                    | "expected"
                    | "scheduled"
                    | "due"
                    | "set"
                    | "supposed"
                    | "slated"
                    | "to"
            ) =>
        {
            return Some(Tense::Future);
        }
        "said" | "was" | "were" | "had" | "did" | "ago" | "last" | "yesterday" | "earlier"
        | "been" | "hit" => return Some(Tense::Past),
        _ if IRREGULAR_PAST.contains(&w.as_str()) => return Some(Tense::Past),
        _ => {}
    }
    // A present-tense verb nearer than any past one leaves the tense open: "the dividend is payable Jan. 2".
    if matches!(w.as_str(), "is" | "are" | "am" | "says" | "say") {
        return Some(Tense::Unknown);
    }
    if is_regular_past(&w) {
        return Some(Tense::Past);
    }
    None
}

/// Whether a lower-case word looks like a regular past form ("-ed", not "need" or "hundred").
fn is_regular_past(w: &str) -> bool {
    const NOT_PAST: [&str; 12] = [
        "need", "indeed", "proceed", "exceed", "succeed", "speed", "hundred", "sacred", "naked",
        "feed", "seed", "red",
    ];
    w.len() > 4 && w.ends_with("ed") && !NOT_PAST.contains(&w)
}

/// Whether a lower-case word is a past form the tense rules count: a regular one or a listed irregular one.
fn is_past_form(w: &str) -> bool {
    is_regular_past(w) || IRREGULAR_PAST.contains(&w)
}

/// Irregular past forms that mark a report of what happened.
const IRREGULAR_PAST: [&str; 46] = [
    "met", "made", "held", "told", "took", "gave", "came", "went", "left", "saw", "found", "began",
    "won", "lost", "fell", "rose", "paid", "sold", "bought", "brought", "thought", "became", "got",
    "kept", "ran", "spoke", "wrote", "struck", "sent", "spent", "led", "fled", "stood", "broke",
    "chose", "drove", "flew", "fought", "grew", "knew", "meant", "shot", "sought", "taught",
    "threw", "withdrew",
];

fn pod_code(pod: &str) -> String {
    match pod {
        "morning" => "TMO",
        "afternoon" => "TAF",
        "evening" => "TEV",
        _ => "TNI",
    }
    .to_owned()
}

fn month_number(m: &str) -> Option<u32> {
    let m = m.trim_end_matches('.').to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names
        .iter()
        .position(|n| m.starts_with(n))
        .map(|i| i as u32 + 1)
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "Monday" => Weekday::Mon,
        "Tuesday" => Weekday::Tue,
        "Wednesday" => Weekday::Wed,
        "Thursday" => Weekday::Thu,
        "Friday" => Weekday::Fri,
        "Saturday" => Weekday::Sat,
        "Sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_months(Months::new(n as u32))
    } else {
        d.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}

fn fmt_day(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn mask_digits(value: &str) -> String {
    if value.ends_with("_REF") {
        return value.to_owned();
    }
    value
        .chars()
        .map(|c| if c.is_ascii_digit() { 'X' } else { c })
        .collect()
}

/// How precisely a TimeML value places its expression on the calendar.
pub(crate) fn value_precision(value: &str) -> TimePrecision {
    let b = value.as_bytes();
    if value.starts_with('P') || value.ends_with("_REF") || value.len() < 2 {
        return TimePrecision::None;
    }
    if value.contains("T") && !value.starts_with('T') {
        let after = &value[value.find('T').unwrap_or(0) + 1..];
        return if after.starts_with(|c: char| c.is_ascii_digit()) {
            TimePrecision::Minute
        } else {
            TimePrecision::PartOfDay
        };
    }
    match b.len() {
        2 => TimePrecision::Century,
        3 => TimePrecision::Decade,
        4 => TimePrecision::Year,
        // Seasons and halves first: "1994-WI" is a winter, not a week.
        7 if value[5..].starts_with(['S', 'F', 'W', 'H']) => TimePrecision::Season,
        _ if value.contains('W') => TimePrecision::Week,
        _ if value.contains('Q') => TimePrecision::Quarter,
        7 => TimePrecision::Month,
        10 => TimePrecision::Day,
        _ => TimePrecision::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds the expressions in `text` against `anchor` and compares `text=value` pairs, in order.
    fn check(text: &str, anchor: &str, expect: &[&str]) {
        let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").unwrap();
        let found: Vec<String> = find_time_expressions(text, Some(anchor))
            .iter()
            .map(|t| format!("{}={}", t.text, t.value))
            .collect();
        assert_eq!(found, expect, "in {text:?}");
    }

    const FRIDAY: &str = "2023-10-27";

    #[test]
    fn absolute_dates_keep_what_they_say() {
        check(
            "It began on October 27, 2023.",
            FRIDAY,
            &["October 27, 2023=2023-10-27"],
        );
        check(
            "The meeting was held in Moscow in December 2021.",
            FRIDAY,
            &["December 2021=2021-12"],
        );
        check(
            "Prices rose in 1990 and in the 1990s.",
            FRIDAY,
            &["1990=1990", "the 1990s=199"],
        );
        check(
            "Profit fell in the third quarter of 1989.",
            FRIDAY,
            &["the third quarter of 1989=1989-Q3"],
        );
        check(
            "Filed 2023-10-05 and 10/27/2023.",
            FRIDAY,
            &["2023-10-05=2023-10-05", "10/27/2023=2023-10-27"],
        );
        check(
            "On 7 October 2023 militants attacked.",
            FRIDAY,
            &["7 October 2023=2023-10-07"],
        );
    }

    #[test]
    fn month_and_day_take_the_year_from_the_anchor() {
        check(
            "The second was held on October 23 in Tehran.",
            FRIDAY,
            &["October 23=2023-10-23"],
        );
        check(
            "Tensions flared up on Oct. 7 when militants struck.",
            FRIDAY,
            &["Oct. 7=2023-10-07"],
        );
        // Published in January, a December date in a past-tense report is last year's.
        check(
            "He was arrested on December 28.",
            "2024-01-03",
            &["December 28=2023-12-28"],
        );
        // A future-tense report of a January date published in December is next year's.
        check(
            "The court will rule on January 5.",
            "2023-12-20",
            &["January 5=2024-01-05"],
        );
    }

    #[test]
    fn weekdays_follow_the_tense() {
        check(
            "Bagheri Kani made the suggestions on Thursday.",
            FRIDAY,
            &["Thursday=2023-10-26"],
        );
        check(
            "The ministers will meet on Thursday.",
            FRIDAY,
            &["Thursday=2023-11-02"],
        );
        check(
            "The two sides met on Monday.",
            FRIDAY,
            &["Monday=2023-10-23"],
        );
        check(
            "Officials said Friday that talks had ended.",
            FRIDAY,
            &["Friday=2023-10-27"],
        );
        check(
            "Talks resume next Monday.",
            FRIDAY,
            &["next Monday=2023-10-30"],
        );
        check("He left last Friday.", FRIDAY, &["last Friday=2023-10-20"]);
        check(
            "Shelling went on Thursday night.",
            FRIDAY,
            &["Thursday night=2023-10-26TNI"],
        );
    }

    #[test]
    fn participles_that_are_not_past_verbs_leave_the_tense_to_the_clause() {
        // A passive after "be" takes its tense from the modal: next January, not last.
        check(
            "The bonus would be paid on a yet unnamed date in January.",
            "1999-10-20",
            &["January=2000-01"],
        );
        // "a still undisclosed sum" is an adjective, so "will" is the nearest cue.
        check(
            "The club will sign him for a still undisclosed sum on Monday.",
            FRIDAY,
            &["Monday=2023-10-30"],
        );
        // "had been due to" puts the plan in the past.
        check(
            "The deadline had been due to expire Friday evening.",
            "2023-10-30",
            &["Friday evening=2023-10-27TEV"],
        );
        // "four days later" orders two reported events; the clause is in the past.
        check(
            "Four days later, on Thursday, the index was up again.",
            FRIDAY,
            &["Four days=P4D", "Thursday=2023-10-26"],
        );
    }

    #[test]
    fn since_names_a_point_already_reached() {
        // Whatever the tense of the clause, "since" looks back from the anchor.
        check(
            "The ship, on patrol since December, was to come home soon.",
            "2023-10-27",
            &["December=2022-12"],
        );
        check(
            "The index has risen 12% since Nov. 3 and will be reviewed.",
            "2023-10-27",
            &["Nov. 3=2022-11-03"],
        );
        check(
            "Prices will be compared with the level since year-end.",
            "2023-10-27",
            &["year-end=2022"],
        );
    }

    #[test]
    fn an_expectation_points_ahead() {
        check(
            "The bank said it expects to complete the sale by year-end.",
            "2023-10-27",
            &["year-end=2023"],
        );
    }

    #[test]
    fn following_and_previous_count_from_the_last_date_named() {
        check(
            "She joined the bank in 2004 and the following year became its chair.",
            FRIDAY,
            &["2004=2004", "the following year=2005"],
        );
        check(
            "The offer came in March. The following month, the board said no.",
            FRIDAY,
            &["March=2023-03", "The following month=2023-04"],
        );
        check(
            "Shares closed at 41 on Friday, down from the previous Friday.",
            "2023-10-30",
            &["Friday=2023-10-27", "the previous Friday=2023-10-20"],
        );
        check(
            "He was detained on May 3 and freed the next day.",
            FRIDAY,
            &["May 3=2023-05-03", "the next day=2023-05-04"],
        );
        check(
            "Imports peaked in 1998; exports fell that year.",
            FRIDAY,
            &["1998=1998", "that year=1998"],
        );
        // With no date named before, they count from the anchor.
        check(
            "The following year will be harder.",
            FRIDAY,
            &["The following year=2024"],
        );
        // "last year" and "last Friday" stay deictic.
        check(
            "In 2004 it grew; last year it shrank.",
            FRIDAY,
            &["2004=2004", "last year=2022"],
        );
    }

    #[test]
    fn deictic_and_relative_periods_count_from_the_anchor() {
        check("He said so yesterday.", FRIDAY, &["yesterday=2023-10-26"]);
        check("They will vote tomorrow.", FRIDAY, &["tomorrow=2023-10-28"]);
        check(
            "The envoy arrived last week.",
            FRIDAY,
            &["last week=2023-W42"],
        );
        check(
            "Sales fell last month and this year.",
            FRIDAY,
            &["last month=2023-09", "this year=2023"],
        );
        check(
            "The talks ended two days ago.",
            FRIDAY,
            &["two days ago=2023-10-25"],
        );
        check(
            "Output grew earlier this year.",
            FRIDAY,
            &["earlier this year=2023"],
        );
        check(
            "Trade doubled over the past two months.",
            FRIDAY,
            &["the past two months=P2M"],
        );
        check("A vote is due next year.", FRIDAY, &["next year=2024"]);
    }

    #[test]
    fn durations_sets_and_references() {
        check(
            "The blockade has lasted three years.",
            FRIDAY,
            &["three years=P3Y"],
        );
        check(
            "Talks took 18 months and two hours.",
            FRIDAY,
            &["18 months=P18M", "two hours=PT2H"],
        );
        check("A two-year deal.", FRIDAY, &["two-year=P2Y"]);
        check(
            "The council meets every Monday.",
            FRIDAY,
            &["every Monday=XXXX-WXX-1"],
        );
        check("Convoys cross daily.", FRIDAY, &["daily=P1D"]);
        check(
            "Aid is now arriving, officials currently say.",
            FRIDAY,
            &["now=PRESENT_REF", "currently=PRESENT_REF"],
        );
        check("A 44-year-old man.", FRIDAY, &[]);
    }

    #[test]
    fn times_of_day_join_their_date() {
        check(
            "The vote is at 10:30 a.m. Thursday.",
            FRIDAY,
            &["10:30 a.m. Thursday=2023-10-26T10:30"],
        );
        check("They met at noon.", FRIDAY, &["noon=2023-10-27T12:00"]);
    }

    #[test]
    fn financial_periods_follow_the_quarter_named() {
        check(
            "In the third quarter net rose in the 1989 period and fell in the year-ago period; last year's quarter was weak.",
            "1989-10-27",
            &[
                "the third quarter=1989-Q3",
                "the 1989 period=1989-Q3",
                "the year-ago period=1988-Q3",
                "last year's quarter=1988-Q3",
            ],
        );
        check(
            "Sales for this year's third quarter.",
            "1989-10-27",
            &["this year's third quarter=1989-Q3"],
        );
        check(
            "It lasted 2 1/2 years, or two decades.",
            FRIDAY,
            &["2 1/2 years=P2Y6M", "two decades=P20Y"],
        );
        check(
            "down from the previous Friday",
            FRIDAY,
            &["the previous Friday=2023-10-20"],
        );
        check(
            "The index was 2082.1 and rose in mid-1996.",
            FRIDAY,
            &["mid-1996=1996"],
        );
    }

    #[test]
    fn spoken_years_are_years() {
        check(
            "In nineteen ninety-six and in the year two thousand.",
            FRIDAY,
            &["nineteen ninety-six=1996", "the year two thousand=2000"],
        );
    }

    #[test]
    fn verbs_named_may_and_march_are_not_months() {
        check("He may march on.", FRIDAY, &[]);
        check("The law passed in May.", FRIDAY, &["May=2023-05"]);
        check("Prices fall in the spring.", FRIDAY, &["spring=2023-SP"]);
    }

    #[test]
    fn quarters_follow_the_last_one_named() {
        check(
            "Profit rose in the third quarter from a year earlier. In the quarter, sales fell.",
            "1989-10-27",
            &[
                "the third quarter=1989-Q3",
                "a year earlier=1988-Q3",
                "the quarter=1989-Q3",
            ],
        );
    }

    #[test]
    fn the_latest_quarter_is_the_one_compared_and_a_forecast_quarter_is_not() {
        // "the latest quarter" names the quarter reported, so "a year earlier" is that quarter a year before.
        check(
            "Profit in the latest quarter rose to $9 million from $7 million a year earlier.",
            "2023-10-27",
            &["the latest quarter=2023-Q3", "a year earlier=2022-Q3"],
        );
        // A quarter still to come is a forecast, not the period being compared.
        check(
            "Profit rose in the third quarter. Sales should recover by the second quarter of 2024. \
             In the year-ago period, profit was lower.",
            "2023-10-27",
            &[
                "the third quarter=2023-Q3",
                "the second quarter of 2024=2024-Q2",
                "the year-ago period=2022-Q3",
            ],
        );
    }

    #[test]
    fn compound_numbers_and_halves_count_in_durations() {
        check(
            "Rescuers searched for twenty-four hours, then thirty six hours more.",
            FRIDAY,
            &["twenty-four hours=PT24H", "thirty six hours=PT36H"],
        );
        check(
            "The vote took a minute and a half; the war lasted two and a half years.",
            FRIDAY,
            &["a minute and a half=PT1M30S", "two and a half years=P2Y6M"],
        );
    }

    #[test]
    fn fiscal_years_and_halves() {
        check(
            "Sales in the current fiscal year will top those of the latest fiscal year.",
            "1989-10-27",
            &[
                "the current fiscal year=1989",
                "the latest fiscal year=1988",
            ],
        );
        check(
            "Output will fall in the last half of 1989 and the first two quarters of 1990.",
            "1989-10-27",
            &[
                "the last half of 1989=1989-H2",
                "the first two quarters of 1990=1990-H1",
            ],
        );
        check(
            "Growth slowed in the first half of last year.",
            "1989-10-27",
            &["the first half of last year=1988-H1"],
        );
        // Halves of other things are not halves of a year.
        check(
            "He scored in the first half hour and wrote of the last half of the '80s.",
            "1989-10-27",
            &["the '80s=198"],
        );
    }

    #[test]
    fn a_year_named_after_a_period_gives_it_its_year() {
        check(
            "He was arrested in July last year and freed on Oct. 7 last year.",
            FRIDAY,
            &["July last year=2022-07", "Oct. 7 last year=2022-10-07"],
        );
        check(
            "Oil hit that level in the winter of nineteen ninety-four and in March nineteen ninety.",
            FRIDAY,
            &[
                "winter of nineteen ninety-four=1994-WI",
                "March nineteen ninety=1990-03",
            ],
        );
        // A weekday stays in the anchor's week: "Monday, 2021" is no date.
        check(
            "He spoke on Monday, 2021 being his first term.",
            FRIDAY,
            &["Monday=2023-10-23", "2021=2021"],
        );
    }

    #[test]
    fn a_capitalised_unit_inside_a_sentence_is_a_title() {
        check(
            "She told NBC's \"Next Week\" programme that talks resume next week.",
            FRIDAY,
            &["next week=2023-W44"],
        );
        check(
            "This Week the talks resume.",
            FRIDAY,
            &["This Week=2023-W43"],
        );
    }

    #[test]
    fn parts_of_the_day_belong_to_the_day_named() {
        check(
            "Shares fell at mid-afternoon yesterday.",
            FRIDAY,
            &["mid-afternoon yesterday=2023-10-26TAF"],
        );
        check(
            "Trading opened on Tuesday. Buyers were active in the morning.",
            FRIDAY,
            &["Tuesday=2023-10-24", "the morning=2023-10-24TMO"],
        );
        check(
            "By late evening the shelling had stopped.",
            FRIDAY,
            &["late evening=2023-10-27TEV"],
        );
    }

    #[test]
    fn today_after_a_name_is_a_title() {
        check(
            "He told USA Today that he would run today.",
            FRIDAY,
            &["today=2023-10-27"],
        );
        check("Today the talks resume.", FRIDAY, &["Today=2023-10-27"]);
        check(
            "Prices rose. Today the talks resume.",
            FRIDAY,
            &["Today=2023-10-27"],
        );
    }

    #[test]
    fn without_an_anchor_unknown_digits_are_masked() {
        let found = find_time_expressions("on October 23 and yesterday", None);
        let values: Vec<&str> = found.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(values, ["XXXX-10-23", "XXXX-XX-XX"]);
    }

    #[test]
    fn precision_follows_the_value() {
        assert_eq!(value_precision("2023-10-26"), TimePrecision::Day);
        assert_eq!(value_precision("2021-12"), TimePrecision::Month);
        assert_eq!(value_precision("2023-W42"), TimePrecision::Week);
        assert_eq!(value_precision("1989-Q3"), TimePrecision::Quarter);
        assert_eq!(value_precision("2023-SU"), TimePrecision::Season);
        assert_eq!(value_precision("1994-WI"), TimePrecision::Season);
        assert_eq!(value_precision("2023-W42-WE"), TimePrecision::Week);
        assert_eq!(value_precision("199"), TimePrecision::Decade);
        assert_eq!(value_precision("2023-10-26TNI"), TimePrecision::PartOfDay);
        assert_eq!(value_precision("P3Y"), TimePrecision::None);
    }
}
