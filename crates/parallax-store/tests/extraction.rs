//! Extractions kept and served by entity, run against both stores so they behave the same.

use parallax_model::{
    ActorRole, Article, Assignment, Entity, EntityId, EntityKind, Event, EventActor, EventKind,
    Extraction, Mention, Quote, QuoteKind, Role, Speaker, StoryId, StoryUnit, TextSpan,
    UnitAssignment,
};
use parallax_store::{EntityQuery, MemoryStore, SqliteStore, Store};

fn stores() -> Vec<(&'static str, Box<dyn Store>)> {
    vec![
        ("memory", Box::new(MemoryStore::new())),
        ("sqlite", Box::new(SqliteStore::open_in_memory().unwrap())),
    ]
}

fn article(id: &str, text: &str) -> Article {
    let mut article = Article::new(format!("Title of {id}"), text);
    article.id = id.into();
    article.date = Some("2023-10-27".parse().unwrap());
    article
}

fn kind_of(id: &str) -> EntityKind {
    match id.split(':').next() {
        Some("per") => EntityKind::Person,
        Some("org") => EntityKind::Organisation,
        Some("loc") => EntityKind::Place,
        _ => EntityKind::Other,
    }
}

/// The extraction of `article`, naming each (entity id, words) in order: every occurrence of the words in the
/// text is a mention, the first form seen names the entity and later ones are aliases.
fn extraction(article: &Article, names: &[(&str, &str)]) -> Extraction {
    let mut x = Extraction {
        article: article.id.clone(),
        ..Extraction::default()
    };
    for (id, words) in names {
        for (start, _) in article.text.match_indices(words) {
            x.mentions.push(Mention {
                article: article.id.clone(),
                sentence: article.text[..start].matches(". ").count(),
                start,
                end: start + words.len(),
                text: words.to_string(),
                kind: kind_of(id),
                entity: EntityId(id.to_string()),
            });
        }
        match x.entities.iter_mut().find(|e| e.id.0 == *id) {
            Some(e) => e.aliases.push(words.to_string()),
            None => x.entities.push(Entity {
                id: EntityId(id.to_string()),
                kind: kind_of(id),
                name: words.to_string(),
                aliases: Vec::new(),
                articles: vec![article.id.clone()],
            }),
        }
    }
    x.mentions.sort_by_key(|m| m.start);
    x.entities.sort_by(|a, b| a.id.cmp(&b.id));
    x
}

fn span(text: &str, words: &str) -> TextSpan {
    let start = text.find(words).unwrap();
    TextSpan::of(text, start, start + words.len())
}

fn story(id: &str, story: u64) -> Assignment {
    Assignment {
        article: id.into(),
        duplicate_of: None,
        merged: Vec::new(),
        linked: Vec::new(),
        moved: Vec::new(),
        units: vec![UnitAssignment {
            unit: StoryUnit {
                article: id.into(),
                section: None,
            },
            story: StoryId(story),
            opened: false,
            score: 0.5,
            storyline: Default::default(),
        }],
    }
}

const A1: &str = "Marzouk, a member of the Hamas politburo, arrived. Marzouk spoke.";
const A2: &str =
    "Abu Marzouk met Ali Bagheri Kani in Moscow. \"We want a ceasefire,\" Abu Marzouk said.";
const A3: &str = "Marzouk left Moscow on Friday.";

fn a1() -> Extraction {
    let a = article("a1", A1);
    let mut x = extraction(&a, &[("per:marzouk", "Marzouk"), ("org:hamas", "Hamas")]);
    x.roles.push(Role {
        person: EntityId("per:marzouk".into()),
        title: "member of the Hamas politburo".into(),
        affiliation: Some(EntityId("org:hamas".into())),
        article: a.id.clone(),
        sentence: 0,
        start: 11,
        end: 40,
    });
    x
}

