"""Train the sequence model (basira/analysis/tagger.py: structured averaged perceptron, Viterbi) on ANERcorp *train*.

    python -m eval.train_tagger                  # train on all of train, write basira/data/tagger_weights.tsv
    python -m eval.train_tagger --cv [--epochs N] [--gate G ...] [--o-sure S ...] [--mode low over veto]
        [--checks M,M ...] [--veto T,T ...] [--skip none rules all] [--types T,T ...] [--full] [--folds N]
                                                 # 5-fold cross-validation on train, a grid (no writing)
    --clusters PATH|none                         # word clusters (default basira/data/word_clusters.tsv,
                                                 # eval/build_clusters.py, from unlabelled news only)

Train is the full Benajiba file minus the CAMeL Lab test split (eval/build_name_lists.py); the test split is
never read here. Sentences are grouped 20 at a time and tokenised exactly as the recogniser does (prepare_doc),
each Doc token taking the gold tag of the corpus token it starts in, so features see what they see in use.
The candidates of the curated lists and rules (never the list learned from ANERcorp, which would hand the model
the training names) are features, as in use. Training decodes every run of words (between punctuation marks)
with Viterbi and updates on the whole sequence (Collins 2002), 5 epochs, weights averaged; ~10 s of one core
with numpy. In cross-validation each fold's model and learned list come from the other four folds.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

from basira.analysis.doc import NONWORD, Doc, prepare_doc
from basira.analysis.entities import MODEL_CHECKS, MODEL_VETO, TAGGER_MODE, TAGGER_SKIP, GazetteerRecognizer, Resources, load_resources, tagger_lexicon
from basira.analysis.tagger import (_ALLOWED, CLUSTERS_FILE, NTAGS, ROLES, TAGS, WEIGHTS_FILE, Lexicon, Tagger, candidate_features,
                                    context_features, self_features)
from eval.build_name_lists import Token, read_train
from eval.ner_anercorp import FULL, cross_validate, report, split_sentences, to_sentence

HEADER = (
    "# Weights of the sequence model (structured averaged perceptron over BIO tags; basira/analysis/tagger.py),\n"
    "# trained on ANERcorp train (Benajiba et al. 2007; the full corpus minus the CAMeL Lab test split) by\n"
    "# eval/train_tagger.py; rebuild, do not edit. No corpus text: feature names (words, letter affixes,\n"
    "# frequency bands, list flags, candidate kinds) and their weights only; rows t:<tag> are the weights of\n"
    "# the next tag after <tag>.\n"
    "# ANERcorp was released free for research; see eval/RESULTS.md for the licence note. Delete this file to run\n"
    "# without the tagger.\n"
    "# {settings}\n"
    "# feature\tweights x100 for " + " ".join(TAGS) + "\n")


def sequences(tokens: list[Token], window: int = 20) -> tuple[list[tuple[list[str], list[int]]], list[Doc]]:
    """(Doc tokens, gold tag indices) per group of `window` sentences, and the Docs."""
    sents = split_sentences(tokens)
    out = []
    docs = []
    for base in range(0, len(sents), window):
        group = sents[base : base + window]
        built = [to_sentence(k, [t for t, _ in s]) for k, s in enumerate(group)]
        doc = prepare_doc([b[0] for b in built])
        tags = []
        for i, tok in enumerate(doc.toks):
            if tok in NONWORD:
                tags.append(0)
                continue
            line = doc.line_of(i)
            c = doc.ts[i] - doc.line_char[line]
            tok_map = built[line][1]
            k = tok_map[c] if c < len(tok_map) else -1
            tag = group[line][k][1] if k >= 0 else "O"
            if tag != "O" and tag.split("-")[1] not in ("PER", "LOC", "ORG"):
                tag = "O"
            if tag.startswith("B-") and c > 0 and tok_map[c - 1] == k:
                tag = "I-" + tag[2:]  # a corpus token split by inner punctuation: its later pieces continue
            tags.append(TAGS.index(tag))
        out.append((doc.toks, tags))
        docs.append(doc)
    return out, docs


class _Capture(GazetteerRecognizer):
    """The recogniser with its candidates recorded instead of resolved (the model's candidate features)."""

    def _resolve(self, doc, cands):  # type: ignore[no-untyped-def]
        self.cands = [(c[4], c[5], c[6], c[7]) for c in cands]
        return []


def candidates(docs: list, res: Resources) -> list[list[tuple[int, int, str, str]]]:
    """The candidates of the curated lists and rules (never the list learned from ANERcorp) per Doc."""
    cap = _Capture(res)
    out = []
    for doc in docs:
        cap.cands = []
        cap.scanner.scan(doc)
        cap.recognize_doc(doc)
        out.append(cap.cands)
    return out


def featurize(seqs: list[tuple[list[str], list[int]]], cands: list, lex: Lexicon, index: dict[str, int],
              grow: bool = True) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]]:
    """Per run of words (between punctuation): (feature ids, start of each position's ids, their counts, gold)."""
    cache: dict[tuple[str, str], list[int]] = {}

    def ids(feats: list[str]) -> list[int]:
        if grow:
            return [index.setdefault(f, len(index)) for f in feats]
        return [index[f] for f in feats if f in index]

    def role_ids(tok: str, role: str) -> list[int]:
        got = cache.get((tok, role))
        if got is None:
            got = cache[(tok, role)] = ids(self_features(tok, lex) if role == "" else context_features(tok, role, lex))
        return got

    out = []
    for (toks, tags), cs in zip(seqs, cands):
        extra = candidate_features(cs, len(toks))
        n = len(toks)
        i = 0
        while i < n:
            if toks[i] in NONWORD:
                i += 1
                continue
            feats, gold = [], []
            while i < n and toks[i] not in NONWORD:
                f = []
                for role, d in ROLES:
                    j = i + d
                    f += role_ids(toks[j] if 0 <= j < n else "\n", role)
                if i in extra:
                    f += ids(extra[i])
                feats.append(f)
                gold.append(tags[i])
                i += 1
            lens = np.array([len(f) for f in feats], dtype=np.int64)
            starts = np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.int64)
            out.append((np.fromiter((j for f in feats for j in f), dtype=np.int64), starts, lens, gold))
    return out


