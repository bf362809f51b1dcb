"""Clitic and inflection expansion of lexicon terms, and a hash-based phrase matcher.

Matching works on whole tokens: every term is expanded once, at load time, into the set of
surface forms it can take (conjunction/preposition/article prefixes, number, gender and
possessive suffixes). A phrase is indexed under the forms of its *rarest* word (by rank in
common_words.tsv), not its first: "مجلس الأمن الدولي" waits for "الدولي"... unless that is commoner.
One Scanner pass over a Doc finds the positions of every index key (see doc.py); the other words
of a phrase are then checked on the neighbouring tokens, so the cost per article does not grow
with the size of the lexicon and common first words ("قوات", "وزارة") cost nothing until the
rest of their phrase is there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add
from pathlib import Path

from basira.analysis.doc import PUNCTUATION, Doc
from basira.normalize import normalize_text

AL = "\u0627\u0644"  # the definite article
_WAW, _FA, _BA, _LAM, _KAF = "\u0648", "\u0641", "\u0628", "\u0644", "\u0643"
_HEH, _TEH, _ALEF, _YEH = "\u0647", "\u062a", "\u0627", "\u064a"

CONJUNCTIONS = ("", _WAW, _FA)
PREPOSITIONS = ("", _BA, _LAM, _KAF)
_CLITICS = tuple(c + p for c in CONJUNCTIONS for p in PREPOSITIONS)

# Suffixes after normalisation (teh marbuta is already heh). Pronoun suffixes never follow the article.
_PRONOUNS = ("\u0647", "\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627", "\u0647\u0646", "\u064a", "\u0646\u0627", "\u0643", "\u0643\u0645")
_NUMBER = ("\u064a\u0646", "\u0648\u0646", "\u0627\u0646", "\u0627\u062a", "\u064a\u0647", "\u064a\u064a\u0646", "\u064a\u0648\u0646", "\u064a\u0627\u062a", "\u0647")
_INDEFINITE_ONLY = ("\u0627", "\u0648", "\u0648\u0627", "\u062a", "\u062a\u0627", "\u064a\u0627", "\u0627\u062a\u0647\u0627", "\u0627\u062a\u0647\u0645", "\u0627\u062a\u0647", "\u064a\u0647\u0627")
_FEMININE_INFLECTED = ("\u0627\u0646", "\u064a\u0646", "\u0627", "\u0647", "\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627", "\u064a", "\u0646\u0627", "\u0643", "\u0643\u0645")

# Short words that join a phrase; they take pronoun suffixes ("\u0639\u0646\u0647\u0645") but never the article.
FUNCTION_WORDS = frozenset(
    normalize_text(w)
    for w in "عن في على من الى إلى تحت مع ضد بين بعد قبل عبر لدى حول خلال دون".split()
)

__all__ = ["PUNCTUATION", "Entry", "Hit", "Lexicon", "hit_order", "has_article", "inflected", "name_forms", "prefixed", "word_forms"]

COMMON_WORDS = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "common_words.tsv"
_RARE = 1 << 30


def has_article(word: str) -> bool:
    return word.startswith(AL) and len(word) > 4


def prefixed(word: str, *, conjunctions: Iterable[str] = CONJUNCTIONS) -> set[str]:
    """Every way a word is written with a leading conjunction and/or preposition."""
    forms: set[str] = set()
    for c in conjunctions:
        if has_article(word):
            bare = word[2:]
            forms.update((c + word, c + _BA + word, c + _KAF + word, c + _LAM + _LAM + bare))
            if bare.startswith(_LAM):
                forms.add(c + _LAM + bare)
        else:
            forms.update(c + p + word for p in PREPOSITIONS)
    return forms


def inflected(stem: str, *, definite: bool) -> set[str]:
    """The stem with number/gender/possessive suffixes (stem written without the article)."""
    forms = {stem}
    if stem.endswith(_HEH) and len(stem) > 2:
        base = stem[:-1]
        forms.add(base + "\u0627\u062a")
        forms.update(base + _TEH + s for s in (_FEMININE_INFLECTED if not definite else ("\u0627\u0646", "\u064a\u0646")))
        if not definite:
            forms.update((base + "\u0627\u062a\u0647\u0627", base + "\u0627\u062a\u0647\u0645", base + "\u0627\u062a\u0647"))
        return forms
    forms.update(stem + s for s in _NUMBER)
    if not definite:
        forms.update(stem + s for s in _PRONOUNS + _INDEFINITE_ONLY)
    return forms


def word_forms(word: str, *, inflect: bool = True, lead: bool = True) -> set[str]:
    """Surface forms of one word of a term. `lead` words take clitic prefixes; inner words may gain or lose the article."""
    if word in FUNCTION_WORDS:
        forms = {word} | ({word + p for p in _PRONOUNS} if inflect else set())
        return prefixed(word) if lead else forms
    if not inflect:
        return prefixed(word) if lead else {word}
    stem = word[2:] if has_article(word) else word
    bare = inflected(stem, definite=False)
    definite = {AL + f for f in inflected(stem, definite=True)}
    if not lead:
        return bare | definite
    forms: set[str] = set()
    for f in bare:
        forms.update(map(add, _CLITICS, repeat(f, len(_CLITICS))))
    for f in definite:
        forms |= prefixed(f)
    return forms


def name_forms(word: str) -> set[str]:
    """A proper name's first word: clitics only, the spelling itself is kept."""
    return prefixed(word)


