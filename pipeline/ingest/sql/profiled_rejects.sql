-- The records the profile's mapping rejected ($1 run, $2 file), into the quarantine.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2, line, field, reason, raw, record_id FROM {{.src_rejects}}
