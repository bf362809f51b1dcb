"""The ingest's read-ahead computes its keys (content hash, paragraph fingerprints and pages) from a JSONL unit cut
to the fields they read (reader.key_fields, ingest._key_unit): exactly the keys of the fully parsed articles
(ingest._paragraph_keys of reader.parse_unit), on seeds, fixtures and records chosen to trip the shortcut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from basira import ingest, reader

ROOT = Path(__file__).resolve().parent.parent
SIDEBAR = "قال مصدر عسكري إن محاولة الانقلاب الفاشلة في العاصمة انتهت باعتقال عشرات الضباط."
LONG = "وأضاف المصدر أن عدد المعتقلين في السجن بلغ 500 معتقل خلال عام 2025 في ريف دمشق."

# One JSONL line each: rejections (which must not take a row), odd fields, and bodies where the line rules, the
# article end or the normalisation do something (none of which may change a key).
TRICKY = [
    json.dumps({"title": "خبر أول", "text": LONG + "\n" + SIDEBAR, "source": "www.Site.com"}, ensure_ascii=False),
    "",
    json.dumps({"Headline": "بلا مصدر", "Body": LONG, "Link": "https://www.example.org/2020/01/02/x"},
               ensure_ascii=False),
    json.dumps({"title": "رابط معطوب", "text": LONG, "url": "http://["}, ensure_ascii=False),
    json.dumps({"title": "نص قائمة", "text": [LONG, None, SIDEBAR, 7], "publisher": 12}, ensure_ascii=False),
    json.dumps({"title": "فارغ", "text": "   ", "source": "site.com"}),
    json.dumps({"title": "قائمة فارغة", "text": ["", ""], "source": "site.com"}),
    json.dumps({"title": "بلا نص", "source": "site.com"}),
    "[1, 2]",
    '"just a string"',
    '{"text": "cut',
    "   ",
    json.dumps({"text": "عنوان &amp; نص &#1605;\r\nسطر\u202b مخفي\u200c " + LONG + "\r\n\t\u00a0" + SIDEBAR,
                "title": "  عنوان\nعلى سطرين &lt;b&gt; ", "source": " Site.com ", "url": "  "}, ensure_ascii=False),
    json.dumps({"text": "\u0640\u0640\u0640.\n\u061f\n" + LONG + " !! " + SIDEBAR, "source": "site.com"},
               ensure_ascii=False),
    json.dumps({"text": LONG + "\nPlease enable JavaScript to view the comments powered by Disqus.\n" + SIDEBAR
                + "\n" + LONG, "title": "تعليقات", "source": "site.com", "url": "https://site.com/a"},
               ensure_ascii=False),
    json.dumps({"text": "الرئيسية | أخبار | رياضة | اقتصاد\n#سوريا #دمشق #حمص\nاقرأ أيضاً: " + SIDEBAR + "\n" + LONG
                + "\nتابعونا على تويتر\n" + LONG + "\nحقوق النشر محفوظة 2024", "title": 123, "source": "site.com",
                "date": "not a date"}, ensure_ascii=False),
    json.dumps({"text": "قال د. محمد إن النسبة 3.5 بالمئة. " + SIDEBAR + "\n\n\n" + SIDEBAR, "source": "site.com",
                "date": "2017-10", "url": "https://site.com/2017/10/05/b"}, ensure_ascii=False),
    json.dumps({"text": {"a": 1, "b": LONG}, "source": "site.com", "extra": [1, 2]}, ensure_ascii=False),
    json.dumps({"text": "x" * 20_001, "source": "site.com"}),  # over the test's MAX_TEXT_CHARS: rejected
    json.dumps({"text": SIDEBAR, "source": "site.com"}, ensure_ascii=False)[:-5],  # the last line, cut off
]


def _jsonl(folder: Path, name: str, lines: list[str], end: str = "\n") -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + end, encoding="utf-8")
    return path


def _seeds_as_jsonl(folder: Path) -> Path:
    """The seed articles as JSONL records (title, text, a site, a URL every other one), for the JSONL read."""
    lines = []
    for i, seed in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        (article,) = reader.read_path(seed)
        record = {"title": article.title_raw, "text": article.text_raw, "source": f"site{i % 2}.com"}
        if i % 2:
            record["url"] = f"https://site1.com/{i}"
        lines.append(json.dumps(record, ensure_ascii=False))
    return _jsonl(folder, "seeds.jsonl", lines)


def _inputs(folder: Path, name: str) -> Path:
    if name == "seeds":
        return _seeds_as_jsonl(folder)
    if name == "tricky":
        return _jsonl(folder, "tricky.jsonl", TRICKY, end="")
    return ROOT / "tests" / "fixtures" / name


def _both(path: Path) -> list[tuple[list[dict], list[dict], list[dict], list[dict]]]:
    """Per unit of three lines: the keys-only tables and those of the full parse, as rows."""
    found = []
    for unit in reader.read_units(path, 3):
        fast = ingest._key_unit(unit, path)
        full = ingest._paragraph_keys(reader.parse_unit(unit))
        found.append((fast[0].to_pylist(), fast[1].to_pylist(), full[0].to_pylist(), full[1].to_pylist()))
    return found


@pytest.mark.parametrize(
    "name, articles, keys",
    [("seeds", 12, 80), ("tricky", 10, 18), ("hostile.jsonl", 4, 5), ("records_aliases.jsonl", 4, 2)],
)
def test_keys_only_read_gives_the_keys_of_the_full_parse(tmp_path, monkeypatch, name, articles, keys):
    monkeypatch.setattr(reader, "MAX_TEXT_CHARS", 20_000)
    found = _both(_inputs(tmp_path, name))
    for fast_articles, fast_keys, full_articles, full_keys in found:
        assert (fast_articles, fast_keys) == (full_articles, full_keys)
    # The fixtures do reach the keys: articles kept, and paragraphs long enough to count.
    assert (sum(len(a) for a, _, _, _ in found), sum(len(k) for _, k, _, _ in found)) == (articles, keys)


def test_keys_only_read_runs_no_line_rules_article_end_or_dates(tmp_path, monkeypatch):
    path = _inputs(tmp_path, "tricky")
    expected = [(full_articles, full_keys) for _, _, full_articles, full_keys in _both(path)]

    def fail(*_args, **_kwargs):
        raise AssertionError("the read-ahead ran a rule its keys do not read")

    for rule in ("classify_line", "article_end", "date_article"):
        monkeypatch.setattr(reader, rule, fail)
    found = []
    for unit in reader.read_units(path, 3):
        articles, keys = ingest._key_unit(unit, path)
        found.append((articles.to_pylist(), keys.to_pylist()))
    assert found == expected


@pytest.mark.parametrize("name", ["array.json", "records.csv", "seed_own_line_header.txt"])
def test_a_unit_that_is_not_jsonl_lines_is_keyed_from_its_full_parse(name):
    path = ROOT / "tests" / "fixtures" / name
    (unit,) = reader.read_units(path, 3)
    assert reader.key_fields(unit) is None
    fast, full = ingest._key_unit(unit, path), ingest._paragraph_keys(reader.parse_unit(unit))
    assert fast[0].equals(full[0]) and fast[1].equals(full[1]) and fast[0].num_rows > 0
