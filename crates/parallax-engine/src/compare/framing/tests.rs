//! Framing on small invented sentences: each label kind, the order-free key, and what differs across sources.

use parallax_model::{Article, Comparison};

use crate::compare::{CompareConfig, SourceUnit, compare_story};
use crate::extract::{Recogniser, extract_article};

use super::label_key;

fn article(id: &str, source: &str, text: &str) -> Article {
    let mut a = Article::new("Talks", text);
    a.id = id.into();
    a.source = Some(source.into());
    a.language = Some("en".into());
    a
}

/// The comparison of one article per source, each `(source, text)`.
fn compare(texts: &[(&str, &str)]) -> Comparison {
    let recogniser = Recogniser::find();
    let articles: Vec<Article> = texts
        .iter()
        .enumerate()
        .map(|(i, (source, text))| article(&format!("a{i}"), source, text))
        .collect();
    let extractions: Vec<_> = articles
        .iter()
        .map(|a| extract_article(a, &recogniser))
        .collect();
    let units: Vec<SourceUnit<'_>> = articles
        .iter()
        .zip(&extractions)
        .map(|(article, extraction)| SourceUnit::whole(article, extraction))
        .collect();
    compare_story(None, &units, &CompareConfig::default())
}

/// Every label as `actor [source] kind: words`, with a `*` on those only that source uses, in report order.
fn labels(c: &Comparison) -> Vec<String> {
    c.framing
        .iter()
        .flat_map(|f| {
            f.sources.iter().flat_map(move |s| {
                s.labels.iter().map(move |l| {
                    format!(
                        "{} [{}] {:?}: {}{}",
                        f.name,
                        s.source,
                        l.kind,
                        if l.distinct && f.sources.len() > 1 {
                            "*"
                        } else {
                            ""
                        },
                        l.span.text
                    )
                })
            })
        })
        .collect()
}

/// Checks that every expected label is found, and that every label points at the words it claims.
fn check(texts: &[(&str, &str)], expect: &[&str]) -> Comparison {
    let c = compare(texts);
    let got = labels(&c);
    for e in expect {
        assert!(got.iter().any(|g| g == e), "missing {e:?} in {got:#?}");
    }
    c
}

#[test]
fn the_key_ignores_case_articles_function_words_and_order() {
    assert_eq!(
        label_key("member of the Hamas politburo"),
        label_key("Hamas Politburo member")
    );
    assert_eq!(label_key("the Israeli regime"), label_key("Israeli Regime"));
    assert_ne!(
        label_key("Israeli regime"),
        label_key("Israeli authorities")
    );
    assert_eq!(label_key("Russia’s deputy"), label_key("deputy of Russia"));
}

#[test]
fn words_before_a_name_are_a_modifier() {
    check(
        &[(
            "A",
            "Talks were held with the Palestinian militant group Hamas in Moscow on Thursday.",
        )],
        &["Hamas [0] Modifier: Palestinian militant group"],
    );
}

#[test]
fn a_name_inside_a_group_phrase_gives_the_whole_phrase() {
    check(
        &[(
            "A",
            "A team from the Palestinian Hamas resistance group was in Moscow. Hamas holds captives.",
        )],
        &["Hamas [0] Modifier: Palestinian Hamas resistance group"],
    );
}

#[test]
fn a_description_between_commas_is_an_apposition() {
    check(
        &[(
            "A",
            "Hamas, the Palestinian militant group, sent a team to Moscow on Thursday.",
        )],
        &["Hamas [0] Apposition: Palestinian militant group"],
    );
}

#[test]
fn an_adjective_of_a_place_with_a_state_noun_stands_for_the_place() {
    let c = check(
        &[(
            "A",
            "The Israeli regime has cut water to Gaza. Israel says the blockade will last.",
        )],
        &["Israel [0] Noun: Israeli regime"],
    );
    // "Gaza" is not an adjective of Israel, and a bare adjective is no label.
    assert!(!labels(&c).iter().any(|l| l.starts_with("Gaza")), "{c:#?}");
}

#[test]
fn an_operation_by_an_actor_and_the_noun_of_its_attack_are_actions() {
    check(
        &[
            (
                "A",
                "Israel cut water to Gaza after the Operation Al-Aqsa Storm by Hamas against Israel.",
            ),
            (
                "B",
                "On October 7 militants from the Palestinian group Hamas staged a surprise incursion into Israeli territory.",
            ),
        ],
        &[
            "Hamas [0] Action: *Operation Al-Aqsa Storm",
            "Hamas [1] Action: *surprise incursion",
        ],
    );
}

#[test]
fn sources_differ_only_where_their_label_sets_differ() {
    let c = check(
        &[
            (
                "A",
                "Ali Bagheri Kani met Abu Marzouk, a member of the Hamas politburo, in Moscow.",
            ),
            (
                "B",
                "Ali Bagheri Kani met Abu Marzouk, a Hamas Politburo member, in Moscow.",
            ),
        ],
        &[
            "Abu Marzouk [0] Role: member of the Hamas politburo",
            "Abu Marzouk [1] Role: Hamas Politburo member",
        ],
    );
    let marzouk = c.framing.iter().find(|f| f.name == "Abu Marzouk").unwrap();
    assert!(!marzouk.differs, "{marzouk:#?}");
}

#[test]
fn labels_are_exact_spans_and_not_repeated_for_one_source() {
    let text = "Abu Marzouk, a Hamas Politburo member, met the Palestinian militant group Hamas.";
    let c = compare(&[("A", text)]);
    for f in &c.framing {
        for s in &f.sources {
            let mut keys: Vec<String> = s.labels.iter().map(|l| label_key(&l.span.text)).collect();
            for l in &s.labels {
                assert_eq!(&text[l.span.start..l.span.end], l.span.text);
            }
            keys.dedup();
            assert_eq!(keys.len(), s.labels.len(), "{f:#?}");
        }
    }
}

#[test]
fn numbers_and_verbs_are_no_modifiers() {
    let c = compare(&[(
        "A",
        "Gaza is home to 2.3 million Palestinians. Israel attacked militant group Hamas.",
    )]);
    let got = labels(&c);
    assert!(
        !got.iter()
            .any(|l| l.contains("million") || l.contains("attacked")),
        "{got:#?}"
    );
}

#[test]
fn evaluative_words_one_source_alone_uses_are_its_wording() {
    let c = check(
        &[
            (
                "A",
                "Senator Ada Ruiz slammed the budget plan on Monday. Ruiz called it a “scheme” to cut taxes.",
            ),
            (
                "B",
                "Senator Ada Ruiz said on Monday that she opposed the budget plan, which would cut taxes.",
            ),
        ],
        &[
            "Ada Ruiz [0] Wording: *slammed",
            "Ada Ruiz [0] Wording: *“scheme”",
        ],
    );
    // Words both sources use, and words common in all news ("said", "Monday"), are nobody's wording.
    let got = labels(&c);
    for shared in ["budget", "plan", "taxes", "said", "cut"] {
        assert!(!got.iter().any(|l| l.ends_with(shared)), "{got:#?}");
    }
}

#[test]
fn one_source_has_no_wording_to_compare() {
    let c = compare(&[(
        "A",
        "Senator Ada Ruiz slammed the budget plan on Monday as a “scheme” to cut taxes.",
    )]);
    assert!(
        !labels(&c).iter().any(|l| l.contains("Wording")),
        "{:#?}",
        labels(&c)
    );
}
