SELECT rule_id, family, coalesce({{.reason}}, '') FROM {{.flags}}
WHERE run_id = $1 AND matter_id = $2 ORDER BY weight DESC, rule_id
