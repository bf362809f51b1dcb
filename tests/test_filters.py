"""The filter model: URL round trips and what a date range does with undated articles."""

from __future__ import annotations

import datetime as dt

import pytest

from basira import dates
from basira.filters import EARLIEST, LATEST, Filters, undated_choice

JAN = dt.date(2017, 1, 1)
JUN = dt.date(2017, 6, 30)


@pytest.mark.parametrize(
    ("filters", "included", "left_out_by_range", "params"),
    [
        (Filters(), True, False, {}),
        (Filters(include_undated=True), True, False, {}),
        (Filters(include_undated=False), False, False, {"undated": "0"}),
        (Filters(date_from=JAN), False, True, {"from": "2017-01-01"}),
        (Filters(date_to=JUN), False, True, {"to": "2017-06-30"}),
        (Filters(date_from=JAN, date_to=JUN, include_undated=False), False, True, {"from": "2017-01-01", "to": "2017-06-30"}),
        (Filters(date_from=JAN, include_undated=True), True, False, {"from": "2017-01-01", "undated": "1"}),
    ],
)
def test_a_date_range_leaves_undated_articles_out_unless_asked(filters, included, left_out_by_range, params):
    assert filters.undated_included is included
    assert filters.undated_left_out_by_range is left_out_by_range
    assert filters.to_query_params() == params
    assert Filters.from_query_params(params) == filters


def test_a_choice_equal_to_the_default_is_no_choice():
    # Two filters that select the same articles compare equal (one cache entry, one URL).
    assert Filters(include_undated=True) == Filters()
    assert Filters(date_from=JAN, include_undated=False) == Filters(date_from=JAN)
    assert Filters(date_from=JAN, include_undated=False).include_undated is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # links written before the default existed: undated=0 still drops them; nothing kept them, and a range now
        # leaves them out (the sidebar says how many and the box brings them back)
        ({"undated": "0"}, Filters(include_undated=False)),
        ({"from": "2017-01-01"}, Filters(date_from=JAN)),
        ({"from": "2017-01-01", "undated": "1"}, Filters(date_from=JAN, include_undated=True)),
        ({"from": "2017-01-01", "undated": "true"}, Filters(date_from=JAN, include_undated=True)),
        ({"undated": "no"}, Filters(include_undated=False)),
        ({"undated": "1"}, Filters()),
        ({"undated": "maybe"}, Filters()),
        ({"from": "2017-01-01", "undated": ["0", "1"]}, Filters(date_from=JAN)),
    ],
)
def test_undated_in_the_url(params, expected):
    assert Filters.from_query_params(params) == expected


@pytest.mark.parametrize(
    ("shown", "before", "expected"),
    [
        # the box still shows what the view did: no new choice; an earlier one stands
        (True, Filters(), None),
        (False, Filters(date_from=JAN), None),
        (True, Filters(date_from=JAN, include_undated=True), True),
        (False, Filters(include_undated=False), False),
        # the analyst ticked or cleared it this run
        (True, Filters(date_from=JAN), True),
        (False, Filters(), False),
        (True, Filters(include_undated=False), True),
    ],
)
def test_undated_choice_from_the_checkbox(shown, before, expected):
    assert undated_choice(shown, before) is expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # a link's date outside the widgets' range is clamped to it (the widget raised on it)
        ({"from": "1900-01-01"}, Filters(date_from=EARLIEST)),
        ({"to": "2300-01-01"}, Filters(date_to=LATEST)),
        ({"from": "1900-01-01", "to": "1899-12-31"}, Filters(date_from=EARLIEST, date_to=EARLIEST)),
        ({"from": "2017-01-01", "to": "2017-13-01"}, Filters(date_from=JAN)),
    ],
)
def test_link_dates_stay_in_the_widgets_range(params, expected):
    assert Filters.from_query_params(params) == expected


def test_the_earliest_filter_date_is_the_earliest_stored_date():
    assert dates.plausible(EARLIEST) and not dates.plausible(EARLIEST - dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("given", "sources"),
    [
        # Links from before round 22 keyed a file that named no outlet by its stored path; they select its file name.
        (["/srv/feeds/wire_2016.txt"], ("wire_2016.txt",)),
        (["C:\\feeds\\wire_2016.txt"], ("wire_2016.txt",)),
        (["\\\\host\\share\\wire.jsonl"], ("wire.jsonl",)),
        (["seeds/sednaya_2017.txt"], ("sednaya_2017.txt",)),
        (["/srv/a/wire.txt", "/srv/b/wire.txt", "wire.txt"], ("wire.txt",)),
        # Outlets stay as they are, a slash in a name with no file extension included.
        (["a.net", "BBC/Arabic", "Enab Baladi / عنب بلدي"], ("a.net", "BBC/Arabic", "Enab Baladi / عنب بلدي")),
        # ... and so do names with an address, a site or a version after a slash (a shared link must round-trip)
        (["https://www.enabbaladi.net", "http://sana.sy", "http://x.org/feed.json"],
         ("https://www.enabbaladi.net", "http://sana.sy", "http://x.org/feed.json")),
        (["المرصد السوري/syriahr.com", "الجزيرة/الجزيرة.نت", "عنب بلدي / Enab Baladi 2.0"],
         ("المرصد السوري/syriahr.com", "الجزيرة/الجزيرة.نت", "عنب بلدي / Enab Baladi 2.0")),
        # an old relative path with any extension the ingest reads, in any case
        (["feeds/wire.NDJSON", "feeds\\wire.tsv"], ("wire.NDJSON", "wire.tsv")),
    ],
)
def test_a_links_source_path_becomes_the_files_name(given, sources):
    filters = Filters.from_query_params({"source": given})
    assert filters.sources == sources
    assert filters.to_query_params() == {"source": list(sources)}
