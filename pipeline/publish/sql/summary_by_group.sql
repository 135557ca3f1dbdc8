-- The run's watchlist items per value of a column (township or category), most first.
SELECT coalesce({{.group}}, ''), count(*) AS n FROM watchlist WHERE run_id = $1 GROUP BY ALL ORDER BY n DESC, 1
