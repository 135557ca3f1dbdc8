-- The matters that may merge, with the cases they hold: every cluster flag's matter with each
-- of its cases, and every case flag's matter whose case is among the clusters'.
WITH cl AS (
  SELECT DISTINCT rule_matter_id, unnest(case_ids) AS case_id FROM {{.run_flags}} WHERE matter_kind = 'cluster'
)
SELECT rule_matter_id, case_id FROM cl
UNION ALL
SELECT DISTINCT rule_matter_id, case_ids[1] FROM {{.run_flags}}
WHERE matter_kind = 'case' AND case_ids[1] IN (SELECT case_id FROM cl)
ORDER BY ALL
