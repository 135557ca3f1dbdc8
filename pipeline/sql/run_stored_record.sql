-- Run $1's record: the whole of it, or (NULL for runs an earlier version stored) its columns.
SELECT record, run_id, started_at, finished_at, coalesce(strftime(as_of, '%Y-%m-%d'), ''),
  coalesce(version, ''), coalesce(config_path, ''), coalesce(config_hash, ''), inputs,
  rule_counts, timings, coalesce(watchlist_items, 0)
FROM runs WHERE run_id = $1
