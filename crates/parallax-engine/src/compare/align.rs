//! Statements of different sources grouped by what they say.
//!
//! Candidate pairs come from an inverted index over the statements' keys (content terms, names, numbers), skipping
//! keys so common in the story that they say nothing, so a story of a thousand articles is not scored pair by pair.
//! Pairs the model calls the same are joined best first, and a group never takes two statements of one source: a
//! source that repeats a fact does not make it "reported by several", and one loose pair cannot chain two
//! different facts together through a third.

use std::collections::{BTreeSet, HashMap};

use super::groups::Groups;

use parallax_model::{Statement, StatementGroup, TextSpan};

use super::similarity::SimilarityModel;
use super::statements::StoryStatement;

/// At most this many candidates are scored for each statement: the ones sharing the most rare keys with it.
const MAX_CANDIDATES: usize = 40;

/// A key found in more statements than this share of the story's, and in more than `MIN_COMMON`, is not used to
/// find candidates.
const COMMON_SHARE: f32 = 0.2;
const MIN_COMMON: usize = 12;

/// Keys in more statements than this are never used to find candidates, whatever the story's size: a name in
/// every other sentence of a thousand articles finds nothing the rarer keys of a statement do not.
const MAX_POSTING: usize = 300;

/// The pairs among `items` (indices into `statements`) worth scoring, each once, `(i, j)` with `i < j` as
/// positions in `items`, of statements of different sources.
fn candidate_pairs(statements: &[StoryStatement], items: &[usize]) -> Vec<(usize, usize)> {
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, &s) in items.iter().enumerate() {
        for key in statements[s].features.keys() {
            postings.entry(key).or_default().push(i);
        }
    }
    let common = ((items.len() as f32 * COMMON_SHARE) as usize).clamp(MIN_COMMON, MAX_POSTING);
    let mut pairs = Vec::new();
    let mut shared: HashMap<usize, u32> = HashMap::new();
    for (i, &s) in items.iter().enumerate() {
        let unit = statements[s].view;
        shared.clear();
        for key in statements[s].features.keys() {
            let Some(list) = postings.get(key) else {
                continue;
            };
            if list.len() > common {
                continue;
            }
            for &j in list {
                if j > i && statements[items[j]].view != unit {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        let mut best: Vec<(u32, usize)> = shared.iter().map(|(&j, &n)| (n, j)).collect();
        best.sort_unstable_by(|a, b| b.cmp(a));
        pairs.extend(best.into_iter().take(MAX_CANDIDATES).map(|(_, j)| (i, j)));
    }
    pairs
}

/// A statement's words as compared for exact repeats: lower case, letters and digits only.
pub(crate) fn repeat_key(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The score two statements get when they tell the same interaction between the same named actors (a meeting of
/// the same two people): as sure as the most similar wording.
const SAME_EVENT: f32 = 0.9;

/// How likely two statements say the same thing: the model's score, or [`SAME_EVENT`] when they tell one event.
fn pair_score(a: &StoryStatement, b: &StoryStatement, model: &SimilarityModel) -> f32 {
    let score = model.score(&a.features, &b.features);
    if a.events.iter().any(|e| b.events.contains(e)) {
        score.max(SAME_EVENT)
    } else {
        score
    }
}

/// Groups the statements, marks each group's reach among `source_count` sources, and orders the groups as the
/// story tells them (by the earliest unit that makes each, then by place in its text). A group holds at most one
/// statement of each unit: a source's follow-up that repeats its first report joins the fact, but one article
/// cannot chain two of its own sentences into one.
pub(crate) fn align(
    statements: &[StoryStatement],
    source_count: usize,
    model: &SimilarityModel,
) -> Vec<StatementGroup> {
    // Group first: the same words in several sources (a wire story carried whole, a quote repeated) are one
    // group before anything is scored, so a story of a thousand articles scores its distinct statements only.
    let mut groups = Groups::of_repeats(
        statements
            .iter()
            .map(|s| (repeat_key(&s.statement.span.text), s.view)),
    );
    let representatives = groups.representatives();
    let mut scored: Vec<(f32, usize, usize)> = candidate_pairs(statements, &representatives)
        .into_iter()
        .filter_map(|(i, j)| {
            let (i, j) = (representatives[i], representatives[j]);
            let score = pair_score(&statements[i], &statements[j], model);
            (score >= model.threshold).then_some((score, i, j))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    // The lowest score that joined each group.
    let mut confidence: Vec<f32> = vec![1.0; statements.len()];
    for (score, i, j) in scored {
        if let Some((a, b)) = groups.joinable(i, j) {
            groups.merge(a, b);
            confidence[a] = confidence[a].min(confidence[b]).min(score);
        }
    }

    let sources_with_statements = {
        let mut seen: Vec<usize> = statements.iter().map(|s| s.statement.source).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len().max(1).min(source_count.max(1))
    };
    // Which sources use each key anywhere in the story.
    let mut used_by: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for s in statements {
        for key in s.features.keys() {
            used_by.entry(key).or_default().insert(s.statement.source);
        }
    }
    let mut ordered: Vec<((usize, usize), StatementGroup)> = groups
        .into_groups()
        .map(|(g, mut m)| {
            m.sort_by_key(|&i| {
                let s = &statements[i];
                (s.statement.source, s.view, s.statement.span.start)
            });
            let order = m
                .iter()
                .map(|&i| (statements[i].view, statements[i].statement.span.start))
                .min()
                .unwrap_or_default();
            let mut sources: Vec<usize> =
                m.iter().map(|&i| statements[i].statement.source).collect();
            sources.dedup();
            let reach = super::reach(sources.len(), sources_with_statements);
            // A group is background when most of its statements are.
            let background = m
                .iter()
                .filter(|&&i| statements[i].statement.background)
                .count()
                * 2
                > m.len();
            let mut members: Vec<Statement> =
                m.iter().map(|&i| statements[i].statement.clone()).collect();
            if members.len() > 1 {
                for k in 0..members.len() {
                    let others: Vec<&str> = members
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != k)
                        .map(|(_, s)| s.span.text.as_str())
                        .collect();
                    members[k].only_here = details_only_here(&members[k].span, &others);
                }
            }
            let novelty = novelty(&m, statements, &used_by);
            let group = StatementGroup {
                reach,
                sources,
                background,
                statements: members,
                confidence: confidence[g],
                novelty,
            };
            (order, group)
        })
        .collect();
    ordered.sort_by_key(|(order, _)| *order);
    ordered.into_iter().map(|(_, g)| g).collect()
}

/// The runs of capitalised words (not opening the statement) and the numbers in `span` of which no word appears in
/// any of `others`: the names and figures only this wording gives.
fn details_only_here(span: &TextSpan, others: &[&str]) -> Vec<TextSpan> {
    let others: Vec<String> = others.iter().map(|o| o.to_lowercase()).collect();
    let known = |word: &str| {
        let lower = word.to_lowercase();
        others.iter().any(|o| {
            o.match_indices(&lower).any(|(at, _)| {
                let before = o[..at].chars().next_back();
                let after = o[at + lower.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
    };
    let text = span.text.as_str();
    let words = crate::cluster::terms::tokens(text);
    let mut out: Vec<TextSpan> = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    let flush = |run: &mut Option<(usize, usize)>, out: &mut Vec<TextSpan>| {
        if let Some((start, end)) = run.take() {
            out.push(TextSpan::of(text, start, end).shifted(span.start));
        }
    };
    for (i, token) in words.iter().enumerate() {
        let start = token.text.as_ptr() as usize - text.as_ptr() as usize;
        let end = start + token.text.len();
        let first = token.text.chars().next().unwrap_or(' ');
        let detail =
            (first.is_uppercase() && i > 0 && !token.sentence_start) || first.is_ascii_digit();
        let new = detail && !known(token.text);
        if !new || token.after_break {
            flush(&mut run, &mut out);
        }
        if new {
            run = Some(run.map_or((start, end), |(s, _)| (s, end)));
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The share of the keys of a group's statements that no source outside the group uses in the story.
fn novelty(
    members: &[usize],
    statements: &[StoryStatement],
    used_by: &HashMap<&str, BTreeSet<usize>>,
) -> f32 {
    let sources: BTreeSet<usize> = members
        .iter()
        .map(|&i| statements[i].statement.source)
        .collect();
    let keys: BTreeSet<&str> = members
        .iter()
        .flat_map(|&i| statements[i].features.keys())
        .collect();
    if keys.is_empty() {
        return 0.0;
    }
    let novel = keys
        .iter()
        .filter(|k| {
            used_by
                .get(*k)
                .is_none_or(|users| users.is_subset(&sources))
        })
        .count();
    novel as f32 / keys.len() as f32
}
