"""Arabic-aware full-text search: an inverted index of light stems stored in DuckDB, ranked by BM25.

The `fts` extension cannot be installed here and its tokenizer drops Arabic letters, so the index is ours:

- Text is `normalize_text`-ed and tokenised, each token is folded by `stem_light` (the same function for
  indexing and for queries) and function words are dropped.
- Postings (term_id, article_id, tf, dl) live in immutable runs sorted by term_id, so DuckDB's
  per-row-group min/max statistics skip everything but the few row groups that hold a query term. Each
  ingest chunk adds a small run; runs are merged log-structured (FANOUT runs of one level become one run
  of the next) so a term is never spread over more than a handful of runs, and an ingest batch that grew
  the index by a quarter or more ends by merging them all into one (compact_after_batch). The view
  `search_postings` is their union.
- term_id is a 64-bit hash of the stem: ingest needs no dictionary round trip to assign ids, and an index
  built chunk by chunk is identical to one rebuilt in one go.
- `dl` (the article's indexed length) is stored on every posting so that BM25 needs no join.
- The best sentence to show is found at query time for the result page only (the sentence containing the
  most query stems): tracking each term's first sentence at ingest cost more than all the rest of indexing.
- A quoted phrase is checked against `search_text`: per article, its normalised title and non-boilerplate
  sentences one per line, zlib-compressed (`phrase_body`). Reading the same lines from `sentences` decompresses
  a whole vector of text per article (about 1 ms each at 1M articles, hundreds of candidates per phrase).
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from basira import latin
from basira.filters import Filters
from basira.normalize import normalize_text, tokenize, word_bounds, word_matches
from basira.queries import openings
from basira.queries import read as read_queries
from basira.queries import search as sql
from basira.queries import summary

# Bump when stem_light, STOPWORDS or the postings layout change: index_articles then rebuilds the index.
SEARCH_VERSION = "4"
K1 = 1.2
B = 0.75
# Runs of one level merged into one run of the next: at most FANOUT - 1 runs per level stay unmerged.
FANOUT = 4
REBUILD_CHUNK = 5000
# A quoted phrase's candidates are verified in rounds: the first round takes the limit plus this margin; a later
# round takes what the share of hits so far predicts is still needed, times PHRASE_SLACK, plus the margin
# (PHRASE_GROWTH times the last round while nothing matched); at most PHRASE_CANDIDATES candidates in all.
PHRASE_MARGIN = 16
PHRASE_GROWTH = 4
PHRASE_SLACK = 1.25
PHRASE_CANDIDATES = 4000
# zlib level of search_text bodies. On 20k real articles (2.2k characters): level 1 compresses in 65 us to 43% of
# the UTF-8 bytes, level 6 in 146 us to 38%; ingest throughput is the scarcer resource (an article costs ~5 ms of
# CPU in all), and inflating either takes ~20 us.
PHRASE_BODY_LEVEL = 1

_WAW, _FA, _BA, _KAF, _LAM = "\u0648", "\u0641", "\u0628", "\u0643", "\u0644"
_AL = "\u0627\u0644"
# The article with the clitics that can precede it, longest first. A bare و/ف/ب/ل/ك is not stripped: too many
# words start with those letters (وزير، فريق، بيان، لبنان، كتيبة) and stripping them conflates unrelated words.
_PREFIXES = tuple(
    sorted(
        {
            c + p + _AL
            for c in ("", _WAW, _FA)
            for p in ("", _BA, _KAF)
        }
        | {c + _LAM + _LAM for c in ("", _WAW, _FA)},
        key=len,
        reverse=True,
    )
)
# Plural, dual and feminine endings after normalisation (teh marbuta is already heh).
_SUFFIXES = ("\u0627\u062a", "\u0648\u0646", "\u064a\u0646", "\u0647")
_MIN_AFTER_PREFIX = 2
_MIN_AFTER_SUFFIX = 3
# Words whose "prefix" is part of the word: stripping would turn them into frequent function words.
_KEEP = frozenset(normalize_text(w) for w in ("الله", "لله", "والله", "بالله", "الآن", "الان"))

STOPWORDS = frozenset(
    normalize_text(w)
    for w in (
        "في من على إلى عن أن إن أو ما لا لم لن قد هذا هذه ذلك تلك التي الذي الذين اللذين هو هي هم هما نحن أنا "
        "كان كانت يكون تكون مع بين بعد قبل حتى إذا إذ ثم كل أي أيضا لكن ولكن كما حيث عند منذ غير بل عليه عليها "
        "فيه فيها منه منها له لها لهم به بها إنه أنه أنها إنها وفي ومن وعلى وإلى وعن وأن وإن وقد ولا ولم وهو وهي "
        "وكان وكانت وهذا وهذه وذلك فإن فقد التى الى على"
    ).split()
)

_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_QUOTED = re.compile("[\"\u201c\u201d\u00ab\u00bb]([^\"\u201c\u201d\u00ab\u00bb]+)[\"\u201c\u201d\u00ab\u00bb]")


def stem_light(token: str) -> str:
    """A conservative light stem of one normalised token: السجون, سجون, والسجون and للسجون give سجون;
    المنشقين and منشقون give منشق. Only Arabic tokens are touched, and a stem keeps at least three letters
    after an ending is removed, so short words (قوات، سنه) are left alone rather than mangled."""
    if token in _KEEP or not _ARABIC_LETTER.match(token):
        return token
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_AFTER_PREFIX:
            token = token[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= _MIN_AFTER_SUFFIX:
            return token[: -len(suffix)]
    return token


_STOP_STEMS = frozenset(stem_light(w) for w in STOPWORDS) | STOPWORDS
_stem_cache: dict[str, str | None] = {}
_id_cache: dict[str, int] = {}
_CACHE_LIMIT = 500_000


def index_stem(token: str) -> str | None:
    """The stem a token is indexed under, or None for a function word. Memoised: ingest calls it per token."""
    stem = _stem_cache.get(token, "")
    if stem == "":
        if len(_stem_cache) > _CACHE_LIMIT:
            _stem_cache.clear()
        stem = stem_light(token)
        stem = None if stem in _STOP_STEMS else stem
        _stem_cache[token] = stem
    return stem


def term_id(stem: str) -> int:
    """A stable signed 64-bit id for a stem (DuckDB BIGINT): the same in every process and every build."""
    found = _id_cache.get(stem)
    if found is None:
        if len(_id_cache) > _CACHE_LIMIT:
            _id_cache.clear()
        found = int.from_bytes(hashlib.blake2b(stem.encode(), digest_size=8).digest(), "little", signed=True)
        _id_cache[stem] = found
    return found


def entity_term_id(entity_key: str) -> int:
    """The postings id of an entity (its articles, for the entity filter). The NUL prefix cannot come out of
    the tokenizer, so no query word can reach an entity's postings."""
    return term_id("\x00entity:" + entity_key)


