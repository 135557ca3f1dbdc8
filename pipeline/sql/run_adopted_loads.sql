-- The files of loads whose run was never stored (killed or failed after its load committed).
SELECT run_id, sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, coalesce(mapping, '')
FROM loaded_files
WHERE run_id NOT IN (SELECT run_id FROM runs)
ORDER BY loaded_at, path
