"""The RTL reader's HTML: everything from data escaped, marks on the right raw characters, boilerplate dimmed."""

from __future__ import annotations

import html as html_lib
import re

import pandas as pd
import pytest

from basira import render
from basira.normalize import normalize_text

TEXT = 'أعلن وزيرُ الداخليـة اعتقال ضابط.\n\nشارك الخبر على فيسبوك\n\n<script>alert(1)</script> قال "لن نتهاون" وأضاف.'
PIECES = ["أعلن وزيرُ الداخليـة اعتقال ضابط.", "شارك الخبر على فيسبوك", '<script>alert(1)</script> قال "لن نتهاون" وأضاف.']
TITLE = "<b>عنوان</b> اعتقال"


def _norm_span(text: str, word: str) -> tuple[int, int]:
    at = normalize_text(text).index(word)
    return at, at + len(word)


def _detail() -> dict:
    sentences = []
    for seq, piece in enumerate(PIECES):
        start = TEXT.index(piece)
        sentences.append(
            {"seq": seq, "paragraph": seq, "start_char": start, "end_char": start + len(piece), "text_raw": piece,
             "text_norm": normalize_text(piece), "is_boilerplate": seq == 1,
             "boilerplate_reason": "share" if seq == 1 else None}
        )
    term, title_term, entity = _norm_span(PIECES[0], "اعتقال"), _norm_span(TITLE, "اعتقال"), _norm_span(PIECES[0], "وزير الداخليه")
    return {
        "article": {"article_id": 7, "published": pd.Timestamp("2025-03-01"), "title_raw": TITLE,
                    "source": "x<y>.example", "byline": None, "text_raw": TEXT},
        "sentences": pd.DataFrame(sentences),
        "evidence": pd.DataFrame(
            [{"topic": "arrests", "label": "Arrests", "seq": seq, "term": "اعتقال", "start_char": s, "end_char": e}
             for seq, (s, e) in ((0, term), (-1, title_term))]
        ),
        "mentions": pd.DataFrame(
            [{"entity_key": "org:moi", "entity_type": "ORG", "canonical": "وزارة الداخلية", "latin": "Interior Ministry",
              "seq": 0, "surface": "وزير الداخليه", "start_char": entity[0], "end_char": entity[1], "method": "gazetteer"}]
        ),
        "quotations": pd.DataFrame([{"speaker_key": None, "speaker_surface": "قال", "quote": "لن نتهاون", "seq": 2}]),
        "quantities": pd.DataFrame(columns=["low", "high", "unit", "kind", "surface", "seq"]),
    }


HEAD = (
    '<article class="basira-article basira-rtl" dir="rtl" lang="ar" data-article-id="7">'
    '<h2>&lt;<bdi>b</bdi>&gt;عنوان&lt;/<bdi>b</bdi>&gt; <mark class="m-topic" title="Topic: Arrests (term اعتقال)">اعتقال</mark></h2>'
    '<div class="meta">2025-03-01 · <bdi>x</bdi>&lt;<bdi>y</bdi>&gt;.<bdi>example</bdi></div>'
    '<div class="basira-legend basira-rtl" dir="rtl" lang="ar"><mark class="m-topic">topic evidence</mark>'
    '<mark class="m-entity">entity</mark><mark class="m-quote">quotation</mark><mark class="m-count">count</mark></div>'
    '<div class="body">أعلن <mark class="m-entity m-org" title="Entity: Interior Ministry · ORG">وزيرُ الداخليـة</mark> '
    '<mark class="m-topic" title="Topic: Arrests (term اعتقال)">اعتقال</mark> ضابط.\n\n'
)
LAST_SENTENCE = (
    "&lt;<bdi>script</bdi>&gt;<bdi>alert</bdi>(1)&lt;/<bdi>script</bdi>&gt; قال &quot;"
    '<mark class="m-quote" title="Quotation: قال">لن نتهاون</mark>&quot; وأضاف.</div>'
)


