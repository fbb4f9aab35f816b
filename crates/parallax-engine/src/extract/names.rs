//! Name keys: the normalised form under which two spellings of one name meet ("Russia's Foreign Ministry" and
//! "the Russian Foreign Ministry" both key as `russia foreign ministry`), and the built-in table of countries with
//! their demonyms and short forms.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The English names of the days and months, capitalised like names but never naming anyone.
pub(crate) const WEEKDAYS_AND_MONTHS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
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

/// Countries and regions with their other forms: adjectives ("Iranian") and short names ("U.S."). The first entry
/// of each row is the canonical name.
const COUNTRIES: &[&[&str]] = &[
    &["Afghanistan", "Afghan"],
    &["Albania", "Albanian"],
    &["Algeria", "Algerian"],
    &["Angola", "Angolan"],
    &["Argentina", "Argentine", "Argentinian"],
    &["Armenia", "Armenian"],
    &["Australia", "Australian"],
    &["Austria", "Austrian"],
    &["Azerbaijan", "Azerbaijani", "Azeri"],
    &["Bahrain", "Bahraini"],
    &["Bangladesh", "Bangladeshi"],
    &["Belarus", "Belarusian"],
    &["Belgium", "Belgian"],
    &["Bolivia", "Bolivian"],
    &["Bosnia", "Bosnian"],
    &["Brazil", "Brazilian"],
    &["Bulgaria", "Bulgarian"],
    &["Cambodia", "Cambodian"],
    &["Cameroon", "Cameroonian"],
    &["Canada", "Canadian"],
    &["Chad", "Chadian"],
    &["Chile", "Chilean"],
    &["China", "Chinese", "PRC"],
    &["Colombia", "Colombian"],
    &["Congo", "Congolese"],
    &["Croatia", "Croatian"],
    &["Cuba", "Cuban"],
    &["Cyprus", "Cypriot"],
    &["Czech Republic", "Czech", "Czechia"],
    &["Denmark", "Danish"],
    &["Ecuador", "Ecuadorian"],
    &["Egypt", "Egyptian"],
    &["Eritrea", "Eritrean"],
    &["Estonia", "Estonian"],
    &["Ethiopia", "Ethiopian"],
    &["Europe", "European"],
    &["Finland", "Finnish"],
    &["France", "French"],
    &["Georgia", "Georgian"],
    &["Germany", "German"],
    &["Ghana", "Ghanaian"],
    &["Greece", "Greek"],
    &["Haiti", "Haitian"],
    &["Hungary", "Hungarian"],
    &["Iceland", "Icelandic"],
    &["India", "Indian"],
    &["Indonesia", "Indonesian"],
    &[
        "Iran",
        "Iranian",
        "Islamic Republic of Iran",
        "Islamic Republic",
    ],
    &["Iraq", "Iraqi"],
    &["Ireland", "Irish"],
    &["Israel", "Israeli"],
    &["Italy", "Italian"],
    &["Japan", "Japanese"],
    &["Jordan", "Jordanian"],
    &["Kazakhstan", "Kazakh"],
    &["Kenya", "Kenyan"],
    &["Kosovo", "Kosovar"],
    &["Kuwait", "Kuwaiti"],
    &["Kyrgyzstan", "Kyrgyz"],
    &["Latvia", "Latvian"],
    &["Lebanon", "Lebanese"],
    &["Libya", "Libyan"],
    &["Lithuania", "Lithuanian"],
    &["Luxembourg", "Luxembourgish"],
    &["Malaysia", "Malaysian"],
    &["Mali", "Malian"],
    &["Mexico", "Mexican"],
    &["Moldova", "Moldovan"],
    &["Mongolia", "Mongolian"],
    &["Montenegro", "Montenegrin"],
    &["Morocco", "Moroccan"],
    &["Mozambique", "Mozambican"],
    &["Myanmar", "Burmese"],
    &["Nepal", "Nepali", "Nepalese"],
    &["Netherlands", "Dutch"],
    &["New Zealand", "New Zealander"],
    &["Niger", "Nigerien"],
    &["Nigeria", "Nigerian"],
    &["North Korea", "North Korean", "DPRK"],
    &["North Macedonia", "Macedonian"],
    &["Norway", "Norwegian"],
    &["Oman", "Omani"],
    &["Pakistan", "Pakistani"],
    &["Palestine", "Palestinian"],
    &["Paraguay", "Paraguayan"],
    &["Peru", "Peruvian"],
    &["Philippines", "Philippine", "Filipino"],
    &["Poland", "Polish"],
    &["Portugal", "Portuguese"],
    &["Qatar", "Qatari"],
    &["Romania", "Romanian"],
    &["Russia", "Russian", "Russian Federation"],
    &["Rwanda", "Rwandan"],
    &["Saudi Arabia", "Saudi"],
    &["Senegal", "Senegalese"],
    &["Serbia", "Serbian"],
    &["Singapore", "Singaporean"],
    &["Slovakia", "Slovak"],
    &["Slovenia", "Slovenian"],
    &["Somalia", "Somali"],
    &["South Africa", "South African"],
    &["South Korea", "South Korean"],
    &["Spain", "Spanish"],
    &["Sri Lanka", "Sri Lankan"],
    &["Sudan", "Sudanese"],
    &["Sweden", "Swedish"],
    &["Switzerland", "Swiss"],
    &["Syria", "Syrian"],
    &["Taiwan", "Taiwanese"],
    &["Tajikistan", "Tajik"],
    &["Tanzania", "Tanzanian"],
    &["Thailand", "Thai"],
    &["Tunisia", "Tunisian"],
    &["Turkey", "Turkish", "Turkiye", "Türkiye"],
    &["Turkmenistan", "Turkmen"],
    &["Uganda", "Ugandan"],
    &["Ukraine", "Ukrainian"],
    &["United Arab Emirates", "Emirati", "UAE", "U.A.E."],
    &[
        "United Kingdom",
        "British",
        "Britain",
        "Great Britain",
        "UK",
        "U.K.",
    ],
    &[
        "United States",
        "American",
        "U.S.",
        "US",
        "USA",
        "U.S.A.",
        "United States of America",
        "America",
    ],
    &["Uruguay", "Uruguayan"],
    &["Uzbekistan", "Uzbek"],
    &["Venezuela", "Venezuelan"],
    &["Vietnam", "Vietnamese"],
    &["Yemen", "Yemeni"],
    &["Zimbabwe", "Zimbabwean"],
];

