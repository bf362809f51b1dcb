"""SQL of the search index (see basira/search.py for the design).

Tables: search_docs (indexed length per article), search_terms (stem, df; term_id is a hash of the stem),
search_runs (the postings runs) and one table search_run_<id> per run, each sorted by (term_id, article_id);
search_text (each article's phrase-matching text, compressed).
The view search_postings is the union of the runs. Index stats live in meta under search_*.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from basira.queries import create_schema, get_meta, quote_identifier, set_meta, shown_source

POSTING_COLUMNS = "term_id, article_id, tf, dl"
_EMPTY_POSTINGS = (
    "SELECT NULL::BIGINT AS term_id, NULL::BIGINT AS article_id, NULL::INTEGER AS tf, NULL::INTEGER AS dl WHERE FALSE"
)
# For read.selection: an article passes the free-text filter when it has the term, the entity filter when it
# names the entity (bind search.term_id / search.entity_term_id): a few pruned row groups of postings instead of
# a scan of every mention or sentence.
TEXT_CONDITION = "a.article_id IN (SELECT article_id FROM search_postings WHERE term_id = ?)"
ENTITY_CONDITION = TEXT_CONDITION


def run_table(run_id: int) -> str:
    return quote_identifier(f"search_run_{run_id}")


def index_state(con: duckdb.DuckDBPyConnection) -> tuple[str | None, int, int]:
    """(index version, articles indexed, articles stored)."""
    indexed, stored = con.execute("SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM articles)").fetchone()
    return get_meta(con, "search_version"), indexed, stored


def set_version(con: duckdb.DuckDBPyConnection, version: str) -> None:
    set_meta(con, "search_version", version)


def update_stats(con: duckdb.DuckDBPyConnection) -> None:
    docs, avgdl = con.execute("SELECT count(*), coalesce(avg(length), 0) FROM search_docs").fetchone()
    (texts,) = con.execute("SELECT count(*) FROM search_text").fetchone()
    set_meta(con, "search_docs", str(docs))
    set_meta(con, "search_avgdl", repr(float(avgdl)))
    set_meta(con, "search_texts", str(texts))


def text_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(articles indexed, articles with their phrase text in search_text)."""
    return con.execute("SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM search_text)").fetchone()


