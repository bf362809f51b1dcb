"""Every page under AppTest on a small fixture store, and the interactions that make the dashboard one view:
filters in the URL, chart clicks narrowing them, the reader, search, exports and browser uploads."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from basira import export, render, store
from basira.filters import Filters
from basira.queries import read

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["app.py", "pages/1_Topics.py", "pages/2_Entities.py", "pages/3_Articles.py", "pages/4_Search.py", "pages/5_Ingest.py"]
TIMEOUT = 60


def _app(page: str, /, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def _ok(at: AppTest) -> AppTest:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []
    return at


def _query(db: Path, name: str, *args):
    with store.read_cursor(db) as cur:
        return getattr(read, name)(cur, *args)


def _article_id(db: Path, title_start: str) -> int:
    frame = _query(db, "articles_extract", Filters())
    return int(frame.loc[frame["title"].fillna("").str.startswith(title_start), "article_id"].iloc[0])


def _html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def _params(at: AppTest) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_fixture_store(page, dashboard_env):
    at = _ok(_app(page))
    assert at.title, page
    labels = [link.proto.label for link in at.sidebar.page_link]
    assert labels == ["Overview", "Topics", "Entities", "Articles", "Search", "Ingest"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_an_empty_store(page, empty_dashboard_db, monkeypatch):
    monkeypatch.setenv("BASIRA_DB", str(empty_dashboard_db))
    _ok(_app(page, q="سجن", article="1"))


@pytest.mark.parametrize("page", PAGES)
def test_a_missing_store_says_how_to_build_it(page, tmp_path, monkeypatch):
    monkeypatch.setenv("BASIRA_DB", str(tmp_path / "absent.duckdb"))
    at = _ok(_app(page))
    if page == "pages/5_Ingest.py":
        assert at.file_uploader  # the way to build one from the browser
    else:
        assert "python -m basira ingest seeds/" in at.info[0].value


def test_overview_counts_match_the_store_and_show_undated(dashboard_env):
    at = _ok(_app("app.py"))
    figures = _query(dashboard_env, "key_figures", Filters())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == f"{figures['articles']:,}"
    assert metrics["Independent stories"] == f"{figures['stories']:,}"
    assert metrics["Undated"] == f"{figures['undated']:,}"
    assert figures["undated"] >= 1  # the fixture has an undated article: it is counted, not dropped
    assert any(f"{figures['undated']:,} undated articles" in c.value for c in at.caption)


@pytest.mark.parametrize("page", ["app.py", "pages/3_Articles.py"])
def test_tables_show_a_missing_value_as_an_empty_cell(page, dashboard_env):
    # Streamlit's default shows "None", which reads as a value (a byline or a source called None).
    at = _ok(_app(page, article=str(_article_id(dashboard_env, "")))) if page != "app.py" else _ok(_app(page))
    tables = at.main.dataframe
    assert any(t.value.isna().any().any() for t in tables)  # the fixture's tables have missing values to show
    # An unset placeholder (Streamlit's "None") reads "" too: the field must be set.
    assert [(t.proto.HasField("placeholder"), t.proto.placeholder) for t in tables] == [(True, "")] * len(tables)


def test_url_filters_reach_the_widgets_and_the_figures(dashboard_env):
    at = _ok(_app("app.py", topic="prisons", dupes="0", **{"from": "2025-01-01"}))
    assert at.multiselect(key="f_topics").value == ["prisons"]
    assert at.checkbox(key="f_one_per_story").value is True
    assert str(at.date_input(key="f_from").value) == "2025-01-01"
    expected = Filters.from_query_params({"topic": "prisons", "dupes": "0", "from": "2025-01-01"})
    figures = _query(dashboard_env, "key_figures", expected)
    assert {m.label: m.value for m in at.metric}["Articles"] == f"{figures['articles']:,}"


def test_changing_a_widget_writes_the_url(dashboard_env):
    at = _ok(_app("app.py"))
    at.multiselect(key="f_topics").set_value(["coups", "prisons"])
    at.checkbox(key="f_undated").uncheck()
    at.text_input(key="f_text").input("صيدنايا")
    _ok(at.run())
    assert _params(at) == {"topic": ["coups", "prisons"], "q": ["صيدنايا"], "undated": ["0"]}
    # ...and the link reproduces the view: a new session on that URL shows the same figures.
    again = _ok(_app("app.py", **at.query_params))
    assert [m.value for m in again.metric] == [m.value for m in at.metric]


def test_a_date_range_leaves_undated_articles_out_and_offers_them_back(dashboard_env):
    since = dt.date(2000, 1, 1)  # before every dated fixture article: the range changes nothing but the undated
    ranged = _query(dashboard_env, "key_figures", Filters(date_from=since))
    kept = _query(dashboard_env, "key_figures", Filters(date_from=since, include_undated=True))
    assert ranged["undated"] == 0 and kept["undated"] >= 1 and kept["articles"] == ranged["articles"] + kept["undated"]

    at = _ok(_app("app.py"))
    assert at.checkbox(key="f_undated").value is True
    at.date_input(key="f_from").set_value(since)
    _ok(at.run())
    assert _params(at) == {"from": ["2000-01-01"]}
    assert at.checkbox(key="f_undated").value is False
    assert {m.label: m.value for m in at.metric}["Articles"] == f"{ranged['articles']:,}"
    assert [c.value for c in at.sidebar.caption if "undated" in c.value] == [
        f"{kept['undated']:,} undated articles match the other filters; the date range leaves them out."
    ]

    at.checkbox(key="f_undated").check()
    _ok(at.run())
    assert _params(at) == {"from": ["2000-01-01"], "undated": ["1"]}
    assert {m.label: m.value for m in at.metric}["Articles"] == f"{kept['articles']:,}"
    assert not [c.value for c in at.sidebar.caption if "undated" in c.value]

    # Without a range, keeping undated articles is the default again: no choice left in the link.
    at.date_input(key="f_from").set_value(None)
    _ok(at.run())
    assert _params(at) == {} and at.checkbox(key="f_undated").value is True


def test_a_link_with_dates_out_of_range_opens_clamped(dashboard_env):
    # The date widgets raised on a date outside their range, so the whole sidebar failed.
    at = _ok(_app("app.py", **{"from": "1900-01-01", "to": "2300-01-01"}))
    assert str(at.date_input(key="f_from").value) == "1990-01-01"
    assert str(at.date_input(key="f_to").value) == "2100-01-01"


def test_an_old_link_with_a_date_range_says_what_it_leaves_out(dashboard_env):
    # Before this default, a range kept undated articles; such a link now leaves them out and the sidebar says so.
    at = _ok(_app("pages/3_Articles.py", **{"from": "2000-01-01"}))
    assert at.checkbox(key="f_undated").value is False
    assert any("undated articles match the other filters" in c.value for c in at.sidebar.caption)


def test_page_links_carry_the_filters(dashboard_env):
    at = _ok(_app("pages/1_Topics.py", topic="prisons", source="hostile.example"))
    assert {link.proto.query_string for link in at.sidebar.page_link} == {"topic=prisons&source=hostile.example"}


@pytest.mark.parametrize("page", PAGES[1:])
def test_filters_survive_a_page_switch(page, dashboard_env):
    at = _ok(_app("app.py", topic="prisons"))
    at.switch_page(page)
    _ok(at.run())
    assert _params(at) == {"topic": ["prisons"]}
    if page == "pages/5_Ingest.py":  # no filters there: the view is back on the next page
        at.switch_page("pages/1_Topics.py")
        _ok(at.run())
    assert at.multiselect(key="f_topics").value == ["prisons"]


def test_clicking_a_topic_bar_filters(dashboard_env):
    at = _ok(_app("pages/1_Topics.py"))
    at.session_state["topic_bars"] = {"selection": {"points": [{"customdata": ["coups"]}], "point_indices": [0],
                                                    "box": [], "lasso": []}}
    _ok(at.run())
    assert _params(at) == {"topic": ["coups"]}
    assert at.multiselect(key="f_topics").value == ["coups"]
    frame = _exported(at, "evidence_sentences")
    assert set(frame["topic"]) == {"coups"}


def export_key() -> str:
    import ui

    return ui.EXPORTS_STATE


def _exported(at: AppTest, name: str) -> pd.DataFrame:
    """The frame behind a page's `name` export (a deferred extract is built here, as a download click would)."""
    import ui

    return ui.export_frame(at.session_state[export_key()][name])


