"""Plotly figures for the pages, and the reading of a chart selection back into values.

Labels are raw Arabic Unicode: the browser shapes and orders them (no arabic-reshaper here). Every
clickable mark carries what it stands for in `customdata` (a topic id, an entity key, a period), so a
click narrows the filters by identity rather than by a label that could be ambiguous.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from basira.filters import Filters
from basira.network import (
    NETWORK_PLOT_PX,
    NETWORK_RANGE,
    Box,
    label_box,
    packed_layout,
    place_labels,
    to_pixels,
)

# Plotly's D3 palette, fixed order: a topic keeps its colour across charts and sessions.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173")
UNTAGGED = "#c7c7c7"
ENTITY_COLOURS = {"PER": "#1f77b4", "ORG": "#d62728", "LOC": "#2ca02c"}
FONT = '"Source Sans", "Source Sans Pro", "Basira Naskh", "Noto Naskh Arabic", sans-serif'


def topic_colours(topics: Sequence[str]) -> dict[str, str]:
    """A colour per topic id, by sorted id so it does not depend on which topics a view happens to show."""
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(sorted(set(topics) - {""}))}
    colours[""] = UNTAGGED
    return colours


# Counts are whole: left to itself Plotly ticks a time chart whose highest bar is 1 at 0, 0.2, 0.4 … (the real store:
# Mohammad al-Shaar, named in one article a month, drawn with "0.2 articles"). Up to this count every whole number
# gets a tick; above it Plotly's own steps are whole already.
WHOLE_TICKS_MAX = 10


def whole_count_axis(fig: go.Figure, highest: object) -> go.Figure:
    """The y axis of a chart of counts with whole-number ticks only, `highest` the tallest bar or point."""
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    if pd.isna(highest) or float(highest) <= WHOLE_TICKS_MAX:
        fig.update_yaxes(tick0=0, dtick=1)
    return fig


def _base(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        clickmode="event+select",
        dragmode=False,
        legend={"orientation": "v", "yanchor": "top", "y": 1.0, "xanchor": "left", "x": 1.01},
    )
    return fig


# Topic legends go under the time axis: on the right, 14 long topic names left the bars ~100 px of a 900 px window.
# Under it, one entry per line at 900 px (the chart is 440 px wide beside the sidebar) took 271 of a 540 px chart
# and scrolled, leaving the bars 187 px. Entries are now LEGEND_ENTRY_PX wide, names wrapped to fit, so the legend
# has two columns at 900 px and four at 1400; the chart is as tall as the plot (TIME_PLOT_PX) plus the legend
# those two columns need, and at 1400 px, with fewer rows, the plot gets the rest. Every topic keeps its entry.
TIME_PLOT_PX = 330
LEGEND_ENTRY_PX = 125
LEGEND_COLUMNS_NARROW = 2
# A name's line in a legend entry: the 200 px less the swatch, at the chart's 12 px font.
LEGEND_LINE_CHARS = 20
LEGEND_LINE_PX = 16
LEGEND_ROW_PAD_PX = 6
# Title, tick labels and the gap above the legend (y = -0.12 of the plot).
TIME_CHART_CHROME_PX = 50 + 10 + 60


def legend_name(name: str) -> str:
    """A series name as a legend entry shows it: wrapped at LEGEND_LINE_CHARS, lines joined by <br>."""
    return "<br>".join(wrap_label(name, LEGEND_LINE_CHARS))


def legend_height(names: Sequence[str], columns: int = LEGEND_COLUMNS_NARROW) -> int:
    """The height in px of a horizontal legend of these entries (in display order) laid out in `columns`: each row as
    tall as its most wrapped name."""
    lines = [len(wrap_label(name, LEGEND_LINE_CHARS)) or 1 for name in names]
    rows = [max(lines[i : i + columns]) for i in range(0, len(lines), columns)]
    return sum(n * LEGEND_LINE_PX + LEGEND_ROW_PAD_PX for n in rows)


def _legend_below(fig: go.Figure, reversed_order: bool = False) -> go.Figure:
    """The legend under the axis in columns of LEGEND_ENTRY_PX, the chart tall enough for it at a 900 px window.
    `reversed_order`: entries listed last trace first, as a stack of bars reads from the top. The hover shows a
    trace's `meta`, its name on one line."""
    names = [trace.name for trace in fig.data if trace.showlegend is not False]
    for trace in fig.data:
        trace.name = legend_name(trace.name)
    shown = names[::-1] if reversed_order else names
    fig.update_layout(
        height=TIME_PLOT_PX + TIME_CHART_CHROME_PX + legend_height(shown),
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0,
                "entrywidth": LEGEND_ENTRY_PX, "entrywidthmode": "pixels",
                "traceorder": "reversed" if reversed_order else "normal"},
    )
    return fig


