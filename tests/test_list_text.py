"""Untitled articles show their opening words in lists (article_openings), and the lists that show sentence text
(evidence, pair sentences) read it only for the rows they return: on a fixture store, including one written before
article_openings existed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from basira import ingest, store
from basira.filters import Filters
from basira.queries import broken_invariants, read

LONG = (
    "أعلنت وزارة الداخلية السورية الإفراج عن مئة معتقل من سجن صيدنايا بعد انتهاء التحقيق معهم في دمشق، "
    "وقالت إن السجون ستفتح أمام المنظمات الإنسانية."
)
# At most 80 characters, cut after a whole word.
LONG_OPENING = "أعلنت وزارة الداخلية السورية الإفراج عن مئة معتقل من سجن صيدنايا بعد انتهاء"
SHORT = "زار وفد حقوقي السجن المركزي في حمص."
TITLED = "قالت مصادر إن المعتقلين في السجون يعانون من الاكتظاظ."
RECORDS = [
    {"title": "السجون في سوريا", "text": TITLED, "source": "a.org", "date": "2020-01-03"},
    {"text": LONG, "source": "b.org", "date": "2020-01-02"},
    {"text": SHORT, "source": "c.org", "date": "2020-01-01"},
]


def _ingest(db: Path, folder: Path, records: list[dict], name: str = "a.jsonl") -> None:
    path = folder / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    ingest.ingest_paths([path], db)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "basira.duckdb"
    _ingest(path, tmp_path, RECORDS)
    return path


def _titles(db: Path) -> dict[int, str]:
    with store.read_cursor(db) as cur:
        page = read.article_page(cur, Filters(), 50, 0)
    return dict(zip(page["article_id"], page["title_raw"], strict=True))


EXPECTED_TITLES = {1: "السجون في سوريا", 2: LONG_OPENING + "…", 3: SHORT + "…"}


def test_ingest_stores_the_openings_of_untitled_articles(db):
    with store.read_cursor(db) as cur:
        assert cur.execute("SELECT * FROM article_openings ORDER BY article_id").fetchall() == [(2, LONG_OPENING), (3, SHORT)]
        assert cur.execute("SELECT value FROM meta WHERE key = 'openings_through'").fetchone() == ("3",)
        assert broken_invariants(cur) == {}
    assert _titles(db) == EXPECTED_TITLES


def test_a_store_written_before_the_openings_reads_them_from_the_text_then_catches_up(db, tmp_path):
    with store.writer(db) as con:  # as a store of the previous version
        con.execute("DROP TABLE article_openings")
        con.execute("DELETE FROM meta WHERE key = 'openings_through'")
    assert _titles(db) == EXPECTED_TITLES
    _ingest(db, tmp_path, [{"text": "نص رابع بلا عنوان عن الموقوفين.", "source": "d.org", "date": "2019-12-31"}], "b.jsonl")
    with store.read_cursor(db) as cur:
        assert [r[0] for r in cur.execute("SELECT article_id FROM article_openings ORDER BY 1").fetchall()] == [2, 3, 4]
        assert broken_invariants(cur) == {}
    assert _titles(db) == {**EXPECTED_TITLES, 4: "نص رابع بلا عنوان عن الموقوفين.…"}


def test_evidence_sentences_carry_their_article_title_and_sentence(db):
    with store.read_cursor(db) as cur:
        evidence = read.evidence_sentences(cur, Filters(), "prisons", 200)
        # the sentence of a title hit (seq -1) is the title
        rows = {(r.article_id, r.seq): (r.title, r.source, r.sentence) for r in evidence.itertuples(index=False)}
    assert list(evidence.columns) == [
        "article_id", "published", "source", "title", "topic", "label", "seq", "terms_matched", "terms", "topic_score",
        "rank_in_article", "sentence", "sentence_norm", "starts", "ends"]
    assert rows == {
        (1, -1): ("السجون في سوريا", "a.org", "السجون في سوريا"),
        (1, 0): ("السجون في سوريا", "a.org", TITLED),
        (2, 0): (EXPECTED_TITLES[2], "b.org", LONG),
        (3, 0): (EXPECTED_TITLES[3], "c.org", SHORT),
    }
    for row in evidence.itertuples(index=False):
        for start, end in zip(row.starts, row.ends, strict=True):
            assert row.sentence_norm[start:end], "offsets point into the normalised sentence"


def test_pair_sentences_carry_their_article_title_and_sentence(db):
    with store.read_cursor(db) as cur:
        keys = cur.execute(
            "SELECT DISTINCT entity_key FROM entity_mentions WHERE article_id = 2 ORDER BY entity_key").fetchall()
        first, second = keys[0][0], keys[1][0]
        pairs = read.pair_sentences(cur, Filters(), first, second, 100)
    assert list(pairs.columns) == [
        "article_id", "published", "source", "title", "seq", "sentence", "sentence_norm", "starts", "ends"]
    assert [(r.article_id, r.title, r.sentence) for r in pairs.itertuples(index=False)] == [(2, EXPECTED_TITLES[2], LONG)]


def test_a_story_lists_its_other_copies_with_their_openings(tmp_path):
    db = tmp_path / "basira.duckdb"
    _ingest(db, tmp_path, [{"text": LONG, "source": "b.org", "date": "2020-01-02"},
                           {"text": LONG + " ونقلت المصادر الخبر.", "source": "e.org", "date": "2020-01-04"}])
    with store.read_cursor(db) as cur:
        detail = read.article_detail(cur, 2)
    assert detail["story"][["article_id", "title"]].values.tolist() == [[1, LONG_OPENING + "…"]]


@pytest.mark.parametrize(("per_article", "count"), [(1, 2), (2, 15), (1, 15)])
def test_evidence_highlights_are_the_first_rows_of_the_evidence_within_the_per_article_cap(db, per_article, count):
    with store.read_cursor(db) as cur:
        everything = read.evidence_sentences(cur, Filters(), "prisons", 200)
        shown = read.evidence_highlights(cur, Filters(), "prisons", per_article, count)
    expected = everything[everything["rank_in_article"] <= per_article].head(count).reset_index(drop=True)
    assert shown.drop(columns=["starts", "ends"]).equals(expected.drop(columns=["starts", "ends"]))
    assert len(shown) == min(count, {1: 3, 2: 4}[per_article])


def test_the_evidence_download_drops_the_highlight_columns(db):
    with store.read_cursor(db) as cur:
        extract = read.evidence_extract(cur, Filters(), "prisons")
        shown = read.evidence_sentences(cur, Filters(), "prisons")
    assert list(extract.columns) == [
        "article_id", "published", "source", "title", "topic", "label", "sentence_no", "terms_matched", "terms",
        "terms_as_written", "topic_score", "rank_in_article", "sentence"]
    assert len(extract) == 4
    # The folded terms (ه for ة, ا for أ) as the sentence writes them, every one found in it (review4).
    for written, sentence in zip(extract["terms_as_written"], extract["sentence"], strict=True):
        assert written and all(word in sentence for word in written.split("، ")), (written, sentence)
    # Numbered from 1 as analysts count (the title 0): the page's rows, one more than the stored seq.
    assert list(extract["sentence_no"]) == [seq + 1 for seq in shown["seq"]]


def test_mentions_extract_rows_carry_their_source_and_sentence(db):
    with store.read_cursor(db) as cur:
        key = cur.execute("SELECT entity_key FROM entity_mentions WHERE article_id = 3 ORDER BY seq, start_char").fetchone()[0]
        mentions = read.mentions_extract(cur, Filters(), key, 200)
    assert list(mentions.columns) == [
        "article_id", "published", "source", "entity_key", "entity_type", "canonical", "latin", "surface", "method",
        "sentence_no", "sentence"]
    assert {(r.article_id, r.source, r.sentence) for r in mentions.itertuples(index=False)} >= {(3, "c.org", SHORT)}


@pytest.mark.parametrize("query", ["mentions_extract", "evidence_sentences"])
def test_many_articles_read_their_sentences_in_one_pass_with_the_same_result(db, monkeypatch, query):
    with store.read_cursor(db) as cur:
        few = getattr(read, query)(cur, Filters())
        monkeypatch.setattr(read, "_BRANCHES", 1)  # three articles: more than one branch allows
        many = getattr(read, query)(cur, Filters())
    assert len(few) >= 3
    assert few.drop(columns=["starts", "ends"], errors="ignore").equals(many.drop(columns=["starts", "ends"], errors="ignore"))


def test_search_lists_an_untitled_article_by_its_opening(db):
    from basira import search

    with store.read_cursor(db) as cur:
        found = search.search(cur, "حمص")
    assert [(r.article_id, r.title, r.sentence) for r in found.itertuples(index=False)] == [(3, SHORT + "…", SHORT)]


PAIR_TITLE = "وزارة الداخلية السورية تفرج عن معتقلين في دمشق"
PAIR_RECORDS = [
    {"title": PAIR_TITLE, "text": LONG + " " + SHORT, "source": "a.org", "date": "2020-02-01"},
    {"text": LONG, "source": "b.org", "date": "2020-01-02"},
]


def test_a_title_naming_both_entities_is_a_pair_sentence_as_the_cooccurrence_counts_it(tmp_path):
    db = tmp_path / "basira.duckdb"
    _ingest(db, tmp_path, PAIR_RECORDS)
    with store.read_cursor(db) as cur:
        edges = read.cooccurrence(cur, Filters(), 40)
        keys = {k for (k,) in cur.execute("SELECT entity_key FROM entity_mentions WHERE article_id = 1 AND seq = -1"
                                           " GROUP BY ALL ORDER BY 1").fetchall()}
        assert len(keys) >= 2, "the title names two entities"
        edge = edges[edges["source"].isin(keys) & edges["target"].isin(keys)].iloc[0]
        for pair in ((edge.source, edge.target), (edge.target, edge.source)):
            found = read.pair_sentences(cur, Filters(), *pair, 100)
            assert [(r.article_id, r.seq, r.sentence) for r in found.itertuples(index=False)] == [
                (1, -1, PAIR_TITLE), (1, 0, LONG), (2, 0, LONG)]
            assert read.pair_sentence_count(cur, Filters(), *pair) == edge.sentences == 3
            assert read.pair_sentences(cur, Filters(), *pair, 1)["seq"].tolist() == [-1]
            for row in found.itertuples(index=False):
                assert [row.sentence_norm[s:e] for s, e in zip(row.starts, row.ends, strict=True)], row


CHROME = "تسجيل الدخول إلى حسابك اسم المستخدم كلمة المرور | " + LONG


@pytest.mark.parametrize("step", ["retag", "ingest"])
def test_openings_written_by_older_rules_are_worked_out_again_by_retag_or_the_next_ingest(tmp_path, step):
    db = tmp_path / "basira.duckdb"
    _ingest(db, tmp_path, [{"text": CHROME, "source": "b.org", "date": "2020-01-02"}])
    with store.writer(db) as con:  # as a store whose openings were its first 80 characters
        con.execute("UPDATE article_openings SET opening = left(?, 80)", [CHROME])
        con.execute("DELETE FROM meta WHERE key = 'openings_rules'")
    assert _titles(db) == {1: CHROME[:80] + "…"}
    if step == "retag":
        ingest.retag(db)
    else:
        _ingest(db, tmp_path, [{"text": SHORT, "source": "c.org", "date": "2020-01-01"}], "b.jsonl")
    assert _titles(db)[1] == LONG_OPENING + "…"
    with store.read_cursor(db) as cur:
        assert broken_invariants(cur) == {}


# A paragraph a site prints at the top of its pages (a login prompt the phrase lists do not know): on three pages
# it is flagged 'repeated_paragraph', and an untitled article's opening is its own first sentence.
PROMPT = "يرجى التسجيل في الموقع أولا لكي تتمكن من متابعة المشاركات الجديدة في المنتدى."
OWN = ("قالت مصادر أمنية إن قوات الأمن اعتقلت خلية في ريف دمشق.", "افتتحت البلدية حديقة عامة جديدة في وسط المدينة.",
       "أعلنت وزارة التربية موعد بدء العام الدراسي الجديد.")


def _forum(i: int) -> dict:
    return {"text": PROMPT + "\n\n" + OWN[i], "source": "forum.org", "date": f"2020-01-0{i + 1}"}


def _openings(db: Path) -> list[tuple[int, str]]:
    with store.read_cursor(db) as cur:
        return cur.execute("SELECT * FROM article_openings ORDER BY article_id").fetchall()


def test_an_opening_skips_the_paragraph_the_site_repeats(tmp_path):
    db = tmp_path / "basira.duckdb"
    _ingest(db, tmp_path, [_forum(i) for i in range(3)])
    assert _openings(db) == [(1, OWN[0]), (2, OWN[1]), (3, OWN[2])]
    with store.read_cursor(db) as cur:
        assert broken_invariants(cur) == {}


def test_articles_stored_before_their_paragraph_recurred_get_new_openings_at_retag(tmp_path):
    db = tmp_path / "basira.duckdb"
    _ingest(db, tmp_path, [_forum(0), _forum(1)])
    _ingest(db, tmp_path, [_forum(2)], "b.jsonl")
    # as their topics, the first two articles' openings wait for retag
    assert _openings(db) == [(1, PROMPT), (2, PROMPT), (3, OWN[2])]
    ingest.retag(db)
    assert _openings(db) == [(1, OWN[0]), (2, OWN[1]), (3, OWN[2])]


@pytest.mark.parametrize("older", [False, True], ids=["openings stored", "store before article_openings"])
def test_the_articles_extract_carries_the_opening_of_an_untitled_article(db, older):
    if older:
        with store.writer(db) as con:
            con.execute("DROP TABLE article_openings")
    with store.read_cursor(db) as cur:
        extract = read.articles_extract(cur, Filters())
    assert list(extract.columns[:4]) == ["article_id", "published", "title", "opening"]
    rows = [(r.article_id, *(None if pd.isna(v) else v for v in (r.title, r.opening))) for r in extract.itertuples(index=False)]
    # a titled article keeps its title and no opening; the spreadsheet's opening has no list ellipsis
    assert rows == [(1, "السجون في سوريا", None), (2, None, LONG_OPENING), (3, None, SHORT)]
