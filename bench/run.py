"""One benchmark run at one corpus size: generate, ingest, query, search, compare; print a table.

    python -m bench 100000 [--profile mixed|short] [--repeats 5] [--reuse] [--skip-pandas] [--skip-fts]

Writes bench/out/<size>.json (every sample) and prints a markdown table. The ingest, the dashboard side and
the pandas baseline each run in a child process so that their peak memory (ru_maxrss) is their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np

from bench import fts5, generate
from basira import reader, search, store
from basira.filters import Filters
from basira.normalize import normalize_text
from basira.queries import read
from basira.queries import search as search_sql

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PANDAS_MEMORY_LIMIT = 12 * 2**30


def machine() -> dict[str, object]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = next(
        (int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
        "load_average": os.getloadavg(),
    }


def _limit_memory(limit_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


def run_child(args: list[str], log: Path | None = None, memory_limit: int | None = None) -> dict[str, float]:
    """Run a child to completion; its own wall time, CPU time and peak RSS (os.wait4 reports that child only).
    `memory_limit` caps its address space, so a baseline that cannot fit fails alone instead of waking the
    kernel's OOM killer on a shared machine."""
    started = time.perf_counter()
    with open(log or os.devnull, "w") as sink:
        child = subprocess.Popen(
            args, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
            preexec_fn=_limit_memory(memory_limit) if memory_limit else None,
        )
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {code}" + (f"; see {log}" if log else ""))
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def stats(samples: list[float]) -> dict[str, float]:
    values = np.asarray(samples, dtype=float)
    return {
        "n": int(values.size),
        "median": float(np.median(values)),
        "p95": float(np.percentile(values, 95)),
        "min": float(values.min()),
        "max": float(values.max()),
    }


def corpus(size: int, profile: str, seed: int) -> tuple[Path, dict]:
    folder = OUT / f"corpus-{size}-{profile}-s{seed}"
    manifest = OUT / f"{folder.name}.json"  # beside the folder: inside it, ingest would read it as a record
    if manifest.exists():
        return folder, json.loads(manifest.read_text())
    started = time.perf_counter()
    files = generate.generate(size, folder, seed, profile)
    info = {
        "records": size,
        "files": len(files),
        "bytes": sum(f.stat().st_size for f in files),
        "generate_s": time.perf_counter() - started,
        "profile": profile,
        "seed": seed,
        "shared_corpora": generate.SHARED.exists(),
    }
    manifest.write_text(json.dumps(info))
    return folder, info


FLOOR_RECORDS = 50_000


def floor(folder: Path, limit: int = FLOOR_RECORDS) -> dict[str, float]:
    """The least any ingest must do: read the files, parse the JSON and normalise title and text. Measured on
    the first `limit` records (a rate does not depend on corpus size; at 1M the full pass would take an hour)."""
    started = time.perf_counter()
    cpu = time.process_time()
    records = chars = size = 0
    # bench.profile passes one corpus file; a generated corpus is a folder of parts.
    paths = [folder] if folder.is_file() else sorted(folder.glob("part-*.jsonl"))
    for path in paths:
        data = path.read_bytes()
        for line in data.decode("utf-8").split("\n"):
            if line and records < limit:
                record = json.loads(line)
                text = next((record[k] for k in reader.FIELD_ALIASES["text"] if record.get(k)), "")
                chars += len(normalize_text(record.get("title") or "")) + len(normalize_text(text))
                size += len(line.encode("utf-8")) + 1
                records += 1
        if records >= limit:
            break
    return {
        "records": records, "bytes": size, "wall_s": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu, "chars": chars,
    }


def database_bytes(db: Path) -> int:
    target = db.resolve()
    wal = Path(f"{target}.wal")
    return target.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _usable(term: str) -> bool:
    """A stem that searches for itself: Arabic letters only, and stem_light leaves it as it is."""
    return term.isalpha() and search.stem_light(term) == term and "\u0621" <= term[0] <= "\u064a"


