INSERT INTO runs (run_id, started_at, finished_at, as_of, version, config_path, config_hash, inputs,
  rule_params, rule_counts, timings, watchlist_items, record, seq)
VALUES ($1, $2, $3, CAST($4 AS DATE), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