_MASK = np.array([[0.0 if ok else -1e9 for ok in row] for row in _ALLOWED])


def _viterbi(em: np.ndarray, trans: np.ndarray) -> list[int]:
    score = trans[0] + em[0]
    backs = []
    for i in range(1, len(em)):
        m = score[:, None] + trans
        backs.append(m.argmax(0))
        score = m.max(0) + em[i]
    k = int(score.argmax())
    path = [k]
    for back in reversed(backs):
        k = int(back[k])
        path.append(k)
    return path[::-1]


def train(tokens: list[Token], res: Resources, lex: Lexicon, epochs: int = 5, seed: int = 1) -> dict[str, list[float]]:
    """Structured averaged perceptron (Viterbi over each run of words); feature -> averaged weight per tag
    (rounded to 0.01, zeros dropped). Transition weights are the rows "t:<previous tag>"."""
    seqs, docs = sequences(tokens)
    index: dict[str, int] = {}
    data = featurize(seqs, candidates(docs, res), lex, index)
    nf = len(index)
    w, u = np.zeros((nf, NTAGS)), np.zeros((nf, NTAGS))
    tw, tu = np.zeros((NTAGS, NTAGS)), np.zeros((NTAGS, NTAGS))
    c = 1
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for s in order:
            ids, starts, lens, gold = data[s]
            pred = _viterbi(np.add.reduceat(w[ids], starts, axis=0), tw + _MASK)
            if pred != gold:
                g, p = np.repeat(np.array(gold), lens), np.repeat(np.array(pred), lens)
                diff = g != p
                fi = ids[diff]
                np.add.at(w, (fi, g[diff]), 1.0)
                np.add.at(w, (fi, p[diff]), -1.0)
                np.add.at(u, (fi, g[diff]), c)
                np.add.at(u, (fi, p[diff]), -c)
                pg = pp = 0
                for a, b in zip(gold, pred):
                    if a != b or pg != pp:
                        tw[pg, a] += 1
                        tw[pp, b] -= 1
                        tu[pg, a] += c
                        tu[pp, b] -= c
                    pg, pp = a, b
            c += 1
    avg = np.rint((w - u / c) * 100).astype(np.int64)
    tavg = np.rint((tw - tu / c) * 100).astype(np.int64)
    out = {}
    for name, f in index.items():
        if avg[f].any():
            out[name] = [int(x) / 100 for x in avg[f]]
    for k, p in enumerate(TAGS):
        out["t:" + p] = [int(x) / 100 for x in tavg[k]]
    return out


