"""The Topics page's evidence lists ranked from facts_evidence (each evidence sentence once, with its count of
distinct terms) must give exactly what ranking topic_evidence itself gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from basira import store
from basira.filters import Filters
from basira.queries import broken_invariants, create_schema, read, summary
from tests.test_search import _facts_cases, _frames_equal


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    from basira import ingest

    path = tmp_path_factory.mktemp("evidence") / "basira.duckdb"
    ingest.ingest_paths([store.ROOT / "seeds"], path)
    return path


def _topics(cur) -> list[str | None]:
    """No topic, and the three with most evidence sentences."""
    ranked = cur.execute(
        "SELECT topic FROM topic_evidence GROUP BY topic ORDER BY count(DISTINCT (article_id, seq)) DESC, topic LIMIT 3"
    ).fetchall()
    return [None, *(t for (t,) in ranked)]


def _answers(cur, cases: list[Filters], topics: list[str | None]) -> list:
    return [
        (read.evidence_highlights(cur, f, t), read.evidence_highlights(cur, f, t, 1, 4, 9), read.evidence_sentences(cur, f, t, 25))
        for f in cases
        for t in topics
    ]


@pytest.mark.parametrize("pool", [200, 9, 1])
def test_evidence_from_the_facts_matches_ranking_the_evidence_itself(seeds_db, pool):
    with store.read_cursor(seeds_db) as cur:
        assert summary.evidence_ready(cur)
        cases, topics = _facts_cases(cur), _topics(cur)
        nonempty = 0
        for filters in cases:
            for topic in topics:
                found = read.evidence_highlights(cur, filters, topic, 2, 15, pool)
                assert _frames_equal(found, read.evidence_highlights_direct(cur, filters, topic, 2, 15, pool)), (filters, topic)
                assert _frames_equal(
                    read.evidence_sentences(cur, filters, topic, pool), read.evidence_sentences_direct(cur, filters, topic, pool)
                ), (filters, topic)
                nonempty += not found.empty
        assert nonempty > len(cases) * len(topics) * 3 // 4  # most views hold evidence: the lists compared are not empty


def test_a_sentence_with_more_distinct_terms_ranks_first_and_counts_each_term_once(seeds_db):
    with store.read_cursor(seeds_db) as cur:
        (topic, article_id, seq, rows, terms) = cur.execute(
            "SELECT topic, article_id, seq, count(*), count(DISTINCT term) FROM topic_evidence GROUP BY ALL"
            " ORDER BY count(DISTINCT term) DESC, count(*) DESC, topic, article_id, seq LIMIT 1"
        ).fetchone()
        assert cur.execute(
            "SELECT terms_matched FROM facts_evidence WHERE topic = ? AND article_id = ? AND seq = ?", [topic, article_id, seq]
        ).fetchall() == [(terms,)]
        best = read.evidence_sentences(cur, Filters(), topic, 1)
    assert best[["article_id", "seq", "terms_matched"]].values.tolist() == [[article_id, seq, terms]]
    assert terms > 1 and rows >= terms


def test_a_store_without_evidence_facts_ranks_the_evidence_then_gets_them_on_the_next_refresh(seeds_db, tmp_path):
    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seeds_db.resolve(), copy)
    con = duckdb.connect(str(copy))
    cases, topics = _facts_cases(con)[:6], _topics(con)
    expected_rows = con.execute("SELECT * FROM facts_evidence ORDER BY ALL").fetchall()
    answers = _answers(con, cases, topics)
    # A store whose facts were built before facts_evidence existed: no table, no meta key.
    con.execute("DROP TABLE facts_evidence")
    con.execute("DELETE FROM meta WHERE key = 'facts_evidence_through'")
    assert summary.facts_ready(con) and not summary.evidence_ready(con)
    for found, expected in zip(_answers(con, cases, topics), answers, strict=True):
        assert all(_frames_equal(a, b) for a, b in zip(found, expected, strict=True))
    # The writer creates the table empty: still ranked directly until a refresh fills it.
    create_schema(con)
    assert not summary.evidence_ready(con)
    summary.refresh(con)
    assert summary.evidence_ready(con)
    assert con.execute("SELECT * FROM facts_evidence ORDER BY ALL").fetchall() == expected_rows
    for found, expected in zip(_answers(con, cases, topics), answers, strict=True):
        assert all(_frames_equal(a, b) for a, b in zip(found, expected, strict=True))
    assert broken_invariants(con) == {}
    con.close()


def test_the_invariant_finds_evidence_facts_that_disagree_with_the_evidence(seeds_db, tmp_path):
    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seeds_db.resolve(), copy)
    con = duckdb.connect(str(copy))
    assert broken_invariants(con) == {}
    (article_id, topic, seq) = con.execute(
        "SELECT article_id, topic, seq FROM facts_evidence ORDER BY article_id, topic, seq LIMIT 1"
    ).fetchone()
    con.execute("UPDATE facts_evidence SET terms_matched = terms_matched + 1 WHERE article_id = ? AND topic = ? AND seq = ?",
                [article_id, topic, seq])
    broken = broken_invariants(con)
    assert list(broken) == ["facts_evidence_matches_the_evidence"]
    assert sorted((r[0], r[4], r[5], r[6]) for r in broken["facts_evidence_matches_the_evidence"]) == [
        ("extra", article_id, topic, seq), ("missing", article_id, topic, seq)
    ]
    con.close()
