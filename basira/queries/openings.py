"""The opening words that lists show for an untitled article (table article_openings, written by ingest)."""

from __future__ import annotations

import duckdb

from basira import untitled
from basira.untitled import OPENING_CHARS

__all__ = ["OPENING_CHARS", "untitled_openings"]


def untitled_openings(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> dict[int, str]:
    """{article_id: its opening words and an ellipsis} of a few untitled articles (what lists show in place of a
    title: basira.untitled.opening), from article_openings. An article that table does not cover yet (a store
    written before it, until its next ingest) is read from its text, one equality branch per article, which DuckDB
    prunes to one row group before reading."""
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    marks = ", ".join(["?"] * len(ids))
    try:
        # A list of constants on the primary key is an index lookup.
        found = dict(cur.execute(f"SELECT article_id, opening FROM article_openings WHERE article_id IN ({marks})", ids).fetchall())
    except duckdb.CatalogException:
        found = {}
    missing = [i for i in ids if i not in found]
    if missing:
        branch = "SELECT article_id, left(text_raw, ?) FROM articles WHERE article_id = ?"
        params = [p for i in missing for p in (untitled.SCAN_CHARS, i)]
        rows = cur.execute(" UNION ALL ".join([branch] * len(missing)), params).fetchall()
        found.update((article_id, untitled.opening(top)) for article_id, top in rows)
    return {i: found[i] + "…" for i in ids if i in found}
