"""Where ingest time goes: cProfile over an ingest of the first N records of a corpus, by pipeline stage.

    python -m bench.profile bench/out/corpus-10000-mixed-s1 --records 3000

Stages are the cumulative time of the functions that implement them; the profiler inflates pure-Python code
more than C code, so read the shares, not the absolute seconds (bench/run.py measures those).
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import sys
import tempfile
import time
from pathlib import Path

from basira import ingest, reader

# (stage, module path suffix, function name): cumulative time of that function.
STAGES = [
    ("read + parse records (incl. sentences, dates)", "basira/reader.py", "read_path"),
    ("  of which: sentence split + boilerplate", "basira/sentences.py", "split_sentences"),
    ("  of which: date finding", "basira/reader.py", "date_article"),
    ("content hash", "basira/fingerprint.py", "content_hash"),
    ("story clustering (MinHash + LSH)", "basira/ingest.py", "_assign_stories"),
    ("analysis (topics, entities, quotes, counts)", "basira/analysis/__init__.py", "analyze_article"),
    ("search index", "basira/search.py", "index_articles"),
    ("prepare (hash, MinHash, postings, analysis per article)", "basira/ingest.py", "_prepare"),
    ("store analysis rows", "basira/ingest.py", "_store_analysis_tables"),
    ("append rows (all tables)", "basira/queries/write.py", "append_rows"),
    ("taxonomy + lexicon load (once)", "basira/ingest.py", "_refresh_taxonomy"),
    ("writer: copy, schema, checkpoint, swap", "basira/store.py", "writer"),
]


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    found = dict.fromkeys((s for s, _, _ in STAGES), 0.0)
    for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for stage, suffix, function in STAGES:
            if name == function and path.endswith(suffix):
                found[stage] += cumulative
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "basira.duckdb"
        records = itertools.islice(reader.read_path(args.corpus), args.records)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        report = ingest.ingest_records(records, "profile", db)
        profiler.disable()
        wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{report.seen} records ({report.added} added) in {wall:.1f} s under the profiler\n")
    print("| stage | seconds | share |\n|---|---|---|")
    for stage, seconds in stage_times(stats).items():
        print(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} |")
    print(f"| total | {total:.2f} | 100% |\n")
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
