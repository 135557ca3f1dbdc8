{{- /* A date after the as-of date ($as_of, YYYY-MM-DD). */ -}}
{{define "bad"}}{{.col}} > $as_of::DATE{{end -}}
{{if .screen -}}
{{template "bad" .}}
{{- else -}}
SELECT rid, {{literal .col}} AS field, to_json([{{reason "future_date"}}, {{literal .col}}, {{.col}}::VARCHAR, $as_of::VARCHAR])::VARCHAR AS reason, {{.col}}::VARCHAR AS raw
FROM {{.stage_bad}} WHERE {{template "bad" .}}
{{- end}}
