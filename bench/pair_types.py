"""Co-occurrence with the Entities page's Type filter against without it, on a store:

    python -m bench.pair_types DB [--repeats 5]

For each filter scenario of the benchmark plan (bench.run.plan), the pair list of every type and of all types runs in
turn, repeat after repeat, each call on a fresh read cursor as the pages make it; prints CPU ms (this process and
DuckDB's threads) median and max per scenario and type, and the store's pair counts per type of pair.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench.app_side import timed_cpu
from bench.run import plan
from basira import store
from basira.filters import Filters
from basira.queries import read

TYPES = (None, "PER", "ORG", "LOC")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pair_types", description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    scenarios = plan(args.db, 1)["scenarios"]
    print("| scenario | " + " | ".join(t or "all types" for t in TYPES) + " |")
    print("|---|" + "---:|" * len(TYPES))
    for name, params in scenarios.items():
        filters = Filters.from_query_params(params)
        cpu: dict[str | None, list[float]] = {t: [] for t in TYPES}
        rows: dict[str | None, int] = {}
        for _ in range(args.repeats):
            for entity_type in TYPES:
                with store.read_cursor(args.db) as cur:
                    _ms, cpu_ms, found = timed_cpu(lambda: read.cooccurrence(cur, filters, 40, entity_type))  # noqa: B023
                cpu[entity_type].append(cpu_ms)
                rows[entity_type] = len(found)
        cells = [f"{statistics.median(cpu[t]):,.0f} / {max(cpu[t]):,.0f} ({rows[t]})" for t in TYPES]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
