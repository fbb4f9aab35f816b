#!/usr/bin/env python3
"""Peer run for `parallax eval html`: Python trafilatura on the same pages, with the same metric.

Usage: python3 benches/peer_trafilatura.py DIR [--fast]

DIR holds `evaldata.json` and `pages/<file>.gz` (../shared/datasets/html-extraction). Every page is read and
decompressed before the clock starts, so the timed loop is extraction alone (trafilatura decodes the raw bytes
itself, as Parallax does), one page after another on one core. The metric is the one `parallax eval html`
computes: whitespace-normalised substring checks pooled over all pages, F1 = 2TP / (2TP + FP + FN), a page that
fails counting as missing everything.
"""

import gzip
import json
import re
import sys
import time
from pathlib import Path

import trafilatura

WHITESPACE = re.compile(r"\s+")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    fast = "--fast" in sys.argv
    if len(args) != 1:
        sys.exit(__doc__)
    root = Path(args[0])
    evaldata = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in evaldata.items():
        raw = gzip.decompress((root / "pages" / (item["file"] + ".gz")).read_bytes())
        pages.append((url, raw, item))

    start = time.perf_counter()
    results = [
        trafilatura.extract(
            raw,
            url=url,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            fast=fast,
        )
        for url, raw, _ in pages
    ]
    seconds = time.perf_counter() - start

    tp = fp = fn = 0
    for (_, _, item), text in zip(pages, results):
        if not text:
            fn += len(item["with"])
            continue
        text = WHITESPACE.sub(" ", text)
        for snippet in item["with"]:
            if WHITESPACE.sub(" ", snippet) in text:
                tp += 1
            else:
                fn += 1
        fp += sum(WHITESPACE.sub(" ", s) in text for s in item["without"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    print(
        f"trafilatura {trafilatura.__version__}{' (fast)' if fast else ''}: "
        f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f} "
        f"pages {len(pages)} in {seconds:.1f} s, {len(pages) / seconds:.1f} pages/s"
    )


if __name__ == "__main__":
    main()
