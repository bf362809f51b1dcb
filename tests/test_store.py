"""The build-and-swap store: a batch lands whole or not at all, and readers never see an error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from basira import store


def _count(db: Path) -> int:
    with store.read_cursor(db) as cur:
        return cur.execute("SELECT count(*) FROM meta WHERE key LIKE 'probe%'").fetchone()[0]


def _write_probe(db: Path, key: str) -> None:
    with store.writer(db) as con:
        con.execute("INSERT INTO meta VALUES (?, 'x')", [key])


def test_missing_store_raises_a_clear_error(tmp_path):
    with pytest.raises(store.StoreMissing, match="python -m basira ingest"):
        with store.read_cursor(tmp_path / "basira.duckdb"):
            pass


def test_each_batch_is_a_new_generation_behind_the_link(tmp_path):
    db = tmp_path / "basira.duckdb"
    _write_probe(db, "probe1")
    _write_probe(db, "probe2")
    assert db.is_symlink()
    assert db.resolve().name == "basira.gen-000002.duckdb"
    assert _count(db) == 2
    # The previous generation is kept for readers that resolved the link just before the swap.
    assert sorted(p.name for p in tmp_path.glob("basira.gen-*")) == ["basira.gen-000001.duckdb", "basira.gen-000002.duckdb"]
    _write_probe(db, "probe3")
    assert sorted(p.name for p in tmp_path.glob("basira.gen-*")) == ["basira.gen-000002.duckdb", "basira.gen-000003.duckdb"]


def test_a_failed_batch_leaves_the_previous_state(tmp_path):
    db = tmp_path / "basira.duckdb"
    _write_probe(db, "probe1")
    before = store.generation_id(db)
    with pytest.raises(RuntimeError):
        with store.writer(db) as con:
            con.execute("INSERT INTO meta VALUES ('probe2', 'x')")
            raise RuntimeError("crash mid-batch")
    assert store.generation_id(db) == before
    assert _count(db) == 1
    assert not list(tmp_path.glob(".*partial*"))


def test_a_plain_database_file_is_adopted(tmp_path):
    import duckdb

    db = tmp_path / "basira.duckdb"
    duckdb.connect(str(db)).close()
    _write_probe(db, "probe1")
    assert db.is_symlink() and _count(db) == 1


def test_generation_id_changes_when_a_batch_lands(tmp_path):
    db = tmp_path / "basira.duckdb"
    _write_probe(db, "probe1")
    first = store.generation_id(db)
    _write_probe(db, "probe2")
    assert store.generation_id(db) != first


def test_reader_keeps_working_while_another_process_writes(tmp_path):
    """The dashboard's situation: reads in threads while the CLI, another process, ingests."""
    db = tmp_path / "basira.duckdb"
    _write_probe(db, "probe0")
    writer_script = textwrap.dedent(
        f"""
        from pathlib import Path
        from basira import store
        for i in range(1, 11):
            with store.writer(Path({str(db)!r})) as con:
                con.execute("INSERT INTO meta VALUES (?, 'x')", [f"probe{{i}}"])
        """
    )
    errors: list[BaseException] = []
    views: list[list[int]] = [[], [], []]
    stop = threading.Event()

    def read_loop(seen: list[int]) -> None:
        while not stop.is_set():
            try:
                seen.append(_count(db))
            except BaseException as error:  # any error here is what an analyst would see
                errors.append(error)

    readers = [threading.Thread(target=read_loop, args=(seen,)) for seen in views]
    for thread in readers:
        thread.start()
    result = subprocess.run([sys.executable, "-c", writer_script], capture_output=True, text=True, cwd=store.ROOT)
    time.sleep(0.2)
    stop.set()
    for thread in readers:
        thread.join()
    assert result.returncode == 0, result.stderr
    assert errors == []
    for seen in views:
        assert seen == sorted(seen), "a reader saw the store go back in time"
        assert len(seen) > 10
    assert _count(db) == 11


def test_writers_are_serialised_by_the_lock(tmp_path):
    db = tmp_path / "basira.duckdb"
    _write_probe(db, "probe0")
    with store.writer(db):
        with pytest.raises(TimeoutError, match="Another ingest"):
            with store.writer(db, lock_timeout=0.3):
                pass


def test_the_writer_runs_under_a_memory_limit_and_clears_a_dead_writers_leftovers(tmp_path):
    db = tmp_path / "basira.duckdb"
    _write_probe(db, "probe1")
    # What a writer killed mid-batch leaves: its partial copy, its WAL and DuckDB's spill folder.
    (tmp_path / ".basira.gen-000002.partial.duckdb").write_bytes(b"half a batch")
    (tmp_path / ".basira.gen-000002.partial.duckdb.wal").write_bytes(b"log")
    (tmp_path / ".basira.gen-000002.partial.duckdb.tmp").mkdir()
    (tmp_path / ".basira.gen-000002.partial.duckdb.tmp" / "spill.block").write_bytes(b"spilled")
    with store.writer(db) as con:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone() == ("953.6 MiB",)
        assert con.execute("SELECT current_setting('checkpoint_threshold')").fetchone() == ("244.1 MiB",)
        con.execute("INSERT INTO meta VALUES ('probe2', 'x')")
    assert _count(db) == 2
    assert not list(tmp_path.glob(".*partial*"))


def test_a_generation_copy_is_byte_for_byte(tmp_path):
    source = tmp_path / "source"
    source.write_bytes(bytes(range(256)) * 5000 + b"tail")
    store._copy_generation(source, tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == source.read_bytes()
