-- Place extraction, step 3b: what the workers found in one chunk (places_new, an Arrow view of
-- case_places' columns; see storePlaces) into case_places.
INSERT INTO case_places BY NAME SELECT * FROM {{.places_new}}