def texts_complete(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether every indexed article has its phrase text (as of the last index update): a store indexed before
    search_text existed has none until its next ingest."""
    rows = dict(cur.execute("SELECT key, value FROM meta WHERE key IN ('search_docs', 'search_texts')").fetchall())
    return rows.get("search_texts") is not None and rows.get("search_texts") == rows.get("search_docs")


def untexted_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Indexed articles without their phrase text, in id order."""
    rows = con.execute(
        "SELECT d.article_id FROM search_docs d ANTI JOIN search_text t USING (article_id) ORDER BY d.article_id"
    ).fetchall()
    return [r[0] for r in rows]


def add_texts(con: duckdb.DuckDBPyConnection, texts: pa.Table) -> None:
    """Append (article_id, body) rows to search_text, in article order like every other per-article table."""
    con.register("chunk_texts", texts)
    try:
        con.execute("INSERT INTO search_text SELECT article_id, body FROM chunk_texts ORDER BY article_id")
    finally:
        con.unregister("chunk_texts")


def article_bodies(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> list[tuple[int, bytes]]:
    """(article_id, compressed phrase text) of each of `ids`. A list of constants on the primary key is an index
    lookup (400 ids: 7 ms at 1M articles); a join to an unnested list scans and pins every vector it touches
    (150 ms once the candidates' vectors overflow the buffer pool)."""
    if not ids:
        return []
    marks = ", ".join(["?"] * len(ids))
    return cur.execute(f"SELECT article_id, body FROM search_text WHERE article_id IN ({marks})", ids).fetchall()


def unindexed_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.execute(
        "SELECT a.article_id FROM articles a"
        " WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.article_id = a.article_id) ORDER BY a.article_id"
    ).fetchall()
    return [r[0] for r in rows]


def article_texts(con: duckdb.DuckDBPyConnection, ids: list[int]) -> list[tuple[int, str]]:
    """(article_id, title and non-boilerplate sentences, normalised, one per line) for each of `ids`."""
    # The BETWEEN lets the scans skip row groups (both tables are stored in article order); the list is exact.
    return con.execute(
        "WITH wanted AS (SELECT unnest(?::BIGINT[]) AS article_id),"
        " lines AS ("
        " SELECT article_id, -1 AS seq, title_norm AS text FROM articles"
        " WHERE article_id BETWEEN ? AND ? AND title_norm IS NOT NULL"
        " UNION ALL SELECT article_id, seq, text_norm FROM sentences"
        " WHERE article_id BETWEEN ? AND ? AND NOT is_boilerplate)"
        " SELECT w.article_id, coalesce(string_agg(l.text, chr(10) ORDER BY l.seq), '')"
        " FROM wanted w LEFT JOIN lines l USING (article_id) GROUP BY w.article_id ORDER BY w.article_id",
        [ids, min(ids), max(ids), min(ids), max(ids)],
    ).fetchall()


def article_entities(con: duckdb.DuckDBPyConnection, ids: list[int]) -> pa.Table:
    """(article_id, entity_key, mentions) of the articles, from the dashboard summary."""
    con.complete()  # a relation cannot run while an earlier result still owns the connection
    return con.sql(
        "SELECT article_id, entity_key, mentions FROM summary_article_entities"
        " WHERE article_id BETWEEN ? AND ? AND article_id IN (SELECT unnest(?::BIGINT[]))",
        params=[min(ids), max(ids), ids],
    ).to_arrow_table()


def add_chunk(
    con: duckdb.DuckDBPyConnection, ids: list[int], postings: pa.Table, entities: pa.Table, run_id: int
) -> None:
    """Index a chunk: postings (term_id, stem, article_id, tf), one row per term and article (search.postings_table
    sums them); the articles join search_docs, their terms' df is added to search_terms, their postings become
    run `run_id` (level 0) together with the entity postings (term_id, article_id, tf = mentions; dl 0), which
    serve the entity filter and never count in BM25 lengths or df."""
    con.register("chunk_entities", entities)
    con.register("search_chunk", postings)
    con.register("chunk_ids", pa.table({"article_id": pa.array(ids, pa.int64())}))
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE search_chunk_docs AS"
            " SELECT i.article_id, coalesce(sum(c.tf), 0)::INTEGER AS length"
            " FROM chunk_ids i LEFT JOIN search_chunk c USING (article_id) GROUP BY i.article_id"
        )
        con.execute("INSERT INTO search_docs SELECT article_id, length FROM search_chunk_docs ORDER BY article_id")
        con.execute(
            "INSERT INTO search_terms SELECT term_id, any_value(stem), count(*) FROM search_chunk GROUP BY term_id"
            " ON CONFLICT (term_id) DO UPDATE SET df = search_terms.df + excluded.df"
        )
        con.execute(
            f"CREATE TABLE {run_table(run_id)} AS SELECT * FROM ("
            " SELECT c.term_id, c.article_id, c.tf, d.length AS dl FROM search_chunk c"
            " JOIN search_chunk_docs d USING (article_id)"
            " UNION ALL SELECT term_id, article_id, tf, 0 FROM chunk_entities)"
            " ORDER BY term_id, article_id"
        )
        (rows,) = con.execute(f"SELECT count(*) FROM {run_table(run_id)}").fetchone()
        con.execute("INSERT INTO search_runs VALUES (?, 0, ?)", [run_id, rows])
    finally:
        con.unregister("chunk_entities")
        con.unregister("search_chunk")
        con.unregister("chunk_ids")
        con.execute("DROP TABLE IF EXISTS search_chunk_docs")


def runs(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, int]]:
    """(run_id, level, postings) of every run, oldest first."""
    return con.execute("SELECT run_id, level, postings FROM search_runs ORDER BY run_id").fetchall()


