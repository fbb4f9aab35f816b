//! Whether two statements say the same thing: a score from words, names, numbers and dates that works within a
//! language and, through names, numbers, dates and borrowed words, across languages.
//!
//! Each statement is read once into [`StatementFeatures`]; pairs are then scored by [`SimilarityModel::score`], and
//! [`SimilarityModel::same`] is the decision the comparison uses to align two statements.
//!
//! Within one language the score is a logistic regression over a handful of overlap measures of the kind the
//! paraphrase literature found to carry (Wan et al. 2006; Madnani et al. 2012): n-gram overlap of words and
//! stems, the longest common subsequence, a word edit rate, the length ratio, content words weighted by a rarity
//! proxy, and whether numbers and names agree. Its weights and threshold were fitted on the MSRP training file
//! (`parallax eval paraphrase ../shared/datasets/msrp/msr_paraphrase_train.txt --fit` prints them again); on that
//! file the shipped model scores accuracy 0.7620 and F1 0.8260 in sample, 0.7549 and 0.8224 under 10-fold
//! cross-validation (see benches/README.md, "Statement similarity").
//!
//! Across languages words cannot be compared, so the score rests on what survives translation: names (compared
//! after transliteration to Latin letters, by a consonant skeleton, so "Дегтярев" is "Degtyarev"), numbers
//! ("2,500", "2 500" and "2500" are one), months, and borrowed words that share a skeleton ("президент",
//! "president"). With a dense encoder, a statement carries a vector ([`StatementFeatures::with_vector`]) whose
//! cosine joins the score in both cases.

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;

use crate::cluster::terms::{Analyzer, tokens};
use crate::embed::cosine;

/// What the scorer reads off one statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatementFeatures {
    language: Option<String>,
    /// Every word, lower-cased, in order.
    words: Vec<String>,
    /// Every word's stem (a function word as itself), in order.
    stems: Vec<String>,
    /// Stemmed content words.
    terms: BTreeSet<String>,
    /// Capitalised words not at a sentence start, as consonant skeletons of their Latin spelling.
    names: BTreeSet<String>,
    /// Numbers, normalised ("2,500" and "2500" are one).
    numbers: BTreeSet<String>,
    /// Months named, as "m1".."m12".
    months: BTreeSet<String>,
    /// Skeletons of longer words, which borrowed words ("президент", "president") share across scripts.
    cognates: BTreeSet<String>,
    /// Letters in the statement, for the length ratio of two translations.
    letters: usize,
    /// A dense embedding of the statement (unit length), when an encoder was at hand.
    vector: Option<Vec<f32>>,
}

impl StatementFeatures {
    /// Reads one statement in the given language (ISO 639-1), or in no known language.
    pub fn new(text: &str, language: Option<&str>) -> Self {
        let analyzer = Analyzer::for_language(language);
        let mut features = StatementFeatures {
            language: language.map(str::to_owned),
            letters: text.chars().filter(|c| c.is_alphabetic()).count(),
            ..StatementFeatures::default()
        };
        let tokens = tokens(text);
        let mut previous_number: Option<(&str, usize)> = None;
        for token in &tokens {
            let word = token.text;
            let start = word.as_ptr() as usize - text.as_ptr() as usize;
            if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                // "2 500": a group of three digits after a short number and one space continues that number.
                let joined = previous_number.and_then(|(before, end)| {
                    let gap = &text[end..start];
                    let spaced = matches!(gap, " " | "\u{a0}" | "\u{202f}" | "\u{2009}");
                    (spaced
                        && before.len() <= 3
                        && before.bytes().all(|b| b.is_ascii_digit())
                        && word.len() == 3
                        && word.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| (before, format!("{before}{word}")))
                });
                if let Some((before, joined)) = joined {
                    features.numbers.remove(&normalise_number(before));
                    features.numbers.insert(normalise_number(&joined));
                } else {
                    features.numbers.insert(normalise_number(word));
                }
                previous_number = Some((word, start + word.len()));
                features.words.push(normalise_number(word));
                features.stems.push(normalise_number(word));
                continue;
            }
            previous_number = None;
            let lower = word.to_lowercase();
            if let Some(month) = month_of(&lower) {
                features.months.insert(format!("m{month}"));
            }
            let skeleton = skeleton(&lower);
            if !token.sentence_start
                && word.chars().next().is_some_and(char::is_uppercase)
                && !analyzer.is_stop_word(&lower)
                && skeleton.len() >= 2
            {
                features.names.insert(skeleton.clone());
            }
            match analyzer.term(&lower) {
                Some(term) => {
                    if skeleton.len() >= 4 {
                        features.cognates.insert(skeleton);
                    }
                    features.stems.push(term.clone());
                    features.terms.insert(term);
                }
                None => features.stems.push(lower.clone()),
            }
            features.words.push(lower);
        }
        features
    }

    /// The same features with a dense embedding of the statement (unit length, as the encoder gives it).
    pub fn with_vector(mut self, vector: Vec<f32>) -> Self {
        self.vector = Some(vector);
        self
    }

    /// Keys two statements the model may call the same are likely to share (terms, names, numbers, months), for
    /// finding candidate pairs without scoring every pair. Names are keyed by the first three letters of their
    /// skeleton, so a name and its transliteration share a key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .map(String::as_str)
            .chain(self.names.iter().map(|n| name_key(n)))
            .chain(self.numbers.iter().map(String::as_str))
            .chain(self.months.iter().map(String::as_str))
    }

    /// True when the statement has nothing to compare by.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.vector.is_none()
    }
}

