"""The labelled topic devset (eval/devset.jsonl): every article judged for every taxonomy topic, a held-out
split, enough positives per topic; and the evaluation script's arithmetic."""

import json
from collections import Counter
from pathlib import Path

import pytest

from basira.analysis import taxonomy
from eval.topics_devset import prf, split_of, table, topic_order

DEVSET = Path(__file__).resolve().parent.parent / "eval" / "devset.jsonl"
CORE = ("prisons", "coups", "defected_officers")


def rows() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(r: dict) -> tuple:
    return r["corpus"], r.get("line"), r.get("claim_id"), r.get("article_idx")


def test_every_article_is_judged_for_every_topic():
    # holdout7 to holdout18 were judged for the three core topics only (the topics they measure), and say so in
    # `judged`.
    ids = list(taxonomy().topics)
    core_only = (
        "holdout7", "holdout8", "holdout9", "holdout10", "holdout11", "holdout12", "holdout13", "holdout14", "holdout15",
        "holdout16", "holdout17", "holdout18",
    )
    for r in rows():
        assert r["judged"] == (list(CORE) if split_of(r) in core_only else ids), _key(r)
        assert set(r["topics"]) <= set(ids), _key(r)
        assert len(set(r["topics"])) == len(r["topics"]), _key(r)


def test_articles_are_unique_and_splits_known():
    data = rows()
    assert len({_key(r) for r in data}) == len(data) == 906
    assert Counter(split_of(r) for r in data) == {
        "dev": 103, "holdout": 26, "holdout2": 61, "holdout3": 30, "holdout4": 50, "holdout5": 40, "holdout6": 42,
        "holdout7": 52, "holdout8": 50, "holdout9": 60, "holdout10": 45, "holdout11": 58, "holdout12": 44,
        "holdout13": 45, "holdout14": 40, "holdout15": 40, "holdout16": 40,
        "holdout17": 40, "holdout18": 40}


def test_every_topic_has_positives_and_there_are_negatives():
    data = rows()
    counts = Counter(t for r in data for t in r["topics"])
    for topic in taxonomy().topics:
        assert counts[topic] >= (10 if topic in CORE else 6), topic
    assert sum(not r["topics"] for r in data) >= 25


def test_holdout_is_about_a_third_of_the_added_articles():
    added = [r for r in rows()[43:] if split_of(r) in ("dev", "holdout")]
    share = sum(split_of(r) == "holdout" for r in added) / len(added)
    assert 0.25 <= share <= 0.35


def test_holdout2_has_core_positives_and_hard_negatives():
    # The second holdout measures the core topics on unseen articles: each needs enough positives, and the
    # word traps (a vehicle "انقلاب", a place called "سجن", hostages, party splits) must be there as negatives.
    data = [r for r in rows() if split_of(r) == "holdout2"]
    counts = Counter(t for r in data for t in r["topics"])
    assert (counts["prisons"], counts["coups"], counts["defected_officers"]) == (14, 18, 16)
    assert sum(not r["topics"] for r in data) == 12
    assert sum("hard negative" in r["note"] for r in data) == 18


def test_holdout3_was_added_after_tuning_with_core_positives():
    # holdout3 was judged after taxonomy 2026.12.2 was fixed: its figures are the unseen-article check.
    data = [r for r in rows() if split_of(r) == "holdout3"]
    counts = Counter(t for r in data for t in r["topics"])
    assert (counts["prisons"], counts["coups"], counts["defected_officers"]) == (12, 7, 8)
    assert sum(not r["topics"] for r in data) == 4
    assert rows()[190:220] == data