def topic_label(topic: str, labels: Mapping[str, str]) -> str:
    return labels.get(topic, topic) if topic else "untagged"


# A handful of dated articles years before the rest (a page about 1990, a year misread from a text) stretch a time
# axis so far that the years holding the corpus become one sliver of bars (the real store: 60 of 3,697 dated
# articles before 2011, its bars in 2015-2018). A time chart opens on the span that holds all but TAIL_SHARE of its
# bars, when the tail it leaves out would take more than TAIL_AXIS_SHARE of the axis; the title says what is outside,
# and a double click on the chart shows the whole span.
TAIL_SHARE = 0.01
TAIL_AXIS_SHARE = 0.25


def focus_start(periods: pd.Series, counts: pd.Series) -> dt.date | None:
    """The first period a time chart opens on, or None to show every period (see TAIL_SHARE)."""
    totals = counts.groupby(pd.to_datetime(periods)).sum().sort_index()
    totals = totals[totals > 0]
    if len(totals) < 2:
        return None
    share = totals.cumsum() / totals.sum()
    start = share.index[int((share <= TAIL_SHARE).sum())]
    first, last = totals.index[0], totals.index[-1]
    if start == first or (start - first) <= TAIL_AXIS_SHARE * (last - first):
        return None
    return start.date()


def _focus(fig: go.Figure, periods: pd.Series, counts: pd.Series, grain: str, title: str) -> str:
    """Open the x axis on the focus span (see TAIL_SHARE); returns the title with what the axis leaves out."""
    start = focus_start(periods, counts)
    if start is None:
        return title
    dated = pd.to_datetime(periods[counts > 0])
    first, last = dated.min().date(), dated.max().date()
    pad = dt.timedelta(days=period_days(start, grain)) / 2
    fig.update_xaxes(range=[(start - pad).isoformat(), (period_bounds(last, grain)[1] + pad).isoformat()])
    before = start - dt.timedelta(days=1)
    return f"{title}<br><sup>{first:%Y-%m} to {before:%Y-%m} off the axis: double-click the chart to show every period</sup>"


# A bar is as wide as its period (less a gap). Left to itself Plotly makes every bar as wide as the closest two bars
# are apart: three articles naming Manaf Tlass in 2011, 2013 and 2014 drew "per month" bars a year wide each.
BAR_FILL = 0.85
_DAY_MS = 86_400_000


# A bar's hover names its period by its first day: "week of 2015-07-20" (its middle, where the bar is drawn, is no date
# an analyst would look for).
PERIOD_HOVER = {"day": "", "week": "week of ", "month": "month of ", "year": "year of "}


def bar_widths(periods: pd.Series, grain: str) -> list[float]:
    """The width in milliseconds (a date axis' unit) of each period's bar: BAR_FILL of the days it spans."""
    return [period_days(period.date(), grain) * _DAY_MS * BAR_FILL for period in pd.to_datetime(periods)]


def bar_positions(periods: pd.Series, grain: str) -> list[pd.Timestamp]:
    """Where each period's bar is centred on a date axis: the day itself for a day, else the middle of the period.
    Centred on its first day, a month's bar spanned the half month before it: the real store's articles naming Syria
    from 21 July on drew a July bar from mid-June."""
    starts = pd.to_datetime(periods)
    if grain == "day":
        return list(starts)
    return [start + pd.Timedelta(days=period_days(start.date(), grain) / 2) for start in starts]


def of_topics(timeline: pd.DataFrame, topics: Sequence[str]) -> pd.DataFrame:
    """`read.timeline` rows of the filter's `topics` only (all rows without a topic filter). The articles a topic
    filter keeps carry other topics too, and stacked with theirs a day of 42 prisons articles drew a 156 bar on the
    real store: an "articles" axis counting the other topics' tags of the same articles."""
    return timeline[timeline["topic"].isin(topics)] if topics else timeline


