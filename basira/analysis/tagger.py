"""A linear sequence model for names (structured averaged perceptron over BIO tags, Viterbi decoding).

Trained by eval/train_tagger.py on ANERcorp train; the weights live in basira/data/tagger_weights.tsv.
A position's features are grouped by what they read: its own token, the previous and next token, the
tokens two away (each a cached weight vector per distinct token string and role), and the list and rule
candidates that start, cover or border it (the recogniser's candidates are features, so the model learns
when to trust which rule). Tag bigrams are the transition weights.

Decoding every word of an article would cost more than the rest of the analysis, so only windows are
decoded: around the words that could open a name on their own features (``gate``) and around the
person/organisation candidates of the rules, each window running right until a word whose own features
make O certain (``o_sure``). Outside the windows every tag is O.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Iterable
from operator import add
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
_NEG = -1e9
# A position's tag may only be I-X after B-X or I-X.
_ALLOWED = tuple(tuple(t[0] != "I" or p[2:] == t[2:] for t in TAGS) for p in TAGS)
ROLES = (("", 0), ("p", -1), ("n", 1), ("pp", -2), ("nn", 2))


class Lexicon:
    """Word knowledge the features read: common-word ranks and curated word lists (no corpus text).

    `flags` maps a flag name ("first", "title", "head", ...) to the words that carry it."""

    def __init__(self, ranks: dict[str, int], flags: dict[str, Iterable[str]] | None = None) -> None:
        self.ranks = ranks
        self.flags = tuple((name, frozenset(words)) for name, words in (flags or {}).items())


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
    return "<p>" if tok == "" else "<s>"


def _flags(tok: str, s: str, lex: Lexicon) -> list[str]:
    return [name for name, words in lex.flags if tok in words or s in words]


def self_features(tok: str, lex: Lexicon) -> list[str]:
    """Features of a position read from its own token."""
    if tok == "" or tok == BREAK:
        return ["bias", "w:" + _ctx(tok)]
    s = stem(tok)
    ranks = lex.ranks
    out = ["bias", "w:" + tok, "s:" + s, "b:" + band(tok, ranks), "sb:" + band(s, ranks), "L:" + str(min(len(s), 8))]
    for k in (1, 2, 3, 4):
        if len(tok) > k:
            out.append(f"p{k}:" + tok[:k])
            out.append(f"x{k}:" + tok[-k:])
    for k in (1, 2, 3):
        if len(s) > k:
            out.append(f"sp{k}:" + s[:k])
            out.append(f"sx{k}:" + s[-k:])
    if tok.startswith(AL) or s is not tok and tok.endswith(AL + s):
        out.append("al")
    if s != tok:
        out.append("cl:" + tok[: len(tok) - len(s)])
    out.extend("g:" + f for f in _flags(tok, s, lex))
    return out


def context_features(tok: str, role: str, lex: Lexicon) -> list[str]:
    """Features of a position read from a neighbour; role is p (previous), n (next), pp or nn (two away)."""
    if tok == "" or tok == BREAK:
        return [role + "w:" + _ctx(tok)]
    s = stem(tok)
    flags = [role + "g:" + f for f in _flags(tok, s, lex)]
    if role == "pp" or role == "nn":
        return [role + "w:" + tok, role + "s:" + s, *flags]
    return [role + "w:" + tok, role + "s:" + s, role + "b:" + band(tok, lex.ranks), role + "x2:" + tok[-2:],
            role + "p2:" + tok[:2], role + "sb:" + band(s, lex.ranks), *flags]


def candidate_features(cands: Iterable[tuple[int, int, str, str]], n: int) -> dict[int, list[str]]:
    """Position -> features from (first, last, type, method) candidates of the lists and rules."""
    out: dict[int, list[str]] = {}
    for first, last, etype, method in cands:
        head = "c:" + method + ":" + etype
        for i in range(first, last + 1):
            bi = ":B" if i == first else ":I"
            out.setdefault(i, []).extend((head + bi, "c:" + etype + bi))
        if last + 1 < n:
            out.setdefault(last + 1, []).append("c:after:" + etype)
        if first > 0:
            out.setdefault(first - 1, []).append("c:before:" + etype)
    return out


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


def chunks(tags: list[int], offset: int = 0) -> list[tuple[int, int, str]]:
    """(first, last, type) of the BIO chunks of a tag-index sequence (an orphan I- opens a chunk)."""
    out: list[tuple[int, int, str]] = []
    start, etype = -1, ""
    for k, t in enumerate([*tags, 0]):
        name = TAGS[t]
        if start >= 0 and (name[0] != "I" or name[2:] != etype):
            out.append((start + offset, k - 1 + offset, etype))
            start = -1
        if name[0] == "B" or (name[0] == "I" and start < 0):
            start, etype = k, name[2:]
    return out


class Tagger:
    """Viterbi decoding of the weights over windows of a Doc (see the module docstring)."""

    def __init__(self, weights: dict[str, list[float]], lex: Lexicon, *, gate: float = -32.0, o_sure: float = 8.0,
                 max_window: int = 12) -> None:
        self.weights = weights
        self.lex = lex
        self.gate = gate  # a word opens a window when a B- tag comes within `gate` of O on its own features
        self.o_sure = o_sure  # a window stops before a word whose own features favour O by this much
        self.max_window = max_window
        zero = [0.0] * NTAGS
        self._zero = zero
        # trans[p][t]: weight of tag t after tag p, with the forbidden I- continuations at -1e9.
        self.trans = [[weights.get("t:" + p, zero)[b] if _ALLOWED[a][b] else _NEG for b in range(NTAGS)]
                      for a, p in enumerate(TAGS)]
        self._cols = tuple(tuple(row[t] for row in self.trans) for t in range(NTAGS))  # trans by current tag
        # The only allowed ways into I-PER, I-ORG, I-LOC: from B-X and from I-X.
        self._icols = tuple(self.trans[p][t] for t in (2, 4, 6) for p in (t - 1, t))
        self._roles: dict[str, dict[str, list[float]]] = {r: {} for r, _ in ROLES}
        self._cand: dict[tuple[str, str], tuple[list[float], ...]] = {}
        self._sure: dict[str, bool] = {}
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
            got = cache[tok] = self._sum(feats)
        return got

    def _sum(self, feats: Iterable[str]) -> list[float]:
        w, zero = self.weights, self._zero
        rows = [w[f] for f in feats if f in w]
        return [sum(col) for col in zip(*rows)] if rows else zero

    def emissions(self, toks: list[str], i: int, extra: dict[int, list[float]] | None = None) -> list[float]:
        """The tag scores of position i without transitions; `extra` holds candidate vectors by position."""
        n = len(toks)
        roles, v = self._roles, self._vector
        a, b, c = toks[i], toks[i - 1] if i > 0 else BREAK, toks[i + 1] if i + 1 < n else BREAK
        d, e = toks[i - 2] if i > 1 else BREAK, toks[i + 2] if i + 2 < n else BREAK
        # Cached vectors first (the common case); _vector computes a missing one.
        out = [p + q + r + s + t for p, q, r, s, t in zip(
            roles[""].get(a) or v(a, ""), roles["p"].get(b) or v(b, "p"), roles["n"].get(c) or v(c, "n"),
            roles["pp"].get(d) or v(d, "pp"), roles["nn"].get(e) or v(e, "nn"))]
        if extra:
            got = extra.get(i)
            if got is not None:
                out = [x + y for x, y in zip(out, got)]
        return out

    def candidate_vectors(self, cands: Iterable[tuple[int, int, str, str]], n: int,
                          only: Container[int] | None = None) -> dict[int, list[float]]:
        """Position -> summed weights of the candidate features there (candidate_features), from vectors cached
        per (method, type); with `only`, for those positions only."""
        out: dict[int, list[float]] = {}
        cache = self._cand
        for first, last, etype, method in cands:
            key = (method, etype)
            got = cache.get(key)
            if got is None:
                head = "c:" + method + ":" + etype
                got = cache[key] = (self._sum((head + ":B", "c:" + etype + ":B")),
                                    self._sum((head + ":I", "c:" + etype + ":I")),
                                    self._sum(("c:after:" + etype,)), self._sum(("c:before:" + etype,)))
            # A candidate adds to each position once, so only the order of candidates fixes the float sums.
            begin, inner, after, before = got
            for i, v in ((first, begin), (last + 1, after), (first - 1, before)):
                if 0 <= i < n and (only is None or i in only):
                    old = out.get(i)
                    out[i] = v if old is None else list(map(add, old, v))
            for i in range(first + 1, last + 1):
                if only is None or i in only:
                    old = out.get(i)
                    out[i] = inner if old is None else list(map(add, old, inner))
        return out

    def viterbi(self, toks: list[str], first: int, last: int, extra: dict[int, list[float]] | None = None
                ) -> list[int]:
        """Best tag indices for toks[first..last], entered from O."""
        # Unrolled over the 7 tags with the scores in locals: list/map/max/index calls per tag cost several
        # times the arithmetic. Sums are added in the same order as emissions() and ties go to the lowest
        # tag index (as list.index(max(...)) did), so the path is the same to the last bit.
        n = len(toks)
        roles, v = self._roles, self._vector
        r0, r1, r2, r3, r4 = roles[""], roles["p"], roles["n"], roles["pp"], roles["nn"]
        ext = extra or {}
        (a00, a01, a02, a03, a04, a05, a06), (a10, a11, a12, a13, a14, a15, a16), _, \
            (a30, a31, a32, a33, a34, a35, a36), _, (a50, a51, a52, a53, a54, a55, a56), _ = self._cols
        c21, c22, c43, c44, c65, c66 = self._icols
        backs: list[tuple[int, ...]] = []
        s0 = s1 = s2 = s3 = s4 = s5 = s6 = 0.0
        for i in range(first, last + 1):
            a = toks[i]
            b = toks[i - 1] if i > 0 else BREAK
            c = toks[i + 1] if i + 1 < n else BREAK
            d = toks[i - 2] if i > 1 else BREAK
            e = toks[i + 2] if i + 2 < n else BREAK
            em = map(add, map(add, map(add, map(add, r0.get(a) or v(a, ""), r1.get(b) or v(b, "p")),
                                                r2.get(c) or v(c, "n")), r3.get(d) or v(d, "pp")),
                     r4.get(e) or v(e, "nn"))
            got = ext.get(i)
            if got is not None:
                em = map(add, em, got)
            e0, e1, e2, e3, e4, e5, e6 = em
            if i == first:
                t0, t1, t2, t3, t4, t5, t6 = self.trans[0]
                s0, s1, s2, s3, s4, s5, s6 = t0 + e0, t1 + e1, t2 + e2, t3 + e3, t4 + e4, t5 + e5, t6 + e6
                continue
            # O
            x0, k0 = s0 + a00, 0
            x = s1 + a01
            if x > x0:
                x0, k0 = x, 1
            x = s2 + a02
            if x > x0:
                x0, k0 = x, 2
            x = s3 + a03
            if x > x0:
                x0, k0 = x, 3
            x = s4 + a04
            if x > x0:
                x0, k0 = x, 4
            x = s5 + a05
            if x > x0:
                x0, k0 = x, 5
            x = s6 + a06
            if x > x0:
                x0, k0 = x, 6
            # B-PER
            x1, k1 = s0 + a10, 0
            x = s1 + a11
            if x > x1:
                x1, k1 = x, 1
            x = s2 + a12
            if x > x1:
                x1, k1 = x, 2
            x = s3 + a13
            if x > x1:
                x1, k1 = x, 3
            x = s4 + a14
            if x > x1:
                x1, k1 = x, 4
            x = s5 + a15
            if x > x1:
                x1, k1 = x, 5
            x = s6 + a16
            if x > x1:
                x1, k1 = x, 6
            # B-ORG
            x3, k3 = s0 + a30, 0
            x = s1 + a31
            if x > x3:
                x3, k3 = x, 1
            x = s2 + a32
            if x > x3:
                x3, k3 = x, 2
            x = s3 + a33
            if x > x3:
                x3, k3 = x, 3
            x = s4 + a34
            if x > x3:
                x3, k3 = x, 4
            x = s5 + a35
            if x > x3:
                x3, k3 = x, 5
            x = s6 + a36
            if x > x3:
                x3, k3 = x, 6
            # B-LOC
            x5, k5 = s0 + a50, 0
            x = s1 + a51
            if x > x5:
                x5, k5 = x, 1
            x = s2 + a52
            if x > x5:
                x5, k5 = x, 2
            x = s3 + a53
            if x > x5:
                x5, k5 = x, 3
            x = s4 + a54
            if x > x5:
                x5, k5 = x, 4
            x = s5 + a55
            if x > x5:
                x5, k5 = x, 5
            x = s6 + a56
            if x > x5:
                x5, k5 = x, 6
            # I-X only after B-X or I-X (ties to B-X).
            x2, x = s1 + c21, s2 + c22
            if x2 >= x:
                k2 = 1
            else:
                x2, k2 = x, 2
            x4, x = s3 + c43, s4 + c44
            if x4 >= x:
                k4 = 3
            else:
                x4, k4 = x, 4
            x6, x = s5 + c65, s6 + c66
            if x6 >= x:
                k6 = 5
            else:
                x6, k6 = x, 6
            backs.append((k0, k1, k2, k3, k4, k5, k6))
            s0, s1, s2, s3, s4, s5, s6 = x0 + e0, x1 + e1, x2 + e2, x3 + e3, x4 + e4, x5 + e5, x6 + e6
        score = [s0, s1, s2, s3, s4, s5, s6]
        k = score.index(max(score))
        path = [k]
        for back in reversed(backs):
            k = back[k]
            path.append(k)
        path.reverse()
        return path

    def _opens(self, tok: str) -> bool:
        # Person and organisation openers only: the recogniser keeps the rules' places.
        v = self._vector(tok, "")
        return max(v[1], v[3]) - v[0] > -self.gate

    def is_sure_o(self, tok: str) -> bool:
        """Does the token's own feature vector favour O over every entity tag by `o_sure` or more?"""
        got = self._sure.get(tok)
        if got is None:
            v = self._vector(tok, "")
            got = self._sure[tok] = v[0] - max(v[1:]) >= self.o_sure
        return got

    def openers(self, doc: Doc, common: frozenset[str]) -> set[str]:
        """The words of a Doc outside `common` that may open a name on their own features. Each token string
        is judged once per process: the tokens seen (common words included) are one set, so an article costs
        one C-level pass over its distinct tokens plus an intersection with the few hopeful ones."""
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

    @staticmethod
    def positions(doc: Doc, words: Iterable[str]) -> list[int]:
        """Token positions of `words` in a Doc, found with str.find in its text (a C-level search; a Python
        pass over ~1,500 tokens per article cost more than decoding)."""
        clean, ts = doc.clean, doc.ts
        size = len(clean)
        out: list[int] = []
        for w in words:
            k = len(w)
            c = clean.find(w)
            while c >= 0:
                end = c + k
                if (c == 0 or clean[c - 1] == " ") and (end == size or clean[end] == " "):
                    out.append(bisect_left(ts, c))
                c = clean.find(w, end)
        return out

    def windows(self, toks: list[str], seeds: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """Merged (first, last) windows for (position, last position at least) seeds: each with the word
        before it, running right until a word where O is certain, a punctuation mark or `max_window` words.
        Windows that overlap or touch are one window, so a name is never cut where two windows meet."""
        n = len(toks)
        out: list[tuple[int, int]] = []
        sure = self.is_sure_o
        for i, least in sorted(set(seeds)):
            first = i - 1 if i > 0 and toks[i - 1] not in _NONWORD and not sure(toks[i - 1]) else i
            j = i + 1
            limit = min(n, i + self.max_window)
            while j < limit and toks[j] not in _NONWORD and (j <= least or not sure(toks[j])):
                j += 1
            if out and first <= out[-1][1] + 1:
                if j - 1 > out[-1][1]:
                    out[-1] = (out[-1][0], j - 1)
            else:
                out.append((first, j - 1))
        return out

    def decode(self, doc: Doc, seeds: Iterable[tuple[int, int]], extra: dict[int, list[float]] | None = None
               ) -> list[tuple[int, int, str]]:
        """(first token, last token, type) of the names found in the windows around `seeds`."""
        toks = doc.toks
        out: list[tuple[int, int, str]] = []
        for first, last in self.windows(toks, seeds):
            out.extend(chunks(self.viterbi(toks, first, last, extra), first))
        return out

    def decode_all(self, toks: list[str], extra: dict[int, list[float]] | None = None) -> list[tuple[int, int, str]]:
        """Every word decoded (evaluation only: far too slow for ingestion)."""
        out: list[tuple[int, int, str]] = []
        i, n = 0, len(toks)
        while i < n:
            if toks[i] in _NONWORD:
                i += 1
                continue
            j = i
            while j + 1 < n and toks[j + 1] not in _NONWORD:
                j += 1
            out.extend(chunks(self.viterbi(toks, i, j, extra), i))
            i = j + 1
        return out


def read_ranks(path: Path) -> dict[str, int]:
    words = [w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")]
    return {w: k for k, w in enumerate(words)}
