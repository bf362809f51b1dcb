"""Precision of quotations and counts on a judged sample of the real store (issue #3).

    BASIRA_CORPORA=/work/shared/corpora python -m eval.extraction_check [--show-errors]

eval/quotations_labels.jsonl and eval/quantities_labels.jsonl hold 60 quotations and 60 counts drawn uniformly
(seed 20261203) from the store of all 4,831 corpus articles, each judged by reading its sentence. A line names the
article by corpus reference (no corpus text is stored here: a quote only by the sha1 of its normalised text and its
length), the sentence's seq, what analysis extracted and the judgement: for a quotation whether it is one at all
(`is_quote`), its right speaker (`gold_speaker_key`, null when no stored entity is the speaker, then
`gold_speaker_roles`: the words that name the speaker, normalised, any of which is right for a quotation stored
with no entity) and whether its bounds are right (`gold_quote_sha1`: the hash of the right quote when they are not,
so a quote whose bounds a rule change corrects is found again and scored right); for a count whether it is one (`is_count`), its right low/high, whether its unit is right and its
right kind (and `gold_surface`, the right count's words when the count was read from the wrong ones: "7 آلاف و 300
شخص" read as "300 شخص"). `error` names the kind of each mistake.

The script rebuilds each article from the corpora as ingest does, re-runs analysis with the current code and finds
the labelled item again in its sentence (same quote text, same count surface). An item found again is scored against
the judgement; one the current code no longer extracts is counted as dropped (with whether it was right), so the
figures before and after a rule change compare the same judged items. Items the new code adds are not judged.

Labels carry a `set`: the first 60 of each file have none ("tuned", the items rules were tuned on since round 15);
`fresh22` is a sample drawn in round 22 (seed 20261222, 400 articles outside the tuned ones) and judged by reading
before the rules of that round ran on it. Each set is scored on its own, so the tuned figure is not read as the
honest one. A fresh set may hold no devset article (any split, by reference or by text: a near copy counts): the
script refuses to score one that does, since a rule tuned on its errors would be tuned on sealed holdouts. fresh22
as first drawn held 11 such items (6 quotations, 5 counts; two of them from holdout17); they were removed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from basira.analysis import analyze_article
from basira.model import ArticleAnalysis
from basira.normalize import normalize_text
from eval.corpora import _rows, available, load_article
from eval.draw_holdout import fingerprint, near
from eval.topics_devset import article_sentences

HERE = Path(__file__).resolve().parent
QUOTATIONS = HERE / "quotations_labels.jsonl"
QUANTITIES = HERE / "quantities_labels.jsonl"
DEVSET = HERE / "devset.jsonl"
TUNED = "tuned"  # the set whose rules were tuned on it: the only one allowed to share articles with the devset


def load_labels(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def quote_hash(quote: str) -> str:
    return hashlib.sha1(normalize_text(quote).encode("utf-8")).hexdigest()[:16]


def full_ref(corpus: str, line: int) -> dict:
    """A devset-style reference for a corpus line (Baly's rows are addressed by claim and article index)."""
    if corpus == "baly2018":
        row = _rows("baly2018")[line]
        return {"corpus": corpus, "line": line, "claim_id": row["claim_id"], "article_idx": row["article_idx"]}
    return {"corpus": corpus, "line": line}


@lru_cache(maxsize=None)
def analysis_of(corpus: str, line: int) -> ArticleAnalysis:
    ref = full_ref(corpus, line)
    title, text = load_article(ref)
    return analyze_article(article_sentences(ref, text), title)


@dataclass
class Tally:
    """Right/judged counts per field over the items found again, and the dropped ones."""

    fields: tuple[str, ...]
    right: Counter
    judged: Counter
    dropped: int = 0
    dropped_right: int = 0
    fully_right: int = 0
    total: int = 0

    def add(self, scores: dict[str, bool | None]) -> None:
        for name, ok in scores.items():
            if ok is not None:
                self.judged[name] += 1
                self.right[name] += ok

    def lines(self) -> list[str]:
        out = []
        for name in self.fields:
            n, r = self.judged[name], self.right[name]
            out.append(f"  {name:<8} {r:>3}/{n:<3} {r / n if n else 0:.3f}")
        out.append(f"  dropped  {self.dropped} (of which fully right before: {self.dropped_right})")
        out.append(f"  fully right {self.fully_right}/{self.total}")
        return out


def score_quotation(label: dict, analysis: ArticleAnalysis) -> dict[str, bool | None] | None:
    """Field scores of a labelled quotation, None when the current code no longer extracts it. Speaker and bounds
    are scored only for real quotations."""
    hashes = {label["quote_sha1"], label.get("gold_quote_sha1")}
    found = [q for q in analysis.quotations if q.seq == label["seq"] and quote_hash(q.quote) in hashes]
    if not found:
        return None
    # the same quote attributed twice: prefer the attribution that was judged
    q = next((q for q in found if q.speaker_key == label["speaker_key"]), found[0])
    real = label["is_quote"]
    gold = label["gold_speaker_key"]
    if gold is not None:
        speaker_ok = q.speaker_key == gold
    else:  # no entity is the speaker: right when stored by the words that name them
        speaker_ok = q.speaker_key is None and normalize_text(q.speaker_surface) in label.get("gold_speaker_roles", ())
    return {
        "quote": real,
        "speaker": speaker_ok if real else None,
        "bounds": (label["bounds_ok"] or quote_hash(q.quote) == label.get("gold_quote_sha1")) if real else None,
    }


def score_quantity(label: dict, analysis: ArticleAnalysis) -> dict[str, bool | None] | None:
    # a count whose reading a rule change corrects is found again by its right surface (`gold_surface`)
    surfaces = {label["surface"], label.get("gold_surface")}
    found = [q for q in analysis.quantities if q.seq == label["seq"] and q.surface in surfaces]
    if not found:
        return None
    q = found[0]
    real = label["is_count"]
    return {
        "count": real,
        "range": (q.low, q.high) == (label["gold_low"], label["gold_high"]) if real else None,
        "unit": (label["unit_ok"] and q.unit == label["unit"]) if real else None,
        "kind": q.kind == label["gold_kind"] if real else None,
    }


def check(labels: Iterable[dict], fields: tuple[str, ...], score, show: bool) -> tuple[Tally, Counter]:
    tally, errors = Tally(fields, Counter(), Counter()), Counter()
    for label in labels:
        tally.total += 1
        scores = score(label, analysis_of(label["corpus"], label["line"]))
        if scores is None:
            tally.dropped += 1
            tally.dropped_right += label["error"] is None
            if show:
                print(f"    {label['corpus']}:{label['line']} seq {label['seq']}: dropped ({label['error']}; {label['note']})")
            continue
        tally.add(scores)
        tally.fully_right += all(v is not False for v in scores.values())
        if not all(v is not False for v in scores.values()):
            errors[label["error"] or "new_error"] += 1
            if show:
                wrong = ",".join(k for k, v in scores.items() if v is False)
                print(f"    {label['corpus']}:{label['line']} seq {label['seq']}: {wrong} ({label['note']})")
    return tally, errors


def by_set(labels: list[dict]) -> dict[str, list[dict]]:
    """Labels grouped by their `set`, in file order; a label with none belongs to "tuned"."""
    groups: dict[str, list[dict]] = {}
    for label in labels:
        groups.setdefault(label.get("set", TUNED), []).append(label)
    return groups


def article_key(ref: dict) -> str:
    """One key per corpus article, whether named by line or (Baly) by claim and article index."""
    if ref["corpus"] == "baly2018":
        ref = full_ref(ref["corpus"], int(ref["line"])) if "claim_id" not in ref else ref
        return f"baly2018:{ref['claim_id']}/{int(ref['article_idx'])}"
    return f"{ref['corpus']}:{int(ref['line'])}"


def on_devset(labels: Iterable[dict], devset_keys: set[str], devset_prints: list[tuple[str, set]],
              print_of: Callable[[dict], tuple[str, set]]) -> list[dict]:
    """The labels of fresh sets whose article is a devset article: the same reference, or a text `near` one
    (Baly lists one page under several claims; SaudiNewsNet repeats articles)."""
    found = []
    for label in labels:
        if label.get("set", TUNED) == TUNED:
            continue
        if article_key(label) in devset_keys or any(near(print_of(label), other) for other in devset_prints):
            found.append(label)
    return found


def devset_articles() -> tuple[set[str], list[tuple[str, set]]]:
    """(keys, text fingerprints) of every devset article, of every split (no label is read)."""
    refs = load_labels(DEVSET)
    return {article_key(r) for r in refs}, [fingerprint(load_article(r)[1]) for r in refs]


def label_print(label: dict) -> tuple[str, set]:
    return fingerprint(load_article(full_ref(label["corpus"], int(label["line"])))[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list every item still wrong")
    args = parser.parse_args(argv)
    if not available():
        print("corpora not found: set BASIRA_CORPORA", file=sys.stderr)
        return 2
    keys, prints = devset_articles()
    sealed = on_devset(load_labels(QUOTATIONS) + load_labels(QUANTITIES), keys, prints, label_print)
    if sealed:
        for label in sealed:
            print(f"devset article in set {label['set']}: {label['corpus']}:{label['line']}", file=sys.stderr)
        print("refused: a fresh sample may hold no devset article", file=sys.stderr)
        return 2
    for title, path, fields, score in (
        ("quotations", QUOTATIONS, ("quote", "speaker", "bounds"), score_quotation),
        ("counts", QUANTITIES, ("count", "range", "unit", "kind"), score_quantity),
    ):
        for name, labels in by_set(load_labels(path)).items():
            print(f"{title} ({name}): {len(labels)} judged")
            tally, errors = check(labels, fields, score, args.show_errors)
            print("\n".join(tally.lines()))
            for kind, n in errors.most_common():
                print(f"    error {kind}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
