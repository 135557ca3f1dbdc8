-- The contacts of a profiled file: a contacts file's rows, or the contact each row of a cases
-- file makes, on its received date (contact: the column holding its id).
INSERT INTO {{.contacts}} BY NAME
{{- if .from_cases}}
SELECT {{.contact}} AS contact_id, case_id, received_date AS contact_date, channel, level, complainant_id AS person_id,
  head_count, category, township
{{- else}}
SELECT {{join ", " .cols}}
{{- end}}
FROM {{.stage_src}}
