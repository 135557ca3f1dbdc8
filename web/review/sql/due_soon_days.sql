-- The due-soon setting (watchlist.due_soon_days) a run made its list with; 0 for none, or for a
-- run of an earlier version.
SELECT coalesce(CAST(json_extract(record, '$.due_soon_days') AS INTEGER), 0) FROM {{.runs}} WHERE run_id = $1
