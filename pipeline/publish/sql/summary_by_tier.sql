-- The run's watchlist items per tier, red first.
SELECT tier, count(*) FROM watchlist WHERE run_id = $1 GROUP BY tier ORDER BY CASE tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END
