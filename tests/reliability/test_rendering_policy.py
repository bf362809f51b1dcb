"""The escaping policy, enforced on the source: the pages never hand data to an HTML or JavaScript sink.

- No `unsafe_allow_html`, no `unsafe_allow_javascript`, no `st.components` (custom HTML/JS) anywhere in the app.
- `st.html` only ever receives markup built by `basira.render`, which escapes everything from data.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .helpers import PAGES, ROOT

APP_FILES = [ROOT / page for page in PAGES] + [ROOT / "ui.py"]


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: p.name)
def test_no_raw_html_or_javascript_sinks(path):
    tree = _tree(path)
    keywords = [k.arg for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords]
    assert "unsafe_allow_html" not in keywords
    assert "unsafe_allow_javascript" not in keywords
    imported = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any("components" in name for name in imported | modules)
    assert "st.components" not in path.read_text(encoding="utf-8")


def _renders(argument: ast.expr) -> bool:
    """Markup from basira.render: a call of one of its functions, or one of its constants."""
    target = argument.func if isinstance(argument, ast.Call) else argument
    return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "render"


def test_st_html_only_receives_markup_built_by_basira_render():
    calls = []
    for path in APP_FILES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.html":
                calls.append((path.name, node.lineno, ast.unparse(node.args[0]), _renders(node.args[0])))
    assert len(calls) >= 4  # the style sheet, the reader, evidence and search snippets
    assert [c for c in calls if not c[3]] == []
