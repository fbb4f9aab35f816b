//! Entities and roles on articles written for these tests (no publisher's text), with the shipped model and with
//! the rule-based fallback, plus the guarantees every input gets: no panic, offsets on the text, bounded work.

use parallax_engine::extract::{
    ArticleEntities, NerModel, Recogniser, canonicalise, extract_entities, tokenize,
};
use parallax_model::{Article, ArticleId, EntityKind};
use proptest::prelude::*;

const BRIEFING: &str = include_str!("fixtures/briefing.txt");

fn extract(id: &str, text: &str, recogniser: &Recogniser) -> ArticleEntities {
    extract_in(id, text, None, recogniser)
}

fn extract_in(
    id: &str,
    text: &str,
    language: Option<&str>,
    recogniser: &Recogniser,
) -> ArticleEntities {
    let mut article = Article::new("", text);
    article.id = ArticleId(id.into());
    article.language = language.map(String::from);
    let found = extract_entities(&article, &tokenize(&article.text), recogniser);
    for m in &found.mentions {
        assert_eq!(&text[m.start..m.end], m.text, "mention offsets");
    }
    for r in &found.roles {
        assert_eq!(&text[r.start..r.end], r.title, "role offsets");
    }
    for e in &found.entities {
        assert!(
            found.mentions.iter().any(|m| m.entity == e.id),
            "{} is listed with no mention in {text:?}",
            e.id.0
        );
    }
    found
}

fn model() -> Recogniser {
    static MODEL: std::sync::LazyLock<NerModel> =
        std::sync::LazyLock::new(|| NerModel::find().expect("the shipped model models/ner-en.bin"));
    Recogniser::Model(MODEL.clone())
}

/// Checks the roles found in `text`: (person id, title, affiliation id).
fn check_roles(text: &str, expect: &[(&str, &str, Option<&str>)]) {
    let found = extract("fixture", text, &model());
    let got: Vec<(&str, &str, Option<&str>)> = found
        .roles
        .iter()
        .map(|r| {
            (
                r.person.0.as_str(),
                r.title.as_str(),
                r.affiliation.as_ref().map(|a| a.0.as_str()),
            )
        })
        .collect();
    assert_eq!(got, expect, "roles of {text:?}");
}

#[test]
fn roles_from_titles_appositions_and_relative_clauses() {
    check_roles(
        "Turkish Foreign Minister Hakan Fidan met Margaret Okonjo, a spokeswoman for the World Food Programme, in Vienna.",
        &[
            ("per:hakan-fidan", "Foreign Minister", Some("loc:turkey")),
            (
                "per:margaret-okonjo",
                "spokeswoman for the World Food Programme",
                Some("org:world-food-programme"),
            ),
        ],
    );
    check_roles(
        "The talks were led by Sergei Vershinin, who also serves as Russia's envoy to the United Nations.",
        &[(
            "per:sergei-vershinin",
            "envoy to the United Nations",
            Some("loc:russia"),
        )],
    );
    // A lede describes, the next sentence names; a plural description names no one.
    check_roles(
        "VIENNA - Turkey's foreign minister has held talks with Ukrainian officials. Hakan Fidan said the talks went well.",
        &[("per:hakan-fidan", "foreign minister", Some("loc:turkey"))],
    );
    check_roles(
        "Turkey and Ukraine's foreign ministers met in Vienna. Hakan Fidan said the talks went well.",
        &[],
    );
    // Not roles: a list of names, an age, a time.
    check_roles(
        "Hakan Fidan, Dmytro Kuleba and Sergei Vershinin met in Vienna.",
        &[],
    );
    check_roles(
        "Hakan Fidan, 55, arrived on Monday. On Tuesday Dmytro Kuleba left.",
        &[],
    );
}