def test_article_html_escapes_data_and_marks_the_raw_spans():
    assert render.article_html(_detail(), with_style=False) == (
        HEAD
        + '<span class="boilerplate" data-seq="1"><span class="bp-label" title="share">boilerplate · share</span>'
        "شارك الخبر على فيسبوك</span>\n\n"
        + LAST_SENTENCE
        + "</article>"
    )


def test_hidden_boilerplate_is_counted_not_shown():
    assert render.article_html(_detail(), show_boilerplate=False, with_style=False) == (
        HEAD + LAST_SENTENCE + '<div class="meta">1 boilerplate sentence hidden</div></article>'
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2)">',
        '"><svg onload=alert(3)>',
        "<iframe src=javascript:alert(4)>",
        "</article><style>body{display:none}</style>",
    ],
)
@pytest.mark.parametrize("where", ["title_raw", "text_raw", "source", "byline"])
def test_no_markup_from_data_survives(hostile, where):
    detail = _detail()
    if where == "text_raw":
        detail["article"]["text_raw"] = TEXT + hostile
    else:
        detail["article"][where] = hostile
    html = render.article_html(detail)
    body = html.split("</style>", 1)[1]
    for tag in ("<script", "<img", "<svg", "<iframe", "<style", "</article><"):
        assert tag not in body
    # ...yet the analyst still reads it, verbatim, as text.
    assert hostile in html_lib.unescape(re.sub(r"<[^>]*>", "", body))


def test_sentence_html_escapes_caption_and_text():
    assert render.sentence_html("<b>سجن</b>", [], caption="<i>x</i>") == (
        '<div class="basira-snippet basira-rtl" dir="rtl" lang="ar"><div class="meta" dir="ltr">&lt;<bdi>i</bdi>&gt;'
        "<bdi>x</bdi>&lt;/<bdi>i</bdi>&gt;</div>&lt;<bdi>b</bdi>&gt;سجن&lt;/<bdi>b</bdi>&gt;</div>"
    )


@pytest.mark.parametrize(
    ("raw", "word", "expected"),
    [
        ("قالَ وزيرُ الداخليـة إنّ", "الداخليه", "الداخليـة"),  # diacritics and tatweel inside the span
        ("أعلنت الداخلية", "اعلنت", "أعلنت"),  # hamza folded
        ("في   سجن صيدنايا", "سجن", "سجن"),  # collapsed spaces shift offsets
        ("عدد ٥٠٠ معتقل", "500", "٥٠٠"),  # Arabic-Indic digits
        ("مستشفى الرازي", "مستشفي", "مستشفى"),  # alef maqsura
    ],
)
def test_raw_range_maps_normalised_offsets_back(raw, word, expected):
    norm = normalize_text(raw)
    start = norm.index(word)
    span = render.raw_range(raw, norm, start, start + len(word))
    assert span is not None and raw[span[0] : span[1]] == expected


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, 999)])
def test_offsets_that_do_not_fit_are_dropped(start, end):
    raw = "سجن صيدنايا"
    assert render.raw_range(raw, normalize_text(raw), start, end) is None


def test_offsets_from_a_differently_normalised_text_find_the_nearest_occurrence():
    raw = "سجن أول\nثم سجن ثان"
    stored = normalize_text(raw).replace("\n", " ")  # analysis folds newlines; same length, same offsets
    second = stored.rindex("سجن")
    assert render.raw_range(raw, stored, second, second + 3) == (raw.rindex("سجن"), raw.rindex("سجن") + 3)
    assert render.raw_range(raw, "نص آخر تماما لا يشبهه", 0, 2) is None


