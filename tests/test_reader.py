"""The parsing layer end to end: seeds, record files, rejections, sentences and boilerplate."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basira import reader, sentences
from basira.boilerplate import LineContext, article_end, classify_line
from basira.model import ParsedArticle
from basira.normalize import clean_raw, normalize_text
from basira.reader import NO_DATE, read_bytes, read_path, split_seed
from basira.sentences import split_sentences

D = dt.date
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPORA = ROOT.parent / "shared" / "corpora"
BALY = CORPORA / "baly2018_arabic_factcheck_stance_syria" / "articles.jsonl"
SAUDI = CORPORA / "saudinewsnet_syria_subset" / "syria_articles.jsonl"


def _only(items: list) -> ParsedArticle:
    assert len(items) == 1 and isinstance(items[0], ParsedArticle), items
    return items[0]


def _article(path: Path) -> ParsedArticle:
    return _only(list(read_path(path)))


def _flagged(article: ParsedArticle) -> list[tuple[int, str | None, str]]:
    return [(s.seq, s.boilerplate_reason, s.text_raw) for s in article.sentences if s.is_boilerplate]


def _assert_offsets(article: ParsedArticle) -> None:
    for i, s in enumerate(article.sentences):
        assert s.seq == i
        assert article.text_raw[s.start : s.end] == s.text_raw
        assert s.text_raw == s.text_raw.strip() and s.text_raw
        assert s.text_norm == normalize_text(s.text_raw)
    paragraphs = [s.paragraph for s in article.sentences]
    assert paragraphs == sorted(paragraphs)


def test_seed_000_header_on_the_same_line_no_title_and_two_captions():
    article = _article(SEEDS / "000_e9bce7ec56e8657f.txt")
    assert (article.title_raw, article.byline) == (None, None)
    assert (article.published, article.date_source, article.undated_reason) == (D(2025, 9, 11), "header", None)
    assert article.text_raw.startswith("أثار لقاء وزير الداخلية السوري أنس خطاب")
    assert "date 2025-09-11" not in article.text_raw
    assert (article.source_path, article.locator, article.url, article.source_name) == (
        str(SEEDS / "000_e9bce7ec56e8657f.txt"), "", None, None)
    assert len(article.sentences) == 12
    assert _flagged(article) == [
        (4, "social_caption",
         "كلمة وزير الداخلية السيد أنس خطاب، خلال الاجتماع الذي عُقد مع الضباط المنشقين عن النظام البائد."),
        (5, "social_caption",
         "#الجمهورية_العربية_السورية #وزارة_الداخلية Posted by وزارة الداخلية السورية on Thursday, "
         "September 11, 2025"),
        (8, "social_caption",
         "لقطات من اجتماع وزير الداخلية السيد أنس خطاب مع عدد من الضباط المنشقين عن النظام البائد ، "
         "حيث اطلع الوزير خلال الاجتماع..."),
        (9, "social_caption", "Posted by وزارة الداخلية السورية on Thursday, September 11, 2025"),
    ]
    assert {s.paragraph for s in article.sentences if s.is_boilerplate} == {4, 7}
    _assert_offsets(article)


def test_seed_000_without_its_header_dates_itself_from_the_caption(tmp_path):
    text = (SEEDS / "000_e9bce7ec56e8657f.txt").read_text(encoding="utf-8").replace(" date 2025-09-11 ", "", 1)
    article = _only(list(read_bytes("copy.txt", text.encode("utf-8"))))
    assert (article.published, article.date_source, article.undated_reason) == (D(2025, 9, 11), "text", None)
    assert article.title_raw is None


def test_seed_001_title_byline_related_link_and_no_date():
    article = _article(SEEDS / "001_448bee02959f381d.txt")
    assert article.title_raw == "وزير الداخلية السوري يكشف إحباط مخطط انقلاب من ضباط سابقين"
    assert article.byline == "وكالات – أشرف التهامى"
    assert (article.published, article.date_source) == (None, None)
    assert article.undated_reason == NO_DATE == "no date header, field, URL date or date in text"
    assert article.text_raw.startswith("أعلن وزير الداخلية السوري أنس خطاب")
    assert article.title_raw not in article.text_raw and article.byline not in article.text_raw
    assert len(article.sentences) == 11
    assert _flagged(article) == [(1, "related_link", "تفاصيل استئناف الرحلات الجوية بين الإمارات وسوريا")]
    _assert_offsets(article)


SEED_TABLE = [
    ("002_adra_detainee_release.txt", "الإفراج عن 120 معتقلاً من سجن عدرا ضمن دفعة جديدة لتسوية الأوضاع",
     "دمشق – خاص", D(2025, 1, 15), "header",
     [("navigation", "اقرأ أيضاً: لجنة المفقودين تبدأ توثيق المقابر الجماعية في ريف دمشق")]),
    ("003_coup_plot_rewrite.txt", "خطاب: إحباط مخطط انقلاب دبّره ضباط من النظام السابق",
     "دمشق – وكالات", D(2025, 6, 12), "text", []),
    ("004_homs_arrest_campaign.txt", None, None, D(2025, 3, 8), "header",
     [("hashtags", "#حمص #الأمن_العام #سوريا")]),
    ("005_captagon_jordan_border.txt", "ضبط شحنة كبتاغون ضخمة قرب الحدود الأردنية في ريف درعا",
     "درعا – مراسلنا", D(2025, 4, 22), "text",
     [("related_link", "أسعار الذهب في دمشق تسجل ارتفاعاً جديداً مع مطلع الأسبوع")]),
    ("006_defected_officers_reintegration.txt", "لجنة الضباط المنشقين تبدأ استقبال طلبات العودة إلى الخدمة",
     "كتب: سامر العلي", D(2025, 5, 20), "header", []),
    ("007_intelligence_restructuring.txt", "دمج أجهزة المخابرات في جهاز واحد ضمن خطة لإعادة الهيكلة",
     None, D(2025, 2, 15), "text", []),
    ("008_sweida_clashes.txt", "مقتل 27 شخصاً في اشتباكات مسلحة بريف السويداء الغربي",
     "السويداء – وكالات", D(2025, 7, 14), "header",
     [("navigation", "اقرأ أيضاً: الأمم المتحدة تدعو إلى حماية المدنيين في جنوب سوريا"),
      ("navigation", "شارك"), ("navigation", "تابعنا")]),
    ("009_daraa_revenge_killing.txt", "اغتيال قيادي سابق في فصائل التسوية بريف درعا الغربي",
     None, None, None, []),
    ("010_transitional_justice_trial.txt", "بدء أولى محاكمات العدالة الانتقالية بحق ضباط سابقين في سجن صيدنايا",
     None, D(2025, 10, 15), "text", []),
    ("011_latakia_weapons_collection.txt", "حملة لجمع السلاح في ريف اللاذقية: تسليم أكثر من 800 قطعة خلال أسبوع",
     "اللاذقية – خاص", D(2025, 11, 4), "header", [("navigation", "جميع الحقوق محفوظة © 2025")]),
]


@pytest.mark.parametrize(("name", "title", "byline", "published", "date_source", "flagged"), SEED_TABLE)
def test_sample_seeds(name, title, byline, published, date_source, flagged):
    article = _article(SEEDS / name)
    assert (article.title_raw, article.byline) == (title, byline)
    assert (article.published, article.date_source) == (published, date_source)
    assert article.undated_reason == (NO_DATE if published is None else None)
    assert [(r, t) for _, r, t in _flagged(article)] == flagged
    assert 150 <= len(f"{title or ''} {article.text_raw}".split()) <= 400
    _assert_offsets(article)


def test_the_seed_folder_reads_in_sorted_order_without_rejections():
    items = list(read_path(SEEDS))
    assert all(isinstance(i, ParsedArticle) for i in items)
    names = [Path(i.source_path).name for i in items]
    assert names == sorted(names) and len(names) >= 12
    months = {i.published.month for i in items if i.published}
    assert len(months) >= 9


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("date 2025-01-02\nعنوان قصير\n\nنص المقال هنا.", ("2025-01-02", "عنوان قصير", None, "نص المقال هنا.")),
        ("date 2025-09-11 نص على نفس السطر.", ("2025-09-11", None, None, "نص على نفس السطر.")),
        ("date: 2025-09-11\nنص.", ("2025-09-11", None, None, "نص.")),
        ("Date 2025-09-11x نص", (None, None, None, "Date 2025-09-11x نص")),
        ("كتب: أحمد العلي\nنص.", (None, None, "كتب: أحمد العلي", "نص.")),
        ("بقلم سامر العلي\nنص.", (None, None, "بقلم سامر العلي", "نص.")),
        ("(رويترز)\nنص.", (None, None, "(رويترز)", "نص.")),
        ("عنوان\nدمشق - سانا\nنص.", (None, "عنوان", "دمشق - سانا", "نص.")),
        ("عنوان\nبيروت: ثائر عباس\nنص.", (None, "عنوان", "بيروت: ثائر عباس", "نص.")),
        ("عنوان\nالأمن العام - حملة في حمص\nنص.", (None, "عنوان", None, "الأمن العام - حملة في حمص\nنص.")),
        ("عنوان\nخطاب: لا عودة للقمع\nنص.", (None, "عنوان", None, "خطاب: لا عودة للقمع\nنص.")),
        ("عنوان\n11 أيلول 2025 - دمشق\nنص.", (None, "عنوان", None, "11 أيلول 2025 - دمشق\nنص.")),
        ("جملة تنتهي بنقطة.\nنص.", (None, None, None, "جملة تنتهي بنقطة.\nنص.")),
        ("عنوان يسأل؟\nنص.", (None, None, None, "عنوان يسأل؟\nنص.")),
        (" ".join(["كلمة"] * 21) + "\nنص.", (None, None, None, " ".join(["كلمة"] * 21) + "\nنص.")),
        ("نص واحد قصير", (None, None, None, "نص واحد قصير")),
        ("date 2025-01-01", ("2025-01-01", None, None, "")),
        ("", (None, None, None, "")),
    ],
)
def test_split_seed(text, parts):
    assert split_seed(text) == parts


def test_own_line_header_fixture():
    article = _article(FIXTURES / "seed_own_line_header.txt")
    assert (article.title_raw, article.byline) == ("لجنة الضباط المنشقين تبدأ عملها", "كتب: سامر العلي")
    assert (article.published, article.date_source) == (D(2025, 5, 20), "header")
    assert article.text_raw == 'بدأت اللجنة المختصة عملها في دمشق. وقال رئيسها إن "العمل بدأ".'
    assert [s.text_raw for s in article.sentences] == [
        "بدأت اللجنة المختصة عملها في دمشق.", 'وقال رئيسها إن "العمل بدأ".']


@pytest.mark.parametrize(
    ("text", "published", "date_source", "reason"),
    [
        ("date 2025-13-45\nعنوان\nنص بلا تاريخ.", None, None, "unparseable date header: '2025-13-45'"),
        ("date 2025-13-45\nعنوان\nنشر في 11 أيلول 2025.", D(2025, 9, 11), "text", None),
        ("عنوان\nنشر في 11 أيلول 2025.", D(2025, 9, 11), "text", None),
        ("عنوان ١١/٠٩/٢٠٢٥\nنص.", D(2025, 9, 11), "text", None),
        ("نص بلا تاريخ.", None, None, NO_DATE),
    ],
)
def test_seed_dating(text, published, date_source, reason):
    article = _only(list(read_bytes("x.txt", text.encode("utf-8"))))
    assert (article.published, article.date_source, article.undated_reason) == (published, date_source, reason)


def test_jsonl_aliases_and_rejections():
    items = list(read_path(FIXTURES / "records_aliases.jsonl"))
    assert [(i.locator, type(i).__name__) for i in items] == [
        ("line 1", "ParsedArticle"), ("line 2", "ParsedArticle"), ("line 3", "ParsedArticle"),
        ("line 4", "ParsedArticle"), ("line 5", "Rejection"), ("line 6", "Rejection"), ("line 7", "Rejection"),
    ]
    first, second, third, fourth = items[:4]
    assert first.title_raw == "الأمن العام يوقف خلية في حمص"
    assert first.text_raw == 'أوقفت إدارة الأمن العام في حمص خلية من خمسة أشخاص. وقال مصدر أمني إن "التحقيق مستمر".'
    assert (first.url, first.source_name, first.byline) == ("https://example.org/news/1", "example.org", "حمص – خاص")
    assert (first.published, first.date_source, first.undated_reason) == (D(2025, 3, 9), "field", None)
    assert first.extra == {"claim_id": "V-7", "stance": "agree", "rank": "3", "tags": '["أمن", "حمص"]',
                           "verified": "true"}
    assert len(first.sentences) == 2
    assert (second.published, second.date_source) == (D(2025, 4, 2), "url")
    assert (second.source_name, second.extra) == ("example.org", {"url_date": ""})
    assert third.title_raw == "“إحباط” تهريب & توقيف"
    assert (third.published, third.date_source, third.source_name) == (D(2025, 6, 12), "text", None)
    assert (fourth.published, fourth.undated_reason) == (None, "unparseable date field: 'أمس مساءً'")
    assert [(r.reason, r.excerpt) for r in items[4:]] == [
        ("malformed_json", "{not json"),
        ("missing_text", '{"title": "بلا نص", "url": "https://example.org/a"}'),
        ("truncated", '{"text": "سطر مقطوع'),
    ]
    for article in items[:4]:
        _assert_offsets(article)


def test_json_array_and_partial_date_field():
    items = list(read_path(FIXTURES / "array.json"))
    assert [(i.locator, type(i).__name__) for i in items] == [
        ("item 1", "ParsedArticle"), ("item 2", "Rejection"), ("item 3", "ParsedArticle")]
    assert (items[0].published, items[0].date_source) == (D(2025, 1, 15), "field")
    assert items[1].reason == "not_an_object"
    assert (items[2].published, items[2].undated_reason) == (None, "unparseable date field: '2017-10'")


def test_a_partial_date_field_only_admits_dates_inside_it():
    inside = {"text": "نشر يوم 23 أكتوبر 2017 في دمشق.", "url_date": "2017-10"}
    outside = {"text": "نشر يوم 23 مارس 2016 في دمشق.", "url_date": "2017-10"}
    assert reader.article_from_record("x", "", inside).published == D(2017, 10, 23)
    rejected_date = reader.article_from_record("x", "", outside)
    assert (rejected_date.published, rejected_date.undated_reason) == (None, "unparseable date field: '2017-10'")


def test_json_single_object_and_broken_json():
    obj = {"article": "نص المقال.", "headline": "عنوان", "publisher": "sana.sy"}
    article = _only(list(read_bytes("one.json", json.dumps(obj, ensure_ascii=False).encode("utf-8"))))
    assert (article.locator, article.title_raw, article.source_name) == ("", "عنوان", "sana.sy")
    cut = list(read_bytes("cut.json", b'[{"text": "abc"}, {"text": '))
    assert [(r.reason, r.locator) for r in cut] == [("truncated", "")]
    broken = list(read_bytes("bad.json", b'[{"text": "abc"}, oops]'))
    assert [r.reason for r in broken] == ["malformed_json"]
    lines = list(read_bytes("lines.json", b'{"text": "\xd8\xa3"}\n{"text": "\xd8\xa8"}\n'))
    assert [(i.locator, i.text_raw) for i in lines] == [("line 1", "أ"), ("line 2", "ب")]


def test_csv_with_aliases_quoted_newlines_and_an_empty_body():
    items = list(read_path(FIXTURES / "records.csv"))
    assert [(i.locator, type(i).__name__) for i in items] == [
        ("row 1", "ParsedArticle"), ("row 2", "Rejection"), ("row 3", "ParsedArticle")]
    first, missing, third = items
    assert first.title_raw == "اغتيال في درعا"
    assert first.text_raw == 'اغتال مسلحون قيادياً سابقاً في طفس، وفر المهاجمون.\nوقال مصدر محلي إن "التحقيق فُتح".'
    assert [s.paragraph for s in first.sentences] == [0, 1]
    assert (first.published, first.byline, first.source_name, first.extra) == (
        D(2025, 8, 4), "درعا – مراسلنا", "example.org", {"stance": "discuss"})
    assert missing.reason == "missing_text"
    assert (third.published, third.date_source, third.source_name) == (D(2025, 7, 14), "url", "example.org")


def test_semicolon_csv_with_bom_and_tsv():
    (article,) = read_path(FIXTURES / "records_semicolon_bom.csv")
    assert (article.title_raw, article.text_raw, article.published) == (
        "عنوان; مع فاصلة", "نص عن اللاذقية; وجمع السلاح.", D(2025, 11, 4))
    (article,) = read_path(FIXTURES / "records.tsv")
    assert (article.title_raw, article.text_raw, article.published) == ("عنوان", "نص عن حمص.", D(2025, 3, 8))


def test_excel_utf16_tsv_and_cp1256_seed_parse_like_utf8():
    tsv = "Title\tText\tDate\nعنوان\tأفرج عن 120 معتقلاً.\t2025-01-15\n"
    (article,) = read_bytes("export.tsv", tsv.encode("utf-16"))
    assert (article.title_raw, article.text_raw, article.published) == ("عنوان", "أفرج عن 120 معتقلاً.", D(2025, 1, 15))
    assert article.extra == {"encoding": "utf-16-le"}
    seed = (SEEDS / "001_448bee02959f381d.txt").read_text(encoding="utf-8")
    legacy = _only(list(read_bytes("legacy.txt", seed.replace("\n", "\r\n").encode("cp1256"))))
    original = _article(SEEDS / "001_448bee02959f381d.txt")
    assert (legacy.title_raw, legacy.byline) == (original.title_raw, original.byline)
    assert legacy.text_raw == original.text_raw
    assert legacy.extra == {"encoding": "cp1256"}


def test_html_entities_are_resolved_and_hostile_text_stays_literal():
    record = {"title": "&quot;عاجل&quot;", "text": "سطر أول<br>سطر ثان &amp; <script>alert(1)</script>"}
    (article,) = read_bytes("x.jsonl", json.dumps(record).encode("utf-8"))
    assert article.title_raw == '"عاجل"'
    assert article.text_raw == "سطر أول\nسطر ثان & <script>alert(1)</script>"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.jsonl", b"\n \n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("sheet.csv", b"PK\x03\x04\x14\x00\x06\x00", "binary"),
        ("junk.txt", "éàèùâêîôûç".encode("latin-1") * 4, "undecodable"),
        ("header-only.txt", b"date 2025-01-01\n", "missing_text"),
        ("report.pdf", b"%PDF-1.7", "unsupported_format"),
        ("archive.tar.gz", b"\x1f\x8b", "unsupported_format"),
    ],
)
def test_file_level_rejections(name, data, reason):
    items = list(read_bytes(name, data))
    assert [(type(i).__name__, i.source_path, i.locator, i.reason) for i in items] == [
        ("Rejection", name, "", reason)]
    assert items[0].detail


def test_too_large_files_and_records(monkeypatch, tmp_path):
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.txt"
    big.write_bytes("نص ".encode("utf-8") * 100)
    assert [(r.reason, r.locator) for r in read_path(big)] == [("too_large", "")]
    assert [r.reason for r in read_bytes("big.txt", b"x" * 101)] == ["too_large"]
    monkeypatch.setattr(reader, "MAX_TEXT_CHARS", 10)
    lines = b'{"text": "short"}\n{"text": "far too long for the limit"}\n'
    assert [(type(i).__name__, i.locator) for i in read_bytes("r.jsonl", lines)] == [
        ("ParsedArticle", "line 1"), ("Rejection", "line 2")]
    assert list(read_bytes("r.jsonl", lines))[1].reason == "too_large"


def test_folder_reading_is_recursive_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("نص ثان.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("نص أول.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "نص ثالث."}\n', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("مخفي.", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("مخفي.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    items = list(read_path(tmp_path))
    assert [(Path(i.source_path).relative_to(tmp_path).as_posix(), type(i).__name__) for i in items] == [
        ("a.txt", "ParsedArticle"), ("b/2.txt", "ParsedArticle"), ("c.jsonl", "ParsedArticle"),
        ("notes.md", "Rejection")]
    assert items[-1].reason == "unsupported_format"
    assert [(r.reason, r.locator) for r in read_path(tmp_path / "missing")] == [("not_found", "")]


SPLITS = [
    ("قال د. محمد إن النمو بلغ 3.5 في المئة. وأضاف: \"لا تراجع.\" ثم غادر!",
     ["قال د. محمد إن النمو بلغ 3.5 في المئة.", "وأضاف: \"لا تراجع.\"", "ثم غادر!"]),
    ("هل انتهى؟ نعم… ربما؛ لا أعرف", ["هل انتهى؟", "نعم…", "ربما؛", "لا أعرف"]),
    ("قال الوزير إن \" الوضع مستقر \" . وأضاف : \" لا عودة \" .",
     ["قال الوزير إن \" الوضع مستقر \" .", "وأضاف : \" لا عودة \" ."]),
    ("مطار دمشق . . . قلب إيران", ["مطار دمشق . . .", "قلب إيران"]),
    ("U.S. officials met. Then left", ["U.S. officials met.", "Then left"]),
    ("1. البند الأول. 2. البند الثاني.", ["1. البند الأول.", "2. البند الثاني."]),
    ("نعم. ثم غادر.", ["نعم.", "ثم غادر."]),
    ("في عام 2017 م. وبعد ذلك انتهى.", ["في عام 2017 م.", "وبعد ذلك انتهى."]),
    ("زوروا www.sana.sy أو example.org/a?b=1 الآن.", ["زوروا www.sana.sy أو example.org/a?b=1 الآن."]),
    ("قال «انتهى الأمر.» ثم صمت.", ["قال «انتهى الأمر.»", "ثم صمت."]),
    ("  سطر أول.  \n\n\n   سطر ثان  \n", ["سطر أول.", "سطر ثان"]),
    ("", []),
    ("\n \n", []),
    # a sentence glued to the full stop before it ends there (round 21); a dotted abbreviation or a quote does not
    ("وتضاربت الروايات عن سببه.وقال المرصد إن القتلى 5", ["وتضاربت الروايات عن سببه.", "وقال المرصد إن القتلى 5"]),
    ("وقالت المصادر «الوضع مستقر».وأضافت أن الأمن جيد", ["وقالت المصادر «الوضع مستقر».", "وأضافت أن الأمن جيد"]),
    ("هل انتهى؟وماذا بعد", ["هل انتهى؟", "وماذا بعد"]),
    ("وقال لشبكة (إن.بي.سي) الأمريكية إن", ["وقال لشبكة (إن.بي.سي) الأمريكية إن"]),
    ("جنيف - أ.ف.ب: عبرت المفوضية", ["جنيف - أ.ف.ب: عبرت المفوضية"]),
    ("وقال ود.محمد المؤمن إن", ["وقال ود.محمد المؤمن إن"]),
    ("والثالث هو محمد.أ، ويبلغ 31 عاما", ["والثالث هو محمد.أ، ويبلغ 31 عاما"]),
    ("قال «الوضع مستقر.والأمن جيد» ثم غادر", ["قال «الوضع مستقر.والأمن جيد» ثم غادر"]),
    ("زوروا sana.sy الآن", ["زوروا sana.sy الآن"]),
    # a listing's items, each opening with its time stamp, on one line (panet.co.il)
    ("2018 - 01 - 20 14 : 14 : 04 غادر بنس واشنطن , لكنه لن يلتقي المسؤولين 2018 - 01 - 20 06 : 52 : 41 طالب نصر الله",
     ["2018 - 01 - 20 14 : 14 : 04 غادر بنس واشنطن , لكنه لن يلتقي المسؤولين",
      "2018 - 01 - 20 06 : 52 : 41 طالب نصر الله"]),
    ('وقال " نلتقي 2018 - 01 - 20 06 : 52 : 41 هنا " ثم غادر', ['وقال " نلتقي 2018 - 01 - 20 06 : 52 : 41 هنا " ثم غادر']),
]


@pytest.mark.parametrize(("text", "sentences"), SPLITS)
def test_split_sentences(text, sentences):
    result = split_sentences(text)
    assert [s.text_raw for s in result] == sentences
    for s in result:
        assert text[s.start : s.end] == s.text_raw
        assert s.text_norm == normalize_text(s.text_raw)


def test_paragraphs_are_non_blank_lines_and_a_flagged_line_flags_all_its_sentences():
    text = "فقرة أولى. جملة ثانية.\n\nشارك\nفقرة ثالثة."
    result = split_sentences(text, classify_line)
    assert [(s.paragraph, s.is_boilerplate, s.boilerplate_reason) for s in result] == [
        (0, False, None), (0, False, None), (1, True, "navigation"), (2, False, None)]
    caption = "صورة من الاجتماع. #سوريا Posted by الوزارة on Thursday, September 11, 2025"
    assert {s.boilerplate_reason for s in split_sentences(caption, classify_line)} == {"social_caption"}


def test_a_custom_boilerplate_rule_gets_raw_norm_and_context():
    seen = []

    def rule(raw: str, norm: str, context: LineContext) -> str | None:
        seen.append((raw, norm, context))
        return None

    split_sentences("أولى.\nثانية.\nثالثة.", rule)
    assert seen == [
        ("أولى.", "اولي.", LineContext(0, 3, "", "ثانيه.")),
        ("ثانية.", "ثانيه.", LineContext(1, 3, "اولي.", "ثالثه.")),
        ("ثالثة.", "ثالثه.", LineContext(2, 3, "ثانيه.", "")),
    ]


@pytest.mark.parametrize(
    "sentences, end",
    [
        (["استعاد الجيش القرية بعد معارك.", "please enable javascript to view the comments powered by disqus.",
          "اعتقلت الشرطة ثلاثة أشخاص في مدينة أخرى."], 1),
        (["نص الخبر.", "وتابع المتحدث حديثه , please enable javascript to view the عثرت الفرق على جثث"], 1),
        (["نص الخبر.", "التعليقات المنشورة لا تعبر عن رأي الموقع.", "تعليق أول."], 1),
        (["أضف تعليقك", "نص"], 0),
        # a video player inside the article is not its end
        (["to view this video please enable javascript , and consider upgrading your web browser", "نص الخبر."], None),
        (["please enable javascript to view the video", "نص"], None),
        (["أضف تعليقك فيديو", "نص"], None),
        (["لا شيء هنا.", "ولا هنا."], None),
        ([], None),
    ],
)
def test_article_end(sentences, end):
    assert article_end([normalize_text(x) for x in sentences]) == end


def test_sentences_after_the_article_end_are_boilerplate():
    text = ("قال الوزير إن الحملة مستمرة. وأضاف أن الوضع مستقر.\n"
            "Please enable JavaScript to view the أعلنت الشرطة تحرير رهائن خطفوا الأسبوع الماضي.\n"
            "جميع الحقوق محفوظة 2017\nتعرض مسلحون لقافلة على الطريق.")
    result = split_sentences(text, classify_line, article_end)
    assert [(s.paragraph, s.boilerplate_reason) for s in result] == [
        (0, None), (0, None), (1, "after_article"), (2, "navigation"), (3, "after_article")]
    assert [s.is_boilerplate for s in result] == [False, False, True, True, True]
    # without the rule (or without a marker) nothing changes
    assert [s.boilerplate_reason for s in split_sentences(text, classify_line)] == [None, None, None, "navigation", None]
    assert [s.boilerplate_reason for s in split_sentences("أولى.\nثانية.", classify_line, article_end)] == [None, None]


BODY = "أعلن وزير الداخلية السوري أنس خطاب عن إحباط مخطط انقلاب كان يخطط له ضباط من النظام السابق في دمشق."
BODY_2 = "وجاءت هذه التصريحات خلال استعراض الوزير لأنشطة الوزارة في مختلف المجالات الموكلة إليها منذ أشهر."


CLASSIFY = [
    ("#الجمهورية_العربية_السورية #وزارة_الداخلية Posted by وزارة الداخلية السورية on Thursday, September 11, 2025",
     BODY, BODY_2, "social_caption"),
    ("— Syrian Ministry (@syrianmoi) September 11, 2025", "", "", "social_caption"),
    ("#حمص #الأمن_العام #سوريا", BODY, BODY_2, "hashtags"),
    ("#عاجل #سوريا", "", "", "hashtags"),
    ("الرئيسية | أخبار | رياضة", "", BODY, "navigation"),
    ("الرئيسية » أخبار", "", BODY, "navigation"),
    ("اقرأ أيضا: الأمن العام يوقف خلية في حمص", BODY, BODY_2, "navigation"),
    ("إقرأ أيضاً", BODY, BODY_2, "navigation"),
    # a body paragraph glued to a "read more" label by the scraper stays body; a teaser or a short line does not
    ("اقرأ المزيد وقال الوزير إن الحملة الأمنية مستمرة في المدينة حتى القبض على جميع المطلوبين .", BODY, BODY_2, None),
    ("اقرأ أيضا : وفي الشمال دارت اشتباكات بين الفصائل استمرت ساعات وأسفرت عن قتلى من الطرفين .", BODY, BODY_2, None),
    ("اقرأ أيضا : وقال الوزير إن الحملة الأمنية مستمرة في المدينة حتى القبض على جميع المطلوبين . . .", BODY, BODY_2,
     "navigation"),
    ("اقرأ أيضا : وزير الداخلية يعلن نتائج الحملة الأمنية في المدينة حتى القبض على جميع المطلوبين .", BODY, BODY_2,
     "navigation"),
    ("اقرأ أيضا : وقال الوزير إن الحملة مستمرة .", BODY, BODY_2, "navigation"),
    ("تابعنا على : وقال الوزير إن الحملة الأمنية مستمرة في المدينة حتى القبض على جميع المطلوبين .", BODY, BODY_2,
     "navigation"),
    ("شارك", BODY, BODY_2, "navigation"),
    ("تابعنا على فيسبوك وتويتر", BODY, BODY_2, "navigation"),
    ("فيسبوك تويتر واتساب", BODY, BODY_2, "navigation"),
    ("جميع الحقوق محفوظة لصحيفة الوطن 2018", BODY, "", "navigation"),
    ("Copyright 2018 , All Rights Reserved", BODY, "", "navigation"),
    ("رابط الخبر بصحيفة الوئام: داود أوغلو يتوعد داعش", BODY, "", "navigation"),
    ("تفاصيل استئناف الرحلات الجوية بين الإمارات وسوريا", BODY, BODY_2, "related_link"),
    ("تفاصيل استئناف الرحلات الجوية بين الإمارات وسوريا", "", BODY_2, None),
    ("تفاصيل استئناف الرحلات الجوية بين الإمارات وسوريا", "نص قصير.", BODY_2, None),
    ("خطاب يكشف تفاصيل جديدة عن مخطط الانقلاب في دمشق", BODY, BODY_2, None),
    ("وأضاف أن الوضع مستقر في المدينة.", BODY, BODY_2, None),
    ("شارك في الاجتماع وزير الداخلية ومحافظ حمص", BODY, BODY_2, None),
    ("عائلات المفقودين والمعتقلين", BODY, BODY_2, None),
    ("* تطورات ميدانية جديدة في ريف حمص الشرقي", BODY, BODY_2, None),
    ("قال الوزير إن \"الأمن أولوية\"", BODY, BODY_2, None),
    ("حقوق الإنسان في السجون السورية بعد سقوط النظام ومسؤولية الدولة عن المعتقلين والمفقودين "
     "وفق القانون الدولي وحقوق النشر والطبع", BODY, BODY_2, None),
    ("", BODY, BODY_2, None),
]


@pytest.mark.parametrize(
    ("line", "prev", "next_", "reason"), CLASSIFY, ids=[f"{i}-{row[3]}" for i, row in enumerate(CLASSIFY)]
)
def test_classify_line(line, prev, next_, reason):
    norm = normalize_text(line)
    context = LineContext(1, 3, normalize_text(prev), normalize_text(next_))
    assert classify_line(line, norm, context) == reason


def test_classify_line_without_context_never_says_related_link():
    line = "تفاصيل استئناف الرحلات الجوية بين الإمارات وسوريا"
    assert classify_line(line, normalize_text(line)) is None


_SENTENCE_TEXT = st.lists(
    st.sampled_from(list("أبت ثج.!?؟؛…\"»)]\n\r\t 3.5\u00a0\u200f\u064b") + ["د.", "U.S.", " . . . ", "شارك\n"]),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SENTENCE_TEXT)
def test_sentence_offsets_hold_on_any_text(text):
    for cleaned in (text, clean_raw(text)):
        result = split_sentences(cleaned, classify_line)
        for i, s in enumerate(result):
            assert s.seq == i
            assert cleaned[s.start : s.end] == s.text_raw
            assert s.text_raw.strip() == s.text_raw != ""
            assert s.text_norm == normalize_text(s.text_raw)
        assert [s.start for s in result] == sorted(s.start for s in result)


@pytest.mark.skipif(not (BALY.exists() and SAUDI.exists()), reason="shared corpora not present")
@pytest.mark.parametrize(("path", "count"), [(BALY, 3042), (SAUDI, 1975)])
def test_real_corpora_parse_as_they_are(path, count):
    items = list(read_path(path))
    assert Counter(type(i).__name__ for i in items) == {"ParsedArticle": count}
    for article in items[::50]:
        _assert_offsets(article)
    assert all(a.published or a.undated_reason for a in items)
    if path == SAUDI:
        assert all(a.date_source == "field" and a.source_name for a in items)
        assert items[0].title_raw == "داود أوغلو يتوعد داعش بعد “تفجير سروج”"


@pytest.mark.parametrize(
    ("name", "data", "reason", "detail"),
    [
        ("rows.jsonl", b'{"text": "\xd9\x86\xd8\xb5 \n{"text": "b"}\n', "malformed_json",
         "Unterminated string starting at column 10"),
        ("rows.jsonl", b'{"text": "a"}\n{"text": "b', "truncated",
         "last line is cut off: Unterminated string starting at column 10"),
        ("rows.jsonl", b'{"text": "a",}\n{"text": "b"}\n', "malformed_json",
         "Expecting property name enclosed in double quotes at column 14"),
        ("one.json", b'[{"text": "abc"}, oops]', "malformed_json", "Expecting value at line 1 column 19"),
        ("one.json", b'{"text": "abc', "malformed_json", "Unterminated string starting at line 1 column 10"),
    ],
)
def test_broken_json_says_where_in_one_sentence(name, data, reason, detail):
    """The Ingest page shows this detail: json's "starting at" message must not read "starting at at column"."""
    [rejection] = [i for i in read_bytes(name, data) if isinstance(i, reader.Rejection)]
    assert (rejection.reason, rejection.detail) == (reason, detail)


# Lines that rules 2 cut where rules 1 did not (a mark glued to the next word, a listing's time stamp).
_CUT_BY_RULES_2 = [
    "ولم يعرف عن سببه.وقال المرصد إن الحصيلة ارتفعت.",
    "لن يلتقي المسؤولين في دمشق 2018 - 01 - 20 06 : 52 : 41 طالب الأمين العام بوقف القتال.",
]


def test_the_cuts_of_the_seeds_are_those_of_sentences_rules():
    """A store records the sentences.RULES its sentences were cut by and retag cuts an older one again: a change to
    where these texts are cut must come with a new RULES (and this digest)."""
    texts = [a.text_raw for p in sorted((ROOT / "seeds").glob("*.txt")) for a in read_path(p)] + _CUT_BY_RULES_2
    cuts = json.dumps([[(s.start, s.end) for s in split_sentences(t, classify_line, article_end)] for t in texts])
    digest = hashlib.blake2b(cuts.encode(), digest_size=8).hexdigest()
    assert (sentences.RULES, digest) == ("2", "46992d329f5a0ec6")
