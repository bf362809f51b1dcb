"""Named read queries behind the pages, the CLI and the benchmark. All take a cursor and Filters."""

from __future__ import annotations

import duckdb
import pandas as pd

from basira.filters import Filters
from basira.normalize import normalize_text, tokenize

GRAINS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def selection(filters: Filters) -> tuple[str, list]:
    """A `selected` CTE of (article_id, story_id, published) for the filtered view, and its parameters."""
    conditions, params = ["TRUE"], []
    dated = []
    if filters.date_from:
        dated.append("a.published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        dated.append("a.published <= ?")
        params.append(filters.date_to)
    if dated:
        clause = " AND ".join(dated)
        # An undated article cannot be placed in a range; it stays visible unless undated ones are excluded.
        conditions.append(f"(({clause}) OR a.published IS NULL)" if filters.include_undated else clause)
    if not filters.include_undated:
        conditions.append("a.published IS NOT NULL")
    if filters.sources:
        conditions.append("coalesce(a.source_name, a.source_path) IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(filters.sources))
    if filters.topics:
        conditions.append(
            "a.article_id IN (SELECT article_id FROM article_topics WHERE topic IN (SELECT unnest(?::VARCHAR[])))"
        )
        params.append(list(filters.topics))
    for entity in filters.entities:
        conditions.append("a.article_id IN (SELECT article_id FROM entity_mentions WHERE entity_key = ?)")
        params.append(entity)
    terms = tokenize(normalize_text(filters.text))
    for term in terms:
        conditions.append(
            "a.article_id IN (SELECT article_id FROM sentences WHERE NOT is_boilerplate AND contains(text_norm, ?))"
        )
        params.append(term)
    if not filters.include_duplicates:
        conditions.append("a.article_id = a.story_id")
    sql = (
        "WITH selected AS (SELECT a.article_id, a.story_id, a.published FROM articles a WHERE "
        + " AND ".join(conditions)
        + ")"
    )
    return sql, params


def key_figures(cur: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, int]:
    cte, params = selection(filters)
    row = cur.execute(
        cte + " SELECT count(*), count(DISTINCT story_id), count(*) FILTER (WHERE published IS NULL),"
        " min(published), max(published) FROM selected",
        params,
    ).fetchone()
    return {"articles": row[0], "stories": row[1], "undated": row[2], "first": row[3], "last": row[4]}


def timeline(cur: duckdb.DuckDBPyConnection, filters: Filters, grain: str = "month") -> pd.DataFrame:
    """Articles and independent stories per period and topic; topic '' is the untagged remainder."""
    cte, params = selection(filters)
    unit = GRAINS[grain]
    return cur.execute(
        cte + f" SELECT date_trunc('{unit}', s.published)::DATE AS period, coalesce(t.topic, '') AS topic,"
        " count(*) AS articles, count(DISTINCT s.story_id) AS stories"
        " FROM selected s LEFT JOIN article_topics t USING (article_id)"
        " WHERE s.published IS NOT NULL GROUP BY ALL ORDER BY period, topic",
        params,
    ).df()


def topic_counts(cur: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    cte, params = selection(filters)
    return cur.execute(
        cte + " SELECT t.topic, tp.label, tp.label_ar, count(*) AS articles, count(DISTINCT s.story_id) AS stories,"
        " round(avg(t.score), 2) AS mean_score"
        " FROM selected s JOIN article_topics t USING (article_id) LEFT JOIN topics tp USING (topic)"
        " GROUP BY ALL ORDER BY articles DESC, t.topic",
        params,
    ).df()


def top_entities(cur: duckdb.DuckDBPyConnection, filters: Filters, entity_type: str | None = None, limit: int = 20) -> pd.DataFrame:
    cte, params = selection(filters)
    type_clause = " AND e.entity_type = ?" if entity_type else ""
    return cur.execute(
        cte + " SELECT e.entity_key, e.entity_type, e.canonical, e.latin,"
        " count(DISTINCT m.article_id) AS articles, count(*) AS mentions"
        " FROM selected s JOIN entity_mentions m USING (article_id) JOIN entities e USING (entity_key)"
        " WHERE TRUE" + type_clause + " GROUP BY ALL ORDER BY articles DESC, mentions DESC, e.entity_key LIMIT ?",
        [*params, *([entity_type] if entity_type else []), limit],
    ).df()


def article_page(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 50, offset: int = 0
) -> pd.DataFrame:
    """One page of the filtered articles, newest first, undated last."""
    cte, params = selection(filters)
    return cur.execute(
        cte + " SELECT a.article_id, a.published, a.title_raw, coalesce(a.source_name, a.source_path) AS source,"
        " a.byline, a.story_id, a.char_count,"
        " (SELECT string_agg(topic, ', ' ORDER BY score DESC) FROM article_topics t WHERE t.article_id = a.article_id) AS topics"
        " FROM selected s JOIN articles a USING (article_id)"
        " ORDER BY a.published DESC NULLS LAST, a.article_id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).df()


def cooccurrence(cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 40) -> pd.DataFrame:
    """Entity pairs named in the same sentence, with how many sentences and articles."""
    cte, params = selection(filters)
    return cur.execute(
        cte + ", pairs AS ("
        " SELECT m1.entity_key AS source, m2.entity_key AS target, m1.article_id, m1.seq"
        " FROM selected s JOIN entity_mentions m1 USING (article_id)"
        " JOIN entity_mentions m2 ON m2.article_id = m1.article_id AND m2.seq = m1.seq AND m1.entity_key < m2.entity_key"
        " GROUP BY ALL)"
        " SELECT source, target, count(*) AS sentences, count(DISTINCT article_id) AS articles"
        " FROM pairs GROUP BY ALL ORDER BY sentences DESC, source, target LIMIT ?",
        [*params, limit],
    ).df()


def store_stats(cur: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Whole-store figures for `python -m basira stats`."""
    one = lambda sql: cur.execute(sql).fetchone()  # noqa: E731
    articles, stories, undated, first, last = one(
        "SELECT count(*), count(DISTINCT story_id), count(*) FILTER (WHERE published IS NULL),"
        " min(published), max(published) FROM articles"
    )
    return {
        "articles": articles,
        "stories": stories,
        "undated": undated,
        "first": first,
        "last": last,
        "sentences": one("SELECT count(*) FROM sentences")[0],
        "boilerplate_sentences": one("SELECT count(*) FROM sentences WHERE is_boilerplate")[0],
        "sightings": one("SELECT count(*) FROM sightings")[0],
        "batches": one("SELECT count(*) FROM batches")[0],
        "rejected": cur.execute("SELECT reason, count(*) FROM rejected GROUP BY ALL ORDER BY 2 DESC").fetchall(),
        "topics": cur.execute(
            "SELECT topic, count(*) FROM article_topics GROUP BY ALL ORDER BY 2 DESC, 1"
        ).fetchall(),
        "entities": one("SELECT count(*) FROM entities")[0],
        "top_sources": cur.execute(
            "SELECT coalesce(source_name, source_path), count(*) FROM articles GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 5"
        ).fetchall(),
        "taxonomy_version": (cur.execute("SELECT value FROM meta WHERE key = 'taxonomy_version'").fetchone() or [None])[0],
    }