/// The canonical country name for a country name or one of its other forms ("Iranian" -> "Iran"), if the table
/// has it. Matching ignores case and periods.
pub(crate) fn country_of(name: &str) -> Option<&'static str> {
    static TABLE: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        COUNTRIES
            .iter()
            .flat_map(|row| row.iter().map(|form| (fold(form), row[0])))
            .collect()
    });
    if name.len() > 40 {
        return None;
    }
    TABLE.get(&fold(name)).copied()
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a name as compared: lowercase, without periods, the possessive `'s`, a leading "the" or brackets,
/// hyphens read as spaces. With `countries`, each demonym is replaced by its country ("Russian Foreign Ministry" ->
/// `russia foreign ministry`), which is right for organisations and wrong for people.
pub(crate) fn name_words(name: &str, countries: bool) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for raw in name.split(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '‐' | '[' | ']' | '(' | ')' | '"' | '“' | '”')
    }) {
        let mut word: String = raw
            .chars()
            .filter(|c| *c != '.')
            .flat_map(char::to_lowercase)
            .collect();
        for suffix in ["'s", "’s", "'", "’"] {
            if let Some(stem) = word.strip_suffix(suffix) {
                word = stem.to_owned();
                break;
            }
        }
        let word: String = word.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
        if word.is_empty() || (words.is_empty() && word == "the") {
            continue;
        }
        words.push(word);
    }
    if countries {
        for word in &mut words {
            if let Some(country) = country_of(word)
                && !country.contains(' ')
            {
                *word = country.to_lowercase();
            }
        }
    }
    words
}

/// Titles written before a person's name that are not part of it ("Dr Priya Raman" is `priya raman`).
const HONORIFICS: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "reverend",
    "gen",
    "general",
    "col",
    "colonel",
    "capt",
    "captain",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "president",
    "minister",
    "judge",
    "sheikh",
    "imam",
    "pope",
    "king",
    "queen",
    "prince",
    "princess",
    "herr",
    "frau",
    "m",
    "mme",
    "señor",
    "señora",
    "sr",
    "sra",
];

/// The name words of a person: [`name_words`] without leading honorifics, unless nothing else is left.
pub(crate) fn person_words(name: &str) -> Vec<String> {
    let mut words = name_words(name, false);
    let titles = words
        .iter()
        .take_while(|w| HONORIFICS.contains(&w.as_str()))
        .count();
    if titles < words.len() {
        words.drain(..titles);
    }
    words
}

/// A readable, stable id fragment for a key: `ali-bagheri-kani`; long keys keep their start and a hash.
pub(crate) fn slug(words: &[String]) -> String {
    let joined = words.join("-");
    if joined.len() <= 60 {
        return joined;
    }
    let mut cut = 48;
    while !joined.is_char_boundary(cut) {
        cut -= 1;
    }
    let hash = joined.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01B3)
    });
    format!("{}-{:08x}", &joined[..cut], hash as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_meet_across_spellings() {
        assert_eq!(
            name_words("Russia's Foreign Ministry", true),
            name_words("the Russian Foreign Ministry", true)
        );
        assert_eq!(name_words("Al-Aqsa", false), ["al", "aqsa"]);
        assert_eq!(name_words("U.S.", false), ["us"]);
        assert_eq!(
            name_words("[Iranian] diplomats", false),
            ["iranian", "diplomats"]
        );
        assert_eq!(country_of("Iranian"), Some("Iran"));
        assert_eq!(country_of("u.s."), Some("United States"));
        assert_eq!(country_of("Moscow"), None);
    }
}
