"""A PNG report of topic counts, drawn with Pillow and the bundled Arabic font, for pasting into a brief.

Drawn rather than exported from Plotly: Plotly's static export needs Kaleido and a browser, which an
air-gapped analyst machine may lack. Arabic goes through `shaping`, so labels come out joined and in
right-to-left order on either Pillow layout engine.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from basira import shaping
from basira.shaping import Target

WIDTH = 1200
MARGIN = 32
ROW = 46
BAR_HEIGHT = 26
HEADER = 120
FOOTER = 48
LABEL_COLUMN = 340  # right-hand column for the Arabic labels (the chart reads right to left)
ENGLISH_COLUMN = 250
BACKGROUND = (255, 255, 255)
INK = (33, 37, 41)
MUTED = (108, 117, 125)
BAR = (31, 119, 180)
GRID = (222, 226, 230)


@dataclass(frozen=True)
class Bar:
    label_ar: str
    label: str
    value: int


# An Arabic run: Arabic letters, with the spaces, digits and punctuation between two of them.
_ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_RUNS = re.compile(f"([{_ARABIC}](?:[^A-Za-z]*[{_ARABIC}])?)")


def script_runs(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (run, is_arabic) in logical order; empty runs dropped."""
    return [(part, index % 2 == 1) for index, part in enumerate(_RUNS.split(text)) if part]


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, target: Target,
          anchor: str, fill: tuple[int, int, int] = INK, bold: bool = False, rtl: bool = False) -> None:
    """Draw `text` anchored at xy ("l", "m" or "r" then "a" or "m"), Arabic runs in the Arabic font and
    Latin runs in Pillow's own font, runs laid out right to left when `rtl` (the paragraph direction)."""
    pieces = []
    for run, arabic in script_runs(text):
        font = shaping.font(size, target, bold) if arabic else shaping.latin_font(size)
        shown = shaping.shape_for_display(run, target) if arabic else run
        pieces.append((shown, font, arabic))
    if rtl:
        pieces.reverse()
    widths = [draw.textlength(shown, font=font) for shown, font, _ in pieces]
    total = sum(widths)
    x = {"l": xy[0], "m": xy[0] - total / 2, "r": xy[0] - total}[anchor[0]]
    for (shown, font, arabic), width in zip(pieces, widths, strict=True):
        options = {"direction": "rtl"} if arabic and target == "pillow_raqm" else {}
        draw.text((x, xy[1]), shown, font=font, fill=fill, anchor="l" + anchor[1], **options)
        x += width


def bar_chart_png(bars: Sequence[Bar], title: str, title_ar: str, footnote: str, target: Target | None = None) -> bytes:
    """Horizontal bars growing leftwards from the Arabic labels on the right, largest first."""
    target = target or shaping.pillow_target()
    rows = max(len(bars), 1)
    height = HEADER + rows * ROW + FOOTER
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    right = WIDTH - MARGIN
    _text(draw, (right, MARGIN), title_ar, 30, target, anchor="ra", bold=True, rtl=True)
    _text(draw, (MARGIN, MARGIN + 6), title, 22, target, anchor="la", bold=True)
    bar_right = right - LABEL_COLUMN
    bar_left = MARGIN + ENGLISH_COLUMN
    scale = max((b.value for b in bars), default=0) or 1
    draw.line([(bar_right, HEADER - 8), (bar_right, HEADER + rows * ROW)], fill=GRID, width=2)
    if not bars:
        _text(draw, (WIDTH / 2, HEADER + ROW / 2), "No topics in this view — لا مواضيع", 22, target, anchor="mm",
              fill=MUTED)
    for index, bar in enumerate(bars):
        middle = HEADER + index * ROW + ROW / 2
        _text(draw, (right, middle), bar.label_ar, 22, target, anchor="rm", rtl=True)
        _text(draw, (MARGIN, middle), bar.label, 18, target, anchor="lm", fill=MUTED)
        length = (bar_right - bar_left - 60) * bar.value / scale
        top = middle - BAR_HEIGHT / 2
        draw.rectangle([(bar_right - length, top), (bar_right, top + BAR_HEIGHT)], fill=BAR)
        _text(draw, (bar_right - length - 8, middle), f"{bar.value:,}", 18, target, anchor="rm")
    _text(draw, (MARGIN, height - FOOTER / 2), footnote, 15, target, anchor="lm", fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def topic_counts_png(counts, footnote: str, target: Target | None = None) -> bytes:
    """The Topics page's counts (columns label, label_ar, articles) as a PNG."""
    bars = [
        Bar(label_ar=str(row.label_ar or row.topic), label=str(row.label or row.topic), value=int(row.articles))
        for row in counts.itertuples(index=False)
    ]
    return bar_chart_png(bars, "Articles per topic", "عدد المقالات حسب الموضوع", footnote, target)
