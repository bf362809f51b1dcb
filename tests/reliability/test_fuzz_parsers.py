"""Property-based fuzzing of everything that parses untrusted text: it never crashes and it is stable.

- every normaliser is total on arbitrary (surrogate-free) Unicode and idempotent: f(f(x)) == f(x);
- normalize_with_offsets agrees with normalize_text on a clean line, offsets pointing at the source chars;
- the date parsers never raise and return a plausible date (1990 .. a year ahead) or None;
- reader.read_bytes never raises on arbitrary bytes and names, and yields only articles or rejections
  with a reason;
- ingesting the same arbitrary records twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from basira import dates, ingest, normalize, reader, store
from basira.model import ParsedArticle, Rejection

NORMALISERS = [
    normalize.strip_diacritics, normalize.strip_tatweel, normalize.strip_invisible, normalize.strip_control,
    normalize.normalize_alef, normalize.normalize_alef_maqsura, normalize.normalize_teh_marbuta,
    normalize.normalize_hamza_carriers, normalize.normalize_digits, normalize.normalize_punctuation,
    normalize.normalize_persian_letters, normalize.normalize_newlines, normalize.collapse_spaces,
    normalize.clean_raw, normalize.normalize_text,
]
# Characters that matter to the normalisers, plus anything Unicode has (no surrogates: not text).
SPECIAL = list(
    "\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1c\x1f\x7f\x85\xa0\xad \u0600\u0610\u061c\u0621\u0622\u0623\u0624\u0625"
    "\u0626\u0627\u0629\u0640\u064b\u0651\u0652\u0654\u0655\u0660\u0669\u066a\u066b\u0670\u0671\u06a9\u06c1\u06cc"
    "\u06d5\u06f0\u180e\u2000\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202e\u2060\u2066\u2069\u3000\ufeff"
    "\u0301\u0308\u0327eEiIİßﬁ\u1e9e\u2126Å"
)
# Short runs of letters, removable characters and combining marks: what makes NFC composition order matter.
CLUSTERS = st.text(alphabet=st.sampled_from(list("eaAo\u0627\u0648\u064a\u0649 \u200b\u200c\u00ad\x00\u202e\ufeff"
                                                 "\u0640\u064b\u0651\u0301\u0308\u0327\u0653\u0654\u0655")),
                   max_size=8)
TEXT = st.one_of(
    st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=("Cs",))), max_size=60),
    CLUSTERS,
)
FUZZ = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    "func",
    NORMALISERS,
    ids=lambda f: f.__name__,
)
@FUZZ
@example(text="e\u200b\u0301")  # a zero-width space between a letter and its accent (clean_raw: fixed)
@example(text="\u0627\u200c\u0654")  # ZWNJ between alef and hamza above
@example(text="e\u0654\u0301")  # an Arabic mark between a Latin letter and its accent (normalize_text: fixed)
@given(text=TEXT)
def test_every_normaliser_is_total_and_idempotent(func, text):
    once = func(text)
    assert isinstance(once, str)
    assert func(once) == once


@FUZZ
@given(text=TEXT)
def test_normalize_with_offsets_agrees_with_normalize_text_on_a_clean_line(text):
    for line in normalize.clean_raw(text).split("\n"):
        norm, where = normalize.normalize_with_offsets(line)
        assert norm == normalize.normalize_text(line)
        assert len(where) == len(norm)
        assert where == sorted(where)
        assert all(0 <= i < len(line) for i in where)


@FUZZ
@given(text=TEXT)
def test_clean_raw_output_holds_no_controls_or_bidi(text):
    clean = normalize.clean_raw(text)
    assert not any(c in clean for c in "\x00\x07\x1b\x7f\u202a\u202e\u2066\u2069\u200b\ufeff\r")


def _plausible(day: dt.date | None) -> bool:
    return day is None or (day.year >= 1990 and day <= dt.date.today() + dt.timedelta(days=366))


DATE_TEXT = st.one_of(
    TEXT,
    st.from_regex(r"\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}", fullmatch=True),
    st.builds(lambda d, m, y: f"{d} {m} {y}", st.integers(-5, 40), st.sampled_from(
        ["أيار", "آذار", "كانون الثاني", "تشرين الأول", "يناير", "September", "Sept.", "Feb", "شهر"]),
        st.integers(0, 3000)),
)


@FUZZ
@given(text=DATE_TEXT)
def test_date_parsers_never_raise_and_return_plausible_dates(text):
    assert _plausible(dates.parse_date(text))
    found = dates.find_date_in_text(text)
    if found is not None:
        day, surface = found
        assert _plausible(day)
        assert surface and surface in text
    assert _plausible(dates.date_from_url(text))
    assert _plausible(dates.date_from_url("https://news.example/" + text))


NAMES = st.one_of(
    st.sampled_from(["a.txt", "a.jsonl", "a.json", "a.csv", "a.tsv", "a", "a.ndjson", "a.TXT", "../../a.txt",
                     "a.exe", ".jsonl", "", "\u202ea.txt", "a.txt\x00.png"]),
    st.text(max_size=20),
)
BYTES = st.one_of(
    st.binary(max_size=300),
    TEXT.map(lambda t: t.encode("utf-8")),
    TEXT.map(lambda t: t.encode("utf-16")),
    st.lists(st.dictionaries(st.sampled_from(["text", "title", "date", "url", "source", "body", "x"]),
                             st.one_of(TEXT, st.integers(), st.none(), st.lists(TEXT, max_size=2)), max_size=5),
             max_size=4).map(lambda rows: "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()),
)


@settings(max_examples=300, deadline=None)
@example(name="a.jsonl", data=b'{"text": "x", "url": "["}')  # urlsplit raised and stopped the batch (fixed)
@example(name="a.csv", data="url,text\nhttp://[::1,نص\n".encode())
@given(name=NAMES, data=BYTES)
def test_read_bytes_never_raises_and_yields_articles_or_reasoned_rejections(name, data):
    for item in reader.read_bytes(name, data):
        assert isinstance(item, (ParsedArticle, Rejection))
        if isinstance(item, Rejection):
            assert item.reason and item.detail
        else:
            assert item.text_raw.strip()
            assert item.published is not None or item.undated_reason
            for s in item.sentences:
                assert item.text_raw[s.start : s.end] == s.text_raw


RECORD = st.fixed_dictionaries(
    {"text": st.text(alphabet=st.sampled_from(list("سجن صيدنايا اعتقال ضابط وزارة الداخلية. \n'\";--%<>")),
                     max_size=80)},
    optional={"title": TEXT, "date": st.one_of(TEXT, st.sampled_from(["2025-03-01", "2017-10"])),
              "url": st.one_of(TEXT, st.sampled_from(["[", "http://[", "https://x.example/2025/03/01/a", "//:0"])),
              "source": TEXT},
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(RECORD, max_size=6))
def test_ingesting_any_records_twice_changes_nothing_the_second_time(tmp_path_factory, records):
    db = tmp_path_factory.mktemp("idempotent") / "basira.duckdb"
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    assume(data)
    first = ingest.ingest_uploads([("records.jsonl", data)], db)
    snapshot = _snapshot(db)
    second = ingest.ingest_uploads([("records.jsonl", data)], db)
    assert second.added == 0
    assert second.seen == first.seen
    assert _snapshot(db) == snapshot


def _snapshot(db) -> dict[str, list[tuple]]:
    tables = ("articles", "sentences", "sightings", "rejected", "article_topics", "entity_mentions", "quotations")
    with store.read_cursor(db) as cur:
        return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
