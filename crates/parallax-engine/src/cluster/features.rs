//! What the clusterer sees of one unit: content words, anchors (names, numbers, years, the dateline) and a day.
//!
//! Content words are language-specific: they say what the text is about but do not carry across languages.
//! Anchors are the features that do: capitalised names, folded to lower case without accents, numbers and years.
//! They are also what tells two similar events apart (two earthquakes of one magnitude in two places, two launches
//! of one product in two years), which is why the clusterer weighs them separately from the words.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use super::terms::{Analyzer, Token, is_unspaced_script, tokens};
use crate::hashing::stable_hash_in;

/// Feature namespaces, so that a word, a name and a number never share a hash.
const WORD: u8 = 1;
const NAME: u8 = 2;
const NUMBER: u8 = 3;
const YEAR: u8 = 4;
const PLACE: u8 = 5;
const COUNTED: u8 = 6;
const COUNT: u8 = 7;

/// A sparse vector: (feature hash, weight), sorted by hash, no repeats.
pub(crate) type Sparse = Vec<(u64, f32)>;

/// The features of one unit (an article or a section of one).
#[derive(Debug, Clone, Default)]
pub(crate) struct UnitFeatures {
    /// The ISO 639-1 code the unit was analysed in.
    pub(crate) language: Option<String>,
    /// Stemmed content words, sublinear term frequency, title counted `title_weight` times.
    pub(crate) words: Sparse,
    /// The headline's content words (or the first line of text with a few when the headline has none, as when a
    /// date stands in the title slot): headlines name the event most directly.
    pub(crate) headline: Sparse,
    /// Names, numbers, years and the dateline, sublinear frequency.
    pub(crate) anchors: Sparse,
    /// The publication day (days since 1970-01-01), given or read off a date line at the top of the text.
    pub(crate) day: Option<i32>,
    /// Years the unit names or was published in, sorted, no repeats: two reports naming only different years
    /// are about different events more often than not.
    pub(crate) years: Vec<u32>,
    /// Hashes of the identifying numbers the unit names (decimals, counts above ten), sorted, no repeats.
    pub(crate) numbers: Vec<u64>,
    /// Things the unit counts, as (hash of the thing, hash of the thing with its count), sorted, no repeats: "23
    /// pirates" and "26 pirates" count one thing differently, which tells two raids apart better than any number
    /// alone (see [`counted_things`]).
    pub(crate) counts: Vec<(u64, u64)>,
    /// The unit's dense embeddings, where the clusterer has an encoder.
    pub(crate) embedding: Option<UnitVectors>,
}

/// The dense embeddings of one unit ([`crate::embed`]).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitVectors {
    /// Of the title and the text (its first pieces).
    pub text: Vec<f32>,
    /// Of the headline alone: the title when it has two words or more, else the first line of the text.
    pub headline: Vec<f32>,
}

/// The headline a unit's headline embedding is made from: its title when that has two words or more, else the
/// first line of its text up to a double space (scraped pages often join the headline to the body that way),
/// at most 300 bytes.
pub(crate) fn headline_text<'a>(title: &'a str, text: &'a str) -> &'a str {
    if title.split_whitespace().nth(1).is_some() {
        return title;
    }
    let line = text.trim_start().lines().next().unwrap_or_default();
    crate::text::prefix(line.split("  ").next().unwrap_or_default(), 300)
}

/// Settings of feature extraction that the clusterer's config carries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FeatureSettings {
    /// How many times the title's words count.
    pub(crate) title_weight: f32,
}

/// The most of a unit's text that its features read. What a report is about is settled long before this (a news
/// article runs to a few thousand words), and the bound keeps the time and memory of assigning one giant text
/// (a 50 MB "article") to those of an ordinary one; the whole text still counts for near-copy detection.
pub(crate) const FEATURE_TEXT: usize = 256 * 1024;

/// The first [`FEATURE_TEXT`] bytes of `text`, ending at a word break where one is near.
pub(crate) fn lead(text: &str) -> &str {
    if text.len() <= FEATURE_TEXT {
        return text;
    }
    let mut cut = FEATURE_TEXT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &text[..cut];
    match window.rfind(char::is_whitespace) {
        Some(at) if at >= cut / 2 => &window[..at],
        _ => window,
    }
}

