from pathlib import Path

import pytest

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


def _quotes(*texts: str, paragraphs: list[int] | None = None):
    paragraphs = paragraphs or [0] * len(texts)
    sentences = [Sentence(i, paragraphs[i], 0, len(t), t, normalize_text(t)) for i, t in enumerate(texts)]
    # a speaker no entity names is stored by the words that name them: "role:" + those words (as written)
    return [(q.speaker_key or "role:" + q.speaker_surface, q.quote, q.seq) for q in analyze_article(sentences).quotations]


def test_speaker_after_role_chain():
    got = _quotes("وقال وزير الخارجية الروسي سيرغي لافروف «إن الحل السياسي هو الطريق الوحيد»")
    assert got == [("per:sergey_lavrov", "إن الحل السياسي هو الطريق الوحيد", 0)]


def test_participle_continues_the_speaker_in_the_next_sentence():
    got = _quotes("قال العميد أحمد الدالاتي إن «القوات دخلت المدينة بالكامل»", "مضيفا «لا توجد مقاومة تذكر هناك»")
    assert [g[0] for g in got] == ["per:ahmed_al_dalati", "per:ahmed_al_dalati"] and got[1][2] == 1


def test_speaker_is_forgotten_paragraphs_later():
    got = _quotes("قال العميد أحمد الدالاتي إن «القوات دخلت المدينة بالكامل»", "نص آخر", "فقرة ثالثة",
                  "مضيفا «لا توجد مقاومة تذكر هناك»", paragraphs=[0, 1, 2, 3])
    assert len(got) == 1


LAVROV = "قال سيرغي لافروف إن «الحل السياسي هو الطريق الوحيد»"
LAVROV_QUOTE = ("per:sergey_lavrov", "الحل السياسي هو الطريق الوحيد", 0)


# A speech verb followed by a subject the gazetteer does not know (a definite noun, "مصدر", "أحد") names someone
# else: the name just before the verb and the last speaker are both wrong. The quotation is stored with no entity,
# its speaker the words after the verb (before quotes20 it was not stored at all).
@pytest.mark.parametrize("texts, expected", [
    # the name before the verb ends another clause; the authorities speak
    (("التقى أردوغان وزيرا وأعلنت السلطات التركية أن «العملية العسكرية ستستمر حتى النهاية»",),
     [("role:السلطات التركية", "العملية العسكرية ستستمر حتى النهاية", 0)]),
    (("التقى أردوغان وزيرا وأعلن الجيش التركي أن «العملية العسكرية ستستمر حتى النهاية»",),
     [("org:turkish_army", "العملية العسكرية ستستمر حتى النهاية", 0)]),
    (("وقال أردوغان إن «الاتهامات ضد تركيا لا أساس لها»",),
     [("per:recep_tayyip_erdogan", "الاتهامات ضد تركيا لا أساس لها", 0)]),
    # a definite subject that is a known name is the speaker
    (("وقال الرئيس رجب طيب أردوغان «الاتهامات ضد تركيا لا أساس لها»",),
     [("per:recep_tayyip_erdogan", "الاتهامات ضد تركيا لا أساس لها", 0)]),
    # a new unnamed subject does not continue the last speaker; a participle after it continues the new one
    ((LAVROV, "وقال مصدر آخر إن «الاجتماع لم يحقق أي تقدم يذكر»", "مضيفا «لا موعد للجولة المقبلة بعد»"),
     [LAVROV_QUOTE, ("role:مصدر آخر", "الاجتماع لم يحقق أي تقدم يذكر", 1),
      ("role:مصدر آخر", "لا موعد للجولة المقبلة بعد", 2)]),
    ((LAVROV, "ورأى اللقاء أن «الأزمة أعمق من استقالة الحكومة»"),
     [LAVROV_QUOTE, ("role:اللقاء", "الأزمة أعمق من استقالة الحكومة", 1)]),
    ((LAVROV, "وقال أحد المواطنين «كنت أقود سيارة أجرة حين وقع الانفجار»"),
     [LAVROV_QUOTE, ("role:أحد المواطنين", "كنت أقود سيارة أجرة حين وقع الانفجار", 1)]),
    # a time word after the verb is no subject: the speaker goes on
    ((LAVROV, "وأضاف الأربعاء أن «المحادثات ستستمر في جنيف»"),
     [LAVROV_QUOTE, ("per:sergey_lavrov", "المحادثات ستستمر في جنيف", 1)]),
    ((LAVROV, "وأشار إلى «أن المحادثات ستستمر في جنيف»"),
     [LAVROV_QUOTE, ("per:sergey_lavrov", "أن المحادثات ستستمر في جنيف", 1)]),
    ((LAVROV, "وأضاف أن «المحادثات ستستمر في جنيف»"),
     [LAVROV_QUOTE, ("per:sergey_lavrov", "المحادثات ستستمر في جنيف", 1)]),
])
def test_unnamed_subject_after_the_verb(texts: tuple[str, ...], expected: list[tuple[str, str, int]]):
    assert _quotes(*texts) == expected


