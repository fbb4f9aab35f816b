//! The same-statement decision against human paraphrase judgements: files in the form of the Microsoft Research
//! Paraphrase Corpus (tab-separated, a header line, then `label, id1, id2, sentence1, sentence2`).
//!
//! The metric is accuracy and F1 of the positive class of [`SimilarityModel::same`] with the shipped weights and
//! threshold, nothing fitted to the file scored. For an honest estimate on unseen pairs the report also gives
//! k-fold cross-validation: the weights and threshold are refitted on all folds but one and scored on that one,
//! and the counts are pooled. [`fit_paraphrase`] fits the model on a whole file, which is how the shipped
//! constants were made.
//!
//! Measured on `../shared/datasets/msrp/msr_paraphrase_train.txt` (4,076 pairs): see benches/README.md,
//! "Statement similarity".

use serde::Serialize;

use crate::compare::similarity::{
    PAIR_FEATURE_NAMES, PAIR_FEATURES, SimilarityModel, StatementFeatures, join_dense, logistic,
    pair_features,
};
use crate::embed::{Encoder, cosine};

/// Accuracy and positive-class scores of one set of decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Decisions {
    /// Pairs decided.
    pub pairs: usize,
    /// Share of pairs decided as labelled.
    pub accuracy: f64,
    /// Pairs called the same that are labelled the same, over all called the same.
    pub precision: f64,
    /// Pairs labelled the same that are called the same, over all labelled the same.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Decisions {
    /// The scores of decisions against labels, given as `(decided, labelled)` pairs.
    pub fn of(outcomes: impl IntoIterator<Item = (bool, bool)>) -> Self {
        let (mut tp, mut fp, mut fn_, mut tn) = (0usize, 0usize, 0usize, 0usize);
        for (decided, labelled) in outcomes {
            match (decided, labelled) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                (false, false) => tn += 1,
            }
        }
        let pairs = tp + fp + fn_ + tn;
        let prf = super::Prf::from_counts(tp, tp + fp, tp, tp + fn_);
        Decisions {
            pairs,
            accuracy: super::ratio(tp + tn, pairs),
            precision: prf.precision,
            recall: prf.recall,
            f1: prf.f1,
        }
    }
}

/// The outcome of `parallax eval paraphrase`.
#[derive(Debug, Clone, Serialize)]
pub struct ParaphraseReport {
    /// Share of pairs labelled the same (the all-positive answer's accuracy).
    pub positive_share: f64,
    /// The shipped model on the whole file.
    pub shipped: Decisions,
    /// The shipped threshold.
    pub threshold: f32,
    /// Refitted on all folds but one and scored on that one, pooled over the folds.
    pub cross_validated: Decisions,
    /// The number of folds.
    pub folds: usize,
    /// Lines that are not a labelled pair (the header included).
    pub skipped: usize,
}

/// One labelled pair.
struct LabelledPair {
    same: bool,
    /// The given model's score (its near-copy rule included).
    score: f32,
    features: [f32; PAIR_FEATURES],
    /// The cosine of the two sentences' dense vectors, with an encoder.
    cosine: Option<f32>,
}

/// A model fitted on a file: the within-language weights, intercept and threshold.
#[derive(Debug, Clone, Serialize)]
pub struct FittedSimilarity {
    /// Feature names, in order.
    pub names: Vec<&'static str>,
    /// Weights, in the order of `names`.
    pub weights: Vec<f32>,
    /// The intercept.
    pub bias: f32,
    /// The probability threshold that decides the file best.
    pub threshold: f32,
    /// The fitted model on the file it was fitted on.
    pub in_sample: Decisions,
    /// With an encoder: the weights of the sparse log-odds and of the cosine, and the intercept, that join them
    /// (the intercept moved so that `threshold` decides), and the joined model on the file.
    pub dense_within: Option<([f32; 3], Decisions)>,
}

impl FittedSimilarity {
    /// The constants as they are written in `compare/similarity.rs`.
    pub fn rust_constants(&self) -> String {
        let mut out = String::from("const WEIGHTS: [f32; PAIR_FEATURES] = [\n");
        for (name, w) in self.names.iter().zip(&self.weights) {
            out.push_str(&format!("    {w:.4}, // {name}\n"));
        }
        out.push_str("];\n");
        out.push_str(&format!("const BIAS: f32 = {:.4};\n", self.bias));
        out.push_str(&format!("const THRESHOLD: f32 = {:.4};\n", self.threshold));
        if let Some((joint, _)) = &self.dense_within {
            out.push_str(&format!(
                "const DENSE_WITHIN: [f32; 3] = [{:.4}, {:.4}, {:.4}];\n",
                joint[0], joint[1], joint[2]
            ));
        }
        out
    }
}

