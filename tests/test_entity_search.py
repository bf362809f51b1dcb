"""Finding an entity by part of its name, however it is spelt: the way to any entity of the store, not only the
sidebar's most named (job: "follow a defected officer named in three articles")."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from basira import store
from basira.queries import read
from tests.test_pages import ROOT, TIMEOUT

SEARCHES = [
    # hamza, alef and teh marbuta as typed or not: the gazetteer's names are stored as written, the rules' folded
    ("إدارة", ["org:general_security", "org:adara_al_anshaat", "org:prisons_administration"]),
    ("اداره", ["org:general_security", "org:adara_al_anshaat", "org:prisons_administration"]),
    ("هيئة الدفاع", ["org:hiya_al_dfa"]),
    ("خطاب", ["per:anas_khattab"]),
    ("السويداء", ["loc:suwayda"]),
    # Latin, any case
    ("khattab", ["per:anas_khattab"]),
    ("PALESTINE", ["loc:palestine_branch"]),
    # most named first, then by key
    ("دمشق", ["loc:damascus", "loc:rif_dimashq"]),
    # nothing, or characters a regular expression would read
    ("", []),
    ("   ", []),
    ("a[b(", []),
    ("\x00", []),  # invisible or control characters only: nothing to look for
    ("\u202e", []),
    (".*", []),
]


@pytest.mark.parametrize("text, keys", SEARCHES)
def test_entity_search_finds_a_name_however_spelt(text, keys, dashboard_db):
    with store.read_cursor(dashboard_db) as cur:
        found = read.entity_search(cur, text, 10)
    assert found["entity_key"].tolist() == keys
    assert list(found.columns) == ["entity_key", "entity_type", "canonical", "latin", "articles"]


def test_entity_search_counts_articles_and_keeps_to_the_limit(dashboard_db):
    with store.read_cursor(dashboard_db) as cur:
        found = read.entity_search(cur, "ا", 3)
    # the interior ministry, then of the names in four articles the first two by key
    assert list(zip(found["entity_key"], found["articles"])) == [
        ("org:syria_interior_ministry", 7), ("loc:saydnaya", 4), ("loc:syria", 4)]


def test_the_entities_page_finds_a_rare_name_and_follows_it(dashboard_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/2_Entities.py")
    at.run()
    at.text_input(key="find_entity").set_value("هيئة الدفاع").run()
    assert [e.value for e in at.exception] == []
    table = next(d.value for d in at.main.dataframe if "canonical" in d.value and "articles" in d.value)
    assert len(table) == 1
    link = parse_qs(urlparse(table["entity_key"].iloc[0]).query)
    assert link == {"entity": ["org:hiya_al_dfa"], "focus": ["org:hiya_al_dfa"]}
    at.text_input(key="find_entity").set_value("zzzz").run()
    assert any("No stored name holds these letters." in c.value for c in at.caption)
