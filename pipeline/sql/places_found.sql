-- Place extraction, step 3: the mentions Go found, appended here chunk by chunk.
CREATE OR REPLACE TEMP TABLE {{.places_found}} (
  case_id VARCHAR, content_hash VARCHAR, ord INTEGER, key VARCHAR, name VARCHAR, kind VARCHAR,
  context VARCHAR, in_subject BOOLEAN)
