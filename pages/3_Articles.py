"""Articles: the filtered list, and the right-to-left reader with every tag's evidence highlighted."""

import math

import pandas as pd
import streamlit as st

import ui
from basira import export, render
from basira.filters import Filters

PAGE_SIZE = 50

ui.setup("Articles")
filters = ui.sidebar()
st.title("Articles · المقالات")
ui.require_store()

try:
    article_id = int(ui.url_param("article") or "")
except ValueError:
    article_id = None
total = ui.query("article_count", filters)
pages = max(1, math.ceil(total / PAGE_SIZE))
top = st.columns([3, 1])
top[0].caption(f"{total:,} articles in view, newest first, undated last. Select a row to read it.")
page = ui.url_page(top[1], pages)
frame = ui.query("article_page", filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
if frame.empty:
    ui.empty("No articles match these filters.")
else:
    # A new table for every list (filters, page) and open article: a selection kept across a change of filters
    # pointed at the row where the open article had been and opened whichever article the new list had there.
    key = f"articles_{ui.view_key(filters)}_{page}_{article_id}"
    event = ui.articles_table(frame, filters, key, selectable=True, selected=article_id)
    rows = list(event.selection.rows) if event else []
    if rows:
        ui.apply(filters, article=str(int(frame.iloc[rows[0]]["article_id"])))
ui.export_buttons(ui.deferred("articles_extract", filters, limit=ui.ARTICLES_EXTRACT_ROWS), "articles", filters)

st.divider()
if article_id is None:
    st.caption("No article open: select a row above, or follow a “read” link from another page.")
    st.stop()
detail = ui.query("article_detail", None, article_id)
if detail is None:
    st.warning(f"There is no article {article_id} in this database.")
    st.stop()
detail = render.with_written_surfaces(detail)
if not ui.query("article_in_view", filters, article_id):
    # The reader keeps the open article when the filters change, or a link names one they leave out: say so, or the
    # article reads as one of the list above (a prisons article open under a list of arms-trade articles).
    st.caption(f"Article {article_id} is not in the list above: these filters leave it out.")

# The text and its side panel in a wrapping row: the panel goes under the text when the text would get less than
# render.READER_MIN (in [3, 1] columns at 900 px the panel was 100 px wide: the URL broken letter by letter, the
# topic and entity tables cut).
row = st.container(horizontal=True, wrap=True, gap="large")
reader, side = row.container(key=render.READER_KEY), row.container(width=render.READER_SIDE_PX, key="reader_side")
with reader:
    show_boilerplate = st.toggle("Show boilerplate (dimmed)", value=True,
                                 help="Share buttons, “read also” lines and the like: kept, but not analysed.")
    st.html(render.article_html(detail, show_boilerplate=show_boilerplate, with_style=False,
                                matches=ui.query_matches(filters)))
with side:
    article = detail["article"]
    st.markdown(f"**Article {article['article_id']}** · story {article['story_id']}")
    if render.source_url_html(article.get("url")):
        st.html(render.source_url_html(article.get("url")))
    st.text(f"From {article['source_file']} {article['locator']}".strip())  # the file, not the server's path
    if article.get("published") is None or pd.isna(article.get("published")):
        st.text(f"Undated: {article.get('undated_reason') or 'no date found'}")  # quotes input: never Markdown
    else:
        st.caption(render.dated_from(article.get("date_source")))
    st.markdown("**Topics**")
    if detail["topics"].empty:
        st.caption("none")
    else:
        # A line each, wrapped: as a table in the 240 px panel the Arabic label was cut and the score off to the right.
        st.markdown(render.topic_lines(detail["topics"]))
    st.markdown("**Entities**")
    if detail["entities"].empty:
        st.caption("none")
    else:
        # Each name leads to that entity's timeline and articles: the way to follow someone too rarely named to be
        # among the sidebar's choices (the real store: Manaf Tlass, 3 articles, against a 23-article cut-off).
        ui.entities_table(detail["entities"][["entity_key", "canonical", "latin", "entity_type", "mentions"]], filters)
    if not detail["quotations"].empty:
        st.markdown("**Quotations**")
        for q in detail["quotations"].itertuples(index=False):
            st.html(render.sentence_html(q.quote, (), f"— {q.speaker_surface}"))
    if not detail["quantities"].empty:
        st.markdown("**Counts**")
        st.dataframe(detail["quantities"][["low", "high", "unit", "kind", "surface"]], hide_index=True, width="stretch",
                     placeholder=ui.MISSING)
    if not detail["story"].empty:
        st.markdown("**Same story elsewhere**")
        for other in detail["story"].itertuples(index=False):
            ui.article_link(other.article_id, filters, label=f"{render.date_text(other.published)} · {other.source}")

# The tags are the article's whatever the filters: the manifest names the article alone, and its link opens it.
ui.export_buttons(export.article_tags(detail), "article_tags", Filters(), label="This article's tags",
                  view={"article": str(article_id)})
