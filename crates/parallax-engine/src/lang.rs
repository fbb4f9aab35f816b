//! Language identification.
//!
//! Parallax uses `whatlang` (pure Rust, 69 languages, script detection then trigram profiles), behind a fast path
//! of its own. Most news is written in a few dozen languages whose commonest words ("the", "und",
//! "les", "que", "się") make up a third of any text; counting those words in the first paragraph names the language
//! decisively in a few microseconds. Only when that vote is not decisive (another script, a language without a word
//! list, two close languages such as Danish and Norwegian, too little text) does whatlang read the prefix, at about
//! ten times the cost. Both read a bounded prefix of the article, so detection costs the same for any length.
//! `parallax eval lang FILE` measures accuracy and time on labelled text.

use std::sync::LazyLock;

use hashbrown::HashMap;
use whatlang::Lang;

use crate::text::prefix;

/// Bytes of text read from the start of an article: about 170 words of a Latin-script language.
pub const DETECTION_WINDOW: usize = 1024;

/// Bytes read for the function-word vote: enough for 200 words in scripts of two bytes a letter (Cyrillic, Greek,
/// Arabic), where [`DETECTION_WINDOW`] holds only about 80.
const VOTE_WINDOW: usize = 2048;

/// Fewer letters than this and no guess is made: a headline fragment or a list of names says too little.
const MIN_LETTERS: usize = 12;

/// The ISO 639-1 code of the language `text` is written in, or `None` when it cannot be told (too short, no
/// letters).
pub fn detect_language(text: &str) -> Option<&'static str> {
    let sample = prefix(text, DETECTION_WINDOW);
    let letters = sample
        .chars()
        .filter(|&c| is_letter(c))
        .take(MIN_LETTERS)
        .count();
    if letters < MIN_LETTERS {
        return None;
    }
    if let Some(code) = east_asian(sample) {
        return Some(code);
    }
    if let Some(code) = vote_by_function_words(prefix(text, VOTE_WINDOW)) {
        return Some(code);
    }
    whatlang::detect_lang(sample).map(iso_639_1)
}

/// Chinese, Japanese or Korean text, told even when Latin-script names and brands outnumber its characters: one
/// ideograph or syllable block carries about as much as a word of three Latin letters, so East Asian characters
/// count three times against Latin letters. Only the East Asian characters go to whatlang, which tells the three
/// apart by their scripts.
fn east_asian(sample: &str) -> Option<&'static str> {
    // Every character counted below is encoded in three bytes led by 0xE3 to 0xED: text without such a byte has
    // none, and most text is told so without decoding a character.
    if !sample.bytes().any(|b| (0xE3..=0xED).contains(&b)) {
        return None;
    }
    let is_east_asian = |c: char| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}');
    let mut east = 0usize;
    let mut latin = 0usize;
    for c in sample.chars() {
        if is_east_asian(c) {
            east += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if east < MIN_LETTERS || east * 3 < latin {
        return None;
    }
    let only: String = sample.chars().filter(|&c| is_east_asian(c)).collect();
    whatlang::detect_lang(&only).map(iso_639_1)
}

/// The commonest words of news languages written with spaces between words. Close relatives (Catalan and Galician beside Spanish and
/// Portuguese, Afrikaans beside Dutch, Danish and Norwegian beside Swedish, Slovak beside Czech) are listed so that
/// their texts split the vote and go to whatlang instead of being taken for their neighbour.
const FUNCTION_WORDS: &[(&str, &str)] = &[
    (
        "en",
        "the and of to in is that for with was on are by this from have has had it be were which would said \
            their not they will been but an at who its after also",
    ),
    (
        "de",
        "der die und das ist nicht mit sich den dem von auch auf für ein eine einer eines wird wurde werden sie \
            es im zu bei nach aus sind hat dass noch oder wie über vor",
    ),
    (
        "nl",
        "de het een van en is dat niet op te zijn voor met die aan er maar om ook naar werd worden hij wordt bij \
            uit dan nog heeft door",
    ),
    (
        "af",
        "die en van het is nie dat in te met op vir wat hulle word sy ook aan deur ons kan moet was",
    ),
    (
        "fr",
        "le la les des et est une du que qui dans pour pas sur au aux par avec ce il elle ont sont été mais plus \
            ses cette leur selon",
    ),
    (
        "es",
        "el la los las de y que en del por con una para es se su al como más pero sus fue ha este esta también \
            según entre sobre desde",
    ),
    (
        "pt",
        "o os a as do da dos das e que em no na nos não um uma para com por se foi é ao seu sua mais como também \
            pelo pela",
    ),
    (
        "gl",
        "o a os as de e que en do da dos das non un unha para con por se foi é ao seu súa máis como tamén pola \
            polo",
    ),
    (
        "ca",
        "el la els les de i que en del per amb una és va dels als com més però seu seva també aquest aquesta hi \
            ha sobre",
    ),
    (
        "it",
        "il lo la gli le di e che è del della dei delle un una per non con sono alla nel nella anche ha come ma \
            più al si da",
    ),
    (
        "ro",
        "și şi în de la cu pe că nu care este o un a din pentru mai sunt să al ale lui se fost au iar",
    ),
    (
        "pl",
        "i w z na się do nie że to jest o od po przez jak ale za co dla oraz był była są przy jego tym czy już",
    ),
    (
        "cs",
        "a v se na je že to s z do o jako ale by pro které který která jsou byl byla podle také jeho po aby při \
            už",
    ),
    (
        "sk",
        "a v sa na je že to s z do o ako ale by pre ktoré ktorý ktorá sú bol bola podľa tiež jeho po aby pri už",
    ),
    (
        "tr",
        "ve bir bu da de ile için olarak olan gibi daha çok en ama ancak sonra kadar değil var yok her ise \
            tarafından göre",
    ),
    (
        "sv",
        "och i att det som en på är av för med till den har inte om ett de var men från också eller efter",
    ),
    (
        "da",
        "og i at det som en på er af for med til den har ikke om et de var men fra også eller efter",
    ),
    (
        "nb",
        "og i at det som en på er av for med til den har ikke om et de var men fra også eller etter",
    ),
    (
        "fi",
        "ja on että ei se hän oli ovat mutta myös kun tai kuin jo sen hänen joka ole",
    ),
    (
        "hu",
        "a az és hogy nem is egy ez meg de csak már van volt mint még el fel kell",
    ),
    (
        "id",
        "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada oleh karena bahwa mereka telah",
    ),
    (
        "ru",
        "и в не на что с по как это он она из за о к от для его но также был была были года которые который \
            при после уже",
    ),
    (
        "uk",
        "і в не на що з по як це він вона із за про до від для його але також був була були року та й які \
            який після вже",
    ),
    (
        "be",
        "і ў не на што з па як гэта ён яна ад для яго але таксама быў была былі года якія які пасля ўжо",
    ),
    (
        "bg",
        "и в не на че с по като това той тя от за до е са се да ще които който след вече",
    ),
    (
        "sr",
        "и у не на да се је су од за из као што који која после већ",
    ),
    (
        "mk",
        "и во не на дека со по како ова тој таа од за е се да ќе кои кој по веќе",
    ),
    (
        "ar",
        "في من على أن إلى التي الذي عن مع هذا هذه كان قد لا ما بين كما أو بعد وقال والتي ولا أنه إن حيث \
            خلال ذلك منذ عند لم لن كل وفي ومن عليه له",
    ),
    (
        "fa",
        "و در به از که این را با است برای آن یک تا می شد نیز شده های هم ها او بر اما کرد کند شود بود",
    ),
    (
        "ur",
        "کے میں کی ہے اور سے کو نے پر یہ کہ ہیں تھا بھی گیا کر ایک جو تو لیے کیا بعد",
    ),
];

/// Each function word with the set of languages (bit `i` for `FUNCTION_WORDS[i]`) it belongs to. A hashbrown map:
/// its hasher is several times faster than std's on short keys, and this lookup runs for every word of every
/// article's opening.
static WORD_LANGUAGES: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, u32> = HashMap::new();
    for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
        for word in words.split_whitespace() {
            *map.entry(word).or_default() |= 1 << i;
        }
    }
    map
});

