-- Matter $1's history over the last $2 runs, at most $3 entries: the runs it came on, got
-- worse, came back, changed tier, went off or was kept off the watchlist in, newest first, each
-- with the note saying what changed. Nights it stayed as it was are left out. The bound on
-- run_id (run ids begin with the time the run started, and a run's changes are stored after
-- the runs before it) lets DuckDB skip the row groups of older runs: a year of nights at a
-- large county's scale is tens of millions of rows (0.7 s a page unbounded, 0.2 s for 90 of
-- 360 nights).
SELECT strftime(r.as_of, '%Y-%m-%d'), c.state, coalesce(c.tier, ''), coalesce(c.prev_tier, ''),
       coalesce(c.{{.change_note}}, '')
FROM {{.matter_changes}} c JOIN {{.runs}} r USING (run_id)
WHERE c.matter_id = $1
  AND c.run_id >= (SELECT min(run_id) FROM (SELECT run_id FROM {{.runs}} ORDER BY seq DESC LIMIT $2))
  AND (c.state <> 'continuing' OR c.tier IS DISTINCT FROM c.prev_tier)
ORDER BY r.seq DESC
LIMIT $3
