"""The Topics page's evidence list, ranked from topic_evidence (before) and from facts_evidence (after), on one store.

    python -m bench.evidence DB [--repeats N] [--topic prisons] [--check-topics K] [--old ROOT]

Over the benchmark's filter views (bench.run.plan), calls read.evidence_highlights_direct and
read.evidence_highlights alternately, the order swapped from one call to the next, each with a fresh read
cursor as the pages do, and reports CPU ms (this process, all of DuckDB's threads) median and p95 per view and
over all views. Before timing, checks that both give the same frame for every view and for the K largest topics
(and, with --old ROOT, that the evidence_highlights of the checkout at ROOT gives it too: the code before this
change). The store must have its evidence facts (a writer's summary.refresh builds them on an older store).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from basira import store
from basira.filters import Filters
from basira.queries import read, summary


def _old_read(root: Path):
    """basira/queries/read.py of another checkout, loaded as a module of its own (the rest of basira is this one's)."""
    spec = importlib.util.spec_from_file_location("old_read", root / "basira" / "queries" / "read.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _same(a, b) -> bool:
    return a.equals(b) and list(a.dtypes) == list(b.dtypes)


def check(db: Path, scenarios: dict[str, dict], topics: list[str | None], old: Path | None) -> list[str]:
    """The (view, topic) cases where the two rankings (or the old checkout's) differ."""
    old_read = _old_read(old) if old else None
    differ = []
    with store.read_cursor(db) as cur:
        assert summary.evidence_ready(cur), "the store has no evidence facts: refresh it with a writer first"
        for name, params in scenarios.items():
            filters = Filters.from_query_params(params)
            for topic in topics:
                new = read.evidence_highlights(cur, filters, topic)
                if not _same(new, read.evidence_highlights_direct(cur, filters, topic)):
                    differ.append(f"{name}/{topic}: direct")
                if old_read is not None and not _same(new, old_read.evidence_highlights(cur, filters, topic)):
                    differ.append(f"{name}/{topic}: old checkout")
                if not _same(read.evidence_sentences(cur, filters, topic), read.evidence_sentences_direct(cur, filters, topic)):
                    differ.append(f"{name}/{topic}: sentences")
    return differ


def _cpu_ms(db: Path, call: Callable) -> float:
    with store.read_cursor(db) as cur:
        began = time.process_time()
        call(cur)
        return (time.process_time() - began) * 1000


def measure(db: Path, scenarios: dict[str, dict], topic: str, repeats: int) -> dict[str, dict[str, list[float]]]:
    """{"before"|"after": {view: [CPU ms, ...]}}, the two alternated call by call."""
    sides = {
        "before": lambda f: lambda cur: read.evidence_highlights_direct(cur, f, topic),
        "after": lambda f: lambda cur: read.evidence_highlights(cur, f, topic),
    }
    out: dict[str, dict[str, list[float]]] = {side: {name: [] for name in scenarios} for side in sides}
    turn = 0
    for _ in range(repeats):
        for name, params in scenarios.items():
            filters = Filters.from_query_params(params)
            order = list(sides) if turn % 2 == 0 else list(sides)[::-1]
            turn += 1
            for side in order:
                out[side][name].append(_cpu_ms(db, sides[side](filters)))
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(samples: dict[str, dict[str, list[float]]]) -> str:
    lines = ["| view | before median / p95 | after median / p95 |", "|---|---|---|"]
    for name in samples["before"]:
        b, a = samples["before"][name], samples["after"][name]
        lines.append(f"| {name} | {statistics.median(b):.0f} / {_p95(b):.0f} | {statistics.median(a):.0f} / {_p95(a):.0f} |")
    every = {side: [v for values in samples[side].values() for v in values] for side in samples}
    b, a = every["before"], every["after"]
    lines.append(f"| all views | {statistics.median(b):.0f} / {_p95(b):.0f} | {statistics.median(a):.0f} / {_p95(a):.0f} |")
    lines.append(f"\nratio before/after: median {statistics.median(b) / statistics.median(a):.1f}x, p95 {_p95(b) / _p95(a):.1f}x")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from bench.run import plan

    parser = argparse.ArgumentParser(prog="python -m bench.evidence")
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--topic", default="prisons")
    parser.add_argument("--check-topics", type=int, default=3)
    parser.add_argument("--old", type=Path)
    args = parser.parse_args(argv)
    scenarios = plan(args.db, 1)["scenarios"]
    with store.read_cursor(args.db) as cur:
        largest = read.topic_counts(cur, Filters())["topic"].tolist()[: args.check_topics]
    topics = list(dict.fromkeys([args.topic, *largest, None]))
    differ = check(args.db, scenarios, topics, args.old)
    print(f"equality: {len(scenarios)} views x {len(topics)} topics {topics}: " + ("identical" if not differ else f"DIFFER {differ}"))
    print(report(measure(args.db, scenarios, args.topic, args.repeats)))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
