-- Every matter with an owner, with the latest watchlist item it appeared in; those resolved
-- before $1 (the month's first instant) left out.
WITH last AS (
  SELECT w.matter_id, arg_max(w.tier, r.finished_at) AS tier, arg_max(w.township, r.finished_at) AS township,
         arg_max(w.category, r.finished_at) AS category, arg_max(w.responsible_unit, r.finished_at) AS unit
  FROM {{.watchlist}} w JOIN {{.runs}} r USING (run_id) GROUP BY w.matter_id
)
SELECT m.matter_id, coalesce(l.tier, ''), coalesce(l.township, ''), coalesce(l.category, ''), coalesce(l.unit, ''),
       m.owner, coalesce(m.plan, ''), m.state, m.taken_at, m.due_date,
       (SELECT max(noted_at) FROM {{.progress_notes}} p WHERE p.matter_id = m.matter_id)
FROM {{.matter_review}} m LEFT JOIN last l USING (matter_id)
WHERE m.owner IS NOT NULL AND m.state IN ({{.state_owned}}, {{.state_resolved}}) AND (m.resolved_at IS NULL OR m.resolved_at >= $1)
ORDER BY m.due_date NULLS LAST, m.matter_id
