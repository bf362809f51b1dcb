"""A large store for query benchmarks without a multi-hour ingest: K copies of an ingested store.

    python -m bench.replicate bench/out/100000-short/basira.duckdb 10 bench/out/1000000-short

Every article (with its sentences, topics, mentions, summaries and postings) is copied K times under new ids,
copy k dated k days later. The per-article dashboard facts (facts_*) are not copied but derived afterwards by
summary.refresh over the whole replica, as an ingest of these articles would store them: in date order, with
hot sets chosen from the replica's counts. The data is real ingested data, so the dashboard and search queries
do real work; what it does not reproduce is vocabulary growth (a real corpus K times larger has more distinct
names and words, so shorter posting lists per term) and new stories across copies. Its index is one compacted run, as
a bulk ingest now ends (search.compact_after_batch); a store grown by many small batches has several runs, which
cost every search more. Ingest throughput at this size is not measured here: bench/run.py reports the rate
measured at the source size.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from basira import ingest
from basira.queries import create_schema, paragraphs, set_meta
from basira.queries import search as search_sql
from basira.queries import summary

# Per table: the column list with the article id (and other ids) shifted for copy {k} (source max id {m}).
SHIFTED = {
    "articles": "* REPLACE (article_id + {k} * {m} AS article_id, story_id + {k} * {m} AS story_id,"
    " content_hash || '-{k}' AS content_hash, (published + {k})::DATE AS published)",
    "sentences": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "article_topics": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "topic_evidence": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "entity_mentions": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "entity_spellings": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "quotations": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "quantities": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "summary_article_entities": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "summary_article_pairs": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "search_docs": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "search_text": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "article_openings": "* REPLACE (article_id + {k} * {m} AS article_id)",
    "sightings": "* REPLACE (content_hash || '-{k}' AS content_hash)",
}
COPIED = ("meta", "batches", "topics", "entities")
# Derived by summary.refresh over the whole replica instead of copied: the per-article facts must be stored in date
# order (copy by copy they were not) and their hot sets chosen from the replica's counts, and their numbering,
# totals and progress marks are those of a refresh over these articles.
FACTS_META = ("facts_through", "facts_hot_chosen_at", "facts_hot_rule", "facts_evidence_through")


def replicate(source: Path, copies: int, target: Path) -> dict[str, float]:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(target))
    create_schema(con)
    con.execute(f"ATTACH '{source.resolve()}' AS src (READ_ONLY)")
    (m,) = con.execute("SELECT max(article_id) FROM src.articles").fetchone()
    (summarised,) = con.execute("SELECT value FROM src.meta WHERE key = 'summary_through'").fetchone() or (None,)
    if summarised != str(m):  # the copied summaries would miss articles that refresh then never adds
        raise ValueError(f"{source}: summaries cover articles through {summarised}, not all {m}")
    for table in COPIED:
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
    stored = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()}
    for table, columns in SHIFTED.items():
        if table not in stored:
            continue  # a source written before the table existed: the copy goes without it too
        for k in range(copies):  # copy by copy, so every table stays in article order like a real ingest
            con.execute(f"INSERT INTO {table} SELECT {columns.format(k=k, m=m)} FROM src.{table}")
    # The search index as one compacted run, with df and the corpus stats scaled to the copies.
    con.execute(
        f"CREATE TABLE search_run_1 AS SELECT term_id, article_id + k * {m} AS article_id, tf, dl"
        f" FROM src.search_postings, (SELECT range AS k FROM range({copies})) ORDER BY term_id, article_id"
    )
    # Pair numbers are kept (the per-article rows copied above use them; an ingest numbers every pair in the first
    # copy's articles); whole-store totals scale with the copies: what a refresh over the replica derives.
    con.execute(
        f"INSERT INTO summary_pairs SELECT pair_id, source, target, sentences * {copies}, articles * {copies}"
        " FROM src.summary_pairs"
    )
    con.execute(
        f"INSERT INTO summary_entities SELECT entity_key, articles * {copies}, mentions * {copies} FROM src.summary_entities"
    )
    (postings,) = con.execute("SELECT count(*) FROM search_run_1").fetchone()
    con.execute("INSERT INTO search_runs VALUES (1, 0, ?)", [postings])
    con.execute(f"INSERT INTO search_terms SELECT term_id, term, df * {copies} FROM src.search_terms")
    search_sql.refresh_postings_view(con)
    search_sql.update_stats(con)
    # The copies' openings and summaries were copied too: a later ingest must not add them again.
    (last,) = con.execute("SELECT max(article_id) FROM articles").fetchone()
    for key in ("openings_through", "summary_through"):
        set_meta(con, key, str(last))
    con.execute("DELETE FROM meta WHERE key IN (SELECT unnest(?::VARCHAR[]))", [list(FACTS_META)])
    # The repeated-paragraph counts are recorded over the replica as an ingest records them (the copied meta said
    # the source's articles were recorded while article_paragraphs was empty: every later batch saw counts without
    # the first copy, and the first one recorded the other copies' paragraphs, 90k articles at 10 copies of 10k).
    paragraphs.forget_paragraphs(con)
    ingest.record_paragraphs(con, last)
    summary.refresh(con)
    con.execute("CHECKPOINT")
    con.close()
    return {"copies": copies, "source": str(source), "seconds": time.perf_counter() - started}


def main(argv: list[str]) -> int:
    source, copies, work = Path(argv[0]), int(argv[1]), Path(argv[2])
    info = replicate(source, copies, work / "basira.duckdb")
    ingest_json = source.parent / "ingest.json"
    measured = json.loads(ingest_json.read_text()) if ingest_json.exists() else {}
    (work / "ingest.json").write_text(json.dumps({"replicated": info, "source_ingest": measured}))
    print(info)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
