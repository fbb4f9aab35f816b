//! Publication dates at the precision the input gives.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// When an article was published, no more precise than its input says.
///
/// Serialised as ISO 8601: a day (`2023-10-27`), a local time (`2023-10-27T22:45`), or a time with an offset
/// (`2023-10-27T22:45:00+03:00`) only when the input gives one. A time without an offset is the publisher's local
/// time; Parallax never invents a time zone.
///
/// Dates order in time, by day first and then by the time of day as the publisher's clock shows it, a day
/// without a time before the times of that day: "2024-05-06" comes after "2024-04-05T07:00", which a comparison of
/// the variants first would put the other way. Two dates are equal only when given alike (the same day, time and
/// stated offset).
#[derive(Debug, Clone, Copy)]
pub enum PubDate {
    /// Only the day is known.
    Day(NaiveDate),
    /// A wall-clock time in the publisher's (unknown) zone.
    Local(NaiveDateTime),
    /// A time with the offset the input stated.
    Zoned(DateTime<FixedOffset>),
}

impl PubDate {
    /// What dates are ordered by: the day, the wall-clock time (none for a day alone), then how it was given and
    /// the stated offset, so that only dates given alike compare equal.
    fn order_key(&self) -> (NaiveDate, Option<chrono::NaiveTime>, u8, i32) {
        match self {
            PubDate::Day(d) => (*d, None, 0, 0),
            PubDate::Local(t) => (t.date(), Some(t.time()), 1, 0),
            PubDate::Zoned(t) => (
                t.date_naive(),
                Some(t.time()),
                2,
                t.offset().local_minus_utc(),
            ),
        }
    }

    /// The calendar day of publication, in the publisher's own zone where one is known.
    pub fn day(&self) -> NaiveDate {
        match self {
            PubDate::Day(d) => *d,
            PubDate::Local(t) => t.date(),
            PubDate::Zoned(t) => t.date_naive(),
        }
    }
}

impl PartialEq for PubDate {
    fn eq(&self, other: &Self) -> bool {
        self.order_key() == other.order_key()
    }
}

impl Eq for PubDate {}

impl std::hash::Hash for PubDate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.order_key().hash(state);
    }
}

impl PartialOrd for PubDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PubDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

/// A string that is not an ISO 8601 day or time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PubDateError(pub String);

impl fmt::Display for PubDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an ISO 8601 date or time: {:?}", self.0)
    }
}

impl std::error::Error for PubDateError {}

impl FromStr for PubDate {
    type Err = PubDateError;

    /// Parses the ISO 8601 forms this type prints. Lenient parsing of dates as found in the wild belongs to the
    /// readers; this is the canonical form only.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(PubDate::Zoned(t));
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
                return Ok(PubDate::Local(t));
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(PubDate::Day)
            .map_err(|_| PubDateError(s.to_owned()))
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Timelike;
        match self {
            PubDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            PubDate::Local(t) if t.second() == 0 && t.nanosecond() == 0 => {
                write!(f, "{}", t.format("%Y-%m-%dT%H:%M"))
            }
            // Fractions of a second are printed only when present, so what is printed reads back the same.
            PubDate::Local(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.f")),
            PubDate::Zoned(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.f%:z")),
        }
    }
}

impl Serialize for PubDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PubDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_order_in_time_whatever_their_precision() {
        let d = |s: &str| s.parse::<PubDate>().unwrap();
        assert!(d("2024-05-06") > d("2024-04-05T07:00"));
        assert!(d("2024-04-05") < d("2024-04-05T00:00"));
        assert!(d("2024-04-05T07:00") < d("2024-04-05T08:00:00+02:00"));
        assert!(d("2023-10-27T22:45") > d("2023-10-27"));
        let mut dates = vec![d("2024-05-06"), d("2024-04-05T07:00"), d("2024-04-04")];
        dates.sort();
        assert_eq!(
            dates,
            vec![d("2024-04-04"), d("2024-04-05T07:00"), d("2024-05-06")]
        );
        assert_eq!(d("2024-04-05T07:00"), d("2024-04-05T07:00"));
        assert_ne!(
            d("2024-04-05T07:00:00+01:00"),
            d("2024-04-05T07:00:00+02:00")
        );
    }

    fn check(input: &str, expect: &str) {
        let date: PubDate = input.parse().unwrap();
        assert_eq!(date.to_string(), expect);
    }

    #[test]
    fn prints_no_more_precision_than_given() {
        check("2023-10-27", "2023-10-27");
        check("2023-10-27T22:45", "2023-10-27T22:45");
        check("2023-10-27T22:45:10", "2023-10-27T22:45:10");
        check("2023-10-27T22:45:00+03:00", "2023-10-27T22:45:00+03:00");
        check("2023-10-27T22:45:00Z", "2023-10-27T22:45:00+00:00");
        check("2023-10-27T07:22:00.7", "2023-10-27T07:22:00.700");
        check(
            "2023-10-27T07:22:00.25+01:00",
            "2023-10-27T07:22:00.250+01:00",
        );
    }

    #[test]
    fn reads_back_what_it_prints() {
        for input in [
            "2023-10-27T07:22:00.7",
            "2023-10-27T07:22:00.123456789Z",
            "2023-10-27T07:22",
        ] {
            let date: PubDate = input.parse().unwrap();
            assert_eq!(
                date.to_string().parse::<PubDate>().unwrap(),
                date,
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_iso() {
        assert!("October 27, 2023".parse::<PubDate>().is_err());
    }
}
