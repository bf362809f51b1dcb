"""Load corpus articles by reference from ../shared/corpora (texts are never copied into the repo)."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path



def _find_corpora() -> Path:
    """../shared/corpora next to the checkout; a git worktree one level deeper (wt/NAME) looks one level up."""
    here = Path(__file__).resolve().parent.parent
    for base in (here.parent, here.parent.parent):
        if (base / "shared" / "corpora").is_dir():
            return base / "shared" / "corpora"
    return here.parent / "shared" / "corpora"


CORPORA = _find_corpora()
FILES = {
    "baly2018": CORPORA / "baly2018_arabic_factcheck_stance_syria" / "articles.jsonl",
    "saudinewsnet_syria": CORPORA / "saudinewsnet_syria_subset" / "syria_articles.jsonl",
    "saudinewsnet_negatives": CORPORA / "saudinewsnet_syria_subset" / "non_syria_random_sample_2000.jsonl",
}


def available() -> bool:
    return all(p.exists() for p in FILES.values())


@lru_cache(maxsize=None)
def _rows(corpus: str) -> list[dict]:
    with FILES[corpus].open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@lru_cache(maxsize=None)
def _baly_index() -> dict[tuple[str, int], dict]:
    return {(r["claim_id"], int(r["article_idx"])): r for r in _rows("baly2018")}


def load_article(ref: dict) -> tuple[str | None, str]:
    """(title, body text) of a devset reference."""
    if ref["corpus"] == "baly2018":
        row = _baly_index()[(ref["claim_id"], int(ref["article_idx"]))]
        return None, row["text"]
    row = _rows(ref["corpus"])[int(ref["line"])]
    return html.unescape(row.get("title") or "") or None, html.unescape(row.get("content") or "")


def iter_baly_texts(limit: int | None = None):
    seen: set[str] = set()
    for row in _rows("baly2018"):
        key = row["text"][:300]
        if key in seen:
            continue
        seen.add(key)
        yield row["text"]
        if limit is not None and len(seen) >= limit:
            return
