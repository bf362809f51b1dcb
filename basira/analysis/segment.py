"""A minimal sentence splitter for evaluation and tests; ingest uses basira.sentences when present."""

from __future__ import annotations

import re

from basira.model import Sentence
from basira.normalize import clean_raw, normalize_text

_BOUNDARY = re.compile(r"[^.!?\u061f\n]+(?:[.!?\u061f]+|\n|$)")


def simple_split(text: str) -> list[Sentence]:
    """Split on . ! ? \u061f and line breaks; paragraphs are blank-line separated blocks."""
    text = clean_raw(text)
    out: list[Sentence] = []
    paragraph = 0
    for m in _BOUNDARY.finditer(text):
        chunk = m.group()
        stripped = chunk.strip()
        if not stripped:
            if chunk.count("\n"):
                paragraph += 1
            continue
        start = m.start() + (len(chunk) - len(chunk.lstrip()))
        out.append(Sentence(len(out), paragraph, start, start + len(stripped), stripped, normalize_text(stripped)))
        if chunk.endswith("\n"):
            paragraph += 1
    return out


def split_sentences(text: str) -> list[Sentence]:
    """basira.sentences.split_sentences when that module exists, else simple_split."""
    try:
        from basira.sentences import split_sentences as project_split  # type: ignore[import-not-found]
    except ImportError:
        return simple_split(text)
    return project_split(text)
