"""Named queries that compare two stores attached to one connection (bench/compare_stores.py): which tables
each holds, and the rows of a table found in one and not the other, duplicates counted (EXCEPT ALL)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from basira.queries import quote_identifier


def attach(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    con.execute(f"ATTACH ? AS {quote_identifier(alias)} (READ_ONLY)", [str(path)])


def table_columns(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[str]]:
    """Every base table of an attached store's main schema with its columns, in declaration order."""
    rows = con.execute(
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t"
        " ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name"
        " WHERE c.database_name = ? AND c.schema_name = 'main' ORDER BY c.table_name, c.column_index",
        [database],
    ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


def _source(database: str, table: str, columns: list[str]) -> str:
    listed = ", ".join(quote_identifier(c) for c in columns)
    return f"SELECT {listed} FROM {quote_identifier(database)}.main.{quote_identifier(table)}"


def row_count(con: duckdb.DuckDBPyConnection, database: str, table: str) -> int:
    (found,) = con.execute(
        f"SELECT count(*) FROM {quote_identifier(database)}.main.{quote_identifier(table)}"
    ).fetchone()
    return found


def rows_only_in(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], present: str, absent: str, sample: int
) -> tuple[int, list[tuple]]:
    """How many of `table`'s rows (over `columns`) are in store `present` and not in `absent`, a row held
    twice in one and once in the other counting once; and up to `sample` of them, sorted."""
    difference = f"{_source(present, table, columns)} EXCEPT ALL {_source(absent, table, columns)}"
    (count,) = con.execute(f"SELECT count(*) FROM ({difference})").fetchone()
    if not count or sample <= 0:
        return count, []
    rows = con.execute(f"SELECT * FROM ({difference}) ORDER BY ALL LIMIT ?", [sample]).fetchall()
    return count, rows
