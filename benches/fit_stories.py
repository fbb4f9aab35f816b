#!/usr/bin/env python3
"""Fits the story clusterer's join weights on labelled corpora and validates them leave-one-corpus-out.

For each corpus, `parallax eval stories --training-rows` streams its articles as an oracle would cluster them and
writes every unit's features against every candidate story, with whether the candidate is the unit's gold event.
A logistic model over those features (the within-language score of `ScoreWeights`) is fitted on all corpora but
one, each corpus weighing the same whatever its size, and the one left out is clustered end to end with the fitted
weights (`eval stories --config`). The same is done with every corpus in the fit, and the shipped weights are
scored beside both.

    pip install numpy
    cargo build --release -p parallax-cli
    python3 benches/fit_stories.py target/release/parallax ../shared/datasets

The example corpus is read by ingesting `examples/corpus` into a temporary store and labelling each article with
its story in `examples/corpus-truth.json`. Needs only numpy.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

FEATURES = [
    "words", "anchors", "headlines", "unit_anchors_found", "story_anchors_found", "close_in_time", "dated",
    "far_in_time", "years_shared", "years_conflict", "numbers_found", "numbers_conflict", "counts_shared",
    "counts_conflict",
]
TRAIN = r"^ecb(1|3|4|6|7|8|9|10|11|13|14|15|16|17|19|20|22|24|25|26|27|28|29|30|31|32|33)[ab]$"
DEV = r"^ecb(2|5|12|18|21|23|34|35)[ab]$"


def run(args):
    return subprocess.run(args, check=False, capture_output=True, text=True)


def example_corpus(parallax, repo, out):
    """The example corpus as a labelled JSON Lines file: each stored article with its truth story as `event`."""
    truth = json.load(open(os.path.join(repo, "examples/corpus-truth.json")))
    story_of = {}
    for article in truth["articles"]:
        story_of[(article["file"], json.dumps(article["place"], sort_keys=True))] = article["story"]
    db = os.path.join(tempfile.mkdtemp(), "ex.db")
    run([parallax, "ingest", os.path.join(repo, "examples/corpus"), "--db", db, "--no-extract"])
    listed = run([parallax, "articles", "--json", "--db", db]).stdout.splitlines()
    with open(out, "w") as f:
        for line in listed:
            record = json.loads(run([parallax, "article", json.loads(line)["id"], "--json", "--db", db]).stdout)
            origin = record.pop("origin")
            path = os.path.relpath(origin.pop("path"), os.path.join(repo, "examples/corpus"))
            key = (path, json.dumps(origin, sort_keys=True))
            if key in story_of:
                record["event"] = story_of[key]
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def rows(parallax, path, only):
    out = tempfile.mktemp(suffix=".jsonl")
    args = [parallax, "eval", "stories", path, "--gold", "event", "--training-rows", out]
    if only:
        args += ["--only", only]
    run(args)
    x, y = [], []
    for line in open(out):
        row = json.loads(line)
        if row["scores"]["cross_language"]:
            continue
        x.append([row["scores"][name] for name in FEATURES])
        y.append(1.0 if row["same"] else 0.0)
    os.remove(out)
    return np.array(x), np.array(y)


def fit(parts, l2=1.0):
    """Weighted logistic regression by Newton's method; every corpus weighs the same in total."""
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([np.full(len(p[1]), len(y) / (len(parts) * len(p[1]))) for p in parts])
    x = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ beta))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def config(beta):
    weights = {"bias": float(beta[0])}
    weights.update({name: float(b) for name, b in zip(FEATURES, beta[1:])})
    path = tempfile.mktemp(suffix=".json")
    json.dump({"weights": weights}, open(path, "w"))
    return path


def score(parallax, path, only, config_path=None):
    args = [parallax, "eval", "stories", path, "--gold", "event"]
    if only:
        args += ["--only", only]
    if config_path:
        args += ["--config", config_path]
    out = run(args).stdout
    m = re.search(r"BCubed\s+precision ([\d.]+)\s+recall ([\d.]+)\s+F1 ([\d.]+)", out)
    return tuple(float(v) for v in m.groups()) if m else None


def main():
    parallax, datasets = sys.argv[1], sys.argv[2]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    example = example_corpus(parallax, repo, tempfile.mktemp(suffix=".jsonl"))
    ecb = os.path.join(datasets, "ecbplus-train-dev.jsonl")
    corpora = {
        "ECB+ train": (ecb, TRAIN),
        "BASIL": (os.path.join(datasets, "basil.jsonl"), None),
        "VMDS": (os.path.join(datasets, "vmds.jsonl"), None),
        "example corpus": (example, None),
    }
    held_out = {"ECB+ dev": (ecb, DEV)}
    data = {name: rows(parallax, *where) for name, where in corpora.items()}
    for name, (x, y) in data.items():
        print(f"{name}: {len(y)} candidate rows, {int(y.sum())} of the unit's own event", file=sys.stderr)
    everything = fit(list(data.values()))
    fmt = lambda s: "-" if s is None else f"{s[2]:.4f} ({s[0]:.3f} / {s[1]:.3f})"
    print("| corpus | shipped weights F1 (P / R) | left out of the fit F1 (P / R) | all corpora in the fit F1 (P / R) |")
    print("|---|---|---|---|")
    all_config = config(everything)
    for name, where in corpora.items():
        loco = fit([d for other, d in data.items() if other != name])
        print(f"| {name} | {fmt(score(parallax, *where))} | {fmt(score(parallax, *where, config(loco)))} | "
              f"{fmt(score(parallax, *where, all_config))} |")
    for name, where in held_out.items():
        print(f"| {name} (in no fit) | {fmt(score(parallax, *where))} | - | {fmt(score(parallax, *where, all_config))} |")
    print("\nweights fitted on all corpora:", json.dumps(dict(zip(["bias"] + FEATURES, np.round(everything, 3).tolist()))))


if __name__ == "__main__":
    main()
