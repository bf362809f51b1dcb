"""Per-topic precision/recall/F1 of analyze_article on the labelled development set (eval/devset.jsonl).

    python -m eval.topics_devset [--show-errors]

Each devset line references an article in ../shared/corpora (no corpus text is stored here) and lists the
topics a human judged present. Only the topics in its `judged` list are scored for that article.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from basira.analysis import analyze_article
from basira.analysis.segment import split_sentences
from eval.corpora import available, load_article

DEVSET = Path(__file__).resolve().parent / "devset.jsonl"


def load_devset(path: Path = DEVSET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(devset: list[dict]) -> tuple[Counter, Counter, Counter, list[str]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    errors = []
    for ref in devset:
        title, text = load_article(ref)
        analysis = analyze_article(split_sentences(text), title)
        predicted = {t.topic for t in analysis.topics}
        gold = set(ref["topics"])
        for topic in ref["judged"]:
            if topic in predicted and topic in gold:
                tp[topic] += 1
            elif topic in predicted:
                fp[topic] += 1
                tag = next(t for t in analysis.topics if t.topic == topic)
                errors.append(f"FP {topic} {ref} score={tag.score} terms={[e.term for e in tag.evidence][:5]}")
            elif topic in gold:
                fn[topic] += 1
                errors.append(f"FN {topic} {ref}")
    return tp, fp, fn, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found in ../shared/corpora; skipping the devset evaluation.")
        return 0
    devset = load_devset()
    tp, fp, fn, errors = evaluate(devset)
    print(f"devset: {len(devset)} articles")
    print(f"  {'topic':20} {'P':>6} {'R':>6} {'F1':>6}  tp/fp/fn")
    for topic in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[topic] / (tp[topic] + fp[topic]) if tp[topic] + fp[topic] else 0.0
        r = tp[topic] / (tp[topic] + fn[topic]) if tp[topic] + fn[topic] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {topic:20} {p:6.3f} {r:6.3f} {f:6.3f}  {tp[topic]}/{fp[topic]}/{fn[topic]}")
    if args.show_errors:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
