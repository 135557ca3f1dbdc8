-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM {{.table}} WHERE {{.key}} IN (
{{- if .case_events}}
  {{- if .accepted}}SELECT case_id || ':accepted' FROM {{.stage_src}}{{if .keyed}} WHERE {{template "makes" .}}{{end}} UNION ALL {{end -}}
  {{- if .answered}}SELECT {{.contact}} || ':answered' FROM {{.stage_src}} UNION ALL {{end -}}
  SELECT {{.contact}} || ':closed' FROM {{.stage_src}}
{{- else if .contacts}}SELECT {{.contact}} FROM {{.stage_src}}
{{- else}}SELECT {{.key}} FROM {{.stage_src}}{{if .keyed_cases}} WHERE {{template "makes" .}}{{end}}{{end}})
{{- define "makes"}}case_key IN (SELECT case_key FROM {{.stage_groups}} WHERE NOT joins){{end}}
