//! Story assignments and the clusterer state, run against both stores so they behave the same.

use parallax_model::{
    Article, Assignment, NearDuplicate, StoryId, StoryMerge, StoryUnit, StorylineId,
    StorylineMerge, UnitAssignment,
};
use parallax_store::{MemoryStore, SqliteStore, Store, StoryCursor, StoryListQuery, StoryOrder};

fn stores() -> Vec<(&'static str, Box<dyn Store>)> {
    vec![
        ("memory", Box::new(MemoryStore::new())),
        ("sqlite", Box::new(SqliteStore::open_in_memory().unwrap())),
    ]
}

fn article(id: &str, title: &str, date: &str, source: &str, language: &str) -> Article {
    let mut article = Article::new(title, format!("{title}. Body of {id}."));
    article.id = id.into();
    article.date = Some(date.parse().unwrap());
    article.source = Some(source.into());
    article.language = Some(language.into());
    article
}

fn assignment(id: &str, stories: &[(Option<usize>, u64)], copies: Option<&str>) -> Assignment {
    Assignment {
        article: id.into(),
        duplicate_of: copies.map(|c| NearDuplicate {
            article: id.into(),
            copies: c.into(),
            similarity: 0.9,
            exact: false,
        }),
        merged: Vec::new(),
        linked: Vec::new(),
        moved: Vec::new(),
        units: stories
            .iter()
            .map(|&(section, story)| UnitAssignment {
                unit: StoryUnit {
                    article: id.into(),
                    section,
                },
                story: StoryId(story),
                opened: false,
                score: 0.5,
                storyline: Default::default(),
            })
            .collect(),
    }
}

/// Three articles: b (earliest) and a in story 0 with c copying a, and d whose two sections go to stories 0 and 1.
fn filled(store: &mut dyn Store) {
    let articles = [
        article("a", "Quake hits island", "2024-03-02", "Wire", "en"),
        article("b", "Erdbeben auf Insel", "2024-03-01", "Zeitung", "de"),
        article("c", "Quake hits island, copy", "2024-03-03", "Daily", "en"),
        article("d", "Briefs", "2024-03-04", "Wire", "en"),
    ];
    store.put_batch(&articles, &[]).unwrap();
    store
        .save_assignments(
            &[
                assignment("b", &[(None, 0)], None),
                assignment("a", &[(None, 0)], None),
                assignment("c", &[(None, 0)], Some("a")),
            ],
            b"state one",
        )
        .unwrap();
    store
        .save_assignments(
            &[assignment("d", &[(Some(0), 0), (Some(1), 1)], None)],
            b"state two",
        )
        .unwrap();
}

#[test]
fn state_is_saved_with_the_assignments_and_replaced_by_the_next_batch() {
    for (name, mut store) in stores() {
        assert_eq!(store.clusterer_state().unwrap(), None, "{name}");
        filled(store.as_mut());
        assert_eq!(
            store.clusterer_state().unwrap().as_deref(),
            Some(&b"state two"[..]),
            "{name}"
        );
    }
}

#[test]
fn unassigned_articles_are_those_without_a_story_in_publication_order() {
    for (name, mut store) in stores() {
        store
            .put_batch(
                &[
                    article("x", "Later", "2024-05-02", "Wire", "en"),
                    article("y", "Earlier", "2024-05-01", "Wire", "en"),
                ],
                &[],
            )
            .unwrap();
        let ids = |store: &dyn Store| -> Vec<String> {
            store
                .unassigned_articles()
                .unwrap()
                .into_iter()
                .map(|a| a.id.0)
                .collect()
        };
        assert_eq!(ids(store.as_ref()), ["y", "x"], "{name}");
        store
            .save_assignments(&[assignment("y", &[(None, 0)], None)], b"s")
            .unwrap();
        assert_eq!(ids(store.as_ref()), ["x"], "{name}");
    }
}

