"""Survey what untitled articles show in place of a title, before (the first 80 characters) and after
(basira.untitled.opening), grouped by the shape of the opening: `python -m eval.untitled_openings --db STORE`.

The store is opened read-only. Shapes are read off the first segment of the opening (up to a separator such as
"|" or a spaced dash) by the same cues basira.untitled uses, so "after" counts say what those cues still see, not
an independent judgement: the hand-judged sample (`--sample N`) is that. `--repeats` compares the openings the rules
alone choose with those chosen past the paragraphs a site repeats on many pages (flagged 'repeated_paragraph'), and
samples among the articles whose opening that changes.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

import duckdb

from basira import untitled
from basira.queries import openings
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


def from_repeats(shown: str, top: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a displayed opening is taken from the article's repeated paragraphs (site chrome the store flagged):
    its first three words occur in their text and not in the rest of the top of the page."""
    words = " ".join(shown.split()[:3])
    repeated = " ".join(" ".join(top[s:e].split()) for s, e in spans)
    rest = " ".join(untitled._without_spans(top, spans).split())
    return bool(words) and words in repeated and words not in rest


def shared_on_site(shown: dict[int, str], site: dict[int, str]) -> int:
    """Articles whose opening is the same as that of two or more other articles of their site."""
    counts = Counter((site[i], text) for i, text in shown.items())
    return sum(1 for i, text in shown.items() if counts[(site[i], text)] >= 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sample", type=int, default=0, help="print this many random before/after pairs")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeats", action="store_true",
                        help="compare openings by the rules alone with openings past the paragraphs a site repeats")
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    (last,) = con.execute("SELECT coalesce(max(article_id), 0) FROM articles").fetchone()
    rows = openings.untitled_tops(con, 0, last + 1)
    site = dict(con.execute("SELECT article_id, coalesce(source_name, source_path) FROM articles WHERE title_raw IS NULL").fetchall())
    if args.repeats:
        before = {i: untitled.opening(top) for i, top, _ in rows}
        after = {i: untitled.opening_past_repeats(top, spans) for i, top, spans in rows}
        print(f"untitled articles: {len(rows)}; with a repeated paragraph: {sum(bool(s) for _, _, s in rows)};"
              f" opening changed: {sum(before[i] != after[i] for i in before)}")
        print("| | rules alone | past repeated paragraphs |\n|---|---:|---:|")
        for label, count in (
            ("opening taken from a repeated paragraph", lambda shown: sum(from_repeats(shown[i], top, spans) for i, top, spans in rows)),
            ("opening shared with 2+ other articles of its site", lambda shown: shared_on_site(shown, site)),
        ):
            print(f"| {label} | {count(before)} | {count(after)} |")
        pool = sorted(i for i in after if before[i] != after[i])
    else:
        before = {i: untitled._fit(top[: untitled.OPENING_CHARS + 1]) for i, top, _ in rows}
        after = {i: untitled.opening_past_repeats(top, spans) for i, top, spans in rows}
        counts = {"before": Counter(shape(t) for t in before.values()), "after": Counter(shape(t) for t in after.values())}
        print(f"untitled articles: {len(rows)}; opening changed: {sum(before[i] != after[i] for i in before)}")
        print("| shape | before | after |\n|---|---:|---:|")
        for name in SHAPES:
            print(f"| {name} | {counts['before'][name]} | {counts['after'][name]} |")
        pool = sorted(after)
    for i in sorted(random.Random(args.seed).sample(pool, min(args.sample, len(pool)))):
        print(f"\n{i} ({site[i]})\n  before: {before[i]}\n  after:  {after[i]}")


if __name__ == "__main__":
    main()
