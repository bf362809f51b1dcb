import pytest

from basira.analysis import analyze_article
from basira.model import Sentence
from basira.normalize import normalize_text


def quantities(text: str):
    return analyze_article([Sentence(0, 0, 0, len(text), text, normalize_text(text))]).quantities


def counts(text: str) -> list[tuple[int, int, str, str]]:
    """(low, high, unit, kind) of each count in a one-sentence article."""
    return [(q.low, q.high, q.unit, q.kind) for q in quantities(text)]


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


@pytest.mark.parametrize(
    "text, expected",
    [
        # the event word is looked for among the five words before the count, across commas
        ("أفرجت السلطات عن معتقلين، وقدر عددهم بين 500 و600 ضابط", [(500, 600, "ضابط", "other")]),
        ("قتل 16 شخصا، بينهم 8 مدنيين", [(16, 16, "شخص", "killed"), (8, 8, "مدنيين", "killed")]),
        ("اعترف النظام بمقتل زهاء ال- 400 جندي", [(400, 400, "جندي", "killed")]),
        # a digit glued to the conjunction opens a second count
        ("سقوط 3 قتلى و10 جرحى", [(3, 3, "قتلى", "killed"), (10, 10, "جرحى", "injured")]),
        ("اعتقال عشرات المدنيين وثلاثة أطفال", [(20, 99, "مدنيين", "arrested"), (3, 3, "أطفال", "arrested")]),
        ("ألقت القبض على 12 مطلوبا", [(12, 12, "مطلوب", "arrested")]),
        # "ما بين ... من" and multipliers
        ("قتل ما بين ثلاثة آلاف وخمسة آلاف من المدنيين", [(3000, 5000, "مدنيين", "killed")]),
        ("نحو 1500 عنصر", [(1500, 1500, "عنصر", "other")]),
        ("سنة 2011 كانت صعبة", []),
    ],
)
def test_counts_in_sentences(text, expected):
    assert counts(text) == [(lo, hi, normalize_text(u), k) for lo, hi, u, k in expected]


def test_counts_in_several_sentences_keep_their_sequence_numbers():
    sentences = [Sentence(i, 0, 0, len(t), t, normalize_text(t))
                 for i, t in enumerate(["وقال المتحدث إن الوضع هادئ", "أفرج عن 120 معتقلا", "ومقتل 7 عناصر"])]
    got = [(q.seq, q.low, q.kind) for q in analyze_article(sentences).quantities]
    assert got == [(1, 120, "released"), (2, 7, "killed")]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("قتل 830 جنديا وسقط 200 جريح", "injured"),  # the unit names its own event, the earlier count owns قتل ...
        ("أفرج عن 120 معتقلاً", "released"),  # ... unless the clause frees them
        ("مقتل 5 معتقلين تحت التعذيب", "killed"),  # ... or kills them
        ("اعتقال 12 جريحا من المستشفى", "injured"),
    ],
)
def test_unit_kind_against_clause_kind(text, kind):
    assert quantities(text)[-1].kind == kind


# With no event word before the count, a verb right after it says what happened to them (quantity_kinds_after);
# it never overrides an event before the count, nor the kind the unit carries unless it kills or frees them.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("وأوضح الحزب في بيان أن عشرات الجنود قتلوا", [(20, 99, "جنود", "killed")]),
        ("قال مسؤولون إن أكثر من 500 شخص توفوا جراء موجة الحر", [(500, 500, "شخص", "killed")]),
        ("وتم توثيق ( 4 ) أشخاص قضوا جراء القصف", [(4, 4, "اشخاص", "killed")]),
        ("وقال الجيش إن أربعة جنود أصيبوا في الهجوم", [(4, 4, "جنود", "injured")]),
        ("وذكر المكتب أن 251 شخصا اعتقلوا خلال المداهمات", [(251, 251, "شخص", "arrested")]),
        # "آخرون" is a unit since quotes20
        ("أكد أن 30 شخصا قتلوا وأصيب 50 آخرون", [(30, 30, "شخص", "killed"), (50, 50, "اخرون", "injured")]),
        # a verb after a word in between is not read
        ("أن 30 شخصا في المدينة قتلوا", [(30, 30, "شخص", "other")]),
        # an event before the count and the unit's own kind win
        ("أفرج عن 120 معتقلا قتلوا", [(120, 120, "معتقل", "released")]),
        ("وصل 20 معتقلا أصيبوا", [(20, 20, "معتقل", "detained")]),
        ("اعتقال 30 شخصا قتلوا لاحقا", [(30, 30, "شخص", "arrested")]),
        # ... but a killing after a unit of its own kind wins (quotes20)
        ("من بينهم أربعة لاجئين قضوا جراء قصف مخيم درعا", [(4, 4, "لاجيين", "killed")]),
    ],
)
def test_verb_after_the_count(text, expected):
    assert counts(text) == expected


