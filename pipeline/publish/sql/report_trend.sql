-- The watchlist's size per tier in the last $2 runs up to run $1, oldest first.
WITH r AS (
  SELECT run_id, as_of, finished_at FROM runs
  WHERE finished_at <= (SELECT finished_at FROM runs WHERE run_id = $1)
  ORDER BY finished_at DESC LIMIT $2
)
SELECT r.run_id, strftime(r.as_of, '%Y-%m-%d'),
       count(w.tier) FILTER (w.tier = 'red'), count(w.tier) FILTER (w.tier = 'orange'),
       count(w.tier) FILTER (w.tier = 'yellow')
FROM r LEFT JOIN watchlist w USING (run_id)
GROUP BY r.run_id, r.as_of, r.finished_at ORDER BY r.finished_at, r.run_id
