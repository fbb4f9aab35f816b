//! Story clustering against gold event labels: BCubed and pairwise precision, recall and F1.
//!
//! BCubed (Bagga & Baldwin 1998) scores each article: precision is the share of its story that shares its gold
//! event, recall the share of its gold event that shares its story, both averaged over articles. Pairwise
//! ("standard") scores count article pairs put together by Parallax and by the gold labels.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use parallax_model::Article;
use regex::Regex;
use serde::Serialize;

use super::Prf;
use crate::cluster::{
    ClusterConfig, Decision, PreparedArticle, StoryClusterer, StoryScore, publication_day,
};
use crate::embed::Encoder;

/// BCubed precision, recall and F1 of a clustering against gold labels, one label per item in each slice.
pub fn bcubed<P: Ord, G: Ord>(predicted: &[P], gold: &[G]) -> Prf {
    let n = predicted.len().min(gold.len());
    if n == 0 {
        return Prf::default();
    }
    let mut cluster_size: BTreeMap<&P, usize> = BTreeMap::new();
    let mut gold_size: BTreeMap<&G, usize> = BTreeMap::new();
    let mut both: BTreeMap<(&P, &G), usize> = BTreeMap::new();
    for i in 0..n {
        *cluster_size.entry(&predicted[i]).or_default() += 1;
        *gold_size.entry(&gold[i]).or_default() += 1;
        *both.entry((&predicted[i], &gold[i])).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let shared = both[&(&predicted[i], &gold[i])] as f64;
        p += shared / cluster_size[&predicted[i]] as f64;
        r += shared / gold_size[&gold[i]] as f64;
    }
    Prf::new(p / n as f64, r / n as f64)
}

/// Pairwise precision, recall and F1: over all pairs of items, those put together versus those that belong
/// together. A clustering of singletons against singletons scores 1.
pub fn pairwise<P: Ord, G: Ord>(predicted: &[P], gold: &[G]) -> Prf {
    let n = predicted.len().min(gold.len());
    let mut cluster_size: BTreeMap<&P, usize> = BTreeMap::new();
    let mut gold_size: BTreeMap<&G, usize> = BTreeMap::new();
    let mut both: BTreeMap<(&P, &G), usize> = BTreeMap::new();
    for i in 0..n {
        *cluster_size.entry(&predicted[i]).or_default() += 1;
        *gold_size.entry(&gold[i]).or_default() += 1;
        *both.entry((&predicted[i], &gold[i])).or_default() += 1;
    }
    let (predicted_pairs, gold_pairs, true_pairs) = (
        pairs(cluster_size.values()),
        pairs(gold_size.values()),
        pairs(both.values()),
    );
    let precision = if predicted_pairs > 0.0 {
        true_pairs / predicted_pairs
    } else {
        1.0
    };
    let recall = if gold_pairs > 0.0 {
        true_pairs / gold_pairs
    } else {
        1.0
    };
    Prf::new(precision, recall)
}

fn pairs<'a>(sizes: impl Iterator<Item = &'a usize>) -> f64 {
    sizes.map(|&c| (c * c.saturating_sub(1) / 2) as f64).sum()
}

/// Which articles of a file an evaluation uses and how it runs.
#[derive(Debug, Clone, Default)]
pub struct StoriesEvalOptions {
    /// The attribute holding the gold story label ("event").
    pub gold_field: String,
    /// Keep only articles whose gold label matches this pattern (for example the dev topics of ECB+).
    pub only: Option<Regex>,
    /// The clustering settings; the default configuration unless a user experiments.
    pub config: ClusterConfig,
    /// The optional dense backend ([`crate::embed`]).
    pub encoder: Option<Arc<Encoder>>,
    /// When set, the articles arrive with their publication days in an order shuffled by this seed (each day's
    /// articles in publication order): how the stories hold up when news arrives out of date order.
    pub shuffle_days: Option<u64>,
    /// Which level is scored against the gold labels: stories (one event each) or storylines (the stories of one
    /// developing situation).
    pub level: Level,
}

/// The level of grouping an evaluation scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Stories: one event and what closely follows it.
    #[default]
    Story,
    /// Storylines: the stories of one developing situation over weeks and months.
    Storyline,
}

