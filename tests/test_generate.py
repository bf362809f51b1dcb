"""The benchmark's corpus generator: deterministic, the size asked for, dates spread, no ../shared needed."""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

import pytest

from bench import generate
from basira.model import ParsedArticle
from basira.reader import article_from_record

BALY = [
    "قائمة الأخبار\nقال مسؤول في وزارة الداخلية إن قوات الأمن اعتقلت عشرة أشخاص في حمص . وأضاف أن التحقيق مستمر مع الموقوفين .\n"
    "وأكد الرئيس بشار الأسد أن الحكومة ستعيد هيكلة الأجهزة الأمنية قريبا . جميع الحقوق محفوظة",
    "أعلنت وزارة الدفاع عن انشقاق ضابط برتبة عقيد عن الجيش النظامي . وقال الضابط المنشق إنه رفض إطلاق النار على المتظاهرين .",
]
SNN = [
    {"title": "الإفراج عن معتقلين من سجن صيدنايا", "content": "أفرجت السلطات عن مئة معتقل من سجن صيدنايا اليوم. "
     "وقالت منظمات حقوقية إن آلاف المعتقلين ما زالوا مجهولي المصير. وطالب ذوو المعتقلين بالكشف عن أماكن احتجازهم.",
     "source": "aawsat"},
]


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    root = tmp_path / "corpora"
    baly = root / "baly2018_arabic_factcheck_stance_syria"
    snn = root / "saudinewsnet_syria_subset"
    baly.mkdir(parents=True)
    snn.mkdir()
    (baly / "articles.jsonl").write_text(
        "".join(json.dumps({"text": t, "source_domain": "example.net"}, ensure_ascii=False) + "\n" for t in BALY),
        encoding="utf-8",
    )
    (snn / "syria_articles.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SNN), encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def seeds_pool() -> generate.Pool:
    return generate.load_pool(shared=Path("/nonexistent/shared/corpora"))


def _records(files: list[Path]) -> list[dict]:
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]


def test_pool_from_the_shared_corpora(shared):
    pool = generate.load_pool(shared=shared)
    assert len(pool.documents) == 3
    assert pool.documents[1] == [
        "أعلنت وزارة الدفاع عن انشقاق ضابط برتبة عقيد عن الجيش النظامي .",
        "وقال الضابط المنشق إنه رفض إطلاق النار على المتظاهرين .",
    ]
    assert pool.titles == ["الإفراج عن معتقلين من سجن صيدنايا"]
    assert "قائمة الأخبار" in pool.boilerplate
    assert sorted(set(pool.sources)) == ["aawsat", "example.net"]
    # "بشار الأسد" is a gazetteer name: its span is known so generated sentences can swap it.
    first = pool.documents[0].index("وأكد الرئيس بشار الأسد أن الحكومة ستعيد هيكلة الأجهزة الأمنية قريبا .")
    start, end = pool.name_spans[0][first]
    assert pool.documents[0][first][start:end] == "بشار الأسد"


def test_works_without_shared_corpora(seeds_pool, tmp_path):
    assert seeds_pool.sentences > 20
    assert set(seeds_pool.sources) == {"seeds"}
    files = generate.generate(30, tmp_path / "out", pool=seeds_pool)
    assert len(_records(files)) == 30


def test_deterministic(seeds_pool, tmp_path):
    first = generate.generate(300, tmp_path / "a", seed=5, pool=seeds_pool)
    second = generate.generate(300, tmp_path / "b", seed=5, pool=seeds_pool)
    other = generate.generate(300, tmp_path / "c", seed=6, pool=seeds_pool)
    assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]
    assert [f.read_bytes() for f in first] != [f.read_bytes() for f in other]


@pytest.mark.parametrize(("size", "per_file", "lines"), [(12, 5, [5, 5, 2]), (10, 5, [5, 5]), (1, 5, [1]), (0, 5, [])])
def test_sizes_and_shards(seeds_pool, tmp_path, monkeypatch, size, per_file, lines):
    monkeypatch.setattr(generate, "PER_FILE", per_file)
    files = generate.generate(size, tmp_path / "out", pool=seeds_pool)
    assert [len(f.read_text(encoding="utf-8").splitlines()) for f in files] == lines
    assert [f.name for f in files] == [f"part-{i:05d}.jsonl" for i in range(len(lines))]


def test_regenerating_replaces_old_shards(seeds_pool, tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "PER_FILE", 5)
    generate.generate(12, tmp_path / "out", pool=seeds_pool)
    generate.generate(4, tmp_path / "out", pool=seeds_pool)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["part-00000.jsonl"]


def test_dates_spread_over_the_years(seeds_pool, tmp_path):
    records = _records(generate.generate(3000, tmp_path / "out", pool=seeds_pool))
    days = [dt.date.fromisoformat(r["date"][:10]) for r in records if "date" in r]
    years = collections.Counter(d.year for d in days)
    assert set(years) <= set(range(2011, 2026))
    assert len(years) == 15
    assert years.most_common(1)[0][1] < 0.15 * len(days)
    assert 0.01 < 1 - len(days) / len(records) < 0.07


def test_copies_and_rewrites_exist(seeds_pool, tmp_path):
    records = _records(generate.generate(2000, tmp_path / "out", pool=seeds_pool))
    texts = collections.Counter(r["text"] for r in records)
    copies = sum(n - 1 for n in texts.values())
    assert 10 <= copies <= 80
    assert len({r["url"] for r in records}) == 2000


@pytest.mark.parametrize("profile", sorted(generate.PROFILES))
def test_lengths_follow_the_profile(shared, tmp_path, profile):
    pool = generate.load_pool(shared=shared)
    records = _records(generate.generate(200, tmp_path / "out", profile=profile, pool=pool))
    longest_sentence = max(len(s) for d in pool.documents for s in d)
    cap = generate.PROFILES[profile]
    # A rewrite swaps one sentence, so it may be a sentence shorter than the 300-character floor.
    assert all(300 - longest_sentence <= len(r["text"]) <= cap + 4 * (longest_sentence + 1) + 2 * 60 for r in records)


def test_records_are_read_as_articles(seeds_pool, tmp_path):
    records = _records(generate.generate(50, tmp_path / "out", pool=seeds_pool))
    parsed = [article_from_record("corpus.jsonl", f"line {i}", r) for i, r in enumerate(records, 1)]
    assert all(isinstance(p, ParsedArticle) and p.sentences for p in parsed)
    assert sum(p.published is not None for p in parsed) >= 45