def text_stems(text: str) -> list[str]:
    """Index stems of a raw text, in order, with function words dropped (duplicates kept)."""
    return [s for s in map(index_stem, tokenize(normalize_text(text))) if s is not None]


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]  # distinct stems, in query order
    phrases: tuple[str, ...] = ()  # normalised quoted phrases, matched as written inside one sentence


def parse_query(text: str) -> Query:
    """Stems of the query words (function words dropped) and any "quoted phrases"."""
    phrases = tuple(dict.fromkeys(p for p in (normalize_text(m) for m in _QUOTED.findall(text)) if tokenize(p)))
    return Query(tuple(dict.fromkeys(text_stems(text))), phrases)


def filter_term_ids(text: str) -> list[int]:
    """Term ids that the dashboard's free-text filter requires (every one must occur in an article)."""
    return [term_id(s) for s in parse_query(text).terms]


def filter_text(filters: Filters) -> str:
    """What the free-text filter looks for: the typed text with each Latin run read as a name (text_read_as) replaced
    by its Arabic words, so "Sednaya" filters as "صيدنايا" would."""
    return latin.replace_runs(filters.text, dict(filters.text_read_as)) if filters.text_read_as else filters.text


def filter_terms(filters: Filters) -> list[int]:
    """Term ids that the filters' free text requires, its Latin names read (see filter_text)."""
    return filter_term_ids(filter_text(filters))


class _Vocabulary(dict):
    """token -> the number of the term it is indexed under (-1 for a function word), with each term's id and
    stem by number. Terms are numbered by term_id, so two stems whose 64-bit ids collide are one term (as the
    index stores them), shown by the first stem seen. A missing token is folded on first lookup, so
    `map(vocabulary.__getitem__, tokens)` runs in C for every token seen before; numbers only mean something
    until the next clear()."""

    def __init__(self) -> None:
        super().__init__()
        self.stems: list[str] = []
        self.term_ids: list[int] = []
        self._numbers: dict[int, int] = {}

    def __missing__(self, token: str) -> int:
        stem = index_stem(token)
        if stem is None:
            number = -1
        else:
            found = term_id(stem)
            number = self._numbers.get(found, -1)
            if number < 0:
                number = self._numbers[found] = len(self.stems)
                self.stems.append(stem)
                self.term_ids.append(found)
        self[token] = number
        return number

    def clear(self) -> None:
        super().clear()
        self.stems.clear()
        self.term_ids.clear()
        self._numbers.clear()


_vocabulary = _Vocabulary()
_POSTINGS_SCHEMA = pa.schema(
    [("term_id", pa.int64()), ("stem", pa.string()), ("article_id", pa.int64()), ("tf", pa.int32())]
)


