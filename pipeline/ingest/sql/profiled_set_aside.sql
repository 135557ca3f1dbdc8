-- The records the profile's mapping loaded with identifiers set aside ($1 run, $2 file), into
-- set_aside, but for those validation quarantined after all (a duplicate id, a form sent
-- twice), which did not load.
INSERT INTO set_aside (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2, line, field, reason, raw, record_id FROM {{.src_rejects}} r
WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.run_id = $1 AND q.file = $2 AND q.line = r.line)
