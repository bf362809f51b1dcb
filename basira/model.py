"""Plain records passed between the parsing, analysis and storage layers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article body. `seq` is its position in the article, from 0.

    `start`/`end` are character offsets into the article's stored raw text, so a reader can highlight it.
    Boilerplate sentences are kept (nothing is lost) but analysis skips them.
    """

    seq: int
    paragraph: int
    start: int
    end: int
    text_raw: str
    text_norm: str
    is_boilerplate: bool = False
    boilerplate_reason: str | None = None


@dataclass
class ParsedArticle:
    """What a reader produced from one input record, before identity and dedupe are assigned."""

    source_path: str
    locator: str  # where inside the source: "" for a whole file, "line 12", "row 4"
    text_raw: str  # the cleaned raw body (see normalize.clean_raw); sentence offsets point into it
    title_raw: str | None = None
    byline: str | None = None
    url: str | None = None
    source_name: str | None = None  # the outlet, e.g. "aljazeera.net"
    published: dt.date | None = None
    date_source: str | None = None  # "header", "field", "text", "url"
    undated_reason: str | None = None  # set whenever published is None
    sentences: list[Sentence] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    """An input that could not become an article, with the reason an analyst can act on."""

    source_path: str
    locator: str
    reason: str  # a short code: "empty", "binary", "undecodable", "missing_text", "truncated", "too_large", ...
    detail: str
    excerpt: str = ""


@dataclass(frozen=True)
class TopicEvidence:
    """One matched term of a topic. Offsets are into the sentence's text_norm (map with normalize.raw_span)."""

    topic: str  # taxonomy id, e.g. "prisons"
    seq: int
    term: str  # the taxonomy term (normalised) that matched
    start: int
    end: int


@dataclass(frozen=True)
class TopicTag:
    topic: str
    score: float
    evidence: tuple[TopicEvidence, ...]


@dataclass(frozen=True)
class EntityMention:
    """A mention resolved to an entity key. The key is the canonical id ("per:anas_khattab") from the
    gazetteer, or one minted from the normalised name for rule-found entities."""

    entity_key: str
    entity_type: str  # "PER" | "ORG" | "LOC"
    canonical: str  # canonical Arabic name
    latin: str  # Latin transliteration of the canonical name
    surface: str  # the text as it appears (normalised)
    seq: int
    start: int
    end: int
    method: str  # "gazetteer" | "rule:title" | "rule:speech" | "alias" | ...


@dataclass(frozen=True)
class Quotation:
    speaker_key: str | None  # entity_key of the speaker when resolved
    speaker_surface: str
    quote: str  # the quoted text, raw
    seq: int


@dataclass(frozen=True)
class Quantity:
    """A count with its object: "between 500 and 600 officers" -> low=500, high=600, unit="officer"."""

    low: int
    high: int
    unit: str  # normalised head noun, e.g. "ضابط"; English gloss in `kind`'s vocabulary
    kind: str  # "killed" | "arrested" | "released" | "detained" | "other"
    surface: str
    seq: int


@dataclass(frozen=True)
class ArticleAnalysis:
    topics: tuple[TopicTag, ...] = ()
    mentions: tuple[EntityMention, ...] = ()
    quotations: tuple[Quotation, ...] = ()
    quantities: tuple[Quantity, ...] = ()