def test_overlapping_marks_are_cut_never_misnested():
    raw = "قال وزير الداخلية"
    marks = [render.Mark(4, 17, "topic", "T"), render.Mark(9, 17, "entity", "E", "m-org"), render.Mark(0, 3, "quote", "Q")]
    assert render.highlight(raw, marks) == (
        '<mark class="m-quote" title="Q">قال</mark> <mark class="m-topic" title="T">وزير </mark>'
        '<mark class="m-topic m-entity m-org" title="T\nE">الداخلية</mark>'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قالت وكالة Reuters News إن", "قالت وكالة <bdi>Reuters News</bdi> إن"),
        ("(CNN). في 2025", "(<bdi>CNN</bdi>). في 2025"),
        ("موقع https://x.com/a-b.", "موقع <bdi>https://x.com/a-b</bdi>."),
        ("طراز T-72 و 20 دبابة", "طراز <bdi>T-72</bdi> و 20 دبابة"),
        ("بين 500 و600 ضابط", "بين 500 و600 ضابط"),
    ],
)
def test_latin_runs_are_isolated_for_bidi(text, expected):
    assert render.highlight(text, []) == expected


def test_find_raw_matches_across_spelling_variants_nearest_first():
    raw = "قال: لن نتهاون. ثم قال: لن نتهاون أبدا."
    assert render.find_raw(raw, "لن نتهاون", near=20) == (24, 33)
    assert render.find_raw("أكد أنّ الأمن مستتب", "ان الامن") == (4, 13)
    assert render.find_raw(raw, "غير موجود") is None


def test_term_marks_highlight_every_spelling_of_the_query_words():
    raw = "أفرجت السلطات عن معتقلين من سجن صيدنايا والسجون الأخرى"
    marks = render.term_marks(raw, ["السجون", "صيدنايا"])
    assert sorted(raw[m.start : m.end] for m in marks) == ["السجون", "صيدنايا"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(pd.Timestamp("2025-03-01"), "2025-03-01"), (None, "undated"), (pd.NaT, "undated"), ("2025-01-02", "2025-01-02")],
)
def test_date_text(value, expected):
    assert render.date_text(value) == expected


def test_style_loads_the_bundled_font_from_static_serving():
    assert 'url("app/static/fonts/NotoNaskhArabic-Regular.ttf")' in render.STYLE
    from basira.store import ROOT

    assert (ROOT / "static" / "fonts" / "NotoNaskhArabic-Regular.ttf").is_file()


@pytest.mark.parametrize(
    ("raw", "norm", "spans", "expected"),
    [
        # Folded stored terms (معركه, مواجهات عنيفه) read back as written, each once, in reading order.
        ("اندلعت معركة ثم مواجهات عنيفة ثم معركة", "اندلعت معركه ثم مواجهات عنيفه ثم معركه",
         [(33, 38), (7, 12), (16, 28)], ["معركة", "مواجهات عنيفة"]),
        ("شُحنة كبيرة", "شحنه كبيره", [(0, 4)], ["شُحنة"]),
        ("لا شيء", "لا شيء", [], []),
    ],
)
def test_marked_words_are_the_terms_as_written(raw, norm, spans, expected):
    marks = render.norm_marks(raw, norm, spans, "topic", "t", whole_words=True)
    assert render.marked_words(raw, marks) == expected


@pytest.mark.parametrize(
    ("title", "limit", "expected"),
    [
        ("«داعش» .. من سجن «بوكا»", 120, "Read article 4564: \u2068«داعش» .. من سجن «بوكا»\u2069"),
        ("  هل يا مكان؟ ", 120, "Read article 4564: \u2068هل يا مكان؟\u2069"),
        # Cut to the limit in visible characters ("Read article 4564: " is 19), the … inside the isolate.
        ("أحرار الشام : الثورة والدين", 30, "Read article 4564: \u2068أحرار الشا…\u2069"),
        ("أحرار الشام", 30, "Read article 4564: \u2068أحرار الشام\u2069"),
        ("", 120, "Read article 4564"),
        (None, 120, "Read article 4564"),
    ],
)
def test_article_link_label_isolates_the_title(title, limit, expected):
    label = render.article_link_label(4564, title, limit)
    assert label == expected
    assert len(label.replace(render.FSI, "").replace(render.PDI, "")) <= limit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![x](http://t.example/p.png)", r"\!\[x\]\(http\://t\.example/p\.png\)"),
        (":red[عاجل] **b**", r"\:red\[عاجل\] \*\*b\*\*"),
        ("<script>", r"\<script\>"),
        ("سجن صيدنايا", "سجن صيدنايا"),
        (None, ""),
    ],
)
def test_markdown_text_is_literal(text, expected):
    assert render.markdown_text(text) == expected


