-- Place extraction, step 2: the old mentions of the cases to read (of an earlier text or
-- extraction) go; Go then appends the new ones to case_places chunk by chunk.
DELETE FROM case_places WHERE case_id IN (SELECT case_id FROM {{.places_todo}})
