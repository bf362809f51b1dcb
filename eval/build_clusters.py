"""Build basira/data/word_clusters.tsv: distributional word clusters from UNLABELLED news (Baly + SaudiNewsNet).

    python -m eval.build_clusters [--words 40000] [--contexts 1000] [--dims 100] [--fine 1024] [--coarse 128]

The sequence model (basira/analysis/tagger.py) reads a word's cluster as a feature, so that a name never seen
in ANERcorp train still shares weights with the names of its cluster ("a word used like these"). Each word
of the vocabulary (the most frequent normalised tokens, tokenised as the recogniser does) is described by the
counts of the context words on its left and on its right (the most frequent words, and a punctuation mark),
weighted by positive PMI, reduced to `--dims` dimensions (randomised SVD, numpy only), normalised and
clustered by spherical k-means into `--fine` clusters; the fine centroids are clustered again into
`--coarse` clusters, so a word's coarse cluster is a prefix of its path, as with Brown clusters.

Only Baly2018 and SaudiNewsNet are read: never ANERcorp (the NER evaluation) or NewsFANE (ANERcorp's own
text, which would leak the test split). The file holds words and cluster numbers only, no corpus text.
Seeded: rebuilding gives the same file.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import numpy as np

from basira.analysis.doc import PUNCTUATION
from basira.analysis.tagger import CLUSTERS_FILE
from basira.normalize import normalize_text
from eval.corpora import available, iter_unlabelled_texts

HEADER = ("# word clusters for the sequence model (basira/analysis/tagger.py): normalised word, fine cluster, coarse "
          "cluster; built by eval/build_clusters.py from unlabelled news (Baly2018 + SaudiNewsNet) by context counts, "
          "PPMI, SVD and k-means. {settings}\n")
_BOUNDARY = "<p>"


def tokens(text: str) -> list[str]:
    """The recogniser's tokens (normalised, punctuation blanked) with every run of non-words as one boundary."""
    out: list[str] = []
    for line in text.split("\n"):
        for tok in PUNCTUATION.sub(" ", normalize_text(line)).split(" "):
            if tok:
                out.append(tok)
            elif out and out[-1] != _BOUNDARY:
                out.append(_BOUNDARY)
        if out and out[-1] != _BOUNDARY:
            out.append(_BOUNDARY)
    return out


def spherical_kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 25,
                     weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(labels, unit centroids) of k-means on unit rows by cosine; k-means++ seeding."""
    n = len(x)
    w = np.ones(n) if weights is None else weights
    centres = [int(rng.choice(n, p=w / w.sum()))]
    best = 1.0 - x @ x[centres[0]]
    for _ in range(1, k):
        p = np.maximum(best, 0) * w
        c = int(rng.choice(n, p=p / p.sum()))
        centres.append(c)
        best = np.minimum(best, 1.0 - x @ x[c])
    cent = x[centres].copy()
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(iters):
        labels = (x @ cent.T).argmax(1)
        new = np.zeros_like(cent)
        np.add.at(new, labels, x * w[:, None])
        norms = np.linalg.norm(new, axis=1)
        empty = norms == 0
        new[empty] = cent[empty]
        norms[empty] = 1.0
        cent = new / norms[:, None]
    return labels, cent


def build(words: int, contexts: int, dims: int, fine: int, coarse: int, seed: int = 1
          ) -> tuple[list[str], np.ndarray, np.ndarray, int]:
    freq: Counter[str] = Counter()
    docs = [tokens(t) for t in iter_unlabelled_texts()]
    for d in docs:
        freq.update(d)
    del freq[_BOUNDARY]
    vocab = [w for w, c in freq.most_common(words) if c >= 3]
    ctx = [_BOUNDARY] + [w for w, _ in freq.most_common(contexts)]
    wid = {w: i for i, w in enumerate(vocab)}
    cid = {w: i for i, w in enumerate(ctx)}
    nc = len(ctx)
    counts = np.zeros((len(vocab), 2 * nc), dtype=np.float32)
    n_tokens = 0
    for d in docs:
        n_tokens += len(d)
        w_ids = np.array([wid.get(t, -1) for t in d], dtype=np.int64)
        c_ids = np.array([cid.get(t, -1) for t in d], dtype=np.int64)
        # left neighbour (columns 0..nc-1) and right neighbour (nc..2nc-1)
        for wi, ci, off in ((w_ids[1:], c_ids[:-1], 0), (w_ids[:-1], c_ids[1:], nc)):
            ok = (wi >= 0) & (ci >= 0)
            np.add.at(counts, (wi[ok], ci[ok] + off), 1.0)
    total = counts.sum()
    row = counts.sum(1, keepdims=True)
    col = counts.sum(0, keepdims=True)
    with np.errstate(divide="ignore"):
        ppmi = np.maximum(np.log(counts * (total / (row * col + 1e-9))), 0).astype(np.float32)
    rng = np.random.default_rng(seed)
    # Randomised SVD (Halko et al.): range of X Omega with two power iterations.
    q, _ = np.linalg.qr(ppmi @ rng.standard_normal((ppmi.shape[1], dims + 20)).astype(np.float32))
    for _ in range(2):
        q, _ = np.linalg.qr(ppmi @ (ppmi.T @ q))
    u, s, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    emb = (q @ u[:, :dims]) * np.sqrt(s[:dims])
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
    labels, cent = spherical_kmeans(emb.astype(np.float64), fine, rng)
    sizes = np.bincount(labels, minlength=fine).astype(np.float64)
    top, _ = spherical_kmeans(cent, coarse, rng, weights=np.maximum(sizes, 1e-3))
    return vocab, labels, top[labels], n_tokens


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=40000)
    ap.add_argument("--contexts", type=int, default=1000)
    ap.add_argument("--dims", type=int, default=100)
    ap.add_argument("--fine", type=int, default=1024)
    ap.add_argument("--coarse", type=int, default=128)
    ap.add_argument("--out", default=str(CLUSTERS_FILE))
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found")
        return 1
    vocab, fine, coarse, n_tokens = build(args.words, args.contexts, args.dims, args.fine, args.coarse)
    settings = (f"{len(vocab)} words (count >= 3) of {n_tokens} tokens; contexts {args.contexts} left + right; "
                f"{args.dims} dims; {args.fine} fine / {args.coarse} coarse clusters; seed 1")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(HEADER.format(settings=settings))
        for w, a, b in zip(vocab, fine, coarse):
            f.write(f"{w}\t{int(a)}\t{int(b)}\n")
    print(f"wrote {len(vocab)} words to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
