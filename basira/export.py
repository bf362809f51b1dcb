"""Extracts of the current view: CSV (UTF-8 with BOM), Excel (right-to-left sheet) and Parquet, each with a manifest.

An extract leaves Basira and is opened in Excel by someone else, so two things matter more than elegance:
Arabic must survive (the BOM tells Excel the file is UTF-8), and no cell may run as a formula
(CSV injection: a scraped title such as `=HYPERLINK(...)` would otherwise execute when opened).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from basira import render
from basira.filters import Filters

BOM = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula (tab and CR can hide one after them).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "parquet": "application/vnd.apache.parquet", "json": "application/json"}
PARQUET_MANIFEST_KEY = b"basira_manifest"
# XML 1.0 forbids these control characters; openpyxl raises on them, so they are dropped from xlsx cells.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_COLUMN_WIDTH = 80


@dataclasses.dataclass(frozen=True)
class Manifest:
    """What an extract is: enough to reproduce it (filters, database, taxonomy) or to tell two apart."""

    export: str  # what the rows are: "articles", "entity_mentions", "topic_counts", ...
    rows: int
    columns: tuple[str, ...]
    filters: Filters
    database_fingerprint: str
    taxonomy_version: str | None
    generated_at: dt.datetime
    # The page's choices beyond the filters that shaped the rows, by URL parameter: the entity Type, the entity or
    # pair or topic in focus, the time grain, the open article. Without them two extracts of one view could differ
    # and the manifest not say why.
    view: tuple[tuple[str, str], ...] = ()
    # The page's cap on the rows (None: not capped) and whether the view held more than it (None: not known or not
    # meaningful, as for a top-N list, whose rows are the N by design). Without them an extract of exactly the cap's
    # rows could be everything or a cut.
    row_limit: int | None = None
    truncated: bool | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "export": self.export,
            "rows": self.rows,
            "row_limit": self.row_limit,
            "truncated": self.truncated,
            "columns": list(self.columns),
            "filters": filters_dict(self.filters),
            # What the text filter really looked for: its Latin words read as Arabic names ({"Sednaya": "صيدنايا"}).
            "text_read_as": dict(self.filters.text_read_as) or None,
            "view": dict(self.view),
            # The link that shows the view again: the filters and the choices.
            "query": urlencode({**self.filters.to_query_params(), **dict(self.view)}, doseq=True),
            "database_fingerprint": self.database_fingerprint,
            "taxonomy_version": self.taxonomy_version,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
        }

    def to_json(self) -> bytes:
        return (json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def filters_dict(filters: Filters) -> dict[str, object]:
    """Every filter field, defaults included, so a reader of the manifest need not know the defaults."""
    out: dict[str, object] = {}
    for f in dataclasses.fields(filters):
        if not f.compare:
            continue  # derived from the others (text_read_as), recorded beside them
        value = getattr(filters, f.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    out["include_undated"] = filters.undated_included  # the effective choice, not None for "the default"
    return out


def filters_summary(filters: Filters) -> str:
    """The non-default filters in one line, as in the URL (for captions and image footnotes)."""
    params = filters.to_query_params()
    parts = [f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items()]
    return "; ".join(parts) or "none"


def article_tags(detail: dict[str, object]) -> pd.DataFrame:
    """One article's tags as rows (topic evidence, entity mentions, quotations, counts), each with the
    sentence it came from (sentence_no, from 1; 0 is the title), for the reader's extract.

    `text` is the tag as the article writes it: analysis matches and stores folded forms ("سجون", ه for ة), which
    an analyst quoting the article cannot use; topic evidence is read back whole words, as the reader highlights
    it. `normalised` keeps the folded term or surface the tag was found by; start_char and end_char stay the stored
    offsets on the sentence's normalised text. A tag whose offsets no longer fit its sentence keeps the stored form.
    """
    detail = render.with_written_surfaces(detail)  # counts too as written
    article_id = detail["article"]["article_id"]
    texts = render.tag_texts(detail)

    def written(seq: int, start: int, end: int, stored: str, whole: bool) -> str:
        raw, norm = texts.get(int(seq), ("", ""))
        span = render.tag_range(raw, norm, int(start), int(end), whole)
        return raw[span[0] : span[1]] if span else stored

    rows: list[tuple[object, ...]] = []
    for e in detail["evidence"].to_dict("records"):
        text = written(e["seq"], e["start_char"], e["end_char"], e["term"], whole=True)
        rows.append(("topic", e["topic"], e["seq"], text, e["term"], e["start_char"], e["end_char"]))
    for m in detail["mentions"].to_dict("records"):
        text = written(m["seq"], m["start_char"], m["end_char"], m["surface"], whole=False)
        rows.append(("entity", m["entity_key"], m["seq"], text, m["surface"], m["start_char"], m["end_char"]))
    for q in detail["quotations"].to_dict("records"):
        rows.append(("quotation", q["speaker_key"] or q["speaker_surface"], q["seq"], q["quote"], None, None, None))
    for c in detail["quantities"].to_dict("records"):
        what = f"{c['kind']}:{c['low']}-{c['high']} {c['unit']}"
        rows.append(("count", what, c["seq"], c["surface"], None, None, None))
    frame = pd.DataFrame(rows, columns=["kind", "what", "seq", "text", "normalised", "start_char", "end_char"])
    # Whole numbers with gaps (quotations and counts have no offsets): "9", not "9.0" in the analyst's sheet.
    frame = frame.astype({"seq": "Int64", "start_char": "Int64", "end_char": "Int64"})
    frame.insert(0, "article_id", article_id)
    return numbered_sentences(frame)


def numbered_sentences(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its `seq` (the store's sentence index: 0 the first sentence, -1 the title) as `sentence_no`, in
    place: sentences numbered from 1 as analysts count them and as the Search page says "sentence 3", the title 0.
    Every extract with an evidence sentence goes through this, so a number means the same in all of them."""
    at = list(frame.columns).index("seq")
    numbered = frame.drop(columns=["seq"])
    numbered.insert(at, "sentence_no", frame["seq"].astype("int64") + 1)
    return numbered


