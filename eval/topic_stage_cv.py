"""Could a learned second stage lift the core topics? Leave-one-split-out CV of a keep/drop model over the rules' tags.

    python -m eval.topic_stage_cv             # the rules' tags, a model trained on the rules' tags of the other splits
    python -m eval.topic_stage_cv --loose     # the same, the model trained on the loose candidates of the other splits
    python -m eval.topic_stage_cv --diagnose  # also AUC, the best threshold in hindsight (an upper bound only), the
                                              # candidates for additions and the model as the only filter
    python -m eval.topic_stage_cv --skip-cv --never-tuned DIR [--post-hoc]
                                              # the never-tuned union: older trees' tags dumped into DIR by
                                              # eval/topic_stage_dump_old.py (out_<commit>.jsonl, see FIRST_SCORED)

Eighth round (eval/RESULTS.md): the stage did not help, so nothing of it is in basira/; this script keeps the study
reproducible.

Examples: every article of eval/devset.jsonl (splits dev, holdout … holdout8; a split named holdout9 is never read)
and core topic the rules tag, labelled by whether a human judged the topic present. Model: logistic regression, L2 (the bias almost unpenalised), Newton steps solved through the n×n Woodbury form (more
features than examples), a fixed number of steps from zero: deterministic. Settings — L2 strength and the drop
threshold, LAMBDAS × THRESHOLDS, fixed before any figure was seen — are chosen by leave-one-split-out CV on the
training splits only (nested inside the outer CV), maximising the mean F1 of the three core topics.

Features of a tag (tag_features), computed only from what analysis already has at the tag's evidence: the light-stemmed
words within WINDOW of each hit, the terms that hit, the number of evidence sentences, title and lead hits, the
article's length, the other topics it is tagged with, and the defection frame's verdict at one-word hits; each shared
across topics and conjoined with the topic.
"""

from __future__ import annotations

import argparse
import json
import sys
from bisect import bisect_right
from collections import Counter
from dataclasses import fields, replace
from pathlib import Path

import numpy as np

from basira.analysis import _load
from basira.analysis.doc import BREAK, Doc, prepare_doc
from basira.analysis.frames import Frame, verdict
from basira.analysis.morphology import Lexicon
from basira.analysis.topics import Taxonomy, tag_topics
from basira.model import Sentence, TopicEvidence, TopicTag
from eval.corpora import available, load_article
from eval.topics_devset import article_sentences, load_devset, prf, split_of

