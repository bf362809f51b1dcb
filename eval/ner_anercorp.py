"""Entity-level P/R/F1 of the default recogniser on ANERcorp (PERS->PER, LOC, ORG; MISC ignored).

    python -m eval.ner_anercorp            # the CAMeL Lab test split (report only; never tune on it)
    python -m eval.ner_anercorp --dev      # train (the full corpus minus the test split), 5-fold cross-validated
    python -m eval.ner_anercorp --no-learned [--dev]   # without the list learned from ANERcorp train
    python -m eval.ner_anercorp --runs [--dev]   # with the rare-word-run rule (off by default, see RESULTS.md)
    python -m eval.ner_anercorp --tagger         # with the sequence model (off by default; --dev never uses the
                                                 # shipped one: python -m eval.train_tagger --cv cross-validates it)

The learned list (basira/data/gazetteer/anercorp_names.tsv, eval/build_name_lists.py) is built from train, so
scoring train with it would be scoring the training data: --dev instead splits train into five contiguous
folds and scores each fold with a list built from the other four (the recogniser is otherwise unchanged).

ANERcorp sentences carry no article boundaries, so consecutive sentences are grouped into pseudo-articles
of --window sentences (short aliases and surnames resolve within one group). Role mentions
("وزير الداخلية") are descriptions, not names, and are dropped. ANERcorp leaves generic government bodies
("وزارة الخارجية", "الجيش الإسرائيلي", "الشرطة") unannotated; --guideline also drops the mentions our rules
and gazetteer make for those, and both figures are printed.

Scoring is entity-level exact match on token spans, per sentence. A predicted mention covers every token
its characters touch, so a mention inside a clitic-prefixed token ("دمشق" in "ودمشق") is credited to that
token, as ANERcorp annotates whole tokens. Gold chunks follow conlleval: an I- tag that does not continue
an entity of its type starts one (ANERcorp has such orphans), which is why the test split counts 907 PER
chunks against 858 B-PERS tags.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from basira.analysis.entities import GazetteerRecognizer, load_resources
from basira.model import Sentence
from basira.normalize import normalize_with_offsets
from eval.build_name_lists import Params, count, count_chars, folds, read_train, select
from eval.corpora import CORPORA as SHARED

CORPORA = SHARED / "anercorp"
TEST = CORPORA / "ANERCorp_CamelLab_test.txt"
FULL = CORPORA / "ANERCorp_full_Benajiba_token-per-line.txt"
TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG"}
GENERIC_BODIES = {"org:police", "org:syrian_army", "org:israeli_army", "org:turkish_army", "org:iraqi_army",
                  "org:lebanese_army", "org:syria_interior_ministry", "org:syria_defence_ministry",
                  "org:syria_foreign_ministry", "org:syria_justice_ministry", "org:pentagon", "org:us_state_department",
                  "org:russian_defence_ministry"}


def read_test(path: Path) -> list[list[tuple[str, str]]]:
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        tok, _, tag = line.rstrip().rpartition(" ")
        cur.append((tok.strip() or tag, tag if tok.strip() else "O"))
    if cur:
        sents.append(cur)
    return sents


def split_sentences(tokens: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The full corpus has no sentence breaks: end a sentence at a full stop (after at least four tokens)."""
    sents, cur = [], []
    for tok, tag in tokens:
        cur.append((tok, tag))
        if tok in (".", "!", "?", "\u061f") and len(cur) > 3:
            sents.append(cur)
            cur = []
    if cur:
        sents.append(cur)
    return sents


def cross_validate(tokens: list[tuple[str, str]], params=None, window: int = 20, guideline: bool = False,
                   k: int = 5, learned: bool = True, runs: bool = False,
                   tagger=None, k_scored: int | None = None, tagger_opts: dict | None = None
                   ) -> tuple[Counter, Counter, Counter]:
    """Scores summed over k contiguous folds of train, each scored with a list learned from the others.

    `tagger(train_tokens, a, b)` makes the tagger for the fold tokens[a:b] from the other folds (the shipped
    one was trained on all of train, so without a factory the folds run without a tagger)."""
    params = params or Params()
    tp, fp, fn = Counter(), Counter(), Counter()
    for a, b in folds(tokens, k)[:k_scored]:
        mine = tokens[:a] + tokens[b:]
        rows = select(count(mine), params, count_chars(mine)) if learned else []
        recognizer = GazetteerRecognizer(load_resources(learned=rows), runs=runs,
                                         tagger=tagger(mine, a, b) if tagger else None, use_tagger=bool(tagger),
                                         **(tagger_opts or {}))
        ftp, ffp, ffn, _ = score(split_sentences(tokens[a:b]), window, guideline, recognizer)
        tp += ftp
        fp += ffp
        fn += ffn
    return tp, fp, fn


