-- merge_flags: the flags of every matter with more than one flag and a live one, in the order
-- its reason tells them (told): cluster flags first, then case by case (the case whose flags
-- weigh most first), each by weight, highest first, then rule id; flags of one rule (a group
-- rule's episodes merged into one matter) by the date first flagged, then their own matter id,
-- so that the reason reads in time order and is the same in every run. Matters are numbered
-- from 0 (i), so that Go reads them a range at a time (merge_reason_range.sql).
CREATE OR REPLACE TEMP TABLE {{.merge_flags}} AS
WITH f AS (
  SELECT matter_id, matter_kind, case_ids[1] AS case_id, weight, rule_id, first_flagged, rule_matter_id, reason_zh, reason_en,
         count(*) OVER (PARTITION BY matter_id) AS flags,
         bool_or(live) OVER (PARTITION BY matter_id) AS live_matter,
         max(weight) OVER (PARTITION BY matter_id, matter_kind, CASE WHEN matter_kind = 'case' THEN case_ids[1] END) AS case_weight
  FROM {{.run_flags}}
)
SELECT dense_rank() OVER (ORDER BY matter_id) - 1 AS i,
       row_number() OVER (ORDER BY matter_id, matter_kind = 'case', -case_weight, CASE WHEN matter_kind = 'case' THEN case_id END,
                          -weight, rule_id, first_flagged, rule_matter_id) AS told,
       matter_id, matter_kind, CASE WHEN matter_kind = 'case' THEN case_id ELSE '' END AS case_id, rule_id, reason_zh, reason_en
FROM f
WHERE flags > 1 AND live_matter
