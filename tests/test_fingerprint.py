"""Content identity and MinHash story fingerprints."""

from __future__ import annotations

import random

import pytest

from basira import fingerprint
from basira.model import ParsedArticle, Sentence

# A vocabulary of made-up Arabic-looking words; deterministic so the test is exact.
_rng = random.Random(7)
VOCAB = ["".join(_rng.choice("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") for _ in range(_rng.randint(3, 7))) for _ in range(5000)]


def _text(seed: int, n: int = 300) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(VOCAB) for _ in range(n)]


def _bigram_jaccard(a: list[str], b: list[str]) -> float:
    x, y = set(zip(a, a[1:])), set(zip(b, b[1:]))
    return len(x & y) / len(x | y)


def _edited(tokens: list[str], share: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(VOCAB) if rng.random() < share else t for t in tokens]


@pytest.mark.parametrize("share", [0.0, 0.05, 0.1, 0.2, 0.3, 0.5])
def test_signature_similarity_estimates_bigram_jaccard(share):
    errors = []
    for seed in range(20):
        original = _text(seed)
        copy = _edited(original, share, seed + 1000)
        estimate = fingerprint.similarity(fingerprint.signature(original), fingerprint.signature(copy))
        errors.append(estimate - _bigram_jaccard(original, copy))
    # 64 permutations: the spread is ~0.06 at worst; the mean error must be near zero (no bias).
    assert abs(sum(errors) / len(errors)) < 0.03
    assert max(abs(e) for e in errors) < 0.2


def test_unrelated_texts_are_far_below_the_same_story_threshold():
    estimates = [
        fingerprint.similarity(fingerprint.signature(_text(a)), fingerprint.signature(_text(a + 500)))
        for a in range(50)
    ]
    assert max(estimates) < fingerprint.SAME_STORY / 2


def test_lightly_edited_copy_is_the_same_story():
    original = _text(1)
    assert fingerprint.similarity(
        fingerprint.signature(original), fingerprint.signature(_edited(original, 0.1, 2))
    ) >= fingerprint.SAME_STORY


def test_signature_round_trips_through_storage():
    sig = fingerprint.signature(_text(3))
    assert (fingerprint.from_blob(fingerprint.to_blob(sig)) == sig).all()
    assert len(fingerprint.to_blob(sig)) == fingerprint.PERMUTATIONS * 4


def test_band_buckets_are_stable_and_one_per_band():
    sig = fingerprint.signature(_text(4))
    assert fingerprint.band_buckets(sig) == fingerprint.band_buckets(sig.copy())
    assert len(fingerprint.band_buckets(sig)) == fingerprint.BANDS


def _article(lines: list[str], title: str | None = None) -> ParsedArticle:
    sentences = [Sentence(i, i, 0, len(t), t, t) for i, t in enumerate(lines)]
    return ParsedArticle("x.txt", "", "\n".join(lines), title_raw=title, sentences=sentences)


def test_content_hash_depends_on_text_and_title_only():
    a = _article(["سطر اول", "سطر ثان"], "عنوان")
    b = _article(["سطر اول", "سطر ثان"], "عنوان")
    b.source_path, b.url = "elsewhere.jsonl", "https://example.org"
    assert fingerprint.content_hash(a) == fingerprint.content_hash(b)
    assert fingerprint.content_hash(a) != fingerprint.content_hash(_article(["سطر اول", "سطر ثان"], "عنوان اخر"))
    assert fingerprint.content_hash(a) != fingerprint.content_hash(_article(["سطر اول سطر ثان"], "عنوان"))
