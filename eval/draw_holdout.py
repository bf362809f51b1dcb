"""Draw a sealed holdout for the core topics from the corpora, by plain word pools (no topic code is run).

    python -m eval.draw_holdout --seed 20261214 --plan defection_wide=8,coup=10,prison=12 --out /tmp/draw.jsonl
        [--replace baly2018:V-235/4 --replace saudinewsnet_syria:1009 ...]

The eighth round's seven pools (eval/RESULTS.md, "Eighth round: a sealed holdout9", and the fourth and fifth rounds'
word lists), the twenty-first round's two long-page pools (defection pages past 8,000 characters that the wide
reading leaves out, coup pages past 6,000) and the twenty-second round's named-defector pool (pages naming a man who
defected, outside the three defection pools), on the normalised (`normalize_text`) title and body of every corpus
article outside the devset (every line of eval/devset.jsonl, every split) and outside the articles eval/sentences.jsonl
was labelled from; lengths are of the raw body. Baly is deduplicated by text, each text named by its first
claim–article pair; SaudiNewsNet by line.

Each pool is sorted by reference (corpus, then Baly claim id as a string and article index, or line), shuffled with a
fresh `random.Random(seed)` and taken in pool order (`POOLS`), skipping an article an earlier pool took and any near
duplicate of the devset or of a draw already taken: first 300 normalised characters of the body's word sequence equal,
or more than 30 % of either article's 5-word shingles in the other. A draw named by --replace (a story already
labelled, found by reading) is passed over for the next one of its pool and joins the comparison set, as the earlier
rounds did by hand.

The topic tagger is never imported: a sealed set is drawn and judged blind, and the pools are only words. The output
(--out) holds references and pool names, no corpus text; labels are written by reading the articles.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from basira.normalize import normalize_text
from eval.corpora import _rows, available, load_article

ROOT = Path(__file__).resolve().parent
# The twenty-first round's two long-page pools, then the twenty-second round's named-defector pool, come last, so a
# plan without them draws as before.
POOLS = (
    "defection", "defection_wide", "flight", "prison", "coup", "random", "negative", "defection_long", "coup_long",
    "defector_named",
)
SHINGLE = 5
OVERLAP = 0.30
HEAD = 300

# The fifth round's security words (substrings of the normalised text).
SECURITY = re.compile(
    "ضابط|ضباط|عسكري|جندي|جنود|الجيش|عميد|لواء|عقيد|مقدم|شرطه|امن|مقاتل|عنصر|عناصر|سفير|دبلوماسي|وزير|طيار"
)
DEFECTION = re.compile("انشق|منشق")
# The fourth round's prison and coup words (substrings).
PRISON = re.compile(
    "سجن|سجون|سجين|سجناء|معتقل|محتجز|اسري|اسير|اطلاق سراح|الافراج|افرج|زنزان|تعذيب|توقيف|موقوف|رهن الاحتجاز"
    "|الاختفاء القسري|مات تحت|قضي تحت|الاقامه الجبريه"
)
COUP = re.compile("انقلاب|انقلب|الاطاحه ب|قلب نظام|الاستيلاء علي السلطه")
# The fifth round's negative words: SaudiNewsNet non-Syria articles about security at all.
NEGATIVE = re.compile("ضابط|عسكري|جندي|الجيش|شرطه|امن|مسلح|سلاح|سجن|اعتقال|انقلاب|انشق|منشق|مخابرات|اغتيال|خطف")

# Whole words: no Arabic letter on either side (Arabic letters are \w).
_B, _E = r"(?<!\w)", r"(?!\w)"
_CLITIC = "[وفبل]?"
# The fifth round's flight and withdrawal words, whole words without a clitic (between white space: a word with
# punctuation attached does not count, as in the rounds that drew holdout11 to holdout13), or leaving/joining the ranks.
FLIGHT = re.compile(
    r"(?:^|\s)(?:فر|فروا|يفر|فرار|الفرار|هرب|هربوا|يهرب|هروب|الهروب"
    r"|انسحب|انسحبوا|انسحاب|الانسحاب|انسحابه|انسحابهم)(?=\s|$)"
    r"|ترك صفوف|انضم الي صفوف"
)
# The eighth round's wide defection patterns, whole words with one clitic و/ف/ب/ل. The root's forms take no article
# but "الانشقاق", and a flight word up to two more letters: the reading that gives holdout13's pool (38 articles) and
# draws exactly.
WIDE = re.compile(
    _B + _CLITIC + "(?:"
    # every form of the root (ينشق، تنشق، ينشقون, انشق…, منشق…, الانشقاق…)
    r"(?:[يتن]نشق|انشق|منشق|الانشقاق)\w*"
    r"|ترك\w*\s+صفوف"
    r"|(?:انضم|انضمام|التحق|التحاق)\w*\s+(?:الي\s+(?:صفوف\s+)?ال|ب(?:صفوف\s+)?ال|ل(?:صفوف\s+ال|ل))"
    r"(?:جيش\s+الحر|ثوار|معارضه\s+المسلحه|فصائل)"
    r"|(?:فار|فارين|فارون|فرار|هروب|هاربين|هرب|فر|فروا)\w{0,2}\s+من\s+(?:الخدمه|الجيش|جبهات|صفوف|ثكنات|قطعته|وحدته)"
    r"|(?:ال)?(?:انفصال|انفصل|انسلاخ|انسلخ)\w*\s+عن\s+(?:الجيش|جبهه|تنظيم|هيئه|فصيل|حركه\s+احرار|داعش|النظام)"
    ")" + _E
)
# Men the corpora and the devset's notes name as having defected from Syria's army or state (and Yemen's Ali Mohsen
# al-Ahmar), normalised: pages that name one without a defection word the other pools read (the resigning HNC head, a
# quoted FSA brigadier, the SDF spokesman before he left), where a defection may be told in other words or not at all.
DEFECTOR = re.compile(
    "رياض حجاب|طلال سلو|مناف طلاس|رياض الاسعد|اسعد الزعبي|العميد احمد بري|سليم ادريس|عبد الحليم خدام|احمد رحال"
    "|عبد الجبار العكيدي|حسين هرموش|نواف الفارس|علي محسن الاحمر"
)
# Reintegration ("تسويه اوضاع") is a defection word only beside a defection or desertion word.
SETTLEMENT = re.compile(_B + _CLITIC + r"تسويه\s+(?:اوضاع|وضع)\w*")
SETTLEMENT_CONTEXT = re.compile("انشق|منشق|الفارين|المتخلفين")


@dataclass
class Article:
    ref: dict
    norm: str  # normalised title and body: what the pools match
    length: int  # of the raw body
    head: str = ""
    shingles: set = field(default_factory=set)


def ref_key(ref: dict) -> str:
    if ref["corpus"] == "baly2018":
        return f"baly2018:{ref['claim_id']}/{ref['article_idx']}"
    return f"{ref['corpus']}:{ref['line']}"


def sort_key(ref: dict) -> tuple:
    return (ref["corpus"], ref.get("claim_id", ""), ref.get("article_idx", ref.get("line")))


def fingerprint(body: str) -> tuple[str, set]:
    words = normalize_text(body).split()
    return " ".join(words)[:HEAD], {tuple(words[k : k + SHINGLE]) for k in range(max(0, len(words) - SHINGLE + 1))}


def near(a: tuple[str, set], b: tuple[str, set]) -> bool:
    (a_head, a_sh), (b_head, b_sh) = a, b
    if a_head and a_head == b_head:
        return True
    common = len(a_sh & b_sh)
    return bool(a_sh and common / len(a_sh) > OVERLAP) or bool(b_sh and common / len(b_sh) > OVERLAP)


def excluded(lines: list[dict]) -> tuple[set[str], set[str]]:
    """(SaudiNewsNet keys, Baly texts) of the devset lines and the sentence labels' articles."""
    baly = {(r["claim_id"], int(r["article_idx"])): r["text"] for r in _rows("baly2018")}
    keys, texts = set(), set()
    for r in lines:
        if r["corpus"] == "baly2018":
            texts.add(baly[(r["claim_id"], int(r["article_idx"]))])
        else:
            keys.add(f"{r['corpus']}:{r['line']}")
    return keys, texts


