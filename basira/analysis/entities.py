"""Named entities (PER / ORG / LOC) from gazetteers plus title, speech-verb and head-noun rules.

Resolution rules inside one article:
* A gazetteer alias (canonical name, spelling variant) always resolves to its entity.
* A *short* alias (a surname such as "خطاب", which is also an ordinary word) resolves only when the
  same article also has a full mention of that entity, or directly follows a title ("الوزير خطاب").
* A *role* alias ("وزير الداخلية السوري") resolves to the person only when the article also names
  that person; otherwise it is not reported, because the office holder depends on the date.
* A rule-found person (after a rank, title or speech verb, or from a known given name) gets a key
  minted from its transliteration; its last name token alone later in the article resolves to it.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from basira.analysis.morphology import Hit, Lexicon, Line, name_forms, prefixed, prepare_lines
from basira.analysis.transliterate import slug, transliterate
from basira.model import EntityMention, Sentence
from basira.normalize import normalize_text

DATA = Path(__file__).resolve().parent.parent / "data"
GAZETTEER_FILES = {"PER": "persons.tsv", "ORG": "organizations.tsv", "LOC": "locations.tsv"}
_ALEF_MAQSURA = "\u0649"
# Unknown words shaped like verbs (future/imperfect prefixes, plural past ending) do not continue a name.
_VERB_SHAPE = re.compile("^(?:\u0633[\u064a\u062a\u0646]|[\u064a\u062a]\u062a)|\u0648\u0627$")
_PLURAL_END = re.compile("(?:\u0627\u062a|\u064a\u0646|\u0648\u0646)$")
_PRONOUN_END = re.compile("(?:\u0647|\u0647\u0627|\u0647\u0645)$")
AL = "\u0627\u0644"
# A token opening with a preposition + article is a common noun phrase, never a name's first word.
_CLITIC_LEAD = re.compile("^(?:[\u0648\u0641]?[\u0628\u0643]\u0627\u0644|[\u0648\u0641]\u0627\u0644|[\u0648\u0641]?\u0644\u0644)")


class Recognizer(Protocol):
    """Anything that finds entity mentions in an article's sentences (a model could replace the rules)."""

    def recognize(self, sentences: list[Sentence]) -> list[EntityMention]: ...


@dataclass(frozen=True)
class Entity:
    key: str
    type: str
    canonical: str
    latin: str


@dataclass(frozen=True)
class AliasRef:
    entity: Entity
    kind: str  # "name" | "short" | "role"


@dataclass(frozen=True)
class Trigger:
    kind: str  # "title" | "role_head" | "org_head" | "place_head" | "speech"
    word: str


@dataclass
class Candidate:
    start: int
    end: int
    type: str
    method: str
    priority: int
    entity: Entity | None = None
    alias_kind: str = "name"


@dataclass(frozen=True)
class Resources:
    names: Lexicon
    triggers: Lexicon
    first_names: dict[str, bool]  # surface form (with clitics) -> ambiguous
    first_name_base: dict[str, str]
    ali_forms: frozenset[str]
    name_words: frozenset[str]
    person_words: frozenset[str]
    loc_words: frozenset[str]
    common: frozenset[str]
    stop: frozenset[str]
    verbs: frozenset[str]
    speech: frozenset[str]
    nationality: frozenset[str]
    particles: frozenset[str]
    modifiers: frozenset[str]
    connectors: frozenset[str]
    title_words: frozenset[str]
    heads: frozenset[str]
    org_name_heads: frozenset[str]
    org_descriptor_heads: frozenset[str]
    government_heads: frozenset[str]
    place_heads_kept: frozenset[str]


def _norm_all(words: Iterable[str]) -> list[str]:
    return [w for w in (normalize_text(x) for x in words) if w]


