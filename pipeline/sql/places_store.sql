-- Place extraction, step 4: the new mentions replace the cases' old ones (of an earlier text or
-- extraction).
DELETE FROM case_places WHERE case_id IN (SELECT case_id FROM {{.places_todo}});
INSERT INTO case_places SELECT * FROM {{.places_found}};
DROP TABLE {{.places_todo}};
DROP TABLE {{.places_found}};
