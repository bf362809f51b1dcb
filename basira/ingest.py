"""The ingest pipeline: parsed records -> identity, dedupe, story clusters, analysis -> one store batch.

A batch is one writer generation (see store.py): it lands whole or not at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import multiprocessing
import os
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import astuple, dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from basira import analysis, boilerplate, fingerprint, normalize, reader, search, sentences, store
from basira.model import ArticleAnalysis, ParsedArticle, Rejection, Sentence
from basira.normalize import clean_raw, normalize_text, rejoined_norms, tokenize
from basira.queries import paragraphs, set_meta, write

CHUNK = 1000
# Articles rehashed per read of the stored sentences (rehash): hashing is light, so reads are larger than CHUNK.
REHASH_CHUNK = 10_000
WORKERS_ENV = "BASIRA_WORKERS"
MAX_DEFAULT_WORKERS = 4
# Below this many records a pool costs more than it saves (forking, and the first units' latency).
PARALLEL_MIN_RECORDS = 200
# JSONL lines per unit of work sent to a worker: small enough to spread a file, large enough that the
# per-task overhead (pickling, queues) stays under a percent.
UNIT_LINES = 100
# Units in flight: the writer submits more only as it takes results, and takes a whole chunk before storing
# it; enough for two chunks keeps the workers busy while it stores one (and bounds memory).
AHEAD_CHUNKS = 2
_PR_SET_PDEATHSIG = 1
EXCERPT_CHARS = 200
Progress = Callable[[int, str], None]
# The note of the read-ahead's progress calls (see _foresee): its counts are a first pass over the same records.
READ_AHEAD_NOTE = "read ahead for paragraphs repeated on a site"
# Share of a progress bar the read-ahead fills; the storing pass fills the rest, up to PROGRESS_CAP until done.
READ_AHEAD_SHARE = 0.1
# The note of the migration's progress calls (rehash), which count stored articles, not records: "re-hashing stored
# articles 5,000/1,000,000" (rehash_note).
REHASH_NOTE = "re-hashing stored articles"
PROGRESS_CAP = 0.95


class ProgressBar:
    """A progress bar's fraction from an ingest's progress calls, never going back. The number of records is known
    only once they are all read: the storing pass approaches the cap as records come, unless a read-ahead counted
    them first, in which case it is a true share of that count (before, the bar filled with the read-ahead and
    dropped back to the start when storing began)."""

    def __init__(self) -> None:
        self.total = 0
        self.shown = 0.0

    def fraction(self, done: int, note: str) -> float:
        if note.startswith(REHASH_NOTE):
            return self.shown  # before any record is read; its count (of stored articles) says how far it is
        if note == READ_AHEAD_NOTE:
            self.total = max(self.total, done)
            share = READ_AHEAD_SHARE * done / (done + CHUNK)
        elif self.total:
            share = READ_AHEAD_SHARE + (PROGRESS_CAP - READ_AHEAD_SHARE) * min(done / self.total, 1.0)
        else:
            share = PROGRESS_CAP * done / (done + CHUNK)
        self.shown = min(max(self.shown, share), PROGRESS_CAP)
        return self.shown


def rehash_note(done: int, total: int) -> str:
    return f"{REHASH_NOTE} {done:,}/{total:,}"


def progress_text(done: int, note: str) -> str:
    """A progress call as the CLI and the Ingest page show it: the migration says its own count of stored articles,
    the passes over the inputs count records."""
    return note if note.startswith(REHASH_NOTE) else f"{done:,} records: {note}"


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
    # New articles with a paragraph that became repeated on their site during the batch whose analysis changed
    # (analysed again); those with one the store already counted were analysed without it the first time.
    repeated: int = 0
    retag_pending: int = 0  # stored articles analysed before one of their paragraphs recurred (retag corrects them)
    older_taxonomy: str | None = None  # the taxonomy that articles stored before this batch were tagged with, if older

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
        if self.repeated:
            lines.append(f"  {self.repeated} new articles analysed without a paragraph repeated on their site's pages")
        if self.retag_pending:
            lines.append(
                f"  {self.retag_pending} stored articles hold a paragraph that now recurs on their site"
                " (a sidebar): run `retag` to stop counting it"
            )
        if self.older_taxonomy:
            lines.append(
                f"  articles stored before this batch were tagged with taxonomy {self.older_taxonomy}, the new ones with"
                f" {analysis.taxonomy_version()}: run `retag` so that counts do not mix the two"
            )
        return "\n".join(lines)


class StoreOutdated(Exception):
    """The store's matching forms come from another normalize.VERSION: new articles folded by this one would not
    be found as duplicates of stored ones, nor by the same searches, until `retag` remakes the stored forms."""

    def __init__(self, stored: str) -> None:
        super().__init__(
            f"the database's text was normalised by version {stored} of Basira's Arabic folding and this is version"
            f" {normalize.VERSION}: nothing was ingested. Run `python -m basira retag` first (it keeps every"
            " article and remakes the folded forms, the duplicate keys and the search index)."
        )
        self.stored = stored


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
        if not value.isdigit():
            raise ValueError(f"{WORKERS_ENV} must be a whole number of processes, not {value!r}")
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
    _LABELS.clear()

    def read() -> Iterator[tuple[reader.Unit, Path]]:
        return ((unit, path) for path in paths for unit in reader.read_units(path, UNIT_LINES))

    units = read()
    first: list[tuple[reader.Unit, Path]] = []
    if workers > 1:
        for unit in units:
            first.append(unit)
            if sum(u.records for u, _ in first) >= PARALLEL_MIN_RECORDS:
                break
        else:
            workers = 1
    units = chain(first, units)
    if workers <= 1:
        tasks = ((_parse_unit, unit, root) for unit, root in units)
        keys = (_key_unit(unit, root) for unit, root in read())
        return _ingest(lambda con: _serial(tasks, con), inputs, db_path, progress, foresight=lambda: keys)
    db_path = Path(db_path or store.default_db_path())
    # The workers are forked before this process opens any DuckDB connection (a fork copies no DuckDB
    # threads), after the analysers are loaded (the workers share them instead of loading their own).
    analysis.taxonomy()
    upgrade_store(db_path, progress)
    with _known_keys(*_stored_keys(db_path)):
        # Everything loaded so far lives as long as the process: frozen, the collector of every process stops
        # scanning it (and stops touching the pages the workers share with this one).
        gc.freeze()
        try:
            with _pool(workers) as pool:
                ahead = AHEAD_CHUNKS * CHUNK // UNIT_LINES + workers
                return _ingest(
                    lambda con: _items(_ordered(pool, _parse_unit, units, ahead)),
                    inputs,
                    db_path,
                    progress,
                    writer_threads(workers),
                    foresight=lambda: _ordered(pool, _key_unit, read(), ahead),
                )
        finally:
            gc.unfreeze()


class _SourceLabels:
    """Items named as the store shows them (display_path of the file, else of the path given). display_path
    resolves the file system, so it runs once per distinct file rather than once per record."""

    def __init__(self) -> None:
        self._shown: dict[tuple[str, Path], str] = {}

    def clear(self) -> None:
        self._shown.clear()  # display_path depends on the working directory, which may change between ingests

    def apply(self, item: ParsedArticle | Rejection, root: Path) -> ParsedArticle | Rejection:
        key = (item.source_path, root)
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = display_path(item.source_path) if item.source_path else display_path(root)
        if isinstance(item, Rejection):
            return Rejection(shown, item.locator, item.reason, item.detail, item.excerpt)
        item.source_path = shown
        return item


_LABELS = _SourceLabels()


def ingest_uploads(
    files: Iterable[tuple[str, bytes]], db_path: Path | None = None, progress: Progress | None = None
) -> IngestReport:
    # An upload's name comes from the browser: it is only ever a label (never a path), shown without the
    # bidi and control characters that could disguise it.
    files = [(source_label(name), data) for name, data in files]

    def records() -> Iterator[ParsedArticle | Rejection]:
        for name, data in files:
            yield from reader.read_bytes(name, data)

    return ingest_records(
        records(), "upload: " + ", ".join(name for name, _ in files), db_path, progress, again=records
    )


def ingest_records(
    records: Iterable[ParsedArticle | Rejection],
    inputs: str,
    db_path: Path | None = None,
    progress: Progress | None = None,
    again: Callable[[], Iterable[ParsedArticle | Rejection]] | None = None,
) -> IngestReport:
    """Ingest parsed records, in this process. `again` gives the same records once more, for the read-ahead that
    finds the paragraphs the batch repeats before anything is analysed (see _foresee). Without it (records that
    can be read only once, a stream) a paragraph that starts to recur late in a batch of more than CHUNK records
    leaves the batch's earlier articles holding it to `retag`, as a later batch does."""
    foresight = None
    if again is not None:

        def foresight() -> Iterator[KeyTables]:
            return (_paragraph_keys(piece) for piece in _pieces(again()))

    return _ingest(
        lambda con: _serial(((_given, piece, None) for piece in _pieces(records)), con),
        inputs,
        db_path,
        progress,
        foresight=foresight,
    )


