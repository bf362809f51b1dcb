"""The search baseline: SQLite FTS5 over the same text as Basira's index.

Each article becomes one FTS5 document holding exactly the tokens Basira indexes (normalised, light-stemmed,
function words dropped), so both engines answer the same question and only the engines differ. FTS5's
`bm25()` uses the same k1=1.2, b=0.75. This is SQLite SQL for the comparison, not part of Basira.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from basira import search
from basira.normalize import tokenize
from basira.queries import search as search_sql

CHUNK = 5000


def stemmed_documents(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> Iterator[tuple[int, str]]:
    """(article_id, space-joined stems) for the stored articles, read the way the index reads them."""
    for start in range(0, len(ids), CHUNK):
        for article_id, text in search_sql.article_texts(cur, ids[start : start + CHUNK]):
            yield article_id, " ".join(s for s in map(search.index_stem, tokenize(text)) if s is not None)


def build(path: Path, documents: Iterator[tuple[int, str]]) -> dict[str, float]:
    """Create the FTS5 table and fill it; returns seconds spent preparing text, inserting and optimising."""
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    # unicode61 keeps Arabic letters and digits as token characters; the stems contain nothing else.
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')")
    prepare = insert = 0.0
    batch: list[tuple[int, str]] = []
    mark = time.perf_counter()
    for doc in documents:
        batch.append(doc)
        if len(batch) == CHUNK:
            now = time.perf_counter()
            prepare += now - mark
            con.executemany("INSERT INTO docs (rowid, body) VALUES (?, ?)", batch)
            batch = []
            mark = time.perf_counter()
            insert += mark - now
    now = time.perf_counter()
    prepare += now - mark
    con.executemany("INSERT INTO docs (rowid, body) VALUES (?, ?)", batch)
    con.commit()
    insert += time.perf_counter() - now
    started = time.perf_counter()
    con.execute("INSERT INTO docs (docs) VALUES ('optimize')")
    con.commit()
    optimize = time.perf_counter() - started
    con.close()
    return {"prepare_s": prepare, "insert_s": insert, "optimize_s": optimize}


def match_expression(stems: list[str], mode: str) -> str:
    """An FTS5 query for the stems: each one quoted (so no stem is read as an operator), AND or OR."""
    quoted = ['"' + s.replace('"', '""') + '"' for s in stems]
    return (" OR " if mode == "any" else " ").join(quoted)


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def top(con: sqlite3.Connection, stems: list[str], mode: str, limit: int = 50) -> list[int]:
    rows = con.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?",
        [match_expression(stems, mode), limit],
    ).fetchall()
    return [r[0] for r in rows]


def count(con: sqlite3.Connection, stems: list[str]) -> int:
    return con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", [match_expression(stems, "all")]).fetchone()[0]
