-- The latest run whose watchlist holds matter $1; NULL when none does.
SELECT arg_max(w.run_id, r.finished_at) FROM {{.watchlist}} w JOIN {{.runs}} r USING (run_id) WHERE w.matter_id = $1
