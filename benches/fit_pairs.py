#!/usr/bin/env python3
"""Fits and cross-validates the graded story similarity on the SemEval-2022 pairs.

Reads the output of `parallax eval pairs FILE --json` (with `--model` for the dense cosines), fits the ridge
regressions that `graded_similarity` in crates/parallax-engine/src/cluster/mod.rs hard-codes (one within a
language over square roots of the evidence, one across languages over the raw evidence, each with the dense
cosines where the report has them), and prints their 10-fold cross-validated Pearson correlations with the
negated `Overall` score, overall, within and across languages, and the weights fitted on every pair.

    target/release/parallax eval pairs ../shared/datasets/semeval2022-pairs-train.csv --json > /tmp/pairs.json
    python3 benches/fit_pairs.py /tmp/pairs.json

Needs numpy only.
"""

import json
import sys

import numpy as np

LAMBDA = 0.01
FOLDS = 10
SHUFFLES = 10


def evidence(pair, cross, dense):
    s = pair["scores"]
    low, high = sorted([s["unit_anchors_found"], s["story_anchors_found"]])
    ev = [max(x, 0.0) for x in [s["words"], s["anchors"], s["headlines"], low, high, s["numbers_found"]]]
    if not cross:
        ev = [np.sqrt(x) for x in ev]
    if dense:
        ev += [s["dense"], s["dense_headline"]]
    return ev


def ridge(x, y):
    xb = np.hstack([np.ones((len(x), 1)), x])
    penalty = LAMBDA * np.eye(xb.shape[1])
    penalty[0, 0] = 0.0
    return np.linalg.solve(xb.T @ xb + penalty, xb.T @ y)


def main(path):
    rows = json.load(open(path))["scored"]
    dense = all(r["scores"].get("dense") is not None for r in rows)
    y = np.array([-r["overall"] for r in rows])
    cross = np.array([r["languages"][0] != r["languages"][1] for r in rows])
    x = [evidence(r, c, dense) for r, c in zip(rows, cross)]

    def cross_validate(seed, clamp):
        order = np.arange(len(y))
        np.random.RandomState(seed).shuffle(order)
        predicted = np.zeros(len(y))
        for fold in np.array_split(order, FOLDS):
            train = np.setdiff1d(order, fold)
            for case in (False, True):
                tr, te = train[cross[train] == case], fold[cross[fold] == case]
                if len(te) == 0:
                    continue
                w = ridge(np.array([x[i] for i in tr]), y[tr])
                predicted[te] = w[0] + np.array([x[i] for i in te]) @ w[1:]
        if clamp:
            # graded_similarity clamps its prediction to the human scale, -4 to -1; so must the estimate.
            predicted = np.clip(predicted, -4.0, -1.0)

        def pearson(mask):
            return np.corrcoef(predicted[mask], y[mask])[0, 1]

        return [pearson(np.ones(len(y), bool)), pearson(~cross), pearson(cross)]

    print(f"dense cosines: {'yes' if dense else 'no'}; {len(y)} pairs")
    for clamp in (True, False):
        runs = np.array([cross_validate(seed, clamp) for seed in range(SHUFFLES)])
        mean, low, high = runs.mean(axis=0), runs.min(axis=0), runs.max(axis=0)
        label = "clamped to the scale, as graded_similarity does" if clamp else "unclamped"
        print(f"{FOLDS}-fold cross-validated Pearson, mean of {SHUFFLES} shuffles ({label}): "
              f"overall {mean[0]:.4f} (range {low[0]:.4f}-{high[0]:.4f}), "
              f"same language {mean[1]:.4f}, across languages {mean[2]:.4f}")
    for case, name in ((False, "within"), (True, "across")):
        idx = np.flatnonzero(cross == case)
        w = ridge(np.array([x[i] for i in idx]), y[idx])
        print(f"{name}: bias {w[0]:.3f}, weights {np.round(w[1:], 3).tolist()}")


if __name__ == "__main__":
    main(sys.argv[1])
