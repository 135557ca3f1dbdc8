-- The reasons of the latest stored run's flag of the same rule ($rule_id) and matter, for the
-- flags whose facts are the same: run only when that run is on this run's basis (the same
-- config and program render the same reasons from the same facts). For a rule screened again
-- for some cases or groups (rescreened), the flags that stand (standing_flags) keep their
-- reasons apart (see screen_collect_flags.sql).
INSERT INTO {{.flag_reasons}}
SELECT f.matter_id, s.reason_zh, s.reason_en
FROM {{.rule_flags}} f
JOIN flag_spans s ON s.to_seq IS NULL AND s.rule_id = $rule_id AND s.rule_matter_id = f.matter_id AND s.facts = f.facts
  AND s.reason_zh IS NOT NULL AND s.reason_en IS NOT NULL
{{- if .rescreened}}
WHERE f.matter_id NOT IN (SELECT matter_id FROM {{.standing_flags}})
{{- end}}
