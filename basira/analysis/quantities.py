"""Counts with their object and what happened to them: "بين 500 و600 ضابط", "أفرج عن 120 معتقلاً".

Vague number words are stored as ranges, never as a point: "عشرات" 20-99, "مئات" 200-999,
"آلاف" 2000-9999, "بضعة" 3-9 (titles.json `vague_numbers`). "عدة" (several) carries no number and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from basira.analysis.morphology import Lexicon, Line, prefixed
from basira.model import Quantity
from basira.normalize import normalize_text

_DIGIT = re.compile(r"[0-9]")
_NUMBER = r"[0-9]+(?:[.,][0-9]{3})*"
KIND_WINDOW = 5  # tokens looked at before the number for the event verb/noun


@dataclass(frozen=True)
class QuantityLexicon:
    pattern: re.Pattern[str]
    number_words: dict[str, tuple[int, int]]
    multipliers: dict[str, int]
    units: dict[str, str]  # surface unit -> normalised head noun
    kinds: Lexicon
    unit_kinds: dict[str, str]
    triggers: frozenset[str]  # number words: with a digit, what makes a sentence worth a regex pass
    unit_tokens: frozenset[str]


def _unit_base(unit: str) -> str:
    """"معتقلا" -> "معتقل": drop the accusative alef; keep broken plurals as written."""
    return unit[:-1] if unit.endswith("\u0627") and len(unit) > 3 else unit


def build_lexicon(cfg: dict) -> QuantityLexicon:
    number_words: dict[str, tuple[int, int]] = {}
    for w, v in cfg["number_words"].items():
        for f in prefixed(normalize_text(w)):
            number_words[f] = (v, v)
    for w, (lo, hi) in cfg["vague_numbers"].items():
        for f in prefixed(normalize_text(w)):
            number_words[f] = (lo, hi)
    multipliers = {normalize_text(k): v for k, v in cfg["multipliers"].items()}
    units: dict[str, str] = {}
    for u in cfg["count_units"]:
        n = normalize_text(u)
        for form in {n, "\u0627\u0644" + n} if " " not in n else {n}:
            units[form] = _unit_base(n)
    kinds = Lexicon()
    unit_kinds: dict[str, str] = {}
    for kind, words in cfg["quantity_kinds"].items():
        for w in words:
            kinds.add_term(w, kind)
            unit_kinds.setdefault(_unit_base(normalize_text(w)), kind)
    unit_alt = "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))
    word_alt = "|".join(sorted((re.escape(w) for w in number_words), key=len, reverse=True))
    mult_alt = "|".join(sorted((re.escape(m) for m in multipliers), key=len, reverse=True))
    count = rf"(?:(?P<@n>{_NUMBER})(?:\s+(?P<@m>{mult_alt}))?|(?P<@w>{word_alt})(?:\s+(?P<@x>{mult_alt}))?)"
    pattern = re.compile(
        rf"(?<![\w])(?:(?:ما\s+)?بين\s+{count.replace('@', 'a')}\s+(?:و\s*|الي\s+|حتي\s+)?{count.replace('@', 'b')}"
        rf"|(?:نحو\s+|حوالي\s+|قرابه\s+|اكثر\s+من\s+|اقل\s+من\s+)?{count.replace('@', 'c')})"
        rf"\s+(?:من\s+)?(?P<unit>{unit_alt})(?![\w])"
    )
    triggers = frozenset(number_words)
    unit_tokens = frozenset(w for u in units for w in u.split()[:1])
    return QuantityLexicon(pattern, number_words, multipliers, units, kinds, unit_kinds, triggers, unit_tokens)


def _value(m: re.Match[str], g: str, lex: QuantityLexicon) -> tuple[int, int] | None:
    if m.group(g + "n"):
        base = int(re.sub(r"[.,]", "", m.group(g + "n")))
        mult = lex.multipliers.get(m.group(g + "m") or "", 1)
        return base * mult, base * mult
    if m.group(g + "w"):
        low, high = lex.number_words[m.group(g + "w")]
        mult = lex.multipliers.get(m.group(g + "x") or "", 1)
        return low * mult, high * mult
    return None


def _kind(line: Line, start: int, unit_base: str, lex: QuantityLexicon) -> str:
    window_start = start
    for _ in range(KIND_WINDOW):
        prev = line.clean.rfind(" ", 0, max(window_start - 1, 0))
        window_start = prev + 1 if prev != -1 else 0
        if prev == -1:
            break
    hits = [h for h in lex.kinds.find(line) if window_start <= h.start < start]
    if hits:
        return str(hits[-1].entry.payload)
    return lex.unit_kinds.get(unit_base, "other")


def extract_quantities(lines: list[Line], lex: QuantityLexicon) -> tuple[Quantity, ...]:
    out: list[Quantity] = []
    for line in lines:
        if line.token_set.isdisjoint(lex.unit_tokens):
            continue
        if not _DIGIT.search(line.clean) and line.token_set.isdisjoint(lex.triggers):
            continue
        for m in lex.pattern.finditer(line.clean):
            if m.group("an") or m.group("aw"):
                low, high = _value(m, "a", lex) or (0, 0), _value(m, "b", lex) or (0, 0)
                low, high = min(low[0], high[0]), max(low[1], high[1])
            else:
                value = _value(m, "c", lex)
                if value is None:
                    continue
                low, high = value
            if high <= 0:
                continue
            unit = lex.units[m.group("unit")]
            out.append(Quantity(low, high, unit, _kind(line, m.start(), unit, lex), line.norm[m.start() : m.end()], line.seq))
    return tuple(out)
