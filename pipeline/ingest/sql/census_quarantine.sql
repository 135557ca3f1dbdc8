-- The records a census took out of a canonical CSV file before its reader saw them ($1 run,
-- $2 file; $3 their first lines, $4 the field at fault or NULL, $5 their reasons, $6 the records
-- as written, in one order).
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, unnest($3::BIGINT[]), unnest($4::VARCHAR[]), unnest($5::VARCHAR[]), unnest($6::VARCHAR[])
