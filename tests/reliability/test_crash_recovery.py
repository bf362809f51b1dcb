"""An ingest killed with SIGKILL mid-batch: the live store is untouched and consistent, the writer lock is free,
and running the same ingest again lands exactly what an uninterrupted run lands — nothing lost, nothing doubled."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from basira import ingest, store

from .helpers import ROOT, cli, write_records

BASE_RECORDS = 30
BATCH_RECORDS = 1200  # over ingest.CHUNK: the first progress line comes while the batch is still being written
# Tables compared between the recovered store and the reference; batches without their timestamps.
TABLES = {
    "articles": "*", "sentences": "*", "sightings": "*", "rejected": "*", "article_topics": "*",
    "topic_evidence": "*", "entities": "*", "entity_mentions": "*", "quotations": "*", "quantities": "*",
    "story_buckets": "*", "story_signatures": "*", "search_docs": "*", "search_terms": "*", "search_text": "*",
    "batches": "batch_id, inputs, articles_added, duplicates, rejected",
}


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with store.read_cursor(db) as cur:
        return {t: sorted(cur.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr) for t, cols in TABLES.items()}


def _ingest_process(db: Path, source: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "basira", "--db", str(db), "ingest", str(source)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _lock_is_free(db: Path) -> bool:
    with open(db.parent / f".{db.name}.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


@pytest.mark.slow
def test_an_ingest_killed_mid_batch_leaves_the_store_consistent_and_a_rerun_completes_it(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    base, batch = inputs / "base.jsonl", inputs / "batch.jsonl"
    write_records(base, BASE_RECORDS, 0)
    write_records(batch, BATCH_RECORDS, 1)
    killed, reference = tmp_path / "killed" / "basira.duckdb", tmp_path / "reference" / "basira.duckdb"
    for db in (killed, reference):
        ingest.ingest_paths([base], db)
    live_before = store.generation_file(killed)
    before = _snapshot(killed)

    # The reference: the same batch, uninterrupted, in this process while the CLI runs on the other core.
    reference_report: list[ingest.IngestReport] = []
    uninterrupted = threading.Thread(target=lambda: reference_report.append(ingest.ingest_paths([batch], reference)))
    uninterrupted.start()
    victim = _ingest_process(killed, batch)
    seen = []
    while not (seen and seen[-1].strip().startswith(f"{ingest.CHUNK:,} records:")):
        line = victim.stderr.readline()
        assert line, f"the ingest ended before its first progress line: {seen}"
        seen.append(line)
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate()
    assert victim.returncode == -signal.SIGKILL

    # The kill landed mid-batch (its partial copy is there), and readers still get the previous generation.
    assert ".basira.gen-000002.partial.duckdb" in [p.name for p in killed.parent.iterdir()]
    assert store.generation_file(killed) == live_before
    assert live_before.name == "basira.gen-000001.duckdb"
    assert _snapshot(killed) == before
    check = cli(killed, "check")
    assert (check.returncode, check.stdout.strip()) == (0, "all invariants hold")
    # The kernel released the dead writer's flock: the next ingest is not blocked by a stale lock.
    assert _lock_is_free(killed)

    uninterrupted.join()
    assert reference_report[0].added == BATCH_RECORDS
    rerun = ingest.ingest_paths([batch], killed)
    assert (rerun.added, rerun.duplicates, dict(rerun.rejected)) == (BATCH_RECORDS, 0, {"missing_text": 1})
    assert _snapshot(killed) == _snapshot(reference)
    with store.read_cursor(killed) as cur:
        assert cur.execute("SELECT count(*) FROM articles").fetchone()[0] == BASE_RECORDS + BATCH_RECORDS
        assert cur.execute("SELECT count(*) FROM batches").fetchone()[0] == 2
    assert not list(killed.parent.glob(".basira.gen-*.partial*"))
    assert cli(killed, "check").returncode == 0


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from basira import store
    with store.writer(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(600)
    """
)


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_next_one(tmp_path):
    db = tmp_path / "basira.duckdb"
    with store.writer(db) as con:
        con.execute("INSERT INTO meta VALUES ('probe0', 'x')")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(TimeoutError, match="Another ingest holds"):
            with store.writer(db, lock_timeout=0.3):
                pass
    finally:
        holder.kill()
        holder.wait()
    assert holder.returncode == -signal.SIGKILL
    with store.writer(db, lock_timeout=0.3) as con:
        con.execute("INSERT INTO meta VALUES ('probe1', 'x')")
    with store.read_cursor(db) as cur:
        assert cur.execute("SELECT count(*) FROM meta WHERE key LIKE 'probe%'").fetchone()[0] == 2