/// The key of a name skeleton: its first three letters (skeletons are ASCII).
fn name_key(skeleton: &str) -> &str {
    &skeleton[..skeleton.len().min(3)]
}

/// "2,500" and "2500" are the same number, and "2.5" and "2,5"; "6.1" stays as it is.
fn normalise_number(word: &str) -> String {
    let groups_of_three =
        |sep: char| word.contains(sep) && word.split(sep).skip(1).all(|g| g.len() == 3);
    let plain = if groups_of_three(',') && !word.contains('.') {
        word.replace(',', "")
    } else if groups_of_three('.') && !word.contains(',') && word.matches('.').count() > 1 {
        // "1.500.000" can only be thousands; a single "1.500" is read as a decimal.
        word.replace('.', "")
    } else {
        word.replace(',', ".")
    };
    // "2.50" and "2.5" are one number; "007" and "7" too.
    let plain = if plain.contains('.') {
        plain.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        plain
    };
    let trimmed = plain.trim_start_matches('0');
    if trimmed.is_empty() || trimmed.starts_with('.') {
        format!("0{trimmed}")
    } else {
        trimmed.to_owned()
    }
}

/// The month a lower-cased word names, in English, German, French, Spanish, Italian or Russian (any case form).
fn month_of(lower: &str) -> Option<u32> {
    const LATIN: [&[&str]; 12] = [
        &["january", "januar", "janvier", "enero", "gennaio"],
        &["february", "februar", "février", "febrero", "febbraio"],
        &["march", "märz", "mars", "marzo"],
        &["april", "avril", "abril", "aprile"],
        &["may", "mai", "mayo", "maggio"],
        &["june", "juni", "juin", "junio", "giugno"],
        &["july", "juli", "juillet", "julio", "luglio"],
        &["august", "août", "agosto"],
        &["september", "septembre", "septiembre", "settembre"],
        &["october", "oktober", "octobre", "octubre", "ottobre"],
        &["november", "novembre", "noviembre"],
        &["december", "dezember", "décembre", "diciembre", "dicembre"],
    ];
    // Russian month names decline ("июля", "в июле"): their stems, long enough not to meet other words.
    const RUSSIAN: [&str; 12] = [
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ];
    if let Some(i) = LATIN.iter().position(|names| names.contains(&lower)) {
        return Some(i as u32 + 1);
    }
    if lower.starts_with(|c: char| ('а'..='я').contains(&c)) {
        if matches!(lower, "мая" | "май" | "мае") {
            return Some(5);
        }
        let i = RUSSIAN
            .iter()
            .enumerate()
            .skip(5)
            .chain(RUSSIAN.iter().enumerate().take(4))
            .find(|(_, stem)| {
                lower.starts_with(**stem) && lower.chars().count() <= stem.chars().count() + 2
            })?;
        return Some(i.0 as u32 + 1);
    }
    None
}

