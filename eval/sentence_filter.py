"""A filter over the core topics' evidence sentences, trained on labels per sentence (eval/sentences.jsonl).

    python -m eval.sentence_filter            # choose the setting by CV on the sentence labels, then score the devset
    python -m eval.sentence_filter --cv-only  # the CV table only
    python -m eval.sentence_filter --setting 4,3,s,0.3,0.4,0.5   # score the devset with a setting, skipping the CV
    python -m eval.sentence_filter --rules    # which labelled sentences the current rules still take as evidence

Result (eval/RESULTS.md, tenth round): the filter did not help and is not part of basira/; this script keeps the study
reproducible, and `--rules` checks a rule change against the labels.

Tenth round (eval/RESULTS.md). The labels are evidence sentences of the rules' prisons, defected_officers and coups tags
on corpus articles of partition 1 outside the devset (eval/sentence_collect.py), each judged by reading it: does this
sentence report the topic. Model: L2 logistic regression (eval.topic_stage_cv.fit: deterministic Newton steps) over
features of the sentence at its hits (sentence_features): the terms that hit, the light-stemmed words on each side of
each hit within a window, the words just before and after it, the sentence's length and punctuation, the number of the
tag's evidence sentences, title; each shared across topics and conjoined with the topic.

The setting — L2 strength, window, and per topic a drop threshold or none — is chosen by grouped CV (folds by article,
identical texts together) on the sentence labels alone, maximising article-level F1 over the labelled tags whose every
evidence sentence is labelled (the tag's gold is "some sentence reports it"; the filter keeps it when some sentence
passes). The chosen model, trained on every label, is then scored once as a second stage on every judged devset
article outside the sealed split: before = the rules, after = the rules with each core tag kept only if one of its
evidence sentences passes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from basira.analysis import analyze_article
from basira.normalize import normalize_text
from eval.corpora import available, load_article
from eval.topic_stage_cv import fit, light_stem
from eval.topics_devset import SEALED, SPLITS, article_sentences, load_devset, prf, sealed_names, split_of

LABELS = Path(__file__).resolve().parent / "sentences.jsonl"
CORE = ("prisons", "coups", "defected_officers")
LAMBDAS = (4.0, 2.0, 1.0, 0.5)
WINDOWS = (3, 6)
VARIANTS = ("", "h", "s", "hs")
MAX_LOSS = 0.02  # a threshold may drop at most this share of a topic's true tags (in CV)
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)
FOLDS = 10
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


def _words(text: str) -> list[str]:
    out = []
    for t in text.split():
        t = _EDGE.sub("", t)
        if t:
            out.append(t)
    return out


def sentence_features(text: str, hits: list[tuple[str, int, int]], topic: str, n_sentences: int, title: bool,
                      window: int, variant: str = "") -> list[str]:
    """Features of one evidence sentence of a `topic` tag: shared (`*:`) and conjoined with the topic. `variant` adds
    "s" every word of the sentence (light-stemmed), "h" the hit as written and the two words on each side of it."""
    f: set[str] = set()
    f.add("n=" + ("1" if n_sentences == 1 else "2" if n_sentences == 2 else "3+"))
    if title:
        f.add("title")
    words = _words(text)
    f.add("len=" + ("8" if len(words) <= 8 else "20" if len(words) <= 20 else "40" if len(words) <= 40 else "more"))
    if "/" in text:
        f.add("slash")  # verse lines are set off by slashes
    if "«" in text or '"' in text or "“" in text:
        f.add("quote")
    for term, start, end in hits:
        f.add("term=" + term)
        left, right = _words(text[:start]), _words(text[end:])
        for w in left[-window:]:
            f.add("L=" + light_stem(w))
        for w in right[:window]:
            f.add("R=" + light_stem(w))
        f.add("L1=" + (left[-1] if left else "^"))
        f.add("R1=" + (right[0] if right else "$"))
        if "h" in variant:
            f.add("H=" + text[start:end])
            f.add("LB=" + " ".join(left[-2:]))
            f.add("RB=" + " ".join(right[:2]))
    if "s" in variant:
        for w in words:
            f.add("S=" + light_stem(w))
    return sorted(f"*:{x}" for x in f) + sorted(f"{topic}:{x}" for x in f)


def load_labels(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _article(r: dict) -> str:
    return f"{r['corpus']}:{r['line']}"


def _groups(rows: list[dict]) -> list[int]:
    """Fold of each row: articles dealt round-robin in order of first appearance; identical texts share a fold."""
    by_text: dict[str, int] = {}
    by_article: dict[str, int] = {}
    out = []
    k = 0
    for r in rows:
        g = by_article.get(_article(r))
        if g is None:
            g = by_text.get(r["text"])
        if g is None:
            g = k % FOLDS
            k += 1
        by_article.setdefault(_article(r), g)
        by_text.setdefault(r["text"], g)
        out.append(g)
    return out


def _examples(rows: list[dict], window: int, variant: str) -> list[tuple[str, str, str, list[str], bool]]:
    return [("", _article(r), r["topic"], sentence_features(r["text"], r["hits"], r["topic"], r["n_sentences"],
                                                            r["seq"] == -1, window, variant), bool(r["label"]))
            for r in rows]


def _score(weights: dict[str, float], bias: float, feats: list[str]) -> float:
    z = bias + sum(weights.get(x, 0.0) for x in feats)
    return float(1.0 / (1.0 + np.exp(-z)))


def cv_probs(rows: list[dict], lam: float, window: int, variant: str) -> list[float]:
    groups = _groups(rows)
    ex = _examples(rows, window, variant)
    probs = [0.0] * len(rows)
    for g in range(FOLDS):
        train = [e for e, k in zip(ex, groups) if k != g]
        w, b = fit(train, lam)
        for i, (e, k) in enumerate(zip(ex, groups)):
            if k == g:
                probs[i] = _score(w, b, e[3])
    return probs


def tag_counts(rows: list[dict], probs: list[float], topic: str, threshold: float | None) -> tuple[int, int, int]:
    """Article-level (tp, fp, fn) over the `topic` tags whose every evidence sentence is labelled."""
    tags: dict[str, list[tuple[bool, float]]] = {}
    sizes: dict[str, int] = {}
    for r, p in zip(rows, probs):
        if r["topic"] != topic:
            continue
        tags.setdefault(_article(r), []).append((bool(r["label"]), p))
        sizes[_article(r)] = r["n_sentences"]
    tp = fp = fn = 0
    for a, items in tags.items():
        if len(items) != sizes[a]:
            continue
        gold = any(lab for lab, _ in items)
        keep = threshold is None or any(p >= threshold for _, p in items)
        tp += keep and gold
        fp += keep and not gold
        fn += gold and not keep
    return tp, fp, fn


def choose(rows: list[dict], verbose: bool = True) -> tuple[float, int, str, dict[str, float | None]]:
    """The setting with the best mean over the core topics of the labelled tags' F1 (per topic its best threshold among
    those that lose at most MAX_LOSS of the topic's true tags, or none when no threshold beats keeping every tag); ties
    go to the first setting in grid order (fewer features, smaller window, larger λ)."""
    best: tuple[float, float, int, str, dict[str, float | None]] | None = None
    for variant, window, lam in ((v, w, lam) for v in VARIANTS for w in WINDOWS for lam in LAMBDAS):
        probs = cv_probs(rows, lam, window, variant)
        per: dict[str, float | None] = {}
        total = 0.0
        line = []
        for topic in CORE:
            base = tag_counts(rows, probs, topic, None)
            f_best, t_best = prf(*base)[2], None
            for t in THRESHOLDS:
                c = tag_counts(rows, probs, topic, t)
                f = prf(*c)[2]
                if c[2] - base[2] > MAX_LOSS * (base[0] + base[2]):
                    continue
                if f > f_best + 1e-9:
                    f_best, t_best = f, t
            per[topic] = t_best
            total += f_best
            c = tag_counts(rows, probs, topic, t_best)
            line.append(f"{topic} {prf(*base)[2]:.3f}->{f_best:.3f} t={t_best} {c[0]}/{c[1]}/{c[2]}")
        mean = total / len(CORE)
        if verbose:
            print(f"variant {variant or '-'} window {window} λ {lam}: mean {mean:.4f} | " + " | ".join(line))
        if best is None or mean > best[0] + 1e-9:
            best = (mean, lam, window, variant, per)
    assert best is not None
    return best[1], best[2], best[3], best[4]


def devset_eval(weights: dict[str, float], bias: float, window: int, variant: str,
                thresholds: dict[str, float | None]) -> None:
    devset = [r for r in load_devset() if split_of(r) not in SEALED]
    before: dict[tuple[str, str], Counter] = {}
    after: dict[tuple[str, str], Counter] = {}
    lost: list[str] = []
    removed: list[str] = []
    cpu_stage = cpu_analysis = 0.0
    for ref in devset:
        split = split_of(ref)
        title, text = load_article(ref)
        sentences = article_sentences(ref, text)
        t0 = time.process_time()
        analysis = analyze_article(sentences, title)
        t1 = time.process_time()
        by_seq = {s.seq: s.text_norm for s in sentences}
        kept = set()
        predicted = set()
        for tag in analysis.topics:
            if tag.topic not in CORE:
                continue
            predicted.add(tag.topic)
            t = thresholds.get(tag.topic)
            if t is None:
                kept.add(tag.topic)
                continue
            per_seq: dict[int, list] = {}
            for e in tag.evidence:
                per_seq.setdefault(e.seq, []).append((e.term, e.start, e.end))
            best = 0.0
            for seq, hits in per_seq.items():
                sent = normalize_text(title or "") if seq == -1 else by_seq[seq]
                feats = sentence_features(sent, hits, tag.topic, len(per_seq), seq == -1, window, variant)
                p = _score(weights, bias, feats)
                best = max(best, p)
                if best >= t:
                    break
            if best >= t:
                kept.add(tag.topic)
        t2 = time.process_time()
        cpu_analysis += t1 - t0
        cpu_stage += t2 - t1
        gold = set(ref["topics"])
        rid = _ref_name(ref)
        for topic in CORE:
            if topic not in ref["judged"]:
                continue
            for store, pred in ((before, predicted), (after, kept)):
                c = store.setdefault((split, topic), Counter())
                if topic in pred and topic in gold:
                    c["tp"] += 1
                elif topic in pred:
                    c["fp"] += 1
                elif topic in gold:
                    c["fn"] += 1
            if topic in predicted and topic not in kept:
                (lost if topic in gold else removed).append(f"{split} {topic} {rid}")
    splits = [s for s in SPLITS if any((s, t) in before for t in CORE)]
    print(f"\ndevset, every split but the sealed ({sealed_names()}): {len(devset)} articles")
    for topic in CORE:
        print(f"  {topic}")
        tot_b, tot_a = Counter(), Counter()
        for s in splits:
            b, a = before.get((s, topic), Counter()), after.get((s, topic), Counter())
            tot_b.update(b)
            tot_a.update(a)
            if b != a:
                print(f"    {s:9} {_fmt(b)} -> {_fmt(a)}")
        print(f"    {'all':9} {_fmt(tot_b)} -> {_fmt(tot_a)}")
    print(f"  true positives lost: {len(lost)} {lost}")
    print(f"  false positives removed: {len(removed)} {removed}")
    n = len(devset)
    print(f"  CPU per article: analysis {1e3 * cpu_analysis / n:.2f} ms, stage {1e6 * cpu_stage / n:.1f} µs")


def rules_check(rows: list[dict]) -> None:
    """Tag each labelled sentence's article with the current code and taxonomy: which labelled evidence sentences are
    still evidence of their topic. A rule change that drops labelled negatives and keeps the positives is right on
    text it was not written from (the labels were judged with taxonomy 2026.12.8, main's code, before any change)."""
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(_article(r), []).append(r)
    kept: Counter = Counter()
    dropped: list[str] = []
    still: dict[int, bool] = {}
    for items in by_article.values():
        ref = {k: items[0][k] for k in ("corpus", "line", "claim_id", "article_idx") if k in items[0]}
        title, text = load_article(ref)
        analysis = analyze_article(article_sentences(ref, text), title)
        evidence = {(t.topic, e.seq) for t in analysis.topics for e in t.evidence}
        for r in items:
            here = (r["topic"], r["seq"]) in evidence
            still[id(r)] = here
            kept[(r["topic"], r["label"], here)] += 1
            if not here:
                dropped.append(f"{r['topic']} label={r['label']} {_article(r)} seq {r['seq']}: {r['reason']}")
    print("labelled evidence sentences still evidence with the current rules (kept / dropped):")
    for topic in CORE:
        print(f"  {topic:18} true {kept[(topic, 1, True)]}/{kept[(topic, 1, False)]}"
              f"  false {kept[(topic, 0, True)]}/{kept[(topic, 0, False)]}")
        probs = [1.0 if still[id(r)] else 0.0 for r in rows]
        print(f"  {'':18} labelled tags, rules as collected -> now: {_fmt3(tag_counts(rows, probs, topic, None))}"
              f" -> {_fmt3(tag_counts(rows, probs, topic, 0.5))}")
    print("dropped:\n  " + "\n  ".join(dropped))


def _fmt3(c: tuple[int, int, int]) -> str:
    p, r, f = prf(*c)
    return f"{c[0]}/{c[1]}/{c[2]} (F1 {f:.3f})"


def _ref_name(ref: dict) -> str:
    if ref["corpus"] == "baly2018":
        return f"V:{ref['claim_id']}/{ref['article_idx']}"
    return f"{ref['corpus']}:{ref['line']}"


def _fmt(c: Counter) -> str:
    p, r, f = prf(c["tp"], c["fp"], c["fn"])
    return f"{c['tp']}/{c['fp']}/{c['fn']} (P {p:.3f} R {r:.3f} F1 {f:.3f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--rules", action="store_true", help="only: which labelled sentences the current rules still tag")
    ap.add_argument("--setting", help="skip the CV and use λ,window,variant,threshold per core topic (- for none), "
                                      "e.g. 4,3,s,0.3,0.4,0.5: what the CV chose")
    args = ap.parse_args(argv)
    rows = load_labels()
    sizes = Counter((r["topic"], r["label"]) for r in rows)
    print(f"{len(rows)} labelled sentences: " + ", ".join(f"{t} {sizes[(t, 1)]}+/{sizes[(t, 0)]}-" for t in CORE))
    if args.rules:
        rules_check(rows)
        return 0
    if args.setting:
        lam_s, window_s, variant, *ts = args.setting.split(",")
        lam, window = float(lam_s), int(window_s)
        thresholds = {t: None if v == "-" else float(v) for t, v in zip(CORE, ts)}
    else:
        lam, window, variant, thresholds = choose(rows)
    print(f"chosen: λ {lam}, window {window}, variant {variant or '-'}, thresholds {thresholds}")
    if args.cv_only or not available():
        return 0
    weights, bias = fit(_examples(rows, window, variant), lam)
    devset_eval(weights, bias, window, variant, thresholds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
