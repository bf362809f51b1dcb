"""write.respell_entities names each entity by the spelling most of its stored mentions have."""

from __future__ import annotations

import duckdb
import pytest

from basira.queries import create_schema, write

# Each case: the stored votes (article_id, entity_key, canonical, latin, mentions), the keys re-spelled, and the
# entities' (entity_key, canonical, latin) after. Every entity starts named "old" / "Old".
CASES = {
    "most mentions win across articles": (
        [(1, "per:a", "ماهر", "Maher", 1), (2, "per:a", "ماهر", "Maher", 1), (3, "per:a", "مهر", "Mhr", 1)],
        ["per:a"], [("per:a", "ماهر", "Maher"), ("per:b", "old", "Old")],
    ),
    "one article's many mentions outvote two articles": (
        [(1, "per:a", "ماهر", "Maher", 1), (2, "per:a", "ماهر", "Maher", 1), (3, "per:a", "مهر", "Mhr", 3)],
        ["per:a"], [("per:a", "مهر", "Mhr"), ("per:b", "old", "Old")],
    ),
    "a tie goes to the spelling with more hamza and taa marbuta": (
        [(1, "org:i", "ادارة", "Idara", 2), (2, "org:i", "إدارة", "Idara", 2)],
        ["org:i"], [("org:i", "إدارة", "Idara"), ("per:b", "old", "Old")],
    ),
    "then to the first in code point order": (
        [(1, "per:a", "سامر", "Samer", 1), (2, "per:a", "سامي", "Sami", 1)],
        ["per:a"], [("per:a", "سامر", "Samer"), ("per:b", "old", "Old")],
    ),
    "a key given twice counts its votes once": (
        [(1, "per:a", "ماهر", "Maher", 2), (2, "per:a", "مهر", "Mhr", 3)],
        ["per:a", "per:a"], [("per:a", "مهر", "Mhr"), ("per:b", "old", "Old")],
    ),
    "only the keys given are re-spelled": (
        [(1, "per:a", "ماهر", "Maher", 1), (1, "per:b", "باسل", "Basil", 1)],
        ["per:a"], [("per:a", "ماهر", "Maher"), ("per:b", "old", "Old")],
    ),
    "a key without votes keeps its name": (
        [(1, "per:a", "ماهر", "Maher", 1)],
        ["per:a", "per:b"], [("per:a", "ماهر", "Maher"), ("per:b", "old", "Old")],
    ),
    "no keys, no change": (
        [(1, "per:a", "ماهر", "Maher", 1)],
        [], [("per:a", "old", "Old"), ("per:b", "old", "Old")],
    ),
}


@pytest.fixture
def con():
    con = duckdb.connect()
    create_schema(con)
    yield con
    con.close()


@pytest.mark.parametrize(("votes", "keys", "expected"), CASES.values(), ids=CASES.keys())
def test_respell_names_each_entity_by_its_commonest_spelling(con, votes, keys, expected):
    key_of = sorted({v[1] for v in votes} | {"per:b"})
    con.executemany("INSERT INTO entities VALUES (?, ?, 'old', 'Old')", [(k, k[:3].upper()) for k in key_of])
    con.executemany("INSERT INTO entity_spellings VALUES (?, ?, ?, ?, ?)", votes)
    write.respell_entities(con, keys)
    assert con.execute("SELECT entity_key, canonical, latin FROM entities ORDER BY entity_key").fetchall() == expected
    # the winners' temp table does not outlive the statement pair
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'respelled'").fetchone() == (0,)

