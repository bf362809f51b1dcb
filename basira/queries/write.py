"""Named write queries used by ingest and retag. Bulk rows arrive as Arrow tables."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from basira import normalize, untitled
from basira.queries import get_meta, openings, quote_identifier, set_meta


@contextlib.contextmanager
def _scanned(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> Iterator[None]:
    """Expose an Arrow table to SQL under `name` for one statement.

    DuckDB 2.0 streams results: an unread result owns the connection and blocks register(), so the
    previous statement is completed first and this one before unregistering.
    """
    con.complete()
    con.register(name, rows)
    try:
        yield
        con.complete()
    finally:
        con.unregister(name)

# meta key of the normalize.VERSION the store's matching forms were made with.
NORMALIZATION = "normalization"
# meta key of the fingerprint.HASH_VERSION the store's content hashes were made with.
HASH_VERSION = "content_hash_version"
# meta key of the sentences.RULES the store's sentences were cut by.
SENTENCE_RULES = "sentence_rules"

# Tables derived from articles by analysis; retag empties and refills them.
ANALYSIS_TABLES = ("article_topics", "topic_evidence", "entity_mentions", "quotations", "quantities",
                   "entity_spellings")
# Letters that a folded spelling loses (hamza on any seat or none, madda alef, taa marbuta): of two spellings of an
# entity as frequent as each other, the one with more of them shows ("إدارة" before "ادارة"). Every other character
# (deleted to count them):
_UNMARKED = "[^\u0621-\u0626\u0629]"


def set_threads(con: duckdb.DuckDBPyConnection, threads: int) -> None:
    con.execute("SET threads = ?", [threads])


def start_batch(con: duckdb.DuckDBPyConnection, inputs: str) -> int:
    (batch_id,) = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchone()
    con.execute(
        "INSERT INTO batches (batch_id, started_at, inputs) VALUES (?, ?, ?)",
        [batch_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), inputs],
    )
    return batch_id


def finish_batch(con: duckdb.DuckDBPyConnection, batch_id: int, added: int, duplicates: int, rejected: int) -> None:
    con.execute(
        "UPDATE batches SET finished_at = ?, articles_added = ?, duplicates = ?, rejected = ? WHERE batch_id = ?",
        [dt.datetime.now(dt.UTC).replace(tzinfo=None), added, duplicates, rejected, batch_id],
    )


def next_article_id(con: duckdb.DuckDBPyConnection) -> int:
    (next_id,) = con.execute("SELECT coalesce(max(article_id), 0) + 1 FROM articles").fetchone()
    return next_id


def existing_hashes(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> set[str]:
    if not hashes:
        return set()
    rows = con.execute(
        "SELECT content_hash FROM articles WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))", [hashes]
    ).fetchall()
    return {h for (h,) in rows}


def hash_prefixes(con: duckdb.DuckDBPyConnection) -> np.ndarray:
    """The first 64 bits of every stored content hash (hex), as sorted unsigned integers."""
    found = con.execute(
        "SELECT ('0x' || left(content_hash, 16))::UBIGINT AS prefix FROM articles ORDER BY prefix"
    ).fetchnumpy()["prefix"]
    return np.asarray(found, dtype=np.uint64)


def known_sightings(con: duckdb.DuckDBPyConnection, source_paths: list[str]) -> set[tuple[str, str, str]]:
    rows = con.execute(
        "SELECT content_hash, source_path, locator FROM sightings"
        " WHERE source_path IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(set(source_paths))],
    ).fetchall()
    return set(rows)


def known_rejections(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str, str]]:
    return set(con.execute("SELECT source_path, locator, reason, excerpt FROM rejected").fetchall())


def bucket_matches(
    con: duckdb.DuckDBPyConnection, bands: pa.Table, per_bucket: int, per_row: int
) -> list[tuple[int, int, int]]:
    """(new row index, existing article_id, shared bands) for LSH bucket collisions: of each bucket only its
    `per_bucket` first members (lowest article_id), of those the `per_row` most shared per new row. A story
    republished a thousand times must not make every new copy compare against all of its copies."""
    with _scanned(con, "new_bands", bands):
        return con.execute(
            "WITH m AS (SELECT n.row_index, b.article_id FROM new_bands n"
            "  JOIN story_buckets b ON b.band = n.band AND b.bucket = n.bucket"
            "  QUALIFY row_number() OVER (PARTITION BY n.row_index, n.band ORDER BY b.article_id) <= ?)"
            " SELECT row_index, article_id, count(*) AS shared FROM m GROUP BY row_index, article_id"
            " QUALIFY row_number() OVER (PARTITION BY row_index ORDER BY shared DESC, article_id) <= ?",
            [per_bucket, per_row],
        ).fetchall()


def bucket_count(con: duckdb.DuckDBPyConnection) -> int:
    (found,) = con.execute("SELECT count(*) FROM story_buckets").fetchone()
    return found


def bucket_keys(con: duckdb.DuckDBPyConnection, hash_shift: int, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Every stored LSH bucket as (key, article_id) in storage order, in record batches. The key is the band in
    the top bits over the bucket hash shifted right by `hash_shift` (ingest.bucket_keys computes the same)."""
    con.complete()
    yield from con.sql(
        "SELECT (band::UBIGINT << ?) | (bucket >> ?) AS key, article_id FROM story_buckets",
        params=[64 - hash_shift, hash_shift],
    ).to_arrow_reader(batch_rows)


