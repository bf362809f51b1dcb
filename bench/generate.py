"""A synthetic corpus of Arabic news at any size, recombined from real text.

Sentences, titles, boilerplate lines and outlets come from the shared corpora (Baly et al. 2018 articles,
SaudiNewsNet) when `../shared/corpora/` is present, else from `seeds/`. Person names in sentences are swapped
for other real names (the gazetteer's, and ANERcorp's name lists), so entities and their co-occurrences
vary across the corpus. Each paragraph is 1-3 sentences, each from a different random source article; lengths
follow the real articles' distribution; dates are spread over 2011-2025 with more in the years of heavy coverage; a few records are undated, exact copies (syndication) or rewrites of
an earlier article (same story). The output is JSONL shards small enough for the reader's file limit.

    python -m bench.generate 100000 bench/out/corpus-100000 [--profile mixed|short] [--seed 1]

Deterministic: the same inputs, size, profile and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT / "seeds"
GAZETTEER = ROOT / "basira" / "data" / "gazetteer" / "persons.tsv"
PER_FILE = 5000  # ~20-40 MB of JSONL per shard: under the reader's 50 MB file limit
MIN_WORDS, MAX_WORDS = 4, 80
# Share of articles of each kind, and of sentences with a known name that get another name.
UNDATED = 0.03
EXACT_COPY = 0.015
REWRITE = 0.04
BOILERPLATE = 0.3
NAME_SWAP = 0.6
# Relative volume of Syria coverage per year: the uprising and war years, then the 2024-25 transition.
YEAR_WEIGHTS = {
    2011: 6, 2012: 10, 2013: 10, 2014: 9, 2015: 9, 2016: 9, 2017: 7, 2018: 6,
    2019: 5, 2020: 4, 2021: 4, 2022: 4, 2023: 5, 2024: 8, 2025: 10,
}
# Article length cap (characters) per profile. "mixed" follows every source article's length (Baly's scraped
# pages are long, median ~4k); "short" follows SaudiNewsNet's only (median ~1.7k), for the largest runs.
PROFILES = {"mixed": 15_000, "short": 4_000}

_SENTENCE_END = re.compile(r"(?<=[.!?\u061f])\s+")
_ARABIC = re.compile("[\u0621-\u064a]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Pool:
    documents: list[list[str]]  # sentences of each source article, in order
    titles: list[str]
    boilerplate: list[str]  # short non-sentence lines (menus, tickers, "read also")
    lengths: list[int]  # character lengths of the source articles, sorted
    short_lengths: list[int]  # those of the SaudiNewsNet articles (all lengths when there are none), sorted
    sources: list[str]
    names: list[str]
    name_spans: list[list[tuple[int, int] | None]]  # per document and sentence: where a known name is

    @property
    def sentences(self) -> int:
        return sum(len(d) for d in self.documents)


def arabic_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_ARABIC.findall(text)) / letters if letters else 0.0


def split_text(text: str) -> tuple[list[str], list[str]]:
    """(sentences, boilerplate-like lines) of one source text."""
    sentences, other = [], []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        for part in _SENTENCE_END.split(line):
            words = len(part.split())
            if MIN_WORDS <= words <= MAX_WORDS and arabic_share(part) >= 0.8:
                sentences.append(part)
            elif 2 <= words < MIN_WORDS * 3 and arabic_share(part) >= 0.5 and not part.endswith((".", "\u061f")):
                other.append(part)
    return sentences, other


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _source_records(shared: Path | None, seeds: Path) -> Iterator[tuple[str, str | None, str, bool]]:
    """(text, title, outlet, is SaudiNewsNet) of every usable source article, in a fixed order."""
    baly = shared / "baly2018_arabic_factcheck_stance_syria" / "articles.jsonl" if shared else None
    snn = shared / "saudinewsnet_syria_subset" if shared else None
    found = False
    if baly and baly.exists():
        found = True
        seen: set[str] = set()
        for row in _jsonl(baly):
            if row["text"] not in seen:
                seen.add(row["text"])
                yield row["text"], None, row.get("source_domain") or "unknown", False
    if snn and snn.exists():
        for name in ("syria_articles.jsonl", "non_syria_random_sample_2000.jsonl"):
            if (snn / name).exists():
                found = True
                for row in _jsonl(snn / name):
                    yield row["content"], row.get("title"), row.get("source") or "unknown", True
    if not found:
        for path in sorted(seeds.glob("*.txt")):
            lines = path.read_text(encoding="utf-8").split("\n")
            # The seed format starts with a "date YYYY-MM-DD" header line; the rest is the article.
            body = "\n".join(line for line in lines if not line.startswith("date "))
            yield body, None, "seeds", False


def _gazetteer_names(path: Path) -> list[str]:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        names.append(fields[1])
        if len(fields) > 3 and fields[3]:
            names.extend(a for a in fields[3].split("|") if len(a.split()) >= 2)
    return names


def _aner_names(shared: Path | None, rng: random.Random) -> list[str]:
    """Two-word names recombined from ANERcorp's single-token person list."""
    path = shared / "anercorp" / "gazetteers" / "ANERGazet_persons.txt" if shared else None
    if not path or not path.exists():
        return []
    tokens = [t.strip() for t in path.read_text(encoding="utf-8").splitlines()]
    tokens = [t for t in tokens if t and "=" not in t and "*" not in t and _ARABIC.match(t)]
    return [f"{rng.choice(tokens)} {rng.choice(tokens)}" for _ in range(2000)]


