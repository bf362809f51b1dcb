"""Article identity (exact content hash) and story fingerprints (MinHash LSH) for near-duplicates."""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

from basira.model import ParsedArticle
from basira.normalize import tokenize

PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 Jaccard collide in some band with high probability
ROWS = PERMUTATIONS // BANDS
# Estimated Jaccard over which two articles are the same story (agreeing signature positions / 64).
SAME_STORY = 0.5
SHINGLE = 3
_MERSENNE = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20251111)  # fixed: signatures must be comparable across runs and machines
_A = _rng.integers(1, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.uint64)
_EMPTY = np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint64)


def content_hash(article: ParsedArticle) -> str:
    """Stable identity of an article's content: its normalised title and body, whatever the source."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update((article.title_raw and _norm_title(article) or "").encode())
    for sentence in article.sentences:
        digest.update(b"\n")
        digest.update(sentence.text_norm.encode())
    return digest.hexdigest()


def _norm_title(article: ParsedArticle) -> str:
    from basira.normalize import normalize_text

    return normalize_text(article.title_raw or "")


def story_tokens(article: ParsedArticle) -> list[str]:
    return [t for s in article.sentences if not s.is_boilerplate for t in tokenize(s.text_norm)]


def signature(tokens: list[str]) -> np.ndarray:
    """MinHash signature over word shingles; token hashes are CRC32 so they are stable across processes."""
    if not tokens:
        return _EMPTY.copy()
    token_hashes = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    if len(token_hashes) >= SHINGLE:
        shingles = token_hashes[: 1 - SHINGLE] * np.uint64(1000003)
        shingles = (shingles ^ token_hashes[1 : len(token_hashes) - SHINGLE + 2]) * np.uint64(1000003)
        shingles ^= token_hashes[SHINGLE - 1 :]
    else:
        shingles = token_hashes
    shingles = np.unique(shingles & np.uint64(0xFFFFFFFF))
    hashed = (shingles[:, None] * _A[None, :] + _B[None, :]) % _MERSENNE
    return hashed.min(axis=0)


def band_buckets(sig: np.ndarray) -> list[int]:
    """One bucket key per band (fits DuckDB UBIGINT)."""
    rows = sig.reshape(BANDS, ROWS)
    return [int.from_bytes(hashlib.blake2b(r.tobytes(), digest_size=8).digest(), "little") for r in rows]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
