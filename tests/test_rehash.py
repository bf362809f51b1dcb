"""Stores written by older code: content hashes of the first definition (the list of sentences, until HASH_VERSION
2), which the writer rehashes before comparing the store with new articles, so that re-ingesting the files it was
built from stores nothing; and sentences cut by older rules, which retag cuts again. Either way the store ends up as
the current code builds it."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

import pytest

from basira import fingerprint, ingest, sentences, store
from basira.model import ParsedArticle
from basira.queries import broken_invariants, write
from bench import compare_stores

ROOT = Path(__file__).resolve().parent.parent
SIDEBAR = "قال مصدر عسكري إن محاولة الانقلاب الفاشلة في العاصمة انتهت باعتقال عشرات الضباط."
BODIES = (
    "ارتفعت أسعار الخضار في الأسواق المحلية هذا الأسبوع. وقال تاجر إن موجة الحر الشديدة السبب.",
    "افتتحت البلدية حديقة عامة جديدة في وسط المدينة.\nوحضر الافتتاح عدد من الأهالي.",
    "أعلنت وزارة التربية موعد بدء العام الدراسي الجديد. وقالت إن المدارس جاهزة.",
)


def _v1_content_hash(article: ParsedArticle, title: str | None = None) -> str:
    """content_hash as HASH_VERSION 1 made it: the title, then each sentence's text_norm on a line of its own."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update((fingerprint.title_norm(article) if title is None else title).encode())
    if article.sentences:
        digest.update(("\n" + "\n".join(s.text_norm for s in article.sentences)).encode())
    return digest.hexdigest()


def _inputs(folder: Path) -> list[Path]:
    """The seeds, and articles without URL on one site sharing a sidebar (their pages are keyed by their hash,
    and the sidebar is counted on three of them)."""
    lines = [
        json.dumps({"title": f"خبر {i}", "text": body + "\n" + SIDEBAR, "source": "a.com"}, ensure_ascii=False)
        for i, body in enumerate(BODIES)
    ]
    path = folder / "site.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [ROOT / "seeds", path]


def _rows(db: Path, sql: str) -> list[tuple]:
    with store.read_cursor(db) as cur:
        return cur.execute(sql).fetchall()


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    return _inputs(folder)


@pytest.fixture
def old_store(tmp_path, monkeypatch, inputs) -> Path:
    """The inputs as the code before HASH_VERSION 2 stored them (no content_hash_version in meta)."""
    db = tmp_path / "old" / "basira.duckdb"
    with monkeypatch.context() as patched:
        patched.setattr(fingerprint, "content_hash", _v1_content_hash)
        patched.setattr(ingest, "_upgrade_hashes", lambda con, progress=None: None)
        ingest.ingest_paths(inputs, db)
    return db


def test_the_old_store_holds_hashes_of_the_first_definition(old_store, tmp_path, inputs):
    fresh = tmp_path / "fresh" / "basira.duckdb"
    ingest.ingest_paths(inputs, fresh)
    sql = "SELECT article_id, content_hash FROM articles ORDER BY 1"
    old, new = _rows(old_store, sql), _rows(fresh, sql)
    assert [i for i, _ in old] == [i for i, _ in new]
    assert sum(a != b for a, b in zip(old, new, strict=True)) >= len(BODIES)
    assert _rows(old_store, "SELECT count(*) FROM meta WHERE key = 'content_hash_version'") == [(0,)]


@pytest.mark.parametrize("workers", [1, 2])
def test_reingesting_into_an_old_store_stores_nothing_and_leaves_it_as_the_current_code_builds_it(
    old_store, tmp_path, inputs, monkeypatch, workers
):
    monkeypatch.setattr(ingest, "PARALLEL_MIN_RECORDS", 1)
    fresh = tmp_path / "fresh" / "basira.duckdb"
    ingest.ingest_paths(inputs, fresh)
    ingest.ingest_paths(inputs, fresh, workers=workers)
    with store.read_cursor(old_store) as before:  # the dashboard, open on the old generation
        report = ingest.ingest_paths(inputs, old_store, workers=workers)
        assert before.execute("SELECT count(*) FROM meta WHERE key = 'content_hash_version'").fetchone() == (0,)
    assert (report.added, report.duplicates) == (0, 15)
    assert broken_invariants_of(old_store) == {}
    diffs = compare_stores.compare_stores(old_store, fresh, compare_stores.ALWAYS_IGNORED)
    assert [d.table for d in diffs if not d.identical] == []


