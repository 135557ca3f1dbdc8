-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)
