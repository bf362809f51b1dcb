"""write.respell_entities names each entity by the spelling most of its stored mentions have; store_entities re-spells
only the entities whose name new votes can change."""

from __future__ import annotations

import duckdb
import pyarrow as pa
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



# store_entities with new votes: (stored votes, new votes), the keys whose name can change, and the names after.
# Stored entities are named by their stored votes (as every write leaves them); a new key starts from the upsert.
NEW_VOTES = {
    "votes for the stored name only": (
        [(1, "per:a", "ماهر", "Maher", 2), (2, "per:a", "مهر", "Mhr", 1)], [(9, "per:a", "ماهر", "Maher", 1)],
        [], [("per:a", "ماهر", "Maher")],
    ),
    "another spelling overtakes the name": (
        [(1, "per:a", "ماهر", "Maher", 2), (2, "per:a", "مهر", "Mhr", 1)], [(9, "per:a", "مهر", "Mhr", 2)],
        ["per:a"], [("per:a", "مهر", "Mhr")],
    ),
    "another spelling that stays behind": (
        [(1, "per:a", "ماهر", "Maher", 3)], [(9, "per:a", "مهر", "Mhr", 1)],
        ["per:a"], [("per:a", "ماهر", "Maher")],
    ),
    "the same letters with another Latin form": (
        [(1, "per:a", "ماهر", "Maher", 1)], [(9, "per:a", "ماهر", "Mahir", 2)],
        ["per:a"], [("per:a", "ماهر", "Mahir")],
    ),
    "a new key with one spelling": (
        [(1, "per:a", "ماهر", "Maher", 1)], [(9, "per:n", "نزار", "Nizar", 1), (10, "per:n", "نزار", "Nizar", 2)],
        [], [("per:a", "ماهر", "Maher"), ("per:n", "نزار", "Nizar")],
    ),
    "a new key with two spellings, the last not the commonest": (
        [], [(9, "per:n", "نزار", "Nizar", 2), (10, "per:n", "نزر", "Nzr", 1)],
        ["per:n"], [("per:n", "نزار", "Nizar")],
    ),
}


def _entities(votes: list[tuple]) -> pa.Table:
    """The writer's entity rows for votes: the last spelling of each key."""
    last = {key: (key, key[:3].upper(), canonical, latin) for _, key, canonical, latin, _ in votes}
    return pa.table(dict(zip(["entity_key", "entity_type", "canonical", "latin"], zip(*last.values()), strict=True)))


def _votes(votes: list[tuple]) -> pa.Table:
    columns = ["article_id", "entity_key", "canonical", "latin", "mentions"]
    table = pa.table(dict(zip(columns, zip(*votes), strict=True)))
    return table.cast(pa.schema([("article_id", pa.int64()), ("entity_key", pa.string()), ("canonical", pa.string()),
                                 ("latin", pa.string()), ("mentions", pa.int32())]))


@pytest.mark.parametrize(("stored", "new", "changed", "expected"), NEW_VOTES.values(), ids=NEW_VOTES.keys())
def test_new_votes_respell_only_the_names_that_can_change(stored, new, changed, expected):
    names = []
    for respell_all in (False, True):
        con = duckdb.connect()
        create_schema(con)
        if stored:
            write.store_entities(con, _entities(stored), _votes(stored))
            write.respell_entities(con, sorted({v[1] for v in stored}))
        assert write.respelled_keys(con, _votes(new)) == changed
        write.store_entities(con, _entities(new), _votes(new))
        if respell_all:  # what re-spelling every key voted for gives
            write.respell_entities(con, sorted({v[1] for v in new}))
        names.append(con.execute("SELECT entity_key, canonical, latin FROM entities ORDER BY entity_key").fetchall())
        con.close()
    assert names == [expected, expected]
