-- Detection per kind of planted event, by any rule of the event's family; events count as in
-- backtest_score.sql.
WITH events AS (
  SELECT truth_id, any_value(family) AS family, any_value(kind) AS kind, any_value(peak_date) AS peak_date
  FROM {{.bt_truth}} WHERE first_date >= CAST($from AS DATE) AND first_date <= (SELECT max(day) FROM bt_population)
  GROUP BY truth_id
),
detections AS (
  SELECT t.truth_id, min(f.day) AS first_flag
  FROM (SELECT day, family, unnest(case_ids) AS case_id FROM bt_flags) f
  JOIN {{.bt_truth}} t ON t.case_id = f.case_id AND t.family = f.family
  GROUP BY t.truth_id
)
SELECT e.kind, e.family, count(*), count(d.truth_id), median(e.peak_date - d.first_flag)
FROM events e LEFT JOIN detections d USING (truth_id)
GROUP BY e.kind, e.family ORDER BY e.family, e.kind