def _pieces(records: Iterable[ParsedArticle | Rejection]) -> Iterator[list[ParsedArticle | Rejection]]:
    iterator = iter(records)
    return iter(lambda: list(islice(iterator, UNIT_LINES)), [])


# Columns of the tables a prepared unit carries. `row` numbers the unit's articles; the writer keeps the rows
# of the new articles and puts their article_id in its place.
_STR, _I32 = pa.string(), pa.int32()
UNIT_SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [("row", _I32), ("content_hash", _STR), ("source_path", _STR), ("locator", _STR), ("source_name", _STR),
         ("url", _STR), ("title_raw", _STR), ("title_norm", _STR), ("byline", _STR), ("published", pa.date32()),
         ("date_source", _STR), ("undated_reason", _STR), ("text_raw", _STR), ("char_count", _I32), ("extra", _STR)]
    ),
    "sentences": pa.schema(
        [("row", _I32), ("seq", _I32), ("paragraph", _I32), ("start_char", _I32), ("end_char", _I32),
         ("text_raw", _STR), ("text_norm", _STR), ("is_boilerplate", pa.bool_()), ("boilerplate_reason", _STR)]
    ),
    "article_topics": pa.schema([("row", _I32), ("topic", _STR), ("score", pa.float64())]),
    "topic_evidence": pa.schema(
        [("row", _I32), ("topic", _STR), ("seq", _I32), ("term", _STR), ("start_char", _I32), ("end_char", _I32)]
    ),
    # With the entity's description: the writer derives the entities table from the mentions it keeps.
    "entity_mentions": pa.schema(
        [("row", _I32), ("entity_key", _STR), ("seq", _I32), ("surface", _STR), ("start_char", _I32),
         ("end_char", _I32), ("method", _STR), ("entity_type", _STR), ("canonical", _STR), ("latin", _STR)]
    ),
    "quotations": pa.schema(
        [("row", _I32), ("speaker_key", _STR), ("speaker_surface", _STR), ("quote", _STR), ("seq", _I32)]
    ),
    "quantities": pa.schema(
        [("row", _I32), ("low", pa.int64()), ("high", pa.int64()), ("unit", _STR), ("kind", _STR),
         ("surface", _STR), ("seq", _I32)]
    ),
    "postings": pa.schema([("row", _I32), ("term_id", pa.int64()), ("stem", _STR), ("tf", _I32)]),
    "paragraphs": pa.schema([("row", _I32), ("paragraph", _I32), ("fingerprint", pa.int64()), ("page", pa.int64())]),
    "texts": pa.schema([("row", _I32), ("body", pa.binary())]),
}
# The sentences table's columns (a Sentence's fields, after its article's id).
SENTENCE_COLUMNS = ("article_id", *UNIT_SCHEMAS["sentences"].names[1:])
ANALYSIS_TABLES = ("article_topics", "topic_evidence", "entity_mentions", "quotations", "quantities")
# The analysis tables whose rows point to a sentence (article_topics scores come from topic_evidence).
_ROWS_BY_SENTENCE = ANALYSIS_TABLES[1:]
_ENTITY_COLUMNS = ("entity_key", "entity_type", "canonical", "latin")
_SPELLINGS = "entity_spellings"  # derived from entity_mentions by the writer (_spellings)


def _columns(schema: pa.Schema, rows: list[tuple]) -> pa.Table:
    """A table of `schema` from row tuples (in the schema's column order)."""
    if not rows:
        return schema.empty_table()
    return pa.Table.from_arrays(
        [pa.array(list(values), f.type) for values, f in zip(zip(*rows), schema, strict=True)], schema=schema
    )


def _analysis_tables(results: list[tuple[int, ArticleAnalysis]]) -> dict[str, pa.Table]:
    """Rows of ANALYSIS_TABLES for (row, analysis) pairs, the row first in every table."""
    topics, evidence, mentions, quotes, quantities = [], [], [], [], []
    for row, result in results:
        for tag in result.topics:
            topics.append((row, tag.topic, tag.score))
            evidence.extend((row, e.topic, e.seq, e.term, e.start, e.end) for e in tag.evidence)
        mentions.extend(
            (row, m.entity_key, m.seq, m.surface, m.start, m.end, m.method, m.entity_type, m.canonical, m.latin)
            for m in result.mentions
        )
        quotes.extend((row, q.speaker_key, q.speaker_surface, q.quote, q.seq) for q in result.quotations)
        quantities.extend((row, q.low, q.high, q.unit, q.kind, q.surface, q.seq) for q in result.quantities)
    found = dict(zip(ANALYSIS_TABLES, (topics, evidence, mentions, quotes, quantities), strict=True))
    return {name: _columns(UNIT_SCHEMAS[name], rows) for name, rows in found.items()}


@dataclass
class Prepared:
    """A unit of input made ready to store, by a worker or by the writer itself: its items in order
    (a Rejection, or the row number of an article), each article's identity, and table rows by article row.

    An article whose hash looks stored already is only hashed: it is kept as parsed in `skipped`, and should
    it turn out to be new, the writer prepares it (see _prepare_skipped)."""

    items: list[Rejection | int]
    keys: list[tuple[str, str, str, str | None]]  # (content_hash, source_path, locator, url) per row
    tables: dict[str, pa.Table]
    signatures: np.ndarray  # (rows, PERMUTATIONS); zeros for skipped rows
    buckets: np.ndarray  # (rows, BANDS); zeros for skipped rows
    skipped: dict[int, ParsedArticle]


