-- The events each case implies: accepted on the received date, closed on the closing date.
INSERT INTO {{.events}} BY NAME
SELECT case_id || ':accepted' AS event_id, case_id, 'accepted' AS event_type, received_date AS event_date FROM {{.stage_src}}
UNION ALL
SELECT case_id || ':closed', case_id, 'closed', closed_date FROM {{.stage_src}} WHERE closed_date IS NOT NULL
