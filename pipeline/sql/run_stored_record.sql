-- Run $1's record: the whole of it, or (NULL for runs an earlier version stored) its columns.
-- The JSON columns as text, which the driver would decode into maps.
SELECT record::VARCHAR, run_id, started_at, finished_at, coalesce(strftime(as_of, '%Y-%m-%d'), ''),
  coalesce(version, ''), coalesce(config_path, ''), coalesce(config_hash, ''), inputs::VARCHAR,
  rule_counts::VARCHAR, timings::VARCHAR, coalesce(watchlist_items, 0)
FROM runs WHERE run_id = $1
