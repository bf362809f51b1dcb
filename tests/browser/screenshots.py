"""Screenshots of every page, so anyone can see the dashboard without running it.

    python -m tests.browser.screenshots            # (make screenshots) -> screenshots/<page>.png
    python -m tests.browser.screenshots --width 900 --page topics   # -> screenshots/topics-900.png

Uses the default database (data/basira.duckdb, or $BASIRA_DB), building it from seeds/ when missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from basira import ingest, store
from basira.filters import Filters
from basira.queries import read
from tests.browser.server import ROOT, chromium_path, launch, streamlit_server, wait_for_app

WIDTH = 1400
MAX_HEIGHT = 4200


def _showcase_article(db: Path) -> int | None:
    """The article behind the strongest topic evidence: it has a title, tags and highlighted spans."""
    with store.read_cursor(db) as cur:
        evidence = read.evidence_sentences(cur, Filters(), None, 1)
    return int(evidence["article_id"].iloc[0]) if len(evidence) else None


def pages(db: Path) -> list[tuple[str, str]]:
    article = _showcase_article(db)
    return [
        ("overview", ""),
        ("topics", "Topics"),
        ("entities", "Entities"),
        ("articles", f"Articles?article={article}" if article else "Articles"),
        ("search", "Search?q=%D8%B3%D8%AC%D9%86%20%D8%B5%D9%8A%D8%AF%D9%86%D8%A7%D9%8A%D8%A7"),  # سجن صيدنايا
        ("ingest", "Ingest"),
    ]


def capture(db: Path, out: Path, widths: tuple[int, ...] = (WIDTH,), only: tuple[str, ...] = ()) -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with streamlit_server(db) as url, sync_playwright() as playwright:
        browser = launch(playwright, executable)
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, locale="en-GB")
        shots = [(n, p, w) for n, p in pages(db) if not only or n in only for w in widths]
        for name, path, width in shots:
            page.set_viewport_size({"width": width, "height": 1000})
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            # The main area scrolls inside the page: grow the window to the content so one shot shows it all.
            height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
            page.set_viewport_size({"width": width, "height": min(max(int(height), 1000), MAX_HEIGHT)})
            wait_for_app(page)
            target = out / (f"{name}.png" if width == WIDTH else f"{name}-{width}.png")
            page.screenshot(path=str(target))
            written.append(target)
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}  <- /{path}")
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--width", type=int, action="append", help=f"viewport width, repeatable (default {WIDTH})")
    parser.add_argument("--page", action="append", help="only this page (overview, topics, …), repeatable")
    args = parser.parse_args(argv)
    db = args.db or store.default_db_path()
    if not db.exists():
        ingest.build_default(db)
    capture(db, args.out, tuple(args.width or [WIDTH]), tuple(args.page or []))
    return 0


if __name__ == "__main__":
    sys.exit(main())
