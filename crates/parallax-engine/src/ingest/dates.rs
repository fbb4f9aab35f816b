//! Publication dates as found in the wild: ISO 8601, RFC 2822, and the forms news sites print.
//!
//! Every reader (HTML meta tags, feeds, JSON fields, text header lines) goes through [`parse_date`], so a date is
//! understood the same way whatever format carried it. The parser reads the string as tokens (numbers, words,
//! punctuation) and looks for a day, then a time after it, then an offset after the time. It keeps the precision the
//! input gives: a day alone is a [`PubDate::Day`], a time without a zone a [`PubDate::Local`], a time with an offset
//! or a zone name a [`PubDate::Zoned`]. Ambiguous all-number days (`05/06/2023`) are read day first, as most of the
//! world writes them, unless the numbers only make sense month first.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use parallax_model::PubDate;

/// Parses a publication date in any common form, at the precision given. Returns `None` when `s` holds no date.
///
/// Fractions of a second are dropped: no reader of the news needs them, and a publication time is the same
/// minute whether a CMS stamped it with milliseconds or not.
pub fn parse_date(s: &str) -> Option<PubDate> {
    find_date(s).map(|found| whole_seconds(found.date))
}

fn whole_seconds(date: PubDate) -> PubDate {
    use chrono::Timelike;
    match date {
        PubDate::Local(t) => PubDate::Local(t.with_nanosecond(0).unwrap_or(t)),
        PubDate::Zoned(t) => PubDate::Zoned(t.with_nanosecond(0).unwrap_or(t)),
        day => day,
    }
}

/// A date found in a string, and the byte range of the string it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FoundDate {
    /// The date at the precision given.
    pub(crate) date: PubDate,
    /// Where it starts in the string searched.
    pub(crate) start: usize,
    /// Where it ends.
    pub(crate) end: usize,
}

/// Longest string searched: a date field or a date line is short, and a bound keeps the search cheap on junk.
const MAX_LEN: usize = 256;

/// Finds the first date in `s` and says where it lies, so a caller can tell a line that is a date from a sentence
/// that mentions one.
pub(crate) fn find_date(s: &str) -> Option<FoundDate> {
    let mut cut = s.len().min(MAX_LEN);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let s = &s[..cut];
    let trimmed = s.trim();
    let lead = s.len() - s.trim_start().len();
    let whole = |date| FoundDate {
        date,
        start: lead,
        end: lead + trimmed.len(),
    };
    if let Ok(date) = trimmed.parse::<PubDate>() {
        return Some(whole(date));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(whole(PubDate::Zoned(t)));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(trimmed) {
        return Some(whole(PubDate::Zoned(t)));
    }
    let tokens = tokenize(s);
    (0..tokens.len()).find_map(|i| date_at(&tokens, i))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind<'a> {
    /// A run of ASCII digits: its value and how many digits.
    Num(u32, usize),
    /// A run of letters, lower-cased on comparison.
    Word(&'a str),
    /// One punctuation character.
    Punct(char),
    /// A run of whitespace.
    Space,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: Kind<'a>,
    start: usize,
    end: usize,
}

fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = s.char_indices().peekable();
    while let Some((start, c)) = rest.next() {
        let class = |c: char| {
            if c.is_ascii_digit() {
                0
            } else if c.is_alphabetic() {
                1
            } else if c.is_whitespace() {
                2
            } else {
                3
            }
        };
        let mut end = start + c.len_utf8();
        if class(c) < 3 {
            while let Some(&(i, next)) = rest.peek() {
                if class(next) != class(c) {
                    break;
                }
                end = i + next.len_utf8();
                rest.next();
            }
        }
        let text = &s[start..end];
        let kind = match class(c) {
            0 => match text.parse::<u32>() {
                Ok(value) if text.len() <= 8 => Kind::Num(value, text.len()),
                _ => Kind::Punct('#'),
            },
            1 => Kind::Word(text),
            2 => Kind::Space,
            _ => Kind::Punct(c),
        };
        tokens.push(Token { kind, start, end });
    }
    tokens
}

/// A cursor over tokens that skips spaces where the grammar allows them.
struct Cursor<'t, 'a> {
    tokens: &'t [Token<'a>],
    at: usize,
}

