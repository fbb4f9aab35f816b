//! Words and sentences with byte offsets: the units every extraction part works on.
//!
//! The tokenizer follows the conventions of the newswire corpora the recogniser is trained on (CoNLL-2003, Penn
//! Treebank): punctuation is its own token, a possessive `'s` is split off ("Iran’s" -> "Iran", "’s"), hyphenated
//! words stay whole ("cease-fire", "Iran-Russia"), and abbreviations keep their period ("U.S.", "Mr.", "Oct.").
//! Both passes are a single left-to-right scan, so their time is linear in the text on any input.

use std::ops::Range;

/// One token: a byte range into the text it was cut from, always on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

/// One sentence: the byte range it covers and the range of its tokens in [`Tokens::tokens`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of the sentence's first token.
    pub start: usize,
    /// Byte offset one past its last token.
    pub end: usize,
    /// Indices of its tokens.
    pub tokens: Range<usize>,
}

/// A text cut into tokens and sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    /// Every token, in text order.
    pub tokens: Vec<Token>,
    /// Every sentence, in text order; together they cover every token exactly once.
    pub sentences: Vec<Sentence>,
}

impl Tokens {
    /// The sentence holding the token at `index`, found by binary search.
    pub fn sentence_of(&self, index: usize) -> usize {
        self.sentences
            .partition_point(|s| s.tokens.end <= index)
            .min(self.sentences.len().saturating_sub(1))
    }

    /// The sentence holding byte `offset` of the text (the last one for an offset past the end).
    pub fn sentence_at(&self, offset: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end <= offset)
            .min(self.sentences.len().saturating_sub(1))
    }
}

/// The longest sentence the splitter emits, in tokens: a text without any sentence punctuation (a table, a list, a
/// 5 MB blob) is cut into pieces of this size, so that no later part ever works on an unbounded unit.
pub const MAX_SENTENCE_TOKENS: usize = 300;

/// Words that keep their trailing period: titles, months, company suffixes. Compared case-insensitively.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "sgt", "adm",
    "sen", "rep", "gov", "pres", "st", "jr", "sr", "rev", "hon", "inc", "corp", "ltd", "co",
    "bros", "vs", "etc", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mt", "ft", "ave", "blvd", "dept", "univ", "assn", "approx", "est", "fig",
    "al",
];

/// Cuts `text` into tokens and sentences.
pub fn tokenize(text: &str) -> Tokens {
    let tokens = split_tokens(text);
    let sentences = split_sentences(text, &tokens);
    Tokens { tokens, sentences }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\u{300}'..='\u{36f}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Characters that join two word characters into one token ("cease-fire", "2.3", "3+3", "AT&T", "10:30", "O'Brien").
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '‐' | '.' | '+' | '&' | ',' | ':' | '/' | '_' | '@') || is_apostrophe(c)
}

fn split_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        if !is_word_char(c) {
            // A run of the same punctuation ("...", "--") is one token; any other symbol stands alone.
            let mut end = start + c.len_utf8();
            if matches!(c, '.' | '-' | '!' | '?' | '*' | '=') {
                while let Some(&(i, d)) = chars.peek() {
                    if d != c {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
            }
            tokens.push(Token { start, end });
            continue;
        }
        let mut end = start + c.len_utf8();
        // Extend over word characters and joiners that sit between word characters.
        while let Some(&(i, d)) = chars.peek() {
            if is_word_char(d) {
                end = i + d.len_utf8();
                chars.next();
                continue;
            }
            if !is_joiner(d) {
                break;
            }
            let after = &text[i + d.len_utf8()..];
            let next = after.chars().next();
            let prev = text[..i].chars().next_back();
            let joins = match d {
                // Commas, colons and slashes only join digits: "2,300", "10:30", "10/27".
                ',' | ':' | '/' => {
                    prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit())
                }
                // A possessive ending is split off: "Iran’s" -> "Iran" + "’s".
                d if is_apostrophe(d) => {
                    let possessive = next.is_some_and(|n| n == 's' || n == 'S')
                        && !after[1..].chars().next().is_some_and(is_word_char);
                    !possessive && next.is_some_and(is_word_char)
                }
                _ => next.is_some_and(is_word_char),
            };
            if !joins {
                break;
            }
            end = i + d.len_utf8();
            chars.next();
        }
        // A period right after the word stays with it when the word is an abbreviation.
        if text[end..].starts_with('.') && is_abbreviation(&text[start..end]) {
            end += 1;
            chars.next();
        }
        tokens.push(Token { start, end });
        // Split-off possessive.
        if let Some(&(i, d)) = chars.peek()
            && i == end
            && is_apostrophe(d)
        {
            let s_at = i + d.len_utf8();
            if text[s_at..].starts_with(['s', 'S'])
                && !text[s_at + 1..].chars().next().is_some_and(is_word_char)
            {
                chars.next();
                chars.next();
                tokens.push(Token {
                    start: i,
                    end: s_at + 1,
                });
            }
        }
    }
    tokens
}

