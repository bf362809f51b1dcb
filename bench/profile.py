"""Where ingest time goes, by pipeline stage, over the first N records of a corpus.

    python -m bench.profile bench/out/corpus-10000-mixed-s1 --records 3000          # cProfile shares
    python -m bench.profile bench/out/corpus-20000-short-s1 --records 5000 --cpu    # CPU ms per article

Without --cpu, stages are the cumulative time of the functions that implement them under cProfile; the
profiler inflates pure-Python code more than C code, so read the shares, not the absolute seconds.

With --cpu there is no profiler: the ingest runs as its pieces, one after the other in this process (what the
workers do: read, parse, prepare; then what the writer does, over the prepared units), each piece timed with
`time.process_time` (every thread of the process, DuckDB's included). A first pass without any timer gives
each piece's total; a second pass times the functions inside each piece (see CPU_STAGES) and subtracts the
timer's own cost per call. The writer runs with one DuckDB thread, as beside two workers on two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import itertools
import pstats
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from basira import analysis, boilerplate, fingerprint, ingest, reader, search, sentences
from basira.queries import write
from bench.run import floor

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


# (piece, stage, owner, function name, depth) for --cpu: the functions timed inside each piece of the ingest,
# each inclusive of those listed under it at a greater depth. Pieces: read (files, decoding, lines), parse (a
# worker's JSON record -> article with sentences), prepare (a worker's identity, fingerprints, analysis and
# Arrow tables) and writer (everything the writer process does with the prepared units).
CPU_STAGES: list[tuple[str, str, object, str, int]] = [
    ("parse", "record -> article (fields, cleaning, dates, sentences)", reader, "article_from_record", 1),
    ("parse", "clean raw text", reader, "_clean", 2),
    ("parse", "find the date", reader, "date_article", 2),
    ("parse", "split sentences (normalise, boilerplate)", reader, "split_sentences", 2),
    ("parse", "normalise sentences", sentences, "_normalize_many", 3),
    ("parse", "boilerplate: classify lines", reader, "classify_line", 3),
    ("parse", "boilerplate: article end", reader, "article_end", 3),
    ("prepare", "normalise title", fingerprint, "title_norm", 1),
    ("prepare", "content hash", fingerprint, "content_hash", 1),
    ("prepare", "story tokens", fingerprint, "story_tokens", 1),
    ("prepare", "MinHash signatures (a unit at once)", fingerprint, "signatures", 1),
    ("prepare", "LSH band buckets", fingerprint, "band_matrix", 1),
    ("prepare", "phrase body (zlib)", search, "phrase_body", 1),
    ("prepare", "paragraph fingerprints", boilerplate, "paragraph_fingerprints", 1),
    ("prepare", "analysis (topics, entities, quotes, counts)", analysis, "analyze_article", 1),
    ("prepare", "search postings (numpy -> Arrow)", ingest, "_postings_table", 1),
    ("prepare", "analysis rows -> Arrow", ingest, "_analysis_tables", 1),
    ("writer", "existing hashes", write, "existing_hashes", 1),
    ("writer", "units' rows of the new articles (Arrow)", ingest, "_kept", 1),
    ("writer", "known sightings", write, "known_sightings", 1),
    ("writer", "story clustering (near-duplicates)", ingest, "_assign_stories", 1),
    ("writer", "stored candidates (LSH bucket lookup)", ingest._StoredCandidates, "find", 2),
    ("writer", "stored signatures", write, "signatures", 2),
    ("writer", "candidates within the chunk", ingest, "_chunk_candidates", 2),
    ("writer", "stories of the candidates", write, "story_of", 2),
    ("writer", "analysis rows (insert, entities)", ingest, "_store_analysis_tables", 1),
    ("writer", "entities upsert", write, "upsert_entities", 2),
    ("writer", "untitled articles' openings", write, "add_openings", 1),
    ("writer", "repeated paragraphs (count, flag, re-analyse)", ingest, "_flag_repeated", 1),
    ("writer", "search text of articles just flagged", search, "reindexed", 1),
    ("writer", "search index + dashboard summaries", search, "index_articles", 1),
    ("writer", "summaries and facts", search.summary, "refresh", 2),
    ("writer", "postings and phrase bodies", search, "_index_chunk", 2),
    ("writer", "index statistics", search.sql, "update_stats", 2),
]
# Timed across the writer's stages too, one row per table: where the inserts go.
_INSERTS = (write, "append_rows")


class _Clock:
    """CPU seconds and calls inside wrapped functions, by stage."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, owner: object, name: str, stage: Callable[..., str]) -> Callable:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            label = stage(*args)
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.process_time() - started
                self.calls[label] += 1

        return timed


