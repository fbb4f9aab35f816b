//! Temporal expressions found in an article's text, normalised to TimeML values.

use serde::{Deserialize, Serialize};

/// The TimeML type of a temporal expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum TimeType {
    /// A calendar date or period: "October 27, 2023", "last week", "the third quarter", "now".
    Date,
    /// A time of day, possibly with its date: "10:30 a.m.", "Thursday night".
    Time,
    /// A length of time: "three years" (`P3Y`), "two hours" (`PT2H`).
    Duration,
    /// A recurring time: "every Monday" (`XXXX-WXX-1`), "daily" (`P1D`).
    Set,
}

impl TimeType {
    /// The TimeML name: `DATE`, `TIME`, `DURATION` or `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeType::Date => "DATE",
            TimeType::Time => "TIME",
            TimeType::Duration => "DURATION",
            TimeType::Set => "SET",
        }
    }
}

/// How precisely a value pins down a point or period on the calendar.
///
/// Readers comparing sources use this to tell "in October" (month) from "on October 23" (day): two articles agree
/// on a date only as far as the coarser of the two precisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum TimePrecision {
    /// A century: `19` ("the 20th century").
    Century,
    /// A decade: `199` ("the 1990s").
    Decade,
    /// A year: `2021`.
    Year,
    /// A half or a season of a year: `2021-H1`, `2021-SU`.
    Season,
    /// A quarter: `1989-Q3`.
    Quarter,
    /// A month: `2021-12`.
    Month,
    /// An ISO week or weekend: `2023-W42`.
    Week,
    /// A day: `2023-10-26`.
    Day,
    /// A part of a day: `2023-10-26TNI` ("Thursday night").
    PartOfDay,
    /// A time to the hour or minute: `2023-10-26T10:30`.
    Minute,
    /// No calendar position: durations, sets, and the references `PRESENT_REF`, `PAST_REF`, `FUTURE_REF`.
    None,
}

/// A temporal expression: where it is in the text and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// Byte offset of the first character in `Article::text`.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub kind: TimeType,
    /// The TimeML value: `2023-10-26`, `2021-12`, `2023-W42`, `P3Y`, `XXXX-WXX-1`, `PRESENT_REF`; `X` marks
    /// digits the text does not give.
    pub value: String,
    /// How precisely `value` places the expression on the calendar.
    pub precision: TimePrecision,
    /// True when the value was computed from the anchor (the publication date) rather than read off the text:
    /// "on Thursday", "last week", "yesterday". A wrong anchor makes these wrong, never the absolute ones.
    pub relative: bool,
    /// The index of the sentence it is in; set by the extraction stage.
    #[serde(default)]
    pub sentence: usize,
}
