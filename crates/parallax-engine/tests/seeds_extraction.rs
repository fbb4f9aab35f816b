//! The whole expected extraction of the two seed articles (`../shared/seeds/`), as issue 4 ("The seeds, exactly")
//! lists it: every event (kind, agents, patients, participants, place, date), every quote with its speaker and
//! intermediary, every role, and every resolved date.
//!
//! The seeds are read by the real readers and extracted with [`extract_article`] and [`Recogniser::find`] (the
//! shipped model `models/ner-en.bin`). Each table below is the complete projection of one article: an event, quote
//! or role that is missing fails the test, and so does any that is not in the table (a spurious event). Entities
//! are shown by name. Skipped, with a message, where `../shared` is absent.
//!
//! One fact is not in the text the way a reader infers it: TASS never says on which day Bagheri Kani met Marzouk (it
//! says "have discussed" under a dateline of October 27, and dates only Bogdanov's meeting "on Thursday"). The
//! extractor does not guess a date from the publication date, so that TASS event has no date; the Iranian outlet
//! dates it ("on Thursday", 2023-10-26) and both place it in Moscow.

use std::collections::BTreeMap;

use parallax_engine::extract::{Recogniser, extract_article};
use parallax_model::{ActorRole, Article, Extraction};

mod common;
use common::seed;

const TEHRAN_TIMES: &str = "000_9788f2350b3ba86b.txt";
const TASS: &str = "001_119fbe3510b0a935.txt";

/// The extraction of one seed, with its provenance checked: every offset points at the text it claims.
fn extract(name: &str) -> Option<(Article, Extraction)> {
    let Some(article) = seed(name) else {
        eprintln!("skipped: ../shared/seeds not found");
        return None;
    };
    let extraction = extract_article(&article, &Recogniser::find());
    let text = &article.text;
    for e in &extraction.events {
        assert_eq!(&text[e.trigger.start..e.trigger.end], e.trigger.text);
        for a in &e.actors {
            assert_eq!(&text[a.span.start..a.span.end], a.span.text);
        }
        assert!(
            e.start <= e.trigger.start && e.trigger.end <= e.end,
            "{e:?}"
        );
    }
    for q in &extraction.quotes {
        assert_eq!(&text[q.content.start..q.content.end], q.content.text);
    }
    Some((article, extraction))
}

/// An entity id by its display name in this extraction ("Ali Bagheri Kani").
fn names(x: &Extraction) -> BTreeMap<String, String> {
    x.entities
        .iter()
        .map(|e| (e.id.0.clone(), e.name.clone()))
        .collect()
}

/// Every event as `KIND agents -> patients | participants @ place on date`, sorted; actors by name, the place by
/// its id (the TASS dateline spells Moscow "MOSCOW").
fn events(x: &Extraction) -> Vec<String> {
    let names = names(x);
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| format!("?{id}"));
    let mut out: Vec<String> = x
        .events
        .iter()
        .map(|e| {
            let role = |r: ActorRole| {
                let mut v: Vec<String> = e
                    .actors
                    .iter()
                    .filter(|a| a.role == r)
                    .map(|a| name(&a.entity.0))
                    .collect();
                v.sort();
                v.join(", ")
            };
            format!(
                "{} {} -> {} | {} @ {} on {}",
                e.kind.as_str(),
                role(ActorRole::Agent),
                role(ActorRole::Patient),
                role(ActorRole::Participant),
                e.place.as_ref().map_or("-", |p| p.0.as_str()),
                e.date.as_deref().unwrap_or("-"),
            )
        })
        .collect();
    out.sort();
    out
}

/// Every quote as `speaker via intermediary: first words`, in text order.
fn quotes(x: &Extraction) -> Vec<String> {
    let names = names(x);
    let name = |s: Option<&parallax_model::Speaker>| match s {
        None => "-".to_owned(),
        Some(s) => s
            .entity
            .as_ref()
            .map_or_else(|| format!("({})", s.span.text), |e| names[&e.0].clone()),
    };
    x.quotes
        .iter()
        .map(|q| {
            let head: Vec<&str> = q
                .content
                .text
                .trim_start_matches(['"', '“'])
                .split_whitespace()
                .take(4)
                .collect();
            format!(
                "{} via {}: {}",
                name(q.speaker.as_ref()),
                name(q.via.as_ref()),
                head.join(" ")
            )
        })
        .collect()
}

/// Every role as `person: title (affiliation)`, in text order.
fn roles(x: &Extraction) -> Vec<String> {
    let names = names(x);
    x.roles
        .iter()
        .map(|r| {
            format!(
                "{}: {} ({})",
                names[&r.person.0],
                r.title,
                r.affiliation
                    .as_ref()
                    .map_or("-".into(), |a| names[&a.0].clone())
            )
        })
        .collect()
}

/// Every resolved date as `text=value`, in text order.
fn times(x: &Extraction) -> Vec<String> {
    x.times
        .iter()
        .map(|t| format!("{}={}", t.text, t.value))
        .collect()
}

fn check(found: Vec<String>, expect: &[&str]) {
    let expect: Vec<String> = expect.iter().map(|s| s.to_string()).collect();
    let missing: Vec<&String> = expect.iter().filter(|e| !found.contains(e)).collect();
    let spurious: Vec<&String> = found.iter().filter(|f| !expect.contains(f)).collect();
    assert!(
        missing.is_empty() && spurious.is_empty() && found.len() == expect.len(),
        "missing: {missing:#?}\nspurious: {spurious:#?}"
    );
}