# A name in quotation marks is no quotation: a few words starting with a name's head ("حزب", "مجموعة", "دولة") or
# mostly covered by entity mentions. The sentence still reports its speaker, who goes on in the next sentence.
@pytest.mark.parametrize("texts, expected", [
    (('وقال أردوغان إن "حزب العدالة والتنمية" سيفوز',), []),
    (("وقال لافروف إن «مجموعة الأزمات الدولية» أخطأت",), []),
    (("وأكد أردوغان أن «دولة العراق الإسلامية» انتهت",), []),
    (("وقال أردوغان إن «قوات سوريا الديمقراطية» إرهابية",), []),  # no head word: the mention covers it
    # the speaker of the name's sentence goes on speaking
    (("وقال أردوغان إن «وحدات حماية الشعب» تهدد تركيا", "وأضاف : «عبرنا عن استيائنا من تزويدها بالأسلحة»"),
     [("per:recep_tayyip_erdogan", "عبرنا عن استيائنا من تزويدها بالأسلحة", 1)]),
    # short quotations that are said stay
    (("وقال أردوغان إن «العملية العسكرية مستمرة»",), [("per:recep_tayyip_erdogan", "العملية العسكرية مستمرة", 0)]),
    (("وقال أردوغان «عملية التطهير مستمرة»",), [("per:recep_tayyip_erdogan", "عملية التطهير مستمرة", 0)]),
    (("وقال أردوغان إن «حزب الله يقاتل في سوريا منذ سنوات طويلة»",),  # a head, but six words: said
     [("per:recep_tayyip_erdogan", "حزب الله يقاتل في سوريا منذ سنوات طويلة", 0)]),
])
def test_a_name_in_quotes_is_not_a_quotation(texts: tuple[str, ...], expected: list[tuple[str, str, int]]):
    assert _quotes(*texts) == expected


# A speaker the gazetteer does not know is stored by the words after the verb, up to the quote, punctuation, a
# complementiser, a participle or "في"/"ل" + a medium (real phrasings of the corpus; quotes20).
@pytest.mark.parametrize("texts, expected", [
    (("وقال مصدر أمني لـ«الشرق الأوسط» إن «العملية العسكرية مستمرة حتى النهاية»",),
     [("role:مصدر أمني", "العملية العسكرية مستمرة حتى النهاية", 0)]),
    (("وقال مسؤول كبير في الادارة الامريكية طلب عدم كشف هويته أن تفاصيل هذه المنطقة «يجب أن تحدد».",),
     [("role:مسؤول كبير في الادارة الامريكية", "يجب أن تحدد", 0)]),
    (("أكد مسؤول في الوزارة، طلب عدم ذكر اسمه، أن «الاجتماع لم يحقق أي تقدم يذكر»",),
     [("role:مسؤول في الوزارة", "الاجتماع لم يحقق أي تقدم يذكر", 0)]),
    (('وقال المصدر في حديث الى ( المدى برس ) , إن " الحصيلة النهائية بلغت 11 قتيلا و 29 جريحا " .',),
     [("role:المصدر", "الحصيلة النهائية بلغت 11 قتيلا و 29 جريحا", 0)]),
    (('وأشار وزير الخارجية الكندي إلى أن قضية القدس يمكن حلها " فقط كجزء من التسوية العامة للنزاع " .',),
     [("role:وزير الخارجية الكندي", "فقط كجزء من التسوية العامة للنزاع", 0)]),
    (('وقال أحد سكان مونتروي طالبا عدم كشف هويته " قرع جرس الشقة ليل السبت " .',),
     [("role:أحد سكان مونتروي", "قرع جرس الشقة ليل السبت", 0)]),
    (("وقال قائد الفصيل أبو خالد لوكالة الأناضول إن «المعارك مستمرة على جبهة حماة»",),
     [("role:قائد الفصيل أبو خالد", "المعارك مستمرة على جبهة حماة", 0)]),
    (("وأكد الجيش الأحد، أنه «بعد التثبت» لا توجد قرى في محيط المناطق التي تستهدف «حصرا مخابئ يستخدمها الإرهابيون»",),
     [("role:الجيش", "حصرا مخابئ يستخدمها الإرهابيون", 0)]),
    # a verb whose next word is its object names no speaker
    (("ودعا الأطراف إلى الحوار قائلا «لا حل عسكريا للأزمة السورية»",), []),
])
def test_a_speaker_no_entity_names_is_stored_by_its_words(texts: tuple[str, ...], expected: list[tuple[str, str, int]]):
    assert _quotes(*texts) == expected


