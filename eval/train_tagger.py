"""Train the averaged-perceptron name tagger (basira/analysis/tagger.py) on ANERcorp *train* only.

    python -m eval.train_tagger                  # train on all of train, write basira/data/tagger_weights.tsv
    python -m eval.train_tagger --cv [--epochs N] [--gate G ...] [--margin M ...] [--look-back 0 1]
                                                 # 5-fold cross-validation on train, a grid (no writing)

Train is the full Benajiba file minus the CAMeL Lab test split (eval/build_name_lists.py); the test split is
never read here. Sentences are grouped 20 at a time and tokenised exactly as the recogniser does (prepare_doc),
each Doc token taking the gold tag of the corpus token it starts in, so features see what they see in use.
Decoding during training is greedy left to right over every word with the predicted previous tag.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path

from basira.analysis.doc import NONWORD, prepare_doc
from basira.analysis.entities import load_resources, tagger_lexicon
from basira.analysis.tagger import NTAGS, TAGS, WEIGHTS_FILE, Lexicon, Tagger, context_features, self_features
from eval.build_name_lists import Token, read_train
from eval.ner_anercorp import FULL, cross_validate, report, split_sentences, to_sentence

HEADER = (
    "# Weights of the averaged-perceptron name tagger (basira/analysis/tagger.py), trained on ANERcorp train\n"
    "# (Benajiba et al. 2007; the full corpus minus the CAMeL Lab test split) by eval/train_tagger.py; rebuild, do\n"
    "# not edit. No corpus text: feature names (words, letter affixes, frequency bands) and their weights only.\n"
    "# ANERcorp was released free for research; see eval/RESULTS.md for the licence note. Delete this file to run\n"
    "# without the tagger.\n"
    "# {settings}\n"
    "# feature\tweights x100 for " + " ".join(TAGS) + "\n")


def sequences(tokens: list[Token], window: int = 20) -> list[tuple[list[str], list[int]]]:
    """(Doc tokens, gold tag indices) per group of `window` sentences."""
    sents = split_sentences(tokens)
    out = []
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
    return out


def featurize(seqs: list[tuple[list[str], list[int]]], lex: Lexicon, index: dict[str, int]) -> list:
    """Per word position: (feature ids, gold tag, previous position is a word)."""
    data = []
    cache: dict[tuple[str, str], list[int]] = {}

    def ids(tok: str, role: str) -> list[int]:
        got = cache.get((tok, role))
        if got is None:
            feats = self_features(tok, lex) if role == "" else context_features(tok, role, lex)
            got = cache[(tok, role)] = [index.setdefault(f, len(index)) for f in feats]
        return got

    for toks, tags in seqs:
        n = len(toks)
        seq = []
        for i, tok in enumerate(toks):
            if tok in NONWORD:
                continue
            f = (ids(tok, "") + ids(toks[i - 1] if i > 0 else "\n", "p") + ids(toks[i + 1] if i + 1 < n else "\n", "n")
                 + ids(toks[i - 2] if i > 1 else "\n", "pp") + ids(toks[i + 2] if i + 2 < n else "\n", "nn"))
            seq.append((f, tags[i], i > 0 and toks[i - 1] not in NONWORD))
        data.append(seq)
    return data


def train(tokens: list[Token], lex: Lexicon, epochs: int = 5, seed: int = 1) -> dict[str, list[float]]:
    """Averaged perceptron; returns feature -> averaged weight per tag (rounded to 0.01, zeros dropped)."""
    index: dict[str, int] = {}
    data = featurize(sequences(tokens), lex, index)
    for p in TAGS:
        index.setdefault("t:" + p, len(index))
    trans_id = [index["t:" + p] for p in TAGS]
    nf = len(index)
    w = [[0.0] * NTAGS for _ in range(nf)]
    u = [[0.0] * NTAGS for _ in range(nf)]  # sum of c * update, for the average w - u / c
    allowed = [[t[0] != "I" or p[2:] == t[2:] for t in TAGS] for p in TAGS]
    c = 1
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for s in order:
            prev = 0
            for feats, gold, joined in data[s]:
                if not joined:
                    prev = 0
                fs = feats + [trans_id[prev]]
                scores = [sum(col) for col in zip(*(w[f] for f in fs))]
                ok = allowed[prev]
                guess = max((k for k in range(NTAGS) if ok[k]), key=scores.__getitem__)
                if guess != gold:
                    for f in fs:
                        wf, uf = w[f], u[f]
                        wf[gold] += 1.0
                        wf[guess] -= 1.0
                        uf[gold] += c
                        uf[guess] -= c
                prev = guess
                c += 1
    names = sorted(index, key=index.__getitem__)
    out = {}
    for f, name in enumerate(names):
        avg = [round((w[f][k] - u[f][k] / c) * 100) for k in range(NTAGS)]
        if any(avg):
            out[name] = [a / 100 for a in avg]
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
    ap.add_argument("--gate", type=float, nargs="*", default=[0.0])
    ap.add_argument("--margin", type=float, nargs="*", default=[0.0])
    ap.add_argument("--look-back", type=int, nargs="*", default=[0])
    ap.add_argument("--types", default="PER,ORG")
    args = ap.parse_args(argv)
    if not FULL.exists():
        print(f"ANERcorp not found at {FULL}")
        return 1
    tokens = read_train(FULL)
    base = load_resources(learned=[])
    lex = tagger_lexicon(base)
    types = args.types.split(",")
    if args.cv:
        models: dict[tuple[int, int], dict] = {}

        def factory(gate: float, margin: float, back: bool) -> Callable:
            def make(mine: list[Token], a: int, b: int) -> Tagger:
                if (a, b) not in models:
                    models[(a, b)] = train(mine, lex, args.epochs)
                return Tagger(models[(a, b)], lex, gate=gate, margin=margin, look_back=back, types=types)
            return make

        for gate in args.gate:
            for margin in args.margin:
                for back in args.look_back:
                    tp, fp, fn = cross_validate(tokens, guideline=True, tagger=factory(gate, margin, bool(back)))
                    report(tp, fp, fn, f"train 5-fold CV, guideline, tagger epochs={args.epochs} gate={gate} "
                                       f"margin={margin} look_back={bool(back)} types={types}")
        return 0
    weights = train(tokens, lex, args.epochs)
    write(weights, f"epochs={args.epochs}; trained on {len(tokens)} train tokens; {len(weights)} features")
    print(f"wrote {len(weights)} features to {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
