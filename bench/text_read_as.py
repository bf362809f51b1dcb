"""The sidebar's Text contains with Latin names read as Arabic (search.read_text) against the same text as typed:

    python -m bench.text_read_as DB [--repeats 5] [TEXT ...]

Per text: the articles each filter selects, the CPU ms (this process and DuckDB's threads, median / max over the
repeats, each on a fresh read cursor as the pages make it) of reading the text (the name index is built once per
store state: the first reading's cost is printed apart) and of the Overview's key figures and the Articles page's
first page under each filter.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench.app_side import timed_cpu
from basira import search, store
from basira.filters import Filters
from basira.queries import read

TEXTS = ("Sednaya", "Saydnaya", "Assad", "سجن Sednaya", "Hay'at Tahrir al-Sham")


def _cpu(db: Path, call, repeats: int) -> tuple[str, object]:
    samples, found = [], None
    for _ in range(repeats):
        with store.read_cursor(db) as cur:
            _ms, cpu_ms, found = timed_cpu(lambda: call(cur))  # noqa: B023
        samples.append(cpu_ms)
    return f"{statistics.median(samples):,.1f} / {max(samples):,.1f}", found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.text_read_as", description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("texts", nargs="*", default=list(TEXTS))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with store.read_cursor(args.db) as cur:
        _ms, first_ms, _ = timed_cpu(lambda: search.read_text(cur, args.texts[0]))
    print(f"first reading (builds the name index): {first_ms:,.0f} ms CPU")
    print("| text | read as | articles as typed → read | read_text | key figures as typed → read | list page as typed → read |")
    print("|---|---|---:|---:|---:|---:|")
    for text in args.texts:
        reading, readings = _cpu(args.db, lambda cur: search.read_text(cur, text), args.repeats)  # noqa: B023
        typed = Filters(text=text)
        read_as = typed.with_(text_read_as=search.text_read_as(readings))
        figures = [_cpu(args.db, lambda cur: read.key_figures(cur, f), args.repeats) for f in (typed, read_as)]  # noqa: B023
        pages = [_cpu(args.db, lambda cur: read.article_page(cur, f, 50, 0), args.repeats)[0] for f in (typed, read_as)]  # noqa: B023
        counts = [f[1]["articles"] for f in figures]
        shown = "; ".join(f"{t} → {a}" for t, a in read_as.text_read_as) or "—"
        print(f"| {text} | {shown} | {counts[0]:,} → {counts[1]:,} | {reading} | {figures[0][0]} → {figures[1][0]} |"
              f" {pages[0]} → {pages[1]} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
