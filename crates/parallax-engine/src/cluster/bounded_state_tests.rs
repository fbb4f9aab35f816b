//! The clusterer's state stays bounded by the time window, closing stories changes no assignment of a stream in
//! date order, and a stream out of date order gives the stories of date order.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use parallax_model::{Article, Assignment, PubDate, StoryId};

use super::{ClusterConfig, StoryClusterer};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n.max(1)
    }
}

fn word(n: u64) -> String {
    const SYLLABLES: [&str; 8] = ["ka", "to", "ri", "mel", "san", "dor", "vi", "lun"];
    let mut out = String::new();
    let mut x = n + 1;
    while x > 0 {
        out.push_str(SYLLABLES[(x % 8) as usize]);
        x /= 8;
    }
    out
}

/// `eras` runs of `stories` stories each, every era 40 days after the last (beyond the 10-day window of
/// [`tight`]), in date order. Stories of later eras reuse words and names of earlier ones, so the candidate index
/// meets old stories; some articles copy their story's first one.
fn stream(eras: u64, stories: u64) -> Vec<Article> {
    let mut rng = Rng(7);
    let mut out = Vec::new();
    for era in 0..eras {
        let mut planned = Vec::new();
        for story in 0..stories {
            let words: Vec<u64> = (0..8).map(|_| rng.below(300)).collect();
            let names: Vec<u64> = (0..3).map(|_| 1000 + rng.below(200)).collect();
            let start = era * 40 + rng.below(8);
            for member in 0..1 + rng.below(6) {
                planned.push((
                    start + rng.below(3),
                    story,
                    member,
                    words.clone(),
                    names.clone(),
                ));
            }
        }
        planned.sort_by_key(|p| (p.0, p.1, p.2));
        let mut first_text: std::collections::HashMap<u64, String> = Default::default();
        for (day, story, member, words, names) in planned {
            let mut text = String::new();
            for i in 0..60 {
                let token = match rng.below(10) {
                    0..=4 => word(words[rng.below(8) as usize]),
                    5..=6 => {
                        let mut name = word(names[rng.below(3) as usize]);
                        name[..1].make_ascii_uppercase();
                        name
                    }
                    _ => word(400 + rng.below(500)),
                };
                text.push_str(&token);
                text.push_str(if i % 12 == 11 { ". " } else { " " });
            }
            if member % 3 == 2
                && let Some(first) = first_text.get(&story)
            {
                text = format!("{first} Updated.");
            }
            first_text.entry(story).or_insert_with(|| text.clone());
            let mut article = Article::new(format!("{} {}", word(words[0]), word(words[1])), text);
            article.id = format!("e{era}-s{story}-m{member}").as_str().into();
            article.language = Some("en".to_owned());
            let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
            article.date = Some(PubDate::Day(base + chrono::Days::new(day)));
            out.push(article);
        }
    }
    out
}

/// Small caps, so posting lists overflow and the candidate bound bites, a 10-day window and at most 20 closed
/// stories held for late units.
fn tight() -> ClusterConfig {
    ClusterConfig {
        max_gap_days: 10,
        archived_stories: 20,
        max_candidates: 2,
        max_postings: 2,
        index_features: 3,
        ..ClusterConfig::default()
    }
}

fn run(clusterer: &mut StoryClusterer, articles: &[Article]) -> Vec<Assignment> {
    articles.iter().map(|a| clusterer.assign(a)).collect()
}

#[test]
fn closing_stories_changes_no_assignment() {
    let articles = stream(3, 40);
    let mut closing = StoryClusterer::new(tight());
    let mut keeping = StoryClusterer::new(tight());
    keeping.keep_closed = true;
    let closed = run(&mut closing, &articles);
    let kept = run(&mut keeping, &articles);
    assert_eq!(closed, kept);
    assert!(
        closed.iter().any(|a| a.duplicate_of.is_some()),
        "the stream has copies"
    );
    // The check means something only if stories did close and the index overflowed.
    assert!(closing.stories.len() < keeping.stories.len());
    assert!(closing.story_count() > 60, "{}", closing.story_count());
    assert!(keeping.postings.values().any(|p| p.len() == 2));
}

