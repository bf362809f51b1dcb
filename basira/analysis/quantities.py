"""Counts with their object and what happened to them: "بين 500 و600 ضابط", "أفرج عن 120 معتقلاً".

Vague number words are stored as ranges, never as a point: "عشرات" 20-99, "مئات" 200-999,
"آلاف" 2000-9999, "بضعة" 3-9, "بضعة عشر" 13-19 (titles.json `vague_numbers`), and they combine as exact ones do:
"مئة وبضعة" 103-109, "بضعة وعشرون" 23-29, "عشرات الآلاف" 20,000-99,000, "بضع مئات" 300-900. "عدة" (several)
carries no number and is skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from basira.analysis.doc import BREAK, Doc, Scanner
from basira.analysis.morphology import Lexicon, hit_order, prefixed
from basira.model import Quantity
from basira.normalize import normalize_text

_DIGIT = re.compile(r"[0-9]")
_NUMBER = r"[0-9]+(?:[.,][0-9]{3})*"
# What a digit's thousands go on with: 10-999 ("215 ألفا و 518"; the corpora write 90 such, 80 of three digits and
# none of one). One digit is a count of its own ("3 آلاف و 5 أطفال": five children, not 3,005).
_REMAINDER = r"[1-9][0-9]{1,2}(?![0-9.,])"
KIND_WINDOW = 5  # tokens looked at before the number for the event verb/noun
COUNT_WINDOW = 10  # a count phrase ("ما بين 3 آلاف و5 آلاف من") starts at most this many tokens before its unit
# Words that can open a count phrase (besides number words and digits): see the pattern in build_lexicon.
# "نحو", "حوالي", "قرابة", "أكثر", "أقل": also the openers a coordinated count may start with ("وحوالي 15 جريحا").
_APPROXIMATORS = ("\u0646\u062d\u0648", "\u062d\u0648\u0627\u0644\u064a", "\u0642\u0631\u0627\u0628\u0647",
                  "\u0627\u0643\u062b\u0631", "\u0627\u0642\u0644")
_OPENERS = ("\u0645\u0627", "\u0628\u064a\u0646", *_APPROXIMATORS)  # "ما بين", then the approximators
UNITS, KINDS = "quantities:units", "quantities:kinds"
_OVERRIDING = frozenset(("killed", "released"))  # event kinds that beat the kind a unit carries
# "among them": a count after these words is part of the count before it ("قتل 16 شخصا بينهم 8 أطفال")
_SUBSET = frozenset(normalize_text(w) for w in "بينهم بينهن بينها منهم منهن منها".split())
# One-letter clitics written glued to a number ("و10 جرحى", "لـ450 ألف لاجئ", "بـ20 مدنيا"): و ف ب ل ك
_GLUED = "\u0648\u0641\u0628\u0644\u0643"


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
    openers: frozenset[str]  # tokens a count phrase can start with (digits aside)
    after_kinds: dict[str, str]  # a verb right after the count: "عشرات الجنود قتلوا" -> killed
    # A verb right before the count: "قضى 15 شخصا", "لقي 5 أشخاص حتفهم". Only there: "قضى" also rules and spends
    # ("قضت المحكمة بسجن 5 أشخاص", "قضى 5 سنوات").
    before_kinds: dict[str, str] = field(default_factory=dict)
    # ... and one that gives a kind only to a unit without its own: "سقط 10 مدنيين" were killed, "سقط 200 جريح"
    # wounded ("سقط" also falls: "سقطت 3 قذائف").
    before_weak_kinds: dict[str, str] = field(default_factory=dict)
    word_re: re.Pattern[str] = re.compile(r"(?!)")  # one number word after "و" in a compound ("وعشرين")
    # "واحد/واحدة" after these counts no one: "كل واحد من المتهمين" (each), "أنها واحدة من الجنود" (she is one of)
    one_not_after: frozenset[str] = frozenset()
    # Words after a unit that look definite but are not part of it: a time ("20 جنديا الأسبوع الماضي قتلوا"), a
    # singular or dual relative pronoun (of another noun), "إلى/إلا"; the verb after them is not the count's
    # (_kind_after). A plural one is the counted people's own clause: "آلاف الأشخاص الذين قتلوا" were killed (the
    # corpora's 3 counts it changed were all right before).
    tail_stops: frozenset[str] = frozenset()

    def register(self, scanner: Scanner) -> None:
        scanner.add(UNITS, self.unit_tokens)
        scanner.add(KINDS, self.kinds.keys())


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
    # Units that carry a kind but are no event before another count ("هجوم على تجمع للنازحين قتل 12 طفلا").
    for kind, words in cfg.get("quantity_unit_kinds", {}).items():
        for w in words:
            unit_kinds.setdefault(_unit_base(normalize_text(w)), kind)
    unit_alt = "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))
    word_alt = "|".join(sorted((re.escape(w) for w in number_words), key=len, reverse=True))
    mult_alt = "|".join(sorted((re.escape(m) for m in multipliers), key=len, reverse=True))
    # "بضع مئات" is 300-900, but a digit before "مئات" is no count of hundreds ("2017 - 11 - 13 مئات القتلى": a date)
    digit_mult_alt = "|".join(sorted((re.escape(m) for m, v in multipliers.items() if v >= 1000), key=len,
                                     reverse=True))
    # Number words joined by "و" add up: "خمسة وعشرين" 25, "مئة وخمسين" 150 (see _word_value).
    # "7 آلاف و 300 شخص" is 7,300: a number of two or three digits after a digit's thousands joins them (not "3
    # آلاف و5 آلاف": a range; nor "3 آلاف و 5 أطفال": two counts, see _REMAINDER)
    count = (rf"(?:(?P<@n>{_NUMBER})(?:\s+(?P<@m>{digit_mult_alt})"
             rf"(?:\s+و\s*(?P<@r>{_REMAINDER})(?!\s+(?:{mult_alt})(?![\w])))?)?"
             rf"|(?P<@w>{word_alt})(?P<@s>(?:\s+و\s*(?:{word_alt}))*)(?:\s+(?P<@x>{mult_alt}))?)")
    pattern = re.compile(
        # a count starts at a word boundary, or right after a glued conjunction or preposition ("و10", "لـ450":
        # extract_quantities only tries a letter-glued start at a digit)
        rf"(?<![^\W{_GLUED}])(?:(?:ما\s+)?بين\s+{count.replace('@', 'a')}\s+"
        rf"(?:و\s*|الي\s+|حتي\s+)?{count.replace('@', 'b')}"
        rf"|(?:نحو\s+|حوالي\s+|قرابه\s+|اكثر\s+من\s+|اقل\s+من\s+)?{count.replace('@', 'c')})"
        rf"\s+(?:من\s+)?(?P<unit>{unit_alt})(?![\w])"
    )
    triggers = frozenset(number_words)
    unit_tokens = frozenset(w for u in units for w in u.split()[:1])
    # A teen is two words ("احد عشر"): its first word opens a count too.
    openers = triggers | frozenset(w.split()[0] for w in number_words) | frozenset(_OPENERS)
    word_re = re.compile(rf"و?\s*({word_alt})")
    after_kinds = {normalize_text(w): kind
                   for kind, words in cfg.get("quantity_kinds_after", {}).items() for w in words}
    def verb_forms(key: str) -> dict[str, str]:
        return {f: kind for kind, words in cfg.get(key, {}).items() for w in words for f in prefixed(normalize_text(w))}

    one_not_after = frozenset(f for w in cfg.get("one_not_count_after", ()) for f in prefixed(normalize_text(w)))
    tail_stops = frozenset(normalize_text(w) for w in cfg.get("quantity_unit_tail_stops", ()))
    return QuantityLexicon(pattern, number_words, multipliers, units, kinds, unit_kinds, triggers, unit_tokens, openers,
                           after_kinds, verb_forms("quantity_kinds_before"), verb_forms("quantity_kinds_before_weak"),
                           word_re, one_not_after, tail_stops)


def _value(m: re.Match[str], g: str, lex: QuantityLexicon) -> tuple[int, int] | None:
    if m.group(g + "n"):
        base = int(re.sub(r"[.,]", "", m.group(g + "n")))
        mult = lex.multipliers.get(m.group(g + "m") or "", 1)
        rest = int(re.sub(r"[.,]", "", m.group(g + "r") or "0"))
        value = base * mult + (rest if rest < mult else 0)
        return value, value
    if m.group(g + "w"):
        low, high = _word_value(m.group(g + "w"), m.group(g + "s"), lex)
        mult = lex.multipliers.get(m.group(g + "x") or "", 1)
        return low * mult, high * mult
    return None


def _scale(value: int) -> int:
    """1 for units (and teens), 10 for tens, 100 for hundreds, 1000 and up for thousands; a vague word by its low
    end ("بضعة" 3: units, "عشرات" 20: tens, "مئات" 200: hundreds)."""
    return 1 if value < 20 else 10 ** (len(str(value)) - 1)


def _word_value(first: str, rest: str, lex: QuantityLexicon) -> tuple[int, int]:
    """Number words joined by "و" as one number: thousands, hundreds, units, then tens, each scale once
    ("ألف ومئتين وخمسة وعشرين" 1225); a vague word adds its range at its scale ("مئة وبضعة" 103-109, "بضعة
    وعشرون" 23-29, "ألف ومئات" 1200-1999). Anything else ("ثلاثة وأربعة", "عشرات وعشرين") is not one number: the
    last word is the count, as it was read before compound words were."""
    words = [first, *(w.group(1) for w in lex.word_re.finditer(rest))] if rest else [first]
    values = [lex.number_words[w] for w in words]
    if len(values) == 1:
        return values[0]
    scales = [_scale(lo) for lo, hi in values]
    if len(set(scales)) == len(scales) and all(
        a > b or (a, b) == (1, 10) for a, b in zip(scales, scales[1:], strict=False)
    ):
        return sum(lo for lo, _ in values), sum(hi for _, hi in values)
    return values[-1]


def _kind(doc: Doc, first_tok: int, unit_base: str, lex: QuantityLexicon) -> tuple[str, str]:
    """The event a count belongs to. Among the KIND_WINDOW words before the count, in its clause, the last
    event word (killed/arrested/released/...) wins when it kills or frees; otherwise the unit's own kind
    ("معتقل" -> detained, "جرحى" -> injured), then the clause's event word, then "other".
    Punctuation followed by "و" opens a new clause ("أفرجت عن معتقلين، وقدر عددهم بين 500 و600 ضابط":
    officers, not detainees); other punctuation does not ("قتل 16 شخصا، بينهم 8 مدنيين": both killed).
    An earlier count ends the look-back ("3 قتلى و10 جرحى") unless "بينهم"/"منهم" ties the two together.
    Returns the kind and the event word's kind ("" when none)."""
    toks = doc.toks
    lo, k, subset = first_tok, 0, False
    while lo > 0 and k < KIND_WINDOW and toks[lo - 1] != BREAK:
        prev = toks[lo - 1]
        if prev == "" and toks[lo].startswith("\u0648"):
            break
        if (prev[:1].isdigit() or prev in lex.triggers) and not subset:
            break  # an earlier count owns the words before it ("3 قتلى و10 جرحى"), unless this one is among them
        lo -= 1
        k += prev != ""
        subset = subset or prev in _SUBSET
    anchors = [i for i in doc.hits.get(KINDS, ()) if lo <= i < first_tok + 4]
    hits = [h for h in lex.kinds.match(doc, anchors) if lo <= h[1] < first_tok] if anchors else []
    window = ""
    if hits:
        hits.sort(key=hit_order)
        window = str(hits[-1][0].payload)
    before = first_tok - 1
    while before > lo and toks[before] == "":  # across a bracket: "قضى ( 59 ) شخصا"
        before -= 1
    verb = toks[before] if before >= 0 else ""
    window = lex.before_kinds.get(verb, window)  # the word right before is the last event word
    # A unit that names an event ("قتلى", "جرحى", "معتقلين") keeps it unless the clause kills or frees them.
    if window in _OVERRIDING:
        return window, window
    return lex.unit_kinds.get(unit_base) or lex.before_weak_kinds.get(verb) or window or "other", window


def _one_counts_no_one(doc: Doc, first_tok: int, lex: QuantityLexicon) -> bool:
    """Is "واحد/واحدة" at token `first_tok` no count of one: distributive ("كل واحد من المتهمين"), predicative
    ("أنها واحدة من الجنود": she is one of them), or an adjective of the noun before it, the generic "one person"
    ("مقابل تحرير شخص واحد من المختطفين": the price per person freed) or a thing ("عملية واحدة من")? The noun before
    it is a count unit or an indefinite feminine noun (ending in taa marbuta, folded to heh)."""
    j = doc.prev_word(first_tok)
    if j < 0:
        return False
    prev = doc.toks[j]
    return (prev in lex.one_not_after or prev in lex.units
            or (prev.endswith("\u0647") and not prev.startswith("\u0627\u0644")))


def _after_subset_word(doc: Doc, first_tok: int) -> bool:
    """Does the count starting at token `first_tok` follow "بينهم"/"منهم" (across a bracket)?"""
    j = doc.prev_word(first_tok)
    return j >= 0 and doc.toks[j] in _SUBSET


MAX_UNIT_TAIL = 3  # definite words that may follow a count's unit before its verb


def _kind_after(doc: Doc, after: int, lex: QuantityLexicon) -> str | None:
    """The kind a verb after the count gives (`after`: the token after it), across up to MAX_UNIT_TAIL definite
    words that complete the unit ("13 من عناصر الجيش المصري قتلوا", "عشرات الجنود السوريين قتلوا"); punctuation
    ends the search."""
    toks, j = doc.toks, after
    while j < doc.n and j - after < MAX_UNIT_TAIL and _unit_word(toks[j], lex):
        j += 1
    return lex.after_kinds.get(toks[j]) if j < doc.n else None


def _unit_word(tok: str, lex: QuantityLexicon) -> bool:
    """Can `tok` complete a count's unit: a definite word that is neither a verb that gives a kind, nor a time or a
    relative pronoun (lex.tail_stops)?"""
    return tok.startswith("\u0627\u0644") and tok not in lex.after_kinds and tok not in lex.tail_stops


def extract_quantities(doc: Doc, lex: QuantityLexicon) -> tuple[Quantity, ...]:
    """Counts in a Doc already scanned with a Scanner the lexicon registered with.

    Every count phrase ends with a unit word, so instead of running the pattern over whole sentences it
    is tried (pattern.match) only at the tokens that can open a count within COUNT_WINDOW tokens before
    a unit; trying those starts left to right and skipping past each match gives what finditer gives.
    """
    unit_hits = doc.hits.get(UNITS)
    if not unit_hits:
        return ()
    toks, ts, openers = doc.toks, doc.ts, lex.openers
    # A digit glued to a clitic ("و10 جرحى", "ل450 الف") opens a count one character in.
    starts = sorted({p for u in unit_hits for p in range(max(0, u - COUNT_WINDOW), u)
                     if toks[p] in openers or toks[p][:1].isdigit()
                     or (toks[p][:1] in _GLUED and toks[p][1:2].isdigit())})
    if not starts:
        return ()
    out: list[Quantity] = []
    line, base, clean, end_done, coordinated = -1, 0, "", 0, -1
    for p in starts:
        if doc.line_of(p) != line:
            line = doc.line_of(p)
            base = doc.line_char[line]
            clean = doc.line_clean(line)
            end_done = 0
        pos = ts[p] - base + (not toks[p][:1].isdigit() and toks[p][1:2].isdigit())
        if pos < end_done:
            continue
        m = lex.pattern.match(clean, pos)
        if m is None:
            continue
        end_done = m.end()
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
        if high == 1 and m.group("cw") and not m.group("cs") and _one_counts_no_one(doc, p, lex):
            continue
        unit = lex.units[m.group("unit")]
        event = "?"  # the event word before the count ("" none), unknown for a coordinated count
        if out and coordinated == p:
            # "اعتقال عشرات المدنيين وثلاثة أطفال": a count joined by "و" to the one before shares its event,
            # unless its unit names its own ("3 قتلى و10 جرحى").
            kind = lex.unit_kinds.get(unit) or out[-1].kind
        else:
            kind, event = _kind(doc, p, unit, lex)
            if kind == "other" and out and out[-1].seq == doc.seqs[line] and _after_subset_word(doc, p):
                kind = out[-1].kind  # "قضى ( 6 ) أشخاص منهم ( 3 ) أطفال": the children died too
        after = bisect_left(doc.ts, base + m.end())  # the token after the count
        after_kind = _kind_after(doc, after, lex)
        if after_kind and (kind == "other" or (after_kind in _OVERRIDING and event == "")):
            # no event before the count: a verb right after it tells what happened ("500 شخص توفوا"), and
            # kills or frees a unit that names its own kind ("أربعة لاجئين قضوا")
            kind = after_kind
        out.append(Quantity(low, high, unit, kind, doc.norms[line][m.start() : m.end()], doc.seqs[line]))
        coordinated = after if after < doc.n and toks[after].startswith("\u0648") else -1
        if coordinated >= 0 and toks[after][1:] in _APPROXIMATORS and after + 1 < doc.n:
            # "أربعة قتلى وحوالي 15 جريحا": the next count starts after "وحوالي", and is still joined to this one
            # (before, the look-back from 15 took "قتلى", this count's own unit, as the event: 15 killed).
            coordinated = after + 1
    return tuple(out)
