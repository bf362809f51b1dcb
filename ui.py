"""Streamlit glue shared by every page: filters <-> sidebar widgets <-> URL, navigation that carries the
filters, cached queries keyed by the store generation, exports, and the database-missing message.

The URL is the source of truth for filters: a copied link reproduces the view. Widgets are loaded from it
whenever it changed behind their back (page load, chart click, link), and a widget edit is written back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import duckdb
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from basira import export, render, store
from basira.charts import entity_label, entity_option, narrowed
from basira.filters import EARLIEST, LATEST, Filters, undated_choice
from basira.queries import read

PAGES = (
    ("app.py", "Overview", ":material/insights:"),
    ("pages/1_Topics.py", "Topics", ":material/category:"),
    ("pages/2_Entities.py", "Entities", ":material/hub:"),
    ("pages/3_Articles.py", "Articles", ":material/article:"),
    ("pages/4_Search.py", "Search", ":material/search:"),
    ("pages/5_Ingest.py", "Ingest", ":material/upload_file:"),
)
READER_PAGE = "pages/3_Articles.py"
FILTER_KEYS = ("from", "to", "q", "topic", "entity", "source", "dupes", "undated")
_SYNCED = "_basira_filters_synced"
_PAGE = "_basira_page"
_PAGE_CHANGED = "_basira_page_changed"
# The list page shown (Articles): a position in the filtered list, so a change of filters starts again at page 1.
LIST_PAGE = "page"
_WIDGETS = ("f_from", "f_to", "f_topics", "f_entities", "f_sources", "f_text", "f_one_per_story", "f_undated")
EXPORTS_STATE = "basira_exports"  # the frames behind the page's download buttons, by export name
MANIFESTS_STATE = "basira_manifests"  # what each Manifest button downloads, by export name (made when called)
UNDATED_HELP = (
    "Articles whose date could not be established. A date range leaves them out unless this is ticked; without a"
    " range they are in every count and list."
)
# The filter keeps articles holding every word (each folded as search folds it); it does not check word order, so
# a quoted phrase narrows here only by its words, while the Search page matches the exact phrase.
TEXT_FILTER_HELP = (
    "Articles holding every word, in any order. Arabic-aware: hamza, alef maqsura and taa marbuta forms match each"
    ' other. Quotation marks are ignored here; the Search page matches an exact "phrase". A name in Latin letters'
    " (Sednaya, Assad) stands for the Arabic name it reads as, shown under the box; a comma separates two names."
)


def setup(title: str) -> None:
    st.set_page_config(page_title=f"{title} · Basira", page_icon="🔎", layout="wide")
    st.html(render.STYLE)
    # Widget state does not follow a page switch (each page's widgets are new): note the switch so the
    # sidebar reloads its widgets from the URL, which the page links carried over.
    st.session_state[_PAGE_CHANGED] = st.session_state.get(_PAGE) != title
    st.session_state[_PAGE] = title


def db_path() -> Path:
    return store.default_db_path()


def generation() -> str | None:
    try:
        return store.generation_id(db_path())
    except store.StoreMissing:
        return None


def require_store() -> None:
    """Stop the page with a way forward when there is no database yet (instead of a traceback)."""
    if generation() is None:
        st.info(
            f"No database yet at `{db_path()}`. Build one from the sample articles with "
            "`python -m basira ingest seeds/` (or `make run`), or upload files on the Ingest page."
        )
        st.page_link("pages/5_Ingest.py", label="Go to Ingest", icon=":material/upload_file:")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, generation_id: str, db: str, filters: Filters | None, args: tuple) -> object:
    # generation_id is unused in the body on purpose: it is the cache key that changes when data lands.
    function = getattr(read, name)
    with store.read_cursor(Path(db)) as cur:
        return function(cur, filters, *args) if filters is not None else function(cur, *args)


def query(name: str, filters: Filters | None = None, *args: object) -> object:
    """`read.<name>(cur, filters, *args)` (or `(cur, *args)` without filters), cached per store generation."""
    db = db_path()
    return _cached(name, store.generation_id(db), str(db), filters, tuple(args))


def _search_engine():
    """basira.search when it is importable, else None (then read.search_fallback serves the page)."""
    try:
        from basira import search as engine
    except ImportError:
        return None
    return engine


def _index_built(cur: duckdb.DuckDBPyConnection) -> bool:
    from basira.queries import search as search_sql

    try:
        return search_sql.corpus_stats(cur)[0] > 0
    except duckdb.Error:
        return False  # a store built before the search index existed


@st.cache_data(show_spinner=False, max_entries=16)
def _indexed(generation_id: str, db: str) -> bool:
    """Whether basira.search can answer for this store generation (importable, its index built): asked once per
    generation by every step that reads the index (the search, its count, the names a text reads as)."""
    if _search_engine() is None:
        return False
    with store.read_cursor(Path(db)) as cur:
        return _index_built(cur)


class SearchAnswer(NamedTuple):
    """What the Search page shows for a query: the ranked `results`, whether the BM25 index `ranked` them (else the
    sentence scan found them), `total` (articles matching in all, whether exactly that many: search.match_count;
    None without the index) and `names` (per Latin stretch as typed, the [(Arabic name, Latin)] it was read as)."""

    results: pd.DataFrame
    ranked: bool
    total: tuple[int, bool] | None
    names: list[tuple[str, list[tuple[str, str]]]]


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_search(generation_id: str, db: str, text: str, filters: Filters, limit: int) -> SearchAnswer:
    # One step for the results, their count and the names read: each had checked the index and read the query's
    # names on its own (search.search_counted reads them once).
    with store.read_cursor(Path(db)) as cur:
        if not _indexed(generation_id, db):
            return SearchAnswer(read.search_fallback(cur, filters, text, limit), False, None, [])
        results, named, count = _search_engine().search_counted(cur, text, filters, limit)
    names = [(r.text, [(n.canonical, n.latin) for n in r.names]) for r in named]
    return SearchAnswer(results, True, (count.articles, count.exact), names)


def search(text: str, filters: Filters, limit: int = 50) -> SearchAnswer:
    """The Search page's answer for `text` within the other filters (SearchAnswer), cached per store generation."""
    db = db_path()
    return _cached_search(store.generation_id(db), str(db), text, filters.with_(text=""), limit)


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_reading(generation_id: str, db: str, name: str, text: str) -> list:
    # Keyed on the typed text and the generation: the names a text reads as change only when the store does.
    if not _indexed(generation_id, db):
        return []
    with store.read_cursor(Path(db)) as cur:
        return getattr(_search_engine(), name)(cur, text)


