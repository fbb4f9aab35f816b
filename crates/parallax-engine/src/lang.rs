//! Language identification.
//!
//! Parallax uses `whatlang` (pure Rust, 69 languages, script detection then trigram profiles). It reads only a
//! bounded prefix of each article: the first [`DETECTION_WINDOW`] bytes hold more than enough letters to tell a
//! language apart, and the bound keeps detection at a few microseconds per article whatever the article's length,
//! which the ingest rate needs. `parallax eval lang FILE` measures accuracy and time on labelled text.

use whatlang::Lang;

/// Bytes of text read from the start of an article: about 200 words of a Latin-script language.
pub const DETECTION_WINDOW: usize = 1024;

/// Fewer letters than this and no guess is made: a headline fragment or a list of names says too little.
const MIN_LETTERS: usize = 12;

/// The ISO 639-1 code of the language `text` is written in, or `None` when it cannot be told (too short, no
/// letters).
pub fn detect_language(text: &str) -> Option<&'static str> {
    let sample = prefix(text, DETECTION_WINDOW);
    let letters = sample
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count();
    if letters < MIN_LETTERS {
        return None;
    }
    whatlang::detect_lang(sample).map(iso_639_1)
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Maps whatlang's ISO 639-3 languages to the two-letter codes the article record uses. Mandarin is reported as
/// `zh` and Western Persian as `fa`, as news metadata writes them.
fn iso_639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Afr => "af",
        Lang::Aka => "ak",
        Lang::Amh => "am",
        Lang::Ara => "ar",
        Lang::Aze => "az",
        Lang::Bel => "be",
        Lang::Ben => "bn",
        Lang::Bul => "bg",
        Lang::Cat => "ca",
        Lang::Ces => "cs",
        Lang::Cmn => "zh",
        Lang::Cym => "cy",
        Lang::Dan => "da",
        Lang::Deu => "de",
        Lang::Ell => "el",
        Lang::Eng => "en",
        Lang::Epo => "eo",
        Lang::Est => "et",
        Lang::Fin => "fi",
        Lang::Fra => "fr",
        Lang::Guj => "gu",
        Lang::Heb => "he",
        Lang::Hin => "hi",
        Lang::Hrv => "hr",
        Lang::Hun => "hu",
        Lang::Hye => "hy",
        Lang::Ind => "id",
        Lang::Ita => "it",
        Lang::Jav => "jv",
        Lang::Jpn => "ja",
        Lang::Kan => "kn",
        Lang::Kat => "ka",
        Lang::Khm => "km",
        Lang::Kor => "ko",
        Lang::Lat => "la",
        Lang::Lav => "lv",
        Lang::Lit => "lt",
        Lang::Mal => "ml",
        Lang::Mar => "mr",
        Lang::Mkd => "mk",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Nld => "nl",
        Lang::Nob => "nb",
        Lang::Ori => "or",
        Lang::Pan => "pa",
        Lang::Pes => "fa",
        Lang::Pol => "pl",
        Lang::Por => "pt",
        Lang::Ron => "ro",
        Lang::Rus => "ru",
        Lang::Sin => "si",
        Lang::Slk => "sk",
        Lang::Slv => "sl",
        Lang::Sna => "sn",
        Lang::Spa => "es",
        Lang::Srp => "sr",
        Lang::Swe => "sv",
        Lang::Tam => "ta",
        Lang::Tel => "te",
        Lang::Tgl => "tl",
        Lang::Tha => "th",
        Lang::Tuk => "tk",
        Lang::Tur => "tr",
        Lang::Ukr => "uk",
        Lang::Urd => "ur",
        Lang::Uzb => "uz",
        Lang::Vie => "vi",
        Lang::Yid => "yi",
        Lang::Zul => "zu",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Option<&str>) {
        assert_eq!(detect_language(text), expect, "{text}");
    }

    #[test]
    fn tells_news_languages_apart() {
        check(
            "The deputy foreign minister held talks with the delegation on Thursday and said the priority was \
             an immediate ceasefire.",
            Some("en"),
        );
        check(
            "Der stellvertretende Außenminister führte am Donnerstag Gespräche mit der Delegation und sagte, \
             Vorrang habe eine sofortige Waffenruhe.",
            Some("de"),
        );
        check(
            "El viceministro de Asuntos Exteriores se reunió el jueves con la delegación y dijo que la \
             prioridad era un alto el fuego inmediato.",
            Some("es"),
        );
        check(
            "Заместитель министра иностранных дел провёл в четверг переговоры с делегацией и заявил, что \
             приоритетом является немедленное прекращение огня.",
            Some("ru"),
        );
        check(
            "外交部副部长星期四会见了代表团，表示当务之急是立即停火并提供人道主义援助。",
            Some("zh"),
        );
        check(
            "Dışişleri bakan yardımcısı perşembe günü heyetle görüştü ve önceliğin derhal ateşkes olduğunu \
             söyledi.",
            Some("tr"),
        );
    }

    #[test]
    fn too_little_to_tell() {
        check("", None);
        check("12:45 — 3+3", None);
        check("Moscow", None);
    }

    #[test]
    fn reads_only_a_prefix_of_long_text() {
        let long = "Le gouvernement a annoncé jeudi de nouvelles mesures. ".repeat(100_000);
        check(&long, Some("fr"));
        assert_eq!(prefix("aé", 2), "a");
    }
}