def timeline_notes(topic_filtered: bool) -> list[str]:
    """The Overview's notes under its timeline, with or without a topic filter (of_topics)."""
    if topic_filtered:
        return ["Click a bar to narrow to that period.",
                "Only the filtered topics are stacked (an article with two of them counts in both); the other topics "
                "these articles carry are on the Topics page."]
    return ["Click a bar to narrow to that period and topic.",
            "An article tagged with several topics counts once in each topic's stack; \"untagged\" are the rest."]


def timeline_figure(
    frame: pd.DataFrame, measure: str, labels: Mapping[str, str], colours: Mapping[str, str], undated: int, grain: str
) -> go.Figure:
    """Stacked bars per period, one trace per topic; `frame` is `read.timeline` (period, topic, articles, stories)."""
    fig = go.Figure()
    for topic, rows in frame.groupby("topic", sort=True):
        fig.add_bar(
            x=bar_positions(rows["period"], grain),
            y=rows[measure],
            name=topic_label(topic, labels),
            marker_color=colours.get(topic, UNTAGGED),
            width=bar_widths(rows["period"], grain),
            customdata=np.column_stack([[topic] * len(rows), [str(p)[:10] for p in rows["period"]]]),
            meta=topic_label(topic, labels),
            hovertemplate=f"{PERIOD_HOVER[grain]}%{{customdata[1]}}<br>%{{meta}}: %{{y}}<extra></extra>",
        )
    noun = "independent stories" if measure == "stories" else "articles"
    title = f"{noun.capitalize()} per {grain}, by topic"
    if undated:
        title += f" · {undated:,} undated not on the axis"
    title = _focus(fig, frame["period"], frame[measure], grain, title)
    fig.update_layout(barmode="stack", xaxis_title=None, yaxis_title=noun)
    whole_count_axis(fig, frame.groupby("period")[measure].sum().max() if len(frame) else 0)
    return _legend_below(_base(fig, title), reversed_order=True)


# A topic label's line on the bar chart's axis: at 900 px one-line "Arabic · English" labels took half the width
# and squeezed the bars; wrapped, they take about a quarter (the full label is in the hover).
LABEL_LINE_CHARS = 26
_LINE_PX = 15


