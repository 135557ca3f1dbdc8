-- Place extraction, step 3: the mentions Go found, appended here chunk by chunk, by the text's
-- row in places_todo (r).
CREATE OR REPLACE TEMP TABLE {{.places_found}} (
  r BIGINT, ord INTEGER, key VARCHAR, name VARCHAR, kind VARCHAR, context VARCHAR, in_subject BOOLEAN,
  written VARCHAR)
