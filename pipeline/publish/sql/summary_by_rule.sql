-- The run's watchlist items per rule that flagged them, most first.
SELECT r, count(*) AS n FROM (SELECT unnest(rules) AS r FROM watchlist WHERE run_id = $1) GROUP BY r ORDER BY n DESC, r
