"""Concurrent use: the CLI ingesting while the app serves readers, and many sessions at once on one store.

Sessions are Streamlit AppTest runs in threads of this process — the way the Streamlit server runs each
browser session's script in a thread, sharing the process's caches and basira.store's read pool.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time

import pytest

from basira import ingest, store

from .helpers import ROOT, run_page, shown, write_records

MARKER = "زيزفونة"  # a word no generated or hostile article contains


def _articles_metric(session) -> int:
    (value,) = [m.value for m in session.metric if m.label == "Articles"]
    return int(value.replace(",", ""))


@pytest.mark.slow
def test_the_cli_ingesting_while_sessions_read_shows_old_or_new_never_partial_and_no_errors(
    tmp_path, on_store, one_runtime
):
    db = on_store(tmp_path / "store" / "basira.duckdb")
    base, batch = tmp_path / "base.jsonl", tmp_path / "batch.jsonl"
    write_records(base, 40, 0)
    write_records(batch, 400, 2)
    marked = {"title": f"خبر {MARKER} عن سجن عدرا", "text": f"أعلنت وزارة الداخلية توقيف {MARKER} في حمص.",
              "date": "2025-05-05", "source": "marker.example"}
    with batch.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(marked, ensure_ascii=False) + "\n")
    ingest.ingest_paths([base], db)
    before = _articles_metric(run_page("app.py"))
    assert before == 40

    observed: list[list[tuple[float, int]]] = [[] for _ in range(3)]
    direct: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def session_loop(seen: list[tuple[float, int]], page: str, params: dict) -> None:
        while not stop.is_set():
            try:
                session = run_page(page, params)
                out = shown(session)
                errors.extend(out.exceptions)
                if page == "app.py":
                    seen.append((time.monotonic(), _articles_metric(session)))
                else:
                    seen.append((time.monotonic(), -1))
            except Exception as error:  # noqa: BLE001 - anything here is what an analyst would see
                errors.append(repr(error))

    def cursor_loop() -> None:
        while not stop.is_set():
            try:
                with store.read_cursor(db) as cur:
                    direct.append(cur.execute("SELECT count(*) FROM articles").fetchone()[0])
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))
            time.sleep(0.01)

    threads = [
        threading.Thread(target=session_loop, args=(observed[0], "app.py", {})),
        threading.Thread(target=session_loop, args=(observed[1], "pages/3_Articles.py", {"article": "1"})),
        threading.Thread(target=session_loop, args=(observed[2], "pages/4_Search.py", {"q": "سجن"})),
        threading.Thread(target=cursor_loop),
    ]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "basira", "--db", str(db), "ingest", str(batch)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    landed = time.monotonic()
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join()

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    added = 400 + 1
    assert f"added {added} articles" in result.stdout
    assert errors == []
    # Sessions ran while the ingest was in flight, and each saw the whole old or the whole new store.
    during = [t for seen in observed for t, _ in seen if started < t < landed]
    assert len(during) >= 3
    counts = [n for t, n in observed[0]]
    assert set(counts) <= {before, before + added}
    assert counts == sorted(counts)
    assert set(direct) <= {before, before + added} and direct == sorted(direct) and len(direct) > 20

    # After it lands, a new interaction shows the new data: the count, the search, the reader.
    assert _articles_metric(run_page("app.py")) == before + added
    found = run_page("pages/4_Search.py", {"q": MARKER})
    assert shown(found).exceptions == []
    with store.read_cursor(db) as cur:
        sql = "SELECT article_id FROM articles WHERE title_raw LIKE ?"
        (article_id,) = cur.execute(sql, [f"%{MARKER}%"]).fetchone()
    assert any(f"Read article {article_id}" in link.proto.label for link in found.get("page_link"))
    reader = shown(run_page("pages/3_Articles.py", {"article": str(article_id)}))
    assert reader.exceptions == []
    assert any(MARKER in body and "basira-article" in body for body in reader.html)


SESSIONS = [
    ("app.py", {"topic": "prisons"}),
    ("app.py", {"dupes": "0", "undated": "0"}),
    ("pages/1_Topics.py", {"from": "2025-03-01", "to": "2025-06-30"}),
    ("pages/2_Entities.py", {"type": "PER"}),
    ("pages/3_Articles.py", {"article": "2"}),
    ("pages/3_Articles.py", {"source": "hostile.example", "article": "5"}),
    ("pages/4_Search.py", {"q": "سجن صيدنايا"}),
    ("pages/4_Search.py", {"q": "اعتقال", "topic": "arrests"}),
]


_RUN_ID = re.compile(r"[0-9a-f]{32}")  # a download button's deferred-callable id: random on every run


def _result(page: str, params: dict) -> tuple:
    out = shown(run_page(page, params))
    labels = tuple(label for label in out.labels if not _RUN_ID.fullmatch(label))
    return (tuple(out.exceptions), tuple(out.html), tuple(out.markdown), tuple(out.plain), tuple(out.cells),
            tuple(out.charts), labels)


def test_many_sessions_at_once_see_what_one_session_at_a_time_sees(hostile_app, one_runtime):
    expected = [_result(page, params) for page, params in SESSIONS]
    assert all(result[0] == () for result in expected)
    assert len({result[1:] for result in expected}) == len(SESSIONS)  # the sessions do differ
    jobs = [spec for spec in SESSIONS for _ in range(2)]
    results: list[tuple | BaseException | None] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(index: int, page: str, params: dict) -> None:
        start.wait()
        try:
            results[index] = _result(page, params)
        except BaseException as error:  # noqa: BLE001
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, page, params)) for i, (page, params) in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index, (page, params) in enumerate(jobs):
        assert results[index] == expected[SESSIONS.index((page, params))], (page, params)
