-- The events of a profiled file: an events file's rows, or those each row of a cases file
-- implies: accepted on the case's received date (when the profile has no events source; with a
-- case key, the earliest row's, and none for a case an earlier file made), answered and closed
-- on the row's answer and closing dates.
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
SELECT contact_id || ':answered' AS event_id, case_id, 'answered' AS event_type, answered_date AS event_date
FROM {{.stage_src}} WHERE answered_date IS NOT NULL
UNION ALL
SELECT contact_id || ':closed', case_id, 'closed', closed_date FROM {{.stage_src}} WHERE closed_date IS NOT NULL
{{- else}}
SELECT {{join ", " .cols}} FROM {{.stage_src}}
{{- end}}