def gold_spans(sent: list[tuple[str, str]]) -> set[tuple[str, int, int]]:
    spans, start, etype = set(), None, None
    for i, (_, tag) in enumerate(sent + [("", "O")]):
        prefix, _, t = tag.partition("-")
        t = TYPES.get(t)
        if start is not None and (prefix != "I" or t != etype):
            spans.add((etype, start, i - 1))
            start = None
        if prefix == "B" and t or (prefix == "I" and t and start is None):
            start, etype = i, t
    return spans


def to_sentence(seq: int, tokens: list[str]) -> tuple[Sentence, list[int]]:
    raw = " ".join(tokens)
    norm, where = normalize_with_offsets(raw)
    owner, pos = [], 0
    for k, tok in enumerate(tokens):
        owner.extend([k] * len(tok))
        if k < len(tokens) - 1:
            owner.append(-1)
    tok_of_norm = [owner[w] for w in where]
    return Sentence(seq, 0, 0, len(raw), raw, norm), tok_of_norm


def predicted_spans(mentions, tok_maps, guideline: bool) -> dict[int, set[tuple[str, int, int]]]:
    out: dict[int, set[tuple[str, int, int]]] = {}
    for m in mentions:
        if m.method == "alias:role":
            continue
        if guideline and (m.method == "rule:org_gov" or m.entity_key in GENERIC_BODIES):
            continue
        toks = [t for t in tok_maps[m.seq][m.start : m.end] if t >= 0]
        if toks:
            out.setdefault(m.seq, set()).add((m.entity_type, min(toks), max(toks)))
    return out


def score(sents, window: int, guideline: bool, recognizer: GazetteerRecognizer, show_errors: int = 0):
    tp, fp, fn = Counter(), Counter(), Counter()
    errors = []
    for base in range(0, len(sents), window):
        group = sents[base : base + window]
        built = [to_sentence(k, [t for t, _ in s]) for k, s in enumerate(group)]
        mentions = recognizer.recognize([b[0] for b in built])
        pred = predicted_spans(mentions, [b[1] for b in built], guideline)
        for k, s in enumerate(group):
            gold, got = gold_spans(s), pred.get(k, set())
            for e in got & gold:
                tp[e[0]] += 1
            for e in got - gold:
                fp[e[0]] += 1
                errors.append(("FP", e[0], " ".join(t for t, _ in s[e[1] : e[2] + 1]), " ".join(t for t, _ in s[max(0, e[1] - 3) : e[2] + 4])))
            for e in gold - got:
                fn[e[0]] += 1
                errors.append(("FN", e[0], " ".join(t for t, _ in s[e[1] : e[2] + 1]), " ".join(t for t, _ in s[max(0, e[1] - 3) : e[2] + 4])))
    return tp, fp, fn, errors[:show_errors] if show_errors else []


def report(tp, fp, fn, title: str) -> None:
    print(title)
    print(f"  {'type':5} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    for t in ("PER", "LOC", "ORG", "ALL"):
        a = sum(tp.values()) if t == "ALL" else tp[t]
        b = sum(fp.values()) if t == "ALL" else fp[t]
        c = sum(fn.values()) if t == "ALL" else fn[t]
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {t:5} {p:6.3f} {r:6.3f} {f:6.3f}   {a}/{b}/{c}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", action="store_true", help="score the development part of the full corpus instead")
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--no-learned", action="store_true", help="without the list learned from ANERcorp train")
    ap.add_argument("--runs", action="store_true", help="with the rare-word-run rule (off by default: speed)")
    ap.add_argument("--tagger", action="store_true", help="with the learned tagger (test split; off by default)")
    args = ap.parse_args(argv)
    path = FULL if args.dev else TEST
    if not path.exists():
        print(f"ANERcorp not found at {path}; skipping (it lives in ../shared/corpora/anercorp/).")
        return 0
    if args.dev:
        tokens = read_train(path)
        n = len(split_sentences(tokens))
        for guideline in (False, True):
            tp, fp, fn = cross_validate(tokens, window=args.window, guideline=guideline, learned=not args.no_learned,
                                        runs=args.runs)
            label = "ANERcorp guideline (generic government bodies not counted)" if guideline else "as recognised"
            report(tp, fp, fn, f"ANERcorp train, 5-fold cross-validated, {n} sentences: {label}")
        return 0
    sents = read_test(path)
    recognizer = GazetteerRecognizer(load_resources(learned=[]) if args.no_learned else None, runs=args.runs,
                                     use_tagger=args.tagger)
    name = ("CAMeL Lab test split" + (" (no learned list)" if args.no_learned else "") + (" (with runs)" if args.runs else "")
            + (" (with tagger)" if args.tagger else ""))
    for guideline in (False, True):
        tp, fp, fn, errors = score(sents, args.window, guideline, recognizer)
        label = "ANERcorp guideline (generic government bodies not counted)" if guideline else "as recognised"
        report(tp, fp, fn, f"ANERcorp {name}, {len(sents)} sentences: {label}")
        for e in errors:
            print("   ", *e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