#[test]
fn stories_summarise_dates_sources_languages_and_the_earliest_headline() {
    for (name, mut store) in stores() {
        filled(store.as_mut());
        let stories = store.stories().unwrap();
        assert_eq!(stories.len(), 2, "{name}");
        let first = &stories[0];
        assert_eq!(first.id, StoryId(0));
        assert_eq!(first.articles, 4, "{name}: b, a, c and d's first section");
        assert_eq!(
            first.headline, "Erdbeben auf Insel",
            "{name}: b is the earliest"
        );
        assert_eq!(first.first_date.unwrap().to_string(), "2024-03-01");
        assert_eq!(first.last_date.unwrap().to_string(), "2024-03-04");
        assert_eq!(first.sources, ["Daily", "Wire", "Zeitung"], "{name}");
        assert_eq!(first.languages, ["de", "en"], "{name}");
        let second = &stories[1];
        assert_eq!((second.id, second.articles), (StoryId(1), 1), "{name}");
        assert_eq!(second.headline, "Briefs");
    }
}

#[test]
fn members_mark_near_duplicates_and_sections() {
    for (name, mut store) in stores() {
        filled(store.as_mut());
        let members = store.story_members(StoryId(0)).unwrap();
        let units: Vec<String> = members.iter().map(|m| m.unit.to_string()).collect();
        assert_eq!(units, ["b", "a", "c", "d#0"], "{name}");
        assert_eq!(members[2].duplicate_of, Some(("a".into(), 0.9)), "{name}");
        assert!(
            members[..2].iter().all(|m| m.duplicate_of.is_none()),
            "{name}"
        );
        assert!(
            store.story_members(StoryId(7)).unwrap().is_empty(),
            "{name}"
        );
        let of_d = store.article_members(&"d".into()).unwrap();
        let stories: Vec<u64> = of_d.iter().map(|m| m.story.0).collect();
        assert_eq!(stories, [0, 1], "{name}");
    }
}

#[test]
fn assignments_and_state_survive_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        filled(&mut store);
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.stories().unwrap().len(), 2);
    assert_eq!(
        store.clusterer_state().unwrap().as_deref(),
        Some(&b"state two"[..])
    );
}

#[test]
fn merged_stories_move_every_unit_saved_before_in_this_batch_and_earlier() {
    for (name, mut store) in stores() {
        filled(store.as_mut());
        store
            .put_batch(
                &[article("e", "Island quake", "2024-03-05", "Daily", "en")],
                &[],
            )
            .unwrap();
        // e joins story 1; refinement then finds stories 0 and 1 tell one event and merges 1 into 0.
        let mut e = assignment("e", &[(None, 1)], None);
        e.merged = vec![StoryMerge {
            from: StoryId(1),
            into: StoryId(0),
        }];
        store.save_assignments(&[e], b"state three").unwrap();
        let stories = store.stories().unwrap();
        assert_eq!(stories.len(), 1, "{name}");
        assert_eq!(
            (stories[0].id, stories[0].articles),
            (StoryId(0), 5),
            "{name}: a, b, c, both of d's sections and e, with d counted once"
        );
        assert!(
            store.story_members(StoryId(1)).unwrap().is_empty(),
            "{name}"
        );
        let e_members = store.article_members(&"e".into()).unwrap();
        assert_eq!(e_members[0].story, StoryId(0), "{name}");
    }
}

#[test]
fn an_outlet_given_by_its_domain_counts_once_under_its_name() {
    for (name, mut store) in stores() {
        let articles = [
            article("a", "Quake", "2024-03-01", "The Daily Ledger", "en"),
            article("b", "Quake toll", "2024-03-02", "dailyledger.example", "en"),
            article("c", "Quake aid", "2024-03-02", "www.reuters.com", "en"),
            article("d", "Quake news", "2024-03-03", "Reuters", "en"),
            article("e", "Quake blog", "2024-03-03", "quakeblog.example", "en"),
        ];
        store.put_batch(&articles, &[]).unwrap();
        let assignments: Vec<Assignment> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|id| assignment(id, &[(None, 0)], None))
            .collect();
        store.save_assignments(&assignments, b"s").unwrap();
        let stories = store.stories().unwrap();
        assert_eq!(
            stories[0].sources,
            ["Reuters", "The Daily Ledger", "quakeblog.example"],
            "{name}: a domain no stored name matches stays as it is"
        );
    }
}

