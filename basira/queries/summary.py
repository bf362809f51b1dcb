"""SQL of the dashboard summaries: entity_mentions folded to one row per (article, entity) and per (article,
co-occurring pair), so the entity and network views aggregate without DISTINCT or a self-join.

At a million articles entity_mentions holds tens of millions of rows; the top-entities query over it spent
most of its time on count(DISTINCT article_id), and co-occurrence joined the table to itself. The summaries
are derived from entity_mentions only, refreshed after each ingest chunk and rebuilt after a retag; meta
'summary_through' is the last article_id they cover.

Pairs are numbered (summary_pairs.pair_id) so that the per-article rows and the co-occurrence aggregate carry
one integer instead of two strings (grouping by two VARCHARs was half of that query's time), and
summary_pairs keeps each pair's totals over the whole store (summary_entities each entity's): the unfiltered
view reads them directly, and a filtered view uses them to bound which pairs (entities) can reach its top N
(read.cooccurrence, read.top_entities).
"""

from __future__ import annotations

import duckdb

from basira.queries import get_meta, set_meta

_THROUGH = "summary_through"
_FACTS_THROUGH = "facts_through"
_EVIDENCE_THROUGH = "facts_evidence_through"
# An evidence sentence's matched terms and their offsets, from its topic_evidence rows `e` (ties in the start
# ordered by the end, so that the two lists pair up the same way every time).
EVIDENCE_SPANS = (
    "string_agg(DISTINCT e.term, ', ' ORDER BY e.term) AS terms,"
    " list(e.start_char ORDER BY e.start_char, e.end_char) AS starts, list(e.end_char ORDER BY e.start_char, e.end_char) AS ends"
)
# How many of the most frequent pairs, and of the most frequent pairs of each type (two people, two organisations,
# two places), get their facts copied to facts_hot_pairs (at 1M: 200 pairs, 5 of the 29 million pair facts, before
# the per-type ones were added).
HOT_PAIRS = 200
# And of the entities named in most articles (at 1M: 50 entities, 7 of the 20 million entity facts).
HOT_ENTITIES = 50
# The hot sets are chosen again when the store has grown this many times over since they were chosen.
HOT_REGROW = 2
_HOT_CHOSEN_AT = "facts_hot_chosen_at"
# Bumped when the choice of hot sets changes (2: the pairs of each type too): a store whose sets were chosen by an
# older rule chooses them again on its next refresh.
HOT_RULE = "2"
_HOT_RULE = "facts_hot_rule"


def _through(con: duckdb.DuckDBPyConnection) -> int:
    return int(get_meta(con, _THROUGH) or 0)


