-- One rule's flags with their reasons join the run's.
INSERT INTO {{.run_flags}} (rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh, reason_en)
SELECT $flag_rule_id, $flag_family, $flag_weight, $flag_min_tier,
       {{range $i, $c := .flag_columns}}{{if $i}}, {{end}}f.{{$c}}{{end}}, r.zh, r.en
FROM {{.rule_flags}} f JOIN {{.flag_reasons}} r USING (matter_id)
