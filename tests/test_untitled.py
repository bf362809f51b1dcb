"""What an untitled article shows in place of a title (basira.untitled.opening): its first real sentence, past the
page chrome a scraper flattened above it. Each row is a shape found among the untitled articles of the real store
(Baly fact-check pages), shortened."""

from __future__ import annotations

import pytest

from basira.untitled import OPENING_CHARS, opening, opening_past_repeats

LEDE = "أعلنت وزارة الداخلية الإفراج عن مئة معتقل من سجن صيدنايا ."

CASES = [
    # a plain article: its first sentence
    ("plain sentence", LEDE + "\nوقالت الوزارة إن …", LEDE),
    # "headline | site name menu…" and "headline - site"
    ("headline then site", "تعقب الشيشان : قصة اغتيالات انتقامية في تركيا | نون بوست القائمة استمارة البحث ابحث",
     "تعقب الشيشان : قصة اغتيالات انتقامية في تركيا"),
    ("headline dash site", "مئات يتظاهرون في إيران تنديدا بقرار ترامب - بوابة الأهرام بوابة الأهرام آخر الأخبار",
     "مئات يتظاهرون في إيران تنديدا بقرار ترامب"),
    # site name first: a Latin name, then a short Arabic one, then the headline
    ("site then headline", "SMART News Agency - وكالة سمارت للأنباء - الوحدات الكردية تسيطر على مواقع للنظام بالحسكة",
     "الوحدات الكردية تسيطر على مواقع للنظام بالحسكة"),
    ("one-word sections", "الوطن | المحافظات | بالصور | طوارئ المنيا تعلن أسماء الضحايا",
     "طوارئ المنيا تعلن أسماء الضحايا"),
    # a login box
    ("login box", "تسجيل الدخول إلى حسابك اسم المستخدم كلمة المرور | الجيش يتقدم في ريف حماة الشمالي",
     "الجيش يتقدم في ريف حماة الشمالي"),
    # a date and clock line, then a login error, then the headline
    ("date line and login error",
     "2014 / 3 / 23 الساعة 14 : 57 ( مكة المكرمة ) 1435 / 5 / 23 ه - خطأ في إسم المستخدم أو كلمة السر الرجاء "
     "إدخال المعلومات بشكل صحيح - رواية القانوني تجليات عصر إمبراطوري 23 / 3 / 2014 حجم الخط",
     "رواية القانوني تجليات عصر إمبراطوري"),
    # a sentence of chrome ending in a full stop, then the next line
    ("chrome sentence", "لقد اختارت DW . COM اللغة العربية كلغة الإعدادات الخاصة بك .\nمقتل 75 مدنيا في تجمع للنازحين",
     "مقتل 75 مدنيا في تجمع للنازحين"),
    ("menu line before headline", "برامج التلفزيون دروس الألمانية Community D عل م الألمانية / أخبار التحالف : أقل من ألف "
     "مقاتل لداعش في العراق", "التحالف : أقل من ألف مقاتل لداعش في العراق"),
    # template slots of a prayer-times ticker
    ("template slots", "January 21 2018 - 09 : 17 { { mmonth } } بتوقيت بيروت الفجر { { fajer } } المغرب "
     "{ { moghreb } } عشرات الشهداء في تفجير استهدف أهالي كفريا",
     "عشرات الشهداء في تفجير استهدف أهالي كفريا"),
    # leading labels and Latin menus dropped from the headline's own segment
    ("labels before headline", "البرامج الحلقات البرامج الحلقات رفعوا علمهم وعلم النظام في عفرين",
     "رفعوا علمهم وعلم النظام في عفرين"),
    ("latin menu before headline", "Search CNN Arabic Navigation عناوين الأخبار وزير خارجية العراق : قواتنا حررت تلعفر",
     "وزير خارجية العراق : قواتنا حررت تلعفر"),
    # the headline cut at the issue line, the clock or the repeated <h1> that follows it
    ("issue line after headline", "اردوغان يريد تطهير عفرين من القوات الكردية العدد 6023 الجمعة 17 نوفمبر 2017 آخر تحديث",
     "اردوغان يريد تطهير عفرين من القوات الكردية"),
    ("dated headline", "رسالة بن لادن الأخيرة 2005 / 1 / 10 الساعة 17 : 15 ( مكة المكرمة )",
     "رسالة بن لادن الأخيرة"),
    ("chrome after headline", "البرامج الحلقات مصادر توضح حقيقة الدور الروسي في حصار حويجة قاطع تاريخ النشر : حجم الخط",
     "مصادر توضح حقيقة الدور الروسي في حصار حويجة قاطع"),
    ("repeated headline", "توجيه الاتهام لشاب في اعتداء لندن توجيه الاتهام لشاب في اعتداء لندن وجهت الشرطة",
     "توجيه الاتهام لشاب في اعتداء لندن"),
    # a date inside a sentence stays
    ("date inside a sentence", "وقعت الحكومة في 22 يوليو اتفاقا مع الفصائل .", "وقعت الحكومة في 22 يوليو اتفاقا مع الفصائل ."),
    # a short headline that ends a sentence is a headline, not a site name
    ("short question", "تصفح من هم الأكراد ? ويعدون رابع أكبر مجموعة عرقية في الشرق الأوسط", "من هم الأكراد ?"),
    # a clitic's spaced dash is not a separator
    ("clitic dash", "النظام يفتح ل - داعش طريقا نحو إدلب - SNP", "النظام يفتح ل - داعش طريقا نحو إدلب"),
    # letters the tokeniser spaced out stay ("ل م" is "لم": dropping it reverses the sense); so does "ال - 72"
    ("spaced letters", "ل م تهتم إيران بالسيطرة على ريف حلب ? العدد 5564 الإثنين 15 أغسطس 2016",
     "ل م تهتم إيران بالسيطرة على ريف حلب ?"),
    ("spaced article", "اليابان تحيي الذكرى ال - 72 لمأساة هيروشيما | | تحيي مدينة هيروشيما",
     "اليابان تحيي الذكرى ال - 72 لمأساة هيروشيما"),
    # a login box of full sentences (sasapost: 10 articles of the real store showed its second sentence)
    ("login box sentences", "تسجيل الدخولأفضل ما في ساسة بوست بين يديك الآن بضغطة واحدة . احتفظ بالمقالات التي "
     "أعجبتك ; ولا تدع موضوعاتك المفضلة تفوتك . اختر حسابك الاجتماعي المفضل لتبدأ الرحلة معنا .\nكيف يمكن أن يغير "
     '" تعليم النساء " العالم ? كيف يمكن', 'كيف يمكن أن يغير " تعليم النساء " العالم ?'),
    # an ad-blocker notice and its thanks glued to the headline (masrawy: 10 articles showed its plea)
    ("ad-blocker plea", "تم إكتشاف مانع الإعلانات عزيزي المستخدم .\nلمساعدتنا على الإستمرار في إنتاج محتوى مهني نرجو "
     'إلغاء تفعيل مانع الإعلانات " AD Block " .\nشكرا لتفهمك أسبوع على قطع العلاقات مع قطر . . ماذا جرى ?',
     "أسبوع على قطع العلاقات مع قطر . . ماذا جرى ?"),
    # a forum's page numbers before the post ("صفحات : [ 1 ] 1 /", ankawa)
    ("forum pages", "صفحات : [ 1 ] 1 / تعازينا الحارة الى جميع اهل واقارب المرحوم",
     "تعازينا الحارة الى جميع اهل واقارب المرحوم"),
    # nothing but chrome: the plain opening, cut after a word
    ("only chrome", "Main navigation Search | 10 : 45 | Home", "Main navigation Search | 10 : 45 | Home"),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_opening_skips_page_chrome(text, expected):
    assert opening(text) == expected


def test_a_long_sentence_is_cut_after_a_whole_word():
    text = "قالت مصادر أمنية إن قوات الأمن العام اعتقلت خلية تابعة لتنظيم داعش في ريف دمشق الغربي بعد عملية استمرت"
    assert opening(text) == "قالت مصادر أمنية إن قوات الأمن العام اعتقلت خلية تابعة لتنظيم داعش في ريف دمشق"
    assert len(opening(text)) <= OPENING_CHARS


# A paragraph a site prints on many of its pages (ankawa's login prompt, shortened): the store flags its sentences
# 'repeated_paragraph', and the opening is chosen past them.
PROMPT = "الرجاء أو هل فقدت يمكنك الدخول او التسجيل عن طريق الفيسبوك ووسائل التواصل الاجتماعية الاخرى ."
SECOND = "تسجيل الدخول باسم المستخدم وكلمة المرور والفترة الزمنية ."
PROMPT_OPENING = "الرجاء أو هل فقدت يمكنك الدخول او التسجيل عن طريق الفيسبوك ووسائل التواصل"
FORUM = "عرض المشاركات - عضو عنكاوا كوم أهلا , زائر .\n"


def _span(text: str, part: str) -> tuple[int, int]:
    return text.index(part), text.index(part) + len(part)


REPEAT_CASES = [
    # no repeated paragraph: the rules alone
    ("none flagged", PROMPT + "\n" + LEDE, [], PROMPT_OPENING),
    # the site's paragraph first: the article's own sentence
    ("repeated first", PROMPT + "\n" + LEDE, [(0, len(PROMPT))], LEDE),
    # chrome the rules skip before it, and after it the sentence
    ("chrome then repeated", FORUM + PROMPT + "\n" + LEDE, [_span(FORUM + PROMPT, PROMPT)], LEDE),
    # two sentences of one repeated paragraph, each flagged
    ("two flagged sentences", PROMPT + " " + SECOND + "\n" + LEDE, [(0, len(PROMPT)), _span(PROMPT + " " + SECOND, SECOND)], LEDE),
    # what is left either side of a span is not glued into one segment
    ("span between two fragments", "وزير الداخلية " + PROMPT + " يزور سجن صيدنايا المركزي اليوم", [_span("وزير الداخلية " + PROMPT, PROMPT)],
     "يزور سجن صيدنايا المركزي اليوم"),
    # the sentence lies beyond the first SCAN_CHARS characters of the page, past a long repeated paragraph
    ("past a long repeat", (PROMPT + " ") * 9 + "\n" + LEDE, [(0, len(PROMPT + " ") * 9)], LEDE),
    # nothing but repeated paragraphs and chrome: what the rules alone show
    ("all repeated", PROMPT + "\n" + SECOND, [(0, len(PROMPT)), _span(PROMPT + "\n" + SECOND, SECOND)], PROMPT_OPENING),
]


@pytest.mark.parametrize(("text", "spans", "expected"), [c[1:] for c in REPEAT_CASES], ids=[c[0] for c in REPEAT_CASES])
def test_the_opening_skips_paragraphs_the_site_repeats(text, spans, expected):
    assert opening_past_repeats(text, spans) == expected
