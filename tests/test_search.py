"""Search: the light stemmer, query parsing, BM25 ranking and the incremental index, on a tiny store."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from basira import search, store
from basira.filters import Filters
from basira.normalize import normalize_text
from basira.queries import read, shown_source, write
from basira.queries import search as search_sql
from tests.search_index import index_contents


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        # The clitic and article forms of one noun meet on one stem.
        ("السجون", "سجون"),
        ("سجون", "سجون"),
        ("والسجون", "سجون"),
        ("للسجون", "سجون"),
        ("وللسجون", "سجون"),
        ("بالسجون", "سجون"),
        ("فالسجون", "سجون"),
        ("وبالسجون", "سجون"),
        ("كالسجون", "سجون"),
        # Sound plurals, dual/oblique and feminine endings.
        ("المنشقين", "منشق"),
        ("منشقون", "منشق"),
        ("منشق", "منشق"),
        ("سجينات", "سجين"),
        ("المعتقلين", "معتقل"),
        ("السوريين", "سوري"),
        ("سورية", "سوري"),
        ("الأمنية", "امني"),
        ("أمني", "امني"),
        ("الحكومة", "حكوم"),
        ("حكومات", "حكوم"),
        ("وزارة", "وزار"),
        ("وزارات", "وزار"),
        # Hamza, alef maqsura and teh marbuta forms fold before stemming.
        ("إدلب", "ادلب"),
        ("أدلب", "ادلب"),
        ("مستشفى", "مستشفي"),
        ("مستشفي", "مستشفي"),
        ("رئيس", "رييس"),
        ("مؤسسة", "موسس"),
        # Conservative: a bare و/ف/ب/ل/ك is part of too many words to strip.
        ("وزير", "وزير"),
        ("فريق", "فريق"),
        ("بيان", "بيان"),
        ("لبنان", "لبنان"),
        ("كتيبة", "كتيب"),
        # Too short to lose an ending, or a word whose "article" is its own.
        ("قوات", "قوات"),
        ("قوة", "قوه"),
        ("سجن", "سجن"),
        ("الدم", "دم"),
        ("الله", "الله"),
        ("الآن", "الان"),
        # Not Arabic: untouched.
        ("2015", "2015"),
        ("isis", "isis"),
    ],
)
def test_stem_light(word, stem):
    assert search.stem_light(normalize_text(word)) == stem


@pytest.mark.parametrize(
    ("query", "terms", "phrases"),
    [
        ("السجون في سوريا", ("سجون", "سوريا"), ()),
        ("والسجون السجون سجون", ("سجون",), ()),
        ("سُجُونٌ", ("سجون",), ()),
        ("المــعتقلين", ("معتقل",), ()),
        ("إدلب أدلب ادلب", ("ادلب",), ()),
        ("في من على", (), ()),
        ('"ضباط منشقين" صيدنايا', ("ضباط", "منشق", "صيدنايا"), ("ضباط منشقين",)),
        ("«فرع فلسطين»", ("فرع", "فلسط"), ("فرع فلسطين",)),
        ("١٩٨٢ حماة", ("1982", "حما"), ()),
        ("", (), ()),
        ('"   "', (), ()),
    ],
)
def test_parse_query(query, terms, phrases):
    assert search.parse_query(query) == search.Query(terms, phrases)


def test_highlight_spans_finds_every_inflected_form():
    text = normalize_text("والسجون مكتظة، والسجين في السجن")
    spans = search.highlight_spans(text, ["سجون", "سجين"])
    assert [text[a:b] for a, b in spans] == ["والسجون", "والسجين"]


NAMES = normalize_text("استقبل احمد الشرع الوفد، وقال احمد إن الشرع يحمي الجميع")
TWICE = normalize_text("التقى احمد الشرع ثم احمد الشرع مرة ثانية")


@pytest.mark.parametrize(
    ("text", "query", "spans"),
    [
        # a quoted phrase: its occurrences, not each of its words wherever it stands
        (NAMES, '"احمد الشرع"', [(7, 17)]),
        (TWICE, '"احمد الشرع"', [(6, 16), (20, 30)]),
        # unquoted words as before: every token with a matched stem
        (NAMES, "احمد الشرع", [(7, 11), (12, 17), (30, 34), (38, 43)]),
        # a phrase and a loose word; a loose word also in the phrase marks its other places too
        (NAMES, '"احمد الشرع" الوفد', [(7, 17), (18, 23)]),
        (NAMES, '"احمد الشرع" احمد', [(7, 17), (30, 34)]),
        # overlapping phrases merge into one span
        (normalize_text("سجن صيدنايا وسجن عدرا"), '"سجن صيدنايا" "صيدنايا وسجن"', [(0, 16)]),
        # a phrase the sentence does not hold marks nothing of it
        (NAMES, '"الشرع احمد"', []),
        # a phrase found inside longer words marks those whole words, never part of one
        (normalize_text("من الجنود والضباط المنشقين وهو"), '"الضباط المنشقين"', [(10, 26)]),
        (normalize_text("تنفيذ مخطط انقلابي في الدوحة"), '"مخطط انقلاب"', [(6, 18)]),
    ],
)
def test_query_spans_highlight_phrase_occurrences(text, query, spans):
    assert search.query_spans(text, query, search.parse_query(query).terms) == spans


@pytest.mark.parametrize(
    ("query", "stems", "spans"),
    [
        # a Latin name's matched stems (the Arabic name it was read as) are marked wherever they stand
        ("Ahmed al-Sharaa", ["احمد", "شرع"], [(7, 11), (12, 17), (30, 34), (38, 43)]),
        # beside a quoted Arabic phrase, whose words alone stay unmarked
        ('"الوفد" Ahmed', ["وفد", "احمد"], [(7, 11), (18, 23), (30, 34)]),
        ('"احمد الشرع" Sharaa', ["احمد", "شرع"], [(7, 17)]),  # a name's stem that is a phrase word: the phrase only
    ],
)
def test_query_spans_mark_the_names_a_latin_query_was_read_as(query, stems, spans):
    assert search.query_spans(NAMES, query, stems) == spans


@pytest.mark.parametrize(
    ("canonicals", "stems"),
    [
        (["بشار الأسد", "حافظ الأسد", "الاسد"], ["اسد"]),
        (["صيدنايا"], ["صيدنايا"]),
        (["هيئة تحرير الشام"], ["تحرير", "شام", "هيي"]),
        (["صيدنايا", "سيدني"], []),
        ([], []),
    ],
)
def test_name_stems_are_what_every_reading_shares(canonicals, stems):
    assert search.name_stems(canonicals) == stems


def test_term_ids_are_stable_signed_64_bit():
    assert search.term_id("سجون") == search.term_id("سجون")
    assert search.term_id("سجون") != search.term_id("سجن")
    assert -(2**63) <= search.term_id("سجون") < 2**63
    assert search.term_id("سجون") == 6484236198909696776


# A tiny store: (title, sentences, published, source). Ranking below is BM25 over these, worked by hand.
ARTICLES = [
    ("تقرير", ["السجون مكتظة بالمعتقلين", "زار الوفد السجون والسجن المركزي"], dt.date(2024, 1, 5), "a.net"),
    (None, ["السجون", "والسجون"], dt.date(2024, 2, 1), "b.net"),
    ("ضباط منشقون", ["اجتمع الوزير مع ضباط منشقين عن الجيش", "وقال الضباط إن السجون"], dt.date(2023, 6, 1), "a.net"),
    (None, ["الطقس معتدل اليوم في دمشق"], None, "c.net"),
    ("منشقون", ["منشقين ضباط في حلب", "ومنشقون آخرون"], dt.date(2022, 3, 3), "b.net"),
]


def _store_articles(con, first_id: int, articles: list) -> list[int]:
    ids = list(range(first_id, first_id + len(articles)))
    rows, sentences = [], []
    for article_id, (title, body, published, source) in zip(ids, articles, strict=True):
        text = "\n".join(body)
        rows.append(
            (article_id, f"h{article_id}", article_id, 1, "fixture.jsonl", f"line {article_id}", source, title,
             normalize_text(title) if title else None, published, None if published else "no date", text, len(text))
        )
        start = 0
        for seq, sentence in enumerate(body):
            sentences.append((article_id, seq, 0, start, start + len(sentence), sentence, normalize_text(sentence), False))
            start += len(sentence) + 1
    columns = ("article_id", "content_hash", "story_id", "batch_id", "source_path", "locator", "source_name",
               "title_raw", "title_norm", "published", "undated_reason", "text_raw", "char_count")
    write.append_rows(con, "articles", pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)}))
    s_columns = ("article_id", "seq", "paragraph", "start_char", "end_char", "text_raw", "text_norm", "is_boilerplate")
    write.append_rows(con, "sentences", pa.table({c: [r[i] for r in sentences] for i, c in enumerate(s_columns)}))
    return ids


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "basira.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO batches (batch_id, started_at, inputs) VALUES (1, now()::TIMESTAMP, 'fixture')")
        search.index_articles(con, _store_articles(con, 1, ARTICLES))
    return path


def _search(db: Path, query: str, **kwargs):
    with store.read_cursor(db) as cur:
        return search.search(cur, query, **kwargs)


def _bm25(tf: int, dl: int, avgdl: float, df: int, n: int = 5) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl))


def test_ranking_is_bm25_in_exact_order(db):
    # Indexed lengths, title included and function words dropped: 9, 2, 10, 4 and 6 (in article 5 "ومنشقون"
    # keeps its bare و and is not منشق).
    avgdl = (9 + 2 + 10 + 4 + 6) / 5
    found = _search(db, "السجون")
    assert found["article_id"].tolist() == [2, 1, 3]
    expected = [_bm25(2, 2, avgdl, 3), _bm25(2, 9, avgdl, 3), _bm25(1, 10, avgdl, 3)]
    assert found["score"].tolist() == pytest.approx(expected, abs=1e-8)
    assert found["matched_terms"].tolist() == [["سجون"], ["سجون"], ["سجون"]]
    assert found["seq"].tolist() == [0, 0, 1]
    assert found["sentence"].tolist() == ["السجون", "السجون مكتظة بالمعتقلين", "وقال الضباط إن السجون"]


def test_all_terms_by_default_any_on_request(db):
    avgdl = 31 / 5
    both = _search(db, "ضباط منشقين")
    assert both["article_id"].tolist() == [3, 5]
    assert both["score"].tolist() == pytest.approx(
        [_bm25(3, 10, avgdl, 2) + _bm25(2, 10, avgdl, 2), _bm25(1, 6, avgdl, 2) + _bm25(2, 6, avgdl, 2)], abs=1e-8
    )
    assert both["matched_terms"].tolist() == [["ضباط", "منشق"], ["ضباط", "منشق"]]
    # The sentence shown is the one with most of the terms, not merely the first with one of them.
    assert both["sentence"].tolist() == ["اجتمع الوزير مع ضباط منشقين عن الجيش", "منشقين ضباط في حلب"]
    assert _search(db, "منشقين السجون")["article_id"].tolist() == [3]
    anyway = _search(db, "منشقين السجون", mode="any")
    assert anyway["article_id"].tolist() == [3, 5, 2, 1]
    assert anyway["score"].tolist() == pytest.approx(
        [_bm25(2, 10, avgdl, 2) + _bm25(1, 10, avgdl, 3), _bm25(2, 6, avgdl, 2), _bm25(2, 2, avgdl, 3), _bm25(2, 9, avgdl, 3)],
        abs=1e-8,
    )
    assert anyway["matched_terms"].tolist() == [["سجون", "منشق"], ["منشق"], ["سجون"], ["سجون"]]


def test_without_context_the_ranking_columns_are_the_same_and_the_rest_empty(db):
    for query in ("السجون", "منشقين ضباط", '"ضباط منشقين"'):
        full = _search(db, query)
        bare = _search(db, query, context=False)
        assert list(bare.columns) == search.RESULT_COLUMNS and len(bare) == len(full) > 0
        assert bare[["article_id", "score", "matched_terms"]].equals(full[["article_id", "score", "matched_terms"]])
        assert bare.drop(columns=["article_id", "score", "matched_terms"]).isna().all().all()
    assert _search(db, "السجون", context=False)["matched_terms"].tolist() == [["سجون"]] * 3


def test_title_only_hit_points_at_the_title(db):
    found = _search(db, "تقرير")
    assert (found["article_id"].tolist(), found["seq"].tolist(), found["sentence"].tolist()) == ([1], [-1], ["تقرير"])


def test_quoted_phrase_must_occur_as_written(db):
    assert _search(db, '"ضباط منشقين"')["article_id"].tolist() == [3]
    assert _search(db, '"منشقين ضباط"')["article_id"].tolist() == [5]
    assert _search(db, '"ضباط السجون"').empty
    # Article 1's body holds "بالمعتقلين\nزار" (one sentence per line); no sentence does, so no match.
    assert _search(db, '"السجون مكتظة بالمعتقلين\nزار الوفد"').empty
    assert _search(db, '"السجون مكتظة بالمعتقلين"')["article_id"].tolist() == [1]


@pytest.mark.parametrize("margin", [0, 1, 16])
@pytest.mark.parametrize("growth", [2, 4])
def test_phrase_rounds_find_the_same_articles_however_they_grow(db, monkeypatch, margin, growth):
    # With no margin, the first round (one candidate for limit 1) misses and later rounds must find the rest.
    monkeypatch.setattr(search, "PHRASE_MARGIN", margin)
    monkeypatch.setattr(search, "PHRASE_GROWTH", growth)
    with store.read_cursor(db) as cur:
        for limit in (1, 2, 50):
            assert search.search(cur, '"منشقين ضباط"', limit=limit)["article_id"].tolist() == [5]
            assert search.search(cur, '"ضباط منشقين"', limit=limit)["article_id"].tolist() == [3]


def test_phrase_candidates_are_capped(db, monkeypatch):
    monkeypatch.setattr(search, "PHRASE_MARGIN", 0)
    with store.read_cursor(db) as cur:
        ranked = search.search(cur, "منشقين ضباط", limit=5)["article_id"].tolist()
        assert ranked.index(5) > 0  # the phrase's article is not the best-ranked candidate
        monkeypatch.setattr(search, "PHRASE_CANDIDATES", ranked.index(5))
        assert search.search(cur, '"منشقين ضباط"', limit=1).empty
        monkeypatch.setattr(search, "PHRASE_CANDIDATES", ranked.index(5) + 1)
        assert search.search(cur, '"منشقين ضباط"', limit=1)["article_id"].tolist() == [5]


@pytest.mark.parametrize(("query", "filters", "count"), [
    ("السجون", None, search.MatchCount(3, True)),
    ("ضباط منشقين", None, search.MatchCount(2, True)),
    ("منشقين السجون", None, search.MatchCount(1, True)),
    ('"ضباط منشقين"', None, search.MatchCount(1, True)),
    ('"ضباط السجون"', None, search.MatchCount(0, True)),
    ("السجون", Filters(sources=("a.net",)), search.MatchCount(2, True)),
    ("السجون", Filters(date_from=dt.date(2024, 1, 1)), search.MatchCount(2, True)),
    ("السجون كلمةغائبة", None, search.MatchCount(0, True)),
    ("في", None, search.MatchCount(0, True)),
])
def test_match_count_counts_what_search_finds_without_a_limit(db, query, filters, count):
    """The Search page showed its top 50 and never said how many articles matched in all."""
    with store.read_cursor(db) as cur:
        assert search.match_count(cur, query, filters) == count
        assert len(search.search(cur, query, filters, limit=1000)) == count.articles


def test_a_phrase_whose_words_are_everywhere_is_counted_as_at_most(db, monkeypatch):
    # Verifying every candidate's text is what search() itself stops at PHRASE_CANDIDATES.
    monkeypatch.setattr(search, "PHRASE_CANDIDATES", 1)
    with store.read_cursor(db) as cur:
        assert search.match_count(cur, '"ضباط منشقين"') == search.MatchCount(2, False)


def _weighted(cur, query: str) -> tuple[list[tuple[int, str, float]], float]:
    """The (term_id, stem, idf) list search() ranks with, rarest first, and the mean length."""
    terms = search.parse_query(query).terms
    ids = [search.term_id(t) for t in terms]
    n, avgdl, dfs = search_sql.term_stats(cur, ids)
    known = sorted((df, i, t) for i, t, df in zip(ids, terms, dfs, strict=True) if df)
    return [(i, t, search.bm25_idf(n, df)) for df, i, t in known], avgdl


# Letters that no light-stemming rule strips (no alef, lam, waw, yeh, heh or noon), so each made-up word is its
# own stem and none is a function word.
_LETTERS = "بتثجحخدذرزسشصضطظعغقكم"


def _zipf_articles() -> list:
    import random

    rng = random.Random(5)
    vocab = sorted({"".join(rng.choice(_LETTERS) for _ in range(4)) for _ in range(400)})[:300]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    articles = []
    for i in range(600):
        body = [" ".join(rng.choices(vocab, weights, k=rng.randint(4, 12))) for _ in range(rng.randint(1, 4))]
        articles.append((None, body, dt.date(2020 + i % 6, 1 + i % 12, 1), f"s{i % 3}.net"))
    return articles


@pytest.fixture(scope="module")
def zipf_db(tmp_path_factory) -> Path:
    """600 articles of made-up words drawn with Zipf-like frequencies (seeded): common, middle and rare stems,
    long postings lists and many tied scores, which the 12-article seed store cannot give."""
    path = tmp_path_factory.mktemp("zipf") / "basira.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO batches (batch_id, started_at, inputs) VALUES (1, now()::TIMESTAMP, 'fixture')")
        search.index_articles(con, _store_articles(con, 1, _zipf_articles()))
    return path


@pytest.fixture(scope="module")
def zipf_runs_db(tmp_path_factory) -> Path:
    """zipf_db's articles indexed 27 at a time, as incremental ingests leave them: 23 chunks make one run of
    level 2, one of level 1 and three of level 0."""
    path = tmp_path_factory.mktemp("zipf_runs") / "basira.duckdb"
    articles = _zipf_articles()
    with store.writer(path) as con:
        con.execute("INSERT INTO batches (batch_id, started_at, inputs) VALUES (1, now()::TIMESTAMP, 'fixture')")
        for start in range(0, len(articles), 27):
            search.index_articles(con, _store_articles(con, start + 1, articles[start : start + 27]))
    return path


def _answers(path: Path) -> list:
    """Every ranking the zipf stores give: one- to three-term queries in both modes and two-word phrases."""
    found = []
    with store.read_cursor(path) as cur:
        stems = [t for (t,) in cur.execute("SELECT term FROM search_terms ORDER BY df DESC, term").fetchall()]
        texts = [t for (t,) in cur.execute("SELECT text_norm FROM sentences ORDER BY article_id, seq LIMIT 12").fetchall()]
        queries = [*stems[:4], stems[40], stems[-2], *_any_cases(cur), *(f'"{" ".join(t.split()[:2])}"' for t in texts)]
        for query in queries:
            for mode in ("all", "any"):
                frame = search.search(cur, query, limit=80, mode=mode, context=False)
                found.append((query, mode, [tuple(r) for r in frame[["article_id", "score", "matched_terms"]].itertuples(index=False)]))
    return found


def test_compacting_after_a_large_batch_keeps_every_answer(zipf_runs_db, tmp_path):
    # 600 articles indexed in 5 runs: a batch of 149 (under a quarter) leaves them; one of 150 merges them into one
    # run, with the same postings (index_contents) and the same answers, scores, order and ties.
    import shutil

    path = tmp_path / "basira.duckdb"
    shutil.copyfile(zipf_runs_db.resolve(), path)
    before, answers = index_contents(path), _answers(path)
    assert sum(len(rows) for _, _, rows in answers) > 2000
    with store.writer(path) as con:
        assert len(search_sql.runs(con)) == 5
        assert not search.compact_after_batch(con, 0)
        assert not search.compact_after_batch(con, 149)
        assert len(search_sql.runs(con)) == 5
        assert search.compact_after_batch(con, 150)
        assert [r[1:] for r in search_sql.runs(con)] == [(3, sum(r[2] for r in search_sql.runs(con)))]
        assert not search.compact_after_batch(con, 600)
    assert index_contents(path) == before
    assert _answers(path) == answers


def test_an_ingest_batch_that_grows_the_store_by_a_quarter_ends_compacted(tmp_path, monkeypatch):
    from basira import ingest

    monkeypatch.setattr(ingest, "CHUNK", 2)
    seeds = sorted((store.ROOT / "seeds").glob("*.txt"))
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for seed in seeds[:-1]:
        (first / seed.name).write_bytes(seed.read_bytes())
    (later / seeds[-1].name).write_bytes(seeds[-1].read_bytes())
    path = tmp_path / "basira.duckdb"
    ingest.ingest_paths([first], path)
    with store.read_cursor(path) as cur:
        assert len(search_sql.runs(cur)) == 1
        indexed = search_sql.index_state(cur)[1]
    ingest.ingest_paths([later], path)
    with store.read_cursor(path) as cur:
        assert search_sql.index_state(cur)[1] - indexed < indexed / search.COMPACT_GROWTH
        assert len(search_sql.runs(cur)) == 2


def _any_cases(cur) -> list[str]:
    """Two- and three-word queries: a common stem with rarer ones, two common ones, and two rare ones."""
    stems = [t for (t,) in cur.execute("SELECT term FROM search_terms ORDER BY df DESC, term").fetchall()]
    common, middle, rare = stems[:4], stems[40:44], stems[-8:-4]
    return [
        *(f"{m} {c}" for m, c in zip(middle, common)),
        *(f"{r} {c}" for r, c in zip(rare, common)),
        f"{common[0]} {common[1]}",
        f"{rare[0]} {rare[1]}",
        f"{common[0]} {middle[0]} {rare[0]}",
        f"{common[1]} {common[2]} {middle[1]}",
    ]


@pytest.mark.parametrize("sample", [16384, 60, 7])
@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (5, 0), (50, 0), (10, 7), (40, 30), (700, 0)])
def test_any_mode_top_n_equals_summing_every_posting(zipf_db, monkeypatch, limit, offset, sample):
    # rank_any_split sums only the articles with a rarer term and takes the rest as a top-N of the commonest
    # term's weights, above a bound from a sample of them (whole list, part of it, or too few rows to bound
    # anything); rank_any sums every posting. Same ids, scores, matched stems and order, ties included.
    monkeypatch.setattr(search_sql, "FLOOR_SAMPLE", sample)
    narrowings = [Filters(), Filters(sources=("s1.net",)), Filters(date_from=dt.date(2023, 1, 1), include_undated=False)]
    with store.read_cursor(zipf_db) as cur:
        cases = _any_cases(cur)
        for query in cases:
            weighted, avgdl = _weighted(cur, query)
            assert len(weighted) == len(query.split()), query
            for filters in narrowings:
                cte, params = read.selection(filters) if filters != Filters() else ("", [])
                args = (weighted, avgdl, search.K1, search.B, cte, params, limit, offset)
                direct = search_sql.rank_any(cur, *args)
                assert search_sql.rank_any_split(cur, *args) == direct, (query, filters)
        # Both branches are compared: past the few articles with the rare stem, the commonest stem's articles
        # fill the page alone (its top-N), with tied scores among them.
        weighted, avgdl = _weighted(cur, cases[4])
        ranked = search_sql.rank_any(cur, weighted, avgdl, search.K1, search.B, "", [], 60, 0)
        alone = [r for r in ranked if r[2] == [weighted[-1][1]]]
        assert len(ranked) == 60 and 30 < len(alone) < 60
        assert len({r[1] for r in alone}) < len(alone)


@pytest.mark.parametrize("sample", [16384, 60, 7])
def test_one_term_top_n_above_the_floor_is_bm25_in_exact_order(zipf_db, monkeypatch, sample):
    # Every stem down to the middle ones takes the bounded path here; the ranking is BM25 computed in Python.
    monkeypatch.setattr(search_sql, "FLOOR_SAMPLE", sample)
    monkeypatch.setattr(search_sql, "FLOOR_MAX_IDF", 1e9)
    narrowings = [Filters(), Filters(sources=("s1.net",))]
    with store.read_cursor(zipf_db) as cur:
        stems = [t for (t,) in cur.execute("SELECT term FROM search_terms ORDER BY df DESC, term").fetchall()]
        for stem in [*stems[:6], *stems[40:42]]:
            [(term, _, idf)], avgdl = _weighted(cur, stem)
            for filters in narrowings:
                cte, params = read.selection(filters) if filters != Filters() else ("", [])
                kept = cur.execute(
                    (cte + " SELECT article_id FROM selected") if cte else "SELECT article_id FROM articles", params
                ).fetchall()
                rows = cur.execute("SELECT article_id, tf, dl FROM search_postings WHERE term_id = ?", [term]).fetchall()
                direct = sorted(
                    (-round(idf * 2.2 * tf / (tf + 1.2 * 0.25 + 1.2 * 0.75 / avgdl * dl), 9), a)
                    for a, tf, dl in rows if (a,) in set(kept)
                )
                for limit, offset in ((50, 0), (5, 3), (1, 0)):
                    found = search_sql.rank_all(cur, [(term, stem, idf)], avgdl, search.K1, search.B, cte, params, limit, offset)
                    assert [r[0] for r in found] == [a for _, a in direct[offset : offset + limit]], (stem, filters)
                    assert [r[1] for r in found] == pytest.approx([-s for s, _ in direct[offset : offset + limit]], abs=1e-8)
                    assert {tuple(r[2]) for r in found} <= {(stem,)}
            assert len(rows) > 60 or stem in stems[40:42]


def test_floor_is_the_kth_best_of_the_sample_or_nothing(monkeypatch):
    # Weights 0.1 .. 1.0 (ten rows, in that order): the first six rows' third best is 0.4; fewer rows than k
    # bound nothing.
    con = duckdb.connect()
    con.execute("CREATE TABLE ws AS SELECT (range + 1) / 10 AS w FROM range(10) ORDER BY range")
    monkeypatch.setattr(search_sql, "FLOOR_SAMPLE", 6)
    floor = "WITH rows AS (FROM ws) " + search_sql._floor_sql("rows")
    assert con.execute(floor, search_sql._floor_params(3)).fetchone()[0] == pytest.approx(0.4 - search_sql.FLOOR_SLACK)
    assert con.execute(floor, search_sql._floor_params(7)).fetchone()[0] == float("-inf")
    monkeypatch.setattr(search_sql, "FLOOR_SAMPLE", 100)
    assert con.execute(floor, search_sql._floor_params(10)).fetchone()[0] == pytest.approx(0.1 - search_sql.FLOOR_SLACK)


@pytest.mark.parametrize("listed", [0.0, 1e9])
@pytest.mark.parametrize("gap", [0.0, 1e9])
def test_all_mode_join_order_does_not_change_the_ranking(zipf_db, monkeypatch, gap, listed):
    # Semi-joining the longer lists to the rarest first (gap 0: always; 1e9: never), or reading the rarest list
    # first and binding its ids (listed 0: whenever the next list is long; 1e9: never), is only a plan: the
    # ranking equals BM25 summed in Python over the articles that have every term, rarest term first.
    monkeypatch.setattr(search_sql, "SEMI_JOIN_IDF_GAP", gap)
    monkeypatch.setattr(search_sql, "LISTED_MIN_IDF", listed)
    with store.read_cursor(zipf_db) as cur:
        nonempty = 0
        for query in _any_cases(cur):
            weighted, avgdl = _weighted(cur, query)
            weights: dict[int, dict[int, float]] = {}
            for term, _, idf in weighted:
                rows = cur.execute("SELECT article_id, tf, dl FROM search_postings WHERE term_id = ?", [term]).fetchall()
                for article_id, tf, dl in rows:
                    weight = idf * 2.2 * tf / (tf + 1.2 * 0.25 + 1.2 * 0.75 / avgdl * dl)
                    weights.setdefault(article_id, {})[term] = weight
            direct = sorted(
                (-sum(w[t] for t, _, _ in weighted), a) for a, w in weights.items() if len(w) == len(weighted)
            )
            for limit, offset in ((50, 0), (7, 5)):
                found = search_sql.rank_all(cur, weighted, avgdl, search.K1, search.B, "", [], limit, offset)
                expected = direct[offset : offset + limit]
                assert [r[0] for r in found] == [a for _, a in expected], query
                assert [r[1] for r in found] == pytest.approx([-s for s, _ in expected], abs=1e-8), query
                assert [r[2] for r in found] == [sorted(t for _, t, _ in weighted)] * len(found)
            nonempty += bool(direct)
        assert nonempty >= 8


def test_listed_rarest_ranks_as_the_join_does_within_filters(zipf_db, monkeypatch):
    narrowings = [Filters(sources=("s1.net",)), Filters(date_from=dt.date(2023, 1, 1), include_undated=False)]
    with store.read_cursor(zipf_db) as cur:
        listed = nonempty = 0
        for query in _any_cases(cur):
            weighted, avgdl = _weighted(cur, query)
            listed += len(weighted) > 1 and weighted[1][2] < search_sql.FLOOR_MAX_IDF
            for filters in narrowings:
                cte, params = read.selection(filters)
                for limit, offset in ((50, 0), (4, 3)):
                    args = (weighted, avgdl, search.K1, search.B, cte, params, limit, offset)
                    monkeypatch.setattr(search_sql, "LISTED_MIN_IDF", 0.0)
                    found = search_sql.rank_all(cur, *args)
                    monkeypatch.setattr(search_sql, "LISTED_MIN_IDF", 1e9)
                    assert found == search_sql.rank_all(cur, *args), (query, filters)
                    nonempty += bool(found)
        assert listed >= 6 and nonempty >= 12


@pytest.mark.parametrize("mode", ["all", "any"])
@pytest.mark.parametrize(("margin", "growth", "slack"), [(0, 2, 0.5), (16, 4, 1.25), (1, 4, 3.0)])
def test_phrase_rounds_equal_verifying_every_candidate(zipf_db, monkeypatch, mode, margin, growth, slack):
    # The direct formulation: rank every candidate, keep those whose text has the phrase, take the first
    # `limit`. The rounds verify only as far as they must, however they are sized; the answer is the same.
    monkeypatch.setattr(search, "PHRASE_MARGIN", margin)
    monkeypatch.setattr(search, "PHRASE_GROWTH", growth)
    monkeypatch.setattr(search, "PHRASE_SLACK", slack)
    with store.read_cursor(zipf_db) as cur:
        texts = [t for (t,) in cur.execute("SELECT text_norm FROM sentences ORDER BY article_id, seq LIMIT 40").fetchall()]
        phrases = sorted({" ".join(t.split()[i : i + 2]) for t in texts for i in (0, 2) if len(t.split()) > i + 1})
        assert len(phrases) > 30
        rank = search_sql.rank_all if mode == "all" else search_sql.rank_any
        kept_counts = []
        for phrase in phrases:
            weighted, avgdl = _weighted(cur, phrase)
            candidates = rank(cur, weighted, avgdl, search.K1, search.B, "", [], search.PHRASE_CANDIDATES, 0)
            verified = search_sql.articles_with_phrases(cur, [r[0] for r in candidates], [phrase])
            direct = [r for r in candidates if r[0] in verified]
            for limit in (1, 3, 50):
                found = search.search(cur, f'"{phrase}"', limit=limit, mode=mode, context=False)
                assert [tuple(r) for r in found[["article_id", "score", "matched_terms"]].itertuples(index=False)] == [
                    tuple(r) for r in direct[:limit]
                ], (phrase, limit)
            kept_counts.append(len(direct))
        # Some phrases are in one article, others in several; some candidates lack the phrase.
        assert min(kept_counts) >= 1 and max(kept_counts) > 3
        assert any(len(rank(cur, *_weighted(cur, p), search.K1, search.B, "", [], 600, 0)) > n for p, n in zip(phrases, kept_counts))


def test_any_mode_search_matches_the_direct_formulation(db):
    # Through search(): the fixture's hand-worked "any" ranking (see test_all_terms_by_default_any_on_request).
    with store.read_cursor(db) as cur:
        for query in ("منشقين السجون", "السجون منشقين ضباط", "تقرير السجون", "دمشق منشقين"):
            weighted, avgdl = _weighted(cur, query)
            direct = search_sql.rank_any(cur, weighted, avgdl, search.K1, search.B, "", [], 50, 0)
            found = search.search(cur, query, mode="any", context=False)
            assert [tuple(r) for r in found[["article_id", "score", "matched_terms"]].itertuples(index=False)] == [
                (a, s, m) for a, s, m in direct
            ], query


def test_phrase_candidates_are_ranked_once(db, monkeypatch):
    # One ranking of every candidate replaces a ranking per round; the rounds then walk that list.
    calls = []
    rank_all = search_sql.rank_all
    monkeypatch.setattr(search_sql, "rank_all", lambda *a: calls.append(a[-2:]) or rank_all(*a))
    monkeypatch.setattr(search, "PHRASE_MARGIN", 0)
    with store.read_cursor(db) as cur:
        assert search.search(cur, '"منشقين ضباط"', limit=1)["article_id"].tolist() == [5]
    assert calls == [(search.PHRASE_CANDIDATES, 0)]


def test_filters_narrow_the_results(db):
    assert _search(db, "السجون", filters=Filters(date_from=dt.date(2024, 1, 1), include_undated=False))[
        "article_id"
    ].tolist() == [2, 1]
    assert _search(db, "السجون", filters=Filters(sources=("a.net",)))["article_id"].tolist() == [1, 3]
    # The filter's own text is the query's job, not a second condition.
    assert _search(db, "السجون", filters=Filters(text="دمشق"))["article_id"].tolist() == [2, 1, 3]


def test_unknown_and_function_word_queries_find_nothing(db):
    assert _search(db, "صيدنايا").empty
    assert _search(db, "في من").empty
    assert _search(db, "السجون صيدنايا").empty
    assert list(_search(db, "")) == search.RESULT_COLUMNS


@pytest.mark.parametrize(
    "query",
    ["'; DROP TABLE articles; --", "السجون' OR '1'='1", "%", "_%_", "\\", '"', '""', "?", "$1", "سجن); DELETE FROM articles"],
)
def test_sql_metacharacters_are_inert(db, query):
    found = _search(db, query)
    assert set(found["article_id"]) <= {1, 2, 3}
    with store.read_cursor(db) as cur:
        assert cur.execute("SELECT count(*) FROM articles").fetchone() == (5,)


def test_dashboard_text_filter_uses_the_index(db):
    with store.read_cursor(db) as cur:
        assert read.article_count(cur, Filters(text="والسجون")) == 3
        assert read.article_count(cur, Filters(text="منشقين السجون")) == 1
        assert read.article_count(cur, Filters(text="في")) == 5


def test_incremental_index_equals_full_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "FANOUT", 2)
    incremental = tmp_path / "incremental.duckdb"
    more = [(f"عنوان {i}", [f"السجون رقم {i}", "منشقين"], dt.date(2020, 1, 1 + i), "d.net") for i in range(7)]
    with store.writer(incremental) as con:
        con.execute("INSERT INTO batches (batch_id, started_at, inputs) VALUES (1, now()::TIMESTAMP, 'fixture')")
        next_id = 1
        for part in (ARTICLES[:2], ARTICLES[2:3], ARTICLES[3:], more[:3], more[3:4], more[4:]):
            ids = _store_articles(con, next_id, part)
            search.index_articles(con, ids)
            next_id += len(part)
        runs = con.execute("SELECT count(*), max(level) FROM search_runs").fetchone()
    assert runs[0] > 1 and runs[1] >= 1, "the chunks were merged into levels"
    rebuilt = tmp_path / "rebuilt.duckdb"
    import shutil

    shutil.copyfile(incremental.resolve(), rebuilt)
    with store.writer(rebuilt) as con:
        assert search.rebuild_index(con) == 12
        assert con.execute("SELECT count(*) FROM search_runs").fetchone() == (1,)
    assert index_contents(incremental) == index_contents(rebuilt)
    for query in ("السجون", "منشقين السجون", "عنوان 3"):
        assert _search(incremental, query).equals(_search(rebuilt, query))


def test_a_store_without_an_index_catches_up_on_the_next_ingest(tmp_path):
    path = tmp_path / "basira.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO batches (batch_id, started_at, inputs) VALUES (1, now()::TIMESTAMP, 'fixture')")
        _store_articles(con, 1, ARTICLES[:3])
    with store.writer(path) as con:
        search.index_articles(con, _store_articles(con, 4, ARTICLES[3:]))
    assert _search(path, "السجون")["article_id"].tolist() == [2, 1, 3]


def _stored_lines(cur) -> list[tuple[int, str]]:
    """Per article, its normalised title and non-boilerplate sentences one per line, straight from the tables."""
    return cur.execute(
        "SELECT a.article_id, concat_ws(chr(10), a.title_norm, string_agg(s.text_norm, chr(10) ORDER BY s.seq)"
        " FILTER (WHERE NOT s.is_boilerplate)) FROM articles a LEFT JOIN sentences s USING (article_id)"
        " GROUP BY a.article_id, a.title_norm ORDER BY a.article_id"
    ).fetchall()


def test_phrase_bodies_are_the_stored_lines(db):
    with store.read_cursor(db) as cur:
        assert index_contents(db)["texts"] == _stored_lines(cur)
        assert index_contents(db)["texts"][0] == (1, "تقرير\nالسجون مكتظه بالمعتقلين\nزار الوفد السجون والسجن المركزي")
        assert search_sql.texts_complete(cur)


def test_a_store_without_phrase_texts_verifies_on_sentences_then_gets_them(db):
    # An index built before search_text existed: phrases are checked on the sentences (same answers) until the
    # next ingest gives every indexed article its body.
    before = index_contents(db)["texts"]
    with store.writer(db) as con:
        con.execute("DELETE FROM search_text WHERE article_id <> 2")
        search_sql.update_stats(con)
    with store.read_cursor(db) as cur:
        assert not search_sql.texts_complete(cur)
    assert _search(db, '"ضباط منشقين"')["article_id"].tolist() == [3]
    assert _search(db, '"منشقين ضباط"')["article_id"].tolist() == [5]
    assert _search(db, '"ضباط السجون"').empty
    with store.writer(db) as con:
        search.index_articles(con, [])
    assert index_contents(db)["texts"] == before
    with store.read_cursor(db) as cur:
        assert search_sql.texts_complete(cur)


def test_phrase_bodies_answer_as_the_sentences_do(zipf_db):
    # Phrases inside one sentence, across two sentences (never a match), in the title, and two at once.
    with store.read_cursor(zipf_db) as cur:
        ids = [a for (a,) in cur.execute("SELECT article_id FROM articles ORDER BY article_id").fetchall()]
        rows = cur.execute(
            "SELECT text_norm FROM sentences WHERE seq < 2 ORDER BY article_id, seq LIMIT 60"
        ).fetchall()
        words = [t.split() for (t,) in rows]
        inside = [" ".join(w[1:3]) for w in words if len(w) > 2]
        across = [f"{a[-1]} {b[0]}" for a, b in zip(words, words[1:])]
        phrases = [[p] for p in inside + across] + [[a, b] for a, b in zip(inside, inside[5:])]
        hits = []
        for pair in phrases:
            direct = search_sql.articles_with_phrases(cur, ids, pair)
            assert search._bodies_with_phrases(cur, ids, pair) == direct, pair
            hits.append(len(direct))
        assert min(hits[: len(inside)]) >= 1 and max(hits) > 3 and 0 in hits


def test_a_new_search_version_rebuilds(db, monkeypatch):
    before = index_contents(db)
    monkeypatch.setattr(search, "SEARCH_VERSION", "test-next")
    with store.writer(db) as con:
        search.index_articles(con, [])
        assert con.execute("SELECT value FROM meta WHERE key = 'search_version'").fetchone() == ("test-next",)
    after = index_contents(db)
    assert after["postings"] == before["postings"] and after["terms"] == before["terms"]


@pytest.mark.parametrize(
    ("sentences", "phrases", "best"),
    [
        # the sentence holding the phrase wins over an earlier one with as many stems ("انقلابي" is not انقلاب)
        (["اطاح به انقلاب عام 1972", "تنفيذ مخطط انقلابي في الدوحة"], ("مخطط انقلاب",), 1),
        # and over one with more of the stems
        (["مخطط الانقلاب في الدوحة", "مخطط انقلابي فاشل"], ("مخطط انقلاب",), 1),
        # no sentence holds it: most stems, earliest, as without a phrase
        (["اطاح به انقلاب", "مخطط الانقلاب"], ("مخطط انقلاب",), 1),
    ],
)
def test_best_sentence_prefers_the_quoted_phrase(sentences, phrases, best):
    rows = [(seq, raw, normalize_text(raw)) for seq, raw in enumerate(sentences)]
    found = search.best_sentence(rows, {"مخطط", "انقلاب"}, phrases)
    assert (found[0] if found else None) == best


@pytest.mark.parametrize(
    ("sentences", "stems", "best"),
    [
        (["السجون مكتظة", "زار الوفد السجن", "المنشقون في السجون"], {"سجون", "منشق"}, 2),
        (["السجون مكتظة", "المنشقون في السجون", "السجون والمنشقين"], {"سجون", "منشق"}, 1),
        (["السجون مكتظة", "زار الوفد السجن"], {"سجون", "منشق"}, 0),
        (["زار الوفد السجن"], {"سجون"}, None),
        ([], {"سجون"}, None),
    ],
)
def test_best_sentence_has_most_terms_earliest_first(sentences, stems, best):
    rows = [(seq, raw, normalize_text(raw)) for seq, raw in reversed(list(enumerate(sentences)))]
    found = search.best_sentence(rows, stems)
    assert (found[0] if found else None) == best


# The dashboard queries moved onto summaries (queries/summary.py) and a top-N-first article page: on the seed
# store they must return exactly what the direct formulations over entity_mentions return.
DIRECT_TOP_ENTITIES = (
    " SELECT e.entity_key, e.entity_type, e.canonical, e.latin, count(DISTINCT m.article_id) AS articles,"
    " count(*) AS mentions FROM selected s JOIN entity_mentions m USING (article_id) JOIN entities e USING (entity_key)"
    " GROUP BY ALL ORDER BY articles DESC, mentions DESC, e.entity_key LIMIT 20"
)
DIRECT_COOCCURRENCE = (
    ", pairs AS (SELECT m1.entity_key AS source, m2.entity_key AS target, m1.article_id, m1.seq"
    " FROM selected s JOIN entity_mentions m1 USING (article_id) JOIN entity_mentions m2"
    " ON m2.article_id = m1.article_id AND m2.seq = m1.seq AND m1.entity_key < m2.entity_key GROUP BY ALL)"
    " SELECT source, target, count(*) AS sentences, count(DISTINCT article_id) AS articles"
    " FROM pairs GROUP BY ALL ORDER BY sentences DESC, source, target LIMIT 40"
)
ENTITY_TYPES = (None, "PER", "ORG", "LOC")


def _typed_cooccurrence(entity_type: str | None, limit: int = 40) -> str:
    """DIRECT_COOCCURRENCE with only the pairs of two entities of `entity_type`, and the top `limit`."""
    tail = DIRECT_COOCCURRENCE.replace("LIMIT 40", f"LIMIT {limit}")
    if not entity_type:
        return tail
    typed = f"(SELECT entity_key FROM entities WHERE entity_type = '{entity_type}')"
    return tail.replace(" GROUP BY ALL)", f" WHERE m1.entity_key IN {typed} AND m2.entity_key IN {typed} GROUP BY ALL)")


DIRECT_TIMELINE = (
    " SELECT date_trunc('month', s.published)::DATE AS period, coalesce(t.topic, '') AS topic,"
    " count(*) AS articles, count(DISTINCT s.story_id) AS stories"
    " FROM selected s LEFT JOIN article_topics t USING (article_id)"
    " WHERE s.published IS NOT NULL GROUP BY ALL ORDER BY period, topic"
)
DIRECT_TOPICS = (
    " SELECT t.topic, tp.label, tp.label_ar, count(*) AS articles, count(DISTINCT s.story_id) AS stories,"
    " round(avg(t.score), 2) AS mean_score"
    " FROM selected s JOIN article_topics t USING (article_id) LEFT JOIN topics tp USING (topic)"
    " GROUP BY ALL ORDER BY articles DESC, t.topic"
)
DIRECT_PAGE = (
    " SELECT a.article_id, a.published, a.title_raw, coalesce(a.source_name, a.source_path) AS source, a.byline,"
    " a.story_id, a.char_count, (SELECT string_agg(topic, ', ' ORDER BY score DESC, topic) FROM article_topics t"
    " WHERE t.article_id = a.article_id) AS topics FROM selected s JOIN articles a USING (article_id)"
    " ORDER BY a.published DESC NULLS LAST, a.article_id DESC LIMIT 50"
)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    from basira import ingest

    path = tmp_path_factory.mktemp("seeds") / "basira.duckdb"
    ingest.ingest_paths([store.ROOT / "seeds"], path)
    return path


def test_ingest_writes_the_phrase_bodies_a_rebuild_would(seed_store, tmp_path):
    # Ingest compresses each article's lines in its worker; a rebuild reads them back from the tables.
    ingested = index_contents(seed_store)["texts"]
    with store.read_cursor(seed_store) as cur:
        assert ingested == _stored_lines(cur)
        assert len(ingested) == cur.execute("SELECT count(*) FROM articles").fetchone()[0] > 10
    import shutil

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(seed_store.resolve(), rebuilt)
    with store.writer(rebuilt) as con:
        search.rebuild_index(con)
    assert index_contents(rebuilt)["texts"] == ingested


def _direct(cur, filters: Filters, tail: str) -> list[tuple]:
    cte, params = read.selection(filters)
    return cur.execute(cte + tail, params).fetchall()


def _filter_cases(cur) -> list[Filters]:
    top = cur.execute("SELECT entity_key FROM entity_mentions GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2").fetchall()
    topic = cur.execute("SELECT topic FROM article_topics GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()
    return [
        Filters(),
        Filters(include_duplicates=False),
        Filters(date_from=dt.date(2025, 1, 1), include_undated=False),
        Filters(entities=(top[0][0],)),
        Filters(entities=tuple(t for (t,) in top)),
        Filters(topics=(topic[0][0],)),
    ]


def test_dashboard_summaries_match_the_direct_queries(seed_store):
    with store.read_cursor(seed_store) as cur:
        assert cur.execute("SELECT count(*) FROM summary_article_pairs").fetchone()[0] > 0
        for filters in _filter_cases(cur):
            assert [tuple(r) for r in read.top_entities(cur, filters).itertuples(index=False)] == _direct(
                cur, filters, DIRECT_TOP_ENTITIES
            ), filters
            for entity_type in ENTITY_TYPES:
                assert [tuple(r) for r in read.cooccurrence(cur, filters, 40, entity_type).itertuples(index=False)] == _direct(
                    cur, filters, _typed_cooccurrence(entity_type)
                ), (filters, entity_type)
            timeline = read.timeline(cur, filters, "month")
            assert [(p.date(), *rest) for p, *rest in timeline.itertuples(index=False)] == _direct(
                cur, filters, DIRECT_TIMELINE
            ), filters
            topics = read.topic_counts(cur, filters).astype(object).where(lambda f: f.notna(), None)
            assert [tuple(r) for r in topics.itertuples(index=False)] == _direct(cur, filters, DIRECT_TOPICS), filters
            page = read.article_page(cur, filters).astype(object).where(lambda f: f.notna(), None)
            direct = _direct(cur, filters, DIRECT_PAGE)
            assert [r[0] for r in page.itertuples(index=False)] == [r[0] for r in direct], filters
            assert page["topics"].tolist() == [r[-1] for r in direct], filters


@pytest.mark.parametrize("candidates", [1, 3, 10])
@pytest.mark.parametrize("limit", [1, 5, 40])
def test_top_n_bounds_are_exact_for_any_candidate_count(seed_store, monkeypatch, candidates, limit):
    # Few candidates make the first pass's floor low, so the second pass must widen to every pair that can
    # still reach the top `limit`; the result must not depend on how many candidates were summed first.
    monkeypatch.setattr(read, "TOP_CANDIDATES", candidates)
    with store.read_cursor(seed_store) as cur:
        cases = _filter_cases(cur) + [Filters(date_from=dt.date(2024, 1, 1), include_duplicates=False)]
        for filters in cases:
            for pair_type in ENTITY_TYPES:
                tail = _typed_cooccurrence(pair_type, limit)
                found = [tuple(r) for r in read.cooccurrence(cur, filters, limit, pair_type).itertuples(index=False)]
                assert found == _direct(cur, filters, tail), (filters, pair_type, candidates, limit)
                assert len(found) == min(limit, len(_direct(cur, filters, tail.replace(f"LIMIT {limit}", ""))))
            for entity_type in (None, "PER", "ORG"):
                typed = DIRECT_TOP_ENTITIES.replace("LIMIT 20", f"LIMIT {limit}")
                if entity_type:
                    typed = typed.replace(" GROUP BY ALL", f" WHERE e.entity_type = '{entity_type}' GROUP BY ALL")
                found = [tuple(r) for r in read.top_entities(cur, filters, entity_type, limit).itertuples(index=False)]
                assert found == _direct(cur, filters, typed), (filters, entity_type, candidates, limit)


def _facts_cases(cur) -> list[Filters]:
    """_filter_cases and the filters the facts answer differently from the articles table: sources, text,
    several topics, undated articles kept or dropped inside a date range, and every filter at once."""
    (source,) = cur.execute(
        f"SELECT {shown_source()} FROM articles GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()
    # A file that named no outlet is chosen by its name: the facts keep its path (facts_sources), the articles only.
    files = cur.execute(
        f"SELECT {shown_source()} FROM articles WHERE source_name IS NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2"
    ).fetchall()
    topics = tuple(t for (t,) in cur.execute("SELECT topic FROM article_topics GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2").fetchall())
    (entity,) = cur.execute("SELECT entity_key FROM entity_mentions GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
    return _filter_cases(cur) + [
        Filters(include_undated=False),
        Filters(include_undated=False, include_duplicates=False),
        Filters(sources=(source,)),
        Filters(sources=(source, "no such source")),
        Filters(sources=tuple(f for (f,) in files)),
        Filters(topics=topics),
        Filters(topics=topics[1:], include_duplicates=False, include_undated=False),
        Filters(text="سوريا"),
        Filters(date_from=dt.date(2024, 6, 1), date_to=dt.date(2025, 6, 30)),
        Filters(date_to=dt.date(2025, 3, 31), include_undated=False, include_duplicates=False),
        Filters(
            date_from=dt.date(2020, 1, 1), topics=topics[:1], entities=(entity,), sources=(source,),
            include_duplicates=False, include_undated=False,
        ),
    ]


def _frames_equal(found, direct) -> bool:
    return found.equals(direct) and list(found.dtypes) == list(direct.dtypes)


def test_dashboard_facts_match_the_direct_queries(seed_store):
    # The facts (per-article rows with date, story flag and source inline) must give exactly the answers of
    # the same queries over the articles table, frame for frame, including every dtype.
    with store.read_cursor(seed_store) as cur:
        assert cur.execute("SELECT count(*) FROM facts_pairs").fetchone()[0] > 0
        cases = _facts_cases(cur)
        sizes = [read.key_figures_direct(cur, f)["articles"] for f in cases]
        assert 0 < min(sizes[1:]) and max(sizes[1:]) < sizes[0]  # every case is a real, narrower view
        for filters in cases:
            assert read.key_figures(cur, filters) == read.key_figures_direct(cur, filters), filters
            for grain in ("month", "day", "year"):
                assert _frames_equal(read.timeline(cur, filters, grain), read.timeline_direct(cur, filters, grain)), filters
            assert _frames_equal(read.topic_counts(cur, filters), read.topic_counts_direct(cur, filters)), filters
            for entity_type in (None, "PER", "LOC"):
                assert _frames_equal(
                    read.top_entities(cur, filters, entity_type, 7), read.top_entities_direct(cur, filters, entity_type, 7)
                ), (filters, entity_type)
            for entity_type in ENTITY_TYPES:
                assert _frames_equal(
                    read.cooccurrence(cur, filters, 15, entity_type), read.cooccurrence_direct(cur, filters, 15, entity_type)
                ), (filters, entity_type)
            for offset in (0, 3):
                assert _frames_equal(
                    read.article_page(cur, filters, 5, offset), read.article_page_direct(cur, filters, 5, offset)
                ), filters


def _facts(cur) -> dict[str, list[tuple]]:
    tables = (
        "facts_articles", "facts_topics", "facts_entities", "facts_pairs", "facts_sources", "facts_entity_ids",
        "facts_entity_totals", "facts_pair_totals", "facts_hot_pairs", "facts_hot_pair_ids",
        "facts_topic_entity_totals", "facts_topic_pair_totals", "facts_hot_entities", "facts_hot_entity_ids",
        "facts_pair_types", "facts_evidence",
    )
    return {t: cur.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def test_facts_are_derived_from_the_articles_and_summaries(seed_store):
    with store.read_cursor(seed_store) as cur:
        facts = _facts(cur)
        assert facts["facts_articles"] == cur.execute(
            "SELECT a.published, a.article_id = a.story_id, s.source_id, a.article_id, a.story_id,"
            " EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.article_id),"
            " (SELECT count(*) FROM articles b WHERE b.story_id = a.story_id) > 1"
            " FROM articles a JOIN facts_sources s ON s.source = coalesce(a.source_name, a.source_path) ORDER BY ALL"
        ).fetchall()
        assert facts["facts_entities"] == cur.execute(
            "SELECT a.published, a.article_id = a.story_id, s.source_id, m.article_id, i.entity_id, count(*)"
            " FROM entity_mentions m JOIN articles a USING (article_id) JOIN facts_entity_ids i USING (entity_key)"
            " JOIN facts_sources s ON s.source = coalesce(a.source_name, a.source_path) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert len(facts["facts_pairs"]) == cur.execute("SELECT count(*) FROM summary_article_pairs").fetchone()[0]
        assert facts["facts_entity_totals"] == cur.execute(
            "SELECT entity_id, is_story, published IS NOT NULL, count(*), sum(mentions) FROM facts_entities"
            " GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert facts["facts_pair_totals"] == cur.execute(
            "SELECT pair_id, is_story, published IS NOT NULL, sum(sentences), count(*) FROM facts_pairs"
            " GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert facts["facts_topic_entity_totals"] == cur.execute(
            "SELECT t.topic, f.entity_id, f.is_story, f.published IS NOT NULL, count(*), sum(f.mentions)"
            " FROM facts_entities f JOIN article_topics t USING (article_id) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert facts["facts_topic_pair_totals"] == cur.execute(
            "SELECT t.topic, f.pair_id, f.is_story, f.published IS NOT NULL, sum(f.sentences), count(*)"
            " FROM facts_pairs f JOIN article_topics t USING (article_id) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert len(facts["facts_topics"]) == cur.execute("SELECT count(*) FROM article_topics").fetchone()[0]
        # Numbers are distinct and cover every name once.
        for table, key in (("facts_sources", "source"), ("facts_entity_ids", "entity_key")):
            assert cur.execute(f"SELECT count(*) = count(DISTINCT {key}) FROM {table}").fetchone() == (True,)
        assert sorted(k for _, k in facts["facts_entity_ids"]) == [
            k for (k,) in cur.execute("SELECT DISTINCT entity_key FROM entity_mentions ORDER BY 1").fetchall()
        ]
        assert [n for n, _ in facts["facts_entity_ids"]] == list(range(1, len(facts["facts_entity_ids"]) + 1))


def test_a_store_without_facts_answers_directly_and_gets_them_on_the_next_refresh(seed_store, tmp_path):
    import shutil

    from basira.queries import summary

    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seed_store.resolve(), copy)
    con = duckdb.connect(str(copy))
    expected = _facts(con)
    cases = _facts_cases(con)
    answers = [(read.key_figures(con, f), read.top_entities(con, f), read.cooccurrence(con, f)) for f in cases]
    # A store written before the facts existed: no tables, no meta key.
    for table in expected:
        con.execute(f"DROP TABLE {table}")
    con.execute("DELETE FROM meta WHERE key = 'facts_through'")
    assert not summary.facts_ready(con)
    for filters, (figures, entities, pairs) in zip(cases, answers, strict=True):
        assert read.key_figures(con, filters) == figures
        assert _frames_equal(read.top_entities(con, filters), entities)
        assert _frames_equal(read.cooccurrence(con, filters), pairs)
    # The writer creates the schema (empty facts): still not ready until a refresh builds them.
    from basira.queries import create_schema

    create_schema(con)
    assert not summary.facts_ready(con)
    assert read.key_figures(con, Filters()) == answers[0][0]
    summary.refresh(con)
    assert summary.facts_ready(con)
    assert _facts(con) == expected
    con.close()


def test_pairs_without_their_types_are_listed_by_type_directly_until_the_next_refresh(seed_store, tmp_path):
    # A store whose facts were built before facts_pair_types (the writer creates it empty): the Type filter must not
    # read the empty table as "no pair of this type".
    import shutil

    from basira.queries import broken_invariants, summary

    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seed_store.resolve(), copy)
    con = duckdb.connect(str(copy))
    types = con.execute("SELECT * FROM facts_pair_types ORDER BY ALL").fetchall()
    assert {t for _, t in types} == {None, "ORG", "LOC"}
    cases = _facts_cases(con)
    answers = {(f, t): read.cooccurrence_direct(con, f, 15, t) for f in cases for t in ENTITY_TYPES}
    con.execute("DELETE FROM facts_pair_types")
    assert summary.facts_ready(con) and not summary.pair_types_ready(con)
    for (filters, entity_type), pairs in answers.items():
        assert _frames_equal(read.cooccurrence(con, filters, 15, entity_type), pairs), (filters, entity_type)
    summary.refresh(con)
    assert summary.pair_types_ready(con)
    assert con.execute("SELECT * FROM facts_pair_types ORDER BY ALL").fetchall() == types
    assert broken_invariants(con) == {}
    con.close()


def test_facts_grow_with_each_batch_as_a_rebuild_would_make_them(tmp_path):
    from basira import ingest
    from basira.queries import summary

    seeds = sorted((store.ROOT / "seeds").iterdir())
    path = tmp_path / "basira.duckdb"
    half = len(seeds) // 2
    ingest.ingest_paths(seeds[:half], path)
    ingest.ingest_paths(seeds[half:], path)
    pair_names = "SELECT pair_id, (source, target) FROM summary_pairs"
    with store.writer(path) as con:
        grown = _facts(con) | {"pairs": con.execute(pair_names).fetchall()}
        assert len(grown["facts_articles"]) == con.execute("SELECT count(*) FROM articles").fetchone()[0]
        # The hot pairs chosen by the first batch keep complete rows; totals added batch by batch are the sums
        # over every fact row.
        assert grown["facts_hot_pairs"] == con.execute(
            "SELECT * FROM facts_pairs WHERE pair_id IN (SELECT pair_id FROM facts_hot_pair_ids) ORDER BY ALL"
        ).fetchall()
        assert grown["facts_entity_totals"] == con.execute(
            "SELECT entity_id, is_story, published IS NOT NULL, count(*), sum(mentions) FROM facts_entities"
            " GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert grown["facts_pair_totals"] == con.execute(
            "SELECT pair_id, is_story, published IS NOT NULL, sum(sentences), count(*) FROM facts_pairs"
            " GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert grown["facts_topic_pair_totals"] == con.execute(
            "SELECT t.topic, f.pair_id, f.is_story, f.published IS NOT NULL, sum(f.sentences), count(*)"
            " FROM facts_pairs f JOIN article_topics t USING (article_id) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        summary.rebuild(con)
        rebuilt = _facts(con) | {"pairs": con.execute(pair_names).fetchall()}
    # Numbers (sources, entities, pairs) are given in order of first appearance, so they can differ from a
    # rebuild's; the facts must be the same once numbers are read as names.
    def named(facts: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
        sources, entities, pairs = dict(facts["facts_sources"]), dict(facts["facts_entity_ids"]), dict(facts["pairs"])
        return {
            "articles": sorted((r[:2] + (sources[r[2]],) + r[3:] for r in facts["facts_articles"]), key=repr),
            "topics": sorted((r[:2] + (sources[r[2]],) + r[3:] for r in facts["facts_topics"]), key=repr),
            "entities": sorted((r[:2] + (sources[r[2]], r[3], entities[r[4]], r[5]) for r in facts["facts_entities"]), key=repr),
            "pairs": sorted((r[:2] + (sources[r[2]], r[3], pairs[r[4]], r[5]) for r in facts["facts_pairs"]), key=repr),
            "evidence": sorted((r[:2] + (sources[r[2]],) + r[3:] for r in facts["facts_evidence"]), key=repr),
        }
    assert named(grown) == named(rebuilt)
    assert len(grown["facts_articles"]) > half


def test_pair_and_entity_totals_match_the_per_article_summaries(seed_store):
    with store.read_cursor(seed_store) as cur:
        assert cur.execute("SELECT * FROM summary_entities ORDER BY ALL").fetchall() == cur.execute(
            "SELECT entity_key, count(DISTINCT article_id), count(*) FROM entity_mentions GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        totals = cur.execute("SELECT source, target, sentences, articles FROM summary_pairs ORDER BY ALL").fetchall()
        direct = _direct(cur, Filters(), DIRECT_COOCCURRENCE.replace(" LIMIT 40", ""))
        assert totals == sorted(direct)
        (ids, distinct) = cur.execute("SELECT count(*), count(DISTINCT pair_id) FROM summary_pairs").fetchone()
        assert ids == distinct == len(direct)


def test_an_old_pair_summary_is_upgraded_on_the_next_refresh(seed_store, tmp_path):
    import shutil

    from basira.queries import summary

    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seed_store.resolve(), copy)
    con = duckdb.connect(str(copy))
    expected = con.execute("SELECT * FROM summary_article_pairs ORDER BY ALL").fetchall()
    # The layout before pairs were numbered: two entity keys per row, and no summary_pairs.
    con.execute("DROP TABLE summary_article_pairs")
    con.execute("DROP TABLE summary_pairs")
    con.execute("DROP TABLE summary_entities")
    entities_direct = [_direct(con, f, DIRECT_TOP_ENTITIES) for f in _filter_cases(con)]
    con.execute(
        "CREATE TABLE summary_article_pairs (article_id BIGINT, source VARCHAR, target VARCHAR, sentences INTEGER)"
    )
    # Until then the dashboard still answers, from entity_mentions directly.
    for filters in _filter_cases(con):
        found = [tuple(r) for r in read.cooccurrence(con, filters).itertuples(index=False)]
        assert found == _direct(con, filters, DIRECT_COOCCURRENCE), filters
    assert [[tuple(r) for r in read.top_entities(con, f).itertuples(index=False)] for f in _filter_cases(con)] == entities_direct
    options = read.entity_options(con)
    summary.refresh(con)
    assert read.entity_options(con).equals(options)
    assert [[tuple(r) for r in read.top_entities(con, f).itertuples(index=False)] for f in _filter_cases(con)] == entities_direct
    assert con.execute("SELECT * FROM summary_article_pairs ORDER BY ALL").fetchall() == expected
    con.close()


def test_entity_filter_uses_the_entity_postings(seed_store):
    with store.read_cursor(seed_store) as cur:
        counts = cur.execute(
            "SELECT entity_key, count(DISTINCT article_id) FROM entity_mentions GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
        ).fetchall()
        assert counts and counts[0][1] > 1
        for entity, articles in counts:
            assert read.article_count(cur, Filters(entities=(entity,))) == articles, entity
        (first, _), (second, _) = counts[:2]
        both = cur.execute(
            "SELECT count(*) FROM (SELECT article_id FROM entity_mentions WHERE entity_key = ?"
            " INTERSECT SELECT article_id FROM entity_mentions WHERE entity_key = ?)",
            [first, second],
        ).fetchone()[0]
        assert read.article_count(cur, Filters(entities=(first, second))) == both
        # Entity postings never answer a text query, and do not count in BM25 lengths.
        assert search.search(cur, first).empty
        assert cur.execute("SELECT count(*) FROM search_terms WHERE term LIKE '%entity:%'").fetchone() == (0,)


def test_entity_options_match_the_direct_query(seed_store):
    with store.read_cursor(seed_store) as cur:
        direct = cur.execute(
            "SELECT e.entity_key, e.entity_type, e.canonical, e.latin, count(DISTINCT m.article_id) AS articles"
            " FROM entities e JOIN entity_mentions m USING (entity_key) GROUP BY ALL ORDER BY articles DESC, e.entity_key"
            " LIMIT 500"
        ).fetchall()
        assert [tuple(r) for r in read.entity_options(cur).itertuples(index=False)] == direct


def test_retag_rebuilds_the_summaries(seed_store, tmp_path):
    import shutil

    from basira import ingest

    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seed_store.resolve(), copy)
    with store.read_cursor(copy) as cur:
        before = cur.execute("SELECT * FROM summary_article_pairs ORDER BY ALL").fetchall()
    ingest.retag(copy)
    with store.read_cursor(copy) as cur:
        assert cur.execute("SELECT * FROM summary_article_pairs ORDER BY ALL").fetchall() == before
        assert cur.execute(
            "SELECT count(*) FROM (SELECT article_id, entity_key, count(*) FROM entity_mentions GROUP BY ALL"
            " EXCEPT SELECT * FROM summary_article_entities)"
        ).fetchone() == (0,)


def test_facts_invariants_catch_a_stale_fact(seed_store, tmp_path):
    import shutil

    from basira.queries import broken_invariants

    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seed_store.resolve(), copy)
    con = duckdb.connect(str(copy))
    assert broken_invariants(con) == {}
    (article,) = con.execute("SELECT min(article_id) FROM facts_articles WHERE published IS NOT NULL").fetchone()
    con.execute("UPDATE facts_articles SET published = published + 1 WHERE article_id = ?", [article])
    con.execute("DELETE FROM facts_topics WHERE article_id = (SELECT min(article_id) FROM facts_topics)")
    con.execute("DELETE FROM facts_hot_pairs WHERE article_id = (SELECT min(article_id) FROM facts_hot_pairs)")
    broken = broken_invariants(con)
    assert sorted(broken) == ["facts_article_matches_its_article", "facts_rows_match_the_summaries"]
    assert broken["facts_article_matches_its_article"] == [(article,)]
    assert sorted(broken["facts_rows_match_the_summaries"]) == [("facts_hot_pairs",), ("facts_topics",)]
    con.close()


@pytest.mark.parametrize("hot", [0, 2, 25])
def test_top_entities_are_exact_whichever_entities_are_hot(seed_store, tmp_path, monkeypatch, hot):
    import shutil

    from basira.queries import summary

    monkeypatch.setattr(summary, "HOT_ENTITIES", hot)
    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seed_store.resolve(), copy)
    con = duckdb.connect(str(copy))
    summary.rebuild(con)
    assert con.execute("SELECT count(*) FROM facts_hot_entity_ids").fetchone() == (hot,)
    assert con.execute("SELECT * FROM facts_hot_entities ORDER BY ALL").fetchall() == con.execute(
        "SELECT * FROM facts_entities WHERE entity_id IN (SELECT entity_id FROM facts_hot_entity_ids) ORDER BY ALL"
    ).fetchall()
    for filters in _facts_cases(con):
        for limit in (1, 3, 20):
            for entity_type in (None, "PER", "LOC"):
                assert _frames_equal(
                    read.top_entities(con, filters, entity_type, limit),
                    read.top_entities_direct(con, filters, entity_type, limit),
                ), (filters, limit, entity_type)
    con.close()


@pytest.mark.parametrize("hot", [0, 2, 25])
def test_cooccurrence_is_exact_whichever_pairs_are_hot(seed_store, tmp_path, monkeypatch, hot):
    # Few hot pairs make the first pass's floor low and send the second pass to every pair fact; many keep
    # both passes on the hot rows. The answer must not depend on it.
    import shutil

    from basira.queries import summary

    monkeypatch.setattr(summary, "HOT_PAIRS", hot)
    copy = tmp_path / "basira.duckdb"
    shutil.copyfile(seed_store.resolve(), copy)
    con = duckdb.connect(str(copy))
    summary.rebuild(con)
    assert _hot_choice(con)[1] == _top_now(con, hot)[1]
    assert con.execute("SELECT * FROM facts_hot_pairs ORDER BY ALL").fetchall() == con.execute(
        "SELECT * FROM facts_pairs WHERE pair_id IN (SELECT pair_id FROM facts_hot_pair_ids) ORDER BY ALL"
    ).fetchall()
    for filters in _facts_cases(con):
        for limit in (1, 5, 40):
            for entity_type in ENTITY_TYPES:
                assert _frames_equal(
                    read.cooccurrence(con, filters, limit, entity_type), read.cooccurrence_direct(con, filters, limit, entity_type)
                ), (filters, limit, entity_type)
    con.close()


def _hot_choice(con) -> tuple[list[int], list[int]]:
    return (
        [r[0] for r in con.execute("SELECT entity_id FROM facts_hot_entity_ids ORDER BY 1").fetchall()],
        [r[0] for r in con.execute("SELECT pair_id FROM facts_hot_pair_ids ORDER BY 1").fetchall()],
    )


def _top_now(con, n: int) -> tuple[list[int], list[int]]:
    entities = con.execute(
        "SELECT i.entity_id FROM summary_entities s JOIN facts_entity_ids i USING (entity_key)"
        " ORDER BY s.articles DESC, i.entity_id LIMIT ?", [n]
    ).fetchall()
    # The n most frequent pairs, and the n most frequent of each type (two people, two organisations, two places).
    types = dict(con.execute("SELECT entity_key, entity_type FROM entities").fetchall())
    ranked = con.execute("SELECT pair_id, source, target FROM summary_pairs ORDER BY sentences DESC, pair_id").fetchall()
    pairs = {pair_id for pair_id, _, _ in ranked[:n]}
    for entity_type in ("PER", "ORG", "LOC"):
        pairs |= set([p for p, a, b in ranked if types[a] == types[b] == entity_type][:n])
    return sorted(r[0] for r in entities), sorted(pairs)


@pytest.mark.parametrize(("first_batch", "rechosen"), [(3, True), (8, False)])
def test_hot_sets_are_chosen_again_when_the_store_has_doubled(tmp_path, monkeypatch, first_batch, rechosen):
    # A store grown from a few articles must not keep their hot sets forever: 3 -> 12 articles is more than
    # double (chosen again), 8 -> 12 is not (kept). Either way the hot rows stay complete.
    from basira import ingest
    from basira.queries import summary

    monkeypatch.setattr(summary, "HOT_ENTITIES", 3)
    monkeypatch.setattr(summary, "HOT_PAIRS", 3)
    seeds = sorted((store.ROOT / "seeds").iterdir())
    path = tmp_path / "basira.duckdb"
    ingest.ingest_paths(seeds[:first_batch], path, workers=1)
    with store.writer(path) as con:
        first = _hot_choice(con)
        assert first == _top_now(con, 3)
    ingest.ingest_paths(seeds[first_batch:], path, workers=1)
    with store.writer(path) as con:
        now = _top_now(con, 3)
        assert now != first  # the seeds' most frequent entities and pairs change as the store grows
        assert _hot_choice(con) == (now if rechosen else first)
        assert con.execute("SELECT value FROM meta WHERE key = 'facts_hot_chosen_at'").fetchone() == (
            ("12",) if rechosen else (str(first_batch),)
        )
        assert con.execute("SELECT * FROM facts_hot_pairs ORDER BY ALL").fetchall() == con.execute(
            "SELECT * FROM facts_pairs WHERE pair_id IN (SELECT pair_id FROM facts_hot_pair_ids) ORDER BY ALL"
        ).fetchall()
        assert con.execute("SELECT * FROM facts_hot_entities ORDER BY ALL").fetchall() == con.execute(
            "SELECT * FROM facts_entities WHERE entity_id IN (SELECT entity_id FROM facts_hot_entity_ids) ORDER BY ALL"
        ).fetchall()


def test_pair_sentences_from_the_facts_match_the_direct_queries(seed_store):
    # The pair's facts choose which articles to read; the rows must be those of reading every mention of both
    # entities, for every pair of every view, with limits that cut inside an article's sentences.
    with store.read_cursor(seed_store) as cur:
        checked, entity = 0, None
        for filters in _facts_cases(cur):
            pairs = read.cooccurrence(cur, filters, 40)
            for source, target, sentences, _articles in pairs.itertuples(index=False):
                entity = entity or source  # an entity of some pair (the last view may have none: every filter at once)
                # The edge's count is the drill-down's: titles naming both count on both sides.
                assert read.pair_sentence_count(cur, filters, source, target) == sentences, (filters, source, target)
                assert read.pair_sentence_count_direct(cur, filters, target, source) == sentences, (filters, source, target)
                for limit in (1, 2, 3, 200):
                    found = read.pair_sentences(cur, filters, target, source, limit)
                    assert _frames_equal(found, read.pair_sentences_direct(cur, filters, source, target, limit)), (
                        filters, source, target, limit)
                    assert len(found) == min(limit, sentences)
                checked += 1
        assert checked > 50
        assert read.pair_sentence_count(cur, Filters(), entity, entity) == 0
        assert read.pair_sentence_count(cur, Filters(), entity, "no:such") == 0
        assert _frames_equal(read.pair_sentences(cur, Filters(), entity, "no:such", 5),
                             read.pair_sentences_direct(cur, Filters(), entity, "no:such", 5))
        assert read.pair_sentences(cur, Filters(), entity, "no:such", 5).empty


def _named_articles(cur, entity_key: str) -> dict[int, int]:
    """{article_id: mentions} of the articles naming an entity, from the analysis' per-article summary."""
    return dict(cur.execute(
        "SELECT article_id, mentions FROM summary_article_entities WHERE entity_key = ?", [entity_key]).fetchall())


