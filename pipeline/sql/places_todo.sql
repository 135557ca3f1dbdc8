-- Place extraction, step 1: the cases whose text has not been read for places with this
-- extraction ($salt: its version and the gazetteer's digest) as it stands, by their row in
-- cases (r), without the text: Go reads the texts in chunks of rows (places_chunk.sql), so that
-- the texts are neither copied nor read here. The cases never read (those without a text among
-- them: places_chunk.sql leaves them out), and those read before whose first row in
-- case_places (ord 0 or 1) holds another hash than their text's now, a text gone included
-- (their mentions go, and nothing is read).
CREATE OR REPLACE TEMP TABLE {{.places_todo}} AS
SELECT c.rowid AS r, c.case_id
FROM cases c LEFT JOIN case_places p ON p.case_id = c.case_id AND p.ord <= 1
WHERE p.case_id IS NULL OR p.text_hash IS DISTINCT FROM hash(CAST($salt AS VARCHAR), c.content)
