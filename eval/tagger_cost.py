"""CPU the sequence model adds to entity recognition on real news: model on vs off in one process.

    python -m eval.tagger_cost [--limit N] [--rounds R] [--chunk C]

Two recognisers share one set of lexicons: the default (rules and lists) and the same with the model
(`use_tagger=True`). Each 100-article chunk of unique Baly texts is scanned and recognised by one and then the
other, alternately, best of 2 passes each (time.process_time: this process only), over R rounds; every chunk is
prepared (prepare_doc) outside the timing. Prints the load time of the model (weights and clusters), the CPU per
article off and on and their difference per round, and the model step alone (`_model_candidates`). On a shared
machine only the on-off difference within a round means anything.
"""

from __future__ import annotations

import argparse
import sys
import time

from basira.analysis.doc import prepare_doc
from basira.analysis.entities import GazetteerRecognizer, load_resources
from basira.analysis.segment import split_sentences
from eval.corpora import available, iter_baly_texts


class _TimedModel(GazetteerRecognizer):
    """The recogniser with the CPU of its model step summed in `model_cpu`."""

    model_cpu = 0.0

    def _model_candidates(self, doc, cands):  # type: ignore[no-untyped-def]
        t = time.process_time()
        super()._model_candidates(doc, cands)
        self.model_cpu += time.process_time() - t


def _best_pass(rec: GazetteerRecognizer, articles: list, passes: int = 2) -> float:
    """Best CPU of `passes` passes of scan + recognize_doc over the articles (fresh Docs each pass)."""
    best = float("inf")
    for _ in range(passes):
        docs = [prepare_doc(a) for a in articles]
        t = time.process_time()
        for doc in docs:
            rec.scanner.scan(doc)
            rec.recognize_doc(doc)
        best = min(best, time.process_time() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=100)
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found; skipping")
        return 0
    res = load_resources()
    off = GazetteerRecognizer(res)
    t = time.process_time()
    on = _TimedModel(res, use_tagger=True)
    on_load = time.process_time() - t
    t = time.process_time()
    GazetteerRecognizer(res)
    off_load = time.process_time() - t
    print(f"recogniser construction with shared lexicons: off {off_load:.2f} s CPU, on {on_load:.2f} s CPU")
    articles = [split_sentences(x) for x in iter_baly_texts(args.limit)]
    n = len(articles)
    for rec in (off, on):  # warm the per-token caches, as after the first articles of an ingest
        _best_pass(rec, articles, passes=1)
    for r in range(args.rounds):
        cpu_off = cpu_on = 0.0
        on.model_cpu = 0.0
        for c in range(0, n, args.chunk):
            chunk = articles[c : c + args.chunk]
            cpu_off += _best_pass(off, chunk)
            cpu_on += _best_pass(on, chunk)
        per = 1e6 / n
        print(f"round {r + 1}: {n} articles, off {cpu_off * per:.0f} us, on {cpu_on * per:.0f} us, "
              f"on - off {(cpu_on - cpu_off) * per:.0f} us per article (ratio off/on {cpu_off / cpu_on:.2f}); "
              f"model step {on.model_cpu * per / 2:.0f} us per article (mean of the 2 passes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
