"""Find calendar dates in Arabic and English news text, fields and URLs.

Patterns run on the raw text: every Arabic letter in a month name is a class of its spelling variants
(hamza/alef forms, teh marbuta, alef maqsura, Persian forms) with optional diacritics or tatweel between
letters, so a match's offsets are raw offsets and the surface can be quoted as written. `\\d` also
matches Arabic-Indic digits and `int()` reads them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

from basira.normalize import normalize_text

_DATA = Path(__file__).parent / "data" / "months.json"
_MIN_YEAR = 1990
_MAX_AHEAD = dt.timedelta(days=365)

# Raw characters that normalize_text folds to the key, so a pattern built from a normalised name matches every spelling.
_VARIANTS = {
    "\u0627": "\u0627\u0622\u0623\u0625\u0671\u0672\u0673",
    "\u064a": "\u064a\u0649\u0626\u06cc",
    "\u0647": "\u0647\u0629\u06c1\u06d5",
    "\u0648": "\u0648\u0624",
    "\u0643": "\u0643\u06a9",
}
_GAP = "[\u0640\u064b-\u065f\u0670]*"


def _load_names() -> tuple[dict[str, int], list[str]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    months = {normalize_text(name): int(number) for number, names in data["months"].items() for name in names}
    weekdays = [normalize_text(name) for name in data["weekdays"]]
    return months, weekdays


def _name_pattern(norm: str) -> str:
    parts = []
    for c in norm:
        if c == " ":
            parts.append(r"\s+")
        elif "\u0600" <= c <= "\u06ff":
            parts.append("[" + _VARIANTS.get(c, c) + "]" + _GAP)
        else:
            parts.append(re.escape(c))
    return "".join(parts)


def _alternation(names: list[str]) -> str:
    # Longest first so "tishrin al-awwal" is not cut to a shorter name, then a word end.
    ordered = sorted(set(names), key=len, reverse=True)
    return "(?:" + "|".join(_name_pattern(n) for n in ordered) + r")(?![^\W\d_])"


_MONTHS, _WEEKDAYS = _load_names()
_MONTH = _alternation(list(_MONTHS))
_WEEKDAY = _alternation(_WEEKDAYS)
_YEAR = r"(\d{4})(?!\d)"

# Both patterns start with a character class (a digit, a Latin letter) so the engine skips plain Arabic text
# fast; a leading alternation of every month name costs ~1 ms per article.
_DIGIT_FIRST = re.compile(
    r"(\d{1,4})(?:"
    # numeric: 2025-09-11, 2025/09/11, 11/09/2025, 11-9-2025 (one separator throughout)
    r"\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{1,4})(?!\d)"
    # day and month name: "11 Aylul 2025", "15 Kanun al-Thani/Yanayir 2025", "3 min shahr Ayyar min am 2024",
    # "11 Sept. 2025"
    r"|(?:st|nd|rd|th)?\s*(?:(?:\u0645\u0646|of)\s+)?(?:\u0634\u0647\u0631\s+)?"
    rf"({_MONTH})(?:\s*[/(\-]\s*{_MONTH}\s*\)?)?\.?\s*[,\u060c]?\s*"
    r"(?:(?:\u0645\u0646\s+)?(?:\u0639\u0627\u0645|\u0633\u0646[\u0647\u0629])\s+)?" + _YEAR + ")",
    re.IGNORECASE,
)
# English month first: September 11, 2025. Any Latin word matches here and is checked against the month list.
_MONTH_FIRST = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*" + _YEAR)
_WEEKDAY_BEFORE = re.compile(rf"(?<![^\W\d_])(?:{_WEEKDAY})\s*[,\u060c]?\s*$", re.IGNORECASE)
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:([/_-])(\d{1,2})\2(\d{1,2})|(?<=[/_=-]\d{4})(\d{2})(\d{2}))(?!\d)"
)
_COMPACT = re.compile(r"\s*((?:19|20)\d{2})(\d{2})(\d{2})\s*")
_COMBINED_SPLIT = re.compile(r"\s*[/(\-]\s*")


def plausible(day: dt.date) -> bool:
    """News dates: not before 1990 and not more than a year ahead of today."""
    return day.year >= _MIN_YEAR and day <= dt.date.today() + _MAX_AHEAD


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if plausible(value) else None


def month_number(name: str) -> int | None:
    """Month number of one month name in any listed spelling ("\u0623\u064a\u0627\u0631", "Sept");
    for a combined form such as "\u0623\u064a\u0627\u0631/\u0645\u0627\u064a\u0648" the first part counts."""
    norm = normalize_text(name)
    first = _COMBINED_SPLIT.split(norm, maxsplit=1)[0].strip(" )")
    return _MONTHS.get(first)


def _from_digit_first(m: re.Match[str]) -> dt.date | None:
    first = m.group(1)
    if m.group(5) is not None:
        month = month_number(m.group(5))
        return make_date(int(m.group(6)), month, int(first)) if month and len(first) <= 2 else None
    last = m.group(4)
    if len(first) == 4 and len(last) <= 2:
        return make_date(int(first), int(m.group(3)), int(last))
    if len(first) <= 2 and len(last) == 4:
        return make_date(int(last), int(m.group(3)), int(first))
    return None


def _from_month_first(m: re.Match[str]) -> dt.date | None:
    month = month_number(m.group(1)) if m.group(1).isascii() else None
    return make_date(int(m.group(3)), month, int(m.group(2))) if month else None


def _first_valid(
    text: str, pattern: re.Pattern[str], convert: Callable[[re.Match[str]], dt.date | None]
) -> tuple[int, int, dt.date] | None:
    for m in pattern.finditer(text):
        start = m.start()
        # A match inside a longer number or word ("12025-...", "NotSep 11") is not a date.
        if start and text[start - 1].isalnum():
            continue
        value = convert(m)
        if value is not None:
            return start, m.end(), value
    return None


def find_date_in_text(text: str) -> tuple[dt.date, str] | None:
    """The first plausible full date (day, month and year) in `text`, with its surface as written.

    A preceding weekday (al-khamis, "Thursday,") is part of the surface. Month-only mentions
    ("in the month of Ayyar/May last year") are not dates: nothing here invents a day or a year.
    """
    found = [f for f in (_first_valid(text, _DIGIT_FIRST, _from_digit_first),
                         _first_valid(text, _MONTH_FIRST, _from_month_first)) if f is not None]
    if not found:
        return None
    start, end, value = min(found, key=lambda f: f[0])
    weekday = _WEEKDAY_BEFORE.search(text, max(0, start - 24), start)
    if weekday is not None:
        start = weekday.start()
    return value, text[start:end]


def parse_date(text: str | None) -> dt.date | None:
    """A date field or header value: ISO with or without time, day-first numeric, Arabic or English month names."""
    if not text:
        return None
    compact = _COMPACT.fullmatch(text)
    if compact is not None:
        return make_date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    found = find_date_in_text(text)
    return found[0] if found else None


def date_from_url(url: str | None) -> dt.date | None:
    """A date in a URL: /2016/05/12/, 2016-05-12, 2016_05_12, or /20160512 as a whole path or query token."""
    if not url:
        return None
    for m in _URL_DATE.finditer(url):
        month, day = (m.group(3), m.group(4)) if m.group(2) else (m.group(5), m.group(6))
        value = make_date(int(m.group(1)), int(month), int(day))
        if value is not None:
            return value
    return None
