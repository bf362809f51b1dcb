"""Entities: the most named people, organisations and places, one entity's timeline, and who is named with whom."""

import streamlit as st

import ui
from basira import charts, render

# Ranked lists: their rows are the top N by design, so their manifests record the N and no truncation.
TOP_ENTITIES = 25
TOP_PAIRS = 40
# Extract caps: the newest mentions of the entity in focus, the newest sentences naming the pair.
MENTION_ROWS = 20_000
PAIR_ROWS = 200
# Matches listed for a name typed in "Find a name", most named first.
FIND_ROWS = 50

ui.setup("Entities")
filters = ui.sidebar()
st.title("Entities · الأشخاص والجهات والأماكن")
ui.require_store()

kinds = {"all": "All", "PER": "People", "ORG": "Organisations", "LOC": "Places"}
kind = ui.choice("Type", kinds, "type", "all")
entity_type = None if kind == "all" else kind
top = ui.query("top_entities", filters, entity_type, TOP_ENTITIES)
if top.empty:
    ui.empty("No named entities in the articles that match these filters.")
    st.stop()
event = ui.chart(charts.entity_bar_figure(top), "entity_bars")
ui.apply(charts.narrowed(filters, charts.selected_points(event), "entity"))
st.caption("Click a bar to keep only articles naming that entity (entities combine: all must be named).")
ui.export_buttons(top, "top_entities", filters, view={"type": kind}, limit=TOP_ENTITIES)

# The sidebar offers the most named entities only (the real store: 23 articles and up); any other is found here.
find = st.text_input("Find a name", key="find_entity", max_chars=100, placeholder="ماهر · إدارة السجون · Tlass",
                     help="Part of a name in Arabic (any spelling of hamza, alef or taa marbuta) or in Latin letters. "
                          "Follow a match to add it to the filters and see its timeline.")
if find.strip():
    found = ui.query("entity_search", None, find, FIND_ROWS)
    if found.empty:
        st.caption("No stored name holds these letters.")
    else:
        more = " (the most named shown)" if len(found) == FIND_ROWS else ""
        st.caption(f"{len(found):,} entities{more}; articles are counted over the whole store.")
        ui.entities_table(found, filters, key="found_entities")

st.subheader("One entity over time")
names = {r["entity_key"]: charts.entity_label(r) for r in top.to_dict("records")}
# The filtered entities can always be followed, named in every article of the view as they are, even when the Type
# or the top 25 leave them out (a defected officer among the people in the news of his articles).
names.update({k: v for k, v in ui.entity_names(filters.entities).items() if k not in names})
keys = list(names)
focus_default = next((k for k in filters.entities if k in names), keys[0])
focus = ui.url_select("Entity", keys, "focus", focus_default, names.get)
grain = ui.choice("Per", {"week": "Week", "month": "Month"}, "grain", "month")
timeline = ui.query("entity_timeline", filters, focus, grain)
event = ui.chart(charts.entity_timeline_figure(timeline, names[focus], grain), "entity_timeline")
ui.apply(charts.narrowed(filters, charts.selected_points(event), "period", grain))
mentions = ui.query("mentions_extract", filters, focus, 200)
mention_columns = ["article_id", "published", "source", "surface", "method", "sentence"]
ui.table(render.mentions_as_written(mentions[mention_columns]), filters)
ui.export_buttons(ui.deferred("mentions_extract", filters, focus, limit=MENTION_ROWS), "entity_mentions", filters,
                  view={"focus": focus})

st.subheader("Named in the same sentence")
# A type keeps the pairs of two entities of it, and the filtered entities' partners of it (README, "Reading the pages").
pairs = ui.query("cooccurrence", filters, TOP_PAIRS, entity_type)
if pairs.empty:
    st.caption(f"No two {kinds[kind].lower() if entity_type else 'entities'} are named in the same sentence in this view.")
    st.stop()
# With entities in the filter, their own pairs come first in the pair list: the view's top pairs are mostly
# between the places and leaders the same articles name, often without the filtered entity at all.
options = charts.pair_options(ui.query("entity_partners", filters, TOP_PAIRS, entity_type), pairs)
found = ui.query("entity_lookup", None, sorted({key for option in options for key in option.split("|")}))
pair_names = {r["entity_key"]: charts.entity_label(r) for r in found.to_dict("records")}
types = dict(zip(found["entity_key"], found["entity_type"], strict=True))
event = ui.chart(charts.network_figure(pairs, pair_names, types), "network")
points = charts.selected_points(event)
edges = [p for p in points if len(p) == 2]
if edges:
    ui.apply(filters, pair="|".join(map(str, edges[0])))
ui.apply(charts.narrowed(filters, [p for p in points if len(p) == 1], "entity"))
ui.export_buttons(pairs.assign(source_name=pairs["source"].map(pair_names), target_name=pairs["target"].map(pair_names)),
                  "cooccurrence", filters, view={"type": kind}, limit=TOP_PAIRS)

linked = ui.url_param("pair")
shown = linked if linked in options else options[0]
chosen = st.selectbox(
    "Pair", options, index=options.index(shown),
    format_func=lambda o: " ↔ ".join(pair_names.get(k, k) for k in o.split("|")),
    help="Click a ◆ on the network, or pick a pair here.",
)
if chosen != shown:
    st.query_params["pair"] = chosen
first, second = chosen.split("|")
sentences = ui.query("pair_sentences", filters, first, second, 20)
both = " and ".join(render.markdown_text(pair_names.get(k, k)) for k in (first, second))
count = ui.query("pair_sentence_count", filters, first, second)
st.caption(f"{count:,} sentences name both {both}, headlines included"
           + (f" (the newest 20 here; the download has {PAIR_ROWS})." if count > 20 else "."))
for row in sentences.itertuples(index=False):
    marks = render.norm_marks(row.sentence, row.sentence_norm, zip(row.starts, row.ends, strict=True), "entity", "entity")
    where = f"{render.date_text(row.published)} · {row.source}"
    st.html(render.sentence_html(row.sentence, marks, f"Headline · {where}" if row.seq < 0 else where))
    ui.article_link(row.article_id, filters, row.title)
ui.export_buttons(ui.deferred("pair_extract", filters, first, second, limit=PAIR_ROWS), "pair_sentences", filters,
                  view={"pair": chosen})
