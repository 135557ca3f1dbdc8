-- The latest stored run's as-of date and the rules it screened (not skipped), for rescreening.
SELECT as_of, coalesce(list(r.key) FILTER (WHERE NOT coalesce(CAST(json_extract(r.value, '$.skipped') AS BOOLEAN), false)), [])
FROM runs, json_each(record, '$.rules') r
WHERE seq = (SELECT max(seq) FROM runs)
GROUP BY as_of
