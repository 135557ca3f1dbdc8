-- Place extraction, step 1b: the chunks of the texts to read, $chunk texts at a time in the
-- order of their rows: each chunk's first and last row, and its texts.
SELECT min(r), max(r), count(*)
FROM (SELECT r, (row_number() OVER (ORDER BY r) - 1) // CAST($chunk AS BIGINT) AS k FROM {{.places_todo}})
GROUP BY k ORDER BY k
