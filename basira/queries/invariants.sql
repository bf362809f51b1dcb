-- Each query names a data invariant and returns the rows that break it; an empty result means it holds.
-- name: undated_has_reason
SELECT article_id FROM articles WHERE (published IS NULL) <> (undated_reason IS NOT NULL);
-- name: story_is_an_article
SELECT a.article_id FROM articles a LEFT JOIN articles s ON s.article_id = a.story_id WHERE s.article_id IS NULL;
-- name: story_root_is_its_own_story
SELECT a.article_id FROM articles a JOIN articles s ON s.article_id = a.story_id WHERE s.story_id <> s.article_id;
-- name: untitled_article_has_its_opening
SELECT a.article_id FROM articles a
WHERE a.title_raw IS NULL AND a.article_id <= (SELECT coalesce(max(value::BIGINT), 0) FROM meta WHERE key = 'openings_through')
AND NOT EXISTS (SELECT 1 FROM article_openings o WHERE o.article_id = a.article_id AND length(o.opening) BETWEEN 1 AND 80);
-- name: opening_only_for_untitled
SELECT o.article_id FROM article_openings o LEFT JOIN articles a USING (article_id)
WHERE a.article_id IS NULL OR a.title_raw IS NOT NULL;
-- name: every_article_has_sentences
SELECT a.article_id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.article_id);
-- name: sentence_seq_unique
SELECT article_id, seq FROM sentences GROUP BY article_id, seq HAVING count(*) > 1;
-- name: sentence_span_matches_text
SELECT s.article_id, s.seq FROM sentences s JOIN articles a USING (article_id)
WHERE substr(a.text_raw, s.start_char + 1, s.end_char - s.start_char) <> s.text_raw;
-- name: evidence_points_to_a_sentence
SELECT e.article_id, e.seq FROM topic_evidence e
WHERE e.seq >= 0 AND NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = e.article_id AND s.seq = e.seq);
-- name: evidence_not_in_boilerplate
SELECT e.article_id, e.seq FROM topic_evidence e JOIN sentences s ON s.article_id = e.article_id AND s.seq = e.seq
WHERE s.is_boilerplate;
-- name: tagged_topic_has_evidence
SELECT t.article_id, t.topic FROM article_topics t
WHERE NOT EXISTS (SELECT 1 FROM topic_evidence e WHERE e.article_id = t.article_id AND e.topic = t.topic);
-- name: mention_entity_known
SELECT m.article_id, m.entity_key FROM entity_mentions m LEFT JOIN entities e USING (entity_key) WHERE e.entity_key IS NULL;
-- name: spelling_entity_known
SELECT s.article_id, s.entity_key FROM entity_spellings s LEFT JOIN entities e USING (entity_key)
WHERE e.entity_key IS NULL;
-- name: mention_points_to_a_sentence
SELECT m.article_id, m.seq FROM entity_mentions m
WHERE m.seq >= 0 AND NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = m.article_id AND s.seq = m.seq);
-- name: quantity_range_ordered
SELECT article_id, low, high FROM quantities WHERE low > high OR low < 0;
-- name: sighting_for_every_article
SELECT a.article_id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sightings g WHERE g.content_hash = a.content_hash);
-- name: sighting_names_an_article
SELECT g.content_hash, g.source_path, g.locator FROM sightings g WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.content_hash = g.content_hash);
-- name: facts_article_matches_its_article
SELECT a.article_id FROM articles a
WHERE a.article_id <= (SELECT coalesce(max(value::BIGINT), 0) FROM meta WHERE key = 'facts_through')
AND NOT EXISTS (SELECT 1 FROM facts_articles f JOIN facts_sources s USING (source_id) WHERE f.article_id = a.article_id
    AND f.published IS NOT DISTINCT FROM a.published AND f.story_id = a.story_id AND f.is_story = (a.article_id = a.story_id)
    AND s.source = coalesce(a.source_name, a.source_path));
-- name: facts_rows_match_the_summaries
SELECT 'facts_entities' FROM (SELECT coalesce(max(value::BIGINT), 0) AS n FROM meta WHERE key = 'facts_through') t
WHERE (SELECT count(*) FROM facts_entities) <> (SELECT count(*) FROM summary_article_entities WHERE article_id <= t.n)
UNION ALL
SELECT 'facts_pairs' FROM (SELECT coalesce(max(value::BIGINT), 0) AS n FROM meta WHERE key = 'facts_through') t
WHERE (SELECT count(*) FROM facts_pairs) <> (SELECT count(*) FROM summary_article_pairs WHERE article_id <= t.n)
UNION ALL
SELECT 'facts_topics' FROM (SELECT coalesce(max(value::BIGINT), 0) AS n FROM meta WHERE key = 'facts_through') t
WHERE (SELECT count(*) FROM facts_topics) <> (SELECT count(*) FROM article_topics WHERE article_id <= t.n)
UNION ALL
SELECT 'facts_hot_pairs' WHERE (SELECT count(*) FROM facts_hot_pairs)
    <> (SELECT count(*) FROM facts_pairs WHERE pair_id IN (SELECT pair_id FROM facts_hot_pair_ids))
UNION ALL
SELECT 'facts_hot_entities' WHERE (SELECT count(*) FROM facts_hot_entities)
    <> (SELECT count(*) FROM facts_entities WHERE entity_id IN (SELECT entity_id FROM facts_hot_entity_ids));
-- name: facts_pair_types_match_the_entities
SELECT d.pair_id FROM summary_pairs d JOIN entities s ON s.entity_key = d.source JOIN entities t ON t.entity_key = d.target
WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'facts_through')
AND NOT EXISTS (SELECT 1 FROM facts_pair_types p WHERE p.pair_id = d.pair_id
    AND p.entity_type IS NOT DISTINCT FROM CASE WHEN s.entity_type = t.entity_type THEN s.entity_type END);
-- name: facts_evidence_matches_the_evidence
WITH expected AS (
    SELECT a.published, a.article_id = a.story_id AS is_story, s.source_id, e.article_id, e.topic, e.seq,
        count(DISTINCT e.term)::INTEGER AS terms_matched, t.score, string_agg(DISTINCT e.term, ', ' ORDER BY e.term) AS terms,
        list(e.start_char ORDER BY e.start_char, e.end_char) AS starts, list(e.end_char ORDER BY e.start_char, e.end_char) AS ends
    FROM topic_evidence e JOIN articles a USING (article_id) JOIN facts_sources s ON s.source = coalesce(a.source_name, a.source_path)
    LEFT JOIN article_topics t ON t.article_id = e.article_id AND t.topic = e.topic
    WHERE e.article_id <= (SELECT coalesce(max(value::BIGINT), 0) FROM meta WHERE key = 'facts_evidence_through')
    GROUP BY ALL
)
SELECT 'missing', * FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM facts_evidence)
UNION ALL
SELECT 'extra', * FROM (SELECT * FROM facts_evidence EXCEPT ALL SELECT * FROM expected);
