"""What a topic word is about, read off its clause: what was left, and whether the event is reported.

"منشق/انشقاق" is a soldier leaving the army, but also a member leaving a party, a split in a church, a dissident writer,
or a defection only predicted, called for or denied. A frame file (e.g. basira/data/defection_frame.toml) lists the
words that decide it; at each one-word hit of the topic `verdict` looks at the few words of its clause around the hit
(never the whole sentence, so the cost follows the hits) and says whether the hit is out of the topic, in it, or
undecided (the taxonomy's context rule then decides). The words are matched by a Lexicon, as taxonomy terms are.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from basira.analysis.doc import BREAK, Doc
from basira.analysis.morphology import Hit, Lexicon, word_forms
from basira.normalize import normalize_text

IN, OUT, MODAL, NEGATION, MODAL_AFTER, RETURN = "in", "out", "modal", "negation", "modal_after", "return"
HEADS = (IN, OUT)
CLAUSE_END = frozenset(".,;:!?\u060c\u061b\u061f")


@dataclass(frozen=True)
class Frame:
    words: Lexicon  # payload: one of IN, OUT, RETURN, MODAL, NEGATION, MODAL_AFTER
    links: frozenset[str]  # words after which comes what was left ("عن", "من", "صفوف" ...)
    agent: str  # a hit whose token holds this names the defector (the participle): modality does not apply
    negations: frozenset[str]  # the forms of the `negation` words
    particles: frozenset[str]  # words that separate a participle from the noun before it ("على", "إن", "الذي" ...)
    before: int
    after: int
    object_span: int


def load_frame(path: Path) -> Frame:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    words = Lexicon()
    for kind, key in ((IN, "in_scope"), (OUT, "out_of_scope"), (RETURN, "reintegration")):
        for term in raw.get(key, []):
            words.add_term(term, kind)
        for term in raw.get(f"{key}_exact", []):
            words.add_term(term, kind, inflect=False)
    # verbs and particles: their forms are listed, noun endings would make "طالب" (demanded) match "طالبان"
    for kind, key in ((MODAL, "modal"), (NEGATION, "negation"), (MODAL_AFTER, "modal_after")):
        for term in raw.get(key, []):
            words.add_term(term, kind, inflect=False)
    return Frame(
        words=words,
        links=frozenset(normalize_text(w) for w in raw.get("links", [])),
        agent=normalize_text(raw.get("agent", "")) or "\x00",  # no agent: every hit is a verb (NUL is in no token)
        negations=frozenset(f for w in raw.get("negation", []) for f in word_forms(normalize_text(w), inflect=False)),
        particles=frozenset(normalize_text(w) for w in raw.get("particles", [])),
        before=int(raw.get("before", 4)),
        after=int(raw.get("after", 10)),
        object_span=int(raw.get("object_span", 4)),
    )


def _clause(doc: Doc, first: int, last: int, before: int, after: int) -> tuple[list[int], list[int]]:
    """The word tokens of the hit's clause: up to `before` words before it (in order) and `after` after it. A clause
    ends at a sentence break or at punctuation that ends one (not at quotes, brackets or dashes: "عن «جبهة النصرة»"),
    spaced or glued to a word ("الخبر، وأكدت"): it is looked for in the text between two words."""
    toks, full, ts = doc.toks, doc.full, doc.ts
    left: list[int] = []
    edge = ts[first]
    i = first - 1
    while i >= 0 and len(left) < before:
        tok = toks[i]
        if tok == BREAK:
            break
        if tok:
            stop = ts[i] + len(tok)
            if not CLAUSE_END.isdisjoint(full[stop:edge]):
                break
            left.append(i)
            edge = ts[i]
        i -= 1
    right: list[int] = []
    edge = ts[last] + len(toks[last])
    i = last + 1
    while i < doc.n and len(right) < after:
        tok = toks[i]
        if tok == BREAK:
            break
        if tok:
            if not CLAUSE_END.isdisjoint(full[edge : ts[i]]):
                break
            right.append(i)
            edge = ts[i] + len(tok)
        i += 1
    left.reverse()
    return left, right


def verdict(frame: Frame, doc: Doc, first: int, last: int) -> str | None:
    """OUT or MODAL when the hit on tokens first..last is not the topic (what was left is out of scope; the event is
    not reported), IN when it is (what was left is in scope, or the clause tells of defectors' return or settlement),
    None when its clause does not say."""
    toks, rows = doc.toks, frame.words.rows
    left, right = _clause(doc, first, last, frame.before, frame.after)
    found = frame.words.match(doc, [i for i in (*left, *right) if toks[i] in rows])
    if not found:
        return None
    found.sort(key=lambda h: (h[1], -h[2]))  # by position, the longest first ("حزب الله" before "حزب")
    participle = frame.agent in "".join(toks[first : last + 1])
    if not participle:
        near_after = right[:2]
        for entry, a, b in found:
            kind = entry.payload
            if kind == MODAL and a < first and b <= last and a in left:
                k = a - 1
                while k > 0 and not toks[k]:
                    k -= 1
                if toks[k] not in frame.negations:  # "لم يمنع ... من الانشقاق": it happened
                    return MODAL
            elif (kind == NEGATION and left and b == left[-1]) or (kind == MODAL_AFTER and a in near_after):
                return MODAL
    decided = _what_was_left(frame, toks, found, first, last, left, right, participle)
    if decided is None and any(entry.payload == RETURN and (a in left or a in right[:3]) for entry, a, _ in found):
        return IN  # "عودة المنشقين", "تسوية أوضاع الضباط المنشقين", "الذين انشقوا عادوا": defectors who exist
    return decided


def _what_was_left(frame: Frame, toks: list[str], found: list[Hit], first: int, last: int, left: list[int],
                   right: list[int], participle: bool) -> str | None:
    """IN or OUT from the words of the clause that name what was left or who left (steps 2 and 3 of the frame file)."""
    heads = [(entry.payload, a, b) for entry, a, b in found if entry.payload in HEADS and (b < first or a > last)]
    if not heads:
        return None
    link = next((k for k, i in enumerate(right) if toks[i] in frame.links), None)
    if link is not None:
        span = right[link + 1 : link + 1 + frame.object_span]
        for kind, a, _ in heads:
            if a in span:
                return kind
    adjacent = right[: 2 if link is None else min(2, link)]
    after = next((kind for kind, a, _ in heads if a in adjacent), None)
    # The two words before: the noun a participle qualifies and its adjective ("الضابط الروسي المنشق"); a soldier or
    # an armed group there decides over a nationality or a party word.
    # Only words next to each other: after a particle or preposition ("المراقبة على المنشقين", "الشرطة إن منشقا") the word
    # before is not the noun qualified.
    closest = left[-2:]
    if closest and toks[closest[-1]] in frame.particles:
        closest = []
    elif len(closest) == 2 and toks[closest[0]] in frame.particles:
        closest = closest[1:]
    kinds = {kind for kind, _, b in heads if b in closest}
    before = IN if IN in kinds else OUT if kinds else None
    # After a participle come adjectives of the defector ("ضباط منشقون أكراد": Kurdish officers), so the noun before it
    # decides first; after a verb or verbal noun comes the defector itself ("انشقاق العميد", "انشقاق المعارضة").
    return (before or after) if participle else (after or before)
