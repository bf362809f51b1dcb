"""The evidence-sentence labels (eval/sentences.jsonl): drawn only from partition 1 of the corpora and never from the
devset (holdout11 was drawn from partition 0; holdout12 to holdout15 from articles no label came from), well formed, and
the filter study's features."""

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.sentence_collect import partition
from eval.sentence_filter import sentence_features, tag_counts

ROOT = Path(__file__).resolve().parent.parent / "eval"
CORE = ("prisons", "coups", "defected_officers")


def labels() -> list[dict]:
    return [json.loads(line) for line in (ROOT / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if line]


def keys(r: dict) -> list[str]:
    out = [f"{r['corpus']}:{r['line']}"]
    if r["corpus"] == "baly2018":
        out.append(f"baly2018:{r['claim_id']}/{r['article_idx']}")
    return out


def devset_keys() -> set[str]:
    out = set()
    for line in (ROOT / "devset.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.add(f"baly2018:{r['claim_id']}/{r['article_idx']}" if r["corpus"] == "baly2018"
                    else f"{r['corpus']}:{r['line']}")
    return out


@pytest.mark.parametrize("key, expected", [("saudinewsnet_syria:1077", 0), ("saudinewsnet_syria:48", 1)])
def test_partition_is_the_sha1_parity(key, expected):
    assert partition(key) == expected


def test_every_label_is_from_partition_1_and_outside_the_devset():
    dev = devset_keys()
    for r in labels():
        assert all(partition(k) == 1 for k in keys(r)), keys(r)
        assert not set(keys(r)) & dev, keys(r)


def test_labels_are_well_formed_and_counted():
    data = labels()
    assert Counter((r["topic"], r["label"]) for r in data) == {
        ("prisons", 1): 205, ("prisons", 0): 76, ("coups", 1): 66, ("coups", 0): 24,
        ("defected_officers", 1): 38, ("defected_officers", 0): 9,
    }
    for r in data:
        assert r["reason"] and r["n_sentences"] >= 1 and r["seq"] >= -1
        for _, start, end in r["hits"]:
            assert 0 <= start < end <= len(r["text"])


def test_sentence_features_read_the_words_around_the_hit():
    text = "نقل المعتقلين الي السجن المركزي امس"  # normalised, as text_norm
    start = text.index("السجن")
    feats = sentence_features(text, [("سجن", start, start + 5)], "prisons", 1, False, 2)
    own = sorted(f.split(":", 1)[1] for f in feats if f.startswith("prisons:"))
    assert own == sorted(["L1=الي", "L=الي", "L=معتقل", "R1=المركزي", "R=امس", "R=مركز", "len=8", "n=1", "term=سجن"])
    assert sorted(f.split(":", 1)[1] for f in feats if f.startswith("*:")) == own


def test_tag_counts_keep_a_tag_when_one_sentence_passes_and_skip_partly_labelled_tags():
    rows = [
        {"corpus": "c", "line": 1, "topic": "prisons", "n_sentences": 2, "label": 0},
        {"corpus": "c", "line": 1, "topic": "prisons", "n_sentences": 2, "label": 1},
        {"corpus": "c", "line": 2, "topic": "prisons", "n_sentences": 1, "label": 0},
        {"corpus": "c", "line": 3, "topic": "prisons", "n_sentences": 2, "label": 0},  # its other sentence unlabelled
    ]
    assert tag_counts(rows, [0.9, 0.1, 0.2, 0.0], "prisons", None) == (1, 1, 0)
    assert tag_counts(rows, [0.9, 0.1, 0.2, 0.0], "prisons", 0.5) == (1, 0, 0)
    assert tag_counts(rows, [0.1, 0.1, 0.9, 0.0], "prisons", 0.5) == (0, 1, 1)


def test_rules_on_the_labelled_sentences_alone():
    # Each prison or coup sentence tagged by itself with the current rules (neither topic reads other sentences): no
    # true one is lost by an exclusion, and the false ones the rules still take are pinned, so a taxonomy edit shows
    # what it does to them. The 8 true prison sentences untagged alone hold only a weak term (0.5: "الاحتجاز",
    # "التعذيب", "مفقودين"). Taxonomy 2026.12.9 with the engine fix took false prisons 65 of 76, coups 22 of 24;
    # 2026.12.10 (a law's penalty, a possible sentence, sums released, "كنت أسير", hostages of an armed group,
    # "المغيبين" as the sidelined, a reversal of fortunes or balance) takes 49 and 19; 2026.12.11 (a captive of no captor:
    # "أسيرا للتردد", "أسيرا لدكة الاحتياط"; the family adjective after another: "العاطفي والأسري"; "فعلها الانقلابي") 46 and 18; 2026.12.12 (a town named like
    # a prison: "مدينة سجنان") 44 and 18; 2026.12.13 (a suspended player "الموقوفين في مباراة السوبر"; a turn "على بعضهم
    # البعض") 43 and 17; 2026.12.14 (an "internal coup" in ISIS: "تشهد ' انقلابا داخليا ' في ' داعش '") 43 and 16.
    from basira.analysis import analyze_article
    from basira.model import Sentence

    taken: Counter = Counter()
    for r in labels():
        if r["topic"] in ("prisons", "coups"):
            text = r["text"]
            tags = {t.topic for t in analyze_article([Sentence(0, 0, 0, len(text), text, text)], None).topics}
            taken[(r["topic"], r["label"])] += r["topic"] in tags
    assert dict(taken) == {("prisons", 1): 197, ("prisons", 0): 43, ("coups", 1): 66, ("coups", 0): 16}
