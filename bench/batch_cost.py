"""What a small batch into a large store costs, this code against a baseline checkout, in one run.

    python -m bench.batch_cost --store 10k=bench/out/b21/s10k/basira.duckdb \
        --store 100k=bench/out/b21/s100k/basira.duckdb --batch 100=bench/out/b21/new100 \
        --batch 1000=bench/out/b21/new1000 --baseline /tmp/basira-main [--repeats 2] [--no-compare]

For every store, batch and repeat, the baseline and this code run alternated (the baseline first on even repeats),
each in a process of its own importing `basira` from its checkout, on a fresh copy of the store (the copy is not
timed; the writer's own copy of the generation is). Each run reports its wall seconds, the CPU of the writer
process and of its workers, the seconds and articles of the writer's re-analysis (`ingest._reanalyse`) and the
seconds of the generation copy (`store._copy_generation`). The first repeat's two stores are compared table by
table (bench.compare_stores): a cut must leave the store as the baseline does. Prints one table with this code's
figures as ratios to the baseline's (medians over the repeats) and appends every run to --out as JSON lines.
A baseline checkout is e.g. `git archive main | tar -x -C /tmp/basira-main`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == HERE / "bench":
    # Run as a file, with a checkout's basira on PYTHONPATH (see _run): bench/profile.py must not hide the stdlib's.
    del sys.path[0]


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _timed(owner: object, name: str, step: dict, count=None) -> None:
    """Wrap owner.name so that its calls add their wall and CPU seconds (and `count(args)`) to `step`."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            step["wall"] += time.perf_counter() - wall
            step["cpu"] += time.process_time() - cpu
            step["calls"] += 1
            if count is not None:
                step["items"] += count(args)

    setattr(owner, name, wrapper)


def one(db: Path, inputs: list[Path], workers: int) -> dict:
    """One ingest of `inputs` into `db` as the CLI does, in this process (basira from PYTHONPATH)."""
    from basira import ingest, store

    steps = {name: {"calls": 0, "items": 0, "wall": 0.0, "cpu": 0.0} for name in ("copy", "reanalyse")}
    _timed(store, "_copy_generation", steps["copy"])
    _timed(ingest, "_reanalyse", steps["reanalyse"], lambda args: len(args[1]))
    started, writer, children = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    report = ingest.ingest_paths(inputs, db, workers=workers)
    return {
        "basira": str(Path(ingest.__file__).parent),
        "added": report.added,
        "wall": time.perf_counter() - started,
        "writer_cpu": _cpu(resource.RUSAGE_SELF) - writer,
        "workers_cpu": _cpu(resource.RUSAGE_CHILDREN) - children,
        "copy_wall": steps["copy"]["wall"],
        "reanalysed": steps["reanalyse"]["items"],
        "reanalyse_cpu": steps["reanalyse"]["cpu"],
    }


def _run(checkout: Path, store_file: Path, batch: Path, work: Path, workers: int) -> tuple[dict, Path]:
    """One run of `checkout`'s code on a fresh copy of store_file (a plain file the writer adopts)."""
    work.mkdir(parents=True)
    db = work / "basira.duckdb"
    shutil.copyfile(store_file, db)
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "one", str(db), str(batch.resolve()),
         "--workers", str(workers)],
        # One working directory for both codes: the store keeps input paths relative to it.
        env=env, cwd=HERE, check=True, capture_output=True, text=True,
    )
    row = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(row["basira"]).resolve() != (checkout / "basira").resolve():
        raise RuntimeError(f"ran {row['basira']}, not {checkout}")
    return row, db


def _pair(spec: str) -> tuple[str, Path]:
    name, _, path = spec.partition("=")
    return name, Path(path)


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def table(rows: list[dict]) -> str:
    lines = [
        "| store | batch | code | wall s | writer CPU s | workers CPU s | CPU ms/article | re-analysed"
        " | re-analysis CPU s | copy s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    keys = list(dict.fromkeys((r["store"], r["batch"]) for r in rows))  # in the order of the run
    for store_name, batch in keys:
        by_code = {
            code: [r for r in rows if (r["store"], r["batch"], r["code"]) == (store_name, batch, code)]
            for code in ("baseline", "this")
        }
        base = {k: _median(by_code["baseline"], k) for k in _FIGURES}
        for code, found in by_code.items():
            if not found:
                continue
            cells = []
            for key in _FIGURES:
                value = _median(found, key)
                ratio = f" ({value / base[key]:.2f}x)" if code == "this" and base[key] else ""
                cells.append(f"{value:.{_DIGITS.get(key, 2)}f}{ratio}")
            lines.append(f"| {store_name} | {batch} | {code} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


_FIGURES = ("wall", "writer_cpu", "workers_cpu", "ms_per_article", "reanalysed", "reanalyse_cpu", "copy_wall")
_DIGITS = {"reanalysed": 0, "ms_per_article": 1}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "one":
        parser = argparse.ArgumentParser(prog="batch_cost one")
        parser.add_argument("db", type=Path)
        parser.add_argument("inputs", type=Path, nargs="+")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--profile", type=Path, help="write the writer's cProfile stats here")
        args = parser.parse_args(argv[1:])
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            found = profiler.runcall(one, args.db, args.inputs, args.workers)
            profiler.dump_stats(args.profile)
        else:
            found = one(args.db, args.inputs, args.workers)
        print(json.dumps(found))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.batch_cost")
    parser.add_argument("--store", action="append", type=_pair, required=True, metavar="NAME=DB")
    parser.add_argument("--batch", action="append", type=_pair, required=True, metavar="SIZE=INPUT")
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the code to compare with")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-compare", action="store_true")
    args = parser.parse_args(argv)
    from bench import compare_stores  # this checkout's, for both stores

    codes = {"baseline": args.baseline.resolve(), "this": HERE}
    rows: list[dict] = []
    verdicts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="batch_cost-", dir=HERE / "bench" / "out") as scratch:
        for store_name, db in args.store:
            store_file = db.resolve()
            for batch, inputs in args.batch:
                for repeat in range(args.repeats):
                    order = ("baseline", "this") if repeat % 2 == 0 else ("this", "baseline")
                    built = {}
                    for code in order:
                        work = Path(scratch) / f"{store_name}-{batch}-{repeat}-{code}"
                        run, built[code] = _run(codes[code], store_file, inputs, work, args.workers)
                        run.update(store=store_name, batch=batch, code=code, repeat=repeat, load=os.getloadavg()[0])
                        run["ms_per_article"] = 1000 * (run["writer_cpu"] + run["workers_cpu"]) / max(run["added"], 1)
                        rows.append(run)
                        print(json.dumps(run), file=sys.stderr)
                        if args.out:
                            with args.out.open("a") as out:
                                out.write(json.dumps(run) + "\n")
                    if repeat == 0 and not args.no_compare:
                        diffs = compare_stores.compare_stores(
                            built["baseline"], built["this"], compare_stores.ALWAYS_IGNORED | {"batches.inputs"}
                        )
                        same = sum(d.identical for d in diffs)
                        verdicts.append(f"{store_name} + {batch}: {same} of {len(diffs)} tables identical")
                        if same != len(diffs):
                            verdicts.append(compare_stores.report(diffs))
                    for code in built:
                        shutil.rmtree(Path(scratch) / f"{store_name}-{batch}-{repeat}-{code}")
    print(table(rows))
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
