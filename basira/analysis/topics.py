"""Topic tagging from the analyst-editable taxonomy (basira/data/taxonomy.toml)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from basira.analysis.doc import Doc, Scanner
from basira.analysis.frames import IN, Frame, load_frame, verdict
from basira.analysis.morphology import Lexicon, hit_order
from basira.analysis.records import evidence as make_evidence
from basira.model import TopicEvidence, TopicTag

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.toml"
STRONG, WEAK = 1.0, 0.5
TITLE_FACTOR = 2.0
TERMS, EXCLUDES = "topics:terms", "topics:excludes"
# Bump when a change to this module changes which tags a taxonomy gives: it is hashed into the taxonomy version, so
# ingest and retag see stores tagged by the older code as they see an edited taxonomy. 2: an exclude pattern's match
# that starts inside an earlier match counts (see _exclusion_spans).
MATCHER_VERSION = "2"


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
class Exclusion:
    """A topic's `exclude_patterns`, matched as one alternation in their order would be (at each position, the first
    pattern matching there gives the span), but only over the patterns that can match the sentence. Every match of
    a pattern contains one of its needed strings (_needed_strings); a pattern none of whose strings is in the
    sentence could not have matched anywhere in it, so leaving it out changes neither the first pattern matching at
    any position nor its span.

    The whole alternation cost ~150 µs per sentence with a prison hit: Python's engine tries each of its 28
    patterns at every character, and several start with a look-behind or an optional word, so no first-letter skip
    applies; most sentences hold the words of a few of the patterns only. Each pattern is searched on its own: an
    alternation of the patterns left in had to be compiled for every set of them a process met (174 sets, 0.35 s
    of CPU over the first 3,000 articles, again in every worker)."""

    patterns: tuple[str, ...]
    # (needed string, bit mask of the patterns it stands for); `always`: the patterns with no known string.
    needles: tuple[tuple[str, int], ...]
    always: int
    compiled: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)  # each pattern alone

    def searched(self, text: str) -> list[int]:
        """The indices of the patterns that can match this text, in order."""
        live = self.always
        for needle, mask in self.needles:
            if live & mask != mask and needle in text:  # each distinct string looked for once, none needlessly
                live |= mask
        return [i for i in range(len(self.patterns)) if live >> i & 1]

    def spans(self, text: str) -> list[tuple[int, int]]:
        first: dict[int, int] = {}  # start -> end of the first pattern, in order, matching at that start
        for i in self.searched(text):
            for start, end in _exclusion_spans(self.compiled[i], text):
                first.setdefault(start, end)
        return sorted(first.items())


def _compile_alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def load_exclusion(patterns: list[str]) -> Exclusion:
    _compile_alternation(patterns)  # a malformed pattern fails at load, not at the first sentence holding it
    masks: dict[str, int] = {}
    always = 0
    for i, pattern in enumerate(patterns):
        needed = _needed_strings(pattern)
        if needed is None:
            always |= 1 << i
        for needle in needed or ():
            masks[needle] = masks.get(needle, 0) | 1 << i
    return Exclusion(tuple(patterns), tuple(masks.items()), always, tuple(re.compile(p) for p in patterns))


@dataclass(frozen=True)
class Taxonomy:
    version: str
    topics: dict[str, Topic]
    terms: Lexicon
    excludes: Lexicon
    pattern: re.Pattern[str] | None  # one alternation, a named group per topic with patterns
    pattern_groups: dict[str, str]  # group name -> topic id
    # Every match of `pattern` contains one of these strings (None: not known): sentences without any of them
    # are not searched. Running the pattern over every sentence cost more than the rest of tagging.
    pattern_prefixes: tuple[str, ...] | None = None
    # Per topic, its `exclude_patterns`: a hit of the topic overlapping a match does not count.
    exclude_patterns: dict[str, Exclusion] = field(default_factory=dict)
    # Per topic, (one alternation of its `context_patterns`, `context_window`): a hit of the topic counts only when
    # its sentence or one within the window before or after it matches.
    context: dict[str, tuple[re.Pattern[str], int]] = field(default_factory=dict)
    # Per topic, its `frame` file read: a one-word term hit whose clause says it is out of the topic (a defection from a
    # party, or one only predicted) does not count; one it says is in the topic needs no context. Read only at hits.
    frames: dict[str, Frame] = field(default_factory=dict)

    def register(self, scanner: Scanner) -> None:
        scanner.add(TERMS, self.terms.keys())
        scanner.add(EXCLUDES, self.excludes.keys())


def _file_version(data: bytes, declared: str) -> str:
    return f"topics-{declared}+{hashlib.sha256(data).hexdigest()[:8]}"


def _frame_files(doc: dict, folder: Path) -> dict[str, Path]:
    return {raw["id"]: folder / raw["frame"] for raw in doc.get("topic", []) if raw.get("frame")}


def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    data = path.read_bytes()
    doc = tomllib.loads(data.decode("utf-8"))
    frame_files = _frame_files(doc, path.parent)
    frames = {topic: load_frame(file) for topic, file in frame_files.items()}
    # A frame file is part of the taxonomy: editing it must change the stored version, so retag sees it.
    hashed = data + b"".join(frame_files[t].read_bytes() for t in sorted(frame_files)) + MATCHER_VERSION.encode()
    topics: dict[str, Topic] = {}
    terms, excludes = Lexicon(), Lexicon()
    group_patterns: list[str] = []
    groups: dict[str, str] = {}
    exclude_patterns: dict[str, Exclusion] = {}
    context: dict[str, tuple[re.Pattern[str], int]] = {}
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
        if raw.get("exclude_patterns"):
            exclude_patterns[topic.id] = load_exclusion(raw["exclude_patterns"])
        if raw.get("context_patterns"):
            context[topic.id] = (re.compile("|".join(f"(?:{p})" for p in raw["context_patterns"])),
                                 int(raw.get("context_window", 0)))
        if raw.get("patterns"):
            name = f"t{len(groups)}"
            groups[name] = topic.id
            group_patterns.append(f"(?P<{name}>" + "|".join(f"(?:{p})" for p in raw["patterns"]) + ")")
    pattern = re.compile("|".join(group_patterns)) if group_patterns else None
    return Taxonomy(_file_version(hashed, str(doc.get("version", "0"))), topics, terms, excludes, pattern, groups,
                    _literal_prefixes(pattern), exclude_patterns, context, frames)


_PREFIX_LIMIT = 500  # literal prefixes kept per pattern; a longer list stops growing (a shorter prefix is still exact)


def _literal_prefixes(pattern: re.Pattern[str] | None) -> tuple[str, ...] | None:
    """Literal strings, one of which starts every match of `pattern`; None when there is no such finite set
    (a match could start with anything, or the pattern sets flags that change what a literal matches).

    The analysts' patterns start with literal alternatives ("(?:تدريب|تاهيل)\\S*..."); the regex engine does not
    skip ahead for a top-level alternation of named groups, so it tries every pattern at every character.
    """
    if pattern is None or pattern.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
        return None
    try:
        from re import _constants as c, _parser  # the parser of the re module itself: the same reading of the pattern

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
            return None

        def item(op: object, av: object) -> tuple[set[str], bool] | None:
            """(strings, complete): every match of the item starts with one of the strings, and is one of them if
            complete. None when nothing literal is known."""
            if op is c.LITERAL:
                return {chr(av)}, True  # type: ignore[arg-type]
            if op is c.IN:
                if all(o is c.LITERAL for o, _ in av):  # type: ignore[attr-defined]
                    return {chr(a) for _, a in av}, True  # type: ignore[attr-defined]
                return None
            if op is c.SUBPATTERN:
                _, add_flags, del_flags, sub = av  # type: ignore[misc]
                return None if add_flags or del_flags else seq(sub.data)
            if op is c.BRANCH:
                out: set[str] = set()
                complete = True
                for branch in av[1]:  # type: ignore[index]
                    strings, done = seq(branch.data)
                    out |= strings
                    complete = complete and done
                return out, complete
            return None

        def seq(items: list) -> tuple[set[str], bool]:
            out = {""}
            for op, av in items:
                got = item(op, av)
                if got is None:
                    return out, False
                strings, complete = got
                grown = {a + b for a in out for b in strings}
                if len(grown) > _PREFIX_LIMIT:
                    return out, False
                out = grown
                if not complete:
                    return out, False
            return out, True

        prefixes, _ = seq(parsed.data)
    except Exception:  # a pattern the private parser API reads differently in another Python: search everything
        return None
    if not prefixes or "" in prefixes:
        return None
    # A string holding another one is found wherever that one is: keep the shortest (fewer passes of str.find).
    return tuple(sorted(p for p in prefixes if not any(q != p and q in p for q in prefixes)))


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _needed_strings(pattern: str) -> tuple[str, ...] | None:
    """Strings one of which every match of `pattern` contains, anywhere in it; None when none are known (a pattern
    with flags, or nothing literal that every match must hold). Of the candidates (each run of literal letters, each
    alternation of them) the one whose shortest string is longest is kept: the rarest to find."""
    try:
        from re import _constants as c, _parser  # the re module's own reading of the pattern, as _literal_prefixes

        parsed = _parser.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
            return None

        def seq(items: list) -> set[str] | None:
            """A needed set of the sequence `items`, or None."""
            candidates: list[set[str]] = []
            run = ""
            for op, av in items:
                if op is c.LITERAL:
                    run += chr(av)
                    continue
                if run:
                    candidates.append({run})
                    run = ""
                got = item(op, av)
                if got:
                    candidates.append(got)
            if run:
                candidates.append({run})
            return max(candidates, key=lambda strings: min(map(len, strings)), default=None)

        def item(op: object, av: object) -> set[str] | None:
            if op is c.SUBPATTERN:
                _, add_flags, del_flags, sub = av  # type: ignore[misc]
                return None if add_flags or del_flags else seq(sub.data)
            if op is c.BRANCH:
                out: set[str] = set()
                for branch in av[1]:  # type: ignore[index]
                    got = seq(branch.data)
                    if not got:  # one branch could match without any known string
                        return None
                    out |= got
                return out
            if str(op) in _REPEATS and av[0] >= 1:  # type: ignore[index]
                return seq(av[2].data)  # type: ignore[index]
            return None  # look-arounds match no text; classes, "." and the rest hold no fixed letter

        needed = seq(parsed.data)
    except Exception:  # a pattern the private parser API reads differently in another Python: search everything
        return None
    if not needed or "" in needed:
        return None
    # A string holding another one is found wherever that one is: keep the shortest (fewer passes of `in`).
    return tuple(sorted(p for p in needed if not any(q != p and q in p for q in needed)))


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


def _term_hits(taxonomy: Taxonomy, doc: Doc, confirmed: set[tuple[str, int, int]] | None = None
               ) -> dict[int, list[_TopicHit]]:
    """Term hits per line, exclusions applied. Hits whose frame says they are the topic are added to `confirmed`
    as (topic, line, start): they need no context."""
    found = taxonomy.terms.match(doc, doc.hits.get(TERMS, ()))
    if not found:
        return {}
    if len(found) > 1:
        found.sort(key=hit_order)
    excluded: dict[str, list[tuple[int, int]]] = {}
    if doc.hits.get(EXCLUDES):
        for entry, first, last in taxonomy.excludes.match(doc, doc.hits[EXCLUDES]):
            excluded.setdefault(entry.payload, []).append((first, last))  # type: ignore[arg-type]
    ts, line_char, frames = doc.ts, doc.line_char, taxonomy.frames
    per_line: dict[int, list[_TopicHit]] = {}
    for entry, first, last in found:
        ref: TermRef = entry.payload  # type: ignore[assignment]
        spans = excluded.get(ref.topic)
        if spans and any(a <= last and first <= b for a, b in spans):
            continue
        said = None
        # A phrase term names the defectors itself ("الضباط المنشقين"): the frame reads one-word hits only.
        if first == last and ref.topic in frames:
            said = verdict(frames[ref.topic], doc, first, last)
            if said is not None and said != IN:  # OUT or MODAL
                continue
        line = doc.line_of(first)
        base = line_char[line]
        start, end = ts[first] - base, ts[last + 1] - 1 - base
        if said is not None and confirmed is not None:
            confirmed.add((ref.topic, line, start))
        per_line.setdefault(line, []).append((ref.topic, ref.strength, line, start, end, entry.term))
    if taxonomy.exclude_patterns:
        _drop_pattern_excluded(taxonomy, doc, per_line)
    return per_line


def _exclusion_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The span of the match starting at each position where one starts. finditer would skip a match that begins
    inside an earlier one: in "الإفراج عن الأموال المحتجزة" the funds-release match ("الإفراج عن الأموال") would hide
    the held-funds one ("الأموال المحتجزة"), and the hit "المحتجزة", outside the first, would count."""
    spans = []
    m = pattern.search(text)
    while m is not None:
        spans.append(m.span())
        m = pattern.search(text, m.start() + 1)
    return spans


