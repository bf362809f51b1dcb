"""bench/compare_stores.py: two stores built from the same inputs are the same; a changed row is found."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from basira import ingest, store
from bench import compare_stores

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = [SEEDS / "000_e9bce7ec56e8657f.txt", SEEDS / "001_448bee02959f381d.txt"]


@pytest.fixture
def two_stores(tmp_path: Path) -> tuple[Path, Path]:
    stores = tmp_path / "a" / "basira.duckdb", tmp_path / "b" / "basira.duckdb"
    for db in stores:
        ingest.ingest_paths(SEED_FILES, db)
    return stores


def _change(db: Path, *statements: str) -> None:
    con = duckdb.connect(str(store.generation_file(db)))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def _verdicts(a: Path, b: Path) -> dict[str, str]:
    return {d.table: d.verdict() for d in compare_stores.compare_stores(a, b)}


def test_two_ingests_of_the_same_inputs_are_identical_though_their_batch_times_differ(two_stores, capsys):
    a, b = two_stores
    verdicts = _verdicts(a, b)
    assert {"articles", "sentences", "story_buckets", "search_text", "batches"} <= verdicts.keys()
    assert set(verdicts.values()) == {"identical"}
    assert compare_stores.main([str(a), str(b)]) == 0
    assert "tables identical: the stores are the same" in capsys.readouterr().out


def test_a_changed_row_a_missing_row_and_an_extra_copy_are_each_counted(two_stores, capsys):
    a, b = two_stores
    _change(
        b,
        "UPDATE articles SET title_raw = 'changed' WHERE article_id = 1",
        "DELETE FROM sentences WHERE article_id = 2 AND seq = 0",
        "INSERT INTO sightings SELECT * FROM sightings LIMIT 1",
    )
    diffs = {d.table: d for d in compare_stores.compare_stores(a, b)}
    assert diffs["articles"].verdict() == "1 rows only in A, 1 only in B"
    assert diffs["articles"].samples_b[0][:1] == (1,) and "changed" in diffs["articles"].samples_b[0]
    assert diffs["sentences"].verdict() == "1 rows only in A, 0 only in B"
    assert (diffs["sightings"].rows_a, diffs["sightings"].rows_b) == (2, 3)
    assert diffs["sightings"].verdict() == "0 rows only in A, 1 only in B"
    assert {t for t, d in diffs.items() if not d.identical} == {"articles", "sentences", "sightings"}
    assert compare_stores.main([str(a), str(b)]) == 1
    assert f"{len(diffs) - 3} of {len(diffs)} tables identical\n" in capsys.readouterr().out + "\n"


def test_a_table_or_column_in_one_store_only_is_a_difference_unless_ignored(two_stores):
    a, b = two_stores
    _change(b, "CREATE TABLE scratch (x INTEGER)", "ALTER TABLE quotations ADD COLUMN note VARCHAR")
    verdicts = _verdicts(a, b)
    assert (verdicts["scratch"], verdicts["quotations"]) == ("only in B", "columns differ")
    _change(a, "UPDATE batches SET inputs = 'elsewhere'")
    assert _verdicts(a, b)["batches"] == "1 rows only in A, 1 only in B"
    ignored = compare_stores.ALWAYS_IGNORED | {"batches.inputs"}
    assert {d.table: d.verdict() for d in compare_stores.compare_stores(a, b, ignored)}["batches"] == "identical"
