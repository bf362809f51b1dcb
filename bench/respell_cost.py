"""What re-spelling entities costs an incremental ingest: one CLI-equivalent ingest of `inputs` into `db`, with
`write.respell_entities` timed in place (every call: wall and CPU seconds, keys), or skipped with --skip.

    python -m bench.respell_cost bench/out/1000000-short/basira.duckdb new-1000/ [--skip] [--out runs.jsonl]

Each run adds its articles to the store (a generation, as the CLI does), so alternate --skip and not over
different inputs of the same size. A skipped run leaves the touched entities with their previous names: use it
for timing only. Prints one JSON line (and appends it to --out): the ingest's wall seconds, this process's CPU
(the writer) and the workers' (getrusage of children), the re-spell step's calls, keys and seconds, and the
size of entity_spellings afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import duckdb

from basira import ingest, store
from basira.queries import write


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("inputs", type=Path, nargs="+")
    parser.add_argument("--skip", action="store_true", help="do not re-spell (timing only)")
    parser.add_argument("--workers", type=int, default=ingest.default_workers())
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    step = {"calls": 0, "keys": 0, "wall": 0.0, "cpu": 0.0}
    respell = write.respell_entities

    def timed(con: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
        step["calls"] += 1
        step["keys"] += len(keys)
        if args.skip:
            return
        wall, cpu = time.perf_counter(), time.process_time()
        respell(con, keys)
        con.complete()
        step["wall"] += time.perf_counter() - wall
        step["cpu"] += time.process_time() - cpu

    write.respell_entities = timed
    started, writer_cpu, workers_cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    report = ingest.ingest_paths(args.inputs, args.db, workers=args.workers)
    wall = time.perf_counter() - started
    writer_cpu = _cpu(resource.RUSAGE_SELF) - writer_cpu
    workers_cpu = _cpu(resource.RUSAGE_CHILDREN) - workers_cpu
    with store.read_cursor(args.db) as cur:
        (spellings,) = cur.execute("SELECT count(*) FROM entity_spellings").fetchone()
        (articles,) = cur.execute("SELECT count(*) FROM articles").fetchone()
    row = {
        "inputs": [str(p) for p in args.inputs], "skip": args.skip, "added": report.added, "wall": round(wall, 3),
        "writer_cpu": round(writer_cpu, 3), "workers_cpu": round(workers_cpu, 3),
        "ms_per_article_cpu": round(1000 * (writer_cpu + workers_cpu) / max(report.added, 1), 3),
        "respell": {k: round(v, 4) if isinstance(v, float) else v for k, v in step.items()},
        "store_articles": articles, "entity_spellings": spellings, "load": os.getloadavg()[0],
    }
    print(json.dumps(row))
    if args.out:
        with args.out.open("a") as out:
            out.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
