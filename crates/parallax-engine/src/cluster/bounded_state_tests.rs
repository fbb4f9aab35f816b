//! The clusterer's state stays bounded by the time window, and closing stories changes no assignment.

use chrono::NaiveDate;
use parallax_model::{Article, Assignment, PubDate};

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

/// Small caps, so posting lists overflow and the candidate bound bites, and a 10-day window.
fn tight() -> ClusterConfig {
    ClusterConfig {
        max_gap_days: 10,
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
    // Twice the stream, about the same state: only the last era's stories, texts and postings are held.
    assert!(
        end.0 <= 40 && end.0 * 3 < clusterer.story_count(),
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
