"""Throughput of analyze_article on the Baly corpus (unique texts), sentences split beforehand.

    python -m eval.bench [--limit N] [--repeats R] [--stages]

Reports the CPU time of loading the lexicons (the first analysis call of a process: taxonomy, gazetteers,
word lists and the scanner over all their keys), then CPU time per article (time.process_time: this process
only, so other jobs on a shared machine inflate it far less than wall time) for the first pass over the articles (cold caches, as in a fresh
ingest) and the best of the repeated passes, plus the wall-clock rate of the first pass. A reference
loop (sum(range(10**6)), best of 5) is timed alongside so figures from different machines can be compared.
--stages also times each step of analyze_article separately (best of the passes, per 100-article chunk).
"""

from __future__ import annotations

import argparse
import sys
import time

from basira.analysis import _load, analyze_article, taxonomy
from basira.analysis.doc import prepare_doc
from basira.analysis.quantities import extract_quantities
from basira.analysis.quotations import extract_quotations
from basira.analysis.topics import tag_topics
from basira.analysis.segment import split_sentences
from eval.corpora import available, iter_baly_texts


def _reference_ms() -> float:
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        sum(range(10**6))
        best = min(best, time.process_time() - t)
    return best * 1e3


def _stages(articles: list, repeats: int) -> None:
    state = _load()

    def scan(doc):
        state.scanner.scan(doc)
        return doc

    steps = [("prepare_doc", prepare_doc), ("scan", scan), ("entities", state.recognizer.recognize_doc),
             ("topics", lambda d: tag_topics(state.taxonomy, d)),
             ("quotations", lambda dm: extract_quotations(dm[0], dm[1], state.speech)),
             ("quantities", lambda d: extract_quantities(d, state.quantities))]
    inputs: list = articles
    docs: list = []
    for name, step in steps:
        if name == "quotations":
            inputs = list(zip(docs, mentions))
        elif name in ("topics", "quantities"):
            inputs = docs
        total, outputs = 0.0, []
        for c in range(0, len(inputs), 100):
            chunk, best = inputs[c : c + 100], float("inf")
            for _ in range(max(repeats, 1)):
                t = time.process_time()
                out = [step(x) for x in chunk]
                best = min(best, time.process_time() - t)
            total += best
            outputs.extend(out)
        if name == "prepare_doc":
            docs = inputs = outputs
        elif name == "entities":
            mentions = outputs
        print(f"  {name:12} {total / len(articles) * 1e6:7.0f} us CPU per article")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=3, help="passes after the first; the best one is reported")
    ap.add_argument("--stages", action="store_true", help="also time each analysis step on its own")
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found; skipping")
        return 0
    cpu = time.process_time()
    taxonomy()
    load = time.process_time() - cpu
    articles = [split_sentences(t) for t in iter_baly_texts(args.limit)]
    n = len(articles)
    chars = sum(len(s.text_raw) for a in articles for s in a)
    reference = _reference_ms()
    wall, cpu = time.perf_counter(), time.process_time()
    for sentences in articles:
        analyze_article(sentences)
    first_cpu, first_wall = time.process_time() - cpu, time.perf_counter() - wall
    best = first_cpu
    for _ in range(args.repeats):
        cpu = time.process_time()
        for sentences in articles:
            analyze_article(sentences)
        best = min(best, time.process_time() - cpu)
    print(f"load (first analysis call of a process): {load:.2f} s CPU")
    print(f"{n} articles, mean {chars / n:.0f} chars")
    print(f"  first pass: {n / first_cpu:.0f} articles/s CPU ({first_cpu / n * 1e3:.2f} ms each); "
          f"wall {n / first_wall:.0f} articles/s")
    print(f"  best of {args.repeats} more: {n / best:.0f} articles/s CPU ({best / n * 1e3:.2f} ms each)")
    print(f"  reference loop sum(range(10**6)): {reference:.1f} ms CPU (about 10 ms on a typical 2023 desktop core)")
    if args.stages:
        _stages(articles, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
