-- The run's input warnings as its record keeps them (a JSON array; NULL when it has none or
-- the record is from an earlier version).
SELECT CAST(record->'warnings' AS VARCHAR) FROM runs WHERE run_id = $1
