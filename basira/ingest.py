"""The ingest pipeline: parsed records -> identity, dedupe, story clusters, analysis -> one store batch.

A batch is one writer generation (see store.py): it lands whole or not at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from basira import analysis, fingerprint, reader, search, store
from basira.model import ArticleAnalysis, ParsedArticle, Rejection
from basira.normalize import clean_raw, tokenize
from basira.queries import write

CHUNK = 1000
WORKERS_ENV = "BASIRA_WORKERS"
MAX_DEFAULT_WORKERS = 4
# Below this many records a pool costs more than it saves (forking, and the first units' latency).
PARALLEL_MIN_RECORDS = 200
# JSONL lines per unit of work sent to a worker: small enough to spread a file, large enough that the
# per-task overhead (pickling, queues) stays under a percent.
UNIT_LINES = 100
# Units in flight per worker: keeps every worker busy while the writer stores, and bounds memory.
AHEAD_PER_WORKER = 4
_PR_SET_PDEATHSIG = 1
EXCERPT_CHARS = 200
Progress = Callable[[int, str], None]


@dataclass
class IngestReport:
    batch_id: int = 0
    seen: int = 0
    added: int = 0
    duplicates: int = 0  # exact copies of an article already stored (or earlier in the batch)
    joined_story: int = 0  # new articles that are near-duplicates of an earlier story
    rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    chars: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.seen / self.seconds if self.seconds else 0.0
        lines = [
            f"batch {self.batch_id}: {self.seen} records read in {self.seconds:.1f}s ({rate:.0f}/s)",
            f"  added {self.added} articles ({self.joined_story} joined an existing story)",
            f"  skipped {self.duplicates} exact duplicates",
            f"  rejected {sum(self.rejected.values())}"
            + "".join(f"\n    {reason}: {n}" for reason, n in sorted(self.rejected.items())),
        ]
        for rejection in self.rejections[:10]:
            where = f"{rejection.source_path} {rejection.locator}".strip()
            lines.append(f"    - {where}: {rejection.detail}")
        return "\n".join(lines)


def source_label(name: str) -> str:
    """How a file or upload is named in the store and on screen: without bidi or control characters."""
    return " ".join(clean_raw(name).split())


def display_path(path: Path | str) -> str:
    """Paths inside the project are stored relative to it, so a database moves with its seeds."""
    resolved = Path(path).resolve()
    try:
        return source_label(str(resolved.relative_to(Path.cwd().resolve())))
    except ValueError:
        return source_label(str(resolved))


def default_workers() -> int:
    """Processes that parse and analyse: $BASIRA_WORKERS, else the machine's cores up to MAX_DEFAULT_WORKERS."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value:
        return max(1, int(value))
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def ingest_paths(
    paths: Iterable[Path], db_path: Path | None = None, progress: Progress | None = None, workers: int = 1
) -> IngestReport:
    """Ingest files and folders. With `workers` > 1 and a batch of at least PARALLEL_MIN_RECORDS records,
    worker processes parse, fingerprint and analyse while this process alone writes the store; the store
    ends up exactly as with one process."""
    paths = list(paths)
    inputs = ", ".join(display_path(p) for p in paths)
    units = ((unit, path) for path in paths for unit in reader.read_units(path, UNIT_LINES))
    first: list[tuple[reader.Unit, Path]] = []
    if workers > 1:
        for unit in units:
            first.append(unit)
            if sum(u.records for u, _ in first) >= PARALLEL_MIN_RECORDS:
                break
        else:
            workers = 1
    units = chain(first, units)
    shown = _SourceLabels()
    if workers <= 1:
        records = (shown.apply(item, root) for unit, root in units for item in reader.parse_unit(unit))
        return ingest_records(records, inputs, db_path, progress)
    db_path = Path(db_path or store.default_db_path())
    # The workers are forked before this process opens any DuckDB connection (a fork copies no DuckDB
    # threads), after the analysers are loaded (the workers share them instead of loading their own).
    analysis.taxonomy()
    _set_known_prefixes(_stored_hash_prefixes(db_path))
    with _pool(workers) as pool:
        prepared = (
            shown.apply(item, root) for batch, root in _in_order(pool, units, workers * AHEAD_PER_WORKER)
            for item in batch
        )
        return _ingest(prepared, inputs, db_path, progress)


