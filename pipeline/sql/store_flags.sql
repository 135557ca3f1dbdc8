-- The flags screening collected become run $run_id's.
INSERT INTO flags (run_id, rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh, reason_en)
SELECT $run_id, rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh, reason_en
FROM {{.run_flags}}
