"""Turn files (seed .txt, JSONL/JSON, CSV/TSV) into ParsedArticle records or Rejections with a reason.

One bad record never stops a batch: it becomes a Rejection and reading goes on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from basira.boilerplate import BYLINE_PREFIXES, FUNCTION_WORDS, article_end, classify_line, ends_with_mark
from basira.dates import date_from_url, find_date_in_text, parse_date
from basira.decoding import DecodeError, decode_bytes, unescape_html
from basira.model import ParsedArticle, Rejection, Sentence
from basira.normalize import clean_raw, normalize_text, strip_control, strip_invisible
from basira.sentences import split_sentences

Item = ParsedArticle | Rejection

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
EXCERPT_CHARS = 200
_CSV_FIELD_LIMIT = 64 * 1024 * 1024
# The date of an article is looked for in its title and this much of the body: a dateline or caption sits near the top.
DATE_WINDOW_CHARS = 3000
TITLE_MAX_WORDS = 20
BYLINE_MAX_WORDS = 8

NO_DATE = "no date header, field, URL date or date in text"

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "article_text"),
    "title": ("title", "headline"),
    "date": ("date", "published", "published_at", "date_extracted", "url_date", "pubdate"),
    "url": ("url", "link"),
    "source": ("source", "source_domain", "site", "outlet", "publisher"),
    "author": ("author", "byline"),
}

_HEADER = re.compile(r"date(?:[ \t]*:[ \t]*|[ \t]+)(\d[\d/.\-]*)(?=\s|$)[ \t]*", re.IGNORECASE)
_PARTIAL_DATE = re.compile(r"\s*(\d{4})(?:[-/](\d{1,2}))?\s*")
_DASH = re.compile("\\s*[-\u2013\u2014]\\s*")
_PARENTHESISED = re.compile(r"\([^()]{2,40}\)")
_KEY_SEPARATORS = re.compile(r"[\s\-]+")
_BYLINE_PREFIXES = tuple(normalize_text(p) for p in BYLINE_PREFIXES)


def _excerpt(text: str) -> str:
    # Shown to the analyst: no bidi controls or C0 controls that would reorder or hide what is displayed.
    return strip_invisible(strip_control(text[:EXCERPT_CHARS]))


def _clean(text: str) -> str:
    return clean_raw(unescape_html(text))


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _plain(text: str) -> str:
    """A field kept as given (no HTML decoding), minus invisible and control characters: URLs, date values."""
    return " ".join(clean_raw(text).split())


def _words(text: str) -> list[str]:
    return text.split()


def _has_strong_byline_form(line: str, norm: str) -> bool:
    """Forms that are a byline wherever they stand: "kataba: name", "bi-qalam name", "(Reuters)"."""
    if _PARENTHESISED.fullmatch(line):
        return True
    for prefix in _BYLINE_PREFIXES:
        if norm.startswith(prefix):
            rest = norm[len(prefix) : len(prefix) + 1]
            if rest in (" ", ":"):
                return True
    return False


def _looks_like_byline(line: str, strong_only: bool) -> bool:
    """A byline: agency or place, a dash or colon, a name ("agencies \u2013 name", "Damascus - SANA",
    "Beirut: name"); with `strong_only`, only the forms that cannot be a title."""
    words = _words(line)
    if not words or len(words) > BYLINE_MAX_WORDS or len(line) > 80 or any(c.isdigit() for c in line):
        return False
    norm = normalize_text(line)
    if norm.rstrip(" \"'\u201d\u00bb)").endswith((".", "!", "?")):
        return False
    if _has_strong_byline_form(line, norm):
        return True
    # Names and places carry no function words; a subtitle ("General Security - a campaign in Homs") does.
    if strong_only or any(w in FUNCTION_WORDS for w in norm.split()):
        return False
    body = line.rstrip(" :")
    parts = [p for p in _DASH.split(body) if p]
    if len(parts) >= 2 and all(len(p.split()) <= 4 for p in parts):
        return True
    head, colon, tail = body.partition(":")
    return bool(colon) and len(head.split()) == 1 and 0 < len(tail.split()) <= 4


def _looks_like_title(line: str) -> bool:
    return len(_words(line)) <= TITLE_MAX_WORDS and not ends_with_mark(normalize_text(line))


def _nonblank_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((offset, line))
        offset += len(line) + 1
    return lines


def split_seed(text: str) -> tuple[str | None, str | None, str | None, str]:
    """Split a cleaned seed text into (date header value, title, byline, body).

    The header is "date YYYY-MM-DD" at the very start, on its own line or followed by the body on the same line.
    """
    header = None
    m = _HEADER.match(text)
    if m is not None:
        header = m.group(1)
        text = text[m.end() :]
    lines = _nonblank_lines(text)
    title = byline = None
    body_at = 0
    if len(lines) >= 2 and _looks_like_byline(lines[0][1], strong_only=True):
        byline = lines[0][1]
        body_at = 1
    elif len(lines) >= 2 and _looks_like_title(lines[0][1]):
        title = lines[0][1]
        body_at = 1
        if len(lines) >= 3 and _looks_like_byline(lines[1][1], strong_only=False):
            byline = lines[1][1]
            body_at = 2
    body = text[lines[body_at][0] :].strip() if lines else ""
    return header, title, byline, body


def _partial_date(value: str) -> tuple[int, int | None] | None:
    m = _PARTIAL_DATE.fullmatch(value)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def _agrees(day: dt.date, partial: tuple[int, int | None] | None) -> bool:
    if partial is None:
        return True
    year, month = partial
    return day.year == year and (month is None or day.month == month)


def date_article(
    given: str | None, given_kind: str, url: str | None, title: str | None, body: str
) -> tuple[dt.date | None, str | None, str | None]:
    """(published, date_source, undated_reason): the header or field value, else a date in the URL, else the
    first date in the title and top of the body. A partial value ("2017-10") only admits a later date inside it."""
    reason = NO_DATE
    partial = None
    if given:
        value = parse_date(given)
        if value is not None:
            return value, given_kind, None
        reason = f"unparseable date {given_kind}: '{given}'"
        partial = _partial_date(given)
    value = date_from_url(url)
    if value is not None and _agrees(value, partial):
        return value, "url", None
    window = (title + "\n" if title else "") + body[:DATE_WINDOW_CHARS]
    found = find_date_in_text(window)
    if found is not None and _agrees(found[0], partial):
        return found[0], "text", None
    return None, None, reason


def body_sentences(body: str) -> list[Sentence]:
    """The sentences of an article's stored body, as ingest splits and flags them (line rules, article end)."""
    return split_sentences(body, classify_line, article_end)