def merge_runs(con: duckdb.DuckDBPyConnection, run_ids: list[int], new_id: int, level: int) -> None:
    """Replace runs by one sorted run. ORDER BY in a CREATE TABLE AS keeps that order on disk, which is what
    makes the per-row-group min/max of term_id selective."""
    union = " UNION ALL ".join(f"SELECT {POSTING_COLUMNS} FROM {run_table(r)}" for r in run_ids)
    con.execute(f"CREATE TABLE {run_table(new_id)} AS SELECT * FROM ({union}) ORDER BY term_id, article_id")
    (rows,) = con.execute(f"SELECT count(*) FROM {run_table(new_id)}").fetchone()
    con.execute("INSERT INTO search_runs VALUES (?, ?, ?)", [new_id, level, rows])
    con.execute("DELETE FROM search_runs WHERE run_id IN (SELECT unnest(?::INTEGER[]))", [run_ids])
    refresh_postings_view(con)
    for run_id in run_ids:
        con.execute(f"DROP TABLE {run_table(run_id)}")


def refresh_postings_view(con: duckdb.DuckDBPyConnection) -> None:
    ids = [r[0] for r in runs(con)]
    body = " UNION ALL ".join(f"SELECT {POSTING_COLUMNS} FROM {run_table(r)}" for r in ids) or _EMPTY_POSTINGS
    con.execute(f"CREATE OR REPLACE VIEW search_postings AS {body}")


