-- The fields most rejects of file $2 in run $1 name, with the first line of each.
SELECT coalesce(field, '?'), count(*), coalesce(min(line), 0)
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL
ORDER BY 2 DESC, 1
LIMIT 3
