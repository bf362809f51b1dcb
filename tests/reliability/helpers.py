"""Shared checks: is this HTML ours only, is this Markdown literal, what did a page show, run the CLI."""

from __future__ import annotations

import html.parser
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from google.protobuf.json_format import MessageToDict

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGES = ("app.py", "pages/1_Topics.py", "pages/2_Entities.py", "pages/3_Articles.py", "pages/4_Search.py",
         "pages/5_Ingest.py")
# Bidi embeddings, overrides and isolates: they reorder what an analyst reads (U+202E turns "gpj.exe" around).
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# The isolate basira.render wraps around a title it puts in a line of the other direction (render.isolated: "Read
# article N: <FSI>title<PDI>"): a first-strong isolate closed by its pop with no control inside. Data's own controls
# are stripped before they are shown, so any other one (an override, an unbalanced or nested isolate) came from data.
OWN_ISOLATE = re.compile("\u2068([^\u202a-\u202e\u2066-\u2069]*)\u2069")


def data_bidi(text: str) -> bool:
    """Does `text` hold a bidi control that the app did not put there itself?"""
    return BIDI.search(OWN_ISOLATE.sub(r"\1", text)) is not None
# The only markup basira.render emits; anything else in an HTML body came from data.
ALLOWED_TAGS = {"article", "h2", "div", "mark", "bdi", "span", "style", "a"}
ALLOWED_ATTRIBUTES = {"class", "dir", "lang", "title", "data-article-id", "data-seq", "href", "target", "rel"}
# The one link the reader draws from data (the source URL): http(s) only, in a new tab that cannot reach back.
LINK_ATTRIBUTES = {"target": "_blank", "rel": "noopener noreferrer"}
# Markdown that does something: links, images, autolinks, emphasis, code, Streamlit directives, LaTeX, HTML.
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
MARKDOWN_ACTIVE = re.compile(r"\]\(|!\[|<[A-Za-z/]|\*\*|__|~~|`|:[a-z]+\[|:material/|\$|^#|\n")


@dataclass
class HtmlReport:
    tags: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return "".join(self.text)


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.report = HtmlReport()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.report.tags.append(tag)
        self._in_style = tag == "style"
        self.report.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.report.text.append(data)


def parse_html(body: str) -> HtmlReport:
    collector = _Collector()
    collector.feed(body)
    collector.close()
    return collector.report


def html_problems(body: str) -> list[str]:
    """Why an HTML body is not inert: foreign elements or attributes, event handlers, script URLs."""
    report = parse_html(body)
    problems = [f"element <{t}>" for t in sorted(set(report.tags) - ALLOWED_TAGS)]
    problems += [f"attribute {t}.{n}" for t, n, _ in report.attributes if n not in ALLOWED_ATTRIBUTES]
    if re.search(r"<[^>]*\bon[a-z]+\s*=", body, re.IGNORECASE):
        problems.append("an event handler inside a tag")
    if re.search(r"<\s*(script|img|svg|iframe)", body, re.IGNORECASE):
        problems.append("an active element in the markup")
    if BIDI.search(report.shown):
        problems.append("a bidi control in the shown text")
    return problems + _link_problems(report)


def _link_problems(report: HtmlReport) -> list[str]:
    problems = [f"attribute {t}.{n} outside a link" for t, n, _ in report.attributes
                if n in {"href", *LINK_ATTRIBUTES} and t != "a"]
    problems += [f"a link to {v!r}" for t, n, v in report.attributes
                 if t == "a" and n == "href" and not re.match(r"https?://", v, re.IGNORECASE)]
    links = report.tags.count("a")
    for name, value in LINK_ATTRIBUTES.items():
        if sum(t == "a" and n == name and v == value for t, n, v in report.attributes) != links:
            problems.append(f"a link without {name}={value!r}")
    return problems


def markdown_problems(body: str) -> list[str]:
    """Markdown syntax left active in a body that quotes data (once backslash-escaped characters are removed)."""
    bare = _ESCAPED.sub("", body)
    return [m.group() for m in MARKDOWN_ACTIVE.finditer(bare)]


@dataclass
class Shown:
    """Everything a page run put on screen, by kind."""

    html: list[str]
    markdown: list[str]  # st.markdown, st.caption, st.title ... bodies, and alerts
    plain: list[str]  # st.text bodies: shown as written, never parsed
    labels: list[str]  # page links, buttons, metrics and widget labels, options
    cells: list[str]  # string cells of every dataframe
    charts: list[str]  # Plotly specs
    exceptions: list[str]

    def strings(self) -> Iterator[str]:
        yield from self.html
        yield from self.markdown
        yield from self.plain
        yield from self.labels
        yield from self.cells
        yield from self.charts


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def shown(at) -> Shown:
    """Collect the output of an AppTest run, every element in main and sidebar."""
    out = Shown([], [], [], [], [], [], [])
    for node in [*at.main, *at.sidebar]:
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is None or kind in ("container", "unknown", "main", "sidebar", "vertical", "horizontal"):
            continue
        if kind == "html":
            out.html.append(proto.body)
        elif kind in ("markdown", "caption", "title", "header", "subheader", "alert", "info", "warning",
                      "error", "success"):
            out.markdown.append(proto.body)
        elif kind == "text":
            out.plain.append(proto.body)
        elif kind == "exception":
            out.exceptions.append(f"{proto.type}: {proto.message}\n" + "\n".join(proto.stack_trace))
        elif kind in ("arrow_data_frame", "dataframe"):
            frame = node.value
            if isinstance(frame, pd.DataFrame):
                for column in frame.columns:
                    out.cells.extend(v for v in frame[column].tolist() if isinstance(v, str))
        elif kind == "plotly_chart":
            out.charts.append(proto.spec)
        else:
            try:
                out.labels.extend(_strings(MessageToDict(proto)))
            except (TypeError, AttributeError):
                pass
    return out


def run_page(page: str, params: dict[str, str | list[str]] | None = None, timeout: float = 120):
    """One fresh browser-like session: a new AppTest on the app, switched to `page`, with the URL's params."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if page != "app.py":
        at.switch_page(page)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def cli(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "basira", "--db", str(db), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


WORDS = (
    "وزارة الداخلية السورية الأمن العام ضابط منشق سجن صيدنايا عدرا حمص حلب دمشق درعا إدلب اللاذقية انقلاب مخطط "
    "قوات الجيش الشرطة اعتقال توقيف الإفراج معتقل محكمة تحقيق مصدر وكالة بيان حكومة الحدود لبنان الأردن هجوم كمين "
    "دورية حاجز مداهمة أسلحة ذخائر مخدرات تهريب شبكة خلية عناصر قيادي مسؤول محافظ فرع مخابرات"
).split()


def write_records(path: Path, count: int, seed: int) -> None:
    """`count` distinct short news records as JSON Lines (and, for seed > 0, one line with no text)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            body = " ".join(rng.choice(WORDS) for _ in range(14)) + f" {seed}-{i}. " + " ".join(
                rng.choice(WORDS) for _ in range(9)) + "."
            record = {"title": " ".join(rng.choice(WORDS) for _ in range(5)), "text": body,
                      "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                      "source": f"s{rng.randint(1, 5)}.example"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    # One bad line in the batch: its rejection must land once, too.
    if seed:
        with path.open("a", encoding="utf-8") as handle:
            handle.write('{"title": "بلا نص"}\n')
