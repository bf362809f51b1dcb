"""SQL metacharacters in every filter and search input: bound as values, never spliced into SQL.

Every read query in basira.queries.read (found by introspection, so a new one is covered without editing
this file) and the search engine run with quotes, comment markers, LIKE wildcards, backslashes, NUL and
Arabic in every string they take. The canary runs them on a *read-write* connection: if a value could
end a statement, `DROP TABLE articles` would succeed there.
"""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from basira import search, store
from basira.filters import Filters
from basira.queries import read

from .helpers import run_page, shown

CANARIES = (
    "x'); DROP TABLE articles; --",
    '"; DROP TABLE articles; --',
    "' OR '1'='1",
    "%' OR 1=1 --",
    "/* */ UNION SELECT * FROM articles --",
    "prisons'||'",
    "\\'; DELETE FROM articles; --",
    "$1 ? :x ::VARCHAR",
    "سجن'; DROP TABLE sentences; --",
    "a\x00b",
)
PIECES = ["'", '"', ";", "--", "/*", "*/", "%", "_", "\\", "\x00", "?", "$1", "::", "||", "`", "[", "]", "(", ")",
          "*", " ", "\n", "\u202e", "سجن", "صيدنايا", "prisons", "per:anas_khattab", "OR 1=1", "DROP TABLE articles"]
META = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    st.sampled_from(CANARIES),
    st.text(max_size=20),
)
DATES = st.one_of(st.none(), st.sampled_from(["2025-03-01", "2024-12-31", "1990-01-01"]), META)
# Every read query costs ~0.5 s a round on a loaded 2-core machine: the full sweep runs fewer examples, the
# shared filter composer (`read.selection`) and the search engine run many more.
EVERY_QUERY = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
COMPOSER = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

READ_QUERIES = {
    name: function
    for name, function in inspect.getmembers(read, inspect.isfunction)
    if function.__module__ == read.__name__ and next(iter(inspect.signature(function).parameters), "") == "cur"
}


def _arguments(function, filters: Filters, value: str) -> list[object]:
    """Arguments for a read query: the hostile value for every string parameter."""
    args: list[object] = []
    for name, parameter in list(inspect.signature(function).parameters.items())[1:]:
        if name == "filters":
            args.append(filters)
        elif name in ("limit", "offset", "per_article", "count", "pool"):
            args.append(5 if name == "limit" else 0)
        elif name == "grain":
            args.append("month")  # an identifier: whitelisted, see test_an_unknown_grain_is_refused_not_run
        elif name == "article_id":
            args.append(1)
        elif name == "keys":
            args.append([value, "per:anas_khattab"])
        elif name == "ids":
            args.append([1, 2])
        elif name == "pairs":
            args.append([(1, 0), (2, -1)])
        elif name in ("entity_key", "entity_type", "topic", "first", "second", "query", "text"):
            args.append(value)
        else:
            raise AssertionError(f"read.{function.__name__}: no hostile value for parameter {name!r}; add one here")
    return args


def _filters(value: str, date_from: str | None = None, date_to: str | None = None) -> Filters:
    params = {"q": value, "topic": [value, "prisons"], "entity": [value], "source": [value, "hostile.example"],
              "dupes": value, "undated": value}
    if date_from is not None:
        params["from"] = date_from
    if date_to is not None:
        params["to"] = date_to
    return Filters.from_query_params(params)


def _run_every_query(cur, filters: Filters, value: str) -> None:
    for name, function in READ_QUERIES.items():
        result = function(cur, *_arguments(function, filters, value))
        assert isinstance(result, (pd.DataFrame, dict, list, int, str, type(None))), name
    for mode in ("all", "any"):
        for query in (value, f'{value} "{value} سجن"', f"سجن {value}"):
            assert isinstance(search.search(cur, query, filters, mode=mode), pd.DataFrame)


def test_the_introspection_finds_the_read_queries():
    assert {"key_figures", "timeline", "article_page", "articles_extract", "search_fallback",
            "pair_sentences", "entity_lookup"} <= set(READ_QUERIES)