# A number glued to a one-letter preposition or conjunction is the count, not the multiplier after it alone
# ("لـ450 ألف لاجئ" was 1,000 refugees).
@pytest.mark.parametrize(
    "text, expected",
    [
        ("وقدمت المساعدات لـ450 ألف لاجئ في المخيمات", [(450000, 450000, "لاجي", "displaced")]),  # quotes20 kind
        ("تقدر عدد المقاتلين بـ25 ألف شخص", [(25000, 25000, "شخص", "other")]),
        ("أعلن الجيش مقتل بـ20 مدنيا", [(20, 20, "مدني", "killed")]),
        ("وصل عدد القتلى ل300 شخص", [(300, 300, "شخص", "killed")]),
        ("قتل 3 مدنيين و10 جرحى", [(3, 3, "مدنيين", "killed"), (10, 10, "جرحي", "injured")]),
        # a letter glued to a number inside a word is no clitic: nothing is read
        ("رقم السيارة ع450 شخص", []),
    ],
)
def test_a_number_glued_to_a_clitic(text, expected):
    assert counts(text) == expected


# Death verbs right before the count (quantity_kinds_before; phrasings of the corpus's daily casualty reports),
# "سقط" only for a unit without a kind of its own (quantity_kinds_before_weak), wounded and displaced counts, and a
# count after "منهم"/"بينهم" that shares the event of the count it belongs to (quotes20).
@pytest.mark.parametrize(
    "text, expected",
    [
        ("في محافظة إدلب قضى ( 59 ) شخصا", [(59, 59, "شخص", "killed")]),
        ("وقضى نحو 40 مدنيا وجرح نحو 30 آخرين", [(40, 40, "مدني", "killed"), (30, 30, "اخرين", "injured")]),
        ("قضى ( 6 ) أشخاص منهم ( 3 ) أطفال", [(6, 6, "اشخاص", "killed"), (3, 3, "اطفال", "killed")]),
        ("لقي 12 شخصا مصرعهم وأصيب 20 آخرون بجروح", [(12, 12, "شخص", "killed"), (20, 20, "اخرون", "injured")]),
        ("لقي نحو 34 مدنيا سوريا من النازحين", [(34, 34, "مدني", "killed")]),
        ("وتوفي نحو خمسين شخصا في بلدة مضايا", [(50, 50, "شخص", "killed")]),
        ("استشهد أكثر من 30 شخصا بهجوم على مشفى", [(30, 30, "شخص", "killed")]),
        ("سقط أكثر من 10 مدنيين", [(10, 10, "مدنيين", "killed")]),
        ("سقط 19 قتيل في محافظة درعا", [(19, 19, "قتيل", "killed")]),
        ("سقط 18 جريحا في مواجهات", [(18, 18, "جريح", "injured")]),
        ("أصيب 40 شخصا بجروح في هجوم انتحاري", [(40, 40, "شخص", "injured")]),
        # "قضى" rules or spends when not right before the count; "سقط" falls
        ("قضت المحكمة بسجن 5 أشخاص", [(5, 5, "اشخاص", "other")]),
        ("قضت المحكمة بالسجن على 29 آخرين", [(29, 29, "اخرين", "other")]),
        ("سقطت 3 قذائف على الحي", []),
        # displaced: an event before the count or a displaced unit; a displaced noun is no event for a later count
        ("تسببت بنزوح أكثر من 40 ألف مدني من قراهم", [(40000, 40000, "مدني", "displaced")]),
        ("أدت إلى تشريد مئات آلاف الأشخاص من الروهينغا", [(200000, 999000, "اشخاص", "displaced")]),
        ("وبلغ عدد النازحين 6 آلاف نازح", [(6000, 6000, "نازح", "displaced")]),
        ("هجوم على تجمع للنازحين قتل فيه 12 طفلا", [(12, 12, "طفل", "killed")]),
        ("تحدثت هيومن رايتس ووتش مع 19 لاجئا داخل عرسال", [(19, 19, "لاجي", "displaced")]),
    ],
)
def test_death_wound_and_displacement_counts(text, expected):
    assert counts(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a teen is one number of two words: before, only "عشر" was read ("أحد عشر مسلحا" stored as 10 killed, the real
        # store's article 3814, analyst review 4)
        ("قتل أحد عشر مسلحا في المعركة", [(11, 11, "مسلح", "killed")]),
        ("اعتقلت القوات اثني عشر شخصا", [(12, 12, "شخص", "arrested")]),
        ("قتل ثلاث عشرة امرأة", [(13, 13, "امراه", "killed")]),
        ("أفرج عن خمسة عشر معتقلا", [(15, 15, "معتقل", "released")]),
        ("وأصيب تسعة عشر جنديا", [(19, 19, "جندي", "injured")]),
        # number words joined by "و" add up, each scale once: thousands, hundreds, units, then tens
        ("قتل خمسة وعشرون شخصا", [(25, 25, "شخص", "killed")]),
        ("أفرج عن مئة وخمسين معتقلا", [(150, 150, "معتقل", "released")]),
        ("اعتقل ألف ومئتين وخمسة وعشرين شخصا", [(1225, 1225, "شخص", "arrested")]),
        ("قتل خمسة وعشرين ألف شخص", [(25000, 25000, "شخص", "killed")]),
        # not one number: a range, two counts of one scale, a vague word; the last word is the count, as before
        ("قتل ما بين خمسة وستة أشخاص", [(5, 6, "اشخاص", "killed")]),
        ("قتل بين عشرين وثلاثين شخصا", [(20, 30, "شخص", "killed")]),
        ("قتل ثلاثة وأربعة أطفال", [(4, 4, "اطفال", "killed")]),
        ("قتل عشرات وعشرين شخصا", [(20, 20, "شخص", "killed")]),
        # "أحد" alone is no number
        ("قتل أحد العناصر و5 مدنيين", [(5, 5, "مدنيين", "killed")]),
        # a count joined by "و" through an approximator keeps its own unit's kind, or shares the event before: the
        # first count's unit ("قتلى") is not the second's event (real text: "سقوط أربعة قتلى وحوالي خمسة عشر جريحا")
        ("أسفر عن سقوط أربعة قتلى وحوالي خمسة عشر جريحا", [(4, 4, "قتلي", "killed"), (15, 15, "جريح", "injured")]),
        ("أسفر عن سقوط أربعة قتلى وحوالي 15 جريحا", [(4, 4, "قتلي", "killed"), (15, 15, "جريح", "injured")]),
        ("قتل 3 أشخاص ونحو 20 مدنيا", [(3, 3, "اشخاص", "killed"), (20, 20, "مدني", "killed")]),
    ],
)
def test_teens_and_compound_number_words(text, expected):
    assert counts(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # vague number words combine as exact ones do (round 21: "مئة وبضعة" was 3-9)
        ("أفرج عن مئة وبضعة أشخاص", [(103, 109, "أشخاص", "released")]),
        ("قتل بضعة وعشرون شخصا", [(23, 29, "شخص", "killed")]),
        ("قتل نيف وعشرون شخصا", [(21, 29, "شخص", "killed")]),
        ("قتل بضعة عشر جنديا", [(13, 19, "جندي", "killed")]),
        ("أفرج عن ألف ومئات المعتقلين", [(1200, 1999, "معتقلين", "released")]),
        ("نزوح عشرات الآلاف من المدنيين", [(20000, 99000, "مدنيين", "displaced")]),
        ("مقتل مئات الآلاف من المدنيين", [(200000, 999000, "مدنيين", "killed")]),
        ("وصل بضع مئات من المقاتلين", [(300, 900, "مقاتلين", "other")]),
        ("أطلق سراح بضعة آلاف معتقل", [(3000, 9000, "معتقل", "released")]),
        ("اعتقال عشرات المدنيين", [(20, 99, "مدنيين", "arrested")]),
        ("قتل مئة وعشرون شخصا", [(120, 120, "شخص", "killed")]),
        ("عشرات وعشرين طفلا", [(20, 20, "طفل", "other")]),
    ],
)
def test_vague_numbers_combine(text, expected):
    assert counts(text) == [(lo, hi, normalize_text(u), k) for lo, hi, u, k in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        # "واحد" for one of each, one of a kind or one per person counts no one (round 21)
        ("مقابل تحرير شخص واحد من المختطفين", []),
        ("ويشرح القرار دور كل واحد من المتهمين", []),
        ("وقال إنها واحدة من الجنود الذين يسيرون خلفه", []),
        ("فيما كانت عملية واحدة من عناصر التنظيم", []),
        # ... but one of them killed, released or missing is a count
        ("وقتل واحد من المعتقلين تحت التعذيب", [(1, 1, "معتقلين", "killed")]),
        ("وأفرج عن واحد من المختطفين", [(1, 1, "مختطفين", "released")]),
        ("وهناك واحد مفقود", [(1, 1, "مفقود", "detained")]),
    ],
)
def test_one_that_counts_no_one(text, expected):
    assert counts(text) == [(lo, hi, normalize_text(u), k) for lo, hi, u, k in expected]