/// Reads an MSRP-form file: a header line, then tab-separated rows whose first field is the label (`1` the same,
/// `0` not) and whose last two are the sentences. A byte-order mark is ignored; rows that do not parse are
/// counted as skipped.
fn read_pairs(
    text: &str,
    language: Option<&str>,
    model: &SimilarityModel,
    encoder: Option<(&Encoder, usize)>,
) -> (Vec<LabelledPair>, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pairs = Vec::new();
    let mut skipped = 0;
    // With an encoder, every sentence is embedded first, in batches over the threads.
    let vectors: Option<std::collections::HashMap<&str, Vec<f32>>> =
        encoder.map(|(encoder, threads)| {
            let sentences: Vec<&str> = text
                .lines()
                .map(|l| l.trim_end_matches('\r').split('\t').collect::<Vec<_>>())
                .filter(|f| f.len() >= 3 && matches!(f[0].trim(), "0" | "1"))
                .flat_map(|f| [f[f.len() - 2], f[f.len() - 1]])
                .collect();
            let embedded = encoder.embed_all(&sentences, threads);
            sentences.into_iter().zip(embedded).collect()
        });
    for line in text.lines() {
        let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        let same = match fields.first().map(|f| f.trim()) {
            Some("1") => true,
            Some("0") => false,
            _ => {
                skipped += 1;
                continue;
            }
        };
        if fields.len() < 3 {
            skipped += 1;
            continue;
        }
        let (sa, sb) = (fields[fields.len() - 2], fields[fields.len() - 1]);
        let mut a = StatementFeatures::new(sa, language);
        let mut b = StatementFeatures::new(sb, language);
        if let Some(vectors) = &vectors {
            a = a.with_vector(vectors[sa].clone());
            b = b.with_vector(vectors[sb].clone());
        }
        let cosine = vectors
            .as_ref()
            .map(|vectors| cosine(&vectors[sa], &vectors[sb]));
        pairs.push(LabelledPair {
            same,
            score: model.score(&a, &b),
            features: pair_features(&a, &b),
            cosine,
        });
    }
    (pairs, skipped)
}

/// Scores the shipped model (or the one given) on an MSRP-form file, and estimates its accuracy on unseen pairs
/// by `folds`-fold cross-validation (fold of a pair: its row number modulo `folds`).
///
/// With an encoder, each sentence also carries its dense embedding, whose cosine joins the shipped model's score;
/// the cross-validated estimate refits the sparse weights only.
pub fn evaluate_paraphrase(
    text: &str,
    language: Option<&str>,
    model: &SimilarityModel,
    folds: usize,
    encoder: Option<(&Encoder, usize)>,
) -> ParaphraseReport {
    let (pairs, skipped) = read_pairs(text, language, model, encoder);
    let shipped = Decisions::of(pairs.iter().map(|p| (p.score >= model.threshold, p.same)));
    let folds = folds.max(2);
    let mut outcomes = Vec::with_capacity(pairs.len());
    for fold in 0..folds {
        let train: Vec<&LabelledPair> = pairs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, p)| p)
            .collect();
        let fitted = fit(&train);
        outcomes.extend(
            pairs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds == fold)
                .map(|(_, p)| (fitted.score(p) >= fitted.threshold, p.same)),
        );
    }
    ParaphraseReport {
        positive_share: super::ratio(pairs.iter().filter(|p| p.same).count(), pairs.len()),
        shipped,
        threshold: model.threshold,
        cross_validated: Decisions::of(outcomes),
        folds,
        skipped,
    }
}

/// Fits the within-language model on a whole MSRP-form file; with an encoder, also the join of its score with
/// the dense cosine.
pub fn fit_paraphrase(
    text: &str,
    language: Option<&str>,
    encoder: Option<(&Encoder, usize)>,
) -> FittedSimilarity {
    let (pairs, _) = read_pairs(text, language, &SimilarityModel::default(), encoder);
    fit(&pairs.iter().collect::<Vec<_>>())
}

impl FittedSimilarity {
    /// The sparse model's probability for a pair.
    fn sparse(&self, p: &LabelledPair) -> f32 {
        let weights: [f32; PAIR_FEATURES] = std::array::from_fn(|k| self.weights[k]);
        logistic(&weights, self.bias, &p.features)
    }

