-- One rule's flags with their reasons and liveness join the run's, each under its own matter
-- id until matters that share cases merge (see merge_matters.sql). The flags that stand for a
-- rule screened again for some cases or groups (rescreened) keep their reasons (standing_flags).
INSERT INTO {{.run_flags}} (rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh, reason_en,
  rule_matter_id, last_evidence, live)
SELECT $flag_rule_id, $flag_family, $flag_weight, $flag_min_tier,
       {{range $i, $c := .flag_columns}}{{if $i}}, {{end}}f.{{$c}}{{end}}, r.zh, r.en,
       f.matter_id, l.last_evidence, l.live
FROM {{.rule_flags}} f
{{- if .rescreened}}
JOIN (SELECT matter_id, zh, en FROM {{.flag_reasons}}
      UNION ALL SELECT matter_id, reason_zh, reason_en FROM {{.standing_flags}}) r USING (matter_id)
{{- else}}
JOIN {{.flag_reasons}} r USING (matter_id)
{{- end}}
JOIN {{.flag_liveness}} l USING (matter_id)
