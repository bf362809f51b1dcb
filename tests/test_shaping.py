"""Arabic in images: shaped by RAQM when Pillow has it, by arabic-reshaper + python-bidi when it does not."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

from basira import report_image, shaping

WORD = "سوريا"
PHRASE = "السجون والمعتقلات"


def _ink(text: str, target: shaping.Target) -> np.ndarray:
    """The word drawn black on white with the font and engine of `target`, as a boolean ink mask."""
    font = shaping.font(48, target)
    image = Image.new("L", (420, 90), 255)
    ImageDraw.Draw(image).text((10, 10), text, font=font, fill=0)
    return np.asarray(image) < 128


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a != b))


needs_raqm = pytest.mark.skipif(not shaping.has_raqm(), reason="Pillow built without libraqm")


@pytest.mark.parametrize("target", ["browser", "pillow_raqm"])
def test_targets_that_shape_get_the_text_unchanged(target):
    assert shaping.shape_for_display(PHRASE, target) == PHRASE


def test_basic_target_gets_presentation_forms_in_visual_order():
    shown = shaping.shape_for_display(WORD, "pillow_basic")
    # س و ر ي ا joined: initial seen, final waw, isolated reh, initial yeh, final alef; reversed for display.
    assert shown == "\ufe8e\ufef3\ufead\ufeee\ufeb3"
    assert all("\ufe70" <= c <= "\ufeff" for c in shown)


def test_basic_target_keeps_lines_apart():
    shown = shaping.shape_for_display("سجن\nحمص", "pillow_basic")
    assert shown.split("\n") == [shaping.shape_for_display("سجن", "pillow_basic"), shaping.shape_for_display("حمص", "pillow_basic")]


@needs_raqm
def test_raqm_shapes_what_basic_would_draw_unjoined():
    raqm = _ink(WORD, "pillow_raqm")
    naive = _ink(WORD, "pillow_basic")  # code points drawn one isolated glyph each, left to right
    assert _difference(raqm, naive) > 0.01


@needs_raqm
def test_the_fallback_draws_what_raqm_draws():
    raqm = _ink(WORD, "pillow_raqm")
    fallback = _ink(shaping.shape_for_display(WORD, "pillow_basic"), "pillow_basic")
    naive = _ink(WORD, "pillow_basic")
    assert _difference(raqm, fallback) < _difference(raqm, naive) / 4


def test_pillow_target_follows_the_build():
    assert shaping.pillow_target() == ("pillow_raqm" if shaping.has_raqm() else "pillow_basic")


def test_latin_font_has_latin_letters_the_arabic_font_lacks():
    # Noto Naskh Arabic draws Latin letters as empty boxes: the same box for every letter.
    arabic = shaping.font(30, "pillow_basic")
    assert arabic.getmask("A").getbbox() == arabic.getmask("B").getbbox()
    latin = shaping.latin_font(30)
    assert bytes(latin.getmask("A")) != bytes(latin.getmask("B"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Filters: q=سجن صيدنايا · db", [("Filters: q=", False), ("سجن صيدنايا", True), (" · db", False)]),
        ("عدد 500 معتقل", [("عدد 500 معتقل", True)]),
        ("2026.11.1", [("2026.11.1", False)]),
        ("", []),
    ],
)
def test_script_runs(text, expected):
    assert report_image.script_runs(text) == expected


TOPICS = pd.DataFrame(
    {
        "topic": ["prisons", "coups"],
        "label": ["Prisons and detention", "Coups"],
        "label_ar": ["السجون والمعتقلات", "الانقلابات"],
        "articles": [12, 3],
    }
)


@pytest.mark.parametrize("target", [pytest.param("pillow_raqm", marks=needs_raqm), "pillow_basic"])
def test_topic_counts_png_draws_every_bar(target):
    png = report_image.topic_counts_png(TOPICS, "taxonomy 2026.11.1", target)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (report_image.WIDTH, report_image.HEADER + 2 * report_image.ROW + report_image.FOOTER)
    pixels = np.asarray(image.convert("RGB"))
    bar = np.all(pixels == report_image.BAR, axis=-1)
    rows = [report_image.HEADER + i * report_image.ROW + report_image.ROW // 2 for i in range(2)]
    lengths = [int(bar[y].sum()) for y in rows]
    # Bars are proportional to the counts: 12 against 3.
    assert lengths[0] == pytest.approx(4 * lengths[1], rel=0.05)


def _label_column(target: shaping.Target) -> np.ndarray:
    png = report_image.topic_counts_png(TOPICS, "x", target)
    ink = np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 128
    return ink[report_image.HEADER :, report_image.WIDTH - report_image.MARGIN - report_image.LABEL_COLUMN :]


@needs_raqm
def test_the_fallback_report_draws_the_arabic_labels_like_raqm(monkeypatch):
    """The fallback exists for Pillow builds without RAQM. Presentation forms lose some of the font's
    contextual forms, so the drawings are close, not identical; unshaped text is far off."""
    raqm = _label_column("pillow_raqm")
    fallback = _label_column("pillow_basic")
    monkeypatch.setattr(report_image.shaping, "shape_for_display", lambda text, target: text)
    naive = _label_column("pillow_basic")
    assert _difference(raqm, fallback) < _difference(raqm, naive) / 2


def test_an_empty_view_still_makes_an_image():
    png = report_image.topic_counts_png(TOPICS.iloc[0:0], "none", "pillow_basic")
    assert Image.open(io.BytesIO(png)).size[1] == report_image.HEADER + report_image.ROW + report_image.FOOTER