def _reading(name: str, text: str) -> list:
    """`search.<name>(cur, text)` (read_text), cached per store generation; [] without the index."""
    db = db_path()
    return _cached_reading(store.generation_id(db), str(db), name, text)


def text_read(filters: Filters) -> tuple[Filters, list[tuple[str, str, tuple[str, ...]]]]:
    """`filters` with their text's Latin names read (Filters.text_read_as), and per Latin stretch (typed, Arabic words
    looked for, names read as) for the sidebar's note."""
    readings = _reading("read_text", filters.text) if filters.text else []
    engine = _search_engine()
    read_as = engine.text_read_as(readings) if engine is not None else ()
    return filters.with_(text_read_as=read_as), [(r.typed, r.arabic, r.names) for r in readings]


def match_spans(text_norm: str, terms: list[str], query: str = "") -> list[tuple[int, int]]:
    """Spans of a normalised sentence to highlight for a search result's matched terms: a quoted phrase of the
    `query` where it occurs, its other words wherever they do."""
    engine = _search_engine()
    if engine is not None:
        return engine.query_spans(text_norm, query, terms) if query else engine.highlight_spans(text_norm, terms)
    return [(m.start, m.end) for m in render.term_marks(text_norm, terms)]


def query_matches(filters: Filters) -> render.MatchSpans | None:
    """What the reader marks for the filters' text (None without any): the spans the Search page marks in its
    results, on any normalised text, a Latin name as the Arabic words the filter looked for (Sednaya: صيدنايا)."""
    if not filters.text:
        return None
    engine = _search_engine()
    query = engine.filter_text(filters) if engine is not None else filters.text
    terms = list(engine.parse_query(query).terms) if engine is not None else query.split()
    return lambda text_norm: match_spans(text_norm, terms, query)