fn a2() -> Extraction {
    let a = article("a2", A2);
    let mut x = extraction(
        &a,
        &[
            ("per:abu-marzouk", "Abu Marzouk"),
            ("per:ali-bagheri-kani", "Ali Bagheri Kani"),
            ("loc:moscow", "Moscow"),
        ],
    );
    x.quotes.push(Quote {
        content: span(A2, "\"We want a ceasefire,\""),
        kind: QuoteKind::Direct,
        speaker: Some(Speaker {
            span: span(A2, "Abu Marzouk said"),
            pronoun: false,
            antecedent: None,
            entity: Some(EntityId("per:abu-marzouk".into())),
        }),
        cue: Some(span(A2, "said")),
        via: None,
        sentence: 1,
    });
    x.events.push(Event {
        kind: EventKind::Meet,
        trigger: span(A2, "met"),
        actors: vec![
            EventActor {
                entity: EntityId("per:abu-marzouk".into()),
                role: ActorRole::Agent,
                span: span(A2, "Abu Marzouk"),
            },
            EventActor {
                entity: EntityId("per:ali-bagheri-kani".into()),
                role: ActorRole::Patient,
                span: span(A2, "Ali Bagheri Kani"),
            },
        ],
        place: Some(EntityId("loc:moscow".into())),
        date: Some("2023-10-26".into()),
        topic: None,
        article: a.id.clone(),
        sentence: 0,
        start: 0,
        end: 43,
    });
    x
}

fn a3() -> Extraction {
    let a = article("a3", A3);
    let mut x = extraction(&a, &[("per:marzouk", "Marzouk"), ("loc:moscow", "Moscow")]);
    // Given twice, so it is listed before the alphabetically earlier role given once.
    for _ in 0..2 {
        x.roles.push(Role {
            person: EntityId("per:marzouk".into()),
            title: "senior Hamas official".into(),
            affiliation: None,
            article: a.id.clone(),
            sentence: 0,
            start: 0,
            end: 7,
        });
    }
    x
}

/// Three articles: a1 and a2 in story 0, a3 in story 1; `order` says in which order their extractions are stored.
fn filled(store: &mut dyn Store, order: &[fn() -> Extraction]) {
    let articles = [article("a1", A1), article("a2", A2), article("a3", A3)];
    store.put_batch(&articles, &[]).unwrap();
    store
        .save_assignments(&[story("a1", 0), story("a2", 0), story("a3", 1)], b"state")
        .unwrap();
    for make in order {
        store.put_extractions(&[make()]).unwrap();
    }
}

fn ids(store: &dyn Store, query: &EntityQuery) -> Vec<(String, u64, u64)> {
    store
        .entities(query)
        .unwrap()
        .into_iter()
        .map(|e| (e.id.0, e.articles, e.mentions))
        .collect()
}

#[test]
fn a_short_name_joins_the_full_name_across_articles_whatever_the_order() {
    for order in [[a1, a2, a3], [a3, a1, a2], [a2, a3, a1]] {
        for (name, mut store) in stores() {
            filled(store.as_mut(), &order);
            let all = store.entities(&EntityQuery::default()).unwrap();
            let marzouk = &all[0];
            assert_eq!(marzouk.id.0, "per:abu-marzouk", "{name}");
            assert_eq!(marzouk.kind, EntityKind::Person, "{name}");
            assert_eq!(marzouk.name, "Abu Marzouk", "{name}");
            assert_eq!(marzouk.aliases, ["Marzouk"], "{name}");
            assert_eq!(
                marzouk.roles,
                ["senior Hamas official", "member of the Hamas politburo"],
                "{name}"
            );
            assert_eq!(
                (marzouk.articles, marzouk.mentions, marzouk.stories),
                (3, 5, 2),
                "{name}"
            );
            assert_eq!(
                ids(store.as_ref(), &EntityQuery::default()),
                [
                    ("per:abu-marzouk".to_owned(), 3, 5),
                    ("loc:moscow".to_owned(), 2, 2),
                    ("org:hamas".to_owned(), 1, 1),
                    ("per:ali-bagheri-kani".to_owned(), 1, 1),
                ],
                "{name}"
            );
        }
    }
}

