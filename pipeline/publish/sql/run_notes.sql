-- What the run's record says beside the watchlist: its input warnings (a JSON array; NULL when
-- it has none), how many matters the rules flagged that were quiet and not listed (NULL for a
-- record from an earlier version), whether its data had no closing records, its as-of date
-- with the latest case received or contact made when an event's date far past it set that date
-- ('' otherwise), its input files (a JSON array: rows quarantined and set aside) and the records
-- whose case the database does not hold (a JSON object; NULL when there are none).
SELECT CAST(record->'warnings' AS VARCHAR), CAST(record->>'quiet_matters' AS BIGINT),
       coalesce(CAST(record->>'deadlines_unknown' AS BOOLEAN), false),
       coalesce(record->>'as_of', ''), coalesce(record->>'records_latest', ''),
       CAST(record->'inputs' AS VARCHAR), CAST(record->'links'->'records_of_missing_cases' AS VARCHAR)
FROM runs WHERE run_id = $1