/// A lower-cased word in Latin letters: Cyrillic and Greek transliterated (a plain scholarly table, as English
/// news spells Russian names), accents dropped.
fn to_latin(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let mapped = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ґ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' | 'є' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' | 'ї' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'α' => "a",
            'β' => "v",
            'γ' => "g",
            'δ' => "d",
            'ε' => "e",
            'ζ' => "z",
            'η' | 'ι' => "i",
            'θ' => "th",
            'κ' => "k",
            'λ' => "l",
            'μ' => "m",
            'ν' => "n",
            'ξ' => "x",
            'ο' | 'ω' => "o",
            'π' => "p",
            'ρ' => "r",
            'σ' | 'ς' => "s",
            'τ' => "t",
            'υ' => "y",
            'φ' => "f",
            'χ' => "ch",
            'ψ' => "ps",
            'ß' => "ss",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(mapped);
    }
    out
}

/// A word's consonant skeleton in Latin letters: transliterated, digraphs and look-alike consonants merged, vowels
/// and `h` dropped, doubles collapsed, so that spellings of one name across scripts and conventions meet
/// ("Дегтярев", "Degtyarev" -> "dgtrv"; "Москва", "Moscow" -> "mskv"; "Джонсон", "Johnson" -> "jnsn").
fn skeleton(lower: &str) -> String {
    let latin = to_latin(lower)
        .replace("dzh", "j")
        .replace("zh", "j")
        .replace("ph", "f")
        .replace("ck", "k")
        .replace('x', "ks");
    let mut out = String::new();
    for c in latin.chars() {
        let c = match c {
            'c' | 'q' => 'k',
            'w' => 'v',
            'z' => 's',
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' => continue,
            c if c.is_ascii_lowercase() => c,
            _ => continue,
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Two skeletons name the same thing when the shorter (two letters or more) and the longer agree on their first
/// four letters, or all of the shorter's: Russian declension adds endings ("Путина", "Путиным").
fn skeletons_match(a: &str, b: &str) -> bool {
    let shorter = a.len().min(b.len());
    if shorter < 2 {
        return a == b;
    }
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    common >= shorter.min(4)
}

/// How many of `a` have a match in `b`.
fn matched(a: &BTreeSet<String>, b: &BTreeSet<String>, same: impl Fn(&str, &str) -> bool) -> usize {
    a.iter().filter(|x| b.iter().any(|y| same(x, y))).count()
}

/// The number of pair features the within-language model reads.
pub(crate) const PAIR_FEATURES: usize = 24;

/// Names of the pair features, in order, for the fitting report.
pub(crate) const PAIR_FEATURE_NAMES: [&str; PAIR_FEATURES] = [
    "word unigram Dice",
    "word bigram Dice",
    "word trigram Dice",
    "stem overlap / longer",
    "stem overlap / shorter",
    "stem bigram Dice",
    "LCS / longer",
    "1 - word edit rate",
    "length ratio",
    "rare-word overlap",
    "numbers unmatched",
    "names unmatched",
    "a number on one side only",
    "unmatched terms, the side with more",
    "unmatched terms, the other side",
    "character 4-gram Dice",
    "word 4-gram Dice",
    "sentence length",
    "word unigram Dice, squared",
    "character 4-gram Dice, squared",
    "LCS / shorter",
    "shared words / longer",
    "shared words / shorter",
    "length difference in words",
];

fn ngrams(words: &[String], n: usize) -> BTreeSet<&[String]> {
    words.windows(n).collect()
}

/// Character 4-grams of the words joined by spaces, with the spaces: overlap that survives inflection.
fn char_grams(words: &[String]) -> BTreeSet<String> {
    let chars: Vec<char> = words.join(" ").chars().collect();
    chars.windows(4).map(|w| w.iter().collect()).collect()
}

fn dice_of<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f32 / (a.len() + b.len()) as f32
}

fn lcs(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

fn edit_distance(a: &[String], b: &[String]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(x != y))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// A content word's weight: longer words are rarer, so they say more (a stand-in for IDF that needs no corpus).
fn rarity(term: &str) -> f32 {
    1.0 + (term.chars().count() as f32).ln()
}

/// Share of anchors (numbers or names) on either side without a match on the other; 0 when there are none.
fn unmatched_share(
    a: &BTreeSet<String>,
    b: &BTreeSet<String>,
    same: impl Fn(&str, &str) -> bool + Copy,
) -> f32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0.0;
    }
    let found = matched(a, b, same) + matched(b, a, same);
    (total - found) as f32 / total as f32
}

/// The within-language pair features, each in 0..1, symmetric in the two statements.
pub(crate) fn pair_features(a: &StatementFeatures, b: &StatementFeatures) -> [f32; PAIR_FEATURES] {
    let (la, lb) = (a.words.len(), b.words.len());
    let longer = la.max(lb).max(1) as f32;
    let shorter = la.min(lb).max(1) as f32;
    let word_sets: Vec<BTreeSet<&[String]>> = (1..=3)
        .flat_map(|n| [ngrams(&a.words, n), ngrams(&b.words, n)])
        .collect();
    let shared_terms = a.terms.intersection(&b.terms).count() as f32;
    let (terms_longer, terms_shorter) = (
        a.terms.len().max(b.terms.len()).max(1) as f32,
        a.terms.len().min(b.terms.len()).max(1) as f32,
    );
    let weight = |set: &BTreeSet<String>| set.iter().map(|t| rarity(t)).sum::<f32>();
    let shared_weight: f32 = a.terms.intersection(&b.terms).map(|t| rarity(t)).sum();
    let all_weight = weight(&a.terms) + weight(&b.terms);
    let same_number = |x: &str, y: &str| x == y;
    let one_sided = |x: &BTreeSet<String>, y: &BTreeSet<String>| x.iter().any(|n| !y.contains(n));
    let (only_a, only_b) = (
        a.terms.difference(&b.terms).count(),
        b.terms.difference(&a.terms).count(),
    );
    let (more, fewer) = (only_a.max(only_b), only_a.min(only_b));
    let unigrams = dice_of(&word_sets[0], &word_sets[1]);
    let shared_words = word_sets[0].intersection(&word_sets[1]).count() as f32;
    let common = lcs(&a.words, &b.words);
    let char_dice = dice_of(&char_grams(&a.words), &char_grams(&b.words));
    [
        unigrams,
        dice_of(&word_sets[2], &word_sets[3]),
        dice_of(&word_sets[4], &word_sets[5]),
        shared_terms / terms_longer,
        shared_terms / terms_shorter,
        dice_of(&ngrams(&a.stems, 2), &ngrams(&b.stems, 2)),
        common as f32 / longer,
        1.0 - (edit_distance(&a.words, &b.words) as f32 / longer).min(1.0),
        shorter / longer,
        if all_weight > 0.0 {
            2.0 * shared_weight / all_weight
        } else {
            0.0
        },
        unmatched_share(&a.numbers, &b.numbers, same_number),
        unmatched_share(&a.names, &b.names, skeletons_match),
        f32::from(u8::from(
            one_sided(&a.numbers, &b.numbers) || one_sided(&b.numbers, &a.numbers),
        )),
        (more as f32 / 10.0).min(1.0),
        (fewer as f32 / 10.0).min(1.0),
        char_dice,
        dice_of(&ngrams(&a.words, 4), &ngrams(&b.words, 4)),
        ((la + lb) as f32 / 2.0).ln_1p() / 4.0,
        unigrams * unigrams,
        char_dice * char_dice,
        common as f32 / shorter,
        shared_words / word_sets[0].len().max(word_sets[1].len()).max(1) as f32,
        shared_words / word_sets[0].len().min(word_sets[1].len()).max(1) as f32,
        (la.abs_diff(lb) as f32 / 10.0).min(1.0),
    ]
}

/// The logistic function of a weighted sum.
pub(crate) fn logistic(weights: &[f32; PAIR_FEATURES], bias: f32, x: &[f32; PAIR_FEATURES]) -> f32 {
    let z = bias + weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
    1.0 / (1.0 + (-z).exp())
}

/// The shipped weights of the within-language model, in the order of [`PAIR_FEATURE_NAMES`]: fitted by logistic
/// regression (Newton's method, a light L2 penalty) on the 4,076 pairs of the MSRP training file; refit with
/// `parallax eval paraphrase ../shared/datasets/msrp/msr_paraphrase_train.txt --fit`.
const WEIGHTS: [f32; PAIR_FEATURES] = [
    0.6827,  // word unigram Dice
    -1.8349, // word bigram Dice
    -2.0373, // word trigram Dice
    1.7962,  // stem overlap / longer
    0.1383,  // stem overlap / shorter
    0.4421,  // stem bigram Dice
    3.0035,  // LCS / longer
    2.4765,  // 1 - word edit rate
    -2.0445, // length ratio
    -1.5001, // rare-word overlap
    0.0718,  // numbers unmatched
    0.1709,  // names unmatched
    -0.5988, // a number on one side only
    0.6840,  // unmatched terms, the side with more
    -0.1827, // unmatched terms, the other side
    1.4779,  // character 4-gram Dice
    -2.0610, // word 4-gram Dice
    -0.7287, // sentence length
    2.0698,  // word unigram Dice, squared
    4.0805,  // character 4-gram Dice, squared
    -1.4090, // LCS / shorter
    0.6760,  // shared words / longer
    0.3295,  // shared words / shorter
    -2.0476, // length difference in words
];
/// The shipped intercept.
const BIAS: f32 = -1.0250;
/// The shipped threshold on the model's probability, chosen for accuracy on the same file.
const THRESHOLD: f32 = 0.5457;

/// The same-statement decision: a score in 0..1 and the threshold past which two statements are aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarityModel {
    /// Scores at or above this align two statements.
    pub threshold: f32,
    /// The within-language model's weights and intercept.
    pub(crate) weights: [f32; PAIR_FEATURES],
    pub(crate) bias: f32,
    /// Within one language with dense vectors: the weights of the sparse model's log-odds and of the cosine,
    /// and the intercept, of the logistic model that joins them.
    pub(crate) dense_within: [f32; 3],
}

