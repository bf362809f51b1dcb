"""Named queries of the repeated-paragraph counts (article_paragraphs, paragraph_counts; see schema.sql)."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from basira.queries import get_meta, quote_identifier, set_meta
from basira.queries.write import _scanned

_THROUGH = "paragraphs_through"
_PENDING = "repeated_paragraphs_pending"


def recorded_through(con: duckdb.DuckDBPyConnection) -> int:
    """The last article_id whose paragraphs are recorded (0 for a store written before the table existed)."""
    return int(get_meta(con, _THROUGH) or 0)


def add_paragraphs(con: duckdb.DuckDBPyConnection, rows: pa.Table, through: int) -> None:
    """Record (article_id, paragraph, fingerprint, page) rows of articles not recorded before and count each
    fingerprint once per page not counted for it yet. `through` is the last article_id now recorded."""
    if rows.num_rows:
        con.execute("CREATE OR REPLACE TEMP TABLE incoming_paragraph_counts (fingerprint BIGINT, n INTEGER)")
        with _scanned(con, "incoming_paragraphs", rows):
            con.execute(
                "INSERT INTO incoming_paragraph_counts"
                " SELECT i.fingerprint, count(DISTINCT i.page) FROM incoming_paragraphs i"
                " WHERE NOT EXISTS (SELECT 1 FROM article_paragraphs p"
                "  WHERE p.fingerprint = i.fingerprint AND p.page = i.page)"
                " GROUP BY i.fingerprint"
            )
            con.execute(
                "INSERT INTO article_paragraphs"
                " SELECT article_id, paragraph, fingerprint, page FROM incoming_paragraphs"
            )
        con.execute(
            "UPDATE paragraph_counts c SET pages = c.pages + i.n FROM incoming_paragraph_counts i"
            " WHERE c.fingerprint = i.fingerprint"
        )
        con.execute(
            "INSERT INTO paragraph_counts SELECT i.fingerprint, i.n FROM incoming_paragraph_counts i"
            " WHERE NOT EXISTS (SELECT 1 FROM paragraph_counts c WHERE c.fingerprint = i.fingerprint)"
        )
        con.execute("DROP TABLE incoming_paragraph_counts")
    set_meta(con, _THROUGH, str(through))


def repeated_paragraphs(
    con: duckdb.DuckDBPyConnection, min_pages: int, first_id: int, last_id: int, foreseen: bool = False
) -> list[tuple[int, int]]:
    """(article_id, paragraph) of the articles in [first_id, last_id] whose paragraph is counted on `min_pages`
    or more pages (or, `foreseen`, will be by the end of the batch: see foresee_repeats) and whose sentences are
    not all flagged yet."""
    later = " OR c.fingerprint IN (SELECT fingerprint FROM batch_repeated)" if foreseen else ""
    return con.execute(
        "SELECT DISTINCT p.article_id, p.paragraph FROM article_paragraphs p"
        " JOIN paragraph_counts c USING (fingerprint)"
        f" WHERE (c.pages >= ?{later}) AND p.article_id BETWEEN ? AND ?"
        " AND EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = p.article_id AND s.paragraph = p.paragraph"
        "  AND NOT s.is_boilerplate)"
        " ORDER BY p.article_id, p.paragraph",
        [min_pages, first_id, last_id],
    ).fetchall()


def repeated_fingerprints(con: duckdb.DuckDBPyConnection, min_pages: int) -> np.ndarray:
    """The fingerprints counted on `min_pages` or more pages, sorted (signed 64-bit)."""
    found = con.execute(
        "SELECT fingerprint FROM paragraph_counts WHERE pages >= ? ORDER BY fingerprint", [min_pages]
    ).fetchnumpy()["fingerprint"]
    return np.asarray(found, dtype=np.int64)


def not_repeated(con: duckdb.DuckDBPyConnection, fingerprints: np.ndarray, min_pages: int) -> int:
    """How many of these fingerprints are not counted on `min_pages` pages (none, unless the counts were read from
    another generation than the writer's: see ingest._stored_keys)."""
    if not fingerprints.size:
        return 0
    with _scanned(con, "checked_fingerprints", pa.table({"fingerprint": pa.array(fingerprints, pa.int64())})):
        (found,) = con.execute(
            "SELECT count(*) FROM checked_fingerprints k LEFT JOIN paragraph_counts c USING (fingerprint)"
            " WHERE coalesce(c.pages, 0) < ?",
            [min_pages],
        ).fetchone()
    return found


def flag_sentences(con: duckdb.DuckDBPyConnection, pairs: list[tuple[int, int]], reason: str) -> None:
    """Flag the not yet flagged sentences of these (article_id, paragraph) pairs as boilerplate `reason`."""
    if not pairs:
        return
    table = pa.table({"article_id": [a for a, _ in pairs], "paragraph": [p for _, p in pairs]})
    with _scanned(con, "flagged_paragraphs", table):
        con.execute(
            "UPDATE sentences s SET is_boilerplate = true, boilerplate_reason = ? FROM flagged_paragraphs f"
            " WHERE s.article_id = f.article_id AND s.paragraph = f.paragraph AND NOT s.is_boilerplate",
            [reason],
        )


def count_pending(con: duckdb.DuckDBPyConnection, min_pages: int) -> int:
    """Stored articles holding a repeated paragraph not flagged yet: analysed before the paragraph recurred (retag
    corrects them). Also kept in meta 'repeated_paragraphs_pending'."""
    (found,) = con.execute(
        "SELECT count(DISTINCT p.article_id) FROM article_paragraphs p JOIN paragraph_counts c USING (fingerprint)"
        " WHERE c.pages >= ? AND EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = p.article_id"
        "  AND s.paragraph = p.paragraph AND NOT s.is_boilerplate)",
        [min_pages],
    ).fetchone()
    set_meta(con, _PENDING, str(found))
    return found


def analysed_in(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...], pairs: list[tuple[int, int]]) -> list[int]:
    """The articles of these (article_id, paragraph) pairs whose sentences there hold a row of one of the analysis
    `tables` (a topic's evidence, a mention, a quotation, a quantity): only those change when the paragraphs stop
    counting.

    The range of the pairs' article ids lets every scan skip the row groups outside it (the tables are stored in
    article order): without it each EXISTS read its whole table, 0.2-0.3 s of CPU for a 100-article batch into
    a 100k store, growing with the store; with it 0.02 (bench/RESULTS.md, round 21)."""
    if not pairs:
        return []
    first, last = min(a for a, _ in pairs), max(a for a, _ in pairs)
    held = " OR ".join(
        f"EXISTS (SELECT 1 FROM {quote_identifier(t)} x WHERE x.article_id = s.article_id AND x.seq = s.seq"
        " AND x.article_id BETWEEN $first AND $last)"
        for t in tables
    )
    table = pa.table({"article_id": [a for a, _ in pairs], "paragraph": [p for _, p in pairs]})
    with _scanned(con, "checked_paragraphs", table):
        rows = con.execute(
            "SELECT DISTINCT s.article_id FROM sentences s JOIN checked_paragraphs c"
            " ON s.article_id = c.article_id AND s.paragraph = c.paragraph"
            f" WHERE s.article_id BETWEEN $first AND $last AND ({held}) ORDER BY s.article_id",
            {"first": first, "last": last},
        ).fetchall()
    return [a for (a,) in rows]