/// Extracts the features of one unit from its title, text, language, dateline and known date.
pub(crate) fn unit_features(
    settings: FeatureSettings,
    title: &str,
    text: &str,
    language: Option<&str>,
    dateline: Option<&str>,
    known_day: Option<NaiveDate>,
) -> UnitFeatures {
    let text = lead(text);
    let language = language
        .map(str::to_owned)
        .or_else(|| guess_language_by_script(text).map(str::to_owned));
    let analyzer = Analyzer::for_language(language.as_deref());
    let mut words: FxHashMap<u64, f32> = FxHashMap::default();
    let mut anchors: FxHashMap<u64, f32> = FxHashMap::default();

    let title_tokens = tokens(title);
    let text_tokens = tokens(text);
    add_words(analyzer, &title_tokens, settings.title_weight, &mut words);
    add_words(analyzer, &text_tokens, 1.0, &mut words);

    // Names: capitalised tokens mid-sentence are names; a capitalised first word of a sentence counts only when
    // the same word is also capitalised mid-sentence somewhere in the unit ("Police said" is not a name).
    let mut mid_sentence_capitals: FxHashMap<&str, ()> = FxHashMap::default();
    for t in title_tokens.iter().chain(&text_tokens) {
        if !t.sentence_start && is_capitalised(t.text) {
            mid_sentence_capitals.insert(t.text, ());
        }
    }
    let title_is_capitalised_throughout = title_tokens.len() > 2
        && title_tokens
            .iter()
            .filter(|t| is_capitalised(t.text))
            .count()
            * 3
            >= title_tokens.len() * 2;
    let name_ok = |t: &Token<'_>| !t.sentence_start || mid_sentence_capitals.contains_key(t.text);
    if title_is_capitalised_throughout {
        // Headline Case says nothing about names: take only words the body also capitalises mid-sentence.
        add_names(
            analyzer,
            &title_tokens,
            |t| mid_sentence_capitals.contains_key(t.text),
            &mut anchors,
        );
    } else {
        add_names(analyzer, &title_tokens, name_ok, &mut anchors);
    }
    add_names(analyzer, &text_tokens, name_ok, &mut anchors);
    add_numbers(&title_tokens, &mut anchors);
    add_numbers(&text_tokens, &mut anchors);
    if let Some(place) = dateline.map(fold).filter(|p| !p.is_empty()) {
        *anchors.entry(stable_hash_in(PLACE, &place)).or_default() += 2.0;
        *anchors.entry(stable_hash_in(NAME, &place)).or_default() += 1.0;
    }

    let published = known_day.or_else(|| date_line_day(title, text));
    let day = published.map(days_since_epoch);
    let mut years: Vec<u32> = Vec::new();
    let mut numbers: Vec<u64> = Vec::new();
    for t in title_tokens.iter().chain(&text_tokens) {
        match number_feature(t.text) {
            Some(NumberFeature::Year(y)) => years.push(y),
            Some(NumberFeature::Number(h)) => numbers.push(h),
            None => {}
        }
    }
    if let Some(p) = published {
        years.push(p.year().max(0) as u32);
    }
    years.sort_unstable();
    years.dedup();
    numbers.sort_unstable();
    numbers.dedup();
    let mut counts = counted_things(analyzer, &title_tokens);
    counts.extend(counted_things(analyzer, &text_tokens));
    counts.sort_unstable();
    counts.dedup();
    let mut headline: FxHashMap<u64, f32> = FxHashMap::default();
    add_words(analyzer, &title_tokens, 1.0, &mut headline);
    if headline.len() < 2 {
        for line in text.lines().take(5) {
            headline.clear();
            add_words(analyzer, &tokens(line), 1.0, &mut headline);
            if headline.len() >= 3 {
                break;
            }
        }
    }
    UnitFeatures {
        embedding: None,
        language,
        headline: sublinear(headline),
        words: sublinear(words),
        anchors: sublinear(anchors),
        day,
        years,
        numbers,
        counts,
    }
}

