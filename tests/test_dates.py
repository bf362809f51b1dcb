"""Date parsing: fields, free text in Arabic and English, URLs, and the seeds' own dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from basira import dates
from basira.normalize import clean_raw

D = dt.date
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

PARSE = [
    ("2025-09-11", D(2025, 9, 11)),
    ("2025/09/11", D(2025, 9, 11)),
    ("2025-9-1", D(2025, 9, 1)),
    ("11/09/2025", D(2025, 9, 11)),
    ("11-9-2025", D(2025, 9, 11)),
    ("11.09.2025", D(2025, 9, 11)),
    ("20250911", D(2025, 9, 11)),
    ("2015-07-21 02:18:03", D(2015, 7, 21)),
    ("2025-03-09T08:15:00+03:00", D(2025, 3, 9)),
    ("Thu, 11 Sep 2025 10:00:00 +0000", D(2025, 9, 11)),
    ("١١ أيلول ٢٠٢٥", D(2025, 9, 11)),
    ("١١/٠٩/٢٠٢٥", D(2025, 9, 11)),
    ("الخميس ١٢ حزيران ٢٠٢٥", D(2025, 6, 12)),
    ("15 كانون الثاني/يناير 2025", D(2025, 1, 15)),
    ("15 يناير/كانون الثاني 2025", D(2025, 1, 15)),
    ("11 أيار (مايو) 2025", D(2025, 5, 11)),
    ("11 سبتمبر 2025", D(2025, 9, 11)),
    ("3 إبريل من عام 2016", D(2016, 4, 3)),
    ("3 ابريل 2016", D(2016, 4, 3)),
    ("3 أبريل 2016", D(2016, 4, 3)),
    ("1 يونيه 2016", D(2016, 6, 1)),
    ("1 يوليه 2016", D(2016, 7, 1)),
    ("5 تشرين الأول 2024", D(2024, 10, 5)),
    ("5 تشرين الاول 2024", D(2024, 10, 5)),
    ("5 تشرين الثاني 2024", D(2024, 11, 5)),
    ("31 كانون الأول 2024", D(2024, 12, 31)),
    ("9 آب 2017", D(2017, 8, 9)),
    ("9 اب 2017", D(2017, 8, 9)),
    ("27 ديسمبر , 2017", D(2017, 12, 27)),
    ("23 أغسطس 2017 م", D(2017, 8, 23)),
    ("28 شباط ( فبراير ) 2012", D(2012, 2, 28)),
    ("1 أيّار 2025", D(2025, 5, 1)),
    ("Thursday, September 11, 2025", D(2025, 9, 11)),
    ("September 11 2025", D(2025, 9, 11)),
    ("11 September 2025", D(2025, 9, 11)),
    ("11th of September, 2025", D(2025, 9, 11)),
    ("Sep 11, 2025", D(2025, 9, 11)),
    ("Sept. 11, 2025", D(2025, 9, 11)),
    ("date 2025-09-11", D(2025, 9, 11)),
]

UNPARSEABLE = [
    "",
    None,
    "2017-10",
    "أيار/مايو",
    "في شهر أيار/مايو الماضي",
    "30/02/2025",
    "2025-02-30",
    "29 شباط 2023",
    "1989-12-31",
    "12 كانون الثاني 1985",
    "11/9/25",
    "أمس مساء",
    "1 ذو الحجة 1438",
    "14 : 4419 كانون الثاني",
    "12025-09-11",
    "Hello 12 2025",
]


@pytest.mark.parametrize(("text", "expected"), PARSE)
def test_parse_date(text, expected):
    assert dates.parse_date(text) == expected


@pytest.mark.parametrize("text", UNPARSEABLE)
def test_parse_date_rejects(text):
    assert dates.parse_date(text) is None


def test_leap_day_and_future_limit():
    assert dates.parse_date("29/02/2024") == D(2024, 2, 29)
    next_year = dt.date.today().year + 2
    assert dates.parse_date(f"{next_year}-06-01") is None
    assert dates.plausible(dt.date.today())


@pytest.mark.parametrize(
    ("text", "expected", "surface"),
    [
        (
            "لقطات من الاجتماع... Posted by وزارة الداخلية السورية on Thursday, September 11, 2025",
            D(2025, 9, 11),
            "Thursday, September 11, 2025",
        ),
        ("كشف الوزير، الخميس ١٢ حزيران ٢٠٢٥، عن إحباط مخطط", D(2025, 6, 12), "الخميس ١٢ حزيران ٢٠٢٥"),
        ("بدأت يوم الأربعاء 15 تشرين الأول/أكتوبر 2025 أولى الجلسات", D(2025, 10, 15),
         "الأربعاء 15 تشرين الأول/أكتوبر 2025"),
        ("هذا المحتوى تم نشره يوم 27 ديسمبر , 2017 01 : 13 م", D(2017, 12, 27), "27 ديسمبر , 2017"),
        ("الأربعاء - 1 ذو الحجة 1438 ه - - 23 أغسطس 2017 م", D(2017, 8, 23), "23 أغسطس 2017"),
        ("وقع في 30/02/2025 ثم في 01/03/2025", D(2025, 3, 1), "01/03/2025"),
        ("الجمعة 16 / 06 / 2017 - 03 : 00 م", D(2017, 6, 16), "الجمعة 16 / 06 / 2017"),
        ("first 2025-01-02 then 3 March 2024", D(2025, 1, 2), "2025-01-02"),
        ("first March 3, 2024 then 2025-01-02", D(2024, 3, 3), "March 3, 2024"),
        ("Ramon, 11 Sep 2025", D(2025, 9, 11), "11 Sep 2025"),
    ],
)
def test_find_date_in_text(text, expected, surface):
    assert dates.find_date_in_text(text) == (expected, surface)


@pytest.mark.parametrize(
    "text",
    [
        "وأعلنت الداخلية السورية، في شهر أيار/مايو الماضي، تشكيل لجنة",
        "في مايو ( أيار ) 2011 بعد اندلاع الثورة",
        "بين 500 و600 ضابط",
        "اعتقل عام 2013 ونقل إلى سجن صيدنايا",
        "",
    ],
)
def test_no_full_date_in_text(text):
    assert dates.find_date_in_text(text) is None


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("أيار/مايو", 5),
        ("أيار", 5),
        ("ايار", 5),
        ("مايو", 5),
        ("كانون الثاني", 1),
        ("كانون الأول/ديسمبر", 12),
        ("تشرين الثاني", 11),
        ("آب", 8),
        ("أغسطس", 8),
        ("يونيه", 6),
        ("Sept", 9),
        ("SEPTEMBER", 9),
        ("الخميس", None),
        ("", None),
    ],
)
def test_month_number(name, month):
    assert dates.month_number(name) == month


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com/2016/05/12/story", D(2016, 5, 12)),
        ("http://www.youm7.com/story/2017/8/26/x", D(2017, 8, 26)),
        ("https://example.com/news/2017-12-05-title", D(2017, 12, 5)),
        ("http://nournews.blogspot.com/2012_05_20_archive.html", D(2012, 5, 20)),
        ("http://www.france24.com/ar/20170929-title", D(2017, 9, 29)),
        ("https://example.com/?p=20150312", D(2015, 3, 12)),
        ("https://arabic.sputniknews.com/arab_world/201605261018929127", None),
        ("https://www.swissinfo.ch/ara/reuters/43783352", None),
        ("https://example.com/2017/13/45/", None),
        ("https://example.com/a20150312", None),
        ("", None),
        (None, None),
    ],
)
def test_date_from_url(url, expected):
    assert dates.date_from_url(url) == expected


def test_seed_000_dates():
    text = clean_raw((SEEDS / "000_e9bce7ec56e8657f.txt").read_text(encoding="utf-8"))
    header, body = text.split(" ", 2)[1], text.split(" ", 2)[2]
    assert dates.parse_date(header) == D(2025, 9, 11)
    # Without its header the article still dates itself by the Facebook caption, not by "أيار/مايو".
    assert dates.find_date_in_text(body) == (D(2025, 9, 11), "Thursday, September 11, 2025")
    assert "أيار/مايو" in body


def test_seed_001_has_no_date():
    text = (SEEDS / "001_448bee02959f381d.txt").read_text(encoding="utf-8")
    assert dates.find_date_in_text(text) is None
