from pathlib import Path

from basira.analysis import analyze_article
from basira.analysis.segment import simple_split
from basira.model import Sentence
from basira.normalize import normalize_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_seed_000_khattab_quotation():
    analysis = analyze_article(simple_split((SEEDS / "000_e9bce7ec56e8657f.txt").read_text(encoding="utf-8")))
    first = analysis.quotations[0]
    assert first.speaker_key == "per:anas_khattab"
    assert first.quote.startswith("هناك نظرة خاطئة")
    assert "مؤكداً" not in first.quote
    quotes = [q.quote for q in analysis.quotations]
    assert any(q.startswith("أن غياب الرحمة") for q in quotes)
    continued = [q for q in analysis.quotations if q.quote.startswith("الظلم")]
    assert continued and continued[0].speaker_key == "per:anas_khattab"


def test_guillemets_and_speaker_before_verb():
    text = "أنس خطاب أكد «أن الأمن مسؤولية الجميع دون استثناء»"
    analysis = analyze_article([Sentence(0, 0, 0, len(text), text, normalize_text(text))])
    assert analysis.quotations[0].speaker_key == "per:anas_khattab"
    assert analysis.quotations[0].quote == "أن الأمن مسؤولية الجميع دون استثناء"


def test_short_scare_quotes_are_not_quotations():
    text = 'وأوضحت في بيان عبر صفحتها على موقع "فيسبوك" أن الاجتماع انتهى'
    assert analyze_article([Sentence(0, 0, 0, len(text), text, normalize_text(text))]).quotations == ()
