-- The facts of one rule's flags, for Go to render their reasons from, with the reasons of the
-- latest stored run's flag of the same rule ($rule_id) and matter when its facts were the same.
-- Run only when that run is on this run's basis (the same config and program render the same
-- reasons from the same facts): Go renders only the flags without them. For a rule by case
-- screened again for some cases (rescreened), the flags that stand (standing_flags) keep their
-- reasons without being read.
SELECT f.matter_id, f.facts, s.reason_zh, s.reason_en
FROM {{.rule_flags}} f
LEFT JOIN flag_spans s ON s.to_seq IS NULL AND s.rule_id = $rule_id AND s.rule_matter_id = f.matter_id AND s.facts = f.facts{{if .rescreened}}
WHERE f.matter_id NOT IN (SELECT matter_id FROM {{.standing_flags}}){{end}}
