-- Place extraction, step 1b: the chunks of the cases to read, $chunk at a time in the
-- order of their rows: each chunk's first and last row.
SELECT min(r), max(r)
FROM (SELECT r, (row_number() OVER (ORDER BY r) - 1) // CAST($chunk AS BIGINT) AS k FROM {{.places_todo}})
GROUP BY k ORDER BY k
