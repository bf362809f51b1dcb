"""Load corpus articles by reference from ../shared/corpora (texts are never copied into the repo)."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

# Beside the repository by default; BASIRA_CORPORA points elsewhere (a git worktree lives one level deeper).
CORPORA = Path(os.environ.get("BASIRA_CORPORA") or Path(__file__).resolve().parent.parent.parent / "shared" / "corpora")
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


def site_of(ref: dict) -> str | None:
    """The outlet ingest would record for a devset reference (the reader's source field: Baly's `source_domain`,
    SaudiNewsNet's `source`)."""
    if ref["corpus"] == "baly2018":
        return _baly_index()[(ref["claim_id"], int(ref["article_idx"]))].get("source_domain") or None
    return _rows(ref["corpus"])[int(ref["line"])].get("source") or None


# Corpora that are one collection of pages: SaudiNewsNet's Syria subset and its negatives come from the same papers.
COLLECTIONS = {"baly2018": ("baly2018",), "saudinewsnet_syria": ("saudinewsnet_syria", "saudinewsnet_negatives")}
COLLECTIONS["saudinewsnet_negatives"] = COLLECTIONS["saudinewsnet_syria"]


def iter_collection(corpus: str) -> Iterator[tuple[str | None, str | None, str]]:
    """(site, url, body text) of every distinct article of the collection `corpus` belongs to, as ingest would
    store them once each (Baly lists one page under several claims)."""
    seen: set[str] = set()
    for name in COLLECTIONS[corpus]:
        for row in _rows(name):
            if name == "baly2018":
                site, text = row.get("source_domain") or None, row["text"]
            else:
                site, text = row.get("source") or None, html.unescape(row.get("content") or "")
            if text in seen:
                continue
            seen.add(text)
            yield site, row.get("url") or None, text


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


def iter_unlabelled_texts() -> Iterator[str]:
    """Every unlabelled news text: the unique Baly texts, then SaudiNewsNet's Syria articles and negatives (title
    and body), the text the common-word list and the word clusters are built from."""
    yield from iter_baly_texts()
    for corpus in ("saudinewsnet_syria", "saudinewsnet_negatives"):
        with FILES[corpus].open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                yield html.unescape((row.get("title") or "") + "\n" + (row.get("content") or ""))
