"""Read a store's whole search index, to compare an incrementally maintained index with a full rebuild."""

from __future__ import annotations

import zlib
from pathlib import Path

from basira import store


def index_contents(db: Path) -> dict[str, list[tuple]]:
    with store.read_cursor(db) as cur:
        return {
            "postings": cur.execute("SELECT * FROM search_postings ORDER BY ALL").fetchall(),
            "terms": cur.execute("SELECT * FROM search_terms ORDER BY ALL").fetchall(),
            "docs": cur.execute("SELECT * FROM search_docs ORDER BY ALL").fetchall(),
            "stats": cur.execute("SELECT * FROM meta WHERE key LIKE 'search_%' ORDER BY ALL").fetchall(),
            "texts": [
                (a, zlib.decompress(body).decode())
                for a, body in cur.execute("SELECT * FROM search_text ORDER BY article_id").fetchall()
            ],
        }