def postings_table(rows: Iterable[tuple[int, list[str]]]) -> pa.Table:
    """(term_id, stem, article_id, tf) of articles given as (article_id, tokens of the indexed text: title and
    non-boilerplate sentences, normalised), one row per term_id and article. Ingest computes this next to the
    story fingerprint (in a worker process when there are several), a rebuild from the stored text: the same
    function, so the same index. Python runs only for tokens never seen before; counting is one numpy pass
    over all the articles' tokens (a Counter and a list of tuples per article cost several times more)."""
    if len(_vocabulary) > _CACHE_LIMIT:
        _vocabulary.clear()  # between calls only: the numbers of one call must stay valid throughout
    ids: list[int] = []
    sizes: list[int] = []
    tokens: list[str] = []
    for article_id, found in rows:
        ids.append(article_id)
        sizes.append(len(found))
        tokens.extend(found)
    numbers = np.fromiter(map(_vocabulary.__getitem__, tokens), np.int64, len(tokens))
    owners = np.repeat(np.arange(len(ids), dtype=np.int64), sizes)
    indexed = numbers >= 0
    # One key per (article, term): their distinct values and counts are the postings, in article order.
    width = max(len(_vocabulary.stems), 1)
    keys, tfs = np.unique(owners[indexed] * width + numbers[indexed], return_counts=True)
    stems, at = np.unique(keys % width, return_inverse=True)
    term_ids = pa.array([_vocabulary.term_ids[i] for i in stems.tolist()], pa.int64())
    texts = pa.array([_vocabulary.stems[i] for i in stems.tolist()], pa.string())
    where = pa.array(at.reshape(-1))
    return pa.Table.from_arrays(
        [
            term_ids.take(where),
            texts.take(where),
            pa.array(np.asarray(ids, np.int64)[keys // width]),
            pa.array(tfs.astype(np.int32)),
        ],
        schema=_POSTINGS_SCHEMA,
    )


def phrase_body(title_norm: str | None, sentences_norm: Iterable[str]) -> bytes:
    """An article's search_text body: its normalised title (when it has one) and non-boilerplate sentences in
    order, one per line, compressed. A phrase without a line break occurs in the body exactly when it occurs
    inside one of those lines (a phrase with one, which normalisation keeps, is checked on the sentences)."""
    lines = [title_norm, *sentences_norm] if title_norm else list(sentences_norm)
    return zlib.compress("\n".join(lines).encode(), PHRASE_BODY_LEVEL)


def texts_table(rows: Iterable[tuple[int, bytes]]) -> pa.Table:
    """(article_id, body) rows for search_text."""
    ids, bodies = [], []
    for article_id, body in rows:
        ids.append(article_id)
        bodies.append(body)
    return pa.table({"article_id": pa.array(ids, pa.int64()), "body": pa.array(bodies, pa.binary())})


def _stored_texts(con: duckdb.DuckDBPyConnection, ids: list[int]) -> list[tuple[int, str]]:
    return sql.article_texts(con, ids) if ids else []


def _entity_rows(rows: pa.Table) -> pa.Table:
    """(term_id, article_id, tf) of (article_id, entity_key, mentions) rows: each distinct key is hashed once."""
    keys = rows["entity_key"].combine_chunks().dictionary_encode()
    term_ids = pa.array([entity_term_id(key) for key in keys.dictionary.to_pylist()], pa.int64())
    return pa.table(
        {
            "term_id": term_ids.take(keys.indices),
            "article_id": rows["article_id"].cast(pa.int64()),
            "tf": rows["mentions"].cast(pa.int32()),
        }
    )


def _index_chunk(
    con: duckdb.DuckDBPyConnection, ids: list[int], postings: pa.Table | None = None, texts: pa.Table | None = None
) -> None:
    """Index stored articles as one new run; `postings` (see postings_table) and `texts` (see texts_table) when
    the caller computed them, else they are computed from the stored text (article_texts gives each article's
    lines in the order phrase_body joins them)."""
    if postings is None or texts is None:
        stored = _stored_texts(con, ids)
        if postings is None:
            postings = postings_table((article_id, tokenize(text)) for article_id, text in stored)
        if texts is None:
            texts = _compressed(stored)
    entities = _entity_rows(sql.article_entities(con, ids))
    runs = sql.runs(con)
    run_id = max((r[0] for r in runs), default=0) + 1
    sql.add_chunk(con, ids, postings, entities, run_id)
    sql.add_texts(con, texts)
    _merge_levels(con)


def _compressed(stored: Iterable[tuple[int, str]]) -> pa.Table:
    return texts_table((article_id, zlib.compress(text.encode(), PHRASE_BODY_LEVEL)) for article_id, text in stored)


def reindexed(
    con: duckdb.DuckDBPyConnection, ids: Sequence[int], postings: pa.Table, texts: pa.Table
) -> tuple[pa.Table, pa.Table]:
    """`postings` and `texts` of new articles (see postings_table and texts_table, with article_id) where those of
    `ids` are made again from the stored text. Ingest workers compute them before the writer flags a sidebar
    paragraph that the batch has just made recur; without this the sidebar's words would still find the article."""
    ids = list(ids)
    if not ids:
        return postings, texts
    stored = _stored_texts(con, ids)
    fresh = postings_table((article_id, tokenize(text)) for article_id, text in stored)
    bodies = _compressed(stored)
    wanted = pa.array(ids, pa.int64())
    return (
        pa.concat_tables([_without(postings, wanted), fresh.select(postings.column_names).cast(postings.schema)]),
        pa.concat_tables([_without(texts, wanted), bodies.select(texts.column_names).cast(texts.schema)]),
    )


def _without(table: pa.Table, ids: pa.Array) -> pa.Table:
    return table.filter(pc.invert(pc.is_in(table["article_id"], value_set=ids)))


def _catch_up_texts(con: duckdb.DuckDBPyConnection) -> None:
    """Give search_text the indexed articles it lacks (a store indexed before it existed), from the stored text."""
    indexed, texted = sql.text_counts(con)
    if indexed == texted:
        return
    missing = sql.untexted_ids(con)
    for start in range(0, len(missing), REBUILD_CHUNK):
        sql.add_texts(con, _compressed(_stored_texts(con, missing[start : start + REBUILD_CHUNK])))


def _merge_levels(con: duckdb.DuckDBPyConnection) -> None:
    """Merge FANOUT runs of a level into one run of the next level, cascading; then refresh the view."""
    while True:
        runs = sql.runs(con)
        by_level: dict[int, list[int]] = {}
        for run_id, level, _ in runs:
            by_level.setdefault(level, []).append(run_id)
        full = sorted(level for level, ids in by_level.items() if len(ids) >= FANOUT)
        if not full:
            break
        level = full[0]
        sql.merge_runs(con, by_level[level][:FANOUT], max(r[0] for r in runs) + 1, level + 1)
    sql.refresh_postings_view(con)


def compact(con: duckdb.DuckDBPyConnection) -> None:
    """Merge every run into one (what a full rebuild ends with): the fastest layout for queries."""
    runs = sql.runs(con)
    if len(runs) > 1:
        sql.merge_runs(con, [r[0] for r in runs], max(r[0] for r in runs) + 1, max(r[1] for r in runs) + 1)
    sql.refresh_postings_view(con)


# A batch that added at least 1/COMPACT_GROWTH of the indexed articles ends with the index compacted.
COMPACT_GROWTH = 4


def compact_after_batch(con: duckdb.DuckDBPyConnection, added: int) -> bool:
    """Merge every run into one (compact) when the ingest batch that just ended added at least 1/COMPACT_GROWTH
    of the indexed articles and the index has several runs; returns whether it did.

    Every query term is read from each run, so the runs cost every search: at 1M articles, ten runs take about
    1.5x the CPU of one (all planned queries' p95 54 -> 36 ms; see bench/RESULTS.md, "Search tail at 1M").
    A compaction rewrites every posting, so only a batch that grew the index by a quarter or more pays for
    one: the store sizes at which it compacts then grow by 4/3 or more each time, so over a store's life a
    posting is rewritten at most 4 times on average by compactions (the level merges add about 4 more at 1M).
    A bulk load ends with one run; small daily batches leave the runs to the level merges."""
    if not added or len(sql.runs(con)) < 2:
        return False
    _, indexed, _ = sql.index_state(con)
    if added * COMPACT_GROWTH < indexed:
        return False
    compact(con)
    return True


def index_articles(
    con: duckdb.DuckDBPyConnection, ids: Sequence[int], postings: pa.Table | None = None, texts: pa.Table | None = None
) -> None:
    """Add stored articles to the search index and the dashboard's entity summaries (called by ingest after
    their sentences and analysis are stored). `postings` and `texts` are theirs (see postings_table and
    texts_table) when ingest has them.

    Articles stored before the index existed, or under another SEARCH_VERSION, are (re)indexed first, and
    indexed articles without their phrase text get it, so an old store catches up on its next ingest.
    """
    summary.refresh(con)
    version, indexed, articles = sql.index_state(con)
    ids = list(ids)
    if version != SEARCH_VERSION:
        if postings is None or articles != len(ids):
            rebuild_index(con)
            return
        # A new store's first chunk: what rebuild_index would do, from the postings at hand.
        sql.clear_index(con)
        sql.set_version(con, SEARCH_VERSION)
        indexed = 0
    _catch_up_texts(con)
    if indexed + len(ids) != articles:
        ids = sql.unindexed_ids(con)
        postings = texts = None
    if postings is not None and ids:
        _index_chunk(con, ids, postings, texts)
    else:
        for start in range(0, len(ids), REBUILD_CHUNK):
            _index_chunk(con, ids[start : start + REBUILD_CHUNK])
    sql.update_stats(con)


def rebuild_summaries(con: duckdb.DuckDBPyConnection) -> None:
    """Derive the dashboard's entity summaries and the index's entity postings again (retag calls this after
    replacing the analysis). Rebuilding the whole index costs minutes at a million articles; the retag that
    precedes it costs hours."""
    summary.rebuild(con)
    rebuild_index(con)


def rebuild_index(con: duckdb.DuckDBPyConnection) -> int:
    """Drop the index and build it again from every stored article, ending with one run. Returns articles."""
    sql.clear_index(con)
    sql.set_version(con, SEARCH_VERSION)
    ids = sql.unindexed_ids(con)
    for start in range(0, len(ids), REBUILD_CHUNK):
        _index_chunk(con, ids[start : start + REBUILD_CHUNK])
    compact(con)
    sql.update_stats(con)
    return len(ids)


def bm25_idf(n_docs: int, df: int) -> float:
    """Lucene's BM25 idf, never negative (a term in most articles still counts a little)."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def highlight_spans(text_norm: str, stems: Iterable[str]) -> list[tuple[int, int]]:
    """[start, end) spans of the tokens of a normalised text whose stem is one of `stems` (for highlighting)."""
    wanted = set(stems)
    return [(m.start(), m.end()) for m in word_matches(text_norm) if stem_light(m.group()) in wanted]



def phrase_spans(text_norm: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """[start, end) spans of every occurrence of the normalised `phrases` in a normalised text, as the search
    verifies them (as written, inside the text)."""
    spans = []
    for phrase in phrases:
        at = text_norm.find(phrase)
        while phrase and at >= 0:
            # Verified as written inside the text ("مخطط انقلاب" in "مخطط انقلابي"): marked as whole words.
            spans.append(word_bounds(text_norm, at, at + len(phrase)))
            at = text_norm.find(phrase, at + len(phrase))
    return spans


def query_spans(text_norm: str, query: str, stems: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of a normalised sentence to highlight for a query and a result's matched `stems`: each occurrence of a
    quoted phrase as one span, and the tokens whose stem is a matched stem of a word outside the quotes. A word
    that is only in a phrase is highlighted where the phrase is, not wherever it occurs ("احمد الشرع" marks the
    name, not every احمد). Sorted; overlapping spans merged."""
    # A matched stem outside the query's words is a name its Latin words were read as (صيدنايا for "Sednaya"):
    # marked wherever it occurs, as a loose word is.
    phrase_only = set(text_stems(" ".join(_QUOTED.findall(query)))) - set(text_stems(_QUOTED.sub(" ", query)))
    loose = set(stems) - phrase_only
    spans = sorted(phrase_spans(text_norm, parse_query(query).phrases) + highlight_spans(text_norm, loose))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


RESULT_COLUMNS = [
    "article_id", "score", "matched_terms", "seq", "published", "title", "source", "url", "sentence", "sentence_norm",
]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in RESULT_COLUMNS})


