{{- /* An evaluation (type_col is evaluated) without its result (col; code_list: the results as
one literal, for the reason). A result of an unknown code breaks the code check instead. */ -}}
{{define "bad"}}{{.type_col}} = {{.evaluated}} AND {{.col}} IS NULL{{end -}}
{{if .screen -}}
{{template "bad" .}}
{{- else -}}
SELECT rid, {{literal .col}} AS field, to_json([{{reason "missing_result"}}, {{literal .col}}, {{.code_list}}])::VARCHAR AS reason, NULL AS raw
FROM {{.stage_bad}} WHERE {{template "bad" .}}
{{- end}}
