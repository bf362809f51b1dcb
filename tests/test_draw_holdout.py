"""eval/draw_holdout: the word pools a sealed holdout is drawn from, the near-duplicate filter and the draw order (tiny
texts, no corpora)."""

import pytest

from basira.normalize import normalize_text
from eval.draw_holdout import Article, draw, fingerprint, near, parse_plan, pool_tests

SYRIA = {"corpus": "saudinewsnet_syria", "line": 1}
NEGATIVES = {"corpus": "saudinewsnet_negatives", "line": 1}


def article(text: str, length: int = 300, ref: dict = SYRIA) -> Article:
    return Article(dict(ref), normalize_text(text), length)


@pytest.mark.parametrize(
    "text, length, ref, pools",
    [
        ("أعلن الضابط انشقاقه عن النظام", 300, SYRIA, {"defection"}),
        # past the strict pool's 8,000 characters only the wide pool takes a defection word
        ("أعلن الضابط انشقاقه عن النظام", 9000, SYRIA, {"defection_wide"}),
        ("جنود فروا من الجيش", 9000, SYRIA, {"defection_wide"}),
        ("مقاتلون التحقوا بصفوف الجيش الحر", 300, SYRIA, {"defection_wide"}),
        ("ترتيب تسوية أوضاع الشباب", 300, SYRIA, set()),
        ("تسوية أوضاع الفارين", 300, SYRIA, {"defection_wide"}),
        ("هرب الجنود من الثكنة", 300, SYRIA, {"flight"}),
        # a flight word with punctuation attached is not one (as the rounds that drew holdout11 to holdout13 read it)
        ("الجنود هرب، من الثكنة", 300, SYRIA, set()),
        ("هرب الطفل من المدرسة", 300, SYRIA, set()),
        ("أُفرج عن السجناء", 300, SYRIA, {"prison"}),
        ("أُفرج عن السجناء", 7000, SYRIA, set()),
        ("محاولة الانقلاب الفاشلة", 300, SYRIA, {"coup"}),
        ("زيارة الوزير السوري", 300, SYRIA, {"random"}),
        ("اعتقال مسلح في المدينة", 300, NEGATIVES, {"negative"}),
        ("مباراة في الدوري", 300, NEGATIVES, set()),
        ("أعلن الضابط انشقاقه عن النظام", 150, SYRIA, set()),
        # the root with the article is no wide word: past 8,000 characters only the long defection pool takes it
        ("قال الضابط المنشق", 9000, SYRIA, {"defection_long"}),
        ("قال الضابط المنشق", 8000, SYRIA, {"defection"}),
        ("قال الكاتب المنشق", 9000, SYRIA, set()),
        ("محاولة الانقلاب الفاشلة", 6001, SYRIA, {"coup_long"}),
        ("محاولة الانقلاب الفاشلة", 6000, SYRIA, {"coup"}),
        # a man who defected, named on a page none of the three defection pools takes
        ("قال العميد أحمد رحال", 300, SYRIA, {"defector_named"}),
        ("استقالة رياض حجاب وحكومة الانقلاب", 7000, SYRIA, {"coup_long", "defector_named"}),
        ("الضابط المنشق طلال سلو", 300, SYRIA, {"defection"}),
        ("طلال سلو انشق", 9000, SYRIA, {"defection_wide"}),
        ("قال الضابط المنشق طلال سلو", 9000, SYRIA, {"defection_long"}),
        ("قال العميد أحمد رحال", 150, SYRIA, set()),
        # his full name is enough for Ahmad Rahhal; Ahmad Berri, a common name, only with his rank
        ("قال أحمد رحال", 300, SYRIA, {"defector_named"}),
        ("قال أحمد بري", 300, SYRIA, set()),
    ],
)
def test_pools(text, length, ref, pools):
    a = article(text, length, ref)
    assert {name for name, test in pool_tests().items() if test(a)} == pools


def words(n: int, start: int = 0) -> str:
    return " ".join(f"w{k}" for k in range(start, start + n))


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (words(100), words(100), True),
        # 31 of 96 shingles shared (32 %): a near duplicate
        (words(100), words(35) + " " + words(65, 1000), True),
        # 28 of 96 (29 %): not one
        (words(100), words(32) + " " + words(68, 1000), False),
        # a short text held whole inside a long one: the second direction
        (words(40, 500), words(300) + " " + words(40, 500), True),
    ],
)
def test_near_duplicates(a, b, expected):
    assert near(fingerprint(a), fingerprint(b)) is expected
    assert near(fingerprint(b), fingerprint(a)) is expected


def test_the_same_opening_is_a_near_duplicate():
    opening = words(80)
    assert near(fingerprint(opening + " " + words(400, 1000)), fingerprint(opening + " " + words(400, 5000)))


def fixture(name: str, text: str) -> Article:
    a = Article({"corpus": "saudinewsnet_syria", "line": int(name)}, normalize_text(text), 300)
    a.head, a.shingles = fingerprint(a.norm)
    return a


PRISONS = [fixture(str(k), f"السجن {words(30, 100 * k)}") for k in range(6)]
BOTH = fixture("9", f"الانقلاب والسجن {words(30, 900)}")  # in the prison and the coup pool
LABELLED = fixture("7", f"السجن {words(30, 700)}")  # a story already labelled: replaced by reading
COPY = fixture("8", f"السجن {words(30, 700)} اخر")  # its copy, caught by the filter once 7 joins the comparison set


@pytest.mark.parametrize(
    "seed, taken, prison, coup",
    [
        # shuffled prison pool 5, 7, 8, 4, 3, ...: 7 replaced, 8 skipped as its copy; the coup pool then takes 9
        (1, [("prison", 5), ("prison", 4), ("prison", 3), ("coup", 9)],
         (["saudinewsnet_syria:8"], ["saudinewsnet_syria:7"], 0, 3), ([], [], 0, 1)),
        # 1, 2, 7, 8, 9, ...: the prison pool takes 9 first, so the coup pool passes it over and has nothing left
        (4, [("prison", 1), ("prison", 2), ("prison", 9)],
         (["saudinewsnet_syria:8"], ["saudinewsnet_syria:7"], 0, 3), ([], [], 1, 0)),
        # 2, 3, 1, ...: the plan is filled before 7 comes up
        (5, [("prison", 2), ("prison", 3), ("prison", 1), ("coup", 9)], ([], [], 0, 3), ([], [], 0, 1)),
    ],
)
def test_draw(seed, taken, prison, coup):
    arts = [*PRISONS, BOTH, LABELLED, COPY]
    drawn, table = draw(arts, [], {"prison": 3, "coup": 1}, seed, {"saudinewsnet_syria:7"})
    assert [(pool, a.ref["line"]) for pool, a in drawn] == taken
    rows = {row["pool"]: (row["skipped"], row["replaced"], row["earlier"], row["taken"]) for row in table}
    assert (rows["prison"], rows["coup"]) == (prison, coup)
    assert [row["articles"] for row in table] == [0, 0, 0, 9, 1, 0, 0, 0, 0, 0]


def test_plan():
    assert parse_plan("coup=10,prison=12") == {"coup": 10, "prison": 12}
    with pytest.raises(Exception, match="unknown pool 'prisons'"):
        parse_plan("prisons=3")