def candidates(keys: set[str], texts: set[str]) -> list[Article]:
    out = []
    seen: set[str] = set()
    for row in _rows("baly2018"):
        text = row["text"]
        if text in seen or text in texts:
            seen.add(text)
            continue
        seen.add(text)
        ref = {"corpus": "baly2018", "claim_id": row["claim_id"], "article_idx": int(row["article_idx"])}
        out.append(Article(ref, normalize_text(text), len(text)))
    for corpus in ("saudinewsnet_syria", "saudinewsnet_negatives"):
        for i, row in enumerate(_rows(corpus)):
            if f"{corpus}:{i}" in keys:
                continue
            title, body = html.unescape(row.get("title") or ""), html.unescape(row.get("content") or "")
            out.append(Article({"corpus": corpus, "line": i}, normalize_text(title + "\n" + body), len(body)))
    return out


def pool_tests() -> dict[str, Callable[[Article], bool]]:
    def defection(a: Article) -> bool:
        return 200 <= a.length <= 8000 and bool(DEFECTION.search(a.norm)) and bool(SECURITY.search(a.norm))

    def wide(a: Article) -> bool:
        if a.length < 200 or defection(a):
            return False
        if WIDE.search(a.norm):
            return True
        return bool(SETTLEMENT.search(a.norm)) and bool(SETTLEMENT_CONTEXT.search(a.norm))

    def defection_long(a: Article) -> bool:
        return a.length > 8000 and not wide(a) and bool(DEFECTION.search(a.norm)) and bool(SECURITY.search(a.norm))

    return {
        "defection": defection,
        "defection_wide": wide,
        "flight": lambda a: 200 <= a.length <= 5000 and not defection(a) and not wide(a)
        and bool(FLIGHT.search(a.norm)) and bool(SECURITY.search(a.norm)),
        "prison": lambda a: 200 <= a.length <= 6000 and bool(PRISON.search(a.norm)),
        "coup": lambda a: 200 <= a.length <= 6000 and bool(COUP.search(a.norm)),
        "random": lambda a: 200 <= a.length <= 5000 and a.ref["corpus"] != "saudinewsnet_negatives"
        and "سوري" in a.norm,
        "negative": lambda a: 200 <= a.length <= 5000 and a.ref["corpus"] == "saudinewsnet_negatives"
        and bool(NEGATIVE.search(a.norm)),
        # Pages past the strict pool's 8,000 characters whose only defection word the wide reading leaves out (the
        # root with the article, "المنشقين"), and coup pages past the coup pool's 6,000: what the word lists left
        # after holdout15 used up the wide defection and coup pools.
        "defection_long": defection_long,
        "coup_long": lambda a: a.length > 6000 and bool(COUP.search(a.norm)),
        # Once the three defection pools were used up (holdout16): a named defector on a page none of them takes.
        "defector_named": lambda a: a.length >= 200 and not defection(a) and not wide(a) and not defection_long(a)
        and bool(DEFECTOR.search(a.norm)),
    }