def search(
    cur: duckdb.DuckDBPyConnection,
    query: str,
    filters: Filters | None = None,
    limit: int = 50,
    mode: Literal["all", "any"] = "all",
    context: bool = True,
    named: list[latin.Reading] | None = None,
) -> pd.DataFrame:
    """Articles matching a query, best first by BM25 (k1=1.2, b=0.75) over light stems.

    mode "all" (the default, like a web search) needs every term; "any" ranks articles with some of them.
    Quoted phrases must also occur as written (normalised) inside one sentence or the title. `filters`
    narrows to the dashboard's filtered view; its own `text` is ignored (the query is the text).
    Columns: article_id, score, matched_terms (stems, for `highlight_spans`) and, with `context` (else None):
    seq, the sentence with the most query terms (-1: only the title has them), published, title, source and
    that sentence raw and normalised. `named`: the query's read_names when the caller has them already.
    """
    if latin.latin_runs(query):
        named = read_names(cur, query) if named is None else named
        if any(reading.names for reading in named):
            return _search_names(cur, query, named, filters, limit, context)
    parsed = parse_query(query)
    if not parsed.terms:
        return _empty()
    ids = [term_id(t) for t in parsed.terms]
    n_docs, avgdl, found = sql.term_stats(cur, ids)
    dfs = {i: df for i, df in zip(ids, found, strict=True) if df}
    known = [(i, t) for i, t in zip(ids, parsed.terms, strict=True) if i in dfs]
    if not known or (mode == "all" and len(known) < len(ids)):
        return _empty()
    # Rarest first: the join starts from the shortest postings list.
    known.sort(key=lambda it: dfs[it[0]])
    weighted = [(i, t, bm25_idf(n_docs, dfs[i])) for i, t in known]
    cte, params = _narrowing(filters)
    rank = sql.rank_all if mode == "all" or len(weighted) == 1 else sql.rank_any_split
    if parsed.phrases:
        rows = _phrase_filtered(cur, rank, weighted, avgdl, cte, params, parsed.phrases, limit)
    else:
        rows = rank(cur, weighted, avgdl, K1, B, cte, params, limit, 0)
    terms = set(parsed.terms)
    return _framed(cur, rows, context, lambda _: terms, parsed.phrases)


