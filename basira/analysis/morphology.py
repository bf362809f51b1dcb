"""Clitic and inflection expansion of lexicon terms, and a hash-based phrase matcher.

Matching works on whole tokens: every term is expanded once, at load time, into the set of
surface forms it can take (conjunction/preposition/article prefixes, number, gender and
possessive suffixes). A sentence is then matched by one C-level set intersection of its tokens
with those forms, so the cost per sentence does not grow with the size of the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from basira.model import Sentence
from basira.normalize import normalize_text

AL = "\u0627\u0644"  # the definite article
_WAW, _FA, _BA, _LAM, _KAF = "\u0648", "\u0641", "\u0628", "\u0644", "\u0643"
_HEH, _TEH, _ALEF, _YEH = "\u0647", "\u062a", "\u0627", "\u064a"

CONJUNCTIONS = ("", _WAW, _FA)
PREPOSITIONS = ("", _BA, _LAM, _KAF)

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

# Punctuation replaced by a space before tokenising; one char for one char so offsets survive.
_NON_SPACE = re.compile(r"[^ ]+")
PUNCTUATION = re.compile(
    r"[!-/:-@\[-`{-~\u00a0-\u00bf\u2010-\u2027\u2030-\u205e\u060c\u061b\u061f\u066a-\u066d\u06d4\ufd3e\ufd3f]"
)


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
        forms.update(c + p + f for c in CONJUNCTIONS for p in PREPOSITIONS)
    for f in definite:
        forms |= prefixed(f)
    return forms


def name_forms(word: str) -> set[str]:
    """A proper name's first word: clitics only, the spelling itself is kept."""
    return prefixed(word)


@dataclass(frozen=True)
class Entry:
    """One lexicon phrase: the forms allowed at each word position after the first, and what it stands for."""

    rest: tuple[frozenset[str], ...]
    payload: object
    term: str


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int
    end: int
    surface: str


@dataclass
class Lexicon:
    """Maps the first-word surface forms of many phrases to their entries."""

    first: dict[str, list[Entry]] = field(default_factory=dict)
    _keys: frozenset[str] | None = None

    def add(self, positions: list[set[str]], payload: object, term: str) -> None:
        entry = Entry(tuple(frozenset(p) for p in positions[1:]), payload, term)
        for form in positions[0]:
            self.first.setdefault(form, []).append(entry)
        self._keys = None

    def add_term(self, term: str, payload: object, *, inflect: bool = True) -> None:
        words = normalize_text(term).split()
        if not words:
            return
        positions = [word_forms(w, inflect=inflect, lead=(i == 0)) for i, w in enumerate(words)]
        self.add(positions, payload, " ".join(words))

    def add_name(self, name: str, payload: object) -> None:
        words = normalize_text(name).split()
        if words:
            self.add([name_forms(words[0])] + [{w} for w in words[1:]], payload, " ".join(words))

    def find(self, line: "Line") -> list[Hit]:
        if self._keys is None:
            self._keys = frozenset(self.first)
        found = line.token_set & self._keys
        if not found:
            return []
        hits: list[Hit] = []
        clean = line.clean
        for form in found:
            entries = self.first[form]
            for start, end in occurrences(clean, form):
                following: list[tuple[str, int]] | None = None
                for entry in entries:
                    rest = entry.rest
                    if not rest:
                        hits.append(Hit(entry, start, end, line.norm[start:end]))
                        continue
                    if following is None:
                        following = following_tokens(clean, end, 4)
                    n = len(rest)
                    if len(following) >= n and all(following[k][0] in rest[k] for k in range(n)):
                        stop = following[n - 1][1]
                        hits.append(Hit(entry, start, stop, line.norm[start:stop]))
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits


def following_tokens(clean: str, pos: int, n: int) -> list[tuple[str, int]]:
    """Up to n (token, end offset) pairs after `pos`."""
    out: list[tuple[str, int]] = []
    for tok in clean[pos : pos + 160].split(None, n)[:n]:
        pos = clean.find(tok, pos) + len(tok)
        out.append((tok, pos))
    return out


def occurrences(clean: str, token: str) -> Iterator[tuple[int, int]]:
    """Whole-token occurrences of `token` in a punctuation-free line."""
    n = len(token)
    i = clean.find(token)
    while i != -1:
        j = i + n
        if (i == 0 or clean[i - 1] == " ") and (j == len(clean) or clean[j] == " "):
            yield i, j
        i = clean.find(token, i + 1)


@dataclass(frozen=True)
class Line:
    """A sentence prepared for matching: `clean` is text_norm with punctuation blanked (same offsets)."""

    seq: int
    norm: str
    clean: str
    tokens: tuple[str, ...]
    token_set: frozenset[str]
    paragraph: int = -1
    raw: str = ""

    def tokens_with_spans(self) -> list[tuple[str, int, int]]:
        return [(m.group(), m.start(), m.end()) for m in _NON_SPACE.finditer(self.clean)]


def prepare_lines(sentences: list[Sentence], title: str | None = None) -> list[Line]:
    """Non-boilerplate sentences (and the title as seq -1) ready for matching; one regex pass in all."""
    live = [s for s in sentences if not s.is_boilerplate]
    norms = [s.text_norm.replace("\n", " ") for s in live]
    title_norm = normalize_text(title).replace("\n", " ") if title else ""
    if title_norm:
        norms.insert(0, title_norm)
    if not norms:
        return []
    cleans = PUNCTUATION.sub(" ", "\n".join(norms)).split("\n")
    lines: list[Line] = []
    offset = 0
    if title_norm:
        toks = tuple(cleans[0].split())
        lines.append(Line(-1, norms[0], cleans[0], toks, frozenset(toks), -1, title or ""))
        offset = 1
    for s, norm, clean in zip(live, norms[offset:], cleans[offset:]):
        toks = tuple(clean.split())
        lines.append(Line(s.seq, norm, clean, toks, frozenset(toks), s.paragraph, s.text_raw))
    return lines
