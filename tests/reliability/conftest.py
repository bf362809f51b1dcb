"""Fixtures for the reliability suite: a store built from hostile input, and the page sessions over it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from basira import ingest

from . import corpus


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> Path:
    """A store holding every hostile record, ingested as files and as a browser upload would be."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "store" / "basira.duckdb"
    report = ingest.ingest_paths(corpus.write_inputs(folder / "inputs"), db)
    assert dict(report.rejected) == corpus.REJECTED_REASONS, report.summary()
    uploaded = ingest.ingest_uploads([corpus.upload()], db)
    assert uploaded.added == 1, uploaded.summary()
    return db


@pytest.fixture
def on_store(monkeypatch):
    """Point the app (ui.db_path reads BASIRA_DB on every run) at a store for this test."""

    def use(db: Path) -> Path:
        monkeypatch.setenv("BASIRA_DB", str(db))
        return db

    return use


@pytest.fixture
def hostile_app(hostile_db, on_store) -> Path:
    return on_store(hostile_db)


@pytest.fixture
def one_runtime(monkeypatch):
    """Sessions in threads, as in a real server, which has one Runtime for every session.

    AppTest puts a mock Runtime in a class attribute for each run and clears it when the run ends; with runs in
    threads, one run's teardown would pull the runtime from under another ("Runtime hasn't been created!").
    This keeps the last runtime in place between runs; the app's own code is untouched.
    """
    from streamlit.runtime.runtime import Runtime

    last: list[object] = []

    def instance(cls):
        if cls._instance is not None:
            last[:] = [cls._instance]
            return cls._instance
        if last:
            return last[0]
        raise RuntimeError("Runtime hasn't been created!")

    monkeypatch.setattr(Runtime, "instance", classmethod(instance))
    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: cls._instance is not None or bool(last)))
    # A server compiles each page once, under its one ScriptCache's lock. AppTest makes a new ScriptCache per
    # run, so sessions in threads compiled the same page at the same moment, and CPython 3.11.7's AST
    # conversion is not thread-safe ("SystemError: AST constructor recursion depth mismatch", fixed in later
    # CPython releases): share one cache, as the server does.
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    monkeypatch.setattr(local_script_runner, "ScriptCache", lambda: shared)
    monkeypatch.setattr(app_test, "ScriptCache", lambda: shared)
    # AppTest also resets the class-wide PagesManager.uses_pages_directory to None before each run and lets the
    # new PagesManager set it again; a session in another thread that reads it in between runs its page
    # without the pages/ directory registered ("Could not find page"). Every session here runs app.py beside
    # pages/, so the answer is True for all of them: pin it, and let AppTest's reset hit a subclass instead.
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    monkeypatch.setattr(app_test, "PagesManager", type("ThreadSafePagesManager", (PagesManager,), {}))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a reliability test that runs real processes (seconds, not minutes)")


def pytest_collection_modifyitems(config, items):
    """Browser tests here follow the project rule: skipped without chromium locally, required in CI."""
    from tests.browser.server import chromium_path

    if chromium_path() or os.environ.get("BASIRA_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium)")
    here = Path(__file__).parent
    for item in items:
        if "browser" in item.keywords and Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(skip)
