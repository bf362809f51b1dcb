"""Throughput of analyze_article on the Baly corpus (unique texts), sentences split beforehand.

    python -m eval.bench [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time

from basira.analysis import analyze_article, taxonomy
from basira.analysis.segment import split_sentences
from eval.corpora import available, iter_baly_texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found; skipping")
        return 0
    taxonomy()
    articles = [split_sentences(t) for t in iter_baly_texts(args.limit)]
    chars = sum(len(s.text_raw) for a in articles for s in a)
    start = time.perf_counter()
    for sentences in articles:
        analyze_article(sentences)
    elapsed = time.perf_counter() - start
    n = len(articles)
    print(f"{n} articles, mean {chars / n:.0f} chars: {n / elapsed:.0f} articles/s ({elapsed / n * 1e3:.2f} ms each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