@dataclass(frozen=True)
class MatchCount:
    """How many articles search() would find with no limit: `articles`, exactly when `exact`; else (a quoted phrase
    whose words are in more than PHRASE_CANDIDATES articles, which are not all read) at most that many, the articles
    holding every word."""

    articles: int
    exact: bool


def match_count(
    cur: duckdb.DuckDBPyConnection, query: str, filters: Filters | None = None, named: list[latin.Reading] | None = None
) -> MatchCount:
    """How many articles match `query` (mode "all") within `filters`, counted from the index: the join search()
    ranks, without scoring, sorting or fetching a row. A quoted phrase is verified in every candidate when there
    are at most PHRASE_CANDIDATES of them, the candidates search() itself reads. `named` as for search()."""
    parsed, groups = _match_groups(cur, query, read_names(cur, query) if named is None else named)
    if not groups:
        return MatchCount(0, True)
    cte, params = _narrowing(filters)
    total = sql.count_all(cur, groups, cte, params)
    if not parsed.phrases:
        return MatchCount(total, True)
    if total > PHRASE_CANDIDATES:
        return MatchCount(total, False)
    holding = _phrase_verifier(cur, parsed.phrases)
    return MatchCount(len(holding(sql.ids_all(cur, groups, cte, params))), True)


def search_counted(
    cur: duckdb.DuckDBPyConnection, query: str, filters: Filters | None = None, limit: int = 50
) -> tuple[pd.DataFrame, list[latin.Reading], MatchCount]:
    """search() and match_count() of one query, with the names its Latin words were read as (read_names): what the
    Search page shows, the names read once for all three."""
    named = read_names(cur, query)
    return search(cur, query, filters, limit, named=named), named, match_count(cur, query, filters, named=named)