def load_pool(shared: Path | None = SHARED, seeds: Path = SEEDS, gazetteer: Path = GAZETTEER) -> Pool:
    shared = shared if shared and shared.exists() else None
    documents, titles, boilerplate, lengths, short, sources = [], [], [], [], [], []
    for text, title, source, newswire in _source_records(shared, seeds):
        sentences, other = split_text(text)
        if not sentences:
            continue
        documents.append(sentences)
        boilerplate.extend(other)
        lengths.append(len(text))
        if newswire:
            short.append(len(text))
        sources.append(source)
        if title and arabic_share(title) >= 0.8:
            titles.append(" ".join(title.split()))
    known = sorted(set(_gazetteer_names(gazetteer)))
    by_first_word: dict[str, list[list[str]]] = {}
    for name in sorted(known, key=len, reverse=True):
        words = name.split()
        by_first_word.setdefault(words[0], []).append(words)
    spans = [[_first_span(by_first_word, s) for s in doc] for doc in documents]
    names = known + _aner_names(shared, random.Random(7))
    if not boilerplate:
        boilerplate = ["اقرأ أيضا", "شارك هذا المقال", "الأكثر قراءة"]
    return Pool(documents, titles, boilerplate, sorted(lengths), sorted(short or lengths), sources, names, spans)


def _first_span(by_first_word: dict[str, list[list[str]]], sentence: str) -> tuple[int, int] | None:
    """Character span of the first known name in a single-spaced sentence (a word-index lookup: a regex
    alternation of every name is ~20x slower over the whole pool)."""
    words = sentence.split(" ")
    offset = 0
    for i, word in enumerate(words):
        for name in by_first_word.get(word, ()):
            if words[i : i + len(name)] == name:
                return offset, offset + len(" ".join(name))
        offset += len(word) + 1
    return None


