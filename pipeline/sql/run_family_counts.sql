SELECT f, count(*) FROM (SELECT unnest(families) AS f FROM watchlist WHERE run_id = $1) GROUP BY f
