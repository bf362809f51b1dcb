"""Meta-tests: the project's conventions, enforced rather than remembered."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "basira"
CORE_MODULES = sorted(p for p in CORE.rglob("*.py"))
PAGES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py")])
# Upper-case keywords only: SQL here is written in capitals, English prose ("select a row ... from") is not.
SQL_STATEMENT = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+TABLE)\b", re.S)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("module", CORE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_streamlit(module):
    assert "streamlit" not in _imports(module)


@pytest.mark.parametrize("module", CORE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_lives_only_in_the_queries_package(module):
    if module.parent.name == "queries":
        return
    offending = [s[:80] for s in _string_constants(module) if SQL_STATEMENT.search(s)]
    assert offending == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_are_thin(page):
    """Pages read filters, call core and render: no SQL, no DuckDB, no arabic shaping of their own."""
    assert not {"duckdb", "arabic_reshaper", "bidi"} & _imports(page)
    assert [s for s in _string_constants(page) if SQL_STATEMENT.search(s)] == []


def test_reshaper_and_bidi_are_used_behind_one_helper():
    users = [p.relative_to(ROOT).as_posix() for p in CORE_MODULES if {"arabic_reshaper", "bidi"} & _imports(p)]
    assert users in ([], ["basira/shaping.py"])


def test_requirements_are_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r ")):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), f"{name}: {line!r} is not pinned"


def test_stack_is_declared():
    pinned = {line.split("==")[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line}
    assert {"streamlit", "pandas", "plotly", "duckdb", "arabic-reshaper", "python-bidi"} <= pinned


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


def test_no_streamlit_navigation_api():
    """pages/ is used, so st.navigation must not be (it would replace the pages folder)."""
    for page in PAGES + [ROOT / "ui.py"]:
        if page.exists():
            assert "st.navigation" not in page.read_text(encoding="utf-8"), page.name


def test_regexes_compiled_at_module_level_in_text_helpers():
    """Arabic text helpers run per sentence: a re.compile inside a function would recompile per call."""
    for module in CORE_MODULES:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for call in (n for n in ast.walk(func) if isinstance(n, ast.Call)):
                target = call.func
                if isinstance(target, ast.Attribute) and target.attr == "compile" and getattr(target.value, "id", "") == "re":
                    # Allowed only in builders that run once: cached, or named as pattern builders.
                    decorators = {ast.unparse(d).split("(")[0] for d in func.decorator_list}
                    cached = decorators & {"cache", "lru_cache", "functools.cache", "functools.lru_cache"}
                    builder = re.match(r"_?(build|compile|load)", func.name)
                    assert cached or builder, (
                        f"{module.relative_to(ROOT)}:{func.name} compiles a regex per call"
                    )


def _dataframe_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "dataframe"
        and isinstance(n.func.value, ast.Name) and n.func.value.id == "st"
    ]


def test_every_table_shows_a_missing_value_as_an_empty_cell():
    """st.dataframe shows a missing value as "None", which reads as a value (a byline or a source called None)."""
    calls = {p.name: _dataframe_calls(p) for p in [*PAGES, ROOT / "ui.py"]}
    # The tables are found at all (5 since the reader lists its topics as text, review4: a table cut them in 240 px).
    assert sum(len(c) for c in calls.values()) >= 5
    without = [(name, c.lineno) for name, found in calls.items() for c in found
               if "placeholder" not in {k.arg for k in c.keywords}]
    assert without == []
