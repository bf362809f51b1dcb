from pathlib import Path

import pytest

from basira.analysis import analyze_article
from basira.analysis.entities import GazetteerRecognizer, Recognizer
from basira.analysis.segment import simple_split
from basira.analysis.transliterate import SPELLINGS_FILE, skeleton, spelling_rows, transliterate
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


@pytest.mark.parametrize(
    "arabic, latin",
    [
        ("محمود", "Mahmoud"),  # the spelling table
        ("الدالاتي", "al-Dalati"),  # read off the gazetteer's "Ahmed al-Dalati"
        ("خالد العبد الله", "Khaled al-Abdullah"),  # a two-word entry
        ("عبد الحليم خدام", "Abdulhalim Khaddam"),
        ("عبد الغفور الأحمد", "Abd al-Ghfur al-Ahmed"),  # unknown "عبد ال…" compound; "ال" + a known given name
        ("أسامة بن لادن", "Osama bin Laden"),  # particles
        ("أبو محمد الجولاني", "Abu Mohammed al-Julani"),
        ("مروان حداد", "Marwan Hdad"),  # an unknown word keeps the skeleton
    ],
)
def test_transliterate(arabic, latin):
    assert transliterate(normalize_text(arabic)) == latin


@pytest.mark.parametrize(
    "arabic, latin",
    [("محمود", "Mhmud"), ("الدالاتي", "al-Dalati"), ("خالد العبد الله", "Khald al-Bd al-Lh"), ("أبو محمد", "Abu Mhmd")],
)
def test_skeleton_is_unchanged_by_the_spelling_table(arabic, latin):
    # entity keys are minted from it: a change here would re-key stored entities and break shared links
    assert skeleton(normalize_text(arabic)) == latin


def test_spelling_table_has_one_spelling_per_normalised_name():
    rows = spelling_rows(SPELLINGS_FILE)
    spelled: dict[str, set[str]] = {}
    for arabic, latin in rows:
        spelled.setdefault(arabic, set()).add(latin)
    assert {a: s for a, s in spelled.items() if len(s) > 1} == {}
    assert all(latin.isascii() and latin for _, latin in rows)


def test_rule_found_person_keeps_skeleton_key_and_reads_in_news_spelling(recognizer):
    mentions = recognizer.recognize(sents("قال العميد خالد العبد الله إن الشحنة ضبطت"))
    assert [(m.entity_key, m.latin) for m in mentions if m.entity_type == "PER"] == [
        ("per:khald_al_bd_al_lh", "Khaled al-Abdullah")
    ]


def test_second_half_of_a_compound_name_is_not_a_surname_alias(recognizer):
    # "الله" of "العبد الله" alone is not the person (it was, and underlined every "الله" after the name)
    mentions = recognizer.recognize(sents("قال العميد خالد العبد الله إن الشحنة ضبطت", "وأضاف العبد الله أن الله كريم"))
    assert [m.surface for m in mentions if m.entity_type == "PER"] == [normalize_text("خالد العبد الله")]


# --- rules added for ANERcorp-style names (no model; each row is one behaviour) ---------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        # a conjunction starts the next name; both keep their own span
        ("وقال فيصل ملكاوي وغيث الطراونة إن الفريق جاهز", {("PER", "فيصل ملكاوي"), ("PER", "وغيث الطراونة")}),
        # "علي" written without alef maqsura is still a name before a name-like word ...
        ("قال علي حسن إن الاجتماع انتهى", {("PER", "علي حسن")}),
        # ... but not before an ordinary word (ANERcorp writes the preposition على as علي)
        ("وافق المجلس علي الاتفاق الجديد", set()),
        # a title, a nationality adjective, a foreign given name and an ordinary word as surname
        ("وصرح اللاعب البرازيلي دودو سيلفا بأن الفريق جاهز", {("PER", "دودو سيلفا")}),
        # an ordinary word after a two-word name ends it
        ("قال طه حسين باحث في التاريخ", {("PER", "طه حسين")}),
        # a kunya may end with a nisba
        ("وقال أبو حمزة المصري في خطبته", {("PER", "أبو حمزة المصري")}),
        # the lone subject of a speech verb, when it is not an ordinary word
        ("وأضاف كوزلوفسكي أن الوضع هادئ", {("PER", "كوزلوفسكي")}),
        # "باسم" after a spokesman is "in the name of", not the given name Basem
        ("وقال المتحدث باسم الجيش إن", set()),
        # a place named after a person is not a person mention
        ("وصل الوفد إلى مطار محمد الخامس", set()),
        # titles stay outside gazetteer person spans
        ("استقبل الملك عبدالله الثاني الوفد", {("PER", "عبدالله الثاني")}),
        ("قال الرئيس الصومالي عبد الله يوسف إن", {("PER", "عبد الله يوسف")}),
    ],
)
def test_person_rules(recognizer, text, expected):
    got = {(m.entity_type, m.surface) for m in recognizer.recognize(sents(text)) if m.entity_type == "PER"}
    assert got == {(t, normalize_text(s)) for t, s in expected}