impl Default for SimilarityModel {
    fn default() -> Self {
        SimilarityModel {
            threshold: THRESHOLD,
            weights: WEIGHTS,
            bias: BIAS,
            dense_within: DENSE_WITHIN,
        }
    }
}

/// The weights of the sparse model's log-odds and of the dense cosine, and the intercept, that join the two
/// within one language: fitted by logistic regression on the MSRP training file with multilingual-e5-small's
/// vectors, the intercept then moved so that [`THRESHOLD`] decides the joined score as well as the threshold
/// that fit found best; refit with `parallax eval paraphrase ../shared/datasets/msrp/msr_paraphrase_train.txt
/// --fit --model e5-small-q4.bin`.
const DENSE_WITHIN: [f32; 3] = [0.7008, 21.9461, -20.4322];

/// The logistic model joining a sparse probability and a dense cosine (see [`DENSE_WITHIN`]).
pub(crate) fn join_dense(joint: &[f32; 3], sparse: f32, cosine: f32) -> f32 {
    let p = sparse.clamp(1e-6, 1.0 - 1e-6);
    let z = joint[0] * (p / (1.0 - p)).ln() + joint[1] * cosine + joint[2];
    1.0 / (1.0 + (-z).exp())
}

/// Cosines of dense embeddings (multilingual-e5) crowd into a narrow band: unrelated news sentences sit near
/// 0.75, translations near 0.9. This maps that band onto 0..1 before it joins the score.
const COSINE_FLOOR: f32 = 0.75;
const COSINE_CEILING: f32 = 0.92;

