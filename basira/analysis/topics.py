"""Topic tagging from the analyst-editable taxonomy (basira/data/taxonomy.toml)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from basira.analysis.morphology import Hit, Lexicon, Line
from basira.model import TopicEvidence, TopicTag

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.toml"
STRONG, WEAK = 1.0, 0.5
TITLE_FACTOR = 2.0


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    label_ar: str
    description: str
    weight: float
    min_score: float


@dataclass(frozen=True)
class TermRef:
    topic: str
    strength: float


@dataclass(frozen=True)
class Taxonomy:
    version: str
    topics: dict[str, Topic]
    terms: Lexicon
    excludes: Lexicon
    pattern: re.Pattern[str] | None  # one alternation, a named group per topic with patterns
    pattern_groups: dict[str, str]  # group name -> topic id


def _file_version(data: bytes, declared: str) -> str:
    return f"topics-{declared}+{hashlib.sha256(data).hexdigest()[:8]}"


def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    data = path.read_bytes()
    doc = tomllib.loads(data.decode("utf-8"))
    topics: dict[str, Topic] = {}
    terms, excludes = Lexicon(), Lexicon()
    group_patterns: list[str] = []
    groups: dict[str, str] = {}
    for raw in doc.get("topic", []):
        topic = Topic(
            id=raw["id"],
            label=raw.get("label", raw["id"]),
            label_ar=raw.get("label_ar", ""),
            description=raw.get("description", ""),
            weight=float(raw.get("weight", 1.0)),
            min_score=float(raw.get("min_score", 1.0)),
        )
        topics[topic.id] = topic
        for term in raw.get("terms", []):
            terms.add_term(term, TermRef(topic.id, STRONG))
        for term in raw.get("weak_terms", []):
            terms.add_term(term, TermRef(topic.id, WEAK))
        for term in raw.get("exact", []):
            terms.add_term(term, TermRef(topic.id, STRONG), inflect=False)
        for term in raw.get("exclude", []):
            excludes.add_term(term, topic.id)
        if raw.get("patterns"):
            name = f"t{len(groups)}"
            groups[name] = topic.id
            group_patterns.append(f"(?P<{name}>" + "|".join(f"(?:{p})" for p in raw["patterns"]) + ")")
    pattern = re.compile("|".join(group_patterns)) if group_patterns else None
    return Taxonomy(_file_version(data, str(doc.get("version", "0"))), topics, terms, excludes, pattern, groups)


def _excluded_spans(taxonomy: Taxonomy, line: Line) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for hit in taxonomy.excludes.find(line):
        spans.setdefault(hit.entry.payload, []).append((hit.start, hit.end))  # type: ignore[arg-type]
    return spans


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _drop_nested(hits: list[tuple[str, float, Hit]]) -> list[tuple[str, float, Hit]]:
    """Within one topic keep the longest of overlapping hits ("مخطط انقلاب" over "انقلاب")."""
    kept: list[tuple[str, float, Hit]] = []
    for item in sorted(hits, key=lambda x: (x[0], x[2].start, -(x[2].end - x[2].start))):
        topic, _, hit = item
        if kept and kept[-1][0] == topic and hit.start < kept[-1][2].end:
            if item[1] > kept[-1][1] and hit.end <= kept[-1][2].end:
                kept[-1] = (topic, item[1], kept[-1][2])
            continue
        kept.append(item)
    return kept


def line_topic_hits(taxonomy: Taxonomy, line: Line) -> list[tuple[str, float, Hit]]:
    """(topic, strength, hit) for one sentence, exclusions applied."""
    hits = [(h.entry.payload.topic, h.entry.payload.strength, h) for h in taxonomy.terms.find(line)]  # type: ignore[attr-defined]
    if not hits:
        return []
    if taxonomy.excludes.first:
        excluded = _excluded_spans(taxonomy, line)
        if excluded:
            hits = [x for x in hits if not _overlaps(x[2].start, x[2].end, excluded.get(x[0], []))]
    return _drop_nested(hits)


def _pattern_hits(taxonomy: Taxonomy, line: Line) -> list[tuple[str, float, Hit]]:
    out = []
    for m in taxonomy.pattern.finditer(line.norm):  # type: ignore[union-attr]
        topic = taxonomy.pattern_groups[m.lastgroup or ""]
        out.append((topic, STRONG, Hit(None, m.start(), m.end(), m.group())))  # type: ignore[arg-type]
    return out


def tag_topics(taxonomy: Taxonomy, lines: list[Line]) -> tuple[TopicTag, ...]:
    evidence: dict[str, list[TopicEvidence]] = {}
    sentence_strength: dict[str, dict[int, float]] = {}
    for line in lines:
        hits = line_topic_hits(taxonomy, line)
        if taxonomy.pattern is not None:
            hits += _pattern_hits(taxonomy, line)
        for topic, strength, hit in hits:
            term = hit.entry.term if hit.entry is not None else hit.surface
            evidence.setdefault(topic, []).append(TopicEvidence(topic, line.seq, term, hit.start, hit.end))
            per_sentence = sentence_strength.setdefault(topic, {})
            per_sentence[line.seq] = max(per_sentence.get(line.seq, 0.0), strength)
    tags = []
    for topic_id, per_sentence in sentence_strength.items():
        topic = taxonomy.topics[topic_id]
        score = topic.weight * sum(v * (TITLE_FACTOR if seq == -1 else 1.0) for seq, v in per_sentence.items())
        if score >= topic.min_score:
            tags.append(TopicTag(topic_id, round(score, 2), tuple(evidence[topic_id])))
    tags.sort(key=lambda t: (-t.score, t.topic))
    return tuple(tags)