@pytest.mark.parametrize(
    ("key", "column", "stored", "shown"),
    [
        # analysis stores surfaces normalised: shown as the article writes them
        ("quotations", "speaker_surface", "وزير الداخليه", "وزيرُ الداخليـة"),
        ("quantities", "surface", "الداخليه", "الداخليـة"),
        # found only in the title
        ("quantities", "surface", "عنوان", "عنوان"),
        # not in the article: as stored
        ("quotations", "speaker_surface", "مصدر مجهول", "مصدر مجهول"),
    ],
)
def test_side_panel_surfaces_are_shown_as_written(key, column, stored, shown):
    detail = _detail()
    detail[key] = pd.DataFrame([{"low": 1, "high": 1, "unit": "x", "kind": "other", "speaker_key": None,
                                 "quote": "لن نتهاون", "seq": 0, column: stored}])
    written = render.with_written_surfaces(detail)
    assert list(written[key][column]) == [shown]
    assert list(detail[key][column]) == [stored]  # the cached detail is left as it was


def test_a_quotation_mark_names_its_speaker_as_written():
    detail = _detail()
    detail["quotations"] = detail["quotations"].assign(speaker_surface="وزير الداخليه")
    _, marks = render.article_marks(render.with_written_surfaces(detail))
    assert [m.note for m in marks if m.kind == "quote"] == ["Quotation: وزيرُ الداخليـة"]


ACADEMY = "تخرج من الأكاديمية العسكرية عام 1990"


def test_topic_evidence_found_inside_a_word_is_marked_whole():
    # the pattern '(?:كليه|كاديميه)…' starts at a letter, so the stored span starts after "الا"
    norm = normalize_text(ACADEMY)
    start = norm.index("كاديميه")
    marks = render.norm_marks(ACADEMY, norm, [(start, start + len("كاديميه العسكريه"))], "topic", "t", whole_words=True)
    assert [ACADEMY[m.start : m.end] for m in marks] == ["الأكاديمية العسكرية"]
    detail = _detail()
    detail["sentences"] = detail["sentences"].iloc[:0]
    detail["article"] = {**detail["article"], "title_raw": ACADEMY}
    detail["evidence"] = pd.DataFrame([{"topic": "security_reform", "label": "Reform", "seq": -1, "term": "كاديميه العسكريه",
                                        "start_char": start, "end_char": start + len("كاديميه العسكريه")}])
    title_marks, _ = render.article_marks(detail)
    assert [ACADEMY[m.start : m.end] for m in title_marks if m.kind == "topic"] == ["الأكاديمية العسكرية"]


@pytest.mark.parametrize(
    ("text", "span", "whole"),
    [
        ("الاكاديميه العسكريه", (3, 19), (0, 19)),
        ("من صفوفه امس", (3, 7), (3, 8)),
        ("سجن صيدنايا", (0, 3), (0, 3)),  # already whole
        ("قال: سجن", (5, 8), (5, 8)),  # punctuation is not a word
    ],
)
def test_word_bounds_widen_a_span_to_the_words_it_cuts(text, span, whole):
    from basira.normalize import word_bounds

    assert word_bounds(text, *span) == whole


def test_the_mentions_table_shows_each_surface_as_its_sentence_writes_it():
    frame = pd.DataFrame({"surface": ["الاسد", "ابو هنيه", "غائب"],
                          "sentence": ["قال الأسد إن …", "وأضاف أبو هنية: …", "نص آخر"]})
    assert list(render.mentions_as_written(frame)["surface"]) == ["الأسد", "أبو هنية", "غائب"]


