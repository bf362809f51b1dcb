"""Are two stores the same? Table by table: the same tables, columns and rows, in any order.

    python -m bench.compare_stores old/basira.duckdb new/basira.duckdb [--ignore table.column ...] [--sample 3]

Prints one line per table (identical, or how many rows each store holds that the other does not, duplicates
counted) and exits 1 when any table differs. A speed-up of ingest must leave the store as it was: build it
from the same inputs with the old and the new code, and compare. The batch log's timestamps are ignored (they
differ between any two runs); `--ignore` drops more columns, e.g. `batches.inputs` for inputs at other paths.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from basira import store
from basira.queries import compare

ALWAYS_IGNORED = frozenset({"batches.started_at", "batches.finished_at"})
_LEFT, _RIGHT = "store_a", "store_b"


@dataclass
class TableDiff:
    table: str
    rows_a: int | None  # None: the table is missing from that store
    rows_b: int | None
    only_a: int = 0
    only_b: int = 0
    columns_differ: bool = False
    samples_a: list[tuple] = field(default_factory=list)
    samples_b: list[tuple] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return (
            self.rows_a is not None and self.rows_b is not None and not self.columns_differ
            and self.only_a == 0 and self.only_b == 0
        )

    def verdict(self) -> str:
        if self.rows_a is None or self.rows_b is None:
            return "only in " + ("B" if self.rows_a is None else "A")
        if self.columns_differ:
            return "columns differ"
        if self.identical:
            return "identical"
        return f"{self.only_a} rows only in A, {self.only_b} only in B"


def compare_stores(a: Path, b: Path, ignore: frozenset[str] = ALWAYS_IGNORED, sample: int = 3) -> list[TableDiff]:
    """The tables of both stores, by name, each compared row for row over its columns less `ignore`
    ('table.column')."""
    con = duckdb.connect()
    try:
        compare.attach(con, store.generation_file(a), _LEFT)
        compare.attach(con, store.generation_file(b), _RIGHT)
        columns_a, columns_b = compare.table_columns(con, _LEFT), compare.table_columns(con, _RIGHT)
        found = []
        for table in sorted(columns_a.keys() | columns_b.keys()):
            rows_a = compare.row_count(con, _LEFT, table) if table in columns_a else None
            rows_b = compare.row_count(con, _RIGHT, table) if table in columns_b else None
            diff = TableDiff(table, rows_a, rows_b)
            found.append(diff)
            if rows_a is None or rows_b is None:
                continue
            if columns_a[table] != columns_b[table]:
                diff.columns_differ = True
                continue
            kept = [c for c in columns_a[table] if f"{table}.{c}" not in ignore]
            diff.only_a, diff.samples_a = compare.rows_only_in(con, table, kept, _LEFT, _RIGHT, sample)
            diff.only_b, diff.samples_b = compare.rows_only_in(con, table, kept, _RIGHT, _LEFT, sample)
        return found
    finally:
        con.close()


def report(diffs: list[TableDiff], width: int = 160) -> str:
    lines = ["| table | rows A | rows B | verdict |", "|---|---|---|---|"]
    for d in diffs:
        shown = ["-" if n is None else f"{n:,}" for n in (d.rows_a, d.rows_b)]
        lines.append(f"| {d.table} | {shown[0]} | {shown[1]} | {d.verdict()} |")
    for d in diffs:
        for side, rows in (("A", d.samples_a), ("B", d.samples_b)):
            lines.extend(f"  {d.table}, only in {side}: {repr(row)[:width]}" for row in rows)
    same = sum(d.identical for d in diffs)
    lines.append(f"\n{same} of {len(diffs)} tables identical" + (": the stores are the same" if same == len(diffs) else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare_stores")
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--ignore", action="append", default=[], metavar="TABLE.COLUMN")
    parser.add_argument("--sample", type=int, default=3, help="differing rows shown per table and side")
    args = parser.parse_args(argv)
    diffs = compare_stores(args.a, args.b, ALWAYS_IGNORED | set(args.ignore), args.sample)
    print(report(diffs))
    return 0 if all(d.identical for d in diffs) else 1


if __name__ == "__main__":
    sys.exit(main())
