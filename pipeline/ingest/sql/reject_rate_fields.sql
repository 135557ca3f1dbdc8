-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3
