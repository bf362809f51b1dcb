"""A store made by an older normalize.VERSION: ingest refuses it, the pages say so, and retag brings it up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from basira import ingest, normalize, search, store
from basira.__main__ import main
from basira.filters import Filters
from basira.queries import broken_invariants, read

# Article 1 spells مسؤول, article 2 only مسئول; article 4 is article 3 spelt مسئول/شئون for مسؤول/شؤون, which
# version 1 kept apart.
FIXTURE = Path(__file__).parent / "fixtures" / "hamza_spellings.jsonl"


def _rows(db: Path, sql: str) -> list[tuple]:
    with store.read_cursor(db) as cur:
        return cur.execute(sql).fetchall()


@pytest.fixture
def old_store(tmp_path, monkeypatch) -> Path:
    """The fixture as version 1 stored it, before hamza on waw before waw folded as hamza on yeh."""
    db = tmp_path / "old.duckdb"
    with monkeypatch.context() as patched:
        patched.setattr(normalize, "normalize_hamza_before_waw", lambda text: text)
        patched.setattr(normalize, "VERSION", "1")
        ingest.ingest_paths([FIXTURE], db)
    return db


def _found(db: Path, query: str) -> list[int]:
    with store.read_cursor(db) as cur:
        return sorted(search.search(cur, query, Filters())["article_id"].tolist())


def test_the_current_version_stores_the_third_article_as_a_copy_of_the_first(tmp_path):
    report = ingest.ingest_paths([FIXTURE], tmp_path / "new.duckdb")
    assert (report.added, report.duplicates) == (3, 1)
    assert _found(tmp_path / "new.duckdb", "مسؤول") == _found(tmp_path / "new.duckdb", "مسئول") == [1, 2, 3]


def test_a_version_1_store_is_reported_outdated(old_store):
    assert _rows(old_store, "SELECT count(*) FROM articles") == [(4,)]
    with store.read_cursor(old_store) as cur:
        assert read.outdated_normalization(cur) == "1"


def test_ingest_refuses_an_outdated_store_and_stores_nothing(old_store):
    with pytest.raises(ingest.StoreOutdated, match="normalised by version 1 .* this is version 2: nothing was ingested"):
        ingest.ingest_paths([FIXTURE], old_store)
    assert _rows(old_store, "SELECT count(*) FROM batches") == [(1,)]


def test_the_cli_says_why_and_exits_2(old_store, capsys):
    assert main(["--db", str(old_store), "ingest", str(FIXTURE)]) == 2
    assert "Run `python -m basira retag` first" in capsys.readouterr().err


# What a fresh ingest of articles 1 and 2 stores, which retag must reproduce in the old store.
FORMS = [
    "SELECT article_id, seq, text_norm FROM sentences WHERE article_id <= 2 ORDER BY ALL",
    "SELECT article_id, title_norm, content_hash FROM articles WHERE article_id <= 2 ORDER BY ALL",
    "SELECT article_id, signature FROM story_signatures WHERE article_id <= 2 ORDER BY ALL",
    "SELECT article_id, paragraph, fingerprint, page FROM article_paragraphs WHERE article_id <= 2 ORDER BY ALL",
    "SELECT content_hash, locator FROM sightings WHERE locator IN ('line 1', 'line 2') ORDER BY ALL",
]


@pytest.mark.parametrize("sql", FORMS)
def test_retag_remakes_what_a_fresh_ingest_stores(old_store, tmp_path, sql):
    fresh = tmp_path / "fresh.duckdb"
    ingest.ingest_paths([FIXTURE], fresh)
    assert _rows(old_store, sql) != _rows(fresh, sql)
    ingest.retag(old_store)
    assert _rows(old_store, sql) == _rows(fresh, sql)


def test_after_retag_a_copy_the_fold_made_keeps_its_hash_and_a_reingest_adds_nothing(old_store):
    before = _rows(old_store, "SELECT article_id, content_hash FROM articles ORDER BY 1")
    ingest.retag(old_store)
    after = _rows(old_store, "SELECT article_id, content_hash FROM articles ORDER BY 1")
    # Article 1 takes the hash of its folded text. Article 3's folded text is article 4's, whose hash stays the
    # one a re-ingest finds, so article 3 keeps its own: nothing is lost.
    assert [a != b for a, b in zip(before, after, strict=True)] == [True, False, False, False]
    with store.read_cursor(old_store) as cur:
        assert read.outdated_normalization(cur) is None
        assert broken_invariants(cur) == {}
    again = ingest.ingest_paths([FIXTURE], old_store)
    assert (again.added, again.duplicates) == (0, 4)
    assert _found(old_store, "مسؤول") == _found(old_store, "مسئول") == [1, 2, 3, 4]
    assert _found(old_store, "شؤون السجون") == _found(old_store, "شئون السجون") == [3, 4]