def test_clicking_a_timeline_bar_narrows_the_table(dashboard_env):
    at = _ok(_app("app.py", grain="month"))
    everything = _exported(at, "articles")
    at.session_state["timeline"] = {"selection": {"points": [{"customdata": ["prisons", "2025-01-01"]}],
                                                  "point_indices": [0], "box": [], "lasso": []}}
    _ok(at.run())
    assert _params(at) == {"grain": ["month"], "from": ["2025-01-01"], "to": ["2025-01-31"], "topic": ["prisons"]}
    narrowed = _exported(at, "articles")
    assert 0 < len(narrowed) < len(everything)
    dated = narrowed["published"].dropna()
    assert all("2025-01-01" <= str(d)[:10] <= "2025-01-31" for d in dated)


def test_the_reader_shows_hostile_markup_as_text(dashboard_env):
    article = _article_id(dashboard_env, "<script>")
    at = _ok(_app("pages/3_Articles.py", article=str(article)))
    html = _html(at)
    reader = html[html.index('<article class="basira-article'):]
    assert 'dir="rtl" lang="ar"' in reader
    assert "&lt;<bdi>script</bdi>&gt;<bdi>alert</bdi>(1)&lt;/<bdi>script</bdi>&gt;" in reader
    assert "&lt;<bdi>img src=x onerror=alert</bdi>(2)&gt;" in reader
    for tag in ("<script", "<img", "onerror=alert(2)>"):
        assert tag not in reader
    assert 'class="m-topic"' in reader  # evidence is highlighted


def test_the_reader_lists_each_topic_with_its_arabic_label_and_score(dashboard_env):
    """In a table in the 240 px side panel the Arabic label was cut and the score out of sight."""
    article = _article_id(dashboard_env, "<script>")
    at = _ok(_app("pages/3_Articles.py", article=str(article)))
    topics = _query(dashboard_env, "article_detail", article)["topics"].sort_values("score", ascending=False)
    assert len(topics)
    expected = "\n".join(f"- {render.markdown_text(t.label)} · {t.label_ar} · score {render.markdown_text(f'{t.score:g}')}"
                          for t in topics.itertuples(index=False))
    assert expected in [m.value for m in at.markdown]
    assert not any("label_ar" in frame.value.columns for frame in at.dataframe)


def test_selecting_a_row_opens_the_reader(dashboard_env):
    at = _ok(_app("pages/3_Articles.py"))
    first = _exported(at, "articles").iloc[0]
    at.session_state[_list_key(Filters(), None)] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    _ok(at.run())
    assert _params(at) == {"article": [str(first["article_id"])]}
    assert f'data-article-id="{first["article_id"]}"' in _html(at)


def _list_key(filters: Filters, article: int | None, page: int = 1) -> str:
    import ui

    return f"articles_{ui.view_key(filters)}_{page}_{article}"


def test_changing_the_filters_keeps_the_open_article(dashboard_env):
    """The list's selection outlived a change of filters: the row where the open article had been was reported
    selected again and the reader jumped to the article the new list had there (real store: 3773 -> 4138)."""
    at = _ok(_app("pages/3_Articles.py", q="صيدنايا"))
    listed = [int(a) for a in _exported(at, "articles")["article_id"]]
    opened = listed[1]
    at.session_state[_list_key(Filters(text="صيدنايا"), None)] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    _ok(at.run())
    assert _params(at) == {"q": ["صيدنايا"], "article": [str(opened)]}
    at.text_input(key="f_text").input("وزارة")
    _ok(at.run())
    now = [int(a) for a in _exported(at, "articles")["article_id"]]
    assert now[1] != opened and opened in now  # the new list has another article in that row...
    assert _params(at) == {"q": ["وزارة"], "article": [str(opened)]}  # ...and the reader stays on the one it had
    assert f'data-article-id="{opened}"' in _html(at)


@pytest.mark.parametrize(("params", "kept"), [
    ({}, True), ({"q": "صيدنايا"}, True), ({"q": "كلمةغيرموجودةاطلاقا"}, False),
    ({"from": "1990-01-01", "to": "1990-12-31"}, False), ({"topic": "prisons"}, True), ({"topic": "coups"}, False),
])
def test_the_reader_says_when_the_filters_leave_the_open_article_out(params, kept, dashboard_env):
    """The reader keeps the open article when the filters change, and a link can name one they leave out: it read as
    one of the list above it."""
    article = _article_id(dashboard_env, "بدء أولى محاكمات العدالة الانتقالية")
    at = _ok(_app("pages/3_Articles.py", article=str(article), **params))
    assert f'data-article-id="{article}"' in _html(at)
    note = f"Article {article} is not in the list above: these filters leave it out."
    assert [c.value for c in at.caption if c.value.startswith("Article ")] == ([] if kept else [note])


@pytest.mark.parametrize(("value", "message"), [("999999", "There is no article 999999"), ("abc", "No article open")])
def test_a_bad_article_link_is_explained(value, message, dashboard_env):
    at = _ok(_app("pages/3_Articles.py", article=value))
    shown = [w.value for w in at.warning] + [c.value for c in at.caption]
    assert any(message in s for s in shown)


def test_search_ranks_and_highlights(dashboard_env):
    at = _ok(_app("pages/4_Search.py", q="صيدنايا"))
    html = _html(at)
    assert 'class="m-match"' in html
    results = _exported(at, "search_results")
    assert len(results) >= 2
    assert list(results["score"]) == sorted(results["score"], reverse=True)


def test_search_highlights_a_quoted_phrase_as_one_mark(dashboard_env):
    html = _html(_ok(_app("pages/4_Search.py", q='"سجن صيدنايا"')))
    marks = re.findall(r'<mark class="m-match"[^>]*>([^<]*)</mark>', html)
    assert marks and set(marks) == {"سجن صيدنايا"}


def test_search_form_writes_the_query_to_the_url(dashboard_env):
    at = _ok(_app("pages/4_Search.py"))
    at.text_input[1].input("سجون")  # the sidebar has the first text input
    at.button[0].click()
    _ok(at.run())
    assert _params(at)["q"] == ["سجون"]