    /// The fitted model's score for a pair: the sparse probability, joined with the cosine where both are fitted.
    fn score(&self, p: &LabelledPair) -> f32 {
        let sparse = self.sparse(p);
        match (&self.dense_within, p.cosine) {
            (Some((joint, _)), Some(cosine)) => join_dense(joint, sparse, cosine),
            _ => sparse,
        }
    }
}

/// The L2 penalty on the weights (not the intercept): light, only to keep Newton's steps finite when features
/// are nearly collinear (the n-gram overlaps are).
const L2: f64 = 0.3;

/// Logistic regression by Newton's method, then the probability threshold that decides the training pairs best.
///
/// The weights are left free: held to monotone signs (more overlap never lowers the score) the fit loses three
/// points of accuracy on MSRP, whose pairs were sampled to differ by eight words or more, so that near-identical
/// sentences are outside its data; `SimilarityModel::score` treats near copies by a rule of its own.
fn fit(pairs: &[&LabelledPair]) -> FittedSimilarity {
    let mut fitted = decide(pairs, &fit_logistic(pairs, &[true; PAIR_FEATURES]));
    if pairs.iter().all(|p| p.cosine.is_some()) && !pairs.is_empty() {
        fitted.dense_within = Some(fit_dense_join(pairs, &fitted));
    }
    fitted
}

/// The logistic model over (the sparse model's log-odds, the cosine) fitted on the pairs, its intercept moved so
/// that the sparse model's threshold decides the joined score as well as the best threshold for it does.
fn fit_dense_join(pairs: &[&LabelledPair], sparse: &FittedSimilarity) -> ([f32; 3], Decisions) {
    let rows: Vec<([f64; 3], bool)> = pairs
        .iter()
        .map(|p| {
            let q = f64::from(sparse.sparse(p)).clamp(1e-6, 1.0 - 1e-6);
            (
                [
                    (q / (1.0 - q)).ln(),
                    f64::from(p.cosine.unwrap_or(0.0)),
                    1.0,
                ],
                p.same,
            )
        })
        .collect();
    let w = newton_logistic(&rows, 0.0);
    let joint = [w[0] as f32, w[1] as f32, w[2] as f32];
    let scored: Vec<(f32, bool)> = pairs
        .iter()
        .map(|p| {
            (
                join_dense(&joint, sparse.sparse(p), p.cosine.unwrap_or(0.0)),
                p.same,
            )
        })
        .collect();
    let best = best_threshold(scored.clone());
    let logit = |t: f32| {
        let t = t.clamp(1e-6, 1.0 - 1e-6);
        (t / (1.0 - t)).ln()
    };
    let joint = [
        joint[0],
        joint[1],
        joint[2] + logit(sparse.threshold) - logit(best),
    ];
    let decisions = Decisions::of(pairs.iter().map(|p| {
        (
            join_dense(&joint, sparse.sparse(p), p.cosine.unwrap_or(0.0)) >= sparse.threshold,
            p.same,
        )
    }));
    (joint, decisions)
}

/// Logistic regression by Newton's method over the active features (the others' weights stay 0); the intercept
/// is last.
fn fit_logistic(
    pairs: &[&LabelledPair],
    active: &[bool; PAIR_FEATURES],
) -> [f64; PAIR_FEATURES + 1] {
    const N: usize = PAIR_FEATURES + 1;
    let rows: Vec<([f64; N], bool)> = pairs
        .iter()
        .map(|p| {
            let x = std::array::from_fn(|k| {
                if k < PAIR_FEATURES {
                    if active[k] {
                        f64::from(p.features[k])
                    } else {
                        0.0
                    }
                } else {
                    1.0
                }
            });
            (x, p.same)
        })
        .collect();
    newton_logistic(&rows, L2)
}

/// Logistic regression of the labels on the rows by Newton's method, with an L2 penalty `l2` on every weight but
/// the last (the intercept, whose column is 1).
fn newton_logistic<const N: usize>(rows: &[([f64; N], bool)], l2: f64) -> [f64; N] {
    let mut w = [0.0f64; N];
    for _ in 0..25 {
        let mut gradient = [0.0f64; N];
        let mut hessian = [[0.0f64; N]; N];
        for (x, same) in rows {
            let z: f64 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
            let prob = 1.0 / (1.0 + (-z).exp());
            let y = if *same { 1.0 } else { 0.0 };
            let s = (prob * (1.0 - prob)).max(1e-9);
            for i in 0..N {
                gradient[i] += (prob - y) * x[i];
                for j in 0..N {
                    hessian[i][j] += s * x[i] * x[j];
                }
            }
        }
        for i in 0..N - 1 {
            gradient[i] += l2 * w[i];
            hessian[i][i] += l2;
        }
        let Some(step) = solve(hessian, gradient) else {
            break;
        };
        let mut largest = 0.0f64;
        for i in 0..N {
            w[i] -= step[i];
            largest = largest.max(step[i].abs());
        }
        if largest < 1e-7 {
            break;
        }
    }
    w
}

