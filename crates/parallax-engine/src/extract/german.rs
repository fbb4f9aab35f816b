//! German capitalises every noun, so a recogniser trained on English news reads "Regierung", "Waffenruhe" and
//! "Montag" as names. This pass removes what the text itself shows to be common nouns: a capitalised word that
//! follows an article, a determiner or a number, or comes before a genitive article, somewhere in the article
//! ("die Regierung", "seit zwei Jahren", "nach Angaben der Vermittler"); a word with a noun-forming ending
//! ("-ung", "-heit", "-schaft"); and function words at a span's edges ("Im Mittelpunkt"). Names seldom take an
//! article, so they stay ("Ingrid Halvorsen", "Tavrosk", "EHM").

use std::collections::HashSet;
use std::ops::Range;

use parallax_model::EntityKind;

use super::tokens::Tokens;

/// Words after which a capitalised word is a common noun (articles, determiners, contractions, quantifiers).
const DETERMINERS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "kein", "keine", "keinen", "keinem", "keiner", "im", "am", "vom", "zum", "zur", "beim", "ins",
    "ans", "aufs", "sein", "seine", "seinen", "seinem", "seiner", "ihr", "ihre", "ihren", "ihrem",
    "ihrer", "unser", "unsere", "diese", "dieser", "diesen", "diesem", "dieses", "jede", "jeder",
    "jeden", "jedem", "alle", "allen", "beide", "beiden", "viele", "vielen", "mehrere", "mehreren",
    "einige", "einigen", "zwei", "drei", "vier", "fünf", "zehn", "hundert", "seit", "welche",
    "welcher", "solche", "mehr", "weniger",
];

/// Words that never belong to a name, at its edges or inside it.
const FUNCTION_WORDS: &[&str] = &[
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "im",
    "am",
    "vom",
    "zum",
    "zur",
    "beim",
    "aus",
    "bei",
    "mit",
    "nach",
    "seit",
    "für",
    "über",
    "unter",
    "gegen",
    "ohne",
    "um",
    "es",
    "er",
    "sie",
    "wir",
    "ich",
    "und",
    "oder",
    "aber",
    "auch",
    "nur",
    "noch",
    "schon",
    "dass",
    "wie",
    "als",
    "wenn",
    "nicht",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "januar",
    "februar",
    "märz",
    "mai",
    "juni",
    "juli",
    "oktober",
    "dezember",
];

const NOUN_ENDINGS: &[&str] = &[
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen",
    "tät", "täten", "nis", "nisse", "ismus", "ment", "mente", "chen", "lein", "ling", "linge",
];

