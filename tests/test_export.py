"""Extracts: the exact bytes an analyst opens in Excel, the manifest, the RTL workbook and Parquet."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from basira import export
from basira.filters import Filters

NOW = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [1, 2, 3],
            "published": [pd.Timestamp("2025-03-01"), pd.NaT, pd.Timestamp("2025-04-15")],
            "title": ['=HYPERLINK("http://evil.example","انقر")', 'سجن صيدنايا, "قال"', "-5 قتلى\nفي حمص"],
            "delta": [-5, 0, 7],
        }
    )


def _manifest(frame: pd.DataFrame) -> export.Manifest:
    filters = Filters(date_from=dt.date(2025, 1, 1), topics=("prisons", "coups"), text="صيدنايا", include_duplicates=False)
    return export.make_manifest("articles", frame, filters, "15a-b1-0123456789ab", "topics-2026.11.1+abc", NOW)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("سجن =1", "سجن =1"),
        (" =1", " =1"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise(cell, expected):
    assert export.neutralise(cell) == expected


def test_csv_is_utf8_with_bom_crlf_and_neutralised():
    expected = (
        "\ufeffarticle_id,published,title,delta\r\n"
        "1,2025-03-01,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"انقر\"\")\",-5\r\n"
        "2,,\"سجن صيدنايا, \"\"قال\"\"\",0\r\n"
        "3,2025-04-15,\"'-5 قتلى\nفي حمص\",7\r\n"
    )
    assert export.csv_bytes(_frame()) == expected.encode("utf-8")


def test_csv_of_an_empty_view_is_just_the_header():
    assert export.csv_bytes(pd.DataFrame(columns=["article_id", "title"])) == "\ufeffarticle_id,title\r\n".encode()


def test_manifest_says_what_the_extract_is():
    assert json.loads(_manifest(_frame()).to_json()) == {
        "export": "articles",
        "rows": 3,
        "row_limit": None,  # not capped
        "truncated": None,
        "columns": ["article_id", "published", "title", "delta"],
        "filters": {
            "date_from": "2025-01-01",
            "date_to": None,
            "topics": ["prisons", "coups"],
            "entities": [],
            "sources": [],
            "text": "صيدنايا",
            "include_duplicates": False,
            "include_undated": False,  # a date range leaves undated articles out unless asked
        },
        "text_read_as": None,  # Arabic text: no Latin word read as a name
        "view": {},
        "query": "from=2025-01-01&q=%D8%B5%D9%8A%D8%AF%D9%86%D8%A7%D9%8A%D8%A7&topic=prisons&topic=coups&dupes=0",
        "database_fingerprint": "15a-b1-0123456789ab",
        "taxonomy_version": "topics-2026.11.1+abc",
        "generated_at": "2025-01-02T03:04:05+00:00",
    }


def test_a_capped_manifest_says_the_cap_and_whether_the_view_held_more():
    """An extract of exactly the cap's rows could be the whole view or a cut; the manifest says which."""
    frame = pd.DataFrame({"article_id": [7, 8, 9]})
    manifest = export.make_manifest("search_results", frame, Filters(), "fp", "tax", NOW, None, 3, True)
    assert json.loads(manifest.to_json()) == {
        "export": "search_results",
        "rows": 3,
        "row_limit": 3,
        "truncated": True,
        "columns": ["article_id"],
        "filters": {"date_from": None, "date_to": None, "topics": [], "entities": [], "sources": [], "text": "",
                    "include_duplicates": True, "include_undated": True},
        "text_read_as": None,
        "view": {},
        "query": "",
        "database_fingerprint": "fp",
        "taxonomy_version": "tax",
        "generated_at": "2025-01-02T03:04:05+00:00",
    }


@pytest.mark.parametrize(("rows", "limit", "kept", "truncated"), [
    (2, 3, [10, 11], False),  # fewer rows than the cap
    (3, 3, [10, 11, 12], False),  # exactly the cap: all of the view
    (4, 3, [10, 11, 12], True),  # the cap + 1 read: the view held more
    (0, 3, [], False),
    (4, 0, [], True),
])
def test_capped_keeps_the_first_rows_and_says_whether_there_were_more(rows, limit, kept, truncated):
    frame = pd.DataFrame({"article_id": range(10, 10 + rows), "title": [f"t{i}" for i in range(rows)]})
    shown, more = export.capped(frame, limit)
    assert (shown.to_dict("list"), more) == ({"article_id": kept, "title": [f"t{i}" for i in range(len(kept))]},
                                             truncated)