def _match_groups(cur: duckdb.DuckDBPyConnection, query: str, named: list[latin.Reading]) -> tuple[Query, list[list[int]]]:
    """The query parsed as search() reads it, and the term ids an article must hold, one group per word or Latin
    name read as `named` (any id of a group will do: the entities a name was read as, and the word itself)."""
    if not any(reading.names for reading in named):
        parsed = parse_query(query)
        return parsed, [[term_id(t)] for t in parsed.terms]
    parsed = _parsed_beside_names(query, named)
    groups = [[term_id(t)] for t in parsed.terms]
    for reading in (r for r in named if r.names):
        own = _own_term(reading)
        groups.append([entity_term_id(n.entity_key) for n in reading.names] + ([own] if own is not None else []))
    return parsed, groups


def _parsed_beside_names(query: str, readings: list[latin.Reading]) -> Query:
    """The words of a query whose Latin words were read as names (`readings`), other than those names: its Arabic
    words and the Latin words that read as no name. One reading for search() and match_count(), whose counts must be
    of search()'s matches."""
    unread = " ".join(r.text for r in readings if not r.names)
    return parse_query(latin.without_latin(query) + " " + unread)


def _own_term(reading: latin.Reading) -> int | None:
    """The index term of a one-word Latin name as a word of the text ("SDF"), else None."""
    stem = index_stem(normalize_text(reading.text)) if len(reading.text.split()) == 1 else None
    return term_id(stem) if stem else None


def _narrowing(filters: Filters | None) -> tuple[str, list]:
    """The `selected` CTE of the filtered view the search runs within (its own text aside), or none."""
    narrowed = filters.with_(text="") if filters is not None else None
    if narrowed is not None and narrowed != Filters():
        return read_queries.selection(narrowed)
    return "", []


# The names one Latin word can read as, most articles first: "Assad" names 38 entities in the real store.
NAMES_PER_WORD = 50
_name_indexes: dict[tuple, latin.NameIndex] = {}


def name_index(cur: duckdb.DuckDBPyConnection) -> latin.NameIndex:
    """The store's entity names folded for Latin matching, built once per state of the entities (0.4 s for the
    real store's 24k; keyed by a fingerprint of the names, so a retag or an ingest that adds names rebuilds it)."""
    key = sql.entity_names_fingerprint(cur)
    found = _name_indexes.get(key)
    if found is None:
        _name_indexes.clear()  # one store state at a time: the dashboard reads one generation
        found = _name_indexes[key] = latin.NameIndex(latin.Name(*row) for row in sql.entity_names(cur))
    return found


def read_names(cur: duckdb.DuckDBPyConnection, query: str) -> list[latin.Reading]:
    """The query's Latin words read as the store's entities (see basira.latin); [] for a query without any."""
    if not latin.latin_runs(query):
        return []
    return name_index(cur).read(query, NAMES_PER_WORD)


def name_stems(canonicals: Sequence[str]) -> list[str]:
    """The stems every one of a Latin word's names holds: what the typed word stands for in Arabic ("Assad" read
    as بشار الأسد, حافظ الأسد ... -> [اسد]), for marking it in an article that may name any of them."""
    shared = set.intersection(*(set(text_stems(c)) for c in canonicals)) if canonicals else set()
    return sorted(shared)


@dataclass(frozen=True)
class TextReading:
    """How the sidebar's Text contains reads one run of Latin words."""

    typed: str
    arabic: str  # the Arabic words the filter looks for instead; "" when it looks for the typed words
    names: tuple[str, ...]  # the Arabic names the run was read as, most articles first; empty when none


