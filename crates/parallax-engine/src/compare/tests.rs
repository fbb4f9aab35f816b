//! Unit tests of the comparison on small invented stories.

use parallax_model::{Article, Reach, StatementGroup};

use super::*;
use crate::extract::{Recogniser, extract_article};

fn article(id: &str, source: &str, date: &str, title: &str, text: &str) -> Article {
    let mut a = Article::new(title, text);
    a.id = id.into();
    a.source = Some(source.into());
    a.language = Some("en".into());
    a.date = Some(date.parse().unwrap());
    a
}

#[test]
fn a_fact_both_sources_report_is_shared_and_an_extra_one_is_one_source() {
    let a = article(
        "a",
        "Agency A",
        "2024-03-12",
        "Quake kills 12",
        "A strong earthquake struck Corvina province late on Monday, killing 12 people.\n\nThe quake also cut power to 85,000 homes.",
    );
    let b = article(
        "b",
        "Paper B",
        "2024-03-13",
        "Death toll rises",
        "The earthquake that struck Corvina province on Monday killed 19 people.\n\nA church collapsed in San Telmo.",
    );
    let recogniser = Recogniser::find();
    let (ea, eb) = (
        extract_article(&a, &recogniser),
        extract_article(&b, &recogniser),
    );
    let units = [
        SourceUnit {
            article: &a,
            section: None,
            extraction: &ea,
            duplicate_of: None,
            vectors: None,
        },
        SourceUnit {
            article: &b,
            section: None,
            extraction: &eb,
            duplicate_of: None,
            vectors: None,
        },
    ];
    let c = compare_story(None, &units, &CompareConfig::default());
    assert_eq!(c.sources.len(), 2);
    let shared: Vec<&StatementGroup> = c
        .statements
        .iter()
        .filter(|g| g.reach == Reach::All)
        .collect();
    assert_eq!(shared.len(), 1, "{:#?}", c.statements);
    assert!(shared[0].statements[0].span.text.contains("killing 12"));
    let one: Vec<&str> = c
        .statements
        .iter()
        .filter(|g| g.reach == Reach::One)
        .map(|g| g.statements[0].span.text.as_str())
        .collect();
    assert_eq!(
        one,
        [
            "The quake also cut power to 85,000 homes.",
            "A church collapsed in San Telmo."
        ]
    );
    let update = c
        .disagreements
        .iter()
        .find(|d| d.slot == parallax_model::SlotKind::Count)
        .unwrap();
    assert!(update.update, "a higher toll a day later is an update");
    let values: Vec<&str> = update.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["12", "19"]);
}

#[test]
fn a_story_of_one_source_says_so() {
    let a = article("a", "Agency A", "2024-03-12", "Quake", "A quake struck.");
    let ea = extract_article(&a, &Recogniser::find());
    let units = [SourceUnit {
        article: &a,
        section: None,
        extraction: &ea,
        duplicate_of: None,
        vectors: None,
    }];
    let c = compare_story(None, &units, &CompareConfig::default());
    assert_eq!(c.notes.len(), 1);
    assert!(c.notes[0].contains("Only one source"), "{:?}", c.notes);
}

#[test]
fn a_language_without_a_stemmer_is_compared_by_its_words_names_and_numbers() {
    let mut a = article(
        "a",
        "Báo A",
        "2024-05-02",
        "Động đất ở Lào Cai",
        "Một trận động đất mạnh 5,2 độ đã xảy ra tại Lào Cai vào tối thứ Hai. Hơn 300 ngôi nhà bị hư hại.",
    );
    let mut b = article(
        "b",
        "Báo B",
        "2024-05-02",
        "Lào Cai rung chuyển",
        "Trận động đất mạnh 5,2 độ xảy ra tại Lào Cai vào tối thứ Hai. Chính quyền đã mở ba điểm sơ tán.",
    );
    a.language = Some("vi".into());
    b.language = Some("vi".into());
    let recogniser = Recogniser::find();
    let (ea, eb) = (
        extract_article(&a, &recogniser),
        extract_article(&b, &recogniser),
    );
    let units = [
        SourceUnit {
            article: &a,
            section: None,
            extraction: &ea,
            duplicate_of: None,
            vectors: None,
        },
        SourceUnit {
            article: &b,
            section: None,
            extraction: &eb,
            duplicate_of: None,
            vectors: None,
        },
    ];
    let c = compare_story(None, &units, &CompareConfig::default());
    let shared: Vec<&StatementGroup> = c
        .statements
        .iter()
        .filter(|g| g.reach == Reach::All)
        .collect();
    assert_eq!(shared.len(), 1, "{:#?}", c.statements);
    assert!(
        shared[0]
            .statements
            .iter()
            .all(|s| s.span.text.contains("5,2 độ"))
    );
    assert_eq!(
        c.statements
            .iter()
            .filter(|g| g.reach == Reach::One)
            .count(),
        2
    );
}

/// Statement vectors made at extraction align the same fact across languages where no name or number carries
/// it; statements whose vectors point apart stay apart.
#[test]
fn stored_statement_vectors_align_a_fact_across_languages() {
    let mut a = article(
        "a",
        "Agency A",
        "2024-03-12",
        "Border",
        "The ministers agreed to reopen the crossing.",
    );
    let mut b = article(
        "b",
        "Zeitung B",
        "2024-03-12",
        "Grenze",
        "Die Minister einigten sich auf die Öffnung des Übergangs.",
    );
    a.language = Some("en".into());
    b.language = Some("de".into());
    let recogniser = Recogniser::find();
    let (ea, eb) = (
        extract_article(&a, &recogniser),
        extract_article(&b, &recogniser),
    );
    let vectors = |article: &Article, v: Vec<f32>| {
        let range = split_statements(&article.text, 0..article.text.len())
            .pop()
            .unwrap();
        StatementVectors::from_vectors([(range, v)])
    };
    let same = (vectors(&a, vec![0.6, 0.8]), vectors(&b, vec![0.6, 0.8]));
    let apart = (vectors(&a, vec![1.0, 0.0]), vectors(&b, vec![0.0, 1.0]));
    let reach = |va: Option<&StatementVectors>, vb: Option<&StatementVectors>| {
        let units = [
            SourceUnit {
                vectors: va,
                ..SourceUnit::whole(&a, &ea)
            },
            SourceUnit {
                vectors: vb,
                ..SourceUnit::whole(&b, &eb)
            },
        ];
        let c = compare_story(None, &units, &CompareConfig::default());
        c.statements.iter().map(|g| g.reach).collect::<Vec<_>>()
    };
    assert_eq!(reach(Some(&same.0), Some(&same.1)), [Reach::All]);
    assert_eq!(
        reach(Some(&apart.0), Some(&apart.1)),
        [Reach::One, Reach::One]
    );
    assert_eq!(
        reach(None, None),
        [Reach::One, Reach::One],
        "words alone do not carry it"
    );
}
