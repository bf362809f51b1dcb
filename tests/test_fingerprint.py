"""Content identity and MinHash story fingerprints."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from basira import fingerprint, reader
from basira.model import ParsedArticle, Sentence
from basira.normalize import normalize_text, rejoined_norms
from basira.sentences import paragraph_norms, split_sentences

ROOT = Path(__file__).resolve().parent.parent
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


# Signatures are stored and compared with those of later batches, so their values must never change: these
# were computed by the per-article code that preceded signatures() (blake2b-8 of the stored blob).
PINNED_SIGNATURES = [
    ("empty", [], [4294967295, 4294967295, 4294967295], "feaee0257933ce3f"),
    ("one token", ["سوريا"], [3402407658, 2625301633, 504678133], "f8fbee136879d916"),
    ("a repeated token", ["سوريا", "سوريا"], [794722503, 2581965226, 4183558890], "cb105d0d16991452"),
    ("a sentence", "اعلنت وزارة الداخلية السورية القبض على خلية".split(), [543963725, 39136229, 430596195],
     "b17620b4d3b9086b"),
]


@pytest.mark.parametrize(("name", "tokens", "first", "digest"), PINNED_SIGNATURES, ids=[c[0] for c in PINNED_SIGNATURES])
def test_signature_values_never_change(name, tokens, first, digest):
    sig = fingerprint.signature(tokens)
    assert sig[:3].tolist() == first
    assert hashlib.blake2b(fingerprint.to_blob(sig), digest_size=8).hexdigest() == digest


def test_signatures_of_many_lists_at_once_are_each_list_s_own():
    # Empty and one-token lists between long ones: no shingle may cross from one list into the next.
    lists = [_text(5), [], ["سوريا"], _text(6, 2), [], [], ["سوريا"], _text(7, 40) * 3, ["a", "b", "a", "b"], []]
    found = fingerprint.signatures(lists)
    assert found.shape == (len(lists), fingerprint.PERMUTATIONS)
    for row, tokens in zip(found, lists, strict=True):
        assert (row == fingerprint.signature(tokens)).all()
    assert (found[2] == found[6]).all() and not (found[2] == found[1]).any()
    assert fingerprint.signatures([]).shape == (0, fingerprint.PERMUTATIONS)


def test_seed_articles_keep_their_signatures():
    articles = [a for a in reader.read_path(ROOT / "seeds") if isinstance(a, ParsedArticle)]
    found = fingerprint.signatures([fingerprint.story_tokens(a) for a in articles])
    assert len(articles) == 12
    # 10aeaff63ec32c39 until normalize.VERSION 2 folded مسؤول as مسئول (four seeds hold such a word).
    assert hashlib.blake2b(b"".join(map(fingerprint.to_blob, found)), digest_size=8).hexdigest() == "56d9e5c6e1f604c9"


def test_band_buckets_are_stable_and_one_per_band():
    sig = fingerprint.signature(_text(4))
    assert fingerprint.band_buckets(sig) == fingerprint.band_buckets(sig.copy())
    assert len(fingerprint.band_buckets(sig)) == fingerprint.BANDS


def _article(text: str, title: str | None = None) -> ParsedArticle:
    return ParsedArticle("x.txt", "", text, title_raw=title, sentences=split_sentences(text))


def _cut(text: str, at: list[int]) -> list[Sentence]:
    """The sentences of one line cut at offsets `at` and trimmed of white space, as any splitter would cut it."""
    bounds = [0, *at, len(text)]
    spans = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b - len(text[a:b]) + len(text[a:b].rstrip()))
             for a, b in zip(bounds, bounds[1:])]
    return [Sentence(i, 0, a, b, text[a:b], normalize_text(text[a:b])) for i, (a, b) in enumerate(spans)]


def test_content_hash_depends_on_text_and_title_only():
    a = _article("سطر اول\nسطر ثان", "عنوان")
    b = _article("سطر اول\nسطر ثان", "عنوان")
    b.source_path, b.url = "elsewhere.jsonl", "https://example.org"
    assert fingerprint.content_hash(a) == fingerprint.content_hash(b)


# (text A, title A, text B, title B, the same content?): the normalised title and body words in order, white space
# of any kind and length one separator.
SAME_CONTENT = [
    ("a line break is a space", "سطر اول\nسطر ثان", "ت", "سطر اول سطر ثان", "ت", True),
    ("blank lines and spaces", "قال المصدر.\n\n  وأضاف إن  ", "ت", "قال المصدر. وأضاف إن", "ت", True),
    ("the folds", "قالت الإدارة", "ت", "قالت الاداره", "ت", True),
    ("a space is not nothing", "عن سببه.وقال المرصد", "ت", "عن سببه. وقال المرصد", "ت", False),
    ("another title", "سطر اول", "عنوان", "سطر اول", "عنوان اخر", False),
    ("no title", "سطر اول", None, "سطر اول", "", True),
    ("another word", "سطر اول", "ت", "سطر ثان", "ت", False),
]


@pytest.mark.parametrize(("name", "text_a", "title_a", "text_b", "title_b", "same"), SAME_CONTENT,
                         ids=[c[0] for c in SAME_CONTENT])
def test_content_hash_is_of_the_title_and_the_body_words(name, text_a, title_a, text_b, title_b, same):
    a, b = fingerprint.content_hash(_article(text_a, title_a)), fingerprint.content_hash(_article(text_b, title_b))
    assert (a == b) is same


@pytest.mark.parametrize("at", [[], [8], [8, 13], [3, 8]])
def test_content_hash_does_not_depend_on_where_sentences_end(at):
    text = "عن سببه.وقال المرصد"
    article = ParsedArticle("x.txt", "", text, title_raw="ت", sentences=_cut(text, at))
    assert fingerprint.content_hash(article) == fingerprint.content_hash(_article(text, "ت"))


def test_read_ahead_body_is_the_sentences_rejoined():
    text = "عن سببه.وقال المرصد  إن\n\n\u0640\u0640.\n  سطر   ثالث؟ نعم"
    body = fingerprint.body_norm(paragraph_norms(text))
    assert body == rejoined_norms((s.start, s.end, s.text_norm) for s in split_sentences(text))
    assert body == "عن سببه.وقال المرصد ان . سطر ثالث? نعم"


def test_seed_articles_keep_their_content_hashes():
    """Stored hashes are compared with those of every later batch: a change to the definition must come with
    HASH_VERSION and a rehash of older stores (ingest.rehash)."""
    articles = [a for p in sorted((ROOT / "seeds").glob("*.txt")) for a in reader.read_path(p)]
    digest = hashlib.blake2b("".join(map(fingerprint.content_hash, articles)).encode(), digest_size=8).hexdigest()
    assert (len(articles), fingerprint.HASH_VERSION, digest) == (12, "2", "6b063ef2ce1c43f0")