def signatures(con: duckdb.DuckDBPyConnection, article_ids: list[int]) -> dict[int, bytes]:
    rows = con.execute(
        "SELECT article_id, signature FROM story_signatures WHERE article_id IN (SELECT unnest(?::BIGINT[]))",
        [article_ids],
    ).fetchall()
    return dict(rows)


def story_of(con: duckdb.DuckDBPyConnection, article_ids: list[int]) -> dict[int, int]:
    rows = con.execute(
        "SELECT article_id, story_id FROM articles WHERE article_id IN (SELECT unnest(?::BIGINT[]))", [article_ids]
    ).fetchall()
    return dict(rows)


def append_rows(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """Append an Arrow table whose columns are named as the table's, in any order."""
    if rows.num_rows == 0:
        return
    columns = ", ".join(quote_identifier(c) for c in rows.column_names)
    with _scanned(con, "incoming_rows", rows):
        con.execute(f"INSERT INTO {quote_identifier(table)} ({columns}) SELECT {columns} FROM incoming_rows")


_OPENINGS_THROUGH = "openings_through"
_OPENINGS_RULES = "openings_rules"
# Untitled articles' texts read per statement when openings are worked out again for a whole store.
_OPENINGS_CHUNK = 20_000


def _insert_openings(con: duckdb.DuckDBPyConnection, rows: list[tuple[int, str, list[tuple[int, int]]]]) -> None:
    """Store (article_id, top of its text, its repeated sentences' spans) rows as their openings."""
    if not rows:
        return
    table = pa.table({"article_id": pa.array([r[0] for r in rows], pa.int64()),
                      "opening": pa.array([untitled.opening_past_repeats(r[1], r[2]) for r in rows], pa.string())})
    with _scanned(con, "incoming_openings", table):
        con.execute("INSERT INTO article_openings SELECT article_id, opening FROM incoming_openings ORDER BY article_id")


def _openings_from_store(con: duckdb.DuckDBPyConnection, after: int, before: int) -> None:
    """The openings of the stored untitled articles with after < article_id < before that have none."""
    while after < before - 1:
        upto = min(before, after + _OPENINGS_CHUNK + 1)
        _insert_openings(con, openings.untitled_tops(con, after, upto, uncovered=True))
        after = upto - 1


def refresh_openings(con: duckdb.DuckDBPyConnection, again: bool = False) -> bool:
    """Work out every stored opening again when they were written by other rules than basira.untitled's current
    ones (meta 'openings_rules'; a store of before it showed the first 80 characters, chrome and all), or `again`
    (retag, which flags the paragraphs that recurred after their article was stored). Returns whether it did."""
    if get_meta(con, _OPENINGS_RULES) == untitled.RULES and not again:
        return False
    through = int(get_meta(con, _OPENINGS_THROUGH) or 0)
    con.execute("DELETE FROM article_openings")
    _openings_from_store(con, 0, through + 1)
    set_meta(con, _OPENINGS_RULES, untitled.RULES)
    return True


def add_openings(con: duckdb.DuckDBPyConnection, articles: pa.Table) -> None:
    """Store the openings of the untitled ones among new articles (article_id, title_raw, text_raw), after those
    of any stored article not covered yet (a store written before article_openings existed: one pass over its
    untitled articles' text, on its next ingest) or covered by older rules. Called once the new articles' repeated
    paragraphs are flagged."""
    if articles.num_rows == 0:
        return
    ids = articles["article_id"]
    first, last = pc.min(ids).as_py(), pc.max(ids).as_py()
    refresh_openings(con)
    through = int(get_meta(con, _OPENINGS_THROUGH) or 0)
    if through < first - 1:
        _openings_from_store(con, through, first)
    untitled_rows = articles.filter(pc.is_null(articles["title_raw"]))
    spans = openings.repeated_spans(con, first - 1, last + 1)
    _insert_openings(con, [(i, text, spans.get(i, [])) for i, text in zip(
        untitled_rows["article_id"].to_pylist(), untitled_rows["text_raw"].to_pylist(), strict=True)])
    set_meta(con, _OPENINGS_THROUGH, str(last))


_OLDER_TAXONOMY = "taxonomy_older"


def mark_older_taxonomy(con: duckdb.DuckDBPyConnection, current: str) -> str | None:
    """Before a batch tagged with taxonomy `current`: when stored articles were tagged with another one, record it
    (meta 'taxonomy_older', the first such version until a retag clears it) and return it. The store's
    'taxonomy_version' then names the newest taxonomy, and this the older one its earlier articles still carry."""
    stored = get_meta(con, "taxonomy_version")
    if stored is None or stored == current or next_article_id(con) == 1:
        return get_meta(con, _OLDER_TAXONOMY)
    older = get_meta(con, _OLDER_TAXONOMY) or stored
    set_meta(con, _OLDER_TAXONOMY, older)
    return older


def clear_older_taxonomy(con: duckdb.DuckDBPyConnection) -> None:
    """After a retag every article carries the current taxonomy."""
    con.execute("DELETE FROM meta WHERE key = ?", [_OLDER_TAXONOMY])


def replace_topics(con: duckdb.DuckDBPyConnection, topics: list[tuple[str, str, str, str]]) -> None:
    con.execute("DELETE FROM topics")
    if topics:
        con.executemany("INSERT INTO topics VALUES (?, ?, ?, ?)", topics)


def upsert_entities(con: duckdb.DuckDBPyConnection, entities: pa.Table) -> None:
    if entities.num_rows == 0:
        return
    with _scanned(con, "incoming_entities", entities):
        con.execute(
            "INSERT INTO entities SELECT DISTINCT ON (entity_key) entity_key, entity_type, canonical, latin"
            " FROM incoming_entities ON CONFLICT (entity_key) DO UPDATE SET"
            " entity_type = excluded.entity_type, canonical = excluded.canonical, latin = excluded.latin"
        )


def store_entities(con: duckdb.DuckDBPyConnection, entities: pa.Table, spellings: pa.Table) -> None:
    """Add the entities of newly analysed articles (entity_key, entity_type, canonical, latin) and how the articles
    write those the gazetteer does not know (entity_spellings' columns); those show their commonest spelling."""
    changed = respelled_keys(con, spellings)
    upsert_entities(con, entities)
    append_rows(con, "entity_spellings", spellings)
    respell_entities(con, changed)


def respelled_keys(con: duckdb.DuckDBPyConnection, spellings: pa.Table) -> list[str]:
    """Of the keys new votes (entity_spellings' columns) are for, those whose name can change, before they are
    stored: a stored key voted for with another spelling than its name, or a new key with several spellings. A
    stored name has the most votes, so votes for it alone keep it ahead; a new key's one spelling is the name the
    upsert gives it. Of the 2,295 keys 1,000 real articles vote for, 57 (bench/RESULTS.md, "Re-spelling entities
    at scale"): the others need no read of the store's votes."""
    if spellings.num_rows == 0:
        return []
    with _scanned(con, "incoming_spellings", spellings.select(["entity_key", "canonical", "latin"])):
        return [k for (k,) in con.execute(
            "SELECT i.entity_key FROM incoming_spellings i LEFT JOIN entities e USING (entity_key)"
            " GROUP BY i.entity_key HAVING CASE WHEN count(e.entity_key) > 0"
            "  THEN bool_or(i.canonical <> e.canonical OR i.latin <> e.latin)"
            "  ELSE count(DISTINCT (i.canonical, i.latin)) > 1 END"
            " ORDER BY i.entity_key"
        ).fetchall()]


def spelled_keys(con: duckdb.DuckDBPyConnection, article_ids: list[int]) -> list[str]:
    """The entities these articles vote a spelling for (before their analysis is replaced)."""
    return [k for (k,) in con.execute(
        "SELECT DISTINCT entity_key FROM entity_spellings WHERE article_id IN (SELECT unnest(?::BIGINT[]))",
        [article_ids]).fetchall()]


def respell_entities(con: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
    """Name these entities by the spelling most of their stored mentions have; ties go to the spelling with more
    hamza and taa marbuta, then to the first in code point order. So the name depends only on what the store
    holds, not on which article came last (ingest order, workers, a retag).

    The keys are joined to entity_spellings (an `IN (subquery)` filter cost 4x the CPU: every stored row went
    through a mark join) and the winners computed once into a temp table (inline in the UPDATE they were computed
    twice): 2,295 keys of a 1,000-article batch over 7.5 M stored spellings (a million real articles' worth),
    3.3-4.1 s CPU -> 1.3-1.8 s (bench/RESULTS.md, "Re-spelling entities at scale")."""
    if not keys:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE respelled AS SELECT entity_key, canonical, latin FROM ("
        " SELECT s.entity_key, s.canonical, s.latin, sum(s.mentions) AS mentions FROM entity_spellings s"
        " JOIN (SELECT DISTINCT unnest(?::VARCHAR[]) AS entity_key) k USING (entity_key) GROUP BY ALL)"
        " QUALIFY row_number() OVER (PARTITION BY entity_key ORDER BY mentions DESC,"
        "  length(regexp_replace(canonical, ?, '', 'g')) DESC, canonical, latin) = 1",
        [keys, _UNMARKED],
    )
    con.execute(
        "UPDATE entities SET canonical = r.canonical, latin = r.latin FROM respelled r"
        " WHERE entities.entity_key = r.entity_key"
    )
    con.execute("DROP TABLE respelled")


def clear_analysis(con: duckdb.DuckDBPyConnection) -> None:
    for table in ANALYSIS_TABLES:
        con.execute(f"DELETE FROM {quote_identifier(table)}")
    con.execute("DELETE FROM entities")


def article_sentences(con: duckdb.DuckDBPyConnection, after_id: int, limit: int) -> list[tuple]:
    """Articles with their sentences, in id order, for re-analysis in chunks."""
    return con.execute(
        "SELECT a.article_id, a.title_raw,"
        " list((s.seq, s.paragraph, s.start_char, s.end_char, s.text_raw, s.text_norm,"
        "       s.is_boilerplate, s.boilerplate_reason) ORDER BY s.seq)"
        " FROM articles a JOIN sentences s USING (article_id)"
        " WHERE a.article_id > ? AND a.article_id <= ? GROUP BY ALL ORDER BY a.article_id",
        [after_id, after_id + limit],
    ).fetchall()


def outdated_normalization(con: duckdb.DuckDBPyConnection) -> str | None:
    """The older normalize.VERSION the store's matching forms were made with ("1" for a store written before the
    version was recorded); None when they are this version's, or the store is empty."""
    if not _outdated(con, NORMALIZATION, normalize.VERSION):
        return None
    stored = get_meta(con, NORMALIZATION)
    return "1" if stored is None else stored


def set_normalization(con: duckdb.DuckDBPyConnection, version: str) -> None:
    set_meta(con, NORMALIZATION, version)


def _outdated(con: duckdb.DuckDBPyConnection, key: str, current: str) -> bool:
    """Does the meta `key` name a version other than `current`? A store holding articles without the key was
    written before the version was recorded, so it is outdated; an empty store never is."""
    stored = get_meta(con, key)
    if stored is None:
        return bool(con.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0])
    return stored != current


def outdated_hashes(con: duckdb.DuckDBPyConnection, current: str) -> bool:
    """Were the stored content hashes made by a definition older than `current`?"""
    return _outdated(con, HASH_VERSION, current)


def set_hash_version(con: duckdb.DuckDBPyConnection, version: str) -> None:
    set_meta(con, HASH_VERSION, version)


def stored_bodies(con: duckdb.DuckDBPyConnection, after_id: int, last_id: int) -> list[tuple]:
    """(article_id, title_norm, content_hash, url, [(start_char, end_char, text_norm)] in sentence order) of the
    articles in (after_id, last_id], in id order: what rehashing reads."""
    return _with_sentences(con, "a.title_norm, a.content_hash, a.url", "s.start_char, s.end_char, s.text_norm",
                           after_id, last_id)


def stage_new_hashes(con: duckdb.DuckDBPyConnection, hashes: pa.Table) -> None:
    """Keep (article_id, old_hash, new_hash) rows for apply_new_hashes."""
    con.execute(_NEW_HASHES)
    if hashes.num_rows:
        with _scanned(con, "incoming_hashes", hashes):
            con.execute("INSERT INTO new_hashes SELECT article_id, old_hash, new_hash FROM incoming_hashes")


def outdated_sentence_rules(con: duckdb.DuckDBPyConnection, current: str) -> bool:
    """Were the stored sentences cut by rules older than `current`?"""
    return _outdated(con, SENTENCE_RULES, current)


def set_sentence_rules(con: duckdb.DuckDBPyConnection, version: str) -> None:
    set_meta(con, SENTENCE_RULES, version)


def stored_cuts(con: duckdb.DuckDBPyConnection, after_id: int, last_id: int) -> list[tuple]:
    """(article_id, text_raw, [(start_char, end_char)] in sentence order) of the articles in (after_id, last_id], in
    id order: what cutting them again compares."""
    return _with_sentences(con, "a.text_raw", "s.start_char, s.end_char", after_id, last_id)


def replace_sentences(con: duckdb.DuckDBPyConnection, sentences: pa.Table, signatures: pa.Table) -> None:
    """Put `sentences` (the sentences table's columns) in place of the stored sentences of their articles, and
    `signatures` (article_id, signature) in place of their story signatures."""
    with _scanned(con, "incoming_sentences", sentences):
        con.execute("DELETE FROM sentences WHERE article_id IN (SELECT DISTINCT article_id FROM incoming_sentences)")
        con.execute("INSERT INTO sentences SELECT * FROM incoming_sentences")
    with _scanned(con, "incoming_signatures", signatures):
        con.execute(
            "UPDATE story_signatures g SET signature = i.signature FROM incoming_signatures i"
            " WHERE g.article_id = i.article_id"
        )


def stored_forms(con: duckdb.DuckDBPyConnection, after_id: int, last_id: int) -> list[tuple]:
    """(article_id, title_raw, title_norm, content_hash, [(seq, text_raw, text_norm, is_boilerplate, start_char,
    end_char)]) of the articles in (after_id, last_id], in id order, sentences in order: what renormalising
    reads."""
    return _with_sentences(
        con, "a.title_raw, a.title_norm, a.content_hash",
        "s.seq, s.text_raw, s.text_norm, s.is_boilerplate, s.start_char, s.end_char", after_id, last_id,
    )


def _with_sentences(
    con: duckdb.DuckDBPyConnection, article_columns: str, sentence_columns: str, after_id: int, last_id: int
) -> list[tuple]:
    """(article_id, *article_columns, [(*sentence_columns)] in sentence order, [] for none) of the articles in
    (after_id, last_id], in id order: the chunked reads of the store's upgrade steps (stored_forms, stored_bodies,
    stored_cuts). Both sides bounded by the range, so DuckDB reads only the chunk's row groups."""
    return con.execute(
        f"SELECT a.article_id, {article_columns},"
        f" coalesce(list(({sentence_columns}) ORDER BY s.seq) FILTER (WHERE s.seq IS NOT NULL), [])"
        " FROM articles a LEFT JOIN sentences s ON s.article_id = a.article_id"
        "  AND s.article_id > ? AND s.article_id <= ?"
        " WHERE a.article_id > ? AND a.article_id <= ? GROUP BY ALL ORDER BY a.article_id",
        [after_id, last_id, after_id, last_id],
    ).fetchall()


# The content hashes renormalising found, kept until apply_new_hashes gives them to the articles at once.
_NEW_HASHES = "CREATE TEMP TABLE IF NOT EXISTS new_hashes (article_id BIGINT, old_hash VARCHAR, new_hash VARCHAR)"


def replace_forms(
    con: duckdb.DuckDBPyConnection, first_id: int, last_id: int, sentences: pa.Table, titles: pa.Table,
    signatures: pa.Table,
) -> None:
    """Store remade matching forms of articles in [first_id, last_id] whose forms changed: `sentences`
    (article_id, seq, text_norm), `titles` (article_id, title_norm, content_hash) and `signatures`
    (article_id, signature). The new content hashes wait in a temp table for apply_new_hashes."""
    # The id range lets DuckDB skip the row groups of other articles: sentences are stored in article order.
    with _scanned(con, "incoming_forms", sentences):
        con.execute(
            "UPDATE sentences s SET text_norm = i.text_norm FROM incoming_forms i"
            " WHERE s.article_id BETWEEN ? AND ? AND s.article_id = i.article_id AND s.seq = i.seq",
            [first_id, last_id],
        )
    with _scanned(con, "incoming_signatures", signatures):
        con.execute(
            "UPDATE story_signatures g SET signature = i.signature FROM incoming_signatures i"
            " WHERE g.article_id = i.article_id"
        )
    con.execute(_NEW_HASHES)
    with _scanned(con, "incoming_titles", titles):
        con.execute(
            "UPDATE articles a SET title_norm = i.title_norm FROM incoming_titles i"
            " WHERE a.article_id = i.article_id AND a.title_norm IS DISTINCT FROM i.title_norm"
        )
        con.execute(
            "INSERT INTO new_hashes SELECT i.article_id, a.content_hash, i.content_hash"
            " FROM incoming_titles i JOIN articles a USING (article_id) WHERE a.content_hash <> i.content_hash"
        )


# Articles copied per statement when apply_new_hashes writes the articles table again.
_REWRITE_CHUNK = 10_000


def apply_new_hashes(con: duckdb.DuckDBPyConnection) -> int:
    """Give each article the content hash replace_forms found for it, and the sightings that name the old one the
    new one. Returns how many keep their old hash because another article holds the new one: the fold made them
    the same text, and the earliest stays the one a re-ingest of that text finds."""
    con.execute(_NEW_HASHES)
    (changed,) = con.execute("SELECT count(*) FROM new_hashes").fetchone()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rehashed AS SELECT n.* FROM new_hashes n"
        " WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.content_hash = n.new_hash"
        "  AND a.article_id NOT IN (SELECT article_id FROM new_hashes))"
        " QUALIFY row_number() OVER (PARTITION BY n.new_hash ORDER BY n.article_id) = 1"
    )
    (rehashed,) = con.execute("SELECT count(*) FROM rehashed").fetchone()
    if rehashed:
        # An UPDATE of the UNIQUE content_hash costs ~10 ms a row in DuckDB 2.0 (2,267 rows: 85 s); the table
        # written again in id order costs a copy, and keeps the order that ranges over article_id rely on.
        definition = con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'articles'").fetchone()[0]
        con.execute(definition.replace("CREATE TABLE articles(", "CREATE TABLE articles_rehashed(", 1))
        (last,) = con.execute("SELECT coalesce(max(article_id), 0) FROM articles").fetchone()
        # A range at a time: sorting the whole table with its text at once ran out of the writer's memory on a
        # store of 97k articles (bench/RESULTS.md, round 22).
        for after in range(0, last, _REWRITE_CHUNK):
            con.execute(
                "INSERT INTO articles_rehashed SELECT a.* REPLACE (coalesce(r.new_hash, a.content_hash) AS content_hash)"
                " FROM articles a LEFT JOIN rehashed r USING (article_id)"
                " WHERE a.article_id > ? AND a.article_id <= ? ORDER BY a.article_id",
                [after, after + _REWRITE_CHUNK],
            )
        con.execute("DROP TABLE articles")
        con.execute("ALTER TABLE articles_rehashed RENAME TO articles")
        con.execute("UPDATE sightings s SET content_hash = r.new_hash FROM rehashed r WHERE s.content_hash = r.old_hash")
    con.execute("DROP TABLE rehashed")
    con.execute("DROP TABLE new_hashes")
    return changed - rehashed
