-- Supervision (督办) by responsible unit: the run's items with a pending case past its deadline
-- (days_overdue > 0) or a stalled flag, how many of them are red, past a deadline and stalled,
-- and the most days any is past its deadline; most first.
SELECT coalesce(responsible_unit, ''), count(*) AS n, count(*) FILTER (tier = 'red'),
  count(*) FILTER (days_overdue > 0), count(*) FILTER (list_contains(families, 'stalled')),
  coalesce(max(days_overdue), 0)
FROM watchlist
WHERE run_id = $1 AND (days_overdue > 0 OR list_contains(families, 'stalled'))
GROUP BY 1 ORDER BY n DESC, 6 DESC, 1