/// Keeps the parts of `spans` that can be names in a German text.
pub(crate) fn drop_common_nouns(
    text: &str,
    tokens: &Tokens,
    spans: Vec<(Range<usize>, EntityKind)>,
) -> Vec<(Range<usize>, EntityKind)> {
    let word = |i: usize| &text[tokens.tokens[i].start..tokens.tokens[i].end];
    // Capitalised words seen after a determiner (possibly with one lowercase adjective between).
    let mut nouns: HashSet<&str> = HashSet::new();
    for i in 1..tokens.tokens.len() {
        let w = word(i);
        if !w.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let before = word(i - 1).to_lowercase();
        let determined = DETERMINERS.contains(&before.as_str())
            || (before.starts_with(|c: char| c.is_ascii_digit())
                && before
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ','))
            || (i >= 2
                && word(i - 1).chars().next().is_some_and(char::is_lowercase)
                && DETERMINERS.contains(&word(i - 2).to_lowercase().as_str()));
        // A genitive after it ("nach Angaben der Vermittler", "die Lage des Landes") marks a noun too.
        let genitive = i + 1 < tokens.tokens.len() && matches!(word(i + 1), "der" | "des");
        if determined || genitive {
            nouns.insert(w);
        }
    }
    let common = |i: usize| {
        let w = word(i);
        let lower = w.to_lowercase();
        nouns.contains(w)
            || FUNCTION_WORDS.contains(&lower.as_str())
            || (w.chars().skip(1).any(char::is_lowercase)
                && NOUN_ENDINGS.iter().any(|e| lower.ends_with(e)))
    };
    let mut out = Vec::with_capacity(spans.len());
    for (range, kind) in spans {
        // Split at common words; keep the runs between them.
        let mut start = range.start;
        for i in range.clone() {
            if common(i) {
                if start < i {
                    out.push((start..i, kind));
                }
                start = i + 1;
            }
        }
        if start < range.end {
            out.push((start..range.end, kind));
        }
    }
    // A person is introduced by full name: a lone capitalised word tagged as a person is kept only when it is part
    // of a longer person span of the article. A lone organisation or other name with a plural-like ending
    // ("Containerschiffe", "Medikamenten") is taken for a noun; acronyms ("EHM") stay.
    let person_parts: HashSet<&str> = out
        .iter()
        .filter(|(r, k)| *k == EntityKind::Person && r.len() > 1)
        .flat_map(|(r, _)| r.clone().map(word))
        .collect();
    // Words seen right after a place preposition somewhere in the article ("in Bremen", "nach Antwerpen").
    let after_preposition: HashSet<&str> = (1..tokens.tokens.len())
        .filter(|&i| matches!(word(i - 1), "in" | "nach" | "aus" | "bei" | "von" | "bis"))
        .map(word)
        .collect();
    out.into_iter()
        .filter_map(|(r, k)| {
            if r.len() > 1 {
                return Some((r, k));
            }
            let w = word(r.start);
            let acronym = !w.chars().any(char::is_lowercase);
            let after_place_preposition = r.start > 0
                && matches!(
                    word(r.start - 1),
                    "in" | "nach"
                        | "aus"
                        | "bei"
                        | "Stadt"
                        | "Hauptstadt"
                        | "Dorf"
                        | "Ort"
                        | "Region"
                        | "Provinz"
                );
            match k {
                EntityKind::Person if acronym || person_parts.contains(w) => Some((r, k)),
                // "in der Stadt Tavrosk", "nach Genf": a lone name after a place preposition or noun is a place.
                EntityKind::Person if after_place_preposition => Some((r, EntityKind::Place)),
                EntityKind::Person => None,
                EntityKind::Organisation | EntityKind::Other
                    if !acronym && ["en", "e", "er", "n"].iter().any(|e| w.ends_with(e)) =>
                {
                    None
                }
                // A lone place with a plural-like ending ("Monaten", "Hafenarbeiter") must be seen as a place once.
                EntityKind::Place
                    if !acronym
                        && !after_preposition.contains(w)
                        && ["en", "e", "er", "n"].iter().any(|e| w.ends_with(e)) =>
                {
                    None
                }
                _ => Some((r, k)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tokenize;

    #[test]
    fn common_nouns_go_and_names_stay() {
        let text = "Die Regierung verhandelt mit Davit Merani. Die Lage in der Stadt Tavrosk ist ernst. \
                    Die Waffenruhe gilt seit Montag.";
        let tokens = tokenize(text);
        let find = |w: &str| {
            tokens
                .tokens
                .iter()
                .position(|t| &text[t.start..t.end] == w)
                .unwrap()
        };
        let spans = vec![
            (find("Regierung")..find("Regierung") + 1, EntityKind::Person),
            (find("Davit")..find("Merani") + 1, EntityKind::Person),
            (find("Stadt")..find("Tavrosk") + 1, EntityKind::Person),
            (
                find("Waffenruhe")..find("Waffenruhe") + 1,
                EntityKind::Organisation,
            ),
            (find("Montag")..find("Montag") + 1, EntityKind::Place),
        ];
        let kept: Vec<&str> = drop_common_nouns(text, &tokens, spans)
            .into_iter()
            .map(|(r, _)| &text[tokens.tokens[r.start].start..tokens.tokens[r.end - 1].end])
            .collect();
        assert_eq!(kept, ["Davit Merani", "Tavrosk"]);
    }
}
