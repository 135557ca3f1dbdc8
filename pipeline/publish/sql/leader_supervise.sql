-- Supervision (督办) by responsible unit: the run's items with a pending case past its deadline
-- or a stalled flag, each counted under the unit of the case that puts it there: a stalled
-- flag's case, whatever unit the item itself names (a cluster that took in another unit's
-- overdue case counts it under that unit, not under the cluster's). An item past a deadline
-- without a stalled flag (the rule switched off) counts under its own unit. For each unit: its
-- items, how many are red, how many are past a deadline and how many stalled, and the most days
-- any of them is past its deadline (its own cases', for a stalled flag); most first.
WITH items AS (
  SELECT matter_id, tier, responsible_unit, days_overdue FROM watchlist
  WHERE run_id = $1 AND (days_overdue > 0 OR list_contains(families, 'stalled'))
),
stalled AS (
  SELECT i.matter_id, i.tier, c.responsible_unit,
         max(CAST(json_extract(f.facts, '$.days_overdue') AS INTEGER)) AS days_overdue, true AS stalled
  FROM items i
  JOIN flags f ON f.run_id = $1 AND f.matter_id = i.matter_id AND f.family = 'stalled'
  JOIN cases c ON c.case_id = f.case_ids[1]
  GROUP BY ALL
),
by_unit AS (
  SELECT * FROM stalled
  UNION ALL
  SELECT matter_id, tier, responsible_unit, days_overdue, false FROM items
  WHERE matter_id NOT IN (SELECT matter_id FROM stalled)
)
SELECT coalesce(responsible_unit, ''), count(*) AS n, count(*) FILTER (tier = 'red'),
  count(*) FILTER (days_overdue > 0), count(*) FILTER (stalled),
  coalesce(max(days_overdue), 0)
FROM by_unit
GROUP BY 1 ORDER BY n DESC, 6 DESC, 1