def wrap_label(text: str, width: int = LABEL_LINE_CHARS) -> list[str]:
    """Lines of at most `width` characters, broken between words (a longer word is a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def topic_bar_figure(counts: pd.DataFrame, measure: str, colours: Mapping[str, str]) -> go.Figure:
    """Horizontal bars, largest on top; `counts` is `read.topic_counts`. Labels show Arabic over English, wrapped
    to LABEL_LINE_CHARS; the hover shows the label on one line."""
    rows = counts.sort_values([measure, "topic"], ascending=[True, False])
    pairs = list(zip(rows["label_ar"].fillna(""), rows["label"].fillna(rows["topic"]), strict=True))
    names = [f"{ar} · {en}" if ar else en for ar, en in pairs]
    axis = ["<br>".join(wrap_label(ar) + wrap_label(en)) for ar, en in pairs]
    fig = go.Figure(
        go.Bar(
            x=rows[measure],
            y=axis,
            orientation="h",
            marker_color=[colours.get(t, UNTAGGED) for t in rows["topic"]],
            customdata=rows[["topic"]].to_numpy(),
            hovertext=names,
            text=rows[measure],
            textposition="auto",
            hovertemplate="%{hovertext}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title="independent stories" if measure == "stories" else "articles", yaxis_title=None)
    lines = max((label.count("<br>") + 1 for label in axis), default=1)
    row_px = max(34, 14 + _LINE_PX * lines)
    return _base(fig, "Topics in the filtered view (click a bar to filter)", height=max(300, 60 + row_px * len(rows)))


def topic_trend_figure(
    frame: pd.DataFrame, measure: str, labels: Mapping[str, str], colours: Mapping[str, str], grain: str
) -> go.Figure:
    """One line per topic over time (untagged left out): how the share of attention moves."""
    fig = go.Figure()
    tagged = zero_filled(frame[frame["topic"] != ""], grain)
    for topic, rows in tagged.groupby("topic", sort=True):
        fig.add_scatter(
            x=pd.to_datetime(rows["period"]),
            y=rows[measure],
            mode="lines+markers",
            name=topic_label(topic, labels),
            line_color=colours.get(topic, UNTAGGED),
            customdata=np.column_stack([[topic] * len(rows), [str(p)[:10] for p in rows["period"]]]),
            meta=topic_label(topic, labels),
            hovertemplate="%{x|%Y-%m-%d}<br>%{meta}: %{y}<extra></extra>",
        )
    periods = pd.to_datetime(tagged["period"]).drop_duplicates()
    if len(periods) == 1:
        fig.update_xaxes(range=one_period_range(periods.iloc[0].date(), grain))
    whole_count_axis(fig, tagged[measure].max() if len(tagged) else 0)
    return _legend_below(_base(fig, _focus(fig, tagged["period"], tagged[measure], grain, "Topic trends")))


def zero_filled(frame: pd.DataFrame, grain: str) -> pd.DataFrame:
    """`frame` (period, topic, articles, stories) with a zero row for each period from its first to its last in which
    a topic has no articles: a line drawn across empty weeks showed counts that were never there (the real store,
    March 2017 per week: prisons 1, 0, 3 drawn as 1, 2, 3; defections 1, 0, 0, 0, 1 as a flat 1)."""
    if frame.empty:
        return frame
    periods = pd.to_datetime(frame["period"])
    every = pd.to_datetime(every_period(periods.min().date(), periods.max().date(), grain))
    full = pd.MultiIndex.from_product([sorted(frame["topic"].unique()), every], names=["topic", "period"])
    counts = frame.assign(period=periods).groupby(["topic", "period"])[["articles", "stories"]].sum()
    return counts.reindex(full, fill_value=0).reset_index()[["period", "topic", "articles", "stories"]]


def every_period(first: dt.date, last: dt.date, grain: str) -> list[dt.date]:
    """The start of every period from the one starting on `first` to the one starting on `last`."""
    starts = [first]
    while starts[-1] < last:
        starts.append(period_bounds(starts[-1], grain)[1] + dt.timedelta(days=1))
    return starts


def one_period_range(start: dt.date, grain: str) -> list[str]:
    """The x range of a line chart whose points all fall in the period starting on `start`: a period either side.
    Left to itself Plotly spans a millisecond around a single date (ticks "23:59:59.999 Jul 31, 2013 ...
    00:00:00.0005"), the view after a click on a month's bar on the Overview."""
    pad = dt.timedelta(days=period_days(start, grain))
    return [(start - pad).isoformat(), (start + pad).isoformat()]


def trend_grain(first: dt.date | None, last: dt.date | None) -> str:
    """The topic trend's default grain: weeks when the view spans no more than default_grain gives days for (a
    month's view drew one point per line per month), else months."""
    return "week" if default_grain(first, last) == "day" else "month"


def entity_label(row: Mapping[str, object]) -> str:
    canonical, latin = row.get("canonical") or "", row.get("latin") or ""
    return f"{canonical} · {latin}" if canonical and latin and canonical != latin else str(canonical or latin or row["entity_key"])


# One entity's type in a list of choices ("person, 23 articles"): the sidebar said "(PER, 23)", the store's codes.
ENTITY_TYPE_ONE = {"PER": "person", "ORG": "organisation", "LOC": "place"}


def entity_option(row: Mapping[str, object]) -> str:
    """An entity as a choice in a list: its label, type and how many articles name it ("سوريا · Syria (place, 1,549
    articles)")."""
    kind = ENTITY_TYPE_ONE.get(str(row["entity_type"]), str(row["entity_type"]))
    articles = int(row["articles"])
    return f"{entity_label(row)} ({kind}, {articles:,} article{'' if articles == 1 else 's'})"


# Entity bar labels: at 900 px one-line "Arabic · Latin" labels and a legend beside the plot left the bars 155 of 440
# px on the real store; Arabic over Latin, each wrapped at this many characters, with the legend above, leave 317.
ENTITY_LINE_CHARS = 24
# Title, legend row and axis: the chart's height beyond its bars.
ENTITY_CHROME_PX = 90
ENTITY_TYPE_NAMES = {"PER": "People", "ORG": "Organisations", "LOC": "Places"}


def entity_axis_label(row: Mapping[str, object]) -> str:
    """An entity's bar label: the Arabic name over the Latin one, each wrapped at ENTITY_LINE_CHARS (lines joined by
    <br>); one name when there is only one."""
    canonical, latin = str(row.get("canonical") or ""), str(row.get("latin") or "")
    names = [canonical, latin] if canonical and latin and canonical != latin else [entity_label(row)]
    return "<br>".join(line for name in names for line in wrap_label(name, ENTITY_LINE_CHARS))


def entity_bar_figure(top: pd.DataFrame, measure: str = "articles") -> go.Figure:
    """Top entities as horizontal bars coloured by type; `top` is `read.top_entities`. The hover shows the label on
    one line."""
    rows = top.sort_values([measure, "entity_key"], ascending=[True, False])
    fig = go.Figure()
    for etype, part in rows.groupby("entity_type", sort=True):
        records = part.to_dict("records")
        fig.add_bar(
            x=part[measure],
            y=[entity_axis_label(r) for r in records],
            orientation="h",
            name=ENTITY_TYPE_NAMES.get(str(etype), str(etype)),
            marker_color=ENTITY_COLOURS.get(str(etype), UNTAGGED),
            customdata=part[["entity_key"]].to_numpy(),
            hovertext=[entity_label(r) for r in records],
            text=part[measure],
            textposition="auto",
            hovertemplate="%{hovertext}: %{x}<extra>%{fullData.name}</extra>",
        )
    axis = [entity_axis_label(r) for r in rows.to_dict("records")]
    lines = max((label.count("<br>") + 1 for label in axis), default=1)
    row_px = max(26, 8 + _LINE_PX * lines)
    fig.update_layout(yaxis={"categoryorder": "array", "categoryarray": axis}, xaxis_title=measure, barmode="stack")
    fig = _base(fig, "Most named people, organisations and places (click to filter)",
                height=max(320, ENTITY_CHROME_PX + row_px * len(rows)))
    # The legend in a row above the plot, not in a column beside it that takes its width.
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
                      margin={"t": ENTITY_CHROME_PX - 10})
    return fig


