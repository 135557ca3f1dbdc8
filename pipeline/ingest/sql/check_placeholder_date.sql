{{- /* A placeholder date that means the date is unknown (sentinels: the dates as literals). */ -}}
{{define "bad"}}{{.col}} IN ({{.sentinels}}){{end -}}
{{if .screen -}}
{{template "bad" .}}
{{- else -}}
SELECT rid, {{literal .col}} AS field, to_json([{{reason "placeholder_date"}}, {{literal .col}}, {{.col}}::VARCHAR])::VARCHAR AS reason, {{.col}}::VARCHAR AS raw
FROM {{.stage_bad}} WHERE {{template "bad" .}}
{{- end}}
