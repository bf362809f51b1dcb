"""Article identity (exact content hash) and story fingerprints (MinHash LSH) for near-duplicates."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from itertools import chain

import numpy as np

from basira.model import ParsedArticle
from basira.normalize import normalize_text, rejoined_norms, tokenize

PERMUTATIONS = 64
# 32 bands of 2 rows: a pair at 0.3 Jaccard shares a band with probability ~0.95, so LSH finds the
# candidates and the stored signatures decide.
BANDS = 32
ROWS = PERMUTATIONS // BANDS
# Estimated word-bigram Jaccard from which two articles are the same story. Measured on the seeds: a rewrite
# of the same agency story by another outlet scores 0.33 (true), unrelated security-news pairs at most 0.04.
# With 64 permutations the estimate's spread is ~0.06 at 0.3, so 0.2 keeps a margin on both sides.
SAME_STORY = 0.2
_rng = np.random.default_rng(20251111)  # fixed: signatures must be comparable across runs and machines
# Multiply-shift hashing: (a*x + b) mod 2^64, top 32 bits, with a odd. It relies on uint64 wrap-around; a
# small multiplier modulo a large prime would barely wrap and rank shingles the same way in every permutation.
_A = _rng.integers(0, np.iinfo(np.uint64).max, size=PERMUTATIONS, dtype=np.uint64, endpoint=True) | np.uint64(1)
_B = _rng.integers(0, np.iinfo(np.uint64).max, size=PERMUTATIONS, dtype=np.uint64, endpoint=True)
_EMPTY = np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint64)


# The version of content_hash's definition; a store records the one its hashes were made with (meta
# 'content_hash_version', absent: "1", the hash of the list of sentences) and the writer rehashes an older store
# (ingest.rehash) before comparing it with new articles.
HASH_VERSION = "2"


def content_hash(article: ParsedArticle, title: str | None = None) -> str:
    """Stable identity of an article's content: its normalised title and body, whatever the source.
    `title` is the article's title_norm when the caller already has it.

    The same content is the same normalised title and the same normalised body words in the same order: line
    breaks, paragraph breaks and runs of white space are one space, and where the sentence splitter cuts the
    body plays no part (normalize.rejoined_norms). A change to the splitter or its line rules rehashes nothing,
    and the ingest's read-ahead hashes the body without splitting it (body_norm)."""
    body = rejoined_norms((s.start, s.end, s.text_norm) for s in article.sentences)
    return hash_of(title_norm(article) if title is None else title, body)


def hash_of(title: str, body: str) -> str:
    """content_hash from an article's normalised title and body as one line (see content_hash)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(title.encode())
    if body:
        digest.update(("\n" + body).encode())
    return digest.hexdigest()


def body_norm(paragraph_norms: list[str]) -> str:
    """The body content_hash reads, from the normalised text of each of its lines (sentences.paragraph_norms)."""
    return " ".join(filter(None, paragraph_norms))


def title_norm(article: ParsedArticle) -> str:
    return normalize_text(article.title_raw) if article.title_raw else ""


def story_tokens(article: ParsedArticle) -> list[str]:
    return story_tokens_of([s.text_norm for s in article.sentences if not s.is_boilerplate])


def story_tokens_of(body_norms: Iterable[str]) -> list[str]:
    """The story tokens of an article's non-boilerplate sentences (their text_norm, in order): one definition for
    ingest and for the stores' re-split and re-normalise steps, whose signatures must equal a fresh ingest's."""
    # Tokens never span a line break, so tokenising the joined sentences gives the per-sentence tokens in order.
    return tokenize("\n".join(body_norms))


def signature(tokens: list[str]) -> np.ndarray:
    """MinHash signature over word shingles; token hashes are CRC32 so they are stable across processes."""
    return signatures([tokens])[0]


def signatures(token_lists: list[list[str]]) -> np.ndarray:
    """The MinHash signature of each token list (word bigram shingles, CRC32 token hashes: stable across
    processes), as an (n, PERMUTATIONS) array; an empty list gets _EMPTY. A unit's articles are signed at once:
    per article, a dozen small numpy calls cost more than their arithmetic (0.11-0.14 -> 0.08-0.10 ms an
    article). A minimum does not see duplicates, so shingles are not deduplicated."""
    found = np.tile(_EMPTY, (len(token_lists), 1))
    sizes = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    if not sizes.any():
        return found
    token_hashes = np.fromiter(
        map(zlib.crc32, map(str.encode, chain.from_iterable(token_lists))), dtype=np.uint64, count=int(sizes.sum())
    )
    # Word bigrams within each list: each token hash with the next one's. A list of one token is its one shingle.
    ends = np.cumsum(sizes)
    pairs = np.ones(token_hashes.size, dtype=bool)
    pairs[ends[sizes > 0] - 1] = False
    shingles = token_hashes[:-1][pairs[:-1]] * np.uint64(1000003) ^ token_hashes[1:][pairs[:-1]]
    single = ends[sizes == 1] - 1
    shingles_per_list = np.where(sizes == 1, 1, np.maximum(sizes - 1, 0))
    if single.size:
        # Each single token goes where its list's shingles would be, keeping the lists in order.
        at = np.searchsorted(np.flatnonzero(pairs[:-1]), single)
        shingles = np.insert(shingles, at, token_hashes[single])
    shingles &= np.uint64(0xFFFFFFFF)
    filled = shingles_per_list > 0
    starts = (np.cumsum(shingles_per_list) - shingles_per_list)[filled]
    # One permutation at a time (a whole matrix of a unit of long articles would take gigabytes). Multiply-shift
    # keeps the top 32 bits, and the shift is monotone, so the minimum's top bits are the minimum of the top bits.
    minima = np.empty((PERMUTATIONS, int(filled.sum())), dtype=np.uint64)
    hashed = np.empty_like(shingles)
    for p in range(PERMUTATIONS):
        np.multiply(shingles, _A[p], out=hashed)
        hashed += _B[p]
        np.minimum.reduceat(hashed, starts, out=minima[p])
    found[filled] = minima.T >> np.uint64(32)
    return found


def band_buckets(sig: np.ndarray) -> list[int]:
    """One bucket key per band (fits DuckDB UBIGINT)."""
    rows = sig.reshape(BANDS, ROWS)
    return [int.from_bytes(hashlib.blake2b(r.tobytes(), digest_size=8).digest(), "little") for r in rows]


def band_matrix(sigs: np.ndarray) -> np.ndarray:
    """band_buckets of each row of a (n, PERMUTATIONS) signature matrix, as an (n, BANDS) array."""
    found = np.empty((len(sigs), BANDS), dtype=np.uint64)
    for i, sig in enumerate(sigs):
        found[i] = band_buckets(sig)
    return found


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard: the share of positions where two signatures agree."""
    return float(np.mean(a == b))


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint64)


def from_blobs(blobs: list[bytes]) -> np.ndarray:
    """An (n, PERMUTATIONS) matrix of 32-bit signature values from stored blobs, in one pass."""
    return np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), PERMUTATIONS)