def entity_timeline_figure(frame: pd.DataFrame, name: str, grain: str) -> go.Figure:
    dated = frame[frame["period"].notna()]
    fig = go.Figure(
        go.Bar(
            x=bar_positions(dated["period"], grain),
            y=dated["articles"],
            width=bar_widths(dated["period"], grain) if len(dated) else None,
            customdata=np.column_stack([[str(p)[:10] for p in dated["period"]]]) if len(dated) else None,
            marker_color="#1f77b4",
            hovertemplate=f"{PERIOD_HOVER[grain]}%{{customdata[0]}}: %{{y}} articles<extra></extra>",
        )
    )
    undated = int(frame.loc[frame["period"].isna(), "articles"].sum()) if len(frame) else 0
    title = f"Articles naming {name}, per {grain}" + (f" · {undated} undated" if undated else "")
    title = _focus(fig, dated["period"], dated["articles"], grain, title)
    fig.update_layout(yaxis_title="articles")
    whole_count_axis(fig, dated["articles"].max() if len(dated) else 0)
    return _base(fig, title, height=300)


def network_label_boxes(fig: go.Figure, plot_px: tuple[float, float] = NETWORK_PLOT_PX) -> list[Box]:
    """The estimated pixel boxes of the labels a network figure draws on a plot of `plot_px`, from its axis ranges."""
    span = fig.layout.xaxis.range[1]
    boxes = []
    for trace in fig.data:
        if trace.mode != "markers+text":
            continue
        positions = trace.textposition if isinstance(trace.textposition, tuple) else [trace.textposition] * len(trace.x)
        sizes = trace.marker.size if isinstance(trace.marker.size, tuple) else [trace.marker.size] * len(trace.x)
        for x, y, text, position, size in zip(trace.x, trace.y, trace.text, positions, sizes, strict=True):
            if text:
                boxes.append(label_box(to_pixels(x, y, plot_px, span), text, position, size))
    return boxes