# A quote may hold a quoted name: «...«...»...», and ASCII marks, which open and close alike, by their shape and
# the word before them (corpus sentences; quotes20).
@pytest.mark.parametrize("texts, expected", [
    (('ويرى الباحث م لا رشيد , أن " تصريحات النظام الأخيرة ضد المعارضة السورية و " قوات سوريا الديمقراطية " جزء من '
      'محاولته فرض نفسه كقوة مسيطرة .',),
     [("role:الباحث م لا رشيد", 'تصريحات النظام الأخيرة ضد المعارضة السورية و " قوات سوريا الديمقراطية " جزء من '
       'محاولته فرض نفسه كقوة مسيطرة .', 0)]),
    (('أكدت السلطات السورية، امس الخميس، "دعمها مبادرة الرئيس الروسي لمحاربة "الارهاب "، بعد محادثات مشتركة.',),
     [("role:السلطات السورية", 'دعمها مبادرة الرئيس الروسي لمحاربة "الارهاب', 0)]),
    (('وقال أردوغان " بفضل تركيا إستطاعت هولندا إبعاد حزب " الحرية " اليميني القومي من السلطة " , فما الذي ستقوله',),
     [("per:recep_tayyip_erdogan", 'بفضل تركيا إستطاعت هولندا إبعاد حزب " الحرية " اليميني القومي من السلطة', 0)]),
    (('وقال أردوغان: "أكدنا مع أوباما صمودنا في الحرب ضد تنظيم "داعش"، وتنظيم بي كيه كيه " الإرهابيين".',),
     [("per:recep_tayyip_erdogan", 'أكدنا مع أوباما صمودنا في الحرب ضد تنظيم "داعش"، وتنظيم بي كيه كيه', 0)]),
    (("وقال أردوغان: «عندما تصل إلى «تشيلي» من حيث أتيت، سأروي لوالدتي»",),
     [("per:recep_tayyip_erdogan", "عندما تصل إلى «تشيلي» من حيث أتيت، سأروي لوالدتي", 0)]),
    # two marks nest when the second opens: the sentence was cut inside the quote ("سي . إن . إن")
    (('وقال أردوغان , " خلافا لما نشرته شبكة " سي .',), [("per:recep_tayyip_erdogan", 'خلافا لما نشرته شبكة " سي .', 0)]),
    # spaced marks with no name word before them still close: two quotes
    (('وقال أردوغان " العملية العسكرية مستمرة " و " لن نتراجع عنها أبدا " .',),
     [("per:recep_tayyip_erdogan", "العملية العسكرية مستمرة", 0),
      ("per:recep_tayyip_erdogan", "لن نتراجع عنها أبدا", 0)]),
])
def test_a_quote_holding_a_quoted_name(texts: tuple[str, ...], expected: list[tuple[str, str, int]]):
    assert _quotes(*texts) == expected