#[test]
fn iranian_outlet_whole_extraction() {
    let Some((article, x)) = extract(TEHRAN_TIMES) else {
        return;
    };
    assert_eq!(article.dateline.as_deref(), Some("TEHRAN"));
    check(
        events(&x),
        &[
            // The lede describes him ("Iran's deputy foreign minister ...") before naming him.
            "MEET Ali Bagheri Kani -> Hamas |  @ loc:moscow on -",
            "STATEMENT Ali Bagheri Kani ->  |  @ - on -",
            // "on Thursday" against Friday 2023-10-27; the place goes on from the lede's meeting with Hamas.
            "MEET Ali Bagheri Kani -> Abu Marzouk |  @ loc:moscow on 2023-10-26",
            // "Iran and Russia's deputy foreign ministers met in Moscow" (on Thursday) names no one; the next
            // sentence names them.
            "MEET  ->  | Ali Bagheri Kani, Mikhail Galuzin @ loc:moscow on 2023-10-26",
            "MEET Ali Bagheri Kani -> Sergei Ryabkov |  @ - on -",
            "STATEMENT Maria Zakharova ->  |  @ - on 2023-10-26",
            // The 3+3 meetings: "The first 3+3 meeting was held in Moscow in December 2021"; "The second was held
            // on October 23 in Tehran, with the foreign ministers of ... in attendance".
            "MEET  ->  |  @ loc:moscow on 2021-12",
            "MEET  ->  | Armenia, Azerbaijan, Georgia, Iran, Russia, Turkey @ loc:tehran on 2023-10-23",
        ],
    );
    check(
        quotes(&x),
        &[
            "Ali Bagheri Kani via -: Tehran’s “priority is an",
            "Maria Zakharova via -: a team from the",
        ],
    );
    check(
        roles(&x),
        &[
            "Ali Bagheri Kani: deputy foreign minister for political affairs (Iran)",
            "Abu Marzouk: Hamas Politburo member (Hamas Politburo)",
            "Sergei Ryabkov: deputy foreign minister for North and South American countries (Russia)",
            "Maria Zakharova: spokeswoman for the Russian Foreign Ministry (Russian Foreign Ministry)",
        ],
    );
    check(
        times(&x),
        &[
            "Thursday=2023-10-26",
            "Thursday=2023-10-26",
            "current=PRESENT_REF",
            "Thursday=2023-10-26",
            "presently=PRESENT_REF",
            "December 2021=2021-12",
            "October 23=2023-10-23",
        ],
    );
    // The Tehran-priorities quote is the lede's, with its content.
    assert!(x.quotes[0].content.text.contains("immediate cease-fire"));
    assert!(x.quotes[0].content.text.contains("blockade of Gaza"));
}

#[test]
fn tass_whole_extraction() {
    let Some((article, x)) = extract(TASS) else {
        return;
    };
    assert_eq!(article.dateline.as_deref(), Some("MOSCOW"));
    check(
        events(&x),
        &[
            // The lead: "X and Y have discussed a ceasefire"; no place of its own, so the dateline's.
            "MEET  ->  | Abu Marzouk, Ali Bagheri Kani @ loc:moscow on -",
            "STATEMENT Iranian Embassy ->  |  @ - on -",
            // Inside the embassy's quote: "Ali Bagheri Kani, ..., who arrived in Moscow ..., met with Abu Marzouk".
            "MEET Ali Bagheri Kani -> Abu Marzouk |  @ loc:moscow on -",
            "STATEMENT Iranian Embassy ->  |  @ - on -",
            // "the senior Iranian diplomat stressed": the one Iranian person named before.
            "STATEMENT Ali Bagheri Kani ->  |  @ - on -",
            // "quoting the deputy foreign minister": the quote is his, via the embassy.
            "STATEMENT Ali Bagheri Kani ->  |  @ - on -",
            // "met with his Iranian colleague in Moscow" on Thursday.
            "MEET Mikhail Bogdanov -> Ali Bagheri Kani |  @ loc:moscow on 2023-10-26",
            "MEET Mikhail Bogdanov -> Abu Marzouk |  @ - on -",
            // "militants from ... Hamas staged a surprise incursion into Israeli territory" on October 7.
            "ATTACK Hamas -> Israel |  @ - on 2023-10-07",
            "STATEMENT Israel ->  |  @ - on -",
            "ATTACK Israel -> Lebanon, Syria |  @ - on -",
        ],
    );
    check(
        quotes(&x),
        &[
            "Iranian Embassy via -: Political Deputy at the",
            "Iranian Embassy via -: Ali Bagheri Kani, [Iranian]",
            "Ali Bagheri Kani via Iranian Embassy: Tehran’s priorities in talks",
            "(The two diplomats) via -: the need for a",
        ],
    );
    check(
        roles(&x),
        &[
            "Ali Bagheri Kani: Political Deputy at the Iranian Foreign Ministry (Iranian Foreign Ministry)",
            "Abu Marzouk: senior political leader of the Palestinian militant group Hamas (Hamas)",
            "Ali Bagheri Kani: deputy foreign minister for political affairs (Iran)",
            "Abu Marzouk: member of the Hamas politburo (Hamas)",
            "Mikhail Bogdanov: Deputy Foreign Minister (Russia)",
            "Mikhail Bogdanov: special presidential envoy for the Middle East and Syria (-)",
        ],
    );
    check(
        times(&x),
        &[
            "October 27=2023-10-27",
            "Thursday=2023-10-26",
            "October 7=2023-10-07",
        ],
    );
    let priorities = &x.quotes[2].content.text;
    assert!(priorities.contains("immediate ceasefire") && priorities.contains("blockade of Gaza"));
}