@pytest.mark.parametrize(("matching", "caption", "truncated"), [
    (51, "51 articles match; the best 50 are shown, best first (BM25 over light stems). Add words or filters to narrow "
     "them.", True),
    (50, "50 articles match, best first (BM25 over light stems).", False),
])
def test_search_says_when_more_articles_match_than_it_shows(matching, caption, truncated, dashboard_env, monkeypatch):
    """The page showed 50 results whether 50 or 5,000 matched. It reads one more than it shows to know, and counts
    them all from the index."""
    import ui

    real = ui.search

    def many(text: str, filters: Filters, limit: int) -> ui.SearchAnswer:
        # `matching` articles match, however many the page asks for: the fixture's results, repeated with new ids.
        answer = real(text, filters, limit)
        rows = pd.concat([answer.results] * matching, ignore_index=True).head(min(matching, limit))
        return answer._replace(results=rows.assign(article_id=range(1000, 1000 + len(rows))), total=(matching, True))

    monkeypatch.setattr(ui, "search", many)
    at = _ok(_app("pages/4_Search.py", q="صيدنايا"))
    assert [c.value for c in at.caption if "best first" in c.value] == [caption]
    manifest = at.session_state[ui.MANIFESTS_STATE]["search_results"]().to_dict()
    assert (manifest["rows"], manifest["row_limit"], manifest["truncated"]) == (50, 50, truncated)
    assert list(_exported(at, "search_results")["article_id"]) == list(range(1000, 1050))


@pytest.mark.parametrize(("params", "query"), [
    ({"q": "سجن"}, "سجن"), ({"q": "سجن", "topic": "prisons"}, "سجن"), ({"q": "Sednaya"}, "Sednaya"),
    ({"q": '"سجن صيدنايا"'}, '"سجن صيدنايا"'),
])
def test_search_says_how_many_articles_match_in_all(params, query, dashboard_env):
    from basira import search

    filters = Filters.from_query_params({k: [v] for k, v in params.items()}).with_(text="")
    with store.read_cursor(dashboard_env) as cur:
        found = len(search.search(cur, query, filters, limit=1000))
    assert found
    at = _ok(_app("pages/4_Search.py", **params))
    matches = "1 article matches" if found == 1 else f"{found} articles match"
    assert [c.value for c in at.caption if "best first" in c.value] == [f"{matches}, best first (BM25 over light stems)."]


def test_clicking_a_network_edge_lists_the_sentences_naming_both(dashboard_env):
    pairs = _query(dashboard_env, "cooccurrence", Filters(), 40)
    source, target = pairs.iloc[-1]["source"], pairs.iloc[-1]["target"]
    at = _ok(_app("pages/2_Entities.py"))
    at.session_state["network"] = {"selection": {"points": [{"customdata": [source, target]}], "point_indices": [0],
                                                 "box": [], "lasso": []}}
    _ok(at.run())
    assert _params(at) == {"pair": [f"{source}|{target}"]}
    sentences = _exported(at, "pair_sentences")
    expected = _query(dashboard_env, "pair_sentences", Filters(), source, target, 200)
    assert list(sentences["sentence"]) == list(expected["sentence"]) and len(expected) >= 1
    count = _query(dashboard_env, "pair_sentence_count", Filters(), source, target)
    assert count == len(expected) == pairs.iloc[-1]["sentences"]
    assert any(c.value.startswith(f"{count:,} sentences name both") for c in at.caption)


def test_clicking_an_entity_bar_filters_by_it(dashboard_env):
    top = _query(dashboard_env, "top_entities", Filters(), None, 25)
    key = top.iloc[0]["entity_key"]
    at = _ok(_app("pages/2_Entities.py"))
    at.session_state["entity_bars"] = {"selection": {"points": [{"customdata": [key]}], "point_indices": [0],
                                                     "box": [], "lasso": []}}
    _ok(at.run())
    assert _params(at) == {"entity": [key]}


def test_the_articles_extract_is_neutralised_csv(dashboard_env):
    at = _ok(_app("pages/3_Articles.py", source="-formula.example"))
    frame = _exported(at, "articles")
    data = export.csv_bytes(frame).decode("utf-8")
    assert data.startswith("\ufeffarticle_id,published,title,opening,source,url,")
    assert ",2025-04-15,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"انقر هنا\"\")\",,'-formula.example," in data
    assert [b.proto.label for b in at.download_button] == ["Articles · CSV", "Excel", "Parquet", "Manifest"]


@pytest.mark.parametrize(
    ("page", "exports"),
    [
        ("app.py", {"timeline", "articles"}),
        ("pages/1_Topics.py", {"topic_counts", "evidence_sentences"}),
        ("pages/2_Entities.py", {"top_entities", "entity_mentions", "cooccurrence", "pair_sentences"}),
        ("pages/3_Articles.py", {"articles"}),
        ("pages/4_Search.py", {"search_results"}),
    ],
)
def test_every_page_offers_its_current_view_for_download(page, exports, dashboard_env):
    at = _ok(_app(page, q="سجن"))
    assert set(at.session_state[export_key()]) >= exports
    assert sum(b.proto.label == "Manifest" for b in at.download_button) >= len(exports)


def _ingest_page(tmp_path: Path, monkeypatch) -> tuple[Path, AppTest]:
    """The Ingest page on a database that does not exist yet, in a working folder of its own."""
    db = tmp_path / "basira.duckdb"
    monkeypatch.setenv("BASIRA_DB", str(db))
    monkeypatch.chdir(tmp_path)
    return db, _ok(_app("pages/5_Ingest.py"))


def _upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> None:
    """Choose the files in the uploader and press the ingest button."""
    at.file_uploader(key="uploads").set_value(files)
    _ok(at.run())
    at.button[0].click()
    _ok(at.run())


def _jsonl(record: dict) -> tuple[str, bytes, str]:
    return "batch.jsonl", (json.dumps(record, ensure_ascii=False) + "\n").encode(), "application/json"


def test_ingest_page_lands_uploads_and_reports_rejections(tmp_path, monkeypatch):
    _db, at = _ingest_page(tmp_path, monkeypatch)
    article = {"title": "إفراج عن معتقلين من سجن حماة", "text": "أفرجت السلطات عن عشرين معتقلا من سجن حماة المركزي.",
               "date": "2025-06-01", "source": "upload.example"}
    _upload(at, [_jsonl(article), ("../../outside.txt", b"\x00\x01\x02\xff" * 64, "text/plain")])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles added"] == "1"
    assert metrics["Rejected"] == "1"
    rejected = _exported(at, "rejections")
    assert list(rejected["file"]) == ["../../outside.txt"]
    assert not (tmp_path.parent.parent / "outside.txt").exists()
    # The other pages see the new generation at once.
    overview = _ok(_app("app.py"))
    assert {m.label: m.value for m in overview.metric}["Articles"] == "1"


def test_titles_in_links_show_as_literal_text(dashboard_env):
    at = _ok(_app("pages/4_Search.py", q="درعا"))
    labels = [link.proto.label for link in at.main.page_link]
    assert any(r"\!\[شعار\]\(http\://tracker\.example/p\.png\) \*\*عاجل\*\* \:red\[اشتباكات\]" in label for label in labels)
    assert not any("](http" in label for label in labels)


def test_titles_in_links_are_isolated_in_their_own_direction(dashboard_env):
    """Without the isolate, the « of «داعش» at the start of an Arabic title showed at its far end in the English label
    (the real store, Search سجن صيدنايا, article 4564), and a final ؟ or the cut's … at its start."""
    at = _ok(_app("pages/4_Search.py", q="درعا"))
    titled = [link.proto.label for link in at.main.page_link if ": " in link.proto.label]
    assert titled
    assert all(re.fullmatch(r"Read article \d+\\: \u2068[^\u2068\u2069]+\u2069", label) for label in titled), titled


@pytest.mark.parametrize("page", PAGES[:5])
def test_a_view_with_nothing_in_it_says_so(page, dashboard_env):
    at = _ok(_app(page, q="كلمةغيرموجودةاطلاقا"))
    assert at.info, page