def read_text(cur: duckdb.DuckDBPyConnection, text: str) -> list[TextReading]:
    """The Latin runs of a filter text read as the Search page reads them (read_names). A run read as names stands for
    the words its names all hold, as the reader marks them (Sednaya: صيدنايا; Assad, read as بشار الأسد, حافظ الأسد
    ...: الأسد): typing those in Arabic filters the same. A run that names nothing, or names with no word in common
    ("Abu": أبو بكر البغدادي, أبوظبي), keeps its typed words."""
    readings = []
    for reading in read_names(cur, text):
        canonicals = [n.canonical for n in reading.names]
        readings.append(TextReading(reading.text, shared_words(canonicals), tuple(canonicals)))
    return readings


def shared_words(canonicals: Sequence[str]) -> str:
    """The words of the first name (the most named) whose stem every name holds, as it writes them ("" for none)."""
    shared = set(name_stems(canonicals))
    return " ".join(w for w in canonicals[0].split() if shared.intersection(text_stems(w))) if shared else ""


def text_read_as(readings: Iterable[TextReading]) -> tuple[tuple[str, str], ...]:
    """Filters.text_read_as of `readings`: (typed, Arabic) of each run that was read, once each."""
    return tuple(dict.fromkeys((r.typed, r.arabic) for r in readings if r.arabic))


def _search_names(
    cur: duckdb.DuckDBPyConnection,
    query: str,
    readings: list[latin.Reading],
    filters: Filters | None,
    limit: int,
    context: bool,
) -> pd.DataFrame:
    """search() of a query whose Latin words name entities: every Arabic word and every name must be in the
    article. A name is a group of alternatives, the entity postings of the entities it was read as (a one-word
    name also the word itself, as the index holds Latin words of the text: "SDF"), scored by the best of them;
    Latin words that read as no name stay ordinary words. Always "all"; an Arabic phrase is still verified."""
    parsed = _parsed_beside_names(query, readings)
    named = [r for r in readings if r.names]
    own = [_own_term(r) for r in named]
    ids = [term_id(t) for t in parsed.terms] + [i for i in own if i is not None]
    n_docs, avgdl, found = sql.term_stats(cur, ids)
    dfs = dict(zip(ids, found, strict=True))
    if any(not dfs[term_id(t)] for t in parsed.terms):
        return _empty()
    groups = [([term_id(t)], bm25_idf(n_docs, dfs[term_id(t)])) for t in parsed.terms]
    labels: list[list[frozenset[str]]] = [[frozenset({t})] for t in parsed.terms]
    for reading, own_id in zip(named, own, strict=True):
        alternatives = [entity_term_id(n.entity_key) for n in reading.names]
        stems = [frozenset(text_stems(n.canonical)) for n in reading.names]
        df = sum(n.articles for n in reading.names)  # at most: an article naming two of them counts twice
        if own_id is not None and dfs.get(own_id):
            alternatives.append(own_id)
            stems.append(frozenset({index_stem(normalize_text(reading.text)) or ""}))
            df += dfs[own_id]
        groups.append((alternatives, bm25_idf(n_docs, min(df, n_docs))))
        labels.append(stems)

    def rank(cur, _weighted, avgdl, k1, b, cte, params, limit, offset) -> list[tuple]:
        rows = sql.rank_groups(cur, groups, avgdl, k1, b, cte, params, limit, offset)
        return [
            (a, score, sorted(set().union(*(labels[g][k] for g, ks in enumerate(found) for k in ks))))
            for a, score, found in rows
        ]

    cte, params = _narrowing(filters)
    if parsed.phrases:
        rows = _phrase_filtered(cur, rank, [], avgdl, cte, params, parsed.phrases, limit)
    else:
        rows = rank(cur, [], avgdl, K1, B, cte, params, limit, 0)
    matched = {row[0]: set(row[2]) for row in rows}
    return _framed(cur, rows, context, matched.__getitem__, parsed.phrases)


def _framed(
    cur: duckdb.DuckDBPyConnection,
    rows: list[tuple],
    context: bool,
    stems_of: Callable[[int], set[str]],
    phrases: Sequence[str],
) -> pd.DataFrame:
    """The result frame of ranked (article_id, score, matched_terms) rows; with `context`, each article's best
    sentence for the stems `stems_of(article_id)`, and its metadata."""
    if not rows:
        return _empty()
    if not context:
        # Built in one go: adding six empty columns one by one and reindexing cost 1.4 ms a query, 0.25 so.
        ids, scores, matched = zip(*rows)
        empty = [None] * len(rows)
        found = {"article_id": ids, "score": scores, "matched_terms": matched}
        return pd.DataFrame({c: found.get(c, empty) for c in RESULT_COLUMNS}, columns=RESULT_COLUMNS)
    frame = pd.DataFrame(rows, columns=["article_id", "score", "matched_terms"])
    extra = pd.DataFrame(_context(cur, frame["article_id"].tolist(), stems_of, phrases),
                         columns=["article_id", *RESULT_COLUMNS[3:]])
    frame = frame.merge(extra, on="article_id", how="left")
    return frame[RESULT_COLUMNS]