@pytest.mark.parametrize(
    ("query", "entity_key"),
    [("Saydnaya", "loc:saydnaya"), ("SEDNAYA", "loc:saydnaya"), ("Sidnaya", "loc:saydnaya"),
     ("anas khattab", "per:anas_khattab"), ("Anas Khatab", "per:anas_khattab"), ("Ḥomṣ", "loc:homs")],
)
def test_a_latin_name_finds_the_articles_naming_its_entity_by_bm25(seed_store, query, entity_key):
    with store.read_cursor(seed_store) as cur:
        found = search.search(cur, query)
        named = _named_articles(cur, entity_key)
        n, _ = search_sql.corpus_stats(cur)
        canonical = cur.execute("SELECT canonical FROM entities WHERE entity_key = ?", [entity_key]).fetchone()[0]
    assert named, entity_key
    # The entity's postings are one term: tf its mentions in the article, indexed length 0 (entity postings).
    idf = math.log(1 + (n - len(named) + 0.5) / (len(named) + 0.5))
    expected = sorted(((a, idf * 2.2 * tf / (tf + 0.3)) for a, tf in named.items()), key=lambda r: (-r[1], r[0]))
    assert found["article_id"].tolist() == [a for a, _ in expected]
    assert found["score"].tolist() == pytest.approx([s for _, s in expected], abs=1e-8)
    stems = sorted(set(search.text_stems(canonical)))
    assert found["matched_terms"].tolist() == [stems] * len(named)