@pytest.mark.parametrize("query", ["اعلنت وزاره الداخليه", "أعلنت وزارة الداخلية", "أعلنت والداخلية"])
def test_search_folds_spelling_variants(query, dashboard_env):
    hostile = _article_id(dashboard_env, "<script>")
    at = _ok(_app("pages/4_Search.py", q=query))
    assert hostile in list(_exported(at, "search_results")["article_id"])


def test_search_falls_back_to_a_scan_without_the_index(dashboard_env, monkeypatch):
    import ui

    monkeypatch.setattr(ui, "_index_built", lambda cur: False)
    ui._indexed.clear()
    ui._cached_search.clear()
    at = _ok(_app("pages/4_Search.py", q="صيدنايا"))
    ui._indexed.clear()
    ui._cached_search.clear()
    assert any("sentence scan" in c.value for c in at.caption)
    results = _exported(at, "search_results")
    expected = _query(dashboard_env, "search_fallback", Filters(), "صيدنايا", 50)
    assert list(results["article_id"]) == list(expected["article_id"]) and len(expected) >= 2
    assert 'class="m-match"' in _html(at)


# What a store needing a retag holds, as the statement that makes one of the fixture store, the pages to look at and
# the sidebar's warning.
NEEDS_RETAG = [
    # An ingest with an edited taxonomy and no retag.
    ("INSERT INTO meta VALUES ('taxonomy_older', 'topics-2025.1+00000000')", ("app.py", "pages/1_Topics.py"),
     "Articles stored before the last ingest carry an older taxonomy, so topic counts mix two versions until "
     "`python -m basira retag` is run."),
    # A store built before the folding's version was recorded.
    ("DELETE FROM meta WHERE key = 'normalization'", ("app.py", "pages/4_Search.py"),
     "This database's Arabic text was folded by an older version of Basira (1), so searches and text filters "
     "can miss spelling variants (مسؤول / مسئول) until `python -m basira retag` is run."),
]


@pytest.mark.parametrize(("change", "pages", "warning"), NEEDS_RETAG, ids=["mixed taxonomies", "older folding"])
def test_a_store_that_needs_a_retag_says_so_on_every_page(change, pages, warning, dashboard_db, tmp_path, monkeypatch):
    db = tmp_path / "needs_retag.duckdb"
    shutil.copyfile(store.generation_file(dashboard_db), db)
    with store.writer(db) as con:
        con.execute(change)
    monkeypatch.setenv("BASIRA_DB", str(db))
    for page in pages:
        assert [w.value for w in _ok(_app(page)).sidebar.warning] == [warning]
    monkeypatch.setenv("BASIRA_DB", str(dashboard_db))
    assert [w.value for w in _ok(_app("app.py")).sidebar.warning] == []


@pytest.mark.parametrize(("words", "same"), [
    (["وبالسجن", "للسجن", "سجن"], True), (["المعتقلين", "معتقلون", "معتقل"], True),
    (["وسجن", "سجن"], False), (["بسجن", "سجن"], False),
])
def test_the_search_help_describes_what_is_folded(words, same, dashboard_env):
    """The help's examples are what the search does: a bare و/ب (وبسجن) is not folded, as the old help implied."""
    from basira.normalize import normalize_text
    from basira.search import index_stem

    at = _ok(_app("pages/4_Search.py"))
    help_text = next(t.help for t in at.text_input if t.label == "Words to find")
    assert all(word in help_text for word in words)
    assert (len({index_stem(normalize_text(w)) for w in words}) == 1) is same
    assert ("a bare و/ب/ف/ل is not" in help_text) and "و/ف/ب/ال prefixes" not in help_text


def test_after_an_ingest_the_sidebar_shows_the_new_store(tmp_path, monkeypatch):
    """A first upload into no database: the sidebar then names the new store without another click (before, it
    stayed as drawn before the batch until the next interaction), and the other pages offer the new source."""
    db, at = _ingest_page(tmp_path, monkeypatch)
    article = {"title": "نقل معتقلين من سجن صيدنايا", "text": "نقلت السلطات عشرات المعتقلين من سجن صيدنايا إلى سجن عدرا.",
               "date": "2016-03-02", "source": "upload.example"}
    assert at.sidebar.caption.len == 0
    _upload(at, [_jsonl(article)])
    assert {m.label: m.value for m in at.metric}["Articles added"] == "1"
    fingerprint = _query(db, "store_fingerprint")
    assert [c.value for c in at.sidebar.caption] == [f"Database `basira.duckdb` · {fingerprint}"]
    sources = next(m for m in _ok(_app("app.py")).sidebar.multiselect if m.label == "Sources")
    assert sources.options == ["upload.example"]


def test_the_ingest_page_offers_no_filters_and_its_links_keep_the_view(dashboard_env):
    """The Ingest page showed the dashboard's filters in its sidebar, though nothing on it is filtered: a topic or a
    date chosen there changed nothing. It shows the page links, which carry the view to the other pages, and the
    store's line."""
    at = _ok(_app("pages/5_Ingest.py", topic="prisons", q="سجن"))
    sidebar = at.sidebar
    assert (sidebar.date_input.len, sidebar.multiselect.len, sidebar.text_input.len, sidebar.checkbox.len) == (0, 0, 0, 0)
    assert {link.proto.query_string for link in sidebar.page_link} == {"q=%D8%B3%D8%AC%D9%86&topic=prisons"}
    assert [c.value for c in sidebar.caption] == [f"Database `basira.duckdb` · {_query(dashboard_env, 'store_fingerprint')}"]


def test_the_text_filter_keeps_articles_with_every_word_in_any_order_as_its_help_says(dashboard_env):
    # The sidebar's help promises this; the Search page, not the filter, matches an exact phrase.
    import ui

    assert "every word, in any order" in ui.TEXT_FILTER_HELP and "Quotation marks are ignored" in ui.TEXT_FILTER_HELP
    words = _query(dashboard_env, "key_figures", Filters(text="سجن صيدنايا"))["articles"]
    assert 0 < words <= _query(dashboard_env, "key_figures", Filters(text="صيدنايا"))["articles"]
    for text in ('"سجن صيدنايا"', "صيدنايا سجن", "«سجن» صيدنايا"):
        assert _query(dashboard_env, "key_figures", Filters(text=text))["articles"] == words, text
    at = _ok(_app("app.py", q='"سجن صيدنايا"'))
    assert at.text_input(key="f_text").help == ui.TEXT_FILTER_HELP


def _selectbox(at: AppTest, label: str):
    return next(s for s in at.main.selectbox if s.label == label)


@pytest.mark.parametrize(("page", "label", "param", "export", "column", "options"), [
    ("pages/2_Entities.py", "Entity", "focus", "entity_mentions", "entity_key",
     lambda db: list(_query(db, "top_entities", Filters(), None, 25)["entity_key"])),
    ("pages/1_Topics.py", "Topic", "evidence", "evidence_sentences", "topic",
     lambda db: list(_query(db, "topic_counts", Filters())["topic"])),
])
def test_a_shared_link_shows_the_entity_or_topic_chosen(page, label, param, export, column, options, dashboard_env):
    """The entity over time and the topic whose evidence is listed are in the link: a colleague opening it saw the
    first of the list instead (the selectboxes were not in the URL)."""
    first, _, third = options(dashboard_env)[:3]
    at = _ok(_app(page))
    assert _selectbox(at, label).value == first
    _selectbox(at, label).set_value(third)
    _ok(at.run())
    assert _params(at) == {param: [third]}
    again = _ok(_app(page, **at.query_params))
    assert _selectbox(again, label).value == third
    assert set(_exported(again, export)[column]) == {third}


