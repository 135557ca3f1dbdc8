-- The latest run whose watchlist holds matter $1.
SELECT w.run_id, strftime(r.as_of, '%Y-%m-%d') FROM {{.watchlist}} w JOIN {{.runs}} r USING (run_id)
WHERE w.matter_id = $1 ORDER BY r.finished_at DESC LIMIT 1