class _Choice:
    """Weighted choice by bisection over cumulative weights (random.choices re-sums them on every call)."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _outlets(sources: list[str]) -> _Choice:
    """Outlets by how often they occur in the sources, with a Zipf tail so small outlets stay rare."""
    counts: dict[str, int] = {}
    for s in sources:
        counts[s] = counts.get(s, 0) + 1
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    return _Choice(ranked, [1 / (rank + 1) ** 0.8 for rank in range(len(ranked))])


def _dates() -> _Choice:
    days = []
    weights = []
    for year, weight in YEAR_WEIGHTS.items():
        start = dt.date(year, 1, 1)
        length = (dt.date(year + 1, 1, 1) - start).days
        days.extend(start + dt.timedelta(d) for d in range(length))
        weights.extend([weight / length] * length)
    return _Choice(days, weights)


class Generator:
    def __init__(self, pool: Pool, seed: int = 1, profile: str = "mixed") -> None:
        self.pool = pool
        self.rng = random.Random(seed)
        self.cap = PROFILES[profile]
        self.lengths = pool.short_lengths if profile == "short" else pool.lengths
        self.outlet = _outlets(pool.sources)
        self.date = _dates()
        self.recent: list[dict] = []  # earlier records, for copies and rewrites
        self.count = 0

    def _sentence(self, doc: int, index: int) -> str:
        sentence = self.pool.documents[doc][index]
        span = self.pool.name_spans[doc][index]
        if span and self.rng.random() < NAME_SWAP:
            sentence = sentence[: span[0]] + self.rng.choice(self.pool.names) + sentence[span[1] :]
        return sentence

    def _target_length(self) -> int:
        length = self.lengths[int(self.rng.random() * len(self.lengths))]
        return max(300, min(self.cap, length))

    def _body(self) -> tuple[list[list[str]], str]:
        """Paragraphs of 1-3 sentences, each sentence drawn from its own random source article.

        Sentences are reused: a million articles of ~15 sentences draw on ~150k real ones, so each is used ~100
        times. Runs of consecutive sentences from one source (even 2-3 of them) meant that two articles which
        drew the same run shared several word shingles in a row; at 100k, MinHash chained those chance
        overlaps into false stories of hundreds of articles. Drawing every sentence on its own makes a chance
        overlap one sentence at a time, so only real copies and rewrites share long stretches."""
        rng, documents = self.rng, self.pool.documents
        target = self._target_length()
        paragraphs: list[list[str]] = []
        size = 0
        while size < target:
            paragraph = []
            for _ in range(rng.choice((1, 2, 2, 3))):
                doc = rng.randrange(len(documents))
                sentence = self._sentence(doc, rng.randrange(len(documents[doc])))
                paragraph.append(sentence)
                size += len(sentence) + 1
            paragraphs.append(paragraph)
        first = paragraphs[0][0].split()
        return paragraphs, " ".join(first[: rng.randint(6, 12)])

    def _text(self, paragraphs: list[list[str]]) -> str:
        lines = [" ".join(p) for p in paragraphs]
        if self.rng.random() < BOILERPLATE:
            lines.insert(0, self.rng.choice(self.pool.boilerplate))
            lines.append(self.rng.choice(self.pool.boilerplate))
        return "\n".join(lines)

    def record(self) -> dict:
        rng = self.rng
        self.count += 1
        roll = rng.random()
        if self.recent and roll < EXACT_COPY:
            earlier = rng.choice(self.recent)
            record = {**earlier, "source": self.outlet(rng)}
        elif self.recent and roll < EXACT_COPY + REWRITE:
            earlier = rng.choice(self.recent)
            paragraphs = earlier["_paragraphs"]
            i = rng.randrange(len(paragraphs))
            changed = [list(p) for p in paragraphs]
            doc = rng.randrange(len(self.pool.documents))
            changed[i][rng.randrange(len(changed[i]))] = self._sentence(doc, rng.randrange(len(self.pool.documents[doc])))
            record = {**earlier, "text": self._text(changed), "source": self.outlet(rng), "_paragraphs": changed}
        else:
            paragraphs, lead = self._body()
            titled = self.pool.titles and rng.random() < 0.5
            record = {
                "title": rng.choice(self.pool.titles) if titled else lead,
                "text": self._text(paragraphs),
                "source": self.outlet(rng),
                "_paragraphs": paragraphs,
            }
            if rng.random() >= UNDATED:
                day = self.date(rng)
                record["date"] = day.isoformat() if rng.random() < 0.8 else f"{day.isoformat()} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
        record["url"] = f"https://{record['source']}/news/{self.count}"
        if len(self.recent) < 2000:
            self.recent.append(record)
        else:
            self.recent[rng.randrange(2000)] = record
        return record


def public(record: dict) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def generate(
    size: int, out_dir: Path, seed: int = 1, profile: str = "mixed", pool: Pool | None = None
) -> list[Path]:
    """Write `size` records as JSONL shards in out_dir (replacing earlier shards); returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("part-*.jsonl"):
        old.unlink()
    generator = Generator(pool or load_pool(), seed, profile)
    files = []
    for shard, start in enumerate(range(0, size, PER_FILE)):
        path = out_dir / f"part-{shard:05d}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for _ in range(min(PER_FILE, size - start)):
                handle.write(json.dumps(public(generator.record()), ensure_ascii=False) + "\n")
        files.append(path)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("size", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="mixed")
    args = parser.parse_args(argv)
    files = generate(args.size, args.out_dir, args.seed, args.profile)
    print(f"wrote {args.size} records in {len(files)} files to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
