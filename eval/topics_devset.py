"""Per-topic precision/recall/F1 of analyze_article on the labelled development set (eval/devset.jsonl).

    python -m eval.topics_devset [--show-errors] [--split NAME] [--no-boilerplate] [--score-sealed]

Each devset line references an article in ../shared/corpora (no corpus text is stored here), lists the
topics a human judged present (`topics`) and the topics that were judged at all (`judged`); only judged
topics are scored for that article. `split` is "dev" (tuned on), "holdout" (never tuned on: its errors
are printed only with `--show-errors --split holdout`, after tuning is finished) "holdout2" (61 articles
added later to measure the core topics on unseen text; scored before tuning, then its errors were studied) or
"holdout3" (30 articles judged after that tuning: the unseen-article check of taxonomy 2026.12.2), "holdout4"
(50 articles judged before the next round of changes, whose errors were then studied), "holdout5" (40 articles
judged at the same time, sealed until the final code of that round scored it once; its errors were studied in the next
round), "holdout6" (42 articles judged before the defection-context change of taxonomy 2026.12.4, sealed until that
round's final code scored it once), "holdout7" (52 articles judged for the three core topics only, before the
repeated-paragraph rule and taxonomy 2026.12.5, sealed until that round's final code scored it once; its errors were
studied in the next round), "holdout8" (50 articles judged for the three core topics only, before the prison
precision rules of taxonomy 2026.12.6, sealed until the merged taxonomy 2026.12.7 scored it once; its errors were
studied after that), "holdout9" (60 articles judged for the three core topics only, from wider defection pools,
before the eighth round's changes, sealed until taxonomy 2026.12.7 scored it once after that round's merge; its errors
were studied after that), "holdout10" (45 articles judged for the three core topics only, drawn as holdout9 was with
a near-duplicate filter in both directions, before the ninth round's changes, sealed until taxonomy 2026.12.8 scored it
once after that round's merge), "holdout11" (58 articles judged for the three core topics only, drawn as holdout10
was but only from corpus partition 0 (sha1 of "corpus:line", even), before the next round of changes, sealed until
taxonomy 2026.12.10 scored it once after that round's merge; its errors were studied after that), "holdout12" (44
articles judged for the three core topics only, drawn as holdout11 was but from corpus partition 1 (odd) and from no
article eval/sentences.jsonl was labelled from, before the next round of changes, sealed until taxonomy 2026.12.11
scored it once after that round's merge; its errors were studied after that), "holdout13" (45 articles judged for the
three core topics only, drawn as holdout12 was but from both partitions, from no article already in the devset or
eval/sentences.jsonl, with no rule or taxonomy change of its round, sealed until taxonomy 2026.12.12 scored it once; its
errors were studied after that), "holdout14" (40 articles judged for the three core topics only, drawn as holdout13
was by `python -m eval.draw_holdout` with seed 20261214, from no article already in the devset or eval/sentences.jsonl,
sealed until taxonomy 2026.12.13 scored it once after that round's merge; its errors were studied after that),
"holdout15" (40 articles judged for the three core topics only, drawn as holdout14 was by `python -m
eval.draw_holdout` with seed 20261215, from no article already in the devset or eval/sentences.jsonl; the wide defection
and coup pools used up; sealed until taxonomy 2026.12.14 scored it once after that round's merge; its errors were
studied after that, for taxonomy 2026.12.15) and "holdout16" (40 articles judged for the three core topics only,
drawn as holdout15 was by `python -m eval.draw_holdout` with seed 20261216, from no article already in the devset or
eval/sentences.jsonl; 25 of them from the two long-page pools added once the wide defection and coup pools were used
up; sealed until taxonomy 2026.12.15 scored it once after that round's merge) and "holdout17" (40 articles judged
for the three core topics only, drawn as holdout16 was by `python -m eval.draw_holdout` with seed 20261217, from no
article already in the devset or eval/sentences.jsonl; 6 of them from the named-defector pool added once the three
defection pools were used up; sealed until taxonomy 2026.12.16 scored it once after that round's merge).

"holdout18" (40 articles judged for the three core topics only, drawn as holdout17 was by `python -m
eval.draw_holdout` with seed 20261218, from no article already in the devset or eval/sentences.jsonl; 6 of them from the
last defection pages the pools hold (one defection_long, five defector_named), which gave no clear defection) is sealed
(`SEALED`): it is scored only with `--score-sealed`, once, by the lead, and left out of "all".

Articles are split into sentences as ingest does (basira.reader), with the boilerplate rules of basira.boilerplate
(classify_line, article_end), so topic mentions in scraped menus, comments and sidebars do not count;
--no-boilerplate scores the bare splitter, as this script did before holdout4. Paragraphs found word for word in
three or more pages (URLs) of the same site (counted over the article's whole corpus, as the store counts them) are
flagged `repeated_paragraph` as ingest flags them; --no-repeated scores without that rule, as before holdout7.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from basira.analysis import analyze_article
from basira.boilerplate import (
    REPEAT_MIN_PAGES,
    article_end,
    classify_line,
    flag_paragraphs,
    page_key,
    paragraph_fingerprints,
    site_key,
)
from basira.model import Sentence
from basira.sentences import split_sentences
from eval.corpora import COLLECTIONS, available, iter_collection, load_article, site_of

DEVSET = Path(__file__).resolve().parent / "devset.jsonl"
SPLITS = (
    "dev", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9",
    "holdout10", "holdout11", "holdout12", "holdout13", "holdout14", "holdout15", "holdout16",
    "holdout17",
)
# Scored only on request (and left out of "all"): a split kept unseen until the final measurement. Empty between a
# sealed split's single scoring and the next one's drawing.
SEALED: tuple[str, ...] = ("holdout18",)


def load_devset(path: Path = DEVSET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(ref: dict) -> str:
    # Lines written before splits existed were all tuned on.
    return ref.get("split", "dev")


@lru_cache(maxsize=None)
def paragraph_counts(collection: tuple[str, ...]) -> Counter:
    """On how many distinct pages (URLs) of each site every paragraph occurs, over the whole collection: what the
    store's paragraph_counts holds once the collection is ingested."""
    pages: set[tuple[int, int]] = set()
    for i, (site, url, text) in enumerate(iter_collection(collection[0])):
        sentences = split_sentences(text, classify_line, article_end)
        page = page_key(url, str(i))
        pages.update((fp, page) for _, fp in paragraph_fingerprints(sentences, site_key(site)))
    return Counter(fp for fp, _ in pages)