def test_a_digit_before_hundreds_is_no_count_of_hundreds():
    # a date's day before a headline (baly2018:771): "مئات القتلى" alone, as before round 21
    assert counts("2017 - 11 - 13 مئات القتلى بزلزال قوي") == [(200, 999, normalize_text("قتلى"), "killed")]


@pytest.mark.parametrize("text, expected", [
    # the verb after the unit's own definite words tells what happened
    ("وقالت مصادر إن 13 من عناصر الجيش المصري قتلوا في هجوم", [(13, 13, "عناصر", "killed")]),
    ("عشرات الجنود السوريين قتلوا في المعارك", [(20, 99, "جنود", "killed")]),
    ("خمسة من عناصر الشرطة اختطفوا أمس", [(5, 5, "عناصر", "arrested")]),
    # guards: punctuation ends the search; an event before the count still decides
    ("وصل 20 جنديا الأسبوع الماضي , قتلوا لاحقا", [(20, 20, "جندي", "other")]),
    ("أصيب 7 أشخاص الليلة الماضية", [(7, 7, "اشخاص", "injured")]),
    # ... and so do a time, a singular relative pronoun and "إلى": the verb after them is not the count's
    ("وصل 20 جنديا الأسبوع الماضي قتلوا لاحقا", [(20, 20, "جندي", "other")]),
    ("وصل 300 عنصر اليوم الجمعة اعتقلوا", [(300, 300, "عنصر", "other")]),
    ("وصل 20 جنديا إلى الحدود قتلوا", [(20, 20, "جندي", "other")]),
    ("وصل 30 عنصرا المعبر الذي اعتقلوا فيه المهربين", [(30, 30, "عنصر", "other")]),
    # guard: a plural relative pronoun opens the counted people's own clause
    ("آلاف الأشخاص الذين قتلوا في الحرب", [(2000, 9999, "اشخاص", "killed")]),
])
def test_a_verb_after_the_units_words(text, expected):
    assert_counts(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("وصل أكثر من 7 آلاف و 300 شخص إلى اليونان", [(7300, 7300, "شخص", "other")]),
    ("قتل 3 آلاف و500 مدني", [(3500, 3500, "مدني", "killed")]),
    ("أفرج عن 2 ألف و 150 معتقلا", [(2150, 2150, "معتقل", "released")]),
    # guards: a range of thousands; a remainder no smaller than its thousands joins nothing
    ("نزح ما بين 3 آلاف و5 آلاف شخص", [(3000, 5000, "شخص", "displaced")]),
    ("بين 20 ألف و 30 ألف لاجئ", [(20000, 30000, "لاجي", "displaced")]),
    # ... and one digit goes on from no thousands: "و 5 أطفال" is a count of its own (two or three digits join)
    ("وقتل 3 آلاف و 5 أطفال", [(5, 5, "اطفال", "other")]),
    ("وقتل 3 آلاف و 45 طفلا", [(3045, 3045, "طفل", "killed")]),
    ("أحصينا 215 ألفا و 518 قتيلا", [(215518, 215518, "قتيل", "killed")]),
])
def test_a_number_after_a_digits_thousands_joins_it(text, expected):
    assert_counts(text, expected)


def assert_counts(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    """The sentence's counts are exactly `expected`, units given as written."""
    assert counts(text) == [(lo, hi, normalize_text(u), k) for lo, hi, u, k in expected]