/// Whether a word followed by a period is an abbreviation that keeps it: a known title or month, a single capital
/// letter (an initial: "John F. Kennedy"), or letters joined by periods ("U.S", "U.N").
fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    if word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() <= 2 && !part.is_empty())
    {
        return true;
    }
    word.len() <= 6 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

fn is_closing(s: &str) -> bool {
    matches!(s, "\"" | "”" | "’" | "'" | ")" | "]" | "»" | "}")
}

fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut first = 0;
    let push = |first: usize, last: usize, sentences: &mut Vec<Sentence>| {
        if first < last {
            sentences.push(Sentence {
                start: tokens[first].start,
                end: tokens[last - 1].end,
                tokens: first..last,
            });
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        let tok = &text[tokens[i].start..tokens[i].end];
        let mut end_here = false;
        let mut last = i + 1;
        if matches!(tok.chars().next(), Some('.' | '!' | '?')) && !tok.starts_with("..")
            || tok == "…"
        {
            // Closing quotes and brackets right after the stop belong to this sentence.
            while last < tokens.len() && is_closing(&text[tokens[last].start..tokens[last].end]) {
                last += 1;
            }
            end_here = match tokens.get(last) {
                None => true,
                Some(next) => {
                    let c = text[next.start..].chars().next().unwrap_or(' ');
                    !c.is_lowercase() || paragraph_break(&text[tokens[last - 1].end..next.start])
                }
            };
        } else if let Some(next) = tokens.get(i + 1) {
            end_here = paragraph_break(&text[tokens[i].end..next.start]);
        }
        if !end_here && last - first >= MAX_SENTENCE_TOKENS {
            end_here = true;
        }
        if end_here {
            push(first, last, &mut sentences);
            first = last;
        }
        i = last;
    }
    push(first, tokens.len(), &mut sentences);
    sentences
}

/// A blank line (or a line break before a heading-like line) between two tokens ends a sentence.
fn paragraph_break(gap: &str) -> bool {
    gap.matches('\n').nth(1).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[&[&str]]) {
        let t = tokenize(text);
        let got: Vec<Vec<&str>> = t
            .sentences
            .iter()
            .map(|s| {
                t.tokens[s.tokens.clone()]
                    .iter()
                    .map(|k| &text[k.start..k.end])
                    .collect()
            })
            .collect();
        let expect: Vec<Vec<&str>> = expect.iter().map(|s| s.to_vec()).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn splits_possessives_and_punctuation_keeps_hyphens() {
        check(
            "Iran’s deputy met Hamas (in Moscow), saying “cease-fire.” Then 3+3 talks.",
            &[
                &[
                    "Iran",
                    "’s",
                    "deputy",
                    "met",
                    "Hamas",
                    "(",
                    "in",
                    "Moscow",
                    ")",
                    ",",
                    "saying",
                    "“",
                    "cease-fire",
                    ".",
                    "”",
                ],
                &["Then", "3+3", "talks", "."],
            ],
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        check(
            "Mr. Smith of the U.S. met John F. Kennedy on Oct. 27. He left.",
            &[
                &[
                    "Mr.", "Smith", "of", "the", "U.S.", "met", "John", "F.", "Kennedy", "on",
                    "Oct.", "27", ".",
                ],
                &["He", "left", "."],
            ],
        );
    }

    #[test]
    fn paragraphs_end_sentences_and_datelines_split_slashes() {
        check(
            "Title line\n\nMOSCOW, October 27. /TASS/. Text 2,300 here",
            &[
                &["Title", "line"],
                &["MOSCOW", ",", "October", "27", "."],
                &["/", "TASS", "/", "."],
                &["Text", "2,300", "here"],
            ],
        );
    }

    #[test]
    fn long_runs_without_stops_are_cut() {
        let text = "word ".repeat(1000);
        let t = tokenize(&text);
        assert_eq!(t.tokens.len(), 1000);
        assert!(
            t.sentences
                .iter()
                .all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS)
        );
        assert_eq!(
            t.sentences.iter().map(|s| s.tokens.len()).sum::<usize>(),
            1000
        );
        assert_eq!(t.sentence_of(999), t.sentences.len() - 1);
    }

    #[test]
    fn odd_text_never_panics_and_offsets_are_char_boundaries() {
        for text in [
            "",
            "’",
            "'s",
            "a’",
            "...",
            " \u{0}\u{300}x",
            "A.",
            "U.S",
            "é’s’s",
            "x,\n\n,y",
            "--- ?!",
        ] {
            let t = tokenize(text);
            for k in &t.tokens {
                assert!(
                    text.is_char_boundary(k.start)
                        && text.is_char_boundary(k.end)
                        && k.start < k.end
                );
            }
        }
    }
}