/// The outcome of `parallax eval stories`.
#[derive(Debug, Clone, Serialize)]
pub struct StoriesReport {
    /// The level scored: `stories`, `bcubed`, `pairwise` and the assignments are of this level.
    pub level: Level,
    /// Articles scored (those with a gold label, after the filter).
    pub articles: usize,
    /// Articles skipped for want of a gold label.
    pub unlabelled: usize,
    /// Distinct gold events.
    pub gold_stories: usize,
    /// Stories Parallax formed (storylines at the storyline level).
    pub stories: usize,
    /// BCubed scores.
    pub bcubed: Prf,
    /// Pairwise scores.
    pub pairwise: Prf,
    /// Articles marked as near-duplicates of another.
    pub near_duplicates: usize,
    /// Seconds spent clustering (features, dedup and assignment), reading excluded.
    pub seconds: f64,
    /// Each article's id and the story Parallax put it in (the story of its first section for an article with
    /// several items).
    pub assignments: BTreeMap<String, String>,
    /// For articles with several items: `ARTICLE#N` and the story of section N.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub section_assignments: BTreeMap<String, String>,
}

/// Why a file cannot be scored: it holds no article with a gold label (after the filter), so any score would be
/// a score of nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoLabelledArticles {
    /// Articles read.
    pub articles: usize,
    /// Of them, articles without the gold label.
    pub unlabelled: usize,
    /// The key that was looked for.
    pub gold_field: String,
}

impl std::fmt::Display for NoLabelledArticles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no article to score: {} read, {} without a `{}` label, none left after the filter",
            self.articles, self.unlabelled, self.gold_field
        )
    }
}

impl std::error::Error for NoLabelledArticles {}

/// Clusters the labelled articles in publication order and scores the stories against the gold labels. An input
/// with no labelled article left to score is an error, not a score.
pub fn evaluate_stories(
    articles: &[Article],
    options: &StoriesEvalOptions,
) -> Result<StoriesReport, NoLabelledArticles> {
    let mut labelled: Vec<(&Article, String)> = Vec::new();
    let mut unlabelled = 0;
    for article in articles {
        let label = match article.attributes.get(&options.gold_field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => {
                unlabelled += 1;
                continue;
            }
            Some(other) => other.to_string(),
        };
        if options.only.as_ref().is_some_and(|re| !re.is_match(&label)) {
            continue;
        }
        labelled.push((article, label));
    }
    if labelled.is_empty() {
        return Err(NoLabelledArticles {
            articles: articles.len(),
            unlabelled,
            gold_field: options.gold_field.clone(),
        });
    }
    let mut order = publication_order(labelled.iter().map(|(a, _)| *a));
    if let Some(seed) = options.shuffle_days {
        order = shuffled_by_days(order, |i| publication_day(labelled[i].0), seed);
    }
    let started = Instant::now();
    let mut clusterer = new_clusterer(options);
    let prepared = prepare_in_order(&clusterer, order.iter().map(|&i| labelled[i].0));
    let mut predicted = vec![String::new(); labelled.len()];
    let mut assignments = BTreeMap::new();
    let mut section_assignments = BTreeMap::new();
    let mut near_duplicates = 0;
    let mut merged_into: BTreeMap<String, String> = BTreeMap::new();
    let storylines = options.level == Level::Storyline;
    let index_of: BTreeMap<&str, usize> = labelled
        .iter()
        .enumerate()
        .map(|(i, (a, _))| (a.id.0.as_str(), i))
        .collect();
    for (&i, prepared) in order.iter().zip(prepared) {
        let assignment = clusterer.assign_prepared(prepared);
        if storylines {
            for link in &assignment.linked {
                merged_into.insert(link.from.to_string(), link.into.to_string());
            }
        } else {
            for merge in &assignment.merged {
                merged_into.insert(merge.from.to_string(), merge.into.to_string());
            }
        }
        near_duplicates += usize::from(assignment.duplicate_of.is_some());
        let group = |unit: &parallax_model::UnitAssignment| {
            if storylines {
                unit.storyline.to_string()
            } else {
                unit.story.to_string()
            }
        };
        let story = assignment.units.first().map(group).unwrap_or_default();
        for unit in &assignment.units {
            if unit.unit.section.is_some() {
                section_assignments.insert(unit.unit.to_string(), group(unit));
            }
        }
        assignments.insert(labelled[i].0.id.0.clone(), story.clone());
        predicted[i] = story;
        // Repair moved units out of their stories: each now belongs to the story it opened.
        for moved in &assignment.moved {
            let to = if storylines {
                moved.storyline.to_string()
            } else {
                moved.to.to_string()
            };
            if moved.unit.section.is_some() {
                section_assignments.insert(moved.unit.to_string(), to.clone());
            }
            if moved.unit.section.unwrap_or(0) == 0
                && let Some(&at) = index_of.get(moved.unit.article.0.as_str())
            {
                assignments.insert(moved.unit.article.0.clone(), to.clone());
                predicted[at] = to;
            }
        }
    }
    // Refinement may have merged stories (or joined storylines) since an article was assigned: follow each to the
    // one holding it now (a merge always goes to an older id, so the chains end).
    let settle = |story: &mut String| {
        while let Some(into) = merged_into.get(story.as_str()) {
            *story = into.clone();
        }
    };
    predicted.iter_mut().for_each(settle);
    assignments.values_mut().for_each(settle);
    section_assignments.values_mut().for_each(settle);
    let seconds = started.elapsed().as_secs_f64();
    let gold: Vec<&str> = labelled.iter().map(|(_, g)| g.as_str()).collect();
    let mut distinct_gold = gold.clone();
    distinct_gold.sort_unstable();
    distinct_gold.dedup();
    let mut distinct_predicted = predicted.clone();
    distinct_predicted.sort_unstable();
    distinct_predicted.dedup();
    Ok(StoriesReport {
        level: options.level,
        articles: labelled.len(),
        unlabelled,
        gold_stories: distinct_gold.len(),
        stories: distinct_predicted.len(),
        bcubed: bcubed(&predicted, &gold),
        pairwise: pairwise(&predicted, &gold),
        near_duplicates,
        seconds,
        assignments,
        section_assignments,
    })
}

