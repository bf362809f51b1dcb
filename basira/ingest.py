"""The ingest pipeline: parsed records -> identity, dedupe, story clusters, analysis -> one store batch.

A batch is one writer generation (see store.py): it lands whole or not at all.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pyarrow as pa

from basira import analysis, fingerprint, reader, search, store
from basira.model import ArticleAnalysis, ParsedArticle, Rejection
from basira.normalize import clean_raw
from basira.queries import write

CHUNK = 1000
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


def ingest_paths(paths: Iterable[Path], db_path: Path | None = None, progress: Progress | None = None) -> IngestReport:
    paths = list(paths)

    def records() -> Iterator[ParsedArticle | Rejection]:
        for path in paths:
            for item in reader.read_path(path):
                yield _with_source(item, path)

    return ingest_records(records(), ", ".join(display_path(p) for p in paths), db_path, progress)


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


def _with_source(item: ParsedArticle | Rejection, root: Path) -> ParsedArticle | Rejection:
    shown = display_path(item.source_path) if item.source_path else display_path(root)
    if isinstance(item, Rejection):
        return Rejection(shown, item.locator, item.reason, item.detail, item.excerpt)
    item.source_path = shown
    return item


def ingest_records(
    records: Iterable[ParsedArticle | Rejection],
    inputs: str,
    db_path: Path | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    report = IngestReport()
    started = time.perf_counter()
    with store.writer(db_path) as con:
        report.batch_id = write.start_batch(con, inputs)
        _refresh_taxonomy(con)
        known_rejections = write.known_rejections(con)
        iterator = iter(records)
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


def _ingest_chunk(con, chunk: list[ParsedArticle | Rejection], report: IngestReport, known_rejections: set) -> None:
    report.seen += len(chunk)
    articles = [item for item in chunk if isinstance(item, ParsedArticle)]
    _record_rejections(con, [item for item in chunk if isinstance(item, Rejection)], report, known_rejections)
    if not articles:
        return
    hashes = [fingerprint.content_hash(a) for a in articles]
    stored = write.existing_hashes(con, hashes)
    sighted = write.known_sightings(con, [a.source_path for a in articles])
    new_sightings = []
    fresh: list[tuple[str, ParsedArticle]] = []
    for content_hash, article in zip(hashes, articles, strict=True):
        key = (content_hash, article.source_path, article.locator)
        if key not in sighted:
            sighted.add(key)
            new_sightings.append((*key, article.url, report.batch_id))
        if content_hash in stored:
            report.duplicates += 1
            continue
        stored.add(content_hash)
        fresh.append((content_hash, article))
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


def _store_articles(con, fresh: list[tuple[str, ParsedArticle]], report: IngestReport) -> None:
    first_id = write.next_article_id(con)
    ids = list(range(first_id, first_id + len(fresh)))
    stories = _assign_stories(con, ids, [a for _, a in fresh])
    report.joined_story += sum(1 for i in ids if stories[i] != i)
    article_rows, sentence_rows = [], []
    results: list[tuple[int, ArticleAnalysis]] = []
    for article_id, (content_hash, article) in zip(ids, fresh, strict=True):
        report.chars += len(article.text_raw)
        article_rows.append(
            (
                article_id, content_hash, stories[article_id], report.batch_id, article.source_path,
                article.locator, article.source_name, article.url, article.title_raw,
                fingerprint.title_norm(article) or None, article.byline,
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
        results.append((article_id, analysis.analyze_article(article.sentences, article.title_raw)))
    write.append_rows(con, "articles", _table(ARTICLE_COLUMNS, article_rows))
    write.append_rows(con, "sentences", _table(SENTENCE_COLUMNS, sentence_rows))
    store_analysis(con, results)
    search.index_articles(con, ids)
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


def _assign_stories(con, ids: list[int], articles: list[ParsedArticle]) -> dict[int, int]:
    """story_id per new article: the story of its most similar earlier article, else its own id.

    LSH buckets propose candidates (stored ones and earlier ones in this chunk); signature similarity decides.
    """
    sigs = [fingerprint.signature(fingerprint.story_tokens(a)) for a in articles]
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

