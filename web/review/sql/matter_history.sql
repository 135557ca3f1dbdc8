-- Matter $1's history from night to night: the runs it came on, got worse, came back, changed
-- tier, went off or was kept off the watchlist in, newest first, at most $2, each with the note
-- saying what changed. Nights it stayed as it was are left out.
SELECT strftime(r.as_of, '%Y-%m-%d'), c.state, coalesce(c.tier, ''), coalesce(c.prev_tier, ''),
       coalesce(c.{{.change_note}}, '')
FROM {{.matter_changes}} c JOIN {{.runs}} r USING (run_id)
WHERE c.matter_id = $1 AND (c.state <> 'continuing' OR c.tier IS DISTINCT FROM c.prev_tier)
ORDER BY r.seq DESC
LIMIT $2