# The subject of a speech verb ends at "إن"/"أن", a relative, a participle or "في"/"ل" + a medium: a name after that
# is the outlet, the addressee or inside what is said, not the speaker (corpus phrasings; quotes20). A stop word that
# starts a name ("بان كي مون", not "بأن") ends nothing.
@pytest.mark.parametrize("texts, expected", [
    (('وقال الرئيس السوري بشار الأسد لصحيفة " الصندي تايمز " البريطانية إن " لا مستحيل في السياسة أبدا " .',),
     [("per:bashar_al_assad", "لا مستحيل في السياسة أبدا", 0)]),
    (('وقال بان كي مون للصحافيين في جنيف : " يمكنني القول ان وقف الأعمال العدائية صامد " .',),
     [("per:ban_ki_moon", "يمكنني القول ان وقف الأعمال العدائية صامد", 0)]),
    (('وقال مصدر عسكري سوري ل - " سبوتنيك " إن " مسلحي " جبهة النصرة " طلبوا إخلاء مواقعهم من قريتي بيت جن " .',),
     [("role:مصدر عسكري سوري", "طلبوا إخلاء مواقعهم من قريتي بيت جن", 0)]),
    ((LAVROV, 'وأضاف في مؤتمر صحفي مشترك مع الرئيس الروسي فلاديمير بوتين أن " عملية التوصل إلى حل تعتمد على موقف '
              'الحكومة " .'),
     [LAVROV_QUOTE, ("per:sergey_lavrov", "عملية التوصل إلى حل تعتمد على موقف الحكومة", 1)]),    # a lone "لـ" followed by a person is "of": "رئيس المكتب السياسي لـ«حماس» موسى أبو مرزوق"
    (('وأكد رئيس المكتب السياسي ل - " حماس " , موسى أبو مرزوق , موافقة حركته على " إجراء الانتخابات اليوم قبل الغد " .',),
     [("per:mousa_abu_marzouk", "إجراء الانتخابات اليوم قبل الغد", 0)]),
    (('وقال أحد السكان ويدعى بشار الأسد " الله ينتقم من الجميع هنا " .',),
     [("per:bashar_al_assad", "الله ينتقم من الجميع هنا", 0)]),
    # "إلى" ends the words shown for a role, not a subject that goes on to a name
    (('وحذر المبعوث الأممي إلى سوريا ستيفان دي ميستورا من أن " تأجيل المفاوضات يهدد وقف إطلاق النار " .',),
     [("per:staffan_de_mistura", "تأجيل المفاوضات يهدد وقف إطلاق النار", 0)]),
])
def test_the_outlet_and_the_addressee_are_not_the_speaker(texts: tuple[str, ...], expected: list[tuple[str, str, int]]):
    assert _quotes(*texts) == expected


@pytest.mark.parametrize(
    "texts, expected",
    [
        # the article names who holds the office before the role speaks (round 21, review of the real store)
        (('التقى الرئيس السوري بشار الأسد الوفد.', 'وقال رئيس الجمهورية "إن الوضع جيد جدا اليوم".'),
         [("per:bashar_al_assad", "إن الوضع جيد جدا اليوم", 1)]),
        (('وصل وزير الداخلية السوري أنس خطاب إلى حلب.', 'وقال الوزير إن "الأمن مستتب في المدينة كلها".'),
         [("per:anas_khattab", "الأمن مستتب في المدينة كلها", 1)]),
        (('وصل وزير الداخلية السوري أنس خطاب إلى حلب.', 'وقال وزير الداخلية "إن الأمن مستتب في المدينة".'),
         [("per:anas_khattab", "إن الأمن مستتب في المدينة", 1)]),
        (('التقى الرئيس التركي رجب طيب أردوغان الوفد.', 'وقال الرئيس التركي "إن الوضع جيد جدا اليوم".'),
         [("per:recep_tayyip_erdogan", "إن الوضع جيد جدا اليوم", 1)]),
        # another qualifier is another office holder
        (('التقى الرئيس الروسي فلاديمير بوتين الوفد.', 'وقال الرئيس التركي "إن الوضع جيد جدا اليوم".'),
         [("role:الرئيس التركي", "إن الوضع جيد جدا اليوم", 1)]),
        # two presidents named: the bare office is either
        (('التقى الرئيس الروسي فلاديمير بوتين نظيره الرئيس التركي رجب طيب أردوغان.',
          'وقال الرئيس "إن الوضع جيد جدا اليوم".'),
         [("role:الرئيس", "إن الوضع جيد جدا اليوم", 1)]),
        # "الرئيس" is an office of its own, not the prime minister's head
        (('التقى رئيس الوزراء سعد الحريري الوفد.', 'وقال الرئيس "إن الوضع جيد جدا اليوم".'),
         [("role:الرئيس", "إن الوضع جيد جدا اليوم", 1)]),
        # nobody named: nothing from outside the article
        (('وقال وزير الداخلية "إن الوضع جيد جدا اليوم".',), [("role:وزير الداخلية", "إن الوضع جيد جدا اليوم", 0)]),
        # named only after the quote: not resolved backwards
        (('وقال وزير الدفاع "إن الوضع جيد جدا اليوم".', 'وكان وزير الدفاع التركي خلوصي أكار قد زار المنطقة.'),
         [("role:وزير الدفاع", "إن الوضع جيد جدا اليوم", 0)]),
    ],
)
def test_a_role_speaker_is_the_person_the_article_names_with_it(texts, expected):
    assert _quotes(*texts) == expected


