-- What the run's record says beside the watchlist: its input warnings (a JSON array; NULL when
-- it has none) and how many matters the rules flagged that were quiet and not listed (NULL for a
-- record from an earlier version).
SELECT CAST(record->'warnings' AS VARCHAR), CAST(record->>'quiet_matters' AS BIGINT) FROM runs WHERE run_id = $1
