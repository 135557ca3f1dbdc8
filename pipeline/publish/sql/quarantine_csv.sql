-- quarantine.csv's rows: what the runs in list $1 quarantined, in file and line order.
SELECT file, line::VARCHAR, field, reason, raw FROM quarantine
WHERE list_contains($1, run_id) ORDER BY file, line NULLS LAST, field, reason, raw