def with_terms_as_written(evidence: pd.DataFrame) -> pd.DataFrame:
    """Topic evidence rows (sentence, sentence_norm, starts, ends, terms) with `terms_as_written` after `terms`: the
    words the evidence marks, as the sentence writes them ("معركة، مواجهات عنيفة"), where `terms` are the folded terms
    analysis matched ("معركه, مواجهات عنيفه"), which an analyst quoting or searching the sentence cannot use."""
    written = []
    for row in evidence.itertuples(index=False):
        spans = zip(row.starts, row.ends, strict=True)
        marks = render.norm_marks(row.sentence, row.sentence_norm, spans, "topic", "", whole_words=True)
        written.append(render.terms_as_written(row.sentence, marks) or None)
    out = evidence.copy()
    out.insert(list(out.columns).index("terms") + 1, "terms_as_written", written)
    return out


# The search results as downloaded: the link to the original and the numbered sentence, not the normalised text.
SEARCH_EXTRACT_COLUMNS = [
    "article_id", "url", "score", "matched_terms", "sentence_no", "published", "title", "source", "sentence",
]


# BM25 scores as the Search page shows them ("score 14.47"): the ranking rounds them to 9 decimals only to break
# ties stably, and a spreadsheet column of 14.468321987 said nothing more to an analyst than the page did.
SCORE_DECIMALS = 2


def search_extract(results: pd.DataFrame) -> pd.DataFrame:
    """The Search page's download of `results` (basira.search.search's columns), in their rank order, each score
    rounded to SCORE_DECIMALS."""
    extract = numbered_sentences(results)[SEARCH_EXTRACT_COLUMNS]
    return extract.assign(score=extract["score"].astype("float64").round(SCORE_DECIMALS))