impl SimilarityModel {
    /// How likely the two statements say the same thing, from 0 to 1.
    pub fn score(&self, a: &StatementFeatures, b: &StatementFeatures) -> f32 {
        if a.words.is_empty() || b.words.is_empty() {
            return 0.0;
        }
        let sparse = if a.language == b.language {
            logistic(&self.weights, self.bias, &pair_features(a, b)).max(near_copy(a, b))
        } else {
            across_languages(a, b)
        };
        match (&a.vector, &b.vector) {
            (Some(x), Some(y)) if x.len() == y.len() => {
                let cosine = cosine(x, y);
                let dense =
                    ((cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)).clamp(0.0, 1.0);
                if a.language == b.language {
                    join_dense(&self.dense_within, sparse, cosine)
                } else {
                    // Across languages the words say little (names and numbers only): a translation is told by
                    // its embedding, and the anchors can only add to it.
                    sparse.max(dense)
                }
            }
            _ => sparse,
        }
    }

    /// True when the two statements are taken to say the same thing.
    pub fn same(&self, a: &StatementFeatures, b: &StatementFeatures) -> bool {
        self.score(a, b) >= self.threshold
    }
}

/// Statements that differ by at most this many words, with the same numbers and names, are near copies.
const NEAR_COPY_EDITS: usize = 4;

