SELECT DISTINCT category FROM {{.watchlist}} WHERE run_id = $1 AND category IS NOT NULL ORDER BY 1
