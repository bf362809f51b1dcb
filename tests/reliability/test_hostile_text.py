"""Hostile article text, from ingest through the store to every place it is shown: inert, never executed.

Policy proved here:
- Markup in data is kept as literal text (an analyst may need to see that a page carried a script) and
  escaped wherever it is shown: `basira.render` emits only its own elements and attributes.
- Markdown in data never formats: pages quote data with `st.text` (never parsed) or in escaped HTML, and no
  Markdown element on any page carries active Markdown syntax next to hostile data.
- Bidi embeddings/overrides/isolates (U+202A-U+202E, U+2066-U+2069), NUL and other C0 controls are removed
  from every stored text field, so nothing displayed can reorder or hide what an analyst reads.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from basira import ingest, render, search, store
from basira.filters import Filters
from basira.queries import read

from . import corpus
from .helpers import BIDI, data_bidi, html_problems, markdown_problems, parse_html, run_page, shown

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
MARKERS = (corpus.BEACON, corpus.XSS, "عاجل", "gpj")
TEXT_COLUMNS = {
    "articles": ("source_path", "locator", "source_name", "url", "title_raw", "byline", "undated_reason", "text_raw"),
    "sentences": ("text_raw", "text_norm"),
    "quotations": ("speaker_surface", "quote"),
    "entity_mentions": ("surface",),
    "entities": ("canonical", "latin"),
    "rejected": ("source_path", "locator", "detail", "excerpt"),
}


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with store.read_cursor(db) as cur:
        return cur.execute(sql, params or []).fetchall()


def _article_ids(db: Path) -> list[int]:
    return [r[0] for r in _rows(db, "SELECT article_id FROM articles ORDER BY article_id")]


def _detail(db: Path, article_id: int) -> dict:
    with store.read_cursor(db) as cur:
        return read.article_detail(cur, article_id)


@pytest.mark.parametrize(("table", "column"), [(t, c) for t, cs in TEXT_COLUMNS.items() for c in cs])
def test_no_stored_text_field_keeps_bidi_controls_or_c0_controls(hostile_db, table, column):
    values = [v for (v,) in _rows(hostile_db, f'SELECT "{column}" FROM {table} WHERE "{column}" IS NOT NULL')]
    assert [v for v in values if BIDI.search(v)] == []
    allowed_newlines = column in ("text_raw", "excerpt")
    assert [v for v in values if CONTROLS.search(v.replace("\t", "") if allowed_newlines else v)] == []
    if not allowed_newlines:
        assert [v for v in values if "\n" in v or "\r" in v] == []


def test_markup_in_articles_is_kept_as_literal_text(hostile_db):
    texts = [t for (t,) in _rows(hostile_db, "SELECT title_raw || ' ' || text_raw FROM articles")]
    joined = "\n".join(texts)
    for payload in (corpus.SCRIPT, corpus.IMG, corpus.STYLE_BREAK, corpus.SVG):
        assert payload in joined
    # An entity-encoded tag in the input is decoded to what the author wrote, and still only text.
    assert '<script> وقال الناطق "لن نصمت"' in joined


def test_every_article_reads_as_our_markup_with_the_data_as_text(hostile_db):
    ids = _article_ids(hostile_db)
    assert len(ids) == 1 + len(corpus.RECORDS) + 1 + 2 + 1  # upload, JSONL records, seed file, CSV rows, named file
    for article_id in ids:
        detail = _detail(hostile_db, article_id)
        for boilerplate in (True, False):
            body = render.article_html(detail, show_boilerplate=boilerplate)
            assert html_problems(body) == [], article_id
        text = parse_html(render.article_html(detail)).shown
        sentences = detail["sentences"]
        for sentence in sentences.loc[~sentences["is_boilerplate"], "text_raw"]:
            assert sentence in text, (article_id, sentence)
        if detail["article"]["title_raw"]:
            assert detail["article"]["title_raw"] in text


def test_quotations_extracted_from_hostile_text_render_escaped(hostile_db):
    quotes = _rows(hostile_db, "SELECT speaker_surface, quote FROM quotations")
    assert any(corpus.SCRIPT in quote for _, quote in quotes), quotes
    for speaker, quote in quotes:
        body = render.sentence_html(quote, (), f"{speaker}:")
        assert html_problems(body) == []
        assert quote in parse_html(body).shown


def test_search_snippets_and_evidence_render_escaped(hostile_db):
    with store.read_cursor(hostile_db) as cur:
        results = search.search(cur, "سجن صيدنايا")
        evidence = read.evidence_sentences(cur, Filters(), None, 200)
    assert len(results) >= 3
    assert len(evidence) >= 3
    for row in results.itertuples(index=False):
        marks = render.norm_marks(row.sentence, row.sentence_norm,
                                  search.highlight_spans(row.sentence_norm, list(row.matched_terms)), "match", "m")
        body = render.sentence_html(row.sentence, marks, f"{row.title} · {row.source}")
        assert html_problems(body) == []
        assert row.sentence in parse_html(body).shown
    for row in evidence.itertuples(index=False):
        marks = render.norm_marks(row.sentence, row.sentence_norm, zip(row.starts, row.ends, strict=True), "topic", "t")
        body = render.sentence_html(row.sentence, marks, f"{row.source} · {row.terms}")
        assert html_problems(body) == []


def _assert_inert(session) -> None:
    out = shown(session)
    assert out.exceptions == []
    for body in out.html:
        assert html_problems(body) == []
    for body in out.markdown:
        if any(marker in body for marker in MARKERS):
            assert markdown_problems(body) == [], body
    for value in out.strings():
        assert not data_bidi(value), value
        assert "\x00" not in value


PAGE_VIEWS = [
    ("app.py", {}),
    ("pages/1_Topics.py", {}),
    ("pages/1_Topics.py", {"topic": "prisons"}),
    ("pages/2_Entities.py", {}),
    ("pages/4_Search.py", {"q": "سجن"}),
    ("pages/4_Search.py", {"q": "عاجل"}),
    ("pages/5_Ingest.py", {}),
]


@pytest.mark.parametrize(("page", "params"), PAGE_VIEWS, ids=lambda v: str(v))
def test_pages_over_hostile_data_show_it_inert(hostile_app, page, params):
    _assert_inert(run_page(page, params))


def test_the_reader_page_shows_every_hostile_article_inert(hostile_app):
    for article_id in _article_ids(hostile_app):
        session = run_page("pages/3_Articles.py", {"article": str(article_id)})
        _assert_inert(session)
        reader = [b for b in shown(session).html if '<article class="basira-article' in b]
        assert len(reader) == 1, article_id


def _reader_view(db: Path, where: str) -> tuple[dict, object]:
    (article_id,), = _rows(db, f"SELECT article_id FROM articles WHERE {where}")
    return _detail(db, article_id)["article"], shown(run_page("pages/3_Articles.py", {"article": str(article_id)}))


def test_an_unparseable_hostile_date_is_quoted_as_plain_text_on_the_reader(hostile_app):
    article, out = _reader_view(hostile_app, "undated_reason LIKE '%date.png%'")
    quoted = corpus.HOSTILE_DATE.replace("\u202e", "")
    assert article["undated_reason"] == f"unparseable date field: '{quoted}'"
    assert [b for b in out.plain if "date.png" in b] == [f"Undated: {article['undated_reason']}"]
    assert [b for b in out.markdown if "date.png" in b] == []


def test_a_hostile_upload_name_and_url_are_shown_as_plain_text(hostile_app):
    upload, out = _reader_view(hostile_app, "source_path LIKE 'x`%'")
    assert upload["source_path"] == corpus.UPLOAD_NAME.replace("\u202e", "")
    # The reader names the file (what follows the last "/"), as plain text.
    name = upload["source_path"].rsplit("/", 1)[-1]
    assert [b for b in out.plain if b.startswith("From ")] == [f"From {name} {upload['locator']}"]
    assert [b for b in out.markdown if corpus.BEACON in b or name in b] == []
    article, out = _reader_view(hostile_app, "url LIKE '%/a`%'")
    assert article["url"] == corpus.BACKTICK_URL
    # Not a link (it holds spaces a browser would drop), and escaped text, never Markdown.
    assert [b for b in out.html if b.startswith('<div class="basira-url"')] == [
        f'<div class="basira-url" dir="ltr">URL: <span dir="ltr">{html_lib.escape(corpus.BACKTICK_URL)}</span></div>']
    assert [b for b in out.markdown if corpus.BEACON in b] == []


def test_a_script_url_is_shown_as_text_never_as_a_link(hostile_app):
    article, out = _reader_view(hostile_app, "url LIKE 'javascript:%'")
    assert [b for b in out.html if b.startswith('<div class="basira-url"')] == [
        f'<div class="basira-url" dir="ltr">URL: <span dir="ltr">{html_lib.escape(article["url"])}</span></div>']
    assert not any("<a " in b for b in out.html)


def test_a_one_megabyte_line_lands_whole_and_reads_as_text(tmp_path):
    unit = f"{corpus.IMG} كتب في من على إلى عن هذا وهو lorem ipsum "
    line = unit * (1_000_000 // len(unit.encode()))
    report = ingest.ingest_uploads([("long.txt", line.encode())], tmp_path / "basira.duckdb")
    assert (report.added, sum(report.rejected.values())) == (1, 0)
    detail = _detail(tmp_path / "basira.duckdb", 1)
    assert detail["article"]["char_count"] == len(line.strip())
    assert detail["article"]["text_raw"] == line.strip()
    body = render.article_html(detail)
    assert html_problems(body) == []
    assert line.strip() in parse_html(body).shown


def test_a_ten_megabyte_article_is_rejected_with_its_size_and_the_batch_still_lands(tmp_path):
    big = "نص " * 3_500_000  # 10.5 M characters, 17.5 MB of UTF-8
    small = '{"text": "أعلنت وزارة الداخلية اعتقال ضابط في سجن صيدنايا.", "date": "2025-01-02"}\n'
    report = ingest.ingest_uploads(
        [("big.txt", big.encode()), ("big.jsonl", ('{"text": "' + big + '"}\n').encode()),
         ("ok.jsonl", small.encode())],
        tmp_path / "basira.duckdb",
    )
    assert report.added == 1
    assert dict(report.rejected) == {"too_large": 2}
    assert [(r.source_path, r.reason) for r in report.rejections] == [
        ("big.txt", "too_large"), ("big.jsonl", "too_large")]
    for rejection in report.rejections:
        assert re.search(r"article text has 10,500,000 characters", rejection.detail), rejection.detail
        assert len(rejection.excerpt) <= 200


def test_a_file_over_the_upload_limit_is_rejected_before_parsing(tmp_path):
    from basira import reader

    data = b"a" * (reader.MAX_FILE_BYTES + 1)
    (item,) = reader.read_bytes("huge.jsonl", data)
    assert (item.reason, item.detail) == ("too_large", "52,428,801 bytes is over the 52,428,800-byte limit")


def test_nul_bytes_in_a_text_file_are_a_clear_rejection_and_in_json_are_dropped(tmp_path):
    report = ingest.ingest_uploads(
        [
            ("nul.txt", "عنوان\n\nنص المقال\x00 عن سجن عدرا والمعتقلين فيه.".encode()),
            ("nul.jsonl",
             '{"text": "نص\\u0000 عن سجن صيدنايا والمعتقلين فيه.", "title": "عنوان\\u0000 ما"}\n'.encode()),
        ],
        tmp_path / "basira.duckdb",
    )
    assert report.added == 1
    assert [(r.source_path, r.reason, r.detail) for r in report.rejections] == [
        ("nul.txt", "binary", "contains NUL bytes that are not UTF-16 text")
    ]
    (title, text), = _rows(tmp_path / "basira.duckdb", "SELECT title_raw, text_raw FROM articles")
    assert (title, text) == ("عنوان ما", "نص عن سجن صيدنايا والمعتقلين فيه.")


ENCODED = {
    "utf8.txt": "utf-8",
    "utf8_bom.txt": "utf-8-sig",
    "utf16.txt": "utf-16",
    "utf16le_nobom.txt": "utf-16-le",
    "utf16be_nobom.txt": "utf-16-be",
    "cp1256.txt": "cp1256",
    "cp1256_records.csv": "cp1256",
    "utf16_records.jsonl": "utf-16",
}


def test_mixed_encodings_in_one_folder_each_land_decoded(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    expected = {}
    for number, (name, codec) in enumerate(ENCODED.items(), start=1):
        body = f"أعلنت وزارة الداخلية السورية اعتقال {number} من الضباط المنشقين في سجن صيدنايا بعد تحقيق طويل."
        title = f"خبر رقم {number} عن السجون"
        if name.endswith(".csv"):
            content = f"title;text;date\n{title};{body};2025-02-0{number}\n"
        elif name.endswith(".jsonl"):
            content = f'{{"title": "{title}", "text": "{body}", "date": "2025-02-0{number}"}}\n'
        else:
            content = f"date 2025-02-0{number}\n{title}\n\n{body}\n"
        (folder / name).write_bytes(content.encode(codec))
        expected[name] = (title, body)
    report = ingest.ingest_paths([folder], tmp_path / "basira.duckdb")
    assert (report.added, sum(report.rejected.values())) == (len(ENCODED), 0)
    stored = {
        Path(path).name: (title, text)
        for path, title, text in _rows(tmp_path / "basira.duckdb",
                                       "SELECT source_path, title_raw, text_raw FROM articles")
    }
    assert stored == expected


@pytest.mark.parametrize(
    "text, from_data",
    [
        ("Read article 4: \u2068تقرير عن السجون\u2069", False),  # the app's own isolate around a title
        ("Read article 4: \u2068تقرير\u202e عن السجون\u2069", True),  # an override inside it
        ("Read article 4: \u2068تقرير عن السجون", True),  # an isolate never closed
        ("\u2067نص\u2069", True),  # a right-to-left isolate: not one the app makes
        ("نص\u2069", True),
    ],
)
def test_only_the_apps_own_isolates_are_allowed(text, from_data):
    assert data_bidi(text) is from_data
