"""HTML for reading Arabic articles right to left, with the evidence behind every tag highlighted.

Everything that came from data (titles, text, bylines, entity names, terms) goes through `html.escape`
here, and only strings built here reach `st.html`: a scraped article containing `<script>` shows as text.

Analysis stores offsets on each sentence's *normalised* text; `normalize.normalize_with_offsets` maps them
back to the raw text the analyst reads. A stored offset that does not line up with the text (an analyser
bug, a sentence split that changed) is dropped rather than highlighting the wrong words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import pandas as pd

from basira.model import Sentence
from basira.normalize import (
    clean_raw, normalize_text, normalize_with_offsets, strip_control, strip_invisible, word_bounds,
)

FONT_URL = "app/static/fonts/NotoNaskhArabic-Regular.ttf"
FONT_BOLD_URL = "app/static/fonts/NotoNaskhArabic-Bold.ttf"
FONT_FAMILY = "Basira Naskh"
KINDS = ("topic", "entity", "quote", "count", "match")
KIND_NAMES = {"topic": "topic evidence", "entity": "entity", "quote": "quotation", "count": "count", "match": "search match"}

# A run of Latin words (with the digits and URL punctuation inside them) is isolated in <bdi>, so its
# neutral characters do not get reordered by the surrounding right-to-left text; a run ends on a letter
# or digit so sentence punctuation after it stays in the Arabic flow.
_LATIN_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9.,:/@&_'\-%#?=+~]*[A-Za-z0-9/])?"
_LATIN_RUN = re.compile(rf"(?=[A-Za-z0-9]*[A-Za-z]){_LATIN_WORD}(?:[ \u00a0]+{_LATIN_WORD})*")

# Characters Markdown (and Streamlit's :emoji:/:color[]: directives) give a meaning to; escaped with a backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=])")

# The reader's text keeps at least READER_MIN beside its side panel (READER_SIDE_PX wide), else the panel wraps under
# it. Streamlit gives a keyed container the class st-key-<key>, inside a wrapper that is the row's flex item.
READER_KEY = "reader_text"
READER_MIN = "28rem"
READER_SIDE_PX = 240

# Text fields take the direction of what is typed (an input is left to right otherwise): Arabic search words start at
# the right edge and "سجن صيدنايا 2017" reads in order, Latin stays left to right.
# While a field shows its instructions ("Press Enter to apply · 6/100", bottom right), the text sits above them: Arabic
# starts at the right edge, where they were drawn over it ("الشعار" under "6/100" in Find a name).
STYLE = f"""<style>
@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{FONT_URL}") format("truetype"); font-weight: 400; font-display: swap; }}
@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{FONT_BOLD_URL}") format("truetype"); font-weight: 700; font-display: swap; }}
.basira-rtl {{ font-family: "{FONT_FAMILY}", "Source Sans", "Source Sans Pro", sans-serif; direction: rtl; text-align: right; }}
.basira-article {{ font-size: 1.15rem; line-height: 2.0; max-width: 52rem; margin-inline-start: auto; }}
.basira-article h2 {{ font-family: inherit; font-weight: 700; font-size: 1.6rem; line-height: 1.6; margin: 0 0 .3rem; }}
.basira-rtl .meta {{ color: #6c757d; font-size: .9rem; font-family: "Source Sans", "Source Sans Pro", "{FONT_FAMILY}", sans-serif; }}
.basira-article .meta {{ margin-bottom: .8rem; }}
.basira-article .body {{ white-space: pre-wrap; unicode-bidi: plaintext; }}
.basira-rtl mark {{ padding: 0 .1em; border-radius: .2em; color: inherit; background: transparent; }}
.basira-rtl mark.m-topic {{ background: #fff0a8; }}
.basira-rtl mark.m-quote {{ background: #d3f0dc; }}
.basira-rtl mark.m-entity {{ border-bottom: 2px solid #1f5fa8; color: #133e74; }}
.basira-rtl mark.m-count {{ outline: 1px dashed #c2410c; font-weight: 700; }}
.basira-rtl mark.m-match {{ background: #ffc861; font-weight: 700; }}
.basira-rtl .boilerplate {{ color: #9aa0a6; }}
.basira-rtl .bp-label {{ font-family: sans-serif; font-size: .7rem; color: #6c757d; border: 1px solid #ced4da;
  border-radius: .3em; padding: 0 .3em; margin-inline-end: .3em; direction: ltr; unicode-bidi: isolate; }}
.basira-legend {{ font-size: .85rem; margin-bottom: .5rem; }}
.basira-legend mark {{ margin-inline-end: .6em; }}
.basira-snippet {{ font-size: 1.05rem; line-height: 1.9; padding: .3rem 0; }}
.basira-url {{ overflow-wrap: anywhere; font-size: .9rem; margin-bottom: .5rem; }}
.basira-text-read {{ font-size: .85rem; color: #4b5563; margin-top: -.5rem; }}
[data-testid="stTextInputField"] {{ unicode-bidi: plaintext; text-align: start; }}
.stTextInput:has([data-testid="InputInstructions"]) [data-testid="stTextInputRootElement"] {{ height: auto; }}
.stTextInput:has([data-testid="InputInstructions"]) [data-testid="stTextInputField"] {{ padding-bottom: 1.1rem; }}
div:has(> .st-key-{READER_KEY}) {{ flex: 1 1 {READER_MIN}; min-width: min(100%, {READER_MIN}); }}
</style>"""


@dataclass(frozen=True)
class Mark:
    """A highlighted span [start, end) on a raw text, with the tooltip saying why it is highlighted."""

    start: int
    end: int
    kind: str  # one of KINDS
    note: str
    css: str = ""  # extra class, e.g. the entity type


def date_text(value: object, missing: str = "undated") -> str:
    """A stored date as YYYY-MM-DD (DuckDB DATE arrives in pandas as a midnight Timestamp), or `missing`."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def topic_labels(keys: object, labels: Mapping[str, str]) -> object:
    """A list cell of topic keys ("prisons, armed_clashes", as stored and exported) as the labels the analyst
    chose them by in the filter ("Prisons and detention; Armed clashes": a label may hold a comma); a key without a
    label stays as it is, and an empty cell stays empty."""
    if not isinstance(keys, str) or not keys:
        return keys
    return "; ".join(labels.get(key, key) for key in keys.split(", "))


# First strong isolate ... pop directional isolate: text inside is laid out in its own direction, whatever surrounds it.
FSI, PDI = "\u2068", "\u2069"
# A link label's length, title included, so a long headline does not run over the page.
LINK_LABEL_CHARS = 120


def isolated(text: str) -> str:
    """`text` as a unit of its own direction in a line of the other: the « of «داعش» at the start of an Arabic title,
    or the ؟ and … at its end, otherwise take the English line's direction and show at the wrong end of the title."""
    return f"{FSI}{text}{PDI}"


def cut(text: str, limit: int) -> str:
    """`text` at most `limit` characters long, ended with "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def article_link_label(article_id: int, title: object = None, limit: int = LINK_LABEL_CHARS) -> str:
    """"Read article N: title" (plain text; Markdown escaping is the caller's), the title isolated and cut with "…" so
    the label's visible characters are at most `limit`."""
    label = f"Read article {int(article_id)}"
    if not isinstance(title, str) or not title.strip():
        return label
    return f"{label}: {isolated(cut(title.strip(), limit - len(label) - 2))}"


def topic_lines(topics: pd.DataFrame) -> str:
    """An article's topics (label, label_ar, score) as a Markdown list, strongest first: "Kidnapping · الخطف · 6"."""
    ranked = topics.sort_values("score", ascending=False, kind="stable")
    return "\n".join(f"- {markdown_text(t.label)} · {markdown_text(t.label_ar)} · score {markdown_text(f'{t.score:g}')}"
                     for t in ranked.itertuples(index=False))


def markdown_text(text: object) -> str:
    """Data shown where Streamlit renders Markdown (page link labels, captions) displays as literal text:
    a title like `![x](http://tracker/p.png)` must not load an image."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def escape(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# Only these are followed: a scraped "javascript:" or "data:" URL must never become something to click.
LINK_SCHEMES = ("http", "https")


def readable_url(url: str) -> str:
    """A URL as an analyst reads it: percent-escapes decoded (an Arabic slug shows as Arabic, not %D8%A7...), with
    invisible and control characters dropped (an escaped bidi override would reorder what is shown) and white space
    runs as one space. As stored when its escapes are not UTF-8 (an old Windows-1256 link): decoding would show �."""
    try:
        decoded = unquote(url, errors="strict")
    except UnicodeDecodeError:
        decoded = url
    return " ".join(strip_invisible(strip_control(decoded)).split())


def link_target(url: str) -> str | None:
    """The URL when it may be a link: http or https with a host, nothing a browser would silently drop or read
    differently (white space, control characters); else None."""
    url = url.strip()
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host
        return None
    return url if parts.scheme.lower() in LINK_SCHEMES and parts.hostname else None


# Where a URL's parts meet; an Arabic part between them is isolated so the parts stay in left-to-right order.
_URL_SEPARATORS = re.compile(r"([/?&=#])")
_RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _url_parts_isolated(url: str) -> str:
    """Escaped `url` with each part holding right-to-left letters in <bdi>: unisolated, a slug and the digits after
    it ("والعراق/43783352") ran together right to left and showed the id before the slug."""
    return "".join(f"<bdi>{escape(part)}</bdi>" if _RTL_CHAR.search(part) else escape(part)
                   for part in _URL_SEPARATORS.split(url))


def source_url_html(url: object) -> str:
    """The article's source URL for the reader: readable (readable_url), left to right inside the right-to-left
    page, and a link opening a new tab only when link_target allows it (anything else is escaped text). Empty
    without a URL."""
    if not isinstance(url, str) or not url.strip():
        return ""
    shown = _url_parts_isolated(readable_url(url.strip()))
    target = link_target(url)
    body = (f'<a href="{escape(target)}" target="_blank" rel="noopener noreferrer" dir="ltr">{shown}</a>' if target
            else f'<span dir="ltr">{shown}</span>')
    return f'<div class="basira-url" dir="ltr">URL: {body}</div>'


@lru_cache(maxsize=4096)
def _normalised(raw: str) -> tuple[str, tuple[int, ...]]:
    norm, where = normalize_with_offsets(raw)
    return norm, tuple(where)


def raw_range(raw: str, text_norm: str, start: int, end: int) -> tuple[int, int] | None:
    """Map [start, end) on a stored normalised text back to `raw`, or None when the offsets do not fit."""
    if not 0 <= start < end <= len(text_norm):
        return None
    wanted = text_norm[start:end]
    norm, where = _normalised(raw)
    if norm[start:end] != wanted:
        # The stored normalised form differs from ours (e.g. newlines folded): find the nearest occurrence.
        found = [m.start() for m in re.finditer(re.escape(wanted), norm)]
        if not found:
            return None
        start = min(found, key=lambda i: abs(i - start))
        end = start + len(wanted)
    return where[start], where[end - 1] + 1


def find_raw(raw: str, needle: str, near: int = 0) -> tuple[int, int] | None:
    """Where `needle` (raw or normalised text) occurs in `raw`: exactly, else by normalised matching."""
    needle = clean_raw(needle or "").strip()
    if not needle:
        return None
    exact = [m.start() for m in re.finditer(re.escape(needle), raw)]
    if exact:
        at = min(exact, key=lambda i: abs(i - near))
        return at, at + len(needle)
    norm, where = _normalised(raw)
    wanted = normalize_text(needle)
    found = [m.start() for m in re.finditer(re.escape(wanted), norm)] if wanted else []
    if not found:
        return None
    at = min(found, key=lambda i: abs(i - near))
    return where[at], where[at + len(wanted) - 1] + 1


def as_written(raw: str, surface: str) -> str:
    """A normalised `surface` (an entity mention, a quotation's speaker, a count) as the article writes it, from its
    first occurrence in `raw`: analysis stores surfaces normalised, and shown as they are an analyst reads
    "ابو هنيه" for أبو هنية. The surface itself when the text does not hold it."""
    span = find_raw(raw, surface) if surface else None
    return raw[span[0] : _word_end(raw, span[1])] if span else surface


def mentions_as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """A mentions table (`read.mentions_extract`) with each `surface` as its own `sentence` writes it."""
    if frame.empty:
        return frame
    return frame.assign(surface=[as_written(t, v) if isinstance(t, str) and isinstance(v, str) else v
                                 for t, v in zip(frame["sentence"], frame["surface"], strict=True)])


def with_written_surfaces(detail: Mapping[str, object]) -> dict[str, object]:
    """`article_detail` with its quotations' speakers and its counts' surfaces as the article writes them."""
    out = dict(detail)
    # The title last: a surface found only there (a count in a headline) is read from it.
    texts = (str(detail["article"]["text_raw"]), clean_raw(str(detail["article"].get("title_raw") or "")))

    def written(surface: object) -> object:
        if not isinstance(surface, str):
            return surface
        return next((as_written(t, surface) for t in texts if find_raw(t, surface)), surface)

    for key, column in (("quotations", "speaker_surface"), ("quantities", "surface")):
        frame = detail.get(key)
        if isinstance(frame, pd.DataFrame) and not frame.empty:
            out[key] = frame.assign(**{column: [written(v) for v in frame[column]]})
    return out


def _records(frame: pd.DataFrame | Sequence[Mapping] | None) -> list[Mapping]:
    if frame is None:
        return []
    if isinstance(frame, pd.DataFrame):
        return frame.to_dict("records")
    return list(frame)


def sentences_from(frame: pd.DataFrame | Sequence[Mapping]) -> list[Sentence]:
    return [
        Sentence(
            seq=int(r["seq"]), paragraph=int(r["paragraph"]), start=int(r["start_char"]), end=int(r["end_char"]),
            text_raw=str(r["text_raw"]), text_norm=str(r["text_norm"]), is_boilerplate=bool(r["is_boilerplate"]),
            boilerplate_reason=r.get("boilerplate_reason") or None,
        )
        for r in _records(frame)
    ]


# Spans [start, end) of a normalised text to mark as matching the analyst's search words.
MatchSpans = Callable[[str], Iterable[tuple[int, int]]]


def tag_range(raw: str, text_norm: str, start: int, end: int, whole: bool = False) -> tuple[int, int] | None:
    """Where a tag stored as [start, end) on a normalised sentence is in its `raw` text (raw_range); with `whole`,
    widened to the words it cuts first (topic evidence: a pattern starts at a letter, so its match may start inside
    a word, "ال|كاديميه العسكريه")."""
    span = raw_range(raw, text_norm, *(word_bounds(text_norm, start, end) if whole else (start, end)))
    return (span[0], _word_end(raw, span[1])) if span and whole else span


def _word_end(raw: str, end: int) -> int:
    """`end` moved past the marks normalising drops after a word's last letter (the tanween of معتقلاً, a shadda):
    a span mapped back from normalised text stops before them, though they are still that word as written."""
    while end < len(raw) and not raw[end].isspace() and not normalize_text(raw[end]):
        end += 1
    return end


def tag_texts(detail: Mapping[str, object]) -> dict[int, tuple[str, str]]:
    """(raw, normalised) text of each sentence of an `article_detail` by seq, the title as -1: the texts whose
    normalised form a tag's offsets are on."""
    title = clean_raw(str(detail["article"].get("title_raw") or ""))
    texts = {s.seq: (s.text_raw, s.text_norm) for s in sentences_from(detail["sentences"])}
    return {**texts, -1: (title, normalize_text(title))}


def article_marks(detail: Mapping[str, object], matches: MatchSpans | None = None) -> tuple[list[Mark], list[Mark]]:
    """(title marks, body marks) from an `article_detail` result; body offsets are on the article's text_raw.
    With `matches`, the spans it gives on the title and on each sentence are marked as search matches too."""
    article = detail["article"]
    text = str(article["text_raw"])
    title = clean_raw(str(article.get("title_raw") or ""))
    title_norm = normalize_text(title)
    by_seq = {s.seq: s for s in sentences_from(detail["sentences"])}
    title_marks: list[Mark] = []
    body: list[Mark] = []

    def place(seq: int, start: int, end: int, kind: str, note: str, css: str = "", whole: bool = False) -> None:
        if seq == -1:
            span = tag_range(title, title_norm, start, end, whole)
            if span:
                title_marks.append(Mark(*span, kind, note, css))
            return
        sentence = by_seq.get(seq)
        span = sentence and tag_range(sentence.text_raw, sentence.text_norm, start, end, whole)
        if span:
            body.append(Mark(sentence.start + span[0], sentence.start + span[1], kind, note, css))

    for e in _records(detail.get("evidence")):
        label = e.get("label") or e["topic"]
        # A topic pattern starts at a letter, so its match may start inside a word ("ال|كاديميه العسكريه"): whole words.
        place(int(e["seq"]), int(e["start_char"]), int(e["end_char"]), "topic", f"Topic: {label} (term {e['term']})",
              whole=True)
    for m in _records(detail.get("mentions")):
        name = m.get("latin") or m.get("canonical") or m["entity_key"]
        etype = str(m.get("entity_type") or "")
        place(int(m["seq"]), int(m["start_char"]), int(m["end_char"]), "entity", f"Entity: {name} · {etype}",
              f"m-{etype.lower()}" if etype else "")
    for q in _records(detail.get("quotations")):
        seq = int(q["seq"])
        note = f"Quotation: {q.get('speaker_surface') or 'unattributed'}"
        if seq == -1:
            span = find_raw(title, str(q["quote"]))
            if span:
                title_marks.append(Mark(*span, "quote", note))
            continue
        sentence = by_seq.get(seq)
        # A quotation may run over several sentences, so it is looked for in the whole text near its start.
        span = find_raw(text, str(q["quote"]), sentence.start if sentence else 0)
        if span:
            body.append(Mark(*span, "quote", note))
    for c in _records(detail.get("quantities")):
        low, high = int(c["low"]), int(c["high"])
        amount = f"{low:,}" if low == high else f"{low:,}–{high:,}"
        note = f"Count: {amount} {c['unit']} ({c['kind']})"
        seq = int(c["seq"])
        if seq == -1:
            span = find_raw(title, str(c["surface"]))
            if span:
                title_marks.append(Mark(*span, "count", note))
            continue
        sentence = by_seq.get(seq)
        span = sentence and find_raw(sentence.text_raw, str(c["surface"]))
        if span:
            body.append(Mark(sentence.start + span[0], sentence.start + span[1], "count", note))
    if matches is not None:
        for start, end in matches(title_norm):
            place(-1, start, end, "match", "Search words")
        for sentence in (s for s in by_seq.values() if s.seq >= 0):
            for start, end in matches(sentence.text_norm):
                place(sentence.seq, start, end, "match", "Search words")
    return title_marks, body


def _latin_isolated(text: str) -> str:
    """Escaped text with Latin runs wrapped in <bdi> (see _LATIN_RUN)."""
    out, pos = [], 0
    for match in _LATIN_RUN.finditer(text):
        out.append(escape(text[pos : match.start()]))
        out.append(f"<bdi>{escape(match.group())}</bdi>")
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _open_mark(marks: Iterable[Mark]) -> str:
    marks = sorted(set(marks), key=lambda m: (KINDS.index(m.kind), m.note))
    classes = []
    for m in marks:
        classes.append(f"m-{m.kind}")
        if m.css:
            classes.append(m.css)
    note = "\n".join(dict.fromkeys(m.note for m in marks))
    return f'<mark class="{escape(" ".join(dict.fromkeys(classes)))}" title="{escape(note)}">'


def highlight(text: str, marks: Sequence[Mark], base: int = 0, end: int | None = None) -> str:
    """Escaped HTML of text[base:end] with the marks (offsets on `text`) as <mark> elements.

    Overlapping marks are cut at every boundary, so each piece carries all the marks over it and no
    element is ever mis-nested.
    """
    end = len(text) if end is None else end
    inside = [m for m in marks if m.start < end and m.end > base and m.start < m.end]
    cuts = sorted({base, end, *(max(m.start, base) for m in inside), *(min(m.end, end) for m in inside)})
    out = []
    for left, right in zip(cuts, cuts[1:]):
        piece = _latin_isolated(text[left:right])
        active = [m for m in inside if m.start <= left and m.end >= right]
        out.append(f"{_open_mark(active)}{piece}</mark>" if active else piece)
    return "".join(out)


def legend(with_matches: bool = False) -> str:
    items = "".join(f'<mark class="m-{k}">{escape(KIND_NAMES[k])}</mark>' for k in KINDS if k != "match" or with_matches)
    return f'<div class="basira-legend basira-rtl" dir="rtl" lang="ar">{items}</div>'


def article_html(
    detail: Mapping[str, object], show_boilerplate: bool = True, with_style: bool = True, matches: MatchSpans | None = None
) -> str:
    """The reader: title, meta line and body, right to left, with every kind of evidence highlighted, and the search
    words where `matches` finds them (an article opened from a search, or with the text filter on).

    Boilerplate sentences (share buttons, "read also" lines...) are kept dimmed with a label, or left out
    with a count when `show_boilerplate` is False.
    """
    article = detail["article"]
    text = str(article["text_raw"])
    title = clean_raw(str(article.get("title_raw") or ""))
    title_marks, marks = article_marks(detail, matches)
    sentences = sorted(sentences_from(detail["sentences"]), key=lambda s: s.start)
    parts, pos, hidden = [], 0, 0
    for s in sentences:
        if s.start < pos:  # overlapping sentence spans: never print text twice
            continue
        gap = text[pos : s.start]
        if s.is_boilerplate and not show_boilerplate:
            # The gap before it is dropped too; the gap after it still separates its neighbours.
            hidden += 1
            pos = s.end
            continue
        parts.append(escape(gap))
        body = highlight(text, marks, s.start, s.end)
        if s.is_boilerplate:
            reason = s.boilerplate_reason or "boilerplate"
            label = f'<span class="bp-label" title="{escape(reason)}">boilerplate · {escape(reason)}</span>'
            body = f'<span class="boilerplate" data-seq="{s.seq}">{label}{body}</span>'
        parts.append(body)
        pos = s.end
    parts.append(escape(text[pos:]))
    meta = [str(v) for v in (date_text(article.get("published")), article.get("source"), article.get("byline")) if v]
    note = f'<div class="meta">{hidden} boilerplate sentence{"s" if hidden > 1 else ""} hidden</div>' if hidden else ""
    title_html = f"<h2>{highlight(title, title_marks)}</h2>" if title else ""
    return (
        (STYLE if with_style else "")
        + f'<article class="basira-article basira-rtl" dir="rtl" lang="ar" data-article-id="{escape(article.get("article_id"))}">'
        + title_html
        + f'<div class="meta">{" · ".join(_latin_isolated(m) for m in meta)}</div>'
        + legend(with_matches=matches is not None)
        + f'<div class="body">{"".join(parts).strip()}</div>'
        + note
        + "</article>"
    )


def sentence_html(text_raw: str, marks: Sequence[Mark] = (), caption: str = "", with_style: bool = False) -> str:
    """One highlighted sentence or snippet (evidence lists, search results, co-occurrences)."""
    # Captions are English-structured metadata ("date · source · terms: ..."): left to right, beside the text.
    cap = f'<div class="meta" dir="ltr">{_latin_isolated(caption)}</div>' if caption else ""
    return (
        (STYLE if with_style else "")
        + f'<div class="basira-snippet basira-rtl" dir="rtl" lang="ar">{cap}{highlight(text_raw, marks)}</div>'
    )


def norm_marks(
    text_raw: str, text_norm: str, spans: Iterable[tuple[int, int]], kind: str, note: str, whole_words: bool = False
) -> list[Mark]:
    """Marks on a raw sentence from spans on its normalised text (evidence terms, entity mentions); with
    `whole_words`, each span widened to the words it cuts (topic evidence: see article_marks)."""
    out = []
    for start, end in spans:
        start, end = word_bounds(text_norm, int(start), int(end)) if whole_words else (int(start), int(end))
        span = raw_range(text_raw, text_norm, start, end)
        if span:
            out.append(Mark(*span, kind, note))
    return out


def marked_words(text_raw: str, marks: Iterable[Mark]) -> list[str]:
    """The words `marks` cover in `text_raw`, as written, each once, in reading order: what a caption lists as the
    terms found (the stored terms are folded, "معركه" and "مواجهات عنيفه" where the sentence says معركة, عنيفة)."""
    words = (" ".join(text_raw[m.start : m.end].split()) for m in sorted(marks, key=lambda m: m.start))
    return list(dict.fromkeys(w for w in words if w))


def terms_as_written(text_raw: str, marks: Iterable[Mark]) -> str:
    """marked_words as one Arabic-comma list ("معركة، مواجهات عنيفة"), "" when nothing is marked: the terms a Topics
    caption and the evidence extract show."""
    return "\u060c ".join(marked_words(text_raw, marks))


def term_marks(text_raw: str, terms: Iterable[str], kind: str = "match", note: str = "matched") -> list[Mark]:
    """Marks on every occurrence of a normalised term inside the normalised text (so a search for
    السجون also marks it inside والسجون and under أ/إ spellings), for search results."""
    wanted = [normalize_text(t) for t in terms if t and normalize_text(t)]
    if not wanted:
        return []
    norm, where = _normalised(text_raw)
    out = []
    for term in dict.fromkeys(wanted):
        for match in re.finditer(re.escape(term), norm):
            out.append(Mark(where[match.start()], where[match.end() - 1] + 1, kind, f"{note}: {term}"))
    return out


# Names listed per Latin word on the Search page; the search itself uses up to search.NAMES_PER_WORD.
READ_AS_SHOWN = 6
# Fewer under the sidebar's Text contains: six names filled the sidebar's width for eight lines ("Assad").
TEXT_READ_AS_SHOWN = 3


def _arabic(text: str) -> str:
    """Arabic inside an English (left-to-right) sentence: its own escaped RTL island."""
    return f'<bdi dir="rtl" lang="ar">{escape(text)}</bdi>'


def _more(count: int, shown: int = READ_AS_SHOWN) -> str:
    return f" and {count - shown} more" if count > shown else ""


def match_caption(shown: int, more: bool, total: tuple[int, bool] | None, how: str) -> str:
    """The Search page's line over its results: how many articles match in all (`total`: the count and whether it is
    exact, None when only the results are known), how many are shown, and how they were ranked (`how`). The page
    showed "50 articles" whether 50 or 5,000 matched, which an analyst could not cite or compare."""
    if total is None:
        narrow = "; more articles match: add words or filters to narrow them" if more else ""
        return f"{shown} articles, best first ({how}){narrow}."
    count, exact = total
    if not exact:
        return (f"Up to {count:,} articles hold every word; the {shown} best holding the phrase are shown, best first "
                f"({how}).")
    if not count:
        return f"No article matches ({how})."
    matches = "1 article matches" if count == 1 else f"{count:,} articles match"
    if more:
        return f"{matches}; the best {shown} are shown, best first ({how}). Add words or filters to narrow them."
    return f"{matches}, best first ({how})."


# Where an article's date was read (reader.date_article's date_source), in words: the reader said "Dated from the
# field" and "from the header", the parser's names.
DATE_SOURCES = {
    "header": "the date line at the top of its file",
    "field": "the date field of its record",
    "url": "a date in its URL",
    "text": "a date in its title or opening lines",
}


def dated_from(date_source: object) -> str:
    """The reader's line saying where a dated article's date came from."""
    return f"Dated from {DATE_SOURCES.get(str(date_source), 'its input') if date_source else 'its input'}"


def no_match_note(unfiltered: bool) -> str:
    """What the Search page says when nothing matches: "clear some filters" only when some narrow the search (with
    none, the advice sent analysts looking for filters that were not there)."""
    if unfiltered:
        return "No article holds every word. Try fewer words or another spelling."
    return "Nothing matches every word within these filters. Try fewer words or clear some filters."


def names_read_html(readings: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """What the Search page read a Latin query as: per typed stretch, the Arabic names (canonical, Latin) it matched,
    or that it matched none. The sentence is English (left to right); each Arabic name is its own RTL island."""
    parts = []
    for typed, names in readings:
        if not names:
            parts.append(f"“{escape(typed)}” → no name")
            continue
        shown = [f"{_arabic(canonical)} ({escape(latin)})" for canonical, latin in names[:READ_AS_SHOWN]]
        parts.append(f"“{escape(typed)}” → {' or '.join(shown)}{_more(len(names))}")
    return '<div class="basira-read-as" dir="ltr">Latin read as names: ' + "; ".join(parts) + ".</div>" if parts else ""


def text_read_as_html(readings: Sequence[tuple[str, str, Sequence[str]]]) -> str:
    """What the sidebar's Text contains looks for in place of its Latin words: per typed stretch (typed, the Arabic
    words looked for, the names it was read as), "“Sednaya” → صيدنايا", the names when the words are only what they
    share ("“Assad” → الأسد, as in بشار الأسد or حافظ الأسد"), or that the words are looked for as typed."""
    parts = []
    for typed, arabic, names in readings:
        if not arabic:
            why = "names with no word in common" if names else "no name"
            parts.append(f"“{escape(typed)}” → {why}, looked for as typed")
            continue
        listed = " or ".join(_arabic(n) for n in names[:TEXT_READ_AS_SHOWN]) + _more(len(names), TEXT_READ_AS_SHOWN)
        shown = "" if list(names) == [arabic] else f", as in {listed}"
        parts.append(f"“{escape(typed)}” → {_arabic(arabic)}{shown}")
    return '<div class="basira-text-read" dir="ltr">Text read as: ' + "; ".join(parts) + ".</div>" if parts else ""
