{{- /* A head count below 1. */ -}}
{{define "bad"}}{{.col}} < 1{{end -}}
{{if .screen -}}
{{template "bad" .}}
{{- else -}}
SELECT rid, {{literal .col}} AS field, to_json([{{reason "bad_head_count"}}, {{literal .col}}, {{.col}}::VARCHAR])::VARCHAR AS reason, {{.col}}::VARCHAR AS raw
FROM {{.stage_bad}} WHERE {{template "bad" .}}
{{- end}}