class _Rows:
    """Table rows, signatures and LSH bands of the articles of a unit, by row."""

    def __init__(self) -> None:
        self.articles: list[tuple] = []
        self.sentences: list[tuple] = []
        self.postings: list[tuple[int, list[str]]] = []  # the tokens of each row's indexed text
        self.texts: list[tuple[int, bytes]] = []
        self.paragraphs: list[tuple[int, int, int]] = []
        self.results: list[tuple[int, ArticleAnalysis]] = []
        self.story_tokens: list[tuple[int, list[str]]] = []  # signed all at once by fill()

    def add(self, row: int, record: ParsedArticle, title: str, content_hash: str) -> None:
        self.articles.append(
            (
                row, content_hash, record.source_path, record.locator, record.source_name, record.url,
                record.title_raw, title or None, record.byline, record.published, record.date_source,
                record.undated_reason if record.published is None else None,
                record.text_raw, len(record.text_raw),
                json.dumps(record.extra, ensure_ascii=False) if record.extra else None,
            )
        )
        site, page = boilerplate.site_key(record.source_name), boilerplate.page_key(record.url, content_hash)
        found = boilerplate.paragraph_fingerprints(record.sentences, site)
        self.paragraphs.extend((row, p, fp, page) for p, fp in found)
        # The story signature is of the article as read (the writer's flags never changed it); what is stored,
        # indexed and analysed is without the paragraphs the store already counts as repeated on the site.
        tokens = fingerprint.story_tokens(record)
        self.story_tokens.append((row, tokens))
        shown = _without_known_repeats(record.sentences, found)
        if shown is not record.sentences:
            tokens = fingerprint.story_tokens_of(s.text_norm for s in shown if not s.is_boilerplate)
        self.sentences.extend(
            (row, s.seq, s.paragraph, s.start, s.end, s.text_raw, s.text_norm, s.is_boilerplate, s.boilerplate_reason)
            for s in shown
        )
        self.postings.append((row, tokens + tokenize(title) if title else tokens))
        by_seq = sorted(shown, key=lambda s: s.seq)
        self.texts.append((row, search.phrase_body(title, (s.text_norm for s in by_seq if not s.is_boilerplate))))
        self.results.append((row, analysis.analyze_article(shown, record.title_raw)))

    def tables(self) -> dict[str, pa.Table]:
        return {
            "articles": _columns(UNIT_SCHEMAS["articles"], self.articles),
            "sentences": _columns(UNIT_SCHEMAS["sentences"], self.sentences),
            "postings": _postings_table(self.postings),
            "texts": _columns(UNIT_SCHEMAS["texts"], self.texts),
            "paragraphs": _columns(UNIT_SCHEMAS["paragraphs"], self.paragraphs),
            **_analysis_tables(self.results),
        }

    def fill(self, signatures: np.ndarray, buckets: np.ndarray) -> None:
        if self.story_tokens:
            rows = [row for row, _ in self.story_tokens]
            found = fingerprint.signatures([tokens for _, tokens in self.story_tokens])
            signatures[rows] = found
            buckets[rows] = fingerprint.band_matrix(found)


def _prepare(records: Iterable[ParsedArticle | Rejection]) -> Prepared:
    items: list[Rejection | int] = []
    keys: list[tuple[str, str, str, str | None]] = []
    skipped: dict[int, ParsedArticle] = {}
    rows = _Rows()
    for record in records:
        if isinstance(record, Rejection):
            items.append(record)
            continue
        row = len(keys)
        items.append(row)
        title = fingerprint.title_norm(record)
        content_hash = fingerprint.content_hash(record, title)
        keys.append((content_hash, record.source_path, record.locator, record.url))
        if _probably_stored(content_hash):
            skipped[row] = record
        else:
            rows.add(row, record, title, content_hash)
    signatures = np.zeros((len(keys), fingerprint.PERMUTATIONS), dtype=np.uint64)
    buckets = np.zeros((len(keys), fingerprint.BANDS), dtype=np.uint64)
    rows.fill(signatures, buckets)
    return Prepared(items, keys, rows.tables(), signatures, buckets, skipped)


def _postings_table(rows: list[tuple[int, list[str]]]) -> pa.Table:
    found = search.postings_table(rows)
    schema = UNIT_SCHEMAS["postings"]
    return pa.Table.from_arrays(
        [found["article_id"].cast(_I32), found["term_id"], found["stem"], found["tf"]], schema=schema
    )


def _parse_unit(unit: reader.Unit, root: Path) -> Prepared:
    """A worker's task: parse a unit of a file given as `root`, and prepare it."""
    return _prepare(_LABELS.apply(item, root) for item in reader.parse_unit(unit))


def _given(records: list[ParsedArticle | Rejection], _root: None) -> Prepared:
    return _prepare(records)


# What the read-ahead keeps of a unit's articles, by row (their order in the unit): (row, content_hash) and
# (row, fingerprint, page) of each paragraph counted for repeats. Hashes only: a batch of a million articles
# leaves its text on disk.
KeyTables = tuple[pa.Table, pa.Table]


def _paragraph_keys(records: Iterable[ParsedArticle | Rejection]) -> KeyTables:
    hashes: list[str] = []
    rows: list[int] = []
    keys: list[int] = []
    pages: list[int] = []
    for record in records:
        if isinstance(record, Rejection):
            continue
        content_hash = fingerprint.content_hash(record)
        page = boilerplate.page_key(record.url, content_hash)
        for _, key in boilerplate.paragraph_fingerprints(record.sentences, boilerplate.site_key(record.source_name)):
            rows.append(len(hashes))
            keys.append(key)
            pages.append(page)
        hashes.append(content_hash)
    return _key_tables(hashes, rows, keys, pages)


def _key_tables(hashes: list[str], rows: list[int], keys: list[int], pages: list[int]) -> KeyTables:
    articles = pa.table({"row": pa.array(range(len(hashes)), pa.int64()), "content_hash": pa.array(hashes, _STR)})
    paragraph_keys = pa.table(
        {"row": pa.array(rows, pa.int64()), "fingerprint": pa.array(keys, pa.int64()), "page": pa.array(pages, pa.int64())}
    )
    return articles, paragraph_keys


def _key_unit(unit: reader.Unit, root: Path) -> KeyTables:
    """A worker's read-ahead task: the paragraph keys of a unit's articles (see _foresee). A unit of JSONL lines
    (nearly every record of a large batch) is cut to the fields the keys read, the same keys as _paragraph_keys
    of its parsed articles at ~40% less CPU (bench/RESULTS.md); any other is parsed."""
    fields = reader.key_fields(unit)
    if fields is None:
        return _paragraph_keys(reader.parse_unit(unit))
    hashes: list[str] = []
    rows: list[int] = []
    keys: list[int] = []
    pages: list[int] = []
    for field in fields:
        if field is None:
            continue
        # Neither key depends on where sentences end, so the body is not split (bench/RESULTS.md, round 22).
        lines = sentences.paragraph_norms(field.text_raw)
        title = normalize_text(field.title_raw) if field.title_raw else ""
        content_hash = fingerprint.hash_of(title, fingerprint.body_norm(lines))
        page = boilerplate.page_key(field.url, content_hash)
        site = boilerplate.site_key(field.source_name)
        for _, key in boilerplate.fingerprints_of_paragraphs(enumerate(lines), site):
            rows.append(len(hashes))
            keys.append(key)
            pages.append(page)
        hashes.append(content_hash)
    return _key_tables(hashes, rows, keys, pages)


# Sorted 64-bit prefixes of the content hashes stored before this batch: an article whose hash is among them
# is almost surely a duplicate, so it is only hashed (re-ingesting a folder costs parsing, not analysis).
# Workers get it by the fork. A prefix collision only means the writer prepares that article itself.
_known_prefixes: np.ndarray = np.empty(0, dtype=np.uint64)

# Sorted fingerprints of the paragraphs the store counted on REPEAT_MIN_PAGES pages of their site before this batch.
# Counts only grow while a batch is stored, so the writer would flag these paragraphs in every new article and
# analyse it again (_flag_repeated): flagged before analysis, the article is analysed once. On a store that has
# seen its sites' sidebars that was nearly every new article (bench/RESULTS.md, round 21). Workers get it by the
# fork; read before the writer lock, it is checked against the writer's generation (_check_known_repeats).
_known_repeats: np.ndarray = np.empty(0, dtype=np.int64)


