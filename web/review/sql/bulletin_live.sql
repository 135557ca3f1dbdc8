-- The live matters of run $1: on its watchlist and neither resolved nor dismissed in review,
-- with where they are, who is responsible and whether a case of theirs is past its deadline.
SELECT w.matter_id, coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''),
       coalesce(w.days_overdue, 0) > 0
FROM {{.watchlist}} w LEFT JOIN {{.reviewed}} m USING (matter_id)
WHERE w.run_id = $1 AND coalesce(m.state, {{.state_open}}) NOT IN ({{.state_resolved}}, {{.state_dismissed}})
ORDER BY w.rank
