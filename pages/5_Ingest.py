"""Ingest: upload article files in the browser; the same pipeline as `python -m basira ingest`."""

import pandas as pd
import streamlit as st

import ui
from basira import export, ingest
from basira.filters import Filters

# The batch report and the store's lists are not filtered: their manifests say no filter shaped them (the sidebar's
# filters, recorded before, claimed a filtered list).
STORE_WIDE = Filters()
# The store's rejected inputs listed and exported, newest batch first.
REJECTED_ROWS = 1000

ui.setup("Ingest")
ui.sidebar_without_filters()  # no list here is filtered
st.title("Ingest · إضافة مقالات")
st.caption(
    "Text files in the seed format, JSON Lines, JSON or CSV; UTF-8, UTF-16 or Windows-1256. Each upload is one "
    "batch: it lands whole or not at all, and the other pages see it on their next interaction. Exact duplicates "
    "are skipped; anything that cannot become an article is listed with the reason."
)

uploads = st.file_uploader("Files", accept_multiple_files=True, key="uploads")
if st.button("Ingest", type="primary", icon=":material/upload:", disabled=not uploads):
    # Upload names are only labels for the report: nothing is written under them.
    files = [(upload.name, upload.getvalue()) for upload in uploads]
    bar = st.progress(0.0, text=f"Reading {len(files)} files…")

    shares = ingest.ProgressBar()

    def progress(done: int, note: str) -> None:
        bar.progress(shares.fraction(done, note), text=ingest.progress_text(done, note))

    try:
        report = ingest.ingest_uploads(files, ui.db_path(), progress)
    except (TimeoutError, ingest.StoreOutdated) as error:
        st.error(f"{error}")
        st.stop()
    bar.progress(1.0, text="Done")
    st.session_state["ingest_report"] = report
    # The sidebar was drawn from the store before this batch (its source and entity lists, the database line, or
    # no filters at all for a first ingest): draw the page again from the new generation; the report is kept.
    st.rerun()

report = st.session_state.get("ingest_report")
if report is not None:
    st.subheader(f"Batch {report.batch_id}")
    ui.figures([
        ("Records read", f"{report.seen:,}", None),
        ("Articles added", f"{report.added:,}", f"{report.joined_story} joined an existing story"),
        ("Exact duplicates skipped", f"{report.duplicates:,}", None),
        ("Rejected", f"{sum(report.rejected.values()):,}", None),
    ])
    rejections = pd.DataFrame(
        [(r.source_path, r.locator, r.reason, r.detail, r.excerpt) for r in report.rejections],
        columns=["file", "where", "reason", "detail", "excerpt"],
    )
    if rejections.empty:
        st.success("Nothing was rejected.")
    else:
        st.markdown("**Rejected, with the reason**")
        ui.table(rejections)
        ui.export_buttons(rejections, "rejections", STORE_WIDE)

if ui.generation() is not None:
    stats = ui.query("store_stats")
    st.subheader("The store now")
    ui.figures([
        ("Articles", f"{stats['articles']:,}", None),
        ("Independent stories", f"{stats['stories']:,}", None),
        ("Undated", f"{stats['undated']:,}", None),
        ("Batches", f"{stats['batches']:,}", None),
    ])
    batches = ui.query("batch_list")
    ui.table(batches)
    ui.export_buttons(batches, "batches", STORE_WIDE)
    rejected, more = export.capped(ui.query("rejected_inputs", None, REJECTED_ROWS + 1), REJECTED_ROWS)
    if not rejected.empty:
        st.markdown("**Everything rejected so far**")
        if more:
            st.caption(f"The first {REJECTED_ROWS:,}, newest batch first, here and in the download; the store holds more.")
        ui.table(rejected)
        ui.export_buttons(rejected, "rejected_inputs", STORE_WIDE, limit=REJECTED_ROWS, truncated=more)