def parse_plan(text: str) -> dict[str, int]:
    plan = {}
    for part in text.split(","):
        name, _, n = part.partition("=")
        if name.strip() not in POOLS:
            raise argparse.ArgumentTypeError(f"unknown pool {name!r} (pools: {', '.join(POOLS)})")
        plan[name.strip()] = int(n)
    return plan


def draw(arts: list[Article], compare: list[tuple[str, set]], plan: dict[str, int], seed: int, replace: set[str]):
    """(draws as (pool, article), per-pool table rows). `compare` grows with every draw and replaced draw."""
    tests = pool_tests()
    pools = {name: sorted((a for a in arts if test(a)), key=lambda a: sort_key(a.ref)) for name, test in tests.items()}
    taken: list[tuple[str, Article]] = []
    used: set[str] = set()
    table = []
    for name in POOLS:
        pool = list(pools[name])
        random.Random(seed).shuffle(pool)
        want, n_taken, skipped, replaced, earlier = plan.get(name, 0), 0, [], [], 0
        for a in pool:
            if n_taken >= want:
                break
            key = ref_key(a.ref)
            if key in used:
                earlier += 1
                continue
            if not a.shingles:
                body = load_article(a.ref)[1]
                a.head, a.shingles = fingerprint(body)
            if any(near((a.head, a.shingles), c) for c in compare):
                skipped.append(key)
                continue
            used.add(key)
            compare.append((a.head, a.shingles))
            if key in replace:
                replaced.append(key)
                continue
            taken.append((name, a))
            n_taken += 1
        table.append({"pool": name, "articles": len(pools[name]), "skipped": skipped, "taken": n_taken,
                      "replaced": replaced, "earlier": earlier})
    return taken, table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True, help="the shuffle seed (a fresh generator per pool)")
    ap.add_argument("--plan", type=parse_plan, required=True, help="articles per pool: POOL=N,POOL=N,...")
    ap.add_argument("--out", type=Path, required=True, help="where to write the draws (references and pools, no text)")
    ap.add_argument("--replace", action="append", default=[], metavar="REF",
                    help="a draw replaced by reading (a story already labelled), as corpus:line or baly2018:CLAIM/IDX")
    ap.add_argument("--devset-lines", type=int, metavar="N",
                    help="exclude only the devset's first N lines (to rebuild an earlier round's draw)")
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found in ../shared/corpora")
        return 1
    devset = [json.loads(x) for x in (ROOT / "devset.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    devset = devset[: args.devset_lines]
    labels = [json.loads(x) for x in (ROOT / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    keys, texts = excluded(devset + labels)
    arts = candidates(keys, texts)
    compare = [fingerprint(load_article(r)[1]) for r in devset]
    taken, table = draw(arts, compare, args.plan, args.seed, set(args.replace))
    print(f"{len(arts)} candidate articles (devset: {len(devset)} lines; sentence labels: {len(labels)} lines)")
    print(f"{'pool':<15} {'articles':>8} {'skipped':>8} {'taken':>6} {'replaced':>9}")
    for row in table:
        print(f"{row['pool']:<15} {row['articles']:>8} {len(row['skipped']):>8} {row['taken']:>6} "
              f"{len(row['replaced']):>9}")
        for label in ("skipped", "replaced"):
            if row[label]:
                print(f"    {label}: {' '.join(row[label])}")
    with args.out.open("w", encoding="utf-8") as f:
        for name, a in taken:
            f.write(json.dumps({**a.ref, "pool": name, "length": a.length}, ensure_ascii=False) + "\n")
    print(f"{len(taken)} draws written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
