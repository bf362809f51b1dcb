"""All SQL of Basira lives in this package: the schema, invariants and named query functions.

Values are always bound as parameters; identifiers (table names from our own schema) go through
`quote_identifier`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import duckdb

SCHEMA_VERSION = "1"

_NAME_LINE = re.compile(r"^-- name: (\w+)\s*$", re.MULTILINE)


def quote_identifier(name: str) -> str:
    """Quote an identifier for DuckDB: wrap in double quotes, double any inside."""
    return '"' + name.replace('"', '""') + '"'


def shown_source(alias: str = "") -> str:
    """SQL for an article's source as a page shows it: the outlet the input named, else the name of the file it came
    from. The stored source_path is the path the ingest was given (absolute outside the project), and a reader
    showing "/srv/…/feeds/x.jsonl" told the analyst nothing and anyone looking where the server keeps its data."""
    return f"coalesce({alias}source_name, {file_name(alias + 'source_path')})"


def file_name(column: str) -> str:
    """SQL for the last part of a stored path (after the last / or \\): the file, without where it was kept."""
    return f"regexp_extract({column}, '[^/\\\\]*$')"


@cache
def _sql_file(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value of the store's key-value `meta` table, None when the key is not set."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_sql_file("schema.sql"))
    set_meta(con, "schema_version", SCHEMA_VERSION)


@cache
def invariants() -> dict[str, str]:
    """Named invariant queries from invariants.sql; each returns the rows that break it."""
    parts = _NAME_LINE.split(_sql_file("invariants.sql"))
    return {name: body.strip().rstrip(";") for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def broken_invariants(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    broken = {}
    for name, sql in invariants().items():
        rows = con.execute(sql).fetchall()
        if rows:
            broken[name] = rows[:20]
    return broken
