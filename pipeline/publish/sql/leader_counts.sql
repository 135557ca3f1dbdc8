-- The run's watchlist items per value of a column (township, category or responsible unit) and
-- tier, the most red first, then the most orange, then the most in all: the leaders' tables
-- show the first of them (the rest summed as other), and a unit with a red matter is not among
-- the rest while one with only yellow ones is listed.
SELECT coalesce({{.group}}, ''), count(*) FILTER (tier = 'red') AS red, count(*) FILTER (tier = 'orange') AS orange,
  count(*) FILTER (tier = 'yellow'), count(*) AS n
FROM watchlist WHERE run_id = $1 GROUP BY 1 ORDER BY red DESC, orange DESC, n DESC, 1