@pytest.mark.parametrize(
    "texts, expected",
    [
        # the title of an office's holder: the adviser of the prime minister is neither
        (('وقال مستشار رئيس الوزراء حيدر العبادي إن السد بخير.', 'وأضاف المستشار " إن السد قد ينهار في أي وقت ".'),
         "role:المستشار"),
        # a name joined by "و" takes no title from the name before it
        (('واعتقل الناشط باسل الأمين وأحمد أمهز.', 'وقال الأمين " لم أعلم سبب استدعائي أولا ".'), "role:الأمين"),
        (('واعتقل الناشطين باسل الأمين وأحمد أمهز.', 'وقال الأمين " لم أعلم سبب استدعائي أولا ".'), "role:الأمين"),
        # a former minister is not the minister named
        (('وكتب وزير الدولة أنور قرقاش مقالا.', 'وأوضح الوزير السابق في مقاله أن " التصعيد كان مدبرا منذ سنوات ".'),
         "role:الوزير"),
        # words that are no title between the office and a name
        (('قال المسؤول بحماس إن وفدا يقوده خالد مشعل وصل.', 'وقال المسؤول " إن الوفد بحث الإرهاب في الضفة ".'),
         "role:المسؤول"),
        # a construct chain is a title: "رئيس وفد الحكومة السورية"
        (('أعلن رئيس وفد الحكومة السورية بشار الجعفري اليوم.', 'وتابع رئيس الوفد " إن لغة البيان كانت مستفزة ".'),
         "role:رئيس الوفد"),
        (('أعلن رئيس وفد الحكومة السورية بشار الجعفري اليوم.',
          'وتابع رئيس وفد الحكومة السورية " إن لغة البيان كانت مستفزة ".'), "per:bashar_al_jaafari"),
    ],
)
def test_a_role_speaker_is_resolved_only_by_a_title_of_its_own(texts, expected):
    assert [q[0] for q in _quotes(*texts)] == [expected]


@pytest.mark.parametrize(
    "texts, expected",
    [
        # a speech verb takes no preposition: "كيري" is Kerry, not "ك + يري" (round 21)
        (('قال جون كيري : " إن الوضع في سوريا خطير جدا " .',),
         [("per:john_kerry", "إن الوضع في سوريا خطير جدا", 0)]),
        (('وقال أنس خطاب إن «الأمن مستتب في المدينة».', 'والتقى الوزير جون كيري الذي قال : " إن الحل سياسي فقط " .'),
         [("per:anas_khattab", "الأمن مستتب في المدينة", 0), ("per:john_kerry", "إن الحل سياسي فقط", 1)]),
        # ... nor "بحذر" (cautiously) a verb "حذر" whose subject follows
        (('وقال أنس خطاب إن «الأمن مستتب في المدينة».', 'وتعامل الجيش بحذر مع " الوضع الأمني في المدينة " .'),
         [("per:anas_khattab", "الأمن مستتب في المدينة", 0)]),
        # the "ل" of purpose on an imperfect is a speech verb, and "برأي" names whose view is quoted
        (('وعاد رئيس البنك الدولي ليؤكد في مؤتمر صحفي " مازالت الصين أكبر مساهم في النمو " .',),
         [("org:world_bank", "مازالت الصين أكبر مساهم في النمو", 0)]),
        (('وهي برأي الناشط الإعلامي ضياء الحسيني «فك الحصار عن داريا وانتزاع المزيد».',),
         [("per:dya_al_hsini", "فك الحصار عن داريا وانتزاع المزيد", 0)]),
    ],
)
def test_a_speech_verb_takes_no_preposition(texts, expected):
    assert _quotes(*texts) == expected


SAID = "لن نسمح بممر إرهابي على حدودنا"