def _node_labels(name: str) -> list[str]:
    """A node's labels, the first that fits is shown: the Arabic name over the Latin one (entity_label's two halves,
    so half as wide as on one line), else the Arabic name alone (the hover has both)."""
    parts = name.split(" · ")
    return ["<br>".join(parts), parts[0]] if len(parts) > 1 else parts


PAIR_MARKER_PX = 11
# A white halo keeps a hub's name legible where it lies across its pairs' lines and markers.
LABEL_HALO = "0 0 2px white, 0 0 2px white, 0 0 3px white"
# Marker sizes: 12 + 3 a partner made the hubs' markers 36 px, crowding out their names; at 10 + 2, 26 px.
NODE_PX = 10
NODE_PX_PER_PARTNER = 2
# Nodes named with this many others: in the People network of the real store, the 11 of them sat among their pairs'
# markers so tightly that only 1 had room for a name clear of the markers.
HUB_DEGREE = 3


def network_figure(edges: pd.DataFrame, names: Mapping[str, str], types: Mapping[str, str]) -> go.Figure:
    """Co-occurrence network: `edges` is `read.cooccurrence` (source, target, sentences, articles).

    Plotly lines are not clickable, so each edge has a marker at its midpoint carrying (source, target):
    clicking it selects the pair. Names are placed where they clear each other and the markers (place_labels);
    the others show on hover.
    """
    nodes = sorted(set(edges["source"]) | set(edges["target"]))
    weighted = list(edges[["source", "target", "sentences"]].itertuples(index=False, name=None))
    pos = packed_layout(nodes, weighted, NETWORK_PLOT_PX[0] / NETWORK_PLOT_PX[1])
    fig = go.Figure()
    top = max(edges["sentences"].max(), 1) if len(edges) else 1
    for row in edges.itertuples(index=False):
        (x0, y0), (x1, y1) = pos[row.source], pos[row.target]
        fig.add_scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                        line={"width": 1 + 5 * row.sentences / top, "color": "rgba(100,110,120,0.45)"})
    middles = [((pos[r.source][0] + pos[r.target][0]) / 2, (pos[r.source][1] + pos[r.target][1]) / 2)
               for r in edges.itertuples(index=False)]
    fig.add_scatter(
        x=[m[0] for m in middles],
        y=[m[1] for m in middles],
        mode="markers",
        name="pairs",
        showlegend=False,
        marker={"size": PAIR_MARKER_PX, "color": "rgba(255,127,14,0.8)", "symbol": "diamond"},
        customdata=edges[["source", "target"]].to_numpy() if len(edges) else None,
        text=[f"{names.get(r.source, r.source)} ↔ {names.get(r.target, r.target)}: {r.sentences} sentences, "
              f"{r.articles} articles" for r in edges.itertuples(index=False)],
        hovertemplate="%{text}<extra>click for the sentences</extra>",
    )
    degree = pd.concat([edges["source"], edges["target"]]).value_counts() if len(edges) else pd.Series(dtype=int)
    strength = pd.concat([edges.set_index("source")["sentences"], edges.set_index("target")["sentences"]])
    strength = strength.groupby(level=0).sum() if len(edges) else pd.Series(dtype=int)
    markers = {n: NODE_PX + NODE_PX_PER_PARTNER * min(int(degree.get(n, 1)), 8) for n in nodes}
    texts = {n: _node_labels(names.get(n, n)) for n in nodes}
    diamonds = [(x - PAIR_MARKER_PX / 2, y - PAIR_MARKER_PX / 2, x + PAIR_MARKER_PX / 2, y + PAIR_MARKER_PX / 2)
                for x, y in (to_pixels(mx, my, NETWORK_PLOT_PX) for mx, my in middles)]
    order = sorted(nodes, key=lambda n: (-int(degree.get(n, 0)), -int(strength.get(n, 0)), n))
    hubs = {n for n in nodes if degree.get(n, 0) >= HUB_DEGREE}
    where = place_labels(order, pos, texts, markers, diamonds, hubs)
    for etype in sorted({types.get(n, "") for n in nodes}):
        members = [n for n in nodes if types.get(n, "") == etype]
        fig.add_scatter(
            x=[pos[n][0] for n in members],
            y=[pos[n][1] for n in members],
            mode="markers+text",
            name=ENTITY_TYPE_NAMES.get(etype, etype or "other"),
            text=[where[n][0] if n in where else "" for n in members],
            hovertext=[names.get(n, n) for n in members],
            textposition=[where[n][1] if n in where else "top center" for n in members],
            textfont={"shadow": LABEL_HALO},
            marker={"size": [markers[n] for n in members],
                    "color": ENTITY_COLOURS.get(etype, UNTAGGED), "line": {"width": 1, "color": "white"}},
            customdata=[[n] for n in members],
            hovertemplate="%{hovertext}<extra>%{fullData.name} · click to filter</extra>",
        )
    axis = {"visible": False, "range": [-NETWORK_RANGE, NETWORK_RANGE], "fixedrange": True}
    fig.update_layout(xaxis=axis, yaxis=axis)
    fig = _base(fig, "Named in the same sentence (click a ◆ to read the sentences)", height=560)
    # The legend in a row above the plot, not in a column beside it that took 90 of the 440 px at 900 px.
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
                      margin={"t": 80})
    return fig


