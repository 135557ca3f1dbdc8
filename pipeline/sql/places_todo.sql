-- Place extraction, step 1: the cases whose text has not been read for places with this
-- extraction ($salt: its version and the gazetteer's digest) as it stands, numbered n = 1, 2, …
-- for Go to read in chunks.
CREATE OR REPLACE TEMP TABLE {{.places_todo}} AS
SELECT row_number() OVER (ORDER BY c.case_id) AS n, c.case_id, c.content_hash, c.content
FROM (SELECT case_id, md5(CAST($salt AS VARCHAR) || content) AS content_hash, content
      FROM cases WHERE content IS NOT NULL) c
WHERE NOT EXISTS (SELECT 1 FROM case_places p WHERE p.case_id = c.case_id AND p.content_hash = c.content_hash)
