"""Search: Arabic-aware full-text search, ranked, with the matched words highlighted and why each result matched."""

import streamlit as st

import ui
from basira import export, render

# The prefixes folded are ال with the clitics before it; a bare و/ب/ف is kept (وزير، بيان), so the help says so:
# "وبسجن" finds only itself, which the old wording ("و/ف/ب/ال prefixes are folded") led analysts not to expect.
SEARCH_HELP = (
    "Same normalisation as ingest: hamza and alef forms, ى/ي and ة/ه match each other. ال is folded with the "
    "و/ف/ب/ك/ل before it (وبالسجن, للسجن → سجن) and so are plural endings (المعتقلين, معتقلون → معتقل); a bare "
    "و/ب/ف/ل is not (وسجن, بسجن are words of their own). Put a phrase in \"quotes\" to match it as written."
)

# Shown under an empty result when the query had Latin words.
LATIN_HINT = (
    "Latin letters are matched against the transliterated names of the people, organisations and places found in the "
    "articles (Saydnaya, Sednaya, al-Assad), not against the Arabic text; the words of one name go together and two "
    "names are separated by a comma. Try another spelling, the Arabic name, or fewer words."
)

# Results shown and exported; one more is read to know whether more articles match.
SHOWN = 50

ui.setup("Search")
filters = ui.sidebar(text_note=False)
st.title("Search · بحث")
ui.require_store()

with st.form("search"):
    text = st.text_input(
        "Words to find", value=filters.text, max_chars=200, placeholder="مثال: سجن صيدنايا",
        help=SEARCH_HELP,
    )
    st.form_submit_button("Search", icon=":material/search:")
if text.strip() != filters.text:
    ui.apply(filters.with_(text=text.strip()))
if not filters.text:
    st.caption("Type words above. The search runs within the sidebar filters and is kept in the link.")
    st.stop()

answer = ui.search(filters.text, filters, SHOWN + 1)
results, more = export.capped(answer.results, SHOWN)
if any(found for _, found in answer.names) or (answer.names and results.empty):
    st.html(render.names_read_html(answer.names))
how = "BM25 over light stems" if answer.ranked else "sentence scan (the search index is not built in this database)"
st.caption(render.match_caption(len(results), more, answer.total, how))
if results.empty:
    ui.empty(render.no_match_note(filters.with_(text="").is_default()))
    if answer.names:
        st.caption(LATIN_HINT)
    st.stop()
for rank, row in enumerate(results.itertuples(index=False), start=1):
    terms = [str(t) for t in row.matched_terms]
    sentence = next((t for t in (row.sentence, row.title) if isinstance(t, str)), "")
    norm = row.sentence_norm if isinstance(row.sentence_norm, str) else ""
    marks = render.norm_marks(sentence, norm, ui.match_spans(norm, terms, filters.text), "match", "matched") if norm else []
    # The words as the sentence writes them (the index's are folded stems: "سجن" for بالسجن); the stems when none is
    # marked in it.
    matched = render.terms_as_written(sentence, marks) or ", ".join(terms)
    where = "the title" if row.seq == -1 else f"sentence {row.seq + 1}"
    caption = (f"#{rank} · score {row.score:.{export.SCORE_DECIMALS}f} · {render.date_text(row.published)} · {row.source} · "
               f"matched {matched} (best in {where})")
    st.html(render.sentence_html(sentence, marks, caption))
    ui.article_link(row.article_id, filters, row.title)
ui.export_buttons(export.search_extract(results), "search_results", filters, limit=SHOWN, truncated=more)