/// Storylines as the clusterer reports them: a unit's storyline when assigned, then links (the later storyline
/// joins the older) and merges (a story merged away leaves its storyline), read back the same from both stores.
#[test]
fn storylines_follow_units_links_and_merges() {
    for (name, mut store) in stores() {
        let articles: Vec<Article> = ["a", "b", "c", "d", "e"]
            .iter()
            .enumerate()
            .map(|(i, id)| article(id, id, &format!("2024-03-0{}", i + 1), "Wire", "en"))
            .collect();
        store.put_batch(&articles, &[]).unwrap();
        let with_line = |id: &str, story: u64, line: u64| {
            let mut a = assignment(id, &[(None, story)], None);
            a.units[0].storyline = StorylineId(line);
            a
        };
        let mut d = with_line("d", 3, 3);
        d.linked.push(StorylineMerge {
            from: StorylineId(1),
            into: StorylineId(0),
        });
        let mut e = with_line("e", 4, 4);
        e.merged.push(StoryMerge {
            from: StoryId(4),
            into: StoryId(3),
        });
        let batch = [
            with_line("a", 0, 0),
            with_line("b", 1, 1),
            // c's story opened in a's storyline.
            with_line("c", 2, 0),
            d,
            e,
        ];
        store.save_assignments(&batch, b"{}").unwrap();
        let lines = store.story_storylines().unwrap();
        assert_eq!(
            lines.into_iter().collect::<Vec<_>>(),
            vec![(StoryId(1), StorylineId(0)), (StoryId(2), StorylineId(0))],
            "{name}"
        );
        assert_eq!(
            store.storyline_of(StoryId(1)).unwrap(),
            StorylineId(0),
            "{name}"
        );
        assert_eq!(
            store.storyline_of(StoryId(3)).unwrap(),
            StorylineId(3),
            "{name}"
        );
        assert_eq!(
            store.storyline_stories(StorylineId(0)).unwrap(),
            vec![StoryId(0), StoryId(1), StoryId(2)],
            "{name}"
        );
        assert_eq!(
            store.storyline_stories(StorylineId(3)).unwrap(),
            vec![StoryId(3)],
            "{name}"
        );
        assert!(
            store.storyline_stories(StorylineId(4)).unwrap().is_empty(),
            "{name}: a story merged away leaves no storyline behind"
        );
        assert!(
            store.storyline_stories(StorylineId(1)).unwrap().is_empty(),
            "{name}: a storyline joined into another is gone"
        );
        assert_eq!(
            store.linked_storylines(10).unwrap(),
            (vec![StorylineId(0)], 1),
            "{name}: only storylines of two stories or more are listed"
        );
    }
}

/// A few stories of varied size, dates, outlets (one given only as a domain) and languages, with a merge.
fn listed(store: &mut dyn Store) {
    let mut undated = article("u", "Undated note", "2024-01-01", "Wire", "fr");
    undated.date = None;
    let articles = [
        article("a", "Quake hits island", "2024-03-02", "Wire", "en"),
        article("b", "Erdbeben auf Insel", "2024-03-01", "Zeitung", "de"),
        article(
            "c",
            "Quake hits island, copy",
            "2024-03-03",
            "dailyledger.example",
            "en",
        ),
        article(
            "d",
            "Ledger on the quake",
            "2024-03-05",
            "The Daily Ledger",
            "en",
        ),
        article("e", "Vote count", "2024-04-01", "Wire", "en"),
        article("f", "Cuenta de votos", "2024-04-02", "Diario", "es"),
        article("g", "Port strike", "2024-02-10", "Zeitung", "de"),
        article("h", "Strike ends", "2024-02-11", "Wire", "en"),
        undated,
    ];
    store.put_batch(&articles, &[]).unwrap();
    let mut merging = assignment("h", &[(None, 4)], None);
    merging.merged = vec![StoryMerge {
        from: StoryId(3),
        into: StoryId(4),
    }];
    store
        .save_assignments(
            &[
                assignment("b", &[(None, 0)], None),
                assignment("a", &[(None, 0)], None),
                assignment("c", &[(None, 0)], Some("a")),
                assignment("e", &[(None, 1)], None),
                assignment("g", &[(None, 3)], None),
                assignment("u", &[(None, 2)], None),
            ],
            b"one",
        )
        .unwrap();
    store
        .save_assignments(
            &[
                assignment("d", &[(None, 0)], None),
                assignment("f", &[(None, 1)], None),
                merging,
            ],
            b"two",
        )
        .unwrap();
}