def read_seed(name: str, text: str, encoding: str) -> Iterator[Item]:
    if len(text) > MAX_TEXT_CHARS:
        yield Rejection(name, "", "too_large", f"article text has {len(text):,} characters", _excerpt(text))
        return
    header, title, byline, body = split_seed(_clean(text))
    if not body:
        yield Rejection(name, "", "missing_text", "the file has no article text", _excerpt(text))
        return
    published, date_source, undated = date_article(header, "header", None, title, body)
    yield ParsedArticle(
        source_path=name,
        locator="",
        text_raw=body,
        title_raw=title,
        byline=byline,
        published=published,
        date_source=date_source,
        undated_reason=undated,
        sentences=body_sentences(body),
        extra=_encoding_extra(encoding),
    )


def _encoding_extra(encoding: str) -> dict[str, str]:
    return {} if encoding in ("utf-8", "utf-8-sig") else {"encoding": encoding}


def _key(name: object) -> str:
    return _KEY_SEPARATORS.sub("_", str(name).strip().lower())


def _stringify(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict, bool)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _text_value(value: object) -> str:
    if isinstance(value, list):
        return "\n".join(_stringify(v) for v in value if v is not None)
    return _stringify(value)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:  # "http://[" and the like: a malformed URL names no outlet, and must not stop the batch
        return None
    return host.removeprefix("www.") or None