def test_manifest_records_the_view_choices_and_its_query_shows_the_view_again():
    frame = _frame()
    manifest = export.make_manifest("top_entities", frame, Filters(topics=("prisons",)), "fp", "tax", NOW,
                                    {"type": "PER"}).to_dict()
    assert (manifest["view"], manifest["query"]) == ({"type": "PER"}, "topic=prisons&type=PER")


def test_manifest_query_reproduces_the_filters():
    from urllib.parse import parse_qs

    manifest = _manifest(_frame())
    assert Filters.from_query_params(parse_qs(manifest.to_dict()["query"])) == manifest.filters


def test_xlsx_is_right_to_left_and_keeps_text_as_text():
    frame = _frame()
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, _manifest(frame))))
    assert book.sheetnames == ["data", "manifest"]
    data = book["data"]
    assert data.sheet_view.rightToLeft is True
    assert [[c.value for c in row] for row in data.iter_rows()] == [
        ["article_id", "published", "title", "delta"],
        [1, "2025-03-01", '=HYPERLINK("http://evil.example","انقر")', -5],
        [2, None, 'سجن صيدنايا, "قال"', 0],
        [3, "2025-04-15", "-5 قتلى\nفي حمص", 7],
    ]
    # Stored as string cells: Excel shows the text and never evaluates it.
    assert [data.cell(row=r, column=3).data_type for r in (2, 3, 4)] == ["s", "s", "s"]
    manifest = {row[0].value: row[1].value for row in book["manifest"].iter_rows()}
    assert manifest["export"] == "articles"
    assert manifest["rows"] == 3
    assert json.loads(manifest["filters"])["topics"] == ["prisons", "coups"]
    assert manifest["database_fingerprint"] == "15a-b1-0123456789ab"


def test_xlsx_drops_characters_xml_cannot_hold():
    frame = pd.DataFrame({"text": ["a\x00b\x1fc"]})
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, _manifest(frame))))
    assert book["data"]["A2"].value == "abc"


def test_parquet_keeps_exact_values_and_carries_the_manifest():
    frame = _frame()
    table = pq.read_table(io.BytesIO(export.parquet_bytes(frame, _manifest(frame))))
    assert table.column("title").to_pylist() == list(frame["title"])
    assert table.column("delta").to_pylist() == [-5, 0, 7]
    manifest = json.loads(table.schema.metadata[export.PARQUET_MANIFEST_KEY])
    assert manifest["export"] == "articles"
    assert manifest["rows"] == 3


@pytest.mark.parametrize(
    ("name", "extension", "when", "expected"),
    [
        ("articles", "csv", NOW, "basira_articles_20250102.csv"),
        ("topic_counts", "xlsx", None, "basira_topic_counts.xlsx"),
        ("../../etc/passwd", "csv", None, "basira_etc_passwd.csv"),
        ("سجن", "csv", None, "basira_extract.csv"),
    ],
)
def test_file_names_are_safe_ascii(name, extension, when, expected):
    assert export.file_name(name, extension, when) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), "none"),
        (Filters(topics=("prisons", "coups"), include_undated=False), "topic=prisons,coups; undated=0"),
    ],
)
def test_filters_summary(filters, expected):
    assert export.filters_summary(filters) == expected


TAGGED_TITLE = "اقتحام السجون المركزية في حمص"
TAGGED_SENTENCE = "أعلنت وزارة الداخلية السورية إطلاق سراح 40 معتقلاً من سجن عدرا."


def _norm_span(text: str, part: str) -> tuple[int, int]:
    from basira.normalize import normalize_text

    start = normalize_text(text).index(part)
    return start, start + len(part)