/// The score of a near copy (1 less the word edit rate), or 0. MSRP, which the weights are fitted on, holds no
/// pair closer than eight word edits, and the fit learns that high n-gram overlap there marks different content;
/// outside that range, a wire copy with a changed word says the same thing unless a number or a name changed.
fn near_copy(a: &StatementFeatures, b: &StatementFeatures) -> f32 {
    if a.numbers != b.numbers || unmatched_share(&a.names, &b.names, skeletons_match) > 0.0 {
        return 0.0;
    }
    let edits = edit_distance(&a.words, &b.words);
    if edits > NEAR_COPY_EDITS {
        return 0.0;
    }
    1.0 - edits as f32 / a.words.len().max(b.words.len()).max(1) as f32
}

/// The score of two statements in different languages, from what survives translation: names, numbers and
/// months (strong evidence) and borrowed words (weak), agreeing on both sides, with the two lengths alike.
///
/// Each side's anchors found on the other count; anchors on one side only count against. One shared anchor
/// between sentences of like length scores about the threshold, two or more clear it; a number on one side only
/// pulls the score down, as within a language.
fn across_languages(a: &StatementFeatures, b: &StatementFeatures) -> f32 {
    let numbers = (
        matched(&a.numbers, &b.numbers, |x, y| x == y),
        matched(&b.numbers, &a.numbers, |x, y| x == y),
    );
    let names = (
        matched(&a.names, &b.names, skeletons_match),
        matched(&b.names, &a.names, skeletons_match),
    );
    let months = (
        matched(&a.months, &b.months, |x, y| x == y),
        matched(&b.months, &a.months, |x, y| x == y),
    );
    let cognates = (
        matched(&a.cognates, &b.cognates, skeletons_match),
        matched(&b.cognates, &a.cognates, skeletons_match),
    );
    let strong_found = (numbers.0 + numbers.1 + names.0 + names.1 + months.0 + months.1) as f32;
    let strong_all = (a.numbers.len() + b.numbers.len() + a.names.len() + b.names.len()) as f32
        + (a.months.len() + b.months.len()) as f32;
    let weak_found = (cognates.0 + cognates.1) as f32;
    let shared = strong_found / 2.0 + 0.5 * weak_found / 2.0;
    if shared == 0.0 {
        return 0.0;
    }
    // Agreement: the share of strong anchors matched (a sentence with none has nothing to disagree with).
    let agreement = if strong_all > 0.0 {
        strong_found / strong_all
    } else {
        0.5
    };
    // Evidence grows with the number of shared anchors: 1 -> 0.5, 2 -> 0.75, 3 -> 0.875.
    let evidence = 1.0 - 0.5f32.powf(shared);
    let (la, lb) = (a.letters.max(1) as f32, b.letters.max(1) as f32);
    let length = la.min(lb) / la.max(lb);
    let number_clash = f32::from(u8::from(
        numbers.0 < a.numbers.len() && numbers.1 < b.numbers.len(),
    ));
    (evidence * (0.5 + 0.5 * agreement) * (0.4 + 0.6 * length) * (1.0 - 0.5 * number_clash) * 1.6)
        .min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_joined_dense_score_rises_with_the_sparse_score_and_with_the_cosine() {
        let joined = |sparse, cosine| join_dense(&DENSE_WITHIN, sparse, cosine);
        assert!(joined(0.6, 0.85) > joined(0.4, 0.85));
        assert!(joined(0.5, 0.95) > joined(0.5, 0.85));
        // A paraphrase by cosine alone needs some help from the words, and unrelated sentences none.
        assert!(joined(0.05, 0.80) < THRESHOLD);
        assert!(joined(0.9, 0.95) >= THRESHOLD);
    }

    fn features(text: &str, language: &str) -> StatementFeatures {
        StatementFeatures::new(text, Some(language))
    }

    fn check_number(input: &str, expect: &str) {
        assert_eq!(normalise_number(input), expect, "{input}");
    }

    #[test]
    fn numbers_are_normalised() {
        check_number("2,500", "2500");
        check_number("2500", "2500");
        check_number("2,5", "2.5");
        check_number("6.1", "6.1");
        check_number("1.500.000", "1500000");
        check_number("2.50", "2.5");
        check_number("007", "7");
        check_number("0", "0");
        assert!(
            features("It cost 2 500 roubles.", "en")
                .numbers
                .contains("2500")
        );
        assert_eq!(features("In 2019 300 people came.", "en").numbers.len(), 2);
    }

    fn check_skeleton(input: &str, expect: &str) {
        assert_eq!(skeleton(&input.to_lowercase()), expect, "{input}");
    }

    #[test]
    fn names_meet_across_scripts() {
        check_skeleton("Дегтярев", "dgtrv");
        check_skeleton("Degtyarev", "dgtrv");
        check_skeleton("Дегтярёв", "dgtrv");
        check_skeleton("Москва", "mskv");
        check_skeleton("Moscow", "mskv");
        check_skeleton("Джонсон", "jnsn");
        check_skeleton("Johnson", "jnsn");
        check_skeleton("Zürich", "srk");
        check_skeleton("Αθήνα", "tn");
        assert!(skeletons_match("ptn", "ptnm"));
        assert!(skeletons_match(
            &skeleton("навального"),
            &skeleton("navalny")
        ));
        assert!(!skeletons_match("mskv", "mrkl"));
    }

    #[test]
    fn months_are_read_in_several_languages() {
        for (word, month) in [
            ("июля", 7),
            ("July", 7),
            ("мая", 5),
            ("März", 3),
            ("декабре", 12),
        ] {
            assert_eq!(month_of(&word.to_lowercase()), Some(month), "{word}");
        }
        assert_eq!(month_of("марка"), None);
        assert_eq!(month_of("майор"), None);
    }

    #[test]
    fn the_same_number_written_two_ways_agrees() {
        let a = features("The company cut 2,500 jobs in Ohio.", "en");
        let b = features("The company cut 2500 jobs in Ohio.", "en");
        let c = features("The company cut 3500 jobs in Ohio.", "en");
        let model = SimilarityModel::default();
        assert!(model.score(&a, &b) > model.score(&a, &c));
        assert_eq!(pair_features(&a, &b)[10], 0.0);
        assert_eq!(pair_features(&a, &c)[10], 1.0);
    }

    #[test]
    fn a_number_mismatch_lowers_the_score() {
        let model = SimilarityModel::default();
        let a = features(
            "Police said 12 people were killed in the blast on Monday.",
            "en",
        );
        let b = features(
            "Police said 19 people were killed in the blast on Monday.",
            "en",
        );
        let c = features(
            "Police said that 12 people were killed in the blast on Monday.",
            "en",
        );
        assert!(model.score(&a, &c) > model.score(&a, &b));
        assert!(model.same(&a, &c));
    }

    #[test]
    fn unrelated_statements_are_not_the_same() {
        let model = SimilarityModel::default();
        let a = features(
            "The central bank raised interest rates by half a point.",
            "en",
        );
        let b = features("Heavy rain flooded the old town overnight.", "en");
        assert!(!model.same(&a, &b));
        assert!(model.score(&a, &b) < 0.2);
    }

    #[test]
    fn a_statement_and_its_translation_meet_through_names_and_numbers() {
        let model = SimilarityModel::default();
        let ru = features(
            "Губернатор Михаил Дегтярев заявил, что 2 500 человек эвакуированы 12 июля.",
            "ru",
        );
        let en = features(
            "Governor Mikhail Degtyarev said 2,500 people were evacuated on July 12.",
            "en",
        );
        let other = features(
            "Prime Minister Boris Johnson will visit Paris next week.",
            "en",
        );
        assert!(model.same(&ru, &en), "{}", model.score(&ru, &en));
        assert!(!model.same(&ru, &other), "{}", model.score(&ru, &other));
        let keys: BTreeSet<&str> = ru.keys().collect();
        assert!(en.keys().any(|k| keys.contains(k)));
    }

    #[test]
    fn a_dense_vector_joins_the_score() {
        let model = SimilarityModel::default();
        let a = features("Talks resumed in Geneva.", "en").with_vector(vec![1.0, 0.0]);
        let b = features("Переговоры возобновились.", "ru").with_vector(vec![1.0, 0.0]);
        assert!(model.score(&a, &b) >= 0.5);
    }

    #[test]
    fn empty_statements_score_nothing() {
        let model = SimilarityModel::default();
        let empty = features("", "en");
        assert!(empty.is_empty());
        assert_eq!(
            model.score(&empty, &features("Something happened.", "en")),
            0.0
        );
    }
}
