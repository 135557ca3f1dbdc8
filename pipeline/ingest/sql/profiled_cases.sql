-- The cases of a profiled cases file; with a case key, each case once, from its earliest row,
-- and none for rows joining a case an earlier file made. The earliest rows are picked by rowid
-- over the few columns that order them, so that the window does not hold the rows' texts.
INSERT INTO {{.cases}} ({{join ", " .cols}}) SELECT {{join ", " .cols}} FROM {{.stage_src}}
{{- if .keyed}}
WHERE rowid IN (
  SELECT rowid FROM {{.stage_src}} WHERE {{template "makes" .}}
  QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY received_date, _line) = 1)
{{- end}}
{{- define "makes"}}case_key IN (SELECT case_key FROM {{.stage_groups}} WHERE NOT joins){{end}}