def plan(db: Path, repeats: int) -> dict:
    """Filter scenarios and search queries drawn from what is actually in the store."""
    with store.read_cursor(db) as cur:
        n = read.key_figures(cur, Filters())["articles"]
        topics = read.topic_counts(cur, Filters())["topic"].tolist()
        entities = read.entity_options(cur, 10)["entity_key"].tolist()
        sources = read.source_list(cur)["source"].tolist()
        common = [t for t, _ in search_sql.frequent_terms(cur, 200) if _usable(t)][:8]
        middle = [t for t, _ in search_sql.terms_with_df(cur, max(3, n // 1000), max(4, n // 50), 400) if _usable(t)][:8]
        rare = [t for t, _ in search_sql.terms_with_df(cur, 2, 20, 400) if _usable(t)][:8]
        names = []
        for line in generate.GAZETTEER.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            name = normalize_text(line.split("\t")[1])
            stems = search.parse_query(name).terms
            if len(stems) >= 2 and len(search_sql.document_frequencies(cur, [search.term_id(s) for s in stems])) == len(stems):
                names.append(name)
    scenarios: dict[str, dict] = {
        "all": {},
        "one_year": {"from": "2015-01-01", "to": "2015-12-31"},
        "last_quarter": {"from": "2025-10-01", "to": "2025-12-31", "undated": "0"},
        "stories_only": {"dupes": "0"},
    }
    if sources:
        scenarios["source"] = {"source": sources[0]}
    if topics:
        scenarios["topic"] = {"topic": topics[0]}
        scenarios["combined"] = {"from": "2013-01-01", "to": "2016-12-31", "topic": topics[:2], "dupes": "0", "undated": "0"}
    if entities:
        scenarios["entity"] = {"entity": entities[0]}
    if len(entities) >= 2:
        scenarios["two_entities"] = {"entity": entities[:2]}
    if middle:
        scenarios["text"] = {"q": middle[0]}
    searches = (
        [{"text": t, "kind": "common term"} for t in common]
        + [{"text": t, "kind": "mid term"} for t in middle]
        + [{"text": t, "kind": "rare term"} for t in rare]
        + [{"text": f"{m} {c}", "kind": "two terms"} for m, c in zip(middle, common)]
        + [{"text": f"{c} {d}", "kind": "two common"} for c, d in zip(common[::2], common[1::2])]
        + [{"text": f"{c} {m} {r}", "kind": "three terms"} for c, m, r in zip(common[:4], middle[:4], rare[:4])]
        + [{"text": n, "kind": "name"} for n in names[:8]]
        + [{"text": f'"{n}"', "kind": "phrase"} for n in names[:4]]
        + [{"text": f"{m} {c}", "kind": "two terms, any", "mode": "any"} for m, c in zip(middle[:4], common[:4])]
    )
    return {"repeats": repeats, "scenarios": scenarios, "searches": searches, "articles": n}


def _replicated_documents(source: Path, copies: int):
    """The FTS5 documents of a bench/replicate.py store: the source store's, stemmed once, under each copy's
    ids (article_id + k * max id), copy by copy as replicate.py stores them."""
    with store.read_cursor(source) as cur:
        ids = [r[0] for r in cur.table("search_docs").project("article_id").order("article_id").fetchall()]
        documents = list(fts5.stemmed_documents(cur, ids))
        (m,) = cur.execute("SELECT max(article_id) FROM articles").fetchone()
    for k in range(copies):
        for article_id, body in documents:
            yield article_id + k * m, body


def fts5_side(db: Path, path: Path, searches: list[dict], repeats: int) -> dict:
    measured = db.parent / "ingest.json"
    replicated = json.loads(measured.read_text()).get("replicated") if measured.exists() else None
    built = path.with_name("fts5-build.json")
    with store.read_cursor(db) as cur:
        (articles,) = cur.execute("SELECT count(*) FROM search_docs").fetchone()
    reused = json.loads(built.read_text()) if built.exists() and path.exists() else None
    started = time.perf_counter()
    if reused is not None and reused.get("documents") == articles:
        # Building FTS5 over 1M articles takes ~25 min of one core: a --reuse run keeps the build of its store.
        build = reused | {"reused": True}
    elif replicated:
        build = fts5.build(path, _replicated_documents(Path(replicated["source"]), replicated["copies"]))
        build["replicated"] = True
    else:
        with store.read_cursor(db) as cur:
            ids = [r[0] for r in cur.table("search_docs").project("article_id").order("article_id").fetchall()]
            build = fts5.build(path, fts5.stemmed_documents(cur, ids))
    if not build.get("reused"):
        build["total_s"] = time.perf_counter() - started
        build["bytes"] = path.stat().st_size
        build["documents"] = articles
        built.write_text(json.dumps(build))
    con = fts5.connect(path)
    results = []
    for q in searches:
        parsed = search.parse_query(q["text"])
        if parsed.phrases:
            continue  # FTS5 phrase syntax differs (token adjacency vs substring in a sentence): not comparable
        mode = q.get("mode", "all")
        samples, cpu = [], []
        for _ in range(repeats):
            began, began_cpu = time.perf_counter(), time.process_time()
            found = fts5.top(con, list(parsed.terms), mode)
            samples.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        entry = {"query": q["text"], "kind": q["kind"], "mode": mode, "ms": samples, "cpu_ms": cpu, "top": found[:10]}
        if mode == "all":
            entry["matches"] = fts5.count(con, list(parsed.terms))
        results.append(entry)
    con.close()
    return {"build": build, "search": results}


def rebuild(db: Path) -> dict[str, float]:
    """A full index rebuild in a new generation: the copy the writer makes is timed apart from the build."""
    started = time.perf_counter()
    with store.writer(db) as con:
        copied = time.perf_counter() - started
        began = time.perf_counter()
        articles = search.rebuild_index(con)
        built = time.perf_counter() - began
        landing = time.perf_counter()
    return {"articles": articles, "copy_s": copied, "build_s": built, "checkpoint_s": time.perf_counter() - landing}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Basira speed benchmark at one corpus size.")
    parser.add_argument("size", type=int)
    parser.add_argument("--profile", choices=sorted(generate.PROFILES), default="mixed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep an existing database of this size (skip ingest)")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--skip-fts", action="store_true")
    parser.add_argument("--skip-rebuild", action="store_true")
    args = parser.parse_args(argv)

    work = OUT / f"{args.size}-{args.profile}"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "basira.duckdb"
    result: dict = {"size": args.size, "profile": args.profile, "started": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine()}
    say = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)  # noqa: E731

    say(f"corpus of {args.size} ({args.profile})")
    folder, result["corpus"] = corpus(args.size, args.profile, args.seed)
    say("floor: read + parse + normalise")
    result["floor"] = floor(folder)
    measured = work / "ingest.json"  # kept apart so that --reuse runs report the ingest that built the store
    if not (args.reuse and db.exists()):
        for old in [*work.glob("*basira*"), work / "fts5-build.json"]:
            old.unlink(missing_ok=True)
        say("ingest (child process)")
        result["ingest"] = run_child([PYTHON, "-m", "basira", "--db", str(db), "ingest", str(folder)], work / "ingest.log")
        result["ingest"]["load_average"] = os.getloadavg()
        measured.write_text(json.dumps(result["ingest"]))
    elif measured.exists():
        result["ingest"] = json.loads(measured.read_text())
    with store.read_cursor(db) as cur:
        result["store"] = {k: v for k, v in read.store_stats(cur).items() if isinstance(v, int)}
        result["index"] = search_sql.index_summary(cur)
    result["db_bytes"] = database_bytes(db)

    queries = plan(db, args.repeats)
    plan_path = work / "plan.json"
    plan_path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    result["plan"] = queries
    say("dashboard queries and search (child process)")
    app = run_child([PYTHON, "-m", "bench.app_side", str(db), str(plan_path), str(work / "app.json")], work / "app.log")
    result["app"] = json.loads((work / "app.json").read_text()) | {"process": app}
    if not args.skip_fts:
        say("SQLite FTS5 baseline")
        result["fts5"] = fts5_side(db, work / "fts5.sqlite", queries["searches"], args.repeats)
    if not args.skip_pandas:
        say("pandas baseline (child process)")
        try:
            pandas = run_child(
                [PYTHON, "-m", "bench.pandas_side", str(db), str(plan_path), str(work / "pandas.json")],
                work / "pandas.log",
                memory_limit=PANDAS_MEMORY_LIMIT,
            )
            result["pandas"] = json.loads((work / "pandas.json").read_text()) | {"process": pandas}
        except RuntimeError as error:
            result["pandas_failed"] = f"{error} (address space capped at {PANDAS_MEMORY_LIMIT / 2**30:.0f} GiB)"
    if not args.skip_rebuild:
        say("full index rebuild, then search again on the compacted index")
        result["rebuild"] = rebuild(db)
        result["db_bytes_after_rebuild"] = database_bytes(db)
        search_only = {**queries, "scenarios": {}}
        plan_path.write_text(json.dumps(search_only, ensure_ascii=False), encoding="utf-8")
        again = run_child([PYTHON, "-m", "bench.app_side", str(db), str(plan_path), str(work / "app2.json")])
        result["app_compacted"] = json.loads((work / "app2.json").read_text()) | {"process": again}
    result["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    result["machine"]["load_average_end"] = os.getloadavg()
    text = json.dumps(result, ensure_ascii=False, default=str)
    (OUT / f"{args.size}.json").write_text(text, encoding="utf-8")
    (OUT / f"{args.size}-{args.profile}.json").write_text(text, encoding="utf-8")
    from bench.report import table

    print(table(result))
    return 0
