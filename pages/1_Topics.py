"""Topics: counts per topic over the filtered set, trends, and the sentences that are the evidence."""

import streamlit as st

import ui
from basira import charts, export, render, report_image

# The evidence sentences downloaded: the strongest of the topic in the view.
EVIDENCE_ROWS = 200

ui.setup("Topics")
filters = ui.sidebar()
st.title("Topics · المواضيع")
ui.require_store()

measure = ui.choice("Count", {"articles": "Articles", "stories": "Independent stories"}, "count", "articles")
counts = ui.query("topic_counts", filters)
topics = ui.query("topic_list")
colours = charts.topic_colours(list(topics["topic"]))
if counts.empty:
    ui.empty("No tagged articles match these filters.")
    st.stop()

event = ui.chart(charts.topic_bar_figure(counts, measure, colours), "topic_bars")
ui.apply(charts.narrowed(filters, charts.selected_points(event), "topic"))
st.caption("Click a bar to keep only that topic; select several with shift-click. "
           "An article can carry several topics.")
ui.export_buttons(counts, "topic_counts", filters)
footnote = (f"Database {ui.query('store_fingerprint')} · taxonomy {ui.query('taxonomy_version')} · "
            f"filters: {export.filters_summary(filters)}")
st.download_button("Topic counts · PNG image", lambda: report_image.topic_counts_png(counts, footnote),
                   file_name="basira_topic_counts.png", mime="image/png", key="dl_topic_png",
                   icon=":material/image:", on_click="ignore")

span = ui.query("key_figures", filters)
grain = ui.choice("Trend per", {"week": "Week", "month": "Month"}, "grain", charts.trend_grain(span["first"], span["last"]))
labels = dict(zip(topics["topic"], topics["label"], strict=True))
trend = ui.query("timeline", filters, grain)
if trend[trend["topic"] != ""].empty:
    st.caption("No dated, tagged articles to draw a trend.")
else:
    event = ui.chart(charts.topic_trend_figure(trend, measure, labels, colours, grain), "topic_trend")
    ui.apply(charts.narrowed(filters, charts.selected_points(event), "timeline", grain))

st.subheader("Evidence sentences")
names = {r.topic: f"{r.label_ar} · {r.label}" for r in topics.itertuples(index=False)}
candidates = list(counts["topic"])
default = filters.topics[0] if filters.topics and filters.topics[0] in candidates else candidates[0]
topic = ui.url_select("Topic", candidates, "evidence", default, lambda t: names.get(t, t))
evidence = ui.query("evidence_highlights", filters, topic)
st.caption("Strongest first: sentences matching more of the topic's terms, in articles where the topic scores higher "
           f"(two per article here; the download has the strongest {EVIDENCE_ROWS}).")
for row in evidence.itertuples(index=False):
    marks = render.norm_marks(row.sentence, row.sentence_norm, zip(row.starts, row.ends, strict=True), "topic",
                              f"{row.label}: {row.terms}", whole_words=True)
    # The terms as the sentence writes them (the stored ones are folded: "معركه"); the stored ones when none is marked.
    terms = render.terms_as_written(row.sentence, marks) or row.terms
    caption = f"{render.date_text(row.published)} · {row.source} · terms: {terms} · score {row.topic_score}"
    st.html(render.sentence_html(row.sentence, marks, caption))
    ui.article_link(row.article_id, filters, row.title)
ui.export_buttons(ui.deferred("evidence_extract", filters, topic, limit=EVIDENCE_ROWS), "evidence_sentences", filters,
                  view={"evidence": topic})
