"""Rebuild basira/data/gazetteer/common_words.tsv from the unlabelled news corpora (Baly + SaudiNewsNet).

    python -m eval.build_common_words [--min-df 8] [--max-words 60000] [--dry-run]

The list answers one question for the rule-based recogniser: "is this token an ordinary word rather than
(part of) a name?". A token qualifies when it is frequent across documents AND rarely stands where names
stand: right after a known given name or a title ("محمد X", "الرئيس X"), or right after a place head
("مدينة X"). Those context rates keep frequent surnames and place names (الاسد, بوتين, المنصوره) out of
the list even though they are frequent. The output is ordered by document frequency (rank = line number;
morphology.token_rank uses it to pick the rarest word of a phrase as its index key).

Only Baly2018 and SaudiNewsNet are read: never ANERcorp or NewsFANE (NewsFANE is ANERcorp's text, so
using it would leak the NER test split into the word list).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from basira.analysis.doc import PUNCTUATION
from basira.analysis.entities import DATA, GAZETTEER_FILES, read_gazetteer
from basira.analysis.morphology import prefixed
from basira.normalize import normalize_text
from eval.corpora import available, iter_unlabelled_texts

OUT = DATA / "gazetteer" / "common_words.tsv"
HEADER = ("# frequent normalised news tokens (document frequency over Baly2018 + SaudiNewsNet), minus tokens that "
          "often stand where names stand; built by eval/build_common_words.py. An unknown token listed here is not "
          "taken as part of a rule-found name.")
NAME_TITLES = ("السيد", "السيدة", "الشيخ", "الدكتور", "الدكتورة", "المهندس", "الحاج", "الأستاذ",
               "العميد", "اللواء", "العقيد")
# Directions are place heads ("شمال البلاد") but are followed by ordinary words as often as by places.
DIRECTIONS = frozenset(normalize_text(w) for w in "شمال جنوب شرق غرب شمالي جنوبي شرقي غربي وسط".split())
NAME_RATE = 0.08  # at most this share of a token's occurrences may follow a given name or a title
PLACE_RATE = 0.15  # ... or a place head
OPENER_RATE = 0.6  # a word (without the article) this often followed by a rare word opens names
AL = "\u0627\u0644"


def _contexts(cfg: dict) -> tuple[frozenset[str], frozenset[str]]:
    given: set[str] = set()
    for line in (DATA / "gazetteer" / "first_names.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, amb = line.partition("\t")
            if amb.strip() != "1":
                given |= prefixed(normalize_text(name))
    # Only titles that are always followed by a name; roles ("المدير", "الأمين العام") are followed by adjectives.
    titles = {f for w in NAME_TITLES for f in prefixed(normalize_text(w))}
    places = {f for w in cfg["place_heads"] if normalize_text(w) not in DIRECTIONS for f in prefixed(normalize_text(w))}
    return frozenset(given | titles), frozenset(places)


def _drop_name_openers(words: list[str], stop: frozenset[str]) -> list[str]:
    """Second pass: drop words mostly followed by a word outside the list: foreign given names ("مايكل",
    "تييري") stand before surnames, which are rare, while ordinary words stand before ordinary words."""
    listed = set(words)
    seen: Counter[str] = Counter()
    before_rare: Counter[str] = Counter()
    for text in iter_unlabelled_texts():
        toks = PUNCTUATION.sub(" ", normalize_text(text)).split()
        for a, b in zip(toks, toks[1:]):
            if a in listed:
                seen[a] += 1
                if b not in listed and b not in stop and not b.isdigit() and len(b) > 2:
                    before_rare[a] += 1
    return [w for w in words if w.startswith(AL) or seen[w] < 5 or before_rare[w] <= OPENER_RATE * seen[w]]


def build(min_df: int, max_words: int) -> list[str]:
    cfg = json.loads((DATA / "titles.json").read_text(encoding="utf-8"))
    name_ctx_words, place_ctx_words = _contexts(cfg)
    df: Counter[str] = Counter()
    total: Counter[str] = Counter()
    after_name: Counter[str] = Counter()
    after_place: Counter[str] = Counter()
    for text in iter_unlabelled_texts():
        toks = PUNCTUATION.sub(" ", normalize_text(text)).split()
        df.update(set(toks))
        total.update(toks)
        for prev, tok in zip(toks, toks[1:]):
            if prev in name_ctx_words:
                after_name[tok] += 1
            elif prev in place_ctx_words:
                after_place[tok] += 1
    protected: set[str] = set()
    for etype, filename in GAZETTEER_FILES.items():
        for entity, aliases, short, _ in read_gazetteer(DATA / "gazetteer" / filename, etype):
            if etype == "PER":
                for alias in [entity.canonical, *aliases, *short]:
                    protected.update(normalize_text(alias).split())
    words = []
    # Ties in document frequency ordered by the word: counted from sets of words, they came in string-hash order,
    # which differs from run to run (PYTHONHASHSEED), and the line number is the word's rank.
    for tok, n in sorted(df.items(), key=lambda item: (-item[1], item[0])):
        if n < min_df or len(words) >= max_words:
            break
        if tok.isdigit() or tok in protected:
            continue
        if after_name[tok] > NAME_RATE * total[tok] or after_place[tok] > PLACE_RATE * total[tok]:
            continue
        words.append(tok)
    stop = frozenset(normalize_text(w) for w in cfg["stop_words"])
    return _drop_name_openers(words, stop)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-df", type=int, default=8)
    ap.add_argument("--max-words", type=int, default=60000)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    if not available():
        print("corpora not found in ../shared/corpora; nothing rebuilt.")
        return 0
    words = build(args.min_df, args.max_words)
    print(f"{len(words)} common words")
    if not args.dry_run:
        OUT.write_text(HEADER + "\n" + "\n".join(words) + "\n", encoding="utf-8")
        print(f"wrote {Path(OUT).relative_to(Path.cwd()) if Path.cwd() in OUT.parents else OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
