{{- /* A required field that is empty, or for text blank: only white space (blank: the pattern
of it; white space is what unicode.IsSpace calls so, as the profile path trims), which is below
'!' or in U+0085..U+3000, so the screen need test only values starting there. A blank code breaks
its code check anyway, so a code column's screen is IS NULL. */ -}}
{{define "bad"}}{{.col}} IS NULL{{if .text}} OR regexp_full_match({{.col}}, {{.blank}}){{end}}{{end -}}
{{if .screen -}}
{{if and .text .coded}}{{.col}} IS NULL
{{- else if .text}}{{.col}} IS NULL OR (({{.col}} < '!' OR ({{.col}} >= chr(133) AND {{.col}} < chr(12289))) AND regexp_full_match({{.col}}, {{.blank}}))
{{- else}}{{template "bad" .}}{{end}}
{{- else -}}
SELECT rid, {{literal .col}} AS field, to_json([{{reason "missing_required"}}, {{literal .col}}])::VARCHAR AS reason, NULL AS raw
FROM {{.stage_bad}} WHERE {{template "bad" .}}
{{- end}}
