import pytest

from basira.analysis import analyze_article
from basira.model import Sentence
from basira.normalize import normalize_text


def quantities(text: str):
    return analyze_article([Sentence(0, 0, 0, len(text), text, normalize_text(text))]).quantities


@pytest.mark.parametrize(
    "text, low, high, unit, kind",
    [
        ("وقدر حينها عددهم بين 500 و600 ضابط", 500, 600, "ضابط", "other"),
        ("أفرج عن 120 معتقلاً من سجن صيدنايا", 120, 120, "معتقل", "released"),
        ("أسفر الهجوم عن مقتل 5 أشخاص", 5, 5, "اشخاص", "killed"),
        ("تم اعتقال 30 شخصاً في المدينة", 30, 30, "شخص", "arrested"),
        ("أطلق سراح ثلاثة آلاف معتقل", 3000, 3000, "معتقل", "released"),
        ("اعتقال عشرات المدنيين", 20, 99, "مدنيين", "arrested"),
        ("مقتل ٧ عناصر من الشرطة", 7, 7, "عناصر", "killed"),
    ],
)
def test_counts(text, low, high, unit, kind):
    got = quantities(text)
    assert len(got) == 1
    q = got[0]
    assert (q.low, q.high, q.unit, q.kind) == (low, high, normalize_text(unit), kind)


def test_several_people_has_no_number():
    assert quantities("سجلت الأيام الماضية مقتل عدة أشخاص في السجون") == ()


def test_seed_000_range():
    got = quantities("وقدر حينها عددهم بين 500 و600 ضابط.")
    assert got[0].surface == "بين 500 و600 ضابط"