def token_rank(path: Path = COMMON_WORDS) -> dict[str, int]:
    """Rank of each frequent news token (0 = most frequent); unknown tokens are rare. Re-read when the
    file changes, so analysis.reload() picks up a rebuilt list."""
    return _token_rank(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _token_rank(path: Path, _mtime: int) -> dict[str, int]:
    words = [w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")]
    return {w: k for k, w in enumerate(words)}


@dataclass(frozen=True, eq=False)
class Entry:
    """One lexicon phrase: the forms allowed at each word position, the position it is indexed by, and
    what it stands for. `order` is the insertion order (ties between equal hits keep it)."""

    positions: tuple[frozenset[str], ...]
    anchor: int
    payload: object
    term: str
    order: int


# A phrase found on tokens first..last (inclusive indices into Doc.toks): (entry, first, last).
# Plain tuples: a NamedTuple costs a Python-level __new__ per hit, and there are hundreds per article.
Hit = tuple[Entry, int, int]
# A Lexicon row: (one-word phrases, (neighbour set number, phrase) continuing after the anchor, ... ending at it).
Row = tuple[tuple[Entry, ...], tuple[tuple[int, Entry], ...], tuple[tuple[int, Entry], ...]]


def hit_order(hit: Hit) -> tuple[int, int, int]:
    """Sort key: by position, longer first, then lexicon order (the order the old matcher produced)."""
    return hit[1], -hit[2], hit[0].order


class Lexicon:
    """Phrases indexed by the surface forms of their rarest word."""

    def __init__(self, rank: dict[str, int] | None = None) -> None:
        # For the matcher, per anchor form, one row (one dict lookup per hit): the one-word phrases; the longer
        # phrases whose next word is after the anchor; those whose anchor ends them, with the word before.
        # A common anchor ("النظام" in "قوات النظام", "جيش النظام", ...) costs that lookup and one more unless
        # its neighbour fits. The neighbour's form set is numbered once (`member`: form -> numbers of the sets
        # holding it) rather than crossed with the anchor's forms: hundreds of forms times hundreds made
        # millions of dict entries to build. Rows are tuples shared by all the forms of a word until another
        # phrase extends one of them, so adding a phrase is mostly C-level dict.fromkeys/update.
        self.rows: dict[str, Row] = {}
        self.member: dict[str, frozenset[int]] = {}
        self._set_ids: dict[frozenset[str], int] = {}
        self._interned: dict[frozenset[int], frozenset[int]] = {}
        self.rank = token_rank() if rank is None else rank
        self.size = 0

    def _anchor(self, positions: tuple[frozenset[str], ...]) -> int:
        if len(positions) == 1:
            return 0
        rank = self.rank
        # rank.keys() & forms walks the forms in C (a lead word has hundreds of clitic forms).
        scores = [min(map(rank.__getitem__, rank.keys() & forms), default=_RARE) for forms in positions]
        return scores.index(max(scores))

    def add(self, positions: list[set[str]], payload: object, term: str) -> None:
        frozen = tuple(frozenset(p) for p in positions)
        anchor = self._anchor(frozen)
        entry = Entry(frozen, anchor, payload, term, self.size)
        self.size += 1
        forms = frozen[anchor]
        if len(frozen) == 1:
            _extend(self.rows, forms, 0, entry)
            return
        if anchor + 1 < len(frozen):
            slot, neighbour = 1, frozen[anchor + 1]
        else:
            slot, neighbour = 2, frozen[anchor - 1]
        sid = self._set_ids.get(neighbour)
        if sid is None:
            sid = self._set_ids[neighbour] = len(self._set_ids)
            # Equal number sets are one object: tens of thousands of small sets made the GC's first pass over
            # the loaded lexicons cost as much as a fifth of the load.
            member, interned = self.member, self._interned
            alone = frozenset((sid,))
            for nf in neighbour:
                got = member.get(nf)
                if got is None:
                    member[nf] = alone
                else:
                    grown = got | alone
                    member[nf] = interned.setdefault(grown, grown)
        _extend(self.rows, forms, slot, (sid, entry))

    def add_term(self, term: str, payload: object, *, inflect: bool = True) -> None:
        words = normalize_text(term).split()
        if not words:
            return
        positions = [word_forms(w, inflect=inflect, lead=(i == 0)) for i, w in enumerate(words)]
        self.add(positions, payload, " ".join(words))

    def add_name(self, name: str, payload: object, *, short_guard: bool = False) -> None:
        """A proper name: its first word takes clitics. With short_guard, a one-word name of up to three
        letters takes only "و" ("كيا" must not match "فلكيا" = ف+ل+كيا)."""
        words = normalize_text(name).split()
        if words:
            first = words[0]
            forms = ({first, _WAW + first} if short_guard and len(words) == 1 and len(first) <= 3
                     else name_forms(first))
            self.add([forms] + [{w} for w in words[1:]], payload, " ".join(words))

    @property
    def first(self) -> frozenset[str]:
        return self.keys()  # kept for callers that test for an empty lexicon

    def keys(self) -> frozenset[str]:
        return frozenset(self.rows)

    def entries(self) -> list[Entry]:
        """Every phrase, in the order added."""
        found = {e.order: e for row in self.rows.values() for e in (*row[0], *(e for _, e in row[1] + row[2]))}
        return [found[k] for k in sorted(found)]

    def match(self, doc: Doc, indices: Iterable[int]) -> list[Hit]:
        """Every phrase occurrence anchored at the given token indices (hits of self.keys()).

        The other words of a phrase must sit on the adjacent tokens: punctuation (a "" token) or a
        sentence break between them never matches, since neither is in any form set."""
        toks, n = doc.toks, doc.n
        rows, member = self.rows, self.member
        out: list[Hit] = []
        append = out.append
        for i in indices:
            row = rows.get(toks[i])
            if row is None:
                continue
            entries, after, before = row
            for e in entries:
                append((e, i, i))
            if after and i + 1 < n:
                sids = member.get(toks[i + 1])
                if sids is not None:
                    for sid, e in after:
                        if sid in sids:
                            _check(toks, n, i, e, append)
            if before and i > 0:
                sids = member.get(toks[i - 1])
                if sids is not None:
                    for sid, e in before:
                        if sid in sids:
                            _check(toks, n, i, e, append)
        return out

    def find(self, doc: Doc) -> list[Hit]:
        """Scan a Doc for this lexicon alone (tests and tools; analysis scans all lexicons at once)."""
        rows = self.rows
        return self.match(doc, [i for i, t in enumerate(doc.toks) if t in rows])


def _extend(table: dict[str, Row], forms: frozenset[str], slot: int, item: object) -> None:
    """Append item to slot `slot` of the row of every form; forms that share a row keep sharing one."""
    old = table.keys() & forms  # iterates forms; forms.intersection(table) would iterate the whole table
    grown: dict[int, tuple[Row, Row]] = {}  # id(old row) -> (old row, kept alive so the id stays unique; new row)
    for f in old:
        row = table[f]
        got = grown.get(id(row))
        if got is None:
            got = grown[id(row)] = (row, row[:slot] + (row[slot] + (item,),) + row[slot + 1 :])  # type: ignore[assignment]
        table[f] = got[1]
    if len(old) < len(forms):
        new = ((), (), ())[:slot] + ((item,),) + ((), (), ())[slot + 1 :]
        table.update(dict.fromkeys(forms.difference(old) if old else forms, new))


def _check(toks: list[str], n: int, i: int, e: Entry, append) -> None:
    """Append the hit of phrase e anchored at token i if all its words sit on the adjacent tokens."""
    pos = e.positions
    first = i - e.anchor
    last = first + len(pos) - 1
    if first < 0 or last >= n:
        return
    k = first
    for forms in pos:
        if toks[k] not in forms:
            return
        k += 1
    append((e, first, last))