@pytest.mark.parametrize("value", ["org:no_such_entity", "", "loc:damascus|x"])
def test_an_unknown_entity_in_focus_falls_back_to_the_first(value, dashboard_env):
    top = _query(dashboard_env, "top_entities", Filters(), None, 25)
    assert _selectbox(_ok(_app("pages/2_Entities.py", focus=value)), "Entity").value == top.iloc[0]["entity_key"]


def test_a_filtered_entity_stays_in_focus_whatever_the_type(dashboard_env):
    """Following a person with Type=Organisations: the timeline showed the view's top organisation, the person was
    not even in the list."""
    at = _ok(_app("pages/2_Entities.py", entity="per:mhmd_al_jasm", type="ORG"))
    assert {r["entity_type"] for r in _exported(at, "top_entities").to_dict("records")} == {"ORG"}
    assert _selectbox(at, "Entity").value == "per:mhmd_al_jasm"
    assert set(_exported(at, "entity_mentions")["entity_key"]) == {"per:mhmd_al_jasm"}


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {"loc:adra": "Entities?entity=loc%3Aadra&focus=loc%3Aadra",
          "org:syria_interior_ministry": "Entities?entity=org%3Asyria_interior_ministry&focus=org%3Asyria_interior_ministry"}),
    ({"topic": "prisons", "entity": "loc:damascus"},
     {"loc:adra": "Entities?topic=prisons&entity=loc%3Adamascus&entity=loc%3Aadra&focus=loc%3Aadra",
      "loc:damascus": "Entities?topic=prisons&entity=loc%3Adamascus&focus=loc%3Adamascus"}),
])
def test_the_reader_leads_from_each_named_entity_to_its_timeline(filters, expected, dashboard_env):
    """The way to follow someone too rarely named to be among the sidebar's 500 choices: from an article, each
    entity it names links to the Entities page with that entity added to the filters and its timeline in focus."""
    article = _article_id(dashboard_env, "<script>")
    at = _ok(_app("pages/3_Articles.py", article=str(article), **filters))
    keys = list(_query(dashboard_env, "article_detail", article)["entities"]["entity_key"])
    table = next(d.value for d in at.main.dataframe if "latin" in d.value)
    links = dict(zip(keys, table["entity_key"], strict=True))
    assert {k: links[k] for k in expected} == expected
    followed = _ok(_app("pages/2_Entities.py", **parse_qs(urlparse(links["loc:adra"]).query)))
    assert _selectbox(followed, "Entity").value == "loc:adra"