/// Counts function words in `sample`, each occurrence split evenly among the languages that use the word. The vote
/// is decisive when the leader scores at least five, at least 5% of the words read, and at least twice the runner-up's
/// score; otherwise `None`. Text without spaces between words (Chinese, Japanese, Thai) yields too few
/// words to vote and goes to whatlang, which tells those scripts apart cheaply.
fn vote_by_function_words(sample: &str) -> Option<&'static str> {
    let mut scores = [0f32; FUNCTION_WORDS.len()];
    let mut words = 0usize;
    let mut buffer = String::with_capacity(32);
    for word in sample
        .split(|c: char| !is_letter(c))
        .filter(|w| !w.is_empty())
        .take(200)
    {
        words += 1;
        buffer.clear();
        if word.is_ascii() {
            buffer.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            // Function words are capitalised at the start of a sentence, rarely elsewhere; lower-casing the first
            // letter only keeps scripts without case (Arabic, Hebrew) from paying for case tables on every letter.
            let mut chars = word.chars();
            buffer.extend(chars.next().into_iter().flat_map(char::to_lowercase));
            buffer.push_str(chars.as_str());
        }
        if let Some(&languages) = WORD_LANGUAGES.get(buffer.as_str()) {
            let share = 1.0 / languages.count_ones() as f32;
            for (i, score) in scores.iter_mut().enumerate() {
                if languages & (1 << i) != 0 {
                    *score += share;
                }
            }
        }
    }
    if words < 20 {
        return None;
    }
    let mut ranked: Vec<(usize, f32)> = scores.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, top) = ranked[0];
    let second = ranked[1].1;
    (top >= 5.0 && top >= 0.05 * words as f32 && top >= 2.0 * second)
        .then(|| FUNCTION_WORDS[best].0)
}

/// `char::is_alphabetic`, answered without a table search for ASCII, the Latin letters of Latin-1 and Latin
/// Extended-A and B, and Cyrillic (the bulk of the languages voted on); a test checks those ranges against the
/// standard library.
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{400}'..='\u{481}' | '\u{48A}'..='\u{52F}' => true,
        _ => c.is_alphabetic(),
    }
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

    #[test]
    fn letters_are_the_alphabetic_characters() {
        for c in (0..=0x600).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

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
    fn close_languages_are_not_taken_for_their_neighbour() {
        check(
            "El consell municipal va aprovar dimarts el tancament del pont vell als camions, després que els \
             enginyers hi trobessin esquerdes. Segons l'alcalde, les obres duraran gairebé un any i la ciutat \
             habilitarà un desviament per als vehicles pesants.",
            Some("ca"),
        );
        check(
            "O conselho municipal votou na terça-feira o fechamento da ponte velha para caminhões depois que os \
             engenheiros encontraram rachaduras em dois de seus pilares. Segundo o prefeito, as obras vão durar \
             quase um ano e a cidade vai abrir um desvio para os veículos pesados.",
            Some("pt"),
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
