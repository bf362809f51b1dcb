"""A small linear sequence tagger (averaged perceptron, BIO tags) for names that no list or rule finds.

Trained by eval/train_tagger.py on ANERcorp train; the weights live in basira/data/tagger_weights.tsv.
The features of a position are grouped by the token they read: the token itself, the previous and the
next token, the tokens two away, and the previous tag. A token's weight vector for each role is the sum
of its features' weights, so it is computed once per distinct token string and cached across articles;
scoring a position is then five cached look-ups, one vector sum and the transition weights.

Only rare tokens (not in the common-word list) whose own features leave an entity tag within ``gate``
of the O tag open a name: ~150 of an article's ~1,500 tokens are rare and most of those are hopeless
on their own, so the tagger costs little per article. A name may continue into common words.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from itertools import compress, count
from pathlib import Path

from basira.analysis.doc import BREAK, Doc

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
NTAGS = len(TAGS)
WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "tagger_weights.tsv"
AL = "\u0627\u0644"
# Clitics stripped for the "stem" feature, longest first (a stem keeps at least three letters).
_CLITICS = tuple(sorted({c + p for c in ("", "\u0648", "\u0641") for p in ("", "\u0628", "\u0644", "\u0643")}
                        | {c + p + AL for c in ("", "\u0648", "\u0641") for p in ("", "\u0628", "\u0643")}
                        | {"\u0644\u0644", "\u0648\u0644\u0644", "\u0641\u0644\u0644"} - {""}, key=len, reverse=True))
# Frequency bands of the common-word list (its rank order): very frequent, frequent, ordinary, rare-ish.
_BANDS = ((300, "1"), (3000, "2"), (12000, "3"))
_CACHE_LIMIT = 200_000
_NONWORD = frozenset(("", BREAK))
# A position's tag may only be I-X after B-X or I-X.
_ALLOWED = tuple(tuple(t[0] != "I" or p[2:] == t[2:] for t in TAGS) for p in TAGS)


class Lexicon:
    """Word knowledge the features read: common-word ranks and curated name words (no corpus text)."""

    def __init__(self, ranks: dict[str, int], first_names: Iterable[str] = (), person_words: Iterable[str] = (),
                 loc_words: Iterable[str] = (), name_words: Iterable[str] = ()) -> None:
        self.ranks = ranks
        self.first_names = frozenset(first_names)
        self.person_words = frozenset(person_words)
        self.loc_words = frozenset(loc_words)
        self.name_words = frozenset(name_words)


def stem(tok: str) -> str:
    for p in _CLITICS:
        if tok.startswith(p) and len(tok) - len(p) >= 3:
            return tok[len(p):]
    return tok


def band(tok: str, ranks: dict[str, int]) -> str:
    r = ranks.get(tok)
    if r is None:
        return "0"
    for limit, name in _BANDS:
        if r < limit:
            return name
    return "4"


def _ctx(tok: str) -> str:
    return "<p>" if tok == "" else "<s>" if tok == BREAK else tok


def self_features(tok: str, lex: Lexicon) -> list[str]:
    """Features of a position read from its own token."""
    if tok == "" or tok == BREAK:
        return ["bias", "w:" + _ctx(tok)]
    s = stem(tok)
    ranks = lex.ranks
    out = ["bias", "w:" + tok, "s:" + s, "p2:" + tok[:2], "p3:" + tok[:3], "x2:" + tok[-2:], "x3:" + tok[-3:],
           "sp2:" + s[:2], "sx2:" + s[-2:], "b:" + band(tok, ranks), "sb:" + band(s, ranks),
           "L:" + str(min(len(s), 8))]
    if tok.startswith(AL) or s is not tok and tok.endswith(AL + s):
        out.append("al")
    if s != tok:
        out.append("cl:" + tok[: len(tok) - len(s)])
    if s in lex.first_names or tok in lex.first_names:
        out.append("g:first")
    if s in lex.person_words:
        out.append("g:per")
    if s in lex.loc_words:
        out.append("g:loc")
    if s in lex.name_words:
        out.append("g:name")
    return out


def context_features(tok: str, role: str, lex: Lexicon) -> list[str]:
    """Features of a position read from a neighbour; role is p (previous), n (next), pp or nn (two away)."""
    if tok == "" or tok == BREAK:
        return [role + "w:" + _ctx(tok)]
    if role == "pp" or role == "nn":
        return [role + "w:" + tok]
    s = stem(tok)
    return [role + "w:" + tok, role + "s:" + s, role + "b:" + band(tok, lex.ranks), role + "x2:" + tok[-2:]]


def read_weights(path: Path = WEIGHTS_FILE) -> dict[str, list[float]]:
    """feature -> one weight per tag (TAGS order); a missing file is an empty model."""
    out: dict[str, list[float]] = {}
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            feat, _, ws = line.rstrip("\n").partition("\t")
            out[feat] = [int(w) / 100 for w in ws.split(" ")]
    return out


class Tagger:
    """Greedy left-to-right decoding of the weights over the rare tokens of a Doc."""

    def __init__(self, weights: dict[str, list[float]], lex: Lexicon, *, gate: float = 0.0, margin: float = 0.0,
                 look_back: bool = False, types: Iterable[str] = ("PER", "ORG")) -> None:
        self.weights = weights
        self.lex = lex
        self.gate = gate
        self.margin = margin  # an opening tag must beat O by this much in context
        self.look_back = look_back  # may a name open on the word before a rare opener ("جون كندي")?
        self.types = frozenset(types)
        # Set by the recogniser (entities.py) from its word lists: a person never follows a place or body head
        # ("محافظه صلاح الدين", "شارع حسين حجازي"), never ends on a name opener ("عبد", "ابن"), and one word that
        # is an ambiguous given name ("حسن" good, "حازم" firm) is left alone.
        self.heads: frozenset[str] = frozenset()
        self.openers_words: frozenset[str] = frozenset()
        self.ambiguous: frozenset[str] = frozenset()
        zero = [0.0] * NTAGS
        self._zero = zero
        self._trans = [weights.get("t:" + p, zero) for p in TAGS]
        self._roles: dict[str, dict[str, list[float]]] = {r: {} for r in ("", "p", "n", "pp", "nn")}
        self._hopeful: set[str] = set()
        self._seen: set[str] = set()
        self._common: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.weights)

    def _vector(self, tok: str, role: str) -> list[float]:
        cache = self._roles[role]
        got = cache.get(tok)
        if got is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            feats = self_features(tok, self.lex) if role == "" else context_features(tok, role, self.lex)
            w, zero = self.weights, self._zero
            got = cache[tok] = [sum(col) for col in zip(*(w.get(f, zero) for f in feats))] if feats else zero
        return got

    def _opens(self, tok: str) -> bool:
        """Could this token open a name on its own features (an entity B- tag within `gate` of O)?"""
        v = self._vector(tok, "")
        return max(v[1], v[3], v[5]) - v[0] > -self.gate

    def scores(self, toks: list[str], i: int, prev: int) -> list[float]:
        n = len(toks)
        roles, v = self._roles, self._vector
        a, b, c = toks[i], toks[i - 1] if i > 0 else BREAK, toks[i + 1] if i + 1 < n else BREAK
        d, e = toks[i - 2] if i > 1 else BREAK, toks[i + 2] if i + 2 < n else BREAK
        # Cached vectors first (the common case); _vector computes a missing one.
        return [p + q + r + s + t + u for p, q, r, s, t, u in zip(
            roles[""].get(a) or v(a, ""), roles["p"].get(b) or v(b, "p"), roles["n"].get(c) or v(c, "n"),
            roles["pp"].get(d) or v(d, "pp"), roles["nn"].get(e) or v(e, "nn"), self._trans[prev])]

    def best(self, toks: list[str], i: int, prev: int) -> int:
        s = self.scores(toks, i, prev)
        if prev == 0:
            s[2] = s[4] = s[6] = -1e9  # an I- tag only continues a name
        else:
            allowed = _ALLOWED[prev]
            for k in range(NTAGS):
                if not allowed[k]:
                    s[k] = -1e9
        return s.index(max(s))

    def _open(self, toks: list[str], i: int) -> int:
        """The tag opening a name at i after an O, or 0 (O) when no B- tag beats O by the margin."""
        s = self.scores(toks, i, 0)
        k = max((1, 3, 5), key=s.__getitem__)
        return k if s[k] - s[0] > self.margin else 0

    def openers(self, doc: Doc, common: frozenset[str]) -> set[str]:
        """The words of a Doc outside `common` that may open a name. Each token string is judged once per
        process: the tokens seen (common words included) are one set, so an article costs one C-level pass
        over its distinct tokens plus an intersection with the few hopeful ones."""
        seen = self._seen
        if self._common is not common or len(seen) > _CACHE_LIMIT + len(common):
            self._common = common
            seen = self._seen = set(common) | _NONWORD
            self._hopeful.clear()
        fresh = doc.vocab.difference(seen)
        if fresh:
            hopeful = self._hopeful
            for t in fresh:
                if self._opens(t):
                    hopeful.add(t)
            seen |= fresh
        return doc.vocab.intersection(self._hopeful)

    def spans(self, doc: Doc, common: frozenset[str], taken: Container[int] = ()) -> list[tuple[int, int, str]]:
        """(first token, last token, type) of the names the tagger finds starting at words outside `common`;
        positions in `taken` (where a list or rule already starts or ends a name) open nothing."""
        openers = self.openers(doc, common)
        if not openers:
            return []
        toks, n = doc.toks, doc.n
        out: list[tuple[int, int, str]] = []
        done = -1  # positions up to here are decoded already
        for i in compress(count(), map(openers.__contains__, toks)):
            if i <= done or i in taken:
                continue
            first = i
            tag = 0
            if self.look_back and i - 1 > done and toks[i - 1] not in _NONWORD:
                tag = self._open(toks, i - 1)
                if tag:
                    first = i - 1
                    nxt = self.best(toks, i, tag)
                    if TAGS[nxt][0] == "I":
                        tag = nxt
                    else:
                        tag, first = 0, i
            if not tag:
                tag = self._open(toks, i)
                if tag == 0:
                    continue
            etype = TAGS[tag][2:]
            j = i + 1
            while j < n and toks[j] != "" and toks[j] != BREAK:
                nxt = self.best(toks, j, tag)
                if nxt == 0 or TAGS[nxt][0] == "B":
                    break
                tag = nxt
                j += 1
            done = j - 1
            if etype in self.types and self._plausible(toks, first, j - 1, etype):
                out.append((first, j - 1, etype))
        return out


    def _plausible(self, toks: list[str], first: int, last: int, etype: str) -> bool:
        if etype != "PER":
            return True
        if first and toks[first - 1] in self.heads:
            return False
        if toks[last] in self.openers_words:
            return False
        return first != last or toks[first] not in self.ambiguous


def read_ranks(path: Path) -> dict[str, int]:
    words = [w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")]
    return {w: k for k, w in enumerate(words)}