def clear_index(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every index table and create them again empty (from schema.sql: a new layout takes effect)."""
    ids = [r[0] for r in runs(con)]
    con.execute("DROP VIEW IF EXISTS search_postings")
    for run_id in ids:
        con.execute(f"DROP TABLE IF EXISTS {run_table(run_id)}")
    for table in ("search_runs", "search_docs", "search_terms", "search_text"):
        con.execute(f"DROP TABLE IF EXISTS {quote_identifier(table)}")
    create_schema(con)


def corpus_stats(cur: duckdb.DuckDBPyConnection) -> tuple[int, float]:
    """(articles indexed, mean indexed length) as of the last index update."""
    docs, avgdl = get_meta(cur, "search_docs"), get_meta(cur, "search_avgdl")
    return int(docs or 0), float(avgdl or 0.0)


def term_stats(cur: duckdb.DuckDBPyConnection, term_ids: list[int]) -> tuple[int, float, list[int | None]]:
    """(articles indexed, mean indexed length, df of each term or None) in one round trip. One UNION ALL branch
    per term: an equality on search_terms' primary key is an index lookup, and plain branches cost less than
    scalar subqueries (each of those is planned as a join)."""
    branches = "".join(
        " UNION ALL SELECT ?::VARCHAR, df::VARCHAR FROM search_terms WHERE term_id = ?" for _ in term_ids
    )
    rows = dict(
        cur.execute(
            "SELECT key, value FROM meta WHERE key IN ('search_docs', 'search_avgdl')" + branches,
            [v for t in term_ids for v in (str(t), t)],
        ).fetchall()
    )
    dfs = [int(rows[str(t)]) if str(t) in rows else None for t in term_ids]
    return int(rows.get("search_docs") or 0), float(rows.get("search_avgdl") or 0.0), dfs


def document_frequencies(cur: duckdb.DuckDBPyConnection, term_ids: list[int]) -> dict[int, int]:
    rows = cur.execute(
        "SELECT term_id, df FROM search_terms WHERE term_id IN (SELECT unnest(?::BIGINT[]))", [term_ids]
    ).fetchall()
    return dict(rows)


def _weight(alias: str) -> str:
    # BM25 term weight with the constant parts bound: idf*(k1+1) * tf / (tf + k1*(1-b) + k1*b*dl/avgdl).
    return f"(?::DOUBLE * {alias}.tf / ({alias}.tf + ?::DOUBLE + ?::DOUBLE * {alias}.dl))"


def _weight_params(idf: float, avgdl: float, k1: float, b: float) -> list[float]:
    return [idf * (k1 + 1), k1 * (1 - b), k1 * b / avgdl if avgdl else 0.0]


# idf(rarest) - idf(other) above which the other list is semi-joined to the rarest first: ln 8, a list about
# eight times longer.
SEMI_JOIN_IDF_GAP = 2.08


def _with(cte: str) -> str:
    return cte + ", " if cte else "WITH "


def rank_all(
    cur: duckdb.DuckDBPyConnection,
    terms: list[tuple[int, str, float]],
    avgdl: float,
    k1: float,
    b: float,
    cte: str,
    cte_params: list,
    limit: int,
    offset: int,
) -> list[tuple]:
    """Articles with every term (term_id, stem, idf; rarest first): (article_id, score, stems).

    One join per extra term rather than a GROUP BY over all postings. The stems are the same for every row, so
    they are added here: a constant list column costs DuckDB a list per posting (half the time of a common
    term's query)."""
    if len(terms) == 1 and terms[0][2] < FLOOR_MAX_IDF:
        return _rank_one(cur, terms[0], avgdl, k1, b, cte, cte_params, limit, offset)
    if len(terms) > 1 and terms[0][2] >= LISTED_MIN_IDF and terms[1][2] < FLOOR_MAX_IDF:
        return _rank_listed(cur, terms, avgdl, k1, b, cte, cte_params, limit, offset)
    # A list much longer than the rarest is first cut to the rarest's articles (a semi join builds its hash table
    # on the short list): DuckDB cannot estimate a view's term lists and may build a plain join's table on the
    # long one. Between lists of similar length the semi join is a second pass for nothing.
    parts = [
        f"t{i} AS (SELECT article_id, tf, dl FROM search_postings WHERE term_id = ?"
        + (" AND article_id IN (SELECT article_id FROM t0))" if i and terms[0][2] - idf > SEMI_JOIN_IDF_GAP else ")")
        for i, (_, _, idf) in enumerate(terms)
    ]
    return _join_lists(cur, parts, [*cte_params, *(t[0] for t in terms)], terms, avgdl, k1, b, cte, limit, offset)


def _join_lists(
    cur: duckdb.DuckDBPyConnection,
    parts: list[str],
    part_params: list,
    terms: list[tuple[int, str, float]],
    avgdl: float,
    k1: float,
    b: float,
    cte: str,
    limit: int,
    offset: int,
) -> list[tuple]:
    """The top of the join of the term lists t0..tn (CTEs in `parts`, their parameters after the filter CTE's in
    `part_params`), scored by summed BM25: the one query both "all" plans end in."""
    score = " + ".join(_weight(f"t{i}") for i in range(len(terms)))
    joins = "".join(f" JOIN t{i} ON t{i}.article_id = t0.article_id" for i in range(1, len(terms)))
    narrowed = " JOIN selected s ON s.article_id = t0.article_id" if cte else ""
    query = (
        _with(cte) + ", ".join(parts)
        + f" SELECT t0.article_id, round({score}, 9) AS score FROM t0" + joins + narrowed
        + " ORDER BY score DESC, t0.article_id LIMIT ? OFFSET ?"
    )
    params = list(part_params)
    for _, _, idf in terms:
        params.extend(_weight_params(idf, avgdl, k1, b))
    params.extend([limit, offset])
    stems = sorted(t[1] for t in terms)
    return [(article_id, score, list(stems)) for article_id, score in cur.execute(query, params).fetchall()]


# A rarest list this short (idf 5.6: about 3.5k of 1M articles), when the next is long (idf under FLOOR_MAX_IDF),
# is read first and its ids bound into the query. Between shorter lists (a 376-article name against 38k and 132k)
# the extra round trip cost more than it saved (25 -> 28 ms).
LISTED_MIN_IDF = 5.6


def _rank_listed(
    cur: duckdb.DuckDBPyConnection,
    terms: list[tuple[int, str, float]],
    avgdl: float,
    k1: float,
    b: float,
    cte: str,
    cte_params: list,
    limit: int,
    offset: int,
) -> list[tuple]:
    """rank_all when the rarest list is short and the next one long: the rarest postings are read first and
    bound as lists, so a longer list is filtered by `IN (SELECT unnest(?))`, which DuckDB checks inside its scan
    (tf and dl are then read only for the matches), rather than semi-joined to a CTE after the scan. 1M
    articles, 1.4-3.7k rare articles against a 520-670k list: 26-32 -> 18-22 ms CPU; with 7-15k rare
    articles it was slower. Same tf and dl, same expression: same scores, order and ties."""
    rows = cur.execute("SELECT article_id, tf, dl FROM search_postings WHERE term_id = ?", [terms[0][0]]).fetchall()
    if not rows:
        return []
    ids, tfs, dls = (list(column) for column in zip(*rows))
    parts = ["t0 AS (SELECT unnest(?::BIGINT[]) AS article_id, unnest(?::INTEGER[]) AS tf, unnest(?::INTEGER[]) AS dl)"]
    parts += [
        f"t{i} AS (SELECT article_id, tf, dl FROM search_postings WHERE term_id = ?"
        " AND article_id IN (SELECT unnest(?::BIGINT[])))"
        for i in range(1, len(terms))
    ]
    params = [*cte_params, ids, tfs, dls]
    for term_id, _, _ in terms[1:]:
        params.extend([term_id, ids])
    return _join_lists(cur, parts, params, terms, avgdl, k1, b, cte, limit, offset)


def _rank_one(
    cur: duckdb.DuckDBPyConnection,
    term: tuple[int, str, float],
    avgdl: float,
    k1: float,
    b: float,
    cte: str,
    cte_params: list,
    limit: int,
    offset: int,
) -> list[tuple]:
    """rank_all of one term: its top limit + offset by weight, sorting only the rows above a sampled bound (the
    same round(w, 9), order and ties). The list is read twice, not materialised: the sample stops early."""
    term_id, stem, idf = term
    narrowed = " JOIN selected s ON s.article_id = p.article_id" if cte else ""
    rows = f"(SELECT p.article_id, {_weight('p')} AS w FROM search_postings p{narrowed} WHERE p.term_id = ?)"
    query = (
        _with(cte) + f"bound AS ({_floor_sql(rows)})"
        f" SELECT r.article_id, round(r.w, 9) AS score FROM {rows} r WHERE r.w >= (SELECT w FROM bound)"
        " ORDER BY score DESC, r.article_id LIMIT ? OFFSET ?"
    )
    weight = [*_weight_params(idf, avgdl, k1, b), term_id]
    floor = _floor_params(limit + offset)
    params = [*cte_params, floor[0], floor[1], *weight, *floor[2:], *weight, limit, offset]
    return [(article_id, score, [stem]) for article_id, score in cur.execute(query, params).fetchall()]


def rank_any(
    cur: duckdb.DuckDBPyConnection,
    terms: list[tuple[int, str, float]],
    avgdl: float,
    k1: float,
    b: float,
    cte: str,
    cte_params: list,
    limit: int,
    offset: int,
) -> list[tuple]:
    """Articles with at least one term, by summed BM25: (article_id, score, matched stems)."""
    branches = " UNION ALL ".join(
        f"SELECT p.article_id, {_weight('p')} AS w, ?::VARCHAR AS term FROM search_postings p WHERE p.term_id = ?"
        for _ in terms
    )
    narrowed = " JOIN selected s ON s.article_id = h.article_id" if cte else ""
    query = (
        _with(cte) + f"hits AS ({branches})"
        " SELECT h.article_id, round(sum(h.w), 9) AS score, list(h.term ORDER BY h.term) AS matched_terms"
        " FROM hits h" + narrowed +
        " GROUP BY h.article_id ORDER BY score DESC, h.article_id LIMIT ? OFFSET ?"
    )
    params = list(cte_params)
    for term_id, stem, idf in terms:
        params.extend([*_weight_params(idf, avgdl, k1, b), stem, term_id])
    params.extend([limit, offset])
    return cur.execute(query, params).fetchall()


# Rows of a long list whose k-th best weight bounds its top k from below (see _floor_sql).
FLOOR_SAMPLE = 16384
# A single term's top-N is bounded first only when its list is long (idf 2.5: in over 8% of the articles); for a
# short list the second read costs more than the sort it saves (a 2k list: 9 -> 15 ms at 1M).
FLOOR_MAX_IDF = 2.5
# Below the floor by more than rounding can move a score: a row whose round(w, 9) ties the k-th best is kept.
FLOOR_SLACK = 1e-6


def _floor_sql(rows: str) -> str:
    """A lower bound on the k-th best weight `w` of `rows` (bind _floor_params(k)): the k-th best among its first
    FLOOR_SAMPLE rows, which are k real rows; -inf when the sample has fewer than k. A top-k that first drops the
    rows below it keeps the same answer, and sorts a few thousand rows instead of a common term's 600k."""
    return (
        "SELECT CASE WHEN count(*) = ? THEN min(w) - ? ELSE '-inf'::DOUBLE END AS w"
        f" FROM (SELECT w FROM (SELECT w FROM {rows} LIMIT ?) ORDER BY w DESC LIMIT ?)"
    )


def _floor_params(k: int) -> list:
    return [k, FLOOR_SLACK, FLOOR_SAMPLE, k]


def rank_any_split(
    cur: duckdb.DuckDBPyConnection,
    terms: list[tuple[int, str, float]],
    avgdl: float,
    k1: float,
    b: float,
    cte: str,
    cte_params: list,
    limit: int,
    offset: int,
) -> list[tuple]:
    """rank_any's result (terms rarest first, at least two), without summing the most frequent term's postings.

    Summing every posting of a term found in most articles (a GROUP BY over 673k rows at 1M articles) is what
    made "any" slow. An article with none of the other terms scores that term's weight alone, so only the best
    limit + offset of those can be in the answer: a top-N. Only the articles with another term are summed, with
    the same round(sum(w), 9) over the same postings, so scores, order and ties are rank_any's. Matched stems
    are summed as one bit per term and spelled out here (a string per posting cost more than the sum)."""
    *rarer, (common_id, _, common_idf) = terms
    branches = " UNION ALL ".join(
        f"SELECT p.article_id, {_weight('p')} AS w, ?::BIGINT AS bit FROM search_postings p WHERE p.term_id = ?"
        for _ in rarer
    )
    narrowed = " JOIN selected s ON s.article_id = {0}.article_id" if cte else ""
    query = (
        _with(cte) + f"rare AS ({branches}),"
        " rare_ids AS (SELECT DISTINCT article_id FROM rare),"
        f" common AS (SELECT p.article_id, {_weight('p')} AS w FROM search_postings p WHERE p.term_id = ?),"
        " hits AS (SELECT article_id, w, bit FROM rare"
        " UNION ALL SELECT c.article_id, c.w, ?::BIGINT FROM common c SEMI JOIN rare_ids USING (article_id)),"
        " summed AS (SELECT h.article_id, round(sum(h.w), 9) AS score, sum(h.bit) AS bits"
        " FROM hits h" + narrowed.format("h") + " GROUP BY h.article_id),"
        " lone AS (SELECT c.article_id, c.w FROM common c" + narrowed.format("c")
        + " ANTI JOIN rare_ids r ON r.article_id = c.article_id),"
        " bound AS (" + _floor_sql("lone") + "),"
        " alone AS (SELECT c.article_id, round(c.w, 9) AS score, ?::BIGINT AS bits FROM common c" + narrowed.format("c")
        + " ANTI JOIN rare_ids r ON r.article_id = c.article_id WHERE c.w >= (SELECT w FROM bound)"
        " ORDER BY score DESC, c.article_id LIMIT ?)"
        " SELECT * FROM (FROM summed UNION ALL FROM alone) ORDER BY score DESC, article_id LIMIT ? OFFSET ?"
    )
    params = list(cte_params)
    for bit, (term_id, _, idf) in enumerate(rarer):
        params.extend([*_weight_params(idf, avgdl, k1, b), 1 << bit, term_id])
    common_bit = 1 << len(rarer)
    params.extend([*_weight_params(common_idf, avgdl, k1, b), common_id, common_bit])
    params.extend([*_floor_params(limit + offset), common_bit, limit + offset, limit, offset])
    stems = [t[1] for t in terms]
    return [
        (article_id, score, sorted(stem for bit, stem in enumerate(stems) if bits >> bit & 1))
        for article_id, score, bits in cur.execute(query, params).fetchall()
    ]


def _holding_all(groups: list[list[int]], cte: str) -> str:
    """SQL of the distinct articles with a posting of every group (a group: term ids, any of which will do), within
    the `selected` CTE when there is one. One equality branch per term id, so each is pruned to its row groups."""
    sets = [" UNION ".join(["SELECT article_id FROM search_postings WHERE term_id = ?"] * len(g)) for g in groups]
    if cte:
        sets.append("SELECT article_id FROM selected")
    return " INTERSECT ".join(f"({part})" for part in sets)


def count_all(cur: duckdb.DuckDBPyConnection, groups: list[list[int]], cte: str, cte_params: list) -> int:
    """How many articles hold every group of terms (rank_all's and rank_groups' matches, not ranked or fetched)."""
    query = _with(cte) + f"matched AS ({_holding_all(groups, cte)}) SELECT count(*) FROM matched"
    return cur.execute(query, [*cte_params, *(t for g in groups for t in g)]).fetchone()[0]


def ids_all(cur: duckdb.DuckDBPyConnection, groups: list[list[int]], cte: str, cte_params: list) -> list[int]:
    """The articles count_all counts."""
    query = _with(cte) + f"matched AS ({_holding_all(groups, cte)}) SELECT article_id FROM matched"
    return [r[0] for r in cur.execute(query, [*cte_params, *(t for g in groups for t in g)]).fetchall()]


def articles_with_phrases(cur: duckdb.DuckDBPyConnection, ids: list[int], phrases: list[str]) -> set[int]:
    """Those of `ids` where every phrase occurs (normalised) in one non-boilerplate sentence or the title."""
    every = " AND ".join(["bool_or(contains(text_norm, ?))"] * len(phrases))
    rows = cur.execute(
        "SELECT article_id FROM ("
        " SELECT article_id, text_norm FROM sentences"
        " WHERE article_id IN (SELECT unnest(?::BIGINT[])) AND NOT is_boilerplate"
        " UNION ALL SELECT article_id, title_norm FROM articles"
        " WHERE article_id IN (SELECT unnest(?::BIGINT[])) AND title_norm IS NOT NULL)"
        " GROUP BY article_id HAVING " + every,
        [ids, ids, *phrases],
    ).fetchall()
    return {r[0] for r in rows}


def result_metadata(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> list[tuple]:
    """(article_id, published, title, source, title_norm, url) per article, by primary key."""
    return cur.execute(
        f"SELECT article_id, published, title_raw, {shown_source()}, title_norm, url FROM articles"
        " WHERE article_id IN (SELECT unnest(?::BIGINT[]))",
        [ids],
    ).fetchall()


def result_sentences(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> list[tuple[int, int, str, str]]:
    """(article_id, seq, text_raw, text_norm) of the non-boilerplate sentences of a few articles.

    One equality branch per article: DuckDB prunes an equality to one row group and filters rows before
    reading the text, while an IN list only prunes and then reads every row's text (hundreds of ms)."""
    branch = "SELECT article_id, seq, text_raw, text_norm FROM sentences WHERE article_id = ? AND NOT is_boilerplate"
    return cur.execute(" UNION ALL ".join([branch] * len(ids)), ids).fetchall() if ids else []


def index_summary(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Sizes for the benchmark and `stats`: articles indexed, distinct terms, postings, runs."""
    docs, terms, postings, run_count = cur.execute(
        "SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM search_terms),"
        " (SELECT coalesce(sum(postings), 0) FROM search_runs), (SELECT count(*) FROM search_runs)"
    ).fetchone()
    return {"docs": docs, "terms": terms, "postings": int(postings), "runs": run_count}


def frequent_terms(cur: duckdb.DuckDBPyConnection, limit: int) -> list[tuple[str, int]]:
    """The most widespread stems with their df (the benchmark's hardest queries)."""
    return cur.execute("SELECT term, df FROM search_terms ORDER BY df DESC, term LIMIT ?", [limit]).fetchall()


def terms_with_df(cur: duckdb.DuckDBPyConnection, min_df: int, max_df: int, limit: int) -> list[tuple[str, int]]:
    """Up to `limit` stems whose df is in [min_df, max_df], in term_id (hash, so arbitrary but stable) order."""
    return cur.execute(
        "SELECT term, df FROM search_terms WHERE df BETWEEN ? AND ? ORDER BY term_id LIMIT ?", [min_df, max_df, limit]
    ).fetchall()


def entity_names_fingerprint(cur: duckdb.DuckDBPyConnection) -> tuple:
    """(entities, a hash of their keys and Latin forms, the summaries' extent): changes whenever the names a Latin
    query is matched against or their article counts do (those change only when the summaries are extended or
    rebuilt with the entities). 5 ms on the real store; hashing the counts too took 10."""
    return cur.execute(
        "SELECT count(*), coalesce(bit_xor(hash(entity_key, latin)), 0)::UBIGINT,"
        " (SELECT value FROM meta WHERE key = 'summary_through') FROM entities"
    ).fetchone()


def entity_names(cur: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """(entity_key, canonical, latin, articles naming it) of every entity, for matching Latin queries."""
    return cur.execute(
        "SELECT e.entity_key, e.canonical, e.latin, coalesce(s.articles, 0)::BIGINT"
        " FROM entities e LEFT JOIN summary_entities s USING (entity_key) ORDER BY e.entity_key"
    ).fetchall()


def rank_groups(
    cur: duckdb.DuckDBPyConnection,
    groups: list[tuple[list[int], float]],
    avgdl: float,
    k1: float,
    b: float,
    cte: str,
    cte_params: list,
    limit: int,
    offset: int,
) -> list[tuple[int, float, list[list[int]]]]:
    """Articles with a posting of every group, scored by summed BM25: (article_id, score, per group the numbers
    of the alternatives it holds). A group is (term_ids, idf): a query word's stem alone, or the entities a Latin
    name was read as, counted as one term (tf the sum of their postings' tf, idf the group's), so an article
    naming Bashar al-Assad ten times outranks one naming a rare namesake once. Each alternative is read by its
    own equality branch, pruned to its row groups as in rank_all."""
    parts, params = [], list(cte_params)
    for g, (term_ids, _) in enumerate(groups):
        branches = " UNION ALL ".join(
            "SELECT article_id, tf, dl, ?::INTEGER AS k FROM search_postings WHERE term_id = ?" for _ in term_ids
        )
        parts.append(
            f"g{g} AS (SELECT article_id, sum(tf) AS tf, max(dl) AS dl, list(k ORDER BY k) AS k"
            f" FROM ({branches}) GROUP BY article_id)"
        )
        for number, term_id in enumerate(term_ids):
            params.extend([number, term_id])
    score = " + ".join(_weight(f"g{g}") for g in range(len(groups)))
    chosen = ", ".join(f"g{g}.k" for g in range(len(groups)))
    joins = "".join(f" JOIN g{g} ON g{g}.article_id = g0.article_id" for g in range(1, len(groups)))
    narrowed = " JOIN selected s ON s.article_id = g0.article_id" if cte else ""
    query = (
        _with(cte) + ", ".join(parts)
        + f" SELECT g0.article_id, round({score}, 9) AS score, [{chosen}] FROM g0" + joins + narrowed
        + " ORDER BY score DESC, g0.article_id LIMIT ? OFFSET ?"
    )
    for _, idf in groups:
        params.extend(_weight_params(idf, avgdl, k1, b))
    params.extend([limit, offset])
    return cur.execute(query, params).fetchall()
