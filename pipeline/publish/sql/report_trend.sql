-- The watchlist's size per tier over the last $2 screening dates up to run $1's, oldest first:
-- one run per date (run $1 for its own date, else the date's latest run finished before run $1),
-- so that screening a past night again does not make the chart run backwards.
WITH me AS (SELECT as_of, finished_at FROM runs WHERE run_id = $1),
r AS (
  SELECT run_id, as_of FROM runs
  WHERE as_of <= (SELECT as_of FROM me) AND finished_at <= (SELECT finished_at FROM me)
  QUALIFY row_number() OVER (PARTITION BY as_of ORDER BY run_id = $1 DESC, finished_at DESC) = 1
  ORDER BY as_of DESC LIMIT $2
)
SELECT r.run_id, strftime(r.as_of, '%Y-%m-%d'),
       count(w.tier) FILTER (w.tier = 'red'), count(w.tier) FILTER (w.tier = 'orange'),
       count(w.tier) FILTER (w.tier = 'yellow')
FROM r LEFT JOIN watchlist w USING (run_id)
GROUP BY r.run_id, r.as_of ORDER BY r.as_of