def delete_analysis(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...], article_ids: list[int]) -> None:
    """Remove the analysis rows of these articles (before they are analysed again)."""
    for table in tables:
        con.execute(
            f"DELETE FROM {quote_identifier(table)} WHERE article_id IN (SELECT unnest(?::BIGINT[]))", [article_ids]
        )


def sentences_of(con: duckdb.DuckDBPyConnection, article_ids: list[int]) -> list[tuple]:
    """(article_id, title_raw, sentences) of these articles, in id order (as write.article_sentences)."""
    return con.execute(
        "SELECT a.article_id, a.title_raw,"
        " list((s.seq, s.paragraph, s.start_char, s.end_char, s.text_raw, s.text_norm,"
        "       s.is_boilerplate, s.boilerplate_reason) ORDER BY s.seq)"
        " FROM articles a JOIN sentences s USING (article_id)"
        " WHERE a.article_id IN (SELECT unnest(?::BIGINT[])) GROUP BY ALL ORDER BY a.article_id",
        [article_ids],
    ).fetchall()


def sites_and_sentences(con: duckdb.DuckDBPyConnection, after_id: int, last_id: int) -> list[tuple]:
    """(article_id, source_name, url, content_hash, [(paragraph, start_char, end_char, text_norm)] in sentence
    order) of the articles in (after_id, last_id]: what recording an older store's paragraphs needs."""
    return con.execute(
        "SELECT a.article_id, a.source_name, a.url, a.content_hash,"
        " list((s.paragraph, s.start_char, s.end_char, s.text_norm) ORDER BY s.seq)"
        " FROM articles a JOIN sentences s USING (article_id)"
        " WHERE a.article_id > ? AND a.article_id <= ? GROUP BY ALL ORDER BY a.article_id",
        [after_id, last_id],
    ).fetchall()


