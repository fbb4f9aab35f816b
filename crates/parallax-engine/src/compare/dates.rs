//! TimeML values written as people write dates: "Thursday 26 October 2023", "December 2021", "the night of 24
//! March 2024".

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn day_words(day: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        day.format("%A"),
        day.day(),
        MONTHS[day.month0() as usize],
        day.year()
    )
}

/// A TimeML value as a reader would write it; the value itself where it names nothing on the calendar
/// (durations, sets, `PRESENT_REF`), so nothing is hidden.
///
/// ```
/// use parallax_engine::compare::display_date;
/// assert_eq!(display_date("2023-10-26"), "Thursday 26 October 2023");
/// assert_eq!(display_date("2024-03-24TNI"), "the night of Sunday 24 March 2024");
/// assert_eq!(display_date("2021-12"), "December 2021");
/// ```
pub fn display_date(value: &str) -> String {
    let year = value.get(..4).and_then(|y| y.parse::<i32>().ok());
    let Some(year) = year.filter(|_| value.len() == 4 || value.as_bytes().get(4) == Some(&b'-'))
    else {
        return match value {
            "PRESENT_REF" => "now".to_owned(),
            "PAST_REF" => "in the past".to_owned(),
            "FUTURE_REF" => "in the future".to_owned(),
            _ => value.to_owned(),
        };
    };
    let rest = &value[4..];
    if rest.is_empty() {
        return year.to_string();
    }
    if let Some(day) = value
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        let words = day_words(day);
        return match value.get(10..) {
            None | Some("") => words,
            Some("TMO") => format!("the morning of {words}"),
            Some("TAF") => format!("the afternoon of {words}"),
            Some("TEV") => format!("the evening of {words}"),
            Some("TNI") => format!("the night of {words}"),
            Some("TDT") => format!("the daytime of {words}"),
            Some(time) => match time.strip_prefix('T') {
                Some(clock) if clock.len() >= 5 && clock.as_bytes()[2] == b':' => {
                    format!("{words}, {}", &clock[..5])
                }
                _ => words,
            },
        };
    }
    let part = &rest[1..];
    if let Ok(month) = part.parse::<usize>()
        && (1..=12).contains(&month)
        && part.len() == 2
    {
        return format!("{} {year}", MONTHS[month - 1]);
    }
    if let Some(week) = part.strip_prefix('W') {
        return match week {
            "E" | "WE" => format!("a weekend of {year}"),
            _ => match week.parse::<u32>() {
                Ok(n) => format!("week {n} of {year}"),
                Err(_) => value.to_owned(),
            },
        };
    }
    match part {
        "Q1" | "Q2" | "Q3" | "Q4" => format!("the {} quarter of {year}", ordinal(&part[1..])),
        "H1" => format!("the first half of {year}"),
        "H2" => format!("the second half of {year}"),
        "SP" => format!("spring {year}"),
        "SU" => format!("summer {year}"),
        "FA" => format!("autumn {year}"),
        "WI" => format!("winter {year}"),
        _ => value.to_owned(),
    }
}

fn ordinal(n: &str) -> &'static str {
    match n {
        "1" => "first",
        "2" => "second",
        "3" => "third",
        _ => "fourth",
    }
}

#[cfg(test)]
mod tests {
    use super::display_date;

    #[test]
    fn writes_values_as_people_write_dates() {
        for (value, expect) in [
            ("2023-10-26", "Thursday 26 October 2023"),
            ("2023-10-27T22:45", "Friday 27 October 2023, 22:45"),
            ("2024-03-24TNI", "the night of Sunday 24 March 2024"),
            ("2021-12", "December 2021"),
            ("2021", "2021"),
            ("2023-W42", "week 42 of 2023"),
            ("1989-Q3", "the third quarter of 1989"),
            ("P3Y", "P3Y"),
            ("PRESENT_REF", "now"),
        ] {
            assert_eq!(display_date(value), expect, "{value}");
        }
    }
}