def test_a_mixed_query_needs_the_arabic_words_and_the_name(seed_store):
    with store.read_cursor(seed_store) as cur:
        mixed = search.search(cur, "سجن Sednaya", limit=1000)
        arabic = search.search(cur, "سجن", limit=1000)
        named = _named_articles(cur, "loc:saydnaya")
    assert sorted(mixed["article_id"]) == sorted(set(arabic["article_id"]) & set(named)) != []
    assert mixed["matched_terms"].tolist() == [["سجن", "صيدنايا"]] * len(mixed)
    assert all("صيدنايا" in s or "سجن" in s for s in mixed["sentence_norm"])


def test_a_latin_name_search_stays_within_the_filters(seed_store):
    with store.read_cursor(seed_store) as cur:
        everywhere = search.search(cur, "Anas Khattab")
        sources = sorted(set(everywhere["source"]))
        # A result names its source as the pages show it (a seed by its file's name), and the filter takes that name.
        assert sources[0] in set(read.source_list(cur)["source"])
        narrowed = search.search(cur, "Anas Khattab", Filters(sources=(sources[0],)))
    assert narrowed["article_id"].tolist() == everywhere[everywhere["source"] == sources[0]]["article_id"].tolist() != []


@pytest.mark.parametrize(
    ("query", "unread"),
    [("Xyzzy", ["Xyzzy"]), ("Qwertyuiop Saydnaya", ["Qwertyuiop Saydnaya"]), ("سجن Xyzzy", ["Xyzzy"]),
     ("Xyzzy, Saydnaya", ["Xyzzy"])],
)
def test_latin_words_that_name_nothing_find_nothing(seed_store, query, unread):
    with store.read_cursor(seed_store) as cur:
        assert search.search(cur, query).empty
        assert [r.text for r in search.read_names(cur, query) if not r.names] == unread


