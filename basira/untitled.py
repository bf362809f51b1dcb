"""What an untitled article shows in place of a title: its first real sentence, not the page chrome above it.

Scraped pages without a title field (most of the Baly fact-check corpus) open with whatever the scraper flattened
first: "headline | site name menu…", a date and clock line, a login box ("تسجيل الدخول…"), a news ticker, share
buttons. The opening is cut into segments at the separators such chrome is built from ("|", "»", spaced dashes,
"{{ template }}" slots, line breaks); segments that are chrome are skipped, leading section labels are dropped,
and the first segment that reads as a headline or sentence is shown. Chrome is recognised by the line rules of
basira.boilerplate (menus, copyright, "read more"…), by phrases in data/boilerplate.json (opening_chrome,
opening_labels, opening_date_words) and by shape: mostly Latin or digits, nothing but a date, too few words.
Paragraphs the article's site repeats on many pages (flagged 'repeated_paragraph' by ingest) are skipped first
(opening_past_repeats): a sidebar or login prompt of a site the lists do not know is recognised by its recurrence.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import deque
from collections.abc import Sequence
from pathlib import Path

from basira.boilerplate import FUNCTION_WORDS, classify_line, menu_phrases, opening_phrases
from basira.normalize import normalize_text

# What an untitled article shows in place of a title: at most this many characters, cut at a word.
OPENING_CHARS = 80
# Only the top of the text is looked at: chrome sits above the article, and a page that is chrome for this long
# has no sentence worth a title (the plain opening is shown then).
SCAN_CHARS = 700
# A segment of fewer Arabic words than this is a site name or a section label ("نون بوست", "الوطن"), unless no
# segment of the top of the page has more.
HEADLINE_MIN_WORDS = 4
SHORT_MIN_WORDS = 2
# A segment that runs on past a headline is cut at a final mark or a date only after this many words.
CUT_AFTER_WORDS = 3

_MONTHS = Path(__file__).parent / "data" / "months.json"
_PHRASES = Path(__file__).parent / "data" / "boilerplate.json"
# Bumped when the rules below change; with a hash of the data files they read it is stored beside the openings
# (meta 'openings_rules'), and a store whose openings were picked by other rules gets them again on its next
# ingest or retag.
RULES_VERSION = 2
RULES = f"{RULES_VERSION}+" + hashlib.blake2b(_MONTHS.read_bytes() + _PHRASES.read_bytes(), digest_size=4).hexdigest()

# Separators that page chrome is assembled with. A spaced dash separates "headline - site"; pre-tokenised text
# also spaces the dash of a clitic ("ل - " داعش ""), which _join_clitics puts back.
_BREAK = re.compile(
    "(?:\n|\\|+|[\u00bb\u00ab\u203a\u2039]|(?:> ?)+>|(?:< ?)+<|/ /|\\\\ \\\\|~|\\{\\s*\\{[^{}]*\\}\\s*\\}|(?<=\\s)[-\u2013\u2014](?=\\s))"
)
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_OR_DIGIT = re.compile("[A-Za-z0-9\u0660-\u0669]")
_LATIN = re.compile("[A-Za-z]")
_QUOTES = frozenset("\"'\u201c\u201d\u00ab(")
_DATE_JOINS = frozenset("/-.")
_FINAL = frozenset(".?!\u061f")
# ل ب و ك ف and ال written apart from their word ("ل - " داعش "", "ال - 72").
_CLITICS = frozenset(("\u0644", "\u0628", "\u0648", "\u0643", "\u0641", "\u0627\u0644"))


def _date_words() -> frozenset[str]:
    data = json.loads(_MONTHS.read_text(encoding="utf-8"))
    names = [n for names in data["months"].values() for n in names] + list(data["weekdays"])
    names += opening_phrases("opening_date_words")
    return frozenset(w for name in names for w in normalize_text(name).split())


_DATE_WORDS = _date_words()
# Longest first, as word tuples: a label is dropped only as whole words at the start of a segment.
_LABELS = tuple(
    sorted({tuple(p.split()) for p in (*menu_phrases(), *opening_phrases("opening_labels"))}, key=len, reverse=True)
)
_CHROME = tuple(opening_phrases("opening_chrome"))
# Chrome phrases by their first word: _chrome_at runs at every token of a headline.
_CHROME_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _phrase in _CHROME:
    _CHROME_BY_FIRST.setdefault(_phrase.split()[0], ())
    _CHROME_BY_FIRST[_phrase.split()[0]] += (tuple(_phrase.split()),)
_DATE_LEADS = FUNCTION_WORDS | frozenset(opening_phrases("opening_date_leads"))


@functools.lru_cache(maxsize=65536)
def _norm(token: str) -> str:
    """normalize_text of one token; the same words and chrome recur from page to page."""
    return normalize_text(token)


def _is_arabic_word(token: str) -> bool:
    """Two Arabic letters and no Latin ones ("regionMenuالأحداث" is two menu items glued)."""
    return len(_ARABIC_LETTER.findall(token)) >= 2 and not _LATIN.search(token)


def _join_clitics(segments: list[str]) -> list[str]:
    """Put back a dash the tokeniser spaced after a one-letter clitic: "ويفتح ل" + "" داعش "" is one segment."""
    joined: list[str] = []
    for segment in segments:
        if joined and joined[-1].split()[-1:] and joined[-1].split()[-1] in _CLITICS:
            joined[-1] = f"{joined[-1]} - {segment}"
        else:
            joined.append(segment)
    return joined


def _drop_labels(tokens: list[str], norms: list[str]) -> int:
    """How many leading tokens are section labels, menu words, date words or stray Latin and digits ("Search CNN
    Arabic Navigation عناوين الأخبار وزير …")."""
    at = 0
    while at < len(tokens):
        # A lone Arabic letter stays: "ل م تهتم" is "لم تهتم" spaced out, and dropping it reverses the sense.
        if not (_ARABIC_LETTER.search(tokens[at]) or tokens[at] in _QUOTES) or norms[at] in _DATE_WORDS:
            at += 1
            continue
        for label in _LABELS:
            if tuple(norms[at : at + len(label)]) == label:
                at += len(label)
                break
        else:
            return at
    return at


def _is_chrome(raw: str, norm: str, tokens: list[str], norms: list[str]) -> bool:
    arabic = [n for t, n in zip(tokens, norms, strict=True) if _is_arabic_word(t)]
    if len(arabic) < SHORT_MIN_WORDS:
        return True
    # Mostly Latin or digits: a clock, an issue number, an English site name or menu.
    if sum(1 for t in tokens if _LATIN_OR_DIGIT.search(t)) > len(arabic):
        return True
    # Nothing but a date: "السبت 2 سبتمبر 2017 آخر تحديث GMT", "الساعة 14 : 59 ( مكة المكرمة )".
    if sum(1 for n in arabic if n not in _DATE_WORDS) < SHORT_MIN_WORDS:
        return True
    if any(phrase in norm for phrase in _CHROME):
        return True
    return classify_line(raw, norm) is not None


def _is_number(token: str) -> bool:
    return any(c.isdigit() for c in token) and not _ARABIC_LETTER.search(token)


def _dates_at(norms: list[str], tokens: list[str], i: int) -> bool:
    """Whether a date or issue line starts at token i: a date word next to a number ("الجمعة 17", "العدد 6023",
    "17 نوفمبر"), not led by a word that makes it part of a sentence ("في 22 يوليو", "يوم الجمعة 17")."""
    after = tokens[i + 1 : i + 3]
    if norms[i] in _DATE_WORDS:
        dated = bool(after) and _is_number(after[0])
    else:
        # "17 نوفمبر", or a day/month/year written with separators ("23 / 3 / 2014", "2017 - 10 - 27").
        dated = _is_number(tokens[i]) and bool(after) and (
            norms[i + 1] in _DATE_WORDS or len(after) == 2 and after[0] in _DATE_JOINS and _is_number(after[1]))
    return dated and i > 0 and norms[i - 1] not in _DATE_LEADS


def _latin_run_at(tokens: list[str], i: int) -> bool:
    """Two Latin words in a row after an Arabic headline: an English site name or menu ("… دير الزور Search for")."""
    return all(i + k < len(tokens) and tokens[i + k].isascii() and tokens[i + k].isalpha() for k in (0, 1))


def _chrome_at(norms: list[str], i: int) -> bool:
    """Whether a chrome phrase starts at token i: "… حويجة قاطع تاريخ النشر : حجم الخط" ends the headline there."""
    return any(tuple(norms[i : i + len(p)]) == p for p in _CHROME_BY_FIRST.get(norms[i], ()))


def _cut(tokens: list[str], norms: list[str]) -> list[str]:
    """A segment up to its first final mark, or up to a date line, English words or a chrome phrase after the
    headline ("… عفرين العدد 6023 …")."""
    words = 0
    for i, token in enumerate(tokens):
        if words >= CUT_AFTER_WORDS:
            if _dates_at(norms, tokens, i) or _latin_run_at(tokens, i) or _chrome_at(norms, i):
                return tokens[:i]
            if tokens[i : i + 3] == tokens[:3] and len(tokens[:3]) == 3:
                return tokens[:i]  # the headline again, as the page's <h1> repeats its <title>
            ellipsis = token == "." and tokens[i + 1 : i + 2] == ["."] or i > 0 and tokens[i - 1] == token == "."
            if token[-1:] in _FINAL and not _is_number(token) and not ellipsis:
                return tokens[: i + 1]
        if _is_arabic_word(token):
            words += 1
    return tokens


def _fit(text: str, limit: int = OPENING_CHARS) -> str:
    """At most `limit` characters, cut after a whole word when the text is longer."""
    text = " ".join(text.split()).rstrip(" ,:;/-\u060c")
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,:;/-\u060c")


def opening(text: str) -> str:
    """The first real sentence of an article's text, at most OPENING_CHARS characters: segments that are chrome and
    leading labels skipped; the plain opening when the top of the text holds nothing else."""
    found = _first_real(text)
    return found if found is not None else _fit(text[:SCAN_CHARS])


def opening_past_repeats(text: str, repeated: Sequence[tuple[int, int]]) -> str:
    """opening() of the text without the character spans `repeated` (the sentences of paragraphs its site repeats on
    many pages: a sidebar, a ticker, a login prompt that the line rules and phrase lists do not know). When nothing
    but those paragraphs and chrome is left, the opening of the whole text: a page that is all repeated chrome shows
    what it would have shown before, not an empty title."""
    if not repeated:
        return opening(text)
    found = _first_real(_without_spans(text, repeated))
    return found if found is not None else opening(text)


def _without_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with each (start, end) span replaced by a line break, so that what was before and after it are
    separate segments (a span cut into a sentence does not glue its two ends together)."""
    kept, at = [], 0
    for start, end in sorted(spans):
        if start > at:
            kept.append(text[at:start])
        at = max(at, end)
    kept.append(text[at:])
    return "\n".join(kept)


def _first_real(text: str) -> str | None:
    """The first headline or sentence of the top of the text, fitted; else its first short segment that is not
    chrome (a site name or label); None when the top holds only chrome."""
    head = text[:SCAN_CHARS]
    queue = deque(_join_clitics([s for s in _BREAK.split(head) if s.strip()]))
    short = None
    while queue:
        tokens = queue.popleft().split()
        norms = [_norm(t) for t in tokens]
        at = _drop_labels(tokens, norms)
        tokens, norms = tokens[at:], norms[at:]
        kept = _cut(tokens, norms)
        if len(kept) < len(tokens):
            # What follows a cut is looked at on its own: "لقد اختارت DW . COM … بك . <the page's next line>".
            queue.appendleft(" ".join(tokens[len(kept) :]))
        raw = " ".join(kept)
        if not kept or _is_chrome(raw, " ".join(n for n in norms[: len(kept)] if n), kept, norms[: len(kept)]):
            continue
        # A short segment is a headline when it ends a sentence ("من هم الأكراد ?"); else a site name or label.
        if sum(1 for t in kept if _is_arabic_word(t)) >= HEADLINE_MIN_WORDS or kept[-1][-1:] in _FINAL:
            return _fit(raw)
        if short is None:
            short = raw
    return _fit(short) if short is not None else None