def _one_line_field(chosen: dict[str, object], role: str) -> str | None:
    if role not in chosen:
        return None
    return _one_line(_stringify(chosen[role])) or None


def _record_excerpt(record: dict) -> str:
    return _excerpt(json.dumps(record, ensure_ascii=False, default=str))


@dataclass(frozen=True, slots=True)
class KeyFields:
    """The fields of a record that an article's content hash and paragraph fingerprints derive from, as
    article_from_record sets them (see key_fields)."""

    title_raw: str | None
    text_raw: str
    url: str | None
    source_name: str | None


def _record_fields(
    name: str, locator: str, record: dict
) -> Rejection | tuple[dict[str, object], set[object], str, str | None, str | None, str | None]:
    """article_from_record's first half, shared with key_fields so both reject the same records: (chosen field
    values by role, the record keys used, body, title, url, source), or the record's Rejection."""
    by_key = {}
    for key, value in record.items():
        if key is not None:
            by_key.setdefault(_key(key), key)
    chosen: dict[str, object] = {}
    used: set[object] = set()
    for role, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            key = by_key.get(alias)
            if key is None:
                continue
            value = record[key]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            chosen[role] = value
            used.add(key)
            break

    if "text" not in chosen:
        detail = "no text|content|body|article field with text"
        return Rejection(name, locator, "missing_text", detail, _record_excerpt(record))
    text = _text_value(chosen["text"])
    if len(text) > MAX_TEXT_CHARS:
        return Rejection(name, locator, "too_large", f"article text has {len(text):,} characters", _excerpt(text))
    body = _clean(text)
    if not body.strip():  # a list of empty strings joins to line breaks alone
        return Rejection(name, locator, "missing_text", "the text field is blank", _record_excerpt(record))

    title = _one_line_field(chosen, "title")
    url = _plain(_stringify(chosen["url"])) if "url" in chosen else None
    source = _one_line_field(chosen, "source") or _host(url)
    return chosen, used, body, title, url, source


def article_from_record(name: str, locator: str, record: dict, encoding: str = "utf-8") -> Item:
    """A ParsedArticle from one JSON object or CSV row, matching field names case-insensitively by alias."""
    fields = _record_fields(name, locator, record)
    if isinstance(fields, Rejection):
        return fields
    chosen, used, body, title, url, source = fields
    author = _one_line_field(chosen, "author")
    given_date = _plain(_stringify(chosen["date"])) if "date" in chosen else None
    published, date_source, undated = date_article(given_date, "field", url, title, body)

    extra = {str(k): _stringify(v) for k, v in record.items() if k not in used and k is not None and v is not None}
    for key, value in _encoding_extra(encoding).items():
        extra.setdefault(key, value)
    return ParsedArticle(
        source_path=name,
        locator=locator,
        text_raw=body,
        title_raw=title,
        byline=author,
        url=url or None,
        source_name=source or None,
        published=published,
        date_source=date_source,
        undated_reason=undated,
        sentences=body_sentences(body),
        extra=extra,
    )


def _from_object(name: str, locator: str, obj: object, encoding: str, excerpt: str) -> Item:
    if not isinstance(obj, dict):
        return Rejection(name, locator, "not_an_object", f"expected a JSON object, got {type(obj).__name__}", excerpt)
    return article_from_record(name, locator, obj, encoding)


def read_jsonl(name: str, text: str, encoding: str) -> Iterator[Item]:
    lines = text.split("\n")
    return _jsonl_lines(name, lines, 1, len(lines), text.endswith("\n"), encoding)


