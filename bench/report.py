"""Markdown tables from benchmark results (bench/out/<size>.json).

    python -m bench.report bench/out/10000-mixed.json bench/out/100000-short.json ...

prints the cross-size summary table, then each run's detailed tables.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.app_side import QUERIES


def _stats(samples: list[float]) -> tuple[float, float, float]:
    values = np.asarray(samples, dtype=float)
    return float(np.median(values)), float(np.percentile(values, 95)), float(values.max())


def _all_samples(per_scenario: dict[str, list[float]]) -> list[float]:
    return [s for samples in per_scenario.values() for s in samples]


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e7 else f"{n / 1e6:,.1f} MB"


def ingest_rows(r: dict) -> list[tuple[str, str]]:
    ingest, fl, corpus = r.get("ingest") or {}, r["floor"], r["corpus"]
    records = corpus["records"]
    rows = [
        ("corpus", f"{records:,} records, {_mb(corpus['bytes'])} JSONL, {fl['chars'] / fl['records']:,.0f} normalised chars/article ({corpus['profile']})"),
        ("stored", f"{r['store']['articles']:,} articles ({r['store']['stories']:,} stories), {r['store']['sentences']:,} sentences"),
    ]
    if ingest.get("replicated"):
        rep, src = ingest["replicated"], ingest.get("source_ingest") or {}
        rows.append(("store built by", f"**{rep['copies']} copies of the {Path(rep['source']).parent.name} store** (bench/replicate.py, "
                     f"{rep['seconds']:,.0f} s): ingest is not measured at this size"))
        if src:
            rows.append(("source store's ingest", f"{src['wall_s']:,.0f} s wall, {src['cpu_s']:,.0f} s CPU, peak RSS {src['peak_rss_mb']:,.0f} MB"))
    elif ingest:
        rate, cpu_rate = records / ingest["wall_s"], records / ingest["cpu_s"]
        floor_rate, floor_cpu_rate = fl["records"] / fl["wall_s"], fl["records"] / fl["cpu_s"]
        rows += [
            ("ingest + analysis + index", f"{ingest['wall_s']:,.0f} s wall, {ingest['cpu_s']:,.0f} s CPU: **{rate:,.0f} articles/s**, "
             f"{corpus['bytes'] / 1e6 / ingest['wall_s']:,.2f} MB/s; **{cpu_rate:,.0f} articles per CPU-second**"),
            ("floor (read + parse JSON + normalise)", f"{floor_rate:,.0f} articles/s, {fl['bytes'] / 1e6 / fl['wall_s']:,.1f} MB/s, "
             f"{floor_cpu_rate:,.0f} articles per CPU-second (first {fl['records']:,} records); ingest takes "
             f"**{floor_rate / rate:,.1f}x** the floor's time ({floor_cpu_rate / cpu_rate:,.1f}x in CPU)"),
            ("ingest peak RSS", f"{ingest['peak_rss_mb']:,.0f} MB"),
        ]
    rows.append(("database on disk", _mb(r["db_bytes"]) + (f" ({_mb(r['db_bytes_after_rebuild'])} after an index rebuild)" if "db_bytes_after_rebuild" in r else "")))
    idx = r["index"]
    rows.append(("search index", f"{idx['terms']:,} terms, {idx['postings']:,} postings in {idx['runs']} runs"))
    return rows


def dashboard_rows(r: dict) -> list[list[str]]:
    app = r["app"]["latency_ms"]
    pandas = (r.get("pandas") or {}).get("latency_ms", {})
    cpu = r["app"].get("cpu_ms", {})
    rows = []
    for name in QUERIES:
        med, p95, top = _stats(_all_samples(app[name]))
        row = [name, f"{med:,.1f}", f"{p95:,.1f}", f"{top:,.0f}"]
        if cpu.get(name):
            cmed, cp95, _ = _stats(_all_samples(cpu[name]))
            row += [f"{cmed:,.1f}", f"{cp95:,.1f}"]
        else:
            row += ["", ""]
        failed = (r.get("pandas") or {}).get("failed", {})
        if name in failed:
            row += ["out of memory", "", ""]
        elif pandas.get(name):
            shared = [s for s in pandas[name]]  # pandas skips the text scenario: compare like with like
            bmed, _, _ = _stats([x for s in shared for x in app[name][s]])
            pmed, pp95, _ = _stats(_all_samples(pandas[name]))
            row += [f"{pmed:,.1f}", f"{pp95:,.1f}", f"{pmed / bmed:,.1f}x"]
        else:
            row += ["", "", ""]
        rows.append(row)
    return rows


def search_rows(r: dict, key: str = "app") -> list[list[str]]:
    ours = r[key]["search"]
    theirs = {(e["query"], e["mode"]): e for e in (r.get("fts5") or {}).get("search", [])}
    kinds: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    agree: dict[str, list[bool]] = defaultdict(list)
    for e in ours:
        other = theirs.get((e["query"], e["mode"]))
        for kind in (e["kind"], "all queries"):
            k = kinds[kind]
            k["core"] += e["core_ms"]
            k["core_cpu"] += e.get("core_cpu_ms", [])
            k["page"] += e["page_ms"]
            if other:
                # The ratio compares the same queries: phrases have no FTS5 counterpart.
                k["core_compared"] += e["core_ms"]
                k["core_cpu_compared"] += e.get("core_cpu_ms", [])
                k["fts5"] += other["ms"]
                k["fts5_cpu"] += other.get("cpu_ms", [])
                if "matches" in e and "matches" in other:
                    agree[kind].append(e["matches"] == other["matches"])
    rows = []
    for kind in [k for k in kinds if k != "all queries"] + ["all queries"]:
        k = kinds[kind]
        cmed, cp95, _ = _stats(k["core"])
        pmed, pp95, _ = _stats(k["page"])
        row = [f"**{kind}**" if kind == "all queries" else kind, f"{cmed:,.1f}", f"{cp95:,.1f}"]
        row += [f"{_stats(k['core_cpu'])[0]:,.1f}", f"{_stats(k['core_cpu'])[1]:,.1f}"] if k["core_cpu"] else ["", ""]
        row += [f"{pmed:,.1f}", f"{pp95:,.1f}"]
        if k["fts5"]:
            fmed, fp95, _ = _stats(k["fts5"])
            row += [f"{fmed:,.1f}", f"{fp95:,.1f}", f"{_stats(k['core_compared'])[1] / fp95:,.2f}"]
            if k["fts5_cpu"] and k["core_cpu_compared"]:
                row.append(f"{_stats(k['core_cpu_compared'])[1] / max(_stats(k['fts5_cpu'])[1], 0.01):,.2f}")
            else:
                row.append("")
        else:
            row += ["", "", "", ""]
        checks = agree.get(kind, [])
        row.append(f"{sum(checks)}/{len(checks)}" if checks else "")
        rows.append(row)
    return rows


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def table(r: dict) -> str:
    m = r["machine"]
    loads = r["app"].get("page_load_ms", {})
    load_rows = [[name, f"{_p(v, 50):,.1f}", f"{max(v):,.1f}"] for name, v in loads.items()]
    load_rows += [[f"articles_extract ({s})", f"{_p(v, 50):,.1f}", f"{max(v):,.1f}"] for s, v in r["app"].get("extract_ms", {}).items()]
    parts = [
        f"### {r['size']:,} articles",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_mb'] / 1024:,.0f} GB RAM; Python {m['python']}, DuckDB {m['duckdb']}, "
        f"SQLite {m['sqlite']}; load average {m['load_average'][0]:.1f} at start, {m.get('load_average_end', [0])[0]:.1f} at end.",
        "",
        _markdown(["", ""], [list(row) for row in ingest_rows(r)]),
        "",
        "Dashboard queries on the filtered views (ms; every scenario x repeat; a fresh read cursor per call):",
        "",
        _markdown(["query", "Basira median", "p95", "max", "CPU median", "CPU p95", "pandas median", "pandas p95", "pandas / Basira"], dashboard_rows(r)),
        "",
        "Sidebar queries every page makes without filters (ms; the app caches them per store generation):",
        "",
        _markdown(["query", "median", "max"], load_rows),
        "",
        "Search (ms, top 50; core = ranked ids, page = plus title/source/best sentence):",
        "",
        _markdown(
            ["queries", "Basira core median", "core p95", "core CPU median", "core CPU p95", "page median", "page p95", "FTS5 median", "FTS5 p95", "core p95 / FTS5 p95", "CPU p95 / FTS5 CPU p95", "same matches"],
            search_rows(r),
        ),
    ]
    if "app_compacted" in r:
        parts += ["", "Search after a full rebuild (one run):", "", _markdown(
            ["queries", "core median", "core p95", "core CPU median", "core CPU p95", "page median", "page p95", "FTS5 median", "FTS5 p95", "core p95 / FTS5 p95", "CPU p95 / FTS5 CPU p95", "same matches"],
            search_rows(r, "app_compacted"),
        )]
    extra = []
    if "rebuild" in r:
        rb = r["rebuild"]
        extra.append(("index full rebuild", f"{rb['build_s']:,.1f} s (+{rb['copy_s']:,.1f} s generation copy, {rb['checkpoint_s']:,.1f} s checkpoint)"))
    if "fts5" in r:
        b = r["fts5"]["build"]
        extra.append(("FTS5 build", f"{b['total_s']:,.1f} s ({b['prepare_s']:,.1f} s reading + stemming, {b['insert_s']:,.1f} s insert, "
                      f"{b['optimize_s']:,.1f} s optimize), {_mb(b['bytes'])}"))
    extra.append(("app peak RSS", f"{r['app']['process']['peak_rss_mb']:,.0f} MB (all dashboard queries and searches, one process)"))
    if "pandas_failed" in r:
        extra.append(("pandas baseline", "did not complete: " + r["pandas_failed"]))
    if "pandas" in r:
        p = r["pandas"]
        extra.append(("pandas peak RSS", f"{p['process']['peak_rss_mb']:,.0f} MB, {p['load_s']:,.1f} s to load the tables"))
    parts += ["", _markdown(["", ""], [list(e) for e in extra])]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    results = [json.loads(Path(path).read_text(encoding="utf-8")) for path in argv]
    if len(results) > 1:
        print(combined(results))
        print()
    for result in results:
        print(table(result))
        print()
    return 0



def _p(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples, dtype=float), q))


def summary_rows(r: dict) -> dict[str, str]:
    """One column of the cross-size summary table."""
    out: dict[str, str] = {}
    ingest, fl, corpus = r.get("ingest") or {}, r["floor"], r["corpus"]
    if ingest and "wall_s" in ingest:
        records = corpus["records"]
        out["ingest + analysis + index, articles/s (wall)"] = f"{records / ingest['wall_s']:,.0f}"
        out["… articles per CPU-second"] = f"{records / ingest['cpu_s']:,.0f}"
        out["… MB/s (JSONL in)"] = f"{corpus['bytes'] / 1e6 / ingest['wall_s']:,.2f}"
        out["… CPU time vs read+normalise floor"] = f"{(fl['records'] / fl['cpu_s']) / (records / ingest['cpu_s']):,.0f}x"
        out["ingest peak RSS"] = f"{ingest['peak_rss_mb']:,.0f} MB"
    else:
        out["ingest + analysis + index, articles/s (wall)"] = "not measured (replicated store)"
    app = r["app"]["latency_ms"]
    for name in QUERIES:
        samples = _all_samples(app[name])
        out[f"{name} median / p95 ms"] = f"{_p(samples, 50):,.0f} / {_p(samples, 95):,.0f}"
    for name in r["app"].get("cpu_ms", {}):
        samples = _all_samples(r["app"]["cpu_ms"][name])
        out[f"{name} CPU median / p95 ms"] = f"{_p(samples, 50):,.0f} / {_p(samples, 95):,.0f}"
    for name, samples in r["app"].get("page_load_ms", {}).items():
        out[f"sidebar {name} median / max ms"] = f"{_p(samples, 50):,.0f} / {max(samples):,.0f}"
    for scenario, samples in r["app"].get("extract_ms", {}).items():
        out[f"Overview's articles_extract ({scenario}) ms"] = f"{_p(samples, 50):,.0f}"
    for key, label in (("app", "after ingest"), ("app_compacted", "after rebuild")):
        if key not in r:
            continue
        core = [x for e in r[key]["search"] for x in e["core_ms"]]
        page = [x for e in r[key]["search"] for x in e["page_ms"]]
        out[f"search core median / p95 ms ({label})"] = f"{_p(core, 50):,.1f} / {_p(core, 95):,.1f}"
        out[f"search page median / p95 ms ({label})"] = f"{_p(page, 50):,.0f} / {_p(page, 95):,.0f}"
        core_cpu = [x for e in r[key]["search"] for x in e.get("core_cpu_ms", [])]
        if core_cpu:
            out[f"search core CPU median / p95 ms ({label})"] = f"{_p(core_cpu, 50):,.1f} / {_p(core_cpu, 95):,.1f}"
    if "fts5" in r:
        fts = [x for e in r["fts5"]["search"] for x in e["ms"]]
        out["SQLite FTS5 median / p95 ms"] = f"{_p(fts, 50):,.1f} / {_p(fts, 95):,.1f}"
        fts_cpu = [x for e in r["fts5"]["search"] for x in e.get("cpu_ms", [])]
        if fts_cpu:
            out["SQLite FTS5 CPU median / p95 ms"] = f"{_p(fts_cpu, 50):,.1f} / {_p(fts_cpu, 95):,.1f}"
        compared = {(e["query"], e["mode"]) for e in r["fts5"]["search"]}
        for key, label in (("app", "after ingest"), ("app_compacted", "after rebuild")):
            if key in r:
                core = [x for e in r[key]["search"] if (e["query"], e["mode"]) in compared for x in e["core_ms"]]
                out[f"search core p95 / FTS5 p95 ({label})"] = f"{_p(core, 95) / _p(fts, 95):,.2f}"
        out["FTS5 build s"] = f"{r['fts5']['build']['total_s']:,.0f}"
    if "rebuild" in r:
        out["search index full rebuild s"] = f"{r['rebuild']['build_s']:,.0f}"
    out["search index postings / terms / runs"] = f"{r['index']['postings']:,} / {r['index']['terms']:,} / {r['index']['runs']}"
    out["app peak RSS (all queries + searches)"] = f"{r['app']['process']['peak_rss_mb']:,.0f} MB"
    if "pandas" in r:
        out["pandas baseline peak RSS"] = f"{r['pandas']['process']['peak_rss_mb']:,.0f} MB"
    elif "pandas_failed" in r:
        out["pandas baseline peak RSS"] = "failed (12 GiB cap)"
    out["database on disk"] = _mb(r["db_bytes"])
    return out


def combined(results: list[dict]) -> str:
    columns = [summary_rows(r) for r in results]
    keys = list(dict.fromkeys(k for c in columns for k in c))
    header = ["", *(f"{r['size']:,} ({r.get('profile', r['corpus']['profile'])})" for r in results)]
    return _markdown(header, [[k, *(c.get(k, "") for c in columns)] for k in keys])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