def _with_clitics(words: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        out |= prefixed(w)
    return frozenset(out)


def _adjective_forms(words: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        for form in (w, w + "\u0647", w + "\u0648\u0646", w + "\u064a\u0646"):
            out |= {form, "\u0648" + form}
            if form.startswith(AL):
                out.add(form[2:])
    return frozenset(out)


def read_gazetteer(path: Path, etype: str) -> list[tuple[Entity, list[str], list[str], list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * 6)[:6]
        key, canonical, latin, aliases, short, roles = cols
        split = lambda s: [a.strip() for a in s.split("|") if a.strip()]  # noqa: E731
        rows.append((Entity(key, etype, canonical, latin), split(aliases), split(short), split(roles)))
    return rows


def load_resources(data: Path = DATA) -> Resources:
    names = Lexicon()
    name_words: set[str] = set()
    person_words: set[str] = set()
    loc_words: set[str] = set()
    for etype, filename in GAZETTEER_FILES.items():
        for entity, aliases, short, roles in read_gazetteer(data / "gazetteer" / filename, etype):
            short_norm = {normalize_text(s) for s in short}
            full = [entity.canonical, *aliases]
            for alias in full:
                kind = "short" if normalize_text(alias) in short_norm else "name"
                names.add_name(alias, AliasRef(entity, kind))
                words = normalize_text(alias).split()
                name_words.update(words)
                if etype == "LOC":
                    loc_words.update(words)
                if etype == "PER":
                    person_words.update(words)
            for alias in short:
                if normalize_text(alias) not in {normalize_text(a) for a in full}:
                    names.add_name(alias, AliasRef(entity, "short"))
                name_words.update(normalize_text(alias).split())
                if etype == "PER":
                    person_words.update(normalize_text(alias).split())
            for role in roles:
                names.add_name(role, AliasRef(entity, "role"))

    first_names: dict[str, bool] = {}
    first_base: dict[str, str] = {}
    for line in (data / "gazetteer" / "first_names.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, amb = line.partition("\t")
        name = normalize_text(name)
        for form in name_forms(name):
            first_names[form] = amb.strip() == "1"
            first_base[form] = name
        name_words.add(name)
        person_words.add(name)

    stop_words = set(_norm_all(json.loads((data / "titles.json").read_text(encoding="utf-8"))["stop_words"]))
    name_words = {w for w in name_words - stop_words if len(w) > 2}
    person_words = {w for w in person_words - stop_words if len(w) > 2}
    common = frozenset(
        w for w in (data / "gazetteer" / "common_words.tsv").read_text(encoding="utf-8").split("\n")
        if w and not w.startswith("#")
    ) - frozenset(name_words) - frozenset(first_base.values())

    cfg = json.loads((data / "titles.json").read_text(encoding="utf-8"))
    triggers = Lexicon()
    for kind, key in (("title", "ranks"), ("title", "honorifics"), ("title", "roles"), ("role_head", "role_heads"),
                      ("org_head", "org_heads"), ("place_head", "place_heads"), ("speech", "speech_verbs")):
        for word in cfg[key]:
            triggers.add_name(word, Trigger(kind, normalize_text(word)))
    for word in _norm_all(cfg["nationality_adjectives"]):
        if word.startswith(AL):
            for form in (word, word + "\u0647"):
                triggers.add_name(form, Trigger("nationality", form))
    verbs = _norm_all(cfg["verbs"]) + _norm_all(cfg["speech_verbs"]) + _norm_all(cfg["speech_participles"])
    title_words = _norm_all(cfg["ranks"] + cfg["honorifics"] + cfg["roles"] + cfg["role_heads"])
    heads = _norm_all(cfg["org_heads"] + cfg["place_heads"])
    return Resources(
        names=names,
        triggers=triggers,
        first_names=first_names,
        first_name_base=first_base,
        ali_forms=frozenset(f for f, b in first_base.items() if b == "\u0639\u0644\u064a"),
        name_words=frozenset(name_words),
        person_words=frozenset(person_words),
        loc_words=frozenset(loc_words),
        common=common,
        stop=_with_clitics(_norm_all(cfg["stop_words"])),
        verbs=_with_clitics(verbs) | frozenset(v + "\u062a" for v in verbs),
        speech=_with_clitics(_norm_all(cfg["speech_verbs"])),
        nationality=_adjective_forms(_norm_all(cfg["nationality_adjectives"])),
        particles=frozenset(_norm_all(cfg["name_particles"])),
        modifiers=frozenset(_norm_all(cfg["rank_modifiers"])),
        connectors=frozenset(_norm_all(cfg["role_connectors"])),
        title_words=_with_clitics(w for t in title_words for w in t.split()[:1]),
        heads=_with_clitics(w for t in heads for w in t.split()[:1]),
        org_name_heads=frozenset(_norm_all(cfg["org_name_heads"])),
        org_descriptor_heads=frozenset(_norm_all(cfg.get("org_descriptor_heads", []))),
        government_heads=frozenset(_norm_all(cfg["government_heads"])),
        place_heads_kept=frozenset(_norm_all(cfg["place_heads_kept"])),
    )


Token = tuple[str, int, int]


def _punct_between(norm: str, a: int, b: int) -> bool:
    return bool(norm[a:b].strip())


def _is_blocker(res: Resources, tok: str) -> bool:
    return tok in res.stop or tok in res.verbs or tok in res.title_words or tok in res.heads or tok in res.nationality


def _name_like(res: Resources, tok: str) -> bool:
    """Could this token continue a person's name?"""
    if tok in res.first_name_base:
        return True
    if _is_blocker(res, tok) or tok.isdigit() or len(tok) < 2 or tok.isascii():
        return False
    if tok in res.person_words:
        return True
    return tok not in res.common and not _CLITIC_LEAD.match(tok) and not _VERB_SHAPE.search(tok)


def read_name(res: Resources, norm: str, toks: list[Token], i: int, *, max_len: int = 4, first_known: bool = False,
              blocked: frozenset[int] = frozenset()) -> int:
    """Index one past the last token of a person name starting at toks[i] (i itself if none)."""
    j = i
    while j < len(toks) and j - i < max_len:
        tok = toks[j][0]
        if j > i and _punct_between(norm, toks[j - 1][2], toks[j][1]):
            break
        if toks[j][1] in blocked:
            break
        if tok in res.particles:
            if j + 1 < len(toks) and not _punct_between(norm, toks[j][2], toks[j + 1][1]):
                j += 2
                continue
            break
        if j == i and first_known:
            j += 1
            continue
        if not _name_like(res, tok):
            after_given = j == i + 1 and first_known
            if not (after_given and tok in res.common and not _is_blocker(res, tok) and len(tok) > 2
                    and not _PRONOUN_END.search(tok) and not _VERB_SHAPE.search(tok) and not _PLURAL_END.search(tok)):
                break
        j += 1
    return j


def _skip_chain(res: Resources, norm: str, toks: list[Token], i: int, limit: int = 5) -> int:
    """Skip the genitive chain of a role ("وزير الخارجية الروسي", "المتحدث باسم الوزارة")."""
    j = i
    while j < len(toks) and j - i < limit:
        tok = toks[j][0]
        if j > i and _punct_between(norm, toks[j - 1][2], toks[j][1]):
            break
        if tok in res.connectors or tok in res.nationality or tok in res.loc_words:
            j += 1
        elif tok.startswith(AL) and tok not in res.person_words and tok not in res.stop:
            j += 1
        elif tok.startswith("\u0648" + AL) and j > i and tok not in res.stop:
            j += 1
        elif tok in res.modifiers:
            j += 1
        else:
            break
    return j


def _org_chain(res: Resources, norm: str, toks: list[Token], i: int, head: str) -> int:
    j = i
    name_head = head in res.org_name_heads
    while j < len(toks) and j - i < 4:
        tok = toks[j][0]
        if j > i and _punct_between(norm, toks[j - 1][2], toks[j][1]):
            break
        if tok in res.stop or tok in res.verbs:
            break
        if tok.startswith(AL) or tok in res.nationality or tok in res.loc_words:
            j += 1
        elif name_head and tok.startswith("\u0648" + AL) and j > i:
            j += 1
        elif name_head and j - i < 2 and tok not in res.common and not _is_blocker(res, tok) and not tok.isdigit():
            j += 1
        else:
            break
    return j


def _place_name(res: Resources, norm: str, toks: list[Token], i: int) -> int:
    j = i
    while j < len(toks) and j - i < 2:
        tok = toks[j][0]
        if j > i and _punct_between(norm, toks[j - 1][2], toks[j][1]):
            break
        if tok in res.loc_words or (tok not in res.common and not _is_blocker(res, tok) and not tok.isdigit() and len(tok) > 2):
            j += 1
        else:
            break
    return j


def _token_index(toks: list[Token], pos: int) -> int:
    return bisect.bisect_left(toks, pos, key=lambda t: t[1])


class GazetteerRecognizer:
    """The default recogniser: gazetteer lookup plus rules, no model, no downloads."""

    def __init__(self, resources: Resources | None = None) -> None:
        self.res = resources or load_resources()

    def recognize(self, sentences: list[Sentence]) -> list[EntityMention]:
        return self.recognize_lines(prepare_lines(sentences))

    def recognize_lines(self, lines: list[Line]) -> list[EntityMention]:
        per_line = [(line, self._line_candidates(line)) for line in lines]
        return self._resolve(per_line)

    def _line_candidates(self, line: Line) -> list[Candidate]:
        res = self.res
        cands: list[Candidate] = []
        for hit in res.names.find(line):
            ref: AliasRef = hit.entry.payload  # type: ignore[assignment]
            cands.append(Candidate(hit.start, hit.end, ref.entity.type, "gazetteer", 3, ref.entity, ref.kind))
        trigger_hits = res.triggers.find(line)
        first_hits = line.token_set & res.first_names.keys()
        speech_before = bool(line.token_set & res.speech)
        if not trigger_hits and not first_hits and not speech_before:
            return cands
        toks = line.tokens_with_spans()
        blocked = self._maqsura_tokens(line, toks)
        for hit in trigger_hits:
            cands.extend(self._trigger_candidates(line, toks, hit, blocked))
        if first_hits:
            cands.extend(self._first_name_candidates(line, toks, first_hits, blocked))
        if speech_before:
            cands.extend(self._speech_candidates(line, toks))
        return cands

    def _trigger_candidates(self, line: Line, toks: list[Token], hit: Hit, blocked: frozenset[int]) -> list[Candidate]:
        res, norm = self.res, line.norm
        trig: Trigger = hit.entry.payload  # type: ignore[assignment]
        i = _token_index(toks, hit.end)
        if i >= len(toks) or _punct_between(norm, hit.end, toks[i][1]):
            return []
        if trig.kind in ("title", "role_head", "nationality"):
            if trig.kind == "role_head":
                j = _skip_chain(res, norm, toks, i)
            else:
                j = i
                while j < len(toks) and j - i < 2 and toks[j][0] in res.nationality:
                    j += 1
            while j < len(toks) and toks[j][0] in res.modifiers:
                j += 1
            if j >= len(toks) or (j > i and _punct_between(norm, toks[j - 1][2], toks[j][1])):
                return []
            if toks[j][0].startswith(AL) and toks[j][0] not in res.person_words:
                return []
            k = read_name(res, norm, toks, j, max_len=3, blocked=blocked,
                          first_known=toks[j][0] in res.first_name_base and toks[j][1] not in blocked)
            if k > j:
                return [Candidate(toks[j][1], toks[k - 1][2], "PER", "rule:title", 2)]
            return []
        if trig.kind == "org_head":
            head = trig.word.split()[0]
            k = _org_chain(res, norm, toks, i, head)
            if k == i:
                return []
            start = toks[i][1] if head in res.org_descriptor_heads else hit.start
            method = "rule:org_gov" if head in res.government_heads else "rule:org"
            return [Candidate(start, toks[k - 1][2], "ORG", method, 1)]
        if trig.kind == "place_head":
            k = _place_name(res, norm, toks, i)
            if k == i:
                return []
            start = hit.start if trig.word in res.place_heads_kept else toks[i][1]
            return [Candidate(start, toks[k - 1][2], "LOC", "rule:place", 1)]
        if trig.kind == "speech":
            tok = toks[i][0]
            if tok in res.first_names or not _name_like(res, tok) or tok.startswith(AL):
                return []
            k = read_name(res, norm, toks, i, max_len=3, blocked=blocked)
            if k - i < 2 and tok not in res.person_words:
                return []
            return [Candidate(toks[i][1], toks[k - 1][2], "PER", "rule:speech", 1)]
        return []

    def _maqsura_tokens(self, line: Line, toks: list[Token]) -> frozenset[int]:
        """Start offsets of tokens written with alef maqsura in the raw text: "على" folds to the name "علي"."""
        if not line.raw or _ALEF_MAQSURA not in line.raw or not (line.token_set & self.res.ali_forms):
            return frozenset()
        raw_words, norm_words = line.raw.split(), line.norm.split()
        if len(raw_words) != len(norm_words):
            return frozenset()
        starts, pos = [], 0
        for w in norm_words:
            pos = line.norm.find(w, pos)
            starts.append(pos)
            pos += len(w)
        flagged = {starts[k] for k, w in enumerate(raw_words) if _ALEF_MAQSURA in w}
        return frozenset(s for _, s, _ in toks if s in flagged)

    def _first_name_candidates(self, line: Line, toks: list[Token], found: set[str], blocked: frozenset[int]) -> list[Candidate]:
        res, norm = self.res, line.norm
        out = []
        for idx, (tok, s, _) in enumerate(toks):
            if tok not in found or s in blocked:
                continue
            k = read_name(res, norm, toks, idx, first_known=True, blocked=blocked)
            if res.first_names[tok] and k - idx < 2:
                continue
            out.append(Candidate(s, toks[k - 1][2], "PER", "rule:given_name", 1))
        return out

    def _speech_candidates(self, line: Line, toks: list[Token]) -> list[Candidate]:
        """A short name opening a clause right before a speech verb: "خطاب أكد ..."."""
        res, norm = self.res, line.norm
        out = []
        for idx, (tok, s, _) in enumerate(toks):
            if tok not in res.speech or idx == 0 or tok[0] in "\u0648\u0641":
                continue
            j = idx
            while j > 0 and idx - j < 3 and _name_like(res, toks[j - 1][0]) and not toks[j - 1][0].startswith(AL) \
                    and not _punct_between(norm, toks[j - 1][2], toks[j][1] if j < idx else s):
                j -= 1
            if j == idx:
                continue
            at_clause_start = j == 0 or _punct_between(norm, toks[j - 1][2], toks[j][1])
            if at_clause_start:
                out.append(Candidate(toks[j][1], toks[idx - 1][2], "PER", "rule:speech", 1))
        return out

    def _resolve(self, per_line: list[tuple[Line, list[Candidate]]]) -> list[EntityMention]:
        res = self.res
        chosen: list[tuple[Line, Candidate]] = []
        for line, cands in per_line:
            cands.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.start))
            taken: list[Candidate] = []
            for c in cands:
                clashes = [t for t in taken if not (c.end <= t.start or c.start >= t.end)]
                if not clashes:
                    taken.append(c)
                elif c.priority < 3 and all(t.priority == 3 and t.type == c.type and c.start <= t.start and t.end <= c.end
                                            and (c.end - c.start) > (t.end - t.start) for t in clashes):
                    # A rule may extend a gazetteer hit of its own type ("وزارة الداخلية العراقية").
                    taken = [t for t in taken if t not in clashes] + [c]
            chosen.extend((line, c) for c in sorted(taken, key=lambda c: c.start))
        named = {c.entity.key for _, c in chosen if c.entity is not None and c.alias_kind == "name"}
        short_to_entity = {}
        mentions: list[EntityMention] = []
        for line, c in chosen:
            surface = line.norm[c.start : c.end]
            if c.entity is not None:
                if c.alias_kind == "role" and c.entity.key not in named:
                    continue
                if c.alias_kind == "short" and c.entity.key not in named and not self._after_title(line, c.start):
                    continue
                method = "gazetteer" if c.alias_kind == "name" else f"alias:{c.alias_kind}"
                mentions.append(EntityMention(c.entity.key, c.entity.type, c.entity.canonical, c.entity.latin,
                                              surface, line.seq, c.start, c.end, method))
                continue
            resolved = self._resolve_rule_surface(surface, c.type)
            if resolved is None:
                continue
            entity = resolved
            mentions.append(EntityMention(entity.key, entity.type, entity.canonical, entity.latin, surface,
                                          line.seq, c.start, c.end, c.method))
            words = entity.canonical.split()
            if entity.type == "PER" and len(words) >= 2 and words[-1] not in res.common:
                short_to_entity[words[-1]] = entity
        if short_to_entity:
            mentions.extend(self._surname_mentions(per_line, mentions, short_to_entity))
            mentions.sort(key=lambda m: (m.seq, m.start))
        return mentions

    def _after_title(self, line: Line, start: int) -> bool:
        before = line.clean[:start].split()
        return bool(before) and before[-1] in self.res.title_words

    def _resolve_rule_surface(self, surface: str, etype: str) -> Entity | None:
        words = surface.split()
        if not words:
            return None
        base = self.res.first_name_base.get(words[0])
        if base is not None:
            words[0] = base
        elif etype != "ORG" and len(words[0]) > 3 and words[0][0] == "\u0648" and words[0][1:] in self.res.name_words:
            words[0] = words[0][1:]
        canonical = " ".join(words)
        latin = transliterate(canonical)
        return Entity(f"{etype.lower()}:{slug(latin)}", etype, canonical, latin)

    def _surname_mentions(self, per_line, mentions, short_to_entity) -> list[EntityMention]:
        covered = {(m.seq, i) for m in mentions for i in range(m.start, m.end)}
        out = []
        keys = frozenset(short_to_entity)
        for line, _ in per_line:
            for tok in line.token_set & keys:
                entity = short_to_entity[tok]
                pos = 0
                while (i := line.clean.find(tok, pos)) != -1:
                    j = i + len(tok)
                    pos = j
                    if (i and line.clean[i - 1] != " ") or (j < len(line.clean) and line.clean[j] != " "):
                        continue
                    if (line.seq, i) in covered:
                        continue
                    out.append(EntityMention(entity.key, entity.type, entity.canonical, entity.latin, tok,
                                             line.seq, i, j, "alias:surname"))
        return out
