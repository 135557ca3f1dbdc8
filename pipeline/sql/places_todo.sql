-- Place extraction, step 1: the cases whose text has not been read for places with this
-- extraction ($salt: its version and the gazetteer's digest) as it stands, by their row in
-- cases (r), without the text: Go reads the texts in chunks of rows (places_chunk.sql), so that
-- the texts are neither copied nor read here. The cases never read (those without a text among
-- them: places_chunk.sql leaves them out), and those read before whose text's hash (stored with
-- their places) is not the hash of their text now: only these are hashed here; Go hashes the
-- texts it reads.
CREATE OR REPLACE TEMP TABLE {{.places_todo}} AS
SELECT c.rowid AS r, c.case_id
FROM cases c
WHERE NOT EXISTS (SELECT 1 FROM case_places p WHERE p.case_id = c.case_id)
UNION ALL
SELECT c.rowid AS r, c.case_id
FROM cases c JOIN (SELECT case_id, any_value(content_hash) AS content_hash FROM case_places GROUP BY case_id) p
  ON p.case_id = c.case_id
WHERE c.content IS NOT NULL AND p.content_hash IS DISTINCT FROM md5(CAST($salt AS VARCHAR) || c.content)
