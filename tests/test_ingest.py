"""Integration: the ingest pipeline on small fixture inputs, checked through the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from basira import ingest, store
from basira.queries import broken_invariants

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_000 = SEEDS / "000_e9bce7ec56e8657f.txt"
SEED_001 = SEEDS / "001_448bee02959f381d.txt"


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with store.read_cursor(db) as cur:
        return cur.execute(sql, params or []).fetchall()


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    """Everything an ingest may change, except the batch log."""
    tables = ["articles", "sentences", "sightings", "rejected", "article_topics", "topic_evidence",
              "entities", "entity_mentions", "quotations", "quantities", "story_buckets"]
    return {t: sorted(_rows(db, f"SELECT * FROM {t}"), key=repr) for t in tables}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "basira.duckdb"


def test_the_two_original_seeds_land_with_their_metadata(db):
    report = ingest.ingest_paths([SEED_000, SEED_001], db)
    assert (report.added, report.duplicates, sum(report.rejected.values())) == (2, 0, 0)
    rows = _rows(db, "SELECT source_path, title_raw, byline, published, date_source, undated_reason IS NULL"
                     " FROM articles ORDER BY article_id")
    assert rows == [
        ("seeds/000_e9bce7ec56e8657f.txt", None, None, __import__("datetime").date(2025, 9, 11), "header", True),
        (
            "seeds/001_448bee02959f381d.txt",
            "وزير الداخلية السوري يكشف إحباط مخطط انقلاب من ضباط سابقين",
            "وكالات – أشرف التهامى",
            None,
            None,
            False,
        ),
    ]
    boilerplate = _rows(db, "SELECT article_id, boilerplate_reason, text_raw FROM sentences WHERE is_boilerplate ORDER BY 1, seq")
    assert [(a, r) for a, r, _ in boilerplate if a == 2] == [(2, "related_link")]
    assert [t for a, _, t in boilerplate if a == 2] == ["تفاصيل استئناف الرحلات الجوية بين الإمارات وسوريا"]
    # Both embedded Facebook captions, each a caption sentence plus its "Posted by ... on <date>" line.
    captions = _rows(db, "SELECT seq, boilerplate_reason FROM sentences WHERE is_boilerplate AND article_id = 1 ORDER BY seq")
    assert captions == [(4, "social_caption"), (5, "social_caption"), (8, "social_caption"), (9, "social_caption")]
    assert broken_invariants_of(db) == {}


def broken_invariants_of(db: Path) -> dict:
    with store.read_cursor(db) as cur:
        return broken_invariants(cur)


def test_undated_article_keeps_its_reason_and_no_invented_date(db):
    ingest.ingest_paths([SEED_001], db)
    (published, reason), = _rows(db, "SELECT published, undated_reason FROM articles")
    assert published is None
    assert reason  # a sentence an analyst can read, e.g. "no date header, field, URL date or date in text"


def test_reingesting_the_same_input_changes_nothing(db):
    ingest.ingest_paths([SEEDS], db)
    before = _snapshot(db)
    again = ingest.ingest_paths([SEEDS], db)
    assert again.added == 0
    assert again.duplicates == again.seen - sum(again.rejected.values())
    assert _snapshot(db) == before


def test_exact_duplicate_under_another_name_is_a_sighting_not_an_article(db, tmp_path):
    copy = tmp_path / "inbox" / "copy.txt"
    copy.parent.mkdir()
    copy.write_bytes(SEED_000.read_bytes())
    ingest.ingest_paths([SEED_000], db)
    report = ingest.ingest_paths([copy], db)
    assert (report.added, report.duplicates) == (0, 1)
    assert _rows(db, "SELECT count(*) FROM articles") == [(1,)]
    assert _rows(db, "SELECT count(*) FROM sightings") == [(2,)]


def test_near_duplicate_joins_the_story_of_the_original(db, tmp_path):
    original = SEED_000.read_text(encoding="utf-8")
    # Another outlet's copy: no date header, a sentence dropped, a word changed, a different tail.
    paragraphs = original.split("\n\n")
    edited = "\n\n".join(paragraphs[:3] + paragraphs[4:]).replace("هشاً", "هشاً جداً") + "\n\nالمصدر: وكالات"
    edited_path = tmp_path / "other_outlet.txt"
    edited_path.write_text(edited.replace(" date 2025-09-11 ", ""), encoding="utf-8")
    unrelated = SEED_001
    report = ingest.ingest_paths([SEED_000, unrelated, edited_path], db)
    assert report.added == 3
    stories = dict(_rows(db, "SELECT source_path, story_id FROM articles"))
    assert stories[str(edited_path)] == stories["seeds/000_e9bce7ec56e8657f.txt"] == 1
    assert stories["seeds/001_448bee02959f381d.txt"] == 2
    assert report.joined_story == 1


def test_bad_inputs_are_rejected_with_reasons_and_the_batch_still_lands(db, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (inbox / "good.txt").write_bytes(SEED_001.read_bytes())
    (inbox / "rows.jsonl").write_text(
        json.dumps({"title": "بلا نص", "url": "https://example.org/a"}, ensure_ascii=False) + "\n"
        + "{not json\n"
        + json.dumps({"text": "أفرجت السلطات عن عشرين موقوفاً من سجن عدرا.", "date": "2025-03-02"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    report = ingest.ingest_paths([inbox], db)
    assert report.added == 2
    assert dict(report.rejected) == {"empty": 1, "binary": 1, "missing_text": 1, "malformed_json": 1}
    stored = _rows(db, "SELECT reason, source_path, locator FROM rejected ORDER BY reason")
    assert [r for r, _, _ in stored] == ["binary", "empty", "malformed_json", "missing_text"]
    assert all(path.startswith(str(inbox)) for _, path, _ in stored)
    # The same bad files again: no new rejection rows.
    ingest.ingest_paths([inbox], db)
    assert _rows(db, "SELECT count(*) FROM rejected") == [(4,)]


def test_an_ingest_that_crashes_midway_leaves_the_previous_state(db, monkeypatch):
    ingest.ingest_paths([SEED_000], db)
    before = _snapshot(db)

    def explode(*args, **kwargs):
        raise RuntimeError("simulated crash during analysis")

    monkeypatch.setattr(ingest.analysis, "analyze_article", explode)
    with pytest.raises(RuntimeError):
        ingest.ingest_paths([SEED_001], db)
    monkeypatch.undo()
    assert _snapshot(db) == before
    report = ingest.ingest_paths([SEED_001], db)
    assert report.added == 1


def test_retag_rebuilds_the_same_analysis(db):
    ingest.ingest_paths([SEEDS], db)
    before = _snapshot(db)
    assert ingest.retag(db) == _rows(db, "SELECT count(*) FROM articles")[0][0]
    assert _snapshot(db) == before


def test_seeds_build_a_store_whose_invariants_hold(db):
    ingest.ingest_paths([SEEDS], db)
    assert broken_invariants_of(db) == {}
    assert _rows(db, "SELECT count(*) >= 10 FROM articles") == [(True,)]


def test_cli_ingest_and_stats(db):
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "basira", "--db", str(db), *args], capture_output=True, text=True, cwd=ROOT
    )
    first = run("ingest", str(SEED_000), str(SEED_001))
    assert first.returncode == 0, first.stderr
    assert "added 2 articles" in first.stdout
    stats = run("stats")
    assert stats.returncode == 0, stats.stderr
    assert "articles           2" in stats.stdout
    assert "undated            1" in stats.stdout
    check = run("check")
    assert (check.returncode, check.stdout.strip()) == (0, "all invariants hold")
    missing = run("ingest", "no/such/file.txt")
    assert missing.returncode == 2 and "No such file or folder" in missing.stderr


def test_stats_on_a_missing_store_says_how_to_build_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "basira", "--db", str(tmp_path / "none.duckdb"), "stats"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 2
    assert "python -m basira ingest seeds/" in result.stderr


def _store_tables(db: Path) -> dict[str, list[tuple]]:
    """Every table of the store, rows in order (the batch log without its timestamps)."""
    with store.read_cursor(db) as cur:
        names = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()]
        columns = {"batches": "batch_id, inputs, articles_added, duplicates, rejected"}
        return {n: cur.execute(f"SELECT {columns.get(n, '*')} FROM {n} ORDER BY ALL").fetchall() for n in names}


def _mixed_inputs(folder: Path) -> Path:
    """Seeds, the fixture files of every format, and a JSONL export made of reshuffled seed paragraphs: rewrites
    of one story (near-duplicates), exact copies within the file, a malformed line and a cut-off last line."""
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), *(ROOT / "tests" / "fixtures").iterdir()]:
        (folder / path.name).write_bytes(path.read_bytes())
    paragraphs = [p for s in sorted(SEEDS.glob("*.txt")) for p in s.read_text(encoding="utf-8").split("\n")[2:] if len(p) > 80]
    lines = []
    for i in range(70):
        body = "\n".join(paragraphs[(i * 7 + k) % len(paragraphs)] for k in range(1 + i % 4))
        lines.append(json.dumps({"title": f"خبر رقم {i % 50}", "text": body, "date": f"2024-01-{1 + i % 28:02d}"}, ensure_ascii=False))
    lines[20] = lines[3]
    lines[41] = lines[3]
    lines.insert(30, '{"title": "broken",')
    (folder / "export.jsonl").write_text("\n".join(lines) + '\n{"title": "cut', encoding="utf-8")
    return folder


def test_a_parallel_ingest_stores_exactly_what_one_process_stores(tmp_path, monkeypatch):
    # Small units and chunks, so that units straddle chunks and duplicates fall in other units and chunks.
    monkeypatch.setattr(ingest, "PARALLEL_MIN_RECORDS", 1)
    monkeypatch.setattr(ingest, "UNIT_LINES", 4)
    monkeypatch.setattr(ingest, "CHUNK", 10)
    inputs = _mixed_inputs(tmp_path / "inputs")
    more = tmp_path / "more.jsonl"
    more.write_text((inputs / "export.jsonl").read_text(encoding="utf-8").replace("رقم", "عدد", 9), encoding="utf-8")
    stores = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}" / "basira.duckdb"
        first = ingest.ingest_paths([inputs], db, workers=workers)
        # A second batch: mostly stored articles (only hashed), some new ones.
        second = ingest.ingest_paths([inputs, more], db, workers=workers)
        counts = [(r.seen, r.added, r.duplicates, r.joined_story, dict(r.rejected), r.rejections) for r in (first, second)]
        stores[workers] = (_store_tables(db), counts)
        rejected = {"not_an_object": 1, "malformed_json": 2, "truncated": 2, "missing_text": 2}
        again = rejected | {"malformed_json": 3, "truncated": 3}
        assert [c[1:5] for c in counts] == [(98, 3, 62, rejected), (9, 162, 9, again)]
    assert stores[1][0]["articles"] != []
    assert stores[1] == stores[2]


def test_an_article_wrongly_presumed_stored_is_prepared_by_the_writer(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "PARALLEL_MIN_RECORDS", 1)
    monkeypatch.setattr(ingest, "UNIT_LINES", 4)
    inputs = _mixed_inputs(tmp_path / "inputs")
    ingest.ingest_paths([inputs], tmp_path / "plain" / "basira.duckdb", workers=2)
    # Every hash looks stored: workers only hash, and the writer must prepare every new article itself.
    monkeypatch.setattr(ingest, "_probably_stored", lambda content_hash: True)
    ingest.ingest_paths([inputs], tmp_path / "presumed" / "basira.duckdb", workers=2)
    plain, presumed = (_store_tables(tmp_path / d / "basira.duckdb") for d in ("plain", "presumed"))
    assert len(plain["entity_mentions"]) > 100
    assert presumed == plain


def test_worker_count_comes_from_the_environment_else_the_cores_up_to_four(monkeypatch):
    monkeypatch.delenv(ingest.WORKERS_ENV, raising=False)
    monkeypatch.setattr(ingest.os, "cpu_count", lambda: 16)
    assert ingest.default_workers() == 4
    monkeypatch.setattr(ingest.os, "cpu_count", lambda: None)
    assert ingest.default_workers() == 1
    monkeypatch.setenv(ingest.WORKERS_ENV, "3")
    assert ingest.default_workers() == 3
    monkeypatch.setenv(ingest.WORKERS_ENV, "0")
    assert ingest.default_workers() == 1
    monkeypatch.setenv(ingest.WORKERS_ENV, "two")
    with pytest.raises(ValueError, match="BASIRA_WORKERS must be a whole number"):
        ingest.default_workers()


@pytest.mark.parametrize(("query_chunks", "queries"), [(0, 0), (3, 6)], ids=["loaded at once", "loaded after 3 chunks"])
def test_stored_story_candidates_from_memory_are_those_of_the_query(tmp_path, monkeypatch, query_chunks, queries):
    # Tiny chunks and buckets capped at two members, so that the cap bites and each path runs many chunks; the
    # second batch (the export again, titles changed: same stories) finds its stories among stored articles.
    monkeypatch.setattr(ingest, "CHUNK", 10)
    monkeypatch.setattr(ingest, "PER_BUCKET", 2)
    inputs = _mixed_inputs(tmp_path / "inputs")
    more = tmp_path / "more.jsonl"
    more.write_text((inputs / "export.jsonl").read_text(encoding="utf-8").replace("رقم", "عدد"), encoding="utf-8")
    matches = ingest.write.bucket_matches
    calls = []
    monkeypatch.setattr(ingest.write, "bucket_matches", lambda *args: calls.append(1) or matches(*args))
    stores = {}
    for path, chunks in (("query", 10_000), ("memory", query_chunks)):
        monkeypatch.setattr(ingest, "QUERY_CHUNKS", chunks)
        db = tmp_path / path / "basira.duckdb"
        calls.clear()
        joined = [ingest.ingest_paths([batch], db).joined_story for batch in (inputs, more)]
        stores[path] = (_store_tables(db), joined, len(calls))
    (queried, joined_by_query, query_calls), (in_memory, joined_in_memory, memory_calls) = stores.values()
    assert (query_calls, memory_calls) == (19, queries)
    assert joined_by_query == joined_in_memory == [62, 68]
    buckets_by_query, buckets_in_memory = queried.pop("story_buckets"), in_memory.pop("story_buckets")
    assert queried == in_memory
    # In memory only the first members of each bucket are kept, and stored: those the query looks at.
    first = {}
    for band, bucket, article_id in buckets_by_query:
        first.setdefault((band, bucket), []).append(article_id)
    expected = sorted((band, bucket, a) for (band, bucket), ids in first.items() for a in sorted(ids)[:2])
    assert len(buckets_by_query) == 5312
    if queries:  # the first three chunks of each batch store all their buckets, as the query path does
        assert set(expected) < set(buckets_in_memory) < set(buckets_by_query)
    else:
        assert buckets_in_memory == expected


def test_bucket_index_keeps_the_first_members_of_each_key_across_runs(monkeypatch):
    monkeypatch.setattr(ingest, "PER_BUCKET", 2)
    index = ingest._BucketIndex()
    u = np.uint64
    kept = index.add(np.array([5, 9, 5, 5, 7], u), np.array([1, 1, 2, 3, 3], np.int64))
    assert kept.tolist() == [True, True, True, False, True]
    assert index.add(np.array([5, 9], u), np.array([4, 4], np.int64)).tolist() == [False, True]
    assert len(index._runs) == 2  # a run under half the size of the one before stays apart
    assert index.add(np.array([7, 8, 8], u), np.array([5, 5, 6], np.int64)).tolist() == [True, True, True]
    assert len(index._runs) == 1  # then three runs merge into one
    owner, ids = index.members(np.array([9, 5, 6, 7, 8], u))
    assert list(zip(owner.tolist(), ids.tolist())) == [(0, 1), (0, 4), (1, 1), (1, 2), (3, 3), (3, 5), (4, 5), (4, 6)]
    keys, ids = ingest._merge_runs((np.array([1, 3, 3], u), np.array([1, 2, 3], np.uint32)),
                                   (np.array([0, 3, 4], u), np.array([4, 5, 6], np.uint32)))
    assert keys.tolist() == [0, 1, 3, 3, 3, 4] and ids.tolist() == [4, 1, 2, 3, 5, 6]


def _taxonomy(db: Path) -> str | None:
    from basira.queries import read

    with store.read_cursor(db) as cur:
        return read.taxonomy_version(cur)


def test_ingest_after_a_taxonomy_edit_says_the_store_mixes_two_until_retag(db, tmp_path, monkeypatch):
    from basira import analysis

    first = ingest.ingest_paths([SEEDS], db)
    old = analysis.taxonomy_version()
    assert (first.older_taxonomy, _taxonomy(db)) == (None, old)
    monkeypatch.setattr(analysis, "taxonomy_version", lambda: "topics-edited")
    record = {"title": "خبر جديد", "text": "أفرجت السلطات عن معتقلين من سجن حماة.", "source": "x.org", "date": "2025-06-01"}
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    second = ingest.ingest_paths([path], db)
    assert second.older_taxonomy == old
    assert f"tagged with taxonomy {old}, the new ones with topics-edited: run `retag`" in second.summary()
    assert _taxonomy(db) == f"topics-edited (older articles: {old}; retag pending)"
    ingest.retag(db)
    assert _taxonomy(db) == "topics-edited"


def test_a_batch_of_the_same_taxonomy_mixes_nothing(db, tmp_path):
    ingest.ingest_paths([SEEDS], db)
    again = ingest.ingest_paths([SEEDS], db)  # all duplicates, same taxonomy
    assert again.older_taxonomy is None
    assert "run `retag` so that" not in again.summary()


@pytest.mark.parametrize(
    "calls, expected",
    [
        # No read-ahead (one chunk, or a stream): the bar approaches the cap as records come.
        ([(1000, "1000 added")], [0.475]),
        # A read-ahead of 3,000 records fills a tenth, then storing is a true share of them: never back to 0.
        ([(1000, ingest.READ_AHEAD_NOTE), (3000, ingest.READ_AHEAD_NOTE), (1000, "1000 added"), (3000, "3000 added")],
         [0.05, 0.075, 0.1 + 0.85 / 3, 0.95]),
        # Storing starts where the read-ahead's share ends; a repeated count does not move the bar back.
        ([(9000, ingest.READ_AHEAD_NOTE), (10, "10 added"), (9000, "9000 added"), (10, "10 added")],
         [0.09, 0.1 + 0.85 * 10 / 9000, 0.95, 0.95]),
        # The migration's counts are of stored articles, before any record: they leave the bar where it is.
        ([(4, ingest.rehash_note(4, 15)), (15, ingest.rehash_note(15, 15)), (1000, "1000 added")], [0.0, 0.0, 0.475]),
    ],
)
def test_ingest_page_progress_never_goes_back(calls, expected):
    bar = ingest.ProgressBar()
    assert [bar.fraction(done, note) for done, note in calls] == pytest.approx(expected)


# One body the gazetteer does not know, written with hamza and taa marbuta by one article and without hamza by two.
WRITTEN = "أعلنت إدارة الإنشاءات العسكرية في دمشق بدء أعمال ترميم المباني المتضررة في ريف المدينة، وقالت إن الأعمال ستستمر شهرين."
BARE = "قالت ادارة الانشاءات العسكرية إن فرقها أنهت صيانة الجسور في حمص بعد أسابيع من العمل المتواصل، وإن الطرق فتحت."
BARE_AGAIN = "وذكرت ادارة الانشاءات العسكرية أن مشاريع جديدة ستبدأ في حلب مطلع العام المقبل بتمويل من الحكومة وبمشاركة شركات محلية."


def _articles(folder: Path, *texts: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for text in texts:
        path = folder / f"{len(paths)}.jsonl"
        path.write_text(json.dumps({"title": f"خبر {len(paths)}", "text": text, "date": "2025-01-05"}, ensure_ascii=False),
                        encoding="utf-8")
        paths.append(path)
    return paths


def _named(db: Path) -> list[tuple]:
    return _rows(db, "SELECT canonical, latin FROM entities WHERE entity_key = 'org:adara_al_anshaat_al_skria'")


@pytest.mark.parametrize(
    "texts, expected",
    [
        # as many mentions each way: the spelling with hamza and taa marbuta
        ((WRITTEN, BARE), [("إدارة الإنشاءات العسكرية", "Idara al-Insha'at al-Skria")]),
        # the spelling most mentions have, however the store got them
        ((WRITTEN, BARE, BARE_AGAIN), [("ادارة الانشاءات العسكرية", "Adara al-Ansha'at al-Skria")]),
    ],
)
def test_a_rule_found_entity_shows_the_commonest_spelling_whatever_the_order(tmp_path, texts, expected):
    for k, order in enumerate((texts, texts[::-1])):
        paths = _articles(tmp_path / f"in{k}", *order)
        together, apart = tmp_path / f"together{k}" / "basira.duckdb", tmp_path / f"apart{k}" / "basira.duckdb"
        ingest.ingest_paths(paths, together)
        for path in paths:  # one batch per article: each is stored over what the others left
            ingest.ingest_paths([path], apart)
        assert [_named(together), _named(apart)] == [expected, expected]
        ingest.retag(apart)
        assert _named(apart) == expected
        assert broken_invariants_of(apart) == {}
