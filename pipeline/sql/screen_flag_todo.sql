-- flag_todo: the flags of one rule whose reasons Go renders, numbered from 0 (i) so that it
-- reads their facts a range at a time (screen_flag_facts.sql): those with no reason carried
-- (flag_reasons) and, for a rule screened again for some cases or groups (rescreened), not
-- among the flags that stand (standing_flags).
CREATE OR REPLACE TEMP TABLE {{.flag_todo}} AS
SELECT row_number() OVER () - 1 AS i, f.matter_id, f.facts
FROM {{.rule_flags}} f
WHERE f.matter_id NOT IN (SELECT matter_id FROM {{.flag_reasons}})
{{- if .rescreened}}
  AND f.matter_id NOT IN (SELECT matter_id FROM {{.standing_flags}})
{{- end}}