impl<'a> Cursor<'_, 'a> {
    fn peek(&self) -> Option<Kind<'a>> {
        self.tokens.get(self.at).map(|t| t.kind)
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(Kind::Space) {
            self.at += 1;
        }
    }

    fn num(&mut self, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
        match self.peek()? {
            Kind::Num(value, n) if digits.contains(&n) => {
                self.at += 1;
                Some(value)
            }
            _ => None,
        }
    }

    fn punct(&mut self, options: &[char]) -> Option<char> {
        match self.peek()? {
            Kind::Punct(c) if options.contains(&c) => {
                self.at += 1;
                Some(c)
            }
            _ => None,
        }
    }

    fn word(&mut self, pred: impl Fn(&str) -> bool) -> Option<&'a str> {
        match self.peek()? {
            Kind::Word(w) if pred(&w.to_lowercase()) => {
                self.at += 1;
                Some(w)
            }
            _ => None,
        }
    }

    /// Skips spaces and any of the given punctuation, then spaces again.
    fn skip_filler(&mut self, punct: &[char]) {
        loop {
            let before = self.at;
            self.skip_spaces();
            while self.punct(punct).is_some() {}
            if self.at == before {
                return;
            }
        }
    }

    fn end_offset(&self) -> usize {
        self.tokens[self.at - 1].end
    }
}

