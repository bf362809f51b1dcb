"""Two versions of the search code on one store, alternated sample by sample in two worker processes.

    python -m bench.ab_search DB PLAN.json OUT.json ROOT_A ROOT_B [--repeats N] [--db-b DB_B]

Each worker imports `basira` from its root (a checkout: ROOT_A the old code, ROOT_B the new) and searches as
`bench.app_side` does: a fresh read cursor per search from the process's read pool (its buffer pool), top 50,
no context. For every planned search and every repeat both workers run it once, the order swapped from one
query to the next so that neither always meets the file in the page cache the other just read. Each sample
records wall and CPU (the worker's, all DuckDB threads) and the answer (ids and scores), so that the answers
of the two versions can be compared sample by sample. With --db-b the B worker searches another store (the same
code on two layouts of one index, say).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

WORKER = r"""
import json, sys, time
from pathlib import Path
from basira import search, store
db = Path(sys.argv[1])
for line in sys.stdin:
    q = json.loads(line)
    began, cpu = time.perf_counter(), time.process_time()
    with store.read_cursor(db) as cur:
        found = search.search(cur, q["text"], None, 50, q.get("mode", "all"), context=False)
    wall, cpu = (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000
    answer = [[int(a), float(s)] for a, s in zip(found["article_id"].tolist(), found["score"].tolist())]
    print(json.dumps({"ms": wall, "cpu_ms": cpu, "answer": answer}), flush=True)
"""


def start(root: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(db)], cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, bufsize=1,
    )


def ask(worker: subprocess.Popen, query: dict) -> dict:
    worker.stdin.write(json.dumps(query, ensure_ascii=False) + "\n")
    line = worker.stdout.readline()
    if not line:
        raise RuntimeError("worker died")
    return json.loads(line)


def summarize(path: Path) -> str:
    """Per kind and side: CPU and wall median / p95 over all samples, and p95 of first samples and of the rest."""
    import numpy as np

    data = json.loads(path.read_text(encoding="utf-8"))
    kinds: dict[str, list[dict]] = {}
    for entry in data["search"]:
        kinds.setdefault(entry["kind"], []).append(entry)
    kinds["all queries"] = data["search"]
    lines = ["| kind | CPU median a / b | CPU p95 a / b | wall median a / b | wall p95 a / b | first-sample CPU p95 a / b | later CPU p95 a / b | same |",
             "|---|---|---|---|---|---|---|---|"]
    for kind, entries in kinds.items():
        cells = []
        for pick in ("cpu_ms", "ms"):
            v = {s: [x[pick] for e in entries for x in e[s]] for s in ("a", "b")}
            cells.append(f"{np.median(v['a']):.1f} / {np.median(v['b']):.1f}")
            cells.append(f"{np.percentile(v['a'], 95):.1f} / {np.percentile(v['b'], 95):.1f}")
        cells = [cells[0], cells[1], cells[2], cells[3]]
        first = {s: [e[s][0]["cpu_ms"] for e in entries] for s in ("a", "b")}
        later = {s: [x["cpu_ms"] for e in entries for x in e[s][1:]] for s in ("a", "b")}
        cells.append(f"{np.percentile(first['a'], 95):.1f} / {np.percentile(first['b'], 95):.1f}")
        cells.append(f"{np.percentile(later['a'], 95):.1f} / {np.percentile(later['b'], 95):.1f}")
        same = sum(e["same"] for e in entries)
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | {same}/{len(entries)} |")
    loads = data["loads"]
    lines.append(f"\nload average (1 min) {min(l[0] for l in loads):.1f}-{max(l[0] for l in loads):.1f}, {data['seconds']:.0f} s")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[0] == "--summary":
        print(summarize(Path(argv[1])))
        return 0
    db, plan_path, out_path, root_a, root_b = (Path(a).resolve() for a in argv[:5])
    repeats = int(argv[argv.index("--repeats") + 1]) if "--repeats" in argv else None
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    repeats = repeats or plan["repeats"]
    db_b = Path(argv[argv.index("--db-b") + 1]).resolve() if "--db-b" in argv else db
    workers = {"a": start(root_a, db), "b": start(root_b, db_b)}
    results = []
    loads = [os.getloadavg()]
    started = time.perf_counter()
    for n, q in enumerate(plan["searches"]):
        entry = {"query": q["text"], "kind": q["kind"], "mode": q.get("mode", "all"), "a": [], "b": []}
        order = ("a", "b") if n % 2 == 0 else ("b", "a")
        for _ in range(repeats):
            for side in order:
                entry[side].append(ask(workers[side], q))
        entry["same"] = all(x["answer"] == y["answer"] for x, y in zip(entry["a"], entry["b"], strict=True))
        results.append(entry)
        loads.append(os.getloadavg())
        print(f"{q['kind']:>15} {entry['same']} a {[round(s['cpu_ms']) for s in entry['a']]}"
              f" b {[round(s['cpu_ms']) for s in entry['b']]}", file=sys.stderr, flush=True)
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()
    out = {"roots": {"a": str(root_a), "b": str(root_b)}, "stores": {"a": str(db), "b": str(db_b)}, "repeats": repeats, "loads": loads,
           "seconds": time.perf_counter() - started, "search": results}
    out_path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
