"""Arabic shaping for targets that cannot shape text themselves. The one user of arabic-reshaper and python-bidi.

Browsers (and so Plotly and the reader) shape and reorder Arabic themselves: they get raw Unicode. Pillow
shapes only with its RAQM layout engine (libraqm: HarfBuzz + FriBidi). Without it, Pillow draws code points
left to right, one isolated glyph each, so Arabic would come out backwards and unjoined; for that target
the text is turned into presentation forms (arabic-reshaper) in visual order (python-bidi) first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import arabic_reshaper
from bidi import get_display
from PIL import ImageFont, features

from basira.store import ROOT

FONT_DIR = ROOT / "static" / "fonts"
FONT_REGULAR = FONT_DIR / "NotoNaskhArabic-Regular.ttf"
FONT_BOLD = FONT_DIR / "NotoNaskhArabic-Bold.ttf"

Target = Literal["browser", "pillow_raqm", "pillow_basic"]


def has_raqm() -> bool:
    return bool(features.check("raqm"))


def pillow_target() -> Target:
    """The best Pillow target on this machine."""
    return "pillow_raqm" if has_raqm() else "pillow_basic"


def shape_for_display(text: str, target: Target) -> str:
    """The string to hand to `target` so that it displays `text` correctly."""
    if target in ("browser", "pillow_raqm"):
        return text
    # Line by line: bidi reordering is per paragraph, and reshaping must not join across a line break.
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


@cache
def font(size: int, target: Target, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled Noto Naskh Arabic at `size`, with the layout engine the target needs."""
    engine = ImageFont.Layout.RAQM if target == "pillow_raqm" else ImageFont.Layout.BASIC
    path: Path = FONT_BOLD if bold else FONT_REGULAR
    return ImageFont.truetype(str(path), size, layout_engine=engine)


@cache
def latin_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Noto Naskh Arabic has Arabic letters and digits but no Latin letters: Latin runs use the font
    bundled with Pillow (Aileron), so no system font is assumed."""
    return ImageFont.load_default(size)
