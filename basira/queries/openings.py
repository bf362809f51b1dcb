"""The opening words that lists show for an untitled article (table article_openings, written by ingest)."""

from __future__ import annotations

import duckdb

from basira import boilerplate, untitled
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


# The character spans of an article's sentences flagged as a paragraph its site repeats on many pages, and how many
# characters they hold, for the articles in a range: an opening is chosen past them (untitled.opening_past_repeats),
# so the top of the text read for it reaches SCAN_CHARS past what is skipped.
_REPEATED_SPANS = (
    "SELECT s.article_id, list([s.start_char, s.end_char] ORDER BY s.seq) AS spans,"
    " sum(s.end_char - s.start_char)::BIGINT AS chars FROM sentences s"
    " WHERE s.boilerplate_reason = ? AND s.article_id > ? AND s.article_id < ? GROUP BY s.article_id"
)


def repeated_spans(cur: duckdb.DuckDBPyConnection, after: int, before: int) -> dict[int, list[tuple[int, int]]]:
    """{article_id: (start, end) of each sentence flagged 'repeated_paragraph'} of the articles after < id < before."""
    rows = cur.execute(_REPEATED_SPANS, [boilerplate.REPEATED_PARAGRAPH, after, before]).fetchall()
    return {article_id: [tuple(span) for span in spans] for article_id, spans, _ in rows}


def untitled_tops(
    cur: duckdb.DuckDBPyConnection, after: int, before: int, uncovered: bool = False
) -> list[tuple[int, str, list[tuple[int, int]]]]:
    """(article_id, top of its text, its repeated sentences' spans) of the untitled articles after < id < before
    (`uncovered`: only those without a stored opening), in id order: what their openings are chosen from."""
    rows = cur.execute(
        f"WITH repeated AS ({_REPEATED_SPANS})"
        " SELECT a.article_id, left(a.text_raw, ? + coalesce(r.chars, 0)), coalesce(r.spans, [])"
        " FROM articles a LEFT JOIN repeated r USING (article_id)"
        " WHERE a.article_id > ? AND a.article_id < ? AND a.title_raw IS NULL"
        + (" AND a.article_id NOT IN (SELECT article_id FROM article_openings)" if uncovered else "")
        + " ORDER BY a.article_id",
        [boilerplate.REPEATED_PARAGRAPH, after, before, untitled.SCAN_CHARS, after, before],
    ).fetchall()
    return [(article_id, top, [tuple(span) for span in spans]) for article_id, top, spans in rows]
