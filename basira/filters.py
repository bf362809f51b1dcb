"""One filter model for every page, serialisable to and from URL query parameters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

from basira.reader import SUPPORTED_EXTENSIONS

# Query parameter names; lists repeat the key (?topic=prisons&topic=coups).
_SCALARS = {"date_from": "from", "date_to": "to", "text": "q"}
_LISTS = {"topics": "topic", "entities": "entity", "sources": "source"}
_FLAGS = {"include_duplicates": "dupes"}
# "undated" is written only when the analyst's choice differs from the default (see Filters): 1 keeps undated
# articles inside a date range, 0 drops them from a view without one. Links from before this default existed
# carried undated=0 or nothing; a date range in one of those now leaves undated articles out, and the page says so.
_UNDATED = "undated"
_YES = ("1", "true", "yes")
_NO = ("0", "false", "no")
MAX_TEXT = 200
MAX_VALUES = 50
# The date widgets' range: no stored date is earlier (dates.plausible), and a link's date outside it would make the
# widget raise, so from_query_params clamps to it.
EARLIEST = dt.date(1990, 1, 1)
# A source as links before round 22 carried it for a file that named no outlet: the stored path, absolute outside the
# project ("/srv/feeds/x.jsonl", "C:\\feeds\\x.jsonl") or relative inside it ("seeds/x.txt"). Sources are now keyed
# on the file's name. An outlet's name is free text and may hold a slash, a dot or an address ("BBC/Arabic",
# "المرصد السوري/syriahr.com", "الجزيرة/الجزيرة.نت", "https://www.enabbaladi.net"): only an absolute path, or a
# relative one ending in a file the ingest reads, is taken for a path, and nothing with "://".
_PATH_SOURCE = re.compile(
    r"^(?!.*://)(?:(?:[/\\]|[A-Za-z]:[/\\]).*|.*[/\\][^/\\]*(?:"
    + "|".join(re.escape(e) for e in SUPPORTED_EXTENSIONS)
    + r"))$",
    re.IGNORECASE,
)
_LAST_PART = re.compile(r"[^/\\]*$")
LATEST = dt.date(2100, 1, 1)


@dataclass(frozen=True)
class Filters:
    """What an analyst narrowed the corpus to.

    Topics combine with OR (any selected theme); entities with AND (articles naming all of them, which
    is how co-occurrence questions are asked); sources with OR. `include_duplicates=False` keeps one
    article per story, so counts are of independent stories.

    `include_undated` is the analyst's choice about articles with no date, None when they made none: then a date
    range leaves undated articles out (one cannot be placed inside a range, and kept in one they swamped it: in
    the real store's 2017 H1 with two topics, 264 of 319 articles were undated) and a view with no range keeps
    them. `undated_included` is what the view does. A choice equal to that default is stored as None, so two
    filters that select the same articles compare equal and the URL stays short.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""
    include_duplicates: bool = True
    include_undated: bool | None = None
    # How the text's Latin words were read as stored names: (the words as typed, the Arabic words the filter looks
    # for instead), from search.read_text (the sidebar sets it). Derived from the text and the store, so it is no URL
    # parameter and two filters that differ only in it are equal; a change of text drops it (with_).
    text_read_as: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.include_undated is not None and self.include_undated == self._undated_by_default():
            object.__setattr__(self, "include_undated", None)

    def _undated_by_default(self) -> bool:
        return self.date_from is None and self.date_to is None

    @property
    def undated_included(self) -> bool:
        return self._undated_by_default() if self.include_undated is None else self.include_undated

    @property
    def undated_left_out_by_range(self) -> bool:
        """A date range, not the analyst, leaves undated articles out: the pages say so and offer them back."""
        return self.include_undated is None and not self._undated_by_default()

    def with_(self, **changes: object) -> Filters:
        if changes.get("text", self.text) != self.text and "text_read_as" not in changes:
            changes["text_read_as"] = ()  # read from the old text: it would put the old names in the new filter
        return replace(self, **changes)

    def is_default(self) -> bool:
        return self == Filters()

    def to_query_params(self) -> dict[str, str | list[str]]:
        """Only non-default values, so a shared link stays short."""
        params: dict[str, str | list[str]] = {}
        for attr, key in _SCALARS.items():
            value = getattr(self, attr)
            if value:
                params[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
        for attr, key in _LISTS.items():
            if getattr(self, attr):
                params[key] = list(getattr(self, attr))
        for attr, key in _FLAGS.items():
            if not getattr(self, attr):
                params[key] = "0"
        if self.include_undated is not None:
            params[_UNDATED] = "1" if self.include_undated else "0"
        return params

    @classmethod
    def from_query_params(cls, params: Mapping[str, str | Sequence[str]]) -> Filters:
        """Tolerant: a malformed value is ignored rather than breaking a shared link."""
        values: dict[str, object] = {}
        for attr in ("date_from", "date_to"):
            values[attr] = _parse_date(_first(params.get(_SCALARS[attr])))
        values["text"] = (_first(params.get("q")) or "").strip()[:MAX_TEXT]
        for attr, key in _LISTS.items():
            values[attr] = tuple(dict.fromkeys(v for v in _all(params.get(key)) if v))[:MAX_VALUES]
        values["sources"] = tuple(dict.fromkeys(filter(None, map(source_key, values["sources"]))))
        for attr, key in _FLAGS.items():
            values[attr] = _first(params.get(key)) not in _NO
        undated = _first(params.get(_UNDATED))
        values["include_undated"] = True if undated in _YES else False if undated in _NO else None
        if values["date_from"] and values["date_to"] and values["date_from"] > values["date_to"]:
            values["date_from"], values["date_to"] = values["date_to"], values["date_from"]
        return cls(**values)  # type: ignore[arg-type]


def source_key(value: str) -> str:
    """A link's source as the filter keys it: an old link's stored path becomes its file's name (the same articles,
    as queries.shown_source names them), anything else is kept as it is."""
    return _LAST_PART.search(value).group() if _PATH_SOURCE.search(value) else value


def _first(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[0] if value else None


def _all(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _parse_date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return min(max(day, EARLIEST), LATEST) if day else None


# What the analyst chose (text_read_as is derived from it).
FIELD_NAMES = tuple(f.name for f in fields(Filters) if f.compare)


def undated_choice(shown: bool, before: Filters) -> bool | None:
    """The analyst's undated choice after a sidebar run: the checkbox `shown` differs from what the view `before`
    did only when they ticked it (a rerun changes one widget), so that is a choice; otherwise the earlier choice,
    or none, stands, and a new date range applies its default."""
    return shown if shown != before.undated_included else before.include_undated