/// One training example for the score model: a unit's scores against one candidate story, and whether the story
/// is the unit's gold event.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingRow {
    /// The unit.
    pub unit: String,
    /// The unit's gold label.
    pub gold: String,
    /// The scores against the candidate.
    pub scores: StoryScore,
    /// True when the candidate story is the unit's gold event.
    pub same: bool,
}

/// Streams the labelled articles in publication order as an oracle would cluster them (each joins the story of
/// its gold event) and records every unit's scores against every candidate story: the data the score model's
/// weights are fitted on. Only ever run on training topics.
pub fn training_rows(articles: &[Article], options: &StoriesEvalOptions) -> Vec<TrainingRow> {
    let labelled: Vec<(&Article, String)> = articles
        .iter()
        .filter_map(|a| match a.attributes.get(&options.gold_field) {
            Some(serde_json::Value::String(s)) => Some((a, s.clone())),
            _ => None,
        })
        .filter(|(_, g)| options.only.as_ref().is_none_or(|re| re.is_match(g)))
        .collect();
    let order = publication_order(labelled.iter().map(|(a, _)| *a));
    let mut clusterer = new_clusterer(options);
    let prepared = prepare_in_order(&clusterer, order.iter().map(|&i| labelled[i].0));
    let mut story_of_gold: BTreeMap<String, parallax_model::StoryId> = BTreeMap::new();
    let mut gold_of_story: BTreeMap<parallax_model::StoryId, String> = BTreeMap::new();
    let mut rows = Vec::new();
    for (&i, prepared) in order.iter().zip(prepared) {
        let gold = labelled[i].1.clone();
        let assignment = clusterer.assign_prepared_with(prepared, &mut |unit, scored| {
            for (id, scores) in scored {
                rows.push(TrainingRow {
                    unit: unit.to_string(),
                    gold: gold.clone(),
                    scores: *scores,
                    same: gold_of_story.get(id) == Some(&gold),
                });
            }
            match story_of_gold.get(&gold) {
                Some(&id) => Decision::Join(id),
                None => Decision::Open,
            }
        });
        for unit in &assignment.units {
            story_of_gold.entry(gold.clone()).or_insert(unit.story);
            gold_of_story.entry(unit.story).or_insert(gold.clone());
        }
    }
    rows
}

fn new_clusterer(options: &StoriesEvalOptions) -> StoryClusterer {
    let mut clusterer = StoryClusterer::new(options.config.clone());
    if let Some(encoder) = &options.encoder {
        clusterer.set_encoder(encoder.clone());
    }
    clusterer
}

/// Prepares articles on every core, keeping their order (preparing depends on nothing but the article and the
/// settings, so assigning the results in order is the same as assigning the articles).
fn prepare_in_order<'a>(
    clusterer: &StoryClusterer,
    articles: impl Iterator<Item = &'a Article>,
) -> Vec<PreparedArticle> {
    let articles: Vec<&Article> = articles.collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    crate::threads::map_in_order(&articles, threads, |article| clusterer.prepare(article))
}

