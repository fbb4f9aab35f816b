//! The behaviour every store shares, run against both implementations so tests written on the in-memory store
//! hold for the SQLite one.

use parallax_model::{Article, FieldSource, Origin, Place, Reject, Section};
use parallax_store::{Inventory, MemoryStore, SqliteStore, Store};
use proptest::prelude::*;

fn stores() -> Vec<(&'static str, Box<dyn Store>)> {
    vec![
        ("memory", Box::new(MemoryStore::new())),
        ("sqlite", Box::new(SqliteStore::open_in_memory().unwrap())),
    ]
}

fn article(id: &str, title: &str, date: Option<&str>, source: Option<&str>) -> Article {
    let mut article = Article::new(
        title,
        format!("{title}. Body of {id}.\n\nSecond paragraph."),
    );
    article.id = id.into();
    article.date = date.map(|d| d.parse().unwrap());
    article.source = source.map(str::to_owned);
    article.language = Some("en".into());
    article.sections = vec![Section {
        heading: None,
        start: 0,
        end: article.text.len(),
    }];
    article.origin = Origin {
        path: "in.jsonl".into(),
        place: Place::Line(id.len() as u64),
    };
    article
}

fn reject(path: &str, place: Place, reason: &str) -> Reject {
    Reject {
        origin: Origin {
            path: path.into(),
            place,
        },
        reason: reason.into(),
    }
}

#[test]
fn keeps_every_field_of_an_article() {
    for (name, mut store) in stores() {
        let mut full = article(
            "a1",
            "Talks in Moscow",
            Some("2023-10-27T22:45"),
            Some("TASS"),
        );
        full.url = Some("https://example.invalid/a1".into());
        full.dateline = Some("MOSCOW".into());
        full.byline = Some("Ana Lima".into());
        full.sections.push(Section {
            heading: Some("Second item".into()),
            start: 3,
            end: 5,
        });
        full.provenance.insert("date".into(), FieldSource::InText);
        full.provenance.insert("title".into(), FieldSource::Derived);
        full.attributes
            .insert("event".into(), serde_json::json!({"gold": [1, 2]}));
        store.put_batch(&[full.clone()], &[]).unwrap();
        assert_eq!(
            store.article(&"a1".into()).unwrap(),
            Some(full.clone()),
            "{name}"
        );
        assert_eq!(store.articles().unwrap(), vec![full], "{name}");
        assert_eq!(store.article(&"zz".into()).unwrap(), None, "{name}");
    }
}

#[test]
fn stores_the_same_article_once_and_counts_the_duplicate() {
    for (name, mut store) in stores() {
        let a = article("a1", "One", None, None);
        let b = article("b2", "Two", None, None);
        let first = store.put_batch(&[a.clone(), b.clone()], &[]).unwrap();
        assert_eq!((first.stored, first.duplicates), (2, 0), "{name}");
        // The same content under another id (the same page read from another format) is still a duplicate.
        let mut a_again = a.clone();
        a_again.id = "other".into();
        let second = store.put_batch(&[b, a_again, a], &[]).unwrap();
        assert_eq!((second.stored, second.duplicates), (0, 3), "{name}");
        assert_eq!(store.inventory().unwrap().articles, 2, "{name}");
    }
}

#[test]
fn the_same_text_from_another_outlet_is_another_article() {
    for (name, mut store) in stores() {
        let wire = article("w1", "Wire copy", None, Some("Agency"));
        let mut reprint = wire.clone();
        reprint.id = "w2".into();
        reprint.source = Some("Daily".into());
        let report = store.put_batch(&[wire, reprint], &[]).unwrap();
        assert_eq!(report.stored, 2, "{name}");
    }
}

#[test]
fn an_id_taken_by_other_content_is_refused_and_recorded() {
    for (name, mut store) in stores() {
        store
            .put_batch(&[article("a1", "One", None, None)], &[])
            .unwrap();
        let clash = article("a1", "Something else", None, None);
        let report = store.put_batch(std::slice::from_ref(&clash), &[]).unwrap();
        assert_eq!((report.stored, report.rejected), (0, 1), "{name}");
        assert_eq!(report.conflicts.len(), 1, "{name}");
        assert_eq!(report.conflicts[0].origin, clash.origin, "{name}");
        assert!(report.conflicts[0].reason.contains("a1"), "{name}");
        assert_eq!(store.rejects().unwrap(), report.conflicts, "{name}");
        assert_eq!(
            store.article(&"a1".into()).unwrap().unwrap().title,
            "One",
            "{name}"
        );
    }
}

#[test]
fn records_each_reject_once_with_its_place() {
    for (name, mut store) in stores() {
        let rejects = vec![
            reject("a.jsonl", Place::Line(7), "malformed JSON"),
            reject("b.png", Place::File, "binary file"),
            reject("c.warc", Place::Offset(1234), "truncated record"),
            reject("d.xml", Place::Record(3), "no text"),
        ];
        let first = store.put_batch(&[], &rejects).unwrap();
        let again = store.put_batch(&[], &rejects).unwrap();
        assert_eq!((first.rejected, again.rejected), (4, 0), "{name}");
        assert_eq!(store.rejects().unwrap(), rejects, "{name}");
    }
}

