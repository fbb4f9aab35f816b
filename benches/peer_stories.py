#!/usr/bin/env python3
"""The peer for story clustering, run side by side with `parallax eval stories`.

TF-IDF (sublinear tf, the title counted twice) with average-linkage agglomerative clustering on cosine distance,
one distance threshold tuned on the ECB+ training topics and used unchanged everywhere. Prints BCubed and pairwise
precision, recall and F1 with the same definitions as `parallax eval stories`.

    pip install scikit-learn
    python3 benches/peer_stories.py ../shared/datasets   # tunes on ECB+ train, reports train, dev, all, BASIL
    python3 benches/peer_stories.py --stream FILE.jsonl [--threshold 0.82]   # one synthetic stream, timed

The stream mode is what `stream_bench --peer` runs in the same process tree to measure the time ratio: it reads
`title`, `text` and `event` per line, clusters with the threshold tuned on ECB+ train (0.82 when last tuned), and
prints one line of JSON with the seconds spent vectorising and clustering (reading excluded) and BCubed F1. The
distances are a dense n-by-n matrix, so it fits in memory up to some tens of thousands of articles.
"""

import json
import sys
import time
from collections import Counter
from itertools import combinations

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_distances

DEV = {2, 5, 12, 18, 21, 23, 34, 35}


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def topic(event):
    return int(event[3:-1])


def cluster(rows, threshold):
    docs = [(r.get("title") or "") + " " + (r.get("title") or "") + " " + r["text"] for r in rows]
    x = TfidfVectorizer(sublinear_tf=True).fit_transform(docs).toarray()
    if len(rows) < 2:
        return [0] * len(rows)
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return list(model.fit_predict(x))


def prf(p, r):
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(pred, gold):
    n = len(pred)
    size_p, size_g, both = Counter(pred), Counter(gold), Counter(zip(pred, gold))
    p = sum(both[(a, b)] / size_p[a] for a, b in zip(pred, gold)) / n
    r = sum(both[(a, b)] / size_g[b] for a, b in zip(pred, gold)) / n
    return prf(p, r)


def pairwise(pred, gold):
    pairs = lambda c: sum(v * (v - 1) // 2 for v in c.values())
    tp = pairs(Counter(zip(pred, gold)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    return prf(tp / pp if pp else 1.0, tp / gp if gp else 1.0)


def score(rows, threshold):
    started = time.perf_counter()
    pred = cluster(rows, threshold)
    seconds = time.perf_counter() - started
    gold = [r["event"] for r in rows]
    return bcubed(pred, gold), pairwise(pred, gold), seconds


def show(name, rows, threshold):
    b, p, seconds = score(rows, threshold)
    print(f"{name:<10} {len(rows):>4} articles  BCubed P {b[0]:.4f} R {b[1]:.4f} F1 {b[2]:.4f}"
          f"  pairwise P {p[0]:.4f} R {p[1]:.4f} F1 {p[2]:.4f}  {seconds:.2f} s")


def stream(path, threshold):
    rows = read(path)
    started = time.perf_counter()
    docs = [(r.get("title") or "") + " " + (r.get("title") or "") + " " + r["text"] for r in rows]
    x = TfidfVectorizer(sublinear_tf=True).fit_transform(docs)
    distances = cosine_distances(x)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    )
    pred = list(model.fit_predict(distances))
    seconds = time.perf_counter() - started
    b = bcubed(pred, [r["event"] for r in rows])
    print(json.dumps({"articles": len(rows), "seconds": seconds, "bcubed_f1": b[2], "stories": len(set(pred))}))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--stream":
        threshold = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--threshold" else 0.82
        stream(sys.argv[2], threshold)
        return
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets"
    ecb = read(f"{root}/ecbplus-train-dev.jsonl")
    train = [r for r in ecb if topic(r["event"]) not in DEV]
    dev = [r for r in ecb if topic(r["event"]) in DEV]
    grid = np.round(np.arange(0.50, 0.96, 0.01), 2)
    best = max(grid, key=lambda t: score(train, t)[0][2])
    print(f"threshold tuned on ECB+ train topics: cosine distance {best}")
    show("ECB+ train", train, best)
    show("ECB+ dev", dev, best)
    show("ECB+ all", ecb, best)
    show("BASIL", read(f"{root}/basil.jsonl"), best)


if __name__ == "__main__":
    main()
