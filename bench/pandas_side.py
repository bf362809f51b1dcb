"""The comparison the issue asks for: the same dashboard queries done "the common way", by loading the
tables into pandas once and filtering/grouping DataFrames in memory. Run in a child process for its memory.

    python -m bench.pandas_side DB PLAN.json OUT.json
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from basira import store
from basira.filters import Filters


@dataclass
class Frames:
    articles: pd.DataFrame  # article_id, story_id, published, source, title_raw, byline, char_count
    topics: pd.DataFrame  # article_id, topic, score
    labels: pd.DataFrame  # topic, label, label_ar
    mentions: pd.DataFrame  # article_id, entity_key, seq
    entities: pd.DataFrame  # entity_key, entity_type, canonical, latin


def load(db: Path) -> Frames:
    with store.read_cursor(db) as cur:
        articles = cur.table("articles").project(
            "article_id, story_id, published, coalesce(source_name, source_path) AS source, title_raw, byline, char_count"
        ).df()
        articles["published"] = pd.to_datetime(articles["published"])
        return Frames(
            articles,
            cur.table("article_topics").project("article_id, topic, score").df(),
            cur.table("topics").project("topic, label, label_ar").df(),
            cur.table("entity_mentions").project("article_id, entity_key, seq").df(),
            cur.table("entities").project("entity_key, entity_type, canonical, latin").df(),
        )


def select(fr: Frames, f: Filters) -> pd.DataFrame:
    a = fr.articles
    keep = pd.Series(True, index=a.index)
    dated = pd.Series(True, index=a.index)
    if f.date_from:
        dated &= a["published"] >= pd.Timestamp(f.date_from)
    if f.date_to:
        dated &= a["published"] <= pd.Timestamp(f.date_to)
    if f.date_from or f.date_to:
        keep &= (dated | a["published"].isna()) if f.undated_included else dated
    if not f.undated_included:
        keep &= a["published"].notna()
    if f.sources:
        keep &= a["source"].isin(f.sources)
    if f.topics:
        keep &= a["article_id"].isin(fr.topics.loc[fr.topics["topic"].isin(f.topics), "article_id"])
    for entity in f.entities:
        keep &= a["article_id"].isin(fr.mentions.loc[fr.mentions["entity_key"] == entity, "article_id"])
    if not f.include_duplicates:
        keep &= a["article_id"] == a["story_id"]
    return a.loc[keep, ["article_id", "story_id", "published"]]


def key_figures(fr: Frames, f: Filters) -> dict:
    s = select(fr, f)
    return {
        "articles": len(s), "stories": s["story_id"].nunique(), "undated": int(s["published"].isna().sum()),
        "first": s["published"].min(), "last": s["published"].max(),
    }


def timeline(fr: Frames, f: Filters) -> pd.DataFrame:
    s = select(fr, f)
    s = s[s["published"].notna()]
    j = s.merge(fr.topics[["article_id", "topic"]], on="article_id", how="left")
    j["topic"] = j["topic"].fillna("")
    j["period"] = j["published"].dt.to_period("M").dt.start_time
    return (
        j.groupby(["period", "topic"])
        .agg(articles=("article_id", "size"), stories=("story_id", "nunique"))
        .reset_index()
        .sort_values(["period", "topic"])
    )


def topic_counts(fr: Frames, f: Filters) -> pd.DataFrame:
    j = select(fr, f).merge(fr.topics, on="article_id")
    g = j.groupby("topic").agg(articles=("article_id", "size"), stories=("story_id", "nunique"), mean_score=("score", "mean"))
    g = g.reset_index().merge(fr.labels, on="topic", how="left")
    g["mean_score"] = g["mean_score"].round(2)
    return g.sort_values(["articles", "topic"], ascending=[False, True])


def top_entities(fr: Frames, f: Filters) -> pd.DataFrame:
    j = select(fr, f)[["article_id"]].merge(fr.mentions, on="article_id")
    g = j.groupby("entity_key").agg(articles=("article_id", "nunique"), mentions=("seq", "size")).reset_index()
    g = g.sort_values(["articles", "mentions", "entity_key"], ascending=[False, False, True]).head(20)
    return g.merge(fr.entities, on="entity_key", how="left")


def article_page(fr: Frames, f: Filters) -> pd.DataFrame:
    s = select(fr, f)[["article_id"]].merge(fr.articles, on="article_id")
    page = s.sort_values(["published", "article_id"], ascending=[False, False], na_position="last").head(50)
    t = fr.topics[fr.topics["article_id"].isin(page["article_id"])].sort_values("score", ascending=False)
    names = t.groupby("article_id")["topic"].agg(", ".join).rename("topics")
    return page.merge(names, left_on="article_id", right_index=True, how="left")


def cooccurrence(fr: Frames, f: Filters) -> pd.DataFrame:
    s = select(fr, f)
    m = fr.mentions[fr.mentions["article_id"].isin(s["article_id"])][["article_id", "seq", "entity_key"]].drop_duplicates()
    p = m.merge(m, on=["article_id", "seq"])
    p = p[p["entity_key_x"] < p["entity_key_y"]]
    g = (
        p.groupby(["entity_key_x", "entity_key_y"])
        .agg(sentences=("seq", "size"), articles=("article_id", "nunique"))
        .reset_index()
    )
    return g.sort_values(["sentences", "entity_key_x", "entity_key_y"], ascending=[False, True, True]).head(40)


QUERIES = {
    "key_figures": key_figures,
    "timeline": timeline,
    "topic_counts": topic_counts,
    "top_entities": top_entities,
    "article_page": article_page,
    "cooccurrence": cooccurrence,
}


def main(argv: list[str]) -> int:
    db, plan_path, out_path = Path(argv[0]), Path(argv[1]), Path(argv[2])
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    frames = load(db)
    out: dict = {
        "load_s": time.perf_counter() - started, "latency_ms": {q: {} for q in QUERIES}, "rows": {q: {} for q in QUERIES},
        "failed": {},
    }
    for scenario, params in plan["scenarios"].items():
        filters = Filters.from_query_params(params)
        if filters.text:
            continue  # no index in pandas: a substring scan of every sentence is not the common way either
        for name, query in QUERIES.items():
            if name in out["failed"]:
                continue
            samples = []
            try:
                for _ in range(plan["repeats"]):
                    began = time.perf_counter()
                    result = query(frames, filters)
                    samples.append((time.perf_counter() - began) * 1000)
            except (MemoryError, pa.ArrowMemoryError) as error:
                # At 1M the co-occurrence self-merge does not fit the memory cap: say so, measure the rest.
                out["failed"][name] = f"{scenario}: {type(error).__name__}: {error}"
                continue
            out["latency_ms"][name][scenario] = samples
            out["rows"][name][scenario] = len(result)
    out_path.write_text(json.dumps(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
