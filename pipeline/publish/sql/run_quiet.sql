-- How many matters the run's rules flagged that were quiet and not listed, as its record keeps
-- it (NULL for a record from an earlier version).
SELECT CAST(record->>'quiet_matters' AS BIGINT) FROM runs WHERE run_id = $1
