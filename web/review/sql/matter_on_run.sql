-- Run $1 with its as-of date when its watchlist holds matter $2: the latest run is tried first,
-- reading one run's rows, before matter_run.sql reads every run's.
SELECT w.run_id, strftime(r.as_of, '%Y-%m-%d') FROM {{.watchlist}} w JOIN {{.runs}} r USING (run_id)
WHERE w.run_id = $1 AND w.matter_id = $2
