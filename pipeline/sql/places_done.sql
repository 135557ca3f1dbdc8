-- Place extraction, step 4: the texts to read are read.
DROP TABLE {{.places_todo}}
