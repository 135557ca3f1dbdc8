-- The matters run $1 cleared (on the previous run's watchlist, not on this one) as the previous
-- run listed them, with why they cleared (the change note), in its rank order: at most $2, each
-- with how many were cleared.
SELECT c.matter_id, coalesce(w.matter_kind, ''), coalesce(c.prev_tier, ''), coalesce(c.{{.change_note}}, ''), coalesce(w.township, ''),
  coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(array_to_string(w.rules, ';'), ''),
  coalesce(w.{{.reason}}, ''), coalesce(strftime(w.as_of, '%Y-%m-%d'), ''), coalesce(w.title, ''), count(*) OVER ()
FROM matter_changes c LEFT JOIN watchlist w ON w.run_id = c.prev_run_id AND w.matter_id = c.matter_id
WHERE c.run_id = $1 AND c.state = 'cleared'
ORDER BY w.rank NULLS LAST, c.matter_id LIMIT $2
