{{- /* A required field that is empty, or for text blank: trim removes Unicode space separators,
which are U+0020 or lie in U+00A0..U+3000, so the screen need run it only on values starting
there. A blank code breaks its code check anyway, so a code column's screen is IS NULL. */ -}}
{{define "bad"}}{{.col}} IS NULL{{if .text}} OR trim({{.col}}) = ''{{end}}{{end -}}
{{if .screen -}}
{{if and .text .coded}}{{.col}} IS NULL
{{- else if .text}}{{.col}} IS NULL OR (({{.col}} < '!' OR ({{.col}} >= chr(160) AND {{.col}} < chr(12289))) AND trim({{.col}}) = '')
{{- else}}{{template "bad" .}}{{end}}
{{- else -}}
SELECT rid, {{literal .col}} AS field, to_json([{{reason "missing_required"}}, {{literal .col}}])::VARCHAR AS reason, NULL AS raw
FROM {{.stage_bad}} WHERE {{template "bad" .}}
{{- end}}