class _SourceLabels:
    """Items named as the store shows them (display_path of the file, else of the path given). display_path
    resolves the file system, so it runs once per distinct file rather than once per record."""

    def __init__(self) -> None:
        self._shown: dict[tuple[str, Path], str] = {}

    def apply(self, item, root: Path):
        inner = item.article if isinstance(item, Prepared) else item
        key = (inner.source_path, root)
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = display_path(inner.source_path) if inner.source_path else display_path(root)
        if isinstance(inner, Rejection):
            return Rejection(shown, inner.locator, inner.reason, inner.detail, inner.excerpt)
        inner.source_path = shown
        return item


def ingest_uploads(
    files: Iterable[tuple[str, bytes]], db_path: Path | None = None, progress: Progress | None = None
) -> IngestReport:
    # An upload's name comes from the browser: it is only ever a label (never a path), shown without the
    # bidi and control characters that could disguise it.
    files = [(source_label(name), data) for name, data in files]

    def records() -> Iterator[ParsedArticle | Rejection]:
        for name, data in files:
            yield from reader.read_bytes(name, data)

    return ingest_records(records(), "upload: " + ", ".join(name for name, _ in files), db_path, progress)


@dataclass
class Prepared:
    """An article with what ingest derives from it alone. content_hash and title_norm are always set; the
    rest is filled by a worker, or by this process for the articles that turn out to be new."""

    article: ParsedArticle
    content_hash: str
    title_norm: str
    signature: np.ndarray | None = None
    postings: search.Postings | None = None
    analysis: ArticleAnalysis | None = None


def _prepare(article: ParsedArticle) -> Prepared:
    title = fingerprint.title_norm(article)
    return Prepared(article, fingerprint.content_hash(article, title), title)


def _complete(prepared: Prepared, analyse: bool) -> None:
    tokens = fingerprint.story_tokens(prepared.article)
    prepared.signature = fingerprint.signature(tokens)
    prepared.postings = search.article_postings(tokenize(prepared.title_norm), tokens)
    if analyse:
        prepared.analysis = analysis.analyze_article(prepared.article.sentences, prepared.article.title_raw)


# Sorted 64-bit prefixes of the content hashes stored before this batch, set before the workers fork: a
# worker skips analysing an article that is almost surely a stored duplicate (re-ingesting a folder costs
# parsing, not analysis). A prefix collision only means the writer analyses that article itself.
_known_prefixes: np.ndarray = np.empty(0, dtype=np.uint64)


def _set_known_prefixes(prefixes: np.ndarray) -> None:
    global _known_prefixes
    _known_prefixes = prefixes


def _stored_hash_prefixes(db_path: Path) -> np.ndarray:
    empty = np.empty(0, dtype=np.uint64)
    if not db_path.exists():
        return empty
    try:
        # A short-lived read-only connection: closing it stops DuckDB's threads before the fork.
        con = duckdb.connect(str(store.generation_file(db_path)), read_only=True)
    except (duckdb.Error, OSError):
        return empty  # swapped or removed meanwhile: the prefilter is only an optimisation
    try:
        return write.hash_prefixes(con)
    except duckdb.Error:
        return empty
    finally:
        con.close()


def _probably_stored(content_hash: str) -> bool:
    known = _known_prefixes
    if not known.size:
        return False
    key = np.uint64(int(content_hash[:16], 16))
    at = int(np.searchsorted(known, key))
    return at < known.size and known[at] == key


def _prepare_unit(unit: reader.Unit) -> list[Prepared | Rejection]:
    """A worker's task: parse a unit and prepare its articles completely."""
    out: list[Prepared | Rejection] = []
    for item in reader.parse_unit(unit):
        if isinstance(item, ParsedArticle):
            prepared = _prepare(item)
            _complete(prepared, analyse=not _probably_stored(prepared.content_hash))
            out.append(prepared)
        else:
            out.append(item)
    return out


