"""The defection frame (basira/data/defection_frame.toml, basira/analysis/frames.py): what a defection word is about.

Every sentence below that the frame drops holds a military, security, state or armed-group word, so the context rule
alone would have kept it: the frame is what decides."""

import pytest

from basira.analysis import analyze_article
from basira.model import Sentence
from basira.normalize import normalize_text

TOPIC = "defected_officers"


def one(text: str) -> list[Sentence]:
    return [Sentence(0, 0, 0, len(text), text, normalize_text(text))]


def evidence(text: str) -> list[str]:
    """The defection terms that count in a one-sentence article."""
    return [e.term for t in analyze_article(one(text)).topics if t.topic == TOPIC for e in t.evidence]


@pytest.mark.parametrize(
    "text, expected",
    [
        # what was left: the army, the regime, a security service or an armed group
        ("انشق العقيد عن الجيش السوري والتحق بالمعارضة", ["انشق"]),
        ("أعلن قائد الكتيبة انشقاقه عن هيئة تحرير الشام", ["انشقاق"]),
        ("انشق ثلاثة مقاتلين عن حزب الله في القلمون", ["انشق"]),
        ("أعلن السفير انشقاقه عن النظام", ["انشقاق"]),
        ("قاد الرجلان تيار المنشقين عن « جبهة النصرة » بعد فك الارتباط", ["منشق"]),
        # a party, a movement, a coalition, a parliamentary bloc, society, a religious split, dissidents
        ("انشق القيادي عن التيار الصدري بعد خلاف مع قيادة الجيش", []),
        ("أعلن عشرات الأعضاء انشقاقهم عن الائتلاف الوطني بعد لقاء وزير الخارجية", []),
        ("تشهد الكتلة البرلمانية انشقاقات بعد التصويت على موازنة الجيش", []),
        ("تعزز بكين المراقبة على المنشقين السياسيين وتستعين بالشرطة", []),
        ("حذر الوزير من خطر الانشقاق الطائفي", []),
        ("قالت الشرطة إن منشقا صينيا اعتقل", []),
        ("انشقاق وتفكك ضمن صفوف أنصار الثورة أكبر من كل محاولات النظام", []),
        # the noun before a participle decides before an adjective after it
        ("أعلن ضباط منشقون أكراد تشكيل كتيبة جديدة", ["منشق"]),
        ("قال الناطق الإعلامي المنشق إن مجلس الرقة العسكري تسلم الأسلحة", ["منشق"]),
    ],
)
def test_what_was_left(text, expected):
    assert evidence(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # called for, encouraged, wished, refused, hypothetical, denied, predicted after the word
        ("دعت المعارضة الضباط إلى الانشقاق عن الجيش", []),
        ("حث وزير الدفاع الجنود على عدم الانشقاق", []),
        ("يتمنى كثير من الموظفين الانشقاق عن النظام", []),
        ("رفض العقيد الانشقاق عن الجيش رغم الضغوط", []),
        ("لو انشق الضباط لانهار الجيش", []),
        ("إذا انشق أي جندي فإن المخابرات تلاحق عائلته", []),
        ("لم ينشق أي ضابط من الفرقة الرابعة", []),
        ("هناك انشقاقات ستحدث قريبا في صفوف التنظيم", []),
        ("وتراهن تركيا على حصول انشقاقات داخل هيئة تحرير الشام", []),
        # reported: a negated modal, "قد" before the past, "لم" not next to the word, an attempt, a participle
        ("لم يمنع ذلك بعض مقاتليها من الانشقاق عنها والانضمام إلى داعش", ["انشقاق"]),
        ("قد انشق العقيد عن الجيش قبل عامين", ["انشق"]),
        ("لم يمض شهر على انشقاقه عن الجيش", ["انشقاق"]),
        ("اتهمته المحكمة العسكرية بمحاولة الانشقاق عن الجيش", ["انشقاق"]),
        ("يخشى الضباط المنشقون على عائلاتهم من انتقام المخابرات", ["منشق"]),
        ("أقنع القيادي بعض العناصر بالانشقاق عن الكتيبة", ["انشقاق"]),
    ],
)
def test_reported_or_not(text, expected):
    assert evidence(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the return, settlement or appointment of defectors counts, without a soldier word in the sentence
        ("بدأت تسوية أوضاع المنشقين في درعا", ["منشق"]),
        ("الذين انشقوا عادوا بشكل كبير", ["انشق"]),
        ("عين الرئيس العميد المنشق قائدا للفرقة", ["منشق"]),
        ("دعا الائتلاف الضباط المنشقين إلى العودة", ["الضباط المنشقين"]),
        # deserters and fighters who fled their group
        ("صدر عفو عن الفارين من الخدمة العسكرية", ["الفار من الخدمه"]),
        ("يضم الجنود الفارين من الجيش النظامي", ["الفار من الجيش"]),
        ("حمل أهالي العسكريين الذين فروا من جبهات القتال السلاح", ["فروا من جبهات القتال"]),
        ("كنت أتواصل معه خلال فراره من الجماعة المسلحة", ["فرار من الجماعه"]),
        # the return of splits to a party is not
        ("عودة الانشقاقات إلى الحزب الحاكم بعد إقالة وزير الداخلية", []),
        # without a frame word and without context, nothing changes: still not a defection
        ("بدأت أوضاع المنشقين تتحسن", []),
    ],
)
def test_reintegration_and_desertion(text, expected):
    assert evidence(text) == expected


def test_frame_file_is_part_of_the_taxonomy_version(tmp_path):
    from basira.analysis.doc import Scanner, prepare_doc
    from basira.analysis.topics import load_taxonomy, tag_topics

    (tmp_path / "frame.toml").write_text('in_scope = ["الجيش"]\nout_of_scope = ["الحزب"]\nlinks = ["عن"]\n',
                                         encoding="utf-8")
    path = tmp_path / "taxonomy.toml"
    path.write_text('version = "t"\n[[topic]]\nid = "x"\nterms = ["انشق"]\nframe = "frame.toml"\n', encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert list(taxonomy.frames) == ["x"]

    def found(text: str, taxonomy=taxonomy) -> list[str]:
        scanner = Scanner()
        taxonomy.register(scanner)
        doc = prepare_doc(one(text), None)
        scanner.scan(doc)
        return [e.term for t in tag_topics(taxonomy, doc) for e in t.evidence]

    assert found("انشق عن الجيش") == ["انشق"]
    assert found("انشق عن الحزب") == []
    assert found("انشق عن النقابة") == ["انشق"]  # not listed: undecided, and this topic has no context rule
    before = taxonomy.version
    (tmp_path / "frame.toml").write_text('out_of_scope = ["النقابة"]\nlinks = ["عن"]\n', encoding="utf-8")
    changed = load_taxonomy(path)
    assert changed.version != before and changed.version.startswith("topics-t+")
    assert found("انشق عن النقابة", changed) == [] and found("انشق عن الحزب", changed) == ["انشق"]


@pytest.mark.parametrize("text", ["انشق العقيد عن الجيش ", "انشق ", " انشق", "انشق .", ". انشق", "«انشق»"])
def test_clause_edges_do_not_break(text):
    # a text ending in a space leaves an empty token at its very end; the clause walk must stop there
    topics = {t.topic for t in analyze_article(one(text), text).topics}
    assert (TOPIC in topics) == (text == "انشق العقيد عن الجيش ")
