-- The supervisions of matter $1, oldest first.
SELECT supervised_at, supervised_by, note, strftime(deadline, '%Y-%m-%d') FROM {{.supervisions}}
WHERE matter_id = $1 ORDER BY supervised_at