def broken_invariants_of(db: Path) -> dict:
    with store.read_cursor(db) as cur:
        return broken_invariants(cur)


@pytest.mark.parametrize("rewrite_chunk", [10_000, 2])
def test_retag_rehashes_an_old_store(old_store, tmp_path, inputs, monkeypatch, rewrite_chunk):
    fresh = tmp_path / "fresh" / "basira.duckdb"
    ingest.ingest_paths(inputs, fresh)
    monkeypatch.setattr(write, "_REWRITE_CHUNK", rewrite_chunk)  # the articles table is copied a range at a time
    monkeypatch.setattr(ingest, "REHASH_CHUNK", rewrite_chunk)  # and the moved pages are staged a chunk at a time
    ingest.retag(old_store)
    for sql in (
        "SELECT article_id, content_hash FROM articles ORDER BY ALL",
        "SELECT content_hash, source_path, locator FROM sightings ORDER BY ALL",
        "SELECT article_id, paragraph, fingerprint, page FROM article_paragraphs ORDER BY ALL",
        "SELECT * FROM paragraph_counts ORDER BY ALL",
        "SELECT value FROM meta WHERE key = 'content_hash_version'",
    ):
        assert _rows(old_store, sql) == _rows(fresh, sql), sql


@pytest.mark.parametrize("workers", [1, 2])
def test_an_ingest_reports_the_migrations_progress(old_store, inputs, monkeypatch, workers):
    """The migration ran with no progress calls: on a large store the CLI printed nothing for minutes and the Ingest
    page sat at "Reading N files…". Two workers migrate in upgrade_store, one in the ingest's writer."""
    monkeypatch.setattr(ingest, "PARALLEL_MIN_RECORDS", 1)
    monkeypatch.setattr(ingest, "REHASH_CHUNK", 4)
    calls = []
    ingest.ingest_paths(inputs, old_store, progress=lambda done, note: calls.append((done, note)), workers=workers)
    migration = [(done, note) for done, note in calls if note.startswith(ingest.REHASH_NOTE)]
    assert migration == [(n, f"re-hashing stored articles {n}/15") for n in (4, 8, 12, 15)]
    assert calls[: len(migration)] == migration  # before any record is stored
    assert ingest.progress_text(15, migration[-1][1]) == "re-hashing stored articles 15/15"
    assert ingest.progress_text(1000, "1000 added") == "1,000 records: 1000 added"


def test_a_store_migrated_while_waiting_for_the_writer_gets_no_new_generation(old_store, monkeypatch):
    """upgrade_store found the store outdated, then waited for the writer's lock while another process migrated it:
    it copied the whole file only to write the meta key again."""
    real_lock = store._writer_lock
    migrated = []

    @contextlib.contextmanager
    def lock_after_another_migration(db_path, timeout):
        if not migrated:
            migrated.append(None)
            ingest.upgrade_store(db_path)  # the other process, first in line
            migrated[0] = store.generation_file(db_path)
        with real_lock(db_path, timeout):
            yield

    before = store.generation_file(old_store)
    monkeypatch.setattr(store, "_writer_lock", lock_after_another_migration)
    ingest.upgrade_store(old_store)
    assert migrated[0] != before
    assert store.generation_file(old_store) == store._generations(old_store)[-1] == migrated[0]
    assert _rows(old_store, "SELECT value FROM meta WHERE key = 'content_hash_version'") == [
        (fingerprint.HASH_VERSION,)]


