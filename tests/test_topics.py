from pathlib import Path

import pytest

from basira.analysis import analyze_article, taxonomy_version
from basira.analysis.morphology import word_forms
from basira.analysis.segment import simple_split
from basira.model import Sentence
from basira.normalize import normalize_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def one(text: str) -> list[Sentence]:
    return [Sentence(0, 0, 0, len(text), text, normalize_text(text))]


def topics_of(text: str, title: str | None = None) -> set[str]:
    return {t.topic for t in analyze_article(one(text), title).topics}


@pytest.mark.parametrize(
    "term, surface",
    [
        ("منشق", "المنشقين"),
        ("منشق", "والمنشقون"),
        ("منشق", "منشقة"),
        ("انشقاق", "بانشقاق"),
        ("سجون", "للسجون"),
        ("سجن", "وسجنه"),
        ("سجن", "بالسجن"),
        ("محاولة", "محاولتها"),
        ("اللاذقية", "للاذقية"),
        ("معتقل", "معتقلا"),
    ],
)
def test_word_forms_cover_clitics_and_suffixes(term, surface):
    assert normalize_text(surface) in word_forms(normalize_text(term))


@pytest.mark.parametrize("term, surface", [("سجن", "سجل"), ("سجن", "مسجل"), ("انقلاب", "قلب"), ("منشق", "شقة")])
def test_word_forms_do_not_overreach(term, surface):
    assert normalize_text(surface) not in word_forms(normalize_text(term))


@pytest.mark.parametrize(
    "text, topic",
    [
        ("أفرجت السلطات عن عشرات المعتقلين من سجن صيدنايا", "prisons"),
        ("توفي شاب تحت التعذيب في أحد مراكز الاحتجاز", "prisons"),
        ("نقل الموقوفين إلى مراكز التوقيف الجديدة", "prisons"),
        ("أحبطت قوات الأمن مخطط انقلاب عسكري", "coups"),
        ("فشلت المحاولة الانقلابية في تركيا", "coups"),
        ("اعتقل عدد من الانقلابيين", "coups"),
        ("التقى الوزير الضباط المنشقين عن النظام", "defected_officers"),
        ("أعلن العقيد انشقاقه عن الجيش", "defected_officers"),
        ("انشق ثلاثة ضباط عن قوات النظام", "defected_officers"),
        ("تصاعدت الاغتيالات الثأرية في المدينة", "assassinations"),
        ("اشتباكات عنيفة بين فصيلين مسلحين", "armed_clashes"),
        ("ضبط شحنة من حبوب الكبتاغون على الحدود", "drugs_smuggling"),
        ("إطلاق مسار العدالة الانتقالية ومحاكمة المتورطين", "transitional_justice"),
    ],
)
def test_core_topics_on_short_sentences(text, topic):
    assert topic in topics_of(text)


@pytest.mark.parametrize(
    "text, topic",
    [
        ("سجل اللاعب هدفين في المباراة", "prisons"),
        ("تم تسجيل الطلاب في الجامعة", "prisons"),
        ("أصيب ثلاثة أشخاص في انقلاب سيارة على الطريق الدولي", "coups"),
        ("توفي السائق إثر انقلاب حافلة", "coups"),
        ("شهدت المدينة انقلاب الطقس وتساقط الثلوج", "coups"),
        ("ارتفعت أسعار الشقق في دمشق", "defected_officers"),
        ("وخطف الأضواء في المباراة اللاعب الشاب", "kidnapping"),
    ],
)
def test_tricky_negatives(text, topic):
    assert topic not in topics_of(text)


def test_title_counts_double_with_seq_minus_one():
    analysis = analyze_article(one("وقال المتحدث إن الوضع مستقر"), title="الإفراج عن 50 معتقلا من سجن عدرا")
    tag = next(t for t in analysis.topics if t.topic == "prisons")
    assert tag.score == 2.0
    assert {e.seq for e in tag.evidence} == {-1}


def test_boilerplate_is_ignored():
    sents = [Sentence(0, 0, 0, 10, "اقرأ أيضا: انقلاب في تركيا", normalize_text("اقرأ أيضا: انقلاب في تركيا"), True, "related")]
    assert analyze_article(sents).topics == ()


def test_evidence_offsets_point_at_the_term():
    sents = one("وقال إن المنشقين عادوا")
    tag = analyze_article(sents).topics[0]
    ev = tag.evidence[0]
    assert sents[0].text_norm[ev.start : ev.end] == normalize_text("المنشقين")


def test_taxonomy_version_has_declared_version_and_hash():
    version = taxonomy_version()
    assert version.startswith("topics-2026.11.1+") and len(version.split("+")[1]) == 8


def test_seed_000_topics():
    analysis = analyze_article(simple_split((SEEDS / "000_e9bce7ec56e8657f.txt").read_text(encoding="utf-8")))
    tags = {t.topic: t for t in analysis.topics}
    for topic in ("defected_officers", "prisons", "assassinations", "kidnapping", "crime", "weapons"):
        assert topic in tags, topic
    assert tags["defected_officers"].score >= 4
    assert "coups" not in tags


def test_seed_001_topics():
    analysis = analyze_article(simple_split((SEEDS / "001_448bee02959f381d.txt").read_text(encoding="utf-8")))
    tags = {t.topic for t in analysis.topics}
    assert {"coups", "prisons"} <= tags
    assert "defected_officers" not in tags