def test_the_name_index_follows_the_store(seed_store, tmp_path):
    db = tmp_path / "renamed.duckdb"
    shutil.copyfile(store.generation_file(seed_store), db)
    with store.read_cursor(seed_store) as cur:
        assert [r.names[0].entity_key for r in search.read_names(cur, "Saydnaya")] == ["loc:saydnaya"]
    with store.writer(db) as con:  # as after a retag that spells the place another way
        con.execute("UPDATE entities SET latin = 'Sidnaya' WHERE entity_key = 'loc:saydnaya'")
    with store.read_cursor(db) as cur:
        assert [r.tier for r in search.read_names(cur, "Sidnaya")] == [1]


@pytest.mark.parametrize(("query", "filters"), [
    ("سجن", Filters()), ("سجن صيدنايا", Filters()), ('"سجن صيدنايا"', Filters()), ("Sednaya", Filters()),
    ("سجن Sednaya", Filters()), ("anas khattab", Filters()), ("Assad, Saydnaya", Filters()),
    ("سجن", Filters(topics=("prisons",))), ("Sednaya", Filters(date_from=dt.date(2020, 1, 1))),
])
def test_match_count_on_the_seeds_is_the_number_search_finds(seed_store, query, filters):
    with store.read_cursor(seed_store) as cur:
        count = search.match_count(cur, query, filters)
        found = search.search(cur, query, filters, limit=1000)
    assert count == search.MatchCount(len(found), True)


@pytest.mark.parametrize(("query", "filters"), [
    ("سجن", Filters()), ('"سجن صيدنايا"', Filters()), ("سجن Sednaya", Filters()), ("Assad, Saydnaya", Filters()),
    ("Sednaya", Filters(date_from=dt.date(2020, 1, 1))), ("nothingnamed", Filters()),
])
def test_search_counted_is_search_its_names_and_match_count_with_the_names_read_once(seed_store, query, filters,
                                                                                      monkeypatch):
    with store.read_cursor(seed_store) as cur:
        expected = (search.search(cur, query, filters, 7), search.read_names(cur, query),
                    search.match_count(cur, query, filters))
        calls = []
        read_names = search.read_names
        monkeypatch.setattr(search, "read_names", lambda cur, text: calls.append(text) or read_names(cur, text))
        found, named, count = search.search_counted(cur, query, filters, 7)
    assert calls == [query]
    pd.testing.assert_frame_equal(found, expected[0])
    assert (named, count) == expected[1:]
