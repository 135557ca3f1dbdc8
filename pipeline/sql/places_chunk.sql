-- Place extraction, step 2: one chunk of the texts to read, n in ($from, $to].
SELECT case_id, content_hash, content FROM {{.places_todo}} WHERE n > $from AND n <= $to ORDER BY n