def test_rehash_keeps_the_earliest_of_two_articles_the_new_definition_calls_the_same(tmp_path, monkeypatch):
    """Two articles that differ only in a line break were two under the first definition, and the one-line one
    already held the hash both have now: the other keeps its old hash (apply_new_hashes), and re-ingesting
    them stores nothing."""
    path = tmp_path / "two.jsonl"
    texts = ["سطر اول من الخبر\nسطر ثان من الخبر", "سطر اول من الخبر سطر ثان من الخبر"]
    path.write_text("\n".join(json.dumps({"title": "ت", "text": t}, ensure_ascii=False) for t in texts) + "\n",
                    encoding="utf-8")
    db = tmp_path / "basira.duckdb"
    with monkeypatch.context() as patched:
        patched.setattr(fingerprint, "content_hash", _v1_content_hash)
        patched.setattr(ingest, "_upgrade_hashes", lambda con, progress=None: None)
        assert ingest.ingest_paths([path], db).added == 2
    with store.writer(db) as con:
        assert ingest.rehash(con) == (0, 1)
    report = ingest.ingest_paths([path], db)
    assert (report.added, report.duplicates) == (0, 2)
    assert _rows(db, "SELECT count(*) FROM articles") == [(2,)]


# Sentences the cuts of sentences.RULES 2 split where those of 1 did not: a mark glued to the next word, a listing's
# time stamp.
GLUED = (
    "قال مدير المرصد السوري إن القصف استهدف الحي الشرقي ولم يعرف عن سببه.وقال المرصد إن الحصيلة ارتفعت إلى عشرة قتلى.",
    "لن يلتقي المسؤولين في دمشق هذا الأسبوع 2018 - 01 - 20 06 : 52 : 41 طالب الأمين العام بوقف القتال فورا.",
)


@pytest.fixture
def glued(tmp_path) -> Path:
    path = tmp_path / "in" / "glued.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "\n".join(json.dumps({"title": f"خبر {i}", "text": t, "source": "b.com"}, ensure_ascii=False)
                  for i, t in enumerate(GLUED)) + "\n",
        encoding="utf-8",
    )
    return path


def _cut_by_rules_1(monkeypatch, paths: list[Path], db: Path) -> None:
    """Ingest as the code of sentences.RULES 1 did: no glued or time-stamp cuts, no sentence_rules in meta."""
    with monkeypatch.context() as patched:
        patched.setattr(sentences, "_glued_cuts", lambda text, start, end: [])
        patched.setattr(write, "set_sentence_rules", lambda con, version: None)
        ingest.ingest_paths(paths, db)


SENTENCES = "SELECT * FROM sentences ORDER BY article_id, seq"


def test_retag_cuts_a_store_cut_by_older_rules_again(tmp_path, monkeypatch, inputs, glued):
    old, fresh = tmp_path / "old" / "basira.duckdb", tmp_path / "fresh" / "basira.duckdb"
    _cut_by_rules_1(monkeypatch, [*inputs, glued], old)
    ingest.ingest_paths([*inputs, glued], fresh)
    hashes = _rows(old, "SELECT article_id, content_hash FROM articles ORDER BY 1")
    assert hashes == _rows(fresh, "SELECT article_id, content_hash FROM articles ORDER BY 1")
    assert _rows(old, SENTENCES) != _rows(fresh, SENTENCES)
    report = ingest.ingest_paths([*inputs, glued], old)
    assert (report.added, report.duplicates) == (0, 17)
    with store.writer(old) as con:
        assert write.outdated_sentence_rules(con, sentences.RULES)
    ingest.ingest_paths([*inputs, glued], fresh)
    ingest.retag(old)
    ingest.retag(fresh)
    assert _rows(old, "SELECT article_id, content_hash FROM articles ORDER BY 1") == hashes
    diffs = compare_stores.compare_stores(old, fresh, compare_stores.ALWAYS_IGNORED)
    assert [d.table for d in diffs if not d.identical] == []
    assert [(t, n) for t, n in _rows(old, "SELECT title_raw, count(*) FROM articles JOIN sentences USING (article_id)"
                                          " WHERE source_name = 'b.com' GROUP BY ALL ORDER BY ALL")] == [
        ("خبر 0", 2), ("خبر 1", 2)]


def test_resplit_cuts_only_the_articles_cut_elsewhere(tmp_path, monkeypatch, inputs, glued):
    db = tmp_path / "basira.duckdb"
    _cut_by_rules_1(monkeypatch, [*inputs, glued], db)
    with store.writer(db) as con:
        assert ingest.resplit(con) == len(GLUED)
        assert not write.outdated_sentence_rules(con, sentences.RULES)
        assert ingest.resplit(con) == 0