def article_sentences(ref: dict, text: str, boilerplate: bool = True, repeated: bool = True) -> list[Sentence]:
    """The article's sentences as ingest stores them: the line rules, the end of the article, and (`repeated`)
    paragraphs that recur on REPEAT_MIN_PAGES or more pages of its site flagged `repeated_paragraph`."""
    if not boilerplate:
        return split_sentences(text)
    sentences = split_sentences(text, classify_line, article_end)
    if repeated:
        counts = paragraph_counts(COLLECTIONS[ref["corpus"]])
        found = paragraph_fingerprints(sentences, site_key(site_of(ref)))
        shared = {p for p, fp in found if counts[fp] >= REPEAT_MIN_PAGES}
        if shared:
            sentences = flag_paragraphs(sentences, shared)
    return sentences


def evaluate(
    devset: list[dict], boilerplate: bool = True, repeated: bool = True
) -> tuple[Counter, Counter, Counter, list[str]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    errors = []
    for ref in devset:
        title, text = load_article(ref)
        sentences = article_sentences(ref, text, boilerplate, repeated)
        analysis = analyze_article(sentences, title)
        predicted = {t.topic for t in analysis.topics}
        gold = set(ref["topics"])
        for topic in ref["judged"]:
            if topic in predicted and topic in gold:
                tp[topic] += 1
            elif topic in predicted:
                fp[topic] += 1
                tag = next(t for t in analysis.topics if t.topic == topic)
                terms = [e.term for e in tag.evidence][:5]
                errors.append(f"FP {topic} {_ref_id(ref)} score={tag.score} terms={terms}  # {ref.get('note', '')}")
            elif topic in gold:
                fn[topic] += 1
                errors.append(f"FN {topic} {_ref_id(ref)}  # {ref.get('note', '')}")
    return tp, fp, fn, errors


def _ref_id(ref: dict) -> str:
    if ref["corpus"] == "baly2018":
        return f"baly2018:{ref['claim_id']}/{ref['article_idx']}"
    return f"{ref['corpus']}:{ref['line']}"


def sealed_names() -> str:
    """The sealed splits for a message; says so when there are none (between rounds)."""
    return ", ".join(SEALED) or "none at present"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def topic_order(devset: list[dict]) -> list[str]:
    """Topics in the order of the first `judged` list that names them (the taxonomy's order)."""
    seen: dict[str, None] = {}
    for ref in devset:
        for topic in ref["judged"]:
            seen.setdefault(topic, None)
    return list(seen)


def table(name: str, rows: list[dict], topics: list[str], tp: Counter, fp: Counter, fn: Counter) -> list[str]:
    lines = [f"{name}: {len(rows)} articles", f"  {'topic':22} {'P':>6} {'R':>6} {'F1':>6}  tp/fp/fn"]
    for topic in topics:
        p, r, f = prf(tp[topic], fp[topic], fn[topic])
        lines.append(f"  {topic:22} {p:6.3f} {r:6.3f} {f:6.3f}  {tp[topic]}/{fp[topic]}/{fn[topic]}")
    p, r, f = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    lines.append(
        f"  {'micro-average':22} {p:6.3f} {r:6.3f} {f:6.3f}  {sum(tp.values())}/{sum(fp.values())}/{sum(fn.values())}"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-errors", action="store_true", help="list false positives and negatives")
    ap.add_argument("--split", choices=(*SPLITS, *SEALED, "all"), default="dev", help="whose errors --show-errors lists")
    ap.add_argument("--no-boilerplate", action="store_true", help="count topic mentions in boilerplate lines too")
    ap.add_argument(
        "--no-repeated", action="store_true", help="count paragraphs repeated across a site's articles (as before holdout7)"
    )
    ap.add_argument("--score-sealed", action="store_true", help=f"also score the sealed split(s): {sealed_names()}")
    args = ap.parse_args(argv)
    if args.split in SEALED and not args.score_sealed:
        ap.error(f"{args.split} is sealed: add --score-sealed")
    if not available():
        print("corpora not found in ../shared/corpora; skipping the devset evaluation.")
        return 0
    devset = load_devset()
    topics = topic_order(devset)
    shown: list[str] = []
    names = (*SPLITS, *(SEALED if args.score_sealed else ()), "all")
    for name in names:
        if name == "all":
            rows = [r for r in devset if args.score_sealed or split_of(r) not in SEALED]
        else:
            rows = [r for r in devset if split_of(r) == name]
        if not rows:
            continue
        tp, fp, fn, errors = evaluate(rows, boilerplate=not args.no_boilerplate, repeated=not args.no_repeated)
        print("\n".join(table(name, rows, topics, tp, fp, fn)))
        if name == args.split:
            shown = errors
    if args.show_errors:
        print(f"\nerrors ({args.split}):")
        print("\n".join(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
