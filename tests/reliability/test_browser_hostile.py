"""The real server and a real browser (Debian chromium).

Hostile data is shown as text wherever the app shows data: nothing runs, nothing is fetched from elsewhere. The
server keeps serving while the CLI ingests and shows the batch once it lands. A file over the upload limit is
refused in the browser with Streamlit's message.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from urllib.parse import quote, urlsplit

import pytest

from basira import store
from tests.browser.server import chromium_path, launch, streamlit_server, wait_for_app

from . import corpus
from .helpers import ROOT, data_bidi, write_records

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 90_000
MARKER = "زيزفونة"
# Emphasis, links and code that the hostile Markdown would produce if it were parsed.
FORMATTED = ("عاجل", "مهم", "x", "شطب", "أحمر", "code", "مجهول", "n", "انقر", "src", "d", "u")


@pytest.fixture(scope="module")
def served(hostile_db, tmp_path_factory):
    """The app on a copy of the hostile store (a copy: the ingest test below adds to it)."""
    db = tmp_path_factory.mktemp("served") / "basira.duckdb"
    shutil.copyfile(store.generation_file(hostile_db), db)
    with store.writer(db):  # adopt the copy as generation 1 before the server reads it
        pass
    with store.read_cursor(db) as cur:
        ids = [r[0] for r in cur.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()]
    with streamlit_server(db) as url:
        yield url, db, ids


@pytest.fixture(scope="module")
def browser(served):
    path = chromium_path()
    if path is None:
        pytest.fail("chromium is required here (BASIRA_REQUIRE_BROWSER): apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright, path)
        yield instance
        instance.close()


@pytest.fixture
def tab(browser, served):
    url = served[0]
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.seen = {"dialogs": [], "foreign": [], "beacon": []}
    origin = urlsplit(url).netloc
    page.on("dialog", lambda dialog: (page.seen["dialogs"].append(dialog.message), dialog.dismiss()))

    def watch(request):
        where = urlsplit(request.url)
        if where.scheme in ("http", "https", "ws", "wss") and where.netloc != origin:
            page.seen["foreign"].append(request.url)

    page.on("request", watch)
    page.route(f"http://{corpus.BEACON}/**",
               lambda route: (page.seen["beacon"].append(route.request.url), route.abort()))
    yield page
    context.close()


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, TIMEOUT_MS)


def _inert(page) -> list[str]:
    """What is wrong on the page now: script ran, error shown, links/images to elsewhere, parsed Markdown, bidi."""
    problems = page.evaluate(
        """([flag, beacon, formatted]) => {
            const out = [];
            if (window[flag] !== undefined) out.push('a payload ran: ' + window[flag]);
            for (const e of document.querySelectorAll('[data-testid="stException"]'))
                out.push('exception: ' + e.innerText);
            for (const a of document.querySelectorAll('a[href]')) {
                const href = a.getAttribute('href');
                if (/^\\s*javascript:/i.test(href) || href.includes(beacon)) out.push('link: ' + a.outerHTML);
            }
            for (const e of document.querySelectorAll('[src]')) {
                const src = e.getAttribute('src');
                if (/^\\s*javascript:/i.test(src) || src.includes(beacon)) out.push('source: ' + e.outerHTML);
            }
            for (const e of document.querySelectorAll('iframe, svg[onload], img[onerror], [onerror], [onload]'))
                out.push('element: ' + e.outerHTML.slice(0, 200));
            for (const s of document.scripts)
                if (s.textContent.includes(flag)) out.push('script: ' + s.outerHTML.slice(0, 200));
            for (const e of document.querySelectorAll('strong, em, b, i, del, s, code, h1, h2, h3, h4'))
                if (formatted.includes(e.textContent.trim())) out.push('formatted: ' + e.outerHTML);
            return out;
        }""",
        [corpus.XSS, corpus.BEACON, list(FORMATTED)],
    )
    text = page.evaluate("() => document.body.innerText")
    if data_bidi(text):
        problems.append("a bidi control in the page text")
    return problems


def _pages(url: str, ids: list[int]) -> list[str]:
    """Where each way of showing data is used (AppTest checks every page and article): search results (snippets
    as HTML, titles as page-link labels), the reader of the first JSON record (markup everywhere), of the second
    (formulas, an unparseable date and a backtick URL shown as plain text) and of the upload with a hostile name."""
    views = [f"Search?q={quote('عاجل')}"] + [f"Articles?article={i}" for i in (ids[0], ids[1], ids[-1])]
    return [f"{url}/{view}" for view in views]


def test_hostile_data_is_shown_as_text_and_nothing_runs_or_is_fetched(tab, served):
    url, _, ids = served
    for address in _pages(url, ids):
        _open(tab, address)
        assert _inert(tab) == [], address
    assert tab.seen == {"dialogs": [], "foreign": [], "beacon": []}
    # Shown, not dropped: the reader of the first hostile record shows its script tag as text.
    _open(tab, f"{url}/Articles?article={ids[0]}")
    assert corpus.SCRIPT in tab.inner_text("article.basira-article")


def _metric(page, label: str) -> int:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return int(box.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))


def test_the_server_keeps_serving_while_the_cli_ingests_and_then_shows_the_batch(tab, served, tmp_path):
    url, db, _ = served
    batch = tmp_path / "batch.jsonl"
    # Big enough that the ingest outlasts a page load (analysis now loads in a fraction of a second).
    write_records(batch, 2000, 3)
    marked = {"title": f"خبر {MARKER} عن سجن عدرا", "text": f"أعلنت وزارة الداخلية توقيف {MARKER} في حمص.",
              "date": "2025-05-05", "source": "marker.example"}
    with batch.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(marked, ensure_ascii=False) + "\n")
    _open(tab, url)
    before = _metric(tab, "Articles")
    process = subprocess.Popen([sys.executable, "-m", "basira", "--db", str(db), "ingest", str(batch)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    served_during = 0
    seen = []
    while process.poll() is None:
        # Each load starts while the ingest runs; the first must start within the ingest's first moments.
        _open(tab, url)
        assert _inert(tab) == []
        seen.append(_metric(tab, "Articles"))
        served_during += 1
    out, err = process.communicate()
    assert process.returncode == 0, err
    assert served_during >= 1
    assert set(seen) <= {before, before + 2001} and seen == sorted(seen)
    _open(tab, url)
    assert _metric(tab, "Articles") == before + 2001
    _open(tab, f"{url}/Search?q={quote(MARKER)}")
    assert tab.get_by_text(MARKER).count() >= 1
    assert _inert(tab) == []


def test_a_file_over_the_upload_limit_is_refused_in_the_browser(tab, served, tmp_path):
    url = served[0]
    _open(tab, f"{url}/Ingest")
    too_big = tmp_path / "too_big.jsonl"
    with too_big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    tab.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(too_big))
    tab.get_by_text("File must be 50.0MB or smaller.").wait_for(timeout=TIMEOUT_MS)
    assert tab.get_by_role("button", name="Ingest").is_disabled()
