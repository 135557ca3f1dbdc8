-- The records a census took out of a canonical CSV file before its reader saw them ($1 run,
-- $2 file; $3 their first lines, $4 their reasons, $5 the records as written, in one order).
INSERT INTO quarantine
SELECT $1, $2, unnest($3::BIGINT[]), NULL, unnest($4::VARCHAR[]), unnest($5::VARCHAR[])
