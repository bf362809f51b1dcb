"""The command line: a thin layer over basira.ingest and basira.queries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from basira import ingest, store
from basira.queries import broken_invariants, read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m basira", description="Basira: Arabic security-news store.")
    parser.add_argument("--db", type=Path, default=None, help="database path (default: data/basira.duckdb or $BASIRA_DB)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("ingest", help="ingest files or folders (.txt seed format, .jsonl, .json, .csv)")
    add.add_argument("paths", nargs="+", type=Path)
    add.add_argument(
        "--workers", type=int, default=None,
        help="processes that parse and analyse (default: $BASIRA_WORKERS, else the cores, at most "
        f"{ingest.MAX_DEFAULT_WORKERS}); 1 does everything in this process",
    )
    commands.add_parser("stats", help="print a summary of the store")
    commands.add_parser("retag", help="re-run topic/entity analysis after editing the taxonomy or gazetteer")
    commands.add_parser("check", help="verify the data invariants; exit 1 if any is broken")
    build = commands.add_parser("build-default", help="build the database from seeds/ if it is missing")
    build.add_argument("--seeds", type=Path, default=None)
    args = parser.parse_args(argv)
    db = args.db or store.default_db_path()

    if args.command == "ingest":
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            print("No such file or folder: " + ", ".join(map(str, missing)), file=sys.stderr)
            return 2
        workers = args.workers if args.workers is not None else ingest.default_workers()
        try:
            report = ingest.ingest_paths(args.paths, db, progress=_progress, workers=max(1, workers))
        except ingest.StoreOutdated as error:
            print(error, file=sys.stderr)
            return 2
        print(report.summary())
        return 0
    if args.command == "build-default":
        report = ingest.build_default(db, args.seeds)
        print(report.summary() if report else f"{db} exists; nothing to build.")
        return 0
    if args.command == "retag":
        done = ingest.retag(db, progress=_progress)
        print(f"re-analysed {done} articles")
        return 0
    try:
        with store.read_cursor(db) as cur:
            if args.command == "stats":
                print(format_stats(read.store_stats(cur), db))
                return 0
            broken = broken_invariants(cur)
    except store.StoreMissing as error:
        print(error, file=sys.stderr)
        return 2
    for name, rows in broken.items():
        print(f"BROKEN {name}: {rows}")
    print("all invariants hold" if not broken else f"{len(broken)} invariants broken")
    return 1 if broken else 0


def _progress(done: int, note: str) -> None:
    print(f"  {ingest.progress_text(done, note)}", file=sys.stderr, flush=True)


def format_stats(stats: dict, db: Path) -> str:
    lines = [
        f"Basira store {db}",
        f"  articles   {stats['articles']:>9,}  ({stats['stories']:,} independent stories)",
        f"  dated      {stats['articles'] - stats['undated']:>9,}  from {stats['first']} to {stats['last']}",
        f"  undated    {stats['undated']:>9,}",
        f"  sentences  {stats['sentences']:>9,}  ({stats['boilerplate_sentences']:,} boilerplate, kept but not analysed)",
        f"  sightings  {stats['sightings']:>9,}  across {stats['batches']} batches",
        f"  entities   {stats['entities']:>9,}",
        f"  taxonomy   {stats['taxonomy_version']}",
        "  topics     " + (", ".join(f"{t} {n}" for t, n in stats["topics"]) or "none"),
        "  sources    " + (", ".join(f"{s} {n}" for s, n in stats["top_sources"]) or "none"),
        "  rejected   " + (", ".join(f"{r} {n}" for r, n in stats["rejected"]) or "none"),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
