//! Framing on the seed story (`../shared/seeds/`): how the Iranian outlet and TASS label Hamas, Israel, Abu Marzouk
//! and Ali Bagheri Kani, each label an exact span of its article. Skipped, with a message, where `../shared` is
//! absent.

use parallax_engine::compare::{CompareConfig, SourceUnit, compare_story};
use parallax_engine::extract::{Recogniser, extract_article};
use parallax_model::{ActorFraming, Comparison};

mod common;
use common::seed;

const TEHRAN_TIMES: &str = "000_9788f2350b3ba86b.txt";
const TASS: &str = "001_119fbe3510b0a935.txt";

fn seed_comparison() -> Option<Comparison> {
    let (Some(iranian), Some(tass)) = (seed(TEHRAN_TIMES), seed(TASS)) else {
        eprintln!("skipped: ../shared/seeds not found");
        return None;
    };
    let recogniser = Recogniser::find();
    let (ei, et) = (
        extract_article(&iranian, &recogniser),
        extract_article(&tass, &recogniser),
    );
    let units = [
        SourceUnit {
            article: &iranian,
            section: None,
            extraction: &ei,
            duplicate_of: None,
            vectors: None,
        },
        SourceUnit {
            article: &tass,
            section: None,
            extraction: &et,
            duplicate_of: None,
            vectors: None,
        },
    ];
    let c = compare_story(None, &units, &CompareConfig::default());
    // Every label is the article's own words at the offsets it gives.
    for f in &c.framing {
        for s in &f.sources {
            let article = if c.sources[s.source].known {
                &tass
            } else {
                &iranian
            };
            for l in &s.labels {
                assert_eq!(&article.text[l.span.start..l.span.end], l.span.text);
            }
        }
    }
    Some(c)
}

/// The labels of `actor` by the source named `source` (TASS) or the other one, as `Kind: words` with `*` when
/// distinct.
fn labels(c: &Comparison, actor: &str, tass: bool) -> Vec<String> {
    let framing: &ActorFraming = c
        .framing
        .iter()
        .find(|f| f.name == actor)
        .unwrap_or_else(|| panic!("no framing for {actor}: {:#?}", c.framing));
    framing
        .sources
        .iter()
        .filter(|s| c.sources[s.source].known == tass)
        .flat_map(|s| &s.labels)
        .map(|l| {
            format!(
                "{:?}: {}{}",
                l.kind,
                if l.distinct { "*" } else { "" },
                l.span.text
            )
        })
        .collect()
}

fn has(got: &[String], expect: &[&str]) {
    for e in expect {
        assert!(got.iter().any(|g| g == e), "missing {e:?} in {got:#?}");
    }
}

#[test]
fn compare_seeds_hamas_is_a_resistance_group_for_one_source_and_a_militant_group_for_the_other() {
    let Some(c) = seed_comparison() else { return };
    has(
        &labels(&c, "Hamas", false),
        &[
            "Modifier: *Palestinian Hamas resistance group",
            "Action: *Operation Al-Aqsa Storm",
        ],
    );
    has(
        &labels(&c, "Hamas", true),
        &[
            "Modifier: *Palestinian militant group",
            "Modifier: *Gaza-based Palestinian radical group",
            "Action: *surprise incursion",
        ],
    );
    let hamas = c.framing.iter().find(|f| f.name == "Hamas").unwrap();
    assert!(hamas.differs);
}

#[test]
fn compare_seeds_israel_is_a_regime_for_one_source_and_authorities_for_the_other() {
    let Some(c) = seed_comparison() else { return };
    has(&labels(&c, "Israel", false), &["Noun: *Israeli regime"]);
    has(&labels(&c, "Israel", true), &["Noun: *Israeli authorities"]);
}

#[test]
fn compare_seeds_people_keep_their_roles_and_a_shared_one_is_not_distinct() {
    let Some(c) = seed_comparison() else { return };
    has(
        &labels(&c, "Abu Marzouk", false),
        &["Role: Hamas Politburo member"],
    );
    has(
        &labels(&c, "Abu Marzouk", true),
        &[
            "Role: member of the Hamas politburo",
            "Role: *senior political leader of the Palestinian militant group Hamas",
        ],
    );
    has(
        &labels(&c, "Ali Bagheri Kani", false),
        &["Role: deputy foreign minister for political affairs"],
    );
    has(
        &labels(&c, "Ali Bagheri Kani", true),
        &["Role: *Political Deputy at the Iranian Foreign Ministry"],
    );
}

#[test]
fn compare_seeds_actors_both_sources_label_come_first() {
    let Some(c) = seed_comparison() else { return };
    let both: Vec<&str> = c
        .framing
        .iter()
        .take_while(|f| f.sources.len() == 2)
        .map(|f| f.name.as_str())
        .collect();
    for actor in ["Hamas", "Israel", "Abu Marzouk", "Ali Bagheri Kani"] {
        assert!(both.contains(&actor), "{both:?}");
    }
    // A person's description between commas is a role already: it is not listed again as an apposition.
    for tass in [false, true] {
        let marzouk = labels(&c, "Abu Marzouk", tass);
        assert!(
            !marzouk.iter().any(|l| l.starts_with("Apposition")),
            "{marzouk:?}"
        );
    }
}
