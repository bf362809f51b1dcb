-- Basira store. Staging: batches, sightings, rejected. Core: articles, sentences.
-- Marts (derived by analysis, rebuilt by `python -m basira retag`): article_topics, topic_evidence,
-- entities, entity_mentions, quotations, quantities. Invariants are declared in invariants.sql.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS batches (
    batch_id INTEGER PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    inputs VARCHAR NOT NULL,
    articles_added INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS articles (
    article_id BIGINT PRIMARY KEY,
    content_hash VARCHAR NOT NULL UNIQUE,
    story_id BIGINT NOT NULL,
    batch_id INTEGER NOT NULL,
    source_path VARCHAR NOT NULL,
    locator VARCHAR NOT NULL,
    source_name VARCHAR,
    url VARCHAR,
    title_raw VARCHAR,
    title_norm VARCHAR,
    byline VARCHAR,
    published DATE,
    date_source VARCHAR,
    undated_reason VARCHAR,
    text_raw VARCHAR NOT NULL,
    char_count INTEGER NOT NULL,
    extra VARCHAR
);

-- The opening words of each untitled article, which lists show in place of its title. Read from text_raw, which
-- DuckDB stores ZSTD-compressed, one article's opening cost ~20 ms of CPU: a page of 50 real articles, most of
-- them untitled, took 0.6 s. Filled by ingest; meta 'openings_through' is the last article_id covered.
CREATE TABLE IF NOT EXISTS article_openings (
    article_id BIGINT PRIMARY KEY,
    opening VARCHAR NOT NULL
);

-- Every time an input record was seen, including exact duplicates of a stored article.
CREATE TABLE IF NOT EXISTS sightings (
    content_hash VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    locator VARCHAR NOT NULL,
    url VARCHAR,
    batch_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS rejected (
    batch_id INTEGER NOT NULL,
    source_path VARCHAR NOT NULL,
    locator VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR NOT NULL,
    excerpt VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS sentences (
    article_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text_raw VARCHAR NOT NULL,
    text_norm VARCHAR NOT NULL,
    is_boilerplate BOOLEAN NOT NULL,
    boilerplate_reason VARCHAR
);

-- Paragraphs repeated across one site's pages (sidebars, teasers, tickers): every paragraph of at least
-- boilerplate.REPEAT_MIN_WORDS words of every article, keyed by a 64-bit fingerprint of (site, normalised paragraph),
-- with the page it was on (a key of the URL, else of the article), and per fingerprint the number of distinct pages
-- holding it. Ingest appends and counts; a paragraph counted on boilerplate.REPEAT_MIN_PAGES pages has its sentences
-- flagged 'repeated_paragraph' (new articles at once, older ones by retag). meta 'paragraphs_through' is the last
-- article_id whose paragraphs are recorded.
CREATE TABLE IF NOT EXISTS article_paragraphs (
    article_id BIGINT NOT NULL,
    paragraph INTEGER NOT NULL,
    fingerprint BIGINT NOT NULL,
    page BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS paragraph_counts (
    fingerprint BIGINT NOT NULL,
    pages INTEGER NOT NULL
);

-- MinHash LSH buckets and signatures for near-duplicate (same story) detection.
CREATE TABLE IF NOT EXISTS story_buckets (
    band SMALLINT NOT NULL,
    bucket UBIGINT NOT NULL,
    article_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS story_signatures (
    article_id BIGINT PRIMARY KEY,
    signature BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS topics (
    topic VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    label_ar VARCHAR NOT NULL,
    description VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS article_topics (
    article_id BIGINT NOT NULL,
    topic VARCHAR NOT NULL,
    score DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS topic_evidence (
    article_id BIGINT NOT NULL,
    topic VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    term VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    entity_key VARCHAR PRIMARY KEY,
    entity_type VARCHAR NOT NULL,
    canonical VARCHAR NOT NULL,
    latin VARCHAR NOT NULL
);

-- How each article writes the entities the gazetteer does not know (rules, learned list): (article, entity, spelling
-- as written, its Latin form, mentions). The entity's canonical is the spelling most of its mentions have
-- (write.respell_entities), so it does not depend on which article was stored last; per article, so that an
-- article analysed again takes its votes with it.
CREATE TABLE IF NOT EXISTS entity_spellings (
    article_id BIGINT NOT NULL,
    entity_key VARCHAR NOT NULL,
    canonical VARCHAR NOT NULL,
    latin VARCHAR NOT NULL,
    mentions INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id BIGINT NOT NULL,
    entity_key VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    surface VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    method VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS quotations (
    article_id BIGINT NOT NULL,
    speaker_key VARCHAR,
    speaker_surface VARCHAR NOT NULL,
    quote VARCHAR NOT NULL,
    seq INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS quantities (
    article_id BIGINT NOT NULL,
    low BIGINT NOT NULL,
    high BIGINT NOT NULL,
    unit VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    surface VARCHAR NOT NULL,
    seq INTEGER NOT NULL
);

-- Search index (basira/search.py, SQL in queries/search.py). term_id is a 64-bit hash of a light stem.
-- Postings are kept in runs search_run_<run_id>, each sorted by (term_id, article_id) and merged
-- log-structured; the view search_postings (term_id, article_id, tf, dl) is their union.
CREATE TABLE IF NOT EXISTS search_docs (
    article_id BIGINT NOT NULL,
    length INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS search_terms (
    term_id BIGINT PRIMARY KEY,
    term VARCHAR NOT NULL,
    df INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS search_runs (
    run_id INTEGER PRIMARY KEY,
    level INTEGER NOT NULL,
    postings BIGINT NOT NULL
);

-- Each indexed article's normalised title and non-boilerplate sentences, one per line, zlib-compressed: what a
-- quoted phrase is checked against. Read from `sentences`, one article's lines cost about 1 ms at 1M (DuckDB
-- decompresses a whole vector of text); here a few hundred bodies cost a few ms. The key makes a list of ids an
-- index lookup that reads only their blocks: a scan pins a whole vector's blocks per id (~3 MB), and a few
-- hundred candidates then overflow a reader's 512 MB buffer pool on every query. The body is zlib bytes:
-- DuckDB's own string compression only slows it down.
CREATE TABLE IF NOT EXISTS search_text (
    article_id BIGINT PRIMARY KEY,
    body BLOB NOT NULL USING COMPRESSION uncompressed
);

CREATE VIEW IF NOT EXISTS search_postings AS
SELECT NULL::BIGINT AS term_id, NULL::BIGINT AS article_id, NULL::INTEGER AS tf, NULL::INTEGER AS dl WHERE FALSE;

-- Dashboard summaries (basira/queries/summary.py), derived from entity_mentions after each ingest chunk
-- and after retag: one row per article and entity (mentions = its mentions there) and per article and
-- pair of entities named in one sentence (sentences = how many sentences name both; source < target).
-- Pairs are numbered in summary_pairs, which also holds each pair's totals over the whole store;
-- summary_entities holds each entity's.
CREATE TABLE IF NOT EXISTS summary_article_entities (
    article_id BIGINT NOT NULL,
    entity_key VARCHAR NOT NULL,
    mentions INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS summary_entities (
    entity_key VARCHAR NOT NULL,
    articles BIGINT NOT NULL,
    mentions BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS summary_pairs (
    pair_id INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    sentences BIGINT NOT NULL,
    articles BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS summary_article_pairs (
    article_id BIGINT NOT NULL,
    pair_id INTEGER NOT NULL,
    sentences INTEGER NOT NULL
);

-- Per-article facts for the filtered dashboard views (basira/queries/summary.py, read.py): each row carries
-- the article's date, whether it is its story's root and its source number, so a date, source or duplicates
-- filter is a predicate on the rows themselves (no join with articles), and the rows are stored in date order
-- so that a date range skips whole row groups. Entities are numbered (facts_entity_ids) so that grouping is
-- by an integer. facts_articles.tagged says whether the article has any topic (timeline's untagged remainder);
-- shared, whether its story has other articles: an unshared row is a story of its own, so counting stories
-- groups only the shared rows by story_id (half the rows, a few tens of thousands of stories at 1M).
CREATE TABLE IF NOT EXISTS facts_sources (
    source_id INTEGER NOT NULL,
    source VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_entity_ids (
    entity_id INTEGER NOT NULL,
    entity_key VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_articles (
    published DATE,
    is_story BOOLEAN NOT NULL,
    source_id INTEGER NOT NULL,
    article_id BIGINT NOT NULL,
    story_id BIGINT NOT NULL,
    tagged BOOLEAN NOT NULL,
    shared BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_topics (
    published DATE,
    is_story BOOLEAN NOT NULL,
    source_id INTEGER NOT NULL,
    article_id BIGINT NOT NULL,
    story_id BIGINT NOT NULL,
    topic VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    shared BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_entities (
    published DATE,
    is_story BOOLEAN NOT NULL,
    source_id INTEGER NOT NULL,
    article_id BIGINT NOT NULL,
    entity_id INTEGER NOT NULL,
    mentions INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_pairs (
    published DATE,
    is_story BOOLEAN NOT NULL,
    source_id INTEGER NOT NULL,
    article_id BIGINT NOT NULL,
    pair_id INTEGER NOT NULL,
    sentences INTEGER NOT NULL
);

-- Totals of the entity and pair facts per story flag and datedness: a view filtered only by those two flags
-- (stories only, dated only) sums at most four rows per entity or pair instead of every fact row.
CREATE TABLE IF NOT EXISTS facts_entity_totals (
    entity_id INTEGER NOT NULL,
    is_story BOOLEAN NOT NULL,
    dated BOOLEAN NOT NULL,
    articles BIGINT NOT NULL,
    mentions BIGINT NOT NULL
);

-- The same per topic (an article counts under each of its topics): a view filtered by one topic and the two
-- flags sums these instead of joining the topic's articles with every fact row.
CREATE TABLE IF NOT EXISTS facts_topic_entity_totals (
    topic VARCHAR NOT NULL,
    entity_id INTEGER NOT NULL,
    is_story BOOLEAN NOT NULL,
    dated BOOLEAN NOT NULL,
    articles BIGINT NOT NULL,
    mentions BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_topic_pair_totals (
    topic VARCHAR NOT NULL,
    pair_id INTEGER NOT NULL,
    is_story BOOLEAN NOT NULL,
    dated BOOLEAN NOT NULL,
    sentences BIGINT NOT NULL,
    articles BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_pair_totals (
    pair_id INTEGER NOT NULL,
    is_story BOOLEAN NOT NULL,
    dated BOOLEAN NOT NULL,
    sentences BIGINT NOT NULL,
    articles BIGINT NOT NULL
);

-- Each numbered pair's type when its two entities share one (PER, ORG, LOC; NULL for a mixed pair): the Entities
-- page's Type filter lists only the pairs of two entities of the type (read.cooccurrence), and testing both keys of
-- every pair against the entities took ~30 ms CPU per pass over the real store's 124k pairs (an integer semi-join
-- with this table instead). Extended with the pairs numbered since the last refresh.
CREATE TABLE IF NOT EXISTS facts_pair_types (
    pair_id INTEGER NOT NULL,
    entity_type VARCHAR
);

-- The pair facts of a fixed set of frequent pairs (facts_hot_pair_ids: the store's most frequent pairs, and the
-- most frequent pairs of two entities of one type, when they were last chosen), complete for those pairs. Co-occurrence's first pass reads these
-- few million rows instead of every pair fact, and so does its second pass when every pair that can still
-- reach the top N is among them (read.cooccurrence).
CREATE TABLE IF NOT EXISTS facts_hot_pair_ids (
    pair_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_hot_pairs (
    published DATE,
    is_story BOOLEAN NOT NULL,
    source_id INTEGER NOT NULL,
    article_id BIGINT NOT NULL,
    pair_id INTEGER NOT NULL,
    sentences INTEGER NOT NULL
);

-- The same for entities: the entity facts of the store's most frequent entities when the facts were last
-- built from scratch (read.top_entities).
CREATE TABLE IF NOT EXISTS facts_hot_entity_ids (
    entity_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS facts_hot_entities (
    published DATE,
    is_story BOOLEAN NOT NULL,
    source_id INTEGER NOT NULL,
    article_id BIGINT NOT NULL,
    entity_id INTEGER NOT NULL,
    mentions INTEGER NOT NULL
);

-- Each evidence sentence of a topic once, with its count of distinct matched terms, its article's score for the
-- topic (NULL if not tagged with it), and its matched terms and their offsets (summary.EVIDENCE_SPANS), in date
-- order as the other facts (meta 'facts_evidence_through': the last article covered). The Topics page ranks these
-- (read.evidence_highlights): at 1M articles, grouping every topic_evidence row of a topic in the view by sentence
-- to count its terms, then scanning them again for the winners' terms and offsets, cost most of that list's time.
CREATE TABLE IF NOT EXISTS facts_evidence (
    published DATE,
    is_story BOOLEAN NOT NULL,
    source_id INTEGER NOT NULL,
    article_id BIGINT NOT NULL,
    topic VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    terms_matched INTEGER NOT NULL,
    score DOUBLE,
    terms VARCHAR NOT NULL,
    starts INTEGER[] NOT NULL,
    ends INTEGER[] NOT NULL
);