def view_key(filters: Filters) -> str:
    """A short stable name for a filtered view, for widget keys that must change when the view does."""
    return hashlib.sha1(urlencode(filters.to_query_params(), doseq=True).encode()).hexdigest()[:10]


def url_filters() -> Filters:
    params = st.query_params
    return Filters.from_query_params({k: params.get_all(k) for k in params.keys()})


def url_param(name: str) -> str | None:
    return st.query_params.get(name)


def write_url(filters: Filters, **extras: str | None) -> None:
    """Put `filters` in the URL, keeping other parameters (e.g. the open article) unless `extras` changes them."""
    kept = {k: st.query_params.get_all(k) for k in st.query_params.keys() if k not in FILTER_KEYS}
    if filters != url_filters():
        kept.pop(LIST_PAGE, None)
    for key, value in extras.items():
        kept.pop(key, None)
        if value is not None:
            kept[key] = [value]
    st.query_params.from_dict({**kept, **filters.to_query_params()})


def apply(filters: Filters, **extras: str | None) -> None:
    """Narrow the view (a chart click, a button): write the URL and rerun so every element sees it."""
    if filters != url_filters() or any(url_param(k) != v for k, v in extras.items()):
        write_url(filters, **extras)
        st.rerun()


def _push_to_widgets(filters: Filters) -> None:
    state = st.session_state
    state["f_from"] = filters.date_from
    state["f_to"] = filters.date_to
    state["f_topics"] = list(filters.topics)
    state["f_entities"] = list(filters.entities)
    state["f_sources"] = list(filters.sources)
    state["f_text"] = filters.text
    state["f_one_per_story"] = not filters.include_duplicates
    state["f_undated"] = filters.undated_included


def _label_topic(topics: pd.DataFrame) -> Callable[[str], str]:
    names = {r.topic: f"{r.label_ar} · {r.label}" for r in topics.itertuples(index=False)}
    return lambda key: names.get(key, key)