@pytest.fixture(scope="module")
def long_list_db(tmp_path_factory) -> Path:
    """120 dated articles: three pages of the Articles list."""
    from basira import ingest

    folder = tmp_path_factory.mktemp("long_list")
    records = [{"title": f"خبر رقم {n} عن سجن صيدنايا", "text": f"نص الخبر رقم {n} عن المعتقلين في سجن صيدنايا {n * 7}.",
                "date": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", "source": f"site{n % 3}.example"} for n in range(120)]
    (folder / "list.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = folder / "basira.duckdb"
    assert ingest.ingest_paths([folder / "list.jsonl"], db).added == 120
    return db


def test_a_shared_link_opens_the_same_page_of_the_list_until_the_filters_change(long_list_db, monkeypatch):
    monkeypatch.setenv("BASIRA_DB", str(long_list_db))
    at = _ok(_app("pages/3_Articles.py"))
    at.number_input[0].set_value(3)
    _ok(at.run())
    assert _params(at) == {"page": ["3"]}
    third = _exported(at, "articles").iloc[100:120]["article_id"].tolist()
    again = _ok(_app("pages/3_Articles.py", **at.query_params))
    assert again.number_input[0].value == 3
    assert [int(v) for v in again.main.dataframe[0].value["article_id"]] == third
    again.multiselect(key="f_sources").set_value(["site1.example"])
    _ok(again.run())
    assert _params(again) == {"source": ["site1.example"]} and again.number_input.len == 0


@pytest.mark.parametrize(("page", "shown"), [("2", 2), ("9", 3), ("x", 1), ("-4", 1)])
def test_a_list_page_out_of_range_in_a_link_shows_the_nearest(page, shown, long_list_db, monkeypatch):
    monkeypatch.setenv("BASIRA_DB", str(long_list_db))
    assert _ok(_app("pages/3_Articles.py", page=page)).number_input[0].value == shown


@pytest.mark.parametrize(("params", "grain"), [
    ({"from": "2025-01-01", "to": "2025-01-31"}, "week"),
    ({"from": "2025-01-01", "to": "2025-06-30"}, "month"),
    ({}, "month"),
    ({"from": "2025-01-01", "to": "2025-01-31", "grain": "month"}, "month"),
])
def test_the_topic_trend_of_a_short_view_is_weekly(params, grain, dashboard_env):
    """A month's view (a click on a month's bar on the Overview) drew the trend per month: one point per line."""
    at = _ok(_app("pages/1_Topics.py", **params))
    assert next(s for s in at.main.button_group if s.label == "Trend per").value == grain


@pytest.mark.parametrize("topic", ["intelligence", "assassinations", "drugs_smuggling"])
def test_evidence_captions_list_the_terms_as_the_sentence_writes_them(topic, dashboard_env):
    """The captions listed the folded terms ("شعبه المخابرات", "شحنه"), words the sentence does not hold as written."""
    import html as html_lib

    at = _ok(_app("pages/1_Topics.py", evidence=topic))
    snippets = [html_lib.unescape(re.sub(r"<[^>]+>", "", str(h.proto.body))) for h in at.get("html")
                if 'class="basira-snippet' in str(h.proto.body)]
    assert snippets
    for snippet in snippets:
        caption, sentence = snippet.split(" · score ", 1)
        terms = caption.split(" · terms: ", 1)[1].split("، ")
        assert terms and all(term in sentence for term in terms), (terms, sentence)


def test_a_click_that_narrows_the_view_to_a_month_makes_the_untouched_trend_weekly(dashboard_env):
    at = _ok(_app("pages/1_Topics.py"))
    assert next(s for s in at.main.button_group if s.label == "Trend per").value == "month"
    at.session_state["topic_bars"] = {"selection": {"points": [{"customdata": ["coups"]}], "point_indices": [0],
                                                    "box": [], "lasso": []}}
    _ok(at.run())
    assert _params(at) == {"topic": ["coups"]}  # no grain written: the control was never touched
    assert next(s for s in at.main.button_group if s.label == "Trend per").value == "week"


@pytest.mark.parametrize(("q", "marked"), [
    ("صيدنايا", ["صيدنايا", "search match", "صيدنايا"]),  # title, legend, body
    ('"سجن صيدنايا"', ["سجن", " ", "صيدنايا", "search match", "سجن", " ", "صيدنايا"]),  # cut by the entity's mark
    ("سجن", ["سجن", "search match", "سجن", "السجن"]),
    # a Latin name marks the Arabic name it was read as
    ("Sednaya", ["صيدنايا", "search match", "صيدنايا"]),
    ("سجن Saydnaya", ["سجن", "صيدنايا", "search match", "سجن", "صيدنايا", "السجن"]),
    ("", []),
])
def test_an_article_opened_from_a_search_marks_the_words_searched_for(q, marked, dashboard_env):
    """The reader showed the article's topics and entities but not the words searched for."""
    article = _article_id(dashboard_env, "بدء أولى محاكمات العدالة الانتقالية")
    at = _ok(_app("pages/3_Articles.py", article=str(article), **({"q": q} if q else {})))
    html = _html(at)
    reader = html[html.index('<article class="basira-article'):]
    assert re.findall(r'<mark class="[^"]*m-match[^"]*"[^>]*>([^<]*)</mark>', reader) == marked


def test_each_mention_leads_to_its_article_in_the_reader_with_the_filters(dashboard_env):
    """The mentions table had no way to the article: an analyst copied the id and searched for it, losing the view."""
    at = _ok(_app("pages/2_Entities.py", topic="prisons", focus="loc:adra"))
    table = next(d for d in at.main.dataframe if "surface" in d.value)
    rows = table.value
    expected = _query(dashboard_env, "mentions_extract", Filters(topics=("prisons",)), "loc:adra", 200)
    assert list(rows["article_id"]) == list(expected["article_id"]) and len(rows) >= 2
    assert list(rows["open"]) == [f"Articles?topic=prisons&article={a}" for a in expected["article_id"]]
    assert json.loads(table.proto.columns)["open"]["type_config"] == {"type": "link", "display_text": "read"}
    reader = _ok(_app("pages/3_Articles.py", **parse_qs(urlparse(rows["open"].iloc[0]).query)))
    assert _params(reader) == {"topic": ["prisons"], "article": [str(expected["article_id"].iloc[0])]}
    assert f'data-article-id="{expected["article_id"].iloc[0]}"' in _html(reader)


@pytest.mark.parametrize(("page", "params", "name", "filters", "view", "cap"), [
    # cap: the manifest's (row_limit, truncated); a top-N list is its N by design (truncated means nothing there)
    ("pages/2_Entities.py", {"type": "PER", "topic": "prisons"}, "top_entities", {"topic": ["prisons"]}, {"type": "PER"},
     (25, None)),
    ("pages/2_Entities.py", {"type": "LOC", "source": "hostile.example"}, "cooccurrence", {"source": ["hostile.example"]},
     {"type": "LOC"}, (40, None)),
    ("pages/2_Entities.py", {}, "top_entities", {}, {"type": "all"}, (25, None)),
    ("pages/2_Entities.py", {"focus": "loc:adra", "type": "LOC"}, "entity_mentions", {}, {"focus": "loc:adra"},
     (20_000, False)),
    ("pages/2_Entities.py", {"pair": "loc:adra|org:syria_interior_ministry"}, "pair_sentences", {},
     {"pair": "loc:adra|org:syria_interior_ministry"}, (200, False)),
    ("pages/1_Topics.py", {"evidence": "coups", "dupes": "0"}, "evidence_sentences", {"dupes": ["0"]}, {"evidence": "coups"},
     (200, False)),
    ("pages/1_Topics.py", {"source": "hostile.example"}, "topic_counts", {"source": ["hostile.example"]}, {}, (None, None)),
    ("app.py", {"grain": "week", "dupes": "0"}, "timeline", {"dupes": ["0"]}, {"grain": "week"}, (None, None)),
    ("app.py", {"grain": "week"}, "articles", {}, {}, (100_000, False)),
    ("pages/3_Articles.py", {"topic": "prisons"}, "articles", {"topic": ["prisons"]}, {}, (100_000, False)),
    ("pages/4_Search.py", {"q": "سجن", "topic": "prisons"}, "search_results", {"q": ["سجن"], "topic": ["prisons"]}, {},
     (50, False)),
    ("pages/5_Ingest.py", {"topic": "prisons"}, "batches", {}, {}, (None, None)),  # the batch list is not filtered
])
def test_every_extract_manifest_records_what_shaped_it(page, params, name, filters, view, cap, dashboard_env):
    """The Entities Type choice was missing from the manifest: a people-only list looked like the view's everything.
    And an extract of exactly its cap's rows did not say whether the view held more."""
    import ui

    at = _ok(_app(page, **params))
    manifest = at.session_state[ui.MANIFESTS_STATE][name]().to_dict()
    assert manifest["view"] == view
    assert parse_qs(manifest["query"]) == {**filters, **{k: [v] for k, v in view.items()}}
    assert Filters.from_query_params(filters) == Filters.from_query_params(parse_qs(manifest["query"]))
    assert (manifest["row_limit"], manifest["truncated"]) == cap


@pytest.mark.parametrize(("room", "truncated"), [(-1, True), (0, False), (1, False)])
def test_a_deferred_extract_says_whether_its_cap_cut_the_view(room, truncated, dashboard_env):
    """`room`: the cap less the view's matching rows. One row fewer than match is a cut; exactly as many is not."""
    import ui

    view = Filters(topics=("prisons",))
    with store.read_cursor(dashboard_env) as cur:
        matching = read.articles_extract(cur, view)
        identity = (read.store_fingerprint(cur), read.taxonomy_version(cur))
    limit = len(matching) + room
    loaded = ui.DeferredExport("articles_extract", view, limit=limit).load()
    assert (loaded.fingerprint, loaded.taxonomy, loaded.truncated) == (*identity, truncated)
    assert export.csv_bytes(loaded.frame) == export.csv_bytes(matching.iloc[:limit]) and len(matching) >= 3


def test_a_deferred_mentions_extract_passes_its_cap_after_the_query_arguments(dashboard_env):
    """Each extract query takes its cap as `limit` after its own arguments (here the entity in focus)."""
    import ui

    with store.read_cursor(dashboard_env) as cur:
        mentions = read.mentions_extract(cur, Filters(), "loc:adra")
    loaded = ui.DeferredExport("mentions_extract", Filters(), "loc:adra", limit=2).load()
    assert (export.csv_bytes(loaded.frame), loaded.truncated) == (export.csv_bytes(mentions.iloc[:2]), True)
    assert len(mentions) > 2


def test_the_article_tags_manifest_names_the_article_not_the_list_filters(dashboard_env):
    import ui

    article = _article_id(dashboard_env, "<script>")
    at = _ok(_app("pages/3_Articles.py", article=str(article), topic="prisons"))
    manifest = at.session_state[ui.MANIFESTS_STATE]["article_tags"]().to_dict()
    assert (manifest["view"], manifest["query"]) == ({"article": str(article)}, f"article={article}")
    assert manifest["filters"] == export.filters_dict(Filters())


def test_a_latin_query_is_read_as_the_arabic_name_and_finds_its_articles(dashboard_env):
    from basira import search

    at = _ok(_app("pages/4_Search.py", q="Sednaya"))
    html = _html(at)
    assert 'Latin read as names: “Sednaya” → <bdi dir="rtl" lang="ar">صيدنايا</bdi> (Saydnaya).' in html
    with store.read_cursor(dashboard_env) as cur:
        expected = search.search(cur, "Sednaya", Filters(), 50)
    results = _exported(at, "search_results")
    assert list(results["article_id"]) == list(expected["article_id"]) and len(expected) >= 2
    # The Arabic name is marked in each result's sentence, as an Arabic query's words are.
    assert len(re.findall(r'<mark class="m-match"[^>]*>[^<]*صيدنايا</mark>', html)) >= len(expected)


def test_latin_words_naming_nothing_say_so_with_a_hint(dashboard_env):
    at = _ok(_app("pages/4_Search.py", q="Xyzzy"))
    assert [i.value for i in at.info] == ["No article holds every word. Try fewer words or another spelling."]
    assert any(c.value.startswith("Latin letters are matched against the transliterated names") for c in at.caption)
    assert '<div class="basira-read-as" dir="ltr">Latin read as names: “Xyzzy” → no name.</div>' in _html(at)


def test_the_search_extract_carries_the_url_and_the_sentence_number(dashboard_env):
    from basira import search

    at = _ok(_app("pages/4_Search.py", q="صيدنايا"))
    results = _exported(at, "search_results")
    with store.read_cursor(dashboard_env) as cur:
        found = search.search(cur, "صيدنايا", Filters(), 50)
        urls = dict(cur.execute("SELECT article_id, url FROM articles").fetchall())
    assert list(results.columns) == export.SEARCH_EXTRACT_COLUMNS
    assert list(results["sentence_no"]) == [seq + 1 for seq in found["seq"]]
    assert [u if isinstance(u, str) else None for u in results["url"]] == [urls[a] for a in found["article_id"]]
    assert "https://hostile.example/a?x=<b>1</b>" in list(results["url"])


SEDNAYA_NOTE = '<div class="basira-text-read" dir="ltr">Text read as: “{}” → <bdi dir="rtl" lang="ar">صيدنايا</bdi>.</div>'


@pytest.mark.parametrize("q", ["Saydnaya", "Sednaya"])
def test_text_contains_reads_a_latin_name_as_the_arabic_one(q, dashboard_env):
    """Only the Search page read Latin as names: "Sednaya" in Text contains found no article on the other pages."""
    import ui

    arabic = _ok(_app("app.py", q="صيدنايا"))
    at = _ok(_app("app.py", q=q))
    counts = [{m.label: m.value for m in page.metric}["Articles"] for page in (arabic, at)]
    assert counts[0] == counts[1] == f"{_query(dashboard_env, 'key_figures', Filters(text='صيدنايا'))['articles']:,}"
    assert _query(dashboard_env, "key_figures", Filters(text=q))["articles"] == 0  # as typed, nothing has it
    assert _params(at) == {"q": [q]}  # the link keeps what was typed
    assert [str(h.proto.body) for h in at.sidebar.get("html")] == [SEDNAYA_NOTE.format(q)]
    assert not arabic.sidebar.get("html")  # Arabic is read as typed: nothing to say
    manifest = at.session_state[ui.MANIFESTS_STATE]["articles"]().to_dict()
    assert (manifest["filters"]["text"], manifest["text_read_as"], manifest["query"]) == (q, {q: "صيدنايا"}, f"q={q}")
    assert len(_exported(at, "articles")) == int(counts[0])


def test_typing_a_latin_name_in_text_contains_lists_the_articles_naming_it(dashboard_env):
    at = _ok(_app("pages/3_Articles.py"))
    at.text_input(key="f_text").input("Sednaya")
    _ok(at.run())
    assert _params(at) == {"q": ["Sednaya"]}
    total = _query(dashboard_env, "article_count", Filters(text="صيدنايا"))
    assert total >= 2 and at.main.caption[0].value.startswith(f"{total:,} articles in view")
    assert str(at.sidebar.get("html")[0].proto.body) == SEDNAYA_NOTE.format("Sednaya")
    # The Search page says how it read the words itself, once.
    search_page = _ok(_app("pages/4_Search.py", q="Sednaya"))
    assert not search_page.sidebar.get("html") and "Latin read as names" in _html(search_page)


@pytest.mark.parametrize("page", ["app.py", "pages/3_Articles.py"])
def test_article_lists_name_topics_by_their_labels(page, dashboard_env):
    # The filter offers "Prisons and detention"; the list beside it said "prisons, armed_clashes".
    at = _ok(_app(page))
    table = next(t.value for t in at.main.dataframe if "topics" in t.value)
    labels = _query(dashboard_env, "topic_list").set_index("topic")["label"]
    stored = _query(dashboard_env, "article_page", Filters(), len(table), 0).set_index("article_id")["topics"]
    expected = [None if pd.isna(stored[a]) else "; ".join(labels[k] for k in stored[a].split(", "))
                for a in table["article_id"]]
    assert any(isinstance(e, str) and "Prisons and detention" in e for e in expected)  # the fixture has tagged rows
    assert [None if pd.isna(v) else v for v in table["topics"]] == expected


@pytest.fixture(scope="module")
def server_path_db(tmp_path_factory) -> tuple[Path, Path]:
    """A store ingested from a folder outside the project (stored with its absolute path), of one text file with no
    outlet named: (the store, the folder)."""
    from basira import ingest

    folder = tmp_path_factory.mktemp("srv") / "feeds"
    folder.mkdir()
    (folder / "wire_2016.txt").write_text(
        "date 2016-03-02\nنقل معتقلين من سجن صيدنايا\n\nنقلت السلطات عشرات المعتقلين من سجن صيدنايا إلى سجن عدرا.\n",
        encoding="utf-8")
    db = folder.parent / "basira.duckdb"
    report = ingest.ingest_paths([folder], db)
    assert report.added == 1, report.summary()
    return db, folder


def test_pages_name_an_articles_file_never_the_servers_path(server_path_db, monkeypatch):
    """The reader said "From /srv/…/feeds/wire_2016.txt": the server's folders, which mean nothing to an analyst and
    tell anyone where the data is kept. The reader, its header and a search result name the file."""
    db, folder = server_path_db
    monkeypatch.setenv("BASIRA_DB", str(db))
    with store.read_cursor(db) as cur:  # the store keeps the path it was given
        assert cur.execute("SELECT source_path FROM articles").fetchall() == [(str(folder / "wire_2016.txt"),)]
    reader = _ok(_app("pages/3_Articles.py", article="1"))
    assert [t.value for t in reader.text if t.value.startswith("From ")] == ["From wire_2016.txt"]
    assert re.search(r'<div class="meta">2016-03-02 · [^<]*<bdi[^>]*>wire_2016\.txt</bdi>', _html(reader))
    search = _ok(_app("pages/4_Search.py", q="صيدنايا"))
    assert re.findall(r"#1 · <bdi>score [0-9.]+</bdi> · 2016-03-02 · <bdi>([^<]+)</bdi> · ", _html(search)) == [
        "wire_2016.txt"]
    assert list(_exported(search, "search_results")["source"]) == ["wire_2016.txt"]
    assert [m.options for m in reader.sidebar.multiselect if m.label == "Sources"] == [["wire_2016.txt"]]
    listed = _ok(_app("pages/3_Articles.py", source=str(folder / "wire_2016.txt")))  # a link from before round 22
    assert listed.dataframe[0].value["source"].tolist() == ["wire_2016.txt"]
    for at in (reader, search, listed):
        shown = [e.value for kind in ("text", "caption", "markdown") for e in at.get(kind)] + [_html(at)]
        assert [s for s in shown if str(folder) in s] == []


def test_a_files_source_filter_puts_its_name_not_its_path_in_the_link_and_exports(server_path_db, monkeypatch):
    """The Sources filter was keyed on the stored path for a file that named no outlet: choosing it put
    "source=/srv/…/feeds/wire_2016.txt" into the shared link, every export manifest's query and the PNG footnote."""
    import ui

    db, folder = server_path_db
    monkeypatch.setenv("BASIRA_DB", str(db))
    at = _ok(_app("pages/1_Topics.py"))
    at.multiselect(key="f_sources").set_value(["wire_2016.txt"])
    at = _ok(at.run())
    assert _params(at) == {"source": ["wire_2016.txt"]}
    manifest = at.session_state[ui.MANIFESTS_STATE]["topic_counts"]().to_dict()
    assert (manifest["query"], manifest["filters"]["sources"]) == ("source=wire_2016.txt", ["wire_2016.txt"])
    assert export.filters_summary(Filters(sources=("wire_2016.txt",))) == "source=wire_2016.txt"
    assert {link.proto.query_string for link in at.sidebar.page_link} == {"source=wire_2016.txt"}
    listed = _ok(_app("pages/3_Articles.py", source="wire_2016.txt"))
    assert listed.dataframe[0].value["source"].tolist() == ["wire_2016.txt"]
    old_link = _ok(_app("pages/3_Articles.py", source=str(folder / "wire_2016.txt")))
    assert old_link.dataframe[0].value["article_id"].tolist() == listed.dataframe[0].value["article_id"].tolist() == [1]
    assert {link.proto.query_string for link in old_link.sidebar.page_link} == {"source=wire_2016.txt"}


def _snippet_texts(at: AppTest) -> list[str]:
    """Each highlighted sentence of a page as its reader sees it, caption first: the markup gone, entities decoded."""
    import html as html_lib

    return [html_lib.unescape(re.sub(r"<[^>]+>", "", str(h.proto.body))) for h in at.get("html")
            if 'class="basira-snippet' in str(h.proto.body)]


@pytest.mark.parametrize(("q", "folded"), [("المعتقلين", "معتقل"), ("السجون", "سجن"), ('"سجن صيدنايا"', "سجن")])
def test_search_captions_name_the_matched_words_as_the_sentence_writes_them(q, folded, dashboard_env):
    """The captions listed the index's folded stems ("matched سجن" over a sentence saying بالسجن); they list the words
    the result marks, as written, each of them in the sentence shown."""
    snippets = _snippet_texts(_ok(_app("pages/4_Search.py", q=q)))
    assert snippets
    written = []
    for snippet in snippets:
        caption, sentence = re.fullmatch(r"(#\d+ · .*? \(best in [^)]+\))(.*)", snippet, re.S).groups()
        words = caption.split(" · matched ", 1)[1].rsplit(" (best in ", 1)[0].split("، ")
        assert all(word in sentence for word in words), (words, sentence)
        written += words
    assert any(word != folded for word in written)


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "كلمةغيرموجودةاطلاقا"}, "No article holds every word. Try fewer words or another spelling."),
    ({"q": "كلمةغيرموجودةاطلاقا", "topic": "prisons"},
     "Nothing matches every word within these filters. Try fewer words or clear some filters."),
])
def test_a_search_without_matches_suggests_clearing_filters_only_when_there_are_some(params, message, dashboard_env):
    """With no filter at all the page said "Try fewer words or clear some filters", sending the analyst looking for
    filters that were not there."""
    assert [i.value for i in _ok(_app("pages/4_Search.py", **params)).info] == [message]


