"""Plotly figures carry what a click means, and a click becomes the right filter change."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from basira import charts, network
from basira.filters import Filters

D = dt.date

TIMELINE = pd.DataFrame(
    {
        "period": [D(2025, 1, 1), D(2025, 1, 1), D(2025, 2, 1), D(2025, 2, 1)],
        "topic": ["", "prisons", "coups", "prisons"],
        "articles": [2, 3, 1, 4],
        "stories": [2, 2, 1, 3],
    }
)
LABELS = {"prisons": "Prisons", "coups": "Coups"}
COUNTS = pd.DataFrame(
    {"topic": ["prisons", "coups"], "label": ["Prisons", "Coups"], "label_ar": ["السجون", "الانقلابات"],
     "articles": [7, 1], "stories": [5, 1], "mean_score": [2.0, 1.0]}
)
EDGES = pd.DataFrame(
    {"source": ["loc:adra", "loc:adra", "org:moi"], "target": ["org:moi", "per:khattab", "per:khattab"],
     "sentences": [3, 1, 5], "articles": [2, 1, 4]}
)
NAMES = {"loc:adra": "عدرا · Adra", "org:moi": "وزارة الداخلية · Interior Ministry", "per:khattab": "أنس خطاب · Anas Khattab"}
TYPES = {"loc:adra": "LOC", "org:moi": "ORG", "per:khattab": "PER"}


def test_topic_colours_do_not_depend_on_the_view():
    everything = charts.topic_colours(["prisons", "coups", "arrests"])
    assert everything == {"arrests": charts.PALETTE[0], "coups": charts.PALETTE[1], "prisons": charts.PALETTE[2], "": charts.UNTAGGED}
    assert charts.topic_colours(["prisons", "arrests", "coups", "prisons"]) == everything


def test_timeline_has_one_stacked_trace_per_topic_with_click_data():
    fig = charts.timeline_figure(TIMELINE, "articles", LABELS, charts.topic_colours(list(LABELS)), 2, "month")
    assert [t.name for t in fig.data] == ["untagged", "Coups", "Prisons"]
    assert fig.layout.barmode == "stack"
    prisons = fig.data[2]
    assert list(prisons.y) == [3, 4]
    assert [list(c) for c in prisons.customdata] == [["prisons", "2025-01-01"], ["prisons", "2025-02-01"]]
    assert fig.layout.title.text == "Articles per month, by topic · 2 undated not on the axis"


def test_timeline_of_stories_counts_stories():
    fig = charts.timeline_figure(TIMELINE, "stories", LABELS, {}, 0, "week")
    assert list(fig.data[2].y) == [2, 3]
    assert fig.layout.title.text == "Independent stories per week, by topic"


def test_topic_bars_show_arabic_and_english_labels_largest_on_top():
    fig = charts.topic_bar_figure(COUNTS, "articles", charts.topic_colours(["prisons", "coups"]))
    bar = fig.data[0]
    assert list(bar.y) == ["الانقلابات<br>Coups", "السجون<br>Prisons"]  # plotly draws the last category on top
    assert list(bar.hovertext) == ["الانقلابات · Coups", "السجون · Prisons"]
    assert list(bar.x) == [1, 7]
    assert [list(c) for c in bar.customdata] == [["coups"], ["prisons"]]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Defected security officers and their units", ["Defected security officers", "and their units"]),
        ("المنشقون عن الأجهزة الأمنية والعسكرية", ["المنشقون عن الأجهزة", "الأمنية والعسكرية"]),
        ("Prisons", ["Prisons"]),
        ("Counterterrorismandinternalsecurityoperations x", ["Counterterrorismandinternalsecurityoperations", "x"]),
    ],
)
def test_topic_labels_wrap_between_words(text, lines):
    assert charts.wrap_label(text) == lines


def test_long_topic_labels_wrap_on_the_axis_and_the_chart_grows_to_fit():
    counts = pd.DataFrame({"topic": ["defectors"], "label": ["Defected security officers and their units"],
                           "label_ar": ["المنشقون عن الأجهزة الأمنية والعسكرية"], "articles": [3], "stories": [2]})
    fig = charts.topic_bar_figure(counts, "articles", {})
    assert list(fig.data[0].y) == ["المنشقون عن الأجهزة<br>الأمنية والعسكرية<br>Defected security officers<br>and their units"]
    assert fig.layout.height == 300  # one row: the floor; 4 lines need 74 px a row
    many = pd.concat([counts.assign(topic=f"t{i}") for i in range(8)])
    assert charts.topic_bar_figure(many, "articles", {}).layout.height == 60 + 74 * 8


def test_entity_bars_are_grouped_by_type_and_carry_keys():
    top = pd.DataFrame({"entity_key": ["per:khattab", "loc:adra"], "entity_type": ["PER", "LOC"],
                        "canonical": ["أنس خطاب", "عدرا"], "latin": ["Anas Khattab", "Adra"], "articles": [4, 2], "mentions": [9, 2]})
    fig = charts.entity_bar_figure(top)
    assert [(t.name, list(t.y), list(t.hovertext), [list(c) for c in t.customdata]) for t in fig.data] == [
        ("Places", ["عدرا<br>Adra"], ["عدرا · Adra"], [["loc:adra"]]),
        ("People", ["أنس خطاب<br>Anas Khattab"], ["أنس خطاب · Anas Khattab"], [["per:khattab"]]),
    ]


@pytest.mark.parametrize(("canonical", "latin", "label"), [
    ("عدرا", "Adra", "عدرا<br>Adra"),
    ("تنظيم الدولة الإسلامية", "Islamic State", "تنظيم الدولة الإسلامية<br>Islamic State"),
    ("هيئة تحرير الشام في إدلب وريفها", "Hay'at Tahrir al-Sham", "هيئة تحرير الشام في إدلب<br>وريفها<br>Hay'at Tahrir al-Sham"),
    ("صيدنايا", "صيدنايا", "صيدنايا"),
    ("", "Reuters", "Reuters"),
])
def test_entity_bar_labels_put_the_arabic_name_over_the_latin_one_wrapped(canonical, latin, label):
    assert charts.entity_axis_label({"entity_key": "x", "canonical": canonical, "latin": latin}) == label


def test_the_entity_bar_legend_sits_above_the_plot_not_beside_it():
    top = pd.DataFrame({"entity_key": ["loc:adra"], "entity_type": ["LOC"], "canonical": ["عدرا"], "latin": ["Adra"],
                        "articles": [2], "mentions": [2]})
    legend = charts.entity_bar_figure(top).layout.legend
    assert (legend.orientation, legend.y, legend.yanchor, legend.x) == ("h", 1.0, "bottom", 0)


def test_entity_timeline_counts_undated_in_the_title():
    frame = pd.DataFrame({"period": [D(2025, 1, 1), None], "articles": [3, 2], "mentions": [5, 2]})
    fig = charts.entity_timeline_figure(frame, "أنس خطاب", "month")
    assert list(fig.data[0].y) == [3]
    assert fig.layout.title.text == "Articles naming أنس خطاب, per month · 2 undated"


@pytest.mark.parametrize(
    ("grain", "periods", "days"),
    [
        ("month", [D(2011, 2, 1), D(2013, 7, 1), D(2014, 12, 1)], [28, 31, 31]),
        ("week", [D(2024, 1, 1), D(2025, 6, 2)], [7, 7]),
        ("day", [D(2025, 1, 1)], [1]),
    ],
)
def test_time_bars_are_as_wide_as_their_period_however_far_apart(grain, periods, days):
    widths = [d * 86_400_000 * charts.BAR_FILL for d in days]
    frame = pd.DataFrame({"period": periods, "articles": [1] * len(periods)})
    assert list(charts.entity_timeline_figure(frame, "مناف طلاس", grain).data[0].width) == widths
    timeline = frame.assign(topic="prisons", stories=1)
    assert list(charts.timeline_figure(timeline, "articles", LABELS, {}, 0, grain).data[0].width) == widths


def test_network_edges_are_clickable_through_their_midpoints():
    fig = charts.network_figure(EDGES, NAMES, TYPES)
    pairs = next(t for t in fig.data if t.name == "pairs")
    assert [list(c) for c in pairs.customdata] == [["loc:adra", "org:moi"], ["loc:adra", "per:khattab"], ["org:moi", "per:khattab"]]
    # Labels put the Arabic name over the Latin one; the hover has both on one line.
    nodes = {t.name: (list(t.text), list(t.hovertext)) for t in fig.data if t.mode == "markers+text"}
    assert nodes == {"Places": (["عدرا<br>Adra"], ["عدرا · Adra"]),
                     "Organisations": (["وزارة الداخلية<br>Interior Ministry"], ["وزارة الداخلية · Interior Ministry"]),
                     "People": (["أنس خطاب<br>Anas Khattab"], ["أنس خطاب · Anas Khattab"])}
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == 3
    first = lines[0]
    assert (pairs.x[0], pairs.y[0]) == pytest.approx(((first.x[0] + first.x[1]) / 2, (first.y[0] + first.y[1]) / 2))


def test_network_of_no_pairs_is_an_empty_figure():
    fig = charts.network_figure(EDGES.iloc[0:0], {}, {})
    assert [t.name for t in fig.data] == ["pairs"]


def test_spring_layout_is_deterministic_and_bounded():
    nodes = [f"n{i}" for i in range(12)]
    edges = [(f"n{i}", f"n{(i + 1) % 12}", 1.0 + i) for i in range(12)]
    first = network.spring_layout(nodes, edges)
    assert first == network.spring_layout(nodes, edges)
    assert set(first) == set(nodes)
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in first.values())
    # No two nodes on top of each other.
    points = list(first.values())
    assert min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :]) > 0.05


def test_circular_layout_starts_at_the_top():
    layout = network.circular_layout(["a", "b", "c", "d"])
    assert layout["a"] == pytest.approx((0.0, 1.0))
    assert layout["c"] == pytest.approx((0.0, -1.0))


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (None, []),
        ({"selection": {"points": [], "box": [], "lasso": []}}, []),
        ({"selection": {"points": [{"customdata": ["prisons"]}, {"x": 1}]}}, [["prisons"]]),
        ({"selection": {"points": [{"customdata": "coups"}]}}, [["coups"]]),
        ({"selection": {"points": [{"customdata": ["a", "b"]}]}}, [["a", "b"]]),
    ],
)
def test_selected_points(event, expected):
    assert charts.selected_points(event) == expected


BASE = Filters(topics=("arrests",), entities=("per:khattab",))


@pytest.mark.parametrize(
    ("points", "kind", "grain", "expected"),
    [
        ([], "topic", "month", BASE),
        ([["prisons"]], "topic", "month", BASE.with_(topics=("prisons",))),
        ([["prisons"], ["coups"]], "topic", "month", BASE.with_(topics=("prisons", "coups"))),
        ([["loc:adra"]], "entity", "month", BASE.with_(entities=("per:khattab", "loc:adra"))),
        ([["per:khattab"]], "entity", "month", BASE),
        ([["prisons", "2025-02-01"]], "timeline", "month",
         BASE.with_(topics=("prisons",), date_from=D(2025, 2, 1), date_to=D(2025, 2, 28))),
        ([["", "2025-02-01"]], "timeline", "month", BASE.with_(date_from=D(2025, 2, 1), date_to=D(2025, 2, 28))),
        ([["prisons", "2025-02-03"], ["coups", "2025-01-06"]], "timeline", "week",
         BASE.with_(topics=("prisons", "coups"), date_from=D(2025, 1, 6), date_to=D(2025, 2, 9))),
        ([["2024-12-01"]], "period", "month", BASE.with_(date_from=D(2024, 12, 1), date_to=D(2024, 12, 31))),
        ([["2025-03-04"]], "period", "day", BASE.with_(date_from=D(2025, 3, 4), date_to=D(2025, 3, 4))),
    ],
)
def test_a_click_narrows_the_filters(points, kind, grain, expected):
    assert charts.narrowed(BASE, points, kind, grain) == expected


@pytest.mark.parametrize(
    ("start", "grain", "expected"),
    [
        (D(2024, 2, 1), "month", (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2025, 12, 1), "month", (D(2025, 12, 1), D(2025, 12, 31))),
        (D(2025, 3, 3), "week", (D(2025, 3, 3), D(2025, 3, 9))),
        (D(2025, 1, 1), "year", (D(2025, 1, 1), D(2025, 12, 31))),
    ],
)
def test_period_bounds(start, grain, expected):
    assert charts.period_bounds(start, grain) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected", "trend"),
    [
        (None, None, "month", "month"),
        (D(2015, 7, 21), D(2015, 8, 11), "day", "week"),
        (D(2017, 3, 1), D(2017, 3, 31), "day", "week"),
        (D(2015, 7, 21), D(2015, 10, 21), "day", "week"),
        (D(2015, 7, 21), D(2015, 10, 22), "week", "month"),
        (D(2025, 1, 1), D(2025, 11, 4), "week", "month"),
        (D(2015, 1, 1), D(2025, 11, 4), "month", "month"),
    ],
)
def test_default_grain(first, last, expected, trend):
    """The Overview's bars per day up to 92 days; the topic trend's lines (week or month) per week there."""
    assert (charts.default_grain(first, last), charts.trend_grain(first, last)) == (expected, trend)


@pytest.mark.parametrize(
    ("period", "grain", "expected"),
    [
        (D(2013, 8, 1), "month", ("2013-07-01", "2013-09-01")),
        (D(2013, 2, 1), "month", ("2013-01-04", "2013-03-01")),
        (D(2017, 3, 6), "week", ("2017-02-27", "2017-03-13")),
    ],
)
def test_a_trend_of_one_period_spans_a_period_either_side(period, grain, expected):
    """Left to itself Plotly drew a millisecond around the one date ("23:59:59.999 Jul 31, 2013 ... 00:00:00.0005")."""
    frame = pd.DataFrame({"period": [period, period, period], "topic": ["", "prisons", "coups"],
                          "articles": [1, 2, 1], "stories": [1, 2, 1]})
    fig = charts.topic_trend_figure(frame, "articles", LABELS, {}, grain)
    assert fig.layout.xaxis.range == expected
    assert charts.topic_trend_figure(TIMELINE, "articles", LABELS, {}, "month").layout.xaxis.range is None


@pytest.mark.parametrize(
    ("first", "last", "grain", "expected"),
    [
        (D(2017, 1, 1), D(2017, 4, 1), "month", [D(2017, 1, 1), D(2017, 2, 1), D(2017, 3, 1), D(2017, 4, 1)]),
        (D(2017, 2, 27), D(2017, 3, 13), "week", [D(2017, 2, 27), D(2017, 3, 6), D(2017, 3, 13)]),
        (D(2017, 3, 6), D(2017, 3, 6), "week", [D(2017, 3, 6)]),
        (D(2016, 12, 31), D(2017, 1, 2), "day", [D(2016, 12, 31), D(2017, 1, 1), D(2017, 1, 2)]),
    ],
)
def test_every_period(first, last, grain, expected):
    assert charts.every_period(first, last, grain) == expected


def test_a_topic_trend_drops_to_zero_in_the_weeks_without_its_articles():
    """Two defections, three empty weeks, one: the line was drawn straight from 2 to 1 across the empty weeks."""
    frame = pd.DataFrame({"period": [D(2017, 2, 27), D(2017, 2, 27), D(2017, 3, 13), D(2017, 3, 27)],
                          "topic": ["defected_officers", "", "prisons", "defected_officers"],
                          "articles": [2, 5, 3, 1], "stories": [2, 4, 2, 1]})
    assert charts.zero_filled(frame[frame["topic"] != ""], "week").to_dict("list") == {
        "period": list(pd.to_datetime([D(2017, 2, 27), D(2017, 3, 6), D(2017, 3, 13), D(2017, 3, 20), D(2017, 3, 27)] * 2)),
        "topic": ["defected_officers"] * 5 + ["prisons"] * 5,
        "articles": [2, 0, 0, 0, 1, 0, 0, 3, 0, 0],
        "stories": [2, 0, 0, 0, 1, 0, 0, 2, 0, 0],
    }
    fig = charts.topic_trend_figure(frame, "articles", {}, {}, "week")
    assert [(t.name, list(t.y)) for t in fig.data] == [("defected_officers", [2, 0, 0, 0, 1]), ("prisons", [0, 0, 3, 0, 0])]


def _months(counts: dict[tuple[int, int], int]) -> tuple[pd.Series, pd.Series]:
    return pd.Series([D(y, m, 1) for y, m in counts]), pd.Series(list(counts.values()))


@pytest.mark.parametrize(
    "counts, expected",
    [
        # One article in 1990 beside 200 in 2015-2016: the axis opens on 2015.
        ({(1990, 2): 1, (2015, 1): 100, (2016, 6): 100}, D(2015, 1, 1)),
        # The tail is more than 1 % of the bars: everything is shown.
        ({(1990, 2): 3, (2015, 1): 100, (2016, 6): 100}, None),
        # Two early articles, 1 % of 200 in all: the first period past them.
        ({(1990, 2): 1, (2001, 5): 1, (2015, 1): 100, (2016, 6): 98}, D(2015, 1, 1)),
        # The span left out is short (a quarter of the axis or less): nothing to gain.
        ({(2014, 1): 1, (2015, 1): 100, (2018, 1): 100}, None),
        # A single period, or none with a count.
        ({(2015, 1): 100}, None),
        ({(1990, 2): 0, (2015, 1): 100}, None),
    ],
)
def test_focus_start_leaves_out_a_thin_early_tail(counts, expected):
    assert charts.focus_start(*_months(counts)) == expected


def test_timeline_opens_on_the_focus_span_and_says_what_is_off_the_axis():
    periods, counts = _months({(1990, 2): 1, (2015, 1): 120, (2016, 6): 80})
    frame = pd.DataFrame({"period": periods, "topic": ["prisons"] * 3, "articles": counts, "stories": counts})
    fig = charts.timeline_figure(frame, "articles", LABELS, {}, 0, "month")
    assert fig.layout.xaxis.range == ("2014-12-17", "2016-07-15")
    assert fig.layout.title.text == ("Articles per month, by topic<br><sup>1990-02 to 2014-12 off the axis: "
                                     "double-click the chart to show every period</sup>")
    trend = charts.topic_trend_figure(frame, "articles", LABELS, {}, "month")
    assert (trend.layout.xaxis.range, trend.layout.title.text) == (fig.layout.xaxis.range, "Topic trends<br><sup>"
                                                                   "1990-02 to 2014-12 off the axis: double-click the chart to show every period</sup>")
    entity = charts.entity_timeline_figure(frame[["period", "articles"]], "أنس خطاب", "month")
    assert entity.layout.xaxis.range == fig.layout.xaxis.range


def test_timeline_without_a_thin_tail_keeps_the_whole_axis():
    fig = charts.timeline_figure(TIMELINE, "articles", LABELS, {}, 0, "month")
    assert fig.layout.xaxis.range is None


LONG_LABELS = {"prisons": "Prisons and detention", "coups": "Crime (robbery, theft, criminal gangs)"}


def test_time_charts_put_the_topic_legend_under_the_axis_in_columns():
    # Entries of a fixed width, names wrapped to fit it; the chart as tall as the plot and the legend in two columns.
    bars = charts.timeline_figure(TIMELINE, "articles", LONG_LABELS, {}, 0, "month")
    trend = charts.topic_trend_figure(TIMELINE, "articles", LONG_LABELS, {}, "month")
    for fig in (bars, trend):
        legend = fig.layout.legend
        assert (legend.orientation, legend.y, legend.entrywidth, legend.entrywidthmode) == (
            "h", -0.12, charts.LEGEND_ENTRY_PX, "pixels")
    # stacked bars list the top of the stack first: untagged (first trace) last
    assert [t.name for t in bars.data] == ["untagged", "Crime (robbery,<br>theft, criminal<br>gangs)", "Prisons and<br>detention"]
    assert bars.layout.legend.traceorder == "reversed"
    # the hover names the topic on one line
    assert [(t.meta, t.hovertemplate) for t in bars.data][1] == (
        "Crime (robbery, theft, criminal gangs)", "month of %{customdata[1]}<br>%{meta}: %{y}<extra></extra>")
    # a row of the three-line name beside the two-line one, then "untagged" alone
    assert bars.layout.height == charts.TIME_PLOT_PX + charts.TIME_CHART_CHROME_PX + (3 * 16 + 6) + (16 + 6)
    assert [t.name for t in trend.data] == ["Crime (robbery,<br>theft, criminal<br>gangs)", "Prisons and<br>detention"]
    assert (trend.layout.legend.traceorder, trend.layout.height) == (
        "normal", charts.TIME_PLOT_PX + charts.TIME_CHART_CHROME_PX + 3 * 16 + 6)


@pytest.mark.parametrize(
    ("names", "columns", "height"),
    [
        ([], 2, 0),
        (["Prisons"], 2, 22),
        (["Prisons", "Coups", "Kidnapping"], 2, 44),
        (["Weapons proliferation and disarmament", "Kidnapping"], 2, 54),  # a row as tall as its longest name
        (["Kidnapping", "Security sector reform and training", "Coups"], 2, 38 + 22),
        (["Kidnapping", "Security sector reform and training", "Coups"], 3, 38),
    ],
)
def test_legend_height_counts_each_row_at_its_most_wrapped_name(names, columns, height):
    assert charts.legend_height(names, columns) == height


def _scaled(frame: pd.DataFrame, factor: int) -> pd.DataFrame:
    return frame.assign(articles=frame["articles"] * factor, stories=frame["stories"] * factor)


ONE_A_MONTH = pd.DataFrame({"period": [D(2017, 1, 1), D(2017, 6, 1), D(2017, 9, 1)], "topic": ["prisons"] * 3,
                            "articles": [1, 1, 1], "stories": [1, 1, 1]})


@pytest.mark.parametrize(("draw", "factor", "dtick"), [
    # An entity named once a month (Mohammad al-Shaar on the real store) was ticked 0, 0.2, … 1 "articles".
    (lambda f: charts.entity_timeline_figure(f, "محمد الشعار", "month"), 1, 1),
    (lambda f: charts.timeline_figure(f, "articles", LABELS, {}, 0, "month"), 1, 1),
    (lambda f: charts.topic_trend_figure(f, "articles", LABELS, {}, "month"), 1, 1),
    (lambda f: charts.entity_timeline_figure(f, "محمد الشعار", "month"), 10, 1),
    # Past ten Plotly's own steps are whole: the axis is left to it.
    (lambda f: charts.entity_timeline_figure(f, "محمد الشعار", "month"), 11, None),
    (lambda f: charts.timeline_figure(f, "articles", LABELS, {}, 0, "month"), 300, None),
], ids=["entity 1", "timeline 1", "trend 1", "entity 10", "entity 11", "timeline 300"])
def test_count_axes_tick_whole_numbers_only(draw, factor, dtick):
    fig = draw(_scaled(ONE_A_MONTH, factor))
    assert fig.layout.yaxis.dtick == dtick
    assert fig.layout.yaxis.tickformat == ",d"
    assert fig.layout.yaxis.rangemode == "tozero"


@pytest.mark.parametrize(("grain", "start", "middle"), [
    ("day", D(2015, 7, 21), "2015-07-21 00:00"),
    ("week", D(2015, 7, 20), "2015-07-23 12:00"),
    ("month", D(2015, 7, 1), "2015-07-16 12:00"),
    ("month", D(2016, 2, 1), "2016-02-15 12:00"),
])
def test_a_periods_bar_is_drawn_over_the_period_not_centred_on_its_first_day(grain, start, middle):
    """A July bar centred on 1 July spanned 16 June to 14 July: the real store's articles from 21 July on showed up in
    June. Its clicks and hover still name the period by its first day."""
    frame = pd.DataFrame({"period": [start], "topic": ["prisons"], "articles": [3], "stories": [3]})
    for fig in (charts.timeline_figure(frame, "articles", LABELS, {}, 0, grain),
                charts.entity_timeline_figure(frame[["period", "articles"]], "سوريا", grain)):
        bar = fig.data[0]
        assert (f"{pd.Timestamp(bar.x[0]):%Y-%m-%d %H:%M}", str(bar.customdata[0][-1])) == (middle, f"{start:%Y-%m-%d}")
