"""Tables for every normaliser in basira.normalize, plus idempotency and the offset-preserving twin."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from basira import normalize as n

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Each row: function, raw input, expected output. Invisible, combining and look-alike characters are escaped;
# visible Arabic is written as is.
CASES = [
    (n.strip_diacritics, "\u0639\u064f\u0642\u0650\u062f", "عقد"),
    (n.strip_diacritics, "مُحَمَّد", "محمد"),
    (n.strip_diacritics, "عددًا", "عددا"),
    (n.strip_diacritics, "\u0647\u0670\u0630\u0627", "هذا"),
    (n.strip_diacritics, "plain", "plain"),
    (n.strip_tatweel, "ســوريا", "سوريا"),
    (n.strip_tatweel, "دمشق", "دمشق"),
    (n.strip_invisible, "أنس\u200f خطاب", "أنس خطاب"),
    (n.strip_invisible, "\ufeff\u202bحمص\u202c\u200b", "حمص"),
    (n.strip_invisible, "a\u00adb\u2066c\u2069", "abc"),
    (n.strip_control, "a\x00b\x07c\x1fd\x7f", "abcd"),
    (n.strip_control, "a\tb\nc\rd", "a\tb\nc\rd"),
    (n.normalize_alef, "أنس إدارة آذار \u0671", "انس ادارة اذار ا"),
    (n.normalize_alef_maqsura, "على موسى", "علي موسي"),
    (n.normalize_teh_marbuta, "الداخلية", "الداخليه"),
    (n.normalize_hamza_carriers, "مؤسسة رئيس", "موسسة رييس"),
    (n.normalize_hamza_before_waw, "مسؤول شؤون", "مسئول شئون"),
    (n.normalize_hamza_before_waw, "مؤتمر رؤساء تباطؤ وتراجع", "مؤتمر رؤساء تباطؤ وتراجع"),
    (n.normalize_digits, "١٢٠ معتقلاً", "120 معتقلاً"),
    (n.normalize_digits, "\u06f2\u06f0\u06f2\u06f5", "2025"),
    (n.normalize_digits, "2025", "2025"),
    (n.normalize_punctuation, "قال، هل؟ نعم؛", "قال, هل? نعم;"),
    (n.normalize_punctuation, "٥\u066a ٣\u066b٥ ١\u066c٠٠٠", "٥% ٣.٥ ١,٠٠٠"),
    (n.normalize_persian_letters, "\u06a9تاب فی \u06c1ذا \u06d5", "كتاب في هذا ه"),
    (n.normalize_newlines, "a\r\nb\rc\nd", "a\nb\nc\nd"),
    (n.collapse_spaces, "  a \t b  \n  c\u00a0\u00a0d \n", "a b\nc d\n"),
    (n.collapse_spaces, "a\u2003b\u3000c\u202fd\x85e", "a b c d e"),
    (n.collapse_spaces, "a\n\n b", "a\n\nb"),
    (n.collapse_spaces, "already clean\nlines", "already clean\nlines"),
    (n.collapse_spaces, " ", ""),
    (n.clean_raw, " date 2025-09-11 أثار\r\n\r\nوفي\u200f  حين ", "date 2025-09-11 أثار\n\nوفي حين"),
    (n.clean_raw, "عُقِدَ\u0640", "عُقِدَ\u0640"),
    (n.clean_raw, "\u0627\u0654", "\u0623"),
    (n.clean_raw, "a\x00b", "ab"),
    (n.normalize_text, "أنس خطّاب، وزير الداخلية", "انس خطاب, وزير الداخليه"),
    (n.normalize_text, "أفرج عن ١٢٠ معتقلاً", "افرج عن 120 معتقلا"),
    (n.normalize_text, "Posted BY وزارة on Thursday", "posted by وزاره on thursday"),
    (n.normalize_text, "إلى مؤتمر الرئيس؟", "الي موتمر الرييس?"),
    (n.normalize_text, "أ \u064b ب", "ا ب"),
    (n.normalize_text, "المسؤولين المسئولين المسـؤُولين", "المسيولين المسيولين المسيولين"),
    (n.normalize_text, "شؤون شئون اللاجئون اللاجئين", "شيون شيون اللاجيون اللاجيين"),
    (n.normalize_text, "ســوريا\n\n دمشق ", "سوريا\n\nدمشق"),
    (n.normalize_text, "", ""),
]

IDEMPOTENT = [
    n.strip_diacritics, n.strip_tatweel, n.strip_invisible, n.strip_control, n.normalize_alef,
    n.normalize_alef_maqsura, n.normalize_teh_marbuta, n.normalize_hamza_before_waw, n.normalize_hamza_carriers,
    n.normalize_digits,
    n.normalize_punctuation, n.normalize_persian_letters, n.normalize_newlines, n.collapse_spaces, n.clean_raw,
    n.normalize_text,
]

SAMPLES = [row[1] for row in CASES] + [
    "وزير الداخلية السوري أنس خطاب",
    "Posted by وزارة الداخلية السورية on Thursday, September 11, 2025",
]


@pytest.mark.parametrize(("func", "raw", "expected"), CASES, ids=lambda v: getattr(v, "__name__", None))
def test_normaliser_table(func, raw, expected):
    assert func(raw) == expected


@pytest.mark.parametrize("func", IDEMPOTENT, ids=lambda f: f.__name__)
@pytest.mark.parametrize("text", SAMPLES)
def test_normalisers_are_idempotent(func, text):
    once = func(text)
    assert func(once) == once


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("انس خطاب, وزير", ["انس", "خطاب", "وزير"]),
        ("بين 500 و600 ضابط", ["بين", "500", "و600", "ضابط"]),
        ("#وزارة_الداخلية . .", ["وزارة_الداخلية"]),
        ("", []),
    ],
)
def test_tokenize(text, tokens):
    assert n.tokenize(text) == tokens


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("سوريا", 1.0),
        ("Syria", 0.0),
        ("سوريا Syria", 0.5),
        ("123 ...", 0.0),
        ("", 0.0),
    ],
)
def test_arabic_ratio(text, ratio):
    assert n.arabic_ratio(text) == pytest.approx(ratio)


def _seed_lines() -> list[str]:
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [line for line in n.clean_raw(path.read_text(encoding="utf-8")).split("\n") if line]
    return lines


@pytest.mark.parametrize("line", SAMPLES + _seed_lines())
def test_normalize_with_offsets_matches_normalize_text_per_line(line):
    clean = n.clean_raw(line)
    for piece in clean.split("\n"):
        norm, where = n.normalize_with_offsets(piece)
        assert norm == n.normalize_text(piece)
        assert len(where) == len(norm)
        assert where == sorted(where)
        for char, index in zip(norm, where):
            # A few characters on: hamza on waw folds by the letter after it, past any marks between them.
            assert char == " " or char in n.normalize_text(piece[index : index + 4])[:2]


@pytest.mark.parametrize(
    ("raw", "needle", "span"),
    [
        ("أنس خطّاب وزير", "خطاب", (4, 9)),
        ("قال  الوزير", "الوزير", (5, 11)),
        ("ســوريا", "سوريا", (0, 7)),
        ("قال المسـؤُول إن", "المسيول", (4, 13)),
    ],
)
def test_raw_span_maps_a_normalised_match_back(raw, needle, span):
    norm = n.normalize_text(raw)
    start = norm.index(needle)
    assert n.raw_span(raw, start, start + len(needle)) == span
    assert n.normalize_text(raw[span[0] : span[1]]) == needle


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("قالت هيئة الدفاع", "قالت هيئة الدفاع"),
        ("أنس خطّاب", "أنس خطاب"),  # diacritics dropped
        ("ســوريا", "سوريا"),  # tatweel dropped
        ("قال المسـؤُول", "قال المسؤول"),  # hamza on waw before waw, which the matching form moves to yeh
        ("قال \u064f الوزير", "قال الوزير"),  # a lone mark between spaces: two spaces collapse, paired by offsets
        ("مصطفى CNN", "مصطفى CNN"),  # alef maqsura and case as written
    ],
)
def test_as_read_pairs_each_normalised_character_with_its_letter(raw, expected):
    norm = n.normalize_text(raw)
    assert n.as_read(raw, norm) == expected
    assert len(expected) == len(norm)


def test_as_read_of_another_matching_form_is_none():
    assert n.as_read("قال الوزير", "قال الوزيرة") is None


def test_raw_span_of_an_empty_or_out_of_range_span():
    assert n.raw_span("سوريا", 3, 3) == (0, 0)
    assert n.raw_span("سوريا", 9, 12) == (0, 0)


_REFERENCE_SPACES = re.compile(r"[^\S\n]+")


def _reference_collapse(text: str) -> str:
    return "\n".join(line.strip() for line in _REFERENCE_SPACES.sub(" ", text).split("\n"))


_WHITESPACE_HEAVY = st.text(
    alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x85\u00a0\u2003\u2028\u3000\u200f\u0640\u064ba\u0633\u0661")),
    max_size=40,
)


@given(_WHITESPACE_HEAVY)
def test_collapse_spaces_matches_the_regex_definition(text):
    assert n.collapse_spaces(text) == _reference_collapse(text)


@given(_WHITESPACE_HEAVY)
def test_normalize_text_is_idempotent_on_whitespace_and_marks(text):
    once = n.normalize_text(text)
    assert n.normalize_text(once) == once


# normalize_text's output on a fixed sample, under the version that produced it: a change to the folds that leaves
# normalize.VERSION as it was would let a store's old forms pass for new ones (see VERSION).
VERSIONED_SAMPLE = "\n".join(SAMPLES + ["مسؤول مسئول لاجئون إلى رؤى المسـؤُولة ١٢٣ \u06a9\u06cc"])
VERSION_DIGESTS = {"2": "4e3dcbe81c796f2a"}


def test_a_change_to_the_matching_form_bumps_its_version():
    digest = hashlib.blake2b(n.normalize_text(VERSIONED_SAMPLE).encode(), digest_size=8).hexdigest()
    assert VERSION_DIGESTS.get(n.VERSION) == digest, (
        f"normalize_text's output changed (digest {digest}): bump normalize.VERSION and record the new digest"
    )


# spelling_pattern finds a name however it is written: stored as the gazetteer writes it or folded by the rules.
@pytest.mark.parametrize(
    ("typed", "written", "found"),
    [
        ("إدارة", "إدارة السجون", True),
        ("إدارة", "اداره الانشاءات", True),
        ("ادارة", "إدارة الأمن العام", True),
        ("هيئة", "هييه الدفاع", True),
        ("هييه", "هيئة تحرير الشام", True),
        ("مسؤول", "مسئول", True),
        ("مصطفى", "مصطفي طلاس", True),
        ("كركوك", "\u06a9\u0631\u06a9\u0648\u06a9", True),  # Persian kaf
        ("مُحَمَّد", "محمد الجاسم", True),  # the typed marks do not matter
        ("أحمد", "محمد", False),
        ("a.b", "axb", False),  # a dot is a dot
        ("(", "(", True),
    ],
)
def test_spelling_pattern_finds_any_spelling(typed, written, found):
    assert bool(re.search(n.spelling_pattern(typed), written)) is found


def test_spelling_pattern_classes():
    assert n.spelling_pattern("إدارة") == "[آأإاٱٲٳ]د[آأإاٱٲٳ]ر[ةهہە]"
    assert n.spelling_pattern("يوسف") == "[ؤئىيی][ؤو]سف"