/// Words for units of time and measure: "two days", "33 years", "5 percent" count no thing that identifies an
/// event, and reports of one event give them differently as the story moves on.
const MEASURES: &[&str] = &[
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "percent",
    "per",
    "cent",
    "am",
    "pm",
    "gmt",
    "utc",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "mile",
    "metres",
    "meters",
    "feet",
    "foot",
    "mph",
    "kg",
    "pounds",
    "tons",
    "tonnes",
    "times",
    "tage",
    "jahre",
    "jahren",
    "prozent",
    "stunden",
    "días",
    "años",
    "horas",
    "jours",
    "ans",
    "heures",
    "giorni",
    "anni",
    "ore",
    "dni",
    "lat",
    "godzin",
    "дней",
    "лет",
    "часов",
    "процентов",
    "gün",
    "yıl",
    "saat",
];

/// The things a text counts: each whole number (not a year) followed, within the sentence, by a content word
/// (a capitalised word between them, as in "23 Somali pirates", is skipped), gives (thing, thing with its
/// count). Units of time and measure are no things (see [`MEASURES`]).
fn counted_things(analyzer: &Analyzer, tokens: &[Token<'_>]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !t.text.chars().all(|c| c.is_ascii_digit() || c == ',') {
            continue;
        }
        let count: String = t.text.chars().filter(char::is_ascii_digit).collect();
        let Ok(value) = count.parse::<u64>() else {
            continue;
        };
        if is_year(&count, value) {
            continue;
        }
        for next in tokens[i + 1..].iter().take(2) {
            if next.after_break || next.text.chars().any(|c| c.is_ascii_digit()) {
                break;
            }
            if is_capitalised(next.text) {
                continue;
            }
            let lower = next.text.to_lowercase();
            if MEASURES.contains(&lower.as_str()) {
                break;
            }
            if let Some(term) = analyzer.term(&lower) {
                let thing = stable_hash_in(COUNTED, &term);
                out.push((thing, stable_hash_in(COUNT, &format!("{term} {value}"))));
            }
            break;
        }
    }
    out
}

