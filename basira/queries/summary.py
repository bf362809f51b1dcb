"""SQL of the dashboard summaries: entity_mentions folded to one row per (article, entity) and per (article,
co-occurring pair), so the entity and network views aggregate without DISTINCT or a self-join.

At a million articles entity_mentions holds tens of millions of rows; the top-entities query over it spent
most of its time on count(DISTINCT article_id), and co-occurrence joined the table to itself. The summaries
are derived from entity_mentions only, refreshed after each ingest chunk and rebuilt after a retag; meta
'summary_through' is the last article_id they cover.
"""

from __future__ import annotations

import duckdb

_THROUGH = "summary_through"


def _through(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [_THROUGH]).fetchone()
    return int(row[0]) if row else 0


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Summarise the articles stored since the last refresh (their analysis must be stored already)."""
    through = _through(con)
    (last,) = con.execute("SELECT coalesce(max(article_id), 0) FROM articles").fetchone()
    if last <= through:
        return
    # entity_mentions is appended in article order, so the range prunes the scan to the newest row groups.
    con.execute(
        "INSERT INTO summary_article_entities"
        " SELECT article_id, entity_key, count(*)::INTEGER FROM entity_mentions"
        " WHERE article_id > ? AND article_id <= ? GROUP BY ALL ORDER BY article_id, entity_key",
        [through, last],
    )
    con.execute(
        "INSERT INTO summary_article_pairs"
        " WITH m AS (SELECT DISTINCT article_id, seq, entity_key FROM entity_mentions"
        "  WHERE article_id > ? AND article_id <= ?)"
        " SELECT m1.article_id, m1.entity_key, m2.entity_key, count(*)::INTEGER FROM m m1"
        " JOIN m m2 ON m2.article_id = m1.article_id AND m2.seq = m1.seq AND m1.entity_key < m2.entity_key"
        " GROUP BY ALL ORDER BY 1, 2, 3",
        [through, last],
    )
    con.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [_THROUGH, str(last)]
    )


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Derive the summaries again from every stored article (after retag replaced the analysis)."""
    con.execute("DELETE FROM summary_article_entities")
    con.execute("DELETE FROM summary_article_pairs")
    con.execute("DELETE FROM meta WHERE key = ?", [_THROUGH])
    refresh(con)
