-- The run's watchlist items per value of a column (township, category or responsible unit) and
-- tier, most first.
SELECT coalesce({{.group}}, ''), count(*) FILTER (tier = 'red'), count(*) FILTER (tier = 'orange'),
  count(*) FILTER (tier = 'yellow'), count(*) AS n
FROM watchlist WHERE run_id = $1 GROUP BY 1 ORDER BY n DESC, 1