def entity_names(keys: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Display names ("canonical · latin") for entity keys."""
    if not keys:
        return {}
    found = query("entity_lookup", None, list(keys))
    return {r["entity_key"]: entity_label(r) for r in found.to_dict("records")}


def nav(filters: Filters) -> None:
    """Page links that carry the filters (the built-in navigation would drop the query parameters)."""
    params = filters.to_query_params()
    for path, label, icon in PAGES:
        st.page_link(path, label=label, icon=icon, query_params=params)


def sidebar(text_note: bool = True) -> Filters:
    """Navigation and the filter widgets; returns the filters in force for this run, their text's Latin names read
    (`text_note`: say how under the text box; the Search page says it itself)."""
    filters = url_filters()
    state = st.session_state
    if state.get(_SYNCED) != filters or state.get(_PAGE_CHANGED, True) or any(k not in state for k in _WIDGETS):
        _push_to_widgets(filters)
    with st.sidebar:
        st.markdown("### Basira · بصيرة")
        nav_box = st.container()
        if generation() is None:
            with nav_box:
                nav(filters)
            st.session_state[_SYNCED] = filters
            return filters
        st.markdown("#### Filters")
        topics = query("topic_list")
        sources = query("source_list")
        options = query("entity_options", None, 500)
        selected_entities = [k for k in st.session_state["f_entities"] if k]
        entity_keys = list(dict.fromkeys([*options["entity_key"], *selected_entities]))
        names = {r["entity_key"]: entity_option(r) for r in options.to_dict("records")}
        names.update({k: v for k, v in entity_names(selected_entities).items() if k not in names})
        # One under the other: side by side, each field was 78 px wide for a date that needs 102, so the day was cut
        # off ("2016-01-0") in the default sidebar at any window width.
        date_from = st.date_input("From", key="f_from", min_value=EARLIEST, max_value=LATEST, format="YYYY-MM-DD")
        date_to = st.date_input("To", key="f_to", min_value=EARLIEST, max_value=LATEST, format="YYYY-MM-DD")
        topic_keys = list(dict.fromkeys([*topics["topic"], *st.session_state["f_topics"]]))
        chosen_topics = st.multiselect("Topics (any of)", topic_keys, key="f_topics", format_func=_label_topic(topics))
        chosen_entities = st.multiselect(
            "Entities (all of)", entity_keys, key="f_entities", format_func=lambda k: names.get(k, k),
            help="Articles naming every selected person, organisation or place.",
        )
        source_keys = list(dict.fromkeys([*sources["source"].astype(str), *st.session_state["f_sources"]]))
        chosen_sources = st.multiselect("Sources", source_keys, key="f_sources")
        text = st.text_input("Text contains", key="f_text", max_chars=200, help=TEXT_FILTER_HELP)
        text_box = st.container()
        one_per_story = st.checkbox("One article per story (hide near-duplicates)", key="f_one_per_story")
        # Only a date is a bound (a cleared input gives None).
        day_from = date_from if isinstance(date_from, dt.date) else None
        day_to = date_to if isinstance(date_to, dt.date) else None
        undated = undated_choice(st.session_state["f_undated"], filters)
        if undated is None:
            # Not ticked this run: the box follows the default of the dates as they are now (set before it is drawn).
            st.session_state["f_undated"] = Filters(date_from=day_from, date_to=day_to).undated_included
        st.checkbox("Include undated articles", key="f_undated", help=UNDATED_HELP)
        chosen = Filters(
            date_from=day_from,
            date_to=day_to,
            topics=tuple(chosen_topics),
            entities=tuple(chosen_entities),
            sources=tuple(chosen_sources),
            text=(text or "").strip(),
            include_duplicates=not one_per_story,
            include_undated=undated,
        )
        # Normalise through the URL form (swapped dates, limits) so the widgets and the link agree.
        chosen = Filters.from_query_params(chosen.to_query_params())
        if chosen != filters:
            write_url(chosen)
            filters = chosen
        filters, readings = text_read(filters)
        if text_note and readings:
            text_box.html(render.text_read_as_html(readings))
        if not filters.is_default() and st.button("Clear filters", icon=":material/filter_alt_off:"):
            write_url(Filters())
            st.session_state[_SYNCED] = None
            st.rerun()
        if filters.undated_left_out_by_range:
            left_out = query("key_figures", filters.with_(include_undated=True))["undated"]
            if left_out:
                st.caption(f"{left_out:,} undated articles match the other filters; the date range leaves them out.")
        with nav_box:
            nav(filters)
        _store_notes()
    st.session_state[_SYNCED] = filters
    return filters


def sidebar_without_filters() -> None:
    """Navigation and the store's line, without filter widgets: for a page no filter applies to (Ingest), where
    "Topics", "From" or "Text contains" offered choices that changed nothing. The links still carry the URL's
    filters, so the other pages open on the view the analyst left."""
    filters = url_filters()
    with st.sidebar:
        st.markdown("### Basira · بصيرة")
        nav(filters)
        if generation() is not None:
            _store_notes()


def _store_notes() -> None:
    """The sidebar's database line, and what needs a retag."""
    st.caption(f"Database `{db_path().name}` · {query('store_fingerprint')}")
    if outdated := query("outdated_normalization"):
        st.warning(f"This database's Arabic text was folded by an older version of Basira ({outdated}), so "
                   "searches and text filters can miss spelling variants (مسؤول / مسئول) until "
                   "`python -m basira retag` is run.", icon=":material/sync_problem:")
    if "retag pending" in str(query("taxonomy_version")):
        st.warning("Articles stored before the last ingest carry an older taxonomy, so topic counts mix two "
                   "versions until `python -m basira retag` is run.", icon=":material/sync_problem:")


def article_link(article_id: int, filters: Filters, title: object = None, label: str | None = None) -> None:
    """A link to the reader: "Read article N: title" (the title isolated in its own direction), or `label`. Both are
    data (titles, sources), so they are shown as literal text; a long title is cut."""
    if label is None:
        label = render.article_link_label(article_id, title)
    else:
        label = render.cut(label, render.LINK_LABEL_CHARS)
    st.page_link(READER_PAGE, label=render.markdown_text(label), icon=":material/menu_book:",
                 query_params={**filters.to_query_params(), "article": str(int(article_id))})


def chart(figure, key: str, on_select: bool = True):
    """A Plotly chart; with `on_select`, clicks come back as a selection event."""
    if on_select:
        return st.plotly_chart(figure, key=key, on_select="rerun", selection_mode=("points",), width="stretch")
    st.plotly_chart(figure, key=key, width="stretch")
    return None


def manifest(name: str, frame: pd.DataFrame, filters: Filters, now: dt.datetime | None = None,
             view: Mapping[str, str] | None = None, limit: int | None = None,
             truncated: bool | None = None) -> export.Manifest:
    return export.make_manifest(name, frame, filters, query("store_fingerprint"), query("taxonomy_version"), now, view,
                                limit, truncated)


# The article extract of the Overview and the Articles page: the rows an analyst can still open in a spreadsheet.
ARTICLES_EXTRACT_ROWS = 100_000


class Loaded(NamedTuple):
    """A deferred extract as read: the rows, the store fingerprint and taxonomy version of the cursor that read them,
    and whether the view held more rows than the cap (None without a cap)."""

    frame: pd.DataFrame
    fingerprint: str
    taxonomy: str | None
    truncated: bool | None


class DeferredExport:
    """A large export frame (`read.<query>(cur, filters, *args)`) built on the first download click, not on every run.

    The Overview's and Articles page's article extract (up to 100,000 rows) took seconds at a million articles on
    every filter change while nobody downloaded it. The download callback runs outside the script thread (no
    Streamlit context), so this reads the store directly; the frame and the manifest's store fingerprint and
    taxonomy version come from one cursor, so the manifest describes exactly the rows exported.

    With a `limit` the query is given `limit=limit + 1` (every extract query takes its cap as `limit`): the extra
    row, dropped, says whether the view held more than the extract.
    """

    def __init__(self, query_name: str, filters: Filters, *args: object, limit: int | None = None) -> None:
        self.query_name, self.filters, self.args, self.limit, self.db = query_name, filters, args, limit, db_path()
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None

    def load(self) -> Loaded:
        """The extract, read once."""
        with self._lock:
            if self._loaded is None:
                function = getattr(read, self.query_name)
                with store.read_cursor(self.db) as cur:
                    if self.limit is None:
                        frame, truncated = function(cur, self.filters, *self.args), None
                    else:
                        frame, truncated = export.capped(
                            function(cur, self.filters, *self.args, limit=self.limit + 1), self.limit)
                    self._loaded = Loaded(frame, read.store_fingerprint(cur), read.taxonomy_version(cur), truncated)
            return self._loaded

    def frame(self) -> pd.DataFrame:
        return self.load().frame


def deferred(query_name: str, filters: Filters, *args: object, limit: int | None = None) -> DeferredExport:
    return DeferredExport(query_name, filters, *args, limit=limit)


def export_frame(value: pd.DataFrame | DeferredExport) -> pd.DataFrame:
    """The frame behind an export button (building a deferred one)."""
    return value.frame() if isinstance(value, DeferredExport) else value


def export_buttons(frame: pd.DataFrame | DeferredExport, name: str, filters: Filters, label: str | None = None,
                   view: Mapping[str, str] | None = None, limit: int | None = None,
                   truncated: bool | None = None) -> None:
    """Download buttons for the frame behind a view: CSV, Excel, Parquet and the manifest alone. `filters` are those
    that shaped the rows, `view` the page's other choices that did (by URL parameter: {"type": "PER"}); the manifest
    records both. `limit` is the page's cap on a frame's rows and `truncated` whether the view held more (None for a
    top-N list, or unknown); a DeferredExport brings its own.

    The bytes are made when a button is clicked (deferred), so an unused export costs nothing; a
    DeferredExport also defers the query behind the frame.
    """
    st.session_state.setdefault(EXPORTS_STATE, {})[name] = frame
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if isinstance(frame, DeferredExport):
        source = frame

        def rows() -> pd.DataFrame:
            return source.frame()

        def info() -> export.Manifest:
            loaded = source.load()
            return export.make_manifest(name, loaded.frame, filters, loaded.fingerprint, loaded.taxonomy, now, view,
                                        source.limit, loaded.truncated)

        empty = False  # unknown until built; an empty extract downloads a header-only file
    else:
        ready, ready_info = frame, manifest(name, frame, filters, now, view, limit, truncated)

        def rows() -> pd.DataFrame:
            return ready

        def info() -> export.Manifest:
            return ready_info

        empty = frame.empty
    st.session_state.setdefault(MANIFESTS_STATE, {})[name] = info
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        f"{label or name.replace('_', ' ').capitalize()} · CSV", lambda: export.csv_bytes(rows()),
        file_name=export.file_name(name, "csv", now), mime=export.FORMATS["csv"], key=f"dl_{name}_csv",
        icon=":material/download:", on_click="ignore", disabled=empty,
    )
    row.download_button(
        "Excel", lambda: export.xlsx_bytes(rows(), info()), file_name=export.file_name(name, "xlsx", now),
        mime=export.FORMATS["xlsx"], key=f"dl_{name}_xlsx", on_click="ignore", disabled=empty,
    )
    row.download_button(
        "Parquet", lambda: export.parquet_bytes(rows(), info()), file_name=export.file_name(name, "parquet", now),
        mime=export.FORMATS["parquet"], key=f"dl_{name}_parquet", on_click="ignore", disabled=empty,
    )
    row.download_button(
        "Manifest", lambda: info().to_json(), file_name=export.file_name(f"{name}_manifest", "json", now),
        mime=export.FORMATS["json"], key=f"dl_{name}_manifest", on_click="ignore",
    )