@pytest.mark.parametrize("texts, expected", [
    # the name after "عن" is spoken about: the name before the verb speaks
    (('وأما سيرغي لافروف فقال عن بشار الأسد : " إنه رئيس انتخبه شعبه " .',),
     [("per:sergey_lavrov", "إنه رئيس انتخبه شعبه", 0)]),
    # the medium a speaker writes on, with its noun or without, is not the speaker
    ((f'وكتب رجب طيب أردوغان في تغريدة على " تويتر " يقول : " {SAID} " .',),
     [("per:recep_tayyip_erdogan", SAID, 0)]),
    ((f'وفي مقابلة مع قناة الجزيرة قال : " {SAID} " .',), []),
    # a preposition glued to the name, or to the head of a name the mention starts inside
    ((f'وفي حديث للجيش الحر قال : " {SAID} " .',), []),
    ((f'وفي حديث لوزارة الدفاع الروسية قال : " {SAID} " .',), []),
    # ... but right after the verb a glued "ل" names whom the words were said to
    ((f'وقال لحزب الله : " {SAID} " .',), []),
    # ... and a person after a glued "ل" holds no office: the speaker stays the one before
    ((f'وقال جون كيري إنه لا يرى دورا لبشار الأسد مضيفا " {SAID} " .',), [("per:john_kerry", SAID, 0)]),
    # guards: "كل من" lists speakers; after the verb "في" ties an office to its body, which stays the speaker, and
    # so does a glued "ل" after the office's words; names that start with ب/ك/ل speak
    ((f'وقال كل من سيرغي لافروف وجون كيري : " {SAID} " .',), [("per:sergey_lavrov", SAID, 0)]),
    ((f'وقال المسؤول الإعلامي في " قوات سوريا الديمقراطية " مصطفى بالي " {SAID} " .',), [("org:sdf", SAID, 0)]),
    ((f'وقال الأمين العام لحزب الله : " {SAID} " .',), [("org:hezbollah", SAID, 0)]),
    ((f'وقال الناطق الرسمي للجيش الحر : " {SAID} " .',), [("org:fsa", SAID, 0)]),
    # "عن" names the source after "نقل" or before "قوله"
    ((f'وذكرت قناة هابرتورك التركية عن رجب طيب أردوغان قوله : " {SAID} " .',),
     [("per:recep_tayyip_erdogan", SAID, 0)]),
    ((f'وذكرت الوكالة نقلا عن سيرغي لافروف " {SAID} " .',), [("per:sergey_lavrov", SAID, 0)]),
    # ... and after "صادر عن" (a statement's issuer)
    ((f'وفي بيان صادر عن الجيش الحر قال : " {SAID} " .',), [("org:fsa", SAID, 0)]),
    ((f'وفي البيان الصادر عن الجيش الحر قال : " {SAID} " .',), [("org:fsa", SAID, 0)]),
    ((f'وقال بشار الأسد : " {SAID} " .',), [("per:bashar_al_assad", SAID, 0)]),
    ((f'وقال الجيش الحر : " {SAID} " .',), [("org:fsa", SAID, 0)]),
])
def test_a_name_a_preposition_governs_is_not_the_speaker(texts, expected):
    assert _quotes(*texts) == expected


@pytest.mark.parametrize("text, outlet", [
    (f'وقال المسؤول لرويترز : " {SAID} " .', "org:reuters"),
    # outlets and monitors with no media head in their name, listed by key (titles.json "outlets")
    (f'وقال مصدر عسكري للمرصد السوري : " {SAID} " .', "org:sohr"),
    (f'وقال القيادي أبو محمد لعنب بلدي : " {SAID} " .', "org:enab_baladi"),
    (f'وقال المتحدث لأورينت نيوز : " {SAID} " .', "org:orient"),
])
def test_an_outlet_after_a_glued_preposition_is_spoken_to_not_the_speaker(text, outlet):
    # the office exemption for a glued "ل" is not for an outlet (which words then name the speaker is not settled
    # here)
    got = _quotes(text)
    assert [(quote, seq) for _, quote, seq in got] == [(SAID, 0)]
    assert got[0][0] != outlet


def test_every_listed_outlet_is_an_organisation_of_the_gazetteer():
    import json

    from basira.analysis.entities import DATA, read_gazetteer

    listed = json.loads((DATA / "titles.json").read_text(encoding="utf-8"))["outlets"]
    keys = {e.key for e, *_ in read_gazetteer(DATA / "gazetteer" / "organizations.tsv", "ORG")}
    assert listed and sorted(set(listed) - keys) == []


def test_a_rule_found_name_that_starts_like_a_preposition_still_speaks():
    # "كيارا" is no "ك + يارا": the rule-found name is kept as the speaker (which entity it is, the name rules
    # still get wrong, so only that one was stored)
    got = _quotes(f'وقالت كيارا مونتالدو المنسقة في جمعية أطباء بلا حدود عن صقلية " {SAID} " .')
    assert [(quote, seq) for _, quote, seq in got] == [(SAID, 0)]
    assert got[0][0].startswith("per:")
