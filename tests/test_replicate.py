"""bench/replicate.py: a K-fold copy of a store keeps its invariants, holds K times its rows, and has the dashboard
facts an ingest of the same articles would store (in date order, hot sets chosen from the replica's counts), so
the facts-backed dashboard queries answer as the direct ones do."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from basira import __main__ as cli
from basira import boilerplate, ingest, store
from basira.filters import Filters
from basira.normalize import normalize_text
from basira.queries import read, shown_source, summary
from bench import replicate

COPIES = 3
# What summary.refresh derives: the summaries (copied, scaled) and the facts (derived over the replica).
DERIVED_TABLES = (
    "summary_article_entities", "summary_article_pairs", "summary_entities", "summary_pairs",
    "facts_articles", "facts_topics", "facts_entities", "facts_pairs", "facts_sources", "facts_entity_ids",
    "facts_entity_totals", "facts_pair_totals", "facts_hot_pairs", "facts_hot_pair_ids",
    "facts_topic_entity_totals", "facts_topic_pair_totals", "facts_hot_entities", "facts_hot_entity_ids",
    "facts_pair_types", "facts_evidence",
)
META = ("summary_through", "facts_through", "facts_hot_chosen_at", "facts_hot_rule", "facts_evidence_through")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("source") / "basira.duckdb"
    ingest.ingest_paths([store.ROOT / "seeds"], path)
    return path


@pytest.fixture(scope="module")
def replica(source, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("replica")
    assert replicate.main([str(source), str(COPIES), str(work)]) == 0
    return work / "basira.duckdb"


def _one(db: Path, sql: str) -> object:
    with store.read_cursor(db) as cur:
        return cur.execute(sql).fetchone()[0]


def test_the_replica_keeps_every_invariant(replica, capsys):
    assert cli.main(["--db", str(replica), "check"]) == 0
    assert capsys.readouterr().out == "all invariants hold\n"


@pytest.mark.parametrize(
    "total",
    [
        "SELECT count(*) FROM articles",
        "SELECT count(*) FROM articles WHERE published IS NULL",
        "SELECT count(DISTINCT story_id) FROM articles",
        "SELECT count(*) FROM sentences",
        "SELECT count(*) FROM entity_mentions",
        # the entities' spelling votes: without them a replica's re-spell step had nothing to scan
        "SELECT count(*) FROM entity_spellings",
        "SELECT count(*) FROM article_topics",
        "SELECT count(*) FROM summary_article_entities",
        "SELECT count(*) FROM summary_article_pairs",
        "SELECT sum(articles) + sum(mentions) FROM summary_entities",
        "SELECT sum(articles) + sum(sentences) FROM summary_pairs",
        "SELECT count(*) FROM facts_articles",
        "SELECT count(*) FROM facts_topics",
        "SELECT count(*) FROM facts_entities",
        "SELECT count(*) FROM facts_pairs",
        "SELECT count(*) FROM facts_evidence",
    ],
)
def test_whole_store_totals_are_k_times_the_source(source, replica, total):
    found, expected = _one(replica, total), _one(source, total)
    assert expected > 0 and found == COPIES * expected


@pytest.mark.parametrize("table", ["facts_articles", "facts_topics", "facts_entities", "facts_pairs", "facts_evidence"])
def test_facts_are_stored_in_date_order(replica, table):
    # Stored order is what lets a date range skip row groups; a copy-by-copy concatenation restarts each copy's dates.
    with store.read_cursor(replica) as cur:
        stored = cur.execute(f"SELECT published, article_id FROM {table} ORDER BY rowid").fetchall()
        ordered = cur.execute(f"SELECT published, article_id FROM {table} ORDER BY published NULLS FIRST, article_id")
        assert stored == ordered.fetchall()


def _derived(db: Path) -> tuple[dict[str, list[tuple]], list[tuple]]:
    with store.read_cursor(db) as cur:
        tables = {t: cur.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DERIVED_TABLES}
        meta = cur.execute("SELECT * FROM meta WHERE key IN (SELECT unnest(?::VARCHAR[])) ORDER BY key", [list(META)])
        return tables, meta.fetchall()


def test_summaries_facts_and_hot_sets_are_those_a_rebuild_of_the_replica_derives(replica, tmp_path):
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(replica.resolve(), rebuilt)
    con = duckdb.connect(str(rebuilt))
    try:
        summary.rebuild(con)
    finally:
        con.close()
    tables, meta = _derived(replica)
    with store.read_cursor(replica) as cur:  # else the dashboard answers without the facts
        assert summary.facts_ready(cur) and summary.pair_types_ready(cur) and summary.evidence_ready(cur)
    last = str(_one(replica, "SELECT max(article_id) FROM articles"))
    assert meta == [
        ("facts_evidence_through", last), ("facts_hot_chosen_at", last), ("facts_hot_rule", summary.HOT_RULE),
        ("facts_through", last), ("summary_through", last),
    ]
    assert all(tables[t] for t in DERIVED_TABLES)
    assert (tables, meta) == _derived(rebuilt)


# The filtered views: a Filters field and the query finding the replica's most common value for it.
VIEWS = {
    "topic": ("topics", "SELECT topic FROM article_topics GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"),
    "entity": ("entities", "SELECT entity_key FROM entity_mentions GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"),
    # a source as the Sources filter keys it: the outlet, else the file's name (queries.shown_source)
    "source": ("sources", f"SELECT {shown_source()} FROM articles GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"),
}


def _view(cur: duckdb.DuckDBPyConnection, name: str) -> Filters:
    if name == "no filter":
        return Filters()
    if name == "stories only":  # answered from the per-flag totals of the facts
        return Filters(include_duplicates=False)
    if name == "date range":  # from the second copy of one article to the third of another
        return Filters(date_from=dt.date(2025, 3, 9), date_to=dt.date(2025, 9, 12))
    field, sql = VIEWS[name]
    (value,) = cur.execute(sql).fetchone()
    return Filters(**{field: (value,)})


def _frames_equal(found, direct) -> bool:
    return found.equals(direct) and list(found.dtypes) == list(direct.dtypes)


@pytest.mark.parametrize("entity_type", [None, "PER"])
@pytest.mark.parametrize("view", ["no filter", "stories only", "date range", "topic", "entity", "source"])
def test_dashboard_facts_answer_as_the_direct_queries(source, replica, view, entity_type):
    articles = COPIES * _one(source, "SELECT count(*) FROM articles")
    with store.read_cursor(replica) as cur:
        filters = _view(cur, view)
        assert read.key_figures_direct(cur, Filters())["articles"] == articles
        assert 0 < read.key_figures_direct(cur, filters)["articles"] <= articles
        assert read.key_figures(cur, filters) == read.key_figures_direct(cur, filters)
        for grain in ("month", "day"):
            assert _frames_equal(read.timeline(cur, filters, grain), read.timeline_direct(cur, filters, grain)), grain
        assert _frames_equal(read.topic_counts(cur, filters), read.topic_counts_direct(cur, filters))
        assert _frames_equal(
            read.top_entities(cur, filters, entity_type, 7), read.top_entities_direct(cur, filters, entity_type, 7)
        )
        assert _frames_equal(
            read.cooccurrence(cur, filters, 15, entity_type), read.cooccurrence_direct(cur, filters, 15, entity_type)
        )
        for offset in (0, 5):
            assert _frames_equal(
                read.article_page(cur, filters, 5, offset), read.article_page_direct(cur, filters, 5, offset)
            ), offset


def test_the_replica_counts_its_paragraphs_as_an_ingest_would(tmp_path):
    """The copied meta said the source's paragraphs were recorded while article_paragraphs was empty: a replica's
    repeated-paragraph counts missed the first copy, and its first batch recorded the other copies' paragraphs."""
    body = "ارتفعت أسعار الخضار في الأسواق المحلية هذا الأسبوع بسبب موجة الحر الشديدة."
    sidebar = "قال مصدر عسكري إن محاولة الانقلاب الفاشلة في العاصمة انتهت باعتقال عشرات الضباط."
    inputs = tmp_path / "a.jsonl"
    # No URL: each article is its own page, so each copy adds a page (a copy shares its source's URL when it has one).
    inputs.write_text(
        "".join(
            json.dumps({"title": f"خبر رقم {i}", "text": f"{body} رقم {i}\n{sidebar}", "source": "site.com",
                        "date": "2017-03-01"}, ensure_ascii=False) + "\n"
            for i in range(2)
        ),
        encoding="utf-8",
    )
    source = tmp_path / "source" / "basira.duckdb"
    ingest.ingest_paths([inputs], source)
    work = tmp_path / "replica"
    assert replicate.main([str(source), str(COPIES), str(work)]) == 0
    replica = work / "basira.duckdb"
    with store.read_cursor(replica) as cur:
        assert cur.execute("SELECT count(*), count(DISTINCT article_id) FROM article_paragraphs").fetchone() == (
            4 * COPIES, 2 * COPIES)
        assert cur.execute("SELECT value FROM meta WHERE key = 'paragraphs_through'").fetchone() == (str(2 * COPIES),)
        sidebar_key = boilerplate.paragraph_fingerprint("site.com", normalize_text(sidebar))
        assert cur.execute("SELECT pages FROM paragraph_counts WHERE fingerprint = ?", [sidebar_key]).fetchone() == (
            2 * COPIES,)
