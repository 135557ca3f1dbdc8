-- The matters of the monthly ledger (月度包案台账) of the month [$1, $2): every matter owned now
-- and taken before the month ended, and every one resolved since the month began (a matter
-- resolved after the month was still owned in it), with the latest watchlist item it appeared in.
WITH last AS (
  {{template "latest_items" .}}
)
SELECT m.matter_id, coalesce(l.title, ''), coalesce(l.tier, ''), coalesce(l.township, ''), coalesce(l.category, ''), coalesce(l.unit, ''),
       m.owner, coalesce(m.assigned_by, ''), coalesce(m.plan, ''), m.state, m.taken_at,
       coalesce(strftime(m.due_date, '%Y-%m-%d'), ''), coalesce(strftime(m.plan_deadline, '%Y-%m-%d'), ''),
       m.resolved_at, (SELECT max(noted_at) FROM {{.progress_notes}} p WHERE p.matter_id = m.matter_id),
       m.visited_at, coalesce(m.visited_by, ''), coalesce(m.visit_note, ''), coalesce(m.satisfaction, '')
FROM {{.reviewed}} m LEFT JOIN last l USING (matter_id)
WHERE m.owner IS NOT NULL AND m.taken_at < $2
  AND (m.state = {{.state_owned}} OR (m.state = {{.state_resolved}} AND m.resolved_at >= $1))
ORDER BY m.owner, m.due_date NULLS LAST, m.matter_id