def test_the_reader_marks_the_search_words_where_the_finder_puts_them():
    """An article opened from a search showed its topics and entities but not the words searched for."""
    def words(*found: str):
        return lambda norm: [(m.start(), m.end()) for w in found for m in re.finditer(w, norm)]

    title_marks, marks = render.article_marks(_detail(), words("اعتقال", "الداخليه"))
    matched = [(TEXT[m.start : m.end], m.note) for m in marks if m.kind == "match"]
    assert matched == [("اعتقال", "Search words"), ("الداخليـة", "Search words")]
    assert [TITLE[m.start : m.end] for m in title_marks if m.kind == "match"] == ["اعتقال"]
    html = render.article_html(_detail(), with_style=False, matches=words("نتهاون"))
    assert '<mark class="m-quote m-match" title="Quotation: قال\nSearch words">نتهاون</mark>' in html
    assert '<mark class="m-match">search match</mark></div>' in html
    assert "m-match" not in render.article_html(_detail(), with_style=False)


SLUG = "https://www.enabbaladi.net/archives/%D8%A7%D8%B9%D8%AA%D9%82%D8%A7%D9%84-%D8%B6%D8%A7%D8%A8%D8%B7"


@pytest.mark.parametrize(("url", "expected"), [
    (SLUG,
     f'<div class="basira-url" dir="ltr">URL: <a href="{SLUG}" target="_blank" rel="noopener noreferrer" dir="ltr">'
     "https://www.enabbaladi.net/archives/<bdi>اعتقال-ضابط</bdi></a></div>"),
    # Each Arabic part isolated: the id after a slug stays after it, not drawn before it in one right-to-left run.
    ("https://x.example/%D8%B3%D8%AC%D9%86/43783352?q=%D8%B3%D8%AC%D9%86&p=2",
     '<div class="basira-url" dir="ltr">URL: <a href="https://x.example/%D8%B3%D8%AC%D9%86/43783352?q=%D8%B3%D8%AC%D9%86&amp;p=2" '
     'target="_blank" rel="noopener noreferrer" dir="ltr">https://x.example/<bdi>سجن</bdi>/43783352?q=<bdi>سجن</bdi>&amp;p=2'
     "</a></div>"),
    ("https://hostile.example/a?x=<b>1</b>&y=\"2\"",
     '<div class="basira-url" dir="ltr">URL: <a href="https://hostile.example/a?x=&lt;b&gt;1&lt;/b&gt;&amp;y=&quot;2&quot;" '
     'target="_blank" rel="noopener noreferrer" dir="ltr">https://hostile.example/a?x=&lt;b&gt;1&lt;/b&gt;&amp;y=&quot;2&quot;'
     "</a></div>"),
    # An escaped right-to-left override would reorder what is shown: dropped from the text, kept in the link.
    ("HTTP://x.example/%E2%80%AEfdp.exe",
     '<div class="basira-url" dir="ltr">URL: <a href="HTTP://x.example/%E2%80%AEfdp.exe" target="_blank" '
     'rel="noopener noreferrer" dir="ltr">HTTP://x.example/fdp.exe</a></div>'),
    # Escapes that are not UTF-8 (Windows-1256) stay escaped rather than showing �.
    ("http://x.example/%C7%E1",
     '<div class="basira-url" dir="ltr">URL: <a href="http://x.example/%C7%E1" target="_blank" '
     'rel="noopener noreferrer" dir="ltr">http://x.example/%C7%E1</a></div>'),
    ("javascript:alert(%22x%22)", '<div class="basira-url" dir="ltr">URL: <span dir="ltr">javascript:alert(&quot;x&quot;)</span></div>'),
    ("java\tscript:alert(1)", '<div class="basira-url" dir="ltr">URL: <span dir="ltr">java script:alert(1)</span></div>'),
    ("data:text/html,<script>", '<div class="basira-url" dir="ltr">URL: <span dir="ltr">data:text/html,&lt;script&gt;</span></div>'),
    ("ftp://x.example/a", '<div class="basira-url" dir="ltr">URL: <span dir="ltr">ftp://x.example/a</span></div>'),
    ("https:///no-host", '<div class="basira-url" dir="ltr">URL: <span dir="ltr">https:///no-host</span></div>'),
    ("http://[::1", '<div class="basira-url" dir="ltr">URL: <span dir="ltr">http://[::1</span></div>'),
    ("https://x.example/a b", '<div class="basira-url" dir="ltr">URL: <span dir="ltr">https://x.example/a b</span></div>'),
    ("  ", ""),
    (None, ""),
    (float("nan"), ""),
])
def test_the_source_url_is_readable_left_to_right_and_a_link_only_for_http(url, expected):
    assert render.source_url_html(url) == expected


