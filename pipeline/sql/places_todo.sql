-- Place extraction, step 1: the cases whose text has not been read for places with this
-- extraction ($salt: its version and the gazetteer's digest) as it stands, by their row in
-- cases (r), without the text: Go reads the texts in chunks of rows (places_chunk.sql), so that
-- the texts are neither copied nor sorted here.
CREATE OR REPLACE TEMP TABLE {{.places_todo}} AS
SELECT c.r, c.case_id, c.content_hash
FROM (SELECT rowid AS r, case_id, md5(CAST($salt AS VARCHAR) || content) AS content_hash
      FROM cases WHERE content IS NOT NULL) c
WHERE NOT EXISTS (SELECT 1 FROM case_places p WHERE p.case_id = c.case_id AND p.content_hash = c.content_hash)
