"""Topic tagging from the analyst-editable taxonomy (basira/data/taxonomy.toml)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from basira.analysis.doc import Doc, Scanner
from basira.analysis.morphology import Lexicon, hit_order
from basira.analysis.records import evidence as make_evidence
from basira.model import TopicEvidence, TopicTag

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.toml"
STRONG, WEAK = 1.0, 0.5
TITLE_FACTOR = 2.0
TERMS, EXCLUDES = "topics:terms", "topics:excludes"


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

    def register(self, scanner: Scanner) -> None:
        scanner.add(TERMS, self.terms.keys())
        scanner.add(EXCLUDES, self.excludes.keys())


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


# (topic, strength, line, start, end, term): offsets are into the sentence's text_norm.
_TopicHit = tuple[str, float, int, int, int, str]


def _drop_nested(hits: list[_TopicHit]) -> list[_TopicHit]:
    """Within one topic keep the longest of overlapping hits ("مخطط انقلاب" over "انقلاب")."""
    kept: list[_TopicHit] = []
    for item in sorted(hits, key=lambda x: (x[0], x[3], x[3] - x[4])):
        if kept and kept[-1][0] == item[0] and item[3] < kept[-1][4]:
            if item[1] > kept[-1][1] and item[4] <= kept[-1][4]:
                kept[-1] = (item[0], item[1], *kept[-1][2:])  # type: ignore[assignment]
            continue
        kept.append(item)
    return kept


def _term_hits(taxonomy: Taxonomy, doc: Doc) -> dict[int, list[_TopicHit]]:
    """Term hits per line, exclusions applied."""
    found = taxonomy.terms.match(doc, doc.hits.get(TERMS, ()))
    if not found:
        return {}
    if len(found) > 1:
        found.sort(key=hit_order)
    excluded: dict[str, list[tuple[int, int]]] = {}
    if doc.hits.get(EXCLUDES):
        for entry, first, last in taxonomy.excludes.match(doc, doc.hits[EXCLUDES]):
            excluded.setdefault(entry.payload, []).append((first, last))  # type: ignore[arg-type]
    ts, line_char = doc.ts, doc.line_char
    per_line: dict[int, list[_TopicHit]] = {}
    for entry, first, last in found:
        ref: TermRef = entry.payload  # type: ignore[assignment]
        spans = excluded.get(ref.topic)
        if spans and any(a <= last and first <= b for a, b in spans):
            continue
        line = doc.line_of(first)
        base = line_char[line]
        start, end = ts[first] - base, ts[last + 1] - 1 - base
        per_line.setdefault(line, []).append((ref.topic, ref.strength, line, start, end, entry.term))
    return per_line


def _pattern_hits(taxonomy: Taxonomy, doc: Doc, line: int) -> list[_TopicHit]:
    out = []
    for m in taxonomy.pattern.finditer(doc.norms[line]):  # type: ignore[union-attr]
        topic = taxonomy.pattern_groups[m.lastgroup or ""]
        out.append((topic, STRONG, line, m.start(), m.end(), m.group()))
    return out


def tag_topics(taxonomy: Taxonomy, doc: Doc) -> tuple[TopicTag, ...]:
    """Topic tags of a Doc already scanned with a Scanner the taxonomy registered with."""
    per_line = _term_hits(taxonomy, doc)
    lines = range(len(doc.norms)) if taxonomy.pattern is not None else sorted(per_line)
    evidence: dict[str, list[TopicEvidence]] = {}
    sentence_strength: dict[str, dict[int, float]] = {}
    seqs = doc.seqs
    for line in lines:
        hits = per_line.get(line, [])
        if len(hits) > 1:
            hits = _drop_nested(hits)
        if taxonomy.pattern is not None:
            hits = hits + _pattern_hits(taxonomy, doc, line)
        seq = seqs[line]
        for topic, strength, _, start, end, term in hits:
            evidence.setdefault(topic, []).append(make_evidence(topic, seq, term, start, end))
            per_sentence = sentence_strength.setdefault(topic, {})
            if strength > per_sentence.get(seq, 0.0):
                per_sentence[seq] = strength
    tags = []
    for topic_id, per_sentence in sentence_strength.items():
        topic = taxonomy.topics[topic_id]
        score = topic.weight * sum(v * (TITLE_FACTOR if seq == -1 else 1.0) for seq, v in per_sentence.items())
        if score >= topic.min_score:
            tags.append(TopicTag(topic_id, round(score, 2), tuple(evidence[topic_id])))
    tags.sort(key=lambda t: (-t.score, t.topic))
    return tuple(tags)
