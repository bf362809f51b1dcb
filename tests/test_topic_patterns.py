"""The literal prefixes that let topic patterns skip sentences: exact sets, and no change to the tags."""

from __future__ import annotations

import dataclasses
import re

import pytest

from basira.analysis.doc import Doc, Scanner, prepare_doc
from basira.analysis.topics import _literal_prefixes, load_taxonomy, tag_topics
from basira.model import Sentence
from basira.normalize import normalize_text


@pytest.mark.parametrize(
    "pattern, prefixes",
    [
        ("abc", ("abc",)),
        (r"a(?:b|c)d\S+", ("abd", "acd")),
        ("[ab]c", ("ac", "bc")),
        (r"(?P<t0>(?:ab)|(?:cd))|(?P<t1>(?:ef))", ("ab", "cd", "ef")),
        (r"(?:زود|مداد)\S*(?: \S+){0,3} سلاح", ("زود", "مداد")),
        ("abc|xabcy", ("abc",)),  # a string holding another one adds nothing
        ("(?:tr|tri)x", ("trix", "trx")),
        # no finite set of literal starts: every sentence is searched
        ("(?:x)?y", None),
        (".x", None),
        (r"\bfoo", None),
        (r"\S+foo", None),
        ("ab|", None),
        ("(?i)foo", None),
    ],
)
def test_literal_prefixes(pattern: str, prefixes: tuple[str, ...] | None):
    assert _literal_prefixes(re.compile(pattern)) == prefixes


def test_taxonomy_patterns_have_prefixes():
    taxonomy = load_taxonomy()
    assert taxonomy.pattern is not None
    prefixes = taxonomy.pattern_prefixes
    assert prefixes is not None and normalize_text("تدريب") in prefixes and normalize_text("بالكلور") in prefixes


def _doc(taxonomy, *texts: str) -> Doc:
    doc = prepare_doc([Sentence(i, i, 0, len(t), t, normalize_text(t)) for i, t in enumerate(texts)])
    scanner = Scanner()
    taxonomy.register(scanner)
    scanner.scan(doc)
    return doc


@pytest.mark.parametrize(
    "texts",
    [
        ("أعلنت الوزارة تدريب عناصر الشرطة الجدد", "وقال المتحدث إن الجيش يواصل عمله"),
        ("ضبطت السلطات شحنة أسلحة", "واتهمت الحكومة جهات بتهريب الأسلحة والذخائر إلى الداخل"),
        ("تطهير الأجهزة الأمنية مطلب شعبي", "قصفت الطائرات المدينة بالكلور"),
        ("لا شيء هنا", "خبر عن الطقس"),
    ],
)
def test_prefixes_skip_sentences_without_changing_tags(texts: tuple[str, ...]):
    taxonomy = load_taxonomy()
    everywhere = dataclasses.replace(taxonomy, pattern_prefixes=None)
    with_prefixes = tag_topics(taxonomy, _doc(taxonomy, *texts))
    assert with_prefixes == tag_topics(everywhere, _doc(everywhere, *texts))


def test_a_pattern_match_is_found_through_the_prefixes():
    taxonomy = load_taxonomy()
    tags = tag_topics(taxonomy, _doc(taxonomy, "خبر عن الطقس", "واتهمت الحكومة جهات بتهريب كميات من الأسلحة"))
    weapons = [t for t in tags if t.topic == "weapons"]
    # the weak term first, then the pattern (the sentence holds the prefix "تهريب")
    assert [(e.seq, e.term) for e in weapons[0].evidence] == [
        (1, normalize_text("الأسلحة")), (1, normalize_text("تهريب كميات من الأسلحة"))]
