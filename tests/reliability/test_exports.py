"""Formula injection: no cell of any extract the pages offer runs in a spreadsheet.

The frames behind every download button are collected from real page runs over the hostile store (ui keeps
them in session state by export name), so an export added to a page later is checked without editing this file.
CSV cells that a spreadsheet would evaluate are prefixed with an apostrophe; Excel cells holding text are
string cells, never formulas, and keep the exact text.
"""

from __future__ import annotations

import ast
import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ui
from basira import export, store
from basira.filters import Filters

from . import corpus
from .helpers import BIDI, PAGES, ROOT, run_page

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _offered_exports() -> set[str]:
    """Export names passed to ui.export_buttons in the page sources (string literals)."""
    names = set()
    for page in PAGES:
        tree = ast.parse((ROOT / page).read_text(encoding="utf-8"))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if ast.unparse(call.func) == "ui.export_buttons" and len(call.args) >= 2:
                if isinstance(call.args[1], ast.Constant):
                    names.add(call.args[1].value)
    return names


def _article_with_formula_title(db: Path) -> int:
    with store.read_cursor(db) as cur:
        return cur.execute("SELECT min(article_id) FROM articles WHERE title_raw LIKE '=HYPERLINK%'").fetchone()[0]


@pytest.fixture(scope="module")
def exports(hostile_db, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Every export frame the pages build over the hostile store, including the Ingest page's rejections."""
    mp = pytest.MonkeyPatch()
    frames: dict[str, pd.DataFrame] = {}
    try:
        mp.setenv("BASIRA_DB", str(hostile_db))
        views = [
            ("app.py", {}),
            ("pages/1_Topics.py", {}),
            ("pages/2_Entities.py", {}),
            ("pages/3_Articles.py", {"article": str(_article_with_formula_title(hostile_db))}),
            ("pages/4_Search.py", {"q": "سجن"}),
        ]
        for page, params in views:
            session = run_page(page, params)
            assert [e.value for e in session.exception] == [], page
            frames.update({k: ui.export_frame(v) for k, v in session.session_state[ui.EXPORTS_STATE].items()})
        # The Ingest page exports its rejections: upload hostile rejects into a copy of the store.
        copy = tmp_path_factory.mktemp("ingest_copy") / "basira.duckdb"
        shutil.copyfile(store.generation_file(hostile_db), copy)
        mp.setenv("BASIRA_DB", str(copy))
        session = run_page("pages/5_Ingest.py")
        rejects = ("\n".join(corpus.REJECTED_LINES) + "\n").encode()
        session.file_uploader[0].set_value([(f"{corpus.FORMULAS[0]}.jsonl", rejects, "application/json")]).run()
        [button for button in session.button if button.label == "Ingest"][0].click().run()
        assert [e.value for e in session.exception] == []
        frames.update({k: ui.export_frame(v) for k, v in session.session_state[ui.EXPORTS_STATE].items()})
    finally:
        mp.undo()
    return frames


def test_every_export_the_pages_offer_was_produced(exports):
    offered = _offered_exports()
    assert len(offered) >= 8
    assert offered <= set(exports), sorted(offered - set(exports))


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _csv_cells(data: bytes) -> list[str]:
    assert data.startswith(export.BOM.encode())
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]


def test_no_csv_cell_of_any_export_is_a_formula(exports):
    neutralised = []
    for name, frame in exports.items():
        for cell in _csv_cells(export.csv_bytes(frame)):
            if cell.startswith("'") and cell[1:].startswith(TRIGGERS):
                neutralised.append(cell)
                continue
            assert not cell.startswith(TRIGGERS) or _is_number(cell), (name, cell)
            assert not BIDI.search(cell), (name, cell)
    # The hostile titles, sources and bylines did reach the extracts, neutralised.
    assert any(c.startswith("'=HYPERLINK(") for c in neutralised)
    assert any(c.startswith("'+SUM(") for c in neutralised)
    assert any(c.startswith("'-2+3") for c in neutralised)


def test_no_excel_cell_of_any_export_is_a_formula_and_text_is_kept_exactly(exports):
    formulas_kept = 0
    for name, frame in exports.items():
        manifest = export.make_manifest(name, frame, Filters(text="=1+1"), "fp", "tx")
        book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, manifest)))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert cell.data_type == "s"
                        formulas_kept += cell.value.startswith(("=HYPERLINK(", "+SUM(", "@SUM("))
        data = book["data"]
        header = [c.value for c in data[1]]
        assert header == [str(c) for c in frame.columns]
        for values, row in zip(data.iter_rows(min_row=2, values_only=True), export._rows(frame), strict=True):
            expected = [export._XML_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in row]
            assert [v for v in values if isinstance(v, str)] == [v for v in expected if isinstance(v, str) and v], name
    # Text cells keep the exact text (no apostrophe): the analyst sees what the article said.
    assert formulas_kept >= 3