@contextlib.contextmanager
def _known_keys(prefixes: np.ndarray, repeats: np.ndarray) -> Iterator[None]:
    """_known_prefixes and _known_repeats set for one ingest (the workers fork inside it), and emptied after."""
    global _known_prefixes, _known_repeats
    _known_prefixes, _known_repeats = prefixes, repeats
    try:
        yield
    finally:
        _known_prefixes, _known_repeats = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)


def _without_known_repeats(article: list[Sentence], paragraph_keys: list[tuple[int, int]]) -> list[Sentence]:
    """The sentences with the paragraphs among `paragraph_keys` ((paragraph, fingerprint)) that the store already
    counts as repeated flagged 'repeated_paragraph' as the writer flags them; the same list when there are none."""
    known = _known_repeats
    if not known.size or not paragraph_keys:
        return article
    keys = np.fromiter((fp for _, fp in paragraph_keys), np.int64, len(paragraph_keys))
    at = np.minimum(np.searchsorted(known, keys), known.size - 1)
    repeated = {p for (p, _), hit in zip(paragraph_keys, (known[at] == keys).tolist(), strict=True) if hit}
    if not any(s.paragraph in repeated and not s.is_boilerplate for s in article):
        return article
    return boilerplate.flag_paragraphs(article, repeated)


def _check_known_repeats(con) -> None:
    """The known repeats were read from the generation live before the writer took the lock: a generation that
    landed meanwhile can count fewer (a retag that renormalised forgets the counts), and the workers would flag
    paragraphs the writer does not."""
    if paragraphs.not_repeated(con, _known_repeats, boilerplate.REPEAT_MIN_PAGES):
        raise RuntimeError("the store changed before this ingest began; nothing was stored: ingest it again")