/// The fitted model with the threshold that decides the training pairs best.
fn decide(pairs: &[&LabelledPair], w: &[f64; PAIR_FEATURES + 1]) -> FittedSimilarity {
    let weights: [f32; PAIR_FEATURES] = std::array::from_fn(|k| w[k] as f32);
    let bias = w[PAIR_FEATURES] as f32;
    let scored: Vec<(f32, bool)> = pairs
        .iter()
        .map(|p| (logistic(&weights, bias, &p.features), p.same))
        .collect();
    let threshold = best_threshold(scored.clone());
    let in_sample = Decisions::of(scored.iter().map(|(s, same)| (*s >= threshold, *same)));
    FittedSimilarity {
        names: PAIR_FEATURE_NAMES.to_vec(),
        weights: weights.to_vec(),
        bias,
        threshold,
        in_sample,
        dense_within: None,
    }
}

/// The threshold on the scores that decides the labelled pairs best (midway between two scores).
fn best_threshold(mut scored: Vec<(f32, bool)>) -> f32 {
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Threshold between scored[i-1] and scored[i]: everything from i on is called the same.
    let positives = scored.iter().filter(|(_, same)| *same).count();
    let (mut best, mut best_correct) = (0usize, positives);
    let mut correct = positives;
    for i in 1..=scored.len() {
        // Moving pair i-1 below the threshold.
        if scored[i - 1].1 {
            correct -= 1;
        } else {
            correct += 1;
        }
        let distinct = i == scored.len() || scored[i].0 > scored[i - 1].0;
        if distinct && correct > best_correct {
            best_correct = correct;
            best = i;
        }
    }
    match best {
        0 => 0.0,
        i if i == scored.len() => 1.0,
        i => (scored[i - 1].0 + scored[i].0) / 2.0,
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` when `a` is singular.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for r in col + 1..N {
            let f = a[r][col] / a[col][col];
            let pivot_row = a[col];
            for (cell, p) in a[r][col..].iter_mut().zip(&pivot_row[col..]) {
                *cell -= f * p;
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for r in (0..N).rev() {
        let s: f64 = (r + 1..N).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_count_as_defined() {
        let d = Decisions::of([(true, true), (true, false), (false, true), (false, false)]);
        assert_eq!(d.pairs, 4);
        assert_eq!(d.accuracy, 0.5);
        assert_eq!(d.precision, 0.5);
        assert_eq!(d.recall, 0.5);
    }

    #[test]
    fn solve_inverts_a_small_system() {
        let x = solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
    }

    const FILE: &str = "\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n\
        1\t1\t2\tThe company cut 2,500 jobs in Ohio on Monday.\tOn Monday the company cut 2500 jobs in Ohio.\n\
        0\t3\t4\tThe company cut 2,500 jobs in Ohio on Monday.\tThe company hired 300 workers in Texas.\n\
        1\t5\t6\tRain flooded the old town overnight.\tThe old town was flooded by rain overnight.\n\
        0\t7\t8\tRain flooded the old town overnight.\tThe central bank raised rates again.\n";

    #[test]
    fn a_small_file_is_read_and_decided() {
        let report = evaluate_paraphrase(FILE, Some("en"), &SimilarityModel::default(), 2, None);
        assert_eq!(report.skipped, 1);
        assert_eq!(report.shipped.pairs, 4);
        assert_eq!(report.shipped.accuracy, 1.0);
        assert_eq!(report.positive_share, 0.5);
    }

    #[test]
    fn the_training_file_when_present() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/datasets/msrp/msr_paraphrase_train.txt"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} is absent (the shared data sets are not on this machine)");
            return;
        };
        // The first 400 rows only: the whole file is measured by `parallax eval paraphrase`, not by tests.
        let head: String = text.lines().take(401).map(|l| format!("{l}\n")).collect();
        let report = evaluate_paraphrase(&head, Some("en"), &SimilarityModel::default(), 2, None);
        assert_eq!(report.shipped.pairs, 400);
        assert!(report.shipped.accuracy > 0.7, "{report:?}");
    }
}