/// Tries to read a date starting at token `i`.
fn date_at(tokens: &[Token<'_>], i: usize) -> Option<FoundDate> {
    let start = tokens[i].start;
    let mut cur = Cursor { tokens, at: i };
    let day = read_day(&mut cur)?;
    let mut end = cur.end_offset();
    let date = match read_time(&mut cur) {
        Some((time, offset)) => {
            end = cur.end_offset();
            let local = day.and_time(time);
            match offset {
                Some(offset) => PubDate::Zoned(offset.from_local_datetime(&local).single()?),
                None => PubDate::Local(local),
            }
        }
        None => PubDate::Day(day),
    };
    Some(FoundDate { date, start, end })
}

/// Reads a calendar day in one of the numeric or month-name forms.
fn read_day(cur: &mut Cursor<'_, '_>) -> Option<NaiveDate> {
    let start = cur.at;
    for reader in [
        numeric_ymd,
        numeric_dmy,
        compact_ymd,
        cjk_ymd,
        day_month_year,
        month_day_year,
    ] {
        cur.at = start;
        if let Some(day) = reader(cur) {
            return Some(day);
        }
    }
    None
}

/// `2023-10-27`, `2023/10/27`, `2023.10.27`.
fn numeric_ymd(cur: &mut Cursor<'_, '_>) -> Option<NaiveDate> {
    let year = cur.num(4..=4)?;
    let sep = cur.punct(&['-', '/', '.'])?;
    let month = cur.num(1..=2)?;
    cur.punct(&[sep])?;
    let day = cur.num(1..=2)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `27.10.2023`, `27/10/2023`, `10/27/2023` (month first only when the day-first reading is impossible).
fn numeric_dmy(cur: &mut Cursor<'_, '_>) -> Option<NaiveDate> {
    let first = cur.num(1..=2)?;
    let sep = cur.punct(&['-', '/', '.'])?;
    let second = cur.num(1..=2)?;
    cur.punct(&[sep])?;
    let year = cur.num(4..=4)? as i32;
    NaiveDate::from_ymd_opt(year, second, first)
        .or_else(|| NaiveDate::from_ymd_opt(year, first, second))
}

/// `20231027`, as in URLs and compact ISO 8601.
fn compact_ymd(cur: &mut Cursor<'_, '_>) -> Option<NaiveDate> {
    let n = cur.num(8..=8)?;
    let (year, month, day) = (n / 10_000, n / 100 % 100, n % 100);
    if !(1900..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `2023年10月27日` (Chinese, Japanese) and `2023년 10월 27일` (Korean).
fn cjk_ymd(cur: &mut Cursor<'_, '_>) -> Option<NaiveDate> {
    let year = cur.num(4..=4)?;
    cur.word(|w| w == "年" || w == "년")?;
    cur.skip_spaces();
    let month = cur.num(1..=2)?;
    cur.word(|w| w == "月" || w == "월")?;
    cur.skip_spaces();
    let day = cur.num(1..=2)?;
    cur.word(|w| w == "日" || w == "일")?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `27 October 2023`, `27. Oktober 2023`, `27 de octubre de 2023`, `27th Oct 2023`, `27 октября 2023 г.`.
fn day_month_year(cur: &mut Cursor<'_, '_>) -> Option<NaiveDate> {
    let day = cur.num(1..=2)?;
    skip_ordinal(cur);
    cur.skip_filler(&['.', '-', '/']);
    skip_of(cur);
    let month = month_word(cur)?;
    cur.skip_filler(&['.', ',', '-', '/']);
    skip_of(cur);
    let year = cur.num(4..=4)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `October 27, 2023`, `Oct. 27, 2023`, `October 27th 2023`.
fn month_day_year(cur: &mut Cursor<'_, '_>) -> Option<NaiveDate> {
    let month = month_word(cur)?;
    cur.skip_filler(&['.', '-']);
    let day = cur.num(1..=2)?;
    skip_ordinal(cur);
    cur.skip_filler(&[',', '.']);
    let year = cur.num(4..=4)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn skip_ordinal(cur: &mut Cursor<'_, '_>) {
    cur.word(|w| matches!(w, "st" | "nd" | "rd" | "th" | "er" | "e" | "º" | "o"));
}

/// The little word between day, month and year in Spanish and Portuguese (`27 de octubre de 2023`).
fn skip_of(cur: &mut Cursor<'_, '_>) {
    let at = cur.at;
    if cur.word(|w| matches!(w, "de" | "del")).is_some() {
        cur.skip_spaces();
    } else {
        cur.at = at;
    }
}

fn month_word(cur: &mut Cursor<'_, '_>) -> Option<u32> {
    let Kind::Word(word) = cur.peek()? else {
        return None;
    };
    let month = month_number(&word.to_lowercase())?;
    cur.at += 1;
    Some(month)
}

/// Month names and their usual abbreviations in English, German, French, Spanish, Italian, Portuguese, Dutch,
/// Russian (nominative and genitive), Polish (nominative and genitive) and Turkish.
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "january",
            "jan",
            "januar",
            "jänner",
            "janvier",
            "janv",
            "enero",
            "ene",
            "gennaio",
            "gen",
            "janeiro",
            "januari",
            "январь",
            "января",
            "янв",
            "styczeń",
            "stycznia",
            "sty",
            "ocak",
        ],
        &[
            "february",
            "feb",
            "februar",
            "février",
            "fevrier",
            "févr",
            "fevr",
            "febrero",
            "febbraio",
            "fevereiro",
            "fev",
            "februari",
            "февраль",
            "февраля",
            "фев",
            "luty",
            "lutego",
            "lut",
            "şubat",
            "subat",
        ],
        &[
            "march",
            "mar",
            "märz",
            "maerz",
            "mär",
            "mrz",
            "mars",
            "marzo",
            "março",
            "marco",
            "maart",
            "март",
            "марта",
            "мар",
            "marzec",
            "marca",
            "mart",
        ],
        &[
            "april",
            "apr",
            "avril",
            "avr",
            "abril",
            "abr",
            "aprile",
            "апрель",
            "апреля",
            "апр",
            "kwiecień",
            "kwietnia",
            "kwi",
            "nisan",
        ],
        &[
            "may", "mai", "mayo", "maggio", "mag", "maio", "mei", "май", "мая", "maj", "maja",
            "mayıs", "mayis",
        ],
        &[
            "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "июнь", "июня",
            "июн", "czerwiec", "czerwca", "cze", "haziran",
        ],
        &[
            "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "июль",
            "июля", "июл", "lipiec", "lipca", "lip", "temmuz",
        ],
        &[
            "august",
            "aug",
            "août",
            "aout",
            "agosto",
            "ago",
            "augustus",
            "август",
            "августа",
            "авг",
            "sierpień",
            "sierpnia",
            "sie",
            "ağustos",
            "agustos",
        ],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "setiembre",
            "settembre",
            "set",
            "setembro",
            "сентябрь",
            "сентября",
            "сен",
            "сент",
            "wrzesień",
            "września",
            "wrz",
            "eylül",
            "eylul",
        ],
        &[
            "october",
            "oct",
            "oktober",
            "okt",
            "octobre",
            "octubre",
            "ottobre",
            "ott",
            "outubro",
            "out",
            "октябрь",
            "октября",
            "окт",
            "październik",
            "października",
            "paź",
            "ekim",
        ],
        &[
            "november",
            "nov",
            "novembre",
            "noviembre",
            "novembro",
            "ноябрь",
            "ноября",
            "ноя",
            "listopad",
            "listopada",
            "lis",
            "kasım",
            "kasim",
        ],
        &[
            "december",
            "dec",
            "dezember",
            "dez",
            "décembre",
            "decembre",
            "déc",
            "diciembre",
            "dic",
            "dicembre",
            "dezembro",
            "декабрь",
            "декабря",
            "дек",
            "grudzień",
            "grudnia",
            "gru",
            "aralık",
            "aralik",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&word))
        .map(|i| i as u32 + 1)
}

/// Reads a time after a day: `T22:45`, ` 22:45:00.123Z`, `, 10:45 p.m. EDT`, ` - 22:45`, ` 22h45`, ` à 22h45`.
fn read_time(cur: &mut Cursor<'_, '_>) -> Option<(NaiveTime, Option<FixedOffset>)> {
    cur.skip_filler(&[',', '-', '–', '—', '|', '@', '/', '.']);
    // Up to two connecting words: "T", "at", "à", "a las", "um", "в".
    for _ in 0..2 {
        let at = cur.at;
        let connector = |w: &str| {
            matches!(
                w,
                "t" | "at" | "um" | "à" | "a" | "às" | "alle" | "las" | "в" | "o" | "saat"
            )
        };
        if cur.word(connector).is_none() {
            cur.at = at;
            break;
        }
        cur.skip_spaces();
    }
    cur.skip_spaces();
    let mut hour = cur.num(1..=2)?;
    if cur.punct(&[':']).is_none() {
        cur.word(|w| w == "h")?;
    }
    let minute = cur.num(2..=2)?;
    let mut second = 0;
    let mut nano = 0;
    let before_seconds = cur.at;
    if cur.punct(&[':']).is_some() {
        match cur.num(2..=2) {
            Some(s) => {
                second = s;
                let before_fraction = cur.at;
                if cur.punct(&['.', ',']).is_some() {
                    match cur.tokens.get(cur.at).map(|t| t.kind) {
                        Some(Kind::Num(value, digits)) => {
                            cur.at += 1;
                            let scaled =
                                (value as u64) * 10u64.pow(9u32.saturating_sub(digits as u32));
                            nano = if digits <= 9 { scaled as u32 } else { 0 };
                        }
                        _ => cur.at = before_fraction,
                    }
                }
            }
            None => cur.at = before_seconds,
        }
    }
    let before_meridiem = cur.at;
    cur.skip_spaces();
    match meridiem(cur) {
        Some(pm) if (1..=12).contains(&hour) => {
            hour = match (pm, hour) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
        }
        Some(_) => return None,
        None => cur.at = before_meridiem,
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    let before_zone = cur.at;
    let offset = read_offset(cur);
    if offset.is_none() {
        cur.at = before_zone;
    }
    Some((time, offset))
}

/// `am`, `pm`, `a.m.`, `p.m.`; `Some(true)` for afternoon.
fn meridiem(cur: &mut Cursor<'_, '_>) -> Option<bool> {
    let word = cur
        .word(|w| matches!(w, "am" | "pm" | "a" | "p"))?
        .to_lowercase();
    if word.len() == 1 {
        cur.punct(&['.'])?;
        cur.word(|w| w == "m")?;
        cur.punct(&['.']);
    }
    Some(word.starts_with('p'))
}

/// A zone after a time: `Z`, `+03:00`, `+0300`, `-05`, `GMT`, `UTC+3`, `EDT`, `MSK`.
fn read_offset(cur: &mut Cursor<'_, '_>) -> Option<FixedOffset> {
    let at = cur.at;
    if let Some(offset) = numeric_offset(cur) {
        return Some(offset);
    }
    cur.at = at;
    cur.skip_spaces();
    let zone = cur.word(|_| true)?.to_lowercase();
    let hours = match zone.as_str() {
        "z" | "gmt" | "utc" | "ut" => {
            let at = cur.at;
            if let Some(offset) = numeric_offset(cur) {
                return Some(offset);
            }
            cur.at = at;
            0
        }
        "est" | "cdt" => -5,
        "edt" => -4,
        "cst" => -6,
        "mst" => -7,
        "mdt" => -6,
        "pst" => -8,
        "pdt" => -7,
        "bst" | "cet" | "mez" => 1,
        "cest" | "mesz" | "eet" => 2,
        "eest" | "msk" => 3,
        "jst" | "kst" => 9,
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600)
}

fn numeric_offset(cur: &mut Cursor<'_, '_>) -> Option<FixedOffset> {
    cur.skip_spaces();
    let sign = match cur.punct(&['+', '-', '−'])? {
        '+' => 1,
        _ => -1,
    };
    let (hours, minutes) = match cur.peek()? {
        Kind::Num(value, 4) => {
            cur.at += 1;
            (value / 100, value % 100)
        }
        Kind::Num(value, 1 | 2) => {
            cur.at += 1;
            let at = cur.at;
            let minutes = match (cur.punct(&[':']), cur.num(2..=2)) {
                (Some(_), Some(m)) => m,
                _ => {
                    cur.at = at;
                    0
                }
            };
            (value, minutes)
        }
        _ => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours as i32 * 3600 + minutes as i32 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `input` and expects the ISO form `expect`, or no date at all for `""`.
    fn check(input: &str, expect: &str) {
        let got = parse_date(input).map(|d| d.to_string()).unwrap_or_default();
        assert_eq!(got, expect, "parse_date({input:?})");
    }

    #[test]
    fn iso_8601_variants() {
        check("2023-10-27", "2023-10-27");
        check("2023-10-27T22:45", "2023-10-27T22:45");
        check("2023-10-27T22:45:10", "2023-10-27T22:45:10");
        check("2023-10-27 22:45:00", "2023-10-27T22:45");
        check("2023-10-27T22:45:00Z", "2023-10-27T22:45:00+00:00");
        check("2023-10-27T22:45:00.123+03:00", "2023-10-27T22:45:00+03:00");
        check("2023-10-27T22:45:00+0300", "2023-10-27T22:45:00+03:00");
        check("2023-10-27T22:45+03", "2023-10-27T22:45:00+03:00");
        check("2023-10-27 22:45:00 UTC", "2023-10-27T22:45:00+00:00");
        check("20231027", "2023-10-27");
        check("2023/10/27", "2023-10-27");
    }

    #[test]
    fn rfc_2822_and_1123() {
        check("Fri, 27 Oct 2023 22:45:00 GMT", "2023-10-27T22:45:00+00:00");
        check(
            "Fri, 27 Oct 2023 22:45:00 +0300",
            "2023-10-27T22:45:00+03:00",
        );
        check("Fri, 27 Oct 2023 22:45 EDT", "2023-10-27T22:45:00-04:00");
        check("27 Oct 2023 22:45:00 -0500", "2023-10-27T22:45:00-05:00");
    }

    #[test]
    fn forms_news_sites_print() {
        check("October 27, 2023 - 22:45", "2023-10-27T22:45");
        check("October 27, 2023", "2023-10-27");
        check("Oct. 27, 2023", "2023-10-27");
        check("Oct 27th, 2023 at 10:45 p.m. ET", "2023-10-27T22:45");
        check("October 27, 2023 10:45 AM EDT", "2023-10-27T10:45:00-04:00");
        check("27 October 2023", "2023-10-27");
        check("Friday, 27 October 2023, 22:45", "2023-10-27T22:45");
        check("27.10.2023", "2023-10-27");
        check("27.10.2023 22:45", "2023-10-27T22:45");
        check("27/10/2023", "2023-10-27");
        check("10/27/2023", "2023-10-27");
        check("05/06/2023", "2023-06-05");
        check("Published: 27 Oct 2023 | 22:45", "2023-10-27T22:45");
        check("2023年10月27日", "2023-10-27");
        check("2023년 10월 27일", "2023-10-27");
    }

    #[test]
    fn month_names_in_many_languages() {
        check("27. Oktober 2023, 22:45 Uhr", "2023-10-27T22:45");
        check("27 octobre 2023 à 22h45", "2023-10-27T22:45");
        check("Publié le 1er décembre 2023", "2023-12-01");
        check("27 de octubre de 2023", "2023-10-27");
        check("27 de octubre de 2023 a las 22:45", "2023-10-27T22:45");
        check("27 ottobre 2023", "2023-10-27");
        check("27 de outubro de 2023", "2023-10-27");
        check("27 октября 2023 г.", "2023-10-27");
        check("27 października 2023", "2023-10-27");
        check("27 Ekim 2023", "2023-10-27");
        check("27 Ağustos 2023", "2023-08-27");
        check("3 März 2023", "2023-03-03");
        check("27 oktober 2023", "2023-10-27");
    }

    #[test]
    fn no_date_no_guess() {
        check("", "");
        check("yesterday", "");
        check("October 27", "");
        check("31.02.2023", "");
        check("the 2023 budget", "");
        check("Version 1.2.3", "");
        check(&"9".repeat(10_000), "");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any string parses without panicking, and a date found prints as ISO 8601 that reads back the same.
        #[test]
        fn any_string_is_safe(input in "[0-9A-Za-zé年月日 :.,/+\\-TZ]{0,60}") {
            if let Some(found) = find_date(&input) {
                proptest::prop_assert!(found.start <= found.end && found.end <= input.len());
                let printed = found.date.to_string();
                proptest::prop_assert_eq!(printed.parse::<PubDate>().map(|d| d.to_string()), Ok(printed));
            }
        }
    }

    #[test]
    fn finds_where_the_date_lies() {
        let line = "Updated: October 27, 2023 - 22:45 (Moscow)";
        let found = find_date(line).unwrap();
        assert_eq!(&line[found.start..found.end], "October 27, 2023 - 22:45");
    }
}