/// The indices in `order` with their days in a shuffled order (SplitMix64 from `seed`, Fisher-Yates), each day's
/// indices kept in their order; an undated index stays with the day before it.
fn shuffled_by_days(
    order: Vec<usize>,
    day: impl Fn(usize) -> Option<i32>,
    seed: u64,
) -> Vec<usize> {
    let mut days: Vec<Vec<usize>> = Vec::new();
    let mut current: Option<Option<i32>> = None;
    for i in order {
        let d = day(i);
        if days.is_empty() || (d.is_some() && current != Some(d)) {
            days.push(Vec::new());
            current = Some(d);
        }
        days.last_mut().expect("pushed").push(i);
    }
    let mut state = seed;
    let mut below = |n: usize| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    };
    for i in (1..days.len()).rev() {
        days.swap(i, below(i + 1));
    }
    days.into_iter().flatten().collect()
}

/// The order in which a stream of articles is assigned: by publication day where known (the given date, else a
/// date line at the top of the text); an undated article stays right after the article it followed in the input,
/// so it neither jumps to the start nor to the end of the stream. Ties keep input order.
pub fn publication_order<'a>(articles: impl IntoIterator<Item = &'a Article>) -> Vec<usize> {
    let mut keys: Vec<(i32, usize)> = Vec::new();
    let mut previous = i32::MIN;
    for (i, article) in articles.into_iter().enumerate() {
        if let Some(day) = publication_day(article) {
            previous = day;
        }
        keys.push((previous, i));
    }
    keys.sort();
    keys.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        predicted: &[u32],
        gold: &[&str],
        expect_bcubed: (f64, f64),
        expect_pairwise: (f64, f64),
    ) {
        let b = bcubed(predicted, gold);
        let p = pairwise(predicted, gold);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(
            close(b.precision, expect_bcubed.0) && close(b.recall, expect_bcubed.1),
            "{b:?}"
        );
        assert!(
            close(p.precision, expect_pairwise.0) && close(p.recall, expect_pairwise.1),
            "{p:?}"
        );
    }

    fn read(lines: &str) -> (Vec<Article>, Vec<parallax_model::Reject>) {
        crate::eval::read_labelled_jsonl("t.jsonl", &mut lines.as_bytes())
    }

    #[test]
    fn issue_13_records_without_a_title_are_read_as_ingest_reads_them() {
        let (articles, rejects) = read(concat!(
            r#"{"title": null, "text": "Storm hits the coast. Thousands without power.", "event": "a"}"#,
            "\n",
            r#"{"text": "Storm hits the coast again.", "date": null, "event": "a"}"#,
            "\n",
            r#"{"title": "No text", "text": null, "event": "b"}"#,
            "\n",
        ));
        assert_eq!(articles.len(), 2, "{rejects:?}");
        assert_eq!(rejects.len(), 1);
        assert_eq!(rejects[0].reason, "no text");
        assert_eq!(articles[0].title, "Storm hits the coast.");
        assert_eq!(
            articles[0].provenance["title"],
            parallax_model::FieldSource::Derived
        );
        let options = StoriesEvalOptions {
            gold_field: "event".into(),
            ..StoriesEvalOptions::default()
        };
        let report = evaluate_stories(&articles, &options).unwrap();
        assert_eq!(report.articles, 2);
    }

    #[test]
    fn issue_13_a_file_with_nothing_to_score_is_an_error() {
        let (articles, _) = read(r#"{"title": "x", "text": "Some text.", "other": "a"}"#);
        let options = StoriesEvalOptions {
            gold_field: "event".into(),
            ..StoriesEvalOptions::default()
        };
        let error = evaluate_stories(&articles, &options).unwrap_err();
        assert_eq!(error.unlabelled, 1);
        assert!(error.to_string().contains("no article to score"));
        assert!(evaluate_stories(&[], &options).is_err());
    }

    #[test]
    fn scores_by_the_published_definitions() {
        check(&[1, 1, 2, 2], &["a", "a", "b", "b"], (1.0, 1.0), (1.0, 1.0));
        // Everything in one story: each article's story holds 2 of 4 of its event.
        check(
            &[1, 1, 1, 1],
            &["a", "a", "b", "b"],
            (0.5, 1.0),
            (2.0 / 6.0, 1.0),
        );
        // All singletons: recall per article is 1/2.
        check(&[1, 2, 3, 4], &["a", "a", "b", "b"], (1.0, 0.5), (1.0, 0.0));
        // One article misplaced: article 3 sits with a, a.
        check(
            &[1, 1, 1, 2],
            &["a", "a", "b", "b"],
            (
                (2.0 / 3.0 * 2.0 + 1.0 / 3.0 + 1.0) / 4.0,
                (1.0 + 1.0 + 0.5 + 0.5) / 4.0,
            ),
            (1.0 / 3.0, 0.5),
        );
    }
}