@pytest.fixture(scope="module")
def writable_copy(hostile_db, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("canary") / "canary.duckdb"
    shutil.copyfile(store.generation_file(hostile_db), copy)
    return copy


def _tables(con) -> dict[str, int]:
    names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names if not n.startswith("search_")}


def test_canaries_in_every_input_of_every_query_on_a_writable_connection_change_nothing(writable_copy):
    con = duckdb.connect(str(writable_copy))
    try:
        before = _tables(con)
        assert before["articles"] > 0
        for canary in CANARIES:
            _run_every_query(con.cursor(), _filters(canary, canary, canary), canary)
        assert _tables(con) == before
    finally:
        con.close()


@EVERY_QUERY
@given(value=META, date_from=DATES, date_to=DATES)
def test_any_value_in_any_filter_runs_every_read_query(hostile_db, value, date_from, date_to):
    filters = _filters(value, date_from, date_to)
    with store.read_cursor(hostile_db) as cur:
        _run_every_query(cur, filters, value)


@COMPOSER
@given(topics=st.lists(META, max_size=3), entities=st.lists(META, max_size=3), sources=st.lists(META, max_size=3),
       text=META, one_per_story=st.booleans(), undated=st.booleans())
def test_any_filter_combination_composes_valid_sql_and_search_runs(
    hostile_db, topics, entities, sources, text, one_per_story, undated
):
    filters = Filters(topics=tuple(topics), entities=tuple(entities), sources=tuple(sources), text=text,
                      include_duplicates=not one_per_story, include_undated=undated)
    with store.read_cursor(hostile_db) as cur:
        total = read.article_count(cur, Filters())
        assert 0 <= read.article_count(cur, filters) <= total
        assert read.key_figures(cur, filters)["articles"] <= total
        for mode in ("all", "any"):
            found = search.search(cur, text, filters, mode=mode)
            assert set(found["article_id"]) <= set(range(1, total + 1))


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["q", "topic", "entity", "source", "from", "to", "dupes", "undated", "x"]),
                       st.lists(META, max_size=4), max_size=8))
def test_query_parameters_never_break_the_filter_model_and_round_trip(params):
    filters = Filters.from_query_params(params)
    assert Filters.from_query_params(filters.to_query_params()) == filters
    for field in (filters.date_from, filters.date_to):
        assert field is None or isinstance(field, dt.date)


def test_a_filter_value_is_matched_literally_not_as_a_pattern(hostile_db):
    with store.read_cursor(hostile_db) as cur:
        every = read.article_count(cur, Filters())
        assert read.article_count(cur, Filters(sources=("%",))) == 0
        assert read.article_count(cur, Filters(sources=("' OR '1'='1",))) == 0
        assert read.article_count(cur, Filters(topics=("_%",))) == 0
        assert read.article_count(cur, Filters(sources=("hostile.example",))) == 1
        assert every > 1


def test_an_unknown_grain_is_refused_not_run(hostile_db):
    with store.read_cursor(hostile_db) as cur, pytest.raises(KeyError):
        read.timeline(cur, Filters(), "month'); DROP TABLE articles; --")


HOSTILE_URL = {
    "q": CANARIES[0], "topic": [CANARIES[1], "prisons"], "entity": [CANARIES[2]], "source": [CANARIES[3]],
    "from": CANARIES[4], "to": "2025-13-45", "dupes": CANARIES[5], "undated": "0'", "article": "1; DROP TABLE articles",
    "grain": CANARIES[0], "count": CANARIES[1], "type": CANARIES[2], "pair": f"{CANARIES[0]}|{CANARIES[1]}",
}


@pytest.mark.parametrize("page", ["app.py", "pages/1_Topics.py", "pages/2_Entities.py", "pages/3_Articles.py",
                                  "pages/4_Search.py"])
def test_a_shared_link_full_of_sql_opens_every_page_without_error(hostile_app, page):
    out = shown(run_page(page, HOSTILE_URL))
    assert out.exceptions == []
    with store.read_cursor(hostile_app) as cur:
        assert cur.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