#[test]
fn a_story_lists_its_own_entities_counted_within_it() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1, a2, a3]);
        let query = EntityQuery {
            story: Some(StoryId(1)),
            limit: None,
        };
        assert_eq!(
            ids(store.as_ref(), &query),
            [
                ("loc:moscow".to_owned(), 1, 1),
                ("per:abu-marzouk".to_owned(), 1, 1)
            ],
            "{name}"
        );
        let top = EntityQuery {
            story: Some(StoryId(0)),
            limit: Some(1),
        };
        assert_eq!(
            ids(store.as_ref(), &top),
            [("per:abu-marzouk".to_owned(), 2, 4)],
            "{name}"
        );
        let stories = store.entities(&top).unwrap()[0].stories;
        assert_eq!(stories, 2, "{name}: every story counted");
    }
}

#[test]
fn an_entity_is_found_by_any_id_name_or_alias_without_case() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1, a2, a3]);
        let marzouk = vec![EntityId("per:abu-marzouk".into())];
        for asked in [
            "per:marzouk",
            "per:abu-marzouk",
            "Marzouk",
            "ABU MARZOUK",
            " marzouk ",
        ] {
            assert_eq!(
                store.find_entities(asked).unwrap(),
                marzouk,
                "{name}: {asked}"
            );
        }
        assert_eq!(
            store.find_entities("hamas").unwrap(),
            [EntityId("org:hamas".into())],
            "{name}"
        );
        assert!(
            store.find_entities("Zakharova").unwrap().is_empty(),
            "{name}"
        );
        assert!(
            store
                .entity(&EntityId("per:nobody".into()))
                .unwrap()
                .is_none()
        );
    }
}

#[test]
fn an_entity_record_holds_its_mentions_roles_quotes_events_and_stories() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1, a2, a3]);
        let record = store
            .entity(&EntityId("per:marzouk".into()))
            .unwrap()
            .unwrap();
        let id = EntityId("per:abu-marzouk".into());
        assert_eq!(record.entity.id, id, "{name}");
        let mentions: Vec<(&str, usize, &str)> = record
            .mentions
            .iter()
            .map(|m| (m.article.0.as_str(), m.start, m.text.as_str()))
            .collect();
        assert_eq!(
            mentions,
            [
                ("a1", 0, "Marzouk"),
                ("a1", 51, "Marzouk"),
                ("a2", 0, "Abu Marzouk"),
                ("a2", 67, "Abu Marzouk"),
                ("a3", 0, "Marzouk"),
            ],
            "{name}"
        );
        assert!(record.mentions.iter().all(|m| m.entity == id), "{name}");
        assert_eq!(record.roles.len(), 3, "{name}");
        assert!(record.roles.iter().all(|r| r.person == id), "{name}");
        assert_eq!(
            record.roles[0].affiliation,
            Some(EntityId("org:hamas".into())),
            "{name}"
        );
        assert_eq!(record.quotes.len(), 1, "{name}");
        assert_eq!(record.quotes[0].article.0, "a2", "{name}");
        assert_eq!(
            record.quotes[0].quote.speaker.as_ref().unwrap().entity,
            Some(id.clone()),
            "{name}"
        );
        assert_eq!(record.events, a2().events, "{name}");
        assert_eq!(record.stories, [StoryId(0), StoryId(1)], "{name}");
    }
}