@contextlib.contextmanager
def _timed(clock: _Clock) -> Iterator[None]:
    wrapped = [(owner, name, label) for _, label, owner, name, _ in CPU_STAGES]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in [*wrapped, (*_INSERTS, "")]]
    try:
        for owner, name, label in wrapped:
            setattr(owner, name, clock.wrap(owner, name, lambda *_, label=label: label))
        setattr(*_INSERTS, clock.wrap(*_INSERTS, lambda _con, table, *_: f"insert {table}"))
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _timer_cost(calls: int = 200_000) -> float:
    """CPU seconds a wrapped call adds, as an enclosing timer sees it."""

    class Holder:
        @staticmethod
        def nothing() -> None:
            return None

    timed = _Clock().wrap(Holder, "nothing", lambda: "call")
    started = time.process_time()
    for _ in range(calls):
        Holder.nothing()
    bare = time.process_time() - started
    started = time.process_time()
    for _ in range(calls):
        timed()
    return max(0.0, (time.process_time() - started - bare) / calls)


def _run_pieces(corpus: Path, limit: int, db: Path) -> tuple[dict[str, float], int]:
    """Read, parse, prepare and write the first `limit` records, one piece after the other; CPU seconds of each
    piece, and the articles added."""
    seconds: dict[str, float] = {}
    started = time.process_time()
    units, count = [], 0
    for unit in reader.read_units(corpus, ingest.UNIT_LINES):
        units.append((unit, corpus))
        count += unit.records
        if count >= limit:
            break
    seconds["read"] = time.process_time() - started
    started = time.process_time()
    parsed = [(list(reader.parse_unit(unit)), root) for unit, root in units]
    seconds["parse"] = time.process_time() - started
    started = time.process_time()
    prepared = [ingest._prepare([ingest._LABELS.apply(item, root) for item in items]) for items, root in parsed]
    seconds["prepare"] = time.process_time() - started
    del parsed
    started = time.process_time()
    report = ingest._ingest(lambda _con: ingest._items(prepared), "profile", db, None, threads=1)
    seconds["writer"] = time.process_time() - started
    return seconds, report.added


def cpu_stages(corpus: Path, limit: int) -> str:
    """A markdown table of CPU milliseconds per added article, by piece and stage."""
    rows = []
    ingest._LABELS.clear()
    with tempfile.TemporaryDirectory() as tmp:
        # Loads the taxonomy, lexicons and memoised vocabularies first, as the CLI does before it forks.
        _run_pieces(corpus, min(limit, 200), Path(tmp) / "warm" / "basira.duckdb")
        totals, added = _run_pieces(corpus, limit, Path(tmp) / "plain" / "basira.duckdb")
        clock = _Clock()
        cost = _timer_cost()
        with _timed(clock):
            _run_pieces(corpus, limit, Path(tmp) / "timed" / "basira.duckdb")
    whole = sum(totals.values())
    per = 1000 / added

    def line(label: str, seconds: float) -> None:
        rows.append(f"| {label} | {seconds * per:.3f} | {seconds / whole:.1%} |")

    rows += ["| piece / stage (inclusive; deeper rows are inside the row above) | CPU ms per article | share |",
             "|---|---|---|"]
    for piece, seconds in totals.items():
        line(f"**{piece}**", seconds)
        timed_stages = 0.0
        stages = [(label, depth) for p, label, _, _, depth in CPU_STAGES if p == piece]
        for i, (label, depth) in enumerate(stages):
            inner = 0
            for below, below_depth in stages[i + 1 :]:
                if below_depth <= depth:
                    break
                inner += clock.calls[below]
            # The timers inside a stage, and about half of its own, count in its time.
            corrected = clock.seconds[label] - cost * (inner + clock.calls[label] / 2)
            line("&nbsp;" * 4 * depth + label, corrected)
            if depth == 1:
                timed_stages += corrected
        if stages:
            line("&nbsp;" * 4 + "rest of the piece", seconds - timed_stages)
    inserts = sorted((k for k in clock.seconds if k.startswith("insert ")), key=lambda k: -clock.seconds[k])
    for label in inserts:
        line(f"writer, {label} (within the stages above)", clock.seconds[label] - cost * clock.calls[label] / 2)
    line("**whole (read + parse + prepare + writer)**", whole)
    floor_run = floor(corpus, limit)
    rows.append(f"| floor: read JSON + normalise title and text ({floor_run['records']} records) |"
                f" {floor_run['cpu_s'] * 1000 / floor_run['records']:.3f} | |")
    return (
        f"{added} articles added from the first {limit} records of {corpus}; per article means per added"
        f" article. The timer adds about {cost * 1e6:.2f} us per call (subtracted),"
        f" {sum(clock.calls.values()):,} calls timed; 'rest' is the untimed pass's piece less its timed stages.\n\n"
        + "\n".join(rows)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cpu", action="store_true", help="CPU ms per article by stage, without the profiler")
    args = parser.parse_args(argv)
    if args.cpu:
        print(cpu_stages(args.corpus, args.records))
        return 0
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
