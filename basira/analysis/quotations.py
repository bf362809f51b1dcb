"""Direct quotations with their speaker: «...», "...", “...” after a speech verb or participle."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from basira.analysis.doc import Doc, Scanner
from basira.model import EntityMention, Quotation
from basira.normalize import normalize_text

_QUOTE = re.compile(r'\u00ab([^\u00bb]*)(?:\u00bb|$)|\u201c([^\u201d]*)(?:\u201d|$)|"([^"]*)(?:"|$)')
MIN_QUOTE_WORDS = 3
# A quote more than this many characters after its speech verb is not attributed to it.
MAX_VERB_GAP = 120
VERBS, PARTICIPLES = "quotations:verbs", "quotations:participles"
# A speech verb followed by one of these names its own speaker, one the gazetteer does not know ("أعلن الجيش
# الروسي", "ورأى اللقاء", "وقال مصدر آخر"): neither a name just before the verb nor the last speaker said it.
# Definite words after the verb are subjects too, except the time words that often sit there ("وقال الأربعاء")
# and "إلى", which folds to a word starting with the article ("وأشار إلى «...»").
_UNNAMED_SUBJECTS = frozenset(normalize_text(w) for w in "مصدر مصادر أحد مسؤول مسؤولون مسؤولين".split())
_NOT_SUBJECTS = frozenset(normalize_text(w) for w in (
    "إلى الى الذي التي الآن اليوم الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الليلة الماضي الماضية الأسبوع الشهر "
    "الجاري الحالي السابق أيضا").split())


# A quote this short may be a name in quotation marks ('حزب "العدالة والتنمية"', «مجموعة الأزمات الدولية»), not
# something said: the sample's commonest kind of false quotation (6 of 60).
NAME_QUOTE_MAX_WORDS = 5
# ... and is one when names cover this share of its characters.
NAME_QUOTE_COVERED = 0.6


@dataclass(frozen=True)
class SpeechWords:
    verbs: frozenset[str]  # finite speech verbs with clitics ("قال", "وأكد")
    participles: frozenset[str]  # "مؤكدا", "مشيرا": continue the current speaker
    # First words of a name that is written in quotes: organisation heads ("حزب", "مجموعة", "حركة") and
    # "دولة" (a proclaimed state: «دولة العراق الإسلامية»). Not "عملية": «عملية التطهير مستمرة» is said.
    name_heads: frozenset[str] = frozenset()

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


def is_quoted_name(inner: str, start: int, end: int, mentions: list[EntityMention], heads: frozenset[str]) -> bool:
    """Is the quote `inner` (normalised), at [start, end) of its sentence, a name in quotation marks rather than a
    quotation: a few words that start with a name's head word, or that the sentence's entity mentions mostly cover?"""
    words = inner.split()
    if len(words) > NAME_QUOTE_MAX_WORDS:
        return False
    if words and words[0] in heads:
        return True
    covered = sum(max(0, min(m.end, end) - max(m.start, start)) for m in mentions)
    return covered >= NAME_QUOTE_COVERED * len(inner)


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


def _unnamed_subject(doc: Doc, line: int, verb_at: int) -> bool:
    """Is the word right after the speech verb at `verb_at` (an offset in the sentence) a subject of its own?"""
    i = bisect_left(doc.ts, doc.line_char[line] + verb_at) + 1
    word = doc.toks[i] if i < doc.n else ""
    return word in _UNNAMED_SUBJECTS or (word.startswith("\u0627\u0644") and word not in _NOT_SUBJECTS)


def _speaker_near(mentions: list[EntityMention], verb_at: int, quote_at: int, subject_after: bool) -> EntityMention | None:
    """The subject of the speech verb: a PER/ORG mention between verb and quote (VSO) or, unless another subject
    follows the verb (`subject_after`), just before the verb."""
    after = [m for m in mentions if verb_at <= m.start < quote_at and m.entity_type in ("PER", "ORG")]
    if after:
        people = [m for m in after if m.entity_type == "PER"]
        return (people or after)[0]
    if subject_after:
        return None
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
        for k, (qs, qe, inner_norm) in enumerate(norm_quotes):
            verb_at = _last_trigger(doc, line, qs, VERBS)
            speaker: EntityMention | None = None
            if verb_at is not None:
                subject_after = _unnamed_subject(doc, line, verb_at)
                speaker = _speaker_near(by_seq.get(seq, []), verb_at, qs, subject_after)
                if speaker is None and subject_after:
                    current = None  # someone the store cannot name speaks: no quotation, and no one to continue
                    continue
            if speaker is not None:
                current = (speaker.entity_key, speaker.surface, paragraph, seq)
            elif current is not None and (verb_at is not None or _last_trigger(doc, line, qs, PARTICIPLES) is not None):
                current = (current[0], current[1], paragraph, seq)  # the speaker goes on
            else:
                continue
            if is_quoted_name(inner_norm, qs, qe, by_seq.get(seq, []), words.name_heads):
                # A name in quotes is no quotation, but the sentence still reports its speaker ('وأكد أردوغان أن
                # "وحدات حماية الشعب" ...'), who goes on speaking in the next ("وأضاف : «...»").
                continue
            if raw_quotes is None:
                raw = doc.raws[line]
                raw_quotes = quote_spans(raw) if raw else []
            quote_text = raw_quotes[k][2] if k < len(raw_quotes) else inner_norm
            out.append(Quotation(current[0], current[1], quote_text, seq))
    return tuple(out)
