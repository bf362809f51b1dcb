"""The dashboard's side of the benchmark, run in a child process so its peak memory is the app's.

    python -m bench.app_side DB PLAN.json OUT.json

Runs every dashboard query for every filter scenario of the plan the way the pages do (a fresh read cursor
per call), then every search query, and writes the latencies (ms) to OUT.json.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from basira import search, store
from basira.filters import Filters
from basira.queries import read

QUERIES: dict[str, Callable] = {
    "key_figures": lambda cur, f: read.key_figures(cur, f),
    "timeline": lambda cur, f: read.timeline(cur, f, "month"),
    "topic_counts": lambda cur, f: read.topic_counts(cur, f),
    "top_entities": lambda cur, f: read.top_entities(cur, f, None, 20),
    "article_page": lambda cur, f: read.article_page(cur, f, 50, 0),
    "cooccurrence": lambda cur, f: read.cooccurrence(cur, f, 40),
    # The Topics page's evidence list (prisons: a large topic in every corpus).
    "evidence_highlights": lambda cur, f: read.evidence_highlights(cur, f, "prisons"),
}


# Queries every page's sidebar makes, without filters (cached per store generation by the app; these numbers
# are what the first page load after an ingest pays).
PAGE_LOAD: dict[str, Callable] = {
    "topic_list": read.topic_list,
    "source_list": read.source_list,
    "entity_options": lambda cur: read.entity_options(cur, 500),
    "store_fingerprint": read.store_fingerprint,
}


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def timed_cpu(call: Callable[[], object]) -> tuple[float, float, object]:
    """(wall ms, CPU ms of this process, result). On a shared machine wall time mostly measures the queue for
    a core; CPU time (all of DuckDB's threads) is what the query costs."""
    cpu = time.process_time()
    ms, result = timed(call)
    return ms, (time.process_time() - cpu) * 1000, result


def _rows(result: object) -> int:
    return len(result) if hasattr(result, "__len__") else 1


def dashboard(db: Path, scenarios: dict[str, dict], repeats: int) -> dict[str, dict[str, list[float]]]:
    """{query: {scenario: [ms, ...]}}; the first sample of each pair is the first time that query ran with
    those filters (DuckDB's buffers may still be cold), the rest are repeats."""
    out: dict[str, dict[str, list[float]]] = {q: {} for q in QUERIES}
    cpu: dict[str, dict[str, list[float]]] = {q: {} for q in QUERIES}
    rows: dict[str, dict[str, int]] = {q: {} for q in QUERIES}
    for scenario, params in scenarios.items():
        filters = Filters.from_query_params(params)
        for name, query in QUERIES.items():
            samples, cpu_samples = [], []
            for _ in range(repeats):
                with store.read_cursor(db) as cur:
                    ms, cpu_ms, result = timed_cpu(lambda: query(cur, filters))
                samples.append(ms)
                cpu_samples.append(cpu_ms)
            out[name][scenario] = samples
            cpu[name][scenario] = cpu_samples
            rows[name][scenario] = _rows(result)
    return {"latency_ms": out, "cpu_ms": cpu, "rows": rows}


def page_load(db: Path, repeats: int) -> dict[str, dict[str, list[float]]]:
    out: dict[str, list[float]] = {}
    for name, query in PAGE_LOAD.items():
        out[name] = []
        for _ in range(repeats):
            with store.read_cursor(db) as cur:
                ms, _result = timed(lambda: query(cur))
            out[name].append(ms)
    return {"page_load_ms": out}


def extract(db: Path, scenarios: dict[str, dict]) -> dict[str, dict[str, list[float]]]:
    """The Overview page also builds its download (read.articles_extract, up to 100,000 rows) on every load."""
    out: dict[str, list[float]] = {}
    for scenario in ("all", "one_year"):
        if scenario in scenarios:
            filters = Filters.from_query_params(scenarios[scenario])
            out[scenario] = []
            for _ in range(2):
                with store.read_cursor(db) as cur:
                    ms, _result = timed(lambda: read.articles_extract(cur, filters))
                out[scenario].append(ms)
    return {"extract_ms": out}


def searches(db: Path, queries: list[dict], repeats: int) -> dict[str, list]:
    """Per query: core ranking (top 50, no context), the full call the Search page makes, and hit counts."""
    results = []
    for q in queries:
        mode = q.get("mode", "all")
        entry = {"query": q["text"], "kind": q["kind"], "mode": mode, "core_ms": [], "core_cpu_ms": [], "page_ms": []}
        for _ in range(repeats):
            with store.read_cursor(db) as cur:
                ms, cpu_ms, found = timed_cpu(lambda: search.search(cur, q["text"], None, 50, mode, context=False))
            entry["core_ms"].append(ms)
            entry["core_cpu_ms"].append(cpu_ms)
        for _ in range(repeats):
            with store.read_cursor(db) as cur:
                ms, _page = timed(lambda: search.search(cur, q["text"], None, 50, mode, context=True))
            entry["page_ms"].append(ms)
        entry["top"] = found["article_id"].tolist()[:10]
        if mode == "all":
            with store.read_cursor(db) as cur:
                entry["matches"] = read.article_count(cur, Filters(text=q["text"]))
        results.append(entry)
    return {"search": results}


def main(argv: list[str]) -> int:
    db, plan_path, out_path = Path(argv[0]), Path(argv[1]), Path(argv[2])
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    with store.read_cursor(db) as cur:
        cur.execute("SELECT 1").fetchall()
    out = {"open_ms": (time.perf_counter() - started) * 1000}
    if plan["scenarios"]:
        out |= page_load(db, plan["repeats"])
        out |= extract(db, plan["scenarios"])
    out |= dashboard(db, plan["scenarios"], plan["repeats"])
    out |= searches(db, plan["searches"], plan["repeats"])
    out_path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
