"""Collect the evidence sentences of the core topics on corpus articles outside the devset, for labelling per sentence.

    python -m eval.sentence_collect OUT.jsonl

Only **partition 1** of the corpora is read: an article's reference hashes to 1 (`partition`), and so does every other
reference to the same text (Baly lists one page under several claims; SaudiNewsNet's two files share papers). A Baly
row is hashed both by its line in the corpus file and by "claim/index" and must be 1 under both, so a reader of
partition 0 who keys Baly either way never meets these texts. Articles in eval/devset.jsonl, or sharing their first
300 normalised characters or more than 30 % of their 5-word shingles (either direction) with a devset article, are
left out: the sentence labels must say nothing about the devset, on which the filter is then scored.

Articles are split and flagged exactly as ingest does (eval.topics_devset.article_sentences) and tagged by
analyze_article; each output row is one (article, core topic, evidence sentence): the normalised sentence, the terms
and offsets of the hits in it, and how many evidence sentences the tag has. The output holds corpus text: write it
outside the repository (the labelled subset, eval/sentences.jsonl, holds only the judged sentences).
"""

from __future__ import annotations

import hashlib
import html
import json
import sys
from pathlib import Path

from basira.analysis import analyze_article
from basira.normalize import normalize_text
from eval.corpora import _rows, available
from eval.topics_devset import article_sentences, load_article, load_devset

CORE = ("prisons", "coups", "defected_officers")
SHINGLE = 5
OVERLAP = 0.30


def partition(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2


def _keys(corpus: str, i: int, row: dict) -> list[str]:
    if corpus == "baly2018":
        return [f"baly2018:{i}", f"baly2018:{row['claim_id']}/{row['article_idx']}"]
    return [f"{corpus}:{i}"]


def _text(corpus: str, row: dict) -> str:
    return row["text"] if corpus == "baly2018" else html.unescape(row.get("content") or "")


def _ref(corpus: str, i: int, row: dict) -> dict:
    if corpus == "baly2018":
        return {"corpus": corpus, "claim_id": row["claim_id"], "article_idx": int(row["article_idx"]), "line": i}
    return {"corpus": corpus, "line": i}


def _devset_keys(devset: list[dict]) -> set[str]:
    out = set()
    for r in devset:
        if r["corpus"] == "baly2018":
            out.add(f"baly2018:{r['claim_id']}/{r['article_idx']}")
        else:
            out.add(f"{r['corpus']}:{r['line']}")
    return out


def shingles(norm: str) -> set[tuple[str, ...]]:
    w = norm.split()
    return {tuple(w[k:k + SHINGLE]) for k in range(max(0, len(w) - SHINGLE + 1))}


def near(a_head: str, a_sh: set, b_head: str, b_sh: set) -> bool:
    if a_head and a_head == b_head:
        return True
    common = len(a_sh & b_sh)
    return bool(a_sh and common / len(a_sh) > OVERLAP) or bool(b_sh and common / len(b_sh) > OVERLAP)


def usable() -> list[tuple[str, int, dict]]:
    """(corpus, line, row) of every partition-1 article (one per distinct text) not in the devset."""
    devkeys = _devset_keys(load_devset())
    by_text: dict[tuple[str, str], list[tuple[str, int, dict]]] = {}
    for corpus in ("baly2018", "saudinewsnet_syria", "saudinewsnet_negatives"):
        group = "baly" if corpus == "baly2018" else "snn"
        for i, row in enumerate(_rows(corpus)):
            by_text.setdefault((group, _text(corpus, row)), []).append((corpus, i, row))
    out = []
    for (_, text), refs in by_text.items():
        keys = [k for c, i, r in refs for k in _keys(c, i, r)]
        if not text.strip() or any(partition(k) != 1 for k in keys) or any(k in devkeys for k in keys):
            continue
        out.append(refs[0])
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not available():
        print("corpora not found")
        return 1
    out_path = Path(argv[0])
    devset = load_devset()
    dev_fp = []
    for r in devset:
        _, text = load_article(r)
        norm = normalize_text(text)
        dev_fp.append((norm[:300], shingles(norm)))
    arts = usable()
    print(f"{len(arts)} partition-1 articles outside the devset", file=sys.stderr)
    n_tagged = n_near = 0
    with out_path.open("w", encoding="utf-8") as out:
        for corpus, i, row in arts:
            ref = _ref(corpus, i, row)
            title, text = load_article(ref)
            sentences = article_sentences(ref, text)
            analysis = analyze_article(sentences, title)
            tags = [t for t in analysis.topics if t.topic in CORE]
            if not tags:
                continue
            norm = normalize_text(text)
            head, sh = norm[:300], shingles(norm)
            if any(near(head, sh, h, s) for h, s in dev_fp):
                n_near += 1
                continue
            n_tagged += 1
            by_seq = {s.seq: s.text_norm for s in sentences}
            if title:
                by_seq[-1] = normalize_text(title)
            for tag in tags:
                seqs: dict[int, list] = {}
                for e in tag.evidence:
                    seqs.setdefault(e.seq, []).append([e.term, e.start, e.end])
                for seq, hits in seqs.items():
                    out.write(json.dumps({**ref, "topic": tag.topic, "seq": seq, "text": by_seq[seq], "hits": hits,
                                          "n_sentences": len(seqs), "score": tag.score}, ensure_ascii=False) + "\n")
    print(f"{n_tagged} tagged articles kept, {n_near} near a devset article left out", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