def best_sentence(
    sentences: Iterable[tuple[int, str, str]], stems: set[str], phrases: Sequence[str] = ()
) -> tuple[int, str, str] | None:
    """The (seq, raw, normalised) sentence holding the most of the quoted `phrases`, then the most distinct query
    stems (earliest on ties), or None when no sentence has either. Phrases come first: a result for "مخطط انقلاب"
    showed an earlier sentence with انقلاب alone, nothing marked, when the phrase was in "مخطط انقلابي" (whose
    stem is not انقلاب)."""
    best: tuple[tuple[int, int], int, str, str] | None = None
    for seq, raw, norm in sorted(sentences):
        found = (sum(1 for p in phrases if p in norm), len(stems.intersection(map(index_stem, tokenize(norm)))))
        if any(found) and (best is None or found > best[0]):
            best = (found, seq, raw, norm)
    return best[1:] if best else None


def _context(
    cur: duckdb.DuckDBPyConnection, ids: list[int], stems_of: Callable[[int], set[str]], phrases: Sequence[str] = ()
) -> list[tuple]:
    """Per article: seq and text of its best sentence (the title, seq -1, when only the title matches, or only the
    title holds a quoted phrase), published, title and source."""
    by_article: dict[int, list[tuple[int, str, str]]] = {}
    for article_id, seq, raw, norm in sql.result_sentences(cur, ids):
        by_article.setdefault(article_id, []).append((seq, raw, norm))
    rows = []
    metadata = sql.result_metadata(cur, ids)
    # An untitled article is listed by its opening words, as on every other page.
    opened = openings.untitled_openings(cur, [row[0] for row in metadata if row[2] is None])
    for article_id, published, title, source, title_norm, url in metadata:
        found = best_sentence(by_article.get(article_id, []), stems_of(article_id), phrases)
        if phrases and found and not any(p in found[2] for p in phrases) and any(p in (title_norm or "") for p in phrases):
            found = None  # the title holds the phrase that no sentence does
        seq, sentence, sentence_norm = found if found else (-1, title, title_norm)
        rows.append((article_id, seq, published, title or opened.get(article_id), source, url, sentence, sentence_norm))
    return rows


def _phrase_verifier(cur: duckdb.DuckDBPyConnection, phrases: Sequence[str]) -> Callable[[list[int]], set[int]]:
    """Which of some article ids hold every phrase: read from the built search_text bodies when every article has
    one (and no phrase spans a line), else from the stored sentences. Chosen once per query, not per round."""
    if sql.texts_complete(cur) and not any("\n" in p for p in phrases):
        return lambda ids: _bodies_with_phrases(cur, ids, phrases)
    return lambda ids: sql.articles_with_phrases(cur, ids, list(phrases))


def _phrase_filtered(cur, rank, weighted, avgdl, cte, params, phrases, limit) -> list[tuple]:
    """Ranked candidates verified in rounds, in rank order, until `limit` of them contain every phrase.

    Verifying reads each candidate's search_text body (tens of microseconds; from `sentences`, for a store
    whose bodies are not all built yet, about 1 ms), so as few candidates as will do are verified: the first
    round is just over the limit, and each later one is sized from the share of candidates that held the phrase
    so far (fixed x4 growth when none did). Any schedule keeps the same articles: the first `limit` in rank order that hold it.
    The candidates are ranked once, all PHRASE_CANDIDATES of them: ranking costs the same for 66 as for 4,000
    (every posting of the terms is read either way), and a ranking per round cost 30 ms each."""
    ranked = rank(cur, weighted, avgdl, K1, B, cte, params, PHRASE_CANDIDATES, 0)
    holding = _phrase_verifier(cur, phrases)
    kept: list[tuple] = []
    offset, size = 0, limit + PHRASE_MARGIN
    while offset < len(ranked):
        batch = ranked[offset : offset + size]
        ids = [r[0] for r in batch]
        found = holding(ids)
        kept.extend(r for r in batch if r[0] in found)
        if len(kept) >= limit:
            break
        offset += len(batch)
        if kept:
            size = math.ceil((limit - len(kept)) * offset / len(kept) * PHRASE_SLACK) + PHRASE_MARGIN
        else:
            size *= PHRASE_GROWTH
    return kept[:limit]


def _bodies_with_phrases(cur: duckdb.DuckDBPyConnection, ids: list[int], phrases: Sequence[str]) -> set[int]:
    """Those of `ids` whose search_text body holds every phrase: sql.articles_with_phrases' answer (a phrase
    without a line break is in the body exactly when it is inside one of its lines)."""
    # UTF-8 is self-synchronising: a phrase's bytes occur in the body's bytes exactly where the phrase occurs in
    # its text, so the body is never decoded.
    wanted = [phrase.encode() for phrase in phrases]
    found = set()
    for article_id, body in sql.article_bodies(cur, ids):
        text = zlib.decompress(body)
        if all(phrase in text for phrase in wanted):
            found.add(article_id)
    return found
