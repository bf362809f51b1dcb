"""An article prepared once for all analysers: one token list over all of its live sentences.

Every analyser used to walk each sentence on its own (a token set, a token list with spans and a
punctuation-free copy per sentence); on a 7k-character article that cost more than the analysis.
A Doc joins the normalised sentences (title first, as seq -1) with " \\n ", blanks punctuation once
(one char for one char, so offsets survive) and splits on single spaces:

* ``toks[i]`` is a word, ``""`` where punctuation (or a doubled space) stood, or ``"\\n"`` between
  sentences. Rules never read across a ``"\\n"`` and stop at a ``""``.
* ``ts[i]`` is the character offset of ``toks[i]`` in ``full``/``clean``, from one C-level prefix sum.
* Two words are adjacent when they are next to each other in ``toks``. Punctuation glued between
  two letters ("U.S", "آل-الأسد") leaves no ``""`` and so does not separate words; spaced
  punctuation, the common case, always does.

One pass of :class:`Scanner` (a C-level ``map``/``compress`` over ``toks``) yields the token
positions of every lexicon key of every analyser at once; Python code then runs only at those hits.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate, compress, count, repeat
from operator import add

from basira.model import Sentence
from basira.normalize import normalize_text

JOIN = " \n "
BREAK = "\n"
NONWORD = frozenset(("", BREAK))
# Punctuation replaced by a space before tokenising; one char for one char so offsets survive.
PUNCTUATION = re.compile(
    r"[!-/:-@\[-`{-~\u00a0-\u00bf\u2010-\u2027\u2030-\u205e\u060c\u061b\u061f\u066a-\u066d\u06d4\ufd3e\ufd3f]"
)


class Doc:
    """The live sentences of one article (and its title as seq -1), tokenised once."""

    __slots__ = ("seqs", "norms", "raws", "paragraphs", "full", "clean", "toks", "ts", "line_char", "n", "hits",
                 "vocab", "cache")

    def __init__(self, seqs: list[int], norms: list[str], raws: list[str], paragraphs: list[int]) -> None:
        full = JOIN.join(norms)
        if full.count(BREAK) != len(norms) - 1 and norms:
            norms = [n.replace(BREAK, " ") for n in norms]
            full = JOIN.join(norms)
        self.seqs, self.norms, self.raws, self.paragraphs = seqs, norms, raws, paragraphs
        self.full = full
        self.clean = clean = PUNCTUATION.sub(" ", full)
        self.toks = toks = clean.split(" ") if clean else []
        self.n = len(toks)
        # ts[i] = offset of toks[i]: the running sum of len(tok) + 1.
        self.ts = list(accumulate(map(add, map(len, toks), repeat(1)), initial=0))
        self.line_char = list(accumulate(map(add, map(len, norms[:-1]), repeat(len(JOIN))), initial=0)) if norms else []
        self.hits: dict[object, list[int]] = {}
        self.vocab: set[str] = set()  # the distinct tokens, filled by Scanner.scan
        self.cache: dict[object, object] = {}  # per-article memo for analysers

    # -- positions -------------------------------------------------------------------------------
    def line_of(self, i: int) -> int:
        """Index (into seqs/norms) of the sentence holding token i."""
        return bisect_right(self.line_char, self.ts[i]) - 1

    def line_of_char(self, c: int) -> int:
        return bisect_right(self.line_char, c) - 1

    def end(self, i: int) -> int:
        return self.ts[i] + len(self.toks[i])

    def line_clean(self, line: int) -> str:
        a = self.line_char[line]
        return self.clean[a : a + len(self.norms[line])]

    def line_first_tok(self, line: int) -> int:
        return bisect_right(self.ts, self.line_char[line]) - 1

    # -- neighbours ------------------------------------------------------------------------------
    def joined(self, j: int) -> bool:
        """Is toks[j] a word right after the word toks[j-1] (no punctuation or sentence break between)?"""
        return 0 < j < self.n and self.toks[j] not in NONWORD

    def next_word(self, i: int) -> int:
        """The next word after token i in the same sentence, across punctuation (-1 if none)."""
        toks, n = self.toks, self.n
        j = i + 1
        while j < n and toks[j] == "":
            j += 1
        return j if j < n and toks[j] != BREAK else -1

    def prev_word(self, i: int) -> int:
        """The previous word before token i in the same sentence, across punctuation (-1 if none)."""
        toks = self.toks
        j = i - 1
        while j >= 0 and toks[j] == "":
            j -= 1
        return j if j >= 0 and toks[j] != BREAK else -1


def prepare_doc(sentences: Iterable[Sentence], title: str | None = None) -> Doc:
    """Non-boilerplate sentences (and the title as seq -1) ready for matching."""
    seqs: list[int] = []
    norms: list[str] = []
    raws: list[str] = []
    paragraphs: list[int] = []
    title_norm = normalize_text(title).replace(BREAK, " ") if title else ""
    if title_norm:
        seqs.append(-1)
        norms.append(title_norm)
        raws.append(title or "")
        paragraphs.append(-1)
    for s in sentences:
        if not s.is_boilerplate:
            seqs.append(s.seq)
            norms.append(s.text_norm)
            raws.append(s.text_raw)
            paragraphs.append(s.paragraph)
    return Doc(seqs, norms, raws, paragraphs)


class Scanner:
    """Finds the token positions of the keys of several lexicons in one pass over a Doc.

    ``add(name, keys)`` registers a key set; ``scan(doc)`` fills ``doc.hits[name]`` with the sorted
    token indices whose token is one of that set's keys. The article's distinct tokens are intersected
    with all keys at once (C-level), then only the tokens found are located.
    """

    def __init__(self) -> None:
        self._sets: dict[object, frozenset[str]] = {}
        self._keys: frozenset[str] = frozenset()
        # key -> the names of the sets holding it, filled as keys turn up in articles: a full map of the
        # 130k keys would take longer to build at load than the keys ever seen cost to look up one by one.
        self._owners: dict[str, tuple[object, ...]] = {}
        self._shared: dict[tuple[object, ...], tuple[object, ...]] = {}  # equal owner tuples are one object
        self._stale = False
        # Key sets that grow as articles come (see add_live): name -> (keys, judge).
        self._live: dict[object, tuple[set[str], Callable[[set[str]], None]]] = {}

    def add(self, name: object, keys: Iterable[str]) -> None:
        self._sets[name] = frozenset(keys)
        self._stale = True  # the union of the keys is rebuilt once, at the next scan, not after every add

    def add_live(self, name: object, keys: set[str], judge: Callable[[set[str]], None]) -> None:
        """Register a key set decided token by token as articles come: before each scan, `judge(vocab)` gets the
        article's distinct tokens and adds to `keys` (in place) those of them it accepts. A token's verdict must
        never change (it is cached with the token's owners); `keys` may be cleared only to be judged again."""
        self._sets[name] = keys  # type: ignore[assignment]
        self._live[name] = (keys, judge)
        self._stale = True

    def build(self) -> None:
        """Prepare for scanning now (scan does it when keys were added since the last build)."""
        if self._stale:
            self._keys = frozenset().union(*(k for name, k in self._sets.items() if name not in self._live))
            self._owners = {}
            self._stale = False

    def owners(self, key: str) -> tuple[object, ...]:
        """The names of the key sets holding `key`, in the order they were added."""
        got = self._owners.get(key)
        if got is None:
            found = tuple(name for name, keys in self._sets.items() if key in keys)
            got = self._owners[key] = self._shared.setdefault(found, found)
        return got

    def scan(self, doc: Doc) -> None:
        if self._stale:
            self.build()
        toks = doc.toks
        hits: dict[object, list[int]] = {name: [] for name in self._sets}
        doc.hits = hits
        doc.vocab = vocab = set(toks)
        found = vocab.intersection(self._keys)
        for keys, judge in self._live.values():
            judge(vocab)
            if keys:
                found |= vocab.intersection(keys)
        if not found:
            return
        owners = self._owners
        for tok in found.difference(owners):
            self.owners(tok)
        for i in compress(count(), map(found.__contains__, toks)):
            for name in owners[toks[i]]:
                hits[name].append(i)
