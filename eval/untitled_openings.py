"""Survey what untitled articles show in place of a title, before (the first 80 characters) and after
(basira.untitled.opening), grouped by the shape of the opening: `python -m eval.untitled_openings --db STORE`.

The store is opened read-only. Shapes are read off the first segment of the opening (up to a separator such as
"|" or a spaced dash) by the same cues basira.untitled uses, so "after" counts say what those cues still see, not
an independent judgement: the hand-judged sample (`--sample N`) is that.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

import duckdb

from basira import untitled
from basira.normalize import normalize_text

SHAPES = ("starts with Latin/digits", "starts with a date word", "starts with a label or menu word",
          "first segment is chrome (phrase, date-only, too short)", "clean")


def shape(text: str) -> str:
    """The shape of a displayed opening, read off its first segment."""
    first = next((s for s in untitled._BREAK.split(text) if s.strip()), "")
    tokens = first.split()
    norms = [normalize_text(t) for t in tokens]
    if not tokens:
        return SHAPES[3]
    if not (untitled._ARABIC_LETTER.search(tokens[0]) or tokens[0] in untitled._QUOTES):
        return SHAPES[0]
    if norms[0] in untitled._DATE_WORDS:
        return SHAPES[1]
    if untitled._drop_labels(tokens, norms):
        return SHAPES[2]
    if untitled._is_chrome(first, " ".join(norms), tokens, norms):
        return SHAPES[3]
    return SHAPES[4]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sample", type=int, default=0, help="print this many random before/after pairs")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    rows = con.execute(
        f"SELECT article_id, left(text_raw, {untitled.SCAN_CHARS}) FROM articles WHERE title_raw IS NULL"
        " ORDER BY article_id").fetchall()
    before = {i: untitled._fit(top[: untitled.OPENING_CHARS + 1]) for i, top in rows}
    after = {i: untitled.opening(top) for i, top in rows}
    counts = {"before": Counter(shape(t) for t in before.values()), "after": Counter(shape(t) for t in after.values())}
    print(f"untitled articles: {len(rows)}; opening changed: {sum(before[i] != after[i] for i in before)}")
    print("| shape | before | after |\n|---|---:|---:|")
    for name in SHAPES:
        print(f"| {name} | {counts['before'][name]} | {counts['after'][name]} |")
    for i in sorted(random.Random(args.seed).sample(sorted(after), args.sample)):
        print(f"\n{i}\n  before: {before[i]}\n  after:  {after[i]}")


if __name__ == "__main__":
    main()