/// Every page of `query`, following the cursors, as ids.
fn pages(store: &dyn Store, mut query: StoryListQuery) -> Vec<Vec<u64>> {
    let mut all = Vec::new();
    loop {
        let page = store.story_page(&query).unwrap();
        let Some(last) = page.last() else {
            return all;
        };
        query.after = Some(StoryCursor::after(query.order, last));
        all.push(page.iter().map(|s| s.id.0).collect());
    }
}

#[test]
fn issue_14_story_pages_follow_the_cursor_and_filters_alike_in_both_stores() {
    let queries = || {
        let base = StoryListQuery {
            limit: 2,
            ..StoryListQuery::default()
        };
        vec![
            base.clone(),
            StoryListQuery {
                order: StoryOrder::Largest,
                ..base.clone()
            },
            StoryListQuery {
                outlet: Some("The Daily Ledger".into()),
                ..base.clone()
            },
            StoryListQuery {
                language: Some("de".into()),
                order: StoryOrder::Largest,
                ..base.clone()
            },
            StoryListQuery {
                outlet: Some("Wire".into()),
                ..base.clone()
            },
            StoryListQuery {
                outlet: Some("Wire".into()),
                language: Some("en".into()),
                order: StoryOrder::Largest,
                ..base.clone()
            },
            StoryListQuery {
                from: Some("2024-03-02".into()),
                to: Some("2024-04-01".into()),
                ..base.clone()
            },
            StoryListQuery {
                only: Some(vec![StoryId(0), StoryId(2)]),
                ..base.clone()
            },
        ]
    };
    let mut memory = MemoryStore::new();
    let mut sqlite = SqliteStore::open_in_memory().unwrap();
    listed(&mut memory);
    listed(&mut sqlite);
    assert_eq!(
        pages(&sqlite, queries()[0].clone()),
        [vec![1, 0], vec![4, 2]]
    );
    assert_eq!(sqlite.story_count().unwrap(), 4);
    for query in queries() {
        assert_eq!(
            pages(&sqlite, query.clone()),
            pages(&memory, query.clone()),
            "{query:?}"
        );
    }
    // A page holds what the whole listing says of each story.
    let whole = memory.stories().unwrap();
    for story in sqlite
        .story_page(&StoryListQuery {
            limit: 10,
            ..StoryListQuery::default()
        })
        .unwrap()
    {
        assert_eq!(whole.iter().find(|s| s.id == story.id), Some(&story));
    }
}

#[test]
fn issue_14_a_story_version_changes_when_the_story_or_an_extraction_of_it_does() {
    for (name, mut store) in stores() {
        listed(store.as_mut());
        let version = |store: &dyn Store, id| store.story_version(StoryId(id)).unwrap();
        let (zero, one) = (version(&*store, 0), version(&*store, 1));
        assert!(zero.is_some() && one.is_some(), "{name}");
        assert_eq!(version(&*store, 3), None, "{name}: merged away");
        store
            .put_extractions(&[parallax_model::Extraction {
                article: "a".into(),
                ..Default::default()
            }])
            .unwrap();
        assert_ne!(version(&*store, 0), zero, "{name}");
        store
            .save_assignments(&[assignment("x", &[(None, 1)], None)], b"three")
            .unwrap();
        assert_ne!(version(&*store, 1), one, "{name}");
        let before = version(&*store, 1);
        store.forget_stories().unwrap();
        assert_eq!(version(&*store, 1), None, "{name}");
        store
            .save_assignments(&[assignment("e", &[(None, 1)], None)], b"again")
            .unwrap();
        assert_ne!(
            version(&*store, 1),
            before,
            "{name}: a version never comes back"
        );
    }
}

#[test]
fn issue_14_stories_assigned_before_the_story_rows_existed_are_listed_once_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let all = StoryListQuery {
        limit: 10,
        ..StoryListQuery::default()
    };
    let expected = {
        let mut store = SqliteStore::open(&path).unwrap();
        listed(&mut store);
        store.story_page(&all).unwrap()
    };
    // Take the file back to schema 5, as the build before the story rows left it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE stories; DROP TABLE story_outlets; DROP TABLE story_languages; DROP TABLE outlets; \
         DROP TABLE generation; DROP TABLE stories_to_fill; DROP TABLE story_lines; PRAGMA user_version = 5;",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.story_page(&all).unwrap(), expected);
    assert_eq!(expected.len(), 4);
}
