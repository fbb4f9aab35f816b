//! Content words in the article's own language: tokens, stop words and stems.
//!
//! Each language gets its Snowball stemmer and its stop-word list where one exists (rust-stemmers and the NLTK
//! lists of the stop-words crate). Polish has no Snowball stemmer, so it gets a light suffix stripper and its own
//! short stop list; Chinese and Japanese are not written with spaces, so runs of Han and kana characters become
//! overlapping character bigrams, the usual unit for retrieval in those scripts. Vietnamese is written with a
//! space between syllables, so its terms are pairs of adjacent syllables, as most of its words are.

use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// How one language's words are reduced to terms.
pub(crate) struct Analyzer {
    stemmer: Option<Stemmer>,
    stop_words: HashSet<String>,
    polish: bool,
    /// Vietnamese is written a syllable at a time, most words being two syllables: single syllables are shared
    /// by unrelated words, so the terms are pairs of adjacent syllables, and single ones count `single_syllables`
    /// (0 for Vietnamese: on vmds.jsonl, BCubed F1 0.513 with single syllables only, 0.802 with pairs added at
    /// weight 1, 0.820 at 0.5, 0.832 with pairs alone).
    pub(crate) syllable_pairs: bool,
    pub(crate) single_syllables: f32,
}

/// Polish function words: NLTK ships no Polish list.
const POLISH_STOP_WORDS: &str = "a aby ale am ani az bardzo bez bo by byc byl byla byli bylo byly będzie być był była \
    były było co czy dla do gdy gdzie go i ich ile im ja jak jako je jego jej jest jestem jeszcze jezeli jeśli już \
    ją kiedy kto która które którego której który których ktora ktore ktory lub ma mi mnie mu na nad nas nie nic \
    nich nim niż o od on ona one oni ono oraz po pod przez przy również sa sie się so ta tak także tam te tego tej \
    ten też to tu tylko tym w we więc wszystko z za ze że żeby został została zostało";

/// Languages with a Snowball stemmer, by ISO 639-1 code.
fn algorithm(language: &str) -> Option<Algorithm> {
    Some(match language {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// Languages the NLTK stop lists cover, by ISO 639-1 code.
const NLTK_LANGUAGES: &[&str] = &[
    "ar", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv",
    "tr",
];

impl Analyzer {
    /// The analyzer for an ISO 639-1 code; unknown languages get lower-casing only, which still lets their
    /// articles cluster by shared words, names and numbers.
    pub(crate) fn for_language(language: Option<&str>) -> &'static Analyzer {
        static ALL: OnceLock<HashMap<&'static str, Analyzer>> = OnceLock::new();
        static PLAIN: OnceLock<Analyzer> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            let mut all = HashMap::new();
            for code in [
                "ar", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro",
                "ru", "sv", "tr", "pl", "vi",
            ] {
                let stop_words: HashSet<String> = if NLTK_LANGUAGES.contains(&code) {
                    stop_words::get(code)
                        .into_iter()
                        .map(|w| w.trim().to_lowercase())
                        .filter(|w| !w.is_empty())
                        .collect()
                } else if code == "pl" {
                    POLISH_STOP_WORDS
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect()
                } else {
                    HashSet::new()
                };
                all.insert(
                    code,
                    Analyzer {
                        stemmer: algorithm(code).map(Stemmer::create),
                        stop_words,
                        polish: code == "pl",
                        syllable_pairs: code == "vi",
                        single_syllables: if code == "vi" { 0.0 } else { 1.0 },
                    },
                );
            }
            all
        });
        let plain = || {
            PLAIN.get_or_init(|| Analyzer {
                stemmer: None,
                stop_words: HashSet::new(),
                polish: false,
                syllable_pairs: false,
                single_syllables: 1.0,
            })
        };
        match language {
            Some(code) => all.get(base_code(code)).unwrap_or_else(plain),
            None => plain(),
        }
    }

    /// True for a function word of this language (given lower-cased).
    pub(crate) fn is_stop_word(&self, lower: &str) -> bool {
        self.stop_words.contains(lower)
    }

    /// The term for one lower-cased word: its stem, or `None` for a stop word or a token too short to mean much.
    pub(crate) fn term(&self, lower: &str) -> Option<String> {
        if lower.chars().count() < 2 || self.stop_words.contains(lower) {
            return None;
        }
        if lower.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if let Some(stemmer) = &self.stemmer {
            return Some(cached_stem(
                stemmer,
                self as *const Analyzer as usize,
                lower,
            ));
        }
        if self.polish {
            return Some(strip_polish_suffix(lower).to_owned());
        }
        Some(lower.to_owned())
    }
}