CORE = ("prisons", "coups", "defected_officers")
# holdout8 is ordinary training data from this round on; holdout9, if it ever exists, is never read here.
TRAIN_SPLITS = ("dev", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8")
LAMBDAS = (0.5, 1.0, 2.0, 4.0, 8.0)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
MIN_COUNT = 2  # a feature seen in fewer training examples gets no weight
NEWTON_STEPS = 25
BIAS_L2 = 1e-3
WINDOW = 5  # words read on each side of a hit, inside its sentence
LEAD = 3  # body sentences that count as the lead
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_SUFFIXES = ("هما", "ها", "هم", "ات", "ين", "ون", "ان", "ه", "ي")

Example = tuple[str, str, str, list[str], bool]  # (split, ref id, topic, features, gold)


def light_stem(word: str) -> str:
    """The word without one leading clitic or article and one ending, when at least three letters are left:
    "والمعتقلين" and "معتقل" give one feature."""
    for p in _PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 3:
            word = word[len(p):]
            break
    for s in _SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 3:
            return word[: -len(s)]
    return word


def _bucket(n: int) -> str:
    return "1" if n == 1 else "2" if n == 2 else "3-4" if n <= 4 else "5+"


def _window_words(doc: Doc, first: int) -> list[str]:
    """The words up to WINDOW before and after token `first` (the hit's first word), within its sentence."""
    toks = doc.toks
    out: list[str] = []
    for step in (-1, 1):
        j, taken = first + step, 0
        while 0 <= j < doc.n and taken < WINDOW:
            t = toks[j]
            if t == BREAK:
                break
            if t:
                out.append(t)
                taken += 1
            j += step
    return out


def tag_features(doc: Doc, tag: TopicTag, others: list[str], frame: Frame | None = None) -> list[str]:
    """The features of one tag, each once: shared ones (`*:`) and the same conjoined with the topic, plus the
    topic's words around the hits, the terms that hit and the frame's reading of one-word hits."""
    topic = tag.topic
    line_of_seq = {s: i for i, s in enumerate(doc.seqs)}
    seqs = {e.seq for e in tag.evidence}
    body = [s for s in seqs if s != -1]
    first_body = 1 if doc.seqs and doc.seqs[0] == -1 else 0
    shared = [f"n={_bucket(len(seqs))}"]
    if -1 in seqs:
        shared.append("title")
        if not body:
            shared.append("title_only")
    if any(line_of_seq[s] - first_body < LEAD for s in body):
        shared.append("lead")
    lines = len(doc.seqs) - first_body
    shared.append("len=" + ("5" if lines <= 5 else "15" if lines <= 15 else "40" if lines <= 40 else "more"))
    own: set[str] = set()
    for other in others:
        own.add(f"other={other}")
    ts, line_char = doc.ts, doc.line_char
    for e in tag.evidence:
        own.add(f"term={e.term}")
        line = line_of_seq[e.seq]
        char = line_char[line] + e.start
        first = bisect_right(ts, char) - 1
        for w in _window_words(doc, first):
            own.add("w=" + light_stem(w))
        if frame is not None and " " not in e.term:
            last = bisect_right(ts, line_char[line] + e.end - 1) - 1
            own.add(f"frame={verdict(frame, doc, first, last) or 'none'}")
    out = [f"*:{f}" for f in shared] + [f"{topic}:{f}" for f in shared]
    out += sorted(f"{topic}:{f}" for f in own)
    return out


def ref_id(ref: dict) -> str:
    if ref["corpus"] == "baly2018":
        return f"baly2018:{ref['claim_id']}/{ref['article_idx']}"
    return f"{ref['corpus']}:{ref['line']}"


def loose(taxonomy: Taxonomy) -> Taxonomy:
    """The taxonomy without exclusions, context rules and frames: every article where a topic word fires."""
    return replace(taxonomy, excludes=Lexicon(), exclude_patterns={}, context={}, frames={})


def _tag_examples(doc: Doc, tags: list[TopicTag], ref: dict, split: str, frames: dict) -> list[Example]:
    """The article's core tags that were judged, as examples: features, and whether the tag is right."""
    tagged = [t.topic for t in tags]
    return [
        (split, ref_id(ref), tag.topic, tag_features(doc, tag, [n for n in tagged if n != tag.topic], frames.get(tag.topic)),
         tag.topic in ref["topics"])
        for tag in tags
        if tag.topic in CORE and tag.topic in ref["judged"]
    ]


def _count_missed(missed: Counter, tags: list[TopicTag], ref: dict, split: str) -> None:
    """Count the article's gold core topics that `tags` lack."""
    tagged = {t.topic for t in tags}
    for topic in CORE:
        if topic in ref["topics"] and topic not in tagged:
            missed[(split, topic)] += 1


def extract(refs: list[dict]) -> tuple[list[Example], list[Example], Counter]:
    """The examples (the rules' core tags), the loose examples (the core tags of `loose(taxonomy)`, features read
    with the real frames) and, per split and topic, the gold positives the rules missed."""
    state = _load()
    frames = state.taxonomy.frames
    wide = loose(state.taxonomy)
    wide_examples: list[Example] = []
    examples: list[Example] = []
    missed: Counter = Counter()
    for ref in refs:
        title, text = load_article(ref)
        doc = prepare_doc(article_sentences(ref, text), title)
        state.scanner.scan(doc)
        tags = tag_topics(state.taxonomy, doc)
        examples += _tag_examples(doc, tags, ref, split_of(ref), frames)
        _count_missed(missed, tags, ref, split_of(ref))
        wide_examples += _tag_examples(doc, tag_topics(wide, doc), ref, split_of(ref), frames)
    return examples, wide_examples, missed


def fit(examples: list[Example], lam: float) -> tuple[dict[str, float], float]:
    """L2 logistic regression: (weights of the features seen in MIN_COUNT or more examples, bias)."""
    counts = Counter(f for e in examples for f in set(e[3]))
    names = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {f: i + 1 for i, f in enumerate(names)}
    n, p = len(examples), len(names) + 1
    x = np.zeros((n, p))
    x[:, 0] = 1.0
    for r, e in enumerate(examples):
        for f in e[3]:
            k = index.get(f)
            if k is not None:
                x[r, k] = 1.0
    y = np.array([1.0 if e[4] else 0.0 for e in examples])
    penalty = np.full(p, lam)
    penalty[0] = BIAS_L2
    inv = 1.0 / penalty
    w = np.zeros(p)
    for _ in range(NEWTON_STEPS):
        z = x @ w
        mu = 1.0 / (1.0 + np.exp(-z))
        s = np.clip(mu * (1.0 - mu), 1e-9, None)
        g = x.T @ (mu - y) + penalty * w
        # (diag(penalty) + X' S X)^-1 g by Woodbury: only an n×n system.
        xi = x * inv
        m = np.diag(1.0 / s) + xi @ x.T
        step = inv * g - inv * (x.T @ np.linalg.solve(m, xi @ g))
        w = w - step
    return {f: float(w[index[f]]) for f in names}, float(w[0])


def predict(weights: dict[str, float], bias: float, feats: list[str]) -> float:
    z = bias + sum(weights.get(f, 0.0) for f in feats)
    return float(1.0 / (1.0 + np.exp(-z)))


def counts(examples: list[Example], probs: list[float], threshold: float | None, missed: Counter,
           splits: tuple[str, ...]) -> dict[str, tuple[int, int, int]]:
    """Per core topic (tp, fp, fn) over `splits`: the examples kept (all when threshold is None) and the misses."""
    out = {}
    for topic in CORE:
        tp = fp = fn = 0
        for e, pr in zip(examples, probs):
            if e[2] != topic or e[0] not in splits:
                continue
            keep = threshold is None or pr >= threshold
            tp += keep and e[4]
            fp += keep and not e[4]
            fn += (not keep) and e[4]
        fn += sum(missed[(s, topic)] for s in splits)
        out[topic] = (tp, fp, fn)
    return out


def mean_f1(c: dict[str, tuple[int, int, int]]) -> float:
    return sum(prf(*c[t])[2] for t in CORE) / len(CORE)


def loso_probs(examples: list[Example], splits: tuple[str, ...], lam: float,
               pool: list[Example] | None = None) -> list[float]:
    """Each example of `splits` scored by the model trained on the other splits of `splits` (others: NaN); trained on
    `pool`'s examples of those splits when given (the loose candidates), else on `examples`'."""
    probs = [float("nan")] * len(examples)
    for held in splits:
        train = [e for e in (pool or examples) if e[0] in splits and e[0] != held]
        weights, bias = fit(train, lam)
        for i, e in enumerate(examples):
            if e[0] == held:
                probs[i] = predict(weights, bias, e[3])
    return probs


def choose(examples: list[Example], missed: Counter, splits: tuple[str, ...],
           pool: list[Example] | None = None) -> tuple[float, float, float]:
    """(lambda, threshold, inner mean F1) that leave-one-split-out CV over `splits` scores best; ties go to the larger
    lambda and the lower threshold (the setting that changes the rules' output least)."""
    best: tuple[float, float, float] | None = None
    for lam in sorted(LAMBDAS, reverse=True):
        probs = loso_probs(examples, splits, lam, pool)
        for th in THRESHOLDS:
            score = mean_f1(counts(examples, probs, th, missed, splits))
            if best is None or score > best[2] + 1e-12:
                best = (lam, th, score)
    assert best is not None
    return best


def nested_cv(examples: list[Example], missed: Counter,
              pool: list[Example] | None = None) -> tuple[list[float], dict[str, tuple[float, float]]]:
    """Outer leave-one-split-out: each split scored by a model whose setting and weights never saw it."""
    probs = [float("nan")] * len(examples)
    chosen = {}
    thresholds = [0.0] * len(examples)
    for held in TRAIN_SPLITS:
        inner = tuple(s for s in TRAIN_SPLITS if s != held)
        lam, th, _ = choose(examples, missed, inner, pool)
        chosen[held] = (lam, th)
        weights, bias = fit([e for e in (pool or examples) if e[0] in inner], lam)
        for i, e in enumerate(examples):
            if e[0] == held:
                probs[i] = predict(weights, bias, e[3])
                thresholds[i] = th
    # Fold each example's own threshold into its probability: kept iff prob - th + 0.5 >= 0.5.
    return [p - t + 0.5 for p, t in zip(probs, thresholds)], chosen


def fmt(c: tuple[int, int, int]) -> str:
    p, r, f = prf(*c)
    return f"{p:.3f} / {r:.3f} / {f:.3f} ({c[0]}/{c[1]}/{c[2]})"


def report(examples: list[Example], missed: Counter, pool: list[Example] | None = None) -> None:
    ones = [1.0] * len(examples)
    probs, chosen = nested_cv(examples, missed, pool)
    tried = len(LAMBDAS) * len(THRESHOLDS)
    print(f"examples: {len(examples)} core tags of the rules; settings tried per inner CV: {tried}")
    print("chosen per held split (lambda, threshold):", {k: v for k, v in chosen.items()})
    print(f"{'split':10} {'topic':18} {'rules P / R / F1 (tp/fp/fn)':34} {'rules + stage':34}")
    for split in (*TRAIN_SPLITS, "all"):
        splits = TRAIN_SPLITS if split == "all" else (split,)
        before = counts(examples, ones, None, missed, splits)
        after = counts(examples, probs, 0.5, missed, splits)
        for topic in CORE:
            print(f"{split:10} {topic:18} {fmt(before[topic]):34} {fmt(after[topic]):34}")
    print("\ndropped in CV (split, article, topic, gold, p - threshold + 0.5):")
    for e, pr in zip(examples, probs):
        if pr < 0.5:
            print(f"  {e[0]:9} {e[1]:40} {e[2]:18} {'TRUE' if e[4] else 'false'} {pr:.3f}")
    print("\nkept false positives:")
    for e, pr in zip(examples, probs):
        if pr >= 0.5 and not e[4]:
            print(f"  {e[0]:9} {e[1]:40} {e[2]:18} {pr:.3f}")


def auc(items: list[tuple[float, bool]]) -> float:
    pos = [p for p, g in items if g]
    neg = [p for p, g in items if not g]
    return sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / max(1, len(pos) * len(neg))


def diagnose(examples: list[Example], wide: list[Example], missed: Counter, refs: list[dict]) -> None:
    """What no setting choice can hide: how well the held-out probabilities rank the rules' false positives below their
    true positives (AUC), the best pooled F1 any threshold would give in hindsight (peeking: an upper bound, not an
    estimate), how many missed positives a loose candidate could add, and the model as a filter of the loose
    candidates instead of the hand-written exclusions."""
    strict = {(e[1], e[2]) for e in examples}
    add = sorted({(e[0], e[1], e[2]) for e in wide if e[4] and (e[1], e[2]) not in strict})
    print(f"\nmissed positives of the rules: {sum(missed.values())}; with a loose candidate: {len(add)}")
    print(f"  {add}")
    ones = [1.0] * len(examples)
    for name, pool in (("rules", None), ("loose", wide)):
        for lam in (1.0, 4.0):
            probs = loso_probs(examples, TRAIN_SPLITS, lam, pool)
            for topic in CORE:
                items = [(p, e[4]) for p, e in zip(probs, examples) if e[2] == topic]
                base = counts(examples, ones, None, missed, TRAIN_SPLITS)[topic]
                best = (prf(*base)[2], None, base)
                for th in sorted({p for p, _ in items}):
                    c = counts(examples, probs, th + 1e-12, missed, TRAIN_SPLITS)[topic]
                    if prf(*c)[2] > best[0] + 1e-12:
                        best = (prf(*c)[2], th, c)
                print(f"trained on {name:5} lambda {lam:g} {topic:18} AUC {auc(items):.3f}  "
                      f"rules F1 {prf(*base)[2]:.3f}  "
                      f"best F1 in hindsight {best[0]:.3f} (threshold {best[1]}, {best[2]})")
    have = {(e[1], e[2]) for e in wide}
    missed_wide: Counter = Counter()
    for r in refs:
        for t in CORE:
            if t in r["topics"] and (ref_id(r), t) not in have:
                missed_wide[(split_of(r), t)] += 1
    probs, chosen = nested_cv(wide, missed_wide)
    print(f"\nthe model as the only filter of the loose candidates (nested CV, chosen {chosen}):")
    w1, e1 = [1.0] * len(wide), [1.0] * len(examples)
    for split in (*TRAIN_SPLITS, "all"):
        splits = TRAIN_SPLITS if split == "all" else (split,)
        lo, st = counts(wide, w1, None, missed_wide, splits), counts(wide, probs, 0.5, missed_wide, splits)
        ru = counts(examples, e1, None, missed, splits)
        for t in CORE:
            print(f"{split:9} {t:18} loose {fmt(lo[t]):34} loose + model {fmt(st[t]):34} rules {fmt(ru[t])}")


# The never-tuned union of the seventh round: each holdout with the code that scored it first (older trees' tags dumped
# by eval/topic_stage_dump_old.py into out_<commit>.jsonl); holdout8 was first scored by the current rules.
FIRST_SCORED = {"holdout2": "674ffa8", "holdout3": "d887904", "holdout4": "d887904", "holdout5": "fce7fbc",
                "holdout6": "0fe0b2e", "holdout7": "8cf9aa6"}


def old_examples(folder: Path) -> tuple[list[Example], Counter]:
    """The older rules' core tags of the never-tuned holdouts, with the current features (the current frame reads
    their hits) computed on the sentences those rules read, and the positives they missed."""
    state = _load()
    frames = state.taxonomy.frames
    names = {f.name for f in fields(Sentence)}
    examples: list[Example] = []
    missed: Counter = Counter()
    for split, commit in FIRST_SCORED.items():
        for line in (folder / f"out_{commit}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            ref = row["ref"]
            if split_of(ref) != split:
                continue
            sentences = [Sentence(**{k: v for k, v in s.items() if k in names}) for s in row["sentences"]]
            doc = prepare_doc(sentences, row["title"])
            state.scanner.scan(doc)
            tags = [TopicTag(t["topic"], t["score"], tuple(TopicEvidence(t["topic"], *e) for e in t["evidence"]))
                    for t in row["tags"]]
            examples += _tag_examples(doc, tags, ref, split, frames)
            _count_missed(missed, tags, ref, split)
    return examples, missed


def never_tuned(examples: list[Example], wide: list[Example], missed: Counter, folder: Path) -> None:
    """Each never-tuned holdout, at the rules that first scored it, filtered by a stage trained (with the setting its
    inner CV picks) on the other splits' current tags or loose candidates: neither the rules nor the stage saw it."""
    old, old_missed = old_examples(folder)
    union = (*FIRST_SCORED, "holdout8")
    old += [e for e in examples if e[0] == "holdout8"]
    for split in ("holdout8",):
        for topic in CORE:
            old_missed[(split, topic)] = missed[(split, topic)]
    results = {}
    for name, pool in (("rules", None), ("loose", wide)):
        probs = [float("nan")] * len(old)
        for held in union:
            inner = tuple(s for s in TRAIN_SPLITS if s != held)
            lam, th, _ = choose(examples, missed, inner, pool)
            weights, bias = fit([e for e in (pool or examples) if e[0] in inner], lam)
            for i, e in enumerate(old):
                if e[0] == held:
                    probs[i] = predict(weights, bias, e[3]) - th + 0.5
            print(f"never-tuned, trained on {name}: {held} lambda {lam:g} threshold {th:g}")
        results[name] = probs
    ones = [1.0] * len(old)
    heads = ("first-scored rules", "+ stage (rules pool)", "+ stage (loose pool)")
    print(f"\n{'split':10} {'topic':18} " + " ".join(f"{h:34}" for h in heads))
    for split in (*union, "union"):
        splits = union if split == "union" else (split,)
        before = counts(old, ones, None, old_missed, splits)
        a = counts(old, results["rules"], 0.5, old_missed, splits)
        b = counts(old, results["loose"], 0.5, old_missed, splits)
        for topic in CORE:
            print(f"{split:10} {topic:18} {fmt(before[topic]):34} {fmt(a[topic]):34} {fmt(b[topic]):34}")
    for name in ("rules", "loose"):
        for topic in CORE:
            items = [(p, e[4]) for p, e in zip(results[name], old) if e[2] == topic]
            base = counts(old, ones, None, old_missed, union)[topic]
            best = (prf(*base)[2], None, base)
            for th in sorted({p for p, _ in items}):
                c = counts(old, results[name], th + 1e-12, old_missed, union)[topic]
                if prf(*c)[2] > best[0] + 1e-12:
                    best = (prf(*c)[2], round(th, 3), c)
            print(f"union, {name:5} pool, {topic:18} AUC {auc(items):.3f}  best F1 in hindsight {best[0]:.3f} "
                  f"(shifted threshold {best[1]}, {best[2]})")


def loose_selected(examples: list[Example], wide: list[Example], missed: Counter, folder: Path | None) -> None:
    """Post hoc (tried after the never-tuned hindsight figures were seen, so not a clean estimate): the loose-pool model
    with its setting chosen by inner CV on the loose candidates themselves, whose share of false tags is that of unseen
    text, applied to the current rules' tags (all splits) and to the first-scored rules' tags (the never-tuned
    union)."""
    have = {(e[1], e[2]) for e in wide}
    missed_wide: Counter = Counter()
    for r in load_devset():
        if split_of(r) in TRAIN_SPLITS:
            for t in CORE:
                if t in r["topics"] and (ref_id(r), t) not in have:
                    missed_wide[(split_of(r), t)] += 1
    targets = [("current rules", examples, missed, TRAIN_SPLITS)]
    if folder is not None:
        old, old_missed = old_examples(folder)
        old += [e for e in examples if e[0] == "holdout8"]
        for topic in CORE:
            old_missed[("holdout8", topic)] = missed[("holdout8", topic)]
        targets.append(("first-scored rules (never-tuned union)", old, old_missed, (*FIRST_SCORED, "holdout8")))
    models = {}
    for held in TRAIN_SPLITS:
        inner = tuple(s for s in TRAIN_SPLITS if s != held)
        lam, th, _ = choose(wide, missed_wide, inner)
        models[held] = (*fit([e for e in wide if e[0] in inner], lam), lam, th)
    print("\npost hoc: loose pool, setting chosen on the loose candidates:",
          {k: (v[2], v[3]) for k, v in models.items()})
    for name, target, target_missed, splits in targets:
        probs = [predict(*models[e[0]][:2], e[3]) - models[e[0]][3] + 0.5 for e in target]
        ones = [1.0] * len(target)
        for split in (*splits, "pooled"):
            sel = splits if split == "pooled" else (split,)
            b, a = counts(target, ones, None, target_missed, sel), counts(target, probs, 0.5, target_missed, sel)
            for topic in CORE:
                print(f"{name:40} {split:9} {topic:18} {fmt(b[topic]):34} -> {fmt(a[topic])}")
        for e, pr in zip(target, probs):
            if pr < 0.5:
                print(f"    dropped: {e[0]:9} {e[1]:40} {e[2]:18} {'TRUE' if e[4] else 'false'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loose", action="store_true", help="train on the loose candidates (no exclusions/frame/context)")
    ap.add_argument("--never-tuned", type=Path, metavar="DIR",
                    help="also the never-tuned union, from older trees' dumps (eval/topic_stage_dump_old.py) in DIR")
    ap.add_argument("--post-hoc", action="store_true", help="also the post hoc loose-selected variant")
    ap.add_argument("--skip-cv", action="store_true", help="skip the main nested CV table")
    ap.add_argument("--diagnose", action="store_true", help="also AUC, hindsight thresholds, additions, loose filter")
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found in ../shared/corpora; nothing to evaluate.")
        return 0
    refs = [r for r in load_devset() if split_of(r) in TRAIN_SPLITS]
    examples, wide, missed = extract(refs)
    print(f"loose candidates: {len(wide)} ({sum(not e[4] for e in wide)} negatives)")
    if not args.skip_cv:
        report(examples, missed, wide if args.loose else None)
    if args.diagnose:
        diagnose(examples, wide, missed, refs)
    if args.never_tuned:
        never_tuned(examples, wide, missed, args.never_tuned)
    if args.post_hoc:
        loose_selected(examples, wide, missed, args.never_tuned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
