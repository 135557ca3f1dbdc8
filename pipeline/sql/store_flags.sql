-- The flags screening collected become run $run_id's.
INSERT INTO flags (run_id, rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh, reason_en,
  rule_matter_id, last_evidence, live)
SELECT $run_id, rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh, reason_en,
  rule_matter_id, last_evidence, live
FROM {{.run_flags}}
