-- The topics settings of the run as its record keeps them (a JSON object; NULL when topics were
-- off or the record is from an earlier version).
SELECT CAST(record->'topics' AS VARCHAR) FROM runs WHERE run_id = $1
