-- One row per rule and per family that flagged anything (see BacktestRow for the definitions).
--
-- An alert is raised on the first day a rule (or any rule of a family) flags a matter and again
-- each time it flags it after a day without; it is false when none of the matter's cases
-- belongs to a planted event of the rule's family. A planted event counts when its first day
-- falls from $from to the last day screened; it is detected when a flag of its family covers
-- one of its cases, and its lead time is the days from that first flag to its peak.
WITH flag_cases AS (
  SELECT day, rule_id, family, matter_id, unnest(case_ids) AS case_id FROM bt_flags
),
true_matters AS (
  SELECT DISTINCT f.family, f.matter_id
  FROM flag_cases f JOIN {{.bt_truth}} t ON t.case_id = f.case_id AND t.family = f.family
),
scoped AS (
  SELECT 'rule' AS scope, rule_id AS name, family, day, matter_id FROM bt_flags
  UNION ALL
  SELECT DISTINCT 'family', family, family, day, matter_id FROM bt_flags
),
raised AS (
  SELECT scope, name, family, matter_id,
         lag(day) OVER (PARTITION BY scope, name, matter_id ORDER BY day) AS prev_day, day
  FROM scoped
),
alerts AS (
  SELECT r.scope, r.name, any_value(r.family) AS family, count(*) AS alerts,
         count(*) FILTER (WHERE tm.matter_id IS NULL) AS false_alerts
  FROM raised r LEFT JOIN true_matters tm USING (family, matter_id)
  WHERE r.prev_day IS NULL OR r.prev_day <> r.day - 1
  GROUP BY r.scope, r.name
),
events AS (
  SELECT truth_id, family, any_value(first_date) AS first_date, any_value(peak_date) AS peak_date
  FROM {{.bt_truth}} WHERE first_date >= CAST($from AS DATE) AND first_date <= (SELECT max(day) FROM bt_population)
  GROUP BY truth_id, family
),
detections AS (
  SELECT s.scope, s.name, t.truth_id, min(f.day) AS first_flag
  FROM flag_cases f
  JOIN {{.bt_truth}} t ON t.case_id = f.case_id AND t.family = f.family
  JOIN (SELECT 'rule' AS scope, rule_id AS name, rule_id, family FROM bt_flags
        UNION SELECT 'family', family, rule_id, family FROM bt_flags) s
    ON s.rule_id = f.rule_id
  WHERE t.truth_id IN (SELECT truth_id FROM events)
  GROUP BY s.scope, s.name, t.truth_id
),
named AS (
  SELECT DISTINCT 'rule' AS scope, rule_id AS name, family FROM bt_flags
  UNION SELECT DISTINCT 'family', family, family FROM bt_flags
),
scored AS (
  SELECT n.scope, n.name, n.family,
         (SELECT count(*) FROM events e WHERE e.family = n.family) AS events,
         count(d.truth_id) AS detected,
         median(e.peak_date - d.first_flag) AS median_lead
  FROM named n
  LEFT JOIN detections d USING (scope, name)
  LEFT JOIN events e ON e.truth_id = d.truth_id
  GROUP BY n.scope, n.name, n.family
)
SELECT s.scope, s.name, s.family, s.events, s.detected, coalesce(a.alerts, 0), coalesce(a.false_alerts, 0),
       s.median_lead
FROM scored s LEFT JOIN alerts a USING (scope, name)
ORDER BY s.scope DESC, s.family, s.name