def pair_options(partners: pd.DataFrame, pairs: pd.DataFrame) -> list[str]:
    """"source|target" choices for the pair list: the filtered entities' own pairs (`partners`) first, then the
    network's pairs not already listed, each once."""
    listed = [f"{a}|{b}" for frame in (partners, pairs) for a, b in zip(frame["source"], frame["target"], strict=True)]
    return list(dict.fromkeys(listed))


def selected_points(event: object) -> list[list[object]]:
    """The customdata of every point in a Streamlit Plotly selection event (empty when nothing is selected).

    Accepts the PlotlyState Streamlit returns, or the plain dict a test builds.
    """
    if not event:
        return []
    selection = event.get("selection") if isinstance(event, Mapping) else getattr(event, "selection", None)
    points = (selection.get("points") if isinstance(selection, Mapping) else getattr(selection, "points", None)) or []
    out = []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if data is None:
            continue
        out.append(list(data) if isinstance(data, (list, tuple)) else [data])
    return out


def default_grain(first: dt.date | None, last: dt.date | None) -> str:
    """A grain that gives a readable number of bars for the span of the view."""
    if not first or not last:
        return "month"
    days = (last - first).days
    return "day" if days <= 92 else "week" if days <= 731 else "month"


def period_days(start: dt.date, grain: str) -> int:
    """How many days the period starting on `start` spans (28-31 for a month)."""
    first, last = period_bounds(start, grain)
    return (last - first).days + 1


def period_bounds(start: dt.date, grain: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period (as `date_trunc` cuts it) that starts on `start`."""
    if grain == "day":
        return start, start
    if grain == "week":
        return start, start + dt.timedelta(days=6)
    if grain == "month":
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return start, following - dt.timedelta(days=1)
    if grain == "year":
        return start, start.replace(month=12, day=31)
    raise ValueError(f"unknown grain {grain!r}")


def narrowed(filters: Filters, points: list[list[object]], kind: str, grain: str = "month") -> Filters:
    """The filters after a click on a chart of `kind`:

    - "topic": customdata [topic] -> that topic;
    - "timeline": customdata [topic, period] -> that period (and topic, unless the untagged stack);
    - "period": customdata [period] -> that period;
    - "entity": customdata [entity_key] -> that entity added (entities combine with AND).
    Several selected points widen to all of them (topics OR-ed, the span of the periods).
    """
    if not points:
        return filters
    if kind == "topic":
        return filters.with_(topics=tuple(dict.fromkeys(str(p[0]) for p in points if p and p[0])))
    if kind == "entity":
        keys = tuple(dict.fromkeys(str(p[0]) for p in points if p and p[0]))
        return filters.with_(entities=tuple(dict.fromkeys((*filters.entities, *keys))))
    if kind in ("timeline", "period"):
        periods = [dt.date.fromisoformat(str(p[-1])[:10]) for p in points if p]
        first, _ = period_bounds(min(periods), grain)
        _, last = period_bounds(max(periods), grain)
        changed = filters.with_(date_from=first, date_to=last)
        topics = tuple(dict.fromkeys(str(p[0]) for p in points if kind == "timeline" and p[0]))
        return changed.with_(topics=topics) if topics and len(topics) == len({str(p[0]) for p in points}) else changed
    raise ValueError(f"unknown chart kind {kind!r}")