def json_problem(error: json.JSONDecodeError, with_line: bool = False) -> str:
    """What is wrong with a JSON text and where, for a rejection. Some of json's messages already end in "at"
    ("Unterminated string starting at"): the position follows them rather than a second "at"."""
    message = error.msg.removesuffix(" at")
    where = f"line {error.lineno} column {error.colno}" if with_line else f"column {error.colno}"
    return f"{message} at {where}"


def _jsonl_lines(
    name: str, lines: list[str], first: int, total: int, ends_cleanly: bool, encoding: str
) -> Iterator[Item]:
    """Items of lines `first`.. of a JSONL file of `total` lines (a slice, so that workers can share a file)."""
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            if number == total and not ends_cleanly:
                detail = f"last line is cut off: {json_problem(e)}"
                yield Rejection(name, f"line {number}", "truncated", detail, _excerpt(line))
            else:
                yield Rejection(name, f"line {number}", "malformed_json", json_problem(e), _excerpt(line))
            continue
        yield _from_object(name, f"line {number}", obj, encoding, _excerpt(line))


def read_json(name: str, text: str, encoding: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        stripped = text.strip()
        if stripped.startswith("{") and "\n" in stripped:
            yield from read_jsonl(name, text, encoding)
            return
        reason = "truncated" if e.pos >= len(text.rstrip()) else "malformed_json"
        yield Rejection(name, "", reason, json_problem(e, with_line=True), _excerpt(text))
        return
    if isinstance(data, list):
        for number, obj in enumerate(data, start=1):
            yield _from_object(name, f"item {number}", obj, encoding, _excerpt(json.dumps(obj, ensure_ascii=False)))
    else:
        yield _from_object(name, "", data, encoding, _excerpt(text))


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of , ; tab | in the header row (csv.Sniffer is easily fooled by commas in Arabic text)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(name: str, text: str, encoding: str, delimiter: str | None = None) -> Iterator[Item]:
    # One cell may hold a whole article; only ever raise the process-wide limit.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    first_line = text.split("\n", 1)[0]
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(first_line))
    try:
        header = next(rows, None)
        if header is None:
            yield Rejection(name, "", "empty", "the file has no header row")
            return
        for number, row in enumerate(rows, start=1):
            if not any(cell.strip() for cell in row):
                continue
            record: dict = dict(zip(header, row))
            if len(row) > len(header):
                record["_extra_columns"] = row[len(header) :]
            yield article_from_record(name, f"row {number}", record, encoding)
    except csv.Error as e:
        yield Rejection(name, "", "malformed_csv", str(e))


def read_tsv(name: str, text: str, encoding: str) -> Iterator[Item]:
    return read_csv(name, text, encoding, delimiter="\t")


_READERS: dict[str, Callable[[str, str, str], Iterator[Item]]] = {
    "": read_seed,
    ".txt": read_seed,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": read_tsv,
}
SUPPORTED_EXTENSIONS = tuple(sorted(e for e in _READERS if e))


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def _unsupported(name: str) -> Rejection:
    known = ", ".join(SUPPORTED_EXTENSIONS)
    return Rejection(name, "", "unsupported_format", f"cannot read '{_extension(name)}' files; use one of {known}")


def _too_large(name: str, size: int) -> Rejection:
    return Rejection(name, "", "too_large", f"{size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")


def read_bytes(name: str, data: bytes) -> Iterator[Item]:
    """Articles from one file's bytes (a browser upload); `name` picks the format by extension."""
    reader = _READERS.get(_extension(name))
    if reader is None:
        yield _unsupported(name)
        return
    if len(data) > MAX_FILE_BYTES:
        yield _too_large(name, len(data))
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        yield Rejection(name, "", e.reason, e.detail)
        return
    yield from reader(name, text, encoding)


def _visible_files(folder: Path) -> list[Path]:
    files = []
    for path in folder.rglob("*"):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _file_bytes(path: Path) -> bytes | Rejection:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _too_large(name, size)
        return path.read_bytes()
    except OSError as e:
        return Rejection(name, "", "unreadable", str(e))