def _drop_pattern_excluded(taxonomy: Taxonomy, doc: Doc, per_line: dict[int, list[_TopicHit]]) -> None:
    """Drop the hits that overlap a match of their topic's exclude patterns (searched only in the sentences
    where that topic has a hit, so their cost follows the hits, not the text)."""
    excluding = taxonomy.exclude_patterns
    for line, hits in list(per_line.items()):
        spans: dict[str, list[tuple[int, int]]] = {}
        for topic in {h[0] for h in hits} & excluding.keys():
            found = excluding[topic].spans(doc.norms[line])
            if found:
                spans[topic] = found
        if spans:
            kept = [h for h in hits if not any(a < h[4] and h[3] < b for a, b in spans.get(h[0], ()))]
            if kept:
                per_line[line] = kept
            else:
                del per_line[line]


def _pattern_hits(taxonomy: Taxonomy, doc: Doc, line: int) -> list[_TopicHit]:
    out = []
    norm = doc.norms[line]
    spans: dict[str, list[tuple[int, int]]] = {}  # per topic, searched once for all its matches in the sentence
    for m in taxonomy.pattern.finditer(norm):  # type: ignore[union-attr]
        topic = taxonomy.pattern_groups[m.lastgroup or ""]
        excluding = taxonomy.exclude_patterns.get(topic)
        if excluding is not None:
            found = spans.get(topic)
            if found is None:
                found = spans[topic] = excluding.spans(norm)
            if any(a < m.end() and m.start() < b for a, b in found):
                continue
        out.append((topic, STRONG, line, m.start(), m.end(), m.group()))
    return out