def start_foresight(con: duckdb.DuckDBPyConnection) -> None:
    """Empty tables for a batch's read-ahead: each record's content hash (`ord` numbers the batch's articles in
    order) and its paragraphs' (fingerprint, page) keys. Temporary: they live as long as the writer's connection
    and spill to its temporary folder beyond the memory limit."""
    con.execute("CREATE OR REPLACE TEMP TABLE batch_articles (ord BIGINT, content_hash VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE batch_paragraphs (ord BIGINT, fingerprint BIGINT, page BIGINT)")


def foresee(con: duckdb.DuckDBPyConnection, articles: pa.Table, keys: pa.Table) -> None:
    """Append read-ahead rows: (ord, content_hash) and (ord, fingerprint, page)."""
    for name, rows in (("batch_articles", articles), ("batch_paragraphs", keys)):
        if rows.num_rows:
            with _scanned(con, "incoming_foresight", rows):
                con.execute(f"INSERT INTO {name} SELECT * FROM incoming_foresight")


def foresee_repeats(con: duckdb.DuckDBPyConnection, min_pages: int) -> None:
    """From the read-ahead rows, the fingerprints that will be counted on `min_pages` or more pages once the batch is
    stored (table batch_repeated). Counted as add_paragraphs will count them: the pages of the
    articles the batch will add (the first record of each content hash not stored yet), beside the stored counts."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE batch_repeated AS"
        " WITH fresh AS (SELECT min(ord) AS ord FROM batch_articles b"
        "  WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.content_hash = b.content_hash) GROUP BY content_hash),"
        " new_pages AS (SELECT DISTINCT fingerprint, page FROM batch_paragraphs WHERE ord IN (SELECT ord FROM fresh)),"
        " added AS (SELECT n.fingerprint, count(*) AS pages FROM new_pages n"
        "  WHERE NOT EXISTS (SELECT 1 FROM article_paragraphs s WHERE s.fingerprint = n.fingerprint AND s.page = n.page)"
        "  GROUP BY n.fingerprint)"
        " SELECT a.fingerprint FROM added a LEFT JOIN paragraph_counts c USING (fingerprint)"
        " WHERE coalesce(c.pages, 0) + a.pages >= ?",
        [min_pages],
    )
    con.execute("DROP TABLE batch_articles")
    con.execute("DROP TABLE batch_paragraphs")


def unfulfilled_foresight(con: duckdb.DuckDBPyConnection, min_pages: int) -> int:
    """Fingerprints foreseen as repeated that the stored batch did not bring to `min_pages` pages (none, unless an
    input changed between the read-ahead and the ingest). Drops batch_repeated."""
    (found,) = con.execute(
        "SELECT count(*) FROM batch_repeated b LEFT JOIN paragraph_counts c USING (fingerprint)"
        " WHERE coalesce(c.pages, 0) < ?",
        [min_pages],
    ).fetchone()
    con.execute("DROP TABLE batch_repeated")
    return found


def forget_paragraphs(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every recorded paragraph and count, for the next record_paragraphs to count again from the
    first article: their fingerprints are of the normalised text, which renormalising changes."""
    con.execute("DELETE FROM article_paragraphs")
    con.execute("DELETE FROM paragraph_counts")
    set_meta(con, _THROUGH, "0")


# Rows for move_pages, staged a chunk of rehash at a time: at a million articles the whole store's rows were
# 150-200 MB of Python objects in the writer, held until the new hashes were applied.
_MOVED_PAGES = "CREATE TEMP TABLE IF NOT EXISTS moved_pages (article_id BIGINT, content_hash VARCHAR, page BIGINT)"


def stage_moved_pages(con: duckdb.DuckDBPyConnection, pages: pa.Table) -> None:
    """Keep (article_id, content_hash, page) rows for move_pages."""
    con.execute(_MOVED_PAGES)
    if pages.num_rows:
        with _scanned(con, "incoming_pages", pages):
            con.execute("INSERT INTO moved_pages SELECT article_id, content_hash, page FROM incoming_pages")


def move_pages(con: duckdb.DuckDBPyConnection) -> None:
    """Give the recorded paragraphs of each staged article (stage_moved_pages) that holds the staged content hash now
    its page: a page without URL is keyed by its article's content hash, which rehashing changed. The counts stay:
    one page became another, for all its paragraphs at once."""
    con.execute(_MOVED_PAGES)
    con.execute(
        "UPDATE article_paragraphs p SET page = i.page"
        " FROM (SELECT i.article_id, i.page FROM moved_pages i"
        "  JOIN articles a ON a.article_id = i.article_id AND a.content_hash = i.content_hash) i"
        " WHERE p.article_id = i.article_id"
    )
    con.execute("DROP TABLE moved_pages")