def _tagged_detail() -> dict[str, object]:
    """One article as `read.article_detail` gives it: analysis stored folded terms and surfaces, offsets on the
    normalised texts (a topic term found inside a longer word, as patterns are)."""
    from basira.normalize import normalize_text

    sentences = pd.DataFrame([{"seq": 0, "paragraph": 0, "start_char": 0, "end_char": len(TAGGED_SENTENCE),
                               "text_raw": TAGGED_SENTENCE, "text_norm": normalize_text(TAGGED_SENTENCE),
                               "is_boilerplate": False, "boilerplate_reason": None}])
    evidence = pd.DataFrame(
        [("prisons", "Prisons", -1, "سجون", *_norm_span(TAGGED_TITLE, "سجون")),
         ("prisons", "Prisons", 0, "معتقل", *_norm_span(TAGGED_SENTENCE, "معتقل")),
         ("prisons", "Prisons", 0, "سجن", 999, 1003)],  # offsets past the sentence: kept as stored
        columns=["topic", "label", "seq", "term", "start_char", "end_char"])
    mentions = pd.DataFrame(
        [("org:syria_interior_ministry", "ORG", "وزارة الداخلية", "Interior Ministry", 0, "وزاره الداخليه",
          *_norm_span(TAGGED_SENTENCE, "وزاره الداخليه"), "gazetteer")],
        columns=["entity_key", "entity_type", "canonical", "latin", "seq", "surface", "start_char", "end_char", "method"])
    quantities = pd.DataFrame([(40, 40, "person", "detained", "40 معتقلا", 0)],
                              columns=["low", "high", "unit", "kind", "surface", "seq"])
    quotations = pd.DataFrame(columns=["speaker_key", "speaker_surface", "quote", "seq"])
    return {"article": {"article_id": 7, "title_raw": TAGGED_TITLE, "text_raw": TAGGED_SENTENCE},
            "sentences": sentences, "evidence": evidence, "mentions": mentions, "quotations": quotations,
            "quantities": quantities}


def test_the_article_tags_extract_has_each_tag_as_the_article_writes_it():
    expected = (
        "\ufeffarticle_id,kind,what,sentence_no,text,normalised,start_char,end_char\r\n"
        "7,topic,prisons,0,السجون,سجون,9,13\r\n"
        "7,topic,prisons,1,معتقلاً,معتقل,43,48\r\n"
        "7,topic,prisons,1,سجن,سجن,999,1003\r\n"
        "7,entity,org:syria_interior_ministry,1,وزارة الداخلية,وزاره الداخليه,6,20\r\n"
        "7,count,detained:40-40 person,1,40 معتقلاً,,,\r\n"
    )
    assert export.csv_bytes(export.article_tags(_tagged_detail())).decode("utf-8") == expected


def _search_results() -> pd.DataFrame:
    """Two search results as basira.search.search returns them: a hit in the title (seq -1) and one in the
    third sentence (seq 2)."""
    return pd.DataFrame(
        {
            "article_id": [7, 3],
            "score": [14.468321987, 1.250000001],
            "matched_terms": [["سجن", "صيدنايا"], ["سجن"]],
            "seq": [-1, 2],
            "published": [pd.Timestamp("2025-03-01"), None],
            "title": ["=HYPERLINK(\"x\") سجن صيدنايا", "تقرير"],
            "source": ["a.net", "b.net"],
            "url": ["https://a.net/7?x=<b>1</b>", None],
            "sentence": ["=HYPERLINK(\"x\") سجن صيدنايا", "نقل إلى السجن"],
            "sentence_norm": ["=hyperlink(\"x\") سجن صيدنايا", "نقل الي السجن"],
        }
    )


def test_search_extract_has_the_url_sentences_numbered_from_one_and_scores_as_the_page_shows_them():
    expected = (
        "\ufeffarticle_id,url,score,matched_terms,sentence_no,published,title,source,sentence\r\n"
        "7,https://a.net/7?x=<b>1</b>,14.47,\"سجن, صيدنايا\",0,2025-03-01,\"'=HYPERLINK(\"\"x\"\") سجن صيدنايا\",a.net,"
        "\"'=HYPERLINK(\"\"x\"\") سجن صيدنايا\"\r\n"
        "3,,1.25,سجن,3,,تقرير,b.net,نقل إلى السجن\r\n"
    )
    assert export.csv_bytes(export.search_extract(_search_results())).decode("utf-8") == expected


def test_search_extract_of_no_results_is_the_header():
    empty = _search_results().iloc[:0]
    assert export.csv_bytes(export.search_extract(empty)).decode("utf-8") == (
        "\ufeffarticle_id,url,score,matched_terms,sentence_no,published,title,source,sentence\r\n")




def test_an_ingest_does_not_import_the_workbook_writer():
    # Every ingest process imports basira.export (through the read queries) and pays for what it imports.
    import subprocess
    import sys

    code = "import sys, basira.ingest; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "False\n"