@pytest.mark.parametrize(
    ("readings", "expected"),
    [
        ([("Sednaya", [("صيدنايا", "Saydnaya")])],
         '<div class="basira-read-as" dir="ltr">Latin read as names: “Sednaya” → <bdi dir="rtl" lang="ar">صيدنايا</bdi>'
         ' (Saydnaya).</div>'),
        ([("Assad", [("بشار الأسد", "Bashar al-Assad"), ("حافظ الأسد", "Hafez al-Assad")]), ("Xyzzy", [])],
         '<div class="basira-read-as" dir="ltr">Latin read as names: “Assad” → <bdi dir="rtl" lang="ar">بشار الأسد</bdi>'
         ' (Bashar al-Assad) or <bdi dir="rtl" lang="ar">حافظ الأسد</bdi> (Hafez al-Assad); “Xyzzy” → no name.</div>'),
        # Names and the typed words are data: escaped.
        ([("<b>x</b>", [("<script>ا</script>", "a&b")])],
         '<div class="basira-read-as" dir="ltr">Latin read as names: “&lt;b&gt;x&lt;/b&gt;” → <bdi dir="rtl" lang="ar">'
         '&lt;script&gt;ا&lt;/script&gt;</bdi> (a&amp;b).</div>'),
        ([], ""),
    ],
)
def test_names_read_html(readings, expected):
    assert render.names_read_html(readings) == expected


def test_names_read_html_lists_the_first_few_names():
    names = [(f"اسم{i}", f"Name{i}") for i in range(render.READ_AS_SHOWN + 2)]
    shown = render.names_read_html([("Name", names)])
    assert shown.count("<bdi") == render.READ_AS_SHOWN and shown.endswith(" and 2 more.</div>")


@pytest.mark.parametrize(
    "keys, expected",
    [
        ("prisons, armed_clashes", "Prisons and detention; Armed clashes"),
        ("coups", "Coups and coup plots"),
        ("crime, prisons", "Crime (robbery, theft, criminal gangs); Prisons and detention"),
        ("prisons, retired_topic", "Prisons and detention; retired_topic"),
        ("", ""),
        (None, None),
    ],
)
def test_topic_keys_in_a_list_read_as_their_labels(keys, expected):
    labels = {"prisons": "Prisons and detention", "armed_clashes": "Armed clashes", "coups": "Coups and coup plots",
              "crime": "Crime (robbery, theft, criminal gangs)"}
    assert render.topic_labels(keys, labels) == expected


HOW = "BM25 over light stems"


@pytest.mark.parametrize(("shown", "more", "total", "caption"), [
    (50, True, (4812, True), "4,812 articles match; the best 50 are shown, best first (BM25 over light stems). Add words "
     "or filters to narrow them."),
    (50, False, (50, True), "50 articles match, best first (BM25 over light stems)."),
    (1, False, (1, True), "1 article matches, best first (BM25 over light stems)."),
    (0, False, (0, True), "No article matches (BM25 over light stems)."),
    (12, False, (5231, False), "Up to 5,231 articles hold every word; the 12 best holding the phrase are shown, best "
     "first (BM25 over light stems)."),
    (50, True, None, "50 articles, best first (BM25 over light stems); more articles match: add words or filters to "
     "narrow them."),
    (7, False, None, "7 articles, best first (BM25 over light stems)."),
])
def test_the_search_caption_says_how_many_articles_match_in_all(shown, more, total, caption):
    assert render.match_caption(shown, more, total, HOW) == caption
