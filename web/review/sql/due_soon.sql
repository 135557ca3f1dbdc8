-- A run's due-soon list (临期预警), by responsible unit, then the most urgent first; whether each
-- case is a matter on that run's watchlist, and its content (for its gist).
SELECT d.case_id, d.stage, strftime(d.deadline, '%Y-%m-%d'), d.days_left,
       coalesce(d.responsible_unit, ''), coalesce(d.township, ''), coalesce(d.category, ''),
       w.matter_id IS NOT NULL, coalesce(c.content, '')
FROM {{.due_soon}} d
LEFT JOIN {{.watchlist}} w ON w.run_id = d.run_id AND w.matter_id = 'case:' || d.case_id
LEFT JOIN {{.cases}} c ON c.case_id = d.case_id
WHERE d.run_id = $1
ORDER BY d.responsible_unit NULLS LAST, d.deadline, d.case_id
