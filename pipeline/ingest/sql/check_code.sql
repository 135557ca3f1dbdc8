{{- /* A value outside its code list (codes: the list as literals; code_list: the codes as one
literal, for the reason). */ -}}
{{define "bad"}}{{.col}} NOT IN ({{.codes}}){{end -}}
{{if .screen -}}
{{template "bad" .}}
{{- else -}}
SELECT rid, {{literal .col}} AS field, to_json([{{reason "unknown_code"}}, {{literal .col}}, {{.col}}, {{.code_list}}])::VARCHAR AS reason, {{.col}} AS raw
FROM {{.stage_bad}} WHERE {{template "bad" .}}
{{- end}}
