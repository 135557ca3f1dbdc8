-- The files the runs in list $1 loaded (those runs' outputs were never published whole).
SELECT run_id, sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, coalesce(mapping, '')
FROM loaded_files
WHERE list_contains($1, run_id)
ORDER BY loaded_at, path
