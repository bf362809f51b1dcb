"""One filter model for every page, serialisable to and from URL query parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

# Query parameter names; lists repeat the key (?topic=prisons&topic=coups).
_SCALARS = {"date_from": "from", "date_to": "to", "text": "q"}
_LISTS = {"topics": "topic", "entities": "entity", "sources": "source"}
_FLAGS = {"include_duplicates": "dupes", "include_undated": "undated"}
MAX_TEXT = 200
MAX_VALUES = 50


@dataclass(frozen=True)
class Filters:
    """What an analyst narrowed the corpus to.

    Topics combine with OR (any selected theme); entities with AND (articles naming all of them, which
    is how co-occurrence questions are asked); sources with OR. `include_duplicates=False` keeps one
    article per story, so counts are of independent stories.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""
    include_duplicates: bool = True
    include_undated: bool = True

    def with_(self, **changes: object) -> Filters:
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
        for attr, key in _FLAGS.items():
            values[attr] = _first(params.get(key)) not in ("0", "false", "no")
        if values["date_from"] and values["date_to"] and values["date_from"] > values["date_to"]:
            values["date_from"], values["date_to"] = values["date_to"], values["date_from"]
        return cls(**values)  # type: ignore[arg-type]


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
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


FIELD_NAMES = tuple(f.name for f in fields(Filters))
