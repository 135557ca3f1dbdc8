-- The flags of merge_flags' matters numbered $from to $to - 1, by matter as their reasons tell
-- them.
SELECT matter_id, matter_kind, case_id, rule_id, reason_zh, reason_en
FROM {{.merge_flags}}
WHERE i >= $from AND i < $to
ORDER BY told