@pytest.mark.parametrize(
    "split, size, core, no_topic, hard",
    [
        # judged together, before any change of the round that used holdout4's errors; holdout5 stayed sealed
        ("holdout4", 50, (16, 6, 9), 7, 14),
        ("holdout5", 40, (13, 7, 7), 10, 11),
        # judged before the defection context rule (taxonomy 2026.12.4) and sealed
        ("holdout6", 42, (12, 1, 21), 9, 9),
        # judged for the core topics before the repeated-paragraph rule and taxonomy 2026.12.5, and sealed
        ("holdout7", 52, (12, 7, 14), 26, 14),
        # judged for the core topics before the prison precision rules of taxonomy 2026.12.6, and sealed
        ("holdout8", 50, (13, 6, 5), 28, 13),
        # judged for the core topics from wider defection pools before the eighth round's changes, sealed until
        # taxonomy 2026.12.7 scored it once
        ("holdout9", 60, (26, 8, 12), 25, 15),
        # judged for the core topics as holdout9 was drawn (near-duplicates filtered both ways) before the ninth
        # round's changes, sealed until taxonomy 2026.12.8 scored it once
        ("holdout10", 45, (17, 2, 8), 24, 17),
        # judged for the core topics as holdout10 was drawn, from corpus partition 0 only, before the next round's
        # changes, and sealed
        ("holdout11", 58, (15, 8, 10), 35, 26),
        # judged for the core topics as holdout11 was drawn, from corpus partition 1 only and from no article the
        # sentence labels came from (so no defection: both defection pools were used up), and sealed
        ("holdout12", 44, (12, 2, 0), 30, 20),
        # judged for the core topics as holdout12 was drawn, from both partitions (Baly texts held under names in both
        # halves were never eligible before, and gave every defection draw) and from no article of the devset or the
        # sentence labels, with no rule change in its round, sealed until taxonomy 2026.12.12 scored it once
        ("holdout13", 45, (17, 5, 6), 22, 19),
        # judged for the core topics as holdout13 was drawn, by the committed eval/draw_holdout (seed 20261214; the
        # wide defection and coup pools nearly used up, so coups are thin), sealed until taxonomy 2026.12.13 scored it once
        ("holdout14", 40, (15, 2, 8), 18, 13),
        # judged for the core topics as holdout14 was drawn (eval/draw_holdout, seed 20261215; the wide defection and
        # coup pools used up, the prison pool gave 4 prisons in 11), sealed until taxonomy 2026.12.14 scored it once
        ("holdout15", 40, (6, 5, 5), 25, 22),
        # judged for the core topics as holdout15 was drawn (eval/draw_holdout, seed 20261216), most of it from the two
        # long-page pools added once the wide defection and coup pools were used up, sealed until taxonomy 2026.12.15
        # scored it once
        ("holdout16", 40, (13, 8, 11), 16, 15),
        # judged for the core topics as holdout16 was drawn (eval/draw_holdout, seed 20261217), with a named-defector
        # pool added once the three defection pools were used up (it gave no defection), sealed until taxonomy
        # 2026.12.16 scored it once
        ("holdout17", 40, (12, 5, 2), 25, 17),
        # judged for the core topics as holdout17 was drawn (eval/draw_holdout, seed 20261218), with the last
        # defection_long page and five named-defector pages (one borderline defection, none clear), and sealed until
        # the lead scores it once
        ("holdout18", 40, (9, 4, 1), 30, 17),
    ],
)
def test_holdout4_to_holdout18(split, size, core, no_topic, hard):
    data = [r for r in rows() if split_of(r) == split]
    counts = Counter(t for r in data for t in r["topics"])
    assert len(data) == size
    assert (counts["prisons"], counts["coups"], counts["defected_officers"]) == core
    assert sum(not r["topics"] for r in data) == no_topic
    assert sum("hard negative" in r["note"] for r in data) == hard
    # appended after holdout3, in this order
    start = {
        "holdout4": 220, "holdout5": 270, "holdout6": 310, "holdout7": 352, "holdout8": 404, "holdout9": 454,
        "holdout10": 514, "holdout11": 559, "holdout12": 617, "holdout13": 661, "holdout14": 706, "holdout15": 746,
        "holdout16": 786, "holdout17": 826, "holdout18": 866,
    }[split]
    assert rows()[start : start + size] == data


def test_holdout18_is_sealed(capsys):
    # holdout18 is scored only with --score-sealed, once, by the lead; holdout17 was scored once with taxonomy
    # 2026.12.16 and stays an ordinary split.
    from eval.topics_devset import SEALED, SPLITS, main

    assert SEALED == ("holdout18",) and "holdout18" not in SPLITS and SPLITS[-1] == "holdout17"
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "also score the sealed split(s): holdout18" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        main(["--show-errors", "--split", "holdout18"])
    assert "holdout18 is sealed: add --score-sealed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--show-errors", "--split", "holdout17"],
        ["--score-sealed", "--split", "all"],
        ["--score-sealed", "--split", "holdout18"],
    ],
)
def test_the_cli_accepts_the_seal(argv, monkeypatch, capsys):
    import eval.topics_devset as script

    monkeypatch.setattr(script, "available", lambda: False)  # the arguments are checked before the corpora
    assert script.main(argv) == 0
    assert capsys.readouterr().out == "corpora not found in ../shared/corpora; skipping the devset evaluation.\n"


@pytest.mark.parametrize("score_sealed, scored", [(False, 0), (True, 80)])
def test_sealed_rows_reach_the_scorer_only_with_score_sealed(score_sealed, scored, monkeypatch, capsys):
    # Which rows each table is computed on, with the scorer replaced (nothing is tagged): without --score-sealed no
    # holdout18 row is scored, not even inside "all"; with it, its own table and "all" each hold its 40 rows.
    # holdout17's 40 rows, an ordinary split, are scored in its own table and in "all" either way.
    import eval.topics_devset as script

    seen: list[dict] = []

    def fake_evaluate(rows, boilerplate=True, repeated=True):
        seen.extend(rows)
        return Counter(), Counter(), Counter(), []

    monkeypatch.setattr(script, "available", lambda: True)
    monkeypatch.setattr(script, "evaluate", fake_evaluate)
    assert script.main(["--score-sealed"] if score_sealed else []) == 0
    assert sum(split_of(r) == "holdout18" for r in seen) == scored
    assert sum(split_of(r) == "holdout17" for r in seen) == 80
    out = capsys.readouterr().out
    assert ("holdout18: 40 articles" in out) is score_sealed
    assert "holdout17: 40 articles" in out
    assert ("all: 906 articles" if score_sealed else "all: 866 articles") in out


def test_prf_and_micro_average():
    assert prf(3, 1, 2) == (0.75, 0.6, pytest.approx(2 / 3))
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    lines = table("dev", [{}, {}], ["a", "b"], Counter(a=3, b=1), Counter(a=1), Counter(b=1))
    assert lines[0] == "dev: 2 articles"
    assert lines[2].split() == ["a", "0.750", "1.000", "0.857", "3/1/0"]
    assert lines[-1].split() == ["micro-average", "0.800", "0.800", "0.800", "4/1/1"]


def test_topic_order_follows_the_judged_lists():
    assert topic_order([{"judged": ["b", "a"]}, {"judged": ["a", "c"]}]) == ["b", "a", "c"]