#[test]
fn lists_in_publication_order_with_undated_last() {
    for (name, mut store) in stores() {
        let batch = [
            article("u1", "Undated", None, None),
            article("d2", "Later", Some("2023-10-28"), None),
            article("d1", "Earlier", Some("2023-10-27T09:00"), None),
            article("d0", "Day before", Some("2023-10-27"), None),
        ];
        store.put_batch(&batch, &[]).unwrap();
        let ids: Vec<String> = store
            .summaries()
            .unwrap()
            .into_iter()
            .map(|s| s.id.0)
            .collect();
        assert_eq!(ids, ["d0", "d1", "d2", "u1"], "{name}");
        let full: Vec<String> = store
            .articles()
            .unwrap()
            .into_iter()
            .map(|a| a.id.0)
            .collect();
        assert_eq!(full, ids, "{name}");
    }
}

#[test]
fn finds_articles_by_id_prefix() {
    for (name, mut store) in stores() {
        let batch = [
            article("abc1", "One", None, None),
            article("abd2", "Two", None, None),
            article("abc3", "Three", None, None),
            article("b", "Four", None, None),
        ];
        store.put_batch(&batch, &[]).unwrap();
        let ids = |prefix: &str, limit: usize| -> Vec<String> {
            store
                .articles_with_id_prefix(prefix, limit)
                .unwrap()
                .into_iter()
                .map(|s| s.id.0)
                .collect()
        };
        assert_eq!(ids("abc", 10), ["abc1", "abc3"], "{name}");
        assert_eq!(ids("ab", 2), ["abc1", "abc3"], "{name}");
        assert_eq!(ids("b", 10), ["b"], "{name}");
        assert!(ids("c", 10).is_empty(), "{name}");
    }
}

#[test]
fn counts_by_source_language_and_date_range() {
    for (name, mut store) in stores() {
        let mut ru = article("r", "Russian", Some("2023-10-29"), Some("TASS"));
        ru.language = Some("ru".into());
        let batch = [
            article("a", "One", Some("2023-10-27"), Some("TASS")),
            article("b", "Two", Some("2023-10-28T10:00"), Some("Agency")),
            article("c", "Three", None, None),
            ru,
        ];
        store
            .put_batch(&batch, &[reject("x", Place::File, "empty file")])
            .unwrap();
        let expect = Inventory {
            articles: 4,
            rejects: 1,
            by_source: vec![
                (Some("TASS".into()), 2),
                (None, 1),
                (Some("Agency".into()), 1),
            ],
            by_language: vec![(Some("en".into()), 3), (Some("ru".into()), 1)],
            first_date: Some("2023-10-27".parse().unwrap()),
            last_date: Some("2023-10-29".parse().unwrap()),
        };
        assert_eq!(store.inventory().unwrap(), expect, "{name}");
    }
}

#[test]
fn reopening_a_file_keeps_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let a = article("a1", "One", Some("2023-10-27"), Some("TASS"));
    SqliteStore::open(&path)
        .unwrap()
        .put_batch(std::slice::from_ref(&a), &[])
        .unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.articles().unwrap(), vec![a.clone()]);
    assert_eq!(store.put_batch(&[a], &[]).unwrap().duplicates, 1);
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn refuses_a_database_from_a_newer_build() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err().to_string();
    assert!(err.contains("999"), "{err}");
}

fn arb_article() -> impl Strategy<Value = Article> {
    (0u8..6, 0u8..3, proptest::option::of(0u8..3), 0u8..4).prop_map(|(t, s, d, id)| {
        let source = ["A", "B", "C"][s as usize];
        let date = d.map(|d| format!("2023-10-2{d}"));
        article(
            &format!("id{id}"),
            &format!("T{t}"),
            date.as_deref(),
            Some(source),
        )
    })
}

proptest! {
    /// Whatever the batches, both stores agree, and putting everything again changes nothing.
    #[test]
    fn both_stores_agree_and_ingesting_twice_stores_once(
        batches in proptest::collection::vec(proptest::collection::vec(arb_article(), 0..6), 1..4)
    ) {
        let mut memory = MemoryStore::new();
        let mut sqlite = SqliteStore::open_in_memory().unwrap();
        for batch in &batches {
            let m = memory.put_batch(batch, &[]).unwrap();
            let s = sqlite.put_batch(batch, &[]).unwrap();
            prop_assert_eq!(m, s);
        }
        let before = sqlite.inventory().unwrap();
        for batch in &batches {
            let again = sqlite.put_batch(batch, &[]).unwrap();
            prop_assert_eq!(again.stored, 0);
        }
        prop_assert_eq!(sqlite.inventory().unwrap(), before.clone());
        prop_assert_eq!(memory.inventory().unwrap(), before);
        prop_assert_eq!(memory.articles().unwrap(), sqlite.articles().unwrap());
        prop_assert_eq!(memory.rejects().unwrap(), sqlite.rejects().unwrap());
    }
}
