"""Latin-script names in a search query, matched against the stored entities' Latin transliterations.

Analysts type "Saydnaya", "Sednaya", "Hay'at Tahrir al-Sham" or "Assad"; the index holds Arabic stems only, but every
entity has a Latin form (basira/analysis/transliterate.py). A run of Latin words in a query is matched against
those forms word by word, in three tiers, and the strictest tier that matches anything wins, so "Assad" reads as
the al-Assads and not also as Asaad al-Shaibani (who only meets it once vowels and double letters are folded):

1. `fold_word`: case, diacritics, apostrophes and ayn/hamza marks ("Hay'at" = "Hayat", "Ṣaydnāyā" = "Saydnaya").
2. `loose_word`: common variant spellings on top: e/a, o/u, ou/oo/u, ee/i, ey/ay, y/i and double letters
   ("Sednaya" -> "sadnaia", "Assad" -> "asad", "Hafez" -> "hafaz").
3. one letter apart in the loose form, for words of LOOSE_EDIT_MIN letters or more ("sadnaia" ~ "saidnaia":
   the e of "Sednaya" spells the diphthong that "Saydnaya" spells ay).

The article ("al-", "el-", "al ", "el ") is dropped from both sides: "al-Assad", "el Assad" and "Assad" are one
word. A run of Latin words must match consecutive words of one name; two names are two runs ("Assad, Saydnaya").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Latin letters with their accented forms, and the marks that spell ayn and hamza in transliterations.
_LATIN_WORD = "[A-Za-z\u00c0-\u024f\u1e00-\u1eff'\u2019\u2018`\u02bf\u02be\u00b4\u2010-\u2014-]+"
_LATIN_RUN = re.compile(f"{_LATIN_WORD}(?:\\s+{_LATIN_WORD})*")
_MARKS = re.compile("['\u2019\u2018`\u02bf\u02be\u00b4]")
_WORD_SPLIT = re.compile("[\\s\u2010-\u2014-]+")  # any dash joins "al-Sham" as a hyphen does
_ARTICLES = frozenset({"al", "el", "ul", "il"})
_DOUBLES = re.compile(r"(.)\1+")
# Variant spellings folded in order: digraphs first, then single vowels.
_VARIANTS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ie", "i"), ("ei", "ai"), ("ey", "ay"), ("e", "a"), ("o", "u"))
# A one-letter edit tells apart two short names too easily ("asad" / "asal"): only longer loose words get tier 3.
LOOSE_EDIT_MIN = 5
TIERS = 3


def latin_runs(query: str) -> list[str]:
    """The runs of Latin-script text in a query, in order ("سجن Saydnaya" -> ["Saydnaya"]); a run with no letter
    (a lone hyphen or apostrophe) is not one."""
    return [run for run in _LATIN_RUN.findall(query) if any(ch.isalpha() for ch in run)]


def without_latin(query: str) -> str:
    """The query with its Latin runs blanked out: what the Arabic search reads."""
    return _LATIN_RUN.sub(" ", query)


def replace_runs(query: str, replacements: Mapping[str, str]) -> str:
    """The query with each Latin run that `replacements` holds replaced by its value, the rest as typed ("سجن Sednaya",
    {"Sednaya": "صيدنايا"} -> "سجن صيدنايا")."""
    return _LATIN_RUN.sub(lambda m: replacements.get(m.group(), m.group()), query)


@lru_cache(maxsize=1 << 16)  # entity names repeat the same words (al-Assad, Mohammed) thousands of times
def fold_word(word: str) -> str:
    """Tier 1: lower case, no diacritics, no apostrophes or ayn/hamza marks ("Ḥay'at" -> "hayat")."""
    # Marks first: NFKD spells an acute accent used as an apostrophe (´) as a space and a combining accent.
    decomposed = unicodedata.normalize("NFKD", _MARKS.sub("", word))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=1 << 16)
def loose_word(folded: str) -> str:
    """Tier 2 of a folded word: e/a, o/u, ou/oo/u, ee/ie/i, ey/ei/ay/ai, y/i after the first letter, double
    letters collapsed ("sednaya" -> "sadnaia", "saydnaya" -> "saidnaia", "assad" -> "asad")."""
    word = folded
    for old, new in _VARIANTS:
        word = word.replace(old, new)
    word = word[:1] + word[1:].replace("y", "i")
    return _DOUBLES.sub(r"\1", word)


def name_words(text: str) -> tuple[str, ...]:
    """The folded words of a Latin name or query run, articles dropped ("Hay'at Tahrir al-Sham" ->
    ("hayat", "tahrir", "sham"))."""
    words = (fold_word(w) for w in _WORD_SPLIT.split(text))
    return tuple(w for w in words if w and w not in _ARTICLES)


def within_one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by at most one inserted, deleted or replaced letter."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


def _near(a: str, b: str) -> bool:
    """Tier 3 between two loose words: long enough, one edit apart, the same first and last letter ("sadnaia" ~
    "saidnaia"; "sidnaia" is not "sidnai", Sydney)."""
    return (min(len(a), len(b)) >= LOOSE_EDIT_MIN and a[0] == b[0] and a[-1] == b[-1] and within_one_edit(a, b))


def word_tier(query_word: str, name_word: str) -> int | None:
    """The strictest tier (1-3) at which two folded words are the same word, or None."""
    if query_word == name_word:
        return 1
    loose_q, loose_n = loose_word(query_word), loose_word(name_word)
    if loose_q == loose_n:
        return 2
    if _near(loose_q, loose_n):
        return 3
    return None


def name_tier(query: Sequence[str], name: Sequence[str]) -> int | None:
    """The best tier at which the query words are consecutive words of the name (the worst word's tier), or None."""
    best = None
    for start in range(len(name) - len(query) + 1):
        tiers = [word_tier(q, n) for q, n in zip(query, name[start : start + len(query)])]
        if None not in tiers:
            worst = max(tiers)  # type: ignore[type-var]
            best = worst if best is None else min(best, worst)
    return best


@dataclass(frozen=True)
class Name:
    """An entity the Latin query can read as."""

    entity_key: str
    canonical: str  # Arabic, as stored
    latin: str
    articles: int  # how many articles name it (its df in the index)


@dataclass(frozen=True)
class Reading:
    """What one run of Latin words was read as: the names matching it at the strictest tier that found any."""

    text: str  # the words as typed
    names: tuple[Name, ...]  # most articles first; empty when nothing matched
    tier: int | None


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


class NameIndex:
    """Folded words of every entity's Latin form, with the entities that hold each (built once per store state)."""

    def __init__(self, names: Iterable[Name]) -> None:
        self.names = list(names)
        self.words = [name_words(n.latin) for n in self.names]
        self._by_word: dict[str, list[int]] = {}
        for number, words in enumerate(self.words):
            for word in set(words):
                self._by_word.setdefault(word, []).append(number)
        self._by_loose: dict[str, set[str]] = {}
        for word in self._by_word:
            self._by_loose.setdefault(loose_word(word), set()).add(word)
        # Each long loose word under itself and its one-letter deletions: two words one edit apart share a key, so
        # tier 3 looks up a handful of keys instead of comparing with every word of every name.
        self._by_deletion: dict[str, set[str]] = {}
        for loose in self._by_loose:
            if len(loose) >= LOOSE_EDIT_MIN:
                for key in _deletions(loose):
                    self._by_deletion.setdefault(key, set()).add(loose)

    def _candidates(self, word: str) -> set[int]:
        """Names holding a word that `word` meets at some tier: exact, loose, or a loose word one edit away."""
        loose = loose_word(word)
        similar = set(self._by_loose.get(loose, ()))
        if len(loose) >= LOOSE_EDIT_MIN:
            near = {other for key in _deletions(loose) for other in self._by_deletion.get(key, ())}
            similar.update(w for other in near if _near(other, loose) for w in self._by_loose[other])
        similar.add(word)
        return {n for w in similar for n in self._by_word.get(w, ())}

    def match(self, words: Sequence[str], limit: int) -> tuple[tuple[Name, ...], int | None]:
        """The names (at most `limit`, most articles first) whose Latin form holds `words` consecutively, at the
        strictest tier any name does, and that tier."""
        if not words:
            return (), None
        candidates = set.intersection(*(self._candidates(w) for w in words))
        tiered = [(name_tier(words, self.words[n]), n) for n in candidates]
        tiers = [t for t, _ in tiered if t is not None]
        if not tiers:
            return (), None
        best = min(tiers)
        found = sorted((self.names[n] for t, n in tiered if t == best), key=lambda m: (-m.articles, m.entity_key))
        return tuple(found[:limit]), best

    def read(self, query: str, limit: int) -> list[Reading]:
        """Each Latin run of the query read as one name (a Reading without names when none matches it whole).
        A run is not split into several names: on the real store "Anas Khattab" (not named there) split into
        "Anas" and "Khattab" found lists naming some Anas and some Khattab. Names are separated by anything not
        Latin: "Assad, Saydnaya" or "Assad سجن Saydnaya" are two runs."""
        readings = []
        for run in latin_runs(query):
            names, tier = self.match(name_words(run), limit)
            readings.append(Reading(run, names, tier))
        return readings