#[test]
fn briefing_people_join_their_surnames_and_keep_their_roles() {
    let mut found = vec![extract("briefing", BRIEFING, &model())];
    let entities = canonicalise(&mut found);
    let person = |id: &str| {
        entities
            .iter()
            .find(|e| e.id.0 == id && e.kind == EntityKind::Person)
    };
    for (id, name, alias) in [
        ("per:hakan-fidan", "Hakan Fidan", "Fidan"),
        ("per:dmytro-kuleba", "Dmytro Kuleba", "Kuleba"),
        ("per:margaret-okonjo", "Margaret Okonjo", "Okonjo"),
        ("per:sergei-vershinin", "Sergei Vershinin", "Vershinin"),
        ("per:elena-markova", "Elena Markova", "Markova"),
        (
            "per:recep-tayyip-erdogan",
            "Recep Tayyip Erdogan",
            "Erdogan",
        ),
        ("per:vladimir-putin", "Vladimir Putin", "Putin"),
    ] {
        let e = person(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(e.name, name);
        assert!(
            e.aliases.iter().any(|a| a == alias),
            "{id}: {:?}",
            e.aliases
        );
    }
    let roles: Vec<(&str, &str)> = found[0]
        .roles
        .iter()
        .map(|r| (r.person.0.as_str(), r.title.as_str()))
        .collect();
    for expected in [
        ("per:dmytro-kuleba", "chief negotiator on food security"),
        ("per:marcel-ciolacu", "Prime Minister"),
        (
            "per:elena-markova",
            "senior fellow at the Carnegie Endowment in Washington",
        ),
        ("per:vladimir-putin", "President"),
    ] {
        assert!(roles.contains(&expected), "{expected:?} not in {roles:?}");
    }
    // Countries, their demonyms and datelines meet in one place entity each.
    let any = |id: &str| {
        entities
            .iter()
            .find(|e| e.id.0 == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    assert!(any("loc:turkey").aliases.contains(&"Turkish".to_owned()));
    assert!(any("loc:vienna").aliases.contains(&"VIENNA".to_owned()));
    assert_eq!(
        any("org:turkey-foreign-ministry").kind,
        EntityKind::Organisation
    );
}

#[test]
fn ids_agree_across_articles_whichever_names_the_person_fully() {
    let short = "On Friday, Marzouk told reporters in Doha that talks would go on.";
    let full = "Abu Marzouk, a member of the Hamas politburo, arrived in Moscow.";
    for order in [[short, full], [full, short]] {
        let recogniser = model();
        let mut found: Vec<_> = order
            .iter()
            .enumerate()
            .map(|(i, t)| extract(&format!("a{i}"), t, &recogniser))
            .collect();
        let entities = canonicalise(&mut found);
        let marzouk: Vec<_> = entities
            .iter()
            .filter(|e| e.name == "Abu Marzouk")
            .collect();
        assert_eq!(marzouk.len(), 1);
        assert_eq!(marzouk[0].id.0, "per:abu-marzouk");
        assert_eq!(marzouk[0].articles.len(), 2);
        for article in &found {
            assert!(
                article
                    .mentions
                    .iter()
                    .any(|m| m.entity.0 == "per:abu-marzouk"),
                "{:?}",
                article.mentions
            );
        }
    }
}

#[test]
fn an_ambiguous_surname_stays_apart() {
    let recogniser = model();
    let mut found = vec![
        extract(
            "a",
            "Ali Bagheri Kani met Mohammad Kani in Tehran.",
            &recogniser,
        ),
        extract("b", "Kani said the talks went well.", &recogniser),
    ];
    canonicalise(&mut found);
    let ids: Vec<&str> = found[1]
        .mentions
        .iter()
        .map(|m| m.entity.0.as_str())
        .collect();
    assert!(
        !ids.contains(&"per:ali-bagheri-kani") && !ids.contains(&"per:mohammad-kani"),
        "{ids:?}"
    );
}

#[test]
fn german_text_keeps_names_not_nouns() {
    let text = "Die Regierung verhandelt seit Montag in Genf mit Davit Merani. Die Lage in der Stadt Tavrosk \
                bleibt nach Angaben der Vermittler ernst. Merani sprach von einem ersten Schritt.";
    let found = extract_in("de", text, Some("de"), &model());
    let names: Vec<&str> = found.mentions.iter().map(|m| m.text.as_str()).collect();
    for noun in [
        "Regierung",
        "Montag",
        "Lage",
        "Stadt",
        "Angaben",
        "Schritt",
        "Die",
    ] {
        assert!(!names.contains(&noun), "{noun} in {names:?}");
    }
    assert!(names.contains(&"Davit Merani"), "{names:?}");
}

#[test]
fn the_rules_fallback_finds_capitalised_names() {
    let found = extract(
        "rules",
        "Yesterday Hakan Fidan met officials of the Turkish Foreign Ministry in Vienna. The talks went on.",
        &Recogniser::Rules,
    );
    let got: Vec<(&str, EntityKind)> = found
        .mentions
        .iter()
        .map(|m| (m.text.as_str(), m.kind))
        .collect();
    assert!(
        got.contains(&("Hakan Fidan", EntityKind::Person)),
        "{got:?}"
    );
    assert!(
        got.contains(&("Turkish Foreign Ministry", EntityKind::Organisation)),
        "{got:?}"
    );
    assert!(got.iter().all(|(t, _)| *t != "The"), "{got:?}");
}

#[test]
fn a_long_article_without_punctuation_is_read_in_bounded_pieces() {
    // 40,000 words with no sentence end and names everywhere: the work stays linear (the splitter cuts
    // unpunctuated runs, every scan around a name is bounded).
    let text = "Hakan Fidan met Dmytro Kuleba in Vienna and ".repeat(5_000);
    let found = extract("long", &text, &model());
    assert!(found.mentions.len() > 10_000);
    assert!(found.entities.len() < 100);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn extraction_never_panics_and_offsets_hold(text in "[A-Za-z’'\\[\\]\",.;:()\\- \n\u{e9}\u{300}0-9]{0,300}") {
        for recogniser in [model(), Recogniser::Rules] {
            extract("p", &text, &recogniser);
        }
    }

    #[test]
    fn any_text_at_all_is_read_without_panic(text in "\\PC{0,200}|.{0,200}") {
        for recogniser in [model(), Recogniser::Rules] {
            let mut found = vec![extract("p", &text, &recogniser), extract_in("q", &text, Some("de"), &recogniser)];
            canonicalise(&mut found);
        }
    }
}

#[test]
fn a_modified_name_that_joins_the_bare_one_leaves_no_entity_behind() {
    let text = "Officials said a team from the Palestinian Hamas resistance group was in Varnopol for talks. Hamas said the talks would last two days.";
    let found = extract("hamas", text, &model());
    let organisations: Vec<&str> = found
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Organisation)
        .map(|e| e.id.0.as_str())
        .collect();
    assert_eq!(organisations, ["org:hamas"]);
}

#[test]
fn the_place_a_dateline_names_is_a_place() {
    let text = "HAMBURG (dpa) - Dock workers at three terminals stopped work on Tuesday. Hamburg port officials said \
                ships were waiting.";
    let mut article = Article::new("Strike at the port", text);
    article.id = ArticleId("dateline".into());
    article.dateline = Some("HAMBURG".into());
    let found = extract_entities(&article, &tokenize(&article.text), &model());
    let first = found.mentions.first().expect("the dateline is a mention");
    assert_eq!(
        (first.text.as_str(), first.kind, first.entity.0.as_str()),
        ("HAMBURG", EntityKind::Place, "loc:hamburg")
    );
}
