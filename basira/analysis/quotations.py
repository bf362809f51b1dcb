"""Direct quotations with their speaker: «...», "...", “...” after a speech verb or participle."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from basira.analysis.doc import Doc, Scanner
from basira.model import EntityMention, Quotation

_QUOTE = re.compile(r'\u00ab([^\u00bb]*)(?:\u00bb|$)|\u201c([^\u201d]*)(?:\u201d|$)|"([^"]*)(?:"|$)')
MIN_QUOTE_WORDS = 3
# A quote more than this many characters after its speech verb is not attributed to it.
MAX_VERB_GAP = 120
VERBS, PARTICIPLES = "quotations:verbs", "quotations:participles"


@dataclass(frozen=True)
class SpeechWords:
    verbs: frozenset[str]  # finite speech verbs with clitics ("قال", "وأكد")
    participles: frozenset[str]  # "مؤكدا", "مشيرا": continue the current speaker

    def register(self, scanner: Scanner) -> None:
        scanner.add(VERBS, self.verbs)
        scanner.add(PARTICIPLES, self.participles)


def quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of every quotation in a sentence, unclosed quotes running to the end."""
    out = []
    for m in _QUOTE.finditer(text):
        g = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
        inner = m.group(g).strip()
        if len(inner.split(None, MIN_QUOTE_WORDS - 1)) >= MIN_QUOTE_WORDS:  # stops splitting once there are enough
            out.append((m.start(), m.end(), inner))
    return out


def _last_trigger(doc: Doc, line: int, before: int, name: str) -> int | None:
    """Start (in the sentence) of the last scanned word of list `name` that ends before `before` (an offset
    in the sentence), within MAX_VERB_GAP characters."""
    base, ts, toks = doc.line_char[line], doc.ts, doc.toks
    hits = doc.hits.get(name, ())
    best = None
    # hits are token indices in order: start at the first one in this sentence
    for k in range(bisect_left(hits, doc.line_first_tok(line)), len(hits)):
        i = hits[k]
        start = ts[i] - base
        end = start + len(toks[i])
        if end > before:
            break
        if before - end <= MAX_VERB_GAP:
            best = start
    return best


def _speaker_near(mentions: list[EntityMention], verb_at: int, quote_at: int) -> EntityMention | None:
    """The subject of the speech verb: a PER/ORG mention between verb and quote (VSO) or just before the verb."""
    after = [m for m in mentions if verb_at <= m.start < quote_at and m.entity_type in ("PER", "ORG")]
    if after:
        people = [m for m in after if m.entity_type == "PER"]
        return (people or after)[0]
    before = [m for m in mentions if m.end <= verb_at and verb_at - m.end <= 30 and m.entity_type in ("PER", "ORG")]
    return before[-1] if before else None


def extract_quotations(doc: Doc, mentions: list[EntityMention], words: SpeechWords) -> tuple[Quotation, ...]:
    """Quotations in a Doc already scanned with a Scanner `words` registered with."""
    full = doc.full
    if '"' not in full and "\u00ab" not in full and "\u201c" not in full:
        return ()
    by_seq: dict[int, list[EntityMention]] = {}
    for m in mentions:
        by_seq.setdefault(m.seq, []).append(m)
    out: list[Quotation] = []
    current: tuple[str | None, str, int, int] | None = None  # key, surface, paragraph, seq
    for line, norm in enumerate(doc.norms):
        seq, paragraph = doc.seqs[line], doc.paragraphs[line]
        if current is not None and (paragraph != current[2] and seq - current[3] > 2):
            current = None
        if '"' not in norm and "\u00ab" not in norm and "\u201c" not in norm:
            continue
        norm_quotes = quote_spans(norm)
        if not norm_quotes:
            continue
        raw_quotes: list[tuple[int, int, str]] | None = None  # read from the raw text once a quote is kept
        for k, (qs, _, inner_norm) in enumerate(norm_quotes):
            verb_at = _last_trigger(doc, line, qs, VERBS)
            speaker: EntityMention | None = None
            if verb_at is not None:
                speaker = _speaker_near(by_seq.get(seq, []), verb_at, qs)
            if speaker is not None:
                current = (speaker.entity_key, speaker.surface, paragraph, seq)
            elif current is not None and (verb_at is not None or _last_trigger(doc, line, qs, PARTICIPLES) is not None):
                current = (current[0], current[1], paragraph, seq)  # the speaker goes on
            else:
                continue
            if raw_quotes is None:
                raw = doc.raws[line]
                raw_quotes = quote_spans(raw) if raw else []
            quote_text = raw_quotes[k][2] if k < len(raw_quotes) else inner_norm
            out.append(Quotation(current[0], current[1], quote_text, seq))
    return tuple(out)