def _stored_keys(db_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The stored hash prefixes (see _known_prefixes) and repeated paragraphs (see _known_repeats)."""
    empty = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    if not db_path.exists():
        return empty
    try:
        # A short-lived read-only connection: closing it stops DuckDB's threads before the fork.
        con = duckdb.connect(str(store.generation_file(db_path)), read_only=True)
    except (duckdb.Error, OSError):
        return empty  # swapped or removed meanwhile: both are only optimisations
    # Each read on its own: a store written before paragraph_counts existed still gives its hash prefixes.
    try:
        try:
            prefixes = write.hash_prefixes(con)
        except duckdb.Error:
            prefixes = empty[0]
        try:
            repeats = paragraphs.repeated_fingerprints(con, boilerplate.REPEAT_MIN_PAGES)
        except duckdb.Error:
            repeats = empty[1]
        return prefixes, repeats
    finally:
        con.close()


def _probably_stored(content_hash: str) -> bool:
    known = _known_prefixes
    if not known.size:
        return False
    key = np.uint64(int(content_hash[:16], 16))
    at = int(np.searchsorted(known, key))
    return at < known.size and known[at] == key


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


Item = tuple[Prepared, Rejection | int]


def _items(prepared: Iterable[Prepared]) -> Iterator[Item]:
    for unit in prepared:
        for item in unit.items:
            yield unit, item


_Done = TypeVar("_Done")


def _ordered(
    pool: ProcessPoolExecutor, task: Callable[[reader.Unit, Path], _Done], units: Iterable[tuple[reader.Unit, Path]],
    ahead: int,
) -> Iterator[_Done]:
    """`task` of each unit, done by the workers, in the units' order, with at most `ahead` units in flight."""
    pending: deque[Future] = deque()
    for unit, root in units:
        pending.append(pool.submit(task, unit, root))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _serial(tasks: Iterable[tuple[Callable, object, Path | None]], con) -> Iterator[Item]:
    """The items of units prepared here, one at a time, skipping analysis of the articles already stored."""
    with _known_keys(write.hash_prefixes(con), paragraphs.repeated_fingerprints(con, boilerplate.REPEAT_MIN_PAGES)):
        yield from _items(task(piece, root) for task, piece, root in tasks)


def writer_threads(workers: int) -> int:
    """DuckDB threads for the writer beside `workers` worker processes: the cores they leave, at least one.
    The writer's statements are small (a chunk of 1,000 articles); a second thread on a core a worker needs
    only adds the cost of splitting and merging their work: 15-20% of the writer's CPU on 2 cores."""
    return max(1, (os.cpu_count() or 1) - workers)


def _ingest(
    items: Callable[[object], Iterable[Item]],
    inputs: str,
    db_path: Path | None,
    progress: Progress | None,
    threads: int | None = None,
    foresight: Callable[[], Iterable[KeyTables]] | None = None,
) -> IngestReport:
    """Store the batch of `items`. `foresight` reads the same inputs once more, ahead (see _foresee), when they
    hold more than one chunk; without it the batch's articles are flagged with the counts of the chunks stored
    up to theirs."""
    report = IngestReport()
    started = time.perf_counter()
    with store.writer(db_path) as con:
        if threads is not None:
            write.set_threads(con, threads)
        if outdated := write.outdated_normalization(con):
            raise StoreOutdated(outdated)
        write.set_normalization(con, normalize.VERSION)
        _upgrade_hashes(con, progress)
        if not write.outdated_sentence_rules(con, sentences.RULES):
            # A store cut by older rules keeps saying so (retag cuts it again), whatever this batch adds.
            write.set_sentence_rules(con, sentences.RULES)
        _check_known_repeats(con)
        report.batch_id = write.start_batch(con, inputs)
        report.older_taxonomy = write.mark_older_taxonomy(con, analysis.taxonomy_version())
        _refresh_taxonomy(con)
        known_rejections = write.known_rejections(con)
        candidates = _StoredCandidates()
        iterator = iter(items(con))
        head = list(islice(iterator, CHUNK + 1))
        # A batch of one chunk has all its paragraphs counted before any is flagged: only a longer one is read ahead.
        foreseen = foresight is not None and len(head) > CHUNK
        if foreseen:
            _foresee(con, foresight(), progress)
        iterator = chain(head, iterator)
        del head  # else the first chunk's prepared units would live as long as the batch
        while chunk := list(islice(iterator, CHUNK)):
            _ingest_chunk(con, chunk, report, known_rejections, candidates, foreseen)
            if progress:
                progress(report.seen, f"{report.added} added, {report.duplicates} duplicates")
        if foreseen and paragraphs.unfulfilled_foresight(con, boilerplate.REPEAT_MIN_PAGES):
            # Flags were set on paragraphs that did not recur after all: nothing of the batch is stored.
            raise RuntimeError("an input changed while it was being ingested; nothing was stored: ingest it again")
        if report.added:
            report.retag_pending = paragraphs.count_pending(con, boilerplate.REPEAT_MIN_PAGES)
            search.compact_after_batch(con, report.added)
        write.finish_batch(con, report.batch_id, report.added, report.duplicates, sum(report.rejected.values()))
    report.seconds = time.perf_counter() - started
    return report


def _foresee(con, keyed: Iterable[KeyTables], progress: Progress | None) -> None:
    """Count, before anything is analysed, the paragraphs the whole batch will add per site (batch_repeated): each
    chunk's articles are then flagged with the batch's counts, not only those of the chunks stored before theirs,
    and the batch leaves none of its own articles for `retag`. Costs a second read of the input: for JSON Lines, only what the keys read (_key_unit); no analysis."""
    record_paragraphs(con, write.next_article_id(con) - 1)  # the stored counts must cover every stored article
    paragraphs.start_foresight(con)
    done = 0
    pending: list[KeyTables] = []

    def flush() -> None:
        nonlocal done
        articles, keys = [], []
        for unit_articles, unit_keys in pending:
            articles.append(_numbered(unit_articles, done))
            keys.append(_numbered(unit_keys, done))
            done += unit_articles.num_rows
        paragraphs.foresee(con, pa.concat_tables(articles), pa.concat_tables(keys))
        pending.clear()
        if progress:
            progress(done, READ_AHEAD_NOTE)

    for tables in keyed:
        pending.append(tables)
        if sum(a.num_rows for a, _ in pending) >= CHUNK:
            flush()
    if pending:
        flush()
    paragraphs.foresee_repeats(con, boilerplate.REPEAT_MIN_PAGES)


def _numbered(table: pa.Table, first: int) -> pa.Table:
    """A read-ahead table with its unit's `row` turned into the batch's article number `ord`."""
    return table.set_column(0, "ord", pc.add(table["row"], pa.scalar(first, pa.int64())))


def _refresh_taxonomy(con) -> None:
    topics = analysis.taxonomy().topics.values()
    write.replace_topics(con, [(t.id, t.label, t.label_ar, t.description) for t in topics])
    set_meta(con, "taxonomy_version", analysis.taxonomy_version())


def _ingest_chunk(
    con, chunk: list[Item], report: IngestReport, known_rejections: set, candidates: _StoredCandidates,
    foreseen: bool = False,
) -> None:
    report.seen += len(chunk)
    _record_rejections(con, [item for _, item in chunk if isinstance(item, Rejection)], report, known_rejections)
    articles = [(unit, item) for unit, item in chunk if not isinstance(item, Rejection)]
    if not articles:
        return
    stored = write.existing_hashes(con, [unit.keys[row][0] for unit, row in articles])
    sighted = write.known_sightings(con, [unit.keys[row][1] for unit, row in articles])
    new_sightings = []
    fresh: list[tuple[Prepared, int]] = []
    for unit, row in articles:
        content_hash, source_path, locator, url = unit.keys[row]
        key = (content_hash, source_path, locator)
        if key not in sighted:
            sighted.add(key)
            new_sightings.append((*key, url, report.batch_id))
        if content_hash in stored:
            report.duplicates += 1
            continue
        stored.add(content_hash)
        fresh.append((unit, row))
    write.append_rows(
        con,
        "sightings",
        _table(("content_hash", "source_path", "locator", "url", "batch_id"), new_sightings),
    )
    if fresh:
        _store_articles(con, fresh, report, candidates, foreseen)


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


def _prepare_skipped(unit: Prepared, rows: list[int]) -> None:
    """Prepare the new articles that were skipped as probably stored; their rows join the unit's tables in
    row order (a stable sort keeps each article's rows as they were produced)."""
    found = _Rows()
    for row in rows:
        record = unit.skipped.pop(row)
        found.add(row, record, fingerprint.title_norm(record), unit.keys[row][0])
    found.fill(unit.signatures, unit.buckets)
    for name, table in found.tables().items():
        both = pa.concat_tables([unit.tables[name], table])
        unit.tables[name] = both.take(pc.sort_indices(both, [("row", "ascending")]))


def _kept(fresh_by_unit: list[tuple[Prepared, np.ndarray]], name: str) -> pa.Table:
    """Table `name` of the new articles, across units in order, with article_id in place of row."""
    parts = []
    for unit, id_of_row in fresh_by_unit:
        table = unit.tables[name]
        if table.num_rows == 0:
            continue
        ids = id_of_row[table["row"].to_numpy()]
        keep = ids >= 0
        if not keep.all():
            table = table.filter(pa.array(keep))
            ids = ids[keep]
        parts.append(table.drop_columns(["row"]).append_column("article_id", pa.array(ids, pa.int64())))
    if not parts:
        schema = UNIT_SCHEMAS[name]
        return schema.remove(schema.get_field_index("row")).append(pa.field("article_id", pa.int64())).empty_table()
    return pa.concat_tables(parts)


def _store_articles(
    con, fresh: list[tuple[Prepared, int]], report: IngestReport, candidates: _StoredCandidates, foreseen: bool = False
) -> None:
    first_id = write.next_article_id(con)
    ids = list(range(first_id, first_id + len(fresh)))
    fresh_by_unit: list[tuple[Prepared, np.ndarray]] = []
    for article_id, (unit, row) in zip(ids, fresh, strict=True):
        if not fresh_by_unit or fresh_by_unit[-1][0] is not unit:
            fresh_by_unit.append((unit, np.full(len(unit.keys), -1, dtype=np.int64)))
        fresh_by_unit[-1][1][row] = article_id
    for unit, id_of_row in fresh_by_unit:
        missing = [row for row in np.flatnonzero(id_of_row >= 0).tolist() if row in unit.skipped]
        if missing:
            _prepare_skipped(unit, missing)
    signatures = np.vstack([unit.signatures[id_of_row >= 0] for unit, id_of_row in fresh_by_unit])
    buckets = np.vstack([unit.buckets[id_of_row >= 0] for unit, id_of_row in fresh_by_unit])
    stories = _assign_stories(con, candidates, ids, signatures, buckets)
    report.joined_story += sum(1 for i in ids if stories[i] != i)
    articles = _kept(fresh_by_unit, "articles")
    report.chars += pc.sum(articles["char_count"]).as_py() or 0
    articles = articles.append_column("story_id", pa.array([stories[i] for i in ids], pa.int64()))
    articles = articles.append_column("batch_id", pa.array([report.batch_id] * len(ids), pa.int32()))
    write.append_rows(con, "articles", articles)
    write.append_rows(con, "sentences", _kept(fresh_by_unit, "sentences"))
    _store_analysis_tables(con, {name: _kept(fresh_by_unit, name) for name in ANALYSIS_TABLES})
    reanalysed, flagged = _flag_repeated(con, ids, _kept(fresh_by_unit, "paragraphs"), foreseen)
    # After the flags: an untitled article's opening is chosen past the paragraphs its site repeats.
    write.add_openings(con, articles)
    report.repeated += reanalysed
    postings, texts = search.reindexed(con, flagged, _kept(fresh_by_unit, "postings"), _kept(fresh_by_unit, "texts"))
    search.index_articles(con, ids, postings, texts)
    report.added += len(fresh)


# Candidates checked per new article, per source (stored articles, and earlier ones in the same chunk); and the
# members of an LSH bucket that stand for it (its first ones): copies beyond that would only make the work
# quadratic in the size of a story republished a thousand times.
MAX_CANDIDATES = 16
PER_BUCKET = MAX_CANDIDATES
# Chunks of a batch whose stored candidates are found by a query before the writer loads the stored buckets
# into memory. Both scan every stored bucket: at 1M articles a query took 0.4-0.8 s of CPU, loading 12-28 s
# (a shared machine), so a batch of up to 40k articles never loads, a larger one pays at most about twice the
# cheaper choice, and from then on a cost per article that does not grow with the store.
QUERY_CHUNKS = 40
# In memory a (band, bucket) pair is one 64-bit key: the band in the top 5 bits over the bucket hash's top 59.
# Two buckets of a band that share those 59 bits (odds 2^-59 a pair) only propose an extra candidate, which
# the signature then judges.
_HASH_SHIFT = 5
_LOAD_ROWS = 1 << 20


def bucket_keys(buckets: np.ndarray) -> np.ndarray:
    """The in-memory keys of an (n, BANDS) array of LSH buckets (write.bucket_keys computes the same in SQL)."""
    bands = np.arange(buckets.shape[1], dtype=np.uint64) << np.uint64(64 - _HASH_SHIFT)
    return bands | (buckets >> np.uint64(_HASH_SHIFT))


def _group_ranks(sorted_keys: np.ndarray, *more: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows sorted by (sorted_keys, *more): the index of each row's first equal row, and its rank among them."""
    if not sorted_keys.size:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    change = sorted_keys[1:] != sorted_keys[:-1]
    for other in more:
        change |= other[1:] != other[:-1]
    starts = np.flatnonzero(np.r_[True, change])
    first = np.repeat(starts, np.diff(np.r_[starts, sorted_keys.size]))
    return first, np.arange(sorted_keys.size) - first


def _expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, position) for positions starts[i] .. starts[i] + counts[i] - 1 of every i, in order."""
    owner = np.repeat(np.arange(counts.size), counts)
    offsets = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offsets


class _BucketIndex:
    """The first PER_BUCKET members (lowest article_id) of every stored LSH bucket, in memory: sorted runs of
    (key, article_id), newer runs holding higher ids, merged like a binary counter as they grow. A lookup is a
    binary search per run and an insert costs amortised O(log n) copies: flat in the size of the store, where
    a query scans every stored bucket. 12 bytes per kept bucket (0.35 GB at 1M short articles)."""

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    @classmethod
    def load(cls, con) -> _BucketIndex:
        total = write.bucket_count(con)
        keys, ids = np.empty(total, np.uint64), np.empty(total, np.uint32)
        at = 0
        for batch in write.bucket_keys(con, _HASH_SHIFT, _LOAD_ROWS):
            found = batch.num_rows
            keys[at : at + found] = batch.column(0).to_numpy(zero_copy_only=False)
            ids[at : at + found] = _checked_ids(batch.column(1).to_numpy(zero_copy_only=False))
            at += found
        keys, ids = keys[:at], ids[:at]
        order = np.argsort(keys, kind="stable")
        keys, ids = keys[order], ids[order]
        del order
        _, rank = _group_ranks(keys)
        if not bool(np.all((rank == 0)[1:] | (ids[1:] > ids[:-1]))):
            # Stored rows came out of article order: sort each bucket's members by id.
            order = np.lexsort((ids, keys))
            keys, ids = keys[order], ids[order]
            _, rank = _group_ranks(keys)
        keep = rank < PER_BUCKET
        index = cls()
        if keys.size:
            index._runs.append((keys[keep], ids[keep]))
        return index

    def members(self, probe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in `probe`, article_id) of every member of each probed key."""
        owners, found = [np.empty(0, np.int64)], [np.empty(0, np.uint32)]
        for keys, ids in self._runs:
            lo = np.searchsorted(keys, probe, "left")
            counts = np.searchsorted(keys, probe, "right") - lo
            owner, position = _expand(lo, counts)
            owners.append(owner)
            found.append(ids[position])
        return np.concatenate(owners), np.concatenate(found)

    def add(self, keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Add new articles' (key, article_id) pairs, ids higher than any stored; returns which were kept (the
        first PER_BUCKET members of each key)."""
        held = np.zeros(keys.size, np.int64)
        for run_keys, _ in self._runs:
            held += np.searchsorted(run_keys, keys, "right") - np.searchsorted(run_keys, keys, "left")
        order = np.lexsort((ids, keys))
        _, rank = _group_ranks(keys[order])
        kept_sorted = held[order] + rank < PER_BUCKET
        kept = np.zeros(keys.size, bool)
        kept[order[kept_sorted]] = True
        run = (keys[order][kept_sorted], _checked_ids(ids[order][kept_sorted]))
        if run[0].size:
            self._runs.append(run)
        while len(self._runs) > 1 and 2 * self._runs[-1][0].size >= self._runs[-2][0].size:
            newer = self._runs.pop()
            self._runs[-1] = _merge_runs(self._runs[-1], newer)
        return kept


def _checked_ids(ids: np.ndarray) -> np.ndarray:
    if ids.size and int(ids.max()) > np.iinfo(np.uint32).max:
        raise ValueError("article ids beyond 2^32 do not fit the in-memory story index")
    return ids.astype(np.uint32, copy=False)


def _merge_runs(older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One sorted run of two; among equal keys the older run's members (lower ids) come first."""
    (old_keys, old_ids), (new_keys, new_ids) = older, newer
    size = old_keys.size + new_keys.size
    at = np.searchsorted(old_keys, new_keys, "right") + np.arange(new_keys.size)
    rest = np.ones(size, bool)
    rest[at] = False
    keys, ids = np.empty(size, np.uint64), np.empty(size, np.uint32)
    keys[at], ids[at] = new_keys, new_ids
    keys[rest], ids[rest] = old_keys, old_ids
    return keys, ids


class _StoredCandidates:
    """Finds, per new article, the stored articles that share its LSH buckets: by query for the first
    QUERY_CHUNKS chunks of a batch, then from a _BucketIndex. Both give the same candidates: of each bucket its
    first PER_BUCKET members, of those the MAX_CANDIDATES sharing most bands (then the lowest ids)."""

    def __init__(self) -> None:
        self._queried = 0
        self._index: _BucketIndex | None = None

    def find(self, con, buckets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, article_id) pairs for an (n, BANDS) array of new articles' buckets."""
        n, bands = buckets.shape
        if self._index is None and self._queried >= QUERY_CHUNKS:
            self._index = _BucketIndex.load(con)
        if self._index is None:
            self._queried += 1
            table = pa.table(
                {
                    "row_index": pa.array(np.repeat(np.arange(n, dtype=np.int64), bands)),
                    "band": pa.array(np.tile(np.arange(bands, dtype=np.int16), n)),
                    "bucket": pa.array(buckets.reshape(-1), pa.uint64()),
                }
            )
            found = write.bucket_matches(con, table, PER_BUCKET, MAX_CANDIDATES)
            rows = np.array([r for r, _, _ in found], np.int64)
            return rows, np.array([a for _, a, _ in found], np.int64)
        position, ids = self._index.members(bucket_keys(buckets).reshape(-1))
        pairs, shared = np.unique((position // bands) << 32 | ids.astype(np.int64), return_counts=True)
        rows, ids = pairs >> 32, pairs & 0xFFFFFFFF
        order = np.lexsort((ids, -shared, rows))
        _, rank = _group_ranks(rows[order])
        best = order[rank < MAX_CANDIDATES]
        return rows[best], ids[best]

    def add(self, ids: np.ndarray, buckets: np.ndarray) -> np.ndarray:
        """Record new articles' buckets; returns an (n, BANDS) mask of those to store (all of them while the
        index is not loaded: it keeps the first members of each bucket when it loads)."""
        if self._index is None:
            return np.ones(buckets.shape, bool)
        keys = bucket_keys(buckets).reshape(-1)
        return self._index.add(keys, np.repeat(ids, buckets.shape[1])).reshape(buckets.shape)


def _chunk_candidates(buckets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, earlier row) pairs of a chunk's articles sharing a bucket, the earlier among that bucket's first
    MAX_CANDIDATES rows in the chunk."""
    n, bands = buckets.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), bands)
    band = np.tile(np.arange(bands, dtype=np.int64), n)
    flat = buckets.reshape(-1)
    order = np.lexsort((rows, flat, band))
    sorted_rows = rows[order]
    first, rank = _group_ranks(band[order], flat[order])
    owner, position = _expand(first, np.minimum(rank, MAX_CANDIDATES))
    # An earlier row sharing several buckets is one candidate.
    pairs = np.unique(sorted_rows[owner] * n + sorted_rows[position])
    return pairs // n, pairs % n


def _assign_stories(
    con, candidates: _StoredCandidates, ids: list[int], sigs: np.ndarray, buckets: np.ndarray
) -> dict[int, int]:
    """story_id per new article (MinHash signatures `sigs`, LSH band buckets `buckets`, a row per article): the
    story of its most similar earlier article (the lowest id on ties), else its own id.

    LSH buckets propose candidates (stored ones and earlier ones in this chunk); signature similarity decides.
    """
    stored_rows, stored = candidates.find(con, buckets)
    stored_ids = np.unique(stored).tolist()
    blobs = write.signatures(con, stored_ids)
    have = [i for i in stored_ids if i in blobs]
    known = fingerprint.from_blobs([blobs[i] for i in have])
    known_at = np.searchsorted(np.array(have, np.int64), stored)
    found = known_at < len(have)
    found[found] = np.array(have, np.int64)[known_at[found]] == stored[found]
    stored_rows, stored, known_at = stored_rows[found], stored[found], known_at[found]
    chunk_rows, earlier = _chunk_candidates(buckets)
    first_id = ids[0]
    rows = np.concatenate([stored_rows, chunk_rows])
    others = np.concatenate([stored, earlier + first_id])
    # Signature values are 32-bit: compared as such, the gathered copies take half the memory.
    narrow = sigs.astype(np.uint32)
    other_sigs = np.concatenate([known[known_at], narrow[earlier]])
    similarity = (other_sigs == narrow[rows]).sum(axis=1) / sigs.shape[1]
    order = np.lexsort((others, -similarity, rows))
    _, rank = _group_ranks(rows[order])
    best = order[rank == 0]
    match = dict(zip(rows[best].tolist(), zip(similarity[best].tolist(), others[best].tolist(), strict=True), strict=True))
    stories = write.story_of(con, stored_ids)
    for row, article_id in enumerate(ids):
        score, other = match.get(row, (0.0, 0))
        stories[article_id] = stories[other] if score >= fingerprint.SAME_STORY else article_id
    keep = candidates.add(np.asarray(ids, np.int64), buckets)
    kept_rows, kept_bands = np.nonzero(keep)
    write.append_rows(
        con,
        "story_buckets",
        pa.table(
            {
                "band": pa.array(kept_bands.astype(np.int16)),
                "bucket": pa.array(buckets[kept_rows, kept_bands], pa.uint64()),
                "article_id": pa.array(np.asarray(ids, np.int64)[kept_rows]),
            }
        ),
    )
    write.append_rows(
        con,
        "story_signatures",
        pa.table({"article_id": pa.array(ids, pa.int64()), "signature": [fingerprint.to_blob(s) for s in sigs]}),
    )
    return {i: stories[i] for i in ids}


def record_paragraphs(con, last_id: int) -> None:
    """Record the paragraphs of stored articles up to `last_id` not recorded yet: a store written before
    article_paragraphs existed gets them on its next ingest or retag (the counts must include its articles)."""
    after = paragraphs.recorded_through(con)
    while after < last_id:
        upto = min(after + CHUNK, last_id)
        rows = [
            (article_id, p, fp, boilerplate.page_key(url, content_hash))
            for article_id, source_name, url, content_hash, parts in paragraphs.sites_and_sentences(con, after, upto)
            for p, fp in boilerplate.fingerprints_of_sentences(parts, boilerplate.site_key(source_name))
        ]
        paragraphs.add_paragraphs(con, _table(("article_id", "paragraph", "fingerprint", "page"), rows), upto)
        after = upto


def _flag_repeated(con, ids: list[int], rows: pa.Table, foreseen: bool = False) -> tuple[int, list[int]]:
    """Count the new articles' paragraphs; flag those now found on REPEAT_MIN_PAGES pages of their site (or, when
    the batch was read ahead, `foreseen`, found there by the end of the batch) as 'repeated_paragraph' in the new
    articles, and analyse those articles again (the workers knew only the counts stored before the batch, and
    flagged those: _known_repeats; what the batch itself brings to the threshold is flagged here). Articles stored
    before the batch holding a paragraph that has just crossed the threshold are left to retag: their topics are
    already in the dashboard's summaries, which only retag rebuilds. Returns the number of articles re-analysed
    and the new articles with a sentence flagged (their search text changed too)."""
    record_paragraphs(con, ids[0] - 1)
    paragraphs.add_paragraphs(con, rows.select(["article_id", "paragraph", "fingerprint", "page"]), ids[-1])
    found = paragraphs.repeated_paragraphs(con, boilerplate.REPEAT_MIN_PAGES, ids[0], ids[-1], foreseen)
    if not found:
        return 0, []
    paragraphs.flag_sentences(con, found, boilerplate.REPEATED_PARAGRAPH)
    # An article whose flagged sentences gave no topic evidence, mention, quotation or quantity keeps its analysis.
    reanalysed = _reanalyse(con, paragraphs.analysed_in(con, _ROWS_BY_SENTENCE, found))
    return reanalysed, sorted({article_id for article_id, _ in found})


def _reanalyse(con, article_ids: list[int]) -> int:
    if not article_ids:
        return 0
    rows = paragraphs.sentences_of(con, article_ids)
    results = [
        (article_id, analysis.analyze_article([Sentence(*s) for s in sentences], title))
        for article_id, title, sentences in rows
    ]
    respelled = write.spelled_keys(con, article_ids)
    paragraphs.delete_analysis(con, ANALYSIS_TABLES + (_SPELLINGS,), article_ids)
    store_analysis(con, results)
    write.respell_entities(con, respelled)  # those these articles no longer name keep no vote of theirs
    return len(rows)


def _store_analysis_tables(con, tables: dict[str, pa.Table]) -> None:
    """Append analysis tables (article_id, not row); entity_mentions carries the entities' descriptions, the
    last one of each key winning, and for those the gazetteer does not know each mention's spelling as written
    (entity_spellings: the entity shows its commonest)."""
    mentions = tables["entity_mentions"]
    for name in ANALYSIS_TABLES:
        table = tables[name]
        if name == "entity_mentions":
            table = table.drop_columns(list(_ENTITY_COLUMNS[1:]))
        write.append_rows(con, name, table)
    write.store_entities(con, _last_per_key(mentions.select(list(_ENTITY_COLUMNS))), _spellings(mentions))


def _spellings(mentions: pa.Table) -> pa.Table:
    """Rows of entity_spellings: (article_id, entity_key, canonical, latin, mentions) of the mentions of entities
    the gazetteer does not know."""
    curated = pa.array(sorted(analysis.curated_entity_keys()), pa.string())
    minted = mentions.filter(pc.invert(pc.is_in(mentions["entity_key"], value_set=curated)))
    columns = ["article_id", "entity_key", "canonical", "latin"]
    counted = minted.select(columns).group_by(columns, use_threads=False).aggregate([([], "count_all")])
    return counted.select(columns).append_column("mentions", pc.cast(counted["count_all"], pa.int32()))


def _last_per_key(table: pa.Table) -> pa.Table:
    """The last row of each value of the table's first column, in Arrow (a chunk has ~25k mentions: turning
    them into Python tuples to keep one per key cost a tenth of a millisecond per article)."""
    if table.num_rows == 0:
        return table
    key = table.column_names[0]
    numbered = table.append_column("_row", pa.array(np.arange(table.num_rows, dtype=np.int64)))
    last = numbered.group_by(key, use_threads=False).aggregate([("_row", "max")])["_row_max"]
    return table.take(last)


def store_analysis(con, results: list[tuple[int, ArticleAnalysis]]) -> None:
    """Store analysis results per article_id (retag)."""
    tables = _analysis_tables(results)
    _store_analysis_tables(
        con, {name: t.rename_columns(["article_id", *t.column_names[1:]]) for name, t in tables.items()}
    )


def retag(db_path: Path | None = None, progress: Progress | None = None) -> int:
    """Re-run analysis over every stored article (after a taxonomy or gazetteer edit). Returns articles done."""
    done = 0
    analysis.reload()  # the point of a retag is to pick up edited data files
    with store.writer(db_path) as con:
        _upgrade_hashes(con, progress)
        if write.outdated_normalization(con):
            renormalize(con, progress)
        if write.outdated_sentence_rules(con, sentences.RULES):
            resplit(con, progress)
        _refresh_taxonomy(con)
        write.clear_analysis(con)
        write.clear_older_taxonomy(con)
        after = 0
        last = write.next_article_id(con) - 1
        # Paragraphs that recurred on their site after an article was stored stop counting in it too, and stop
        # being its opening: every opening is worked out again once they are flagged (~0.2 ms per untitled
        # article, little beside analysing it again).
        record_paragraphs(con, last)
        found = paragraphs.repeated_paragraphs(con, boilerplate.REPEAT_MIN_PAGES, 1, last)
        paragraphs.flag_sentences(con, found, boilerplate.REPEATED_PARAGRAPH)
        write.refresh_openings(con, again=True)
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
        paragraphs.count_pending(con, boilerplate.REPEAT_MIN_PAGES)
    return done


def _upgrade_hashes(con, progress: Progress | None = None) -> None:
    """Rehash a store whose content hashes are of an older definition (rehash); record this one on any other."""
    if write.outdated_hashes(con, fingerprint.HASH_VERSION):
        rehash(con, progress)
    else:
        write.set_hash_version(con, fingerprint.HASH_VERSION)


def upgrade_store(db_path: Path, progress: Progress | None = None) -> None:
    """Rehash the store at `db_path` in a generation of its own when its hashes are of an older definition, so
    that the hash prefixes the workers are given before the ingest's writer opens are of this one (an article
    whose prefix they miss is analysed again for nothing). The ingest's writer checks again: a store swapped in
    meanwhile is rehashed there."""
    if not (db_path.exists() and _hashes_outdated(store.generation_file(db_path))):
        return
    try:
        # Checked again under the writer's lock: a store another process migrated meanwhile is not copied for nothing.
        with store.writer(db_path, needed=_hashes_outdated) as con:
            _upgrade_hashes(con, progress)
    except store.NotNeeded:
        pass


def _hashes_outdated(generation: Path) -> bool:
    """Whether the store file `generation` holds content hashes of an older definition (False for a file this code
    cannot read: the writer says why)."""
    try:
        # Short-lived and closed before the workers fork, as in _stored_keys.
        con = duckdb.connect(str(generation), read_only=True)
    except (duckdb.Error, OSError):
        return False
    try:
        return write.outdated_hashes(con, fingerprint.HASH_VERSION)
    except duckdb.Error:
        return False
    finally:
        con.close()


def rehash(con, progress: Progress | None = None) -> tuple[int, int]:
    """Remake every stored content hash with this fingerprint.HASH_VERSION from the stored title_norm and
    sentences (the hash is of their text, so the stored forms give exactly what hashing the source again gives),
    with the sightings that name them and the pages of articles without URL (boilerplate.page_key). Run by the
    writer before it compares a store of an older version with new articles: re-ingesting the files it was built
    from then stores nothing. Returns (articles rehashed, articles that keep their old hash because another
    article holds the new one: two texts the new definition calls the same, see apply_new_hashes)."""
    after, last = 0, write.next_article_id(con) - 1
    rehashed = 0
    while after < last:
        upto = min(after + REHASH_CHUNK, last)
        hashes, moved_pages = [], []
        for article_id, title, old, url, parts in write.stored_bodies(con, after, upto):
            new = fingerprint.hash_of(title or "", rejoined_norms(parts))
            if new != old:
                hashes.append((article_id, old, new))
                if not (url and url.strip()):
                    moved_pages.append((article_id, new, boilerplate.page_key(url, new)))
        write.stage_new_hashes(con, _table(("article_id", "old_hash", "new_hash"), hashes))
        paragraphs.stage_moved_pages(con, _table(("article_id", "content_hash", "page"), moved_pages))
        rehashed += len(hashes)
        after = upto
        if progress:
            progress(after, rehash_note(after, last))
    kept = write.apply_new_hashes(con)
    paragraphs.move_pages(con)
    write.set_hash_version(con, fingerprint.HASH_VERSION)
    return rehashed - kept, kept


def resplit(con, progress: Progress | None = None) -> int:
    """Cut the stored articles into sentences again with this sentences.RULES, as ingest cuts them (line rules and
    article end too), and store the new sentences and story signature of each article cut elsewhere. Their content
    hash and paragraph fingerprints do not depend on the cuts; the caller, retag, flags the repeated paragraphs,
    analyses every article and rebuilds the search index and openings from the stored sentences. Returns the
    articles cut again."""
    changed = 0
    after, last = 0, write.next_article_id(con) - 1
    while after < last:
        upto = min(after + CHUNK, last)
        sentence_rows, signature_rows = [], []
        for article_id, text_raw, cuts in write.stored_cuts(con, after, upto):
            found = reader.body_sentences(text_raw)
            if [(s.start, s.end) for s in found] == [tuple(c) for c in cuts]:
                continue
            changed += 1
            sentence_rows += [(article_id, *astuple(s)) for s in found]
            tokens = fingerprint.story_tokens_of(s.text_norm for s in found if not s.is_boilerplate)
            signature_rows.append((article_id, fingerprint.to_blob(fingerprint.signature(tokens))))
        if sentence_rows:
            write.replace_sentences(
                con, _table(SENTENCE_COLUMNS, sentence_rows), _table(("article_id", "signature"), signature_rows)
            )
        after = upto
        if progress:
            progress(after, "cut into sentences")
    write.set_sentence_rules(con, sentences.RULES)
    return changed


def renormalize(con, progress: Progress | None = None) -> tuple[int, int]:
    """Remake a store's matching forms with this normalize.VERSION: every sentence's text_norm and title_norm from
    the raw text; for the articles whose forms changed, their content hash (and the sightings that name it) and
    story signature; and the paragraph counts from scratch (their fingerprints are of the forms). The caller,
    retag, then analyses every article and rebuilds the search index from the new forms. LSH buckets are left: a
    changed spelling moves a few of an article's shingles, and a candidate needs only one band in common.
    Returns (articles changed, articles that keep their old hash because the fold made them another's copy)."""
    changed = 0
    after, last = 0, write.next_article_id(con) - 1
    while after < last:
        upto = min(after + CHUNK, last)
        sentence_rows, title_rows, signature_rows = [], [], []
        for article_id, title_raw, title_norm, content_hash, stored in write.stored_forms(con, after, upto):
            # One call over the joined sentences, as ingest does (sentences._normalize_many).
            norms = normalize_text("\n".join(raw for _, raw, *_ in stored)).split("\n") if stored else []
            title = normalize_text(title_raw) if title_raw else None  # stored as NULL for an untitled article
            edited = [(article_id, seq, new) for (seq, _, old, *_), new in zip(stored, norms, strict=True) if new != old]
            if not edited and title == title_norm:
                continue
            changed += 1
            sentence_rows += edited
            body = rejoined_norms((s[4], s[5], n) for s, n in zip(stored, norms, strict=True))
            title_rows.append((article_id, title, fingerprint.hash_of(title or "", body)))
            tokens = fingerprint.story_tokens_of(
                n for (_, _, _, boiler, *_), n in zip(stored, norms, strict=True) if not boiler
            )
            signature_rows.append((article_id, fingerprint.to_blob(fingerprint.signature(tokens))))
        if title_rows:
            write.replace_forms(
                con, after + 1, upto,
                _table(("article_id", "seq", "text_norm"), sentence_rows),
                _table(("article_id", "title_norm", "content_hash"), title_rows),
                _table(("article_id", "signature"), signature_rows),
            )
        after = upto
        if progress:
            progress(after, "renormalised")
    kept = write.apply_new_hashes(con)
    paragraphs.forget_paragraphs(con)
    write.set_normalization(con, normalize.VERSION)
    return changed, kept


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

