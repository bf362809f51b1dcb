"""Named read queries behind the pages, the CLI and the benchmark. All take a cursor and Filters."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from basira.export import numbered_sentences, with_terms_as_written
from basira.filters import Filters
from basira.normalize import normalize_text, spelling_pattern, tokenize
from basira.queries import file_name, openings, shown_source, write
from basira.queries.search import ENTITY_CONDITION, TEXT_CONDITION, result_metadata

# What the downloads of the sentence lists leave out: the normalised text and the highlight offsets.
_HIGHLIGHTS = ["sentence_norm", "starts", "ends"]
GRAINS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def selection(filters: Filters) -> tuple[str, list]:
    """A `selected` CTE of (article_id, story_id, published) for the filtered view, and its parameters."""
    conditions, params = _conditions(filters)
    sql = (
        "WITH selected AS (SELECT a.article_id, a.story_id, a.published FROM articles a WHERE "
        + " AND ".join(conditions)
        + ")"
    )
    return sql, params


def unrestricted(filters: Filters) -> bool:
    """Whether the filtered view is the whole store (then whole-store summaries answer without a join)."""
    return _everything(filters)


def _everything(filters: Filters) -> bool:
    # The queries call this, not `unrestricted`: tests/test_cache.py counts calls of the public functions.
    return _conditions(filters)[0] == ["TRUE"]


def _conditions(filters: Filters) -> tuple[list[str], list]:
    conditions, params = _date_conditions(filters, "a")
    if filters.sources:
        # Keyed on the name the pages show (Filters.sources), so no server path reaches a link or an export.
        conditions.append(f"{shown_source('a.')} IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(filters.sources))
    if filters.topics:
        conditions.append(
            "a.article_id IN (SELECT article_id FROM article_topics WHERE topic IN (SELECT unnest(?::VARCHAR[])))"
        )
        params.append(list(filters.topics))
    # Entities and free text go through the search index's postings (light stems; function words dropped;
    # entity postings from the analysis): a scan of every mention or sentence takes seconds at a million articles.
    # Imported here because basira.search imports this module.
    from basira.search import entity_term_id, filter_terms

    for entity in filters.entities:
        conditions.append(ENTITY_CONDITION)
        params.append(entity_term_id(entity))
    for term_id in filter_terms(filters):
        conditions.append(TEXT_CONDITION)
        params.append(term_id)
    if not filters.include_duplicates:
        conditions.append("a.article_id = a.story_id")
    return conditions, params


def _date_conditions(filters: Filters, alias: str) -> tuple[list[str], list]:
    """The date range and undated choice as predicates on rows aliased `alias` (articles or facts), led by TRUE
    so that callers can append to the list and join it whatever else is chosen."""
    conditions, params = ["TRUE"], []
    dated = []
    if filters.date_from:
        dated.append(f"{alias}.published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        dated.append(f"{alias}.published <= ?")
        params.append(filters.date_to)
    if dated:
        clause = " AND ".join(dated)
        # An undated article cannot be placed in a range; it stays in one only when the analyst asked for it.
        conditions.append(f"(({clause}) OR {alias}.published IS NULL)" if filters.undated_included else clause)
    if not filters.undated_included:
        conditions.append(f"{alias}.published IS NOT NULL")
    return conditions, params


def _fact_view(filters: Filters, alias: str = "f") -> tuple[str, list]:
    """The filtered view over a facts_* table (schema.sql) aliased `alias`: the text after `FROM facts_x f`,
    and its parameters. The same selection as `selection`, but date, duplicates and source are predicates on
    the fact rows themselves (stored in date order, so a date range skips row groups), and the topic, entity
    and text filters are joins with their article sets (an IN subquery over tens of millions of fact rows
    cost 3-5x more than a join; an INTERSECT of two broad entities' sets cost more than two joins)."""
    from basira.search import entity_term_id, filter_terms

    # Each set has an article once, so a join keeps each fact row once: an article has a topic once (DISTINCT
    # when several topics are asked for) and a term one posting. The topic set comes from the topic facts
    # under the view's own predicates, so a date range prunes it before the DISTINCT.
    sets, set_params = [], []
    if filters.topics:
        distinct = "DISTINCT " if len(filters.topics) > 1 else ""
        own, own_params = _fact_conditions(filters, "t")
        sets.append(
            f"SELECT {distinct}t.article_id FROM facts_topics t WHERE t.topic IN (SELECT unnest(?::VARCHAR[])) AND " + own
        )
        set_params += [list(filters.topics), *own_params]
    for term in [entity_term_id(e) for e in filters.entities] + filter_terms(filters):
        sets.append("SELECT article_id FROM search_postings WHERE term_id = ?")
        set_params.append(term)
    joined = "".join(f" JOIN ({part}) required_{i} USING (article_id)" for i, part in enumerate(sets))
    conditions, params = _fact_conditions(filters, alias)
    return joined + " WHERE " + conditions, [*set_params, *params]


def _fact_conditions(filters: Filters, alias: str) -> tuple[str, list]:
    """The date, undated, source and duplicates filters as predicates on fact rows aliased `alias`."""
    conditions, params = _date_conditions(filters, alias)
    if filters.sources:
        # facts_sources keeps the stored key (the outlet, else the file's path), never shown: a chosen name selects
        # the outlet of that name and every file of that name that named no outlet (as shown_source reads them).
        # The file names are taken of the few keys, not of every article's path (at 1M articles, half from files:
        # 20 ms, against 90 ms for each path's name), and a chosen outlet finds no key to check against the articles.
        conditions.append(
            f"{alias}.source_id IN (SELECT source_id FROM facts_sources WHERE source IN (SELECT unnest(?::VARCHAR[]))"
            " UNION ALL SELECT source_id FROM facts_sources"
            f" WHERE {file_name('source')} IN (SELECT unnest(?::VARCHAR[]))"
            "  AND source IN (SELECT source_path FROM articles WHERE source_name IS NULL))"
        )
        params += [list(filters.sources), list(filters.sources)]
    if not filters.include_duplicates:
        conditions.append(f"{alias}.is_story")
    return " AND ".join(conditions), params


def _totals(filters: Filters) -> tuple[str, str, list] | None:
    """For a view narrowed only by the duplicates and undated flags, and at most one topic, the totals tables
    that sum it (schema.sql: facts_[topic_]entity_totals, facts_[topic_]pair_totals): their name prefix, the
    condition on their rows (aliased t) and its parameters; None for any other view."""
    if filters.date_from or filters.date_to or filters.sources or filters.entities or filters.text or len(filters.topics) > 1:
        return None
    conditions = ["TRUE"] + (["t.is_story"] if not filters.include_duplicates else [])
    conditions += ["t.dated"] if not filters.undated_included else []
    if filters.topics:
        return "facts_topic_", " AND ".join([*conditions, "t.topic = ?"]), [filters.topics[0]]
    return "facts_", " AND ".join(conditions), []


def _facts(cur: duckdb.DuckDBPyConnection) -> bool:
    from basira.queries.summary import facts_ready

    return facts_ready(cur)


def _pair_types(cur: duckdb.DuckDBPyConnection) -> bool:
    from basira.queries.summary import pair_types_ready

    return pair_types_ready(cur)


def key_figures(cur: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, int]:
    if not _facts(cur):
        return key_figures_direct(cur, filters)
    view, params = _fact_view(filters)
    # An unshared article is a story of its own: only shared ones are counted distinct. A view holding only
    # story roots, or every article (so every root), has as many stories as roots.
    stories = (
        "count(*) FILTER (WHERE f.is_story)"
        if _everything(filters) or not filters.include_duplicates
        else "count(*) FILTER (WHERE NOT f.shared) + count(DISTINCT f.story_id) FILTER (WHERE f.shared)"
    )
    row = cur.execute(
        "SELECT count(*), " + stories + ","
        " count(*) FILTER (WHERE f.published IS NULL), min(f.published), max(f.published) FROM facts_articles f" + view,
        params,
    ).fetchone()
    return {"articles": row[0], "stories": row[1], "undated": row[2], "first": row[3], "last": row[4]}


def timeline(cur: duckdb.DuckDBPyConnection, filters: Filters, grain: str = "month") -> pd.DataFrame:
    """Articles and independent stories per period and topic; topic '' is the untagged remainder."""
    if not _facts(cur):
        return timeline_direct(cur, filters, grain)
    view, params = _fact_view(filters)
    unit = GRAINS[grain]
    # Tagged articles from the topic facts, the untagged remainder from the article facts: no join at all.
    # Rows of unshared stories (story NULL below) are one group per period and topic, each row a story; only
    # shared rows are grouped per story (grouping every row per story was most of the query's time).
    return cur.execute(
        f"WITH per_story AS (SELECT date_trunc('{unit}', f.published)::DATE AS period, f.topic,"
        " CASE WHEN f.shared THEN f.story_id END AS story, count(*) AS n FROM facts_topics f" + view +
        " AND f.published IS NOT NULL GROUP BY ALL"
        f" UNION ALL SELECT date_trunc('{unit}', f.published)::DATE AS period, '' AS topic,"
        " CASE WHEN f.shared THEN f.story_id END AS story, count(*) AS n FROM facts_articles f" + view +
        " AND f.published IS NOT NULL AND NOT f.tagged GROUP BY ALL)"
        " SELECT period, topic, sum(n)::BIGINT AS articles, sum(CASE WHEN story IS NULL THEN n ELSE 1 END)::BIGINT AS stories"
        " FROM per_story GROUP BY ALL ORDER BY period, topic",
        [*params, *params],
    ).df()


def topic_counts(cur: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    if not _facts(cur):
        return topic_counts_direct(cur, filters)
    view, params = _fact_view(filters)
    return cur.execute(
        "WITH per_story AS (SELECT f.topic, CASE WHEN f.shared THEN f.story_id END AS story, count(*) AS n,"
        " sum(f.score) AS score FROM facts_topics f" + view + " GROUP BY ALL),"
        " per_topic AS (SELECT topic, sum(n)::BIGINT AS articles,"
        " sum(CASE WHEN story IS NULL THEN n ELSE 1 END)::BIGINT AS stories,"
        " round(sum(score) / sum(n), 2) AS mean_score FROM per_story GROUP BY topic)"
        " SELECT c.topic, tp.label, tp.label_ar, c.articles, c.stories, c.mean_score"
        " FROM per_topic c LEFT JOIN topics tp USING (topic) ORDER BY c.articles DESC, c.topic",
        params,
    ).df()


def top_entities(cur: duckdb.DuckDBPyConnection, filters: Filters, entity_type: str | None = None, limit: int = 20) -> pd.DataFrame:
    if unrestricted(filters) or not _facts(cur):
        return top_entities_direct(cur, filters, entity_type, limit)
    # Entity numbers are grouped in DuckDB's perfect hash table (an array indexed by the key), which it uses
    # for keys of at most 12 bits by default; entity numbers need 16 at 1M. Allowing 18 (262,144 entities;
    # beyond, DuckDB falls back to its hash table) cut the CPU 2.2x for a broad entity view. The setting is
    # the cursor's own and is reset afterwards.
    cur.execute("SET perfect_ht_threshold = 18")
    try:
        return _top_entities_facts(cur, filters, entity_type, limit)
    except duckdb.CatalogException:
        # Facts next to an entity summary of an older layout (its next refresh rebuilds both).
        return top_entities_direct(cur, filters, entity_type, limit)
    finally:
        cur.execute("RESET perfect_ht_threshold")


def _top_entities_facts(cur: duckdb.DuckDBPyConnection, filters: Filters, entity_type: str | None, limit: int) -> pd.DataFrame:
    typed = lambda alias: (  # noqa: E731
        f" AND {alias}.entity_id IN (SELECT i.entity_id FROM facts_entity_ids i JOIN entities e USING (entity_key)"
        " WHERE e.entity_type = ?)"
        if entity_type
        else ""
    )
    type_params = [entity_type] if entity_type else []
    totals = _totals(filters)
    if totals:
        prefix, condition, params = totals
        counted = (
            "SELECT t.entity_id, sum(t.articles)::BIGINT AS articles, sum(t.mentions)::BIGINT AS mentions"
            f" FROM {prefix}entity_totals t WHERE " + condition + typed("t") + " GROUP BY t.entity_id"
        )
        return cur.execute(_named_entities_sql(counted), [*params, *type_params, limit]).df()
    view, params = _fact_view(filters)
    full = (
        "SELECT f.entity_id, count(*) AS articles, sum(f.mentions)::BIGINT AS mentions"
        " FROM facts_entities f" + view + typed("f") + " GROUP BY f.entity_id"
    )
    if filters.sources or filters.text:
        # A source or a word narrows the view to a few percent of the articles, whose top entities are rarely
        # all hot: the hot pass would be wasted (at 1M, one source: 60-90 ms before the same 140 ms).
        return cur.execute(_named_entities_sql(full), [*params, *type_params, limit]).df()
    # The two-pass bound of cooccurrence, over the hot entities (schema.sql): their counts in the view give a
    # floor; when every entity whose whole-store count reaches it is hot (a broad view), they are the answer.
    hot = cur.execute(
        "SELECT f.entity_id, count(*) AS articles, sum(f.mentions)::BIGINT AS mentions FROM facts_hot_entities f"
        + view + typed("f") + " GROUP BY f.entity_id ORDER BY articles DESC",
        [*params, *type_params],
    ).fetchall()
    floor = hot[limit - 1][1] if 0 < limit <= len(hot) else 1
    # By key: joining all 50k entity numbers to their keys to test a few cost 3x more. An entity without a
    # number would count as outside, which only takes the exact full path.
    (outside,) = cur.execute(
        "SELECT count(*) FROM summary_entities s WHERE s.articles >= ? AND s.entity_key NOT IN"
        " (SELECT i.entity_key FROM facts_hot_entity_ids h JOIN facts_entity_ids i USING (entity_id))"
        + (" AND s.entity_key IN (SELECT entity_key FROM entities WHERE entity_type = ?)" if entity_type else ""),
        [floor, *type_params],
    ).fetchone()
    if outside == 0:
        reached = [row for row in hot if row[1] >= floor]
        counted = (
            "SELECT unnest(?::INTEGER[]) AS entity_id, unnest(?::BIGINT[]) AS articles, unnest(?::BIGINT[]) AS mentions"
        )
        columns = [[r[i] for r in reached] for i in range(3)]
        return cur.execute(_named_entities_sql(counted), [*columns, limit]).df()
    return cur.execute(_named_entities_sql(full), [*params, *type_params, limit]).df()


def _named_entities_sql(counted: str) -> str:
    """The top N (a last parameter) of the `counted` query's (entity_id, articles, mentions), with names."""
    # Grouped by the entity number; only the groups (tens of thousands at most) are joined to their keys.
    return (
        "WITH counted AS (" + counted + "),"
        " top AS (SELECT i.entity_key, c.articles, c.mentions FROM counted c JOIN facts_entity_ids i USING (entity_id)"
        " ORDER BY c.articles DESC, c.mentions DESC, i.entity_key LIMIT ?)" + _NAMED_TOP
    )


def article_page(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 50, offset: int = 0
) -> pd.DataFrame:
    """One page of the filtered articles, newest first, undated last."""
    if not _facts(cur):
        return article_page_direct(cur, filters, limit, offset)
    view, params = _fact_view(filters)
    page_cte = (
        "WITH page AS (SELECT f.article_id FROM facts_articles f" + view +
        " ORDER BY f.published DESC NULLS LAST, f.article_id DESC LIMIT ? OFFSET ?)"
    )
    return _fill_titles(cur.execute(_page_sql(page_cte), [*params, limit, offset]).df(), cur)


def key_figures_direct(cur: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, int]:
    cte, params = selection(filters)
    row = cur.execute(
        cte + " SELECT count(*), count(DISTINCT story_id), count(*) FILTER (WHERE published IS NULL),"
        " min(published), max(published) FROM selected",
        params,
    ).fetchone()
    return {"articles": row[0], "stories": row[1], "undated": row[2], "first": row[3], "last": row[4]}


def timeline_direct(cur: duckdb.DuckDBPyConnection, filters: Filters, grain: str = "month") -> pd.DataFrame:
    """Articles and independent stories per period and topic; topic '' is the untagged remainder."""
    cte, params = selection(filters)
    unit = GRAINS[grain]
    # Grouped by story first, then counted: DuckDB's count(DISTINCT) in a grouped aggregate cost ~1.4x more CPU.
    return cur.execute(
        cte + f", per_story AS (SELECT date_trunc('{unit}', s.published)::DATE AS period, coalesce(t.topic, '') AS topic,"
        " s.story_id, count(*) AS n FROM selected s LEFT JOIN article_topics t USING (article_id)"
        " WHERE s.published IS NOT NULL GROUP BY ALL)"
        " SELECT period, topic, sum(n)::BIGINT AS articles, count(*) AS stories FROM per_story"
        " GROUP BY ALL ORDER BY period, topic",
        params,
    ).df()


def topic_counts_direct(cur: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    cte, params = selection(filters)
    # Grouped by story first (as in timeline): 1.4-2x less CPU than count(DISTINCT story_id) per topic.
    return cur.execute(
        cte + ", per_story AS (SELECT t.topic, s.story_id, count(*) AS n, sum(t.score) AS score"
        " FROM selected s JOIN article_topics t USING (article_id) GROUP BY ALL),"
        " per_topic AS (SELECT topic, sum(n)::BIGINT AS articles, count(*) AS stories,"
        " round(sum(score) / sum(n), 2) AS mean_score FROM per_story GROUP BY topic)"
        " SELECT c.topic, tp.label, tp.label_ar, c.articles, c.stories, c.mean_score"
        " FROM per_topic c LEFT JOIN topics tp USING (topic) ORDER BY c.articles DESC, c.topic",
        params,
    ).df()


# How many of the store's most frequent pairs are summed first to bound a filtered view's top N (cooccurrence).
TOP_CANDIDATES = 200
_NAMED_TOP = (
    " SELECT t.entity_key, e.entity_type, e.canonical, e.latin, t.articles, t.mentions"
    " FROM top t JOIN entities e USING (entity_key) ORDER BY t.articles DESC, t.mentions DESC, t.entity_key"
)


def top_entities_direct(cur: duckdb.DuckDBPyConnection, filters: Filters, entity_type: str | None = None, limit: int = 20) -> pd.DataFrame:
    type_clause = " WHERE m.entity_key IN (SELECT entity_key FROM entities WHERE entity_type = ?)" if entity_type else ""
    type_params = [entity_type] if entity_type else []
    if unrestricted(filters):
        # The whole store: its per-entity totals (queries/summary.py) instead of grouping every summary row.
        try:
            return cur.execute(
                "WITH top AS (SELECT m.entity_key, m.articles, m.mentions FROM summary_entities m" + type_clause +
                " ORDER BY m.articles DESC, m.mentions DESC, m.entity_key LIMIT ?)" + _NAMED_TOP,
                [*type_params, limit],
            ).df()
        except duckdb.CatalogException:
            pass  # a store written before summary_entities existed (its next ingest or retag adds it)
    cte, params = selection(filters)
    # One summary row per (article, entity): articles is count(*), no DISTINCT over tens of millions of mentions;
    # names are joined for the top rows only. A two-pass bound as in cooccurrence was measured here too and was
    # 2x slower on filtered views: entity keys are strings, and an IN filter over them costs more than it saves.
    return cur.execute(
        cte + ", top AS (SELECT m.entity_key, count(*) AS articles, sum(m.mentions)::BIGINT AS mentions"
        " FROM selected s JOIN summary_article_entities m USING (article_id)" + type_clause +
        " GROUP BY m.entity_key ORDER BY articles DESC, mentions DESC, m.entity_key LIMIT ?)" + _NAMED_TOP,
        [*params, *type_params, limit],
    ).df()


def article_page_direct(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 50, offset: int = 0
) -> pd.DataFrame:
    """article_page from the articles table (a store whose facts are not built yet)."""
    cte, params = selection(filters)
    page_cte = (
        cte + ", page AS (SELECT s.article_id FROM selected s"
        " ORDER BY s.published DESC NULLS LAST, s.article_id DESC LIMIT ? OFFSET ?)"
    )
    return _fill_titles(cur.execute(_page_sql(page_cte), [*params, limit, offset]).df(), cur)


def _page_sql(page_cte: str) -> str:
    """The rows of a page, given a CTE text ending in `page (article_id)`."""
    # The page's ids first, then the topics of those rows only: a correlated subquery in the select list was
    # decorrelated into a string_agg over every article's topics (seconds at a million articles). Topics of
    # equal score are listed by name, as in the extract: without it their order changed from run to run.
    return (
        page_cte + ", page_topics AS (SELECT t.article_id,"
        " string_agg(t.topic, ', ' ORDER BY t.score DESC, t.topic) AS topics"
        " FROM article_topics t WHERE t.article_id IN (SELECT article_id FROM page) GROUP BY t.article_id)"
        f" SELECT a.article_id, a.published, a.title_raw, {shown_source('a.')} AS source,"
        " a.byline, a.story_id, a.char_count, pt.topics"
        " FROM page p JOIN articles a USING (article_id) LEFT JOIN page_topics pt USING (article_id)"
        " ORDER BY a.published DESC NULLS LAST, a.article_id DESC"
    )


def _fill_titles(page: pd.DataFrame, cur: duckdb.DuckDBPyConnection, column: str = "title_raw") -> pd.DataFrame:
    """An untitled article of a page shows its opening words."""
    untitled = page.loc[page[column].isna(), "article_id"].tolist()
    if untitled:
        page[column] = page[column].fillna(page["article_id"].map(openings.untitled_openings(cur, untitled)))
    return page


# The Entities page's Type filter on pairs: "a pair of people" is two people named in one sentence. An analyst who
# asks for people wants the network of people, as the entity list beside it shows only people; pairs with a place or
# an organisation are the commonest (Syria, Damascus and the Islamic State would lead the list again) and are shown
# with Type All. With entities in the filter their partners of that type are listed (entity_partners).
_OF_TYPE = "(SELECT entity_key FROM entities WHERE entity_type = ?)"


def _both_of_type(entity_type: str | None, alias: str = "d") -> tuple[str, list]:
    """A condition (with its leading AND; empty without a type) on summary_pairs rows aliased `alias`: both entities
    of the pair are of `entity_type`, and its parameters."""
    if not entity_type:
        return "", []
    return f" AND {alias}.source IN {_OF_TYPE} AND {alias}.target IN {_OF_TYPE}", [entity_type, entity_type]


def _pair_ids_of_type(entity_type: str | None, alias: str) -> tuple[str, list]:
    """The same on rows aliased `alias` that carry a pair number, from the pairs' types (schema.sql,
    facts_pair_types)."""
    if not entity_type:
        return "", []
    return f" AND {alias}.pair_id IN (SELECT pair_id FROM facts_pair_types WHERE entity_type = ?)", [entity_type]


def cooccurrence(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 40, entity_type: str | None = None
) -> pd.DataFrame:
    """Entity pairs named in the same sentence, with how many sentences and articles (with `entity_type`, only pairs
    of two entities of that type)."""
    if unrestricted(filters) or not _facts(cur) or (entity_type and not _pair_types(cur)):
        return cooccurrence_direct(cur, filters, limit, entity_type)
    # As in top_entities: pair numbers grouped in DuckDB's perfect hash table. The hot pairs' numbers span 14
    # bits at 1M (over the default 12): the first pass of two broad entities (3.5 M rows) took ~8% less CPU.
    cur.execute("SET perfect_ht_threshold = 18")
    try:
        return _cooccurrence_facts(cur, filters, limit, entity_type)
    except (duckdb.CatalogException, duckdb.BinderException):
        # Facts next to a pair summary of an older layout (its next refresh renumbers both).
        return cooccurrence_direct(cur, filters, limit, entity_type)
    finally:
        cur.execute("RESET perfect_ht_threshold")


def _cooccurrence_facts(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int, entity_type: str | None
) -> pd.DataFrame:
    totals = _totals(filters)
    if totals:
        prefix, condition, params = totals
        typed, typed_params = _pair_ids_of_type(entity_type, "t")
        # Only the pairs reaching the limit-th best sum are joined to their names (ties kept for the order).
        return cur.execute(
            "WITH counted AS (SELECT t.pair_id, sum(t.sentences)::BIGINT AS sentences, sum(t.articles)::BIGINT AS articles"
            f"  FROM {prefix}pair_totals t WHERE " + condition + typed + " GROUP BY t.pair_id),"
            " top AS (SELECT * FROM counted WHERE sentences >="
            "  (SELECT coalesce(min(sentences), 0) FROM (SELECT sentences FROM counted ORDER BY sentences DESC LIMIT ?)))"
            " SELECT d.source, d.target, c.sentences, c.articles FROM top c JOIN summary_pairs d USING (pair_id)"
            " ORDER BY c.sentences DESC, d.source, d.target LIMIT ?",
            [*params, *typed_params, limit, limit],
        ).df()
    view, params = _fact_view(filters)
    # The two-pass bound of _cooccurrence (exact; see there), over the pair facts: the view is predicates on
    # the rows and joins, not a semi-join of every per-article pair row with the articles. The first pass sums
    # every hot pair (schema.sql: a few million rows at 1M instead of 29) over the view; any set of pairs gives
    # a floor that is at most the view's limit-th best. When every pair whose total reaches the floor is hot
    # (a broad view), the first pass already holds the answer; otherwise the second pass sums the reachable
    # pairs that are not hot over every pair fact (a narrow view, where the date order prunes). Separate
    # statements: in one, DuckDB materialised the view's join for both passes as a common subplan (23 M rows,
    # 5 s at 1M). With a type, both passes keep only its pairs: the bound holds for any set of pairs, and the hot
    # set holds each type's most frequent pairs too (summary._choose_hot; 3 of the overall 200 in the real store
    # are two people, which left a floor of 1 and the second pass grouping every pair fact of the type).
    hot_typed, hot_typed_params = _pair_ids_of_type(entity_type, "f")
    hot = cur.execute(
        "SELECT f.pair_id, sum(f.sentences)::BIGINT AS sentences, count(*) AS articles FROM facts_hot_pairs f" + view +
        hot_typed + " GROUP BY f.pair_id ORDER BY sentences DESC",
        [*params, *hot_typed_params],
    ).fetchall()
    floor = hot[limit - 1][1] if 0 < limit <= len(hot) else 1
    typed, typed_params = _pair_ids_of_type(entity_type, "d")
    reachable = (
        "SELECT d.pair_id FROM summary_pairs d WHERE d.sentences >= ?"
        " AND d.pair_id NOT IN (SELECT pair_id FROM facts_hot_pair_ids)" + typed
    )
    (outside,) = cur.execute(f"SELECT count(*) FROM ({reachable})", [floor, *typed_params]).fetchone()
    reached = [row for row in hot if row[1] >= floor]
    columns = [[r[i] for r in reached] for i in range(3)]
    hot_sql = "SELECT unnest(?::INTEGER[]) AS pair_id, unnest(?::BIGINT[]) AS sentences, unnest(?::BIGINT[]) AS articles"
    if outside == 0:
        return cur.execute(
            "SELECT d.source, d.target, c.sentences, c.articles FROM (" + hot_sql + ") c JOIN summary_pairs d USING (pair_id)"
            " ORDER BY c.sentences DESC, d.source, d.target LIMIT ?",
            [*columns, limit],
        ).df()
    # The first pass already counted every hot pair over the view, so the second sums only the reachable pairs
    # that are not hot (one source at 1M: 728k of the view's pair rows were reachable, 345k of them hot).
    return cur.execute(
        "WITH final AS (SELECT f.pair_id, sum(f.sentences)::BIGINT AS sentences, count(*) AS articles"
        f"  FROM facts_pairs f JOIN ({reachable}) reachable USING (pair_id)" +
        view + "  GROUP BY f.pair_id UNION ALL " + hot_sql + ")"
        " SELECT d.source, d.target, f.sentences, f.articles FROM final f JOIN summary_pairs d USING (pair_id)"
        " ORDER BY f.sentences DESC, d.source, d.target LIMIT ?",
        [floor, *typed_params, *params, *columns, limit],
    ).df()


def entity_partners(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 40, entity_type: str | None = None
) -> pd.DataFrame:
    """The pairs of the filtered view that name one of the filter's entities (with `entity_type`, with a partner of
    that type: the people named with a ministry), as cooccurrence rows (most sentences first; none without entities
    in the filter).

    "Who is named with this officer?" is not answered by the view's top pairs: in the articles naming one person,
    the top pairs are usually between the places and leaders those articles also name (with Manaf Tlass in the
    filter, none of the 40 top pairs of a real 4,831-article store named him)."""
    keys = list(filters.entities)
    if not keys:
        return pd.DataFrame({"source": [], "target": [], "sentences": [], "articles": []})
    cte, params = selection(filters)
    named, named_params = _naming(keys, entity_type, "d.source", "d.target")
    try:
        return cur.execute(
            cte + " SELECT d.source, d.target, sum(p.sentences)::BIGINT AS sentences, count(*) AS articles"
            " FROM summary_pairs d JOIN summary_article_pairs p USING (pair_id)"
            " WHERE " + named + " AND p.article_id IN (SELECT article_id FROM selected)"
            " GROUP BY ALL ORDER BY sentences DESC, d.source, d.target LIMIT ?",
            [*params, *named_params, limit],
        ).df()
    except (duckdb.CatalogException, duckdb.BinderException):
        return _pairs_from_mentions(cur, filters, limit, entity_type, keys)


def _naming(keys: list[str], entity_type: str | None, source: str, target: str) -> tuple[str, list]:
    """A condition on a pair's two entity keys (the SQL expressions `source`, `target`): one of them is one of
    `keys`, and with `entity_type` the other is of that type; and its parameters."""
    if not entity_type:
        return f"(list_contains(?, {source}) OR list_contains(?, {target}))", [keys, keys]
    return (
        f"((list_contains(?, {source}) AND {target} IN {_OF_TYPE}) OR (list_contains(?, {target}) AND {source} IN {_OF_TYPE}))",
        [keys, entity_type, keys, entity_type],
    )


def cooccurrence_direct(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 40, entity_type: str | None = None
) -> pd.DataFrame:
    """cooccurrence from the per-article pair summary joined with the selection (no facts needed)."""
    # Pairs are precomputed per article (queries/summary.py): no self-join of entity_mentions at query time.
    try:
        return _cooccurrence(cur, filters, limit, entity_type)
    except (duckdb.CatalogException, duckdb.BinderException):
        return _pairs_from_mentions(cur, filters, limit, entity_type)


def _pairs_from_mentions(
    cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int, entity_type: str | None = None,
    keys: list[str] | None = None,
) -> pd.DataFrame:
    """Co-occurrence rows of the filtered view (with `keys`, only the pairs naming one of them, with a partner of
    `entity_type`; else with `entity_type`, pairs of two entities of it) from a self-join of the mentions: for a
    store written before pairs were numbered (its next ingest or retag upgrades it); slow on a large store but the
    same answer as the pair summaries."""
    cte, params = selection(filters)
    if keys:
        named, named_params = _naming(keys, entity_type, "m1.entity_key", "m2.entity_key")
    elif entity_type:
        named, named_params = f"m1.entity_key IN {_OF_TYPE} AND m2.entity_key IN {_OF_TYPE}", [entity_type, entity_type]
    else:
        named, named_params = "TRUE", []
    return cur.execute(
        cte + ", pairs AS (SELECT m1.entity_key AS source, m2.entity_key AS target, m1.article_id, m1.seq"
        " FROM selected s JOIN entity_mentions m1 USING (article_id) JOIN entity_mentions m2"
        " ON m2.article_id = m1.article_id AND m2.seq = m1.seq AND m1.entity_key < m2.entity_key WHERE " + named +
        " GROUP BY ALL)"
        " SELECT source, target, count(*) AS sentences, count(DISTINCT article_id) AS articles"
        " FROM pairs GROUP BY ALL ORDER BY sentences DESC, source, target LIMIT ?",
        [*params, *named_params, limit],
    ).df()


def _cooccurrence(cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int, entity_type: str | None) -> pd.DataFrame:
    typed, typed_params = _both_of_type(entity_type)
    if unrestricted(filters):
        return cur.execute(
            "SELECT d.source, d.target, d.sentences, d.articles FROM summary_pairs d WHERE TRUE" + typed +
            " ORDER BY d.sentences DESC, d.source, d.target LIMIT ?",
            [*typed_params, limit],
        ).df()
    cte, params = selection(filters)
    # Summing every pair of every selected article took 0.5 s at 100k articles. Two passes instead, exact:
    # `first` sums the store's most frequent pairs over the view; the limit-th best of those sums, `floor`, is
    # at most the view's true limit-th best. A pair's count in the view never exceeds its whole-store total,
    # so only pairs whose total reaches `floor` can be in the view's top N, and `final` sums just those. For a
    # broad view that is a few dozen pairs; a narrow view has few articles to join, so the second pass is cheap.
    return cur.execute(
        cte + ", candidates AS (SELECT d.pair_id FROM summary_pairs d WHERE TRUE" + typed +
        "  ORDER BY d.sentences DESC, d.pair_id LIMIT ?),"
        " first AS (SELECT p.pair_id, sum(p.sentences) AS sentences FROM summary_article_pairs p"
        "  WHERE p.pair_id IN (SELECT pair_id FROM candidates) AND p.article_id IN (SELECT article_id FROM selected)"
        "  GROUP BY p.pair_id),"
        " floor AS (SELECT coalesce((SELECT sentences FROM first ORDER BY sentences DESC LIMIT 1 OFFSET ?), 1) AS n),"
        " final AS (SELECT p.pair_id, sum(p.sentences)::BIGINT AS sentences, count(*) AS articles"
        "  FROM summary_article_pairs p"
        "  WHERE p.pair_id IN (SELECT d.pair_id FROM summary_pairs d WHERE d.sentences >= (SELECT n FROM floor)" + typed + ")"
        "  AND p.article_id IN (SELECT article_id FROM selected) GROUP BY p.pair_id)"
        " SELECT d.source, d.target, f.sentences, f.articles FROM final f JOIN summary_pairs d USING (pair_id)"
        " ORDER BY f.sentences DESC, d.source, d.target LIMIT ?",
        [*params, *typed_params, TOP_CANDIDATES, max(limit - 1, 0), *typed_params, limit],
    ).df()


def store_stats(cur: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Whole-store figures for `python -m basira stats`; its sources named as the pages name them (shown_source: a file's
    name, not the path on the server it was ingested from)."""
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
            f"SELECT {shown_source()}, count(*) FROM articles GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 5"
        ).fetchall(),
        "taxonomy_version": (cur.execute("SELECT value FROM meta WHERE key = 'taxonomy_version'").fetchone() or [None])[0],
    }


# Queries behind the dashboard pages (app.py, pages/): lookups for the filter widgets, the reader, drill-downs
# and extracts. Every one that shows data from the filtered view starts from `selection(filters)`.


def store_fingerprint(cur: duckdb.DuckDBPyConnection) -> str:
    """Identifies the stored content (not the file): article count, last batch and a hash of the article
    identities. Two extracts with the same fingerprint and filters came from the same data."""
    articles, batch, digest = cur.execute(
        "SELECT count(*), coalesce(max(batch_id), 0), md5(coalesce(string_agg(content_hash, '' ORDER BY article_id), ''))"
        " FROM articles"
    ).fetchone()
    return f"{articles}a-b{batch}-{digest[:12]}"


def taxonomy_version(cur: duckdb.DuckDBPyConnection) -> str | None:
    """The taxonomy the store's tags come from, as manifests and footnotes name it; a store holding articles tagged
    with an older one (ingested into without a retag) says so: its counts mix the two."""
    rows = dict(cur.execute("SELECT key, value FROM meta WHERE key IN ('taxonomy_version', 'taxonomy_older')").fetchall())
    version = rows.get("taxonomy_version")
    if version is not None and rows.get("taxonomy_older"):
        return f"{version} (older articles: {rows['taxonomy_older']}; retag pending)"
    return version


def outdated_normalization(cur: duckdb.DuckDBPyConnection) -> str | None:
    """The older normalize.VERSION the store's folded text was made with, None when it is this one (or the store
    is empty): searches fold the words typed with this one, so they miss the spellings the fold has changed."""
    return write.outdated_normalization(cur)


def topic_list(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return cur.execute("SELECT topic, label, label_ar FROM topics ORDER BY topic").df()


def source_list(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The sources of the store, most articles first: `source` the filter's key (Filters.sources), the name the pages
    show (the file's name for an article from a file that named no outlet, not the server's path).

    Two files of the same name that named no outlet (or such a file and an outlet of that name) are one choice: the
    key goes into shared links and export manifests, and a path or a hash of it there would tell the reader where the
    server keeps its data or nothing; the analyst could not tell the two apart on screen either."""
    return cur.execute(
        f"SELECT {shown_source()} AS source, count(*) AS articles"
        " FROM articles GROUP BY 1 ORDER BY articles DESC, source"
    ).df()


def entity_options(cur: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The most-mentioned entities of the whole store, for the entity filter's choices."""
    # From the whole-store totals: count(DISTINCT) over every mention took ~30 s of CPU at a million articles,
    # on the first page load after each ingest (the sidebar asks for this on every page).
    try:
        return cur.execute(
            "WITH top AS (SELECT entity_key, articles FROM summary_entities ORDER BY articles DESC, entity_key LIMIT ?)"
            " SELECT e.entity_key, e.entity_type, e.canonical, e.latin, t.articles"
            " FROM top t JOIN entities e USING (entity_key) ORDER BY t.articles DESC, t.entity_key",
            [limit],
        ).df()
    except duckdb.CatalogException:  # a store written before summary_entities existed
        return cur.execute(
            "WITH top AS (SELECT entity_key, count(*) AS articles FROM summary_article_entities"
            " GROUP BY entity_key ORDER BY articles DESC, entity_key LIMIT ?)"
            " SELECT e.entity_key, e.entity_type, e.canonical, e.latin, t.articles"
            " FROM top t JOIN entities e USING (entity_key) ORDER BY t.articles DESC, t.entity_key",
            [limit],
        ).df()


def entity_search(cur: duckdb.DuckDBPyConnection, text: str, limit: int = 50) -> pd.DataFrame:
    """Entities of the whole store whose name holds `text` however its hamza, alef or teh marbuta are written
    (names are stored as written by the gazetteer, normalised when the rules found them: "إدارة" must find both)
    or whose Latin form holds it (any case), most named first: the way to an entity too rarely named to be among
    the sidebar's choices. `articles` counts the whole store's articles naming it."""
    text = " ".join(text.split())
    # A pattern, not a folded column: folding every stored name with translate() took ~2.5 s at a million names,
    # the pattern ~0.4 s, and a search runs once per name typed (cached).
    return cur.execute(
        "WITH hits AS (SELECT entity_key, entity_type, canonical, latin FROM entities"
        " WHERE ? <> '' AND (regexp_matches(canonical, ?) OR contains(lower(latin), ?)))"  # nothing to look for
        " SELECT h.entity_key, h.entity_type, h.canonical, h.latin, coalesce(s.articles, 0) AS articles"
        " FROM hits h LEFT JOIN summary_entities s USING (entity_key)"
        " ORDER BY articles DESC, h.entity_key LIMIT ?",
        [pattern := spelling_pattern(text), pattern, text.lower(), limit],
    ).df()


def entity_lookup(cur: duckdb.DuckDBPyConnection, keys: list[str]) -> pd.DataFrame:
    return cur.execute(
        "SELECT entity_key, entity_type, canonical, latin FROM entities"
        " WHERE entity_key IN (SELECT unnest(?::VARCHAR[])) ORDER BY entity_key",
        [list(keys)],
    ).df()


def article_count(cur: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    cte, params = selection(filters)
    return cur.execute(cte + " SELECT count(*) FROM selected", params).fetchone()[0]


def articles_extract(cur: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 100_000) -> pd.DataFrame:
    """The filtered articles as an extract: one row per article with its topics and where it came from, by the file's
    name (`source_file`) as the reader shows it: the stored path is the server's, which an analyst's spreadsheet has no
    use for and should not carry to whoever it is sent to. `topics` are the keys a link's topic= takes, strongest
    first; `topic_labels` the same as the pages name them ("Prisons and detention; Armed clashes"): a spreadsheet of
    "drugs_smuggling, defected_officers" read as the store's internals.

    An untitled article carries the `opening` the lists show in its place (its first real sentence), so a row of
    the spreadsheet can be read: most of a scraped corpus has no title (the real store: all 55 rows of a filtered
    extract had an empty title and nothing else to tell them apart but the URL)."""
    cte, params = selection(filters)

    def extract(opening: str, join: str) -> pd.DataFrame:
        return cur.execute(
            cte + " SELECT a.article_id, a.published, a.title_raw AS title, " + opening + " AS opening,"
            f" {shown_source('a.')} AS source,"
            " a.url, a.byline, a.story_id, a.char_count, a.date_source, a.undated_reason,"
            " (SELECT string_agg(topic, ', ' ORDER BY score DESC, topic) FROM article_topics t"
            "  WHERE t.article_id = a.article_id) AS topics,"
            " (SELECT string_agg(coalesce(tp.label, t.topic), '; ' ORDER BY t.score DESC, t.topic)"
            "  FROM article_topics t LEFT JOIN topics tp USING (topic) WHERE t.article_id = a.article_id) AS topic_labels,"
            f" {file_name('a.source_path')} AS source_file, a.locator"
            " FROM selected s JOIN articles a USING (article_id)" + join +
            " ORDER BY a.published DESC NULLS LAST, a.article_id DESC LIMIT ?",
            [*params, limit],
        ).df()

    try:
        frame = extract("CASE WHEN a.title_raw IS NULL THEN o.opening END", " LEFT JOIN article_openings o USING (article_id)")
    except duckdb.CatalogException:  # a store written before article_openings existed
        frame = extract("NULL::VARCHAR", "")
    # Articles the table does not cover yet (until the store's next ingest) are read from their text.
    missing = frame.loc[frame["title"].isna() & frame["opening"].isna(), "article_id"].tolist()
    if missing:
        found = {k: v.removesuffix("\u2026") for k, v in openings.untitled_openings(cur, missing).items()}
        frame["opening"] = frame["opening"].fillna(frame["article_id"].map(found))
    return frame


def article_in_view(cur: duckdb.DuckDBPyConnection, filters: Filters, article_id: int) -> bool:
    """Whether the filters keep the article (the reader keeps an open article when they change)."""
    cte, params = selection(filters)
    return cur.execute(cte + " SELECT count(*) FROM selected WHERE article_id = ?", [*params, article_id]).fetchone()[0] > 0


def article_detail(cur: duckdb.DuckDBPyConnection, article_id: int) -> dict[str, object] | None:
    """Everything the reader shows for one article, or None when there is no such article."""
    article = cur.execute(
        f"SELECT article_id, published, title_raw, {shown_source()} AS source, source_path,"
        f" {file_name('source_path')} AS source_file, locator, url, byline, story_id, date_source, undated_reason,"
        " text_raw, char_count"
        " FROM articles WHERE article_id = ?",
        [article_id],
    ).df()
    if article.empty:
        return None
    one = lambda sql: cur.execute(sql, [article_id]).df()  # noqa: E731
    row = article.iloc[0].to_dict()
    return {
        "article": row,
        "sentences": one(
            "SELECT seq, paragraph, start_char, end_char, text_raw, text_norm, is_boilerplate, boilerplate_reason"
            " FROM sentences WHERE article_id = ? ORDER BY seq"
        ),
        "topics": one(
            "SELECT t.topic, tp.label, tp.label_ar, t.score FROM article_topics t LEFT JOIN topics tp USING (topic)"
            " WHERE t.article_id = ? ORDER BY t.score DESC, t.topic"
        ),
        "evidence": one(
            "SELECT e.topic, tp.label, e.seq, e.term, e.start_char, e.end_char"
            " FROM topic_evidence e LEFT JOIN topics tp USING (topic)"
            " WHERE e.article_id = ? ORDER BY e.seq, e.start_char, e.topic"
        ),
        "mentions": one(
            "SELECT m.entity_key, e.entity_type, e.canonical, e.latin, m.seq, m.surface, m.start_char, m.end_char,"
            " m.method FROM entity_mentions m LEFT JOIN entities e USING (entity_key)"
            " WHERE m.article_id = ? ORDER BY m.seq, m.start_char, m.entity_key"
        ),
        "entities": one(
            "SELECT m.entity_key, e.entity_type, e.canonical, e.latin, count(*) AS mentions"
            " FROM entity_mentions m LEFT JOIN entities e USING (entity_key)"
            " WHERE m.article_id = ? GROUP BY ALL ORDER BY mentions DESC, m.entity_key"
        ),
        "quotations": one(
            "SELECT speaker_key, speaker_surface, quote, seq FROM quotations WHERE article_id = ? ORDER BY seq, quote"
        ),
        "quantities": one(
            "SELECT low, high, unit, kind, surface, seq FROM quantities WHERE article_id = ? ORDER BY seq, surface"
        ),
        "story": _fill_titles(
            cur.execute(
                f"SELECT article_id, published, title_raw AS title, {shown_source()} AS source"
                " FROM articles WHERE story_id = ? AND article_id <> ? ORDER BY published NULLS LAST, article_id",
                [int(row["story_id"]), article_id],
            ).df(),
            cur,
            "title",
        ),
    }


def evidence_sentences(
    cur: duckdb.DuckDBPyConnection, filters: Filters, topic: str | None = None, limit: int = 200
) -> pd.DataFrame:
    """Sentences that are evidence for a topic (or any topic) in the filtered view, strongest first:
    most distinct matched terms, then the article's topic score, then newest. `rank_in_article` lets a
    list show a few sentences per article rather than one article's every sentence."""
    return _with_text(_evidence_ranked(cur, filters, topic, limit), cur, "topic", "starts")


def evidence_sentences_direct(
    cur: duckdb.DuckDBPyConnection, filters: Filters, topic: str | None = None, limit: int = 200
) -> pd.DataFrame:
    """evidence_sentences ranked from topic_evidence itself (a store whose evidence facts are not built yet)."""
    return _with_text(_evidence_ranked_direct(cur, filters, topic, limit), cur, "topic", "starts")


def evidence_highlights(
    cur: duckdb.DuckDBPyConnection, filters: Filters, topic: str | None = None, per_article: int = 2, count: int = 15,
    pool: int = 200,
) -> pd.DataFrame:
    """The first `count` of evidence_sentences(..., limit=`pool`) with `rank_in_article` <= `per_article`: what the
    Topics page shows. Only their text is read (a sentence costs ~3 ms of CPU to fetch at 100k articles)."""
    return _highlights(_evidence_ranked(cur, filters, topic, pool), cur, per_article, count)


def evidence_highlights_direct(
    cur: duckdb.DuckDBPyConnection, filters: Filters, topic: str | None = None, per_article: int = 2, count: int = 15,
    pool: int = 200,
) -> pd.DataFrame:
    """evidence_highlights ranked from topic_evidence itself."""
    return _highlights(_evidence_ranked_direct(cur, filters, topic, pool), cur, per_article, count)


def _highlights(ranked: pd.DataFrame, cur: duckdb.DuckDBPyConnection, per_article: int, count: int) -> pd.DataFrame:
    shown = ranked[ranked["rank_in_article"] <= per_article].head(count).reset_index(drop=True)
    return _with_text(shown, cur, "topic", "starts")


def evidence_extract(
    cur: duckdb.DuckDBPyConnection, filters: Filters, topic: str | None = None, limit: int = 200
) -> pd.DataFrame:
    """evidence_sentences as downloaded: the terms also as written, without the normalised text and highlight
    offsets, sentences numbered from 1."""
    evidence = with_terms_as_written(evidence_sentences(cur, filters, topic, limit))
    return numbered_sentences(evidence.drop(columns=_HIGHLIGHTS))


# The evidence lists' order. The topic last: with no topic chosen, one sentence can be evidence for two topics
# with the same counts and score, and their order would be left to the plan.
_EVIDENCE_ORDER = (
    "{p}terms_matched DESC, {s}score DESC NULLS LAST, {p}published DESC NULLS LAST, {p}article_id, {p}seq, {p}topic"
)


def _evidence_order(alias: str, score_alias: str | None = None) -> str:
    """The evidence lists' order over rows aliased `alias` (the score from `score_alias` where it is joined in)."""
    return _EVIDENCE_ORDER.format(p=f"{alias}.", s=f"{score_alias or alias}.")


def _evidence_ranked(cur: duckdb.DuckDBPyConnection, filters: Filters, topic: str | None, limit: int) -> pd.DataFrame:
    """evidence_sentences without the article and sentence text: the `limit` strongest rows of facts_evidence
    (each evidence sentence once, with its count of distinct terms, its article's score and its matched terms and
    offsets: schema.sql), filtered as the other facts are."""
    from basira.queries.summary import evidence_ready

    if not evidence_ready(cur):
        return _evidence_ranked_direct(cur, filters, topic, limit)
    view, params = _fact_view(filters)
    # Ranked on the narrow columns, then the winners' terms and offsets fetched by row id: carried through the
    # scan and the view's joins for every row of the topic, they cost a topic view at 1M a third more CPU.
    chosen = (
        "SELECT k.article_id, k.published, k.topic, k.seq, k.terms_matched::BIGINT AS terms_matched, k.score, x.terms,"
        " x.starts, x.ends FROM (SELECT f.rowid AS fact_row, f.article_id, f.published, f.topic, f.seq,"
        " f.terms_matched, f.score FROM facts_evidence f" + view + (" AND f.topic = ?" if topic else "")
        + " ORDER BY " + _evidence_order("f") + " LIMIT ?) k JOIN facts_evidence x ON x.rowid = k.fact_row"
    )
    return cur.execute("WITH " + _evidence_rows(chosen), [*params, *([topic] if topic else []), limit]).df()


def _evidence_ranked_direct(
    cur: duckdb.DuckDBPyConnection, filters: Filters, topic: str | None, limit: int
) -> pd.DataFrame:
    """_evidence_ranked from every topic_evidence row of the view: each sentence's distinct terms counted by
    grouping them, ranked on counts alone; the matched terms and offsets are worked out for the winners only
    (string and list aggregates over every hit cost most of a second at 100k articles)."""
    from basira.queries.summary import EVIDENCE_SPANS

    cte, params = selection(filters)
    topic_clause = " AND e.topic = ?" if topic else ""
    return cur.execute(
        cte + ", hits AS ("
        " SELECT e.article_id, s.published, e.topic, e.seq, count(DISTINCT e.term) AS terms_matched"
        " FROM selected s JOIN topic_evidence e USING (article_id) WHERE TRUE" + topic_clause + " GROUP BY ALL),"
        " top AS ("
        " SELECT h.*, t.score FROM hits h LEFT JOIN article_topics t ON t.article_id = h.article_id AND t.topic = h.topic"
        " ORDER BY " + _evidence_order("h", "t") + " LIMIT ?),"
        " spans AS (SELECT e.article_id, e.topic, e.seq, " + EVIDENCE_SPANS +
        " FROM topic_evidence e JOIN top USING (article_id, topic, seq) GROUP BY ALL), "
        + _evidence_rows("SELECT * FROM top JOIN spans USING (article_id, topic, seq)"),
        [*params, *([topic] if topic else []), limit],
    ).df()


def _evidence_rows(chosen: str) -> str:
    """A `chosen` CTE from the query `chosen` (the winning sentences' article_id, published, topic, seq,
    terms_matched, score, terms, starts, ends) and the query that completes them. `rank_in_article` is worked out
    for the winners only: within one article and topic the ranking's order is (terms_matched, seq), the order of
    that rank, so an article's rows among the winners are its first ones."""
    return (
        "chosen AS (" + chosen + ")"
        " SELECT p.article_id, p.published, p.topic, tp.label, p.seq, p.terms_matched, p.terms,"
        " round(p.score, 2) AS topic_score,"
        " row_number() OVER (PARTITION BY p.article_id, p.topic ORDER BY p.terms_matched DESC, p.seq) AS rank_in_article,"
        " p.starts, p.ends"
        " FROM chosen p LEFT JOIN topics tp ON tp.topic = p.topic"
        " ORDER BY " + _evidence_order("p")
    )


def _with_text(ranked: pd.DataFrame, cur: duckdb.DuckDBPyConnection, title_before: str, text_before: str) -> pd.DataFrame:
    """`ranked` (article_id, seq, ...) with source and display title inserted before column `title_before`, and
    the sentence raw and normalised before `text_before` (seq -1, the title: the title's)."""
    ids, seqs = ranked["article_id"].tolist(), ranked["seq"].tolist()
    about = {row[0]: row[1:] for row in _article_labels(cur, sorted(set(ids)))}
    texts = _sentence_texts(cur, list(zip(ids, seqs, strict=True)))
    columns: dict[str, list] = {"source": [], "title": [], "sentence": [], "sentence_norm": []}
    for article_id, seq in zip(ids, seqs, strict=True):
        source, title, title_raw, title_norm = about[article_id]
        raw, norm = texts.get((article_id, seq), (title_raw, title_norm or ""))
        for name, value in (("source", source), ("title", title), ("sentence", raw), ("sentence_norm", norm)):
            columns[name].append(value)
    for name, before in (("source", title_before), ("title", title_before), ("sentence", text_before),
                         ("sentence_norm", text_before)):
        ranked.insert(ranked.columns.get_loc(before), name, pd.Series(columns[name], index=ranked.index, dtype=object))
    return ranked


def _article_labels(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> list[tuple]:
    """(article_id, source, display title, title_raw, title_norm) of a few articles."""
    if not ids:
        return []
    rows = result_metadata(cur, ids)
    opened = openings.untitled_openings(cur, [row[0] for row in rows if row[2] is None])
    return [
        (article_id, source, title_raw if title_raw is not None else opened.get(article_id), title_raw, title_norm)
        for article_id, _published, title_raw, source, title_norm, _url in rows
    ]


# Up to this many articles, their sentences are read one equality branch per article; more, in one pass.
_BRANCHES = 256


def _sentence_texts(cur: duckdb.DuckDBPyConnection, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, str]]:
    """{(article_id, seq): (text_raw, text_norm)} of sentences (seq -1, a title, has none). A few articles: one
    equality branch each, which DuckDB prunes to one row group and filters before reading any text (~3 ms of CPU
    a sentence at 100k articles; a join to the list read the text of every row group it touched). Many (a
    download): one scan of the row groups their ids span."""
    wanted: dict[int, set[int]] = {}
    for article_id, seq in pairs:
        if seq >= 0:
            wanted.setdefault(int(article_id), set()).add(int(seq))
    if not wanted:
        return {}
    if len(wanted) <= _BRANCHES:
        branch = "SELECT article_id, seq, text_raw, text_norm FROM sentences WHERE article_id = ? AND list_contains(?, seq)"
        params: list = []
        for article_id, seqs in wanted.items():
            params += [article_id, sorted(seqs)]
        rows = cur.execute(" UNION ALL ".join([branch] * len(wanted)), params).fetchall()
    else:
        keys = pa.table({"article_id": pa.array([a for a, seqs in wanted.items() for _ in seqs], pa.int64()),
                         "seq": pa.array([q for seqs in wanted.values() for q in seqs], pa.int32())})
        cur.register("wanted_sentences", keys)
        try:
            rows = cur.execute(
                "SELECT st.article_id, st.seq, st.text_raw, st.text_norm FROM sentences st"
                " JOIN wanted_sentences w ON st.article_id = w.article_id AND st.seq = w.seq"
                " WHERE st.article_id BETWEEN ? AND ?",
                [min(wanted), max(wanted)],
            ).fetchall()
        finally:
            cur.unregister("wanted_sentences")
    return {(a, q): (raw, norm) for a, q, raw, norm in rows}


def entity_timeline(
    cur: duckdb.DuckDBPyConnection, filters: Filters, entity_key: str, grain: str = "month"
) -> pd.DataFrame:
    """Articles and mentions of one entity per period in the filtered view (undated articles: period NULL)."""
    cte, params = selection(filters)
    unit = GRAINS[grain]
    return cur.execute(
        cte + f" SELECT date_trunc('{unit}', s.published)::DATE AS period,"
        " count(DISTINCT m.article_id) AS articles, count(*) AS mentions"
        " FROM selected s JOIN entity_mentions m USING (article_id) WHERE m.entity_key = ?"
        " GROUP BY ALL ORDER BY period NULLS LAST",
        [*params, entity_key],
    ).df()


def _pairs_named(filters: Filters, first: str, second: str) -> tuple[str, list]:
    """A `both_named` CTE: (article_id, published, seq) of the filtered view's sentences naming both entities, the
    title (seq -1) included, as the co-occurrence counts it. min <> max rather than count(DISTINCT): over the ~400k
    mentions of two common entities at 100k articles it is the cheaper aggregate."""
    cte, params = selection(filters)
    return (
        cte + ", both_named AS ("
        " SELECT m.article_id, s.published, m.seq FROM selected s JOIN entity_mentions m USING (article_id)"
        " WHERE m.entity_key IN (?, ?) GROUP BY ALL HAVING min(m.entity_key) <> max(m.entity_key))",
        [*params, first, second],
    )


def _pair_rows(both_named: str, mentions: str) -> str:
    """The newest `limit` sentences of a `both_named` CTE, with the offsets of both entities' mentions in them
    (`mentions`: the entity_mentions rows to read them from)."""
    return (
        both_named + ", top AS (SELECT * FROM both_named ORDER BY published DESC NULLS LAST, article_id, seq LIMIT ?)"
        " SELECT t.article_id, t.published, t.seq, list(m.start_char ORDER BY m.start_char, m.end_char) AS starts,"
        " list(m.end_char ORDER BY m.start_char, m.end_char) AS ends"
        f" FROM top t JOIN {mentions} m ON m.article_id = t.article_id AND m.seq = t.seq AND m.entity_key IN (?, ?)"
        " GROUP BY ALL ORDER BY t.published DESC NULLS LAST, t.article_id, t.seq"
    )


def _pair_facts(cur: duckdb.DuckDBPyConnection, filters: Filters, first: str, second: str) -> tuple[str, list] | None:
    """`FROM facts_... f WHERE ...` of the pair's per-article facts in the filtered view (the hot pairs' own table
    when the pair is one of them: a few million rows at 1M articles instead of 29), and its parameters; None for
    two entities never named in one sentence."""
    found = cur.execute(
        "SELECT p.pair_id, p.pair_id IN (SELECT pair_id FROM facts_hot_pair_ids) FROM summary_pairs p"
        " WHERE p.source = ? AND p.target = ?",
        sorted((first, second)),
    ).fetchone()
    if found is None:
        return None
    pair_id, hot = found
    view, params = _fact_view(filters)
    return f" FROM {'facts_hot_pairs' if hot else 'facts_pairs'} f" + view + " AND f.pair_id = ?", [*params, pair_id]


def pair_sentences(
    cur: duckdb.DuckDBPyConnection, filters: Filters, first: str, second: str, limit: int = 100
) -> pd.DataFrame:
    """The sentences (and titles) of the filtered view that name both entities (a co-occurrence edge, drilled
    into), newest first. The pair's facts give each article's count of such sentences, so only the newest articles
    that hold the first `limit` are read, not every mention of both entities (seconds for the commonest pairs at
    1M articles); the text of the chosen sentences is read last (see evidence_sentences)."""
    if first == second or not _facts(cur):
        return pair_sentences_direct(cur, filters, first, second, limit)
    facts = _pair_facts(cur, filters, first, second)
    articles: list[tuple] = []
    if facts is not None:
        sql, params = facts
        # Each article holds at least one such sentence, so the newest `limit` articles hold the first `limit`
        # sentences; of those, an article is needed while the ones before it hold fewer than `limit`.
        held = 0
        for article_id, published, sentences in cur.execute(
            "SELECT f.article_id, f.published, f.sentences" + sql + " ORDER BY f.published DESC NULLS LAST, f.article_id"
            " LIMIT ?",
            [*params, limit],
        ).fetchall():
            if held >= limit:
                break
            articles.append((article_id, published))
            held += sentences
    # The id range lets DuckDB skip row groups (the newest articles are mostly the latest stored); the mentions
    # are read once (MATERIALIZED: inlined, the scan ran for both references). One equality branch per article,
    # as _sentence_texts reads sentences, cost 3x more here.
    ids = [article_id for article_id, _ in articles]
    both_named = (
        "WITH chosen AS (SELECT unnest(?::BIGINT[]) AS article_id, unnest(?::DATE[]) AS published),"
        " pair_mentions AS MATERIALIZED (SELECT * FROM entity_mentions WHERE article_id IN (SELECT unnest(?::BIGINT[]))"
        "  AND article_id BETWEEN ? AND ? AND entity_key IN (?, ?)),"
        " both_named AS (SELECT m.article_id, c.published, m.seq FROM chosen c JOIN pair_mentions m USING (article_id)"
        "  GROUP BY ALL HAVING min(m.entity_key) <> max(m.entity_key))"
    )
    ranked = cur.execute(
        _pair_rows(both_named, "pair_mentions"),
        [ids, [published for _, published in articles], ids, min(ids, default=None), max(ids, default=None), first,
         second, limit, first, second],
    ).df()
    return _with_text(ranked, cur, "seq", "starts")


def pair_sentences_direct(
    cur: duckdb.DuckDBPyConnection, filters: Filters, first: str, second: str, limit: int = 100
) -> pd.DataFrame:
    """pair_sentences from every mention of both entities (a store whose facts are not built yet)."""
    cte, params = _pairs_named(filters, first, second)
    ranked = cur.execute(_pair_rows(cte, "entity_mentions"), [*params, limit, first, second]).df()
    return _with_text(ranked, cur, "seq", "starts")


def pair_extract(cur: duckdb.DuckDBPyConnection, filters: Filters, first: str, second: str, limit: int = 200) -> pd.DataFrame:
    """pair_sentences as downloaded: without the normalised text and highlight offsets, sentences numbered from 1."""
    return numbered_sentences(pair_sentences(cur, filters, first, second, limit).drop(columns=_HIGHLIGHTS))


def pair_sentence_count(cur: duckdb.DuckDBPyConnection, filters: Filters, first: str, second: str) -> int:
    """How many sentences (and titles) of the filtered view name both entities: the co-occurrence edge's count,
    summed from the pair's facts."""
    if first == second or not _facts(cur):
        return pair_sentence_count_direct(cur, filters, first, second)
    facts = _pair_facts(cur, filters, first, second)
    if facts is None:
        return 0
    sql, params = facts
    return int(cur.execute("SELECT coalesce(sum(f.sentences), 0)" + sql, params).fetchone()[0])


def pair_sentence_count_direct(cur: duckdb.DuckDBPyConnection, filters: Filters, first: str, second: str) -> int:
    """pair_sentence_count from every mention of both entities."""
    cte, params = _pairs_named(filters, first, second)
    return cur.execute(cte + " SELECT count(*) FROM both_named", params).fetchone()[0]


def mentions_extract(
    cur: duckdb.DuckDBPyConnection, filters: Filters, entity_key: str | None = None, limit: int = 100_000
) -> pd.DataFrame:
    """Entity mentions in the filtered view, one row per mention, with the sentence it is in. Chosen from ids and
    offsets first; the sentence text of those `limit` rows is read after (see _sentence_texts). Sentences are
    numbered from 1 (sentence_no; 0 the title), as in every extract."""
    cte, params = selection(filters)
    key_clause = " AND m.entity_key = ?" if entity_key else ""
    ranked = cur.execute(
        cte + " SELECT m.article_id, s.published, m.entity_key, e.entity_type, e.canonical, e.latin, m.surface,"
        " m.method, m.seq"
        " FROM selected s JOIN entity_mentions m USING (article_id)"
        " LEFT JOIN entities e USING (entity_key)"
        " WHERE TRUE" + key_clause +
        " ORDER BY s.published DESC NULLS LAST, m.article_id, m.seq, m.start_char LIMIT ?",
        [*params, *([entity_key] if entity_key else []), limit],
    ).df()
    ids, seqs = ranked["article_id"].tolist(), ranked["seq"].tolist()
    sources = {row[0]: row[3] for row in result_metadata(cur, sorted(set(ids)))} if ids else {}
    texts = _sentence_texts(cur, list(zip(ids, seqs, strict=True)))
    ranked.insert(2, "source", pd.Series([sources.get(a) for a in ids], index=ranked.index, dtype=object))
    ranked["sentence"] = pd.Series([texts.get((a, q), (None, None))[0] for a, q in zip(ids, seqs, strict=True)],
                                   index=ranked.index, dtype=object)
    return numbered_sentences(ranked)


def search_fallback(cur: duckdb.DuckDBPyConnection, filters: Filters, query: str, limit: int = 50) -> pd.DataFrame:
    """Stand-in for basira.search when its index is missing: articles of the filtered view whose
    non-boilerplate sentences contain every normalised query word, ranked by how many sentences match.
    Same columns as `basira.search.search`."""
    terms = list(dict.fromkeys(tokenize(normalize_text(query))))
    columns = ["article_id", "score", "matched_terms", "seq", "published", "title", "source", "url", "sentence",
               "sentence_norm"]
    if not terms:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    cte, params = selection(filters.with_(text=""))
    any_term = " OR ".join(["contains(st.text_norm, ?)"] * len(terms))
    every_term = " AND ".join(["bool_or(contains(h.text_norm, ?))"] * len(terms))
    found = cur.execute(
        cte + ", hits AS ("
        " SELECT st.article_id, st.seq, st.text_raw, st.text_norm FROM selected s JOIN sentences st USING (article_id)"
        " WHERE NOT st.is_boilerplate AND (" + any_term + ")),"
        " ranked AS ("
        " SELECT h.article_id, count(*)::DOUBLE AS score, min(h.seq) AS seq FROM hits h"
        " GROUP BY h.article_id HAVING " + every_term + ")"
        " SELECT r.article_id, r.score, ?::VARCHAR[] AS matched_terms, r.seq, a.published, a.title_raw AS title,"
        f" {shown_source('a.')} AS source, a.url, st.text_raw AS sentence, st.text_norm AS sentence_norm"
        " FROM ranked r JOIN articles a USING (article_id)"
        " JOIN sentences st ON st.article_id = r.article_id AND st.seq = r.seq"
        " ORDER BY r.score DESC, r.article_id DESC LIMIT ?",
        [*params, *terms, *terms, terms, limit],
    ).df()
    # Lists need something to click on: an untitled article shows its opening words instead of nothing.
    return _fill_titles(found, cur, "title")


def batch_list(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every ingest batch, newest first: what was read (the names of its files and folders, not where the server
    keeps them), what landed, what was refused."""
    return cur.execute(
        "SELECT batch_id, started_at, finished_at,"
        f" array_to_string(list_transform(string_split(inputs, ', '), lambda p: {file_name('p')}), ', ') AS inputs,"
        " articles_added, duplicates, rejected"
        " FROM batches ORDER BY batch_id DESC"
    ).df()


def rejected_inputs(cur: duckdb.DuckDBPyConnection, limit: int = 1000) -> pd.DataFrame:
    """Inputs that could not become articles, newest batch first, with the reason and the name of the file (the
    stored path is the server's)."""
    return cur.execute(
        f"SELECT batch_id, {file_name('source_path')} AS file, locator, reason, detail, excerpt FROM rejected"
        " ORDER BY batch_id DESC, source_path, locator LIMIT ?",
        [limit],
    ).df()
