"""Overview: key figures and the timeline of articles (or independent stories) by topic."""

import streamlit as st

import ui
from basira import charts

ui.setup("Overview")
filters = ui.sidebar()
st.title("Basira · بصيرة")
st.caption("Arabic news on Syria's security sector: what was reported, when, about which topics and whom.")
ui.require_store()

figures = ui.query("key_figures", filters)
ui.figures([
    ("Articles", f"{figures['articles']:,}", None),
    ("Independent stories", f"{figures['stories']:,}", "Near-duplicate articles count as one story."),
    ("Undated", f"{figures['undated']:,}", "Articles whose date could not be established. "
     "They are counted everywhere but cannot be placed on the time axis."),
    ("First date", str(figures["first"] or "—"), None),
    ("Last date", str(figures["last"] or "—"), None),
])
if not figures["articles"]:
    ui.empty("No articles match these filters. Widen the date range or clear some filters.")
    st.stop()

# Side by side while they fit, one under the other when not: in two equal columns at 900 px "Independent stories"
# ran 16 px past its column and was cut.
with st.container(horizontal=True, wrap=True, gap="medium"):
    grain = ui.choice("Per", {"day": "Day", "week": "Week", "month": "Month"}, "grain",
                      charts.default_grain(figures["first"], figures["last"]))
    measure = ui.choice("Count", {"articles": "Articles", "stories": "Independent stories"}, "count", "articles")
timeline = charts.of_topics(ui.query("timeline", filters, grain), filters.topics)
topics = ui.query("topic_list")
labels = dict(zip(topics["topic"], topics["label"], strict=True))
colours = charts.topic_colours(list(topics["topic"]))
event = ui.chart(charts.timeline_figure(timeline, measure, labels, colours, figures["undated"], grain), "timeline")
ui.apply(charts.narrowed(filters, charts.selected_points(event), "timeline", grain))
notes = charts.timeline_notes(bool(filters.topics))
if figures["undated"]:
    notes.insert(0, f"**{figures['undated']:,} undated articles** are in every count and list but not on this axis.")
st.caption(" ".join(notes))
ui.export_buttons(timeline, "timeline", filters, view={"grain": grain})

st.subheader("Latest articles in view")
ui.articles_table(ui.query("article_page", filters, 25, 0), filters, "latest")
ui.export_buttons(ui.deferred("articles_extract", filters, limit=ui.ARTICLES_EXTRACT_ROWS), "articles", filters)
