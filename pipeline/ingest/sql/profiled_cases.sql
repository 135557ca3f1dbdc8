-- The cases of a profiled cases file; with a case key, each case once, from its earliest row.
INSERT INTO {{.cases}} ({{join ", " .cols}}) SELECT {{join ", " .cols}} FROM {{.stage_src}}
{{- if .keyed}}
QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY received_date, _line) = 1
{{- end}}
