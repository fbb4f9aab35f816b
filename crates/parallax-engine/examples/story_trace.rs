//! Traces story assignment over a labelled JSON Lines file, for finding out why a clustering goes wrong: each
//! article in the order the evaluation assigns it, the story it went to, whether that agrees with the gold labels
//! seen so far, its three best candidate stories with their scores and the gold labels they hold, and every merge
//! that refinement made.
//!
//! ```text
//! cargo run --release -p parallax-engine --example story_trace -- \
//!     ../shared/datasets/ecbplus-train-dev.jsonl event '^ecb(2|5|12|18|21|23|34|35)[ab]$' [settings.json]
//! ```
//!
//! Each article's line ends in one of: `opens` (a new story, and no earlier article has its gold label),
//! `joins` (a story holding its gold label), `SPLIT` (a new story though earlier articles have its gold label),
//! `WRONG` (a story without its gold label). Candidate lines give the score and its main parts: word, anchor and
//! headline cosines, anchor coverage both ways, the gap in days, and the year and counted-things evidence. After
//! a SPLIT or WRONG whose event's main story was not scored at all, a line says whether that story had closed
//! (the time window) or was held but not offered by the candidate index. At
//! the end, each story of one or two units still held is listed with its three best matches, story against
//! story.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::process::ExitCode;

use parallax_engine::cluster::{ClusterConfig, Decision, StoryClusterer, StoryScore};
use parallax_engine::eval::{publication_order, read_labelled_jsonl};
use parallax_model::StoryId;

/// Gold labels and how many articles hold each, per story id.
type GoldByStory = BTreeMap<String, BTreeMap<String, u32>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, gold_field, only, rest @ ..] = args.as_slice() else {
        eprintln!("usage: story_trace FILE.jsonl GOLD_FIELD ONLY_REGEX [SETTINGS.json]");
        return ExitCode::from(2);
    };
    let only = match regex::Regex::new(only) {
        Ok(re) => re,
        Err(e) => {
            eprintln!("story_trace: bad pattern: {e}");
            return ExitCode::from(2);
        }
    };
    let config = match rest.first() {
        Some(settings) => match std::fs::read_to_string(settings)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
        {
            Ok(config) => config,
            Err(e) => {
                eprintln!("story_trace: bad settings in {settings}: {e}");
                return ExitCode::from(2);
            }
        },
        None => ClusterConfig::default(),
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("story_trace: cannot open {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (articles, _) = read_labelled_jsonl(path, &mut BufReader::new(file));
    let labelled: Vec<_> = articles
        .iter()
        .filter_map(|a| match a.attributes.get(gold_field) {
            Some(serde_json::Value::String(s)) if only.is_match(s) => Some((a, s.clone())),
            _ => None,
        })
        .collect();
    let order = publication_order(labelled.iter().map(|(a, _)| *a));
    let mut clusterer = StoryClusterer::new(config);
    let mut gold_of: GoldByStory = BTreeMap::new();
    for &i in &order {
        let (article, gold) = &labelled[i];
        let mut candidates = Vec::new();
        let mut scored_ids = Vec::new();
        let assignment =
            clusterer.assign_prepared_with(clusterer.prepare(article), &mut |unit, scored| {
                scored_ids.extend(scored.iter().map(|(id, _)| id.to_string()));
                let mut scored = scored.to_vec();
                scored.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
                for (id, s) in scored.iter().take(3) {
                    candidates.push(format!("    {unit} -> {}", describe(*id, s, &gold_of)));
                }
                Decision::Best
            });
        let story = assignment
            .story()
            .map(|s| s.to_string())
            .unwrap_or_default();
        let seen_before = gold_of.values().any(|golds| golds.contains_key(gold));
        let mark = match gold_of.get(&story) {
            Some(golds) if golds.contains_key(gold) => "joins",
            Some(_) => "WRONG",
            None if seen_before => "SPLIT",
            None => "opens",
        };
        let title: String = article.title.chars().take(70).collect();
        println!("{} {gold} -> {story} {mark} | {title}", article.id.0);
        for line in candidates {
            println!("{line}");
        }
        if mark == "SPLIT" || mark == "WRONG" {
            // Where the story holding most of this article's event was not even scored: closed by the time
            // window, or held but not offered by the candidate index.
            let home = gold_of
                .iter()
                .filter_map(|(id, golds)| golds.get(gold).map(|&n| (n, id)))
                .max()
                .map(|(_, id)| id.clone());
            if let Some(home) = home.filter(|h| !scored_ids.contains(h)) {
                let held = clusterer
                    .held_stories()
                    .iter()
                    .any(|(id, _)| id.to_string() == home);
                let why = if held {
                    "held, not a candidate"
                } else {
                    "closed"
                };
                println!("    its event's story {home} was not scored: {why}");
            }
        }
        for merge in &assignment.merged {
            let from = gold_of.remove(&merge.from.to_string()).unwrap_or_default();
            println!("  MERGE {} {from:?} into {}", merge.from, merge.into);
            let into = gold_of.entry(merge.into.to_string()).or_default();
            for (label, n) in from {
                *into.entry(label).or_default() += n;
            }
        }
        *gold_of
            .entry(story)
            .or_default()
            .entry(gold.clone())
            .or_default() += 1;
    }
    let held = clusterer.held_stories();
    // The stories of one or two units still held at the end, each with its three best matches as refinement
    // scores them: what kept a stray report out of its event's story.
    println!("== small stories at the end, against every story held");
    for &(small, units) in &held {
        if units > 2 {
            continue;
        }
        let mut scored: Vec<_> = held
            .iter()
            .filter_map(|&(other, _)| clusterer.compare_stories(small, other).map(|s| (other, s)))
            .collect();
        scored.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        println!(
            "{small} {:?}",
            gold_of.get(&small.to_string()).cloned().unwrap_or_default()
        );
        for (id, s) in scored.iter().take(3) {
            println!("    -> {}", describe(*id, s, &gold_of));
        }
    }
    ExitCode::SUCCESS
}

/// One candidate story as the trace shows it: its id, the gold labels it holds, the score and its main parts.
fn describe(id: StoryId, s: &StoryScore, gold_of: &GoldByStory) -> String {
    format!(
        "{id} {:?} score {:.3} words {:.2} anchors {:.2} headlines {:.2} coverage {:.2}/{:.2} gap {:?} \
         years {}/{} counts {}/{}",
        gold_of.get(&id.to_string()).cloned().unwrap_or_default(),
        s.score,
        s.words,
        s.anchors,
        s.headlines,
        s.unit_anchors_found,
        s.story_anchors_found,
        s.gap_days,
        s.years_shared,
        s.years_conflict,
        s.counts_shared,
        s.counts_conflict,
    )
}