@pytest.mark.parametrize(
    "text, etype, surface",
    [
        # descriptor heads and trailing nationality adjectives stay outside organisation names
        ("نقلت قناة الجزيرة عن مصادر", "ORG", "الجزيرة"),
        ("أعلنت حركة حماس رفضها", "ORG", "حماس"),
        ("قال حزب الله اللبناني في بيان", "ORG", "حزب الله"),
        # a rule extends a gazetteer name with an adjective, never with a following verb
        ("أصدرت وزارة الداخلية العراقية بيانا", "ORG", "وزارة الداخلية العراقية"),
        ("إن حزب الله ينال من مقام المطارنة", "ORG", "حزب الله"),
        ("أعلن تنظيم القاعدة مسؤوليته", "ORG", "تنظيم القاعدة"),
        # a place name after a head is one word unless the next is itself a place word
        ("قتل ثلاثة في مدينة رفح جنوب قطاع غزة", "LOC", "رفح"),
    ],
)
def test_organisation_and_place_spans(recognizer, text, etype, surface):
    got = {(m.entity_type, m.surface) for m in recognizer.recognize(sents(text))}
    assert (etype, normalize_text(surface)) in got


@pytest.mark.parametrize(
    "text",
    [
        "قصفت الطائرات القاعدة العسكرية",  # the base, not al-Qaeda
        "الهجري القمري الجديد فلكيا",  # ف+ل+"كيا": a three-letter name takes no preposition
    ],
)
def test_no_organisation(recognizer, text):
    assert not [m for m in recognizer.recognize(sents(text)) if m.entity_type == "ORG"]


def test_long_gazetteer_names_match_whole():
    # names of more than five words used to be cut to their first part
    text = "قالت المفوضية السامية للأمم المتحدة لشؤون اللاجئين إن"
    got = {(m.entity_key, m.surface) for m in analyze_article(sents(text)).mentions}
    assert ("org:unhcr", normalize_text("المفوضية السامية للأمم المتحدة لشؤون اللاجئين")) in got


def test_gazetteer_phrase_does_not_cross_punctuation(recognizer):
    got = {m.entity_key for m in recognizer.recognize(sents("اجتمع مجلس، الأمن الداخلي"))}
    assert "org:unsc" not in got


def test_mention_offsets_point_into_text_norm_of_each_sentence(recognizer):
    sentences = sents("زار الوفد دمشق", "ثم عاد إلى حلب بعد أن زار حمص")
    for m in recognizer.recognize(sentences):
        assert sentences[m.seq].text_norm[m.start : m.end] == m.surface


def test_title_offsets_use_seq_minus_one():
    analysis = analyze_article(sents("وصل الوفد"), title="زيارة إلى دمشق")
    loc = [m for m in analysis.mentions if m.entity_key == "loc:damascus"]
    assert loc and loc[0].seq == -1 and normalize_text("زيارة إلى دمشق")[loc[0].start : loc[0].end] == loc[0].surface


def test_fast_records_equal_normal_construction():
    from basira.analysis.records import evidence, mention
    from basira.model import EntityMention, TopicEvidence

    m = mention("loc:damascus", "LOC", "دمشق", "Damascus", "دمشق", 3, 4, 8, "gazetteer")
    assert m == EntityMention("loc:damascus", "LOC", "دمشق", "Damascus", "دمشق", 3, 4, 8, "gazetteer")
    assert hash(m) == hash(EntityMention("loc:damascus", "LOC", "دمشق", "Damascus", "دمشق", 3, 4, 8, "gazetteer"))
    e = evidence("prisons", -1, "سجن", 0, 3)
    assert e == TopicEvidence("prisons", -1, "سجن", 0, 3) and repr(e) == repr(TopicEvidence("prisons", -1, "سجن", 0, 3))