def make_manifest(
    export: str,
    frame: pd.DataFrame,
    filters: Filters,
    database_fingerprint: str,
    taxonomy_version: str | None,
    now: dt.datetime | None = None,
    view: Mapping[str, str] | None = None,
    row_limit: int | None = None,
    truncated: bool | None = None,
) -> Manifest:
    return Manifest(
        export=export,
        rows=len(frame),
        columns=tuple(str(c) for c in frame.columns),
        filters=filters,
        database_fingerprint=database_fingerprint,
        taxonomy_version=taxonomy_version,
        generated_at=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
        view=tuple((str(k), str(v)) for k, v in (view or {}).items()),
        row_limit=row_limit,
        truncated=truncated,
    )


def capped(frame: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, bool]:
    """The first `limit` rows of `frame` and whether it had more. Read `limit` + 1 rows to know: one row past the cap
    is the cheapest proof that the view holds more than the extract."""
    return frame.iloc[:limit], len(frame) > limit


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _plain(value: object) -> object:
    """A cell as a plain Python value: dates as ISO text, missing as None, numpy scalars unwrapped."""
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalar
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def _rows(frame: pd.DataFrame) -> Iterable[list[object]]:
    for row in frame.itertuples(index=False, name=None):
        yield [_plain(v) for v in row]


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(neutralise(value))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV: UTF-8 with a BOM (so Excel shows Arabic), CRLF rows (RFC 4180), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(str(c)) for c in frame.columns])
    for row in _rows(frame):
        writer.writerow([_csv_cell(v) for v in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, row: int, column: int, value: object) -> None:
    if isinstance(value, str):
        value = _XML_ILLEGAL.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # Text is stored as a string cell whatever it starts with: Excel never evaluates it, and the
        # analyst sees the exact text (an apostrophe prefix would show in xlsx, unlike in CSV).
        cell.data_type = "s"


def xlsx_bytes(frame: pd.DataFrame, manifest: Manifest) -> bytes:
    """An Excel workbook: the data on a right-to-left sheet, the manifest on a second sheet."""
    # Imported here: every ingest imports this module (through the read queries) and never writes a workbook;
    # openpyxl cost each ingest process 0.1 s of CPU to import.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = "data"
    data.sheet_view.rightToLeft = True
    widths = [len(str(c)) for c in frame.columns]
    for column, name in enumerate(frame.columns, start=1):
        _xlsx_cell(data, 1, column, str(name))
        data.cell(row=1, column=column).font = Font(bold=True)
    for row_number, row in enumerate(_rows(frame), start=2):
        for column, value in enumerate(row, start=1):
            _xlsx_cell(data, row_number, column, value)
            widths[column - 1] = max(widths[column - 1], len(str(value or "")))
    for column, width in enumerate(widths, start=1):
        data.column_dimensions[data.cell(row=1, column=column).column_letter].width = min(width + 2, _MAX_COLUMN_WIDTH)
    data.freeze_panes = "A2"
    meta = book.create_sheet("manifest")
    for row_number, (key, value) in enumerate(manifest.to_dict().items(), start=1):
        _xlsx_cell(meta, row_number, 1, key)
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
        _xlsx_cell(meta, row_number, 2, shown)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parquet_bytes(frame: pd.DataFrame, manifest: Manifest) -> bytes:
    """Parquet keeps types and exact text (no neutralising: it is data, not a spreadsheet); the manifest
    travels in the file's key-value metadata."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), PARQUET_MANIFEST_KEY: manifest.to_json()}
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer)
    return buffer.getvalue()


def file_name(export: str, extension: str, generated_at: dt.datetime | None = None) -> str:
    """An ASCII file name: the export name is ours, never user text, but keep it safe anyway."""
    stem = re.sub(r"[^a-z0-9_]+", "_", export.lower()).strip("_") or "extract"
    stamp = f"_{generated_at:%Y%m%d}" if generated_at else ""
    return f"basira_{stem}{stamp}.{extension}"
