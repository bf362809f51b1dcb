"""Shared fixtures. Each block is owned by the tests that use it; keep names specific."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


# Dashboard (tests/test_pages.py, tests/browser/): a small store built once per session from seeds/ plus
# hostile articles (markup in titles and text, spreadsheet formulas, an undated article).


@pytest.fixture(scope="session")
def dashboard_db(tmp_path_factory) -> Path:
    from basira import ingest

    db = tmp_path_factory.mktemp("dashboard") / "basira.duckdb"
    with contextlib.chdir(ROOT):  # stored source paths are relative to the project, as in `make run`
        report = ingest.ingest_paths([ROOT / "seeds", FIXTURES / "hostile.jsonl"], db)
    assert report.added > 3 and not report.rejected, report.summary()
    return db


@pytest.fixture(scope="session")
def empty_dashboard_db(tmp_path_factory) -> Path:
    """A store with the schema and no articles (a fresh install before any ingest)."""
    from basira import store

    db = tmp_path_factory.mktemp("dashboard_empty") / "basira.duckdb"
    with store.writer(db):
        pass
    return db


@pytest.fixture
def dashboard_env(dashboard_db, monkeypatch) -> Path:
    """BASIRA_DB pointing at the dashboard store, for AppTest runs in this process."""
    monkeypatch.setenv("BASIRA_DB", str(dashboard_db))
    return dashboard_db
