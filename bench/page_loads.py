"""How long does each dashboard page take to appear in a real browser? Starts the app on a store, opens each page
in Debian's chromium (Playwright) in a fresh browser context each time, and times `goto` until the script run has
finished and every chart is drawn; prints a table of the first load and the median and max of the later ones,
with the load average (on a shared machine wall time is mostly the queue for a core).

    python -m bench.page_loads data/basira.duckdb [--repeats 5]

The first load of a page pays for its queries and Streamlit's imports; later loads in new contexts are a new
analyst session on a warm server (the app's caches hit; the browser fetches the frontend again).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from tests.browser.server import chromium_path, launch, streamlit_server

PAGES = (
    ("Overview", "/"),
    ("Topics", "/Topics"),
    ("Topics, one topic", "/Topics?topic=prisons"),
    ("Entities", "/Entities"),
    ("Articles", "/Articles"),
    ("Search", "/Search?q=%D8%B3%D8%AC%D9%86"),  # سجن
)
TIMEOUT_MS = 180_000
# What tests.browser.server.wait_for_app waits for, without its settling pause: the run over and every chart drawn.
DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""


def timed_load(browser, url: str) -> float:
    """Seconds from navigation until the page's run is over and drawn, in a context of its own."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
        page.wait_for_function(DRAWN, timeout=TIMEOUT_MS)
        return time.perf_counter() - started
    finally:
        context.close()


def summary_row(name: str, seconds: list[float]) -> str:
    later = seconds[1:] or seconds
    return f"| {name} | {seconds[0]:.2f} | {statistics.median(later):.2f} | {max(later):.2f} |"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--repeats", type=int, default=5, help="loads per page (the first is reported apart)")
    args = ap.parse_args(argv)
    executable = chromium_path()
    if executable is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| page | first load s | later loads median s | max s |")
    print("|---|---|---|---|")
    with streamlit_server(args.db) as base, sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for name, path in PAGES:
                print(summary_row(name, [timed_load(browser, base + path) for _ in range(args.repeats)]), flush=True)
        finally:
            browser.close()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