def _worker_init(parent: int) -> None:
    # Ctrl-C is the writer's to handle; a worker must not outlive a writer killed outright (it would wait for
    # work forever), so the kernel kills it with its parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_init, initargs=(os.getpid(),)
    )
    try:
        pool.submit(int).result()  # fork every worker now, before the writer connects
        yield pool
    finally:
        # Waiting reaps the workers, so their CPU time counts in this process's children (os.wait4, time).
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(
    pool: ProcessPoolExecutor, units: Iterable[tuple[reader.Unit, Path]], ahead: int
) -> Iterator[tuple[list[Prepared | Rejection], Path]]:
    """Results of _prepare_unit in the units' order, with at most `ahead` units in flight."""
    pending: deque[tuple[Future, Path]] = deque()
    for unit, root in units:
        pending.append((pool.submit(_prepare_unit, unit), root))
        if len(pending) >= ahead:
            future, at = pending.popleft()
            yield future.result(), at
    while pending:
        future, at = pending.popleft()
        yield future.result(), at


def ingest_records(
    records: Iterable[ParsedArticle | Rejection],
    inputs: str,
    db_path: Path | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    prepared = (_prepare(item) if isinstance(item, ParsedArticle) else item for item in records)
    return _ingest(prepared, inputs, db_path, progress)


def _ingest(
    items: Iterable[Prepared | Rejection], inputs: str, db_path: Path | None, progress: Progress | None
) -> IngestReport:
    report = IngestReport()
    started = time.perf_counter()
    with store.writer(db_path) as con:
        report.batch_id = write.start_batch(con, inputs)
        _refresh_taxonomy(con)
        known_rejections = write.known_rejections(con)
        iterator = iter(items)
        while chunk := list(islice(iterator, CHUNK)):
            _ingest_chunk(con, chunk, report, known_rejections)
            if progress:
                progress(report.seen, f"{report.added} added, {report.duplicates} duplicates")
        write.finish_batch(con, report.batch_id, report.added, report.duplicates, sum(report.rejected.values()))
    report.seconds = time.perf_counter() - started
    return report


def _refresh_taxonomy(con) -> None:
    topics = analysis.taxonomy().topics.values()
    write.replace_topics(con, [(t.id, t.label, t.label_ar, t.description) for t in topics])
    write.set_meta(con, "taxonomy_version", analysis.taxonomy_version())


def _ingest_chunk(con, chunk: list[Prepared | Rejection], report: IngestReport, known_rejections: set) -> None:
    report.seen += len(chunk)
    articles = [item for item in chunk if isinstance(item, Prepared)]
    _record_rejections(con, [item for item in chunk if isinstance(item, Rejection)], report, known_rejections)
    if not articles:
        return
    stored = write.existing_hashes(con, [p.content_hash for p in articles])
    sighted = write.known_sightings(con, [p.article.source_path for p in articles])
    new_sightings = []
    fresh: list[Prepared] = []
    for prepared in articles:
        article = prepared.article
        key = (prepared.content_hash, article.source_path, article.locator)
        if key not in sighted:
            sighted.add(key)
            new_sightings.append((*key, article.url, report.batch_id))
        if prepared.content_hash in stored:
            report.duplicates += 1
            continue
        stored.add(prepared.content_hash)
        fresh.append(prepared)
    write.append_rows(
        con,
        "sightings",
        _table(("content_hash", "source_path", "locator", "url", "batch_id"), new_sightings),
    )
    if fresh:
        _store_articles(con, fresh, report)


def _record_rejections(con, rejections: list[Rejection], report: IngestReport, known: set) -> None:
    rows = []
    for rejection in rejections:
        report.rejected[rejection.reason] += 1
        report.rejections.append(rejection)
        excerpt = rejection.excerpt[:EXCERPT_CHARS]
        key = (rejection.source_path, rejection.locator, rejection.reason, excerpt)
        if key in known:
            continue
        known.add(key)
        rows.append((report.batch_id, *key[:3], rejection.detail, excerpt))
    write.append_rows(
        con, "rejected", _table(("batch_id", "source_path", "locator", "reason", "detail", "excerpt"), rows)
    )


def _store_articles(con, fresh: list[Prepared], report: IngestReport) -> None:
    for prepared in fresh:
        if prepared.signature is None:
            _complete(prepared, analyse=True)
        elif prepared.analysis is None:
            prepared.analysis = analysis.analyze_article(prepared.article.sentences, prepared.article.title_raw)
    first_id = write.next_article_id(con)
    ids = list(range(first_id, first_id + len(fresh)))
    stories = _assign_stories(con, ids, [p.signature for p in fresh])
    report.joined_story += sum(1 for i in ids if stories[i] != i)
    article_rows, sentence_rows = [], []
    for article_id, prepared in zip(ids, fresh, strict=True):
        article = prepared.article
        report.chars += len(article.text_raw)
        article_rows.append(
            (
                article_id, prepared.content_hash, stories[article_id], report.batch_id, article.source_path,
                article.locator, article.source_name, article.url, article.title_raw,
                prepared.title_norm or None, article.byline,
                article.published, article.date_source,
                article.undated_reason if article.published is None else None,
                article.text_raw, len(article.text_raw),
                json.dumps(article.extra, ensure_ascii=False) if article.extra else None,
            )
        )
        sentence_rows.extend(
            (article_id, s.seq, s.paragraph, s.start, s.end, s.text_raw, s.text_norm, s.is_boilerplate,
             s.boilerplate_reason)
            for s in article.sentences
        )
    write.append_rows(con, "articles", _table(ARTICLE_COLUMNS, article_rows))
    write.append_rows(con, "sentences", _table(SENTENCE_COLUMNS, sentence_rows))
    store_analysis(con, [(i, p.analysis) for i, p in zip(ids, fresh, strict=True)])
    search.index_articles(con, ids, search.postings_table((i, p.postings) for i, p in zip(ids, fresh, strict=True)))
    report.added += len(fresh)


ARTICLE_COLUMNS = (
    "article_id", "content_hash", "story_id", "batch_id", "source_path", "locator", "source_name", "url",
    "title_raw", "title_norm", "byline", "published", "date_source", "undated_reason", "text_raw",
    "char_count", "extra",
)
SENTENCE_COLUMNS = (
    "article_id", "seq", "paragraph", "start_char", "end_char", "text_raw", "text_norm", "is_boilerplate",
    "boilerplate_reason",
)


# Candidates checked per new article, per source (stored articles, and earlier ones in the same chunk).
MAX_CANDIDATES = 16


def _assign_stories(con, ids: list[int], sigs: list[np.ndarray]) -> dict[int, int]:
    """story_id per new article (with MinHash signature `sigs`): the story of its most similar earlier article,
    else its own id.

    LSH buckets propose candidates (stored ones and earlier ones in this chunk); signature similarity decides.
    """
    band_rows = [
        (row, band, bucket) for row, sig in enumerate(sigs) for band, bucket in enumerate(fingerprint.band_buckets(sig))
    ]
    table = pa.table(
        {
            "row_index": pa.array([r for r, _, _ in band_rows], pa.int64()),
            "band": pa.array([b for _, b, _ in band_rows], pa.int16()),
            "bucket": pa.array([k for _, _, k in band_rows], pa.uint64()),
        }
    )
    candidates: dict[int, set[int]] = {}
    for row, other, _shared in write.bucket_matches(con, table, MAX_CANDIDATES):
        candidates.setdefault(row, set()).add(other)
    by_bucket: dict[tuple[int, int], list[int]] = {}
    for row, band, bucket in band_rows:
        earlier = by_bucket.setdefault((band, bucket), [])
        candidates.setdefault(row, set()).update(ids[e] for e in earlier)
        # The first members of a bucket stand for it; copies beyond that would only make the work quadratic.
        if len(earlier) < MAX_CANDIDATES:
            earlier.append(row)
    stored_ids = sorted({c for cs in candidates.values() for c in cs if c < ids[0]})
    known = {i: fingerprint.from_blob(b) for i, b in write.signatures(con, stored_ids).items()}
    known.update(zip(ids, sigs, strict=True))
    stories = write.story_of(con, stored_ids)
    for row, article_id in enumerate(ids):
        scored = [(fingerprint.similarity(sigs[row], known[c]), -c) for c in candidates.get(row, ()) if c in known]
        best = max(scored, default=(0.0, 0))
        stories[article_id] = stories[-best[1]] if best[0] >= fingerprint.SAME_STORY else article_id
    write.append_rows(
        con,
        "story_buckets",
        pa.table(
            {
                "band": table["band"],
                "bucket": table["bucket"],
                "article_id": pa.array([ids[r] for r, _, _ in band_rows], pa.int64()),
            }
        ),
    )
    write.append_rows(
        con,
        "story_signatures",
        pa.table({"article_id": pa.array(ids, pa.int64()), "signature": [fingerprint.to_blob(s) for s in sigs]}),
    )
    return {i: stories[i] for i in ids}


def store_analysis(con, results: list[tuple[int, ArticleAnalysis]]) -> None:
    topics, evidence, mentions, entities, quotes, quantities = [], [], [], {}, [], []
    for article_id, result in results:
        for tag in result.topics:
            topics.append((article_id, tag.topic, tag.score))
            evidence.extend((article_id, e.topic, e.seq, e.term, e.start, e.end) for e in tag.evidence)
        for m in result.mentions:
            mentions.append((article_id, m.entity_key, m.seq, m.surface, m.start, m.end, m.method))
            entities[m.entity_key] = (m.entity_key, m.entity_type, m.canonical, m.latin)
        quotes.extend((article_id, q.speaker_key, q.speaker_surface, q.quote, q.seq) for q in result.quotations)
        quantities.extend(
            (article_id, q.low, q.high, q.unit, q.kind, q.surface, q.seq) for q in result.quantities
        )
    write.append_rows(con, "article_topics", _table(("article_id", "topic", "score"), topics))
    write.append_rows(
        con, "topic_evidence", _table(("article_id", "topic", "seq", "term", "start_char", "end_char"), evidence)
    )
    write.upsert_entities(
        con, _table(("entity_key", "entity_type", "canonical", "latin"), list(entities.values()))
    )
    write.append_rows(
        con,
        "entity_mentions",
        _table(("article_id", "entity_key", "seq", "surface", "start_char", "end_char", "method"), mentions),
    )
    write.append_rows(con, "quotations", _table(("article_id", "speaker_key", "speaker_surface", "quote", "seq"), quotes))
    write.append_rows(
        con, "quantities", _table(("article_id", "low", "high", "unit", "kind", "surface", "seq"), quantities)
    )


def retag(db_path: Path | None = None, progress: Progress | None = None) -> int:
    """Re-run analysis over every stored article (after a taxonomy or gazetteer edit). Returns articles done."""
    from basira.model import Sentence

    done = 0
    analysis.reload()  # the point of a retag is to pick up edited data files
    with store.writer(db_path) as con:
        _refresh_taxonomy(con)
        write.clear_analysis(con)
        after = 0
        last = write.next_article_id(con) - 1
        while after < last:
            rows = write.article_sentences(con, after, CHUNK)
            results = [
                (article_id, analysis.analyze_article([Sentence(*s) for s in sentences], title))
                for article_id, title, sentences in rows
            ]
            store_analysis(con, results)
            done += len(rows)
            after += CHUNK
            if progress:
                progress(done, "re-analysed")
        search.rebuild_summaries(con)
    return done


def _table(columns: tuple[str, ...], rows: list[tuple]) -> pa.Table:
    if not rows:
        return pa.table({c: pa.array([], pa.null()) for c in columns})
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})


def build_default(db_path: Path | None = None, seeds: Path | None = None) -> IngestReport | None:
    """Build the default database from seeds/ when it is missing (first `make run`)."""
    db_path = Path(db_path or store.default_db_path())
    if db_path.exists():
        return None
    return ingest_paths([seeds or store.ROOT / "seeds"], db_path)

