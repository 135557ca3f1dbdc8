SELECT DISTINCT township FROM {{.watchlist}} WHERE run_id = $1 AND township IS NOT NULL ORDER BY 1