#[test]
fn state_is_bounded_by_the_window() {
    let articles = stream(6, 40);
    let mut clusterer = StoryClusterer::new(tight());
    let mut held = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        clusterer.assign(article);
        if i + 1 == articles.len() / 2 || i + 1 == articles.len() {
            held.push((
                clusterer.stories.len(),
                clusterer.postings.len(),
                clusterer.held_texts(),
                clusterer.article_stories.len(),
                clusterer.by_last_day.len(),
            ));
        }
    }
    let (half, end) = (held[0], held[1]);
    // Twice the stream, about the same state: only the last era's stories, texts and postings are held, and at
    // most 20 closed stories for late units.
    assert!(
        end.0 <= 60 && end.0 * 3 < clusterer.story_count(),
        "{held:?} of {}",
        clusterer.story_count()
    );
    assert!(
        end.1 <= half.1 * 5 / 4 && end.2 <= half.2 * 5 / 4,
        "{held:?}"
    );
    assert_eq!(end.2, end.3, "one story list per text held");
    assert!(end.4 <= 3 * end.0.max(1), "{held:?}");
    let saved = serde_json::to_vec(&clusterer).unwrap();
    let mut restored: StoryClusterer = serde_json::from_slice(&saved).unwrap();
    let more = stream(7, 40).split_off(articles.len());
    assert_eq!(run(&mut restored, &more), run(&mut clusterer, &more));
}

#[test]
fn preparing_on_threads_gives_the_same_assignments() {
    let articles = stream(2, 60);
    let one_by_one = run(&mut StoryClusterer::new(tight()), &articles);
    let on_threads = StoryClusterer::new(tight()).assign_all(&articles, 3);
    assert_eq!(one_by_one, on_threads);
}

/// The stories as sets of units, every reported merge applied: what a store shows, whatever the ids.
fn partition(assignments: &[Assignment]) -> BTreeSet<Vec<String>> {
    let mut into: HashMap<StoryId, StoryId> = HashMap::new();
    for merge in assignments.iter().flat_map(|a| &a.merged) {
        into.insert(merge.from, merge.into);
    }
    let mut stories: BTreeMap<StoryId, Vec<String>> = BTreeMap::new();
    for unit in assignments.iter().flat_map(|a| &a.units) {
        let mut story = unit.story;
        while let Some(&next) = into.get(&story) {
            story = next;
        }
        stories
            .entry(story)
            .or_default()
            .push(unit.unit.to_string());
    }
    stories
        .into_values()
        .map(|mut units| {
            units.sort();
            units
        })
        .collect()
}

/// The default settings with a 10-day window, so the generated eras (40 days apart) close one another's stories.
fn window_of_ten_days() -> ClusterConfig {
    ClusterConfig {
        max_gap_days: 10,
        ..ClusterConfig::default()
    }
}

#[test]
fn issue_13_one_late_article_leaves_an_older_event_whole() {
    let stream = stream(4, 30);
    let (older, newer): (Vec<Article>, Vec<Article>) =
        stream.into_iter().partition(|a| a.id.0.starts_with("e0-"));
    let alone = partition(&run(&mut StoryClusterer::new(window_of_ten_days()), &older));
    // One article of 120 days later comes first: every story of the first era lies far outside its window.
    let mut late_first = vec![newer.last().unwrap().clone()];
    late_first.extend(older.iter().cloned());
    let mut clusterer = StoryClusterer::new(window_of_ten_days());
    let mut after = partition(&run(&mut clusterer, &late_first));
    after.retain(|units| !units[0].starts_with("e3-"));
    assert!(alone.len() < older.len() / 2, "{} stories", alone.len());
    assert_eq!(after, alone);
    assert_eq!(
        clusterer.open_story_count(),
        1,
        "only the late article's story is open"
    );
}

