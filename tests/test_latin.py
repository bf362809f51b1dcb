"""Latin names in search queries: folding, the three matching tiers, and reading a query against a few names."""

from __future__ import annotations

import pytest

from basira.latin import (
    Name,
    NameIndex,
    Reading,
    fold_word,
    latin_runs,
    loose_word,
    name_tier,
    name_words,
    within_one_edit,
    without_latin,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hay'at Tahrir al-Sham", ("hayat", "tahrir", "sham")),
        ("Hayat Tahrir el Sham", ("hayat", "tahrir", "sham")),
        ("Ṣaydnāyā", ("saydnaya",)),
        ("BASHAR AL-ASSAD", ("bashar", "assad")),
        ("Mu\u2019adh al\u2011Khatib", ("muadh", "khatib")),  # any dash is a hyphen
        ("Sa\u02bfd", ("sad",)),
        ("al", ()),
    ],
)
def test_name_words(text, words):
    assert name_words(text) == words


@pytest.mark.parametrize(
    ("folded", "loose"),
    [
        ("sednaya", "sadnaia"),
        ("saydnaya", "saidnaia"),
        ("assad", "asad"),
        ("hafez", "hafaz"),
        ("youssef", "yusaf"),
        ("yusuf", "yusuf"),  # a first y stays a consonant
        ("sheikh", "shaikh"),
        ("mohammed", "muhamad"),
    ],
)
def test_loose_word(folded, loose):
    assert loose_word(folded) == loose


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [("sadnaia", "saidnaia", True), ("saidnaia", "sadnaia", True), ("abc", "abd", True), ("abc", "abc", True),
     ("abc", "ab", True), ("abc", "cab", False), ("abcd", "ab", False), ("sidnaia", "sidnai", True)],
)
def test_within_one_edit(a, b, near):
    assert within_one_edit(a, b) is near


@pytest.mark.parametrize(
    ("query", "name", "tier"),
    [
        ("Saydnaya", "Saydnaya", 1),
        ("saydnaya", "Saydnaya", 1),
        ("Ṣaydnāyā", "Saydnaya", 1),
        ("Hay'at Tahrir al-Sham", "Hayat Tahrir al-Sham", 1),
        ("Assad", "Bashar al-Assad", 1),
        ("el-Assad", "Bashar al-Assad", 1),
        ("Anas Khattab", "Anas Khattab", 1),
        ("Assad", "Asaad al-Shaibani", 2),  # only once double letters fold: the reader prefers tier 1
        ("Mohamed", "Mohammed al-Ahmad", 2),
        ("Sheikh", "Shaikh Maqsoud", 2),
        ("Sednaya", "Saydnaya", 3),
        ("Sidnaya", "Saydnaya", 3),
        ("Seidnaya", "Saydnaya", 2),
        # No: a different first or last letter, too short for an edit, not consecutive, not all words.
        ("Sidnaya", "Sydney", None),
        ("Sudan", "Saydnaya", None),
        ("Asal", "Assad", None),
        ("Bashar Assad", "Assad Bashar", None),
        ("Anas Khattab", "Anas al-Bda", None),
    ],
)
def test_name_tier(query, name, tier):
    assert name_tier(name_words(query), name_words(name)) == tier


@pytest.mark.parametrize(
    ("query", "runs", "rest"),
    [
        ("Saydnaya", ["Saydnaya"], " "),
        ("سجن Saydnaya", ["Saydnaya"], "سجن  "),
        ("Anas Khattab وزير", ["Anas Khattab"], "  وزير"),
        ("Hay'at Tahrir al-Sham", ["Hay'at Tahrir al-Sham"], " "),
        ("صيدنايا", [], "صيدنايا"),
        ("- '", [], " "),
    ],
)
def test_latin_runs_and_the_rest(query, runs, rest):
    assert latin_runs(query) == runs
    assert without_latin(query) == rest


BASHAR = Name("per:bashar_al_assad", "بشار الأسد", "Bashar al-Assad", 818)
HAFEZ = Name("per:hafez_al_assad", "حافظ الأسد", "Hafez al-Assad", 50)
ASAAD = Name("per:asaad_al_shaibani", "أسعد الشيباني", "Asaad al-Shaibani", 80)
SAYDNAYA = Name("loc:saydnaya", "صيدنايا", "Saydnaya", 15)
SYDNEY = Name("loc:sydney", "سيدني", "Sydney", 16)
HTS = Name("org:hts", "هيئة تحرير الشام", "Hayat Tahrir al-Sham", 195)
SHAM = Name("loc:al_sham", "الشام", "al-Sham", 191)
NAMES = NameIndex([BASHAR, HAFEZ, ASAAD, SAYDNAYA, SYDNEY, HTS, SHAM])


@pytest.mark.parametrize(
    ("query", "readings"),
    [
        ("Assad", [Reading("Assad", (BASHAR, HAFEZ), 1)]),
        ("Asaad", [Reading("Asaad", (ASAAD,), 1)]),
        ("Sednaya", [Reading("Sednaya", (SAYDNAYA,), 3)]),
        ("Sidnaya", [Reading("Sidnaya", (SAYDNAYA,), 3)]),
        ("Hay'at Tahrir al-Sham", [Reading("Hay'at Tahrir al-Sham", (HTS,), 1)]),
        ("al-Sham", [Reading("al-Sham", (HTS, SHAM), 1)]),
        ("Bashar al-Assad", [Reading("Bashar al-Assad", (BASHAR,), 1)]),
        # A run is one name, never pieces of two ("Anas Khattab" is not some Anas and some Khattab); two names are
        # two runs.
        ("Assad Saydnaya", [Reading("Assad Saydnaya", (), None)]),
        ("Assad, Saydnaya", [Reading("Assad", (BASHAR, HAFEZ), 1), Reading("Saydnaya", (SAYDNAYA,), 1)]),
        ("سجن Sednaya", [Reading("Sednaya", (SAYDNAYA,), 3)]),
        ("Xyzzy Saydnaya", [Reading("Xyzzy Saydnaya", (), None)]),
        ("al", [Reading("al", (), None)]),
        ("صيدنايا", []),
    ],
)
def test_reading_a_query(query, readings):
    assert NAMES.read(query, 50) == readings


def test_reading_keeps_the_names_most_named_first_up_to_the_limit():
    assert NAMES.read("Assad", 1) == [Reading("Assad", (BASHAR,), 1)]


def test_folding_is_the_same_for_every_apostrophe_mark():
    assert {fold_word(w) for w in ("Sa'd", "Sa\u2019d", "Sa\u2018d", "Sa`d", "Sa\u02bfd", "Sa\u02bed", "Sa\u00b4d")} == {"sad"}
