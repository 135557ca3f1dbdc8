-- quarantine.csv's rows: what run $1 quarantined, in file and line order.
SELECT file, line::VARCHAR, field, reason, raw FROM quarantine
WHERE run_id = $1 ORDER BY file, line NULLS LAST, field, reason, raw
