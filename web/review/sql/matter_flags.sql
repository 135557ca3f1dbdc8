-- The flags of matter $2 on run $1's watchlist, each with its case when it is a case's own (a
-- cluster's page lists its cases' flags too): a cluster's flags first, then by weight.
SELECT rule_id, family, coalesce({{.reason}}, ''), CASE WHEN matter_kind = 'case' THEN case_ids[1] ELSE '' END AS case_id
FROM {{.flags}}
WHERE run_id = $1 AND matter_id = $2
ORDER BY matter_kind = 'case', weight DESC, rule_id, case_id
