"""One entity per name however it is written: "عبدالله"/"عبد الله", "ابوبكر"/"أبو بكر" (issue #3)."""

import pytest

from basira.analysis.entities import GazetteerRecognizer
from basira.analysis.transliterate import joined_spelling, standard_spelling
from basira.model import Sentence
from basira.normalize import normalize_text


@pytest.fixture(scope="module")
def recognizer() -> GazetteerRecognizer:
    return GazetteerRecognizer()


def sents(*texts: str) -> list[Sentence]:
    return [Sentence(i, 0, 0, len(t), t, normalize_text(t)) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    "joined, spaced",
    [
        ("محمد بن عبدالله", "محمد بن عبد الله"),
        ("خالد العبدالله", "خالد العبد الله"),
        ("مركز الملك عبدالعزيز", "مركز الملك عبد العزيز"),
        ("وايل ابوفاعور", "وايل ابو فاعور"),
        ("عمرو ابوالعطا", "عمرو ابو العطا"),
        ("ابوبكر", "ابو بكر"),
    ],
)
def test_spellings_fold_both_ways(joined, spaced):
    assert (standard_spelling(joined), joined_spelling(spaced)) == (spaced, joined)


@pytest.mark.parametrize("name", ["ابوين", "عبد", "ابو", "عبدي", "حسن عبدو", "ابوها"])
def test_words_that_are_no_compound_stay_whole(name):
    assert (standard_spelling(name), joined_spelling(name)) == (name, name)


@pytest.mark.parametrize(
    "joined, spaced, expected",
    [
        # a learned name, a rule-found family name, a kunya, an institution named after a king; a name the
        # gazetteer does not know is named as each text writes it (the store shows the commonest spelling)
        ("قال العميد محمد بن عبدالله إن", "قال العميد محمد بن عبد الله إن",
         [("per:mhmd_bn_bd_al_lh", "محمد بن عبد الله", "Mohammed bin Abdullah")] * 2),
        ("وقال العميد خالد العبدالله إن", "وقال العميد خالد العبد الله إن",
         [("per:khald_al_bd_al_lh", "خالد العبد الله", "Khaled al-Abdullah")] * 2),
        ("وقال النائب وائل ابوفاعور إن", "وقال النائب وائل أبو فاعور إن",
         [("per:wayl_abu_fawr", "وائل ابو فاعور", "Wael Abu Fa'wr"),
          ("per:wayl_abu_fawr", "وائل أبو فاعور", "Wael Abu Fa'wr")]),
        ("وأعلن مركز الملك عبدالعزيز للحوار", "وأعلن مركز الملك عبد العزيز للحوار",
         [("org:mrkz_al_mlk_bd_al_ziz", "مركز الملك عبد العزيز", "Mrkz al-Mlk Abdulaziz")] * 2),
        # a curated name listed with one spelling only is found written the other way
        ("وقال ابوبكر البغدادي إن", "وقال أبو بكر البغدادي إن",
         [("per:abu_bakr_al_baghdadi", "أبو بكر البغدادي", "Abu Bakr al-Baghdadi")] * 2),
    ],
)
def test_both_spellings_are_one_entity(recognizer, joined, spaced, expected):
    found = [[(m.entity_key, m.canonical, m.latin) for m in recognizer.recognize(sents(text))]
             for text in (joined, spaced)]
    assert found == [[row] for row in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the family name alone, written as one word, is still the person ("الله" alone is not)
        ("قال العميد خالد العبد الله إن الوضع صعب || وأضاف العبدالله أن الله كريم",
         [("خالد العبد الله", "rule:title"), ("العبدالله", "alias:surname")]),
        # the kunya alone, either way, is the person it ends
        ("قال العميد يونس أبو يعقوب إن الوضع صعب || وأضاف ابويعقوب أن || وقال أبو يعقوب إن",
         [("يونس ابو يعقوب", "rule:title"), ("ابويعقوب", "alias:surname"), ("ابو يعقوب", "alias:surname")]),
        # the noun of the kunya alone is somebody else
        ("قال ماهر فروانة أبو محمد إن الوضع صعب || وأضاف محمد أن",
         [("ماهر فروانه ابو محمد", "rule:given_name"), ("محمد", "rule:lone_given")]),
    ],
)
def test_family_name_and_kunya_alone(recognizer, text, expected):
    mentions = recognizer.recognize(sents(*text.split(" || ")))
    assert [(m.surface, m.method) for m in mentions if m.entity_type == "PER"] == expected


_FILLER = " || وتواصلت الاشتباكات في المنطقة || وأفادت المصادر بسقوط قتلى || وتحدث الأهالي عن نزوح واسع"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a list that names again two people named before supports each given name, however far back ...
        ("اعتقلت القوات الناشط أحمد الخطيب والصحفي سامر العلي" + _FILLER + " || وأفرج عن أحمد وسامر ومحمود",
         [("احمد الخطيب", "rule:title"), ("سامر العلي", "rule:title"), ("احمد", "alias:given"),
          ("وسامر", "alias:given"), ("ومحمود", "rule:lone_given")]),
        ("اعتقلت القوات أحمد الخطيب وسامر العلي" + _FILLER + " || وأفرج عن أحمد ، سامر و محمود",
         [("احمد الخطيب", "rule:given_name"), ("وسامر العلي", "rule:given_name"), ("احمد", "alias:given"),
          ("سامر", "alias:given"), ("محمود", "rule:lone_given")]),
        # ... not one known name in a list, nor a list before the people it would name
        ("اعتقلت القوات الناشط أحمد الخطيب" + _FILLER + " || وأفرج عن أحمد وسامر",
         [("احمد الخطيب", "rule:title"), ("احمد", "rule:lone_given"), ("وسامر", "rule:lone_given")]),
        ("قتل أبناء الضابط وهم أحمد وسامر" + _FILLER + " || وقتل أقاربه أحمد الخطيب وسامر العلي",
         [("احمد", "rule:lone_given"), ("وسامر", "rule:lone_given"), ("احمد الخطيب", "rule:given_name"),
          ("وسامر العلي", "rule:given_name")]),
        # a curated name written with hamza or alef maqsura ("أحمد الشرع", "مقتدى الصدر") is found by its given name
        ("قال الرئيس أحمد الشرع إن الوضع صعب || وأضاف أحمد أن",
         [("احمد الشرع", "gazetteer"), ("احمد", "alias:given")]),
        ("والتقى عمار الحكيم ومقتدى الصدر || وتحدث عمار ومقتدى",
         [("عمار الحكيم", "gazetteer"), ("ومقتدي الصدر", "gazetteer"), ("عمار", "alias:given"),
          ("ومقتدي", "alias:given")]),
    ],
)
def test_given_names_in_lists_and_of_curated_people(recognizer, text, expected):
    mentions = recognizer.recognize(sents(*text.split(" || ")))
    assert [(m.surface, m.method) for m in mentions if m.entity_type == "PER"] == expected
