-- quarantine.csv's rows: what the runs in list $1 quarantined, and the identifiers they set
-- aside in rows they loaded (their reasons say so), in file and line order.
SELECT file, line::VARCHAR, record_id, field, reason, raw
FROM (SELECT * FROM quarantine UNION ALL BY NAME SELECT * FROM set_aside)
WHERE list_contains($1, run_id) ORDER BY file, line NULLS LAST, field, reason, raw
