"""The sidebar's Text contains reads Latin words as stored names, as the Search page does: "Sednaya" filters as
"صيدنايا" would, words that name nothing are looked for as typed, Arabic is untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from basira import export, ingest, render, search, store
from basira.filters import Filters
from basira.queries import read

# Four articles, by title: two name Saydnaya in Arabic (one with سجن), one holds the Latin words "Sednaya Xyzzy"
# and no Arabic name, one names Saydnaya beside the Latin word "Xyzzy" (which names nothing).
ARTICLES = {
    "prison": "أفرج عن معتقلين من سجن صيدنايا أمس بعد سنوات من الاعتقال.",
    "visit": "زار وفد حكومي بلدة صيدنايا في ريف دمشق للقاء الأهالي.",
    "latin": "نشرت منظمة تقريرا بعنوان Sednaya Xyzzy عن أوضاع المعتقلين في البلاد.",
    "both": "قال مصدر إن شركة Xyzzy ستعيد ترميم دير صيدنايا القديم هذا العام.",
}


@pytest.fixture(scope="module")
def saydnaya_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("saydnaya")
    lines = [json.dumps({"title": title, "text": text, "date": f"2025-0{n}-01", "source": "s.example"},
                        ensure_ascii=False) for n, (title, text) in enumerate(ARTICLES.items(), start=1)]
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "basira.duckdb"
    report = ingest.ingest_paths([folder / "articles.jsonl"], db)
    assert report.added == len(ARTICLES), report.summary()
    return db


def _read(db: Path, text: str) -> tuple[Filters, list[search.TextReading]]:
    with store.read_cursor(db) as cur:
        readings = search.read_text(cur, text)
    return Filters(text=text).with_(text_read_as=search.text_read_as(readings)), readings


def _titles(db: Path, filters: Filters) -> list[str]:
    with store.read_cursor(db) as cur:
        frame = read.articles_extract(cur, filters)
    return sorted(frame["title"])


def test_the_fixture_names_saydnaya_in_latin(saydnaya_db):
    with store.read_cursor(saydnaya_db) as cur:
        assert cur.execute("SELECT canonical, latin FROM entities WHERE entity_key = 'loc:saydnaya'").fetchall() == [
            ("صيدنايا", "Saydnaya")]


@pytest.mark.parametrize(
    ("text", "read_as", "looked_for", "titles"),
    [
        ("Sednaya", (("Sednaya", "صيدنايا"),), "صيدنايا", ["both", "prison", "visit"]),
        ("saydnaya", (("saydnaya", "صيدنايا"),), "صيدنايا", ["both", "prison", "visit"]),
        ("صيدنايا", (), "صيدنايا", ["both", "prison", "visit"]),
        ("سجن Sednaya", (("Sednaya", "صيدنايا"),), "سجن صيدنايا", ["prison"]),
        # The Latin words of one run go together: no name holds both, so both are looked for as typed.
        ("Sednaya Xyzzy", (), "Sednaya Xyzzy", ["latin"]),
        # A comma separates names: Sednaya is read, Xyzzy names nothing and stays a word of the text.
        ("Sednaya, Xyzzy", (("Sednaya", "صيدنايا"),), "صيدنايا, Xyzzy", ["both"]),
        ("Xyzzy", (), "Xyzzy", ["both", "latin"]),
    ],
)
def test_latin_names_filter_as_their_arabic(saydnaya_db, text, read_as, looked_for, titles):
    filters, _ = _read(saydnaya_db, text)
    assert filters.text_read_as == read_as
    assert search.filter_text(filters) == looked_for
    assert _titles(saydnaya_db, filters) == titles
    # The same articles as typing the Arabic, through the articles table and the facts tables alike.
    arabic = Filters(text=looked_for)
    assert _titles(saydnaya_db, arabic) == titles
    with store.read_cursor(saydnaya_db) as cur:
        assert read.key_figures(cur, filters)["articles"] == len(titles)
        assert read.top_entities(cur, filters).equals(read.top_entities(cur, arabic))


def test_unread_filters_look_for_the_latin_as_typed(saydnaya_db):
    assert _titles(saydnaya_db, Filters(text="Sednaya")) == ["latin"]


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("Sednaya", [search.TextReading("Sednaya", "صيدنايا", ("صيدنايا",))]),
        ("Sednaya Xyzzy", [search.TextReading("Sednaya Xyzzy", "", ())]),
        ("Sednaya, Xyzzy", [search.TextReading("Sednaya", "صيدنايا", ("صيدنايا",)), search.TextReading("Xyzzy", "", ())]),
        ("سجن صيدنايا", []),
    ],
)
def test_read_text_says_how_each_latin_run_was_read(saydnaya_db, text, readings):
    assert _read(saydnaya_db, text)[1] == readings


def test_the_reading_is_not_part_of_the_link_nor_of_equality(saydnaya_db):
    filters, _ = _read(saydnaya_db, "Sednaya")
    assert filters.to_query_params() == {"q": "Sednaya"}
    assert filters == Filters(text="Sednaya") and filters != Filters(text="صيدنايا")
    assert Filters.from_query_params(filters.to_query_params()).text_read_as == ()
    # A change of text drops the reading of the old text; a change of anything else keeps it.
    assert filters.with_(text="Xyzzy").text_read_as == ()
    assert filters.with_(sources=("s.example",)).text_read_as == (("Sednaya", "صيدنايا"),)


@pytest.mark.parametrize(
    ("canonicals", "words"),
    [(["صيدنايا"], "صيدنايا"), (["بشار الأسد", "حافظ الأسد", "الاسد"], "الأسد"),
     (["أبو بكر البغدادي", "أبوظبي"], ""), (["حزب الله", "حزب الله اللبناني"], "حزب الله")],
)
def test_shared_words_are_those_of_the_most_named_name_that_every_name_holds(canonicals, words):
    assert search.shared_words(canonicals) == words


def test_the_manifest_records_how_the_text_was_read(saydnaya_db):
    filters, _ = _read(saydnaya_db, "سجن Sednaya")
    with store.read_cursor(saydnaya_db) as cur:
        frame = read.articles_extract(cur, filters)
    manifest = export.make_manifest("articles", frame, filters, "fp", "tax").to_dict()
    assert (manifest["rows"], manifest["text_read_as"], manifest["query"]) == (
        1, {"Sednaya": "صيدنايا"}, "q=%D8%B3%D8%AC%D9%86+Sednaya")
    assert manifest["filters"]["text"] == "سجن Sednaya" and "text_read_as" not in manifest["filters"]
    plain = export.make_manifest("articles", frame, Filters(text="صيدنايا"), "fp", "tax").to_dict()
    assert plain["text_read_as"] is None


@pytest.mark.parametrize(
    ("readings", "expected"),
    [
        ([("Sednaya", "صيدنايا", ("صيدنايا",))],
         '<div class="basira-text-read" dir="ltr">Text read as: “Sednaya” → <bdi dir="rtl" lang="ar">صيدنايا</bdi>.</div>'),
        ([("<b>Assad</b>", "الأسد<", ("بشار الأسد", "<حافظ الأسد>"))],
         '<div class="basira-text-read" dir="ltr">Text read as: “&lt;b&gt;Assad&lt;/b&gt;” → '
         '<bdi dir="rtl" lang="ar">الأسد&lt;</bdi>, as in <bdi dir="rtl" lang="ar">بشار الأسد</bdi> or '
         '<bdi dir="rtl" lang="ar">&lt;حافظ الأسد&gt;</bdi>.</div>'),
        ([("Abu", "", ("أبو بكر البغدادي", "أبوظبي")), ("Xyzzy", "", ())],
         '<div class="basira-text-read" dir="ltr">Text read as: “Abu” → names with no word in common, looked for as '
         'typed; “Xyzzy” → no name, looked for as typed.</div>'),
        ([], ""),
    ],
)
def test_text_read_as_html(readings, expected):
    assert render.text_read_as_html(readings) == expected


def test_text_read_as_html_lists_the_first_few_names():
    names = tuple(f"اسم {i} الأسد" for i in range(render.TEXT_READ_AS_SHOWN + 2))
    shown = render.text_read_as_html([("Assad", "الأسد", names)])
    assert shown.count("<bdi") == render.TEXT_READ_AS_SHOWN + 1 and shown.endswith(" and 2 more.</div>")
