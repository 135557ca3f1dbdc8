-- The events of a profiled file: an events file's rows, or those each row of a cases file
-- implies: accepted on the case's received date (when the profile has no events source; with a
-- case key, the earliest row's, and none for a case an earlier file made), answered and closed
-- on the row's answer and closing dates (contact: the column holding the row's contact id).
INSERT INTO {{.events}} BY NAME
{{- if .from_cases}}
{{- if and .accepted .keyed}}
SELECT case_id || ':accepted' AS event_id, case_id, 'accepted' AS event_type, min(received_date) AS event_date
FROM {{.stage_src}} WHERE case_key IN (SELECT case_key FROM {{.stage_groups}} WHERE NOT joins) GROUP BY case_id
UNION ALL
{{- else if .accepted}}
SELECT case_id || ':accepted' AS event_id, case_id, 'accepted' AS event_type, received_date AS event_date FROM {{.stage_src}}
UNION ALL
{{- end}}
{{- if .answered}}
SELECT {{.contact}} || ':answered' AS event_id, case_id, 'answered' AS event_type, answered_date AS event_date
FROM {{.stage_src}} WHERE answered_date IS NOT NULL
UNION ALL
{{- end}}
SELECT {{.contact}} || ':closed' AS event_id, case_id, 'closed' AS event_type, closed_date AS event_date
FROM {{.stage_src}} WHERE closed_date IS NOT NULL
{{- else}}
SELECT {{join ", " .cols}} FROM {{.stage_src}}
{{- end}}
