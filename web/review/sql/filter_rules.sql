SELECT DISTINCT unnest(rules) AS r FROM {{.watchlist}} WHERE run_id = $1 ORDER BY 1
