import json
from pathlib import Path

import pytest

DEVSET = Path(__file__).resolve().parent.parent / "eval" / "devset.jsonl"
CORE = ("prisons", "coups", "defected_officers")


def rows():
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_devset_stores_references_not_text():
    for row in rows():
        assert "text" not in row and "content" not in row
        assert row["corpus"] in ("baly2018", "saudinewsnet_syria", "saudinewsnet_negatives")


def test_devset_size_and_positives():
    data = rows()
    assert len(data) >= 40
    for topic in CORE:
        assert sum(topic in r["topics"] for r in data) >= 10, topic
    assert sum(not r["topics"] for r in data) >= 8


def test_core_topics_reach_f1_on_devset():
    from eval.corpora import available

    if not available():
        pytest.skip("corpora not present beside the repo")
    from eval.topics_devset import evaluate

    # The 0.90 target is checked on the split the taxonomy is tuned on; the holdout is reported, not enforced.
    tp, fp, fn, _ = evaluate([r for r in rows() if r.get("split", "dev") == "dev"])
    for topic in CORE:
        p = tp[topic] / (tp[topic] + fp[topic])
        r = tp[topic] / (tp[topic] + fn[topic])
        assert 2 * p * r / (p + r) >= 0.90, topic


@pytest.mark.parametrize(
    "split, expected",
    [
        # taxonomy 2026.12.5 with the boilerplate rules of ingest (classify_line, article_end). Before (2026.12.2,
        # bare splitter): dev defected_officers 17/2/0; holdout3 prisons 12/2/0, coups 7/3/0, defected 7/4/1;
        # holdout4 prisons 15/6/1, defected 7/3/2 (holdout4 was scored before the change, then its errors studied).
        # 2026.12.3 (before the defection context rule): dev defected 17/1/0, holdout5 defected 6/3/1.
        # 2026.12.5 with repeated paragraphs flagged; before (2026.12.4, no repeated-paragraph rule): holdout2 prisons
        # 14/3/0 and coups 18/1/0 (a sidebar teaser), holdout6 defected 20/6/1 (holdout6 scored once, then studied).
        # 2026.12.6 (prison precision and captures); before (2026.12.5): holdout prisons 1/2/1, holdout2 14/2/0 (a
        # capture "أسر عشرات" the holdout2 label does not count), holdout5 12/1/1, holdout6 10/3/2, holdout7 11/9/1.
        # 2026.12.7 (the defection frame); before (2026.12.6): dev defected 17/0/0 (dev's V-13/4 "تراهن تركيا على حصول
        # انشقاقات" is a hoped-for defection, labelled before the rule that such are not reports), holdout2 14/0/2,
        # holdout3 7/3/1, holdout6 20/0/1, holdout7 13/3/1 (holdout7 scored once sealed, then studied).
        ("dev", {"prisons": (27, 1, 1), "coups": (12, 1, 0), "defected_officers": (16, 0, 1)}),
        # 2026.12.9 ("الأسير المحرر" as an epithet, "انقلاب على" an agreement or principles); before (2026.12.8):
        # holdout prisons 1/1/1 (Samir Kuntar "الأسير المحرر"), holdout3 coups 7/1/0 ("انقلاب الإسلام السياسي على المرجعيات").
        ("holdout", {"prisons": (1, 0, 1), "coups": (0, 0, 0), "defected_officers": (3, 0, 0)}),
        # 2026.12.12 (a town "مدينة سجنان") drops one true prison tag here: the article's only prison sentence is the raid
        # on that town, and its label rests on the English note, not on a detention in the text; before: 14/3/0.
        ("holdout2", {"prisons": (13, 3, 1), "coups": (18, 0, 0), "defected_officers": (15, 0, 1)}),
        # 2026.12.14 (bare "تنظيم"/"جبهة" no defection context): holdout3 defected 7/2/1 -> 7/1/1 (the Kurdish front),
        # holdout8 3/1/2 -> 3/0/2 (the HNC's resignations), holdout11 8/1/2 -> 8/0/2 (the Believing Youth forum).
        ("holdout3", {"prisons": (12, 1, 0), "coups": (7, 0, 0), "defected_officers": (7, 1, 1)}),
        # 2026.12.16 (prison as one of a statement's fates, "إما بقتله أو الغاية باحتجازه"); before (2026.12.15): prisons
        # 16/3/0.
        ("holdout4", {"prisons": (16, 2, 0), "coups": (6, 0, 0), "defected_officers": (8, 0, 1)}),
        ("holdout5", {"prisons": (13, 1, 0), "coups": (7, 0, 0), "defected_officers": (7, 0, 0)}),
        # 2026.12.16 (a prison as a position, "حماية رقعة \" سجن حلب المركزي \""); before (2026.12.15): prisons 11/2/1.
        ("holdout6", {"prisons": (11, 1, 1), "coups": (1, 0, 0), "defected_officers": (21, 0, 0)}),
        # 2026.12.15 (fighters fleeing to another force's areas: "عمليات فرار كبيرة لعناصره , إلى مناطق سيطرة قسد");
        # before (2026.12.14): holdout7 defected 13/1/1.
        ("holdout7", {"prisons": (12, 3, 0), "coups": (7, 2, 0), "defected_officers": (14, 1, 0)}),
        # holdout8 scored once sealed with the merged 2026.12.7, then studied (2026.12.5, the round's start: defected
        # 4/1/1; the al-Ghad forces "انشقوا عن التيار" were lost to the defection frame). 2026.12.8 (a prison as a
        # place "قرب السجن المركزي"); before (2026.12.7): prisons 13/5/0.
        # 2026.12.15 (a state turning on ISIS "انقلاب تركيا ضد داعش"; defectors who join another force "انشقوا عن التيار
        # وانضموا لقسد"); before (2026.12.14): coups 6/1/0, defected 3/0/2.
        # 2026.12.16 ("واقتربت من السجن المركزي" in Taiz, "الأراضي الموقوفة"); before (2026.12.15): prisons 13/4/0.
        ("holdout8", {"prisons": (13, 2, 0), "coups": (6, 0, 0), "defected_officers": (4, 0, 1)}),
        # holdout9 scored once sealed with 2026.12.7 (prisons 25/4/1, coups 7/1/1, defected 11/4/1), then studied:
        # 2026.12.8 (assets "released" with a quantifier, "من ينشق" = whoever defects).
        # 2026.12.16 (Saydnaya the town, "معارك طاحنة في صيدنايا ومعلولا"; "قيادي منشق : ... للإخوان"); before
        # (2026.12.15): prisons 25/3/1, defected 11/3/1.
        ("holdout9", {"prisons": (25, 2, 1), "coups": (7, 1, 1), "defected_officers": (11, 2, 1)}),
        # holdout10 scored once sealed with the merged 2026.12.8 (prisons 17/4/0, coups 2/3/0, defected 8/1/0; the
        # round-start 2026.12.7 gave the same counts), then studied: 2026.12.9 (the epithet "الأسير المحرر", a "coup"
        # against an agreement).
        # 2026.12.16 ("استهداف أبناء السجناء", "هذا عبارة عن انقلاب"); before (2026.12.15): prisons 17/3/0, coups 2/2/0.
        ("holdout10", {"prisons": (17, 2, 0), "coups": (2, 1, 0), "defected_officers": (8, 1, 0)}),
        # holdout11 scored once sealed with the merged 2026.12.10 (prisons 13/6/2, coups 7/3/1, defected 8/1/2; the
        # round-start 2026.12.8 gave the same counts), then studied: 2026.12.11 ("وراء القضبان", a captive of no captor
        # "أسرى لشاشات" / "أسير طموحاته", the family adjective "المجتمعي أو الأسري", "الجهادية الانقلابية").
        # 2026.12.15 ("686 عسكريا ... هربوا من الجيش"); before (2026.12.14): defected 8/0/2.
        # 2026.12.16 ("أبناء الأسرى والمعتقلين" a campaign serves); before (2026.12.15): prisons 14/3/1.
        ("holdout11", {"prisons": (14, 2, 1), "coups": (7, 2, 1), "defected_officers": (9, 0, 1)}),
        # holdout12 scored once sealed with the merged 2026.12.11 (prisons 11/1/1, coups 1/1/1; the round-start 2026.12.10
        # gave the same counts), then studied: 2026.12.12 (a town named like a prison, "مدينة سجنان").
        ("holdout12", {"prisons": (11, 0, 1), "coups": (1, 1, 1), "defected_officers": (0, 0, 0)}),
        # holdout13 scored once sealed with 2026.12.12 (main ceaa7f8, no rule change in its round: prisons 17/3/0, coups
        # 5/1/0, defected 6/2/0), then studied: 2026.12.13 (suspended players "الموقوفين عن السوبر", waves "للانقلاب
        # عليك"). Left: an accusation "بحجج أنهم ... منشقين", ISIS's captives, a post-title list, a film's "أسرى".
        ("holdout13", {"prisons": (17, 2, 0), "coups": (5, 0, 0), "defected_officers": (6, 2, 0)}),
        # holdout14 scored once sealed with the merged 2026.12.13 (main c6c8a52: prisons 15/4/0, coups 2/4/0, defected
        # 7/1/1), then studied: 2026.12.14 (a siege's "المحتجزين", slavery's "الأسرى والسبايا", "تدمر وسجنها ومطارها";
        # "عهود الانقلابات", "الانقلابات فيما مضى", "انقلاب داخلي في تنظيم داعش", "حالت دون حدوث انقلاب"). Left: a threat
        # to "زجهم في السجون", Amal's split "فانشقت", a commander who "فر" to the SDF (missed).
        # 2026.12.15 (the commander who "فر نحو مناطق سيطرة قوات سوريا الديمقراطية" is found); before (2026.12.14):
        # defected 7/1/1.
        ("holdout14", {"prisons": (15, 1, 0), "coups": (2, 0, 0), "defected_officers": (8, 1, 0)}),
        # holdout15 scored once sealed with the merged 2026.12.14 (main fb80855: prisons 6/6/0, coups 4/3/1, defected
        # 5/2/0), then unsealed and studied: 2026.12.15 (hostages "الرهائن ... محتجزين", a ransom "فدية ... مقابل إطلاق
        # سراح"; "انقلابا اجتماعيا", "الانقلاب في الصفات", "انقلاب «داعش» على الأتراك"; "لا يوجد أي قائد لدينا منشق",
        # "هل لديكم قيادات منشقة"). Left: arrests without custody ("الموقوف", "من بين المعتقلين"), generic prisons
        # ("القبوع في السجون"), a raid's name "غزوة تحرير الأسرى", a TV series' coup on men's rule, a blog calling
        # defections a code word.
        # 2026.12.16 ("إما للهجرة أو الصمت أو القبوع في السجون"); before (2026.12.15): prisons 6/4/0.
        ("holdout15", {"prisons": (6, 3, 0), "coups": (4, 1, 1), "defected_officers": (5, 1, 0)}),
        # holdout16 scored once sealed with the merged 2026.12.15 (main eab9336: prisons 13/4/0, coups 8/2/0, defected
        # 10/1/1), then unsealed and studied: 2026.12.16 ("لكفر سجنا", an embassy's diplomats "محتجزين"; "انقلاب قواعد
        # الاشتباك"; "القيادات المنشقة عن الجماعة"). Left: a Wagner pair ISIS holds, a call to throw bombers "في غياهب
        # السجون", Bandar's rumoured coup, a missed defection.
        ("holdout16", {"prisons": (13, 2, 0), "coups": (8, 1, 0), "defected_officers": (10, 0, 1)}),
        # holdout17 scored once sealed with the merged 2026.12.16 (main 99b4c66), then unsealed to be studied; no rule
        # has changed since. False tags: a torture museum, an arrest with no custody ("احتجزت شخصين", "97 موقوفا"), a
        # plot foiled abroad, figurative turns ("الانقلاب عليها"), Assyria's captives; missed: McCain held in Hanoi,
        # Morsi removed by the army with no coup word, deserters from Hezbollah and ISIS fighters joining the regime.
        ("holdout17", {"prisons": (11, 4, 1), "coups": (4, 3, 1), "defected_officers": (0, 0, 2)}),
    ],
)
def test_core_topic_counts_per_split(split, expected):
    from eval.corpora import available

    if not available():
        pytest.skip("corpora not present beside the repo")
    from eval.topics_devset import evaluate

    tp, fp, fn, _ = evaluate([r for r in rows() if r.get("split", "dev") == split])
    assert {t: (tp[t], fp[t], fn[t]) for t in CORE} == expected