def write(weights: dict[str, list[float]], settings: str, path: Path = WEIGHTS_FILE) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER.format(settings=settings))
        for feat in sorted(weights):
            f.write(feat + "\t" + " ".join(str(round(x * 100)) for x in weights[feat]) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", action="store_true", help="5-fold cross-validation on train instead of writing")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--gate", type=float, nargs="*", default=[-32.0])
    ap.add_argument("--o-sure", type=float, nargs="*", default=[8.0])
    ap.add_argument("--mode", nargs="*", default=[TAGGER_MODE], help="low | over | veto (see entities.py)")
    ap.add_argument("--types", nargs="*", default=["PER,ORG"])
    ap.add_argument("--checks", nargs="*", default=[",".join(sorted(MODEL_CHECKS))],
                    help="rule methods the model checks (comma-separated sets)")
    ap.add_argument("--veto", nargs="*", default=[",".join(MODEL_VETO)], help="types the model may drop")
    ap.add_argument("--skip", nargs="*", default=[TAGGER_SKIP], help="none | rules | all (see entities.py)")
    ap.add_argument("--full", action="store_true", help="decode every word (slow; the model's ceiling)")
    ap.add_argument("--folds", type=int, default=5, help="score only the first N folds (quick looks)")
    ap.add_argument("--clusters", default=str(CLUSTERS_FILE),
                    help="word clusters file (eval/build_clusters.py), or 'none' for no cluster features")
    args = ap.parse_args(argv)
    if not FULL.exists():
        print(f"ANERcorp not found at {FULL}")
        return 1
    tokens = read_train(FULL)
    base = load_resources(learned=[])
    lex = tagger_lexicon(base, clusters=None if args.clusters == "none" else Path(args.clusters))
    print(f"word clusters: {len(lex.clusters)} words ({args.clusters})")
    if args.cv:
        models: dict[tuple[int, int], dict] = {}
        for mode, checks, veto, skip in ((m, c, v, k) for m in args.mode for c in args.checks for v in args.veto
                                         for k in args.skip):
            for types in args.types:
                for gate in args.gate:
                    for o_sure in args.o_sure:
                        def make(mine: list[Token], a: int, b: int) -> Tagger:
                            if (a, b) not in models:
                                models[(a, b)] = train(mine, base, lex, args.epochs)
                            return Tagger(models[(a, b)], lex, gate=gate, o_sure=o_sure)

                        tp, fp, fn = cross_validate(tokens, guideline=True, tagger=make, k_scored=args.folds,
                                                    tagger_opts={"tagger_mode": mode, "tagger_full": args.full,
                                                                 "tagger_types": types.split(","),
                                                                 "tagger_checks": [c for c in checks.split(",") if c],
                                                                 "tagger_veto": veto.split(","), "tagger_skip": skip})
                        report(tp, fp, fn, f"train CV ({args.folds} of 5 folds), guideline, model epochs={args.epochs}"
                                           f" mode={mode} checks={checks} veto={veto} skip={skip} types={types} gate={gate} o_sure={o_sure} full={args.full}"
                                           f" clusters={args.clusters}")
        return 0
    weights = train(tokens, base, lex, args.epochs)
    write(weights, f"epochs={args.epochs}; trained on {len(tokens)} train tokens; {len(weights)} features; "
                   f"{len(lex.clusters)} clustered words")
    print(f"wrote {len(weights)} features to {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