fn add_words(
    analyzer: &Analyzer,
    tokens: &[Token<'_>],
    weight: f32,
    out: &mut FxHashMap<u64, f32>,
) {
    for t in tokens {
        let first = t.text.chars().next().unwrap_or(' ');
        if is_unspaced_script(first) {
            let chars: Vec<char> = t.text.chars().collect();
            if chars.len() == 1 {
                *out.entry(stable_hash_in(WORD, t.text)).or_default() += weight;
            }
            for pair in chars.windows(2) {
                let bigram: String = pair.iter().collect();
                *out.entry(stable_hash_in(WORD, &bigram)).or_default() += weight;
            }
            continue;
        }
        if t.text.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let lower = t.text.to_lowercase();
        if let Some(term) = analyzer.term(&lower) {
            *out.entry(stable_hash_in(WORD, &term)).or_default() +=
                weight * analyzer.single_syllables;
        }
    }
    if analyzer.syllable_pairs {
        for pair in tokens.windows(2) {
            let [a, b] = pair else { continue };
            if b.after_break
                || [a, b]
                    .iter()
                    .any(|t| t.text.chars().any(|c| c.is_ascii_digit()))
            {
                continue;
            }
            let term = format!("{} {}", a.text.to_lowercase(), b.text.to_lowercase());
            *out.entry(stable_hash_in(WORD, &term)).or_default() += weight;
        }
    }
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && !word.chars().any(|c| c.is_ascii_digit())
}

/// Adds each run of capitalised words as one name, and each of its words on its own, so that "Lindsay Lohan"
/// and a later "Lohan" meet.
fn add_names(
    analyzer: &Analyzer,
    tokens: &[Token<'_>],
    accept: impl Fn(&Token<'_>) -> bool,
    out: &mut FxHashMap<u64, f32>,
) {
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut FxHashMap<u64, f32>| {
        if run.len() > 1 {
            *out.entry(stable_hash_in(NAME, &run.join(" "))).or_default() += 1.0;
        }
        for word in run.drain(..) {
            *out.entry(stable_hash_in(NAME, &word)).or_default() += 1.0;
        }
    };
    for t in tokens {
        let lower = t.text.to_lowercase();
        let is_name = is_capitalised(t.text)
            && t.text.chars().count() > 1
            && !analyzer.is_stop_word(&lower)
            && accept(t);
        if t.after_break || !is_name {
            flush(&mut run, out);
        }
        if is_name {
            run.push(fold(t.text));
        }
    }
    flush(&mut run, out);
}

/// What a numeric token says: a year, or an identifying number (by its feature hash).
enum NumberFeature {
    Year(u32),
    Number(u64),
}

/// Numbers that identify an event: decimals ("6.1"), counts above ten, and years (kept apart). Small counts and
/// clock times are everywhere and say little.
fn number_feature(text: &str) -> Option<NumberFeature> {
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    // "40.000" groups thousands with dots, as German, Spanish, Italian and many other languages write them, and
    // means the "40,000" of an English report: digits in groups of three after the first dot are never a decimal
    // a reporter would write.
    let dot_grouped = text.contains('.')
        && !text.contains(',')
        && text.split('.').skip(1).all(|group| group.len() == 3)
        && text
            .split('.')
            .next()
            .is_some_and(|lead| (1..=3).contains(&lead.len()));
    let plain: String = text
        .chars()
        .filter(|&c| c != ',' && !(dot_grouped && c == '.'))
        .collect();
    if plain.contains('.') {
        return Some(NumberFeature::Number(stable_hash_in(NUMBER, &plain)));
    }
    let value = plain.parse::<u64>().ok()?;
    if is_year(&plain, value) {
        Some(NumberFeature::Year(value as u32))
    } else if value > 10 {
        Some(NumberFeature::Number(stable_hash_in(
            NUMBER,
            &value.to_string(),
        )))
    } else {
        None
    }
}

/// A year as reports write one: four digits from 1900 to 2099.
fn is_year(digits: &str, value: u64) -> bool {
    (1900..=2099).contains(&value) && digits.len() == 4
}

fn add_numbers(tokens: &[Token<'_>], out: &mut FxHashMap<u64, f32>) {
    for t in tokens {
        match number_feature(t.text) {
            Some(NumberFeature::Year(y)) => {
                *out.entry(stable_hash_in(YEAR, &y.to_string())).or_default() += 1.0;
            }
            Some(NumberFeature::Number(h)) => *out.entry(h).or_default() += 1.0,
            None => {}
        }
    }
}

/// Lower case without accents, so "Zürich" and "Zurich", "SÃO PAULO" and "São Paulo" meet.
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// 1 + ln(tf), sorted by hash: long articles should not swamp short ones by repetition.
fn sublinear(map: FxHashMap<u64, f32>) -> Sparse {
    let mut v: Sparse = map
        .into_iter()
        .filter(|&(_, tf)| tf > 0.0)
        .map(|(h, tf)| (h, 1.0 + tf.ln()))
        .collect();
    v.sort_unstable_by_key(|&(h, _)| h);
    v
}

/// A language for text that says nothing about its language, by script alone: enough to pick the tokenizer.
fn guess_language_by_script(text: &str) -> Option<&'static str> {
    let mut counts = [0usize; 4];
    for c in text.chars().take(2000) {
        match c as u32 {
            0x0400..=0x04FF => counts[0] += 1,
            0x0600..=0x06FF => counts[1] += 1,
            0x4E00..=0x9FFF => counts[2] += 1,
            _ if c.is_alphabetic() => counts[3] += 1,
            _ => {}
        }
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|&(_, n)| *n)?;
    if n == 0 {
        return None;
    }
    match best {
        0 => Some("ru"),
        1 => Some("ar"),
        2 => Some("zh"),
        _ => None,
    }
}

pub(crate) fn days_since_epoch(day: NaiveDate) -> i32 {
    day.num_days_from_ce() - 719_163
}

/// The publication day from a date line near the top of the text ("May 2, 2013", "12 January 2010 @ 09:29 pm",
/// "27 / 09 / 2013 - ..."), as many sources print one under the headline. Only short lines among the title and
/// the first three lines count, so a date inside a sentence of the story is not taken for the publication date.
pub(crate) fn date_line_day(title: &str, text: &str) -> Option<NaiveDate> {
    static PATTERNS: OnceLock<[Regex; 4]> = OnceLock::new();
    let [month_day_year, day_month_year, numeric, iso] = PATTERNS.get_or_init(|| {
        let month = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";
        [
            Regex::new(&format!(
                r"(?i)\b{month}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
            ))
            .unwrap(),
            Regex::new(&format!(
                r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{month},?\s+(\d{{4}})\b"
            ))
            .unwrap(),
            Regex::new(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4}|\d{2})\b").unwrap(),
            Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").unwrap(),
        ]
    });
    let lines = std::iter::once(title).chain(text.lines().filter(|l| !l.trim().is_empty()).take(3));
    for line in lines {
        if line.chars().count() > 80 {
            continue;
        }
        if let Some(c) = iso.captures(line) {
            let d =
                NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
            if d.is_some() {
                return d;
            }
        }
        if let Some(c) = month_day_year.captures(line)
            && let Some(d) = ymd(&c[3], month_number(&c[1]), &c[2])
        {
            return Some(d);
        }
        if let Some(c) = day_month_year.captures(line)
            && let Some(d) = ymd(&c[3], month_number(&c[2]), &c[1])
        {
            return Some(d);
        }
        if let Some(c) = numeric.captures(line) {
            let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
            // Day first where the first number cannot be a month, else the American month first.
            let (month, day) = if a > 12 { (b, a) } else { (a, b) };
            let year = if c[3].len() == 2 {
                format!("20{}", &c[3])
            } else {
                c[3].to_owned()
            };
            if let Some(d) = ymd(&year, month, &day.to_string()) {
                return Some(d);
            }
        }
    }
    None
}

fn ymd(year: &str, month: u32, day: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)
}

fn month_number(name: &str) -> u32 {
    let lower = name.to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| lower.starts_with(m))
        .map_or(0, |i| i as u32 + 1)
}

