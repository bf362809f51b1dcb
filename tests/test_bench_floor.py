"""The read-and-normalise floor reads a generated folder of parts or one corpus file, whatever its text field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.run import floor


def _write(path: Path, records: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


RECORDS = [
    {"title": "عنوان", "text": "نص أول"},
    {"title": "", "content": "نص ثانٍ"},
    {"headline": "لا عنوان", "body": "نص"},
]


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_floor_counts_every_record_and_its_normalised_text(tmp_path: Path, layout: str) -> None:
    if layout == "file":
        target = tmp_path / "corpus.jsonl"
        _write(target, RECORDS)
    else:
        target = tmp_path
        _write(tmp_path / "part-00000.jsonl", RECORDS[:2])
        _write(tmp_path / "part-00001.jsonl", RECORDS[2:])
    run = floor(target)
    # "عنوان" 5 + "نص اول" 6; "نص ثان" 6 (the tanween stripped); "نص" 2 (a headline is not a title here).
    assert (run["records"], run["chars"]) == (3, 19)


def test_floor_stops_at_its_limit(tmp_path: Path) -> None:
    _write(tmp_path / "corpus.jsonl", RECORDS)
    assert floor(tmp_path / "corpus.jsonl", limit=2)["records"] == 2
