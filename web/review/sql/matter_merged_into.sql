-- The matter that matter $1 merged into (it shares cases with it), when the latest run that
-- lists either holds $1 among a matter's merged_ids rather than under its own id.
SELECT w.matter_id FROM {{.watchlist}} w JOIN {{.runs}} r USING (run_id)
WHERE w.matter_id = $1 OR list_contains(w.merged_ids, $1)
ORDER BY r.finished_at DESC, w.matter_id = $1
LIMIT 1