def _pattern_lines(taxonomy: Taxonomy, doc: Doc) -> set[int] | range:
    """The sentences the patterns may match in: those holding one of the pattern prefixes (all without them).
    str.find over the whole article per prefix is faster than any regex pass (the engine tries each of the
    prefixes at every character)."""
    prefixes = taxonomy.pattern_prefixes
    if prefixes is None:
        return range(len(doc.norms))
    lines: set[int] = set()
    full, line_of_char = doc.full, doc.line_of_char
    for p in prefixes:
        k = full.find(p)
        while k != -1:
            lines.update(range(line_of_char(k), line_of_char(k + len(p) - 1) + 1))
            k = full.find(p, k + 1)
    return lines


def _in_context(doc: Doc, context: tuple[re.Pattern[str], int], line: int, memo: dict[int, bool]) -> bool:
    """Whether the sentence `line`, or one within the window around it, matches the context pattern (each
    sentence searched at most once per topic and article: `memo`)."""
    pattern, window = context
    for k in range(max(0, line - window), min(len(doc.norms), line + window + 1)):
        found = memo.get(k)
        if found is None:
            found = memo[k] = pattern.search(doc.norms[k]) is not None
        if found:
            return True
    return False


def tag_topics(taxonomy: Taxonomy, doc: Doc) -> tuple[TopicTag, ...]:
    """Topic tags of a Doc already scanned with a Scanner the taxonomy registered with."""
    confirmed: set[tuple[str, int, int]] = set()
    per_line = _term_hits(taxonomy, doc, confirmed)
    pattern_lines = _pattern_lines(taxonomy, doc) if taxonomy.pattern is not None else ()
    lines = sorted(per_line.keys() | pattern_lines) if pattern_lines else sorted(per_line)
    evidence: dict[str, list[TopicEvidence]] = {}
    sentence_strength: dict[str, dict[int, float]] = {}
    seqs = doc.seqs
    contexts = taxonomy.context
    context_memo: dict[str, dict[int, bool]] = {}
    for line in lines:
        hits = per_line.get(line, [])
        if len(hits) > 1:
            hits = _drop_nested(hits)
        if line in pattern_lines:
            hits = hits + _pattern_hits(taxonomy, doc, line)
        if contexts and hits:
            hits = [h for h in hits if h[0] not in contexts or (h[0], line, h[3]) in confirmed
                    or _in_context(doc, contexts[h[0]], line, context_memo.setdefault(h[0], {}))]
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