def test_one_search_checks_the_index_and_reads_the_query_once(dashboard_env, monkeypatch):
    """ui._cached_match_count checked the index and read the query's Latin names again after _cached_search had, and
    the names shown above the results a third time: one cached step answers all three."""
    import ui
    from basira import search

    calls: list[str] = []
    built, names = ui._index_built, search.read_names
    monkeypatch.setattr(ui, "_index_built", lambda cur: calls.append("index") or built(cur))
    monkeypatch.setattr(search, "read_names", lambda cur, text: calls.append("names") or names(cur, text))
    for cached in (ui._indexed, ui._cached_search):
        cached.clear()
    answer = ui.search("Sednaya", Filters(), 51)
    for cached in (ui._indexed, ui._cached_search):
        cached.clear()
    assert calls == ["index", "names"]
    with store.read_cursor(dashboard_env) as cur:
        found = search.search(cur, "Sednaya", Filters(), limit=1000)
        readings = search.read_names(cur, "Sednaya")
    assert answer.ranked and answer.total == (len(found), True) and len(found) >= 1
    assert list(answer.results["article_id"]) == list(found["article_id"])
    assert answer.names == [(r.text, [(n.canonical, n.latin) for n in r.names]) for r in readings]


def test_the_network_legend_and_the_entity_choices_name_types_in_words(dashboard_env):
    """The network's legend said LOC, ORG, PER and the sidebar's choices "(ORG, 947)": the store's codes, and a
    number that did not say what it counted."""
    at = _ok(_app("pages/2_Entities.py"))
    network = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert sorted(t["name"] for t in network["data"] if t.get("showlegend", True)) == ["Organisations", "People", "Places"]
    options = next(m for m in at.sidebar.multiselect if m.label == "Entities (all of)").options
    assert options and all(re.search(r" \((person|organisation|place), [\d,]+ articles?\)$", o) for o in options), options


