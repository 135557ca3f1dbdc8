-- The cases of a profiled cases file; with a case key, each case once, from its earliest row,
-- and none for rows joining a case an earlier file made.
INSERT INTO {{.cases}} ({{join ", " .cols}}) SELECT {{join ", " .cols}} FROM {{.stage_src}}
{{- if .keyed}}
WHERE {{template "makes" .}}
QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY received_date, _line) = 1
{{- end}}
{{- define "makes"}}case_key IN (SELECT case_key FROM {{.stage_groups}} WHERE NOT joins){{end}}
