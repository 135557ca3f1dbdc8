-- The matters of run $1's watchlist that are owned (包案) or resolved in review, by rank: owner,
-- review state and due date; its title (with township and category for one stored without).
SELECT w.rank, w.matter_id, coalesce(w.title, ''), w.township, w.category, w.tier, m.owner, m.state, coalesce(strftime(m.due_date, '%Y-%m-%d'), '')
FROM watchlist w JOIN {{.reviewed}} m USING (matter_id)
WHERE w.run_id = $1 AND m.owner IS NOT NULL AND m.state IN ('owned', 'resolved')
ORDER BY w.rank
