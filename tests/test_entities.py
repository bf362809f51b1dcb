from pathlib import Path

import pytest

from basira.analysis import analyze_article
from basira.analysis.entities import GazetteerRecognizer, Recognizer
from basira.analysis.segment import simple_split
from basira.analysis.transliterate import transliterate
from basira.model import Sentence
from basira.normalize import normalize_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def recognizer() -> GazetteerRecognizer:
    return GazetteerRecognizer()


def sents(*texts: str) -> list[Sentence]:
    return [Sentence(i, 0, 0, len(t), t, normalize_text(t)) for i, t in enumerate(texts)]


def keys(mentions) -> set[tuple[str, str]]:
    return {(m.entity_key, m.surface) for m in mentions}


def test_default_recognizer_satisfies_protocol(recognizer):
    assert isinstance(recognizer, GazetteerRecognizer)
    r: Recognizer = recognizer
    assert r.recognize(sents("زار أحمد الشرع دمشق"))


def test_seed_001_khattab_aliases_resolve_to_one_entity():
    analysis = analyze_article(simple_split((SEEDS / "001_448bee02959f381d.txt").read_text(encoding="utf-8")))
    khattab = [m for m in analysis.mentions if m.entity_key == "per:anas_khattab"]
    surfaces = {m.surface for m in khattab}
    assert normalize_text("أنس خطاب") in surfaces
    assert normalize_text("خطاب") in surfaces
    assert normalize_text("وزير الداخلية السوري") in surfaces
    assert all(m.latin == "Anas Khattab" and m.entity_type == "PER" for m in khattab)


def test_seed_000_minister_khattab_after_full_mention():
    analysis = analyze_article(simple_split((SEEDS / "000_e9bce7ec56e8657f.txt").read_text(encoding="utf-8")))
    found = {(m.entity_key, m.surface) for m in analysis.mentions}
    assert ("per:anas_khattab", normalize_text("خطاب")) in found
    assert ("org:syria_interior_ministry", normalize_text("الداخلية السورية")) in found


def test_short_alias_needs_full_mention(recognizer):
    assert not [m for m in recognizer.recognize(sents("ألقى الرئيس خطابا طويلا", "وكان خطاب الرئيس مؤثرا")) if m.entity_key == "per:anas_khattab"]


def test_role_alias_needs_the_name_in_the_article(recognizer):
    assert not [m for m in recognizer.recognize(sents("قال وزير الداخلية السوري إن الوضع مستقر")) if m.entity_type == "PER" and m.method == "alias:role"]
    both = recognizer.recognize(sents("قال وزير الداخلية السوري إن الوضع مستقر", "وكان أنس خطاب قد زار حلب"))
    assert ("per:anas_khattab", normalize_text("وزير الداخلية السوري")) in keys(both)


def test_title_plus_short_alias_resolves(recognizer):
    found = keys(recognizer.recognize(sents("وقال الوزير خطاب إن الأمن مستتب")))
    assert ("per:anas_khattab", normalize_text("خطاب")) in found


@pytest.mark.parametrize(
    "text, etype, surface",
    [
        ("قال العميد أحمد الدالاتي إن القوات دخلت المدينة", "PER", "أحمد الدالاتي"),
        ("أعلن اللواء سمير العلي عن خطة جديدة", "PER", "سمير العلي"),
        ("وصل العقيد مروان حداد إلى المنطقة", "PER", "مروان حداد"),
        ("اقتحمت القوات بلدة كفرنبودة في ريف حماة", "LOC", "كفرنبودة"),
        ("افتتحت مديرية الأمن الجنائي مقرا جديدا", "ORG", "مديرية الامن الجنائي"),
        ("زار الوفد محافظة درعا", "LOC", "درعا"),
        ("نقل المعتقلون إلى سجن صيدنايا", "LOC", "سجن صيدنايا"),
        ("اجتمع الشرع مع قائد قوات سوريا الديمقراطية مظلوم عبدي", "ORG", "قوات سوريا الديمقراطية"),
    ],
)
def test_rules_and_gazetteer(recognizer, text, etype, surface):
    got = {(m.entity_type, m.surface) for m in recognizer.recognize(sents(text))}
    assert (etype, normalize_text(surface)) in got


def test_preposition_ala_is_not_the_name_ali(recognizer):
    mentions = recognizer.recognize(sents("حصل على الدعم الدولي وأكد على أهمية الحوار"))
    assert not [m for m in mentions if m.entity_type == "PER"]


def test_rule_found_person_gets_transliteration_and_surname_alias(recognizer):
    mentions = recognizer.recognize(sents("قال العقيد مروان حداد إن القوات دخلت", "وأضاف حداد أن الوضع هادئ"))
    dalati = [m for m in mentions if m.canonical == normalize_text("مروان حداد")]
    assert len(dalati) == 2 and len({m.entity_key for m in dalati}) == 1
    assert dalati[0].latin and dalati[0].latin.isascii()


@pytest.mark.parametrize("arabic, latin", [("محمود", "Mhmud"), ("الدالاتي", "al-Dalati")])
def test_transliterate(arabic, latin):
    assert transliterate(normalize_text(arabic)) == latin
