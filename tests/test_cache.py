"""Page loads hit the caches: the Overview page under AppTest on the fixture store, counting the read queries
each run executes. The same view again runs nothing; a date change runs only the queries that take the
filters; going back to the first view is still cached. (`bench/cache_check.py` does the same on a large store
and reports how long each run takes.)"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from basira.queries import read

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60
# Queries of the Overview page that take the filters (the date range is a filter). The article extract is not
# among them: it is built on the first download click (ui.DeferredExport).
FILTERED = {"key_figures": 1, "timeline": 1, "article_page": 1}
# Queries that do not, once per store generation: the sidebar's choices, the page's topic labels and the
# extract manifest's store fingerprint and taxonomy version, and whether the store's folding is outdated.
UNFILTERED = {
    "topic_list": 1, "source_list": 1, "entity_options": 1, "store_fingerprint": 1, "taxonomy_version": 1,
    "outdated_normalization": 1,
}


@pytest.fixture
def counted(monkeypatch) -> Counter[str]:
    """Every public read query, wrapped to count its calls (ui._cached looks them up by name at call time)."""
    calls: Counter[str] = Counter()

    def wrap(name: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    for name in dir(read):
        function = getattr(read, name)
        if callable(function) and getattr(function, "__module__", "") == read.__name__ and not name.startswith("_"):
            if name != "selection":  # a SQL builder the queries call, not a query
                monkeypatch.setattr(read, name, wrap(name, function))
    # Earlier AppTests in this process may have cached the same store's results already.
    st.cache_data.clear()
    yield calls
    st.cache_data.clear()


def _run(at: AppTest, calls: Counter[str], action: Callable[[], AppTest]) -> dict[str, int]:
    calls.clear()
    action()
    assert [e.value for e in at.exception] == []
    return dict(calls)


def test_overview_reruns_only_what_a_filter_change_needs(dashboard_env, counted):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    first = _run(at, counted, at.run)
    assert first == FILTERED | UNFILTERED
    assert _run(at, counted, at.run) == {}
    date_from = at.sidebar.date_input[0]
    # A date range leaves undated articles out, and the sidebar counts them (key_figures of the view that keeps them).
    ranged = FILTERED | {"key_figures": 2}
    assert _run(at, counted, lambda: date_from.set_value(dt.date(2015, 1, 1)).run()) == ranged
    assert _run(at, counted, lambda: at.sidebar.date_input[0].set_value(None).run()) == {}
    # The same date again is the cached view, not a new one.
    assert _run(at, counted, lambda: at.sidebar.date_input[0].set_value(dt.date(2015, 1, 1)).run()) == {}


def test_a_new_store_generation_runs_the_queries_again(dashboard_env, counted, monkeypatch):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    _run(at, counted, at.run)
    # The generation id is every cache's key: data landing (a new generation) must not be served from cache.
    from basira import store

    real = store.generation_id
    monkeypatch.setattr(store, "generation_id", lambda db: f"{real(db)}-next")
    assert _run(at, counted, at.run) == FILTERED | UNFILTERED


def test_the_article_extract_is_built_on_the_first_download_only(dashboard_env, counted):
    import ui
    from basira import export, store
    from basira.filters import Filters

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    _run(at, counted, at.run)
    _run(at, counted, lambda: at.sidebar.date_input[0].set_value(dt.date(2015, 1, 1)).run())
    deferred = at.session_state[ui.EXPORTS_STATE]["articles"]
    assert isinstance(deferred, ui.DeferredExport) and deferred.filters == Filters(date_from=dt.date(2015, 1, 1))
    counted.clear()
    loaded = deferred.load()
    assert dict(counted) == {"articles_extract": 1, "store_fingerprint": 1, "taxonomy_version": 1}
    counted.clear()
    assert deferred.frame() is loaded.frame and dict(counted) == {}
    with store.read_cursor(dashboard_env) as cur:
        direct = read.articles_extract(cur, deferred.filters)
        assert (loaded.fingerprint, loaded.taxonomy, loaded.truncated) == (
            read.store_fingerprint(cur), read.taxonomy_version(cur), False)
    assert export.csv_bytes(loaded.frame) == export.csv_bytes(direct) and len(direct) > 0
