"""Build basira/data/gazetteer/anercorp_names.tsv: entity phrases and given names learned from ANERcorp *train*.

    python -m eval.build_name_lists               # write the list from all of train
    python -m eval.build_name_lists --tune        # 5-fold cross-validated grid over the thresholds (train only)
    python -m eval.build_name_lists --dry-run     # print what would be written

Train is the full Benajiba file minus the CAMeL Lab test split: the test split is the file's tail from line
125,306 on (same tokens, CAMeL's fixes and sentence breaks), so lines 1..125,305 are train. The test split is
never read here.

What is learned (each row with its evidence counts, so the thresholds are data):
* PER / LOC / ORG rows: a token sequence annotated as exactly one entity of that type. `entity` counts its
  occurrences in train that are exactly such an entity; `other` counts those that are not (ordinary words,
  another type, or part of a different entity). Occurrences inside a longer entity of the same type ("بلير" in
  "توني بلير") count for neither. Kept when entity >= min_count and entity / (entity + other) >= min_ratio, and a
  one-word phrase needs entity >= min_single. Clitic-prefixed spellings ("وبلير") are merged into the bare
  phrase; the recogniser adds the clitics back.
* GIVEN rows: a token that opens multi-word person names and rarely stands elsewhere (used like first_names.tsv).
* CUE rows: a word right before person names ("الفنان", "المهاجم"), used like a title.
* CHAR rows: letter 2/3-grams of unknown name-like words, in person names vs elsewhere (a naive-Bayes score for
  the optional rare-word-run rule, off by default).

Thresholds were chosen by cross-validation on train only (`--tune`: lists built from four fifths of train,
scored on the held-out fifth, summed over the five folds); see eval/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from basira.analysis.doc import PUNCTUATION
from basira.analysis.entities import DATA, LEARNED_FILE, GazetteerRecognizer, load_resources
from basira.analysis.morphology import name_forms
from basira.normalize import normalize_text
from eval.corpora import CORPORA as SHARED

CORPORA = SHARED / "anercorp"
FULL = CORPORA / "ANERCorp_full_Benajiba_token-per-line.txt"
TRAIN_LINES = 125_305  # line 125,306 of the full file opens the CAMeL Lab test split
TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
MAX_WORDS = 6
OUT = DATA / "gazetteer" / LEARNED_FILE
HEADER = (
    "# Entity phrases, given names, name cues and character statistics learned from ANERcorp train (Benajiba et al.\n"
    "# 2007; the full corpus minus the CAMeL Lab test split). Built by eval/build_name_lists.py; rebuild, do not edit.\n"
    "# ANERcorp was released by Y. Benajiba free for research; no licence is stated in the copies used. This file\n"
    "# holds no corpus text, only names, words and letter n-grams with counts (model parameters, as any NER model\n"
    "# trained on ANERcorp). Delete it to run without it: the recogniser treats a missing file as empty.\n"
    "# type: PER | LOC | ORG = a whole phrase; GIVEN = a token opening person names; CUE = a word standing right\n"
    "# before person names; CHAR = a letter 2/3-gram of unknown words (entity = in a person name; '*' = totals).\n"
    "# entity = occurrences in train annotated as exactly that; other = occurrences that were not.\n"
    "# Kept when {rule}.\n"
    "# The recogniser also skips phrases the curated gazetteer has, calendar words, lone given names, and one-word\n"
    "# phrases that are frequent words of our news (common_words.tsv) unless entity >= 5 and\n"
    "# entity/(entity+other) >= 0.8.\n"
    "# type\tphrase\tentity\tother\n")


@dataclass
class Params:
    """Selection thresholds (per type); the defaults are the cross-validated choice (see --tune)."""

    min_count: dict[str, int] = field(default_factory=lambda: {"PER": 1, "LOC": 1, "ORG": 1, "GIVEN": 2, "CUE": 3})
    min_single: int = 3  # a one-word phrase needs this many entity occurrences (one word is more often a word)
    min_ratio: dict[str, float] = field(default_factory=lambda: {"PER": 0.5, "LOC": 0.5, "ORG": 0.5, "GIVEN": 0.5, "CUE": 0.5})

    def rule(self) -> str:
        return "; ".join(f"{t}: entity >= {self.min_count[t]} and entity/(entity+other) >= {self.min_ratio[t]}"
                         for t in self.min_count) + f"; one-word phrases: entity >= {self.min_single}"


Token = tuple[str, str]  # (token as in the corpus, tag such as "B-PER" or "O")
_STOPS = frozenset((".", "!", "?", "\u061f"))


def read_train(path: Path = FULL) -> list[Token]:
    """Train tokens in file order, tags mapped to PER/LOC/ORG/MISC."""
    out: list[Token] = []
    with path.open(encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= TRAIN_LINES:
                break
            if not line.strip():
                continue
            tok, _, tag = line.rstrip().rpartition(" ")
            tok, tag = tok.strip(), tag.strip()
            prefix, _, t = tag.partition("-")
            tag = f"{prefix}-{TYPES[t]}" if t in TYPES else "O"
            out.append((tok, tag))
    return out


def folds(tokens: list[Token], k: int = 5) -> list[tuple[int, int]]:
    """k contiguous blocks of train, each ending after a full stop (so no sentence is cut)."""
    bounds, start = [], 0
    for f in range(1, k + 1):
        end = len(tokens) if f == k else max(start, round(len(tokens) * f / k))
        while end < len(tokens) and tokens[end - 1][0] not in _STOPS:
            end += 1
        bounds.append((start, end))
        start = end
    return bounds


def spans(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """Gold entity spans (first, last, type), conlleval chunking (an orphan I- starts an entity)."""
    out, start, etype = [], -1, ""
    for i, (_, tag) in enumerate([*tokens, ("", "O")]):
        prefix, _, t = tag.partition("-")
        if start >= 0 and (prefix != "I" or t != etype):
            out.append((start, i - 1, etype))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, etype = i, t
    return out


_WORD_ROWS = frozenset(("GIVEN", "CUE"))
_CLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def _bare(phrase: tuple[str, ...], known: set[tuple[str, ...]]) -> tuple[str, ...]:
    """The phrase without a clitic on its first word, when that bare phrase is also annotated."""
    first = phrase[0]
    if first.startswith("لل") and ("ال" + first[2:],) + phrase[1:] in known:
        return ("ال" + first[2:],) + phrase[1:]
    for c in _CLITICS:
        if first.startswith(c) and len(first) - len(c) > 2:
            bare = (first[len(c):],) + phrase[1:]
            if bare in known:
                return bare
    return phrase


def count(tokens: list[Token]) -> dict[tuple[str, tuple[str, ...]], list[int]]:
    """(type, phrase) -> [entity, other] over the tokens; GIVEN rows for name-opening tokens."""
    gold = [s for s in spans(tokens) if s[2] != "MISC"]
    words = [PUNCTUATION.sub(" ", normalize_text(t)).strip() for t, _ in tokens]
    words = [w if " " not in w else "" for w in words]
    exact: dict[tuple[int, int], str] = {(a, b): t for a, b, t in gold}
    inside_of: dict[int, tuple[int, int, str]] = {}
    for a, b, t in gold:
        for k in range(a, b + 1):
            inside_of[k] = (a, b, t)
    raw = {tuple(words[a : b + 1]) for a, b, _ in gold if b - a < MAX_WORDS and all(words[a : b + 1])}
    phrases = {_bare(p, raw) for p in raw}
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for p in phrases:
        for form in name_forms(p[0]):  # the clitic-prefixed spellings the recogniser also matches
            by_first[form].append(p)
    stats: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    seen_types: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for a, b, t in gold:
        if b - a < MAX_WORDS and all(words[a : b + 1]):
            seen_types[_bare(tuple(words[a : b + 1]), raw)].add(t)
    n = len(words)
    for i, w in enumerate(words):
        for p in by_first.get(w, ()):
            last = i + len(p) - 1
            if last >= n or tuple(words[i + 1 : last + 1]) != p[1:]:
                continue
            got = exact.get((i, last))
            for t in seen_types[p]:
                row = stats.setdefault((t, p), [0, 0])
                if got == t:
                    row[0] += 1
                else:
                    around = inside_of.get(i)
                    if got is None and around is not None and around[2] == t and around[1] >= last:
                        continue  # part of a longer name of the same type: neither for nor against
                    row[1] += 1
    # Given names: tokens opening a person name of two or more words.
    opens = Counter(words[a] for a, b, t in gold if t == "PER" and b > a and words[a])
    total = Counter(words)
    for w, c in opens.items():
        stats[("GIVEN", (w,))] = [c, total[w] - c]
    # Cues: a word that usually stands right before a person's name ("الفنان", "المهاجم", "الكيني").
    before_per = Counter(words[a - 1] for a, b, t in gold if t == "PER" and a and words[a - 1])
    for w, c in before_per.items():
        stats[("CUE", (w,))] = [c, total[w] - c]
    return stats


def _grams(word: str) -> set[str]:
    w = f"<{word}>"
    return {w[k : k + n] for n in (2, 3) for k in range(len(w) - n + 1)}


def count_chars(tokens: list[Token]) -> dict[str, list[int]]:
    """Character 2- and 3-grams (with word boundaries) of unknown name-like tokens: how often in a person
    name vs elsewhere. The "*" row holds the token totals (the prior)."""
    recognizer = GazetteerRecognizer(load_resources(learned=[]))
    common, al = recognizer.res.common, "\u0627\u0644"
    grams: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    totals = [0, 0]
    for tok, tag in tokens:
        w = PUNCTUATION.sub(" ", normalize_text(tok)).strip()
        if not w or " " in w or w in common or w.startswith(al) or not recognizer.name_like(w):
            continue
        side = 0 if tag.endswith("PER") else 1
        totals[side] += 1
        for g in _grams(w):
            grams[g][side] += 1
    out = {g: c for g, c in grams.items() if c[0] + c[1] >= 3}
    out["*"] = totals
    return out


def select(stats: dict[tuple[str, tuple[str, ...]], list[int]], params: Params,
           chars: dict[str, list[int]] | None = None) -> list[tuple[str, str, int, int]]:
    """Rows (type, phrase, entity, other) passing the thresholds; a phrase keeps only its best type. CHAR rows
    (character n-gram counts) follow unfiltered."""
    best: dict[tuple[str, ...], tuple[str, int, int]] = {}
    givens = []
    for (t, p), (pos, neg) in sorted(stats.items()):  # sorted: a tie between two types resolves the same way
        if pos < params.min_count[t] or pos / (pos + neg) < params.min_ratio[t]:
            continue
        if t not in _WORD_ROWS and len(p) == 1 and pos < params.min_single:
            continue
        if t in _WORD_ROWS:
            givens.append((t, p[0], pos, neg))
        elif p not in best or pos > best[p][1]:
            best[p] = (t, pos, neg)
    rows = [(t, " ".join(p), pos, neg) for p, (t, pos, neg) in best.items()] + givens
    rows.sort(key=lambda r: (r[0], -r[2], r[1]))
    if chars:
        rows += sorted((("CHAR", g, a, b) for g, (a, b) in chars.items()), key=lambda r: (r[1] != "*", r[1]))
    return rows


def write(rows: Iterable[tuple[str, str, int, int]], params: Params, path: Path = OUT) -> None:
    body = "".join(f"{t}\t{p}\t{a}\t{b}\n" for t, p, a, b in rows)
    path.write_text(HEADER.format(rule=params.rule()) + body, encoding="utf-8")


def _tune(tokens: list[Token]) -> None:
    from eval.ner_anercorp import cross_validate  # that module imports this one

    for count_min in (1, 2):
        for ratio in (0.3, 0.5, 0.7):
            for single in (1, 2, 3):
                params = Params(min_single=single)
                for t in ("PER", "LOC", "ORG"):
                    params.min_count[t], params.min_ratio[t] = count_min, ratio
                tp, fp, fn = cross_validate(tokens, params)
                f1 = {t: 2 * tp[t] / (2 * tp[t] + fp[t] + fn[t]) if tp[t] else 0.0 for t in ("PER", "LOC", "ORG")}
                print(f"{params.rule()}\n   PER {f1['PER']:.3f} LOC {f1['LOC']:.3f} ORG {f1['ORG']:.3f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tune", action="store_true", help="cross-validate a threshold grid on train and print it")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    if not FULL.exists():
        print(f"ANERcorp not found at {FULL}; nothing built.")
        return 0
    tokens = read_train()
    if args.tune:
        _tune(tokens)
        return 0
    params = Params()
    rows = select(count(tokens), params, count_chars(tokens))
    print(Counter(r[0] for r in rows))
    if args.dry_run:
        for r in rows[:40]:
            print(*r, sep="\t")
        return 0
    write(rows, params)
    print(f"wrote {len(rows)} rows to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