/// The hash of a word feature, for tests that look for one.
#[cfg(test)]
pub(crate) fn word_hash(term: &str) -> u64 {
    stable_hash_in(WORD, term)
}

/// The hash of a name feature, for tests that look for one.
#[cfg(test)]
pub(crate) fn name_hash(name: &str) -> u64 {
    stable_hash_in(NAME, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(title: &str, text: &str) -> Option<String> {
        date_line_day(title, text).map(|d| d.to_string())
    }

    #[test]
    fn counted_things_pair_a_count_with_the_thing_it_counts() {
        let analyzer = Analyzer::for_language(Some("en"));
        let things = |text: &str| -> Vec<(u64, u64)> {
            let mut v = counted_things(analyzer, &tokens(text));
            v.sort_unstable();
            v
        };
        let thing = |term: &str, count: u64| {
            (
                stable_hash_in(COUNTED, term),
                stable_hash_in(COUNT, &format!("{term} {count}")),
            )
        };
        let pirate = analyzer.term("pirates").unwrap();
        assert_eq!(
            things("The navy captured 23 Somali pirates."),
            vec![thing(&pirate, 23)],
            "a nationality between the count and the thing is skipped"
        );
        assert_eq!(
            things("It arrested 1,250 pirates."),
            vec![thing(&pirate, 1250)]
        );
        assert!(
            things("He spent 2 days there in 2008, 33 years after 5 percent of 40 of them left.")
                .is_empty(),
            "units of time and measure, years and stop words count no thing"
        );
        assert!(
            things("23, pirates").is_empty(),
            "punctuation ends the search"
        );
        assert_ne!(
            things("26 pirates were held"),
            things("23 pirates were held")
        );
    }

    #[test]
    fn the_headline_embedded_is_the_title_or_the_first_line() {
        let cases = [
            ("Talks in Moscow", "Body.", "Talks in Moscow"),
            (
                "",
                "Talks in Moscow  The delegations met on Thursday.",
                "Talks in Moscow",
            ),
            (
                "News",
                "Talks in Moscow\nThe delegations met.",
                "Talks in Moscow",
            ),
            ("", "", ""),
        ];
        for (title, text, expected) in cases {
            assert_eq!(headline_text(title, text), expected, "{title:?} {text:?}");
        }
        let long = "é".repeat(400);
        assert_eq!(
            headline_text("", &long).len(),
            300,
            "cut at 300 bytes on a character boundary"
        );
    }

    #[test]
    fn reads_date_lines_under_the_headline() {
        let cases = [
            (
                "Lohan checks in",
                "May 2, 2013 1: 35 pm.\nBody.",
                Some("2013-05-02"),
            ),
            (
                "Lohan",
                "12: 52 p. m. EDT May 2, 2013\nBody.",
                Some("2013-05-02"),
            ),
            ("12 January 2010 @ 09: 29 pm", "Body.", Some("2010-01-12")),
            (
                "Vote",
                "27 / 09 / 2013 - Turkmenistan to hold elections",
                Some("2013-09-27"),
            ),
            ("THURSDAY, JUNE 30, 2005", "Body.", Some("2005-06-30")),
            (
                "September 18th, 2013, 05: 31 GMT",
                "Body.",
                Some("2013-09-18"),
            ),
            ("Title", "Published 2023-10-27\nBody.", Some("2023-10-27")),
            (
                "Title",
                "A long first sentence mentioning May 2, 2013 is part of the story rather than a date line.",
                None,
            ),
        ];
        for (title, text, expect) in cases {
            assert_eq!(day(title, text).as_deref(), expect, "{title:?} {text:?}");
        }
    }

    #[test]
    fn names_are_capitalised_runs_and_their_words() {
        let f = unit_features(
            FeatureSettings { title_weight: 2.0 },
            "Quake hits island",
            "Police said on Friday that Lindsay Lohan met officials. Lohan left.",
            Some("en"),
            None,
            None,
        );
        let has = |h: u64| f.anchors.iter().any(|&(k, _)| k == h);
        assert!(has(name_hash("lindsay lohan")));
        assert!(has(name_hash("lohan")));
        assert!(
            !has(name_hash("police")),
            "a sentence-initial capital is not a name"
        );
        assert!(f.words.iter().any(|&(k, _)| k == word_hash("quak")));
    }

    #[test]
    fn numbers_meet_across_ways_of_grouping_thousands() {
        let number = |text: &str| match number_feature(text) {
            Some(NumberFeature::Number(h)) => Some(h),
            _ => None,
        };
        assert_eq!(number("40.000"), number("40,000"));
        assert_eq!(number("1.250.000"), number("1,250,000"));
        assert_ne!(number("6.1"), number("61"));
        assert_ne!(number("6.10"), number("610"));
        assert!(matches!(
            number_feature("2024"),
            Some(NumberFeature::Year(2024))
        ));
        assert!(number_feature("7").is_none(), "small counts say little");
    }

    #[test]
    fn features_read_a_giant_text_only_as_far_as_its_lead() {
        let giant = "Éamon met the mayor of Tarrow. ".repeat(FEATURE_TEXT / 10);
        let read = lead(&giant);
        assert!(read.len() <= FEATURE_TEXT && read.len() > FEATURE_TEXT / 2);
        assert!(giant[read.len()..].starts_with(' '), "cut at a word break");
        assert_eq!(lead("A short report."), "A short report.");
    }

    #[test]
    fn vietnamese_becomes_pairs_of_syllables() {
        let words = |text: &str| {
            unit_features(
                FeatureSettings { title_weight: 1.0 },
                "",
                text,
                Some("vi"),
                None,
                None,
            )
            .words
        };
        let a = words("phối hợp điều tra vụ việc");
        let b = words("tình hình điều tra");
        let c = words("phối hợp tra điều");
        let shared = |x: &Sparse, y: &Sparse| {
            x.iter()
                .filter(|(h, _)| y.iter().any(|(k, _)| k == h))
                .count()
        };
        // "điều tra" (investigate) is one word of two syllables; "tra điều" has both syllables but is not it.
        assert_eq!(a.len(), 5);
        assert_eq!(shared(&a, &b), 1);
        assert_eq!(shared(&a, &c), 1, "only \"phối hợp\"");
    }

    #[test]
    fn chinese_becomes_bigrams() {
        let f = unit_features(
            FeatureSettings { title_weight: 1.0 },
            "",
            "地震发生",
            None,
            None,
            None,
        );
        assert_eq!(f.language.as_deref(), Some("zh"));
        assert_eq!(f.words.len(), 3);
    }
}
