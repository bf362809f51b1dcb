"""Paragraphs repeated word for word across one site's articles (sidebars, teasers) stop counting as topic evidence:
the rules (boilerplate.py), then ingest and retag on fixture stores."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from basira import boilerplate, ingest, reader, search, store
from basira.model import Sentence
from basira.queries import broken_invariants, write
from bench import compare_stores
from tests.search_index import index_contents

# A lede of another story that a site prints beside its articles: a coup, so that its topic shows whether it counts.
SIDEBAR = "قال مصدر عسكري إن محاولة الانقلاب الفاشلة في العاصمة انتهت باعتقال عشرات الضباط."
BODIES = (
    "ارتفعت أسعار الخضار في الأسواق المحلية هذا الأسبوع بسبب موجة الحر الشديدة.",
    "افتتحت البلدية حديقة عامة جديدة في وسط المدينة بحضور عدد من الأهالي.",
    "أعلنت وزارة التربية موعد بدء العام الدراسي الجديد في المدارس الحكومية.",
)


def _sentence(seq: int, paragraph: int, norm: str, flagged: bool = False) -> Sentence:
    return Sentence(seq, paragraph, 0, len(norm), norm, norm, flagged, "navigation" if flagged else None)


@pytest.mark.parametrize(
    "source_name, key",
    [("Example.org", "example.org"), ("www.example.org", "example.org"), (" alriyadh ", "alriyadh"), ("", None),
     (None, None)],
)
def test_site_key(source_name, key):
    assert boilerplate.site_key(source_name) == key


def test_paragraph_fingerprints_of_long_paragraphs_per_site():
    long = "كلمة " * 7 + "أخيرة"
    sentences = [
        _sentence(0, 0, "عنوان قصير"),  # fewer than REPEAT_MIN_WORDS words: not counted
        _sentence(1, 1, long),
        _sentence(2, 2, "كلمة كلمة كلمة كلمة", flagged=True),  # a paragraph of two sentences, one flagged
        _sentence(3, 2, "كلمة كلمة كلمة كلمة"),
        _sentence(4, 3, long),  # the same paragraph twice in one article: listed at both places
    ]
    found = boilerplate.paragraph_fingerprints(sentences, "a.com")
    fp_long = boilerplate.paragraph_fingerprint("a.com", long)
    assert found == [(1, fp_long), (2, boilerplate.paragraph_fingerprint("a.com", "كلمة " * 7 + "كلمة")),
                     (3, fp_long)]
    assert boilerplate.paragraph_fingerprint("b.com", long) != fp_long
    assert boilerplate.paragraph_fingerprints(sentences, None) == []


def test_flag_paragraphs_keeps_earlier_reasons():
    sentences = [_sentence(0, 0, "أ"), _sentence(1, 1, "ب", flagged=True), _sentence(2, 1, "ج")]
    flagged = boilerplate.flag_paragraphs(sentences, {1})
    assert [(s.is_boilerplate, s.boilerplate_reason) for s in flagged] == [
        (False, None), (True, "navigation"), (True, "repeated_paragraph")]


def _write(folder: Path, name: str, records: list[tuple]) -> Path:
    """A JSON Lines file of (source, body[, url]) records, one per line."""
    path = folder / name
    path.write_text(
        "".join(
            json.dumps({"title": f"خبر محلي رقم {i} من {path.stem}", "text": record[1], "source": record[0],
                        "date": "2017-03-0%d" % (i + 1), **({"url": record[2]} if len(record) > 2 else {})},
                       ensure_ascii=False) + "\n"
            for i, record in enumerate(records)
        ),
        encoding="utf-8",
    )
    return path


def _article(i: int) -> str:
    return BODIES[i] + "\n" + SIDEBAR


def _coup_tags(db: Path) -> list[int]:
    with store.read_cursor(db) as cur:
        return [a for (a,) in cur.execute(
            "SELECT article_id FROM article_topics WHERE topic = 'coups' ORDER BY article_id").fetchall()]


def _flagged(db: Path) -> list[tuple[int, str]]:
    with store.read_cursor(db) as cur:
        return cur.execute(
            "SELECT article_id, boilerplate_reason FROM sentences WHERE boilerplate_reason = 'repeated_paragraph'"
            " ORDER BY article_id").fetchall()


def test_third_article_of_a_site_stops_the_paragraph_counting_and_retag_corrects_the_first_two(tmp_path):
    db = tmp_path / "basira.duckdb"
    first = ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(0)), ("site.com", _article(1))])], db)
    assert (first.repeated, first.retag_pending) == (0, 0)
    assert _coup_tags(db) == [1, 2]
    # the same paragraph on another site does not add to this site's count
    other = ingest.ingest_paths([_write(tmp_path, "b.jsonl", [("other.com", _article(2))])], db)
    assert (other.repeated, other.retag_pending, _coup_tags(db)) == (0, 0, [1, 2, 3])
    third = ingest.ingest_paths([_write(tmp_path, "c.jsonl", [("site.com", _article(2))])], db)
    # the new article is right at once; the two stored before it wait for retag (their tags are in the summaries)
    assert (third.repeated, third.retag_pending) == (1, 2)
    assert "2 stored articles hold a paragraph that now recurs" in third.summary()
    assert _coup_tags(db) == [1, 2, 3]
    assert _flagged(db) == [(4, "repeated_paragraph")]
    assert ingest.retag(db) == 4
    assert _coup_tags(db) == [3]
    assert _flagged(db) == [(1, "repeated_paragraph"), (2, "repeated_paragraph"), (4, "repeated_paragraph")]
    with store.read_cursor(db) as cur:
        assert broken_invariants(cur) == {}
        assert cur.execute("SELECT value FROM meta WHERE key = 'repeated_paragraphs_pending'").fetchone() == ("0",)


def test_three_articles_in_one_batch_are_all_corrected_by_the_writer(tmp_path):
    db = tmp_path / "basira.duckdb"
    report = ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(i)) for i in range(3)])], db)
    assert (report.repeated, report.retag_pending) == (3, 0)
    assert _coup_tags(db) == []
    assert _flagged(db) == [(1, "repeated_paragraph"), (2, "repeated_paragraph"), (3, "repeated_paragraph")]
    with store.read_cursor(db) as cur:
        assert cur.execute("SELECT fingerprint, pages FROM paragraph_counts WHERE pages > 1").fetchall() == [
            (boilerplate.paragraph_fingerprint("site.com", _norm(SIDEBAR)), 3)]
        assert broken_invariants(cur) == {}


def _norm(text: str) -> str:
    from basira.normalize import normalize_text

    return normalize_text(text)


def test_a_store_written_before_the_counts_gets_them_on_its_next_ingest(tmp_path):
    db = tmp_path / "basira.duckdb"
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(0)), ("site.com", _article(1))])], db)
    with store.writer(db) as con:  # as a store of the previous version: no paragraph rows, no meta key
        con.execute("DROP TABLE article_paragraphs")
        con.execute("DROP TABLE paragraph_counts")
        con.execute("DELETE FROM meta WHERE key = 'paragraphs_through'")
    report = ingest.ingest_paths([_write(tmp_path, "c.jsonl", [("site.com", _article(2))])], db)
    assert (report.repeated, report.retag_pending) == (1, 2)
    with store.read_cursor(db) as cur:
        assert cur.execute("SELECT count(DISTINCT article_id) FROM article_paragraphs").fetchone() == (3,)
    ingest.retag(db)
    assert _coup_tags(db) == []


def test_a_store_written_before_the_counts_keeps_its_hash_prefixes(tmp_path):
    # The workers' two known-key arrays are read apart: the missing paragraph_counts empties only the repeats.
    db = tmp_path / "basira.duckdb"
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(0)), ("site.com", _article(1))])], db)
    with store.writer(db) as con:
        con.execute("DROP TABLE paragraph_counts")
        expected = write.hash_prefixes(con)
    prefixes, repeats = ingest._stored_keys(db)
    assert (prefixes.tolist(), repeats.tolist(), len(expected)) == (expected.tolist(), [], 2)


def test_a_page_scraped_again_counts_once(tmp_path):
    db = tmp_path / "basira.duckdb"
    home = "https://site.com/index.php"
    # the same front page twice (its reader counter changed: two articles) and one other page: two pages
    again = [("site.com", _article(0) + "\nعدد القراء 5365371", home), ("site.com", _article(0) + "\nعدد القراء 5365435", home),
             ("site.com", _article(1), "https://site.com/a/1")]
    report = ingest.ingest_paths([_write(tmp_path, "a.jsonl", again)], db)
    assert (report.added, report.repeated, _coup_tags(db)) == (3, 0, [1, 2, 3])
    third = ingest.ingest_paths([_write(tmp_path, "b.jsonl", [("site.com", _article(2), "https://site.com/a/2")])], db)
    assert (third.repeated, third.retag_pending, _coup_tags(db)) == (1, 3, [1, 2, 3])


def _found(db: Path, query: str) -> list[int]:
    with store.read_cursor(db) as cur:
        return sorted(search.search(cur, query, context=False)["article_id"].tolist())


def _rebuilt_index(db: Path, tmp_path: Path) -> dict[str, list[tuple]]:
    copy = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(db, copy)
    with store.writer(copy) as con:
        search.rebuild_index(con)
    return index_contents(copy)


# Words of the sidebar only ("failed", "dozens") and a phrase of it.
SIDEBAR_QUERIES = ("الفاشلة", "عشرات الضباط", '"محاولة الانقلاب"')


def test_a_sidebar_flagged_by_the_writer_is_not_searched(tmp_path):
    db = tmp_path / "basira.duckdb"
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(i)) for i in range(3)])], db)
    for query in SIDEBAR_QUERIES:
        assert _found(db, query) == [], query
    assert _found(db, "الحكومية") == [3]  # the article's own text still is
    assert index_contents(db) == _rebuilt_index(db, tmp_path)


def test_older_articles_leave_the_sidebar_search_at_retag(tmp_path):
    db = tmp_path / "basira.duckdb"
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(0)), ("site.com", _article(1))])], db)
    ingest.ingest_paths([_write(tmp_path, "b.jsonl", [("other.com", _article(2))])], db)
    ingest.ingest_paths([_write(tmp_path, "c.jsonl", [("site.com", _article(2))])], db)
    # article 4 is flagged at once; 1 and 2 wait for retag; 3 is the only page of other.com holding the paragraph
    for query in SIDEBAR_QUERIES:
        assert _found(db, query) == [1, 2, 3], query
    ingest.retag(db)
    for query in SIDEBAR_QUERIES:
        assert _found(db, query) == [3], query
    assert index_contents(db) == _rebuilt_index(db, tmp_path)


def _reread(path: Path) -> list:
    return list(reader.read_bytes(path.name, path.read_bytes()))


def _ingest_by(how: str, path: Path, db: Path, monkeypatch) -> ingest.IngestReport:
    if how == "two workers":
        monkeypatch.setattr(ingest, "PARALLEL_MIN_RECORDS", 1)
        monkeypatch.setattr(ingest, "UNIT_LINES", 1)
        return ingest.ingest_paths([path], db, workers=2)
    if how == "upload":
        return ingest.ingest_uploads([(path.name, path.read_bytes())], db)
    return ingest.ingest_paths([path], db, workers=1)


def _evidence_in_flagged(db: Path) -> list[tuple]:
    """Analysis rows pointing to a sentence flagged as a repeated paragraph (there must be none)."""
    with store.read_cursor(db) as cur:
        return cur.execute(
            "SELECT x.article_id, x.seq FROM (SELECT article_id, seq FROM topic_evidence UNION ALL"
            " SELECT article_id, seq FROM entity_mentions UNION ALL SELECT article_id, seq FROM quotations) x"
            " JOIN sentences s USING (article_id, seq) WHERE s.boilerplate_reason = 'repeated_paragraph'"
        ).fetchall()


def _analysis_and_facts(db: Path) -> dict[str, list[tuple]]:
    with store.read_cursor(db) as cur:
        found = {t: cur.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ingest.ANALYSIS_TABLES}
        found["facts_topics"] = cur.execute("SELECT article_id, topic, score FROM facts_topics ORDER BY ALL").fetchall()
        return found


# Chunks of two articles: the sidebar's third page (article 4) is in the second chunk, after articles 1 and 2 were
# stored, analysed and summarised in the first.
ONE_BATCH = [("site.com", _article(0)), ("site.com", _article(1)), ("other.com", BODIES[0]), ("site.com", _article(2))]


@pytest.mark.parametrize("how", ["one process", "two workers", "upload"])
def test_a_paragraph_recurring_later_in_the_batch_leaves_no_article_of_it_to_retag(tmp_path, monkeypatch, how):
    monkeypatch.setattr(ingest, "CHUNK", 2)
    db = tmp_path / "basira.duckdb"
    report = _ingest_by(how, _write(tmp_path, "a.jsonl", ONE_BATCH), db, monkeypatch)
    assert (report.added, report.repeated, report.retag_pending) == (4, 3, 0)
    assert "retag" not in report.summary()
    assert _coup_tags(db) == []
    assert _flagged(db) == [(1, "repeated_paragraph"), (2, "repeated_paragraph"), (4, "repeated_paragraph")]
    assert _evidence_in_flagged(db) == []
    stored = _analysis_and_facts(db)
    assert [t for _, t, _ in stored["facts_topics"]].count("coups") == 0
    with store.read_cursor(db) as cur:
        assert broken_invariants(cur) == {}
        assert cur.execute("SELECT value FROM meta WHERE key = 'repeated_paragraphs_pending'").fetchone() == ("0",)
    # retag has nothing left to correct
    ingest.retag(db)
    assert _analysis_and_facts(db) == stored


def test_records_that_can_be_read_only_once_leave_the_batch_s_earlier_articles_to_retag(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "CHUNK", 2)
    db = tmp_path / "basira.duckdb"
    report = ingest.ingest_records(iter(_reread(_write(tmp_path, "a.jsonl", ONE_BATCH))), "stream", db)
    assert (report.repeated, report.retag_pending, _coup_tags(db)) == (1, 2, [1, 2])


def test_articles_stored_before_the_batch_are_still_left_to_retag_and_reported(tmp_path, monkeypatch):
    db = tmp_path / "basira.duckdb"
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(0))])], db)
    monkeypatch.setattr(ingest, "CHUNK", 2)
    later = [("site.com", _article(1)), ("other.com", BODIES[0]), ("site.com", _article(2))]
    report = ingest.ingest_paths([_write(tmp_path, "b.jsonl", later)], db)
    assert (report.repeated, report.retag_pending) == (2, 1)
    assert "1 stored articles hold a paragraph that now recurs on their site" in report.summary()
    assert _coup_tags(db) == [1]
    assert _flagged(db) == [(2, "repeated_paragraph"), (4, "repeated_paragraph")]
    ingest.retag(db)
    assert _coup_tags(db) == []


def test_a_batch_of_one_chunk_is_not_read_ahead(tmp_path):
    db = tmp_path / "basira.duckdb"
    records = _reread(_write(tmp_path, "a.jsonl", [("site.com", _article(i)) for i in range(3)]))
    report = ingest.ingest_records(records, "one chunk", db, again=lambda: pytest.fail("read ahead"))
    assert (report.repeated, report.retag_pending, _coup_tags(db)) == (3, 0, [])


def test_an_input_that_changed_after_the_read_ahead_stores_nothing(tmp_path, monkeypatch):
    db = tmp_path / "basira.duckdb"
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("other.com", BODIES[0])])], db)
    monkeypatch.setattr(ingest, "CHUNK", 1)
    read = _reread(_write(tmp_path, "b.jsonl", [("site.com", _article(i)) for i in range(2)]))
    ahead = _reread(_write(tmp_path, "c.jsonl", [("site.com", _article(i)) for i in range(3)]))
    # The read-ahead saw the sidebar on three pages; the batch holds two of them.
    with pytest.raises(RuntimeError, match="changed while it was being ingested"):
        ingest.ingest_records(read, "changed", db, again=lambda: ahead)
    with store.read_cursor(db) as cur:
        assert cur.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def _the_old_way(article: list[Sentence], paragraph_keys: list[tuple[int, int]]) -> list[Sentence]:
    """Workers that do not flag the paragraphs the store counts: the writer flags them and analyses again."""
    return article


# A later batch into a store that counts the sidebar on three pages: two new pages of the site with it, one without,
# and one of a site that never printed it. Nothing recurs anew in the batch.
LATER = [
    ("site.com", "أعلن المجلس البلدي خطة لتوسيع شبكة المياه في الأحياء الشرقية.\n" + SIDEBAR),
    ("site.com", "نظمت الجامعة معرضا للكتاب بمشاركة دور نشر عربية وأجنبية.\n" + SIDEBAR),
    ("site.com", "سجلت محطات الرصد أمطارا غزيرة على المناطق الساحلية."),
    ("other.com", BODIES[1] + "\n" + SIDEBAR),
]


@pytest.mark.parametrize("how", ["one process", "two workers", "upload"])
def test_a_paragraph_the_store_counts_is_flagged_before_analysis_and_the_store_is_the_same(tmp_path, monkeypatch, how):
    base = tmp_path / "base" / "basira.duckdb"
    base.parent.mkdir()
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(i)) for i in range(3)])], base)
    later = _write(tmp_path, "b.jsonl", LATER)
    built = {}
    for way in ("new", "old"):
        db = tmp_path / way / "basira.duckdb"
        db.parent.mkdir()
        shutil.copyfile(base.resolve(), db)
        with monkeypatch.context() as patched:
            if way == "old":
                patched.setattr(ingest, "_without_known_repeats", _the_old_way)
            report = _ingest_by(how, later, db, patched)
        built[way] = db
        # the old way analysed the two pages with the sidebar twice: as read, then in the writer without it
        assert (way, report.added, report.repeated, report.retag_pending) == (way, 4, 2 if way == "old" else 0, 0)
    assert _flagged(built["new"]) == [(1, "repeated_paragraph"), (2, "repeated_paragraph"),
                                      (3, "repeated_paragraph"), (4, "repeated_paragraph"), (5, "repeated_paragraph")]
    assert _coup_tags(built["new"]) == [7]
    diffs = compare_stores.compare_stores(built["old"], built["new"])
    assert [d.table for d in diffs if not d.identical] == []
    with store.read_cursor(built["new"]) as cur:
        assert broken_invariants(cur) == {}


def test_counts_read_from_an_older_generation_store_nothing(tmp_path, monkeypatch):
    """The workers' counts are read before the writer lock: if a generation that counts fewer landed meanwhile, the
    workers would flag paragraphs the writer does not, and the batch stops before storing anything."""
    db = tmp_path / "basira.duckdb"
    ingest.ingest_paths([_write(tmp_path, "a.jsonl", [("site.com", _article(i)) for i in range(3)])], db)
    stored = ingest._stored_keys
    not_counted = boilerplate.paragraph_fingerprint("site.com", _norm(BODIES[0]))
    monkeypatch.setattr(
        ingest, "_stored_keys", lambda path: (stored(path)[0], np.sort(np.append(stored(path)[1], not_counted)))
    )
    live = db.resolve()
    with pytest.raises(RuntimeError, match="the store changed before this ingest began"):
        _ingest_by("two workers", _write(tmp_path, "b.jsonl", LATER), db, monkeypatch)
    assert db.resolve() == live
    assert ingest._known_repeats.size == 0