#[test]
fn an_article_extraction_comes_back_with_canonical_ids() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1, a2, a3]);
        let x = store.extraction(&"a1".into()).unwrap().unwrap();
        let mut expect = a1();
        for m in &mut expect.mentions {
            if m.entity.0 == "per:marzouk" {
                m.entity = EntityId("per:abu-marzouk".into());
            }
        }
        expect.roles[0].person = EntityId("per:abu-marzouk".into());
        expect.entities[1] = Entity {
            id: EntityId("per:abu-marzouk".into()),
            kind: EntityKind::Person,
            name: "Abu Marzouk".into(),
            aliases: vec!["Marzouk".into()],
            articles: vec!["a1".into()],
        };
        expect.entities.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(x, expect, "{name}");
        assert_eq!(
            store.extraction(&"a2".into()).unwrap().unwrap(),
            a2(),
            "{name}"
        );
        assert_eq!(store.extraction(&"zz".into()).unwrap(), None, "{name}");
    }
}

#[test]
fn a_second_full_name_holding_the_short_one_parts_them_again() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1, a2, a3]);
        let text = "Musa Marzouk spoke.";
        store.put_batch(&[article("a4", text)], &[]).unwrap();
        store
            .put_extractions(&[extraction(
                &article("a4", text),
                &[("per:musa-marzouk", "Musa Marzouk")],
            )])
            .unwrap();
        // "Marzouk" could now be either man.
        let found = store.find_entities("Marzouk").unwrap();
        assert_eq!(found, [EntityId("per:marzouk".into())], "{name}");
        let x = store.extraction(&"a3".into()).unwrap().unwrap();
        assert_eq!(x.mentions[0].entity.0, "per:marzouk", "{name}");
    }
}

#[test]
fn extracting_an_article_again_replaces_what_was_kept() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1, a2, a3]);
        // The new extraction of a1 finds Hamas only.
        let again = extraction(&article("a1", A1), &[("org:hamas", "Hamas")]);
        store.put_extractions(std::slice::from_ref(&again)).unwrap();
        store.put_extractions(std::slice::from_ref(&again)).unwrap();
        assert_eq!(
            store.extraction(&"a1".into()).unwrap(),
            Some(again),
            "{name}"
        );
        assert_eq!(
            ids(store.as_ref(), &EntityQuery::default()),
            [
                ("per:abu-marzouk".to_owned(), 2, 3),
                ("loc:moscow".to_owned(), 2, 2),
                ("org:hamas".to_owned(), 1, 1),
                ("per:ali-bagheri-kani".to_owned(), 1, 1),
            ],
            "{name}"
        );
        let record = store
            .entity(&EntityId("per:abu-marzouk".into()))
            .unwrap()
            .unwrap();
        assert!(record.roles.iter().all(|r| r.article.0 == "a3"), "{name}");
    }
}

#[test]
fn articles_without_extraction_come_in_pages_in_the_order_stored() {
    for (name, mut store) in stores() {
        let articles: Vec<Article> = (0..5)
            .map(|i| article(&format!("n{i}"), &format!("Text number {i}.")))
            .collect();
        store.put_batch(&articles[..3], &[]).unwrap();
        store.put_batch(&articles[3..], &[]).unwrap();
        let mut seen = Vec::new();
        loop {
            let page = store.unextracted_articles(2).unwrap();
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 2, "{name}");
            let done: Vec<Extraction> = page
                .iter()
                .map(|a| Extraction {
                    article: a.id.clone(),
                    ..Extraction::default()
                })
                .collect();
            seen.extend(page.into_iter().map(|a| a.id.0));
            store.put_extractions(&done).unwrap();
        }
        assert_eq!(seen, ["n0", "n1", "n2", "n3", "n4"], "{name}");
        // A duplicate stored again is not pending again.
        store.put_batch(&articles[..1], &[]).unwrap();
        assert!(store.unextracted_articles(10).unwrap().is_empty(), "{name}");
    }
}