/// BCubed F1 of the stories against the generator's ("e0-s3-m1" is member 1 of story 3 of era 0).
fn bcubed_f1(stories: &BTreeSet<Vec<String>>) -> f64 {
    let (mut predicted, mut gold) = (Vec::new(), Vec::new());
    for (i, units) in stories.iter().enumerate() {
        for unit in units {
            predicted.push(i);
            gold.push(unit.rsplit_once('-').unwrap().0.to_owned());
        }
    }
    crate::eval::bcubed(&predicted, &gold).f1
}

/// The stream with its days (or its eras of 40 days) in a shuffled order, each day's articles in their order.
fn shuffled(articles: &[Article], key: impl Fn(&Article) -> String, seed: u64) -> Vec<Article> {
    let mut groups: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    for article in articles {
        groups
            .entry(key(article))
            .or_default()
            .push(article.clone());
    }
    let mut groups: Vec<Vec<Article>> = groups.into_values().collect();
    let mut rng = Rng(seed);
    for i in (1..groups.len()).rev() {
        groups.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let out: Vec<Article> = groups.into_iter().flatten().collect();
    assert_ne!(
        out.iter().map(|a| &a.id).collect::<Vec<_>>(),
        articles.iter().map(|a| &a.id).collect::<Vec<_>>()
    );
    out
}

#[test]
fn issue_13_periods_backfilled_out_of_order_are_clustered_as_in_date_order() {
    // Eras 40 days apart, each in date order, the eras in a shuffled order, so each era but the first arrives
    // after newer ones. No story spans two eras, and the stories are as good as date order's: they differ only
    // where document frequencies (learnt from what came before) tip a join between sister stories of one era.
    let in_order = stream(4, 40);
    let eras = shuffled(&in_order, |a| a.id.0[..2].to_owned(), 5);
    let expected = partition(&run(
        &mut StoryClusterer::new(window_of_ten_days()),
        &in_order,
    ));
    let got = partition(&run(&mut StoryClusterer::new(window_of_ten_days()), &eras));
    assert!(
        got.iter()
            .all(|units| units.iter().all(|u| u[..2] == units[0][..2]))
    );
    let (f_order, f_eras) = (bcubed_f1(&expected), bcubed_f1(&got));
    eprintln!(
        "date order: {} stories, F1 {f_order:.4}; eras shuffled: {} stories, F1 {f_eras:.4}",
        expected.len(),
        got.len()
    );
    assert!(expected.len() > 80, "{} stories", expected.len());
    assert!(f_eras >= f_order - 0.02, "{f_eras} against {f_order}");
    assert!(got.len() <= expected.len() + expected.len() / 10);
}

#[test]
fn issue_13_a_stream_shuffled_by_days_is_clustered_as_well_as_in_date_order() {
    // Within the window, the order of arrival decides which early reports meet, so the stories need not be the
    // same ones; none is shattered, and the quality against the generator's stories is that of date order.
    let in_order = stream(3, 40);
    let days = shuffled(&in_order, |a| format!("{:?}", a.date), 11);
    let expected = partition(&run(
        &mut StoryClusterer::new(window_of_ten_days()),
        &in_order,
    ));
    let got = partition(&run(&mut StoryClusterer::new(window_of_ten_days()), &days));
    let (f_order, f_days) = (bcubed_f1(&expected), bcubed_f1(&got));
    eprintln!(
        "date order: {} stories, F1 {f_order:.4}; shuffled by days: {} stories, F1 {f_days:.4}",
        expected.len(),
        got.len()
    );
    assert!(f_days >= f_order - 0.02, "{f_days} against {f_order}");
    assert!(got.len() <= expected.len() + expected.len() / 10);
}
