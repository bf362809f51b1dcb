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
from collections.abc import Container, Iterable, Iterator
from pathlib import Path

import numpy as np

from basira.analysis.doc import BREAK, Doc

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
NTAGS = len(TAGS)
WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "tagger_weights.tsv"
CLUSTERS_FILE = WEIGHTS_FILE.parent / "word_clusters.tsv"
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
_NEG_INT = -(10**12)  # a forbidden transition in integer scores
_PAD = "\x00"  # the token of padding steps (zero vectors)
# A position's tag may only be I-X after B-X or I-X.
_ALLOWED = tuple(tuple(t[0] != "I" or p[2:] == t[2:] for t in TAGS) for p in TAGS)
ROLES = (("", 0), ("p", -1), ("n", 1), ("pp", -2), ("nn", 2))


class Lexicon:
    """Word knowledge the features read: common-word ranks, curated word lists and word clusters (no corpus text).

    `flags` maps a flag name ("first", "title", "head", ...) to the words that carry it; `clusters` maps a word
    to its (fine, coarse) distributional cluster (eval/build_clusters.py, from unlabelled news)."""

    def __init__(self, ranks: dict[str, int], flags: dict[str, Iterable[str]] | None = None,
                 clusters: dict[str, tuple[str, str]] | None = None) -> None:
        self.ranks = ranks
        self.flags = tuple((name, frozenset(words)) for name, words in (flags or {}).items())
        self.clusters = clusters or {}


def read_clusters(path: Path = CLUSTERS_FILE) -> dict[str, tuple[str, str]]:
    """word -> (fine, coarse) cluster ids; a missing file is no clusters."""
    out: dict[str, tuple[str, str]] = {}
    for line in _data_lines(path):
        word, fine, coarse = line.split("\t")
        out[word] = (fine, coarse)
    return out


