"""The phrase index (morphology.Lexicon) and the one-pass Scanner: what they find, against a brute-force reference."""

from __future__ import annotations

import gc

from basira.analysis.doc import Doc, Scanner, prepare_doc
from basira.analysis.morphology import Lexicon
from basira.model import Sentence
from basira.normalize import normalize_text


def _doc(*texts: str) -> Doc:
    return prepare_doc([Sentence(i, 0, 0, len(t), t, normalize_text(t)) for i, t in enumerate(texts)])


def _brute_force(lex: Lexicon, doc: Doc) -> set[tuple[str, int, int]]:
    """Every (term, first, last) where each word of a phrase sits on consecutive tokens."""
    out = set()
    for e in lex.entries():
        for first in range(doc.n - len(e.positions) + 1):
            if all(doc.toks[first + k] in forms for k, forms in enumerate(e.positions)):
                out.add((e.term, first, first + len(e.positions) - 1))
    return out


def _found(lex: Lexicon, doc: Doc) -> set[tuple[str, int, int]]:
    return {(e.term, first, last) for e, first, last in lex.find(doc)}


def test_phrases_sharing_an_anchor_with_different_neighbours():
    # "الدولي" is the rarest word of both phrases; each must still check its own neighbour.
    lex = Lexicon(rank={"مجلس": 0, "الامن": 1, "المجتمع": 2})
    lex.add_name("مجلس الأمن الدولي", "unsc")
    lex.add_name("المجتمع الدولي", "community")
    doc = _doc("دعا مجلس الأمن الدولي والمجتمع الدولي إلى التهدئة", "المجتمع الدولي غائب")
    assert sorted(_found(lex, doc)) == [("المجتمع الدولي", 4, 5), ("المجتمع الدولي", 9, 10),
                                         ("مجلس الامن الدولي", 1, 3)]
    assert _found(lex, doc) == _brute_force(lex, doc)


def test_phrases_with_the_same_neighbour_word_share_one_numbered_form_set():
    lex = Lexicon(rank={"النظام": 0})
    lex.add_name("قوات النظام", "forces")
    lex.add_name("جيش النظام", "army")
    lex.add_name("وحدات النظام", "units")
    # the anchor is the rarer first word of each phrase; "النظام" after it is one form set, numbered once
    assert lex.member["النظام"] == frozenset({0})
    doc = _doc("اشتبكت قوات النظام مع جيش النظام ووحدات النظام")
    assert sorted(_found(lex, doc)) == [("جيش النظام", 4, 5), ("قوات النظام", 1, 2), ("وحدات النظام", 6, 7)]
    assert _found(lex, doc) == _brute_force(lex, doc)


def test_inflected_terms_match_like_the_brute_force_reference():
    lex = Lexicon(rank={})
    for term in ("أجهزة الأمن", "الأمن العام", "سجن صيدنايا", "اعتقال", "قوات الأمن الداخلي"):
        lex.add_term(term, term)
    doc = _doc("وقالت أجهزة الأمن إن الأمن العام نفذ اعتقالات قرب سجن صيدنايا",
               "وانتشرت قوات الأمن الداخلي، والأمن العام")
    found = _found(lex, doc)
    assert found == _brute_force(lex, doc)
    assert sorted(found, key=lambda h: h[1]) == [
        ("اجهزه الامن", 1, 2), ("الامن العام", 4, 5), ("اعتقال", 7, 7), ("سجن صيدنايا", 9, 10),
        ("قوات الامن الداخلي", 13, 15), ("الامن العام", 17, 18)]


def test_keys_are_the_anchor_forms():
    lex = Lexicon(rank={"السوري": 0})
    lex.add_name("النظام السوري", "x")  # anchored on its first word, which takes the clitics
    assert lex.keys() == frozenset({"النظام", "والنظام", "بالنظام", "للنظام", "كالنظام", "فالنظام", "وبالنظام",
                                    "وللنظام", "وكالنظام", "فبالنظام", "فللنظام", "فكالنظام"})
    assert [e.term for e in lex.entries()] == ["النظام السوري"]
    assert lex.first  # non-empty lexicon


def test_scanner_sees_keys_added_after_a_scan():
    scanner = Scanner()
    scanner.add("a", {"x", "y"})
    scanner.add("b", {"y", "z"})
    scanner.add("c", {"y"})
    doc = _doc("x y z w y")
    scanner.scan(doc)
    assert doc.hits == {"a": [0, 1, 4], "b": [1, 2, 4], "c": [1, 4]}
    assert scanner.owners("y") == ("a", "b", "c")  # in registration order
    # keys added after a scan are seen by the next scan
    scanner.add("d", {"w"})
    doc = _doc("x y z w y")
    scanner.scan(doc)
    assert doc.hits == {"a": [0, 1, 4], "b": [1, 2, 4], "c": [1, 4], "d": [3]}
    # re-adding a name replaces its keys
    scanner.add("a", {"z"})
    doc = _doc("x y z w y")
    scanner.scan(doc)
    assert doc.hits == {"a": [2], "b": [1, 2, 4], "c": [1, 4], "d": [3]}
    assert doc.vocab == {"x", "y", "z", "w"}


def test_load_leaves_the_garbage_collector_as_it_found_it():
    import basira.analysis as analysis

    analysis.reload()
    assert gc.isenabled()
    analysis.taxonomy()
    assert gc.isenabled()
    gc.disable()
    try:
        analysis.reload()
        analysis.taxonomy()
        assert not gc.isenabled()
    finally:
        gc.enable()