#[test]
fn articles_stored_before_the_extraction_tables_existed_are_pending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store
            .put_batch(&[article("old", "Stored by an older build.")], &[])
            .unwrap();
    }
    // Take the file back to schema 2, as an older build left it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE extractions; DROP TABLE pending_extraction; DROP TABLE entities; DROP TABLE entity_parts; \
         DROP TABLE entity_forms; DROP TABLE mentions; DROP TABLE roles; DROP TABLE quote_speakers; \
         DROP TABLE event_actors; DROP TABLE extraction_parts; DROP TABLE statement_vectors; DROP TABLE stories; \
         DROP TABLE story_outlets; DROP TABLE story_languages; DROP TABLE outlets; DROP TABLE generation; \
         DROP TABLE stories_to_fill; DROP TABLE story_lines; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    let pending = store.unextracted_articles(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id.0, "old");
}

#[test]
fn an_entity_keeps_the_name_its_extraction_chose_unless_that_name_is_in_capitals() {
    const TEXT: &str =
        "MOSCOW. Iran and Hamas met in Moscow. The Iranian side and Palestinian Hamas agreed.";
    for (name, mut store) in stores() {
        let a = article("a1", TEXT);
        store.put_batch(std::slice::from_ref(&a), &[]).unwrap();
        store
            .put_extractions(&[extraction(
                &a,
                &[
                    ("loc:iran", "Iran"),
                    ("loc:iran", "Iranian"),
                    ("org:hamas", "Hamas"),
                    ("org:hamas", "Palestinian Hamas"),
                    ("loc:moscow", "MOSCOW"),
                    ("loc:moscow", "Moscow"),
                ],
            )])
            .unwrap();
        let mut names: Vec<(String, String)> = store
            .entities(&EntityQuery::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.id.0, e.name))
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("loc:iran".to_owned(), "Iran".to_owned()),
                ("loc:moscow".to_owned(), "Moscow".to_owned()),
                ("org:hamas".to_owned(), "Hamas".to_owned()),
            ],
            "{name}: a demonym or a longer form is an alias, a dateline's capitals give way"
        );
    }
}

/// Issue 16, case 3: a giant article's extraction is stored part by part as it is made; read back, it is the
/// parts joined, and the entity index numbers quotes and events across the parts.
#[test]
fn an_extraction_stored_in_parts_reads_back_whole_with_quotes_numbered_across_parts() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1, a3]);
        let first = a2();
        let mut quote = first.quotes[0].clone();
        quote.speaker.as_mut().unwrap().entity = Some(EntityId("per:ali-bagheri-kani".into()));
        let second = Extraction {
            article: "a2".into(),
            entities: vec![first.entities[2].clone()],
            quotes: vec![quote.clone()],
            ..Extraction::default()
        };
        store
            .put_extraction_parts(
                &"a2".into(),
                &mut [first.clone(), second.clone()].into_iter(),
            )
            .unwrap();
        assert_eq!(
            store.extraction(&"a2".into()).unwrap(),
            Some(Extraction::join([first, second])),
            "{name}"
        );
        let record = store
            .entity(&EntityId("per:ali-bagheri-kani".into()))
            .unwrap()
            .unwrap();
        assert_eq!(record.quotes.len(), 1, "{name}");
        assert_eq!(
            record.quotes[0].quote, quote,
            "{name}: the second part's quote"
        );
        assert!(store.unextracted_articles(10).unwrap().is_empty(), "{name}");
    }
}

#[test]
fn statement_vectors_are_kept_per_article_and_replaced() {
    for (name, mut store) in stores() {
        filled(store.as_mut(), &[a1]);
        assert_eq!(
            store.statement_vectors(&"a1".into()).unwrap(),
            None,
            "{name}"
        );
        store
            .put_statement_vectors(&[("a1".into(), vec![1, 2, 3]), ("a2".into(), vec![4])])
            .unwrap();
        store
            .put_statement_vectors(&[("a1".into(), vec![5, 6])])
            .unwrap();
        assert_eq!(
            store.statement_vectors(&"a1".into()).unwrap(),
            Some(vec![5, 6]),
            "{name}"
        );
        assert_eq!(
            store.statement_vectors(&"a2".into()).unwrap(),
            Some(vec![4]),
            "{name}"
        );
    }
}