def _data_lines(path: Path) -> Iterator[str]:
    """The lines of a model data file without comments, blank lines or line ends; a missing file has none (an
    empty model: the recogniser then runs on its rules alone)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n")


_NO_CLUSTER = ("-", "-")  # a word outside the cluster vocabulary: rare in news, so often a name


def _cluster(tok: str, s: str, lex: Lexicon) -> tuple[str, str]:
    c = lex.clusters
    return c.get(tok) or c.get(s) or _NO_CLUSTER


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
    if lex.clusters:
        fine, coarse = _cluster(tok, s, lex)
        out.append("k:" + fine)
        out.append("kc:" + coarse)
    return out


def context_features(tok: str, role: str, lex: Lexicon) -> list[str]:
    """Features of a position read from a neighbour; role is p (previous), n (next), pp or nn (two away)."""
    if tok == "" or tok == BREAK:
        return [role + "w:" + _ctx(tok)]
    s = stem(tok)
    flags = [role + "g:" + f for f in _flags(tok, s, lex)]
    if lex.clusters:
        fine, coarse = _cluster(tok, s, lex)
        flags.append(role + "kc:" + coarse)
        if role == "p" or role == "n":
            flags.append(role + "k:" + fine)
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
    for line in _data_lines(path):
        feat, _, ws = line.partition("\t")
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
    """Viterbi decoding of the weights over windows of a Doc (see the module docstring).

    Scores are integers (the weights x100, as stored), so sums are exact and their order does not matter:
    numpy adds the vectors of all windows of an article at once and runs Viterbi over the windows side by
    side (one numpy step per position of the longest window, instead of ~30 Python operations per position
    and tag). Ties go to the lowest tag index."""

    def __init__(self, weights: dict[str, list[float]], lex: Lexicon, *, gate: float = -32.0, o_sure: float = 8.0,
                 max_window: int = 12) -> None:
        self.weights = weights
        self.lex = lex
        self.gate = gate  # a word opens a window when a B- tag comes within `gate` of O on its own features
        self.o_sure = o_sure  # a window stops before a word whose own features favour O by this much
        self.max_window = max_window
        self._gate100 = -gate * 100
        self._sure100 = o_sure * 100
        zero = [0.0] * NTAGS
        # trans[p][t]: weight of tag t after tag p, with the forbidden I- continuations at -1e9.
        self.trans = [[weights.get("t:" + p, zero)[b] if _ALLOWED[a][b] else _NEG for b in range(NTAGS)]
                      for a, p in enumerate(TAGS)]
        feats = [f for f in weights if not f.startswith("t:")]
        self._fid = {f: k for k, f in enumerate(feats)}
        # One row per feature (x100, exact) and a last zero row that closes every segment of _add_tokens.
        self._w = np.zeros((len(feats) + 1, NTAGS), dtype=np.int64)
        if feats:
            self._w[:-1] = np.rint(np.array([weights[f] for f in feats], dtype=np.float64) * 100)
        t = np.array([[round(x * 100) if x != _NEG else _NEG_INT for x in row] for row in self.trans], dtype=np.int64)
        self._t0 = t[0]  # a window is entered from O
        self._tt = t.T.copy()  # [tag, previous tag]
        self._ar = np.arange(1024)
        self._reset()
        self._cand: dict[tuple[str, str], int] = {}
        self._cvec = np.zeros((0, NTAGS), dtype=np.int32)  # 4 rows per (method, type): begin, inner, after, before
        self._sure: dict[str, bool] = {}
        self.hopeful: set[str] = set()  # tokens judged able to open a name (judge)
        self._seen: set[str] = set()
        self._common: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.weights)

    def _reset(self) -> None:
        # Token -> row of the per-role vector matrix (role, row, tag); row 0 is the zero vector of padding.
        self._tid: dict[str, int] = {_PAD: 0}
        self._mat = np.zeros((1024, len(ROLES), NTAGS), dtype=np.int32)  # int32: 7 MB per 50k tokens

    def _sum_ids(self, feats: Iterable[str]) -> np.ndarray:
        fid = self._fid
        ids = [fid[f] for f in feats if f in fid]
        return self._w[ids].sum(0) if ids else np.zeros(NTAGS, dtype=np.int64)

    def _add_tokens(self, toks: Iterable[str]) -> None:
        """Rows of the role vectors for tokens not seen yet (each role's features summed once per token)."""
        tid, lex = self._tid, self.lex
        if len(tid) > _CACHE_LIMIT:
            self._reset()
            tid = self._tid
        new = [t for t in dict.fromkeys(toks) if t not in tid]
        if not new:
            return
        size = len(tid)
        mat = self._mat
        if size + len(new) > len(mat):
            grown = np.zeros((max(2 * len(mat), size + len(new)), len(ROLES), NTAGS), dtype=np.int32)
            grown[:size] = mat[:size]
            self._mat = mat = grown
        fid = self._fid
        ids: list[int] = []
        starts: list[int] = []
        for tok in new:
            for role, _ in ROLES:
                starts.append(len(ids))
                feats = self_features(tok, lex) if role == "" else context_features(tok, role, lex)
                ids.extend(fid[f] for f in feats if f in fid)
                ids.append(len(fid))  # a zero row closes every segment, so none is empty
        sums = np.add.reduceat(self._w[ids], starts, axis=0)
        mat[size : size + len(new)] = sums.reshape(len(new), len(ROLES), NTAGS)
        for k, tok in enumerate(new):
            tid[tok] = size + k

    def _own(self, tok: str) -> list[int]:
        """The token's own (role "") vector, x100."""
        k = self._tid.get(tok)
        return self._own_rows([tok])[0] if k is None else self._mat[k, 0].tolist()

    def emissions(self, toks: list[str], i: int, extra: dict[int, list[float]] | None = None) -> list[float]:
        """The tag scores of position i without transitions; `extra` holds candidate vectors by position."""
        n = len(toks)
        ptoks = [BREAK, BREAK, *toks, BREAK, BREAK]
        self._add_tokens(ptoks[i : i + 5])
        rows = [self._tid[t] for t in ptoks[i : i + 5]]
        mat = self._mat
        e = mat[rows[2], 0] + mat[rows[1], 1] + mat[rows[3], 2] + mat[rows[0], 3] + mat[rows[4], 4]
        out = [int(x) / 100 for x in e]
        if extra and i in extra and i < n:
            out = [x + y for x, y in zip(out, extra[i])]
        return out

    def _cand_rows(self, keys: list[tuple[str, str]]) -> list[int]:
        """First row in the candidate matrix of each (method, type), added on first use."""
        cache = self._cand
        got = list(map(cache.get, keys))
        if None in got:
            for key in dict.fromkeys(k for k, g in zip(keys, got) if g is None):
                method, etype = key
                head = "c:" + method + ":" + etype
                rows = np.stack([self._sum_ids((head + ":B", "c:" + etype + ":B")),
                                 self._sum_ids((head + ":I", "c:" + etype + ":I")),
                                 self._sum_ids(("c:after:" + etype,)), self._sum_ids(("c:before:" + etype,))])
                cache[key] = len(self._cvec)
                self._cvec = np.concatenate((self._cvec, rows.astype(np.int32)))
            got = list(map(cache.get, keys))
        return got  # type: ignore[return-value]

    def _paths(self, toks: list[str], windows: list[tuple[int, int]],
               extra: dict[int, list[int]] | list[tuple[int, int, str, str]] | None = None) -> list[list[int]]:
        """Best tag indices of each window (entered from O), all windows decoded side by side. `extra` is either
        position -> integer vector, or candidates (first, last, type, method) whose vectors are added at the
        window positions they start, cover or border."""
        nw, n = len(windows), len(toks)
        # Longest window first, so the windows still running at a step are a prefix of the score array.
        order = sorted(range(nw), key=lambda w: windows[w][0] - windows[w][1])
        strip: list[str] = []
        offs: list[int] = []
        lens: list[int] = []
        pos: list[int] = []
        for w in order:
            a, b = windows[w]
            offs.append(len(strip))
            lens.append(b - a + 1)
            pos.extend(range(a, b + 1))
            if a >= 2 and b + 3 <= n:
                strip += toks[a - 2 : b + 3]  # positions a-2 .. b+2
            else:
                strip += [toks[i] if 0 <= i < n else BREAK for i in range(a - 2, b + 3)]
        tid = self._tid
        ids = list(map(tid.get, strip))
        if None in ids:
            self._add_tokens(strip)
            tid = self._tid
            ids = list(map(tid.get, strip))
        g = self._mat[np.array(ids)]  # (strip, role, tag)
        size = len(strip)
        # em[j]: emission of strip position j + 2 (own word, previous, next, two before, two after)
        em = g[2 : size - 2, 0] + g[1 : size - 3, 1] + g[3 : size - 1, 2] + g[0 : size - 4, 3] + g[4:size, 4]
        if extra:
            # row[p + 1]: the em row of window position p, -1 elsewhere (p = -1 .. n)
            offs_a = np.array(offs)
            lens_a = np.array(lens)
            row = np.full(n + 2, -1)
            row[np.array(pos) + 1] = np.repeat(offs_a - np.cumsum(lens_a) + lens_a, lens_a) + np.arange(len(pos))
            if isinstance(extra, dict):
                at = [(i, v) for i, v in extra.items() if 0 <= i < n]
                if at:
                    rows = row[np.array([i for i, _ in at]) + 1]
                    ok = rows >= 0
                    np.add.at(em, rows[ok], np.array([v for _, v in at], dtype=np.int32)[ok])
            else:
                firsts, lasts, types, methods = zip(*extra)
                f = np.array(firsts)
                la = np.array(lasts)
                k = np.array(self._cand_rows(list(zip(methods, types))))
                span = la - f
                inner = np.repeat(np.arange(len(f)), span)
                steps = np.arange(len(inner)) - np.repeat(np.cumsum(span) - span, span)
                rows = np.concatenate((row[f + 1], row[la + 2], row[f], row[f[inner] + 2 + steps]))
                kinds = np.concatenate((k, k + 2, k + 3, k[inner] + 1))
                ok = rows >= 0
                np.add.at(em, rows[ok], self._cvec[kinds[ok]])
        width = lens[0]
        e = em[np.minimum(np.array(offs)[:, None] + np.arange(width), len(em) - 1)]  # (window, step, tag)
        live = []  # how many windows are still running at each step
        na = nw
        for s in range(width):
            while lens[na - 1] <= s:
                na -= 1
            live.append(na)
        ar = self._ar
        if len(ar) < nw * NTAGS:
            ar = self._ar = np.arange(2 * nw * NTAGS)
        tt = self._tt
        score = self._t0 + e[:, 0]
        backs = []
        for s in range(1, width):
            na = live[s]
            m = (score[:na, None, :] + tt).reshape(-1, NTAGS)
            k = m.argmax(1)
            score[:na] = m[ar[: na * NTAGS], k].reshape(na, NTAGS) + e[:na, s]
            backs.append(k.reshape(na, NTAGS))
        k = score.argmax(1)
        path = np.zeros((nw, width), dtype=np.int64)
        path[ar[:nw], np.array(lens) - 1] = k
        for s in range(width - 1, 0, -1):
            na = live[s]
            got = backs[s - 1][ar[:na], k[:na]]
            k[:na] = got
            path[:na, s - 1] = got
        out: list[list[int]] = [[]] * nw
        for w, r, lw in zip(order, path.tolist(), lens):
            out[w] = r[:lw]
        return out

    def _decode(self, toks: list[str], windows: list[tuple[int, int]],
                cands: list[tuple[int, int, str, str]] | None = None) -> list[tuple[int, int, str]]:
        if not windows:
            return []
        out: list[tuple[int, int, str]] = []
        for (a, _), path in zip(windows, self._paths(toks, windows, cands)):
            if any(path):
                out.extend(chunks(path, a))
        return out

    def candidate_vectors(self, cands: Iterable[tuple[int, int, str, str]], n: int,
                          only: Container[int] | None = None) -> dict[int, list[float]]:
        """Position -> summed weights of the candidate features there (candidate_features); with `only`, for
        those positions only. (Decoding sums them itself; this is the readable form.)"""
        out: dict[int, list[float]] = {}
        for i, feats in candidate_features(cands, n).items():
            if only is None or i in only:
                out[i] = [int(x) / 100 for x in self._sum_ids(feats)]
        return out

    @staticmethod
    def _int_extra(extra: dict[int, list[float]] | None) -> dict[int, list[int]] | None:
        return {i: [round(x * 100) for x in v] for i, v in extra.items()} if extra else None

    def viterbi(self, toks: list[str], first: int, last: int, extra: dict[int, list[float]] | None = None
                ) -> list[int]:
        """Best tag indices for toks[first..last], entered from O."""
        return self._paths(toks, [(first, last)], self._int_extra(extra))[0]

    def _opens(self, tok: str) -> bool:
        # Person and organisation openers only: the recogniser keeps the rules' places.
        v = self._own(tok)
        return max(v[1], v[3]) - v[0] > self._gate100

    def is_sure_o(self, tok: str) -> bool:
        """Does the token's own feature vector favour O over every entity tag by `o_sure` or more?"""
        got = self._sure.get(tok)
        if got is None:
            v = self._own(tok)
            got = self._sure[tok] = v[0] - max(v[1:]) >= self._sure100
        return got

    def judge(self, vocab: set[str]) -> None:
        """Add to `hopeful` the tokens of `vocab` outside `common` that may open a name on their own features.
        Each token string is judged once per process: the tokens seen (common words included) are one set, so
        an article costs one C-level pass over its distinct tokens (a Scanner calls this, see add_live)."""
        seen = self._seen
        if len(seen) > _CACHE_LIMIT + len(self._common or ()):
            self._judged_from(self._common or frozenset())
            seen = self._seen
        fresh = vocab.difference(seen)
        if fresh:
            hopeful = self.hopeful
            gate = self._gate100
            # Own features only: most of these words never get into a window (all roles are summed then).
            toks = list(fresh)
            for t, v in zip(toks, self._own_rows(toks)):
                if max(v[1], v[3]) - v[0] > gate:
                    hopeful.add(t)
            seen |= fresh

    def _own_rows(self, toks: list[str]) -> list[list[int]]:
        """The own (role "") vector of each token, x100, in one numpy call."""
        fid, lex = self._fid, self.lex
        ids: list[int] = []
        starts: list[int] = []
        for tok in toks:
            starts.append(len(ids))
            ids.extend(fid[f] for f in self_features(tok, lex) if f in fid)
            ids.append(len(fid))  # the zero row: no segment is empty
        return np.add.reduceat(self._w[ids], starts, axis=0).tolist()

    def _judged_from(self, common: frozenset[str]) -> None:
        self._common = common
        self._seen = set(common) | _NONWORD
        self.hopeful.clear()  # in place: a Scanner holds this set

    def use_common(self, common: frozenset[str]) -> None:
        """The ordinary words, never judged (judge)."""
        if self._common is not common:
            self._judged_from(common)

    def openers(self, doc: Doc, common: frozenset[str]) -> set[str]:
        """The words of a Doc outside `common` that may open a name on their own features (judge)."""
        self.use_common(common)
        self.judge(doc.vocab)
        return doc.vocab.intersection(self.hopeful)

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
        windows = self.windows(toks, seeds)
        if not windows:
            return []
        out: list[tuple[int, int, str]] = []
        for (a, _), path in zip(windows, self._paths(toks, windows, self._int_extra(extra))):
            out.extend(chunks(path, a))
        return out

    def decode_seeds(self, doc: Doc, seeds: Iterable[tuple[int, int]], cands: list[tuple[int, int, str, str]]
                     ) -> list[tuple[int, int, str]]:
        """decode() with the candidates (first, last, type, method) as features: those that start or end within
        a word of a window (an article has ~140 candidates)."""
        windows = self.windows(doc.toks, seeds)
        if not windows:
            return []
        near: set[int] = set()
        for a, b in windows:
            near.update(range(a - 1, b + 2))
        return self._decode(doc.toks, windows, [c for c in cands if c[0] in near or c[1] in near])

    def decode_all(self, toks: list[str], cands: list[tuple[int, int, str, str]] | None = None
                   ) -> list[tuple[int, int, str]]:
        """Every word decoded (evaluation only: far too slow for ingestion)."""
        runs: list[tuple[int, int]] = []
        i, n = 0, len(toks)
        while i < n:
            if toks[i] in _NONWORD:
                i += 1
                continue
            j = i
            while j + 1 < n and toks[j + 1] not in _NONWORD:
                j += 1
            runs.append((i, j))
            i = j + 1
        out: list[tuple[int, int, str]] = []
        for k in range(0, len(runs), 64):  # side by side in batches of similar windows
            out.extend(self._decode(toks, runs[k : k + 64], cands))
        return out


def read_ranks(path: Path) -> dict[str, int]:
    words = [w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")]
    return {w: k for k, w in enumerate(words)}