/// Stems through a per-thread cache: news vocabulary is Zipfian, so most words were stemmed moments ago, and
/// Snowball stemming is the costliest step of feature extraction. The cache is cleared when it grows past a
/// bound, so memory stays flat on an endless stream.
fn cached_stem(stemmer: &Stemmer, analyzer: usize, lower: &str) -> String {
    use std::cell::RefCell;
    const MAX_CACHED: usize = 200_000;
    thread_local! {
        static CACHE: RefCell<rustc_hash::FxHashMap<(usize, String), String>> = RefCell::default();
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let key = (analyzer, lower.to_owned());
        if let Some(stem) = cache.get(&key) {
            return stem.clone();
        }
        let stem = stemmer.stem(lower).into_owned();
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(key, stem.clone());
        stem
    })
}

/// "en-GB" and "en_US" are analysed as "en".
fn base_code(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

/// Polish inflection is rich and Snowball has no stemmer for it: strip the longest common case or number ending
/// while keeping a stem of at least four characters. Light stemmers of this kind recover most of a full
/// stemmer's gain in retrieval.
fn strip_polish_suffix(word: &str) -> &str {
    const SUFFIXES: &[&str] = &[
        "owania", "owanie", "ami", "ach", "ów", "om", "em", "ie", "ego", "emu", "ej", "ymi", "ych",
        "ich", "imi", "owi", "ym", "im", "ą", "ę", "a", "e", "i", "y", "u", "o",
    ];
    let chars = word.chars().count();
    for suffix in SUFFIXES {
        if let Some(stem) = word.strip_suffix(suffix)
            && chars - suffix.chars().count() >= 4
        {
            return stem;
        }
    }
    word
}

/// True for characters of scripts written without spaces between words (Han, kana).
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// One token of running text, with its byte offset and whether a sentence ends right before it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    /// The token as written.
    pub(crate) text: &'a str,
    /// True for the first token of a sentence, paragraph or line, where capitals say nothing about names.
    pub(crate) sentence_start: bool,
    /// True when punctuation other than an apostrophe or hyphen separates it from the previous token, so that a
    /// run of capitalised words does not run across a comma.
    pub(crate) after_break: bool,
}

/// Splits text into word tokens: maximal runs of letters and digits, a decimal point or comma inside a number kept
/// ("6.1", "2,500"). Runs of Han and kana become one token each; the caller splits them into bigrams.
pub(crate) fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    let mut after_break = true;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if c.is_alphanumeric() {
            let unspaced = is_unspaced_script(c);
            let mut end = start + c.len_utf8();
            while let Some(&(i, next)) = iter.peek() {
                let joins = if unspaced {
                    is_unspaced_script(next)
                } else if next.is_alphanumeric() && !is_unspaced_script(next) {
                    true
                } else if (next == '.' || next == ',') && bytes[i - 1].is_ascii_digit() {
                    // A decimal point or thousands separator only between digits.
                    bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                } else {
                    false
                };
                if !joins {
                    break;
                }
                end = i + next.len_utf8();
                iter.next();
            }
            out.push(Token {
                text: &text[start..end],
                sentence_start,
                after_break,
            });
            sentence_start = false;
            after_break = false;
        } else if matches!(
            c,
            '.' | '!' | '?' | '\n' | '。' | '！' | '？' | ':' | '"' | '“' | '”' | '«' | '»'
        ) {
            sentence_start = true;
            after_break = true;
        } else if !c.is_whitespace() && !matches!(c, '\'' | '’' | '-' | '‐') {
            after_break = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(language: &str, text: &str) -> Vec<String> {
        let analyzer = Analyzer::for_language(Some(language));
        tokens(text)
            .iter()
            .filter_map(|t| analyzer.term(&t.text.to_lowercase()))
            .collect()
    }

    #[test]
    fn stems_and_drops_function_words_per_language() {
        assert_eq!(
            terms("en", "The ministers were meeting"),
            ["minist", "meet"]
        );
        assert_eq!(terms("de", "Die Minister trafen sich"), ["minist", "traf"]);
        assert_eq!(terms("ru", "министры встретились"), ["министр", "встрет"]);
        assert_eq!(
            terms("pl", "ministrowie spotkali się w Warszawie"),
            ["ministrow", "spotkal", "warszaw"]
        );
    }

    #[test]
    fn keeps_decimal_numbers_whole() {
        let t: Vec<_> = tokens("A 6.1 quake, 2,500 hurt. Then")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, ["A", "6.1", "quake", "2,500", "hurt", "Then"]);
        assert!(tokens("hurt. Then")[1].sentence_start);
    }
}