def test_a_topic_filter_stacks_only_its_topics_on_the_overview_timeline(dashboard_env, dashboard_db):
    """Filtered to prisons, the timeline stacked every topic the prisons articles also carry: a day of 42 prisons
    articles drew a bar of 156 "articles" on the real store. The stacks now sum to the articles in view."""
    at = _ok(_app("app.py", topic="prisons"))
    bars = [t for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"] if t["type"] == "bar"]
    assert [t["name"].replace("<br>", " ") for t in bars] == ["Prisons and detention"]
    timeline = _exported(at, "timeline")  # the rows drawn
    figures = _query(dashboard_db, "key_figures", Filters(topics=("prisons",)))
    assert set(timeline["topic"]) == {"prisons"}
    assert timeline["articles"].sum() == figures["articles"] - figures["undated"] > 0
    assert [c.value.split("axis. ")[-1] for c in at.caption if "Click a bar" in c.value] == [
        "Click a bar to narrow to that period. Only the filtered topics are stacked (an article with two of them counts "
        "in both); the other topics these articles carry are on the Topics page."]


def test_the_ingest_page_and_the_cli_name_files_not_the_servers_folders(server_path_db, monkeypatch, capsys):
    """The batch list showed "/srv/…/feeds" and `stats` its sources by the stored path; the article extract carried
    it to the analyst's spreadsheet."""
    from basira.__main__ import main

    db, folder = server_path_db
    monkeypatch.setenv("BASIRA_DB", str(db))
    at = _ok(_app("pages/5_Ingest.py"))
    assert at.dataframe[0].value["inputs"].tolist() == ["feeds"]
    extract = _query(db, "articles_extract", Filters())
    assert extract[["source", "source_file"]].values.tolist() == [["wire_2016.txt", "wire_2016.txt"]]
    assert [c for c in extract.columns if extract[c].astype(str).str.contains(str(folder), regex=False).any()] == []
    assert main(["--db", str(db), "stats"]) == 0
    assert "  sources    wire_2016.txt 1\n" in capsys.readouterr().out


@pytest.mark.parametrize(("title_start", "line"), [
    ("الإفراج عن 120 معتقلاً", "Dated from the date line at the top of its file"),  # a seed's "date" first line
    ("<script>alert(1)</script>", "Dated from the date field of its record"),  # a JSON record's "date"
])
def test_the_reader_says_in_words_where_the_date_came_from(title_start, line, dashboard_env):
    """The reader said "Dated from the field" / "from the header": the parser's names for them."""
    at = _ok(_app("pages/3_Articles.py", article=str(_article_id(dashboard_env, title_start))))
    assert [c.value for c in at.caption if c.value.startswith("Dated from")] == [line]


def test_the_list_page_says_how_many_pages_there_are(long_list_db, monkeypatch):
    monkeypatch.setenv("BASIRA_DB", str(long_list_db))
    assert [n.label for n in _ok(_app("pages/3_Articles.py")).number_input] == ["Page (of 3)"]


def test_the_articles_extract_names_each_articles_topics_by_their_labels_too(dashboard_env):
    """The extract gave only the keys ("drugs_smuggling, defected_officers"), which the pages never show."""
    extract = _exported(_ok(_app("pages/3_Articles.py")), "articles")
    labels = _query(dashboard_env, "topic_list").set_index("topic")["label"]
    expected = [None if pd.isna(keys) else "; ".join(labels[k] for k in keys.split(", ")) for keys in extract["topics"]]
    assert any(isinstance(e, str) and "Prisons and detention" in e for e in expected)
    assert [None if pd.isna(v) else v for v in extract["topic_labels"]] == expected
