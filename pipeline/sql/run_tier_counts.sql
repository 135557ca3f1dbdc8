SELECT tier, count(*) FROM watchlist WHERE run_id = $1 GROUP BY tier
