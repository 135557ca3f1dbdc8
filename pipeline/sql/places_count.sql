-- Place extraction, step 1b: how many texts are to be read.
SELECT count(*) FROM {{.places_todo}}
