"""Who is named with the filtered entity: the pairs that name it, the pair list that offers them first, and the
Entities page opening on one of them (job: "who co-occurs with a defected officer")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from basira import charts, store
from basira.filters import Filters
from basira.queries import read

ROOT = Path(__file__).resolve().parent.parent

PARTNERS = [
    (("per:samr_al_ahmd",), [("org:police", "per:samr_al_ahmd", 1, 1)]),
    (("org:general_security",), [
        ("loc:homs", "org:general_security", 2, 1), ("loc:daraa", "org:general_security", 1, 1),
        ("loc:jableh", "org:general_security", 1, 1), ("loc:latakia", "org:general_security", 1, 1),
        ("loc:qardaha", "org:general_security", 1, 1), ("loc:syrian_coast", "org:general_security", 1, 1),
        ("org:general_security", "org:syria_interior_ministry", 1, 1),
        ("org:general_security", "per:mazn_al_hmsi", 1, 1),
    ]),
    (("per:samr_al_ahmd", "org:police"), [("org:police", "per:samr_al_ahmd", 1, 1)]),
    ((), []),
]


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


@pytest.mark.parametrize(("entities", "expected"), PARTNERS)
def test_partners_are_the_pairs_naming_a_filtered_entity(entities, expected, dashboard_db):
    filters = Filters(entities=entities)
    with store.read_cursor(dashboard_db) as cur:
        found = read.entity_partners(cur, filters, 40)
        assert _rows(found) == expected
        for source, target, sentences, _articles in expected:
            assert read.pair_sentence_count(cur, filters, source, target) == sentences


def test_partners_of_a_store_without_pair_summaries_are_the_same(dashboard_db, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copyfile(store.generation_file(dashboard_db), db)
    with store.writer(db) as con:  # a store written before pairs were numbered
        con.execute("DROP TABLE summary_article_pairs")
    with store.read_cursor(db) as cur:
        for entities, expected in PARTNERS:
            assert _rows(read.entity_partners(cur, Filters(entities=entities), 40)) == expected, entities


# With the Entities page's Type, the filtered entity's partners of that type (the places named with the General
# Security; the one person).
TYPED_PARTNERS = [
    (("org:general_security",), "LOC", [
        ("loc:homs", "org:general_security", 2, 1), ("loc:daraa", "org:general_security", 1, 1),
        ("loc:jableh", "org:general_security", 1, 1), ("loc:latakia", "org:general_security", 1, 1),
        ("loc:qardaha", "org:general_security", 1, 1), ("loc:syrian_coast", "org:general_security", 1, 1),
    ]),
    (("org:general_security",), "PER", [("org:general_security", "per:mazn_al_hmsi", 1, 1)]),
    (("org:general_security",), "ORG", [("org:general_security", "org:syria_interior_ministry", 1, 1)]),
    (("per:samr_al_ahmd",), "LOC", []),
]


@pytest.mark.parametrize("numbered", [True, False], ids=["pair summaries", "store before them"])
@pytest.mark.parametrize(("entities", "entity_type", "expected"), TYPED_PARTNERS)
def test_partners_of_a_type_are_the_pairs_naming_a_filtered_entity_and_one_of_that_type(
    entities, entity_type, expected, numbered, dashboard_db, tmp_path
):
    db = dashboard_db
    if not numbered:
        db = tmp_path / "old.duckdb"
        shutil.copyfile(store.generation_file(dashboard_db), db)
        with store.writer(db) as con:
            con.execute("DROP TABLE summary_article_pairs")
    with store.read_cursor(db) as cur:
        assert _rows(read.entity_partners(cur, Filters(entities=entities), 40, entity_type)) == expected


def test_the_entities_page_lists_only_pairs_of_the_chosen_type(dashboard_env):
    # Type "Places": the network and the pair list hold pairs of two places, and an organisation in the filter
    # opens on its partner of that type.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["type"] = "LOC"
    at.switch_page("pages/2_Entities.py")
    at.run()
    assert [e.value for e in at.exception] == []
    options = next(s for s in at.selectbox if s.label == "Pair").options
    with store.read_cursor(dashboard_env) as cur:
        places = read.cooccurrence(cur, Filters(), 40, "LOC")
        assert len(places) == len(options) > 3
        assert len(read.cooccurrence(cur, Filters(), 40)) > len(places)
        named = read.entity_lookup(cur, sorted({*places["source"], *places["target"]}))
    assert set(named["entity_type"]) == {"LOC"}
    pair = next(s for s in at.selectbox if s.label == "Pair")
    assert options == [pair.format_func(f"{a}|{b}") for a, b in zip(places["source"], places["target"], strict=True)]
    at.query_params["entity"] = "org:general_security"
    at.run()
    assert next(s for s in at.selectbox if s.label == "Pair").value == "loc:homs|org:general_security"


def test_pair_options_list_the_partners_first_and_each_pair_once():
    partners = pd.DataFrame({"source": ["org:police"], "target": ["per:x"]})
    pairs = pd.DataFrame({"source": ["loc:a", "org:police", "loc:b"], "target": ["loc:c", "per:x", "per:x"]})
    assert charts.pair_options(partners, pairs) == ["org:police|per:x", "loc:a|loc:c", "loc:b|per:x"]
    assert charts.pair_options(partners.iloc[:0], pairs) == ["loc:a|loc:c", "org:police|per:x", "loc:b|per:x"]


def test_the_entities_page_opens_on_a_pair_naming_the_filtered_entity(dashboard_env):
    # In the articles naming this officer, the view's top pair is two places; the page must offer his own pair.
    with store.read_cursor(dashboard_env) as cur:
        top = read.cooccurrence(cur, Filters(entities=("per:samr_al_ahmd",)), 40)
    assert (top.iloc[0]["source"], top.iloc[0]["target"]) == ("loc:aqbal", "loc:damascus")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["entity"] = "per:samr_al_ahmd"
    at.switch_page("pages/2_Entities.py")
    at.run()
    assert [e.value for e in at.exception] == []
    pair = next(s for s in at.selectbox if s.label == "Pair")
    assert pair.value == "org:police|per:samr_al_ahmd"
    assert pair.options[0] == pair.format_func("org:police|per:samr_al_ahmd")
    assert any(c.value.startswith("1 sentences name both") for c in at.caption)