def _read_file(path: Path) -> Iterator[Item]:
    name = str(path)
    if _extension(name) not in _READERS:
        yield _unsupported(name)
        return
    data = _file_bytes(path)
    if isinstance(data, Rejection):
        yield data
        return
    yield from read_bytes(name, data)


@dataclass(frozen=True)
class Unit:
    """A piece of reading work that parses on its own, in any process: a whole file, a slice of a JSONL file's
    lines, or items already known (a file that could not be read). parse_unit turns it into items; the units
    of a path, parsed in order, give exactly read_path's items."""

    path: str
    records: int  # about how many records it holds, to size batches of work
    lines: tuple[str, ...] = ()
    first: int = 1
    total: int = 0
    ends_cleanly: bool = True
    encoding: str = ""
    items: tuple[Item, ...] = ()
    whole_file: bool = False


JSONL_EXTENSIONS = (".jsonl", ".ndjson")


def _file_units(path: Path, lines_per_unit: int) -> Iterator[Unit]:
    name = str(path)
    if _extension(name) not in JSONL_EXTENSIONS:
        yield Unit(name, 1, whole_file=True)
        return
    # JSONL is split here so that one big export spreads over the workers; the decoding matches read_bytes.
    data = _file_bytes(path)
    if isinstance(data, Rejection):
        yield Unit(name, 1, items=(data,))
        return
    if len(data) > MAX_FILE_BYTES:
        yield Unit(name, 1, items=(_too_large(name, len(data)),))
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        yield Unit(name, 1, items=(Rejection(name, "", e.reason, e.detail),))
        return
    lines = text.split("\n")
    ends_cleanly = text.endswith("\n")
    for start in range(0, len(lines), lines_per_unit):
        part = tuple(lines[start : start + lines_per_unit])
        yield Unit(name, len(part), part, start + 1, len(lines), ends_cleanly, encoding)


def read_units(path: Path, lines_per_unit: int = 100) -> Iterator[Unit]:
    """read_path's work, as units (see Unit)."""
    path = Path(path)
    if path.is_dir():
        for file in _visible_files(path):
            yield from _file_units(file, lines_per_unit)
    elif path.is_file():
        yield from _file_units(path, lines_per_unit)
    else:
        yield Unit(str(path), 1, items=(Rejection(str(path), "", "not_found", "no such file or folder"),))


def parse_unit(unit: Unit) -> Iterator[Item]:
    if unit.whole_file:
        return _read_file(Path(unit.path))
    if unit.lines:
        return _jsonl_lines(unit.path, list(unit.lines), unit.first, unit.total, unit.ends_cleanly, unit.encoding)
    return iter(unit.items)


def key_fields(unit: Unit) -> Iterator[KeyFields | None] | None:
    """For a unit of JSONL lines, what parse_unit would give, item by item, cut to the KeyFields of each
    article (None for a rejection): no sentence splitting, line rules, date finding or extra fields. The
    ingest's read-ahead reads a batch a second time only for the articles' hashes. None for other units
    (whole files, known items: few records), which it parses in full."""
    if not unit.lines:
        return None
    return _key_fields(unit.path, unit.lines)


def _key_fields(name: str, lines: tuple[str, ...]) -> Iterator[KeyFields | None]:
    # The same walk as _jsonl_lines: a blank line is no item, a line that is no JSON object is a rejection.
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            yield None
            continue
        if not isinstance(obj, dict):
            yield None
            continue
        fields = _record_fields(name, "", obj)
        if isinstance(fields, Rejection):
            yield None
            continue
        _, _, body, title, url, source = fields
        yield KeyFields(title, body, url or None, source or None)


def read_path(path: Path) -> Iterator[Item]:
    """Articles from a file, or from every visible file under a folder in sorted order."""
    for unit in read_units(path):
        yield from parse_unit(unit)