def choice(label: str, options: dict[str, str], key: str, default: str) -> str:
    """A small view option (grain, measure) kept in the URL so a shared link shows the same chart."""
    current = url_param(key)
    if current not in options:
        current = default
    # The default in the key: a control nobody touched follows a default that depends on the view (a topic trend
    # turns weekly when a click narrows it to a month), instead of keeping the value it was first drawn with.
    picked = st.segmented_control(label, list(options), format_func=options.get, default=current,
                                  key=f"v_{key}_{default}")
    picked = picked or current
    if picked != (url_param(key) or default):
        st.query_params[key] = picked
    return picked


def url_select(label: str, options: list[str], key: str, default: str, format_func: Callable[[str], str]) -> str:
    """A selectbox whose choice is kept in the URL (?key=option), so a shared link shows the same entity, topic or
    pair; a value that is not (or no longer) an option falls back to `default`."""
    current = url_param(key)
    if current not in options:
        current = default
    picked = st.selectbox(label, options, index=options.index(current), format_func=format_func)
    if picked != current:
        st.query_params[key] = picked
    return picked


def url_page(where: DeltaGenerator, pages: int) -> int:
    """The list page (1-based) in a number input in the container `where`, kept in the URL (?page=N) so a shared
    link opens the same rows; out of range or malformed, the nearest page there is."""
    try:
        current = int(url_param(LIST_PAGE) or 1)
    except ValueError:
        current = 1
    current = min(max(current, 1), pages)
    if pages <= 1:
        return 1
    # The count in the label: "Page 1" alone left the analyst to divide the caption's article count by 50.
    picked = int(where.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, value=current, step=1))
    if picked != current:
        st.query_params[LIST_PAGE] = str(picked)
    return picked