def _numbered_pairs(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether summary_article_pairs has the pair_id layout (stores written before it held two entity keys)."""
    (found,) = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'"
        " AND table_name = 'summary_article_pairs' AND column_name = 'pair_id'"
    ).fetchone()
    return found > 0


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    (found,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
        " AND table_name = ?",
        [name],
    ).fetchone()
    return found > 0


def _upgrade(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring a store written by an earlier version to the current summaries. Replaces an old-layout pair
    summary with the numbered one (empty: returns True, the caller rebuilds); adds the entity totals."""
    from basira.queries import create_schema

    renumber = not _numbered_pairs(con)
    totals_missing = not _has_table(con, "summary_entities")
    if renumber:
        con.execute("DROP TABLE summary_article_pairs")
    if renumber or totals_missing:
        create_schema(con)
    if totals_missing and not renumber:
        con.execute(
            "INSERT INTO summary_entities SELECT entity_key, count(*), sum(mentions) FROM summary_article_entities"
            " GROUP BY entity_key"
        )
    return renumber


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Summarise the articles stored since the last refresh (their analysis must be stored already)."""
    if _upgrade(con):
        rebuild(con)
        return
    _refresh_summaries(con)
    # After the summaries: the per-article entity and pair facts are copied from them. A store written before
    # the facts existed has none (facts_through 0), so its next refresh builds them all, in date order.
    _refresh_facts(con)
    # Last: the evidence facts copy each article's date, flag and source from facts_articles. Kept through their own
    # meta key, so a store whose facts were built before facts_evidence existed builds it all on its next refresh.
    _refresh_evidence(con)


def _refresh_summaries(con: duckdb.DuckDBPyConnection) -> None:
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
    # Totals: the keys already stored are updated, then the new ones inserted with theirs. (Inserting zeros first
    # and updating every key made DuckDB write an update for each new row too: most rows of a young store.)
    con.execute(
        "UPDATE summary_entities e SET articles = e.articles + n.articles, mentions = e.mentions + n.mentions"
        " FROM (SELECT entity_key, count(*) AS articles, sum(mentions) AS mentions FROM summary_article_entities"
        "  WHERE article_id > ? AND article_id <= ? GROUP BY entity_key) n"
        " WHERE e.entity_key = n.entity_key",
        [through, last],
    )
    con.execute(
        "INSERT INTO summary_entities SELECT entity_key, count(*), sum(mentions) FROM summary_article_entities n"
        " WHERE article_id > ? AND article_id <= ?"
        " AND NOT EXISTS (SELECT 1 FROM summary_entities e WHERE e.entity_key = n.entity_key) GROUP BY entity_key",
        [through, last],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE new_pairs AS"
        " WITH m AS (SELECT DISTINCT article_id, seq, entity_key FROM entity_mentions"
        "  WHERE article_id > ? AND article_id <= ?)"
        " SELECT m1.article_id, m1.entity_key AS source, m2.entity_key AS target, count(*)::INTEGER AS sentences"
        " FROM m m1 JOIN m m2 ON m2.article_id = m1.article_id AND m2.seq = m1.seq AND m1.entity_key < m2.entity_key"
        " GROUP BY ALL",
        [through, last],
    )
    con.execute(
        "UPDATE summary_pairs p SET sentences = p.sentences + n.sentences, articles = p.articles + n.articles"
        " FROM (SELECT source, target, sum(sentences) AS sentences, count(*) AS articles FROM new_pairs GROUP BY ALL) n"
        " WHERE p.source = n.source AND p.target = n.target"
    )
    # Pairs seen for the first time get the next numbers, in (source, target) order so that a rebuild numbers
    # them the same way every time.
    con.execute(
        "INSERT INTO summary_pairs"
        " SELECT (SELECT coalesce(max(pair_id), 0) FROM summary_pairs) + row_number() OVER (ORDER BY source, target),"
        " source, target, sentences, articles"
        " FROM (SELECT source, target, sum(sentences) AS sentences, count(*) AS articles FROM new_pairs n"
        "  WHERE NOT EXISTS (SELECT 1 FROM summary_pairs p WHERE p.source = n.source AND p.target = n.target)"
        "  GROUP BY ALL)"
    )
    con.execute(
        "INSERT INTO summary_article_pairs SELECT n.article_id, p.pair_id, n.sentences"
        " FROM new_pairs n JOIN summary_pairs p USING (source, target) ORDER BY n.article_id, p.pair_id"
    )
    con.execute("DROP TABLE new_pairs")
    set_meta(con, _THROUGH, str(last))


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Derive the summaries again from every stored article (after retag replaced the analysis)."""
    _upgrade(con)
    con.execute("DELETE FROM summary_article_entities")
    con.execute("DELETE FROM summary_article_pairs")
    con.execute("DELETE FROM summary_pairs")
    con.execute("DELETE FROM summary_entities")
    con.execute("DELETE FROM meta WHERE key = ?", [_THROUGH])
    for table in (
        "facts_articles", "facts_topics", "facts_entities", "facts_pairs", "facts_entity_ids", "facts_sources",
        "facts_entity_totals", "facts_pair_totals", "facts_hot_pairs", "facts_hot_pair_ids",
        "facts_topic_entity_totals", "facts_topic_pair_totals", "facts_hot_entities", "facts_hot_entity_ids",
        "facts_pair_types", "facts_evidence",
    ):
        con.execute(f"DELETE FROM {table}")
    con.execute("DELETE FROM meta WHERE key IN (?, ?)", [_FACTS_THROUGH, _EVIDENCE_THROUGH])
    refresh(con)


def facts_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the facts cover every summarised article (a store written before they existed has none until
    its next ingest or retag; the dashboard queries then take the direct formulation)."""
    try:
        return _caught_up(con, _FACTS_THROUGH, _THROUGH)
    except duckdb.CatalogException:
        return False


def _caught_up(con: duckdb.DuckDBPyConnection, key: str, leader: str) -> bool:
    """Whether the progress mark `key` in meta has reached the mark `leader` (both absent counts as reached)."""
    (ready,) = con.execute(
        "SELECT (SELECT value FROM meta WHERE key = ?) IS NOT DISTINCT FROM (SELECT value FROM meta WHERE key = ?)",
        [key, leader],
    ).fetchone()
    return bool(ready)


def evidence_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether facts_evidence covers every article the facts do (and they every summarised one): until then the
    evidence lists rank topic_evidence directly."""
    return facts_ready(con) and _caught_up(con, _EVIDENCE_THROUGH, _FACTS_THROUGH)


def _refresh_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Add the evidence facts of the articles given facts since the last time (see schema.sql, facts_evidence)."""
    through, last = int(get_meta(con, _EVIDENCE_THROUGH) or 0), int(get_meta(con, _FACTS_THROUGH) or 0)
    if last <= through:
        return
    con.execute(
        "INSERT INTO facts_evidence"
        " SELECT f.published, f.is_story, f.source_id, e.article_id, e.topic, e.seq, count(DISTINCT e.term)::INTEGER,"
        " t.score, " + EVIDENCE_SPANS +
        " FROM topic_evidence e JOIN facts_articles f USING (article_id)"
        " LEFT JOIN article_topics t ON t.article_id = e.article_id AND t.topic = e.topic"
        " WHERE e.article_id > ? AND e.article_id <= ? AND f.article_id > ? AND f.article_id <= ?"
        " GROUP BY ALL ORDER BY f.published NULLS FIRST, e.article_id, e.topic, e.seq",
        [through, last, through, last],
    )
    set_meta(con, _EVIDENCE_THROUGH, str(last))


def _copy_hot_rows(con: duckdb.DuckDBPyConnection, after: int, last: int) -> None:
    """Copy the hot pairs' and entities' facts of articles after..last, in date order."""
    con.execute(
        "INSERT INTO facts_hot_pairs SELECT * FROM facts_pairs WHERE article_id > ? AND article_id <= ?"
        " AND pair_id IN (SELECT pair_id FROM facts_hot_pair_ids) ORDER BY published NULLS FIRST, article_id, pair_id",
        [after, last],
    )
    con.execute(
        "INSERT INTO facts_hot_entities SELECT * FROM facts_entities WHERE article_id > ? AND article_id <= ?"
        " AND entity_id IN (SELECT entity_id FROM facts_hot_entity_ids)"
        " ORDER BY published NULLS FIRST, article_id, entity_id",
        [after, last],
    )


def _choose_hot(con: duckdb.DuckDBPyConnection, last: int) -> None:
    """Choose the hot pairs and entities from the whole-store totals and copy all their facts.

    Called on a build from scratch and again each time the store has grown HOT_REGROW-fold since the last
    choice: a store grown from small batches (the two seed articles, then daily uploads) would otherwise keep
    the first batch's choice forever, and the broad views the hot rows exist for would group the full facts.
    Re-choosing at each doubling copies the hot rows O(log n) times in all.
    """
    con.execute("DELETE FROM facts_hot_pair_ids")
    # The most frequent pairs, and those of two entities of one type: the Entities page's Type filter lists only
    # those (read.cooccurrence), and few of the overall top are two people (3 of 200 in the real store), so a
    # typed view found a floor of 1 among them and grouped every pair fact of its type.
    con.execute(
        "INSERT INTO facts_hot_pair_ids"
        " SELECT pair_id FROM (SELECT pair_id FROM summary_pairs ORDER BY sentences DESC, pair_id LIMIT ?)"
        " UNION SELECT pair_id FROM (SELECT d.pair_id,"
        "  row_number() OVER (PARTITION BY p.entity_type ORDER BY d.sentences DESC, d.pair_id) AS rank"
        "  FROM summary_pairs d JOIN facts_pair_types p USING (pair_id) WHERE p.entity_type IS NOT NULL) WHERE rank <= ?",
        [HOT_PAIRS, HOT_PAIRS],
    )
    con.execute("DELETE FROM facts_hot_entity_ids")
    con.execute(
        "INSERT INTO facts_hot_entity_ids SELECT i.entity_id FROM summary_entities s JOIN facts_entity_ids i"
        " USING (entity_key) ORDER BY s.articles DESC, i.entity_id LIMIT ?",
        [HOT_ENTITIES],
    )
    con.execute("DELETE FROM facts_hot_pairs")
    con.execute("DELETE FROM facts_hot_entities")
    _copy_hot_rows(con, 0, last)
    set_meta(con, _HOT_CHOSEN_AT, str(last))
    set_meta(con, _HOT_RULE, HOT_RULE)


def _add_pair_types(con: duckdb.DuckDBPyConnection) -> None:
    """The types of the pairs numbered since the last refresh (all of them in a store written before the table)."""
    con.execute(
        "INSERT INTO facts_pair_types SELECT d.pair_id, CASE WHEN s.entity_type = t.entity_type THEN s.entity_type END"
        " FROM summary_pairs d JOIN entities s ON s.entity_key = d.source JOIN entities t ON t.entity_key = d.target"
        " WHERE d.pair_id > (SELECT coalesce(max(pair_id), 0) FROM facts_pair_types) ORDER BY d.pair_id"
    )


def pair_types_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether facts_pair_types covers every numbered pair (pairs are numbered in order, so the last one tells)."""
    try:
        (ready,) = con.execute(
            "SELECT (SELECT max(pair_id) FROM facts_pair_types) IS NOT DISTINCT FROM (SELECT max(pair_id) FROM summary_pairs)"
        ).fetchone()
    except duckdb.CatalogException:
        return False
    return bool(ready)


def _refresh_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Add the facts of the articles summarised since the last refresh (see schema.sql, facts_*)."""
    _add_pair_types(con)
    through, last = int(get_meta(con, _FACTS_THROUGH) or 0), _through(con)
    if last <= through:
        return
    if through == 0:
        # Facts built from scratch: so are the evidence facts that copy their rows (_refresh_evidence).
        con.execute("DELETE FROM facts_evidence")
        con.execute("DELETE FROM meta WHERE key = ?", [_EVIDENCE_THROUGH])
    span = [through, last]
    # New sources and entities get the next numbers, in name order, as pairs do.
    con.execute(
        "INSERT INTO facts_sources"
        " SELECT (SELECT coalesce(max(source_id), 0) FROM facts_sources) + row_number() OVER (ORDER BY source), source"
        " FROM (SELECT DISTINCT coalesce(source_name, source_path) AS source FROM articles"
        "  WHERE article_id > ? AND article_id <= ?) n"
        " WHERE NOT EXISTS (SELECT 1 FROM facts_sources s WHERE s.source = n.source)",
        span,
    )
    con.execute(
        "INSERT INTO facts_entity_ids"
        " SELECT (SELECT coalesce(max(entity_id), 0) FROM facts_entity_ids) + row_number() OVER (ORDER BY entity_key),"
        " entity_key"
        " FROM (SELECT DISTINCT entity_key FROM summary_article_entities WHERE article_id > ? AND article_id <= ?) n"
        " WHERE NOT EXISTS (SELECT 1 FROM facts_entity_ids i WHERE i.entity_key = n.entity_key)",
        span,
    )
    con.execute(
        "INSERT INTO facts_articles"
        " SELECT a.published, a.article_id = a.story_id, s.source_id, a.article_id, a.story_id,"
        " a.article_id IN (SELECT article_id FROM article_topics WHERE article_id > ? AND article_id <= ?),"
        # Only the new articles' stories are counted: grouping every stored article at every chunk grew with
        # the store.
        " a.story_id IN (SELECT story_id FROM articles WHERE article_id <= ? AND story_id IN"
        "  (SELECT story_id FROM articles WHERE article_id > ? AND article_id <= ?)"
        "  GROUP BY story_id HAVING count(*) > 1)"
        " FROM articles a JOIN facts_sources s ON s.source = coalesce(a.source_name, a.source_path)"
        " WHERE a.article_id > ? AND a.article_id <= ? ORDER BY a.published NULLS FIRST, a.article_id",
        [*span, last, *span, *span],
    )
    new_articles = (
        " JOIN (SELECT published, is_story, source_id, article_id, story_id, shared FROM facts_articles"
        "  WHERE article_id > ? AND article_id <= ?) f USING (article_id)"
    )
    con.execute(
        "INSERT INTO facts_topics"
        " SELECT f.published, f.is_story, f.source_id, t.article_id, f.story_id, t.topic, t.score, f.shared"
        " FROM article_topics t" + new_articles +
        " ORDER BY f.published NULLS FIRST, t.article_id, t.topic",
        span,
    )
    # A new article in an older story makes that story's earlier rows shared too (stories never lose one).
    for table in ("facts_articles", "facts_topics"):
        con.execute(
            f"UPDATE {table} SET shared = TRUE WHERE NOT shared AND story_id IN"
            " (SELECT story_id FROM articles WHERE article_id > ? AND article_id <= ? AND article_id <> story_id)",
            span,
        )
    con.execute(
        "INSERT INTO facts_entities SELECT f.published, f.is_story, f.source_id, m.article_id, i.entity_id, m.mentions"
        " FROM summary_article_entities m" + new_articles + " JOIN facts_entity_ids i USING (entity_key)"
        " ORDER BY f.published NULLS FIRST, m.article_id, i.entity_id",
        span,
    )
    con.execute(
        "INSERT INTO facts_pairs SELECT f.published, f.is_story, f.source_id, p.article_id, p.pair_id, p.sentences"
        " FROM summary_article_pairs p" + new_articles +
        " ORDER BY f.published NULLS FIRST, p.article_id, p.pair_id",
        span,
    )
    chosen = get_meta(con, _HOT_CHOSEN_AT)
    if through == 0 or chosen is None or last >= HOT_REGROW * int(chosen) or get_meta(con, _HOT_RULE) != HOT_RULE:
        _choose_hot(con, last)
    else:
        # Later batches add the hot pairs' and entities' new rows, so their rows stay complete (which are hot
        # only changes speed, never an answer).
        _copy_hot_rows(con, through, last)
    topics = " JOIN article_topics tp USING (article_id)"
    for totals, source, keys, sums, (first, second) in (
        ("facts_entity_totals", "facts_entities f", ("f.entity_id",),
         "count(*) AS articles, sum(f.mentions) AS mentions", ("articles", "mentions")),
        ("facts_pair_totals", "facts_pairs f", ("f.pair_id",),
         "sum(f.sentences) AS sentences, count(*) AS articles", ("sentences", "articles")),
        ("facts_topic_entity_totals", "facts_entities f" + topics, ("tp.topic", "f.entity_id"),
         "count(*) AS articles, sum(f.mentions) AS mentions", ("articles", "mentions")),
        ("facts_topic_pair_totals", "facts_pairs f" + topics, ("tp.topic", "f.pair_id"),
         "sum(f.sentences) AS sentences, count(*) AS articles", ("sentences", "articles")),
    ):
        names = [k.split(".")[1] for k in keys] + ["is_story", "dated"]
        same = " AND ".join(f"t.{n} = n.{n}" for n in names)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE new_totals AS SELECT {', '.join(keys)}, f.is_story,"
            f" f.published IS NOT NULL AS dated, {sums} FROM {source}"
            " WHERE f.article_id > ? AND f.article_id <= ? GROUP BY ALL",
            span,
        )
        con.execute(
            f"UPDATE {totals} t SET {first} = t.{first} + n.{first}, {second} = t.{second} + n.{second}"
            f" FROM new_totals n WHERE {same}"
        )
        con.execute(
            f"INSERT INTO {totals} SELECT {', '.join(names)}, {first}, {second} FROM new_totals n"
            f" WHERE NOT EXISTS (SELECT 1 FROM {totals} t WHERE {same})"
        )
    con.execute("DROP TABLE new_totals")
    set_meta(con, _FACTS_THROUGH, str(last))