def figures(items: list[tuple[str, str, str | None]]) -> None:
    """Key figures (label, value, help) side by side, each as wide as its value: in equal columns beside the sidebar
    at 900 px each was ~80 px and a date or "4,831" was cut to "19…" / "4,…"; these wrap onto a second line instead."""
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for label, value, help_text in items:
            st.metric(label, value, help=help_text, width="content")


def empty(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def reader_url(article_id: int, filters: Filters) -> str:
    """A relative link to the reader for one article, with the filters, for link columns in tables."""
    params = {**filters.to_query_params(), "article": str(int(article_id))}
    return "Articles?" + urlencode(params, doseq=True)


def entity_url(entity_key: str, filters: Filters) -> str:
    """A relative link to the Entities page following one entity: the filters with it added (as a click on its bar
    does) and its timeline in focus, for link columns in tables."""
    params = {**narrowed(filters, [[entity_key]], "entity").to_query_params(), "focus": entity_key}
    return "Entities?" + urlencode(params, doseq=True)


def entities_table(frame: pd.DataFrame, filters: Filters, key: str | None = None) -> None:
    """Entities (entity_key first), each with a "follow" link to its timeline and articles on the Entities page:
    the way to follow an entity too rarely named to be among the sidebar's choices."""
    shown = frame.assign(entity_key=[entity_url(k, filters) for k in frame["entity_key"]])
    st.dataframe(shown, key=key, hide_index=True, width="stretch", placeholder=MISSING, column_config={
        "entity_key": st.column_config.LinkColumn("", display_text="follow", width="small", pinned=True),
        "entity_type": st.column_config.TextColumn("type", width="small"),
        "canonical": st.column_config.TextColumn("name"),
        "latin": st.column_config.TextColumn("Latin"),
    })


def _read_column() -> st.column_config.LinkColumn:
    # Pinned on the left: beside the sidebar at 900 px a wide table scrolls and the link would scroll off with it.
    return st.column_config.LinkColumn("", display_text="read", width="small", pinned=True)


def _with_reader_links(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """`frame` with a first column "open": each row's article in the reader, the filters passed on."""
    shown = frame.reset_index(drop=True)
    shown.insert(0, "open", [reader_url(a, filters) for a in shown["article_id"]])
    return shown


# What a table shows for a missing value (no byline, no date, no Latin form): an empty cell, not Streamlit's "None",
# which reads as a value (a source called "None").
MISSING = ""


def table(frame: pd.DataFrame, filters: Filters | None = None) -> None:
    """A read-only table with dates shown as dates (DuckDB DATE arrives as a midnight timestamp); with `filters`,
    rows with an article_id lead to that article in the reader with the filters (a page switch drops the URL's
    parameters unless the link carries them)."""
    config = {"published": st.column_config.DateColumn("date", format="YYYY-MM-DD")}
    if filters is not None and "article_id" in frame:
        frame, config["open"] = _with_reader_links(frame, filters), _read_column()
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, placeholder=MISSING)


# Wide enough for most headlines at 1400 px, narrow enough that the link and the title fit beside the sidebar at 900.
TITLE_PX = 300


def articles_table(frame: pd.DataFrame, filters: Filters, key: str, selectable: bool = False, selected: int | None = None):
    """The standard article list: newest first, a link to the reader on each row; optionally row-selectable
    (`selected`: the article id shown as selected)."""
    shown = _with_reader_links(frame, filters) if "article_id" in frame else frame.reset_index(drop=True)
    if "topics" in shown:
        topics = query("topic_list")
        labels = dict(zip(topics["topic"], topics["label"]))
        shown["topics"] = shown["topics"].map(lambda keys: render.topic_labels(keys, labels))
    config = {
        # The link and the title are pinned on the left: beside the sidebar at 900 px the table scrolls, and a
        # right-aligned Arabic title in a scrolled-off 400 px column showed its end or, when short, nothing.
        "open": _read_column(),
        "article_id": st.column_config.NumberColumn("id", format="%d", width="small"),
        "published": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
        "title_raw": st.column_config.TextColumn("title", width=TITLE_PX, pinned=True),
        "title": st.column_config.TextColumn("title", width=TITLE_PX, pinned=True),
        "story_id": st.column_config.NumberColumn("story", format="%d"),
        "char_count": st.column_config.NumberColumn("chars", format="%d"),
    }
    if selectable:
        rows = [int(i) for i in (shown.index[shown["article_id"] == selected] if selected is not None else [])]
        return st.dataframe(shown, key=key, hide_index=True, column_config=config, placeholder=MISSING,
                            on_select="rerun", selection_mode="single-row", width="stretch",
                            selection_default={"selection": {"rows": rows}} if rows else None)
    st.dataframe(shown, key=key, hide_index=True, column_config=config, width="stretch", placeholder=MISSING)
    return None
